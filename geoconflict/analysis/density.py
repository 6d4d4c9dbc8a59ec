"""Kernel density of events at any points, with the bandwidth in meters (geodesic).

The core of every density surface (the QGIS plugin's density raster; the same
kernels as :func:`geoconflict.raster.event_density`): values are computed at given
(lon, lat) points, so any grid in any CRS can be filled by converting its cell
centres to lon/lat first.  Coordinates are (lon, lat) degrees on WGS84 unless a
``geod=`` says otherwise; distances in meters; densities per square kilometre.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pyproj

from geoconflict._typing import ArrayLike, FloatArray
from geoconflict.errors import GeometryError
from geoconflict.geodesy.measurement import get_geod
from geoconflict.geodesy.neighbors import pairs_within

__all__ = ["KERNELS", "kernel_density"]

#: kernel name -> support in bandwidths (the Gaussian is cut at 4 h, < 0.04 % lost)
KERNELS = {"gaussian": 4.0, "quartic": 1.0}


def kernel_density(
    lon: ArrayLike,
    lat: ArrayLike,
    events_lon: ArrayLike,
    events_lat: ArrayLike,
    bandwidth_m: float,
    *,
    weights: Optional[ArrayLike] = None,
    kernel: str = "gaussian",
    geod: Optional[pyproj.Geod] = None,
) -> FloatArray:
    """Density of events (or of a weight) per square kilometre at each point.

    Each event spreads its weight with a radially symmetric kernel of the
    geodesic distance ``d``: Gaussian ``exp(-d²/2h²) / (2π h²)`` (cut at 4 h) or
    quartic ``3/(π h²) (1 - d²/h²)²`` for ``d < h``; both integrate to 1 over the
    plane, so the density integrates to the number of events (or the total
    weight).

    Parameters
    ----------
    lon, lat : array_like
        Where to evaluate, degrees.
    events_lon, events_lat : array_like
        Events, degrees.
    bandwidth_m : float
        Kernel bandwidth h, meters (> 0).
    weights : array_like, optional
        One value per event (e.g. casualties); NaN counts as 0.  Default 1 each.
    kernel : {"gaussian", "quartic"}
        The kernel.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.

    Returns
    -------
    ndarray
        Events (or weight units) per km², one value per point.

    Examples
    --------
    The peak of one event's Gaussian with h = 5 km is 1 / (2 π 25 km²):

    >>> d = kernel_density([40.9], [34.45], [40.9], [34.45], 5_000)
    >>> round(float(d[0]), 6), round(1 / (2 * np.pi * 25), 6)
    (0.006366, 0.006366)
    """
    if kernel not in KERNELS:
        raise GeometryError(
            f"kernel must be one of {', '.join(KERNELS)}, got {kernel!r}"
        )
    h = float(bandwidth_m)
    if not np.isfinite(h) or h <= 0:
        raise GeometryError(
            f"bandwidth_m must be a positive distance in meters, got {bandwidth_m!r}"
        )
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    elon = np.asarray(events_lon, dtype=float).ravel()
    elat = np.asarray(events_lat, dtype=float).ravel()
    if weights is None:
        w = np.ones(len(elon))
    else:
        w = np.nan_to_num(np.asarray(weights, dtype=float).ravel(), nan=0.0)
        if w.shape != elon.shape:
            raise GeometryError(
                f"weights has {w.size} values for {elon.size} events; give one per event"
            )
    out = np.zeros(len(lon))
    if not len(lon) or not len(elon):
        return out
    pairs = pairs_within(lon, lat, elon, elat, KERNELS[kernel] * h, geod=get_geod(geod))
    u2 = (pairs.distance / h) ** 2
    if kernel == "gaussian":
        k = np.exp(-0.5 * u2) / (2.0 * np.pi * h * h)
    else:
        k = np.where(u2 < 1, 3.0 / (np.pi * h * h) * (1.0 - u2) ** 2, 0.0)
    per_m2 = np.bincount(
        pairs.point_index, weights=k * w[pairs.center_index], minlength=len(lon)
    )
    return per_m2 * 1e6
