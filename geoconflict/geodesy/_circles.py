"""The shared ring builder: geodesic circles as rings, polygons and lines.

Private to :mod:`geoconflict.geodesy`: :mod:`~geoconflict.geodesy.buffers`
(point buffers and the circles at the vertices of line and polygon buffers)
and :mod:`~geoconflict.geodesy.ranges` (rings, annuli, fans) both draw their
circles here, so that a circle of a given radius and tolerance has the same
vertices whichever function draws it.  The names are public inside this
private module: the two users are siblings, and neither owns the other.

Conventions: coordinates are **(lon, lat) in degrees** on the ellipsoid of the
``g`` passed (WGS84 by default upstream); radii, tolerances and chords are in
**meters**; azimuths in degrees clockwise from north.  Every vertex lies at
exactly its radius from the centre (Karney's direct problem via
:meth:`pyproj.Geod.fwd`); past :func:`far_radius` the circles are found from
the antipode.  Rings are ragged arrays ``(lon, lat, offsets, pole_n, pole_s)``
(see :func:`circle_rings`); :func:`rings_to_polygons` and
:func:`rings_to_lines` turn them into geometries through :mod:`geoconflict._geom`,
cut at the antimeridian and closed over the poles by
:mod:`geoconflict.geodesy.antimeridian`.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np
import pyproj

from geoconflict._geom import (
    as_polygonal,
    difference,
    line,
    lines_from_ragged,
    orient,
    polygonal_parts,
    polygons_from_ragged,
)
from geoconflict._typing import (
    ArrayLike,
    BaseGeometry,
    BoolArray,
    FloatArray,
    FloatOrArray,
    IntArray,
    ObjectArray,
)
from geoconflict.errors import GeometryError
from geoconflict.geodesy._engine import threads
from geoconflict.geodesy.antimeridian import ring_region, split
from geoconflict.geodesy.ellipsoid import cut_distance, half_circumference, wrap_lon

__all__ = [
    "circle_rings",
    "circles",
    "default_tolerance",
    "far_radius",
    "fwd",
    "lonlat_chord",
    "mean_radius",
    "ragged_index",
    "rings_to_lines",
    "rings_to_polygons",
    "simple_rings",
    "tolerances",
    "vertex_count",
]

_MIN_VERTICES = 8
_MAX_VERTICES = 1 << 14

#: Below this many direct problems one call on the calling thread is fastest.
_PARALLEL_MIN = 40_000
_POOL: Optional[ThreadPoolExecutor] = None

#: closed rings of circles, ragged: ``(lon, lat, offsets, pole_n, pole_s)``, see
#: :func:`circle_rings`
Rings = tuple[FloatArray, FloatArray, IntArray, BoolArray, BoolArray]


def fwd(
    g: pyproj.Geod, lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
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

    def work(i: int) -> None:
        a, b = bounds[i], bounds[i + 1]
        lo, la, baz = g.fwd(lon[a:b], lat[a:b], az[a:b], dist[a:b])
        out_lon[a:b], out_lat[a:b], out_baz[a:b] = lo, la, baz

    list(_POOL.map(work, range(k)))
    return out_lon, out_lat, out_baz


def default_tolerance(distance_m: ArrayLike) -> FloatOrArray:
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


def mean_radius(g: pyproj.Geod) -> float:
    return (2.0 * g.a + g.b) / 3.0


def vertex_count(
    r: FloatArray,
    t: FloatArray,
    g: pyproj.Geod,
    max_chord: Optional[FloatOrArray] = None,
) -> IntArray:
    """Even number of vertices so that geodesic chords stay within `t` of the circle.

    On a sphere of radius R the geodesic chord between two points of a circle of
    geodesic radius r that are 2h apart in azimuth passes at distance
    R atan(tan(r/R) cos h) from the centre; solve for h with a safety margin for
    the ellipsoid.  Circles larger than a quarter meridian are measured from the
    antipode (the chord then bulges outward).
    """
    R = mean_radius(g)
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


def lonlat_chord(
    lat0: FloatArray, r: FloatArray, t: FloatArray, g: pyproj.Geod
) -> FloatArray:
    """Longest chord whose geodesic stays within t/2 of the straight lon/lat line.

    A geodesic of length L near latitude phi departs from the straight segment in
    lon/lat by about ``L**2 tan(phi) / (8 R)``; phi is the circle's most poleward
    latitude (capped at 89 degrees).
    """
    R = mean_radius(g)
    phi = np.radians(np.minimum(np.abs(lat0) + np.degrees(r / R), 89.0))
    return np.sqrt(4.0 * t * R / np.maximum(np.tan(phi), 1e-12))


def circle_rings(
    lon0: FloatArray,
    lat0: FloatArray,
    r: FloatArray,
    t: FloatArray,
    g: pyproj.Geod,
    max_chord: Optional[FloatOrArray] = None,
) -> Rings:
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
    ll_chord = lonlat_chord(lat0, r, t, g)
    max_chord = ll_chord if max_chord is None else np.minimum(max_chord, ll_chord)
    n = vertex_count(r, t, g, max_chord)
    if len(n) and (n == n[0]).all():
        rings = _circle_rings_uniform(lon0, lat0, r, int(n[0]), g)
    else:
        rings = _circle_rings_mirrored(lon0, lat0, r, n, g)
    far = r > far_radius(g)
    if far.any():
        rings = _far_rings(rings, lon0, lat0, r, t, far, g)
    return rings


def far_radius(g: pyproj.Geod) -> float:
    """Radius, meters, beyond which circles are drawn from the antipode.

    Three times the depth of the cut locus (half the meridian minus
    :func:`~geoconflict.geodesy.ellipsoid.cut_distance`) short of half the meridian: 19,903,116 m on WGS84.
    Nearer the antipode the circle is no longer round (the geodesics from the
    centre focus there), so equal azimuths from the centre would space the
    vertices too unevenly for the tolerance.
    """
    half = half_circumference(geod=g)
    return half - 3.0 * (half - cut_distance(geod=g))


def _antipode_rays(
    clon: FloatArray,
    clat: FloatArray,
    r: FloatArray,
    beta: FloatArray,
    rho_min: FloatArray,
    g: pyproj.Geod,
) -> tuple[FloatArray, FloatArray]:
    """Points at distance `r` from centres, along azimuths `beta` from their antipodes.

    Near the antipode the distance to the centre decreases steadily along
    every geodesic leaving the antipode, from half the meridian; the point is
    where it equals `r`: safeguarded Newton iteration (bisection fallback) on
    :meth:`pyproj.Geod.inv`, to a micrometre, but at least `rho_min` from the
    antipode.  All arguments are flat arrays of one length (degrees, meters).
    """
    alon, alat = wrap_lon(clon + 180.0), -clat
    half = half_circumference(geod=g)

    def at(s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        lo, la, baz = g.fwd(alon, alat, beta, s)
        _, baz_c, d = g.inv(clon, clat, lo, la)
        return np.asarray(baz), np.asarray(baz_c), np.asarray(d)

    lo_s = np.zeros(len(beta))
    hi_s = 4.0 * (half - r) + 2.0 * (half - cut_distance(geod=g)) + 1e4
    for _ in range(40):  # widen until the far end is closer than r
        short = at(hi_s)[2] >= r
        if not short.any():
            break
        hi_s = np.where(short, 2.0 * hi_s, hi_s)
    s = np.clip(half - r, lo_s, hi_s)
    for _ in range(100):
        baz, baz_c, d = at(s)
        f = d - r  # > 0: still too close to the antipode
        if np.all(np.abs(f) < 1e-6):
            break
        lo_s = np.where(f > 0, s, lo_s)
        hi_s = np.where(f > 0, hi_s, s)
        # slope of the distance along the ray: -cos(angle to the way back to c)
        slope = -np.cos(np.radians(baz + 180.0 - baz_c))
        with np.errstate(divide="ignore", invalid="ignore"):
            s_new = s - f / slope
        bad = ~np.isfinite(s_new) | (s_new <= lo_s) | (s_new >= hi_s)
        s = np.where(bad, 0.5 * (lo_s + hi_s), s_new)
    lo, la, _ = g.fwd(alon, alat, beta, np.maximum(s, rho_min))
    return clon + wrap_lon(np.asarray(lo) - clon), np.asarray(la)


def _far_rings(
    rings: Rings,
    lon0: FloatArray,
    lat0: FloatArray,
    r: FloatArray,
    t: FloatArray,
    far: BoolArray,
    g: pyproj.Geod,
) -> Rings:
    """Redraw the circles `far` (radius past :func:`far_radius`) from the antipode.

    Near the antipode the geodesics from the centre focus and, past
    :func:`~geoconflict.geodesy.ellipsoid.cut_distance`, cross: the points :meth:`pyproj.Geod.fwd` reaches
    are then closer than the radius.  The vertices are found along azimuths
    from the antipode instead (``_antipode_rays``), clockwise around it
    (counterclockwise around the centre).  The circle is not round there (it
    has corners where it meets the cut locus), so edges are halved where the
    midpoint of their geodesic departs from the radius by more than 0.9 times
    the tolerance.  Every vertex is at the radius to a micrometre, or
    ``min(1 m, tolerance / 2)`` from the antipode when the radius is within
    that of half the meridian.  Returns the rings with the new vertex counts.
    """
    ring_lon, ring_lat, offsets, pole_n, pole_s = rings
    idx = np.flatnonzero(far)
    n = offsets[idx + 1] - offsets[idx] - 1
    circ = np.repeat(np.arange(len(idx)), n + 1)
    beta = (np.arange(len(circ)) - np.repeat(np.cumsum(n + 1) - n - 1, n + 1)) * (
        360.0 / np.repeat(n, n + 1)
    )
    c_lon, c_lat, c_r, c_t = lon0[idx], lat0[idx], r[idx], t[idx]
    rho_min = np.minimum(1.0, 0.5 * c_t)

    def solve(cc: IntArray, bb: FloatArray) -> tuple[FloatArray, FloatArray]:
        return _antipode_rays(c_lon[cc], c_lat[cc], c_r[cc], bb, rho_min[cc], g)

    lon, lat = solve(circ, beta)
    for _ in range(30):
        a, b = slice(None, -1), slice(1, None)
        same = circ[a] == circ[b]
        az, _, s12 = g.inv(lon[a], lat[a], lon[b], lat[b])
        mlo, mla, _ = g.fwd(lon[a], lat[a], az, 0.5 * np.asarray(s12))
        ca = circ[a]
        _, _, dm = g.inv(c_lon[ca], c_lat[ca], mlo, mla)
        count = np.bincount(circ, minlength=len(idx))
        split_edge = (
            same
            & (np.abs(np.asarray(dm) - c_r[ca]) > 0.9 * c_t[ca])
            & (beta[b] - beta[a] > 1e-9)
            & (count[ca] < _MAX_VERTICES)
        )
        if not split_edge.any():
            break
        new_c = ca[split_edge]
        new_b = 0.5 * (beta[a][split_edge] + beta[b][split_edge])
        new_lon, new_lat = solve(new_c, new_b)
        circ = np.concatenate([circ, new_c])
        beta = np.concatenate([beta, new_b])
        lon = np.concatenate([lon, new_lon])
        lat = np.concatenate([lat, new_lat])
        order = np.lexsort((beta, circ))
        circ, beta, lon, lat = circ[order], beta[order], lon[order], lat[order]
    size_far = np.bincount(circ, minlength=len(idx))
    first = np.cumsum(size_far) - size_far
    last = first + size_far - 1
    lon[last], lat[last] = lon[first], lat[first]  # closed exactly
    # splice into the ragged arrays
    sizes = np.diff(offsets)
    new_sizes = sizes.copy()
    new_sizes[idx] = size_far
    new_off = np.concatenate(([0], np.cumsum(new_sizes)))
    out_lon = np.empty(int(new_off[-1]))
    out_lat = np.empty(int(new_off[-1]))
    keep = np.flatnonzero(~far)
    src, _ = ragged_index(offsets, keep, np.zeros(len(keep), dtype=bool))
    dst, _ = ragged_index(new_off, keep, np.zeros(len(keep), dtype=bool))
    out_lon[dst], out_lat[dst] = ring_lon[src], ring_lat[src]
    dst, _ = ragged_index(new_off, idx, np.zeros(len(idx), dtype=bool))
    out_lon[dst], out_lat[dst] = lon, lat
    return out_lon, out_lat, new_off, pole_n, pole_s


def _circle_rings_mirrored(
    lon0: FloatArray, lat0: FloatArray, r: FloatArray, n: IntArray, g: pyproj.Geod
) -> Rings:
    """:func:`circle_rings` for circles with different vertex counts `n`."""
    m = n // 2 + 1  # azimuths 0, 360/n, ..., 180
    m_start = np.concatenate(([0], np.cumsum(m)[:-1]))
    k = np.arange(int(m.sum())) - np.repeat(m_start, m)
    az = k * (360.0 / np.repeat(n, m))
    lo, la, _ = fwd(g, np.repeat(lon0, m), np.repeat(lat0, m), az, np.repeat(r, m))
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


def _circle_rings_uniform(
    lon0: FloatArray, lat0: FloatArray, r: FloatArray, n: int, g: pyproj.Geod
) -> Rings:
    """:func:`circle_rings` when every circle has the same vertex count `n`."""
    m = n // 2 + 1
    count = len(lon0)
    az = np.tile(np.arange(m) * (360.0 / n), count)
    lo, la, _ = fwd(g, np.repeat(lon0, m), np.repeat(lat0, m), az, np.repeat(r, m))
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


def tolerances(tolerance_m: Optional[ArrayLike], r: FloatArray) -> FloatArray:
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


def circles(
    lon0: FloatArray, lat0: FloatArray, r: FloatArray, t: FloatArray, g: pyproj.Geod
) -> ObjectArray:
    """Polygons for circles with r > 0 (validated, flat float arrays)."""
    if len(lon0) == 0:
        return np.empty(0, dtype=object)
    rings = circle_rings(lon0, lat0, r, t, g)
    return rings_to_polygons(rings, np.arange(len(lon0)), None, g)


def simple_rings(rings: Rings) -> BoolArray:
    """Which rings of :func:`circle_rings` need no cut: no pole, within ±180."""
    ring_lon, _, offsets, pole_n, pole_s = rings
    if len(offsets) < 2:
        return np.zeros(0, dtype=bool)
    starts = offsets[:-1]
    lon_max = np.maximum.reduceat(ring_lon, starts)
    lon_min = np.minimum.reduceat(ring_lon, starts)
    return ~pole_n & ~pole_s & (lon_max <= 180.0) & (lon_min >= -180.0)


def ragged_index(
    offsets: IntArray, rings: IntArray, reverse: BoolArray
) -> tuple[IntArray, IntArray]:
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


def rings_to_polygons(
    rings: Rings,
    shells: ArrayLike,
    holes: Optional[ArrayLike],
    g: pyproj.Geod,
) -> ObjectArray:
    """Disks or annuli from the geodesic circles of :func:`circle_rings`.

    Polygon ``i`` is circle ``shells[i]`` minus circle ``holes[i]`` (no hole where
    `holes` is None or ``holes[i] < 0``); a hole circle must be concentric with and
    smaller than its shell.  Circles that need no cut are assembled in one geometry
    call (exterior counterclockwise, hole clockwise); the others go through
    :func:`~geoconflict.geodesy.antimeridian.ring_region` (antimeridian, poles).
    """
    ring_lon, ring_lat, offsets = rings[:3]
    shells = np.asarray(shells, dtype=np.int64)
    holes = np.full(len(shells), -1) if holes is None else np.asarray(holes, np.int64)
    out = np.empty(len(shells), dtype=object)
    if not len(shells):
        return out
    simple_ring = simple_rings(rings)
    has_hole = holes >= 0
    simple = simple_ring[shells] & (~has_hole | simple_ring[np.maximum(holes, 0)])
    if simple.all() and not has_hole.any() and len(shells) == len(offsets) - 1:
        if (shells == np.arange(len(shells))).all():
            coords = np.column_stack([ring_lon, ring_lat])
            return polygons_from_ragged(coords, offsets, np.arange(len(shells) + 1))
    if simple.any():
        sh, ho, hh = shells[simple], holes[simple], has_hole[simple]
        n_rings = 1 + hh.astype(np.int64)
        geom_off = np.concatenate(([0], np.cumsum(n_rings)))
        ids = np.empty(int(geom_off[-1]), dtype=np.int64)
        ids[geom_off[:-1]] = sh
        ids[geom_off[:-1][hh] + 1] = ho[hh]
        reverse = np.zeros(len(ids), dtype=bool)
        reverse[geom_off[:-1][hh] + 1] = True
        idx, ring_off = ragged_index(offsets, ids, reverse)
        coords = np.column_stack([ring_lon[idx], ring_lat[idx]])
        out[simple] = polygons_from_ragged(coords, ring_off, geom_off)
    regions: dict[int, BaseGeometry] = {}

    def region(i: int) -> BaseGeometry:
        if i not in regions:
            a, b = offsets[i], offsets[i + 1]
            regions[i] = orient(
                ring_region(ring_lon[a:b], ring_lat[a:b], interior_left=True, geod=g)
            )
        return regions[i]

    for i in np.flatnonzero(~simple):
        shell = region(int(shells[i]))
        if has_hole[i]:
            hole = region(int(holes[i]))
            shell = orient(as_polygonal(polygonal_parts(difference(shell, hole))))
        out[i] = shell
    return out


def rings_to_lines(rings: Rings, which: ArrayLike, g: pyproj.Geod) -> ObjectArray:
    """Return the circles `which` of :func:`circle_rings` as closed lines.

    Circles that cross the antimeridian or wind around a pole are cut at ±180
    by :func:`~geoconflict.geodesy.antimeridian.split` (crossings on the geodesic).
    """
    ring_lon, ring_lat, offsets = rings[:3]
    which = np.asarray(which, dtype=np.int64)
    out = np.empty(len(which), dtype=object)
    if not len(which):
        return out
    simple = simple_rings(rings)[which]
    if simple.any():
        sel = which[simple]
        idx, line_off = ragged_index(offsets, sel, np.zeros(len(sel), dtype=bool))
        coords = np.column_stack([ring_lon[idx], ring_lat[idx]])
        out[simple] = lines_from_ragged(coords, line_off)
    for i in np.flatnonzero(~simple):
        a, b = offsets[which[i]], offsets[which[i] + 1]
        out[i] = split(line(np.column_stack([ring_lon[a:b], ring_lat[a:b]])), geod=g)
    return out
