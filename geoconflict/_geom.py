"""The one geometry module: input handling, constructors and set operations.

Every shape the core builds or combines goes through the functions here;
the geodesic maths (:mod:`geoconflict.geodesy.buffers`, ``ranges``,
``antimeridian``, ``measurement`` and the shared ring builder
``geoconflict.geodesy._circles``) computes coordinates with numpy and pyproj and
never calls a geometry engine directly for these operations.

Layer: support (top level, below :mod:`geoconflict.geodesy`), because the
geodesy, io and analysis layers and the faces all read geometries through
:func:`as_geometry_array`; keeping one module for reading, building and
combining geometries means one place knows the engine.

Backend.  Geometries in and out are shapely objects (the public API returns
shapely), and the operations below run on shapely's GEOS.  The seam for a
second backend, e.g. QGIS's own GEOS through ``QgsGeometry`` inside the plugin,
is this module alone: such a backend would keep the constructors and the
accessors (shapely objects stay the data model) and implement the set
operations and :func:`repair` by a WKB round trip (:func:`to_wkb`,
``QgsGeometry.fromWkb``, the operation, ``asWkb``, :func:`from_wkb`), without a
change to the maths.  Coordinates are whatever the caller gives, in practice
(lon, lat) degrees on WGS84 (EPSG:4326) or meters in a working plane;
nothing here is geodesic or knows about units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Optional

import numpy as np
import shapely
from shapely.geometry import shape as _shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient as _orient

from geoconflict.errors import DataFormatError, GeometryError

__all__ = [
    "as_geometry_array",
    "as_polygonal",
    "box",
    "collection",
    "covers",
    "difference",
    "empty_polygon",
    "from_ragged",
    "from_wkb",
    "geojson_geometry",
    "intersection",
    "line",
    "lines",
    "lines_from_ragged",
    "multiline",
    "multipolygon",
    "orient",
    "point",
    "polygon",
    "polygonal_parts",
    "polygons",
    "polygons_from_ragged",
    "repair",
    "return_geometry_like",
    "shift_x",
    "signed_area",
    "to_ragged",
    "to_wkb",
    "transform",
    "union",
    "union_all",
]


# --------------------------------------------------------------------------- input


def _one(obj: Any) -> Any:
    if obj is None or isinstance(obj, BaseGeometry):
        return obj
    if hasattr(obj, "__geo_interface__"):
        gi = obj.__geo_interface__
        if isinstance(gi, dict) and gi.get("type") == "Feature":
            gi = gi.get("geometry")
        return None if gi is None else _shape(gi)
    if isinstance(obj, dict) and "type" in obj:
        if obj["type"] == "Feature":
            return None if obj.get("geometry") is None else _shape(obj["geometry"])
        return _shape(obj)
    if isinstance(obj, str):
        try:
            return shapely.from_wkt(obj)
        except shapely.errors.GEOSException as exc:
            raise GeometryError(
                f"cannot read geometry from text {obj[:60]!r}: {exc}"
            ) from None
    raise GeometryError(
        f"expected a shapely geometry, a GeoJSON-like mapping or an object with "
        f"__geo_interface__, got {type(obj).__name__}"
    )


def as_geometry_array(geometry: Any) -> tuple[np.ndarray, bool]:
    """Return a 1-D object ndarray of shapely geometries and whether input was scalar.

    Accepts a shapely geometry, any object with ``__geo_interface__`` (a GeoJSON
    geometry or Feature), a GeoJSON mapping, WKT text, or a sequence/array of those
    (a GeoSeries works too).  ``None`` stays ``None`` (missing).
    """
    if isinstance(geometry, (BaseGeometry, dict, str)) or (
        hasattr(geometry, "__geo_interface__") and not hasattr(geometry, "__len__")
    ):
        return np.array([_one(geometry)], dtype=object), True
    if geometry is None:
        return np.array([None], dtype=object), True
    values = getattr(geometry, "values", geometry)  # GeoSeries -> GeometryArray
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        return np.array([_one(arr.item())], dtype=object), True
    arr = arr.ravel()
    if len(arr) and not all(isinstance(g, BaseGeometry) or g is None for g in arr[:1]):
        arr = np.array([_one(g) for g in arr], dtype=object)
    elif len(arr) and not shapely.is_geometry(arr).all():
        arr = np.array([_one(g) for g in arr], dtype=object)
    return arr, False


def return_geometry_like(scalar: bool, geoms: np.ndarray):
    """Return one geometry if the input was scalar, else the array."""
    return geoms[0] if scalar else geoms


# --------------------------------------------------------------------------- constructors


def point(x: float, y: float) -> BaseGeometry:
    """Return a Point at ``(x, y)`` ((lon, lat) degrees, or plane meters)."""
    return shapely.Point(x, y)


def box(xmin: float, ymin: float, xmax: float, ymax: float) -> BaseGeometry:
    """Return the rectangle ``[xmin, xmax] x [ymin, ymax]`` as a Polygon (counterclockwise)."""
    return shapely.box(xmin, ymin, xmax, ymax)


def empty_polygon() -> BaseGeometry:
    """Return an empty Polygon (the result of a buffer of distance 0, for instance)."""
    return shapely.Polygon()


def polygon(shell: Any, holes: Optional[Sequence[Any]] = None) -> BaseGeometry:
    """One Polygon from an (n, 2) shell and optional (k, 2) holes, as given.

    Nothing is reoriented or repaired; see :func:`orient` and :func:`repair`.
    """
    return shapely.Polygon(shell, holes)


def line(coords: Any) -> BaseGeometry:
    """One LineString from (n, 2) coordinates."""
    return shapely.LineString(coords)


def multipolygon(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return a MultiPolygon of the given Polygons (no union: they must not overlap)."""
    return shapely.MultiPolygon(parts)


