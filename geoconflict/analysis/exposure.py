"""Zones and exposure counts around sites, geodesic.

Coordinates are (lon, lat) degrees on WGS84, distances meters.  Every function
accepts plain arrays (``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely points)
and also GeoDataFrames/GeoSeries in **any CRS**: they are converted to EPSG:4326
for the geodesic maths, and the result comes back as a GeoDataFrame with the
**same index and CRS** as the input (geopandas is imported only then).

* :func:`exposure` -- events per site and ring (1/2/5 km ...), with sums of a
  weight such as casualties;
* :func:`zones` -- geodesic buffer zones around sites, lines or polygons,
  clipped to a country or a side of a border, per feature or dissolved.

The point queries they stand on (pairs within a distance, nearest neighbours,
distance matrices) are in :mod:`geoconflict.geodesy.neighbors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

import numpy as np
import pyproj

from geoconflict import _geom
from geoconflict._points import as_points, frame_copy, frame_geometry_4326, is_frame
from geoconflict._typing import (
    ArrayLike,
    CRSLike,
    FloatArray,
    GeometryLike,
    GeometryOrArray,
    IntArray,
    LengthLike,
    PointsLike,
)
from geoconflict.errors import GeometryError
from geoconflict.geodesy.ellipsoid import check_radii
from geoconflict.geodesy.measurement import get_geod
from geoconflict.geodesy.neighbors import pairs_within
from geoconflict.geography import boundaries
from geoconflict.units import as_meters, check_increasing, format_length

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["Exposure", "exposure", "zones"]


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

    radii_m: FloatArray
    counts: IntArray
    sums: Optional[FloatArray]
    cumulative: bool
    columns: list[str]

    def as_dict(
        self, prefix: str = "events", weight_name: str = "weight"
    ) -> dict[str, np.ndarray]:
        """Columns of counts (and sums), one per ring, as a dict of arrays."""
        out: dict[str, np.ndarray] = {}
        for j, name in enumerate(self.columns):
            out[f"{prefix}_{name}"] = self.counts[:, j]
        if self.sums is not None:
            for j, name in enumerate(self.columns):
                out[f"{weight_name}_{name}"] = self.sums[:, j]
        return out


def _ring_names(radii: FloatArray, cumulative: bool) -> list[str]:
    def short(m: float) -> str:
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
    events: PointsLike,
    sites: PointsLike,
    rings: LengthLike = (1_000, 2_000, 5_000),
    *,
    weights: Union[ArrayLike, str, None] = None,
    cumulative: bool = False,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
    output_crs: CRSLike = None,
) -> Union[Exposure, gpd.GeoDataFrame]:
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
    radii = as_meters(rings, "rings")
    check_radii(radii, g, "rings")
    check_increasing(radii, "rings")
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
    sums: Optional[FloatArray] = None if w is None else np.zeros((n, k))
    if n and k and len(ev.lon):
        pairs = pairs_within(ev.lon, ev.lat, st.lon, st.lat, float(radii[-1]), geod=g)
        ring = np.searchsorted(radii, pairs.distance, side="left")
        flat = pairs.center_index * k + ring
        counts = np.bincount(flat, minlength=n * k).reshape(n, k)
        if w is not None:
            ww = np.nan_to_num(w[pairs.point_index], nan=0.0)
            # with weights np.bincount gives floats; numpy's stubs say integers
            sums = np.bincount(flat, weights=ww, minlength=n * k).reshape(n, k)  # type: ignore[assignment]
        if cumulative:
            counts = np.cumsum(counts, axis=1)
            sums = None if sums is None else np.cumsum(sums, axis=1)
    res = Exposure(radii, counts, sums, cumulative, _ring_names(radii, cumulative))
    if st.frame is not None:
        out = frame_copy(st.frame)
        for name, col in res.as_dict(weight_name=weight_name).items():
            out[name] = col
        return out if output_crs is None else out.to_crs(output_crs)
    return res


def _clip_geometry(clip_to: Any) -> Any:
    """Return a shapely geometry (lon/lat) for `clip_to`."""
    if clip_to is None:
        return None
    if isinstance(clip_to, str):
        return boundaries.country(clip_to).geometry
    if is_frame(clip_to):
        return _geom.union_all(frame_geometry_4326(clip_to, "clip_to"))
    geoms, _ = _geom.as_geometry_array(clip_to)
    return _geom.union_all(geoms)


def zones(
    geometry: GeometryLike,
    distance_m: LengthLike,
    *,
    clip_to: GeometryLike = None,
    dissolve: bool = False,
    tolerance_m: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
    output_crs: CRSLike = None,
) -> Union[GeometryOrArray, gpd.GeoDataFrame]:
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
        name/code resolved by :func:`geoconflict.geography.boundaries.country`.
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
        distance_m = as_meters(distance_m, "distance_m")[0]
    z = np.asarray(
        buffer(geoms, distance_m, tolerance_m=tolerance_m, geod=geod), dtype=object
    )
    clip = _clip_geometry(clip_to)
    if clip is not None:
        _geom.prepare(clip)
        z = _geom.intersection(z, clip)
    if dissolve:
        z = np.array([_geom.union_all(z)], dtype=object)
    if frame is None:
        return z[0] if dissolve else z
    from geoconflict._compat import import_optional_dependency

    gpd = import_optional_dependency("geopandas", "zones of a GeoDataFrame")
    gs = gpd.GeoSeries(list(z), crs="EPSG:4326").to_crs(frame.crs)
    if dissolve:
        out = gpd.GeoDataFrame(geometry=gs)
        return out if output_crs is None else out.to_crs(output_crs)
    out = frame_copy(frame)
    out[out.geometry.name] = gpd.GeoSeries(
        list(gs.values), index=out.index, crs=frame.crs
    )
    return out if output_crs is None else out.to_crs(output_crs)
