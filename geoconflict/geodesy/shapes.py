"""Lines of bearing, geodesic ellipses and arcs around points (the Shape Tools set).

Coordinates are **(lon, lat) in degrees** on WGS84 (or the ``geod=`` you pass),
lengths in **meters**, azimuths and orientations in **degrees clockwise from
true north**.  Every vertex is exact: it comes from pyproj's geodesic direct
problem from the centre (or start point), and the results are cut at the
antimeridian (:mod:`geoconflict.geodesy.antimeridian`), as range rings are.

* :func:`lines_of_bearing`: from each point, the geodesic along an azimuth, for
  a length (one row per point, every value per point).
* :func:`ellipses`: each vertex at azimuth ``orientation + phi`` lies at the
  ellipse's polar radius ``a b / sqrt((b cos phi)^2 + (a sin phi)^2)`` from the
  centre, geodesically (the definition Shape Tools uses); ``scale`` multiplies
  both axes (e.g. 2.4477 turns 1-sigma axes into the 95 % uncertainty ellipse).
* :func:`arcs`: the part of the geodesic circle of a radius between two
  azimuths (clockwise), as a line.

All return a :class:`~geoconflict.geodesy.ranges.FeatureTable`, vectorized over
the points (one pyproj call per function).
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
import pyproj

from geoconflict._arrays import check_lonlat
from geoconflict._geom import line, orient, polygon
from geoconflict._typing import ArrayLike, FloatArray
from geoconflict.errors import GeometryError, ShapeError
from geoconflict.geodesy._circles import default_tolerance, mean_radius
from geoconflict.geodesy.antimeridian import ring_region, split
from geoconflict.geodesy.ellipsoid import check_radii, get_geod, wrap_lon
from geoconflict.geodesy.ranges import FeatureTable
from geoconflict.units import format_length

__all__ = ["arcs", "confidence_scale", "ellipses", "lines_of_bearing"]


def confidence_scale(probability: float) -> float:
    """Factor from 1-sigma axes to the ellipse holding `probability` (2-D normal).

    ``sqrt(-2 ln(1 - p))``: 1.0 for 39.35 %, 2.4477 for 95 %, 3.0349 for 99 %.

    Examples
    --------
    >>> round(confidence_scale(0.95), 4)
    2.4477
    """
    p = float(probability)
    if not 0.0 < p < 1.0:
        raise GeometryError(
            f"confidence must be a probability in (0, 1), e.g. 0.95; got {probability!r}"
        )
    return math.sqrt(-2.0 * math.log1p(-p))


def _broadcast(names: tuple[str, ...], *values: Any) -> list[FloatArray]:
    try:
        arrays = np.broadcast_arrays(
            *(np.atleast_1d(np.asarray(v, float)) for v in values)
        )
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(v)}" for n, v in zip(names, values))
        raise ShapeError(
            f"{shapes}: give one value per point, or one value for all"
        ) from None
    return [a.ravel() for a in arrays]


def _geodesic_line(
    lon: float, lat: float, az: float, s: FloatArray, g: pyproj.Geod
) -> Any:
    """One line from (lon, lat) along `az` through the distances `s` (meters)."""
    lo, la, _ = g.fwd(np.zeros(len(s)), np.full(len(s), lat), np.full(len(s), az), s)
    lo = np.unwrap(np.asarray(lo, float), period=360.0) + wrap_lon(lon)
    geom = line(np.column_stack([lo, np.asarray(la, float)]))
    if lo.min() < -180.0 or lo.max() > 180.0:
        geom = split(geom, geod=g)
    return geom


def lines_of_bearing(
    lon: ArrayLike,
    lat: ArrayLike,
    azimuth: ArrayLike,
    length_m: ArrayLike,
    *,
    max_segment_m: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Geodesic lines of bearing: from each point along `azimuth` for `length_m`.

    Parameters
    ----------
    lon, lat : float or array_like
        Start points, degrees (WGS84).
    azimuth : float or array_like
        Degrees clockwise from true north, one per point or one for all.
    length_m : float or array_like
        Meters, one per point or one for all; at most half the meridian.
    max_segment_m : float, optional
        Vertex spacing along the geodesic (default: 1/64 of the length, at most
        10 km), so that the line draws as the geodesic in any CRS.
    geod, ellps
        Ellipsoid; WGS84 by default.

    Returns
    -------
    FeatureTable
        One row per point: ``site``, ``azimuth``, ``length_m``, ``label`` and a
        (Multi)LineString whose vertices lie on the geodesic (the last one at
        `length_m`); NaN inputs give a None geometry.

    Examples
    --------
    >>> t = lines_of_bearing([40.9, 38.6], [34.45, 33.5], [45, 300], 20_000)
    >>> t["label"].tolist()
    ['045° 20 km', '300° 20 km']
    """
    g = get_geod(geod, ellps)
    lo, la, az, length = _broadcast(
        ("lon", "lat", "azimuth", "length_m"), lon, lat, azimuth, length_m
    )
    ok = np.isfinite(lo) & np.isfinite(la) & np.isfinite(az) & np.isfinite(length)
    check_lonlat(lo[ok], la[ok], what="start point")
    check_radii(length[ok], g, "length_m")
    az = np.mod(az, 360.0)
    geoms = np.empty(len(lo), dtype=object)
    for i in np.flatnonzero(ok & (length > 0)):
        step = max_segment_m or min(length[i] / 64.0, 10_000.0)
        n = int(np.clip(np.ceil(length[i] / step), 1, 10_000)) + 1
        geoms[i] = _geodesic_line(
            lo[i], la[i], az[i], np.linspace(0.0, length[i], n), g
        )
    labels = np.array(
        [
            f"{round(a) % 360:03d}° {format_length(s)}" if ok[i] else ""
            for i, (a, s) in enumerate(zip(az, length))
        ],
        dtype=object,
    )
    cols = {
        "site": np.arange(len(lo)),
        "azimuth": az,
        "length_m": length,
        "label": labels,
    }
    return FeatureTable(cols, geoms)


