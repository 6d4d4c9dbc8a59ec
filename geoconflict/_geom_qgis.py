"""The geometry backend on QGIS's own GEOS, for a Python without shapely >= 2.

:mod:`geoconflict._geom` uses this module when shapely >= 2 does not import
(QGIS's Python on Debian 12 / Ubuntu 22.04 has numpy and pyproj, but no
shapely 2), or when ``GEOCONFLICT_GEOMETRY=qgis`` is set.  Nothing else
imports it.

The data model is coordinate arrays: small geometry classes with the
attributes the core reads (``geom_type``, ``is_empty``, ``bounds``, ``coords``,
``exterior``, ``interiors``, ``geoms``, ``area``, ``wkb`` and
``__geo_interface__``), holding float64 (n, 2) numpy arrays of (lon, lat)
degrees on WGS84 (EPSG:4326) or meters in a plane -- whatever the caller
gives; nothing here is geodesic.  Constructors and accessors are pure numpy;
the set operations (union, intersection, difference, covers, make-valid) are
GEOS through ``QgsGeometry``, reached by an ISO WKB round trip (:func:`to_wkb`,
``QgsGeometry.fromWkb``, the operation, ``asWkb``, :func:`from_wkb`), so they
give the same results as shapely's GEOS.  Only 2-D geometries: Z and M values
read from WKB are dropped.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, Optional

import numpy as np

from geoconflict.errors import GeometryError

# WKB type codes (ISO) and the shapely type ids, in the same order
KINDS = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)
_WKB_CODE = {
    "Point": 1,
    "LineString": 2,
    "LinearRing": 2,
    "Polygon": 3,
    "MultiPoint": 4,
    "MultiLineString": 5,
    "MultiPolygon": 6,
    "GeometryCollection": 7,
}


def _xy(coords: Any) -> np.ndarray:
    arr = np.asarray(coords, dtype=np.float64)
    if arr.size == 0:
        return np.empty((0, 2))
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise GeometryError(
            f"expected (n, 2) coordinates, got an array of shape {arr.shape}"
        )
    return np.ascontiguousarray(arr[:, :2])


class Geometry:
    """Base of the coordinate-array geometries (immutable by convention)."""

    geom_type = "Geometry"
    __slots__ = ()

    @property
    def type_id(self) -> int:
        """The shapely/GEOS type id (0 Point ... 7 GeometryCollection)."""
        return KINDS.index(self.geom_type)

    @property
    def wkb(self) -> bytes:
        """ISO WKB, little endian, 2-D."""
        return to_wkb(self)

    @property
    def wkt(self) -> str:
        """Well-known text (through QGIS)."""
        return _qgs(self).asWkt()

    @property
    def bounds(self) -> tuple:
        """``(minx, miny, maxx, maxy)``; NaNs when empty."""
        xy = coordinates(self)
        if not len(xy):
            return (np.nan,) * 4
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))

    @property
    def is_valid(self) -> bool:
        """GEOS validity (through QGIS)."""
        return is_valid(self)

    @property
    def area(self) -> float:
        """Planar area in the coordinates' units squared (0 for points and lines)."""
        return 0.0

    @property
    def length(self) -> float:
        """Planar length in the coordinates' units (perimeter for polygons)."""
        return 0.0

    @property
    def __geo_interface__(self) -> dict:
        return geojson(self)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Geometry) and to_wkb(self) == to_wkb(other)

    def __hash__(self) -> int:
        return hash(to_wkb(self))

    def __repr__(self) -> str:
        return f"<{self.wkt[:80]}>"


class Point(Geometry):
    """A point; ``Point()`` is the empty point."""

    geom_type = "Point"
    __slots__ = ("_c",)

    def __init__(self, *args: Any):
        if not args:
            self._c = np.empty((0, 2))
        elif len(args) == 1:
            self._c = _xy(
                np.reshape(np.asarray(args[0], dtype=np.float64), (-1, 2))[:1]
            )
        else:
            self._c = np.array([[float(args[0]), float(args[1])]])

    @property
    def is_empty(self) -> bool:
        return len(self._c) == 0

    @property
    def coords(self) -> list:
        return [tuple(r) for r in self._c.tolist()]

    @property
    def x(self) -> float:
        return float(self._c[0, 0])

    @property
    def y(self) -> float:
        return float(self._c[0, 1])


