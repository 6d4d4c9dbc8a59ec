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
* exterior rings are counterclockwise (RFC 7946 right-hand rule);
* a buffer may be larger than a hemisphere (distances up to half the meridian,
  20,003,931 m on WGS84, the farthest any point is from another): it always
  contains its centre, and in lon/lat it is drawn as the planar inside of its
  rings, e.g. the box [-180, 180] x [-90, 90] with a hole around the antipode.
  :func:`geoconflict.area` measures that region, not the smaller side.

Accuracy
--------
Every vertex of a point buffer lies at exactly the buffer distance from the
centre (Karney's direct problem via :meth:`pyproj.Geod.fwd`, nanometre
accuracy).  Past pi times the semi-minor axis (19,970,326 m on WGS84) the
geodesics from the centre cross near the antipode, so those circles are found
from the antipode instead, to a micrometre.  The number of vertices is chosen
from ``tolerance_m`` so that the geodesic chord between consecutive vertices
departs from the true circle by at most ``tolerance_m``.  The default tolerance is ``max(1 m, 0.1 % of the
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
from typing import Optional, Union, cast, overload

import numpy as np
import pyproj
import shapely

from geoconflict._arrays import as_float_arrays, check_lonlat
from geoconflict._geom import (
    as_geometry_array,
    as_polygonal,
    covers,
    difference,
    empty_polygon,
    orient,
    point,
    polygon,
    polygonal_parts,
    polygons_from_ragged,
    repair,
    return_geometry_like,
    signed_area,
    union,
    union_all,
)
from geoconflict._typing import (
    ArrayLike,
    BaseGeometry,
    BaseMultipartGeometry,
    FloatArray,
    GeometryLike,
    GeometryOrArray,
    IntArray,
    LengthLike,
    ObjectArray,
    Polygon,
)
from geoconflict.errors import GeometryError, ShapeError
from geoconflict.geodesy._circles import (
    circle_rings,
    circles,
    default_tolerance,
    fwd,
    mean_radius,
    tolerances,
    vertex_count,
)
from geoconflict.geodesy.antimeridian import ring_region, split
from geoconflict.geodesy.ellipsoid import get_geod, half_circumference, wrap_lon
from geoconflict.geodesy.measurement import densify
from geoconflict.units import parse_length

__all__ = ["MAX_DISTANCE", "buffer", "circle_polygons", "default_tolerance"]

#: Largest buffer distance accepted on WGS84, meters: half the meridian
#: (pole to pole, 20,003,931.5 m), the distance from any point to its antipode
#: and so the farthest any point can be.  A buffer of exactly this distance is
#: the whole Earth.  Other ellipsoids use their own half meridian.
MAX_DISTANCE = 20_003_931.458625447

#: Largest distance, meters, from the centre of a line or polygon buffer's
#: working plane (azimuthal equidistant) to any part of the buffer.
_MAX_PLANE_RADIUS = 15_000_000.0


def _check_distances(
    r: np.ndarray,
    g: pyproj.Geod,
    *,
    allow_negative: Union[np.ndarray, bool] = False,
    name: str = "buffer distance",
) -> None:
    limit = half_circumference(geod=g)
    bad = np.isinf(r) | (np.abs(np.nan_to_num(r)) > limit)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"{name} at position {i} is {float(r[i])!r} m; it must be finite and at "
            f"most {limit:,.1f} m, half the meridian: no point of the ellipsoid is "
            "farther from another, so a larger circle would wrap around the globe. "
            "Distances are in meters: check the unit (km given as m?), or give at "
            f"most {limit:,.0f} m for the whole Earth."
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


def circle_polygons(
    lon: ArrayLike,
    lat: ArrayLike,
    radius_m: ArrayLike,
    *,
    tolerance_m: Optional[ArrayLike] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> GeometryOrArray:
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
        when it contains a pole.  A circle larger than a hemisphere still
        contains its centre (it is the lon/lat box minus the region around the
        antipode); at exactly half the meridian it is the whole Earth but for
        a hole of at most 1 m at the antipode.  Radius 0 gives an empty Polygon; a NaN
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
    g = get_geod(geod, ellps)
    _check_distances(r, g, name="radius_m")
    t = tolerances(None if tolerance_m is None else tol, r)
    out = np.empty(len(r), dtype=object)
    missing = ~(np.isfinite(lo) & np.isfinite(la) & np.isfinite(r))
    zero = ~missing & (r == 0)
    for i in np.flatnonzero(zero):
        out[i] = empty_polygon()
    work = ~missing & ~zero
    if work.all():
        out = circles(wrap_lon(lo), la, r, t, g)
    elif work.any():
        out[work] = circles(wrap_lon(lo[work]), la[work], r[work], t[work], g)
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


def _to_plane(
    c: tuple[float, float], lon: FloatArray, lat: FloatArray, g: pyproj.Geod
) -> tuple[FloatArray, FloatArray]:
    az, _, d = g.inv(np.full(len(lon), c[0]), np.full(len(lon), c[1]), lon, lat)
    az = np.radians(np.asarray(az))
    d = np.asarray(d)
    return d * np.sin(az), d * np.cos(az)


def _from_plane(
    c: tuple[float, float], x: FloatArray, y: FloatArray, g: pyproj.Geod
) -> tuple[FloatArray, FloatArray]:
    az = np.degrees(np.arctan2(x, y))
    d = np.hypot(x, y)
    lon, lat, _ = g.fwd(np.full(len(x), c[0]), np.full(len(x), c[1]), az, d)
    return np.asarray(lon), np.asarray(lat)


def _decompose(
    geom: BaseGeometry,
) -> tuple[FloatArray, list[FloatArray], list[Polygon]]:
    """Points (k x 2), lines [arrays] and polygons [(shell, [holes])] of a geometry."""
    pts: list[FloatArray] = []
    lines: list[FloatArray] = []
    polys: list[Polygon] = []
    stack: list[Optional[BaseGeometry]] = [geom]
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
            polys.append(cast(Polygon, gm))
        else:
            stack.extend(cast(BaseMultipartGeometry, gm).geoms)
    points = np.concatenate(pts) if pts else np.empty((0, 2))
    return points, lines, polys


def _path_geometry(
    coords: FloatArray, closed: bool, g: pyproj.Geod
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
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


def _wedges(
    w: FloatArray, r: float, n_circle: int, g: pyproj.Geod
) -> tuple[FloatArray, FloatArray, IntArray]:
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
    alon, alat, _ = fwd(
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
    R = mean_radius(g)
    rho = min(abs(r), 0.45 * math.pi * R) / R
    lat = math.radians(min(max_lat, 89.0))
    curv = max(math.tan(rho) / R + reach / R**2, math.tan(lat) / R)
    return float(np.clip(math.sqrt(4.0 * t / curv), 10.0, 200_000.0))


def _ragged_polygons(x: FloatArray, y: FloatArray, offsets: IntArray) -> ObjectArray:
    coords = np.column_stack([x, y])
    return polygons_from_ragged(coords, offsets, np.arange(len(offsets)))


def _buffer_general(
    geom: BaseGeometry, r: float, t: float, g: pyproj.Geod
) -> BaseGeometry:
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
    # The vertices are within reach of the centre, but a polygon may still be
    # the far side of its rings (more than a hemisphere, e.g. the lon/lat box
    # minus a hole): it then covers the point opposite the centre, and its rings
    # cannot bound it in the working plane.
    if polys:
        anti_lon, anti_lat = wrap_lon(centre[0] + 180.0), -centre[1]
        anti = point(anti_lon, anti_lat)
        if any(covers(split(p, geod=g), anti) for p in polys):
            raise GeometryError(
                f"the {geom.geom_type} covers ({anti_lon:.3f}, {anti_lat:.3f}), the "
                f"point opposite its centre ({centre[0]:.3f}, {centre[1]:.3f}): it "
                "is larger than a hemisphere, and buffers of lines and polygons are "
                f"limited to {_MAX_PLANE_RADIUS / 1000:,.0f} km from their centre. "
                "Buffer its parts separately; for a circle, buffer its centre point "
                "by the radius plus the distance."
            )
    rr = abs(r)
    max_lat = float(np.max(np.abs(all_coords[:, 1]))) + math.degrees(
        rr / mean_radius(g)
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
        vertex_count(np.array([rr]), np.array([0.5 * t]), g, max_chord=seg)[0]
    )

    pieces_lon, pieces_lat, sizes = [], [], []
    # full circles at isolated points and at the ends of open lines
    if len(verts):
        clon, clat, coff, _, _ = circle_rings(
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
        grown = union_all(repair(_ragged_polygons(x, y, offs)))
    else:
        grown = empty_polygon()

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
            plane_polys.append(repair(polygon(np.column_stack([ex, ey]), holes)))
        body = union_all(plane_polys)
        region = difference(body, grown) if r < 0 else union(grown, body)
    else:
        region = grown
    return _plane_to_lonlat(region, centre, g)


def _plane_to_lonlat(
    region: BaseGeometry, centre: tuple[float, float], g: pyproj.Geod
) -> BaseGeometry:
    """Convert a planar (AEQD) region back to lon/lat polygons, ring by ring."""
    out = []
    for p in polygonal_parts(region):
        ext = np.asarray(p.exterior.coords)
        lon, lat = _from_plane(centre, ext[:, 0], ext[:, 1], g)
        left = signed_area(ext[:, 0], ext[:, 1]) > 0
        piece = ring_region(lon, lat, interior_left=left, geod=g)
        for h in p.interiors:
            hc = np.asarray(h.coords)
            hlon, hlat = _from_plane(centre, hc[:, 0], hc[:, 1], g)
            hleft = signed_area(hc[:, 0], hc[:, 1]) > 0
            hole = ring_region(hlon, hlat, interior_left=hleft, geod=g)
            if hole.area > piece.area:
                # a sliver hole whose orientation is numerically ambiguous came
                # out as the rest of the world: a hole lies inside its polygon
                hole = ring_region(hlon, hlat, interior_left=not hleft, geod=g)
            piece = difference(piece, hole)
        out.extend(polygonal_parts(piece))
    return orient(as_polygonal(out))


def _distances(distance_m: LengthLike, n: int) -> FloatArray:
    if isinstance(distance_m, str):
        distance_m = parse_length(distance_m)
    d = np.asarray(distance_m, dtype=np.float64)
    if d.ndim == 0:
        return np.full(n, float(d))
    d = d.ravel()
    if len(d) != n:
        raise ShapeError(
            f"{len(d)} distances for {n} geometries; give one distance per "
            "geometry or a single distance for all."
        )
    return d


@overload
def buffer(
    geometry: BaseGeometry,
    distance_m: Union[float, str],
    *,
    tolerance_m: Optional[float] = ...,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> BaseGeometry: ...
@overload
def buffer(
    geometry: GeometryLike,
    distance_m: LengthLike,
    *,
    tolerance_m: Optional[ArrayLike] = ...,
    geod: Optional[pyproj.Geod] = ...,
    ellps: Optional[str] = ...,
) -> GeometryOrArray: ...
def buffer(
    geometry: GeometryLike,
    distance_m: LengthLike,
    *,
    tolerance_m: Optional[ArrayLike] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> GeometryOrArray:
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
        non-finite vertices, a line/polygon buffer reaching more than
        15,000 km from the geometry's centre, or a polygon larger than a
        hemisphere (one that covers the point opposite its centre).
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
    g = get_geod(geod, ellps)
    _check_distances(d, g, allow_negative=is_poly)
    t = tolerances(tolerance_m, d)
    out = np.empty(n, dtype=object)
    missing = shapely.is_missing(geoms) | np.isnan(d)
    empty = ~missing & shapely.is_empty(geoms)
    for i in np.flatnonzero(empty):
        out[i] = empty_polygon()
    todo = ~missing & ~empty
    pts = todo & (type_ids == 0)
    if pts.any():
        xy = shapely.get_coordinates(geoms[pts])
        if not np.isfinite(xy).all():
            bad = int(
                np.flatnonzero(pts)[np.flatnonzero(~np.isfinite(xy).all(axis=1))[0]]
            )
            raise GeometryError(
                f"point at position {bad} has a non-finite coordinate {xy.tolist()!r}; "
                "give None for a missing point."
            )
        check_lonlat(xy[:, 0], xy[:, 1], what="point")
        dp = d[pts]
        res = np.empty(len(dp), dtype=object)
        pos = dp > 0
        for i in np.flatnonzero(~pos):
            res[i] = empty_polygon()
        if pos.any():
            res[pos] = circles(
                wrap_lon(xy[pos, 0]), xy[pos, 1], dp[pos], t[pts][pos], g
            )
        out[pts] = res
    for i in np.flatnonzero(todo & ~pts):
        if d[i] == 0 and not is_poly[i]:
            out[i] = empty_polygon()
        elif d[i] == 0:
            out[i] = orient(as_polygonal(polygonal_parts(split(geoms[i], geod=g))))
        else:
            out[i] = _buffer_general(geoms[i], float(d[i]), float(t[i]), g)
    return return_geometry_like(scalar, out)
