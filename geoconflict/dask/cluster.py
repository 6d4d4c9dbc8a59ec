"""Storage and clusters for :mod:`geoconflict.dask`: (Geo)Parquet in and out, the CLI's cluster.

Documented in :mod:`geoconflict.dask`, which re-exports these functions.
Coordinates (lon, lat) degrees WGS84, distances geodesic on WGS84 in meters.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Optional

from geoconflict._compat import import_optional_dependency
from geoconflict.dask.rows import (
    _PURPOSE,
    _dd,
    _dgpd,
    distance_to,
    distance_to_border,
)
from geoconflict.errors import GeoconflictError, GeometryError
from geoconflict.units import unit_factor

__all__ = ["connect", "distance_dataset", "read_points", "write_parquet"]


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