class LineString(Geometry):
    """A line of (n, 2) coordinates."""

    geom_type = "LineString"
    __slots__ = ("_c",)

    def __init__(self, coords: Any = None):
        if isinstance(coords, Geometry):
            coords = coordinates(coords)
        self._c = _xy([] if coords is None else coords)

    @property
    def is_empty(self) -> bool:
        return len(self._c) == 0

    @property
    def coords(self) -> list:
        return [tuple(r) for r in self._c.tolist()]

    @property
    def length(self) -> float:
        return (
            float(np.hypot(*np.diff(self._c, axis=0).T).sum()) if len(self._c) else 0.0
        )


class LinearRing(LineString):
    """A closed line (closed on construction)."""

    geom_type = "LinearRing"
    __slots__ = ()

    def __init__(self, coords: Any = None):
        super().__init__(coords)
        if len(self._c) and not np.array_equal(self._c[0], self._c[-1]):
            self._c = np.vstack([self._c, self._c[:1]])

    @property
    def is_ccw(self) -> bool:
        return _shoelace(self._c) > 0


def _shoelace(c: np.ndarray) -> float:
    if len(c) < 3:
        return 0.0
    x, y = c[:, 0], c[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


class Polygon(Geometry):
    """A polygon: a shell and holes, rings closed, orientation as given."""

    geom_type = "Polygon"
    __slots__ = ("_rings",)

    def __init__(self, shell: Any = None, holes: Any = None):
        if shell is None or (not isinstance(shell, Geometry) and len(shell) == 0):
            self._rings = []
            return
        rings = [shell, *(holes or [])]
        self._rings = [r if isinstance(r, LinearRing) else LinearRing(r) for r in rings]

    @property
    def is_empty(self) -> bool:
        return not self._rings

    @property
    def exterior(self) -> LinearRing:
        return self._rings[0] if self._rings else LinearRing()

    @property
    def interiors(self) -> list:
        return self._rings[1:]

    @property
    def area(self) -> float:
        if not self._rings:
            return 0.0
        return abs(_shoelace(self._rings[0]._c)) - sum(
            abs(_shoelace(r._c)) for r in self._rings[1:]
        )

    @property
    def length(self) -> float:
        return sum(r.length for r in self._rings)


class _Multi(Geometry):
    __slots__ = ("_parts",)
    part_type: type = Geometry

    def __init__(self, parts: Any = None):
        parts = [] if parts is None else list(parts)
        self._parts = [
            p if isinstance(p, Geometry) else self.part_type(p) for p in parts
        ]

    @property
    def is_empty(self) -> bool:
        return all(p.is_empty for p in self._parts)

    @property
    def geoms(self) -> list:
        return list(self._parts)

    @property
    def area(self) -> float:
        return float(sum(p.area for p in self._parts))

    @property
    def length(self) -> float:
        return float(sum(p.length for p in self._parts))


class MultiPoint(_Multi):
    """Several points."""

    geom_type = "MultiPoint"
    __slots__ = ()
    part_type = Point


class MultiLineString(_Multi):
    """Several lines."""

    geom_type = "MultiLineString"
    __slots__ = ()
    part_type = LineString


class MultiPolygon(_Multi):
    """Several polygons (not unioned)."""

    geom_type = "MultiPolygon"
    __slots__ = ()

    def __init__(self, parts: Any = None):
        parts = [] if parts is None else list(parts)
        self._parts = [
            p
            if isinstance(p, Geometry)
            else Polygon(p[0], p[1] if len(p) > 1 else None)
            for p in parts
        ]


class GeometryCollection(_Multi):
    """Any geometries."""

    geom_type = "GeometryCollection"
    __slots__ = ()


_CLASSES = {
    c.geom_type: c
    for c in (
        Point,
        LineString,
        LinearRing,
        Polygon,
        MultiPoint,
        MultiLineString,
        MultiPolygon,
        GeometryCollection,
    )
}


# --------------------------------------------------------------------------- coordinates


def coordinates(geom: Optional[Geometry]) -> np.ndarray:
    """All (n, 2) coordinates of one geometry, in order (rings, then parts)."""
    if geom is None:
        return np.empty((0, 2))
    if isinstance(geom, (Point, LineString)):
        return geom._c
    if isinstance(geom, Polygon):
        return (
            np.vstack([r._c for r in geom._rings]) if geom._rings else np.empty((0, 2))
        )
    arrays = [coordinates(p) for p in geom._parts]
    return np.vstack(arrays) if arrays else np.empty((0, 2))


def transform(geom: Geometry, fn: Callable[[np.ndarray], np.ndarray]) -> Geometry:
    """Apply `fn` to the (n, 2) coordinates of `geom`, shape kept."""
    if geom is None:
        return None
    if isinstance(geom, Point):
        return Point(fn(geom._c)) if len(geom._c) else Point()
    if isinstance(geom, LineString):
        return type(geom)(fn(geom._c)) if len(geom._c) else type(geom)()
    if isinstance(geom, Polygon):
        if not geom._rings:
            return Polygon()
        rings = [LinearRing(fn(r._c)) for r in geom._rings]
        return Polygon(rings[0], rings[1:])
    return type(geom)([transform(p, fn) for p in geom._parts])


# --------------------------------------------------------------------------- WKB


def _write(geom: Geometry, out: list) -> None:
    kind = geom.geom_type
    out.append(struct.pack("<BI", 1, _WKB_CODE[kind]))
    if isinstance(geom, Point):
        c = geom._c[0] if len(geom._c) else (np.nan, np.nan)
        out.append(struct.pack("<2d", *c))
    elif isinstance(geom, LineString):
        out.append(struct.pack("<I", len(geom._c)))
        out.append(np.ascontiguousarray(geom._c, dtype="<f8").tobytes())
    elif isinstance(geom, Polygon):
        out.append(struct.pack("<I", len(geom._rings)))
        for r in geom._rings:
            out.append(struct.pack("<I", len(r._c)))
            out.append(np.ascontiguousarray(r._c, dtype="<f8").tobytes())
    else:
        out.append(struct.pack("<I", len(geom._parts)))
        for p in geom._parts:
            _write(p, out)


def to_wkb(geom: Optional[Geometry]) -> Optional[bytes]:
    """ISO WKB (little endian, 2-D) of one geometry; None stays None."""
    if geom is None:
        return None
    out: list = []
    _write(geom, out)
    return b"".join(out)


def _read(buf: memoryview, pos: int):
    order = "<" if buf[pos] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", buf, pos + 1)
    pos += 5
    dims = 2
    if code & 0x20000000:  # EWKB SRID
        pos += 4
    if code & 0x80000000 or code & 0x40000000:  # EWKB Z / M flags
        dims += bool(code & 0x80000000) + bool(code & 0x40000000)
        code &= 0xFF
    else:
        dims += {0: 0, 1: 1, 2: 1, 3: 2}[code // 1000]
        code %= 1000

    def seq(pos):
        (n,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        arr = np.frombuffer(buf, dtype=order + "f8", count=n * dims, offset=pos)
        return arr.reshape(n, dims)[:, :2].astype(np.float64), pos + 8 * n * dims

    if code == 1:
        arr = np.frombuffer(buf, dtype=order + "f8", count=dims, offset=pos)
        pos += 8 * dims
        if np.isnan(arr[:2]).all():
            return Point(), pos
        return Point(arr[0], arr[1]), pos
    if code == 2:
        c, pos = seq(pos)
        return LineString(c), pos
    if code == 3:
        (n,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        rings = []
        for _ in range(n):
            c, pos = seq(pos)
            rings.append(c)
        return (Polygon(rings[0], rings[1:]) if rings else Polygon()), pos
    if 4 <= code <= 7:
        (n,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        parts = []
        for _ in range(n):
            p, pos = _read(buf, pos)
            parts.append(p)
        cls = _CLASSES[KINDS[code]]
        return cls(parts), pos
    raise GeometryError(
        f"WKB geometry type {code} (curves, surfaces, TINs) is not supported; "
        "convert the layer to linear geometries (Processing: Segmentize)."
    )


def from_wkb(data: Any) -> Optional[Geometry]:
    """One geometry from WKB bytes; None stays None."""
    if data is None:
        return None
    geom, _ = _read(memoryview(bytes(data)), 0)
    return geom


# --------------------------------------------------------------------------- GeoJSON


def geojson(geom: Geometry) -> dict:
    """Return the GeoJSON-like mapping of `geom` (tuples, as shapely's ``mapping``)."""
    kind = geom.geom_type
    if isinstance(geom, Point):
        return {"type": kind, "coordinates": tuple(geom._c[0]) if len(geom._c) else ()}
    if isinstance(geom, LineString):
        return {"type": "LineString", "coordinates": tuple(geom.coords)}
    if isinstance(geom, Polygon):
        return {
            "type": kind,
            "coordinates": tuple(tuple(r.coords) for r in geom._rings),
        }
    if isinstance(geom, GeometryCollection):
        return {"type": kind, "geometries": [geojson(p) for p in geom._parts]}
    return {
        "type": kind,
        "coordinates": tuple(geojson(p)["coordinates"] for p in geom._parts),
    }


def shape(mapping: dict) -> Geometry:
    """Return a geometry from a GeoJSON geometry mapping."""
    kind = mapping.get("type")
    if kind == "GeometryCollection":
        return GeometryCollection([shape(g) for g in mapping.get("geometries", [])])
    c = mapping.get("coordinates")
    if kind not in _CLASSES:
        raise GeometryError(f"unknown GeoJSON geometry type {kind!r}")
    if c is None or (not isinstance(c, np.ndarray) and len(c) == 0):
        return _CLASSES[kind]()
    if kind == "Point":
        return Point(c[0], c[1])
    if kind in ("LineString", "LinearRing"):
        return _CLASSES[kind](c)
    if kind == "Polygon":
        return Polygon(c[0], list(c[1:]))
    if kind == "MultiPoint":
        return MultiPoint([Point(p[0], p[1]) for p in c])
    if kind == "MultiLineString":
        return MultiLineString([LineString(p) for p in c])
    return MultiPolygon([Polygon(p[0], list(p[1:])) for p in c])


# --------------------------------------------------------------------------- GEOS via QGIS


def _qgs(geom: Geometry):
    from qgis.core import QgsGeometry

    g = QgsGeometry()
    g.fromWkb(to_wkb(geom))
    return g


def _back(g) -> Geometry:
    if g is None or g.isNull():
        return GeometryCollection()
    return from_wkb(bytes(g.asWkb()))


def _raise_on_error(g, what: str):
    # a null result without an error is QGIS's empty result (e.g. disjoint inputs)
    if g.isNull() and g.lastError():
        raise GeometryError(
            f"{what} failed in GEOS (QGIS): {g.lastError() or 'no result'}; repair "
            "the input geometries (Processing: Fix geometries) and try again"
        )
    return g


_DIM = {
    "Point": 0,
    "MultiPoint": 0,
    "LineString": 1,
    "LinearRing": 1,
    "MultiLineString": 1,
    "Polygon": 2,
    "MultiPolygon": 2,
}


def _empty(dim: Optional[int]) -> Geometry:
    """GEOS's (OverlayNG) empty result of dimension `dim`."""
    return {0: Point, 1: LineString, 2: Polygon}.get(dim, GeometryCollection)()


def _overlay(out, a: Geometry, b: Geometry, dim: Optional[int]) -> Geometry:
    out = _raise_on_error(out, "overlay")
    if out.isNull() or out.isEmpty():
        return _empty(dim)
    return _back(out)


# QGIS returns a null geometry when an operand is empty: GEOS's answers instead


def union(a: Geometry, b: Geometry) -> Geometry:
    """Union of two geometries (GEOS through QGIS)."""
    da, db = _DIM.get(a.geom_type), _DIM.get(b.geom_type)
    dim = None if da is None or db is None else max(da, db)
    if a.is_empty and b.is_empty:
        return _empty(dim)
    if a.is_empty or b.is_empty:
        return b if a.is_empty else a
    return _overlay(_qgs(a).combine(_qgs(b)), a, b, dim)


def union_all(geoms: Any) -> Geometry:
    """Union of every non-missing geometry (one GEOS unary union).

    As the core uses it, of polygons: for a mix of points, lines and polygons
    QGIS's union may keep line pieces inside polygons that shapely drops.
    """
    items = [g for g in geoms if g is not None and not g.is_empty]
    if not items:
        return GeometryCollection()
    return _back(_unary(items))


def _unary(items: list):
    from qgis.core import QgsGeometry

    out = QgsGeometry.unaryUnion([_qgs(g) for g in items])
    return _raise_on_error(out, "union")


def intersection(a: Geometry, b: Geometry) -> Geometry:
    """Intersection of two geometries (GEOS through QGIS)."""
    da, db = _DIM.get(a.geom_type), _DIM.get(b.geom_type)
    dim = None if da is None or db is None else min(da, db)
    if a.is_empty or b.is_empty:
        return _empty(dim)
    return _overlay(_qgs(a).intersection(_qgs(b)), a, b, dim)


def difference(a: Geometry, b: Geometry) -> Geometry:
    """Return `a` minus `b` (GEOS through QGIS)."""
    if a.is_empty:
        return _empty(_DIM.get(a.geom_type))
    if b.is_empty:
        return a
    return _overlay(_qgs(a).difference(_qgs(b)), a, b, _DIM.get(a.geom_type))


def intersects(a: Geometry, b: Geometry) -> bool:
    """Whether `a` and `b` share a point (GEOS through QGIS)."""
    return bool(_qgs(a).intersects(_qgs(b)))


def point_on_surface(geom: Geometry) -> Geometry:
    """Return a point inside `geom` (GEOS PointOnSurface through QGIS)."""
    return _back(_raise_on_error(_qgs(geom).pointOnSurface(), "point on surface"))


_COVERS = ("T*****FF*", "*T****FF*", "***T**FF*", "****T*FF*")


def covers(a: Geometry, b: Geometry) -> bool:
    """GEOS covers: no point of `b` outside `a` (the DE-9IM covers patterns)."""
    if a is None or b is None or a.is_empty or b.is_empty:
        return False
    engine, gb = _engine(a), _qgs(b)  # gb alive while GEOS reads constGet()
    return any(engine.relatePattern(gb.constGet(), p) for p in _COVERS)


def is_valid(geom: Geometry) -> bool:
    """GEOS validity (an empty geometry is valid, as in GEOS)."""
    return geom.is_empty or bool(_qgs(geom).isGeosValid())


def make_valid(geom: Geometry) -> Geometry:
    """GEOS MakeValid (the 'linework' method, as shapely's make_valid)."""
    if geom.is_empty:
        return geom
    return _back(_raise_on_error(_qgs(geom).makeValid(), "make-valid"))


def wkt(geom: Geometry) -> str:
    """Well-known text of one geometry (through QGIS)."""
    return _qgs(geom).asWkt()


def from_wkt(text: str) -> Geometry:
    """One geometry from well-known text (through QGIS)."""
    from qgis.core import QgsGeometry

    g = QgsGeometry.fromWkt(text)
    if g.isNull():
        raise GeometryError(f"cannot read geometry from text {text[:60]!r}")
    return _back(g)


def contains_properly(a: Geometry, b: Geometry) -> bool:
    """GEOS contains-properly: `b` lies in the interior of `a` (DE-9IM ``T**FF*FF*``)."""
    if a is None or b is None or a.is_empty or b.is_empty:
        return False
    gb = _qgs(b)  # keep the QgsGeometry alive while GEOS reads its constGet()
    if not _engine(a).contains(gb.constGet()):
        return False
    # contained, and in the interior: not touching `a`'s boundary (both tests on
    # prepared geometries; a relate() on the polygon is 100 times slower)
    return not _engine(a, boundary=True).intersects(gb.constGet())


_ENGINES: dict = {}  # (id, boundary?) -> (geometry, its QgsGeometry, prepared engine)


def _rings(geom: Geometry) -> Geometry:
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    return MultiLineString(
        [LineString(r._c) for p in polys if not p.is_empty for r in p._rings]
    )


def _engine(geom: Geometry, boundary: bool = False):
    """Return a prepared GEOS engine of `geom` (or of its rings), cached (last 256)."""
    key = (id(geom), boundary)
    hit = _ENGINES.get(key)
    if hit is not None and hit[0] is geom:
        return hit[2]
    from qgis.core import QgsGeometry

    g = _qgs(_rings(geom) if boundary else geom)
    engine = QgsGeometry.createGeometryEngine(g.constGet())
    engine.prepareGeometry()
    if len(_ENGINES) >= 256:
        _ENGINES.pop(next(iter(_ENGINES)))
    _ENGINES[key] = (geom, g, engine)
    return engine


def clip_by_rect(geom: Geometry, xmin, ymin, xmax, ymax) -> Geometry:
    """`geom` clipped to a rectangle (GEOS ClipByRect through QGIS)."""
    from qgis.core import QgsRectangle

    return _back(_qgs(geom).clipped(QgsRectangle(xmin, ymin, xmax, ymax)))


def line_merge(geom: Geometry) -> Geometry:
    """Lines sewn together at shared end points (GEOS LineMerge through QGIS)."""
    return _back(_raise_on_error(_qgs(geom).mergeLines(), "line merge"))


def buffer(geom: Geometry, distance: float, quad_segs: int = 8) -> Geometry:
    """Planar buffer in the coordinates' units (GEOS through QGIS)."""
    return _back(_raise_on_error(_qgs(geom).buffer(distance, quad_segs), "buffer"))


def invalid_reason(geom: Geometry) -> str:
    """GEOS's reason why `geom` is invalid ("Valid Geometry" when it is valid)."""
    from qgis.core import QgsGeometry

    errors = _qgs(geom).validateGeometry(QgsGeometry.ValidatorGeos)
    return errors[0].what() if errors else "Valid Geometry"


def bounds_array(geoms: Any) -> np.ndarray:
    """(n, 4) ``minx, miny, maxx, maxy`` of each geometry; NaN rows for missing/empty."""
    arr = np.asarray(geoms, dtype=object).ravel()
    out = np.full((len(arr), 4), np.nan)
    for i, g in enumerate(arr):
        if g is not None and not g.is_empty:
            out[i] = g.bounds
    return out


class Prepared:
    """One geometry prepared in GEOS (through QGIS) for many point-in-polygon tests."""

    def __init__(self, geom: Geometry):
        from qgis.core import QgsGeometry

        self._g = _qgs(geom)
        self.engine = QgsGeometry.createGeometryEngine(self._g.constGet())
        self.engine.prepareGeometry()

    def contains_xy(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether each (x, y) lies in the interior of the geometry."""
        from qgis.core import QgsPoint

        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        out = np.zeros(x.shape, dtype=bool)
        flat_x, flat_y, flat = x.ravel(), y.ravel(), out.reshape(-1)
        for i in range(len(flat_x)):
            if np.isfinite(flat_x[i]) and np.isfinite(flat_y[i]):
                flat[i] = self.engine.contains(QgsPoint(flat_x[i], flat_y[i]))
        return out

    def intersects(self, geom: Geometry) -> bool:
        """GEOS intersects with another geometry."""
        g = _qgs(geom)  # alive while GEOS reads its constGet()
        return bool(self.engine.intersects(g.constGet()))


class Tree:
    """Bounding-box index of geometries, with shapely's ``STRtree.query`` contract.

    ``query(geoms, predicate)`` returns the (2, k) array of (query index, tree
    index) pairs, query index ascending and tree index ascending within one
    query; ``predicate="intersects"`` keeps the pairs whose geometries intersect
    (GEOS, the tree's geometries prepared).  The boxes are compared with numpy
    in blocks.
    """

    _BLOCK = 4_000_000  # box comparisons per numpy block

    def __init__(self, geoms: Any):
        self.geometries = np.asarray(geoms, dtype=object).ravel()
        self._b = bounds_array(self.geometries)
        self._prepared: dict = {}

    def __len__(self) -> int:
        return len(self.geometries)

    def query(self, geoms: Any, predicate: Optional[str] = None) -> np.ndarray:
        """(query index, tree index) pairs whose boxes (and geometries) intersect."""
        if predicate not in (None, "intersects"):
            raise GeometryError(f"tree predicate {predicate!r} is not supported here")
        q = np.asarray(geoms, dtype=object).ravel()
        qb = bounds_array(q)
        n = max(len(self._b), 1)
        step = max(self._BLOCK // n, 1)
        qi_all, ti_all = [], []
        x0, y0, x1, y1 = (self._b[:, k] for k in range(4))
        for s in range(0, len(q), step):
            b = qb[s : s + step]
            hit = (
                (x0[None, :] <= b[:, 2:3])
                & (x1[None, :] >= b[:, 0:1])
                & (y0[None, :] <= b[:, 3:4])
                & (y1[None, :] >= b[:, 1:2])
            )
            qi, ti = np.nonzero(hit)
            qi_all.append(qi + s)
            ti_all.append(ti)
        qi = np.concatenate(qi_all) if qi_all else np.zeros(0, np.int64)
        ti = np.concatenate(ti_all) if ti_all else np.zeros(0, np.int64)
        if predicate == "intersects" and len(qi):
            keep = np.array(
                [
                    self._prep(t).intersects(q[i])
                    for i, t in zip(qi.tolist(), ti.tolist())
                ],
                dtype=bool,
            )
            qi, ti = qi[keep], ti[keep]
        return np.vstack([qi.astype(np.int64), ti.astype(np.int64)])

    def _prep(self, t: int) -> Prepared:
        p = self._prepared.get(t)
        if p is None:
            p = self._prepared[t] = Prepared(self.geometries[t])
        return p
