"""Publication maps (matplotlib) and offline interactive HTML maps (Leaflet).

A map is described by a :class:`MapSpec` — built in Python, read from a TOML file
(:func:`load_spec`), or filled from ``geoconflict map`` options — and drawn by
:func:`render` to PNG, SVG, PDF or HTML.

Cartographic choices, all computed, none hard-coded per place:

* the projection suits the extent: a Lambert conformal conic with standard
  parallels at 1/6 and 5/6 of the latitude span (an azimuthal equidistant
  projection near the equator or for very large extents), centred on the map;
  never plate carrée.  Every layer is transformed with pyproj, after geodesic
  densification so that long edges stay geodesics;
* the scale bar is true at the map centre: its length uses the projection's
  scale factor there (``pyproj.Proj.get_factors``);
* the north arrow points to true north at the map centre (the projected
  direction of the meridian there);
* labels are placed greedily around their anchor so that they do not collide
  with each other, with site markers, or the map frame; a label that cannot be
  placed is dropped (and counted in :attr:`RenderResult.dropped_labels`);
* output is deterministic: SVG is byte-identical for the same input
  (``svg.hashsalt`` fixed, no dates in metadata), PNG is stable.

Coordinates of every input are (lon, lat) degrees WGS84; distances meters.

matplotlib is imported lazily (``pip install 'geoconflict[maps]'``).
"""

from __future__ import annotations

import copy
import html as _html
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union

import numpy as np
import pyproj
import shapely

from geoconflict.errors import DataFormatError, GeoconflictError
from geoconflict.geodesy.measurement import densify, direct
from geoconflict.io.features import Feature, read_features
from geoconflict.units import format_length, parse_length

__all__ = [
    "ATTRIBUTION_COLORS",
    "EVENT_MARKERS",
    "MapSpec",
    "RenderResult",
    "choose_projection",
    "load_spec",
    "north_angle",
    "render",
    "render_each",
    "render_html",
    "scale_factor",
]

#: colour of a site by attribution status (the events model's vocabulary)
ATTRIBUTION_COLORS = {
    "declared": "#b2182b",  # responsibility declared by the perpetrator
    "claimed": "#ef8a62",  # attributed by someone else
    "contested": "#7b3294",  # competing attributions
    "denied": "#2166ac",  # the accused denied
    "unknown": "#5f5f5f",
}

#: matplotlib marker by event type (ACLED event types; lower-case, partial match)
EVENT_MARKERS = {
    "air/drone strike": "^",
    "explosions/remote violence": "^",
    "shelling/artillery/missile attack": "v",
    "remote explosive/landmine/ied": "P",
    "battles": "s",
    "violence against civilians": "X",
    "strategic developments": "D",
    "reference": "s",
    "facility": "s",
    "launch": "*",
}
_DEFAULT_MARKER = "o"

_LAND = "#f3f0e8"
_SEA = "#dce8f0"
_BORDER = "#7a7a7a"
_ZONE = "#e08a1e"
_RING = "#3b3b3b"
_HIGHLIGHT = "#222222"
_DISPUTED = "#a0302a"

_FORMATS = ("png", "svg", "pdf", "html")
#: the map panel in figure fractions (left, bottom, width, height)
_AX_RECT = (0.03, 0.115, 0.94, 0.755)


# --------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------


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
    inset, legend, scale_bar, north_arrow : bool
        Map furniture.
    credits : list of str
        Extra credit lines (event sources are added from the sites' ``source``).
    notes : list of str
        Footnotes (e.g. what is not drawn and why).
    layer_files : list of str
        The files read through a spec's ``[[layers]]`` (resolved paths).
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
    inset: bool = True
    legend: bool = True
    scale_bar: bool = True
    north_arrow: bool = True
    credits: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    layer_files: list = field(default_factory=list)

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
        from geoconflict._compat import import_optional_dependency

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
        "inset",
        "legend",
        "scale_bar",
        "north_arrow",
    ):
        if key in doc:
            setattr(spec, key, bool(doc[key]))
    if "margin" in doc:
        spec.margin_m = parse_length(doc["margin"], default_unit="m")
    if "size" in doc:
        spec.size = tuple(float(v) for v in doc["size"])
    if "dpi" in doc:
        spec.dpi = int(doc["dpi"])
    if "credits" in doc:
        spec.credits = [str(c) for c in doc["credits"]]
    if "notes" in doc:
        spec.notes = [str(c) for c in doc["notes"]]
    if "ring_radii" in doc:
        spec.ring_radii_m = [parse_length(r) for r in doc["ring_radii"]]
    ext = doc.get("extent")
    if isinstance(ext, (list, tuple)) and len(ext) in (2, 4):
        spec.extent = tuple(float(v) for v in ext)
    elif isinstance(ext, str) and ext.lower() != "auto":
        from geoconflict.io.features import resolve_place

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
            from geoconflict.io.features import resolve_place

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


# --------------------------------------------------------------------------------------
# Geometry helpers (geodesic)
# --------------------------------------------------------------------------------------


def circle_lonlat(lon: float, lat: float, radius_m: float, n: int = 181):
    """Return a geodesic circle (lon/lat ring of `n` points) of `radius_m` meters around a point.

    Examples
    --------
    >>> ring = circle_lonlat(40.0, 34.0, 10_000)
    >>> ring.shape
    (181, 2)
    """
    az = np.linspace(0.0, 360.0, n)
    d = direct(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    return np.column_stack([d.lon, d.lat])


def ring_features(lon, lat, radii_m, *, azimuths=None, label: str = "") -> list:
    """Return range rings (or a fan when `azimuths` = (from, to)) as lon/lat features.

    Uses :func:`geoconflict.range_rings` (lines) and :func:`geoconflict.range_fan`
    (geodesic, cut at the antimeridian).  Distances in meters, azimuths degrees
    clockwise from true north.

    Examples
    --------
    >>> [f.properties["label"] for f in ring_features(38.6, 33.5, [100_000, 200_000])]
    ['100 km', '200 km']
    """
    from geoconflict.geodesy import ranges

    radii = sorted(float(r) for r in radii_m)
    if not radii:
        return []
    if azimuths:
        a0, a1 = float(azimuths[0]), float(azimuths[1])
        table = ranges.range_fan(
            np.full(len(radii), lon),
            np.full(len(radii), lat),
            a0,
            a1,
            0.0,
            np.asarray(radii),
        )
        kind = "fan"
    else:
        table = ranges.range_rings(lon, lat, radii, kind="line")
        kind = "ring"
    out = []
    for g, r, text in zip(table.geometry, radii, table["label"]):
        text = f"{label} {text}".strip()
        out.append(Feature(g, {"kind": kind, "label": text, "radius_m": r}))
    return out


def border_features(countries, zone=None, side=None, spec=None) -> list:
    """Return the border between two countries (and optionally its strip) as features."""
    from importlib import import_module

    if len(countries) != 2:
        raise GeoconflictError(
            "a [[borders]] entry needs countries = [A, B], e.g. ['IRQ', 'SYR']"
        )
    borders = import_module("geoconflict.geography.borders")
    line = borders.border(*countries)
    feats = [
        Feature(
            line, {"kind": "border", "label": f"{countries[0]}–{countries[1]} border"}
        )
    ]
    if zone and spec is not None:
        width = parse_length(zone)
        kwargs = {"side": side} if side else {}
        strip = borders.border_zone(countries[0], countries[1], width, **kwargs)
        spec.zones.append(
            Feature(
                strip,
                {
                    "label": f"{format_length(width)} border strip"
                    + (f" ({side})" if side else "")
                },
            )
        )
    return feats


# --------------------------------------------------------------------------------------
# Projection, scale, north
# --------------------------------------------------------------------------------------


def choose_projection(
    west: float, south: float, east: float, north: float
) -> pyproj.CRS:
    """Choose a projection suited to a lon/lat extent (degrees): conformal conic or AEQD.

    Lambert conformal conic centred on the extent with standard parallels at 1/6
    and 5/6 of its latitude span; azimuthal equidistant when the extent straddles
    the equator or spans more than 60° of latitude.

    Examples
    --------
    >>> choose_projection(38, 32, 43, 36).coordinate_operation.method_name
    'Lambert Conic Conformal (2SP)'
    >>> choose_projection(-10, -5, 10, 5).coordinate_operation.method_name
    'Azimuthal Equidistant'
    """
    if east < west:
        east += 360.0
    lon0 = ((west + east) / 2 + 180.0) % 360.0 - 180.0
    lat0 = (south + north) / 2
    span = north - south
    if (
        south < 3.0 < north
        or south < -3.0 < north
        or abs(lat0) < 6
        or span > 60
        or abs(lat0) > 80
    ):
        return pyproj.CRS.from_proj4(
            f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
        )
    lat1 = south + span / 6
    lat2 = north - span / 6
    if abs(lat2 - lat1) < 1e-6:
        lat1, lat2 = lat0 - 0.5, lat0 + 0.5
    return pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_0={lat0:.6f} +lon_0={lon0:.6f} +lat_1={lat1:.6f} +lat_2={lat2:.6f} "
        "+datum=WGS84 +units=m +no_defs"
    )


