"""Row-wise operations and exposure over partitioned points (``geoconflict.dask``).

The functions are documented in :mod:`geoconflict.dask`, which re-exports them:
each builds a lazy dask collection whose partition tasks run the in-process
function; the target geometry travels as one graph key (:class:`_Target`) and is
prepared once per worker process.  Coordinates (lon, lat) degrees WGS84,
distances geodesic on WGS84 in meters.
"""

from __future__ import annotations

import hashlib
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
from geoconflict.errors import (
    CoordinateError,
    CRSError,
    GeoconflictError,
    GeometryError,
)
from geoconflict.geodesy.ellipsoid import check_radii
from geoconflict.geodesy.index import GeodesicIndex
from geoconflict.geodesy.measurement import get_geod
from geoconflict.geography.borders import border as border_line
from geoconflict.geography.borders import (
    distance_to_border as points_distance_to_border,
)
from geoconflict.geography.lookup import country_at as points_country_at
from geoconflict.geography.lookup import province_at as points_province_at
from geoconflict.units import as_meters

__all__ = [
    "country_at",
    "distance_to",
    "distance_to_border",
    "exposure",
    "prepared_builds",
    "province_at",
    "text_dtype",
    "within_distance",
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
            pts = as_points(part, "points")
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
