"""Rasters: geodesic distance grids, event density, rasterized zones, sampling.

An adapter over the core: every value is computed with the geodesic core on
cell centres (lon/lat on WGS84, distances in meters); rasterio is imported only
to write, rasterize and sample (``pip install rasterio``).

Grids are given by ``bounds=(west, south, east, north)`` and either
``resolution`` (cell size in CRS units; degrees for the default EPSG:4326) or
``shape=(height, width)``, in any CRS (``crs=``).  Results are :class:`Raster`
objects (a numpy array, its affine transform, CRS and metadata) that write
GeoTIFF or Cloud-Optimized GeoTIFF with :meth:`Raster.write`.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple, Optional

import numpy as np
import pyproj
import shapely

from geoconflict._compat import import_optional_dependency
from geoconflict._geom import as_geometry_array
from geoconflict._points import as_points, frame_geometry_4326, is_frame
from geoconflict.errors import CRSError, GeometryError
from geoconflict.geodesy.index import GeodesicIndex
from geoconflict.geodesy.measurement import get_geod
from geoconflict.units import parse_length

__all__ = [
    "Raster",
    "distance_raster",
    "event_density",
    "grid",
    "rasterize_zones",
    "sample",
]


def _rasterio():
    return import_optional_dependency("rasterio", "geoconflict.raster")


class Grid(NamedTuple):
    """A raster grid: cell-centre coordinates and the affine transform.

    Attributes
    ----------
    transform : affine.Affine
        Pixel -> CRS coordinates (upper-left origin, north up).
    width, height : int
        Columns and rows.
    crs : pyproj.CRS
        CRS of the grid.
    lon, lat : ndarray, shape (height, width)
        Cell centres in lon/lat degrees (EPSG:4326).
    """

    transform: Any
    width: int
    height: int
    crs: Any
    lon: np.ndarray
    lat: np.ndarray


def grid(
    bounds: Any,
    *,
    resolution: Any = None,
    shape: Any = None,
    crs: Any = "EPSG:4326",
) -> Grid:
    """Build a north-up grid over `bounds`, with its cell centres in lon/lat.

    Parameters
    ----------
    bounds : (west, south, east, north)
        Extent in `crs` units (degrees for EPSG:4326).
    resolution : float or (float, float), optional
        Cell size (x, y) in `crs` units.  Give this or `shape`.
    shape : (int, int), optional
        ``(height, width)`` in cells.
    crs : CRS-like
        Anything :meth:`pyproj.CRS.from_user_input` accepts.

    Returns
    -------
    Grid

    Examples
    --------
    >>> g = grid((38.0, 32.0, 42.0, 37.0), resolution=0.5)
    >>> g.width, g.height, float(g.lon[0, 0]), float(g.lat[0, 0])
    (8, 10, 38.25, 36.75)
    """
    rasterio = _rasterio()
    from rasterio.transform import from_origin

    try:
        crs_obj = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise CRSError(f"unknown crs {crs!r}: {exc}") from None
    west, south, east, north = (float(v) for v in bounds)
    if not (east > west and north > south):
        raise GeometryError(
            f"bounds must be (west, south, east, north) with east > west and "
            f"north > south, got {tuple(bounds)!r}"
        )
    if (resolution is None) == (shape is None):
        raise GeometryError("give either resolution= or shape=, not both or neither")
    if shape is not None:
        height, width = (int(v) for v in shape)
        rx, ry = (east - west) / width, (north - south) / height
    else:
        rx, ry = (
            (float(resolution), float(resolution))
            if np.ndim(resolution) == 0
            else (float(resolution[0]), float(resolution[1]))
        )
        if rx <= 0 or ry <= 0:
            raise GeometryError(f"resolution must be positive, got {resolution!r}")
        width = int(np.ceil((east - west) / rx - 1e-9))
        height = int(np.ceil((north - south) / ry - 1e-9))
    if width < 1 or height < 1:
        raise GeometryError("the grid has no cells; check bounds and resolution")
    transform = from_origin(west, north, rx, ry)
    xs = west + (np.arange(width) + 0.5) * rx
    ys = north - (np.arange(height) + 0.5) * ry
    x, y = np.meshgrid(xs, ys)
    if crs_obj.equals("EPSG:4326") or (
        crs_obj.is_geographic and crs_obj.to_epsg() == 4326
    ):
        lon, lat = x, y
    else:
        tr = pyproj.Transformer.from_crs(crs_obj, "EPSG:4326", always_xy=True)
        lon, lat = tr.transform(x, y)
    del rasterio
    return Grid(transform, width, height, crs_obj, np.asarray(lon), np.asarray(lat))


class Raster(NamedTuple):
    """A single-band raster in memory.

    Attributes
    ----------
    data : ndarray, shape (height, width)
        Values (units in ``tags["units"]``).
    transform : affine.Affine
        Pixel -> CRS coordinates.
    crs : pyproj.CRS
        CRS of the grid.
    nodata : float or None
        Value of missing cells.
    tags : dict
        Metadata written to the GeoTIFF (``units``, ``method``, ...).
    """

    data: np.ndarray
    transform: Any
    crs: Any
    nodata: Optional[float]
    tags: dict

    def write(self, path: Any, *, cog: bool = False, compress: str = "deflate") -> str:
        """Write a GeoTIFF (or a Cloud-Optimized GeoTIFF with ``cog=True``).

        Units and method go into the dataset tags and the band's unit type.

        Returns
        -------
        str
            The path written.
        """
        rasterio = _rasterio()
        from rasterio.io import MemoryFile

        data = np.asarray(self.data)
        profile = {
            "driver": "GTiff",
            "height": data.shape[0],
            "width": data.shape[1],
            "count": 1,
            "dtype": data.dtype.name,
            "crs": rasterio.crs.CRS.from_wkt(self.crs.to_wkt()),
            "transform": self.transform,
            "nodata": self.nodata,
            "compress": compress,
        }
        tags = {k: str(v) for k, v in self.tags.items()}
        unit = tags.get("units", "")

        def _fill(dst):
            dst.write(data, 1)
            dst.update_tags(**tags)
            if unit:
                dst.update_tags(1, units=unit)
                dst.units = (unit,)
            if "description" in tags:
                dst.set_band_description(1, tags["description"])

        if not cog:
            if data.shape[0] >= 256 and data.shape[1] >= 256:
                profile.update(tiled=True, blockxsize=256, blockysize=256)
            with rasterio.open(path, "w", **profile) as dst:
                _fill(dst)
            return str(path)
        # COG: build in memory, then let GDAL's COG driver write tiles + overviews
        with MemoryFile() as mem:
            with mem.open(**profile) as tmp:
                _fill(tmp)
            with mem.open() as src:
                cog_profile = {
                    k: v
                    for k, v in profile.items()
                    if k not in ("driver", "blockxsize", "blockysize", "tiled")
                }
                with rasterio.open(
                    path, "w", driver="COG", **cog_profile, BLOCKSIZE=256
                ) as dst:
                    dst.write(src.read(1), 1)
                    dst.update_tags(**src.tags())
                    if unit:
                        dst.update_tags(1, units=unit)
                        dst.units = (unit,)
                    if "description" in tags:
                        dst.set_band_description(1, tags["description"])
        return str(path)


def _grid_from(bounds, resolution, shape, crs, like) -> Grid:
    if like is not None:
        return like
    return grid(bounds, resolution=resolution, shape=shape, crs=crs)


def _one_geometry(geometry: Any, what: str) -> Any:
    if is_frame(geometry):
        geoms = frame_geometry_4326(geometry, what)
    else:
        geoms, _ = as_geometry_array(geometry)
    geoms = geoms[~shapely.is_missing(geoms)]
    if not len(geoms):
        raise GeometryError(f"{what} is empty")
    return shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]


_CHUNK = 1_048_576  # cells per call of the distance engine (bounded memory)


def _distances(lon, lat, geom, *, signed, geod):
    """Exact geodesic distances in meters from points to one geometry (GeodesicIndex)."""
    index = GeodesicIndex(geom, geod=geod)
    out = np.empty(len(lon))
    for s in range(0, len(lon), _CHUNK):  # bounded memory for big grids
        e = s + _CHUNK
        out[s:e] = index.distance_to(lon[s:e], lat[s:e], signed=signed)
    return out


def distance_raster(
    geometry: Any,
    bounds: Any = None,
    *,
    resolution: Any = None,
    shape: Any = None,
    crs: Any = "EPSG:4326",
    like: Optional[Grid] = None,
    signed: bool = False,
    max_segment_m: Optional[float] = None,
    dtype: str = "float32",
    path: Any = None,
    cog: bool = False,
    geod: Optional[pyproj.Geod] = None,
) -> Raster:
    """Geodesic distance, in meters, from every cell centre to a geometry.

    Parameters
    ----------
    geometry : geometry, array of geometries or GeoDataFrame
        The target (a border line, a zone, sites), lon/lat degrees (a
        GeoDataFrame in any CRS); several geometries are merged.
    bounds : (west, south, east, north)
        Grid extent in `crs` units.
    resolution : float or (float, float), optional
        Cell size in `crs` units.
    shape : (int, int), optional
        ``(height, width)``.
    crs : CRS-like
        CRS of the grid (EPSG:4326 by default); distances are geodesic anyway.
    like : Grid, optional
        Reuse a grid from :func:`grid` instead of bounds/resolution/shape.
    signed : bool
        Negative inside polygons.
    max_segment_m : float, optional
        Deprecated and ignored: the distances are exact
        (:class:`geoconflict.GeodesicIndex`), no densification is involved.
    dtype : str
        ``"float32"`` (default, 0.1 m resolution up to 1000 km) or ``"float64"``.
    path : str, optional
        Also write a GeoTIFF there.
    cog : bool
        Write a Cloud-Optimized GeoTIFF.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.

    Returns
    -------
    Raster
        ``data`` in meters; tags ``units="m"``, ``method``, ``ellipsoid``.

    Examples
    --------
    >>> from shapely import LineString
    >>> r = distance_raster(LineString([(40, 33), (40, 35)]), (39.0, 33.5, 41.0, 34.5),
    ...                     resolution=0.5)
    >>> r.data.shape, r.tags["units"]
    ((2, 4), 'm')
    >>> bool(abs(r.data[0, 1] - 23_000) < 1_000)
    True
    """
    if max_segment_m is not None:
        warnings.warn(
            "distance_raster(max_segment_m=...) is ignored: the distances are exact "
            "(GeodesicIndex); drop the argument",
            DeprecationWarning,
            stacklevel=2,
        )
    g = get_geod(geod)
    geom = _one_geometry(geometry, "geometry")
    gr = _grid_from(bounds, resolution, shape, crs, like)
    d = _distances(gr.lon.ravel(), gr.lat.ravel(), geom, signed=signed, geod=g)
    data = d.reshape(gr.height, gr.width).astype(dtype)
    tags = {
        "units": "m",
        "description": "geodesic distance to geometry (meters)",
        "method": "geodesic distance from each cell centre, ellipsoid "
        + ("WGS84" if geod is None else str(g)),
        "signed": str(bool(signed)),
    }
    r = Raster(data, gr.transform, gr.crs, None, tags)
    if path is not None:
        r.write(path, cog=cog)
    return r


_KERNELS = ("gaussian", "quartic")


def event_density(
    events: Any,
    bounds: Any = None,
    *,
    bandwidth_m: Any,
    weights: Any = None,
    kernel: str = "gaussian",
    resolution: Any = None,
    shape: Any = None,
    crs: Any = "EPSG:4326",
    like: Optional[Grid] = None,
    path: Any = None,
    cog: bool = False,
    geod: Optional[pyproj.Geod] = None,
) -> Raster:
    """Kernel density of events per km², with the bandwidth in meters (geodesic).

    Each event spreads a unit (or its weight) with a radially symmetric kernel of
    the **geodesic** distance from the event (not of degrees): Gaussian
    ``exp(-d²/2h²) / (2πh²)`` cut at 4h, or quartic (biweight)
    ``3/(πh²) (1 - d²/h²)²`` for ``d < h``.  The value of a cell is the sum at its
    centre, in events per square kilometre.

    Parameters
    ----------
    events : points
        ``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely Points, Events or a
        GeoDataFrame (any CRS).
    bounds, resolution, shape, crs, like
        The grid (see :func:`grid`).
    bandwidth_m : float or str
        Kernel bandwidth *h*, meters (or ``"5 km"``).
    weights : array_like or str, optional
        One weight per event (e.g. casualties), or a column name of the
        GeoDataFrame; NaN counts as 0.
    kernel : {"gaussian", "quartic"}
    path : str, optional
        Also write a GeoTIFF there.
    cog : bool
        Write a Cloud-Optimized GeoTIFF.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.

    Returns
    -------
    Raster
        float32 ``data`` in events (or weight units) per km²; tags ``units``,
        ``kernel``, ``bandwidth_m``, ``n_events``, ``total_weight``.

    Examples
    --------
    >>> r = event_density([(40.9, 34.45)], (40.5, 34.0, 41.3, 34.9),
    ...                   bandwidth_m="5 km", resolution=0.01)
    >>> r.tags["units"]
    'events per km2'
    >>> peak = r.data.max()  # 1 / (2 pi 25 km2) at the event
    >>> bool(abs(peak - 1 / (2 * np.pi * 25)) < 0.0005)
    True
    """
    from geoconflict.analysis.density import kernel_density

    if kernel not in _KERNELS:
        raise GeometryError(f"kernel must be one of {_KERNELS}, got {kernel!r}")
    h = parse_length(bandwidth_m, "m")
    if not np.isfinite(h) or h <= 0:
        raise GeometryError(
            f"bandwidth_m must be a positive distance, got {bandwidth_m!r}"
        )
    g = get_geod(geod)
    ev = as_points(events, "events")
    n = len(ev.lon)
    if isinstance(weights, str):
        if ev.frame is None or weights not in getattr(ev.frame, "columns", ()):
            raise GeometryError(f"weights={weights!r} is not a column of events")
        w = np.asarray(ev.frame[weights], dtype=float)
    elif weights is None:
        w = np.ones(n)
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.shape != (n,):
            raise GeometryError(f"weights has {w.size} values for {n} events")
    w = np.nan_to_num(w, nan=0.0)
    gr = _grid_from(bounds, resolution, shape, crs, like)
    # the one implementation of the kernels, shared with the QGIS plugin
    dens = kernel_density(
        gr.lon.ravel(),
        gr.lat.ravel(),
        ev.lon,
        ev.lat,
        h,
        weights=w,
        kernel=kernel,
        geod=g,
    )
    data = dens.reshape(gr.height, gr.width).astype("float32")
    tags = {
        "units": "events per km2" if weights is None else "weight per km2",
        "description": "kernel density of events (per square kilometre)",
        "kernel": kernel,
        "bandwidth_m": repr(h),
        "distance": "geodesic (WGS84)" if geod is None else "geodesic",
        "n_events": str(n),
        "total_weight": repr(float(w.sum())),
    }
    r = Raster(data, gr.transform, gr.crs, None, tags)
    if path is not None:
        r.write(path, cog=cog)
    return r


def rasterize_zones(
    geometries: Any,
    bounds: Any = None,
    *,
    values: Any = None,
    resolution: Any = None,
    shape: Any = None,
    crs: Any = "EPSG:4326",
    like: Optional[Grid] = None,
    all_touched: bool = False,
    fill: float = 0,
    dtype: str = "int32",
    path: Any = None,
    cog: bool = False,
) -> Raster:
    """Burn zones (ring bands, border strips, buffers) into a grid.

    Parameters
    ----------
    geometries : geometries, FeatureTable or GeoDataFrame
        Polygons in lon/lat (a GeoDataFrame in any CRS); later ones are burnt
        over earlier ones.  A :class:`~geoconflict.geodesy.ranges.FeatureTable` from
        :func:`~geoconflict.range_rings` burns ``ring + 1`` by default.
    bounds, resolution, shape, crs, like
        The grid (see :func:`grid`).
    values : array_like, optional
        One value per geometry (default 1, 2, 3, ...).
    all_touched : bool
        Burn every cell the zone touches (default: cells whose centre is inside).
    fill : float
        Value outside every zone.
    dtype : str
        Output data type.
    path : str, optional
        Also write a GeoTIFF there.
    cog : bool
        Write a Cloud-Optimized GeoTIFF.

    Returns
    -------
    Raster

    Examples
    --------
    >>> from geoconflict import range_rings
    >>> rings = range_rings(40.9, 34.45, [10_000, 20_000])
    >>> r = rasterize_zones(rings, (40.6, 34.2, 41.2, 34.7), resolution=0.01)
    >>> sorted(np.unique(r.data).tolist())
    [0, 1, 2]
    """
    rasterio = _rasterio()
    from rasterio.features import rasterize

    if values is None and hasattr(geometries, "keys") and "ring" in geometries:
        values = np.asarray(geometries["ring"]) + 1
    if hasattr(geometries, "geometry") and not is_frame(geometries):
        geoms = np.asarray(geometries.geometry, dtype=object)
    elif is_frame(geometries):
        geoms = frame_geometry_4326(geometries, "geometries")
    else:
        geoms, _ = as_geometry_array(geometries)
    vals = (
        np.arange(1, len(geoms) + 1) if values is None else np.asarray(values).ravel()
    )
    if len(vals) != len(geoms):
        raise GeometryError(
            f"values has {len(vals)} entries for {len(geoms)} geometries"
        )
    gr = _grid_from(bounds, resolution, shape, crs, like)
    if not gr.crs.equals("EPSG:4326"):
        tr = pyproj.Transformer.from_crs("EPSG:4326", gr.crs, always_xy=True)
        geoms = shapely.transform(
            geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
        )
    ok = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    shapes = [(gm, v) for gm, v in zip(geoms[ok], vals[ok])]
    out = np.full((gr.height, gr.width), fill, dtype=dtype)
    if shapes:
        out = rasterize(
            shapes,
            out_shape=(gr.height, gr.width),
            transform=gr.transform,
            fill=fill,
            all_touched=all_touched,
            dtype=dtype,
        )
    del rasterio
    r = Raster(out, gr.transform, gr.crs, None, {"description": "rasterized zones"})
    if path is not None:
        r.write(path, cog=cog)
    return r


def sample(raster: Any, sites: Any, *, band: int = 1) -> np.ndarray:
    """Values of a raster at sites (nearest cell; NaN outside or at nodata).

    Parameters
    ----------
    raster : str, path, Raster or open rasterio dataset
        Any raster rasterio reads, in any CRS.
    sites : points
        ``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely Points, Sites or a
        GeoDataFrame (any CRS).
    band : int
        1-based band.

    Returns
    -------
    ndarray of float
        One value per site (a Series with the sites' index for a GeoDataFrame).

    Examples
    --------
    >>> from shapely import Point
    >>> r = distance_raster(Point(40.9, 34.45), (40.0, 34.0, 42.0, 35.0), resolution=0.1)
    >>> float(sample(r, [(40.95, 34.45)])[0]) == float(r.data[5, 9])
    True
    """
    rasterio = _rasterio()
    pts = as_points(sites, "sites")
    if isinstance(raster, Raster):
        data = np.asarray(raster.data)
        transform, crs, nodata = raster.transform, raster.crs, raster.nodata
        if band != 1:
            raise GeometryError("a Raster has one band")
    else:
        ds = raster if hasattr(raster, "read") else rasterio.open(raster)
        try:
            data = ds.read(band)
            transform, nodata = ds.transform, ds.nodata
            crs = pyproj.CRS.from_wkt(ds.crs.to_wkt())
        finally:
            if ds is not raster:
                ds.close()
    if crs.equals("EPSG:4326"):
        x, y = pts.lon, pts.lat
    else:
        tr = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        x, y = tr.transform(pts.lon, pts.lat)
    inv = ~transform
    col, row = inv * (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    col = np.floor(col)
    row = np.floor(row)
    ok = (
        np.isfinite(col)
        & np.isfinite(row)
        & (col >= 0)
        & (row >= 0)
        & (col < data.shape[1])
        & (row < data.shape[0])
    )
    out = np.full(len(pts.lon), np.nan)
    out[ok] = data[row[ok].astype(int), col[ok].astype(int)]
    if nodata is not None:
        out[out == nodata] = np.nan
    if pts.frame is not None:
        pd = import_optional_dependency("pandas", "sample at a GeoDataFrame")
        return pd.Series(out, index=pts.frame.index, name="value")
    return out
