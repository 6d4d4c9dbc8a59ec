"""Reading and writing the CLI's inputs and outputs (no click, no geopandas here).

Inputs are files of features: GeoJSON (``.geojson``/``.json`` or ``-`` for
standard input), CSV with longitude/latitude columns found by name, or any vector
format that GDAL reads (GeoPackage, Shapefile, KML, through pyogrio, imported
lazily).  Outputs are tables (CSV, GeoJSON, Markdown) and feature collections.
GeoJSON is read and written by :mod:`geoconflict.io.geojson` (RFC 7946: written
cut at the antimeridian, exterior rings counterclockwise, no ``crs`` member;
files declaring another CRS are refused).

Coordinates are (lon, lat) degrees WGS84; distances in meters.  Every problem is
a :class:`~geoconflict.errors.DataFormatError` whose message names the file and
says what to try.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from geoconflict import _geom
from geoconflict._tables import csv_text, markdown_text
from geoconflict.errors import BoundaryNotFoundError, CoordinateError, DataFormatError
from geoconflict.geography.places import lookup
from geoconflict.io import geojson
from geoconflict.io.geojson import check_lonlat, lonlat_problem

__all__ = [
    "FORMATS",
    "Feature",
    "features_lonlat",
    "format_from_path",
    "lonlat_problem",
    "parse_lonlat",
    "read_features",
    "resolve_place",
    "stdin_as_file",
    "table_text",
    "write_features",
    "write_table",
]

#: table output formats
FORMATS = ("csv", "geojson", "markdown")

_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_deg", "longitude_deg")
_LAT_NAMES = ("lat", "latitude", "y", "lat_deg", "latitude_deg")
_GDAL_EXT = {".gpkg", ".shp", ".kml", ".fgb", ".gml", ".gpx", ".sqlite", ".zip"}


@dataclass
class Feature:
    """A geometry in lon/lat degrees (WGS84) with its properties."""

    geometry: Any
    properties: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The feature's name (``name``/``title``/``id`` property), or ``""``."""
        for key in ("name", "site_name", "title", "label", "id", "event_id"):
            value = self.properties.get(key)
            if value not in (None, ""):
                return str(value)
        return ""


