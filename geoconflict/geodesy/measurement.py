"""Vectorized geodesics on the ellipsoid: inverse, direct, distance, length, area.

Conventions used throughout geoconflict:

* coordinates are **(lon, lat) in degrees** on the WGS84 ellipsoid (EPSG:4326)
  unless a ``geod=`` or ``ellps=`` keyword says otherwise;
* distances are in **meters**, azimuths in **degrees clockwise from true north**;
* lines and polygon edges are **geodesics between their vertices** (not straight
  lines in longitude/latitude);
* scalars in give scalars out, arrays in give ndarrays out (broadcast), NaN in
  gives NaN out.

The heavy lifting is done by :class:`pyproj.Geod` (Karney's algorithms, accurate
to a few nanometers); this module adds the calling convention, validation and the
vectorized multi-geometry operations.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple, Optional, overload

import numpy as np
import pyproj
import shapely

from geoconflict._arrays import as_float_arrays, check_lonlat, return_like
from geoconflict._geom import (
    as_geometry_array,
    from_ragged,
    multipolygon,
    polygonal_parts,
    return_geometry_like,
    to_ragged,
)
from geoconflict._typing import (
    ArrayLike,
    BaseGeometry,
    BoolArray,
    FloatArray,
    FloatOrArray,
    GeometryLike,
    GeometryOrArray,
    IntArray,
    ObjectArray,
)
from geoconflict.errors import GeometryError
from geoconflict.geodesy.antimeridian import pieces_need_split, split
from geoconflict.geodesy.ellipsoid import get_geod, wrap_lon

__all__ = [
    "Direct",
    "Inverse",
    "area",
    "azimuth",
    "densify",
    "direct",
    "distance",
    "get_geod",
    "inverse",
    "length",
    "wrap_lon",
]


class Inverse(NamedTuple):
    """Solution of the inverse geodesic problem.

    Attributes
    ----------
    distance : float or ndarray
        Geodesic distance in meters.
    azimuth1 : float or ndarray
        Azimuth of the geodesic at point 1, degrees clockwise from north.
    azimuth2 : float or ndarray
        Forward azimuth of the geodesic at point 2 (the direction of travel on
        arrival), degrees clockwise from north.
    """

    distance: FloatOrArray
    azimuth1: FloatOrArray
    azimuth2: FloatOrArray


class Direct(NamedTuple):
    """Solution of the direct geodesic problem.

    Attributes
    ----------
    lon, lat : float or ndarray
        End point in degrees; ``lon`` is wrapped to [-180, 180].
    azimuth : float or ndarray
        Forward azimuth at the end point, degrees clockwise from north.
    """

    lon: FloatOrArray
    lat: FloatOrArray
    azimuth: FloatOrArray


def _forward_from_back(back_azimuth: ArrayLike) -> FloatArray:
    """Forward azimuth at the end point from pyproj's back azimuth, in (-180, 180]."""
    az = np.asarray(back_azimuth, dtype=float) + 180.0
    return np.where(az > 180.0, az - 360.0, az)


def _shaped(scalar: bool, shape: tuple[int, ...], *arrays: ArrayLike) -> Any:
    """Reshape pyproj's flat outputs to the input shape (floats for scalar input)."""
    return return_like(
        scalar, *(np.asarray(a, dtype=float).reshape(shape) for a in arrays)
    )