def scale_factor(crs: pyproj.CRS, lon: float, lat: float) -> float:
    """Scale factor of `crs` along the parallel at (lon, lat): map meters per ground meter.

    Examples
    --------
    >>> crs = choose_projection(38, 32, 43, 36)
    >>> round(scale_factor(crs, 40.5, 34.0), 4)
    0.9997
    """
    factors = pyproj.Proj(crs).get_factors(lon, lat)
    return float(factors.parallel_scale)


def north_angle(crs: pyproj.CRS, lon: float, lat: float) -> float:
    """Angle of true north at (lon, lat) on the map, degrees clockwise from map up.

    Computed from the projected direction of the meridian through the point
    (a short step north along it).

    Examples
    --------
    >>> crs = choose_projection(38, 32, 43, 36)
    >>> round(north_angle(crs, 40.5, 34.0), 6)
    0.0
    >>> north_angle(crs, 43.0, 34.0) < 0  # east of the central meridian
    True
    """
    tr = _transformer(crs)
    step = 1e-4 if lat < 89.0 else -1e-4
    cx, cy = tr.transform(lon, lat)
    nx, ny = tr.transform(lon, lat + step)
    if step < 0:
        nx, ny = 2 * cx - nx, 2 * cy - ny
    return math.degrees(math.atan2(nx - cx, ny - cy))


def _transformer(crs: pyproj.CRS) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _project(geoms, tr: pyproj.Transformer, max_segment_m: float = 2000.0):
    """Project lon/lat geometries with pyproj after geodesic densification."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    types = shapely.get_type_id(arr)
    needs = (types != 0) & (types != 4)
    if needs.any():
        arr = arr.copy()
        arr[needs] = densify(arr[needs], max_segment_m)

    def fn(xy):
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(arr, fn)
    out = np.where(
        shapely.is_valid(out) | (types == 0) | (types == 1) | (types == 5),
        out,
        shapely.make_valid(out),
    )
    return out


# --------------------------------------------------------------------------------------
# Boundaries from geoconflict.geography.borders (optional)
# --------------------------------------------------------------------------------------


def _records(obj) -> list:
    """(name, code, geometry) triples from whatever the borders API returns."""
    out = []
    if obj is None:
        return out
    if hasattr(obj, "geometry") and hasattr(obj, "iterrows"):  # GeoDataFrame
        cols = {c.lower(): c for c in obj.columns}
        ncol = next(
            (cols[c] for c in ("name", "name_en", "admin", "label") if c in cols), None
        )
        ccol = next(
            (
                cols[c]
                for c in ("iso_a3", "adm0_a3", "code", "iso_3166_2", "id")
                if c in cols
            ),
            None,
        )
        for i, g in enumerate(np.asarray(obj.geometry.values)):
            row = obj.iloc[i]
            out.append(
                (str(row[ncol]) if ncol else "", str(row[ccol]) if ccol else "", g)
            )
        return out
    items = obj.values() if isinstance(obj, dict) else obj
    for item in items:
        g = getattr(item, "geometry", None)
        if g is None and isinstance(item, dict):
            g = item.get("geometry")
        if g is None:
            continue
        get = (
            item.get
            if isinstance(item, dict)
            else (lambda k, d=None, it=item: getattr(it, k, d))
        )
        name = get("name") or get("name_en") or ""
        code = get("iso3") or get("iso_a3") or get("code") or get("adm0_a3") or ""
        out.append((str(name), str(code), g))
    return out


_LAYER_CACHE: dict = {}


def _borders_module():
    try:
        from importlib import import_module

        return import_module("geoconflict.geography.borders")
    except ImportError:
        return None


def _boundary_layers(spec: MapSpec, bbox_ll: Optional[tuple] = None) -> dict:
    """Countries, provinces and disputed areas from geoconflict.geography.borders, if installed.

    Provinces are loaded only for the countries that meet `bbox_ll` (lon/lat).
    """
    borders = _borders_module()
    if borders is None:
        return {}
    layers: dict = {}

    def cached(key, fn, *args):
        k = (key, *args)
        if k not in _LAYER_CACHE:
            try:
                _LAYER_CACHE[k] = _records(fn(*args))
            except Exception:  # a missing dataset must not stop the map
                _LAYER_CACHE[k] = []
        return _LAYER_CACHE[k]

    if (spec.countries or spec.provinces) and hasattr(borders, "countries"):
        layers["countries"] = cached("countries", borders.countries)
    if spec.disputed and hasattr(borders, "disputed_areas"):
        layers["disputed"] = cached("disputed", borders.disputed_areas)
    if spec.provinces and hasattr(borders, "provinces") and layers.get("countries"):
        codes = (
            [c for _, c, _ in _clip_world(layers["countries"], bbox_ll)]
            if bbox_ll
            else []
        )
        provs = []
        for code in sorted(set(codes)):
            if code:
                provs.extend(cached("provinces", borders.provinces, code))
        layers["provinces"] = provs
    if not spec.countries:
        layers.pop("countries", None)
    return layers


def _patches(ax, geoms, **style):
    """Draw polygons as one PathCollection (fast: no per-patch limit updates)."""
    from matplotlib.collections import PathCollection

    paths = [p for p in (_path_of(g) for g in geoms) if p is not None]
    if not paths:
        return None
    coll = PathCollection(paths, **style)
    ax.add_collection(coll, autolim=False)
    return coll


def _simplify(geoms, tol: float):
    """Simplify projected geometries below the drawing resolution (map units)."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0 or tol <= 0:
        return arr
    return shapely.simplify(arr, tol, preserve_topology=True)


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------


