"""Cut lines and polygons at the antimeridian (±180°), RFC 7946 style.

Conventions: coordinates are (lon, lat) in degrees on the WGS84 ellipsoid unless
a ``geod=``/``ellps=`` keyword says otherwise; the edges between vertices are
**geodesics**.  Between two consecutive vertices the geodesic takes the shorter
way round in longitude, so an edge from 179° to -179° crosses the antimeridian
(2° of longitude), it does not run 358° the other way.

:func:`split` returns geometries whose longitudes all lie in [-180, 180], cut
where the geodesic edges cross ±180.  The latitude of each crossing is computed
on the geodesic itself (Newton iteration on the direct problem), not by linear
interpolation in longitude/latitude.  A polygon whose ring winds once around a
pole is closed along that pole (the edge at latitude ±90 from 180 to -180).
"""

from __future__ import annotations

import math
from typing import Optional, cast, overload

import numpy as np
import pyproj
import shapely

from geoconflict._geom import (
    as_geometry_array,
    as_polygonal,
    box,
    collection,
    difference,
    empty_polygon,
    intersection,
    line,
    multiline,
    polygon,
    polygonal_parts,
    repair,
    return_geometry_like,
    shift_x,
    signed_area,
    transform,
)
from geoconflict._typing import (
    ArrayLike,
    BaseGeometry,
    FloatArray,
    FloatOrArray,
    GeometryCollection,
    GeometryLike,
    GeometryOrArray,
    LineString,
    MultiLineString,
    MultiPolygon,
    ObjectArray,
    Polygon,
)
from geoconflict.errors import GeometryError
from geoconflict.geodesy.ellipsoid import get_geod, wrap_lon

__all__ = ["crossing_latitude", "pieces_need_split", "ring_region", "split"]

_WORLD = box(-180.0, -90.0, 180.0, 90.0)


# --------------------------------------------------------------------------- helpers


def _unwrap(lon: np.ndarray) -> np.ndarray:
    """Continuous longitudes: every step is the shorter way round (|step| <= 180).

    Values are only shifted by whole multiples of 360 degrees.
    """
    lon = np.asarray(lon, dtype=np.float64)
    if len(lon) < 2:
        return lon.copy()
    raw = np.diff(lon)
    step = wrap_lon(raw)
    turns = np.rint((step - raw) / 360.0)
    k = np.concatenate(([0.0], np.cumsum(turns)))
    return lon + 360.0 * k


