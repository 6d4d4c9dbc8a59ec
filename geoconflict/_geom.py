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

Backends.  Two engines implement every function here, with the same results:

* ``shapely`` (shapely >= 2 and its GEOS): geometries are shapely objects;
* ``qgis`` (QGIS's own GEOS through ``QgsGeometry``, :mod:`geoconflict._geom_qgis`):
  geometries are small coordinate-array objects with the same attributes
  (``geom_type``, ``coords``, ``exterior``, ``geoms``, ``bounds`` ...), and the
  set operations run in GEOS by a WKB round trip.  This is what a stock QGIS
  Python (numpy, pyproj, no shapely 2) runs.

The backend is shapely when shapely >= 2 imports, else qgis; the environment
variable ``GEOCONFLICT_GEOMETRY=shapely|qgis`` forces one, and :func:`use_backend`
switches at run time (the tests compare the two).  Code elsewhere never calls
an engine: it uses these functions, and :data:`shapely` (the module, or a
stand-in that raises a clear :class:`~geoconflict.errors.GeometryError` naming
shapely >= 2 when a function that has no qgis path is called).
Coordinates are whatever the caller gives, in practice (lon, lat) degrees on
WGS84 (EPSG:4326) or meters in a working plane; nothing here is geodesic or
knows about units.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Callable, Optional

import numpy as np

from geoconflict import _geom_qgis as _q
from geoconflict.errors import DataFormatError, GeometryError


class _NoShapely:
    """Stands for the shapely module where shapely >= 2 is not installed."""

    def __init__(self, reason: str):
        self.reason = reason

    def __getattr__(self, name: str):
        raise GeometryError(
            f"this function needs shapely >= 2 (shapely.{name}), which this Python "
            f"does not have ({self.reason}). Install shapely >= 2, or use the "
            "functions that run on QGIS's own geometry engine (see docs/qgis.md)."
        )


try:
    import shapely
    from shapely.geometry import shape as _shape
    from shapely.geometry.base import BaseGeometry as _ShapelyGeometry
    from shapely.geometry.polygon import orient as _orient

    if int(shapely.__version__.split(".")[0]) < 2:
        raise ImportError(f"shapely {shapely.__version__} is older than 2.0")
    HAVE_SHAPELY = True
    _GEOS_ERRORS: tuple = (shapely.errors.GEOSException,)
except ImportError as _exc:  # a stock QGIS Python: numpy and pyproj only
    shapely = _NoShapely(str(_exc))  # type: ignore[assignment]
    _ShapelyGeometry = _q.Geometry  # type: ignore[misc,assignment]
    HAVE_SHAPELY = False
    _GEOS_ERRORS = ()

BaseGeometry = _ShapelyGeometry  # for type hints
BACKENDS = ("shapely", "qgis")
_backend = os.environ.get("GEOCONFLICT_GEOMETRY") or (
    "shapely" if HAVE_SHAPELY else "qgis"
)


def use_backend(name: str) -> str:
    """Use the geometry engine `name` ("shapely" or "qgis"); return the previous one."""
    global _backend
    if name not in BACKENDS:
        raise GeometryError(f"unknown geometry backend {name!r}; use one of {BACKENDS}")
    if name == "shapely" and not HAVE_SHAPELY:
        raise GeometryError(
            f"the shapely backend needs shapely >= 2, which this Python does not "
            f"have ({shapely.reason})"
        )
    old, _backend = _backend, name
    return old


def backend() -> str:
    """Return the geometry engine in use: "shapely" or "qgis"."""
    return _backend


if _backend not in BACKENDS:
    raise GeometryError(
        f"GEOCONFLICT_GEOMETRY={_backend!r}: use one of {BACKENDS}, or unset it"
    )
if _backend == "shapely" and not HAVE_SHAPELY:
    raise GeometryError(
        f"GEOCONFLICT_GEOMETRY=shapely, but shapely >= 2 does not import "
        f"({shapely.reason}); unset it to use QGIS's geometry engine"
    )


def _qgis() -> bool:
    return _backend == "qgis"


def is_geometry(obj: Any) -> bool:
    """Whether `obj` is a geometry of either engine (None is not)."""
    return isinstance(obj, (_ShapelyGeometry, _q.Geometry))


def _each(fn, *arrays):
    """`fn` element-wise over broadcast object arrays; scalars give a scalar."""
    if not any(isinstance(a, (np.ndarray, list, tuple)) for a in arrays):
        return fn(*arrays)
    arrs = np.broadcast_arrays(*[np.asarray(a, dtype=object) for a in arrays])
    out = np.empty(arrs[0].shape, dtype=object)
    for idx in np.ndindex(out.shape):
        args = [a[idx] for a in arrs]
        out[idx] = None if any(x is None for x in args) else fn(*args)
    return out


__all__ = [
    "BACKENDS",
    "HAVE_SHAPELY",
    "STRtree",
    "area",
    "as_geometry_array",
    "as_polygonal",
    "backend",
    "boundary",
    "bounds",
    "box",
    "boxes",
    "buffer_planar",
    "clip_by_rect",
    "collection",
    "contains_properly",
    "contains_xy",
    "covers",
    "difference",
    "empty_polygon",
    "from_ragged",
    "from_wkb",
    "geojson_geometry",
    "get_coordinates",
    "get_parts",
    "get_rings",
    "intersection",
    "intersects",
    "is_ccw",
    "is_empty",
    "is_geometry",
    "is_missing",
    "is_valid",
    "is_valid_reason",
    "line",
    "line_merge",
    "lines",
    "lines_from_ragged",
    "mapping",
    "multiline",
    "multipolygon",
    "num_coordinates",
    "orient",
    "point",
    "point_on_surface",
    "points",
    "polygon",
    "polygonal_parts",
    "polygons",
    "polygons_from_ragged",
    "prepare",
    "repair",
    "return_geometry_like",
    "shape",
    "shapely",
    "shift_x",
    "signed_area",
    "to_ragged",
    "to_wkb",
    "total_bounds",
    "transform",
    "type_ids",
    "union",
    "union_all",
    "use_backend",
]


# --------------------------------------------------------------------------- input


def shape(mapping: dict) -> Any:
    """Return a geometry from a GeoJSON geometry mapping."""
    return _q.shape(mapping) if _qgis() else _shape(mapping)


def mapping(geom: Any) -> dict:
    """Return the GeoJSON-like mapping of a geometry (``__geo_interface__``)."""
    return geom.__geo_interface__


def _one(obj: Any) -> Any:
    if obj is None or is_geometry(obj):
        if _qgis() and isinstance(obj, _ShapelyGeometry) and HAVE_SHAPELY:
            return _q.from_wkb(shapely.to_wkb(obj))
        return obj
    if hasattr(obj, "__geo_interface__"):
        gi = obj.__geo_interface__
        if isinstance(gi, dict) and gi.get("type") == "Feature":
            gi = gi.get("geometry")
        return None if gi is None else shape(gi)
    if isinstance(obj, dict) and "type" in obj:
        if obj["type"] == "Feature":
            return None if obj.get("geometry") is None else shape(obj["geometry"])
        return shape(obj)
    if isinstance(obj, str):
        if _qgis():
            return _q.from_wkt(obj)
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
    if (
        is_geometry(geometry)
        or isinstance(geometry, (dict, str))
        or (hasattr(geometry, "__geo_interface__") and not hasattr(geometry, "__len__"))
    ):
        return np.array([_one(geometry)], dtype=object), True
    if geometry is None:
        return np.array([None], dtype=object), True
    values = getattr(geometry, "values", geometry)  # GeoSeries -> GeometryArray
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        return np.array([_one(arr.item())], dtype=object), True
    arr = arr.ravel()
    if len(arr) and _qgis():
        arr = np.array([_one(g) for g in arr], dtype=object)
    elif len(arr) and not all(
        isinstance(g, BaseGeometry) or g is None for g in arr[:1]
    ):
        arr = np.array([_one(g) for g in arr], dtype=object)
    elif len(arr) and not shapely.is_geometry(arr).all():
        arr = np.array([_one(g) for g in arr], dtype=object)
    return arr, False


def return_geometry_like(scalar: bool, geoms: np.ndarray):
    """Return one geometry if the input was scalar, else the array."""
    return geoms[0] if scalar else geoms


# --------------------------------------------------------------------------- constructors


def point(x: Optional[float] = None, y: Optional[float] = None) -> BaseGeometry:
    """Return a Point at ``(x, y)`` ((lon, lat) degrees, or plane meters); no x/y: empty."""
    if x is None:
        return _q.Point() if _qgis() else shapely.Point()
    return _q.Point(x, y) if _qgis() else shapely.Point(x, y)


def points(x: Any, y: Any) -> np.ndarray:
    """Points from equal-length x and y arrays ((lon, lat) degrees, or plane meters)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if _qgis():
        return _objects([_q.Point(a, b) for a, b in zip(x.tolist(), y.tolist())])
    return shapely.points(x, y)


def point_on_surface(geom: Any) -> Any:
    """Return a point inside one geometry (GEOS PointOnSurface); None stays None."""
    if geom is None:
        return None
    if _qgis():
        return _q.point_on_surface(geom)
    return shapely.point_on_surface(geom)


def box(xmin: float, ymin: float, xmax: float, ymax: float) -> BaseGeometry:
    """Return the rectangle ``[xmin, xmax] x [ymin, ymax]`` as a Polygon (counterclockwise)."""
    if _qgis():
        return _q.Polygon(
            [(xmax, ymin), (xmax, ymax), (xmin, ymax), (xmin, ymin), (xmax, ymin)]
        )
    return shapely.box(xmin, ymin, xmax, ymax)


def empty_polygon() -> BaseGeometry:
    """Return an empty Polygon (the result of a buffer of distance 0, for instance)."""
    return _q.Polygon() if _qgis() else shapely.Polygon()


def polygon(shell: Any, holes: Optional[Sequence[Any]] = None) -> BaseGeometry:
    """One Polygon from an (n, 2) shell and optional (k, 2) holes, as given.

    Nothing is reoriented or repaired; see :func:`orient` and :func:`repair`.
    """
    return _q.Polygon(shell, holes) if _qgis() else shapely.Polygon(shell, holes)


def line(coords: Any) -> BaseGeometry:
    """One LineString from (n, 2) coordinates."""
    return _q.LineString(coords) if _qgis() else shapely.LineString(coords)


def multipolygon(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return a MultiPolygon of the given Polygons (no union: they must not overlap)."""
    return _q.MultiPolygon(parts) if _qgis() else shapely.MultiPolygon(parts)


def multiline(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return a MultiLineString of the given LineStrings."""
    return _q.MultiLineString(parts) if _qgis() else shapely.MultiLineString(parts)


def collection(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """Return a GeometryCollection of the given geometries."""
    if _qgis():
        return _q.GeometryCollection(parts)
    return shapely.GeometryCollection(parts)


def polygons(coords: np.ndarray) -> np.ndarray:
    """Polygons without holes from an (m, k, 2) array: one ring of k vertices per row.

    Rings are closed if they are not; orientation is kept as given.
    """
    if _qgis():
        return _objects([_q.Polygon(c) for c in np.asarray(coords, dtype=np.float64)])
    return shapely.polygons(coords)


def lines(coords: np.ndarray) -> np.ndarray:
    """LineStrings from an (m, k, 2) array, one line of k vertices per row."""
    if _qgis():
        return _objects(
            [_q.LineString(c) for c in np.asarray(coords, dtype=np.float64)]
        )
    return shapely.linestrings(coords)


def polygons_from_ragged(
    coords: np.ndarray, ring_offsets: np.ndarray, polygon_offsets: np.ndarray
) -> np.ndarray:
    """Polygons from flat (n, 2) coordinates, in one call.

    Ring ``j`` is ``coords[ring_offsets[j]:ring_offsets[j + 1]]`` (closed);
    polygon ``i`` has rings ``polygon_offsets[i]:polygon_offsets[i + 1]``, the
    first its exterior.  Orientation is kept as given.
    """
    if _qgis():
        coords = np.asarray(coords, dtype=np.float64)
        rings = [
            coords[ring_offsets[j] : ring_offsets[j + 1]]
            for j in range(len(ring_offsets) - 1)
        ]
        return _objects(
            [
                _q.Polygon(
                    rings[polygon_offsets[i]],
                    rings[polygon_offsets[i] + 1 : polygon_offsets[i + 1]],
                )
                if polygon_offsets[i + 1] > polygon_offsets[i]
                else _q.Polygon()
                for i in range(len(polygon_offsets) - 1)
            ]
        )
    return shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, coords, (ring_offsets, polygon_offsets)
    )


def lines_from_ragged(coords: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """LineStrings from flat (n, 2) coordinates: line ``i`` is ``offsets[i]:offsets[i+1]``."""
    if _qgis():
        coords = np.asarray(coords, dtype=np.float64)
        return _objects(
            [
                _q.LineString(coords[offsets[i] : offsets[i + 1]])
                for i in range(len(offsets) - 1)
            ]
        )
    return shapely.from_ragged_array(
        shapely.GeometryType.LINESTRING, coords, (offsets,)
    )


def to_ragged(geoms: np.ndarray) -> tuple:
    """``(kind, coords, offsets)`` of geometries of one family (no missing ones).

    The flat (n, 2) coordinates and the offsets of :func:`from_ragged`; `kind`
    is opaque to the caller, to be given back to :func:`from_ragged`.
    """
    if _qgis():
        return _q_to_ragged(geoms)
    return shapely.to_ragged_array(geoms)


def from_ragged(kind: Any, coords: np.ndarray, offsets: tuple) -> np.ndarray:
    """Geometries back from :func:`to_ragged`'s `kind`, coordinates and offsets."""
    if _qgis():
        return _q_from_ragged(kind, coords, offsets)
    return shapely.from_ragged_array(kind, coords, offsets)


def transform(
    geom: BaseGeometry, fn: Callable[[np.ndarray], np.ndarray]
) -> BaseGeometry:
    """Apply `fn` to the (n, 2) coordinates of `geom` (vectorized, shape kept).

    `geom` is one geometry or an array of them (`fn` then sees each one's coordinates).
    """
    if _qgis():
        return _each(lambda g: _q.transform(g, fn), geom)
    return shapely.transform(geom, fn)


def shift_x(geom: BaseGeometry, dx: float) -> BaseGeometry:
    """`geom` moved by `dx` along x (e.g. -360 degrees of longitude)."""
    return transform(geom, lambda c: c + np.array([dx, 0.0]))


# --------------------------------------------------------------------------- set operations


def union(a: Any, b: Any) -> Any:
    """Union of `a` and `b` (geometries or arrays, element-wise)."""
    return _each(_q.union, a, b) if _qgis() else shapely.union(a, b)


def union_all(geoms: Any) -> BaseGeometry:
    """Union of all geometries in a sequence or array (one GEOS cascaded union)."""
    if _qgis():
        return _q.union_all(np.asarray(geoms, dtype=object).ravel())
    return shapely.union_all(geoms)


def intersection(a: Any, b: Any) -> Any:
    """Intersection of `a` and `b` (geometries or arrays, element-wise)."""
    return _each(_q.intersection, a, b) if _qgis() else shapely.intersection(a, b)


def difference(a: Any, b: Any) -> Any:
    """Return `a` minus `b` (geometries or arrays, element-wise)."""
    return _each(_q.difference, a, b) if _qgis() else shapely.difference(a, b)


def intersects(a: Any, b: Any) -> Any:
    """Whether `a` and `b` share at least one point, element-wise (False for missing)."""
    if _qgis():
        out = _each(_q.intersects, a, b)
        if isinstance(out, np.ndarray):
            return np.array([bool(v) for v in out.ravel()], dtype=bool).reshape(
                out.shape
            )
        return bool(out)
    return shapely.intersects(a, b)


def covers(a: Any, b: Any) -> Any:
    """Whether no point of `b` lies outside `a` (boundary included), element-wise."""
    if _qgis():
        out = _each(_q.covers, a, b)
        return out.astype(bool) if isinstance(out, np.ndarray) else bool(out)
    return shapely.covers(a, b)


def repair(geoms: Any) -> Any:
    """Make geometries valid: the valid ones unchanged, the others repaired (GEOS).

    Takes one geometry or an array; the repair of an invalid polygon may be a
    MultiPolygon or a GeometryCollection (see :func:`polygonal_parts`).
    """
    if _qgis():
        fix = lambda g: g if _q.is_valid(g) else _q.make_valid(g)  # noqa: E731
        return _each(fix, geoms)
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
        return empty_polygon()
    geom = parts[0] if len(parts) == 1 else union_all(parts)
    polys = polygonal_parts(repair(geom))
    if not polys:
        return empty_polygon()
    return polys[0] if len(polys) == 1 else multipolygon(polys)


def orient(geom: BaseGeometry) -> BaseGeometry:
    """Exterior rings counterclockwise, holes clockwise (RFC 7946 right-hand rule).

    Polygons and MultiPolygons are oriented, the members of a GeometryCollection
    too; points, lines and empty geometries are returned as they are.
    """
    if geom.is_empty:
        return geom
    kind = geom.geom_type
    if kind == "Polygon":
        return _q_orient(geom) if _qgis() else _orient(geom, 1.0)
    if kind == "MultiPolygon":
        return multipolygon([orient(p) for p in geom.geoms])
    if kind == "GeometryCollection":
        return collection([orient(g) for g in geom.geoms])
    return geom


def signed_area(x: np.ndarray, y: np.ndarray) -> float:
    """Planar signed area of a closed ring (shoelace): > 0 when counterclockwise.

    In the units of the coordinates squared (square degrees in lon/lat).
    """
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


# --------------------------------------------------------------------------- WKB


def to_wkb(geoms: Any) -> Any:
    """ISO WKB bytes (2-D, little endian) of one geometry or an array of them.

    The exchange format (with QGIS, files, the other backend); missing
    geometries give None.
    """
    if _qgis():
        return _each(_q.to_wkb, geoms)
    return shapely.to_wkb(geoms, output_dimension=2, byte_order=1, flavor="iso")


def from_wkb(data: Any) -> Any:
    """Geometries from WKB bytes (one or an array), 2-D (Z and M dropped).

    Unreadable bytes raise :class:`~geoconflict.errors.GeometryError`.
    """
    try:
        if not _qgis():
            return shapely.force_2d(shapely.from_wkb(data))
        if isinstance(data, (bytes, bytearray, memoryview)):
            return _q.from_wkb(data)
        return _objects(
            [_q.from_wkb(d) for d in np.asarray(data, dtype=object).ravel()]
        )
    except (GeometryError, ValueError, IndexError, *_GEOS_ERRORS) as exc:
        raise GeometryError(f"cannot read a geometry from WKB: {exc}") from None


# --------------------------------------------------------------------------- accessors


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def type_ids(geoms: Any) -> np.ndarray:
    """Type ids (0 Point, 1 LineString, 2 LinearRing, 3 Polygon, 4-6 Multi*, 7 GeometryCollection; -1 missing)."""
    if _qgis():
        arr = np.asarray(geoms, dtype=object)
        return np.array(
            [-1 if g is None else g.type_id for g in arr.ravel()], dtype=np.int64
        ).reshape(arr.shape)
    return shapely.get_type_id(geoms)


def is_missing(geoms: Any) -> np.ndarray:
    """Whether each element is None (no geometry)."""
    if _qgis():
        arr = np.asarray(geoms, dtype=object)
        return np.array([g is None for g in arr.ravel()], dtype=bool).reshape(arr.shape)
    return shapely.is_missing(geoms)


def is_empty(geoms: Any) -> np.ndarray:
    """Whether each geometry is empty (False for missing ones)."""
    if _qgis():
        arr = np.asarray(geoms, dtype=object)
        return np.array(
            [g is not None and g.is_empty for g in arr.ravel()], dtype=bool
        ).reshape(arr.shape)
    return shapely.is_empty(geoms)


def area(geoms: Any) -> np.ndarray:
    """Planar area of each geometry (coordinate units squared; NaN for missing)."""
    if _qgis():
        arr = np.asarray(geoms, dtype=object)
        return np.array([np.nan if g is None else g.area for g in arr.ravel()]).reshape(
            arr.shape
        )
    return shapely.area(geoms)


def is_ccw(rings: Any) -> np.ndarray:
    """Whether each closed ring is counterclockwise (planar)."""
    if _qgis():
        arr = np.asarray(rings, dtype=object)
        return np.array(
            [_q._shoelace(_q.coordinates(r)) > 0 for r in arr.ravel()], dtype=bool
        ).reshape(arr.shape)
    return shapely.is_ccw(rings)


def get_coordinates(geoms: Any, return_index: bool = False):
    """Return the (n, 2) coordinates of all geometries, in order; with the owner index if asked."""
    if not _qgis():
        return shapely.get_coordinates(geoms, return_index=return_index)
    arr = np.asarray(geoms, dtype=object).ravel()
    chunks = [_q.coordinates(g) for g in arr]
    coords = np.vstack(chunks) if chunks else np.empty((0, 2))
    if not return_index:
        return coords
    owner = np.repeat(np.arange(len(arr)), [len(c) for c in chunks])
    return coords, owner


def _q_parts(g) -> list:
    if g is None:
        return []
    if isinstance(g, _q._Multi):
        return g.geoms
    return [g]


def get_parts(geoms: Any, return_index: bool = False):
    """Return the parts of multi-part geometries and collections (single ones as they are)."""
    if not _qgis():
        return shapely.get_parts(geoms, return_index=return_index)
    arr = np.asarray(geoms, dtype=object).ravel()
    per = [_q_parts(g) for g in arr]
    parts = _objects([p for ps in per for p in ps])
    if not return_index:
        return parts
    return parts, np.repeat(np.arange(len(arr)), [len(ps) for ps in per])


def get_rings(polys: Any, return_index: bool = False):
    """Return the rings (exterior first, then holes) of Polygons, as LinearRings."""
    if not _qgis():
        return shapely.get_rings(polys, return_index=return_index)
    arr = np.asarray(polys, dtype=object).ravel()
    per = [[] if g is None or g.is_empty else [g.exterior, *g.interiors] for g in arr]
    rings = _objects([r for rs in per for r in rs])
    if not return_index:
        return rings
    return rings, np.repeat(np.arange(len(arr)), [len(rs) for rs in per])


def _q_boundary(g):
    if g is None:
        return None
    kind = g.geom_type
    if kind == "Polygon":
        rings = [_q.LineString(r.coords) for r in (g.exterior, *g.interiors)]
        if g.is_empty:
            return _q.MultiLineString()
        return rings[0] if len(rings) == 1 else _q.MultiLineString(rings)
    if kind == "MultiPolygon":
        return _q.MultiLineString(
            [
                _q.LineString(r.coords)
                for p in g.geoms
                for r in (p.exterior, *p.interiors)
            ]
        )
    if kind in ("LineString", "LinearRing", "MultiLineString"):
        # the end points of the open lines (GEOS's mod-2 rule for lines that meet)
        ends = []
        for p in g.geoms if kind == "MultiLineString" else [g]:
            c = _q.coordinates(p)
            if len(c) and not np.array_equal(c[0], c[-1]):
                ends.extend([tuple(c[0]), tuple(c[-1])])
        odd = [e for e in dict.fromkeys(ends) if ends.count(e) % 2]
        return _q.MultiPoint([_q.Point(*e) for e in odd])
    return _q.GeometryCollection()  # points and collections: no boundary used here


def boundary(geoms: Any) -> Any:
    """Return the boundary of each (Multi)Polygon: its rings as lines (missing stays missing)."""
    if _qgis():
        arr = np.asarray(geoms, dtype=object)
        return _objects([_q_boundary(g) for g in arr.ravel()])
    return shapely.boundary(geoms)


def _q_to_ragged(geoms: np.ndarray) -> tuple:
    arr = list(np.asarray(geoms, dtype=object).ravel())
    kinds = {g.geom_type for g in arr}
    poly = bool(kinds & {"Polygon", "MultiPolygon"})
    multi = bool(kinds & {"MultiPolygon", "MultiLineString"})
    coords, line_off, ring_count, part_count = [], [0], [0], [0]
    for g in arr:
        parts = g.geoms if multi and isinstance(g, _q._Multi) else [g]
        for p in parts:
            rings = [p.exterior, *p.interiors] if poly and not p.is_empty else [p]
            if poly and p.is_empty:
                rings = []
            for r in rings:
                c = _q.coordinates(r)
                coords.append(c)
                line_off.append(line_off[-1] + len(c))
            ring_count.append(ring_count[-1] + len(rings))
        part_count.append(part_count[-1] + len(parts))
    xy = np.vstack(coords) if coords else np.empty((0, 2))
    offsets: tuple = (np.asarray(line_off),)
    if poly:
        offsets += (np.asarray(ring_count),)
    if multi:
        offsets += (np.asarray(part_count),)
    return (poly, multi), xy, offsets


def _q_from_ragged(kind: tuple, coords: np.ndarray, offsets: tuple) -> np.ndarray:
    poly, multi = kind
    coords = np.asarray(coords, dtype=np.float64)
    line_off = offsets[0]
    pieces = [coords[line_off[i] : line_off[i + 1]] for i in range(len(line_off) - 1)]
    if poly:
        ro = offsets[1]
        pieces = [
            _q.Polygon(pieces[ro[i]], pieces[ro[i] + 1 : ro[i + 1]])
            if ro[i + 1] > ro[i]
            else _q.Polygon()
            for i in range(len(ro) - 1)
        ]
    else:
        pieces = [_q.LineString(c) for c in pieces]
    if multi:
        po = offsets[-1]
        cls = _q.MultiPolygon if poly else _q.MultiLineString
        pieces = [cls(pieces[po[i] : po[i + 1]]) for i in range(len(po) - 1)]
    return _objects(pieces)


def _q_orient(poly):
    rings = []
    for k, r in enumerate((poly.exterior, *poly.interiors)):
        c = _q.coordinates(r)
        ccw = _q._shoelace(c) > 0
        rings.append(c if ccw == (k == 0) else c[::-1])
    return _q.Polygon(rings[0], rings[1:])


# --------------------------------------------------------------------------- indexes and predicates


def STRtree(geoms: Any) -> Any:
    """Return a bounding-box tree of `geoms` with shapely's ``query(geoms, predicate=None)``.

    ``query`` returns the (2, k) array of (query index, tree index) pairs;
    ``predicate="intersects"`` keeps the pairs whose geometries intersect.
    """
    return _q.Tree(geoms) if _qgis() else shapely.STRtree(geoms)


def prepare(geoms: Any) -> None:
    """Prepare geometries for repeated predicates (in place; the qgis backend prepares in its tree)."""
    if not _qgis():
        shapely.prepare(geoms)


def contains_properly(a: Any, b: Any) -> Any:
    """Whether `b` lies in the interior of `a` (no shared boundary), element-wise."""
    if _qgis():
        out = _each(_q.contains_properly, a, b)
        if isinstance(out, np.ndarray):
            return np.array([bool(v) for v in out.ravel()], dtype=bool).reshape(
                out.shape
            )
        return bool(out)
    return shapely.contains_properly(a, b)


def contains_xy(geom: Any, x: Any, y: Any) -> np.ndarray:
    """Whether each point (x, y) lies in the interior of the one geometry `geom`."""
    if _qgis():
        return _q.Prepared(geom).contains_xy(x, y)
    return shapely.contains_xy(geom, x, y)


def bounds(geoms: Any) -> np.ndarray:
    """``(minx, miny, maxx, maxy)`` of one geometry, or an (n, 4) array; NaN when empty."""
    if _qgis():
        if is_geometry(geoms):
            return _q.bounds_array([geoms])[0]
        return _q.bounds_array(geoms)
    return shapely.bounds(geoms)


def total_bounds(geoms: Any) -> np.ndarray:
    """``(minx, miny, maxx, maxy)`` of all geometries together."""
    if _qgis():
        b = _q.bounds_array(geoms)
        return np.array(
            [
                np.nanmin(b[:, 0]),
                np.nanmin(b[:, 1]),
                np.nanmax(b[:, 2]),
                np.nanmax(b[:, 3]),
            ]
        )
    return shapely.total_bounds(geoms)


def num_coordinates(geoms: Any) -> Any:
    """Return the number of vertices of each geometry (0 for missing)."""
    if _qgis():
        if is_geometry(geoms):
            return len(_q.coordinates(geoms))
        arr = np.asarray(geoms, dtype=object)
        return np.array([len(_q.coordinates(g)) for g in arr.ravel()]).reshape(
            arr.shape
        )
    return shapely.get_num_coordinates(geoms)


def clip_by_rect(geom: Any, xmin: float, ymin: float, xmax: float, ymax: float) -> Any:
    """`geom` clipped to a rectangle (fast, result may be invalid; GEOS ClipByRect)."""
    if _qgis():
        return _q.clip_by_rect(geom, xmin, ymin, xmax, ymax)
    return shapely.clip_by_rect(geom, xmin, ymin, xmax, ymax)


def boxes(xmin: Any, ymin: Any, xmax: Any, ymax: Any) -> np.ndarray:
    """Rectangles from equal-length arrays of bounds (counterclockwise Polygons)."""
    if _qgis():
        cols = np.broadcast_arrays(
            *(np.asarray(v, float) for v in (xmin, ymin, xmax, ymax))
        )
        return _objects([box(*v) for v in zip(*(c.ravel().tolist() for c in cols))])
    return shapely.box(xmin, ymin, xmax, ymax)


def is_valid(geom: Any) -> Any:
    """GEOS validity of one geometry or each of an array."""
    if _qgis():
        out = _each(_q.is_valid, geom)
        return out.astype(bool) if isinstance(out, np.ndarray) else bool(out)
    return shapely.is_valid(geom)


def is_valid_reason(geom: Any) -> str:
    """GEOS's reason why one geometry is invalid ("Valid Geometry" when it is valid)."""
    return _q.invalid_reason(geom) if _qgis() else shapely.is_valid_reason(geom)


def line_merge(geom: Any) -> Any:
    """Lines sewn together at shared end points (GEOS LineMerge)."""
    return _q.line_merge(geom) if _qgis() else shapely.line_merge(geom)


def buffer_planar(geom: Any, distance: float) -> Any:
    """Planar buffer in the coordinates' units (8 segments per quarter circle).

    Not geodesic: for tiny tolerances in degrees only (see
    :mod:`geoconflict.geodesy.buffers` for the geodesic buffer).
    """
    return _q.buffer(geom, distance) if _qgis() else shapely.buffer(geom, distance)


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
