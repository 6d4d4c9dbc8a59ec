"""The ellipsoid and its limits: which :class:`pyproj.Geod`, longitudes, far distances.

The bottom module of :mod:`geoconflict.geodesy`: every other geodesy module
reads its ellipsoid through :func:`get_geod` and wraps longitudes with
:func:`wrap_lon`, and none of them is imported here.  Coordinates are
**(lon, lat) in degrees** on WGS84 (EPSG:4326) unless a ``geod=``/``ellps=``
keyword says otherwise; distances are in **meters**.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Optional, overload

import numpy as np
import numpy.typing as npt
import pyproj

from geoconflict._typing import ArrayLike, FloatArray, FloatOrArray
from geoconflict.errors import GeoconflictError
from geoconflict.units import check_lengths

__all__ = [
    "check_radii",
    "cut_distance",
    "get_geod",
    "half_circumference",
    "wrap_lon",
]


@lru_cache(maxsize=32)
def _geod_for(ellps: str) -> pyproj.Geod:
    try:
        return pyproj.Geod(ellps=ellps)
    except pyproj.exceptions.GeodError as exc:  # pragma: no cover - message check
        known = ", ".join(sorted(pyproj.get_ellps_map())[:12])
        raise GeoconflictError(
            f"unknown ellipsoid {ellps!r} ({exc}); use a PROJ name such as {known}, ..."
        ) from None


def get_geod(
    geod: Optional[pyproj.Geod] = None, ellps: Optional[str] = None
) -> pyproj.Geod:
    """Return the :class:`pyproj.Geod` to compute on (WGS84 unless told otherwise).

    Parameters
    ----------
    geod : pyproj.Geod, optional
        An ellipsoid object; wins over `ellps`.
    ellps : str, optional
        A PROJ ellipsoid name such as ``"WGS84"``, ``"GRS80"``, ``"intl"``.

    Returns
    -------
    pyproj.Geod

    Examples
    --------
    >>> get_geod().a
    6378137.0
    >>> round(get_geod(ellps="intl").a)
    6378388
    """
    if geod is not None:
        if not isinstance(geod, pyproj.Geod):
            raise TypeError(f"geod must be a pyproj.Geod, got {type(geod).__name__}")
        return geod
    return _geod_for(ellps or "WGS84")


@overload
def wrap_lon(lon: float) -> float: ...
@overload
def wrap_lon(lon: npt.NDArray[Any]) -> FloatArray: ...
@overload
def wrap_lon(lon: ArrayLike) -> FloatOrArray: ...
def wrap_lon(lon: ArrayLike) -> FloatOrArray:
    """Wrap longitudes in degrees to [-180, 180).

    Examples
    --------
    >>> wrap_lon(190.0)
    -170.0
    >>> wrap_lon([-181.0, 540.0]).tolist()
    [179.0, -180.0]
    """
    arr = np.asarray(lon, dtype=float)
    out = (arr + 180.0) % 360.0 - 180.0
    return float(out) if out.ndim == 0 else out


@lru_cache(maxsize=8)
def _half_circumference_af(a: float, f: float) -> float:
    return float(pyproj.Geod(a=a, f=f).inv(0.0, 90.0, 0.0, -90.0)[2])


def half_circumference(
    *, geod: Optional[pyproj.Geod] = None, ellps: Optional[str] = None
) -> float:
    """Pole-to-pole geodesic distance in meters: the largest radius a ring may have.

    Half the meridian, the farthest any point of the ellipsoid is from another
    (20,003,931.5 m on WGS84).

    Examples
    --------
    >>> round(half_circumference())
    20003931
    """
    g = get_geod(geod, ellps)
    return _half_circumference_af(float(g.a), float(g.f))


def cut_distance(
    *, geod: Optional[pyproj.Geod] = None, ellps: Optional[str] = None
) -> float:
    """Shortest distance, meters, at which a geodesic stops being the shortest path.

    On an oblate ellipsoid the cut locus of a point is a piece of the parallel
    through its antipode; its nearest point (reached along the equator from an
    equatorial centre) is pi * b away: 19,970,326 m on WGS84.  Closer than that
    every point reached by :meth:`pyproj.Geod.fwd` is at the distance walked.

    Examples
    --------
    >>> round(cut_distance())
    19970326
    """
    g = get_geod(geod, ellps)
    return math.pi * min(g.a, g.b)


def check_radii(
    radii: ArrayLike,
    geod: Optional[pyproj.Geod] = None,
    what: str = "radii_m",
    *,
    increasing: bool = False,
) -> None:
    """Check radii in meters: positive, finite, at most half the meridian.

    Parameters
    ----------
    radii : array_like
        Radii in meters (see :func:`geoconflict.units.as_meters` for text).
    geod : pyproj.Geod, optional
        Ellipsoid whose half meridian is the limit; WGS84 by default.
    what : str
        Name of the argument, used in the error (``"radii_m[2] = -5.0 ..."``).
    increasing : bool
        Also require strictly increasing radii.

    Raises
    ------
    GeometryError
        Naming the first bad position and value, and what to do.

    Examples
    --------
    >>> check_radii([10_000, 20_000], increasing=True)
    >>> check_radii([30_000_000])
    Traceback (most recent call last):
    ...
    geoconflict.errors.GeometryError: radii_m[0] = 30000000.0 m is more than half the Earth's meridian (20,003,931.5 m, pole to pole), the farthest any point can be from the centre: a ring that large would wrap around the globe. Check the unit (meters, not km?); 20,003,931 m already covers the whole Earth.
    """
    half = half_circumference(geod=get_geod(geod))
    check_lengths(
        radii,
        what,
        max_m=half,
        max_text=(
            f"half the Earth's meridian ({half:,.1f} m, pole to pole), the farthest "
            "any point can be from the centre: a ring that large would wrap around "
            f"the globe. Check the unit (meters, not km?); {half:,.0f} m already "
            "covers the whole Earth."
        ),
        increasing=increasing,
    )
