"""The map's projection and view: chosen from the extent, never plate carrée.

* :func:`choose_projection`: a Lambert conformal conic with standard parallels at
  1/6 and 5/6 of the latitude span, or an azimuthal equidistant projection near
  the equator or for very large extents, centred on the map;
* :func:`scale_factor` and :func:`north_angle`: what the scale bar and the north
  arrow need, at the map centre;
* :func:`project`: lon/lat geometries to map coordinates after geodesic
  densification, so that long edges stay geodesics;
* :func:`map_view`: the projection and the frame (data plus margin, widened to
  the figure's aspect ratio).

Coordinates (lon, lat) degrees WGS84; map units and distances meters.
"""

from __future__ import annotations

import math

import numpy as np
import pyproj
import shapely

from geoconflict.errors import GeoconflictError
from geoconflict.geodesy.measurement import densify
from geoconflict.maps.spec import MapSpec
from geoconflict.maps.style import AX_RECT

__all__ = [
    "choose_projection",
    "lonlat_extent",
    "map_view",
    "north_angle",
    "project",
    "scale_factor",
]


def choose_projection(
    west: float, south: float, east: float, north: float
) -> pyproj.CRS:
    """Choose a projection suited to a lon/lat extent (degrees): conformal conic or AEQD.

    Lambert conformal conic centred on the extent with standard parallels at 1/6
    and 5/6 of its latitude span; azimuthal equidistant when the extent straddles
    the equator or spans more than 60° of latitude.

    Examples
    --------
    >>> choose_projection(38, 32, 43, 36).coordinate_operation.method_name
    'Lambert Conic Conformal (2SP)'
    >>> choose_projection(-10, -5, 10, 5).coordinate_operation.method_name
    'Azimuthal Equidistant'
    """
    if east < west:
        east += 360.0
    lon0 = ((west + east) / 2 + 180.0) % 360.0 - 180.0
    lat0 = (south + north) / 2
    span = north - south
    if (
        south < 3.0 < north
        or south < -3.0 < north
        or abs(lat0) < 6
        or span > 60
        or abs(lat0) > 80
    ):
        return pyproj.CRS.from_proj4(
            f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
        )
    lat1 = south + span / 6
    lat2 = north - span / 6
    if abs(lat2 - lat1) < 1e-6:
        lat1, lat2 = lat0 - 0.5, lat0 + 0.5
    return pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_0={lat0:.6f} +lon_0={lon0:.6f} +lat_1={lat1:.6f} +lat_2={lat2:.6f} "
        "+datum=WGS84 +units=m +no_defs"
    )


def scale_factor(crs: pyproj.CRS, lon: float, lat: float) -> float:
    """Scale factor of `crs` along the parallel at (lon, lat): map meters per ground meter.

    Examples
    --------
    >>> crs = choose_projection(38, 32, 43, 36)
    >>> round(scale_factor(crs, 40.5, 34.0), 4)
    0.9997
    """
    factors = pyproj.Proj(crs).get_factors(lon, lat)
    return float(factors.parallel_scale)


def north_angle(crs: pyproj.CRS, lon: float, lat: float) -> float:
    """Angle of true north at (lon, lat) on the map, degrees clockwise from map up.

    Computed from the projected direction of the meridian through the point
    (a short step north along it).

    Examples
    --------
    >>> crs = choose_projection(38, 32, 43, 36)
    >>> round(north_angle(crs, 40.5, 34.0), 6)
    0.0
    >>> north_angle(crs, 43.0, 34.0) < 0  # east of the central meridian
    True
    """
    tr = transformer(crs)
    step = 1e-4 if lat < 89.0 else -1e-4
    cx, cy = tr.transform(lon, lat)
    nx, ny = tr.transform(lon, lat + step)
    if step < 0:
        nx, ny = 2 * cx - nx, 2 * cy - ny
    return math.degrees(math.atan2(nx - cx, ny - cy))