def _read_bytes(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else None
        if data is None:
            data = sys.stdin.read().encode()
        return data
    if not os.path.exists(path):
        raise DataFormatError(
            "no such file; check the path (use '-' to read GeoJSON from standard input)",
            path=path,
        )
    if os.path.isdir(path):
        raise DataFormatError(
            "is a folder, not a file; give a file inside it", path=path
        )
    with open(path, "rb") as fh:
        return fh.read()


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in head or head[:4] in (b"\x89PNG", b"%PDF", b"PK\x03\x04")


def read_features(path: str, *, what: str = "input") -> list[Feature]:
    r"""Read a file of features in lon/lat degrees.

    Parameters
    ----------
    path : str
        A GeoJSON file, ``-`` (GeoJSON on standard input), a CSV file with
        longitude/latitude columns (``lon``/``lng``/``longitude``/``x`` and
        ``lat``/``latitude``/``y``), or a vector file GDAL reads (``.gpkg``,
        ``.shp``, ``.kml``; needs pyogrio).
    what : str
        What the file is for, used in messages (``"sites"``, ``"geometry"``).

    Returns
    -------
    list of Feature
        Geometries in lon/lat degrees (WGS84) with their properties.

    Raises
    ------
    DataFormatError
        Missing, empty or unreadable file, or a row with a bad coordinate.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = open(p, "w").write("name,lat,lon\nAbu Kamal,34.45226,40.91854\n")
    >>> f = read_features(p)[0]
    >>> f.name, f.geometry.x, f.geometry.y
    ('Abu Kamal', 40.91854, 34.45226)
    """
    ext = os.path.splitext(path)[1].lower() if path != "-" else ".geojson"
    if ext in _GDAL_EXT:
        return _read_gdal(path, what)
    data = _read_bytes(path)
    label = "standard input" if path == "-" else path
    if not data.strip():
        raise DataFormatError(
            f"the {what} file is empty; give a GeoJSON FeatureCollection or a CSV "
            "with lon/lat columns",
            path=label,
        )
    if _looks_binary(data):
        raise DataFormatError(
            f"is a binary file, not {what} in GeoJSON or CSV; convert it, or give a "
            ".gpkg/.shp/.kml file by its extension",
            path=label,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            f"is not UTF-8 text ({exc.reason} at byte {exc.start}); re-save it as UTF-8",
            path=label,
        ) from None
    stripped = text.lstrip()
    if ext == ".csv" or (ext not in (".geojson", ".json") and stripped[:1] not in "{["):
        return _read_csv(text, label, what)
    return _read_geojson(text, label, what)


def _read_geojson(text: str, label: str, what: str) -> list[Feature]:
    """Features of GeoJSON text, read by :func:`geoconflict.io.geojson.loads`."""
    fc = geojson.loads(text, path=label)
    out = [Feature(g, p) for g, p in zip(fc.geometry, fc.properties)]
    if not out:
        raise DataFormatError(
            f"has no features; give at least one {what[:-1] if what.endswith('s') else what}",
            path=label,
        )
    return out


def _find(names, wanted) -> Optional[str]:
    low = {n.strip().lower(): n for n in names if n is not None}
    for w in wanted:
        if w in low:
            return low[w]
    return None


def _read_csv(text: str, label: str, what: str) -> list[Feature]:
    reader = csv.DictReader(io.StringIO(text))
    names = reader.fieldnames or []
    lon_col, lat_col = _find(names, _LON_NAMES), _find(names, _LAT_NAMES)
    if lon_col is None or lat_col is None:
        shown = ", ".join(names[:8]) if names else "none"
        raise DataFormatError(
            f"is not a CSV of {what} with coordinates: no longitude/latitude columns "
            f"(found: {shown}); name them 'lon' and 'lat', or give GeoJSON",
            path=label,
        )
    out = []
    for i, row in enumerate(reader, start=1):
        values = []
        for col in (lon_col, lat_col):
            raw = (row.get(col) or "").strip()
            try:
                values.append(float(raw))
            except ValueError:
                raise DataFormatError(
                    "is not a number in decimal degrees; fix the value (e.g. 34.452)",
                    path=label,
                    row=i,
                    column=col,
                    value=raw,
                ) from None
        lon, lat = values
        problem = lonlat_problem(lon, lat)
        if problem is not None:
            raise DataFormatError(
                f"is not a point in lon/lat degrees ({problem}); fix the value and "
                "check that longitude and latitude are not swapped",
                path=label,
                row=i,
                column=f"{lon_col}/{lat_col}",
                value=f"{lon}, {lat}",
            )
        props = {
            k: v
            for k, v in row.items()
            if k not in (lon_col, lat_col) and k is not None
        }
        out.append(Feature(_geom.point(lon, lat), props))
    if not out:
        raise DataFormatError(
            f"has a header but no rows; add at least one row of {what}", path=label
        )
    return out


def _read_gdal(path: str, what: str) -> list[Feature]:
    if not os.path.exists(path):
        raise DataFormatError("no such file; check the path", path=path)
    if os.path.getsize(path) == 0:
        raise DataFormatError(f"the {what} file is empty", path=path)
    from geoconflict._compat import import_optional_dependency

    pyogrio = import_optional_dependency("pyogrio", f"reading {path}")
    try:
        table = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio/GDAL errors have several classes
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataFormatError(
            f"cannot be read as a vector file ({msg}); check that it is a valid "
            f"{os.path.splitext(path)[1]} file",
            path=path,
        ) from None
    if table.crs is not None and not table.crs.equals("EPSG:4326"):
        table = table.to_crs(4326)
    if len(table) == 0:
        raise DataFormatError(
            f"has no features; give at least one of the {what}", path=path
        )
    geoms = np.asarray(table.geometry.values)
    for i, g in enumerate(geoms, start=1):
        check_lonlat(g, path, i)
    props = table.drop(columns=table.geometry.name)
    records = props.to_dict("records")
    return [Feature(g, _plain(r)) for g, r in zip(geoms, records)]


def _plain(record: dict) -> dict:
    out = {}
    for k, v in record.items():
        if isinstance(v, (np.generic,)):
            v = v.item()
        if isinstance(v, float) and math.isnan(v):
            v = None
        out[str(k)] = (
            v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
        )
    return out


def features_lonlat(features: list[Feature], *, what: str = "input"):
    """Return (lon, lat) degree arrays of point features (WGS84).

    Other geometries use a representative point.  A feature without a geometry
    is an error (it would give blank distances), not a silent NaN.

    Examples
    --------
    >>> features_lonlat([Feature(_geom.point(1, 2))])
    (array([1.]), array([2.]))
    """
    lon = np.empty(len(features))
    lat = np.empty(len(features))
    for i, f in enumerate(features):
        g = f.geometry
        if g is None or g.is_empty:
            label = f" ({f.name})" if f.name else ""
            raise DataFormatError(
                f"feature {i + 1}{label} of the {what} has no geometry, so nothing "
                "can be measured from it; give it coordinates or remove it"
            )
        if g.geom_type != "Point":
            g = g.representative_point()
        lon[i], lat[i] = g.x, g.y
    return lon, lat


@contextlib.contextmanager
def stdin_as_file(path: str, *, what: str = "input"):
    """Yield `path`, or for ``-`` the path of a temporary copy of standard input.

    For readers that need a file name (GDAL, the event importers).  The copy is
    named ``stdin.geojson`` when the text starts like JSON, else ``stdin.csv``,
    and is removed afterwards.
    """
    if path != "-":
        yield path
        return
    import tempfile

    data = _read_bytes("-")
    if not data.strip():
        raise DataFormatError(
            f"standard input is empty; pipe a {what} file into '-', or give its path"
        )
    ext = ".geojson" if data.lstrip()[:1] in (b"{", b"[") else ".csv"
    with tempfile.TemporaryDirectory(prefix="geoconflict-") as tmp:
        name = os.path.join(tmp, "stdin" + ext)
        with open(name, "wb") as fh:
            fh.write(data)
        yield name


def format_from_path(path: Optional[str], default: str = "csv") -> str:
    """Choose a table format from an output file name.

    Examples
    --------
    >>> format_from_path("out/table.md"), format_from_path("-")
    ('markdown', 'csv')
    """
    if not path or path == "-":
        return default
    ext = os.path.splitext(path)[1].lower()
    return {
        ".md": "markdown",
        ".markdown": "markdown",
        ".geojson": "geojson",
        ".json": "geojson",
    }.get(ext, "csv")


def table_text(rows: list[dict], fmt: str, *, geometries=None, columns=None) -> str:
    """Render rows (dicts with the same keys) as CSV, GeoJSON or Markdown text.

    Parameters
    ----------
    rows : list of dict
        The table.
    fmt : {"csv", "geojson", "markdown"}
        Output format.
    geometries : sequence of shapely geometries, optional
        One per row, for GeoJSON (lon/lat degrees; written RFC 7946 by
        :func:`geoconflict.io.geojson.dumps`).
    columns : list of str, optional
        Column names to write first (so an empty table still has its header).

    Examples
    --------
    >>> print(table_text([{"a": 1, "b": 2.5}], "markdown"), end="")
    | a | b |
    | --- | --- |
    | 1 | 2.5 |
    """
    keys: list[str] = list(columns or [])
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    if fmt == "csv":
        return csv_text(rows, keys)
    if fmt == "markdown":
        return markdown_text(rows, keys)
    if fmt == "geojson":
        geoms = list(geometries) if geometries is not None else [None] * len(rows)
        return geojson.dumps(geoms, rows) + "\n"
    raise DataFormatError(
        f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}"
    )