@dataclass
class RenderResult:
    """What :func:`render` drew, for tests and reports."""

    path: Path
    crs: pyproj.CRS
    center: tuple
    scale_length_m: float
    scale_bar_map_length: float
    north_angle_deg: float
    placed_labels: list
    dropped_labels: list
    credits: list
    bounds: tuple = ()
    axes_px: tuple = ()
    size_px: tuple = ()
    label_boxes: list = field(default_factory=list)
    layers: list = field(default_factory=list)

    def pixel_of(self, lon, lat) -> tuple:
        """Pixel (column, row from the top) of a lon/lat point in a PNG written by :func:`render`."""
        x, y = _transformer(self.crs).transform(lon, lat)
        x0, y0, x1, y1 = self.bounds
        px0, py0, px1, py1 = self.axes_px
        col = px0 + (x - x0) / (x1 - x0) * (px1 - px0)
        row_up = py0 + (y - y0) / (y1 - y0) * (py1 - py0)
        return float(col), float(self.size_px[1] - row_up)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)


def _status(props: dict) -> str:
    s = str(
        props.get("attribution_status") or props.get("attribution") or "unknown"
    ).lower()
    return s if s in ATTRIBUTION_COLORS else "unknown"


def _marker(props: dict) -> tuple:
    """(matplotlib marker, legend name): the site's role first, then its event type."""
    role = str(props.get("role") or "").lower()
    if "reference" in role or role in ("facility", "crossing"):
        return "s", "reference facility"
    if "launch" in role:
        return "*", "launch site"
    for key in ("sub_event_type", "event_type", "kind"):
        v = str(props.get(key) or "").lower()
        if v:
            for name, m in EVENT_MARKERS.items():
                if name in v:
                    return m, name
    return _DEFAULT_MARKER, "site"


def _displace(xy: np.ndarray, tol: float, radius: float) -> np.ndarray:
    """Spread markers that share a position on a small circle around it (display only).

    Returns the drawing positions; groups of sites closer than `tol` (map
    units) are placed at `radius` around their common centre, clockwise from the
    top, so that every marker and label stays visible.
    """
    out = xy.copy()
    if len(xy) < 2:
        return out
    keys = np.round(xy / tol).astype(np.int64)
    groups: dict = {}
    for i, k in enumerate(map(tuple, keys)):
        groups.setdefault(k, []).append(i)
    for members in groups.values():
        n = len(members)
        if n < 2:
            continue
        c = xy[members].mean(axis=0)
        ang = np.radians(np.arange(n) * 360.0 / n)
        out[members, 0] = c[0] + radius * np.sin(ang)
        out[members, 1] = c[1] + radius * np.cos(ang)
    return out


def _path_of(geom):
    from matplotlib.path import Path as MPath

    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            verts.append(xy)
            c = np.full(len(xy), MPath.LINETO, dtype=np.uint8)
            c[0] = MPath.MOVETO
            c[-1] = MPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return MPath(np.concatenate(verts), np.concatenate(codes))


def _lines_of(geom) -> list:
    out = []
    for g in getattr(geom, "geoms", [geom]):
        if g.is_empty:
            continue
        if g.geom_type == "LineString":
            out.append(np.asarray(g.coords)[:, :2])
        elif g.geom_type == "Polygon":
            out.append(np.asarray(g.exterior.coords)[:, :2])
        elif g.geom_type.startswith("Multi") or g.geom_type == "GeometryCollection":
            out.extend(_lines_of(g))
    return out


def _nice_length(target_m: float) -> float:
    exp = math.floor(math.log10(target_m))
    for m in (5, 2, 1):
        v = m * 10**exp
        if v <= target_m:
            return float(v)
    return float(10**exp)


#: names Windows will not create as files, whatever the extension
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {
    f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)
}


