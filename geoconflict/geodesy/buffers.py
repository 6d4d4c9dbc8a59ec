"""Geodesic buffers: every point within a distance of a geometry, on the ellipsoid.

Conventions used here, as everywhere in geoconflict:

* coordinates are **(lon, lat) in degrees** on WGS84 (EPSG:4326) unless a
  ``geod=``/``ellps=`` keyword says otherwise; distances and tolerances are in
  **meters**; azimuths in degrees clockwise from north;
* the edges of every input and output geometry are **geodesics** between their
  vertices (not straight lines in longitude/latitude);
* results lie within [-180, 180] x [-90, 90]: a buffer that crosses the
  antimeridian is cut there into a MultiPolygon (RFC 7946 style, the crossing
  latitude computed on the geodesic), and a buffer that contains a pole is
  closed along that pole's edge (latitude ±90 from 180 to -180);
* exterior rings are counterclockwise (RFC 7946 right-hand rule).

Accuracy
--------
Every vertex of a point buffer lies at exactly the buffer distance from the
centre (Karney's direct problem via :meth:`pyproj.Geod.fwd`, nanometre
accuracy).  The number of vertices is chosen from ``tolerance_m`` so that the
geodesic chord between consecutive vertices departs from the true circle by at
most ``tolerance_m``.  The default tolerance is ``max(1 m, 0.1 % of the
distance)``: 50 m for a 50 km buffer.  Line and polygon buffers are unions of
vertex circles and of per-edge strips whose long sides are the exact geodesic
offset curves of the edges; the union is formed in an azimuthal equidistant
plane centred on the geometry and converted back exactly.

Read as straight lines in lon/lat (as GeoJSON viewers and shapely predicates in
degrees do), the edges depart from the true boundary by at most the tolerance
for line and polygon buffers and 1.5 times the tolerance for circles: near the
poles this adds vertices.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, Polygon

from geoconflict._arrays import as_float_arrays, check_lonlat
from geoconflict._geom import as_geometry_array, return_geometry_like
from geoconflict.errors import GeometryError
from geoconflict.geodesy._engine import threads
from geoconflict.geodesy.antimeridian import (
    _as_polygonal,
    _polygonal,
    _signed_area,
    ring_region,
    split,
)
from geoconflict.geodesy.measurement import densify, get_geod, wrap_lon

__all__ = ["MAX_DISTANCE", "buffer", "circle_polygons", "default_tolerance"]

#: Largest buffer distance accepted, meters.  Up to this distance every
#: geodesic from the centre is still the shortest path on WGS84 (the cut locus
#: begins near 19,970 km), so the vertices are at the true distance.
MAX_DISTANCE = 19_900_000.0

#: Largest distance, meters, from the centre of a line or polygon buffer's
#: working plane (azimuthal equidistant) to any part of the buffer.
_MAX_PLANE_RADIUS = 15_000_000.0

_MIN_VERTICES = 8
_MAX_VERTICES = 1 << 14

#: Below this many direct problems one call on the calling thread is fastest.
_PARALLEL_MIN = 40_000
_POOL: Optional[ThreadPoolExecutor] = None


def _fwd(g: pyproj.Geod, lon, lat, az, dist):
    """:meth:`pyproj.Geod.fwd` on float arrays, split over threads when large.

    pyproj releases the GIL inside ``fwd``, so chunks run in parallel on
    several cores.  Returns ``(lon, lat, back_azimuth)`` as float arrays.
    """
    global _POOL
    n = len(lon)
    k = threads()
    if n < _PARALLEL_MIN or k == 1:
        lo, la, baz = g.fwd(lon, lat, az, dist)
        return np.asarray(lo), np.asarray(la), np.asarray(baz)
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=k, thread_name_prefix="geoconflict")
    bounds = np.linspace(0, n, k + 1).astype(np.int64)
    out_lon, out_lat, out_baz = np.empty(n), np.empty(n), np.empty(n)

    def work(i):
        a, b = bounds[i], bounds[i + 1]
        lo, la, baz = g.fwd(lon[a:b], lat[a:b], az[a:b], dist[a:b])
        out_lon[a:b], out_lat[a:b], out_baz[a:b] = lo, la, baz

    list(_POOL.map(work, range(k)))
    return out_lon, out_lat, out_baz


def default_tolerance(distance_m):
    """Default boundary tolerance in meters: ``max(1 m, 0.1 % of the distance)``.

    Parameters
    ----------
    distance_m : float or array_like
        Buffer distance(s), meters.

    Returns
    -------
    float or ndarray
        Meters.

    Examples
    --------
    >>> default_tolerance(50_000)
    50.0
    >>> default_tolerance(200)
    1.0
    """
    out = np.maximum(1.0, 1e-3 * np.abs(np.asarray(distance_m, dtype=np.float64)))
    return float(out) if out.ndim == 0 else out


def _mean_radius(g: pyproj.Geod) -> float:
    return (2.0 * g.a + g.b) / 3.0


def _vertex_count(r: np.ndarray, t: np.ndarray, g: pyproj.Geod, max_chord=None):
    """Even number of vertices so that geodesic chords stay within `t` of the circle.

    On a sphere of radius R the geodesic chord between two points of a circle of
    geodesic radius r that are 2h apart in azimuth passes at distance
    R atan(tan(r/R) cos h) from the centre; solve for h with a safety margin for
    the ellipsoid.  Circles larger than a quarter meridian are measured from the
    antipode (the chord then bulges outward).
    """
    R = _mean_radius(g)
    rho = np.minimum(r, math.pi * R - r) / R
    rho = np.clip(rho, 1e-15, 0.5 * math.pi - 1e-9)
    x = rho - 0.95 * t / R
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(x > 0, np.tan(x) / np.tan(rho), -1.0)
    half = np.arccos(np.clip(c, -1.0, 1.0))
    with np.errstate(divide="ignore"):
        n = np.ceil(math.pi / np.maximum(half, 1e-12))
    if max_chord is not None:
        circ = 2.0 * math.pi * R * np.sin(rho)
        n = np.maximum(n, np.ceil(circ / max_chord))
    n = np.clip(n, _MIN_VERTICES, _MAX_VERTICES).astype(np.int64)
    return n + (n % 2)


def _lonlat_chord(lat0, r, t, g: pyproj.Geod):
    """Longest chord whose geodesic stays within t/2 of the straight lon/lat line.

    A geodesic of length L near latitude phi departs from the straight segment in
    lon/lat by about ``L**2 tan(phi) / (8 R)``; phi is the circle's most poleward
    latitude (capped at 89 degrees).
    """
    R = _mean_radius(g)
    phi = np.radians(np.minimum(np.abs(lat0) + np.degrees(r / R), 89.0))
    return np.sqrt(4.0 * t * R / np.maximum(np.tan(phi), 1e-12))


def _circle_rings(lon0, lat0, r, t, g: pyproj.Geod, max_chord=None):
    """Return closed counterclockwise rings of geodesic circles (ragged coordinates).

    One :meth:`pyproj.Geod.fwd` call over all (centre x azimuth) pairs.  Only the
    eastern half (azimuths 0..180) is computed: a geodesic circle on an
    ellipsoid of revolution is symmetric about its centre's meridian, so the
    western half is its exact mirror image in longitude.

    Returns ``lon, lat, offsets, pole_n, pole_s``: ring ``i`` is
    ``[offsets[i], offsets[i+1])`` with ``n_i + 1`` vertices (closed), longitudes
    ``lon0 + dlon`` with ``dlon`` in [-180, 180]; ``pole_n``/``pole_s`` flag
    circles that contain the north/south pole.
    """
    ll_chord = _lonlat_chord(lat0, r, t, g)
    max_chord = ll_chord if max_chord is None else np.minimum(max_chord, ll_chord)
    n = _vertex_count(r, t, g, max_chord)
    if len(n) and (n == n[0]).all():
        return _circle_rings_uniform(lon0, lat0, r, int(n[0]), g)
    m = n // 2 + 1  # azimuths 0, 360/n, ..., 180
    m_start = np.concatenate(([0], np.cumsum(m)[:-1]))
    k = np.arange(int(m.sum())) - np.repeat(m_start, m)
    az = k * (360.0 / np.repeat(n, m))
    lo, la, _ = _fwd(g, np.repeat(lon0, m), np.repeat(lat0, m), az, np.repeat(r, m))
    dlon = wrap_lon(np.asarray(lo) - np.repeat(lon0, m))
    la = np.asarray(la, dtype=np.float64)
    pole_n = np.abs(dlon[m_start]) > 90.0
    pole_s = np.abs(dlon[m_start + m - 1]) > 90.0
    # ring vertex j = 0..n (counterclockwise) sits at azimuth -j * 360 / n
    size = n + 1
    offsets = np.concatenate(([0], np.cumsum(size)))
    ring_owner = np.repeat(np.arange(len(n)), size)
    j = np.arange(int(size.sum())) - np.repeat(offsets[:-1], size)
    nn = n[ring_owner]
    kk = nn - j  # clockwise index n..0
    mirrored = kk > nn - kk
    src = np.where(mirrored, nn - kk, kk) % nn
    src_global = m_start[ring_owner] + src
    ring_dlon = np.where(mirrored, -dlon[src_global], dlon[src_global])
    ring_lon = np.asarray(lon0)[ring_owner] + ring_dlon
    ring_lat = la[src_global]
    return ring_lon, ring_lat, offsets, pole_n, pole_s


def _circle_rings_uniform(lon0, lat0, r, n: int, g: pyproj.Geod):
    """:func:`_circle_rings` when every circle has the same vertex count `n`."""
    m = n // 2 + 1
    count = len(lon0)
    az = np.tile(np.arange(m) * (360.0 / n), count)
    lo, la, _ = _fwd(g, np.repeat(lon0, m), np.repeat(lat0, m), az, np.repeat(r, m))
    dlon = wrap_lon(lo.reshape(count, m) - lon0[:, None])
    la = np.asarray(la, dtype=np.float64).reshape(count, m)
    pole_n = np.abs(dlon[:, 0]) > 90.0
    pole_s = np.abs(dlon[:, -1]) > 90.0
    kk = n - np.arange(n + 1)  # clockwise index of ring vertex j (counterclockwise)
    mirrored = kk > n - kk
    src = np.where(mirrored, n - kk, kk) % n
    sign = np.where(mirrored, -1.0, 1.0)
    ring_lon = (lon0[:, None] + dlon[:, src] * sign).ravel()
    ring_lat = la[:, src].ravel()
    offsets = np.arange(count + 1) * (n + 1)
    return ring_lon, ring_lat, offsets, pole_n, pole_s


def _check_distances(r: np.ndarray, *, allow_negative: np.ndarray | bool = False):
    bad = np.isinf(r) | (np.abs(np.nan_to_num(r)) > MAX_DISTANCE)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"buffer distance at position {i} is {float(r[i])!r} m; it must be finite and at "
            f"most {MAX_DISTANCE:,.0f} m (beyond that a buffer covers the whole Earth "
            "but for a sliver near the antipode). Distances are in meters."
        )
    neg = np.nan_to_num(r) < 0
    if allow_negative is not True:
        neg = neg & ~np.asarray(allow_negative, dtype=bool)
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise GeometryError(
            f"negative buffer distance {float(r[i])!r} m at position {i}: points and lines "
            "have no inside to shrink. Give a distance >= 0 (negative distances "
            "only shrink polygons)."
        )


def _tolerances(tolerance_m, r: np.ndarray) -> np.ndarray:
    if tolerance_m is None:
        return np.asarray(default_tolerance(r), dtype=np.float64).reshape(r.shape)
    t = np.broadcast_to(np.asarray(tolerance_m, dtype=np.float64), r.shape)
    if not (np.isfinite(t) & (t > 0)).all():
        bad = t[~(np.isfinite(t) & (t > 0))].ravel()[0]
        raise GeometryError(
            f"tolerance_m must be a positive number of meters, got {bad!r}; leave it "
            "out for the default max(1 m, 0.1 % of the distance)."
        )
    return np.ascontiguousarray(t)


def _circles(lon0, lat0, r, t, g: pyproj.Geod) -> np.ndarray:
    """Polygons for circles with r > 0 (validated, flat float arrays)."""
    if len(lon0) == 0:
        return np.empty(0, dtype=object)
    rings = _circle_rings(lon0, lat0, r, t, g)
    return _rings_to_polygons(rings, np.arange(len(lon0)), None, g)


def _simple_rings(rings) -> np.ndarray:
    """Which rings of :func:`_circle_rings` need no cut: no pole, within ±180."""
    ring_lon, _, offsets, pole_n, pole_s = rings
    if len(offsets) < 2:
        return np.zeros(0, dtype=bool)
    starts = offsets[:-1]
    lon_max = np.maximum.reduceat(ring_lon, starts)
    lon_min = np.minimum.reduceat(ring_lon, starts)
    return ~pole_n & ~pole_s & (lon_max <= 180.0) & (lon_min >= -180.0)


def _ragged_index(offsets: np.ndarray, rings: np.ndarray, reverse: np.ndarray):
    """Vertex indices of `rings` (ragged by `offsets`), each reversed where `reverse`.

    Returns the flat indices and the offsets of the rings in that result.
    """
    starts = offsets[rings]
    sizes = offsets[rings + 1] - starts
    out_off = np.concatenate(([0], np.cumsum(sizes)))
    local = np.arange(out_off[-1]) - np.repeat(out_off[:-1], sizes)
    local = np.where(
        np.repeat(reverse, sizes), np.repeat(sizes - 1, sizes) - local, local
    )
    return np.repeat(starts, sizes) + local, out_off


def _rings_to_polygons(rings, shells, holes, g: pyproj.Geod) -> np.ndarray:
    """Disks or annuli from the geodesic circles of :func:`_circle_rings`.

    Polygon ``i`` is circle ``shells[i]`` minus circle ``holes[i]`` (no hole where
    `holes` is None or ``holes[i] < 0``); a hole circle must be concentric with and
    smaller than its shell.  Circles that need no cut are assembled in one shapely
    call (exterior counterclockwise, hole clockwise); the others go through
    :func:`~geoconflict.geodesy.antimeridian.ring_region` (antimeridian, poles).
    """
    ring_lon, ring_lat, offsets = rings[:3]
    shells = np.asarray(shells, dtype=np.int64)
    holes = np.full(len(shells), -1) if holes is None else np.asarray(holes, np.int64)
    out = np.empty(len(shells), dtype=object)
    if not len(shells):
        return out
    simple_ring = _simple_rings(rings)
    has_hole = holes >= 0
    simple = simple_ring[shells] & (~has_hole | simple_ring[np.maximum(holes, 0)])
    if simple.all() and not has_hole.any() and len(shells) == len(offsets) - 1:
        if (shells == np.arange(len(shells))).all():
            coords = np.column_stack([ring_lon, ring_lat])
            return shapely.from_ragged_array(
                shapely.GeometryType.POLYGON,
                coords,
                (offsets, np.arange(len(shells) + 1)),
            )
    if simple.any():
        sh, ho, hh = shells[simple], holes[simple], has_hole[simple]
        n_rings = 1 + hh.astype(np.int64)
        geom_off = np.concatenate(([0], np.cumsum(n_rings)))
        ids = np.empty(int(geom_off[-1]), dtype=np.int64)
        ids[geom_off[:-1]] = sh
        ids[geom_off[:-1][hh] + 1] = ho[hh]
        reverse = np.zeros(len(ids), dtype=bool)
        reverse[geom_off[:-1][hh] + 1] = True
        idx, ring_off = _ragged_index(offsets, ids, reverse)
        coords = np.column_stack([ring_lon[idx], ring_lat[idx]])
        out[simple] = shapely.from_ragged_array(
            shapely.GeometryType.POLYGON, coords, (ring_off, geom_off)
        )
    regions: dict = {}

    def region(i):
        if i not in regions:
            a, b = offsets[i], offsets[i + 1]
            regions[i] = _orient(
                ring_region(ring_lon[a:b], ring_lat[a:b], interior_left=True, geod=g)
            )
        return regions[i]

    for i in np.flatnonzero(~simple):
        shell = region(int(shells[i]))
        if has_hole[i]:
            hole = region(int(holes[i]))
            shell = _orient(_as_polygonal(_polygonal(shell.difference(hole))))
        out[i] = shell
    return out


def _rings_to_lines(rings, which, g: pyproj.Geod) -> np.ndarray:
    """Return the circles `which` of :func:`_circle_rings` as closed lines.

    Circles that cross the antimeridian or wind around a pole are cut at ±180
    by :func:`~geoconflict.geodesy.antimeridian.split` (crossings on the geodesic).
    """
    ring_lon, ring_lat, offsets = rings[:3]
    which = np.asarray(which, dtype=np.int64)
    out = np.empty(len(which), dtype=object)
    if not len(which):
        return out
    simple = _simple_rings(rings)[which]
    if simple.any():
        sel = which[simple]
        idx, line_off = _ragged_index(offsets, sel, np.zeros(len(sel), dtype=bool))
        coords = np.column_stack([ring_lon[idx], ring_lat[idx]])
        out[simple] = shapely.from_ragged_array(
            shapely.GeometryType.LINESTRING, coords, (line_off,)
        )
    for i in np.flatnonzero(~simple):
        a, b = offsets[which[i]], offsets[which[i] + 1]
        line = LineString(np.column_stack([ring_lon[a:b], ring_lat[a:b]]))
        out[i] = split(line, geod=g)
    return out


def circle_polygons(lon, lat, radius_m, *, tolerance_m=None, geod=None, ellps=None):
    """Geodesic circles around many centres, vectorized.

    Each circle is the set of points within `radius_m` of its centre on the
    ellipsoid.  Its vertices lie at exactly `radius_m` (geodesic distance) at
    equally spaced azimuths; their number is chosen so that the geodesic edge
    between consecutive vertices departs from the true circle by at most
    `tolerance_m`.  All vertices of all circles come from one
    :meth:`pyproj.Geod.fwd` call.

    Parameters
    ----------
    lon, lat : float or array_like
        Centres, degrees (longitudes may be in [-540, 540]).
    radius_m : float or array_like
        Radii in meters, 0 <= radius <= :data:`MAX_DISTANCE`; broadcast with
        the centres.
    tolerance_m : float or array_like, optional
        Largest departure of the polygon edges from the true circle, meters.
        Default ``max(1 m, 0.1 % of the radius)``.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    Polygon or MultiPolygon, or ndarray of them
        Counterclockwise, within [-180, 180]; split at the antimeridian into a
        MultiPolygon when the circle crosses it; closed along the pole edge
        when it contains a pole.  Radius 0 gives an empty Polygon; a NaN
        centre or radius gives ``None``.  A scalar input gives one geometry.

    Raises
    ------
    CoordinateError
        Latitude beyond ±90 or longitude beyond ±540 degrees.
    GeometryError
        Negative, infinite or too large radius, or a non-positive tolerance.

    Examples
    --------
    A 50 km circle around Abu Kamal; its vertices are 50 km from the centre:

    >>> from geoconflict import distance
    >>> c = circle_polygons(40.91854, 34.45226, 50_000)
    >>> x, y = np.asarray(c.exterior.coords).T
    >>> bool(np.allclose(distance(40.91854, 34.45226, x, y), 50_000, atol=1e-6))
    True
    >>> len(circle_polygons([0, 10], [0, 0], [1_000, 2_000]))
    2
    """
    tol = np.nan if tolerance_m is None else tolerance_m
    (lo, la, r, tol), scalar = as_float_arrays(
        lon, lat, radius_m, tol, names=("lon", "lat", "radius_m", "tolerance_m")
    )
    check_lonlat(lo, la, what="centre")
    shape = lo.shape
    lo, la, r, tol = (np.ascontiguousarray(a.ravel()) for a in (lo, la, r, tol))
    _check_distances(r)
    t = _tolerances(None if tolerance_m is None else tol, r)
    g = get_geod(geod, ellps)
    out = np.empty(len(r), dtype=object)
    missing = ~(np.isfinite(lo) & np.isfinite(la) & np.isfinite(r))
    zero = ~missing & (r == 0)
    for i in np.flatnonzero(zero):
        out[i] = Polygon()
    work = ~missing & ~zero
    if work.all():
        out = _circles(wrap_lon(lo), la, r, t, g)
    elif work.any():
        out[work] = _circles(wrap_lon(lo[work]), la[work], r[work], t[work], g)
    if scalar:
        return out[0]
    return out.reshape(shape)


# --------------------------------------------------------------------------- general


def _aeqd_centre(coords: np.ndarray) -> tuple[float, float]:
    """Centre of a working plane: the normalized mean of the unit vectors."""
    lon = np.radians(coords[:, 0])
    lat = np.radians(coords[:, 1])
    v = np.column_stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    ).mean(axis=0)
    norm = float(np.linalg.norm(v))
    if norm < 1e-6:
        return float(coords[0, 0]), float(coords[0, 1])
    v /= norm
    return math.degrees(math.atan2(v[1], v[0])), math.degrees(math.asin(v[2]))


def _to_plane(c, lon, lat, g):
    az, _, d = g.inv(np.full(len(lon), c[0]), np.full(len(lon), c[1]), lon, lat)
    az = np.radians(np.asarray(az))
    d = np.asarray(d)
    return d * np.sin(az), d * np.cos(az)


def _from_plane(c, x, y, g):
    az = np.degrees(np.arctan2(x, y))
    d = np.hypot(x, y)
    lon, lat, _ = g.fwd(np.full(len(x), c[0]), np.full(len(x), c[1]), az, d)
    return np.asarray(lon), np.asarray(lat)


def _decompose(geom):
    """Points (k x 2), lines [arrays] and polygons [(shell, [holes])] of a geometry."""
    pts, lines, polys = [], [], []
    stack = [geom]
    while stack:
        gm = stack.pop()
        if gm is None or gm.is_empty:
            continue
        kind = gm.geom_type
        if kind == "Point":
            pts.append(np.asarray(gm.coords)[:, :2])
        elif kind in ("LineString", "LinearRing"):
            lines.append(np.asarray(gm.coords)[:, :2])
        elif kind == "Polygon":
            polys.append(gm)
        else:
            stack.extend(gm.geoms)
    points = np.concatenate(pts) if pts else np.empty((0, 2))
    return points, lines, polys


def _path_geometry(coords: np.ndarray, closed: bool, g: pyproj.Geod):
    """Edges, inner-vertex turns and free ends of one line or ring.

    Returns ``(c, az1, s12, wedges, ends)``: the vertices without repeats, the
    start azimuth and length of every edge (edge ``i`` starts at ``c[i]``), the
    inner vertices as rows ``(lon, lat, azimuth in, azimuth out)``, and the
    points that need a full circle (line ends, or a path that is one point).
    """
    c = np.asarray(coords, dtype=np.float64)[:, :2]
    if len(c) > 1:
        _, _, s = g.inv(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1])
        c = c[np.concatenate(([True], np.asarray(s) > 0))]
    if closed and len(c) > 2:
        _, _, s_close = g.inv(c[-1, 0], c[-1, 1], c[0, 0], c[0, 1])
        if s_close == 0:
            c = c[:-1]
    empty = np.empty((0,))
    if len(c) == 1:
        return c, empty, empty, np.empty((0, 4)), c
    if closed and len(c) < 3:
        closed = False
    a = c if closed else c[:-1]
    b = np.roll(c, -1, axis=0) if closed else c[1:]
    az1, az2_back, s12 = g.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    az1 = np.asarray(az1, dtype=np.float64)
    az_end = np.asarray(az2_back, dtype=np.float64) + 180.0
    s12 = np.asarray(s12, dtype=np.float64)
    if closed:
        wedge = np.column_stack([c, np.roll(az_end, 1), az1])
        ends = np.empty((0, 2))
    else:
        wedge = np.column_stack([c[1:-1], az_end[:-1], az1[1:]])
        ends = c[[0, -1]]
    return c, az1, s12, wedge, ends


def _wedges(w: np.ndarray, r: float, n_circle: int, g: pyproj.Geod):
    """Ragged rings of the sectors at inner vertices (rows lon, lat, az_in, az_out)."""
    turn = wrap_lon(w[:, 3] - w[:, 2])  # > 0: turning clockwise, convex side left
    keep = np.abs(turn) > 1e-9
    w, turn = w[keep], turn[keep]
    if not len(w):
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)
    start = np.where(turn > 0, w[:, 2] - 90.0, w[:, 3] + 90.0)
    sweep = np.abs(turn)
    eps = 1e-6  # degrees: overlap the strips so that no sliver is left between
    start = start - eps
    sweep = sweep + 2 * eps
    k = np.maximum(np.ceil(sweep / (360.0 / n_circle)), 1).astype(np.int64)
    npt = k + 1
    first = np.concatenate(([0], np.cumsum(npt)[:-1]))
    owner = np.repeat(np.arange(len(k)), npt)
    j = np.arange(int(npt.sum())) - first[owner]
    alon, alat, _ = _fwd(
        g,
        w[owner, 0],
        w[owner, 1],
        start[owner] + sweep[owner] * j / k[owner],
        np.full(len(owner), r),
    )
    # ring: vertex, arc points, vertex
    size = npt + 2
    off = np.concatenate(([0], np.cumsum(size)))
    ro = np.repeat(np.arange(len(k)), size)
    rj = np.arange(int(size.sum())) - off[:-1][ro]
    on_arc = (rj >= 1) & (rj <= npt[ro])
    idx = np.where(on_arc, first[ro] + rj - 1, 0)
    lon = np.where(on_arc, alon[idx], w[ro, 0])
    lat = np.where(on_arc, alat[idx], w[ro, 1])
    # keep arc longitudes continuous with their vertex
    lon = w[ro, 0] + wrap_lon(lon - w[ro, 0])
    return lon, lat, size


def _segment_length(
    r: float, t: float, reach: float, max_lat: float, g: pyproj.Geod
) -> float:
    """Longest densified edge so that the chords stay within t/2 of the curves.

    Three bendings are bounded: the offset curve's geodesic curvature
    (``tan(r/R)/R``), the bending of geodesics in the working plane
    (``reach/R**2``), and the departure of a geodesic from the straight line in
    lon/lat (``tan(lat)/R``), so that readers drawing straight lon/lat edges
    (GeoJSON viewers, shapely predicates in degrees) stay within the tolerance.
    """
    R = _mean_radius(g)
    rho = min(abs(r), 0.45 * math.pi * R) / R
    lat = math.radians(min(max_lat, 89.0))
    curv = max(math.tan(rho) / R + reach / R**2, math.tan(lat) / R)
    return float(np.clip(math.sqrt(4.0 * t / curv), 10.0, 200_000.0))


def _ragged_polygons(x, y, offsets) -> np.ndarray:
    coords = np.column_stack([x, y])
    return shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, coords, (offsets, np.arange(len(offsets)))
    )


def _buffer_general(geom, r: float, t: float, g: pyproj.Geod):
    """Buffer of any geometry (not a lone point): union in an AEQD plane."""
    all_coords = shapely.get_coordinates(geom)
    if not np.isfinite(all_coords).all():
        raise GeometryError(
            f"{geom.geom_type} has a non-finite coordinate (NaN or inf); fix or drop "
            "that vertex before buffering."
        )
    check_lonlat(all_coords[:, 0], all_coords[:, 1], what="vertex")
    points, lines, polys = _decompose(geom)
    if r < 0 and not polys:
        raise GeometryError(
            f"negative buffer distance {r!r} m for a {geom.geom_type}: only polygons "
            "can shrink. Give a distance >= 0."
        )
    centre = _aeqd_centre(all_coords)
    _, _, dv = g.inv(
        np.full(len(all_coords), centre[0]),
        np.full(len(all_coords), centre[1]),
        all_coords[:, 0],
        all_coords[:, 1],
    )
    reach = float(np.max(dv)) + abs(r)
    if reach > _MAX_PLANE_RADIUS:
        raise GeometryError(
            f"the {geom.geom_type} and its {abs(r):,.0f} m buffer reach "
            f"{reach / 1000:,.0f} km from their centre ({centre[0]:.3f}, "
            f"{centre[1]:.3f}); buffers of lines and polygons are limited to "
            f"{_MAX_PLANE_RADIUS / 1000:,.0f} km. Split the geometry into smaller "
            "parts and buffer each."
        )
    rr = abs(r)
    max_lat = float(np.max(np.abs(all_coords[:, 1]))) + math.degrees(
        rr / _mean_radius(g)
    )
    seg = _segment_length(rr, t, reach, max_lat, g)

    # rings of polygons act as closed lines for the boundary pieces
    paths = [] if r < 0 else [(ln, False) for ln in lines]
    for p in polys:
        paths.append((np.asarray(p.exterior.coords)[:, :2], True))
        paths.extend((np.asarray(h.coords)[:, :2], True) for h in p.interiors)
    circle_at = [] if r < 0 else [points]
    edge_a, edge_b, edge_az, edge_s, wedges = [], [], [], [], []
    for coords, closed in paths:
        c, az1, s12, wedge, ends = _path_geometry(coords, closed, g)
        circle_at.append(ends)
        if len(s12):
            edge_a.append(c[: len(s12)])
            edge_b.append(np.roll(c, -1, axis=0)[: len(s12)])
            edge_az.append(az1)
            edge_s.append(s12)
        if len(wedge):
            wedges.append(wedge)
    verts = np.concatenate([v for v in circle_at if len(v)] or [np.empty((0, 2))])
    n_circle = int(
        _vertex_count(np.array([rr]), np.array([0.5 * t]), g, max_chord=seg)[0]
    )

    pieces_lon, pieces_lat, sizes = [], [], []
    # full circles at isolated points and at the ends of open lines
    if len(verts):
        clon, clat, coff, _, _ = _circle_rings(
            verts[:, 0],
            verts[:, 1],
            np.full(len(verts), rr),
            np.full(len(verts), 0.5 * t),
            g,
            max_chord=seg,
        )
        pieces_lon.append(clon)
        pieces_lat.append(clat)
        sizes.append(np.diff(coff))
    # circular sectors on the convex side of every inner vertex (the normal cone
    # between the two edges' perpendiculars); the concave side is covered by the
    # overlapping strips
    if wedges:
        w = np.concatenate(wedges)
        wlon, wlat, wsize = _wedges(w, rr, n_circle, g)
        pieces_lon.append(wlon)
        pieces_lat.append(wlat)
        sizes.append(wsize)
    # edge strips bounded by the geodesic offset curves
    if edge_s:
        a = np.concatenate(edge_a)
        b_end = np.concatenate(edge_b)
        az = np.concatenate(edge_az)
        s = np.concatenate(edge_s)
        if len(s):
            k = np.maximum(np.ceil(s / seg), 1).astype(np.int64)
            npt = k + 1
            start = np.concatenate(([0], np.cumsum(npt)[:-1]))
            e = np.repeat(np.arange(len(k)), npt)
            j = np.arange(int(npt.sum())) - start[e]
            plon, plat, pbaz = g.fwd(a[e, 0], a[e, 1], az[e], s[e] * j / k[e])
            fwd_az = np.asarray(pbaz) + 180.0
            both_lon = np.concatenate([plon, plon])
            both_lat = np.concatenate([plat, plat])
            both_az = np.concatenate([fwd_az + 90.0, fwd_az - 90.0])
            olon, olat, _ = g.fwd(
                both_lon, both_lat, both_az, np.full(len(both_az), rr)
            )
            olon, olat = np.asarray(olon), np.asarray(olat)
            n_all = len(plon)
            right_lon, left_lon = olon[:n_all], olon[n_all:]
            right_lat, left_lat = olat[:n_all], olat[n_all:]
            # strip ring: right side forward, the end vertex, left side backward,
            # the start vertex, closed.  Passing through the vertices makes the
            # strips share edges with the sectors and their neighbours exactly.
            size = 2 * npt + 3
            soff = np.concatenate(([0], np.cumsum(size)))
            se = np.repeat(np.arange(len(k)), size)
            sj = np.arange(int(size.sum())) - soff[:-1][se]
            npe = npt[se]
            right = sj < npe
            at_end = sj == npe
            left = (sj > npe) & (sj <= 2 * npe)
            at_start = sj == 2 * npe + 1
            idx = np.where(
                right,
                start[se] + sj,
                np.where(left, start[se] + (2 * npe - sj), start[se]),
            )
            ring_lon = np.where(left, left_lon[idx], right_lon[idx])
            ring_lat = np.where(left, left_lat[idx], right_lat[idx])
            ring_lon = np.where(at_end, b_end[se, 0], ring_lon)
            ring_lat = np.where(at_end, b_end[se, 1], ring_lat)
            ring_lon = np.where(at_start, a[se, 0], ring_lon)
            ring_lat = np.where(at_start, a[se, 1], ring_lat)
            pieces_lon.append(ring_lon)
            pieces_lat.append(ring_lat)
            sizes.append(size)

    if pieces_lon:
        plon_all = np.concatenate(pieces_lon)
        plat_all = np.concatenate(pieces_lat)
        x, y = _to_plane(centre, plon_all, plat_all, g)
        offs = np.concatenate(([0], np.cumsum(np.concatenate(sizes))))
        pieces = _ragged_polygons(x, y, offs)
        bad = ~shapely.is_valid(pieces)
        if bad.any():
            pieces[bad] = shapely.make_valid(pieces[bad])
        grown = shapely.union_all(pieces)
    else:
        grown = Polygon()

    if polys:
        dense = densify(np.array(polys, dtype=object), seg, geod=g)
        plane_polys = []
        for p in dense:
            ext = np.asarray(p.exterior.coords)[:, :2]
            ex, ey = _to_plane(centre, ext[:, 0], ext[:, 1], g)
            holes = []
            for h in p.interiors:
                hc = np.asarray(h.coords)[:, :2]
                hx, hy = _to_plane(centre, hc[:, 0], hc[:, 1], g)
                holes.append(np.column_stack([hx, hy]))
            pp = Polygon(np.column_stack([ex, ey]), holes)
            if not pp.is_valid:
                pp = shapely.make_valid(pp)
            plane_polys.append(pp)
        body = shapely.union_all(plane_polys)
        region = body.difference(grown) if r < 0 else shapely.union(grown, body)
    else:
        region = grown
    return _plane_to_lonlat(region, centre, g)


def _plane_to_lonlat(region, centre, g: pyproj.Geod):
    """Convert a planar (AEQD) region back to lon/lat polygons, ring by ring."""
    out = []
    for p in _polygonal(region):
        ext = np.asarray(p.exterior.coords)
        lon, lat = _from_plane(centre, ext[:, 0], ext[:, 1], g)
        left = _signed_area(ext[:, 0], ext[:, 1]) > 0
        piece = ring_region(lon, lat, interior_left=left, geod=g)
        for h in p.interiors:
            hc = np.asarray(h.coords)
            hlon, hlat = _from_plane(centre, hc[:, 0], hc[:, 1], g)
            hleft = _signed_area(hc[:, 0], hc[:, 1]) > 0
            hole = ring_region(hlon, hlat, interior_left=hleft, geod=g)
            if hole.area > piece.area:
                # a sliver hole whose orientation is numerically ambiguous came
                # out as the rest of the world: a hole lies inside its polygon
                hole = ring_region(hlon, hlat, interior_left=not hleft, geod=g)
            piece = piece.difference(hole)
        out.extend(_polygonal(piece))
    return _orient(_as_polygonal(out))


def _orient(geom):
    """Exterior rings counterclockwise, holes clockwise (RFC 7946)."""
    if geom.is_empty:
        return geom
    return (
        shapely.geometry.polygon.orient(geom, 1.0)
        if geom.geom_type == "Polygon"
        else (
            shapely.geometry.MultiPolygon(
                [shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms]
            )
        )
    )


def _distances(distance_m, n: int) -> np.ndarray:
    if isinstance(distance_m, str):
        from geoconflict.units import parse_length

        distance_m = parse_length(distance_m)
    d = np.asarray(distance_m, dtype=np.float64)
    if d.ndim == 0:
        return np.full(n, float(d))
    d = d.ravel()
    if len(d) != n:
        from geoconflict.errors import ShapeError

        raise ShapeError(
            f"{len(d)} distances for {n} geometries; give one distance per "
            "geometry or a single distance for all."
        )
    return d


def buffer(
    geometry,
    distance_m,
    *,
    tolerance_m=None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
):
    """Geodesic buffer: all points within `distance_m` of a geometry, on the ellipsoid.

    Works for points, multipoints, lines, polygons and collections (and arrays
    of them).  Point buffers are geodesic circles (:func:`circle_polygons`),
    all computed in one vectorized call.  Line and polygon buffers are the union
    of a circle around every vertex and a strip along every edge whose long
    sides are the exact geodesic offset curves (points at `distance_m` at ±90°
    from the edge's local azimuth, along the geodesic edge densified as the
    tolerance requires); polygons include their interior.  Every vertex of the
    result that comes from a circle or an offset curve is at exactly
    `distance_m` from the geometry, and the boundary departs from the true
    buffer by at most `tolerance_m`.

    Parameters
    ----------
    geometry : geometry or array_like of geometries
        Shapely geometries (or ``__geo_interface__`` objects, GeoJSON mappings,
        WKT) in lon/lat degrees; edges are geodesics.
    distance_m : float, str or array_like
        Buffer distance in meters (or a length such as ``"50 km"``), scalar or
        one per geometry, at most :data:`MAX_DISTANCE`.  Negative distances
        shrink polygons (erosion: the polygon minus the buffer of its rings);
        they are an error for points and lines.
    tolerance_m : float, optional
        Largest departure of the result's edges from the true buffer boundary,
        meters.  Default ``max(1 m, 0.1 % of |distance_m|)``.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    Polygon or MultiPolygon, or ndarray of them
        Valid, in lon/lat within [-180, 180] x [-90, 90], exterior rings
        counterclockwise.  Cut at the antimeridian into a MultiPolygon when the
        buffer crosses it; closed along the pole edge when it contains a pole.
        ``None`` geometry or NaN distance gives ``None``; an empty geometry or a
        distance of 0 (for points and lines) gives an empty Polygon.

    Raises
    ------
    GeometryError
        Negative distance for a point or line, infinite or too large distance,
        non-finite vertices, or a line/polygon buffer reaching more than
        15,000 km from the geometry's centre.
    CoordinateError
        Latitude beyond ±90 or longitude beyond ±540 degrees.

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> from geoconflict import distance
    >>> b = buffer(Point(40.91854, 34.45226), 50_000)
    >>> b.geom_type, b.is_valid
    ('Polygon', True)

    Across the antimeridian the result is cut into two parts:

    >>> buffer(Point(179.9, 10), 100_000).geom_type
    'MultiPolygon'

    A 1,000 km circle around (0, 85) contains the North Pole:

    >>> buffer(Point(0, 85), 1_000_000).bounds[3]
    90.0

    A 5 km buffer of a 105 km line has an area close to 2 r L + pi r^2:

    >>> from geoconflict import area, length
    >>> line = LineString([(40, 34), (41, 34.5)])
    >>> b = buffer(line, "5 km")
    >>> round(area(b) / 1e6), round((2 * 5e3 * length(line) + np.pi * 5e3**2) / 1e6)
    (1154, 1154)
    """
    geoms, scalar = as_geometry_array(geometry)
    n = len(geoms)
    d = _distances(distance_m, n)
    type_ids = shapely.get_type_id(geoms)
    is_poly = np.isin(type_ids, (3, 6, 7))
    _check_distances(d, allow_negative=is_poly)
    t = _tolerances(tolerance_m, d)
    g = get_geod(geod, ellps)
    out = np.empty(n, dtype=object)
    missing = shapely.is_missing(geoms) | np.isnan(d)
    empty = ~missing & shapely.is_empty(geoms)
    for i in np.flatnonzero(empty):
        out[i] = Polygon()
    todo = ~missing & ~empty
    pts = todo & (type_ids == 0)
    if pts.any():
        xy = shapely.get_coordinates(geoms[pts])
        if not np.isfinite(xy).all():
            i = int(
                np.flatnonzero(pts)[np.flatnonzero(~np.isfinite(xy).all(axis=1))[0]]
            )
            raise GeometryError(
                f"point at position {i} has a non-finite coordinate {xy.tolist()!r}; "
                "give None for a missing point."
            )
        check_lonlat(xy[:, 0], xy[:, 1], what="point")
        dp = d[pts]
        res = np.empty(len(dp), dtype=object)
        pos = dp > 0
        for i in np.flatnonzero(~pos):
            res[i] = Polygon()
        if pos.any():
            res[pos] = _circles(
                wrap_lon(xy[pos, 0]), xy[pos, 1], dp[pos], t[pts][pos], g
            )
        out[pts] = res
    for i in np.flatnonzero(todo & ~pts):
        if d[i] == 0 and not is_poly[i]:
            out[i] = Polygon()
        elif d[i] == 0:
            out[i] = _orient(_as_polygonal(_polygonal(split(geoms[i], geod=g))))
        else:
            out[i] = _buffer_general(geoms[i], float(d[i]), float(t[i]), g)
    return return_geometry_like(scalar, out)
