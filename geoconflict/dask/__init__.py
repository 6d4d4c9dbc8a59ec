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
[6.7, 9.0]
"""

from __future__ import annotations

from geoconflict.dask.cluster import (
    connect,
    distance_dataset,
    read_points,
    write_parquet,
)
from geoconflict.dask.rows import (
    country_at,
    distance_to,
    distance_to_border,
    exposure,
    prepared_builds,
    province_at,
    text_dtype,
    within_distance,
)

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