def _slug(text: str) -> str:
    """Return a file-name-safe form of `text` that keeps letters of every script.

    Letters, digits and combining marks of every script (Latin, Arabic, ...)
    are kept, lower-cased and NFKC-normalised; every run of other characters (``/``, spaces, dots,
    control characters) becomes ``-``; at most 60 characters; ``"map"`` when
    nothing is left; Windows device names get a ``_`` suffix.

    Examples
    --------
    >>> _slug("SYR 1/2"), _slug("البوكمال"), _slug(".."), _slug("CON")
    ('syr-1-2', 'البوكمال', 'map', 'con_')
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", str(text)).lower()
    keep = ("L", "N", "M")  # letters, digits, combining marks (Arabic harakat)
    s = "".join(
        ch if unicodedata.category(ch)[0] in keep or ch == "_" else "-" for ch in text
    )
    s = re.sub(r"-+", "-", s).strip("-_")[:60].strip("-_")
    if not s:
        return "map"
    return s + "_" if s in _RESERVED_NAMES else s


def _each_names(keys) -> dict:
    """Return distinct file-name stems for the keys of ``render_each``, {key: stem}.

    A key's stem is its :func:`_slug`; keys whose slugs coincide (``"A/B"`` and
    ``"A B"``, ``"A"`` and ``"a"``, ``""`` and ``".."``) each get a short
    stable hash of the key appended, so no map overwrites another and a key's
    name does not depend on the other keys' order.

    Examples
    --------
    >>> _each_names(["A/B", "A B", "x"])
    {'A/B': 'a-b-239c020a', 'A B': 'a-b-8aabb8bc', 'x': 'x'}
    """
    import hashlib

    keys = list(dict.fromkeys(str(k) for k in keys))
    slugs = {k: _slug(k) for k in keys}
    count: dict = {}
    for v in slugs.values():
        count[v] = count.get(v, 0) + 1
    out: dict = {}
    for k, v in slugs.items():
        if count[v] > 1:
            v = f"{v}-{hashlib.sha1(k.encode('utf-8')).hexdigest()[:8]}"
        stem, n = v, 2
        while v in out.values():  # a key that looks like another's hashed name
            v, n = f"{stem}-{n}", n + 1
        out[k] = v
    return out


def _all_lonlat_geoms(spec: MapSpec, ring_feats: list) -> list:
    geoms = [
        f.geometry
        for f in spec.sites + spec.zones + spec.lines + spec.rings + ring_feats
    ]
    return [g for g in geoms if g is not None and not g.is_empty]


def _view(spec: MapSpec, ring_feats: list):
    """(crs, transformer, (x0, y0, x1, y1), (lon0, lat0)) for the map."""
    geoms = _all_lonlat_geoms(spec, ring_feats)
    ext = spec.extent
    if ext is not None and len(ext) == 4:
        w, s, e, n = ext
        margin = 0.0 if spec.margin_m is None else spec.margin_m
    else:
        if ext is not None and len(ext) == 2:
            geoms = [*geoms, shapely.Point(ext)]
        if not geoms:
            raise GeoconflictError("nothing to draw: give sites, zones or an extent")
        w, s, e, n = _lonlat_extent(np.asarray(geoms, dtype=object))
        margin = spec.margin_m
    crs = choose_projection(w, s, e, n)
    tr = _transformer(crs)
    if ext is not None and len(ext) == 4:
        frame = shapely.box(w, s, e, n)
        xy = shapely.get_coordinates(_project([frame], tr, 5000.0)[0])
    else:
        proj = _project(geoms, tr, 5000.0)
        xy = shapely.get_coordinates(np.asarray(proj, dtype=object))
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    span = max(x1 - x0, y1 - y0, 1.0)
    if margin is None:
        margin = max(0.15 * span, 10_000.0)
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    # fit the figure's aspect ratio of the map panel
    aspect = (spec.size[1] * _AX_RECT[3]) / (spec.size[0] * _AX_RECT[2])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w_, h_ = x1 - x0, y1 - y0
    if h_ / w_ < aspect:
        h_ = w_ * aspect
    else:
        w_ = h_ / aspect
    x0, x1, y0, y1 = cx - w_ / 2, cx + w_ / 2, cy - h_ / 2, cy + h_ / 2
    inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon0, lat0 = inv.transform(cx, cy)
    return crs, tr, (x0, y0, x1, y1), (float(lon0), float(lat0))


def _lonlat_extent(geoms) -> tuple:
    """(west, south, east, north) of lon/lat geometries, the shortest way round.

    The longitude interval is the complement of the largest gap between the
    data's longitudes, so data on both sides of the antimeridian gives
    ``west > east`` (e.g. 179.5, ..., -179.5) instead of the whole globe.

    Examples
    --------
    >>> w, s, e, n = _lonlat_extent([shapely.Point(179.9, -17), shapely.Point(-179.8, -16.5)])
    >>> round(w, 6), s, round(e, 6), n
    (179.9, -17.0, -179.8, -16.5)
    >>> _lonlat_extent([shapely.Point(38, 33), shapely.Point(41, 35)])
    (38.0, 33.0, 41.0, 35.0)
    """
    xy = shapely.get_coordinates(geoms)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        raise GeoconflictError("nothing to draw: the geometries have no coordinates")
    lon = np.unique(((xy[:, 0] + 180.0) % 360.0) - 180.0)
    s, n = float(xy[:, 1].min()), float(xy[:, 1].max())
    if len(lon) == 1:
        return float(lon[0]), s, float(lon[0]), n
    gaps = np.diff(np.concatenate([lon, [lon[0] + 360.0]]))
    k = int(np.argmax(gaps))
    if k == len(lon) - 1:  # the largest gap is across the antimeridian: no crossing
        return float(lon[0]), s, float(lon[-1]), n
    return float(lon[k + 1]), s, float(lon[k]), n


def _clip_world(records: list, bbox_ll) -> list:
    """Clip boundary records to a lon/lat box (before projecting)."""
    if not records:
        return []
    box = shapely.box(*bbox_ll)
    geoms = np.asarray([r[2] for r in records], dtype=object)
    hit = shapely.intersects(geoms, box)
    out = []
    for (name, code, _), g, h in zip(records, geoms, hit):
        if h:
            out.append((name, code, shapely.intersection(g, box)))
    return out


def _ll_bbox(tr_inv, bounds, pad: float = 0.5) -> tuple:
    x0, y0, x1, y1 = bounds
    xs = np.linspace(x0, x1, 21)
    ys = np.linspace(y0, y1, 21)
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = tr_inv.transform(gx.ravel(), gy.ravel())
    dl = pad * (max(lon) - min(lon))
    dp = pad * (max(lat) - min(lat))
    return (
        max(min(lon) - dl, -180.0),
        max(min(lat) - dp, -89.9),
        min(max(lon) + dl, 180.0),
        min(max(lat) + dp, 89.9),
    )


class _Labeler:
    """Greedy, collision-free label placement in display space."""

    OFFSETS = (
        (6, 4),
        (6, -10),
        (-6, 4),
        (-6, -10),
        (0, 9),
        (0, -15),
        (10, -3),
        (-10, -3),
        (14, 14),
        (14, -22),
        (-14, 14),
        (-14, -22),
        (0, 22),
        (0, -28),
    )

    def __init__(self, fig, ax, renderer):
        self.fig, self.ax, self.renderer = fig, ax, renderer
        self.boxes: list = []
        self.placed: list = []
        self.label_boxes: list = []
        self.dropped: list = []
        self.frame = ax.get_window_extent(renderer)

    def block(self, x, y, radius_px=5.0):
        px, py = self.ax.transData.transform((x, y))
        from matplotlib.transforms import Bbox

        self.boxes.append(
            Bbox.from_extents(
                px - radius_px, py - radius_px, px + radius_px, py + radius_px
            )
        )

    def block_artist(self, artist):
        self.boxes.append(artist.get_window_extent(self.renderer).expanded(1.02, 1.05))

    def place(self, x, y, text, *, offsets=None, **style):
        from matplotlib.transforms import offset_copy

        for dx, dy in offsets or self.OFFSETS:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            trans = offset_copy(
                self.ax.transData, fig=self.fig, x=dx, y=dy, units="points"
            )
            t = self.ax.text(
                x, y, text, transform=trans, ha=ha, va="bottom", zorder=20, **style
            )
            bb = t.get_window_extent(self.renderer).expanded(1.04, 1.1)
            inside = (
                bb.x0 >= self.frame.x0
                and bb.x1 <= self.frame.x1
                and bb.y0 >= self.frame.y0
                and bb.y1 <= self.frame.y1
            )
            if inside and not any(bb.overlaps(o) for o in self.boxes):
                self.boxes.append(bb)
                self.label_boxes.append(bb)
                self.placed.append(text)
                return t
            t.remove()
        self.dropped.append(text)
        return None


def _credits(spec: MapSpec, used: dict) -> list:
    """Credit lines: data (boundaries, places, OSM), event sources, extra credits, notes."""
    for f in spec.sites:
        text = " ".join(
            str(f.properties.get(k) or "") for k in ("source", "method", "place_source")
        )
        if "geonames" in text.lower() or "gazetteer" in text.lower():
            used["geonames"] = True
    for f in spec.lines + spec.zones:
        if str(f.properties.get("dataset") or "").lower() == "osm":
            used["osm"] = True
    data = []
    if used.get("boundaries"):
        data.append("Boundaries: Natural Earth (public domain)")
    if used.get("osm"):
        data.append("Border: © OpenStreetMap contributors (ODbL)")
    if used.get("geonames"):
        data.append("Places: GeoNames (CC BY 4.0)")
    data.append("Map: geoconflict, distances geodesic on WGS84")
    lines = [" · ".join(data)]
    sources = []
    for f in spec.sites:
        for key in ("source", "sources"):
            v = f.properties.get(key)
            if v:
                for s in str(v).split(";"):
                    s = s.strip()
                    if s and s not in sources and s != "given":
                        sources.append(s)
    if sources:
        lines.append(
            "Sources: " + "; ".join(sources[:8]) + ("; …" if len(sources) > 8 else "")
        )
    lines.extend(spec.credits)
    lines.extend(spec.notes)
    return lines


def render(
    spec: MapSpec, path: Union[str, os.PathLike], *, fmt: Optional[str] = None
) -> RenderResult:
    """Draw `spec` to `path` (.png, .svg, .pdf or .html).

    Parameters
    ----------
    spec : MapSpec
        What to draw (lon/lat degrees, meters).
    path : str or path-like
        Output file; its extension chooses the format unless `fmt` is given.
    fmt : {"png", "svg", "pdf", "html"}, optional
        Output format.

    Returns
    -------
    RenderResult
        The path and what was drawn (projection, scale bar, labels).

    Examples
    --------
    >>> import tempfile
    >>> spec = MapSpec(title="Example")
    >>> spec.sites.append(Feature(shapely.Point(40.92, 34.45), {"name": "Abu Kamal"}))
    >>> res = render(spec, Path(tempfile.mkdtemp()) / "m.svg")
    >>> res.path.stat().st_size > 1000, res.crs.coordinate_operation.method_name
    (True, 'Lambert Conic Conformal (2SP)')
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise GeoconflictError(
            f"cannot write a map as {path.name!r}: use a .png, .svg, .pdf or .html file name"
        )
    if not path.parent.exists():
        raise GeoconflictError(
            f"cannot write {path}: the folder {path.parent} does not exist; create it first"
        )
    if fmt == "html":
        return render_html(spec, path)
    import warnings

    from geoconflict._compat import import_optional_dependency

    with warnings.catch_warnings():
        # a system matplotlib beside the venv's one warns about mpl_toolkits
        warnings.filterwarnings("ignore", message="Unable to import Axes3D")
        mpl = import_optional_dependency("matplotlib", "drawing maps")
        import matplotlib.figure  # noqa: F401
    with mpl.rc_context(
        {
            "svg.hashsalt": "geoconflict",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "font.family": "DejaVu Sans",
            "hatch.linewidth": 0.6,
            "axes.unicode_minus": False,
        }
    ):
        return _render_static(spec, path, fmt)


