"""Neighbour queries between point sets, exact geodesic distances.

Coordinates are (lon, lat) degrees, distances meters, azimuths degrees
clockwise from true north, on WGS84 unless ``geod=``/``ellps=`` says otherwise.

* :func:`points_within` -- every (point, centre) pair within a radius
  (:func:`pairs_within`: the same pairs sorted by centre);
* :func:`nearest` -- each point's k nearest points of another set;
* :func:`distance_matrix` -- all pairwise distances.

The results are :class:`Pairs` and :class:`Nearest` (the type that
:func:`geoconflict.distance_to` also returns for the nearest point of a
geometry).  :func:`nearest` and :func:`distance_matrix` also take shapely
points and GeoDataFrames in any CRS (see :func:`geoconflict._points.as_points`).

Missing values: a point or centre with a NaN coordinate, or a centre with a NaN
radius, pairs with nothing and is reported with a :class:`MissingValueWarning`
(the same in the library, the CLI and the QGIS plugin); a negative or infinite
radius is an error.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, NamedTuple, Optional, Union

import numpy as np
import pyproj
import shapely

from geoconflict._arrays import as_float_arrays, check_lonlat
from geoconflict._points import as_points, frame_copy
from geoconflict._typing import (
    ArrayLike,
    BoolArray,
    CRSLike,
    FloatArray,
    FloatOrArray,
    IntArray,
    ObjectArray,
    PointsLike,
)
from geoconflict.errors import GeometryError, MissingValueWarning, ShapeError
from geoconflict.geodesy.measurement import get_geod

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "Nearest",
    "Pairs",
    "distance_matrix",
    "nearest",
    "pairs_within",
    "points_within",
]

# a geodesic on WGS84 is never shorter than the great circle between the same
# geodetic coordinates on a sphere of radius a(1 - e^2) (the smallest radius of
# curvature), so this sphere gives safe search windows.
_SAFETY = 1.01


class Pairs(NamedTuple):
    """(point, centre) pairs within a radius.

    Attributes
    ----------
    point_index, center_index : ndarray of int64
        Positions in the point and centre arrays.
    distance : ndarray of float64
        Geodesic distance of each pair, meters.
    """

    point_index: IntArray
    center_index: IntArray
    distance: FloatArray


class Nearest(NamedTuple):
    """The nearest point (or k nearest points), the distance and the azimuth to it.

    Returned by :func:`geoconflict.distance_to` with ``return_nearest=True``
    (the nearest point of one geometry: scalars or arrays shaped like the
    query) and by :func:`nearest` (the k nearest points of a set: arrays of
    shape ``(n, k)``, nearest first).

    Attributes
    ----------
    distance : float or ndarray
        Geodesic distance, meters (negative inside polygons with
        ``signed=True``; NaN where missing).
    lon, lat : float or ndarray
        The nearest point, degrees (EPSG:4326; NaN where missing).
    azimuth : float or ndarray
        Azimuth at the query point towards the nearest point, degrees clockwise
        from north (NaN where the distance is 0 or missing).
    index : ndarray of int64 or None
        From :func:`nearest`: the position of each neighbour in `b` (-1 where
        there are fewer than k).  None from :func:`geoconflict.distance_to`
        (there is one geometry).
    """

    distance: FloatOrArray
    lon: FloatOrArray
    lat: FloatOrArray
    azimuth: FloatOrArray
    # the field's public name shadows tuple.index
    index: Optional[IntArray] = None  # type: ignore[assignment]


def _report_missing(bad: BoolArray, noun: str, why: str) -> None:
    """Warn that the rows flagged in `bad` pair with nothing (nothing is dropped silently)."""
    n = int(bad.sum())
    if not n:
        return
    pos = np.flatnonzero(bad)
    shown = ", ".join(str(i) for i in pos[:5]) + (", ..." if n > 5 else "")
    many = n > 1
    warnings.warn(
        f"{n} {noun}{'s' if many else ''} with {why} (position{'s' if many else ''} "
        f"{shown}) pair{'' if many else 's'} with nothing; fill in or remove the "
        "missing values to include them",
        MissingValueWarning,
        stacklevel=3,
    )


def _radii(radius_m: ArrayLike, n: int) -> FloatArray:
    """One radius per centre, meters: NaN allowed (missing), negative or inf not."""
    r = np.asarray(radius_m, dtype=float)
    if r.ndim == 0:
        r = np.full(n, float(r))
    else:
        r = r.ravel()
        if r.shape != (n,):
            raise ShapeError(
                f"radius_m must be a scalar or one value per centre ({n}), "
                f"got shape {np.shape(radius_m)}"
            )
    with np.errstate(invalid="ignore"):
        bad = (r < 0) | np.isinf(r)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ShapeError(
            f"radius_m must be >= 0 meters and finite (NaN for a missing radius); "
            f"got {float(r[i])!r} for centre {i}"
        )
    return r


def _window_deg(
    lat: FloatArray, radius: FloatArray, geod: pyproj.Geod
) -> tuple[FloatArray, FloatArray]:
    """Half-widths (dlon, dlat) in degrees of boxes that hold each geodesic circle."""
    e2 = geod.es
    rmin = geod.a * (1.0 - e2)
    theta = np.minimum(_SAFETY * radius / rmin + 1e-9, np.pi)  # radians
    dlat = np.degrees(theta)
    phi = np.radians(np.abs(lat))
    with np.errstate(invalid="ignore", divide="ignore"):
        polar = phi + theta >= np.pi / 2 - 1e-9
        s = np.sin(theta) / np.cos(phi)
        dlon = np.where(
            polar | (s >= 1), 180.0, np.degrees(np.arcsin(np.minimum(s, 1)))
        )
    return dlon, dlat


def _boxes(
    lon: FloatArray, lat: FloatArray, dlon: FloatArray, dlat: FloatArray
) -> tuple[ObjectArray, IntArray]:
    """Search boxes, split at the antimeridian; returns (boxes, owner)."""
    lon = ((lon + 180.0) % 360.0) - 180.0
    x0, x1 = lon - dlon, lon + dlon
    y0, y1 = np.maximum(lat - dlat, -90.0), np.minimum(lat + dlat, 90.0)
    full = dlon >= 180.0
    x0 = np.where(full, -180.0, x0)
    x1 = np.where(full, 180.0, x1)
    owner = [np.arange(len(lon))]
    bx0, bx1, by0, by1 = [x0.clip(-180, 180)], [x1.clip(-180, 180)], [y0], [y1]
    west = ~full & (x0 < -180.0)
    east = ~full & (x1 > 180.0)
    if west.any():
        owner.append(np.flatnonzero(west))
        bx0.append(x0[west] + 360.0)
        bx1.append(np.full(int(west.sum()), 180.0))
        by0.append(y0[west])
        by1.append(y1[west])
    if east.any():
        owner.append(np.flatnonzero(east))
        bx0.append(np.full(int(east.sum()), -180.0))
        bx1.append(x1[east] - 360.0)
        by0.append(y0[east])
        by1.append(y1[east])
    boxes = shapely.box(
        np.concatenate(bx0),
        np.concatenate(by0),
        np.concatenate(bx1),
        np.concatenate(by1),
    )
    return boxes, np.concatenate(owner)


def points_within(
    lon: ArrayLike,
    lat: ArrayLike,
    center_lon: ArrayLike,
    center_lat: ArrayLike,
    radius_m: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> Pairs:
    """All (point, centre) pairs whose geodesic distance is at most `radius_m` meters.

    Candidates come from an STR-tree of the points queried with boxes that
    surely hold each geodesic circle; the exact pyproj distance then decides
    (``<=``, boundary included).

    Parameters
    ----------
    lon, lat : array_like
        Points, degrees.
    center_lon, center_lat : array_like
        Centres, degrees.
    radius_m : float or array_like
        Meters (>= 0); a scalar or one value per centre.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    Pairs
        ``point_index``, ``center_index`` and ``distance`` (meters) of every pair
        within the radius, sorted by point then centre.

    Raises
    ------
    CoordinateError
        A latitude outside [-90, 90] or a longitude outside [-540, 540] degrees.
    ShapeError
        A negative or infinite radius, or not one radius per centre.

    Warns
    -----
    MissingValueWarning
        Points or centres with a NaN coordinate, or centres with a NaN radius:
        they pair with nothing.

    Examples
    --------
    Abu Kamal and a point 250 km away, against a centre at Al-Qaim:

    >>> p = points_within([40.91854, 38.6], [34.45226, 33.5], [40.98945], [34.39251], 10_000)
    >>> p.point_index.tolist(), p.center_index.tolist(), round(float(p.distance[0]))
    ([0], [0], 9296)
    """
    g = get_geod(geod, ellps)
    (plon, plat), _ = as_float_arrays(lon, lat, names=("lon", "lat"))
    (clon, clat), _ = as_float_arrays(
        center_lon, center_lat, names=("center_lon", "center_lat")
    )
    plon, plat, clon, clat = plon.ravel(), plat.ravel(), clon.ravel(), clat.ravel()
    check_lonlat(plon, plat)
    check_lonlat(clon, clat, what="centre")
    r = _radii(radius_m, len(clon))
    ok_p = np.isfinite(plon) & np.isfinite(plat)
    ok_xy = np.isfinite(clon) & np.isfinite(clat)
    _report_missing(~ok_p, "point", "a NaN coordinate")
    _report_missing(~ok_xy, "centre", "a NaN coordinate")
    _report_missing(ok_xy & np.isnan(r), "centre", "a NaN radius")
    ok_c = ok_xy & ~np.isnan(r)
    empty = Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if not ok_p.any() or not ok_c.any():
        return empty
    pidx = np.flatnonzero(ok_p)
    cidx = np.flatnonzero(ok_c)
    tree = shapely.STRtree(
        np.asarray(shapely.points(((plon[pidx] + 180.0) % 360.0) - 180.0, plat[pidx]))
    )
    dlon, dlat = _window_deg(clat[cidx], r[cidx], g)
    boxes, owner = _boxes(clon[cidx], clat[cidx], dlon, dlat)
    qi, ti = tree.query(boxes)
    if not len(qi):
        return empty
    c = cidx[owner[qi]].astype(np.int64)
    p = pidx[ti].astype(np.int64)
    if len(boxes) > len(cidx):  # a box split at 180 may find a point twice
        key = np.unique(c * len(plon) + p)
        c, p = key // len(plon), key % len(plon)
    _, _, d = g.inv(clon[c], clat[c], plon[p], plat[p])
    d = np.asarray(d, dtype=float)
    keep = d <= r[c]
    p, c, d = p[keep], c[keep], d[keep]
    order = np.lexsort((c, p))
    return Pairs(p[order], c[order], d[order])


def pairs_within(
    lon: ArrayLike,
    lat: ArrayLike,
    center_lon: ArrayLike,
    center_lat: ArrayLike,
    radius_m: ArrayLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> Pairs:
    """Return the pairs of :func:`points_within`, sorted by centre then point.

    The same pairs, checks and missing-value rule as :func:`points_within`
    (this is the order of the ``geoconflict within`` table).

    Examples
    --------
    >>> p = pairs_within([40.9, 41.5, 40.95], [34.45, 34.0, 34.43], [40.95, 40.9], [34.43, 34.45], 10_000)
    >>> p.center_index.tolist(), p.point_index.tolist()
    ([0, 0, 1, 1], [0, 2, 0, 2])
    """
    p = points_within(
        lon, lat, center_lon, center_lat, radius_m, geod=geod, ellps=ellps
    )
    order = np.lexsort((p.point_index, p.center_index))
    return Pairs(p.point_index[order], p.center_index[order], p.distance[order])


def distance_matrix(
    a: PointsLike,
    b: PointsLike,
    *,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
    max_pairs: int = 2_000_000,
) -> Union[FloatArray, pd.DataFrame]:
    """Geodesic distances between every point of `a` and every point of `b`, meters.

    Parameters
    ----------
    a, b : points
        ``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely Points or GeoDataFrames.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.
    max_pairs : int
        Pairs computed per pyproj call (memory bound).

    Returns
    -------
    ndarray, shape (len(a), len(b))
        Meters (a DataFrame indexed like `a` with `b`'s index as columns if both
        are GeoDataFrames).

    Examples
    --------
    >>> m = distance_matrix([(40.91854, 34.45226)], [(40.98945, 34.39251), (40.91854, 34.45226)])
    >>> m.round().tolist()
    [[9296.0, 0.0]]
    """
    pa = as_points(a, "a")
    pb = as_points(b, "b")
    d = _dmatrix(pa.lon, pa.lat, pb.lon, pb.lat, get_geod(geod, ellps), max_pairs)
    if pa.frame is not None and pb.frame is not None:
        from geoconflict._compat import import_optional_dependency

        pd = import_optional_dependency("pandas", "distance_matrix of GeoDataFrames")
        return pd.DataFrame(d, index=pa.frame.index, columns=pb.frame.index)
    return d


def _dmatrix(
    lo1: FloatArray,
    la1: FloatArray,
    lo2: FloatArray,
    la2: FloatArray,
    g: pyproj.Geod,
    max_pairs: int = 2_000_000,
) -> FloatArray:
    n1, n2 = len(lo1), len(lo2)
    out = np.empty((n1, n2))
    if not n1 or not n2:
        return out
    step = max(1, max_pairs // n2)
    for s in range(0, n1, step):
        e = min(n1, s + step)
        _, _, d = g.inv(
            np.repeat(lo1[s:e], n2),
            np.repeat(la1[s:e], n2),
            np.tile(lo2, e - s),
            np.tile(la2, e - s),
        )
        out[s:e] = np.asarray(d).reshape(e - s, n2)
    return out


def _ecef(lon: FloatArray, lat: FloatArray, g: pyproj.Geod) -> FloatArray:
    """Earth-centred cartesian coordinates on the ellipsoid, meters."""
    lo, la = np.radians(lon), np.radians(lat)
    sl, cl = np.sin(la), np.cos(la)
    n = g.a / np.sqrt(1.0 - g.es * sl * sl)
    return np.column_stack(
        [n * cl * np.cos(lo), n * cl * np.sin(lo), n * (1.0 - g.es) * sl]
    )


def nearest(
    a: PointsLike,
    b: PointsLike,
    k: int = 1,
    *,
    max_distance: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
    output_crs: CRSLike = None,
) -> Union[Nearest, gpd.GeoDataFrame]:
    """Each point of `a`'s `k` nearest points of `b`, by exact geodesic distance.

    A geodesic is never shorter than the straight chord between its ends: the k
    points with the shortest chords (one matrix product per block) give exact
    distances whose largest bounds the answer, every point whose chord is
    shorter is then measured exactly with pyproj, so the result is exact.

    Parameters
    ----------
    a, b : points
        ``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely Points, Sites or
        GeoDataFrames of points in any CRS.
    k : int
        Neighbours per point (>= 1).
    max_distance : float, optional
        Ignore neighbours farther than this, meters.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.
    output_crs : CRS-like, optional
        For GeoDataFrame results: reproject the output to this CRS (by default
        it stays in the input's CRS).

    Returns
    -------
    Nearest or GeoDataFrame
        :class:`Nearest` with arrays of shape (len(a), k), nearest first:
        ``distance`` (meters, NaN where missing), ``lon``/``lat`` of the
        neighbour (degrees), ``azimuth`` towards it (degrees) and ``index``
        (its position in `b`, -1 where missing).  A point of `a` with a NaN
        coordinate has no neighbours; a point of `b` with one is nobody's.
        If `a` is a GeoDataFrame: a copy with the columns ``nearest_index`` (the
        index label of `b` if `b` is a GeoDataFrame, else its position) and
        ``nearest_distance_m`` (with suffixes ``_1`` ... ``_k`` when k > 1).

    Examples
    --------
    >>> towns = [(40.98945, 34.39251), (41.1, 34.5), (40.0, 34.0)]
    >>> r = nearest([(40.91854, 34.45226)], towns, k=2)
    >>> r.index.tolist(), r.distance.round().tolist(), r.azimuth.round().tolist()
    ([[0, 1]], [[9296.0, 17491.0]], [[135.0, 72.0]])
    """
    if int(k) != k or k < 1:
        raise GeometryError(f"k must be a positive integer, got {k!r}")
    k = int(k)
    g = get_geod(geod, ellps)
    pa = as_points(a, "a")
    pb = as_points(b, "b")
    na = len(pa.lon)
    idx = np.full((na, k), -1, dtype=np.int64)
    dist = np.full((na, k), np.nan)
    azi = np.full((na, k), np.nan)
    okb = np.flatnonzero(np.isfinite(pb.lon) & np.isfinite(pb.lat))
    oka = np.flatnonzero(np.isfinite(pa.lon) & np.isfinite(pa.lat))
    if len(okb) and len(oka):
        pb_xyz = _ecef(pb.lon[okb], pb.lat[okb], g)
        nb2 = np.einsum("ij,ij->i", pb_xyz, pb_xyz)
        kk = min(k, len(okb))
        step = max(1, 4_000_000 // len(okb))
        for s in range(0, len(oka), step):
            rows = oka[s : s + step]
            pa_xyz = _ecef(pa.lon[rows], pa.lat[rows], g)
            na2 = np.einsum("ij,ij->i", pa_xyz, pa_xyz)
            # squared straight-line (chord) distances through the ellipsoid: a
            # geodesic is never shorter than the chord between its ends
            c2 = na2[:, None] + nb2[None, :] - 2.0 * (pa_xyz @ pb_xyz.T)
            if kk == 1:
                best = np.argmin(c2, axis=1)[:, None]
            else:
                best = np.argpartition(c2, kk - 1, axis=1)[:, :kk]
            r_i = np.repeat(np.arange(len(rows)), kk)
            _, _, d_best = g.inv(
                pa.lon[rows[r_i]],
                pa.lat[rows[r_i]],
                pb.lon[okb[best.ravel()]],
                pb.lat[okb[best.ravel()]],
            )
            # the k-th true distance is at most the largest of these k exact ones;
            # only points whose chord is shorter can beat it
            s_k = np.asarray(d_best, dtype=float).reshape(-1, kk).max(axis=1)
            if max_distance is not None:
                s_k = np.minimum(s_k, max_distance)
            bound = (s_k + 0.5) ** 2 + 1.0  # + float slack of the chord formula
            ci, cj = np.nonzero(c2 <= bound[:, None])
            az, _, d = g.inv(
                pa.lon[rows[ci]], pa.lat[rows[ci]], pb.lon[okb[cj]], pb.lat[okb[cj]]
            )
            az, d = np.asarray(az, dtype=float), np.asarray(d, dtype=float)
            if max_distance is not None:
                keep = d <= max_distance
                ci, cj, d, az = ci[keep], cj[keep], d[keep], az[keep]
            order = np.lexsort((okb[cj], d, ci))
            ci, cj, d, az = ci[order], cj[order], d[order], az[order]
            first = np.searchsorted(ci, np.arange(len(rows)))
            rank = np.arange(len(ci)) - first[ci]
            take = rank < k
            idx[rows[ci[take]], rank[take]] = okb[cj[take]]
            dist[rows[ci[take]], rank[take]] = d[take]
            azi[rows[ci[take]], rank[take]] = np.where(d[take] > 0, az[take], np.nan)
    found = idx >= 0
    nlon, nlat = np.full((na, k), np.nan), np.full((na, k), np.nan)
    nlon[found], nlat[found] = pb.lon[idx[found]], pb.lat[idx[found]]
    res = Nearest(dist, nlon, nlat, azi, idx)
    if pa.frame is not None:
        out = frame_copy(pa.frame)
        labels = None
        if pb.frame is not None:
            labels = np.asarray(pb.frame.index, dtype=object)
        for j in range(k):
            suffix = "" if k == 1 else f"_{j + 1}"
            col = idx[:, j]
            if labels is not None:
                vals = np.array(
                    [labels[c] if c >= 0 else None for c in col], dtype=object
                )
            else:
                vals = col
            out[f"nearest_index{suffix}"] = vals
            out[f"nearest_distance_m{suffix}"] = dist[:, j]
        return out if output_crs is None else out.to_crs(output_crs)
    return res
