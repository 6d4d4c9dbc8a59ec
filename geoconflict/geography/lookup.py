"""Reverse geocoding: the country, province and disputed area at points.

Coordinates are (lon, lat) in degrees WGS84, vectorized for millions of points
(see :class:`geoconflict.geography.point_index.PointIndex`); the data come from
:mod:`geoconflict.geography.boundaries`.
"""

from __future__ import annotations

from typing import Any, Optional, Union, overload

import numpy as np
import numpy.typing as npt

from geoconflict._arrays import as_float_arrays, check_lonlat
from geoconflict._typing import ArrayLike, FloatArray, ObjectArray
from geoconflict.geography.boundaries import (
    DisputedArea,
    _disputed,
    _layer,
    _provinces_file,
    _region_file,
)

__all__ = ["country_at", "disputes_at", "province_at"]


def _as_points(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray, bool]:
    (lon_a, lat_a), scalar = as_float_arrays(lon, lat, names=("lon", "lat"))
    check_lonlat(lon_a, lat_a)
    return lon_a, lat_a, scalar


def _codes_out(codes: ObjectArray, scalar: bool) -> Any:
    return codes.reshape(-1)[0] if scalar else codes


@overload
def country_at(
    lon: float, lat: float, *, dataset: str = ..., status: bool = ...
) -> Optional[str]: ...
@overload
def country_at(
    lon: npt.NDArray[Any], lat: ArrayLike, *, dataset: str = ..., status: bool = ...
) -> ObjectArray: ...
@overload
def country_at(
    lon: ArrayLike, lat: ArrayLike, *, dataset: str = ..., status: bool = ...
) -> Union[Optional[str], ObjectArray]: ...
def country_at(
    lon: ArrayLike, lat: ArrayLike, *, dataset: str = "ne", status: bool = False
) -> Union[str, ObjectArray, None]:
    """Return the country (ISO3 code) at each point; ``None`` at sea or outside the data.

    Vectorized for millions of points (polygons are cut into small pieces held in
    an STRtree; the test is exact point-in-polygon).  A point exactly on a border
    gets one of the two countries.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.
    dataset : {"ne", "osm"}
        ``"osm"`` covers the Middle East only (None elsewhere).
    status : bool
        If True, return the disputed-area status as text:
        ``"ISR, disputed: claimed by SYR"`` (Golan Heights), ``"SYR"`` where
        undisputed.  Natural Earth's de facto holder comes first; claims are
        reported, never resolved.

    Returns
    -------
    str or None, or ndarray of object
        Scalar in gives a scalar out.

    Examples
    --------
    >>> country_at(40.91854, 34.45226)
    'SYR'
    >>> country_at([35.51, 30.0], [33.85, 34.0]).tolist()
    ['LBN', None]
    >>> country_at(35.69, 32.99, status=True)
    'ISR, disputed: claimed by SYR'
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    layer = _layer(dataset)
    idx = layer.index.query(lon_a.ravel(), lat_a.ravel())
    codes = np.empty(idx.shape, dtype=object)
    hit = idx >= 0
    codes[hit] = layer.codes[idx[hit]]
    if status:
        codes = _with_status(codes, lon_a.ravel(), lat_a.ravel())
    codes = codes.reshape(lon_a.shape)
    return _codes_out(codes, scalar)


def _with_status(codes: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    areas, index = _disputed()
    d = index.query(lon, lat)
    out = codes.copy()
    for i in np.flatnonzero(d >= 0):
        out[i] = areas[d[i]].describe(codes[i])
    return out


@overload
def disputes_at(lon: float, lat: float) -> Optional[DisputedArea]: ...
@overload
def disputes_at(lon: npt.NDArray[Any], lat: ArrayLike) -> ObjectArray: ...
@overload
def disputes_at(
    lon: ArrayLike, lat: ArrayLike
) -> Union[Optional[DisputedArea], ObjectArray]: ...
def disputes_at(
    lon: ArrayLike, lat: ArrayLike
) -> Union[DisputedArea, ObjectArray, None]:
    """Return the disputed area containing each point (a :class:`DisputedArea`), or None.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.

    Examples
    --------
    >>> disputes_at(35.69, 32.99).name
    'Golan Heights'
    >>> disputes_at(40.0, 34.0) is None
    True
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    areas, index = _disputed()
    d = index.query(lon_a.ravel(), lat_a.ravel())
    out = np.empty(d.shape, dtype=object)
    for i in np.flatnonzero(d >= 0):
        out[i] = areas[d[i]]
    return _codes_out(out.reshape(lon_a.shape), scalar)


@overload
def province_at(lon: float, lat: float, *, codes: bool = ...) -> Optional[str]: ...
@overload
def province_at(
    lon: npt.NDArray[Any], lat: ArrayLike, *, codes: bool = ...
) -> ObjectArray: ...
@overload
def province_at(
    lon: ArrayLike, lat: ArrayLike, *, codes: bool = ...
) -> Union[Optional[str], ObjectArray]: ...
def province_at(
    lon: ArrayLike, lat: ArrayLike, *, codes: bool = True
) -> Union[str, ObjectArray, None]:
    """Return the admin-1 province at each point (Natural Earth 10m); None at sea.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.
    codes : bool
        True: ISO 3166-2 codes (``"IQ-AN"``); False: :class:`Province` records.

    Returns
    -------
    str, Province or None, or ndarray of object

    Examples
    --------
    >>> province_at(40.91854, 34.45226)
    'SY-DY'
    >>> province_at(40.98945, 34.39251, codes=False).name
    'Al-Anbar'
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    x, y = lon_a.ravel(), lat_a.ravel()
    layer = _layer("ne")
    cidx = layer.index.query(x, y)
    out = np.empty(x.shape, dtype=object)
    files: dict[str, list[int]] = {}
    for ci in np.unique(cidx[cidx >= 0]):
        f = _region_file(layer.countries[ci])
        if f is not None:
            files.setdefault(f, []).append(int(ci))
    for f, cis in files.items():
        sel = np.flatnonzero(np.isin(cidx, cis))
        pl = _provinces_file(f)
        pidx = pl.index.query(x[sel], y[sel])
        ok = pidx >= 0
        recs = np.empty(len(sel), dtype=object)
        if codes:
            vals = np.array(
                [p.code or p.properties.get("adm1_code") for p in pl.provinces],
                dtype=object,
            )
        else:
            vals = np.empty(len(pl.provinces), dtype=object)
            vals[:] = pl.provinces
        recs[ok] = vals[pidx[ok]]
        out[sel] = recs
    return _codes_out(out.reshape(lon_a.shape), scalar)