def _render_static(spec: MapSpec, path: Path, fmt: str) -> RenderResult:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    ring_feats = []
    for s in spec.sites:
        if spec.ring_radii_m:
            ring_feats.extend(
                ring_features(
                    s.geometry.x,
                    s.geometry.y,
                    spec.ring_radii_m,
                    label=s.name if len(spec.sites) > 1 else "",
                )
            )
    crs, tr, bounds, (lon0, lat0) = _view(spec, ring_feats)
    tr_inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    x0, y0, x1, y1 = bounds
    used: dict = {}

    fig = Figure(figsize=spec.size, dpi=spec.dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(_AX_RECT)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(_SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_linewidth(0.8)
        sp.set_color("#333333")

    legend_handles: list = []
    drawn_layers: set = set()
    disputed_labels: list = []
    bbox_ll = _ll_bbox(tr_inv, bounds)
    layers = _boundary_layers(spec, bbox_ll)
    view_box = shapely.box(x0, y0, x1, y1)
    px_tol = (x1 - x0) / (spec.size[0] * spec.dpi) / 2.0
    country_labels = []
    countries = _clip_world(layers.get("countries", []), bbox_ll)
    if countries:
        used["boundaries"] = True
        proj = _simplify(_project([c[2] for c in countries], tr, 5000.0), px_tol)
        _patches(
            ax, proj, facecolors=_LAND, edgecolors=_BORDER, linewidths=0.8, zorder=1
        )
        drawn_layers.add("countries")
        for (name, code, _), g in zip(countries, proj):
            vis = shapely.intersection(g, view_box)
            if not vis.is_empty and vis.area > 0.02 * view_box.area:
                pt = shapely.point_on_surface(vis)
                country_labels.append((pt.x, pt.y, (name or code).upper()))
    else:
        ax.set_facecolor(_LAND)
    provinces = _clip_world(layers.get("provinces", []), bbox_ll)
    if provinces:
        proj = _simplify(_project([c[2] for c in provinces], tr, 5000.0), px_tol)
        segs = [s for g in proj for s in _lines_of(g)]
        ax.add_collection(
            LineCollection(
                segs, colors="#a9a9a9", linewidths=0.4, linestyles=(0, (3, 2)), zorder=2
            )
        )
        drawn_layers.add("provinces")
    disputed = _clip_world(layers.get("disputed", []), bbox_ll)
    if disputed:
        proj = _simplify(_project([c[2] for c in disputed], tr, 2000.0), px_tol)
        drawn = _patches(ax, proj, facecolors="none", edgecolors=_DISPUTED, hatch="////",
                         linewidths=0.6, zorder=3) is not None  # fmt: skip
        for (name, _code, _), g in zip(disputed, proj):
            vis = shapely.intersection(g, view_box)
            if name and not vis.is_empty and vis.area > 0.003 * view_box.area:
                pt = shapely.point_on_surface(vis)
                disputed_labels.append((pt.x, pt.y, name))
        if drawn:
            drawn_layers.add("disputed")
            legend_handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=_DISPUTED,
                    hatch="////",
                    label="Disputed area",
                )
            )

    # zones (translucent)
    if spec.zones:
        proj = _project([f.geometry for f in spec.zones], tr)
        drawn_zones = _patches(ax, proj, facecolors=_ZONE, edgecolors=_ZONE, alpha=0.28,
                               linewidths=0.8, zorder=4)  # fmt: skip
        labels = sorted(
            {str(f.properties.get("label") or f.name or "Zone") for f in spec.zones}
        )
        if drawn_zones is None:
            labels = []
        for lab in labels:
            legend_handles.append(
                Patch(facecolor=_ZONE, edgecolor=_ZONE, alpha=0.28, label=lab)
            )
    # lines (borders of interest)
    if spec.lines:
        proj = _project([f.geometry for f in spec.lines], tr)
        segs = [s for g in proj for s in _lines_of(g)]
        ax.add_collection(
            LineCollection(segs, colors=_HIGHLIGHT, linewidths=1.8, zorder=5)
        )
        labels = sorted(
            {str(f.properties.get("label") or f.name or "Line") for f in spec.lines}
        )
        for lab in labels:
            legend_handles.append(
                Line2D([], [], color=_HIGHLIGHT, linewidth=1.8, label=lab)
            )
    # rings and fans
    all_rings = spec.rings + ring_feats
    ring_label_anchors = []
    if all_rings:
        proj = _project([f.geometry for f in all_rings], tr)
        for f, g in zip(all_rings, proj):
            if g.geom_type.endswith("Polygon"):
                _patches(
                    ax, [g], facecolors=_RING, alpha=0.06, edgecolors="none", zorder=4
                )
            segs = _lines_of(g)
            ax.add_collection(
                LineCollection(
                    segs, colors=_RING, linewidths=0.9, linestyles=(0, (5, 3)), zorder=6
                )
            )
            label = str(f.properties.get("label") or "")
            if label and segs:
                # label at the ring's northernmost visible vertex
                xy = np.concatenate(segs)
                ok = (
                    (xy[:, 0] > x0)
                    & (xy[:, 0] < x1)
                    & (xy[:, 1] > y0)
                    & (xy[:, 1] < y1)
                )
                if ok.any():
                    k = np.argmax(np.where(ok, xy[:, 1], -np.inf))
                    ring_label_anchors.append((xy[k, 0], xy[k, 1], label))
        legend_handles.append(
            Line2D(
                [],
                [],
                color=_RING,
                linewidth=0.9,
                linestyle=(0, (5, 3)),
                label="Range (geodesic)",
            )
        )

    # sites
    site_xy = np.empty((0, 2))
    if spec.sites:
        pts = _project([f.geometry for f in spec.sites], tr)
        true_xy = shapely.get_coordinates(np.asarray(pts, dtype=object))
        site_xy = _displace(true_xy, 0.004 * (x1 - x0), 0.014 * (x1 - x0))
        moved = np.any(site_xy != true_xy, axis=1)
        if moved.any():
            segs = [np.array([t, d]) for t, d in zip(true_xy[moved], site_xy[moved])]
            ax.add_collection(
                LineCollection(segs, colors="#555555", linewidths=0.6, zorder=9)
            )
            ax.plot(
                true_xy[moved, 0],
                true_xy[moved, 1],
                "o",
                color="black",
                markersize=2.5,
                zorder=11,
            )
        seen_markers, seen_status = {}, {}
        for f, (x, y) in zip(spec.sites, site_xy):
            m, mname = _marker(f.properties)
            st = _status(f.properties)
            color = (
                "#333333" if mname == "reference facility" else ATTRIBUTION_COLORS[st]
            )
            ax.plot(
                [x], [y], marker=m, markersize=9 if m != "*" else 12, color=color,
                markeredgecolor="white", markeredgewidth=0.9, linestyle="none", zorder=10,
            )  # fmt: skip
            if mname == "reference facility":
                seen_markers.setdefault(mname, m)
                continue
            seen_markers.setdefault(mname, m)
            seen_status.setdefault(st, True)
        for mname, m in seen_markers.items():
            legend_handles.append(
                Line2D(
                    [],
                    [],
                    marker=m,
                    color="#444444",
                    linestyle="none",
                    markersize=7,
                    label=mname.capitalize(),
                )
            )
        for st in ATTRIBUTION_COLORS:
            if st in seen_status:
                legend_handles.append(
                    Line2D([], [], marker="o", color=ATTRIBUTION_COLORS[st], linestyle="none", markersize=7,
                           label=f"Attribution: {st}")
                )  # fmt: skip

    # title block and credits
    fig.text(
        0.03,
        0.955,
        spec.title or "",
        fontsize=15,
        fontweight="bold",
        ha="left",
        va="center",
    )
    sub = " — ".join(t for t in (spec.subtitle, spec.date) if t)
    fig.text(0.03, 0.915, sub, fontsize=10, color="#444444", ha="left", va="center")
    credit_lines = _credits(spec, used)
    import textwrap

    n_notes = len(spec.notes)
    left = credit_lines[: len(credit_lines) - n_notes]
    right = credit_lines[len(credit_lines) - n_notes :]
    width_chars = int(spec.size[0] * (11 if right else 22))
    left_text = "\n".join(t for c in left for t in textwrap.wrap(c, width_chars))
    fig.text(
        0.03, 0.055, left_text, fontsize=6.5, color="#555555", ha="left", va="center"
    )
    if right:
        right_text = "\n".join(
            t for c in right for t in textwrap.wrap(c, int(spec.size[0] * 6))
        )
        fig.text(0.97, 0.055, right_text, fontsize=6.5, color="#555555", ha="right", va="center",
                 multialignment="left")  # fmt: skip

    # furniture: scale bar (true at the centre), north arrow, legend, inset
    k = scale_factor(crs, lon0, lat0)
    ground_w = (x1 - x0) / k
    L = _nice_length(ground_w / 5)
    bar = L * k
    renderer = fig.canvas.get_renderer()
    lab = _Labeler(fig, ax, renderer)
    if spec.scale_bar:
        bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
        hgt = 0.012 * (y1 - y0)
        for i in range(4):
            ax.add_patch(
                Rectangle((bx + i * bar / 4, by), bar / 4, hgt, facecolor="black" if i % 2 == 0 else "white",
                          edgecolor="black", linewidth=0.6, zorder=15)
            )  # fmt: skip
        for frac, txt in ((0, "0"), (0.5, format_length(L / 2)), (1, format_length(L))):
            t = ax.text(
                bx + frac * bar,
                by + 1.6 * hgt,
                txt,
                ha="center",
                va="bottom",
                fontsize=7,
                zorder=15,
                bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 1},
            )
            lab.block_artist(t)
        ns, ew = ("N" if lat0 >= 0 else "S"), ("E" if lon0 >= 0 else "W")
        where = f"{abs(lat0):.2f}°{ns}, {abs(lon0):.2f}°{ew}"
        t = ax.text(bx, by - 0.8 * hgt, f"Scale true at map centre ({where})", ha="left", va="top",
                    fontsize=6, color="#333333", zorder=15,
                    bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 1})  # fmt: skip
        lab.block_artist(t)
        lab.boxes.append(ax.transData.transform_bbox(
            __import__("matplotlib.transforms", fromlist=["Bbox"]).Bbox.from_extents(bx, by, bx + bar, by + 2.5 * hgt)))  # fmt: skip
    # true north at the centre: projected direction of the meridian
    angle = north_angle(crs, lon0, lat0)  # clockwise from map up
    if spec.north_arrow:
        ax0, ay0 = 0.06, 0.83
        ln = 0.09
        dx, dy = math.sin(math.radians(angle)) * ln, math.cos(math.radians(angle)) * ln
        ax_ratio = (y1 - y0) / (x1 - x0)
        ann = ax.annotate(
            "", xy=(ax0 + dx * ax_ratio, ay0 + dy), xytext=(ax0, ay0), xycoords="axes fraction",
            arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": "black", "lw": 1.4}, zorder=16,
        )  # fmt: skip
        t = ax.text(ax0 + dx * ax_ratio * 1.2, ay0 + dy * 1.2 + 0.01, "N", transform=ax.transAxes, ha="center",
                    va="bottom", fontsize=11, fontweight="bold", zorder=16)  # fmt: skip
        from matplotlib.transforms import Bbox

        group = Bbox.union(
            [ann.get_window_extent(renderer), t.get_window_extent(renderer)]
        )
        lab.boxes.append(group.expanded(1.6, 1.15))
    if spec.legend and legend_handles:
        leg = ax.legend(
            handles=legend_handles,
            loc="lower right",
            fontsize=7,
            framealpha=0.92,
            edgecolor="#999999",
        )
        leg.set_zorder(30)
        lab.block_artist(leg)
    inset_info = None
    if spec.inset and countries:
        inset_info = _draw_inset(fig, ax, layers, (lon0, lat0), bounds, tr_inv, crs)
        if inset_info is not None:
            drawn_layers.add("inset")
            lab.boxes.append(inset_info.get_window_extent(renderer))

    # labels: sites first, then rings, then countries
    for x, y in site_xy:
        lab.block(x, y, 6)
    for f, (x, y) in zip(spec.sites, site_xy):
        if f.name:
            lab.place(x, y, f.name, fontsize=8.5, color="#111111",
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})  # fmt: skip
    for x, y, text in ring_label_anchors:
        lab.place(x, y, text, offsets=((0, 2), (0, -12), (8, -4), (-8, -4)), fontsize=7, color=_RING,
                  style="italic")  # fmt: skip
    for x, y, text in disputed_labels:
        lab.place(x, y, text, offsets=((0, -4), (0, 10), (0, -18), (20, -4), (-20, -4)), fontsize=7,
                  color=_DISPUTED, style="italic")  # fmt: skip
    for x, y, text in country_labels:
        lab.place(x, y, text, offsets=((0, 0), (0, 20), (0, -20), (30, 0), (-30, 0)), fontsize=9,
                  color="#8a8a8a", fontweight="bold")  # fmt: skip

    meta = {
        "svg": {"Date": None, "Creator": "geoconflict"},
        "pdf": {
            "CreationDate": None,
            "ModDate": None,
            "Creator": "geoconflict",
            "Producer": "geoconflict",
        },
        "png": {"Software": "geoconflict"},
    }[fmt]
    fig.savefig(path, format=fmt, dpi=spec.dpi, metadata=meta)
    bb = ax.get_window_extent(renderer)
    return RenderResult(
        path=path,
        crs=crs,
        center=(lon0, lat0),
        scale_length_m=L,
        scale_bar_map_length=bar,
        north_angle_deg=angle,
        placed_labels=list(lab.placed),
        dropped_labels=list(lab.dropped),
        credits=credit_lines,
        bounds=(x0, y0, x1, y1),
        axes_px=(bb.x0, bb.y0, bb.x1, bb.y1),
        size_px=(fig.bbox.width, fig.bbox.height),
        label_boxes=[tuple(b.extents) for b in lab.label_boxes],
        layers=sorted(drawn_layers),
    )


