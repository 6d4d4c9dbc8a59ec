"""The exact engine over partitioned points on a Dask cluster.

Row-wise operations of geoconflict over a ``dask_geopandas.GeoDataFrame`` of
points (any CRS; reprojected to EPSG:4326 per partition) or a dask DataFrame
with lon/lat columns (degrees WGS84; the column names are keywords).  Each
function returns a **lazy** dask Series/DataFrame aligned with the input's
partitions and index (one task per partition, built with ``map_partitions``);
its values are those of the in-process function on the same points -- the same
code runs on every partition -- with the same dtype, index and order.
Distances are geodesic on WGS84 in meters, coordinates (lon, lat) degrees.

What is shipped to the workers, and when (see ``docs/scale.md``):

* a target geometry (:func:`distance_to`, :func:`within_distance`) goes into the
  task graph **once**, as one key that every partition's task depends on: the
  scheduler copies it to each worker once.  On the worker, the prepared
  :class:`~geoconflict.geodesy.index.GeodesicIndex` (its search tree included)
  is built on first use and cached per process, keyed by a SHA-256 of the
  geometry's WKB and the ellipsoid: once per worker, never per partition, and
  reused by later computations on the same geometry;
* the shipped boundaries (:func:`country_at`, :func:`province_at`,
  :func:`distance_to_border`) are not shipped at all: each worker loads them
  from its own installation of geoconflict on first use and keeps the point
  index and the border's prepared index for the life of the process;
* the numba kernels compile (or load from numba's on-disk cache) once per
  worker process.

Dask itself is optional: ``pip install 'geoconflict[dask]'``.  This module
imports it only when a function is called.

Examples
--------
>>> import dask.dataframe as dd, pandas as pd
>>> import geoconflict as gc, geoconflict.dask as gcd
>>> df = pd.DataFrame({"lon": [40.91854, 41.2], "lat": [34.45226, 34.6]})
>>> ddf = dd.from_pandas(df, npartitions=2)
>>> d = gcd.distance_to(ddf, gc.border("IRQ", "SYR"))   # lazy
>>> (d.compute() / 1000).round(1).tolist()
[6.7, 11.2]
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import threading
from collections import OrderedDict
from typing import Any, Optional

import numpy as np
import pyproj
import shapely

from geoconflict._compat import import_optional_dependency
from geoconflict._points import as_points, frame_copy
from geoconflict.analysis.exposure import Exposure
from geoconflict.analysis.exposure import exposure as points_exposure
from geoconflict.errors import CoordinateError, GeoconflictError, GeometryError
from geoconflict.geodesy.ellipsoid import check_radii
from geoconflict.geodesy.index import GeodesicIndex
from geoconflict.geodesy.measurement import get_geod
from geoconflict.geography.borders import border as border_line
from geoconflict.geography.borders import country_at as points_country_at
from geoconflict.geography.borders import (
    distance_to_border as points_distance_to_border,
)
from geoconflict.geography.borders import province_at as points_province_at
from geoconflict.units import as_meters, unit_factor

__all__ = [
    "connect",
    "country_at",
    "distance_dataset",
    "distance_to",
    "distance_to_border",
    "exposure",
    "prepared_builds",
    "province_at",
    "read_points",
    "text_dtype",
    "within_distance",
    "write_parquet",
]

_PURPOSE = "geoconflict.dask (pip install 'geoconflict[dask]')"


def _dd():
    return import_optional_dependency("dask.dataframe", _PURPOSE)


def _dask():
    return import_optional_dependency("dask", _PURPOSE)


def _dgpd():
    return import_optional_dependency("dask_geopandas", _PURPOSE)


# ------------------------------------------------------------------------------------
# the prepared target: shipped once, built once per worker process
# ------------------------------------------------------------------------------------

#: prepared indexes of this process, by content key (most recent last)
_PREPARED: OrderedDict = OrderedDict()
#: how many times each key was built in this process (see :func:`prepared_builds`)
_BUILDS: dict = {}
_LOCK = threading.Lock()
#: prepared indexes kept per process
_KEEP = 16


class _Target:
    """A geometry and an ellipsoid, as shipped to the workers (one graph key).

    Pickles as the geometry (WKB, exact) and the ellipsoid's PROJ string;
    :meth:`index` returns this process's prepared :class:`GeodesicIndex`,
    built on first use.
    """

    def __init__(self, geometry: Any, geod: Any) -> None:
        if isinstance(geometry, GeodesicIndex):
            geometry, geod = geometry.geometry, geometry.geod
        g = get_geod(geod, None)
        # validates the geometry on the client (empty, invalid polygon, ...)
        GeodesicIndex(geometry, geod=g)
        self.wkb = shapely.to_wkb(geometry)
        self.geod_init = g.initstring
        self.key = hashlib.sha256(self.wkb + self.geod_init.encode()).hexdigest()

    def __dask_tokenize__(self) -> str:
        return self.key

    def index(self) -> GeodesicIndex:
        with _LOCK:
            idx = _PREPARED.get(self.key)
            if idx is None:
                idx = GeodesicIndex(
                    shapely.from_wkb(self.wkb), geod=pyproj.Geod(self.geod_init)
                )
                _BUILDS[self.key] = _BUILDS.get(self.key, 0) + 1
                _PREPARED[self.key] = idx
                while len(_PREPARED) > _KEEP:
                    _PREPARED.popitem(last=False)
            else:
                _PREPARED.move_to_end(self.key)
            return idx


def prepared_builds() -> dict:
    """Return the prepared indexes built in this process: ``{content key: times built}``.

    Run it on the workers (``client.run(geoconflict.dask.prepared_builds)``) to
    see that each target geometry was prepared once per worker.

    Returns
    -------
    dict
        SHA-256 hex key of (geometry WKB, ellipsoid) to a count.

    Examples
    --------
    >>> isinstance(prepared_builds(), dict)
    True
    """
    with _LOCK:
        return dict(_BUILDS)


# ------------------------------------------------------------------------------------
# points of a partition
# ------------------------------------------------------------------------------------


def _is_geo(points: Any) -> bool:
    dgpd = _dgpd()
    return isinstance(points, (dgpd.GeoDataFrame, dgpd.GeoSeries))


def _check_input(points: Any, lon: str, lat: str) -> bool:
    """Check `points` on the client; return True for a dask-geopandas input."""
    dd = _dd()
    if _is_geo(points):
        if points.crs is None:
            from geoconflict.errors import CRSError

            raise CRSError(
                "the points have no CRS; set it first, e.g. "
                "ddf.set_crs('EPSG:4326') for lon/lat degrees"
            )
        return True
    if not isinstance(points, dd.DataFrame):
        raise GeometryError(
            f"expected a dask_geopandas.GeoDataFrame of points or a dask DataFrame "
            f"with {lon!r}/{lat!r} columns, got {type(points).__name__}; read a "
            "dataset with geoconflict.dask.read_points(path)"
        )
    missing = [c for c in (lon, lat) if c not in points.columns]
    if missing:
        raise GeometryError(
            f"the dask DataFrame has no column {missing[0]!r} (columns: "
            f"{', '.join(map(str, points.columns))}); name the coordinate columns "
            "with lon=..., lat=... (degrees WGS84)"
        )
    return False


def _lonlat(part: Any, geo: bool, lon: str, lat: str, info: Optional[dict]):
    """lon/lat degree arrays (EPSG:4326) of one partition, checked.

    Errors name the partition and the row's index label.
    """
    n = (info or {}).get("number", "?")
    try:
        if geo:
            pts = as_points(part, f"partition {n}: points")
            x, y = pts.lon, pts.lat
        else:
            x = part[lon].to_numpy(dtype=float, na_value=np.nan)
            y = part[lat].to_numpy(dtype=float, na_value=np.nan)
    except GeoconflictError as exc:
        raise type(exc)(f"partition {n}: {exc}") from None
    with np.errstate(invalid="ignore"):
        for name, v, limit in ((lat, y, 90.0), (lon, x, 540.0)):
            bad = np.isinf(v) | (np.abs(v) > limit)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                what = "latitude" if limit == 90.0 else "longitude"
                col = "geometry" if geo else repr(name)
                raise CoordinateError(
                    f"partition {n}, row {part.index[i]!r} (index label), column "
                    f"{col}: {what} {float(v[i])!r} is out of range "
                    f"[-{limit:g}, {limit:g}] degrees. Coordinates are (lon, lat) "
                    "degrees WGS84: check for swapped or projected columns."
                )
    return x, y


def _series(values: np.ndarray, part: Any, name: str, dtype: Any):
    import pandas as pd

    return pd.Series(values, index=part.index, name=name, dtype=dtype)


def text_dtype():
    """Return the dtype of the text columns (codes) of the results.

    pandas' default string dtype: ``str`` on pandas 3 (missing values are NaN),
    ``object`` before (missing values are None) -- what ``pd.Series`` of the
    in-process result infers.  Dask needs a real string dtype on pandas 3 to
    write the column to Parquet.

    Returns
    -------
    pandas dtype

    Examples
    --------
    >>> text_dtype() in ("str", "object")
    True
    """
    import pandas as pd

    return pd.Series(["ISO"]).dtype


# ------------------------------------------------------------------------------------
# row-wise operations
# ------------------------------------------------------------------------------------


def _distance_part(part, target, geo, lon, lat, signed, partition_info=None):
    x, y = _lonlat(part, geo, lon, lat, partition_info)
    d = target.index().distance_to(x, y, signed=signed)
    return _series(np.asarray(d, dtype=float), part, "distance_m", "float64")


def distance_to(
    points: Any,
    geometry: Any,
    *,
    lon: str = "lon",
    lat: str = "lat",
    signed: bool = False,
    geod: Any = None,
    ellps: Optional[str] = None,
):
    """Exact geodesic distance in meters from partitioned points to a geometry (lazy).

    Parameters
    ----------
    points : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        Points in any CRS (GeoDataFrame; missing/empty geometries give NaN), or
        a DataFrame with `lon`/`lat` columns in degrees WGS84 (NaN gives NaN).
    geometry : shapely geometry or GeodesicIndex
        The target, lon/lat degrees; edges are geodesics between vertices.
        Shipped once per worker and prepared there once.
    lon, lat : str
        Coordinate columns of a plain dask DataFrame.
    signed : bool
        Negative distances inside polygons.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    dask.dataframe.Series
        ``distance_m`` (float64, meters), same partitions and index as `points`:
        the values of :func:`geoconflict.distance_to` on the same points.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> from shapely import LineString
    >>> ddf = dd.from_pandas(pd.DataFrame({"lon": [40.91854], "lat": [34.45226]}), 1)
    >>> round(float(distance_to(ddf, LineString([(41, 34), (41, 35)])).compute()[0]), 3)
    7485.546
    """
    geo = _check_input(points, lon, lat)
    target = _dask().delayed(_Target(geometry, get_geod(geod, ellps)), pure=True)
    return points.map_partitions(
        _distance_part,
        target,
        geo,
        lon,
        lat,
        signed,
        meta=("distance_m", "float64"),
        align_dataframes=False,
    )


def _within_part(part, target, geo, lon, lat, radius, partition_info=None):
    x, y = _lonlat(part, geo, lon, lat, partition_info)
    w = target.index().within_distance(x, y, radius)
    return _series(np.asarray(w, dtype=bool), part, "within", "bool")


def within_distance(
    points: Any,
    geometry: Any,
    radius_m: Any,
    *,
    lon: str = "lon",
    lat: str = "lat",
    geod: Any = None,
    ellps: Optional[str] = None,
):
    """Whether partitioned points lie within `radius_m` (geodesic) of a geometry (lazy).

    Exact at the threshold, as :func:`geoconflict.within_distance`.

    Parameters
    ----------
    points : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        See :func:`distance_to`.  Missing coordinates give False.
    geometry : shapely geometry or GeodesicIndex
        Lon/lat degrees.
    radius_m : float or str
        Meters (>= 0), or a length with a unit (``"10 km"``).
    lon, lat : str
        Coordinate columns of a plain dask DataFrame.
    geod, ellps
        Ellipsoid, as in :func:`distance_to`.

    Returns
    -------
    dask.dataframe.Series
        ``within`` (bool), same partitions and index as `points`.
    """
    geo = _check_input(points, lon, lat)
    g = get_geod(geod, ellps)
    radius = float(np.ravel(as_meters(radius_m, "radius_m"))[0])
    if not radius >= 0:
        raise GeometryError(
            f"radius_m must be >= 0 meters; got {radius_m!r}. Give a distance such "
            "as 10000 or '10 km'."
        )
    target = _dask().delayed(_Target(geometry, g), pure=True)
    return points.map_partitions(
        _within_part,
        target,
        geo,
        lon,
        lat,
        radius,
        meta=("within", "bool"),
        align_dataframes=False,
    )


def _dtype(name: str):
    return text_dtype() if name == "text" else np.dtype(name)


_BORDER_COLUMNS = {
    "distance_m": "float64",
    "low_m": "float64",
    "high_m": "float64",
    "side": "text",
    "nearest_lon": "float64",
    "nearest_lat": "float64",
}


def _border_part(part, geo, lon, lat, a, b, dataset, partition_info=None):
    import pandas as pd

    x, y = _lonlat(part, geo, lon, lat, partition_info)
    r = points_distance_to_border(x, y, a, b, dataset=dataset)
    cols = [r.distance_m, r.low_m, r.high_m, r.side, r.lon, r.lat]
    return pd.DataFrame(
        {
            name: pd.Series(np.asarray(v), index=part.index, dtype=_dtype(dtype))
            for (name, dtype), v in zip(_BORDER_COLUMNS.items(), cols)
        },
        index=part.index,
    )


def distance_to_border(
    points: Any,
    a: Any,
    b: Any,
    *,
    dataset: str = "ne",
    lon: str = "lon",
    lat: str = "lat",
):
    """Geodesic distance from partitioned points to the border of two countries (lazy).

    Each worker loads the border line from its own installation of geoconflict
    and prepares it once per process; nothing but the country codes is shipped.

    Parameters
    ----------
    points : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        See :func:`distance_to`.
    a, b : str
        The two countries (codes or names); checked on the client.
    dataset : {"ne", "osm"}
        Border line and its uncertainty, as :func:`geoconflict.distance_to_border`.
    lon, lat : str
        Coordinate columns of a plain dask DataFrame.

    Returns
    -------
    dask.dataframe.DataFrame
        ``distance_m``, ``low_m``, ``high_m`` (meters), ``side`` (ISO3 of the
        country the point is in, missing at sea; :func:`text_dtype`), ``nearest_lon``,
        ``nearest_lat`` (the nearest border point, degrees); same partitions and
        index as `points`.
    """
    geo = _check_input(points, lon, lat)
    border_line(a, b, dataset=dataset)  # unknown countries fail here, not on a worker
    return points.map_partitions(
        _border_part,
        geo,
        lon,
        lat,
        a,
        b,
        dataset,
        meta={k: _dtype(v) for k, v in _BORDER_COLUMNS.items()},
        align_dataframes=False,
    )


def _country_part(part, geo, lon, lat, dataset, status, partition_info=None):
    x, y = _lonlat(part, geo, lon, lat, partition_info)
    codes = points_country_at(x, y, dataset=dataset, status=status)
    return _series(np.asarray(codes, dtype=object), part, "country", text_dtype())


def country_at(
    points: Any,
    *,
    dataset: str = "ne",
    status: bool = False,
    lon: str = "lon",
    lat: str = "lat",
):
    """Return the country (ISO3 code) at partitioned points; None at sea (lazy).

    Parameters
    ----------
    points : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        See :func:`distance_to`.
    dataset : {"ne", "osm"}
    status : bool
        Disputed-area status as text, as :func:`geoconflict.country_at`.
    lon, lat : str
        Coordinate columns of a plain dask DataFrame.

    Returns
    -------
    dask.dataframe.Series
        ``country`` (:func:`text_dtype`; missing at sea), same partitions and
        index as `points`.
    """
    geo = _check_input(points, lon, lat)
    return points.map_partitions(
        _country_part,
        geo,
        lon,
        lat,
        dataset,
        status,
        meta=("country", text_dtype()),
        align_dataframes=False,
    )


def _province_part(part, geo, lon, lat, partition_info=None):
    x, y = _lonlat(part, geo, lon, lat, partition_info)
    codes = points_province_at(x, y)
    return _series(np.asarray(codes, dtype=object), part, "province", text_dtype())


def province_at(points: Any, *, lon: str = "lon", lat: str = "lat"):
    """Return the province code (ISO 3166-2) at partitioned points; None at sea (lazy).

    Parameters
    ----------
    points : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        See :func:`distance_to`.
    lon, lat : str
        Coordinate columns of a plain dask DataFrame.

    Returns
    -------
    dask.dataframe.Series
        ``province`` (:func:`text_dtype`; missing at sea), same partitions and
        index as `points`.
    """
    geo = _check_input(points, lon, lat)
    return points.map_partitions(
        _province_part,
        geo,
        lon,
        lat,
        meta=("province", text_dtype()),
        align_dataframes=False,
    )


# ------------------------------------------------------------------------------------
# exposure: per-site counts reduced across partitions
# ------------------------------------------------------------------------------------


def _exposure_part(part, number, geo, lon, lat, sites_xy, radii, weights, geod_init):
    x, y = _lonlat(part, geo, lon, lat, {"number": number})
    w = None
    if weights is not None:
        w = part[weights].to_numpy(dtype=float, na_value=np.nan)
    e = points_exposure(
        np.column_stack([x, y]),
        sites_xy,
        radii,
        weights=w,
        geod=pyproj.Geod(geod_init),
    )
    return e.counts, e.sums


def _exposure_add(*parts):
    counts = sum(p[0] for p in parts)
    sums = None if parts[0][1] is None else sum(p[1] for p in parts)
    return counts, sums


def _exposure_final(total, template, radii, cumulative, columns, weight_name):
    counts, sums = total
    if cumulative:
        counts = np.cumsum(counts, axis=1)
        sums = None if sums is None else np.cumsum(sums, axis=1)
    res = Exposure(radii, counts, sums, cumulative, columns)
    out = template.copy()
    for name, col in res.as_dict(weight_name=weight_name).items():
        out[name] = col
    return out


def exposure(
    events: Any,
    sites: Any,
    rings: Any = (1_000, 2_000, 5_000),
    *,
    weights: Optional[str] = None,
    cumulative: bool = False,
    lon: str = "lon",
    lat: str = "lat",
    geod: Any = None,
    ellps: Optional[str] = None,
    output_crs: Any = None,
):
    """Events (and a weight) in geodesic rings around each site, over partitions (lazy).

    Each partition counts its events per site and ring with
    :func:`geoconflict.exposure`; the counts are summed in a tree across
    partitions.  Counts are identical to the in-process call; sums of a weight
    are too when the weights are whole numbers (below 2**53), and otherwise
    equal up to the order of floating-point additions.

    Parameters
    ----------
    events : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        See :func:`distance_to`.  Events with missing coordinates count nowhere.
    sites : points
        The sites, as :func:`geoconflict.exposure` accepts them (a
        GeoDataFrame in any CRS, ``(lon, lat)`` pairs, ...); small: they go into
        the graph once.
    rings : sequence of float or str
        Strictly increasing radii, meters (or ``"1 km"``).
    weights : str, optional
        A numeric column of `events` (e.g. casualties); NaN counts as 0.
    cumulative : bool
        Disks instead of bands, as :func:`geoconflict.exposure`.
    lon, lat : str
        Coordinate columns of a plain dask DataFrame.
    geod, ellps
        Ellipsoid, as in :func:`distance_to`.
    output_crs : CRS-like, optional
        For GeoDataFrame sites: reproject the result to this CRS.

    Returns
    -------
    dask.dataframe.DataFrame or dask_geopandas.GeoDataFrame
        One partition, one row per site.  For GeoDataFrame/GeoSeries sites: a
        copy of them (same index and CRS) with the ``events_<ring>`` (and
        ``<weights>_<ring>``) columns, as :func:`geoconflict.exposure` returns;
        otherwise a DataFrame of those columns indexed 0..n-1.
    """
    import pandas as pd

    dask = _dask()
    dd = _dd()
    geo = _check_input(events, lon, lat)
    g = get_geod(geod, ellps)
    radii = as_meters(rings, "rings")
    check_radii(radii, g, "rings")
    if weights is not None and weights not in events.columns:
        raise GeometryError(
            f"weights={weights!r} is not a column of events (columns: "
            f"{', '.join(map(str, events.columns))}); name a numeric column"
        )
    st = as_points(sites, "sites")
    sites_xy = np.column_stack([st.lon, st.lat])
    # the in-process call with no events gives the ring names (and checks rings)
    empty = points_exposure(np.zeros((0, 2)), sites_xy, radii, cumulative=cumulative)
    weight_name = weights or "weight"
    if st.frame is not None:
        template = frame_copy(st.frame)
    else:
        template = pd.DataFrame(index=pd.RangeIndex(len(sites_xy)))
    meta = _exposure_final(
        (empty.counts, None if weights is None else empty.counts * 0.0),
        template.iloc[:0],
        radii,
        cumulative,
        empty.columns,
        weight_name,
    )
    delayed = dask.delayed
    sites_key = delayed(sites_xy, pure=True)
    parts = [
        delayed(_exposure_part, pure=True)(
            p, i, geo, lon, lat, sites_key, radii, weights, g.initstring
        )
        for i, p in enumerate(events.to_delayed())
    ]
    while len(parts) > 1:
        parts = [
            delayed(_exposure_add, pure=True)(*parts[i : i + 8])
            for i in range(0, len(parts), 8)
        ]
    final = delayed(_exposure_final, pure=True)(
        parts[0], template, radii, cumulative, empty.columns, weight_name
    )
    out = dd.from_delayed([final], meta=meta, verify_meta=False)
    if output_crs is not None:
        out = out.to_crs(output_crs)
    return out


# ------------------------------------------------------------------------------------
# storage
# ------------------------------------------------------------------------------------


def read_points(path: Any, *, lon: str = "lon", lat: str = "lat", **kwargs: Any):
    """Read a (Geo)Parquet dataset of points, lazily, one partition per file piece.

    Parameters
    ----------
    path : str or path-like
        A Parquet file or dataset directory (local, ``s3://``, ...): GeoParquet
        (a geometry column, any CRS) or plain Parquet with `lon`/`lat` columns
        in degrees WGS84.
    lon, lat : str
        Coordinate columns, for plain Parquet.
    **kwargs
        Passed to ``dask_geopandas.read_parquet`` / ``dask.dataframe.read_parquet``.

    Returns
    -------
    dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame

    Raises
    ------
    GeometryError
        Plain Parquet without the `lon`/`lat` columns.
    """
    dd = _dd()
    dgpd = _dgpd()
    try:
        return dgpd.read_parquet(path, **kwargs)
    except ValueError as exc:
        if "geo" not in str(exc).lower() and "metadata" not in str(exc).lower():
            raise
    ddf = dd.read_parquet(path, **kwargs)
    missing = [c for c in (lon, lat) if c not in ddf.columns]
    if missing:
        raise GeometryError(
            f"{path}: not GeoParquet, and no {missing[0]!r} column (columns: "
            f"{', '.join(map(str, ddf.columns))}); give the coordinate columns "
            "with lon=..., lat=... (degrees WGS84)"
        )
    return ddf


def write_parquet(points: Any, path: Any, *, compute: bool = True, **columns: Any):
    """Write points with result columns as a partitioned (Geo)Parquet dataset.

    Nothing but the write's completion comes back to the client: every
    partition is computed and written by a worker (one file per partition).

    Parameters
    ----------
    points : dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        The input points.
    path : str or path-like
        Output directory (local or remote).
    compute : bool
        False: return the lazy write (compute it with a client, e.g. with a
        progress bar) instead of running it.
    **columns : dask Series or DataFrame
        Results of this module on `points` (same partitions): Series are added
        under their keyword, DataFrames column by column.

    Returns
    -------
    None, or the lazy write when ``compute=False``

    Examples
    --------
    >>> # write_parquet(ddf, "out/", distance_m=distance_to(ddf, line))
    """
    dd = _dd()
    out = points
    for name, value in columns.items():
        if isinstance(value, dd.DataFrame):
            out = out.assign(**{c: value[c] for c in value.columns})
        else:
            out = out.assign(**{name: value})
    return out.to_parquet(path, compute=compute)


# ------------------------------------------------------------------------------------
# clusters: the command line's --scheduler / --workers
# ------------------------------------------------------------------------------------


@contextlib.contextmanager
def connect(scheduler: Optional[str] = None, workers: Optional[int] = None):
    """Yield a ``distributed.Client``: to a running scheduler, or to a local cluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"``; the
        client is closed on exit, the cluster is left running.
    workers : int, optional
        Otherwise: start a ``distributed.LocalCluster`` of this many worker
        processes, one thread each (``GEOCONFLICT_THREADS=1`` on the workers, so
        the engine's own threads do not oversubscribe the cores); it is shut
        down on exit.

    Yields
    ------
    distributed.Client
    """
    distributed = import_optional_dependency("distributed", _PURPOSE)
    if scheduler and workers:
        raise GeoconflictError(
            "give a scheduler address or a number of local workers, not both"
        )
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with (
        distributed.LocalCluster(
            n_workers=int(workers or 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"GEOCONFLICT_THREADS": "1"},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _run(client: Any, lazy: Any, progress: bool) -> Any:
    """Compute `lazy` on `client`, with Dask's progress bar on standard error."""
    fut = client.compute(lazy)
    if progress:
        distributed = import_optional_dependency("distributed", _PURPOSE)
        with contextlib.redirect_stdout(sys.stderr):
            distributed.progress(fut)
            sys.stderr.write("\n")
    return fut.result()


def distance_dataset(
    source: Any,
    destination: Any,
    *,
    geometry: Any = None,
    border: Optional[tuple] = None,
    dataset: str = "ne",
    unit: str = "km",
    lon: str = "lon",
    lat: str = "lat",
    scheduler: Optional[str] = None,
    workers: Optional[int] = None,
    progress: bool = False,
) -> int:
    """Add geodesic distances to a stored points dataset, written as a new dataset.

    Reads `source` with :func:`read_points`, measures on the cluster and writes
    a partitioned (Geo)Parquet dataset: the input columns plus ``distance_m``
    and ``distance_<unit>`` (and, to a border, ``low_m``, ``high_m``, ``side``,
    ``nearest_lon``, ``nearest_lat``).  Only the completion of the write comes
    back to the client.

    Parameters
    ----------
    source, destination : str or path-like
        Input (Geo)Parquet file or folder; output folder (one file per
        partition).  On a remote cluster both must be storage the workers see.
    geometry : shapely geometry, optional
        Measure to this geometry (lon/lat degrees)...
    border : (str, str), optional
        ...or to the border of these two countries (`dataset` line).
    dataset : {"ne", "osm"}
    unit : str
        Unit of the ``distance_<unit>`` column (``km``, ``mi``, ``nmi``, ``m``).
    lon, lat : str
        Coordinate columns of plain Parquet.
    scheduler, workers
        Where to run, as :func:`connect`.
    progress : bool
        Show Dask's progress bar on standard error.

    Returns
    -------
    int
        Partitions written.
    """
    if (geometry is None) == (border is None):
        raise GeoconflictError("give exactly one target: a geometry or a border")
    factor = unit_factor(unit)
    with connect(scheduler, workers) as client:
        points = read_points(source, lon=lon, lat=lat)
        if border is not None:
            res = distance_to_border(points, *border, dataset=dataset, lon=lon, lat=lat)
            out = points.assign(**{c: res[c] for c in res.columns})
        else:
            out = points.assign(
                distance_m=distance_to(points, geometry, lon=lon, lat=lat)
            )
        out = out.assign(**{f"distance_{unit}": out["distance_m"] / factor})
        _run(client, out.to_parquet(destination, compute=False), progress)
        return int(out.npartitions)
