"""Helpers for the ufunc-like calling convention of the core.

Scalar in gives scalar out, array in gives ndarray out (broadcast), NaN in gives
NaN out.  Modelled on :func:`pyproj.utils._convertback`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geoconflict.errors import CoordinateError, ShapeError

__all__ = ["as_float_arrays", "check_lonlat", "return_like"]


def as_float_arrays(
    *values: Any, names: tuple[str, ...] = ()
) -> tuple[list[np.ndarray], bool]:
    """Broadcast inputs to float64 arrays; report whether they were all scalars.

    Raises
    ------
    ShapeError
        If the inputs do not broadcast together; the message gives the shapes.
    """
    arrays = [np.asarray(v, dtype=np.float64) for v in values]
    scalar = all(a.ndim == 0 for a in arrays)
    try:
        out = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(
            f"{n}={a.shape}"
            for n, a in zip(names or [f"arg{i}" for i in range(len(arrays))], arrays)
        )
        raise ShapeError(
            f"array arguments have mismatched shapes ({shapes}); give arrays of the "
            "same length, or a scalar for values shared by all points."
        ) from None
    return [np.ascontiguousarray(a) for a in out], scalar


def return_like(scalar: bool, *arrays: np.ndarray) -> Any:
    """Return floats if the input was scalar, else the arrays (one or a tuple)."""
    vals: tuple[Any, ...]
    if scalar:
        vals = tuple(
            float(a) if np.ndim(a) == 0 else float(np.asarray(a).ravel()[0])
            for a in arrays
        )
    else:
        vals = arrays
    return vals[0] if len(vals) == 1 else vals


def _first_bad(mask: np.ndarray, values: np.ndarray) -> str:
    idx = np.argwhere(mask)[0]
    pos = tuple(int(i) for i in idx)
    where = pos[0] if len(pos) == 1 else pos
    return f"at position {where}: {float(values[tuple(idx)])!r}"


def check_lonlat(lon: np.ndarray, lat: np.ndarray, *, what: str = "point") -> None:
    """Validate longitudes/latitudes in degrees; NaN is allowed (it gives NaN out).

    Raises
    ------
    CoordinateError
        Latitude outside [-90, 90], longitude outside [-540, 540], or infinite
        values; the message names the position and the value.
    """
    with np.errstate(invalid="ignore"):
        bad_lat = np.isinf(lat) | (np.abs(lat) > 90.0)
        bad_lon = np.isinf(lon) | (np.abs(lon) > 540.0)
    if bad_lat.any():
        raise CoordinateError(
            f"{what} latitude out of range [-90, 90] degrees {_first_bad(bad_lat, lat)}. "
            "Coordinates are (lon, lat) in degrees: check for swapped axes or "
            "projected (meter) coordinates."
        )
    if bad_lon.any():
        raise CoordinateError(
            f"{what} longitude out of range [-540, 540] degrees {_first_bad(bad_lon, lon)}. "
            "Coordinates are (lon, lat) in degrees: were these projected (meter) "
            "coordinates? Reproject to EPSG:4326 first."
        )