def _draw_inset(fig, ax, layers, center, bounds, tr_inv, crs):
    """Locator map: the surroundings (about 8 times the map's span) with the map's frame."""
    x0, y0, x1, y1 = bounds
    span = max(x1 - x0, y1 - y0) * 4
    lon0, lat0 = center
    icrs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
    )
    itr = _transformer(icrs)
    ibox = shapely.box(-span, -span, span, span)
    inv = pyproj.Transformer.from_crs(icrs, "EPSG:4326", always_xy=True)
    ll = _ll_bbox(inv, (-span, -span, span, span), pad=0.2)
    recs = _clip_world(layers.get("countries", []), ll)
    if not recs:
        return None
    iax = fig.add_axes((0.755, 0.655, 0.2, 0.2))
    iax.set_xlim(-span, span)
    iax.set_ylim(-span, span)
    iax.set_aspect("equal")
    iax.set_xticks([])
    iax.set_yticks([])
    iax.set_facecolor(_SEA)
    proj = _project([r[2] for r in recs], itr, 20_000.0)
    proj = _simplify(
        shapely.intersection(np.asarray(proj, dtype=object), ibox), span / 300
    )
    _patches(iax, proj, facecolors=_LAND, edgecolors=_BORDER, linewidths=0.4)
    # the main map's frame, through lon/lat
    frame = shapely.box(x0, y0, x1, y1).exterior
    pts = np.asarray(frame.segmentize((x1 - x0) / 40).coords)
    lon, lat = tr_inv.transform(pts[:, 0], pts[:, 1])
    fx, fy = itr.transform(lon, lat)
    iax.plot(fx, fy, color="#d7191c", linewidth=1.2)
    for sp in iax.spines.values():
        sp.set_linewidth(0.8)
    iax.set_zorder(40)
    return iax