def multiline(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return a MultiLineString of the given LineStrings."""
    return shapely.MultiLineString(parts)


def collection(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return a GeometryCollection of the given geometries."""
    return shapely.GeometryCollection(parts)


def polygons(coords: np.ndarray) -> np.ndarray:
    """Polygons without holes from an (m, k, 2) array: one ring of k vertices per row.

    Rings are closed if they are not; orientation is kept as given.
    """
    return shapely.polygons(coords)


def lines(coords: np.ndarray) -> np.ndarray:
    """LineStrings from an (m, k, 2) array, one line of k vertices per row."""
    return shapely.linestrings(coords)


def polygons_from_ragged(
    coords: np.ndarray, ring_offsets: np.ndarray, polygon_offsets: np.ndarray
) -> np.ndarray:
    """Polygons from flat (n, 2) coordinates, in one call.

    Ring ``j`` is ``coords[ring_offsets[j]:ring_offsets[j + 1]]`` (closed);
    polygon ``i`` has rings ``polygon_offsets[i]:polygon_offsets[i + 1]``, the
    first its exterior.  Orientation is kept as given.
    """
    return shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, coords, (ring_offsets, polygon_offsets)
    )


def lines_from_ragged(coords: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """LineStrings from flat (n, 2) coordinates: line ``i`` is ``offsets[i]:offsets[i+1]``."""
    return shapely.from_ragged_array(
        shapely.GeometryType.LINESTRING, coords, (offsets,)
    )


def to_ragged(geoms: np.ndarray) -> tuple:
    """``(kind, coords, offsets)`` of geometries of one family (no missing ones).

    The flat (n, 2) coordinates and the offsets of :func:`from_ragged`; `kind`
    is opaque to the caller, to be given back to :func:`from_ragged`.
    """
    return shapely.to_ragged_array(geoms)


def from_ragged(kind: Any, coords: np.ndarray, offsets: tuple) -> np.ndarray:
    """Geometries back from :func:`to_ragged`'s `kind`, coordinates and offsets."""
    return shapely.from_ragged_array(kind, coords, offsets)


def transform(
    geom: BaseGeometry, fn: Callable[[np.ndarray], np.ndarray]
) -> BaseGeometry:
    """Apply `fn` to the (n, 2) coordinates of `geom` (vectorized, shape kept)."""
    return shapely.transform(geom, fn)


def shift_x(geom: BaseGeometry, dx: float) -> BaseGeometry:
    """`geom` moved by `dx` along x (e.g. -360 degrees of longitude)."""
    return shapely.transform(geom, lambda c: c + np.array([dx, 0.0]))


# --------------------------------------------------------------------------- set operations


def union(a: Any, b: Any) -> Any:
    """Union of `a` and `b` (geometries or arrays, element-wise)."""
    return shapely.union(a, b)


def union_all(geoms: Any) -> BaseGeometry:
    """Union of all geometries in a sequence or array (one GEOS cascaded union)."""
    return shapely.union_all(geoms)


def intersection(a: Any, b: Any) -> Any:
    """Intersection of `a` and `b` (geometries or arrays, element-wise)."""
    return shapely.intersection(a, b)


def difference(a: Any, b: Any) -> Any:
    """Return `a` minus `b` (geometries or arrays, element-wise)."""
    return shapely.difference(a, b)


def covers(a: Any, b: Any) -> Any:
    """Whether no point of `b` lies outside `a` (boundary included), element-wise."""
    return shapely.covers(a, b)


def repair(geoms: Any) -> Any:
    """Make geometries valid: the valid ones unchanged, the others repaired (GEOS).

    Takes one geometry or an array; the repair of an invalid polygon may be a
    MultiPolygon or a GeometryCollection (see :func:`polygonal_parts`).
    """
    if isinstance(geoms, BaseGeometry):
        return geoms if geoms.is_valid else shapely.make_valid(geoms)
    arr = np.asarray(geoms, dtype=object)
    bad = ~shapely.is_valid(arr)
    if bad.any():
        arr = arr.copy()
        arr[bad] = shapely.make_valid(arr[bad])
    return arr


# --------------------------------------------------------------------------- polygonal results


def polygonal_parts(geom: Optional[BaseGeometry]) -> list:
    """Return the Polygons inside a geometry (points and lines left by overlay are dropped)."""
    if geom is None or geom.is_empty:
        return []
    kind = geom.geom_type
    if kind == "Polygon":
        return [geom]
    if kind in ("MultiPolygon", "GeometryCollection"):
        out = []
        for part in geom.geoms:
            out.extend(polygonal_parts(part))
        return out
    return []


def as_polygonal(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """One Polygon, one MultiPolygon, or an empty Polygon, made valid.

    Parts with no area are dropped; several parts are unioned.
    """
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        return shapely.Polygon()
    geom = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    polys = polygonal_parts(repair(geom))
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def orient(geom: BaseGeometry) -> BaseGeometry:
    """Exterior rings counterclockwise, holes clockwise (RFC 7946 right-hand rule).

    Polygons and MultiPolygons are oriented, the members of a GeometryCollection
    too; points, lines and empty geometries are returned as they are.
    """
    if geom.is_empty:
        return geom
    kind = geom.geom_type
    if kind == "Polygon":
        return _orient(geom, 1.0)
    if kind == "MultiPolygon":
        return shapely.MultiPolygon([_orient(p, 1.0) for p in geom.geoms])
    if kind == "GeometryCollection":
        return shapely.GeometryCollection([orient(g) for g in geom.geoms])
    return geom


def signed_area(x: np.ndarray, y: np.ndarray) -> float:
    """Planar signed area of a closed ring (shoelace): > 0 when counterclockwise.

    In the units of the coordinates squared (square degrees in lon/lat).
    """
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


# --------------------------------------------------------------------------- WKB


def to_wkb(geoms: Any) -> Any:
    """ISO WKB bytes of one geometry or an array of them (the exchange format)."""
    return shapely.to_wkb(geoms)


def from_wkb(data: Any) -> Any:
    """Geometries from WKB bytes (one or an array)."""
    return shapely.from_wkb(data)


# --------------------------------------------------------------------------- GeoJSON


def _positions(coords, precision: Optional[int]) -> list:
    arr = np.asarray(coords, dtype=np.float64)
    if arr.size and not np.isfinite(arr).all():
        raise DataFormatError(
            "a coordinate is NaN or infinite; GeoJSON cannot hold it. Drop or fix "
            "the vertex."
        )
    if precision is not None:
        arr = np.round(arr, precision)
    arr = arr + 0.0  # no negative zeros
    return arr.tolist()


def geojson_geometry(
    geom: Optional[BaseGeometry], precision: Optional[int] = None
) -> Optional[dict]:
    """Return the GeoJSON geometry object (a dict of lists) of a shapely geometry.

    Coordinates are written as they are ((lon, lat) degrees for RFC 7946), rounded
    to `precision` decimals if given; no orientation or antimeridian cutting is
    applied (see :func:`orient`).  None gives None; a NaN or infinite
    coordinate raises DataFormatError.

    Examples
    --------
    >>> from shapely import Point
    >>> geojson_geometry(Point(40.918541234, 34.45226), 7)
    {'type': 'Point', 'coordinates': [40.9185412, 34.45226]}
    """
    if geom is None:
        return None
    kind = geom.geom_type
    if kind == "GeometryCollection":
        return {
            "type": kind,
            "geometries": [geojson_geometry(g, precision) for g in geom.geoms],
        }
    if geom.is_empty:
        return {
            "type": kind if kind != "LinearRing" else "LineString",
            "coordinates": [],
        }
    if kind == "Point":
        return {"type": kind, "coordinates": _positions(geom.coords, precision)[0]}
    if kind in ("LineString", "LinearRing"):
        return {"type": "LineString", "coordinates": _positions(geom.coords, precision)}
    if kind == "Polygon":
        rings = [geom.exterior, *geom.interiors]
        return {
            "type": kind,
            "coordinates": [_positions(r.coords, precision) for r in rings],
        }
    if kind == "MultiPoint":
        return {
            "type": kind,
            "coordinates": [_positions(p.coords, precision)[0] for p in geom.geoms],
        }
    if kind == "MultiLineString":
        return {
            "type": kind,
            "coordinates": [_positions(g.coords, precision) for g in geom.geoms],
        }
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [
                [_positions(r.coords, precision) for r in (p.exterior, *p.interiors)]
                for p in geom.geoms
            ],
        }
    raise DataFormatError(f"cannot write a {kind} as GeoJSON")