def _emit(text: str, path: Optional[str]) -> None:
    if not path or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise DataFormatError(
            "cannot write here: the folder does not exist; create it first", path=path
        )
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def write_table(
    rows: list[dict],
    fmt: str,
    path: Optional[str] = None,
    *,
    geometries=None,
    columns=None,
) -> None:
    """Write a table to `path` (or standard output for None/``-``) in `fmt`."""
    _emit(table_text(rows, fmt, geometries=geometries, columns=columns), path)


def write_features(
    geometries, properties, path: Optional[str] = None, *, layer=None
) -> None:
    """Write features as GeoJSON (stdout or ``.geojson``) or GeoPackage (``.gpkg``).

    Geometries are shapely geometries in lon/lat degrees (EPSG:4326).  GeoJSON
    is written by :func:`geoconflict.io.geojson.dumps` (RFC 7946: cut at the
    antimeridian, exterior rings counterclockwise, no ``crs`` member).
    """
    if path and os.path.splitext(path)[1].lower() in _GDAL_EXT:
        from geoconflict._compat import import_optional_dependency

        gpd = import_optional_dependency("geopandas", f"writing {path}")
        props = [dict(p or {}) for p in properties]
        gdf = gpd.GeoDataFrame(props, geometry=list(geometries), crs="EPSG:4326")
        gdf.to_file(path, layer=layer or os.path.splitext(os.path.basename(path))[0])
        return
    _emit(geojson.dumps(list(geometries), list(properties)) + "\n", path)


def parse_lonlat(text: str) -> Optional[tuple[float, float]]:
    """Read ``"lon,lat"`` degrees (WGS84); None when `text` is not two numbers.

    Raises
    ------
    CoordinateError
        Two numbers that are not a point: NaN, infinite, or out of range.

    Examples
    --------
    >>> parse_lonlat("40.92, 34.45"), parse_lonlat("Abu Kamal")
    ((40.92, 34.45), None)
    """
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if len(parts) != 2:
        return None
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    problem = lonlat_problem(lon, lat)
    if problem is not None:
        raise CoordinateError(
            f"{text!r} is not a point: {problem}; give longitude first, then "
            "latitude, in degrees, e.g. '40.92,34.45'"
        )
    return lon, lat


def resolve_place(text: str) -> Feature:
    """Turn ``"lon,lat"`` or a place name into a point Feature.

    Place names are looked up in the gazetteer (:func:`geoconflict.geography.places.lookup`:
    curated sites, GeoNames, Natural Earth); the best candidate is used.
    """
    lonlat = parse_lonlat(text)
    if lonlat is not None:
        return Feature(
            _point(*lonlat), {"name": f"{lonlat[0]:g},{lonlat[1]:g}", "source": "given"}
        )
    try:
        best = lookup(text).best
    except BoundaryNotFoundError as exc:
        raise BoundaryNotFoundError(
            f"{exc.args[0] if exc.args else exc}; see 'geoconflict places {text}', or give "
            "lon,lat in degrees (e.g. '40.92,34.45')"
        ) from None
    return Feature(
        _point(best.lon, best.lat), {"name": best.name, "source": best.source}
    )


def _point(lon: float, lat: float):
    return _geom.point(lon, lat)