def _event_key(f: Feature, key: str) -> str:
    if key == "feature":
        return f.name or ""
    for k in ("event_id", "event", "id"):
        v = f.properties.get(k)
        if v not in (None, ""):
            return str(v)
    return f.name or ""


def render_each(
    spec: MapSpec,
    out: Union[str, os.PathLike],
    *,
    key: str = "event",
    fmt: str = "png",
    progress: Optional[Callable] = None,
) -> list:
    """Write one map per event (sites grouped by ``event_id``) into folder `out`.

    `out` may also be a pattern containing ``{event}``, e.g. ``maps/{event}.svg``.
    Zones, rings and lines are drawn on every map; the extent fits each event.

    Returns
    -------
    list of RenderResult
    """
    groups: dict = {}
    for f in spec.sites:
        groups.setdefault(_event_key(f, key), []).append(f)
    if not groups:
        raise GeoconflictError("--each: no sites to split into maps")
    out = str(out)
    results = []
    items = sorted(groups.items())
    stems = _each_names(groups)
    for name, sites in progress(items) if progress else items:
        sub = copy.copy(spec)
        sub.sites = sites
        if not spec.title:
            sub.title = str(sites[0].properties.get("title") or name)
        if "{event}" in out:
            path = Path(out.replace("{event}", stems[str(name)]))
        else:
            path = Path(out) / f"{stems[str(name)]}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        results.append(render(sub, path))
    return results


# --------------------------------------------------------------------------------------
# Interactive HTML (Leaflet, offline)
# --------------------------------------------------------------------------------------


def _vendor(name: str) -> str:
    from importlib.resources import files

    return (
        files("geoconflict")
        .joinpath("_vendor", "leaflet", name)
        .read_text(encoding="utf-8")
    )


def _fc(feats: list, simplify: float = 0.0) -> dict:
    from shapely.geometry import mapping

    out = []
    for f in feats:
        g = f.geometry
        if g is None or g.is_empty:
            continue
        if not np.isfinite(shapely.get_coordinates(g)).all():
            raise GeoconflictError(
                f"feature {f.name or '(unnamed)'!r} has a coordinate that is NaN or "
                "infinite; give every vertex a finite (lon, lat) in degrees"
            )
        if simplify:
            g = shapely.simplify(g, simplify, preserve_topology=True)
        props = {}
        for k, v in f.properties.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            props[str(k)] = (
                v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
            )
        out.append({"type": "Feature", "geometry": mapping(g), "properties": props})
    return {"type": "FeatureCollection", "features": out}