def crossing_latitude(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    lon_cross: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FloatOrArray:
    """Latitude where the geodesic from point 1 to point 2 crosses a meridian.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        End points of the geodesic edge, degrees.  The longitudes must be
        continuous (``|lon2 - lon1| <= 180``) and `lon_cross` must lie between
        them; longitudes beyond ±180 are allowed (e.g. 179 to 181).
    lon_cross : float or array_like
        Longitude of the meridian, degrees (e.g. 180).
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    float or ndarray
        Latitude of the crossing in degrees, on the geodesic (not interpolated
        linearly in longitude/latitude).

    Examples
    --------
    The geodesic from (179, 10) to (-179, 12) crosses 180° slightly north of the
    straight-line value 11°, because geodesics bulge poleward:

    >>> lat = crossing_latitude(179.0, 10.0, 181.0, 12.0, 180.0)
    >>> round(lat, 6)
    11.00505
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (lon1, lat1, lon2, lat2, lon_cross))
    )
    scalar = arrays[0].ndim == 0
    lo1, la1, lo2, la2, lc = (np.atleast_1d(a).ravel().copy() for a in arrays)
    g = get_geod(geod, ellps)
    out = _crossing_lat(lo1, la1, lo2, la2, lc, g)
    return float(out[0]) if scalar else out.reshape(arrays[0].shape)


def _crossing_lat(
    lo1: FloatArray,
    la1: FloatArray,
    lo2: FloatArray,
    la2: FloatArray,
    lc: FloatArray,
    g: pyproj.Geod,
) -> FloatArray:
    """Vectorized safeguarded Newton iteration along each geodesic edge."""
    if len(lo1) == 0:
        return np.empty(0)
    az, _, s12 = g.inv(lo1, la1, lo2, la2)
    az = np.asarray(az, dtype=np.float64)
    s12 = np.asarray(s12, dtype=np.float64)
    sign = np.sign(lo2 - lo1)
    lo = np.zeros_like(s12)
    hi = s12.copy()
    span = np.where(lo2 != lo1, lo2 - lo1, 1.0)
    s = s12 * np.clip((lc - lo1) / span, 0.0, 1.0)
    lat = la1.copy()
    es = g.es
    for _ in range(60):
        lon, lat, baz = g.fwd(lo1, la1, az, s)
        lon = np.asarray(lon)
        lat = np.asarray(lat)
        f = (lo1 + wrap_lon(lon - lo1) - lc) * sign  # < 0: not reached yet
        if np.all(np.abs(f) < 1e-12):
            break
        before = f < 0
        lo = np.where(before, s, lo)
        hi = np.where(before, hi, s)
        fwd_az = np.radians(np.asarray(baz) + 180.0)
        phi = np.radians(lat)
        nu = g.a / np.sqrt(1.0 - es * np.sin(phi) ** 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            dlon_ds = np.degrees(np.sin(fwd_az) / (nu * np.cos(phi))) * sign
            s_new = s - f / dlon_ds
        bad = ~np.isfinite(s_new) | (s_new <= lo) | (s_new >= hi)
        s = np.where(bad, 0.5 * (lo + hi), s_new)
    return np.asarray(lat, dtype=np.float64)


def _insert_crossings(
    lon_u: FloatArray, lat: FloatArray, g: pyproj.Geod
) -> tuple[FloatArray, FloatArray]:
    """Insert a vertex exactly on every meridian 180 + 360 k that an edge crosses."""
    a, b = lon_u[:-1], lon_u[1:]
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    m = np.floor((lo - 180.0) / 360.0) + 1.0
    bound = 180.0 + 360.0 * m
    cross = (bound > lo) & (bound < hi)
    if not cross.any():
        return lon_u, lat
    idx = np.flatnonzero(cross)
    clat = _crossing_lat(
        lon_u[idx], lat[idx], lon_u[idx + 1], lat[idx + 1], bound[idx], g
    )
    return np.insert(lon_u, idx + 1, bound[idx]), np.insert(lat, idx + 1, clat)


def _to_bands(poly: BaseGeometry) -> list[BaseGeometry]:
    """Cut a planar polygon with longitudes beyond ±180 into pieces in [-180, 180]."""
    if poly.is_empty:
        return []
    minx, _, maxx, _ = poly.bounds
    kmin = math.floor((minx + 180.0) / 360.0)
    kmax = math.ceil((maxx + 180.0) / 360.0) - 1
    kmax = max(kmax, kmin)
    if kmin == kmax == 0:
        return [poly]
    pieces = []
    for k in range(kmin, kmax + 1):
        band = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        part = poly if kmin == kmax else intersection(poly, band)
        for p in polygonal_parts(part):
            pieces.append(shift_x(p, -360.0 * k))
    return pieces


def ring_region(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    interior_left: bool,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> BaseGeometry:
    """Region of the ellipsoid bounded by one closed ring, as lon/lat polygons.

    Parameters
    ----------
    lon, lat : array_like
        Ring vertices in degrees, joined by geodesics (the shorter way round in
        longitude); closed or not.
    interior_left : bool
        True if the region lies on the left of the direction of travel (seen from
        outside the Earth), i.e. the ring runs counterclockwise around it.
    geod, ellps
        Ellipsoid; WGS84 by default.

    Returns
    -------
    Polygon or MultiPolygon
        Within [-180, 180] x [-90, 90]: cut at the antimeridian, closed along
        the pole edge if the ring winds around a pole, and the complement of the
        ring's planar inside if the region contains both poles.
    """
    g = get_geod(geod, ellps)
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    if len(lon) < 3:
        return empty_polygon()
    if lon[0] != lon[-1] or lat[0] != lat[-1]:
        lon = np.append(lon, lon[0])
        lat = np.append(lat, lat[0])
    lon_u = _unwrap(lon)
    lon_u, lat = _insert_crossings(lon_u, lat, g)
    turns = int(np.rint((lon_u[-1] - lon_u[0]) / 360.0))
    if turns == 0:
        lon_u[-1] = lon_u[0]
        plane = repair(polygon(np.column_stack([lon_u, lat])))
        ccw = signed_area(lon_u, lat) > 0
        pieces = []
        for p in polygonal_parts(plane):
            pieces.extend(_to_bands(p))
        inside = as_polygonal(pieces)
        if ccw == interior_left:
            return inside
        return as_polygonal(polygonal_parts(difference(_WORLD, inside)))
    if abs(turns) != 1:
        raise GeometryError(
            f"a ring winds {abs(turns)} times around a pole; it is not a simple "
            "ring on the ellipsoid. Check the vertex order."
        )
    pole = 90.0 if (turns > 0) == interior_left else -90.0
    on_bound = np.flatnonzero(np.mod(lon_u[:-1] - 180.0, 360.0) == 0.0)
    i = int(on_bound[0])
    shift = 360.0 * turns
    path_lon = np.concatenate([lon_u[i:-1], lon_u[: i + 1] + shift])
    path_lat = np.concatenate([lat[i:-1], lat[: i + 1]])
    start, end = path_lon[0], path_lon[-1]
    ring_lon = np.concatenate([path_lon, [end, start, start]])
    ring_lat = np.concatenate([path_lat, [pole, pole, path_lat[0]]])
    plane = repair(polygon(np.column_stack([ring_lon, ring_lat])))
    pieces = []
    for p in polygonal_parts(plane):
        pieces.extend(_to_bands(p))
    return as_polygonal(pieces)


# --------------------------------------------------------------------------- split


def _needs_split(coords: np.ndarray) -> bool:
    return bool(pieces_need_split(coords, np.zeros(len(coords), np.int64), 1)[0])


def pieces_need_split(coords: np.ndarray, piece: np.ndarray, n: int) -> np.ndarray:
    """Which of `n` lines or rings must be cut at the antimeridian (vectorized).

    `coords` (k, 2) are the vertices of all pieces, `piece` (k,) the piece of
    each vertex (sorted).  A piece needs a cut if a longitude lies beyond ±180
    or an edge jumps more than 180 degrees (the short way crosses ±180); edges
    along the antimeridian itself (180 -> -180) or at a pole are not crossings.

    Parameters
    ----------
    coords : ndarray, shape (k, 2)
        (lon, lat) degrees of every vertex of every piece, piece after piece.
    piece : ndarray of int, shape (k,)
        Index of the piece of each vertex, non-decreasing.
    n : int
        Number of pieces.

    Returns
    -------
    ndarray of bool, shape (n,)
        True for the pieces that :func:`split` would cut.

    Examples
    --------
    >>> xy = np.array([[170.0, 0], [-170, 0], [10, 0], [20, 0]])
    >>> pieces_need_split(xy, np.array([0, 0, 1, 1]), 2).tolist()
    [True, False]
    """
    lon, lat = coords[:, 0], coords[:, 1]
    beyond = np.abs(lon) > 180.0
    jump = np.abs(np.diff(lon)) > 180.0
    on_am = (np.abs(lon[:-1]) == 180.0) & (np.abs(lon[1:]) == 180.0)
    at_pole = (np.abs(lat[:-1]) == 90.0) | (np.abs(lat[1:]) == 90.0)
    jump &= ~on_am & ~at_pole & (piece[1:] == piece[:-1])
    out = np.bincount(piece[beyond], minlength=n) > 0
    out |= np.bincount(piece[:-1][jump], minlength=n) > 0
    return out


def _split_line(coords: FloatArray, g: pyproj.Geod) -> list[BaseGeometry]:
    lon_u, lat = _insert_crossings(_unwrap(coords[:, 0]), coords[:, 1], g)
    on_bound = np.mod(lon_u - 180.0, 360.0) == 0.0
    cuts = np.flatnonzero(on_bound[1:-1]) + 1
    pieces = []
    start = 0
    for c in [*cuts.tolist(), len(lon_u) - 1]:
        seg_lon = lon_u[start : c + 1]
        seg_lat = lat[start : c + 1]
        start = c
        if len(seg_lon) < 2:
            continue
        mid = 0.5 * (seg_lon[0] + seg_lon[1])
        k = math.floor((mid + 180.0) / 360.0)
        pieces.append(line(np.column_stack([seg_lon - 360.0 * k, seg_lat])))
    return pieces


def _ring_side(coords: np.ndarray, *, hole: bool) -> bool:
    """Which side of a ring in lon/lat is its inside (True: left).

    A ring that does not wind around a pole: its planar inside in unwrapped
    longitudes, whatever its orientation.  A ring winding around a pole: the
    RFC 7946 right-hand rule (exterior interior on the left, hole on the right).
    """
    lon_u = _unwrap(coords[:, 0])
    if abs(lon_u[-1] - lon_u[0]) > 180.0:
        return not hole
    return signed_area(lon_u, coords[:, 1]) > 0


def _split_polygon(poly: Polygon, g: pyproj.Geod) -> BaseGeometry:
    ext = np.asarray(poly.exterior.coords)[:, :2]
    left = _ring_side(ext, hole=False)
    region = ring_region(ext[:, 0], ext[:, 1], interior_left=left, geod=g)
    for hole in poly.interiors:
        h = np.asarray(hole.coords)[:, :2]
        left = _ring_side(h, hole=True)
        hole_region = ring_region(h[:, 0], h[:, 1], interior_left=left, geod=g)
        region = as_polygonal(polygonal_parts(difference(region, hole_region)))
    return region


def _split_one(geom: Optional[BaseGeometry], g: pyproj.Geod) -> Optional[BaseGeometry]:
    if geom is None:
        return None
    return _split_geometry(geom, g)


def _split_geometry(geom: BaseGeometry, g: pyproj.Geod) -> BaseGeometry:
    if geom.is_empty:
        return geom
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise GeometryError(
            f"{geom.geom_type} has a non-finite coordinate; drop or fix the vertex "
            "before splitting at the antimeridian."
        )
    if (np.abs(coords[:, 1]) > 90.0).any():
        bad = coords[np.abs(coords[:, 1]) > 90.0][0]
        raise GeometryError(
            f"{geom.geom_type} has a latitude outside [-90, 90]: {bad[1]!r} "
            "(coordinates must be (lon, lat) in degrees)."
        )
    kind = geom.geom_type
    if kind in ("Point", "MultiPoint"):
        if (np.abs(coords[:, 0]) <= 180.0).all():
            return geom
        return transform(geom, lambda c: np.column_stack([wrap_lon(c[:, 0]), c[:, 1]]))
    if kind == "GeometryCollection":
        members = cast(GeometryCollection, geom).geoms
        return collection([_split_geometry(p, g) for p in members])
    if kind in ("LineString", "LinearRing", "MultiLineString"):
        lines = (
            [cast(LineString, geom)]
            if kind != "MultiLineString"
            else list(cast(MultiLineString, geom).geoms)
        )
        if not any(_needs_split(np.asarray(ln.coords)[:, :2]) for ln in lines):
            return geom
        parts = []
        for ln in lines:
            parts.extend(_split_line(np.asarray(ln.coords)[:, :2], g))
        return parts[0] if len(parts) == 1 else multiline(parts)
    if kind in ("Polygon", "MultiPolygon"):
        polys = (
            [cast(Polygon, geom)]
            if kind == "Polygon"
            else list(cast(MultiPolygon, geom).geoms)
        )
        rings_need = any(
            _needs_split(np.asarray(r.coords)[:, :2])
            for p in polys
            for r in (p.exterior, *p.interiors)
        )
        if not rings_need:
            return geom
        parts = []
        for p in polys:
            parts.extend(polygonal_parts(_split_polygon(p, g)))
        return as_polygonal(parts)
    raise GeometryError(f"cannot split a {kind} at the antimeridian")


@overload
def split(
    geometry: BaseGeometry,
    *,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> BaseGeometry: ...
@overload
def split(
    geometry: ObjectArray,
    *,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> ObjectArray: ...
@overload
def split(
    geometry: GeometryLike,
    *,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> GeometryOrArray: ...
def split(
    geometry: GeometryLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> GeometryOrArray:
    """Cut geometries at the antimeridian into parts within [-180, 180].

    Lines and polygon rings may be given with continuous longitudes beyond ±180
    (e.g. 170 to 190) or with edges that jump across the antimeridian (e.g. 179
    to -179): consecutive vertices are joined by the geodesic, which takes the
    shorter way round.  Each crossing of ±180 becomes a vertex whose latitude
    is computed on the geodesic.  A polygon ring that winds once around a pole
    is closed along that pole's edge (latitude ±90 from 180 to -180); which
    pole follows the RFC 7946 right-hand rule (the interior is on the left of a
    counterclockwise exterior).  Geometries that need no cut are returned
    unchanged, so the function is idempotent.

    Parameters
    ----------
    geometry : geometry or array_like of geometries
        Shapely geometries (or ``__geo_interface__`` objects) in lon/lat degrees.
        Points are wrapped to [-180, 180]; ``None`` stays ``None``.
    geod : pyproj.Geod, optional
        Ellipsoid for the crossing latitudes; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    geometry or ndarray of geometries
        LineString/MultiLineString or Polygon/MultiPolygon with every longitude in
        [-180, 180].

    Raises
    ------
    GeometryError
        Non-finite coordinates, latitudes beyond ±90, or a ring winding more than
        once around a pole.

    Examples
    --------
    >>> from shapely import LineString
    >>> parts = split(LineString([(170, 0), (190, 0)]))
    >>> [[round(x, 6) for x, _ in p.coords] for p in parts.geoms]
    [[170.0, 180.0], [-180.0, -170.0]]
    """
    geoms, scalar = as_geometry_array(geometry)
    g = get_geod(geod, ellps)
    out = np.array([_split_one(gm, g) for gm in geoms], dtype=object)
    return return_geometry_like(scalar, out)
