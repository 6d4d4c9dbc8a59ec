"""What a map shows: :class:`MapSpec`, and reading it from a TOML file.

A spec is built in Python, read from TOML (:func:`load_spec`) or from a parsed
mapping (:func:`spec_from_dict`).  Layer files named by a spec must lie in the
spec's own folder (the layer-path rule, :func:`_layer_path`), and errors about
them never quote the file's contents.

Coordinates of every input are (lon, lat) degrees WGS84; distances meters.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import shapely

from geoconflict._compat import import_optional_dependency
from geoconflict.errors import DataFormatError, GeoconflictError
from geoconflict.io.features import Feature, read_features, resolve_place
from geoconflict.maps.labels import CORNERS
from geoconflict.maps.overlays import border_features, ring_features
from geoconflict.maps.symbols import AGGREGATE_MODES, LABEL_MODES, SIZE_BY
from geoconflict.units import parse_length

__all__ = ["MapSpec", "load_spec", "spec_from_dict"]


@dataclass
class MapSpec:
    """Everything a map shows.  Coordinates (lon, lat) degrees; lengths meters.

    Attributes
    ----------
    title, subtitle, date : str
        Text at the top of the map.
    extent : None, (west, south, east, north) or (lon, lat)
        None fits the data (plus `margin_m`); a bbox in degrees; or a centre
        point (lon, lat) shown with `margin_m` around it.
    margin_m : float or None
        Margin around the data in meters (default: 15 % of the data's span,
        at least 10 km).
    size : (float, float)
        Figure size in inches.
    dpi : int
        PNG resolution.
    sites : list of Feature
        Points, styled by their ``event_type`` (marker) and
        ``attribution_status`` (colour) properties, labelled by ``name``.
    zones : list of Feature
        Polygons drawn translucent (buffer zones, border strips), labelled by
        their ``label`` or ``name``.
    rings : list of Feature
        Range rings and fans (polygons or lines) with a ``label`` such as
        ``"100 km"``.
    lines : list of Feature
        Other lines (e.g. a border drawn heavy).
    ring_radii_m : list of float
        Geodesic range rings drawn around every site (meters).
    countries, provinces, disputed : bool
        Draw the bundled boundaries (:mod:`geoconflict.geography.borders`).
    inset : bool or str
        The locator inset: True, "auto" or "corner" put it in the corner with
        the least data; "upper-left", "lower-right" ... a fixed corner;
        False or "none": no inset.
    legend, scale_bar, north_arrow : bool
        Map furniture.
    credits : list of str
        Extra credit lines (event sources are added from the sites' ``source``).
    sources : list of str
        Event sources to credit (names, e.g. of an events file's
        :attr:`~geoconflict.events.eventset.EventSet.sources`), before the sites' own.
    notes : list of str
        Footnotes (e.g. what is not drawn and why).
    layer_files : list of str
        The files read through a spec's ``[[layers]]`` (resolved paths).
    aggregate : {"auto", "none", "places", "hex"}
        How sites become symbols: one per site ("none"; co-located sites one
        symbol with a count), graduated circles per place ("places"),
        hexagonal bins ("hex"); "auto" aggregates above
        :data:`~geoconflict.maps.symbols.AUTO_AGGREGATE_ABOVE` sites.
    size_by : {"count", "fatalities"}
        What the size of an aggregate stands for.
    labels : {"auto", "all", "none"}
        Site labels: thinned by priority (named sites, then the largest
        aggregates), all names, or none.
    """

    title: str = ""
    subtitle: str = ""
    date: str = ""
    extent: Optional[tuple] = None
    margin_m: Optional[float] = None
    size: tuple = (10.0, 8.0)
    dpi: int = 150
    sites: list = field(default_factory=list)
    zones: list = field(default_factory=list)
    rings: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    ring_radii_m: list = field(default_factory=list)
    countries: bool = True
    provinces: bool = True
    disputed: bool = True
    inset: Union[bool, str] = True
    legend: bool = True
    scale_bar: bool = True
    north_arrow: bool = True
    credits: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    layer_files: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    aggregate: str = "auto"
    size_by: str = "count"
    labels: str = "auto"

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise a clear error if a choice (aggregate, size_by, labels, inset) is unknown."""
        for name, allowed in (
            ("aggregate", AGGREGATE_MODES),
            ("size_by", SIZE_BY),
            ("labels", LABEL_MODES),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise GeoconflictError(
                    f"map {name} {value!r} is not one of {', '.join(allowed)}; pick one"
                )
        inset = self.inset
        if not isinstance(inset, bool):
            key = str(inset).lower().replace("-", " ").replace("_", " ")
            if key not in ("auto", "corner", "none", *CORNERS):
                raise GeoconflictError(
                    f"map inset {inset!r} is not one of auto, corner, none, "
                    + ", ".join(c.replace(" ", "-") for c in CORNERS)
                    + "; pick one"
                )

    def add_features(self, features: list, *, source: str = "") -> None:
        """Sort features into sites (points), rings (with a ring/fan kind) or zones/lines."""
        for f in features:
            g = f.geometry
            if g is None or g.is_empty:
                continue
            kind = str(
                f.properties.get("kind") or f.properties.get("layer") or ""
            ).lower()
            gt = g.geom_type
            if gt in ("Point", "MultiPoint"):
                for p in getattr(g, "geoms", [g]):
                    self.sites.append(Feature(p, dict(f.properties)))
            elif kind in ("ring", "rings", "fan", "range", "sector"):
                self.rings.append(f)
            elif gt.endswith("LineString"):
                self.lines.append(f)
            else:
                self.zones.append(f)

    def has_data(self) -> bool:
        """Return True if there is anything to draw or an extent to show."""
        return bool(self.sites or self.zones or self.rings or self.lines or self.extent)


def _layer_path(base: Path, value, *, label: str, allowed: frozenset) -> str:
    """Resolve a ``[[layers]]`` path of a spec: relative to the spec's folder, inside it.

    ``..`` and symbolic links are resolved first; a path that then lies outside
    `base` is refused unless it is in `allowed` (resolved paths the user gave on
    the command line).  The check does not open the file, so the message is the
    same whether or not it exists.
    """
    if not isinstance(value, str) or not value:
        raise DataFormatError(
            f"[[layers]] path {value!r}: give the file as a non-empty string",
            path=label,
        )
    if value == "-":
        return value
    try:
        root = base.resolve()
        target = (base / value).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # NUL byte, symlink loop
        raise DataFormatError(
            f"[[layers]] path {value!r}: not a usable path ({type(exc).__name__}); "
            "fix the path",
            path=label,
        ) from None
    if str(target) not in allowed and root != target and root not in target.parents:
        raise DataFormatError(
            f"[[layers]] path {value!r} is outside the spec's folder {root} (after "
            "resolving '..' and symbolic links); a spec may only name files in its "
            "own folder: move the file there, or also give it on the command line",
            path=label,
        )
    return str(target)


def _read_layer(path: str, value: str, *, label: str) -> list:
    """Read a spec's layer file; errors name the file and the problem, never its text.

    The spec, not the user, named this file, so nothing read from it (a header,
    a value) goes into the message.
    """
    where = f"[[layers]] path {value!r} ({path})"
    problem = None
    if path != "-":
        if not os.path.exists(path):
            problem = "no such file; check the path"
        elif os.path.isdir(path):
            problem = "is a folder, not a file; give a file inside it"
        elif os.path.getsize(path) == 0:
            problem = "the file is empty"
    if problem is None:
        try:
            return read_features(path, what="map layer")
        except Exception as exc:  # any error: its text may quote the file
            row = getattr(exc, "row", None)
            problem = (
                "cannot be read as a map layer"
                + (f" (the problem is in row {row})" if row is not None else "")
                + "; give GeoJSON, a CSV with lon/lat columns, or a .gpkg/.shp/.kml "
                "file (its contents are not shown here: give the file on the "
                "command line to see the details)"
            )
    raise DataFormatError(f"{where}: {problem}", path=label)


def load_spec(
    path: Union[str, os.PathLike], *, allowed_paths: Iterable = ()
) -> MapSpec:
    r"""Read a map spec from a TOML file.

    Layer paths inside the spec are relative to the spec's folder and must stay
    inside it (after resolving ``..`` and symbolic links): a spec someone else
    wrote cannot make geoconflict read other files.  Errors about a layer file
    name the file and the problem, never its contents.  Lengths are text with a
    unit (``"50 km"``).

    Parameters
    ----------
    path : str or path-like
        The TOML file.
    allowed_paths : iterable of str or path-like, optional
        Files the user named on the command line: the spec may name these
        even outside its folder.  The files read through ``[[layers]]`` are
        listed in :attr:`MapSpec.layer_files`.

    Returns
    -------
    MapSpec

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = p.write_text('title = "Test"\nmargin = "20 km"\n'
    ...                  '[[sites]]\nname = "A"\nlon = 40.9\nlat = 34.45\n')
    >>> spec = load_spec(p)
    >>> spec.title, spec.margin_m, spec.sites[0].name
    ('Test', 20000.0, 'A')
    """
    path = Path(path)
    if not path.exists():
        raise DataFormatError("map spec not found; check the path", path=str(path))
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        tomllib = import_optional_dependency("tomli", "reading TOML map specs")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataFormatError(
            "the map spec is empty; see docs/maps.md for an example", path=str(path)
        )
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFormatError(
            f"is not a valid TOML map spec ({exc}); see docs/maps.md", path=str(path)
        ) from None
    return spec_from_dict(
        doc, base=path.parent, label=str(path), allowed_paths=allowed_paths
    )


def spec_from_dict(
    doc: dict,
    *,
    base: Path = Path("."),
    label: str = "spec",
    allowed_paths: Iterable = (),
) -> MapSpec:
    """Build a :class:`MapSpec` from a parsed TOML/JSON mapping (see :func:`load_spec`).

    Layer paths are relative to `base` and must resolve inside it, unless they
    are among `allowed_paths`.
    """
    spec = MapSpec()
    allowed = frozenset(
        os.path.realpath(os.fspath(p)) for p in allowed_paths if os.fspath(p) != "-"
    )
    known = {
        "title", "subtitle", "date", "extent", "margin", "size", "dpi", "layers",
        "sites", "rings", "borders", "zones", "credits", "countries", "provinces",
        "disputed", "inset", "legend", "scale_bar", "north_arrow", "ring_radii", "notes",
        "aggregate", "size_by", "labels", "sources",
    }  # fmt: skip
    unknown = sorted(set(doc) - known)
    if unknown:
        raise DataFormatError(
            f"unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(known))}",
            path=label,
        )
    for key in ("title", "subtitle", "date"):
        if key in doc:
            setattr(spec, key, str(doc[key]))
    for key in (
        "countries",
        "provinces",
        "disputed",
        "legend",
        "scale_bar",
        "north_arrow",
    ):
        if key in doc:
            setattr(spec, key, bool(doc[key]))
    if "inset" in doc:
        spec.inset = (
            doc["inset"] if isinstance(doc["inset"], bool) else str(doc["inset"])
        )
    for key in ("aggregate", "size_by", "labels"):
        if key in doc:
            setattr(spec, key, str(doc[key]))
    try:
        spec.check()
    except GeoconflictError as exc:
        raise DataFormatError(str(exc), path=label) from None
    if "margin" in doc:
        spec.margin_m = parse_length(doc["margin"], default_unit="m")
    if "size" in doc:
        spec.size = tuple(float(v) for v in doc["size"])
    if "dpi" in doc:
        spec.dpi = int(doc["dpi"])
    if "credits" in doc:
        spec.credits = [str(c) for c in doc["credits"]]
    if "sources" in doc:
        spec.sources = [str(c) for c in doc["sources"]]
    if "notes" in doc:
        spec.notes = [str(c) for c in doc["notes"]]
    if "ring_radii" in doc:
        spec.ring_radii_m = [parse_length(r) for r in doc["ring_radii"]]
    ext = doc.get("extent")
    if isinstance(ext, (list, tuple)) and len(ext) in (2, 4):
        spec.extent = tuple(float(v) for v in ext)
    elif isinstance(ext, str) and ext.lower() != "auto":
        f = resolve_place(ext)
        spec.extent = (f.geometry.x, f.geometry.y)
    layers = doc.get("layers", [])
    if not isinstance(layers, list) or not all(isinstance(x, dict) for x in layers):
        raise DataFormatError(
            "layers must be [[layers]] tables, each with a path", path=label
        )
    for layer in layers:
        if "path" not in layer:
            raise DataFormatError("every [[layers]] needs a path", path=label)
        src = _layer_path(base, layer["path"], label=label, allowed=allowed)
        feats = _read_layer(src, layer["path"], label=label)
        spec.layer_files.append(src)
        kind = layer.get("kind")
        if kind:
            for f in feats:
                f.properties.setdefault("kind", kind)
        spec.add_features(feats, source=layer["path"])
    for s in doc.get("sites", []):
        props = {k: v for k, v in s.items() if k not in ("lon", "lat")}
        if "lon" not in s or "lat" not in s:
            raise DataFormatError(
                f"site {s.get('name', '?')!r} needs lon and lat", path=label
            )
        spec.sites.append(
            Feature(shapely.Point(float(s["lon"]), float(s["lat"])), props)
        )
    for r in doc.get("rings", []):
        center = r.get("center")
        if isinstance(center, str):
            c = resolve_place(center)
            lon, lat = c.geometry.x, c.geometry.y
        elif isinstance(center, (list, tuple)) and len(center) == 2:
            lon, lat = float(center[0]), float(center[1])
        else:
            raise DataFormatError(
                "every [[rings]] needs center = [lon, lat] or a place", path=label
            )
        radii = [parse_length(x) for x in r.get("radii", [])]
        az = r.get("azimuths")
        spec.rings.extend(
            ring_features(lon, lat, radii, azimuths=az, label=r.get("label", ""))
        )
    for b in doc.get("borders", []):
        spec.lines.extend(
            border_features(b.get("countries", []), b.get("zone"), b.get("side"), spec)
        )
    return spec
