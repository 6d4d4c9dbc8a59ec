"""RFC 7946 GeoJSON: read and write FeatureCollections with stdlib json + shapely.

What the writer guarantees (RFC 7946):

* positions are ``[lon, lat]`` (or ``[lon, lat, z]``) in degrees on WGS84, with
  longitudes in [-180, 180]: geometries that cross the antimeridian are cut
  there (:func:`geoconflict.geodesy.antimeridian.split`, crossing latitudes on the
  geodesic) and written as Multi* geometries (section 3.1.9);
* polygon rings follow the right-hand rule: exteriors counterclockwise, holes
  clockwise (section 3.1.6); rings are closed;
* coordinates are rounded to 7 decimals by default (about 1 cm; section 11.2);
* no ``crs`` member; an optional ``bbox`` ``[west, south, east, north]`` whose
  west is greater than its east when the box crosses the antimeridian (5.2);
* a FeatureCollection of Features, each with a ``properties`` object.

Edges between vertices are geodesics in geoconflict; GeoJSON readers that draw
straight lines in lon/lat will show long edges slightly differently.

The reader accepts a FeatureCollection, a Feature or a bare geometry, and
raises :class:`~geoconflict.errors.DataFormatError` naming the file, the
feature and the problem.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, Optional, Union

import numpy as np

from geoconflict import _geom
from geoconflict._geom import (
    BaseGeometry,
    as_geometry_array,
    geojson_geometry,
    orient,
    shape,
)
from geoconflict.errors import DataFormatError, GeoconflictError
from geoconflict.geodesy.antimeridian import split

__all__ = [
    "Features",
    "bbox",
    "check_lonlat",
    "dumps",
    "loads",
    "lonlat_problem",
    "read",
    "to_dict",
    "write",
]

PathLike = Union[str, "os.PathLike[str]"]

_CRS84 = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "urn:ogc:def:crs:EPSG:4326",
    "EPSG:4326",
    "OGC:CRS84",
    "CRS84",
}


class Features(NamedTuple):
    """Features read from GeoJSON.

    Attributes
    ----------
    geometry : ndarray of shapely geometries
        One per feature, lon/lat degrees; ``None`` for a null geometry.
    properties : list of dict
        One per feature (``{}`` when the feature has none).
    ids : list
        The feature ``id`` members (``None`` where absent).
    """

    geometry: np.ndarray
    properties: list
    ids: list


# --------------------------------------------------------------------------- writing


def _lon_intervals(geom: BaseGeometry) -> list:
    out = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if g is None or g.is_empty:
            continue
        if hasattr(g, "geoms"):
            stack.extend(g.geoms)
            continue
        minx, _, maxx, _ = g.bounds
        out.append((minx, maxx))
    return out


def bbox(geometry) -> Optional[list]:
    """RFC 7946 bounding box ``[west, south, east, north]`` in degrees.

    The parts of the geometry are placed on the circle of longitudes and the box
    leaves out the largest empty gap, so a geometry cut at the antimeridian gets
    a box with ``west > east`` (RFC 7946 section 5.2).

    Parameters
    ----------
    geometry : geometry or array_like of geometries
        Lon/lat degrees, longitudes within [-180, 180].

    Returns
    -------
    list of float or None
        ``None`` if there is nothing to bound.

    Examples
    --------
    >>> from shapely import box, MultiPolygon
    >>> bbox(box(10, 20, 30, 40))
    [10.0, 20.0, 30.0, 40.0]
    >>> bbox(MultiPolygon([box(170, -5, 180, 5), box(-180, -5, -170, 5)]))
    [170.0, -5.0, -170.0, 5.0]
    """
    geoms, _ = as_geometry_array(geometry)
    geoms = geoms[~_geom.is_missing(geoms) & ~_geom.is_empty(geoms)]
    if not len(geoms):
        return None
    south = float(np.min(_geom.bounds(geoms)[:, 1]))
    north = float(np.max(_geom.bounds(geoms)[:, 3]))
    iv = sorted(i for g in geoms for i in _lon_intervals(g))
    merged = [list(iv[0])]
    for a, b in iv[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    # gaps between consecutive intervals, and the wrap-around gap
    best_gap = merged[0][0] + 360.0 - merged[-1][1]
    west, east = merged[0][0], merged[-1][1]
    for i in range(1, len(merged)):
        gap = merged[i][0] - merged[i - 1][1]
        if gap > best_gap:
            best_gap = gap
            west, east = merged[i][0], merged[i - 1][1]
    return [float(west), south, float(east), north]


_bbox_of = bbox


def _json_value(value: Any, where: str) -> Any:
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.generic):
        return _json_value(value.item(), where)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return _json_value(float(value), where)
    if isinstance(value, Mapping):
        return {str(k): _json_value(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_json_value(v, where) for v in value]
    raise DataFormatError(
        f"property {where!r} has a value of type {type(value).__name__} that JSON "
        "cannot hold; convert it to a string or number first.",
        value=repr(value)[:60],
    )


def _property_rows(properties, n: int, scalar: bool) -> list:
    if properties is None:
        return [{} for _ in range(n)]
    if scalar and isinstance(properties, Mapping):
        return [dict(properties)]
    if isinstance(properties, Mapping):  # columns
        cols = {}
        for k, v in properties.items():
            vals = list(v) if not isinstance(v, (str, bytes)) else None
            if vals is None or len(vals) != n:
                raise DataFormatError(
                    f"property column {k!r} must have one value per geometry ({n}); "
                    "give a mapping of equal-length columns or a list of dicts."
                )
            cols[k] = vals
        return [{k: cols[k][i] for k in cols} for i in range(n)]
    rows = list(properties)
    if len(rows) != n:
        raise DataFormatError(
            f"{len(rows)} property rows for {n} geometries; give one dict per geometry."
        )
    return [dict(r) if r is not None else {} for r in rows]


def to_dict(
    geometry,
    properties=None,
    *,
    ids=None,
    precision: Optional[int] = 7,
    bbox: bool = False,
) -> dict:
    """Build an RFC 7946 FeatureCollection as a Python dict (see :func:`dumps`).

    Examples
    --------
    >>> from shapely import Point
    >>> fc = to_dict(Point(40.918541234, 34.45226), {"name": "Abu Kamal"})
    >>> fc["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [40.9185412, 34.45226]}
    """
    if isinstance(geometry, Features):
        properties = geometry.properties if properties is None else properties
        ids = geometry.ids if ids is None else ids
        geometry = geometry.geometry
    geoms, scalar = as_geometry_array(geometry)
    n = len(geoms)
    rows = _property_rows(properties, n, scalar)
    if ids is not None:
        ids = (
            [ids]
            if scalar and not isinstance(ids, (list, tuple, np.ndarray))
            else list(ids)
        )
        if len(ids) != n:
            raise DataFormatError(f"{len(ids)} ids for {n} geometries")
    out_geoms = []
    features = []
    for i, g in enumerate(geoms):
        try:
            if g is not None and not g.is_empty:
                g = orient(split(g))
            gd = geojson_geometry(g, precision)
        except GeoconflictError as exc:
            msg = getattr(exc, "message", str(exc))
            raise DataFormatError(msg, row=i + 1, column="geometry") from None
        out_geoms.append(g)
        feat: dict = {"type": "Feature"}
        if ids is not None and ids[i] is not None:
            fid = _json_value(ids[i], "id")
            if not isinstance(fid, (str, int, float)):
                raise DataFormatError(
                    "a feature id must be a string or a number", row=i + 1, column="id"
                )
            feat["id"] = fid
        if bbox and g is not None and not g.is_empty:
            feat["bbox"] = _round_box(_bbox_of(g), precision)
        feat["geometry"] = gd
        feat["properties"] = {
            str(k): _json_value(v, str(k)) for k, v in rows[i].items()
        }
        features.append(feat)
    fc: dict = {"type": "FeatureCollection"}
    if bbox:
        box = _bbox_of(np.array(out_geoms, dtype=object))
        if box is not None:
            fc["bbox"] = _round_box(box, precision)
    fc["features"] = features
    return fc


def _round_box(box: list, precision: Optional[int]) -> list:
    if precision is None:
        return box
    return [round(v, precision) + 0.0 for v in box]


def dumps(
    geometry,
    properties=None,
    *,
    ids=None,
    precision: Optional[int] = 7,
    bbox: bool = False,
    indent: Optional[int] = None,
) -> str:
    """Write geometries (and properties) as an RFC 7946 GeoJSON FeatureCollection.

    Parameters
    ----------
    geometry : geometry, array_like of geometries, or Features
        Shapely geometries (or ``__geo_interface__`` objects) in lon/lat degrees,
        edges geodesic.  ``None`` becomes a null geometry.  A :class:`Features`
        (from :func:`loads`) brings its properties and ids along.
    properties : dict, sequence of dict, or mapping of columns, optional
        For one geometry, a dict; for an array, a list of dicts (one per
        geometry) or a dict of equal-length columns.  numpy scalars, dates
        (ISO 8601 text) and NaN (null) are converted.
    ids : scalar or sequence, optional
        Feature ids (strings or numbers).
    precision : int or None, default 7
        Decimals kept in coordinates (7 is about 1 cm); ``None`` keeps all.
    bbox : bool, default False
        Add ``bbox`` members to every feature and to the collection.
    indent : int, optional
        Passed to :func:`json.dumps`.

    Returns
    -------
    str
        The FeatureCollection: longitudes within [-180, 180] (cut at the
        antimeridian), exterior rings counterclockwise, holes clockwise.

    Raises
    ------
    DataFormatError
        Non-finite coordinates, property values JSON cannot hold, or properties
        that do not match the geometries; the message names the feature.

    Examples
    --------
    >>> from shapely import LineString
    >>> text = dumps([LineString([(170, 0), (190, 0)])], [{"kind": "route"}])
    >>> loads(text).geometry[0].geom_type
    'MultiLineString'
    """
    fc = to_dict(geometry, properties, ids=ids, precision=precision, bbox=bbox)
    return json.dumps(fc, indent=indent, ensure_ascii=False, allow_nan=False)


def write(
    path: PathLike,
    geometry,
    properties=None,
    *,
    ids=None,
    precision: Optional[int] = 7,
    bbox: bool = False,
    indent: Optional[int] = None,
) -> Path:
    """Write an RFC 7946 GeoJSON file (UTF-8); ``"-"`` writes to standard output.

    The arguments after `path` are those of :func:`dumps`.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import os, tempfile
    >>> from shapely import Point
    >>> p = write(os.path.join(tempfile.mkdtemp(), "sites.geojson"), Point(40.9, 34.4))
    >>> read(p).geometry[0].wkt
    'POINT (40.9 34.4)'
    """
    text = dumps(
        geometry, properties, ids=ids, precision=precision, bbox=bbox, indent=indent
    )
    if str(path) == "-":
        sys.stdout.write(text + "\n")
        return Path("-")
    p = Path(path)
    p.write_text(text + "\n", encoding="utf-8")
    return p


# --------------------------------------------------------------------------- reading


def _check_crs(obj: dict, path) -> None:
    crs = obj.get("crs")
    if crs is None:
        return
    name = None
    if isinstance(crs, dict):
        name = (crs.get("properties") or {}).get("name")
    if name not in _CRS84:
        raise DataFormatError(
            f"the file declares the coordinate reference system {name or crs!r}; RFC "
            "7946 GeoJSON is always WGS84 lon/lat (EPSG:4326). Reproject it first, "
            "e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson.",
            path=path,
            column="crs",
        )


def lonlat_problem(lon: float, lat: float) -> Optional[str]:
    """Say what is wrong with a (lon, lat) pair in degrees WGS84, or None if it is fine.

    geoconflict's one rule for coordinates read from files and the command
    line: both finite (no NaN, no infinity), latitude within ±90 and longitude
    within ±540 degrees (the library's range, which allows data crossing the
    antimeridian).

    Examples
    --------
    >>> lonlat_problem(40.92, 34.45) is None
    True
    >>> lonlat_problem(float("nan"), 34.45)
    'longitude and latitude must be finite numbers (got lon nan, lat 34.45)'
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return (
            f"longitude and latitude must be finite numbers (got lon {lon}, lat {lat})"
        )
    if abs(lat) > 90:
        return f"latitude {lat} is outside ±90 degrees"
    if abs(lon) > 540:
        return f"longitude {lon} is outside ±540 degrees"
    return None


def check_lonlat(geom: Optional[BaseGeometry], path, row: int) -> None:
    """Refuse a geometry with a coordinate that is not lon/lat degrees (:func:`lonlat_problem`).

    Vectorized over the vertices; the message names the file, the row (feature)
    and the first bad position.

    Raises
    ------
    DataFormatError
        A NaN or infinite coordinate, a latitude beyond ±90 or a longitude
        beyond ±540 degrees.
    """
    if geom is None or geom.is_empty:
        return
    xy = _geom.get_coordinates(geom)
    with np.errstate(invalid="ignore"):
        bad = (
            ~np.isfinite(xy).all(axis=1)
            | (np.abs(xy[:, 1]) > 90.0)
            | (np.abs(xy[:, 0]) > 540.0)
        )
    if bad.any():
        lon, lat = xy[np.argmax(bad)]
        problem = lonlat_problem(float(lon), float(lat))
        raise DataFormatError(
            f"has a coordinate outside lon/lat degrees ({problem}); positions are "
            "[lon, lat] in degrees WGS84 (RFC 7946): check for swapped axes or "
            "projected coordinates, and reproject to EPSG:4326 if needed",
            path=path,
            row=row,
            column="geometry",
        )


def _geometry(obj, path, i: int) -> Optional[BaseGeometry]:
    if obj is None:
        return None
    if not isinstance(obj, dict) or "type" not in obj:
        raise DataFormatError(
            "the geometry is not a GeoJSON geometry object",
            path=path,
            row=i,
            column="geometry",
            value=str(obj)[:60],
        )
    try:
        if obj["type"] == "GeometryCollection":
            geom = _geom.collection(
                [
                    g
                    for g in (_geometry(x, path, i) for x in obj.get("geometries", []))
                    if g is not None
                ]
            )
        else:
            geom = shape(obj)
    except DataFormatError:
        raise
    except Exception as exc:  # shapely raises several kinds for bad coordinates
        raise DataFormatError(
            f"cannot read the {obj.get('type')!r} geometry: {exc}",
            path=path,
            row=i,
            column="geometry",
        ) from None
    check_lonlat(geom, path, i)
    return geom


_GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _from_obj(obj: Any, path) -> Features:
    if not isinstance(obj, dict) or "type" not in obj:
        raise DataFormatError(
            "not a GeoJSON object (a JSON object with a 'type' member is expected)",
            path=path,
        )
    _check_crs(obj, path)
    kind = obj["type"]
    if kind == "FeatureCollection":
        feats = obj.get("features")
        if not isinstance(feats, list):
            raise DataFormatError(
                "a FeatureCollection needs a 'features' list",
                path=path,
                column="features",
            )
    elif kind == "Feature":
        feats = [obj]
    elif kind in _GEOMETRY_TYPES:
        geom = _geometry(obj, path, 1)
        return Features(np.array([geom], dtype=object), [{}], [None])
    else:
        raise DataFormatError(
            f"unknown GeoJSON type {kind!r}; expected FeatureCollection, Feature or "
            "a geometry type",
            path=path,
            column="type",
        )
    geoms, props, ids = [], [], []
    for i, f in enumerate(feats, start=1):
        if not isinstance(f, dict) or f.get("type") != "Feature":
            raise DataFormatError(
                "every member of 'features' must be a Feature object",
                path=path,
                row=i,
                value=str(f)[:60],
            )
        geoms.append(_geometry(f.get("geometry"), path, i))
        p = f.get("properties")
        if p is not None and not isinstance(p, dict):
            raise DataFormatError(
                "'properties' must be an object or null",
                path=path,
                row=i,
                column="properties",
            )
        props.append(dict(p or {}))
        ids.append(f.get("id"))
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    return Features(arr, props, ids)


def loads(text: Union[str, bytes], *, path: Optional[PathLike] = None) -> Features:
    """Read GeoJSON text: a FeatureCollection, a Feature or a bare geometry.

    Parameters
    ----------
    text : str or bytes
        GeoJSON (UTF-8 if bytes).
    path : str or path-like, optional
        Named in error messages.

    Returns
    -------
    Features
        ``(geometry, properties, ids)``: an ndarray of shapely geometries in
        lon/lat degrees (``None`` for null geometries), a list of property dicts
        and a list of ids.

    Raises
    ------
    DataFormatError
        Not JSON, not GeoJSON, a bad geometry, latitudes beyond ±90, or a
        ``crs`` other than WGS84; the message names the file and feature.

    Examples
    --------
    >>> f = loads('{"type": "Feature", "properties": {"n": 1},'
    ...           ' "geometry": {"type": "Point", "coordinates": [40.9, 34.4]}}')
    >>> f.geometry[0].wkt, f.properties
    ('POINT (40.9 34.4)', [{'n': 1}])
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFormatError(f"not UTF-8 text ({exc})", path=path) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            path=path,
        ) from None
    return _from_obj(obj, path)


def read(path: PathLike) -> Features:
    """Read a GeoJSON file (``"-"`` reads standard input); see :func:`loads`.

    Examples
    --------
    >>> import os, tempfile
    >>> from shapely import box
    >>> p = write(os.path.join(tempfile.mkdtemp(), "z.geojson"), [box(0, 0, 1, 1)])
    >>> read(p).geometry[0].geom_type
    'Polygon'
    """
    if str(path) == "-":
        return loads(sys.stdin.read(), path="<stdin>")
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFormatError(
            f"cannot read the file: {exc.strerror}", path=str(p)
        ) from None
    return loads(raw, path=str(p))
