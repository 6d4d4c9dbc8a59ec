"""Geometry input handling shared by the core: shapely, ``__geo_interface__``, arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape as _shape
from shapely.geometry.base import BaseGeometry

from geoconflict.errors import GeometryError

__all__ = ["as_geometry_array", "return_geometry_like"]


def _one(obj: Any) -> Any:
    if obj is None or isinstance(obj, BaseGeometry):
        return obj
    if hasattr(obj, "__geo_interface__"):
        gi = obj.__geo_interface__
        if isinstance(gi, dict) and gi.get("type") == "Feature":
            gi = gi.get("geometry")
        return None if gi is None else _shape(gi)
    if isinstance(obj, dict) and "type" in obj:
        if obj["type"] == "Feature":
            return None if obj.get("geometry") is None else _shape(obj["geometry"])
        return _shape(obj)
    if isinstance(obj, str):
        try:
            return shapely.from_wkt(obj)
        except shapely.errors.GEOSException as exc:
            raise GeometryError(
                f"cannot read geometry from text {obj[:60]!r}: {exc}"
            ) from None
    raise GeometryError(
        f"expected a shapely geometry, a GeoJSON-like mapping or an object with "
        f"__geo_interface__, got {type(obj).__name__}"
    )


def as_geometry_array(geometry: Any) -> tuple[np.ndarray, bool]:
    """Return a 1-D object ndarray of shapely geometries and whether input was scalar.

    Accepts a shapely geometry, any object with ``__geo_interface__`` (a GeoJSON
    geometry or Feature), a GeoJSON mapping, WKT text, or a sequence/array of those
    (a GeoSeries works too).  ``None`` stays ``None`` (missing).
    """
    if isinstance(geometry, (BaseGeometry, dict, str)) or (
        hasattr(geometry, "__geo_interface__") and not hasattr(geometry, "__len__")
    ):
        return np.array([_one(geometry)], dtype=object), True
    if geometry is None:
        return np.array([None], dtype=object), True
    values = getattr(geometry, "values", geometry)  # GeoSeries -> GeometryArray
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        return np.array([_one(arr.item())], dtype=object), True
    arr = arr.ravel()
    if len(arr) and not all(isinstance(g, BaseGeometry) or g is None for g in arr[:1]):
        arr = np.array([_one(g) for g in arr], dtype=object)
    elif len(arr) and not shapely.is_geometry(arr).all():
        arr = np.array([_one(g) for g in arr], dtype=object)
    return arr, False


def return_geometry_like(scalar: bool, geoms: np.ndarray):
    """Return one geometry if the input was scalar, else the array."""
    return geoms[0] if scalar else geoms