def inverse(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> Inverse:
    """Distance and azimuths between points (the inverse geodesic problem).

    Parameters
    ----------
    lon1, lat1 : float or array_like
        First point(s), degrees.
    lon2, lat2 : float or array_like
        Second point(s), degrees. All four broadcast together.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    Inverse
        ``(distance, azimuth1, azimuth2)``: meters, and degrees clockwise from
        north at each end (``azimuth2`` is the forward azimuth at point 2).

    Raises
    ------
    CoordinateError
        For latitudes outside ±90 or longitudes outside ±540 degrees.

    Examples
    --------
    Boston to Portland, Oregon:

    >>> r = inverse(-71.0603, 42.3583, -123.6764, 45.5237)
    >>> round(r.distance)
    4162839
    >>> round(r.azimuth1, 3), round(r.azimuth2, 3)
    (-66.635, -104.524)
    """
    (lo1, la1, lo2, la2), scalar = as_float_arrays(
        lon1, lat1, lon2, lat2, names=("lon1", "lat1", "lon2", "lat2")
    )
    check_lonlat(lo1, la1, what="first point")
    check_lonlat(lo2, la2, what="second point")
    g = get_geod(geod, ellps)
    shape = lo1.shape
    az12, az21, dist = g.inv(lo1.ravel(), la1.ravel(), lo2.ravel(), la2.ravel())
    return Inverse(*_shaped(scalar, shape, dist, az12, _forward_from_back(az21)))


def direct(
    lon: ArrayLike,
    lat: ArrayLike,
    azimuth: ArrayLike,
    distance: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> Direct:
    """Point reached from a start point along an azimuth (the direct problem).

    Parameters
    ----------
    lon, lat : float or array_like
        Start point(s), degrees.
    azimuth : float or array_like
        Degrees clockwise from north.
    distance : float or array_like
        Meters; negative values go backwards.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    Direct
        ``(lon, lat, azimuth)`` of the end point(s), degrees; ``lon`` in
        [-180, 180]; ``azimuth`` is the forward azimuth at the end point.

    Examples
    --------
    >>> d = direct(0.0, 0.0, 90.0, 111319.49079327357)
    >>> round(d.lon, 9), round(d.lat, 9)
    (1.0, 0.0)
    """
    (lo, la, az, dist), scalar = as_float_arrays(
        lon, lat, azimuth, distance, names=("lon", "lat", "azimuth", "distance")
    )
    check_lonlat(lo, la, what="start point")
    g = get_geod(geod, ellps)
    shape = lo.shape
    lo2, la2, baz = g.fwd(lo.ravel(), la.ravel(), az.ravel(), dist.ravel())
    return Direct(*_shaped(scalar, shape, lo2, la2, _forward_from_back(baz)))


def distance(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FloatOrArray:
    """Geodesic distance in meters between points (lon, lat in degrees).

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Degrees; broadcast together.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    float or ndarray
        Meters.

    Examples
    --------
    Abu Kamal (GeoNames 174448) to Al Qa'im (GeoNames 92138):

    >>> round(distance(40.91854, 34.45226, 40.98945, 34.39251))
    9296
    """
    return inverse(lon1, lat1, lon2, lat2, geod=geod, ellps=ellps).distance


def azimuth(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FloatOrArray:
    """Azimuth at point 1 towards point 2, degrees clockwise from true north.

    Examples
    --------
    >>> round(azimuth(0.0, 0.0, 0.0, 1.0), 6)
    0.0
    """
    return inverse(lon1, lat1, lon2, lat2, geod=geod, ellps=ellps).azimuth1


# --------------------------------------------------------------------------- lines


def _segments(geoms: ObjectArray) -> tuple[FloatArray, IntArray, BoolArray]:
    """Coordinates of every linear piece, with piece owner and segment mask."""
    # numpy's stubs reject None and geometries as the values of np.where
    lines = shapely.boundary(np.where(shapely.get_type_id(geoms) >= 3, geoms, None))  # type: ignore[call-overload]
    lines = np.where(  # type: ignore[call-overload]
        np.isin(shapely.get_type_id(geoms), (1, 2, 5)), geoms, lines
    )  # lines stay lines; polygons become their rings
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, part_idx = shapely.get_coordinates(parts, return_index=True)
    same = part_idx[1:] == part_idx[:-1]
    return coords, owner[part_idx], same


def length(
    geometry: GeometryLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FloatOrArray:
    """Geodesic length of lines, or perimeter of polygons, in meters.

    Vertices are joined by geodesics.  Points have length 0; ``None`` gives NaN.

    Parameters
    ----------
    geometry : geometry or array_like of geometries
        Shapely geometries (or ``__geo_interface__`` objects) in lon/lat degrees.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    float or ndarray
        Meters.

    Examples
    --------
    >>> from shapely import LineString
    >>> round(length(LineString([(0, 0), (1, 0)])), 3)
    111319.491
    """
    geoms, scalar = as_geometry_array(geometry)
    out = np.zeros(len(geoms))
    out[shapely.is_missing(geoms)] = np.nan
    valid = ~shapely.is_missing(geoms)
    if valid.any():
        coords, owner, same = _segments(geoms[valid])
        if len(coords) > 1:
            g = get_geod(geod, ellps)
            a, b = coords[:-1][same], coords[1:][same]
            check_lonlat(coords[:, 0], coords[:, 1], what="vertex")
            _, _, d = g.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
            sub = np.bincount(owner[:-1][same], weights=d, minlength=int(valid.sum()))
            out[np.flatnonzero(valid)] = sub
    return float(out[0]) if scalar else out


def _ellipsoid_area(g: pyproj.Geod) -> float:
    """Total surface area of the ellipsoid, square meters."""
    return _ellipsoid_area_af(float(g.a), float(g.f))


@lru_cache(maxsize=8)
def _ellipsoid_area_af(a: float, f: float) -> float:
    # a ring once round the equator, counterclockwise, encloses the northern half
    g = pyproj.Geod(a=a, f=f)
    half, _ = g.polygon_area_perimeter([0.0, 120.0, -120.0], [0.0, 0.0, 0.0])
    return 2.0 * abs(float(half))


#: Planar area of the lon/lat box [-180, 180] x [-90, 90], square degrees.
_BOX_DEG2 = 360.0 * 180.0


#: Longitude step, degrees, of the vertices put on an edge drawn across the map.
_ACROSS_STEP = 0.01


def _across_the_map(xy: np.ndarray) -> np.ndarray:
    """Give vertices to the edges of a ring drawn from -180 to 180 (or back).

    Both ends of such an edge are the same point of the ellipsoid, so its
    geodesic has no length; what it draws is the straight line across the map
    (the bottom of ``box(-180, 0, 180, 90)``, the northern hemisphere).  It is
    read that way: vertices every 0.01 degree of longitude along the line.
    Edges at a pole (latitude ±90) are left alone: there the line is a point.
    """
    lon, lat = xy[:, 0], xy[:, 1]
    across = (np.abs(np.diff(lon)) > 180.0) & (np.abs(lat[:-1]) < 90.0)
    across &= np.abs(lat[1:]) < 90.0
    if not across.any():
        return xy
    pieces, start = [], 0
    n = int(np.ceil(360.0 / _ACROSS_STEP))
    frac = np.arange(1, n) / n
    for i in np.flatnonzero(across):
        pieces.append(xy[start : i + 1])
        a, b = xy[i], xy[i + 1]
        pieces.append(a + frac[:, None] * (b - a))
        start = i + 1
    pieces.append(xy[start:])
    return np.concatenate(pieces)


def _parts_area(parts: np.ndarray, g: pyproj.Geod, total: float) -> np.ndarray:
    """Areas (m²) of lon/lat Polygons' planar insides, read on the ellipsoid.

    Each ring's signed geodesic area (counterclockwise positive, Karney) is
    known modulo the ellipsoid's area; orienting every ring as the planar
    polygon does (exterior counterclockwise, holes clockwise) makes the sum the
    area of the region on the left of the exterior, which lies in (0, total].
    """
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    n_rings = len(rings)
    size = np.bincount(ring_of, minlength=n_rings)
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    lon, lat = coords[:, 0], coords[:, 1]
    across = (np.abs(np.diff(lon)) > 180.0) & (np.abs(lat[:-1]) < 90.0)
    across &= (np.abs(lat[1:]) < 90.0) & (ring_of[1:] == ring_of[:-1])
    has_across = np.bincount(ring_of[:-1][across], minlength=n_rings) > 0
    signed = np.zeros(n_rings)
    for k in np.flatnonzero(size >= 4):  # one C call per ring
        xy = coords[start[k] : start[k] + size[k]]
        if has_across[k]:
            xy = _across_the_map(xy)
        signed[k] = g.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0]
    exterior = np.ones(n_rings, dtype=bool)
    exterior[1:] = ring_part[1:] != ring_part[:-1]
    outward = shapely.is_ccw(rings) == exterior
    out = np.bincount(
        ring_part, weights=np.where(outward, signed, -signed), minlength=len(parts)
    )
    out = np.mod(out, total)
    # Karney's sum fixes the area up to a multiple of the ellipsoid's area:
    # 0 and `total` (nothing and everything) only differ in the plane
    near = np.minimum(out, total - out) < 1e-6 * total
    if near.any():
        everything = shapely.area(parts[near]) > 0.5 * _BOX_DEG2
        o = out[near]
        out[near] = np.where(
            everything,
            np.where(o > 0.5 * total, o, total),
            np.where(o < 0.5 * total, o, 0.0),
        )
    return out


def area(
    geometry: GeometryLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FloatOrArray:
    """Ellipsoidal area of polygons in square meters (0 for points and lines).

    Edges are geodesics.  Holes are subtracted.  The region measured is the
    one geoconflict draws: the inside of each polygon in the lon/lat plane
    [-180, 180] x [-90, 90] (as shapely and GIS read it), mapped onto the
    ellipsoid.  It may be larger than a hemisphere: a 15,000 km buffer, cut at
    the antimeridian and closed along the poles, measures about 435 million
    km², not the 75 million km² of the rest of the world.  Ring orientation in
    the input does not matter; each ring is measured on the side of its planar
    inside (RFC 7946: exterior counterclockwise, holes clockwise).  Rings with
    longitudes beyond ±180 or with edges jumping across the antimeridian (e.g.
    179 to -179) are first cut by :func:`geoconflict.geodesy.antimeridian.split`, which
    decides their inside (the short way round in longitude; the RFC 7946
    right-hand rule for a ring winding around a pole).  An edge drawn from
    -180 to 180 at one latitude (the bottom of ``box(-180, 0, 180, 90)``) joins
    two copies of one point, so it has no geodesic; it is read as the line it
    draws, with vertices every 0.01 degree.  Per-ring areas come from
    Karney's algorithm (:meth:`pyproj.Geod.polygon_area_perimeter`), which fixes
    them modulo the ellipsoid's area; the planar inside picks the value.
    ``None`` gives NaN.

    Parameters
    ----------
    geometry : geometry or array_like of geometries
        Polygons in lon/lat degrees (WGS84 unless `geod`/`ellps` say otherwise).
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    float or ndarray
        Square meters, between 0 and the ellipsoid's area (510,065,621.7 km²
        for WGS84), whatever the ring orientation.

    Raises
    ------
    GeometryError
        A polygon that must be cut at the antimeridian (a longitude beyond
        ±180 or an edge jumping across it) with a non-finite vertex or a
        latitude beyond ±90.  Elsewhere a NaN vertex gives NaN.

    Examples
    --------
    >>> from shapely import box
    >>> round(area(box(0, 0, 1, 1)) / 1e6)
    12309
    >>> round(area(box(-180, -90, 180, 90)) / 1e6, 1)
    510065621.7
    """
    geoms, scalar = as_geometry_array(geometry)
    g = get_geod(geod, ellps)
    total = _ellipsoid_area(g)
    type_ids = shapely.get_type_id(geoms)
    out = np.where(type_ids < 0, np.nan, 0.0)
    for i in np.flatnonzero(type_ids == 7):  # GeometryCollection
        out[i] = float(np.sum(area(list(geoms[i].geoms), geod=g)))
    idx = np.flatnonzero(np.isin(type_ids, (3, 6)))
    if not len(idx):
        return float(out[0]) if scalar else out
    polys = geoms[idx].copy()
    # rings beyond ±180 or jumping across it: cut first (split decides the inside)
    parts, owner = shapely.get_parts(polys, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    cut = pieces_need_split(coords, ring_of, len(rings))
    for i in np.unique(owner[ring_part[cut]]):
        polys[i] = polygonal_parts(split(polys[i], geod=g))
        polys[i] = multipolygon(polys[i]) if polys[i] else None
    parts, owner = shapely.get_parts(polys, return_index=True)
    out[idx] = np.bincount(owner, _parts_area(parts, g, total), minlength=len(idx))
    return float(out[0]) if scalar else out


@overload
def densify(
    geometry: BaseGeometry,
    max_segment_m: float,
    *,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> BaseGeometry: ...
@overload
def densify(
    geometry: ObjectArray,
    max_segment_m: float,
    *,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> ObjectArray: ...
@overload
def densify(
    geometry: GeometryLike,
    max_segment_m: float,
    *,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> GeometryOrArray: ...
def densify(
    geometry: GeometryLike,
    max_segment_m: float,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> GeometryOrArray:
    """Insert vertices along geodesic edges so that no edge is longer than `max_segment_m`.

    Inserted vertices lie exactly on the geodesic between the original vertices,
    evenly spaced.  Original vertices are kept.  Inserted longitudes are kept
    continuous with the start of their edge (they may pass ±180 on an edge that
    crosses the antimeridian).

    Parameters
    ----------
    geometry : geometry or array_like of geometries
        Lines or polygons (lon/lat degrees); points pass through unchanged.
    max_segment_m : float
        Longest edge allowed, meters (> 0).
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    geometry or ndarray of geometries

    Examples
    --------
    >>> from shapely import LineString
    >>> line = densify(LineString([(0, 0), (0, 1)]), 20_000)
    >>> len(line.coords)
    7
    """
    if not np.isfinite(max_segment_m) or max_segment_m <= 0:
        raise GeometryError(
            f"max_segment_m must be a positive number of meters, got {max_segment_m!r}"
        )
    geoms, scalar = as_geometry_array(geometry)
    out = geoms.copy()
    g = get_geod(geod, ellps)
    type_ids = shapely.get_type_id(geoms)
    for family in ((1, 5), (3, 6)):  # (Multi)LineString, (Multi)Polygon
        sel = np.isin(type_ids, family) & ~shapely.is_empty(geoms)
        if not sel.any():
            continue
        gtype, coords, offsets = to_ragged(geoms[sel])
        coords = coords[:, :2]
        first = offsets[0]
        n_coords = len(coords)
        seg_ok = np.ones(max(n_coords - 1, 0), dtype=bool)
        seg_ok[first[1:-1] - 1] = False  # no segment across pieces
        check_lonlat(coords[:, 0], coords[:, 1], what="vertex")
        a, b = coords[:-1], coords[1:]
        az, _, d = g.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        d = np.asarray(d)
        n_sub = np.where(seg_ok, np.maximum(np.ceil(d / max_segment_m), 1), 1).astype(
            np.int64
        )
        n_new = n_sub - 1
        total_new = int(n_new.sum())
        if total_new == 0:
            continue
        seg_of_new = np.repeat(np.arange(len(n_new)), n_new)
        k = np.arange(total_new) - np.repeat(np.cumsum(n_new) - n_new, n_new) + 1
        frac = k / n_sub[seg_of_new]
        lo, la, _ = g.fwd(
            a[seg_of_new, 0],
            a[seg_of_new, 1],
            np.asarray(az)[seg_of_new],
            d[seg_of_new] * frac,
        )
        lo = a[seg_of_new, 0] + wrap_lon(np.asarray(lo) - a[seg_of_new, 0])
        # interleave: each original vertex i is followed by the new points of segment i
        per_vertex = np.zeros(n_coords, dtype=np.int64)
        per_vertex[:-1] = n_new
        new_pos_of_vertex = np.arange(n_coords) + np.concatenate(
            ([0], np.cumsum(per_vertex)[:-1])
        )
        new_coords = np.empty((n_coords + total_new, 2))
        new_coords[new_pos_of_vertex] = coords
        mask = np.ones(len(new_coords), dtype=bool)
        mask[new_pos_of_vertex] = False
        new_coords[mask] = np.column_stack([lo, la])
        new_first = np.concatenate(([0], new_pos_of_vertex[first[1:] - 1] + 1))
        out[sel] = from_ragged(gtype, new_coords, (new_first, *offsets[1:]))
    return return_geometry_like(scalar, out)