# Everything that comes from the data (names, property keys and values, sources,
# title, credits, legend labels) reaches the page only as JSON inside
# <script type="application/json"> (see _json_for_html) and is put into the DOM by
# the script as text (textContent, text nodes); the one Leaflet API that takes
# HTML (the layer names of L.control.layers) gets esc().  The only other
# formatted field is <title>, passed through html.escape.
_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="geoconflict">
<title>{title}</title>
<style>{leaflet_css}</style>
<style>
html, body {{ margin: 0; height: 100%; font-family: sans-serif; }}
#map {{ position: absolute; top: 0; bottom: 0; left: 0; right: 0; background: {sea}; }}
.gc-title {{ background: rgba(255,255,255,0.9); padding: 6px 10px; border-radius: 4px; }}
.gc-title h1 {{ font-size: 16px; margin: 0; }}
.gc-title p {{ font-size: 12px; margin: 2px 0 0; color: #444; }}
.gc-legend {{ background: rgba(255,255,255,0.9); padding: 6px 8px; font-size: 12px; line-height: 18px; border-radius: 4px; }}
.gc-legend i {{ display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin-right: 5px; vertical-align: -1px; }}
.gc-credits {{ max-width: 60vw; }}
</style>
</head>
<body>
<div id="map"></div>
<script>
window.gcErrors = [];
function gcNote() {{ document.documentElement.setAttribute("data-gc-errors", JSON.stringify(window.gcErrors)); }}
window.addEventListener("error", function (e) {{ window.gcErrors.push(String(e.message)); gcNote(); }});
(function () {{ var ce = console.error; console.error = function () {{
  window.gcErrors.push(Array.prototype.join.call(arguments, " ")); gcNote(); ce.apply(console, arguments); }}; }})();
gcNote();
</script>
<script>{leaflet_js}</script>
<script type="application/json" id="gc-data">{data}</script>
<script>
var PAGE = JSON.parse(document.getElementById("gc-data").textContent);
var DATA = PAGE.layers, COLORS = PAGE.colors, STYLE = PAGE.style;
function el(tag, cls, text) {{
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}}
function esc(s) {{
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}}
function valueNode(v) {{
  var s = String(v);
  if (/^https?:\\/\\/\\S+$/i.test(s)) {{
    var a = el("a", null, s); a.href = s; a.target = "_blank"; a.rel = "noopener noreferrer"; return a;
  }}
  return document.createTextNode(s);
}}
var map = L.map("map", {{ preferCanvas: false, attributionControl: false, zoomSnap: 0.25 }});
var overlays = {{}}, rendered = {{}};
function add(name, fc, opts, base) {{
  if (!fc || !fc.features.length) return null;
  var layer = L.geoJSON(fc, opts).addTo(map);
  rendered[name] = fc.features.length;
  if (!base) overlays[esc(name)] = layer;
  return layer;
}}
function popup(f, layer) {{
  var p = f.properties || {{}};
  var keys = Object.keys(p).filter(function (k) {{ return p[k] !== null && p[k] !== ""; }});
  if (!keys.length) return;
  layer.bindPopup(function () {{
    var d = el("div", "gc-popup");
    keys.forEach(function (k) {{
      var row = el("div");
      row.appendChild(el("b", null, k));
      row.appendChild(document.createTextNode(": "));
      row.appendChild(valueNode(p[k]));
      d.appendChild(row);
    }});
    return d;
  }});
}}
function tooltip(f, layer) {{
  var name = f.properties && f.properties.name;
  if (name === null || name === undefined || name === "") return;
  layer.bindTooltip(function () {{ return el("span", "gc-name", name); }},
    {{ permanent: true, direction: "right", offset: [8, 0] }});
}}
add("Countries", DATA.countries, {{ style: {{ color: STYLE.border, weight: 1, fillColor: STYLE.land, fillOpacity: 1 }},
  onEachFeature: popup }}, true);
add("Provinces", DATA.provinces, {{ style: {{ color: "#999", weight: 0.6, dashArray: "3 3", fill: false }} }});
add("Disputed areas", DATA.disputed, {{ style: {{ color: STYLE.disputed, weight: 1.2, dashArray: "4 3", fillColor: STYLE.disputed, fillOpacity: 0.15 }}, onEachFeature: popup }});
add("Zones", DATA.zones, {{ style: {{ color: STYLE.zone, weight: 1, fillColor: STYLE.zone, fillOpacity: 0.3 }}, onEachFeature: popup }});
add("Borders", DATA.lines, {{ style: {{ color: STYLE.highlight, weight: 3 }}, onEachFeature: popup }});
add("Ranges", DATA.rings, {{ style: {{ color: STYLE.ring, weight: 1.5, dashArray: "6 4", fillOpacity: 0.05 }}, onEachFeature: popup }});
add("Sites", DATA.sites, {{
  pointToLayer: function (f, ll) {{
    var s = String(f.properties.attribution_status || "unknown").toLowerCase();
    var c = Object.prototype.hasOwnProperty.call(COLORS, s) ? COLORS[s] : COLORS.unknown;
    return L.circleMarker(ll, {{ radius: 7, color: "#fff", weight: 1.5, fillColor: c, fillOpacity: 1 }});
  }},
  onEachFeature: function (f, layer) {{ popup(f, layer); tooltip(f, layer); }}
}});
L.control.layers(null, overlays, {{ collapsed: false }}).addTo(map);
L.control.scale({{ metric: true, imperial: false }}).addTo(map);
var credits = L.control({{ position: "bottomright" }});
credits.onAdd = function () {{
  var d = el("div", "leaflet-control-attribution gc-credits");
  PAGE.credits.forEach(function (c) {{ d.appendChild(el("div", null, c)); }});
  return d; }};
credits.addTo(map);
var title = L.control({{ position: "topleft" }});
title.onAdd = function () {{
  var d = el("div", "gc-title");
  d.appendChild(el("h1", null, PAGE.title));
  if (PAGE.subtitle) d.appendChild(el("p", null, PAGE.subtitle));
  return d; }};
title.addTo(map);
var legend = L.control({{ position: "bottomright" }});
legend.onAdd = function () {{
  var d = el("div", "gc-legend");
  d.appendChild(el("b", null, "Attribution"));
  Object.keys(COLORS).forEach(function (k) {{
    var row = el("div"), sw = el("i");
    sw.style.background = COLORS[k];
    row.appendChild(sw); row.appendChild(document.createTextNode(k)); d.appendChild(row);
  }});
  return d; }};
legend.addTo(map);
map.fitBounds(L.latLngBounds(PAGE.bounds));
document.body.setAttribute("data-gc-layers", JSON.stringify(rendered));
document.body.setAttribute("data-gc-ready", "1");
</script>
</body>
</html>
"""

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _json_for_html(obj) -> str:
    r"""`obj` as JSON text safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where the escapes
    ``\u003c``, ``\u003e`` and ``\u0026`` mean the same characters to
    ``JSON.parse``; without them the HTML parser could see ``</script>`` or
    ``<!--`` in the data and leave the script element early.
    """
    text = json.dumps(
        obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    )
    return re.sub("[<>&]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def render_html(spec: MapSpec, path: Union[str, os.PathLike]) -> RenderResult:
    """Write a self-contained interactive map (Leaflet inlined; no tile server, works offline).

    The bundled boundaries are the base layer; sites, zones, ranges and borders
    are overlays with popups.  Coordinates (lon, lat) degrees WGS84.

    Examples
    --------
    >>> import tempfile
    >>> spec = MapSpec(title="Example")
    >>> spec.sites.append(Feature(shapely.Point(40.92, 34.45), {"name": "Abu Kamal"}))
    >>> res = render_html(spec, Path(tempfile.mkdtemp()) / "m.html")
    >>> "L.map(" in res.path.read_text()
    True
    """
    path = Path(path)
    ring_feats = []
    for s in spec.sites:
        if spec.ring_radii_m:
            ring_feats.extend(
                ring_features(s.geometry.x, s.geometry.y, spec.ring_radii_m)
            )
    crs, _tr, bounds, (lon0, lat0) = _view(spec, ring_feats)
    tr_inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    bbox_ll = _ll_bbox(tr_inv, bounds, pad=1.0)
    layers = _boundary_layers(spec, bbox_ll)
    used = {}

    def recs(key):
        return [
            Feature(g, {"name": n, "code": c})
            for n, c, g in _clip_world(layers.get(key, []), bbox_ll)
        ]

    data = {
        "countries": _fc(recs("countries"), 0.005),
        "provinces": _fc(recs("provinces"), 0.005),
        "disputed": _fc(recs("disputed")),
        "zones": _fc(spec.zones),
        "lines": _fc(spec.lines),
        "rings": _fc(spec.rings + ring_feats),
        "sites": _fc(spec.sites),
    }
    if data["countries"]["features"]:
        used["boundaries"] = True
    lon_, lat_ = tr_inv.transform(
        np.array([bounds[0], bounds[2], bounds[0], bounds[2]]),
        np.array([bounds[1], bounds[1], bounds[3], bounds[3]]),
    )
    lbounds = [
        [float(min(lat_)), float(min(lon_))],
        [float(max(lat_)), float(max(lon_))],
    ]
    credit_lines = _credits(spec, used)
    page = {
        "layers": data,
        "colors": ATTRIBUTION_COLORS,
        "style": {
            "land": _LAND,
            "border": _BORDER,
            "disputed": _DISPUTED,
            "zone": _ZONE,
            "highlight": _HIGHLIGHT,
            "ring": _RING,
        },
        "title": spec.title or "geoconflict map",
        "subtitle": " — ".join(t for t in (spec.subtitle, spec.date) if t),
        "credits": credit_lines,
        "bounds": lbounds,
    }
    text = _HTML.format(
        title=_html.escape(spec.title or "geoconflict map"),
        leaflet_css=_vendor("leaflet.css"),
        leaflet_js=_vendor("leaflet.js"),
        data=_json_for_html(page),
        sea=_SEA,
    )
    path.write_text(text, encoding="utf-8")
    return RenderResult(
        path=path,
        crs=crs,
        center=(lon0, lat0),
        scale_length_m=float("nan"),
        scale_bar_map_length=float("nan"),
        north_angle_deg=0.0,
        placed_labels=[],
        dropped_labels=[],
        credits=credit_lines,
    )