def _vertices(a: float, b: float, tolerance_m: float) -> int:
    """Vertices so that chords stay within the tolerance at the sharpest bend."""
    rho = max(b * b / a, 1e-3)  # smallest radius of curvature of the ellipse
    chord = 2.0 * math.sqrt(max(2.0 * rho * tolerance_m, 1e-6))
    perimeter = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))
    return int(np.clip(math.ceil(2.0 * perimeter / chord), 64, 20_000))


def ellipses(
    lon: ArrayLike,
    lat: ArrayLike,
    semi_major_m: ArrayLike,
    semi_minor_m: ArrayLike,
    orientation: ArrayLike = 0.0,
    *,
    scale: float = 1.0,
    tolerance_m: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Geodesic ellipses (e.g. uncertainty areas) around points, as polygons.

    Parameters
    ----------
    lon, lat : float or array_like
        Centres, degrees (WGS84).
    semi_major_m, semi_minor_m : float or array_like
        Semi-axes, meters, one per centre or one for all (``semi_minor_m <=
        semi_major_m``).
    orientation : float or array_like
        Azimuth of the major axis, degrees clockwise from true north.
    scale : float
        Factor applied to both axes, e.g. :func:`confidence_scale` (0.95) for
        the 95 % ellipse of 1-sigma axes.
    tolerance_m : float, optional
        Largest gap between the polygon's edges and the true ellipse (default
        as for range rings: 0.1 % of the semi-major axis, at least 1 m).
    geod, ellps
        Ellipsoid; WGS84 by default.

    Returns
    -------
    FeatureTable
        One row per centre: ``site``, ``semi_major_m``, ``semi_minor_m`` (scaled),
        ``orientation``, ``label`` and a (Multi)Polygon in lon/lat, cut at the
        antimeridian; every vertex at the ellipse's polar radius, geodesically.

    Examples
    --------
    >>> t = ellipses(40.9, 34.45, 20_000, 8_000, 30)
    >>> t["label"].tolist()
    ['20 km × 8 km @ 030°']
    """
    g = get_geod(geod, ellps)
    lo, la, a, b, th = _broadcast(
        ("lon", "lat", "semi_major_m", "semi_minor_m", "orientation"),
        lon,
        lat,
        semi_major_m,
        semi_minor_m,
        orientation,
    )
    a, b = a * float(scale), b * float(scale)
    ok = np.isfinite(lo) & np.isfinite(la) & np.isfinite(a) & np.isfinite(b)
    ok &= np.isfinite(th)
    check_lonlat(lo[ok], la[ok], what="centre")
    check_radii(a[ok], g, "semi_major_m")
    bad = ok & ((b <= 0) | (b > a))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"ellipse {i}: semi_minor_m must be in (0, semi_major_m]; got "
            f"semi_major_m={a[i]!r}, semi_minor_m={b[i]!r}. Swap the axes (and turn "
            "the orientation by 90°) if they are given the other way round."
        )
    th = np.mod(th, 360.0)
    geoms = np.empty(len(lo), dtype=object)
    idx = np.flatnonzero(ok)
    if len(idx):
        n = np.array(
            [
                _vertices(a[i], b[i], tolerance_m or float(default_tolerance(a[i])))
                for i in idx
            ]
        )
        owner = np.repeat(np.arange(len(idx)), n)
        start = np.concatenate(([0], np.cumsum(n)[:-1]))
        phi = 2.0 * np.pi * (np.arange(int(n.sum())) - start[owner]) / n[owner]
        ai, bi = a[idx][owner], b[idx][owner]
        r = ai * bi / np.hypot(bi * np.cos(phi), ai * np.sin(phi))
        vlon, vlat, _ = g.fwd(
            lo[idx][owner], la[idx][owner], th[idx][owner] + np.degrees(phi), r
        )
        vlon, vlat = np.asarray(vlon, float), np.asarray(vlat, float)
        big = a[idx] > 0.25 * math.pi * mean_radius(g)
        for k, i in enumerate(idx.tolist()):
            s = slice(start[k], start[k] + n[k])
            ring_lon, ring_lat = vlon[s], vlat[s]
            unwrapped = np.unwrap(ring_lon, period=360.0)
            if (
                not big[k]
                and unwrapped.min() >= -180.0
                and unwrapped.max() <= 180.0
                and np.abs(ring_lat).max() < 89.0
            ):
                # clockwise (azimuths increase): orient() makes it counterclockwise
                geoms[i] = orient(polygon(np.column_stack([unwrapped, ring_lat])))
            else:
                geoms[i] = ring_region(ring_lon, ring_lat, interior_left=False, geod=g)
    labels = np.array(
        [
            f"{format_length(a[i])} × {format_length(b[i])} @ {round(th[i]) % 360:03d}°"
            if ok[i]
            else ""
            for i in range(len(lo))
        ],
        dtype=object,
    )
    cols = {
        "site": np.arange(len(lo)),
        "semi_major_m": a,
        "semi_minor_m": b,
        "orientation": th,
        "label": labels,
    }
    return FeatureTable(cols, geoms)


def arcs(
    lon: ArrayLike,
    lat: ArrayLike,
    radius_m: ArrayLike,
    azimuth_from: ArrayLike,
    azimuth_to: ArrayLike,
    *,
    tolerance_m: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Arcs of geodesic circles: from `azimuth_from` clockwise to `azimuth_to`.

    Parameters
    ----------
    lon, lat : float or array_like
        Centres, degrees (WGS84).
    radius_m : float or array_like
        Meters from the centre, one per centre or one for all.
    azimuth_from, azimuth_to : float or array_like
        Degrees clockwise from true north; the arc sweeps clockwise from the
        first to the second (``0, 360``: the whole circle as a line).
    tolerance_m : float, optional
        Largest gap between the line's chords and the true circle.
    geod, ellps
        Ellipsoid; WGS84 by default.

    Returns
    -------
    FeatureTable
        One row per centre: ``site``, ``radius_m``, ``azimuth_from``,
        ``sweep`` (degrees), ``label`` and a (Multi)LineString, every vertex at
        `radius_m` from the centre.

    Examples
    --------
    >>> t = arcs(40.9, 34.45, 30_000, 350, 20)
    >>> float(t["sweep"][0])
    30.0
    """
    g = get_geod(geod, ellps)
    lo, la, r, a0, a1 = _broadcast(
        ("lon", "lat", "radius_m", "azimuth_from", "azimuth_to"),
        lon,
        lat,
        radius_m,
        azimuth_from,
        azimuth_to,
    )
    ok = np.isfinite(lo) & np.isfinite(la) & np.isfinite(r) & np.isfinite(a0)
    ok &= np.isfinite(a1) & (r > 0)
    check_lonlat(lo[ok], la[ok], what="centre")
    check_radii(r[ok], g, "radius_m")
    sweep = np.mod(a1 - a0, 360.0)
    sweep = np.where((sweep == 0) & (a1 != a0), 360.0, sweep)
    geoms = np.empty(len(lo), dtype=object)
    for i in np.flatnonzero(ok & (sweep > 0)):
        t = tolerance_m or default_tolerance(r[i])
        rho = min(r[i], 0.45 * math.pi * mean_radius(g))
        step = math.degrees(2.0 * math.acos(max(1.0 - t / rho, -1.0)))
        n = int(np.clip(math.ceil(sweep[i] / max(step, 1e-6)), 2, 20_000)) + 1
        az = a0[i] + np.linspace(0.0, sweep[i], n)
        vlon, vlat, _ = g.fwd(
            np.full(n, lo[i]), np.full(n, la[i]), az, np.full(n, r[i])
        )
        ul = np.unwrap(np.asarray(vlon, float), period=360.0)
        geom = line(np.column_stack([ul, np.asarray(vlat, float)]))
        if ul.min() < -180.0 or ul.max() > 180.0:
            geom = split(geom, geod=g)
        geoms[i] = geom
    labels = np.array(
        [
            f"{format_length(r[i])} {round(a0[i]) % 360:03d}°–"
            f"{round(a0[i] + sweep[i]) % 360:03d}°"
            if ok[i]
            else ""
            for i in range(len(lo))
        ],
        dtype=object,
    )
    cols = {
        "site": np.arange(len(lo)),
        "radius_m": r,
        "azimuth_from": np.mod(a0, 360.0),
        "sweep": sweep,
        "label": labels,
    }
    return FeatureTable(cols, geoms)
