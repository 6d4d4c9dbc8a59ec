"""Geometry handling shared by the core: input (shapely, ``__geo_interface__``, arrays), GeoJSON output."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import shapely
from shapely.geometry import shape as _shape
from shapely.geometry.base import BaseGeometry

from geoconflict.errors import DataFormatError, GeometryError

__all__ = [
    "as_geometry_array",
    "geojson_geometry",
    "orient_right_hand",
    "return_geometry_like",
]


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


# --------------------------------------------------------------------------- GeoJSON


def orient_right_hand(geom: BaseGeometry) -> BaseGeometry:
    """Return `geom` with its polygons' exterior rings counter-clockwise (RFC 7946).

    Holes run clockwise; other geometries are returned as they are.  Orientation
    is planar in lon/lat degrees, as RFC 7946 defines it.
    """
    kind = geom.geom_type
    if kind == "Polygon":
        return shapely.geometry.polygon.orient(geom, 1.0)
    if kind == "MultiPolygon":
        return shapely.geometry.MultiPolygon(
            [shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms]
        )
    if kind == "GeometryCollection":
        return shapely.geometry.GeometryCollection(
            [orient_right_hand(g) for g in geom.geoms]
        )
    return geom


def _positions(coords, precision: Optional[int]) -> list:
    arr = np.asarray(coords, dtype=np.float64)
    if arr.size and not np.isfinite(arr).all():
        raise DataFormatError(
            "a coordinate is NaN or infinite; GeoJSON cannot hold it. Drop or fix "
            "the vertex."
        )
    if precision is not None:
        arr = np.round(arr, precision)
    arr = arr + 0.0  # no negative zeros
    return arr.tolist()


def geojson_geometry(
    geom: Optional[BaseGeometry], precision: Optional[int] = None
) -> Optional[dict]:
    """Return the GeoJSON geometry object (a dict of lists) of a shapely geometry.

    Coordinates are written as they are ((lon, lat) degrees for RFC 7946), rounded
    to `precision` decimals if given; no orientation or antimeridian cutting is
    applied (see :func:`orient_right_hand`).  None gives None; a NaN or infinite
    coordinate raises DataFormatError.

    Examples
    --------
    >>> from shapely import Point
    >>> geojson_geometry(Point(40.918541234, 34.45226), 7)
    {'type': 'Point', 'coordinates': [40.9185412, 34.45226]}
    """
    if geom is None:
        return None
    kind = geom.geom_type
    if kind == "GeometryCollection":
        return {
            "type": kind,
            "geometries": [geojson_geometry(g, precision) for g in geom.geoms],
        }
    if geom.is_empty:
        return {
            "type": kind if kind != "LinearRing" else "LineString",
            "coordinates": [],
        }
    if kind == "Point":
        return {"type": kind, "coordinates": _positions(geom.coords, precision)[0]}
    if kind in ("LineString", "LinearRing"):
        return {"type": "LineString", "coordinates": _positions(geom.coords, precision)}
    if kind == "Polygon":
        rings = [geom.exterior, *geom.interiors]
        return {
            "type": kind,
            "coordinates": [_positions(r.coords, precision) for r in rings],
        }
    if kind == "MultiPoint":
        return {
            "type": kind,
            "coordinates": [_positions(p.coords, precision)[0] for p in geom.geoms],
        }
    if kind == "MultiLineString":
        return {
            "type": kind,
            "coordinates": [_positions(g.coords, precision) for g in geom.geoms],
        }
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [
                [_positions(r.coords, precision) for r in (p.exterior, *p.interiors)]
                for p in geom.geoms
            ],
        }
    raise DataFormatError(f"cannot write a {kind} as GeoJSON")
