"""Zones, exposure counts, nearest-neighbour joins and distance matrices, geodesic.

Coordinates are (lon, lat) degrees on WGS84, distances meters.  Every function
accepts plain arrays (``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely points)
and also GeoDataFrames/GeoSeries in **any CRS**: they are converted to EPSG:4326
for the geodesic maths, and the result comes back as a GeoDataFrame with the
**same index and CRS** as the input (geopandas is imported only then).

* :func:`exposure` -- events per site and ring (1/2/5 km ...), with sums of a
  weight such as casualties;
* :func:`nearest` -- each point's k nearest points of another set, exact
  geodesic distances;
* :func:`distance_matrix` -- all pairwise geodesic distances;
* :func:`zones` -- geodesic buffer zones around sites, lines or polygons,
  clipped to a country or a side of a border, per feature or dissolved.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np
import pyproj
import shapely

from geoconflict._points import as_points, frame_geometry_4326, is_frame
from geoconflict.errors import GeometryError
from geoconflict.geodesy.ellipsoid import check_radii as _check_radii
from geoconflict.geodesy.measurement import get_geod
from geoconflict.units import as_meters as _as_meters
from geoconflict.units import check_increasing as _check_increasing
from geoconflict.units import format_length

__all__ = [
    "Exposure",
    "Nearest",
    "Pairs",
    "distance_matrix",
    "exposure",
    "nearest",
    "pairs_within",
    "zones",
]

# a geodesic on WGS84 is never shorter than the great circle between the same
# geodetic coordinates on a sphere of radius a(1 - e^2) (the smallest radius of
# curvature), so this sphere gives safe search windows.
_SAFETY = 1.01


class Pairs(NamedTuple):
    """(point, centre) pairs within a distance.

    Attributes
    ----------
    point_index, center_index : ndarray of int
        Positions in the point and centre arrays.
    distance : ndarray
        Geodesic distance, meters.
    """

    point_index: np.ndarray
    center_index: np.ndarray
    distance: np.ndarray


def _window_deg(lat: np.ndarray, radius: np.ndarray, geod: pyproj.Geod) -> tuple:
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


def _boxes(lon, lat, dlon, dlat):
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


def pairs_within(
    lon, lat, center_lon, center_lat, radius_m, *, geod=None, ellps=None
) -> Pairs:
    """Every (point, centre) pair closer than `radius_m`, exact geodesic test.

    Candidates come from an STR-tree query with boxes that are guaranteed to hold
    each geodesic circle; the exact pyproj distance then decides (``<=``).

    Parameters
    ----------
    lon, lat : array_like
        Points, degrees.
    center_lon, center_lat : array_like
        Centres, degrees.
    radius_m : float or array_like
        Meters, one for all or one per centre.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    Pairs
        Sorted by centre, then point.

    Examples
    --------
    >>> p = pairs_within([40.9, 41.5], [34.45, 34.0], [40.95], [34.43], 10_000)
    >>> p.point_index.tolist(), p.center_index.tolist(), round(p.distance[0])
    ([0], [0], 5103)
    """
    g = get_geod(geod, ellps)
    lo = np.asarray(lon, dtype=float).ravel()
    la = np.asarray(lat, dtype=float).ravel()
    clo = np.asarray(center_lon, dtype=float).ravel()
    cla = np.asarray(center_lat, dtype=float).ravel()
    r = np.broadcast_to(np.asarray(radius_m, dtype=float), clo.shape).astype(float)
    empty = Pairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    ok_p = np.isfinite(lo) & np.isfinite(la)
    ok_c = np.isfinite(clo) & np.isfinite(cla) & np.isfinite(r) & (r >= 0)
    if not ok_p.any() or not ok_c.any():
        return empty
    pidx = np.flatnonzero(ok_p)
    cidx = np.flatnonzero(ok_c)
    tree = shapely.STRtree(
        shapely.points(((lo[pidx] + 180.0) % 360.0) - 180.0, la[pidx])
    )
    dlon, dlat = _window_deg(cla[cidx], r[cidx], g)
    boxes, owner = _boxes(clo[cidx], cla[cidx], dlon, dlat)
    qi, ti = tree.query(boxes)
    if not len(qi):
        return empty
    c = cidx[owner[qi]]
    p = pidx[ti]
    if len(boxes) > len(cidx):  # a box split at 180 may find a point twice
        key = np.unique(c.astype(np.int64) * len(lo) + p)
        c, p = key // len(lo), key % len(lo)
    _, _, d = g.inv(clo[c], cla[c], lo[p], la[p])
    d = np.asarray(d, dtype=float)
    keep = d <= r[c]
    order = np.lexsort((p[keep], c[keep]))
    return Pairs(p[keep][order], c[keep][order], d[keep][order])


class Exposure(NamedTuple):
    """Events per site and ring.

    Attributes
    ----------
    radii_m : ndarray, shape (k,)
        Ring radii, meters.
    counts : ndarray of int, shape (n_sites, k)
        Events in each ring: the band between the previous radius (exclusive) and
        this one (inclusive), or within the radius if ``cumulative``.
    sums : ndarray or None, shape (n_sites, k)
        Sum of the weights of those events (NaN weights count as 0).
    cumulative : bool
        Whether the rings are disks (True) or bands (False).
    columns : list of str
        Column names used for tables (``events_0_1km`` ...).
    """

    radii_m: np.ndarray
    counts: np.ndarray
    sums: Optional[np.ndarray]
    cumulative: bool
    columns: list

    def as_dict(self, prefix: str = "events", weight_name: str = "weight") -> dict:
        """Columns of counts (and sums), one per ring, as a dict of arrays."""
        out = {}
        for j, name in enumerate(self.columns):
            out[f"{prefix}_{name}"] = self.counts[:, j]
        if self.sums is not None:
            for j, name in enumerate(self.columns):
                out[f"{weight_name}_{name}"] = self.sums[:, j]
        return out


def _ring_names(radii: np.ndarray, cumulative: bool) -> list:
    def short(m):
        return format_length(m).replace(" ", "")

    names = []
    for j, r in enumerate(radii):
        if cumulative:
            names.append(f"within_{short(r)}")
        else:
            inner = 0.0 if j == 0 else radii[j - 1]
            u = "km" if r >= 1000 else "m"
            lo = format_length(inner, u).split(" ")[0]
            names.append(
                f"{lo}_{short(r) if u == 'm' else format_length(r, u).replace(' ', '')}"
            )
    return [n.replace(".", "p") for n in names]


def exposure(
    events: Any,
    sites: Any,
    rings: Any = (1_000, 2_000, 5_000),
    *,
    weights: Any = None,
    cumulative: bool = False,
    geod=None,
    ellps: Optional[str] = None,
    output_crs: Any = None,
):
    """Count events (and sum a weight) in geodesic rings around each site.

    Parameters
    ----------
    events, sites : points
        ``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely Points, Sites, Events, or
        GeoDataFrames of points in any CRS.
    rings : sequence of float or str
        Strictly increasing radii, meters (or ``"1 km"`` ...).
    weights : array_like or str, optional
        One value per event (e.g. casualties under a policy), or the name of a
        column of the `events` GeoDataFrame; NaN counts as 0.
    cumulative : bool
        False (default): ring *j* is the band ``(r[j-1], r[j]]`` (the first is the
        disk); True: ring *j* is the disk ``[0, r[j]]``.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.
    output_crs : CRS-like, optional
        For GeoDataFrame results: reproject the output to this CRS (by default
        it stays in the input's CRS).

    Returns
    -------
    Exposure or GeoDataFrame
        :class:`Exposure` (counts per site and ring); if `sites` is a
        GeoDataFrame/GeoSeries, a copy of it (same index, same CRS) with the
        columns ``events_<ring>`` (and ``<weight>_<ring>``) added.

    Examples
    --------
    >>> ev = [(40.91, 34.45), (40.92, 34.46), (40.99, 34.39)]
    >>> e = exposure(ev, [(40.91854, 34.45226)], rings=[1_000, 2_000, 10_000])
    >>> e.columns
    ['0_1km', '1_2km', '2_10km']
    >>> e.counts.tolist()
    [[2, 0, 1]]
    >>> exposure(ev, [(40.91854, 34.45226)], [1_000, 10_000], cumulative=True).counts.tolist()
    [[2, 3]]
    """
    g = get_geod(geod, ellps)
    radii = _as_meters(rings, "rings")
    _check_radii(radii, g, "rings")
    _check_increasing(radii, "rings")
    ev = as_points(events, "events")
    st = as_points(sites, "sites")
    w = None
    weight_name = "weight"
    if weights is not None:
        if isinstance(weights, str):
            if ev.frame is None or weights not in getattr(ev.frame, "columns", ()):
                raise GeometryError(
                    f"weights={weights!r} names a column, but events is not a "
                    "GeoDataFrame with that column; pass an array instead"
                )
            weight_name = weights
            w = np.asarray(ev.frame[weights], dtype=float)
        else:
            w = np.asarray(weights, dtype=float).ravel()
        if w.shape != ev.lon.shape:
            raise GeometryError(
                f"weights has {w.size} values for {ev.lon.size} events; give one per event"
            )
    n, k = len(st.lon), len(radii)
    counts = np.zeros((n, k), dtype=np.int64)
    sums = None if w is None else np.zeros((n, k))
    if n and k and len(ev.lon):
        pairs = pairs_within(ev.lon, ev.lat, st.lon, st.lat, float(radii[-1]), geod=g)
        ring = np.searchsorted(radii, pairs.distance, side="left")
        flat = pairs.center_index * k + ring
        counts = np.bincount(flat, minlength=n * k).reshape(n, k)
        if w is not None:
            ww = np.nan_to_num(w[pairs.point_index], nan=0.0)
            sums = np.bincount(flat, weights=ww, minlength=n * k).reshape(n, k)
        if cumulative:
            counts = np.cumsum(counts, axis=1)
            sums = None if sums is None else np.cumsum(sums, axis=1)
    res = Exposure(radii, counts, sums, cumulative, _ring_names(radii, cumulative))
    if st.frame is not None:
        out = _frame_copy(st.frame)
        for name, col in res.as_dict(weight_name=weight_name).items():
            out[name] = col
        return out if output_crs is None else out.to_crs(output_crs)
    return res


def _frame_copy(frame: Any):
    """Copy a GeoDataFrame/GeoSeries as a GeoDataFrame (same index and CRS)."""
    if hasattr(frame, "to_frame") and not hasattr(frame, "columns"):
        return frame.to_frame(name="geometry").set_geometry("geometry")
    return frame.copy()


def distance_matrix(
    a: Any, b: Any, *, geod=None, ellps=None, max_pairs: int = 2_000_000
):
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


def _dmatrix(lo1, la1, lo2, la2, g, max_pairs=2_000_000):
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


class Nearest(NamedTuple):
    """k nearest neighbours.

    Attributes
    ----------
    index : ndarray of int, shape (n, k)
        Positions in `b` of the nearest points (-1 where there are fewer than k).
    distance : ndarray, shape (n, k)
        Geodesic distances, meters, ascending (NaN where missing).
    """

    index: np.ndarray
    distance: np.ndarray


def _ecef(lon, lat, g):
    """Earth-centred cartesian coordinates on the ellipsoid, meters."""
    lo, la = np.radians(lon), np.radians(lat)
    sl, cl = np.sin(la), np.cos(la)
    n = g.a / np.sqrt(1.0 - g.es * sl * sl)
    return np.column_stack(
        [n * cl * np.cos(lo), n * cl * np.sin(lo), n * (1.0 - g.es) * sl]
    )


def nearest(
    a: Any,
    b: Any,
    k: int = 1,
    *,
    max_distance: Optional[float] = None,
    geod=None,
    ellps: Optional[str] = None,
    output_crs: Any = None,
):
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
        :class:`Nearest` (``index`` and ``distance`` arrays of shape (len(a), k)).
        If `a` is a GeoDataFrame: a copy with the columns ``nearest_index`` (the
        index label of `b` if `b` is a GeoDataFrame, else its position) and
        ``nearest_distance_m`` (with suffixes ``_1`` ... ``_k`` when k > 1).

    Examples
    --------
    >>> towns = [(40.98945, 34.39251), (41.1, 34.5), (40.0, 34.0)]
    >>> r = nearest([(40.91854, 34.45226)], towns, k=2)
    >>> r.index.tolist(), r.distance.round().tolist()
    ([[0, 1]], [[9296.0, 17491.0]])
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
            _, _, d = g.inv(
                pa.lon[rows[ci]], pa.lat[rows[ci]], pb.lon[okb[cj]], pb.lat[okb[cj]]
            )
            d = np.asarray(d, dtype=float)
            if max_distance is not None:
                keep = d <= max_distance
                ci, cj, d = ci[keep], cj[keep], d[keep]
            order = np.lexsort((okb[cj], d, ci))
            ci, cj, d = ci[order], cj[order], d[order]
            first = np.searchsorted(ci, np.arange(len(rows)))
            rank = np.arange(len(ci)) - first[ci]
            take = rank < k
            idx[rows[ci[take]], rank[take]] = okb[cj[take]]
            dist[rows[ci[take]], rank[take]] = d[take]
    res = Nearest(idx, dist)
    if pa.frame is not None:
        out = _frame_copy(pa.frame)
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


def _clip_geometry(clip_to: Any) -> Any:
    """Return a shapely geometry (lon/lat) for `clip_to`."""
    if clip_to is None:
        return None
    if isinstance(clip_to, str):
        try:
            from geoconflict.geography import borders
        except ImportError:
            raise GeometryError(
                f"clip_to={clip_to!r}: country names need geoconflict.geography.borders, which "
                "is not available in this version; pass a polygon instead"
            ) from None
        found = borders.country(clip_to)
        return getattr(found, "geometry", found)
    if is_frame(clip_to):
        return shapely.union_all(frame_geometry_4326(clip_to, "clip_to"))
    from geoconflict._geom import as_geometry_array

    geoms, _ = as_geometry_array(clip_to)
    return shapely.union_all(geoms)


def zones(
    geometry: Any,
    distance_m: Any,
    *,
    clip_to: Any = None,
    dissolve: bool = False,
    tolerance_m: Optional[float] = None,
    geod=None,
    output_crs: Any = None,
):
    """Geodesic buffer zones around sites, lines or polygons, optionally clipped.

    Parameters
    ----------
    geometry : geometry, array of geometries, or GeoDataFrame/GeoSeries
        Lon/lat degrees (GeoDataFrames in any CRS).
    distance_m : float, str or array_like
        Zone width, meters (or ``"10 km"``), one for all or one per feature.
    clip_to : geometry, GeoDataFrame or str, optional
        Keep only the part of each zone inside this area: a polygon (e.g. one
        side of a border, a country), a GeoDataFrame (its union), or a country
        name/code resolved by :func:`geoconflict.geography.borders.country`.
    dissolve : bool
        Merge all zones into one (Multi)Polygon.
    tolerance_m : float, optional
        Boundary tolerance of the buffers, meters.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    output_crs : CRS-like, optional
        For GeoDataFrame results: reproject the output to this CRS (by default
        it stays in the input's CRS).

    Returns
    -------
    ndarray of geometries, geometry, or GeoDataFrame
        One zone per feature (lon/lat), or one geometry if `dissolve`.  With a
        GeoDataFrame/GeoSeries in: a copy with the zone as geometry, same index,
        same CRS (dissolved: a one-row GeoDataFrame in that CRS).

    Examples
    --------
    >>> from shapely import Point, box
    >>> z = zones([Point(40.9, 34.45)], 10_000, clip_to=box(40.9, 34, 42, 35))
    >>> round(z[0].bounds[0], 6), round(z[0].bounds[2], 2)
    (40.9, 41.01)
    """
    from geoconflict.geodesy.buffers import buffer

    frame = geometry if is_frame(geometry) else None
    if frame is not None:
        geoms = frame_geometry_4326(frame, "geometry")
    else:
        from geoconflict._geom import as_geometry_array

        geoms, _ = as_geometry_array(geometry)
    if isinstance(distance_m, str):
        distance_m = _as_meters(distance_m, "distance_m")[0]
    z = np.asarray(
        buffer(geoms, distance_m, tolerance_m=tolerance_m, geod=geod), dtype=object
    )
    clip = _clip_geometry(clip_to)
    if clip is not None:
        shapely.prepare(clip)
        z = shapely.intersection(z, clip)
    if dissolve:
        z = np.array([shapely.union_all(z)], dtype=object)
    if frame is None:
        return z[0] if dissolve else z
    from geoconflict._compat import import_optional_dependency

    gpd = import_optional_dependency("geopandas", "zones of a GeoDataFrame")
    gs = gpd.GeoSeries(list(z), crs="EPSG:4326").to_crs(frame.crs)
    if dissolve:
        out = gpd.GeoDataFrame(geometry=gs)
        return out if output_crs is None else out.to_crs(output_crs)
    out = _frame_copy(frame)
    out[out.geometry.name] = gpd.GeoSeries(
        list(gs.values), index=out.index, crs=frame.crs
    )
    return out if output_crs is None else out.to_crs(output_crs)