def transformer(crs: pyproj.CRS) -> pyproj.Transformer:
    """lon/lat (EPSG:4326, lon first) to `crs`."""
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def project(geoms, tr: pyproj.Transformer, max_segment_m: float = 2000.0):
    """Project lon/lat geometries with pyproj after geodesic densification."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    types = shapely.get_type_id(arr)
    needs = (types != 0) & (types != 4)
    if needs.any():
        arr = arr.copy()
        arr[needs] = densify(arr[needs], max_segment_m)

    def fn(xy):
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(arr, fn)
    # points and lines need no repair; polygons made invalid by the projection do
    poly = (types == 3) | (types == 6) | (types == 7)
    if poly.any():
        bad = poly.copy()
        bad[poly] = ~shapely.is_valid(out[poly])
        if bad.any():
            out = out.copy()
            out[bad] = shapely.make_valid(out[bad])
    return out


def _all_lonlat_geoms(spec: MapSpec, ring_feats: list) -> list:
    geoms = [
        f.geometry
        for f in spec.sites + spec.zones + spec.lines + spec.rings + ring_feats
    ]
    return [g for g in geoms if g is not None and not g.is_empty]


def map_view(spec: MapSpec, ring_feats: list) -> tuple:
    """Return (crs, transformer, (x0, y0, x1, y1), (lon0, lat0)) of the map.

    The frame (map meters) holds the spec's data and extent plus its margin,
    widened to the aspect ratio of the figure's map panel; (lon0, lat0) is its
    centre in degrees.
    """
    geoms = _all_lonlat_geoms(spec, ring_feats)
    ext = spec.extent
    if ext is not None and len(ext) == 4:
        w, s, e, n = ext
        margin = 0.0 if spec.margin_m is None else spec.margin_m
    else:
        if ext is not None and len(ext) == 2:
            geoms = [*geoms, shapely.Point(ext)]
        if not geoms:
            raise GeoconflictError("nothing to draw: give sites, zones or an extent")
        w, s, e, n = lonlat_extent(np.asarray(geoms, dtype=object))
        margin = spec.margin_m
    crs = choose_projection(w, s, e, n)
    tr = transformer(crs)
    if ext is not None and len(ext) == 4:
        frame = shapely.box(w, s, e, n)
        xy = shapely.get_coordinates(project([frame], tr, 5000.0)[0])
    else:
        proj = project(geoms, tr, 5000.0)
        xy = shapely.get_coordinates(np.asarray(proj, dtype=object))
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    span = max(x1 - x0, y1 - y0, 1.0)
    if margin is None:
        margin = max(0.15 * span, 10_000.0)
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    # fit the figure's aspect ratio of the map panel
    aspect = (spec.size[1] * AX_RECT[3]) / (spec.size[0] * AX_RECT[2])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w_, h_ = x1 - x0, y1 - y0
    if h_ / w_ < aspect:
        h_ = w_ * aspect
    else:
        w_ = h_ / aspect
    x0, x1, y0, y1 = cx - w_ / 2, cx + w_ / 2, cy - h_ / 2, cy + h_ / 2
    inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon0, lat0 = inv.transform(cx, cy)
    return crs, tr, (x0, y0, x1, y1), (float(lon0), float(lat0))


def lonlat_extent(geoms) -> tuple:
    """(west, south, east, north) of lon/lat geometries, the shortest way round.

    The longitude interval is the complement of the largest gap between the
    data's longitudes, so data on both sides of the antimeridian gives
    ``west > east`` (e.g. 179.5, ..., -179.5) instead of the whole globe.

    Examples
    --------
    >>> w, s, e, n = lonlat_extent([shapely.Point(179.9, -17), shapely.Point(-179.8, -16.5)])
    >>> round(w, 6), s, round(e, 6), n
    (179.9, -17.0, -179.8, -16.5)
    >>> lonlat_extent([shapely.Point(38, 33), shapely.Point(41, 35)])
    (38.0, 33.0, 41.0, 35.0)
    """
    xy = shapely.get_coordinates(geoms)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        raise GeoconflictError("nothing to draw: the geometries have no coordinates")
    lon = np.unique(((xy[:, 0] + 180.0) % 360.0) - 180.0)
    s, n = float(xy[:, 1].min()), float(xy[:, 1].max())
    if len(lon) == 1:
        return float(lon[0]), s, float(lon[0]), n
    gaps = np.diff(np.concatenate([lon, [lon[0] + 360.0]]))
    k = int(np.argmax(gaps))
    if k == len(lon) - 1:  # the largest gap is across the antimeridian: no crossing
        return float(lon[0]), s, float(lon[-1]), n
    return float(lon[k + 1]), s, float(lon[k]), n


def ll_bbox(tr_inv, bounds, pad: float = 0.5) -> tuple:
    """(west, south, east, north) degrees around a map frame, padded by `pad` of its span."""
    x0, y0, x1, y1 = bounds
    xs = np.linspace(x0, x1, 21)
    ys = np.linspace(y0, y1, 21)
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = tr_inv.transform(gx.ravel(), gy.ravel())
    dl = pad * (max(lon) - min(lon))
    dp = pad * (max(lat) - min(lat))
    return (
        max(min(lon) - dl, -180.0),
        max(min(lat) - dp, -89.9),
        min(max(lon) + dl, 180.0),
        min(max(lat) + dp, 89.9),
    )
