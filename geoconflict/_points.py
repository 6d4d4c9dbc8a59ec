"""Read point locations from the many shapes callers hold them in.

Used by the ranges, catalog and exposure modules.  Returns plain lon/lat arrays in
degrees (EPSG:4326) plus what is needed to hand results back in the caller's
form (index and CRS of a GeoDataFrame/GeoSeries).  geopandas is never imported
here: a GeoDataFrame is recognised by duck typing and reprojected through its
own ``to_crs`` method.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np

from geoconflict import _geom
from geoconflict._arrays import check_lonlat
from geoconflict.errors import CRSError, GeometryError

__all__ = ["Points", "as_points", "frame_copy", "is_frame"]


class Points(NamedTuple):
    """Point locations in lon/lat degrees (EPSG:4326).

    Attributes
    ----------
    lon, lat : ndarray
        Degrees; NaN where the location is missing.
    frame : object or None
        The GeoDataFrame/GeoSeries the points came from (for its index and CRS).
    scalar : bool
        True if one location was given as a scalar pair.
    """

    lon: np.ndarray
    lat: np.ndarray
    frame: Optional[Any] = None
    scalar: bool = False


def is_frame(obj: Any) -> bool:
    """Return True for a GeoDataFrame or GeoSeries (duck-typed)."""
    return hasattr(obj, "crs") and hasattr(obj, "geometry") and hasattr(obj, "index")


def frame_copy(frame: Any) -> Any:
    """Copy a GeoDataFrame/GeoSeries as a GeoDataFrame (same index and CRS)."""
    if hasattr(frame, "to_frame") and not hasattr(frame, "columns"):
        return frame.to_frame(name="geometry").set_geometry("geometry")
    return frame.copy()


def frame_geometry_4326(obj: Any, what: str) -> np.ndarray:
    """Geometries of a GeoDataFrame/GeoSeries as a shapely array in EPSG:4326."""
    if obj.crs is None:
        raise CRSError(
            f"{what} has no CRS; set it first, e.g. gdf.set_crs('EPSG:4326') for "
            "lon/lat degrees (or the CRS your coordinates are in)."
        )
    if obj.crs.to_epsg() != 4326:
        obj = obj.to_crs("EPSG:4326")
    return np.asarray(obj.geometry.values, dtype=object)


def _from_geoms(geoms: np.ndarray, what: str) -> tuple:
    missing = _geom.is_missing(geoms) | _geom.is_empty(geoms)
    types = _geom.type_ids(geoms)
    bad = ~missing & (types != 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"{what} must be points; item {i} is a "
            f"{_geom.type_ids(geoms[i])!r} geometry "
            f"({geoms[i].geom_type}). Use its centroid or representative point "
            "first, e.g. gdf.geometry.representative_point()."
        )
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    ok = ~missing
    if ok.any():
        xy = _geom.get_coordinates(geoms[ok])
        lon[ok], lat[ok] = xy[:, 0], xy[:, 1]
    return lon, lat


def _location(obj: Any) -> Any:
    for attr in ("primary_site", "location"):
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
    return obj


def as_points(obj: Any, what: str = "points") -> Points:
    """Return lon/lat arrays (degrees, EPSG:4326) for `obj`.

    Accepted: a ``(lon, lat)`` pair of scalars or of arrays; an ``(n, 2)`` array;
    shapely Points (one or an array); a GeoDataFrame/GeoSeries of points in any
    CRS (reprojected to EPSG:4326); objects with ``lon``/``lat`` attributes (a
    :class:`geoconflict.events.sites.Location`, a ``Site``, an ``Event``) or a sequence
    of them.  A *tuple* of two equal-length sequences is read as ``(lons, lats)``
    (so ``((40, 41), (34, 35))`` is two points at lon 40 and 41); write points as
    a list, ``[(40, 34), (41, 35)]``, or an ``(n, 2)`` array.

    Examples
    --------
    >>> as_points((40.9, 34.4)).lon
    array([40.9])
    >>> as_points([(40.9, 34.4), (41.0, 34.5)]).lat.tolist()
    [34.4, 34.5]
    """
    frame = None
    scalar = False
    if is_frame(obj):
        frame = obj
        lon, lat = _from_geoms(frame_geometry_4326(obj, what), what)
    elif _geom.is_geometry(obj):
        lon, lat = _from_geoms(np.array([obj], dtype=object), what)
        scalar = True
    elif hasattr(obj, "lon") and hasattr(obj, "lat") and not isinstance(obj, tuple):
        lon = np.atleast_1d(np.asarray(obj.lon, dtype=float)).ravel()
        lat = np.atleast_1d(np.asarray(obj.lat, dtype=float)).ravel()
        scalar = np.ndim(obj.lon) == 0
    elif hasattr(_location(obj), "lon") and not isinstance(obj, (tuple, list)):
        loc = _location(obj)
        lon, lat = np.array([float(loc.lon)]), np.array([float(loc.lat)])
        scalar = True
    else:
        seq = list(obj) if not isinstance(obj, np.ndarray) else obj
        if isinstance(seq, np.ndarray) and seq.dtype != object:
            arr = np.asarray(seq, dtype=float)
        elif len(seq) and all(_geom.is_geometry(g) or g is None for g in seq):
            lon, lat = _from_geoms(np.asarray(seq, dtype=object), what)
            arr = None
        elif len(seq) and all(hasattr(_location(o), "lon") for o in seq):
            locs = [_location(o) for o in seq]
            arr = np.array([[float(x.lon), float(x.lat)] for x in locs], dtype=float)
        else:
            try:
                arr = np.asarray(seq, dtype=float)
            except (TypeError, ValueError):
                raise GeometryError(
                    f"cannot read {what} as points: give (lon, lat), an (n, 2) "
                    "array, shapely Points or a GeoDataFrame of points"
                ) from None
        if arr is not None:
            if arr.ndim == 1 and arr.shape == (2,) and isinstance(obj, tuple):
                lon, lat = arr[:1], arr[1:]
                scalar = True
            elif arr.ndim == 2 and arr.shape[0] == 2 and isinstance(obj, tuple):
                lon, lat = arr[0], arr[1]  # a (lons, lats) pair of arrays
            elif arr.ndim == 2 and arr.shape[1] == 2:
                lon, lat = arr[:, 0], arr[:, 1]
            elif arr.size == 0:
                lon, lat = np.empty(0), np.empty(0)
            else:
                raise GeometryError(
                    f"cannot read {what} of shape {arr.shape} as points: give "
                    "(lon, lat), a (lons, lats) tuple or an (n, 2) array"
                )
    lon = np.ascontiguousarray(lon, dtype=float)
    lat = np.ascontiguousarray(lat, dtype=float)
    check_lonlat(lon, lat, what=what.rstrip("s"))
    return Points(lon, lat, frame, scalar)
