"""Range rings, annuli, fans (sectors) and radial lines around sites, geodesic.

Everything here is drawn on the WGS84 ellipsoid (or the ``geod=`` you pass):
coordinates are **(lon, lat) in degrees**, distances and radii in **meters**,
azimuths and bearings in **degrees clockwise from true north**.  Every vertex of
a ring lies exactly at its radius from the centre (pyproj's geodesic direct
problem); vertex spacing is chosen from ``tolerance_m`` so that the geodesic
edges between vertices stay within that distance of the true circle.

Results are :class:`FeatureTable` objects: equal-length columns (``site`` index,
``ring`` index, ``inner_m``/``outer_m``, ``label`` ...) plus an ndarray of shapely
geometries in lon/lat, cut at the antimeridian and closed over the poles, so
that they are valid in EPSG:4326 and draw correctly in any GIS.

All functions are vectorized over many centres: one pyproj call computes every
vertex of every ring, and one geometry call builds all polygons.  The circles
come from the ring builder that :func:`geoconflict.geodesy.buffers.circle_polygons`
uses too (``geoconflict.geodesy._circles``: same vertices, same tolerance rule);
rings that cross the antimeridian or contain a pole are cut by
:mod:`geoconflict.geodesy.antimeridian` (crossing latitudes on the geodesic).
Lengths given as text (``"100 km"``) are read by :func:`geoconflict.units.as_meters`
and checked by :func:`geoconflict.geodesy.ellipsoid.check_radii`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np
import pyproj

from geoconflict._arrays import as_float_arrays, check_lonlat
from geoconflict._geom import lines, orient, polygons, transform
from geoconflict._typing import (
    ArrayLike,
    BoolArray,
    CRSLike,
    FloatArray,
    LengthLike,
    ObjectArray,
)
from geoconflict.errors import GeometryError
from geoconflict.geodesy._circles import (
    circle_rings,
    fwd,
    lonlat_chord,
    rings_to_lines,
    rings_to_polygons,
    tolerances,
    vertex_count,
)
from geoconflict.geodesy.antimeridian import ring_region, split
from geoconflict.geodesy.ellipsoid import (
    check_radii,
    cut_distance,
    get_geod,
    half_circumference,
    wrap_lon,
)
from geoconflict.units import as_meters, format_length, format_range

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "FeatureTable",
    "half_circumference",
    "min_max_ring",
    "radial_lines",
    "range_fan",
    "range_rings",
]

_MIN_RANGE = 1e-3  # meters; smaller minimum ranges are drawn as 0


# --------------------------------------------------------------------------- table


class FeatureTable:
    """Columns of equal length plus a geometry column: a small, dependency-free frame.

    Geometries are shapely objects in lon/lat degrees (EPSG:4326); lengths in the
    columns are meters, angles degrees clockwise from true north.

    Parameters
    ----------
    columns : dict of str to array_like
        Attribute columns, all of the same length.
    geometry : array_like of shapely geometries
        One geometry per row (``None`` for missing).

    Examples
    --------
    >>> t = range_rings(38.6, 33.5, [10_000, 20_000])
    >>> len(t), list(t.keys())
    (2, ['site', 'ring', 'inner_m', 'outer_m', 'label', 'geometry'])
    >>> t["label"].tolist()
    ['10 km', '20 km']
    """

    def __init__(self, columns: Mapping[str, ArrayLike], geometry: ArrayLike) -> None:
        geoms = np.asarray(geometry, dtype=object).reshape(-1)
        cols: dict[str, np.ndarray] = {}
        for name, values in columns.items():
            arr = np.asarray(values)
            if arr.shape != (len(geoms),):
                raise GeometryError(
                    f"column {name!r} has shape {arr.shape}, expected ({len(geoms)},)"
                )
            cols[name] = arr
        self._columns = cols
        self.geometry = geoms

    def __len__(self) -> int:
        return len(self.geometry)

    def keys(self) -> list[str]:
        """Column names, ``"geometry"`` last."""
        return [*self._columns, "geometry"]

    @property
    def columns(self) -> dict[str, np.ndarray]:
        """The attribute columns (a dict of ndarrays, without the geometry)."""
        return dict(self._columns)

    def __getitem__(self, key: str) -> np.ndarray:
        if key == "geometry":
            return self.geometry
        try:
            return self._columns[key]
        except KeyError:
            raise KeyError(
                f"no column {key!r}; the columns are {', '.join(self.keys())}"
            ) from None

    def __contains__(self, key: object) -> bool:
        return key == "geometry" or key in self._columns

    def __repr__(self) -> str:
        return f"<FeatureTable {len(self)} rows: {', '.join(self.keys())}>"

    def take(self, indices: ArrayLike) -> FeatureTable:
        """Rows at `indices` (an integer array or a boolean mask)."""
        idx = np.asarray(indices)
        return FeatureTable(
            {k: v[idx] for k, v in self._columns.items()}, self.geometry[idx]
        )

    def to_dict(self) -> dict[str, np.ndarray]:
        """Columns and geometry as a plain dict of ndarrays."""
        return {**self._columns, "geometry": self.geometry}

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """GeoJSON FeatureCollection (lon/lat, RFC 7946 order)."""
        feats: list[dict[str, Any]] = []
        names = list(self._columns)
        for i, geom in enumerate(self.geometry):
            props = {n: _py(self._columns[n][i]) for n in names}
            feats.append(
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": None if geom is None else geom.__geo_interface__,
                }
            )
        return {"type": "FeatureCollection", "features": feats}

    def to_geojson(
        self,
        path: Union[str, os.PathLike[str], None] = None,
        *,
        precision: Optional[int] = 7,
        indent: Union[int, str, None] = None,
    ) -> str:
        """RFC 7946 GeoJSON text of the table (written to `path` if given).

        The geometries built here are already RFC 7946 (cut at the antimeridian,
        exteriors counterclockwise), so :attr:`__geo_interface__` is written with
        :mod:`json`, coordinates rounded to `precision` decimals (7: ~1 cm;
        ``None`` keeps all), NaN as null.  Other geometries:
        ``geoconflict.io.geojson.dumps(t.geometry, properties=t.columns)``.

        Examples
        --------
        >>> import json
        >>> fc = json.loads(range_rings(40.9, 34.45, [1000]).to_geojson())
        >>> fc["features"][0]["properties"]["label"]
        '1 km'
        """
        fc = self.__geo_interface__
        for feat, geom in zip(fc["features"], self.geometry):
            if geom is not None and precision is not None:
                rounded = transform(geom, lambda c: np.round(c, precision))
                feat["geometry"] = rounded.__geo_interface__
            feat["properties"] = {
                k: None if isinstance(v, float) and not np.isfinite(v) else v
                for k, v in feat["properties"].items()
            }
        text = json.dumps(fc, indent=indent, allow_nan=False, ensure_ascii=False)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def to_geodataframe(
        self, crs: CRSLike = None, index: Optional[ArrayLike] = None
    ) -> gpd.GeoDataFrame:
        """Return a :class:`geopandas.GeoDataFrame` (needs geopandas).

        Parameters
        ----------
        crs : CRS-like, optional
            Reproject the result to this CRS; it stays in EPSG:4326 by default.
        index : array_like, optional
            Index for the rows.
        """
        from geoconflict._compat import import_optional_dependency

        gpd = import_optional_dependency("geopandas", "FeatureTable.to_geodataframe")
        gdf = gpd.GeoDataFrame(
            dict(self._columns), geometry=list(self.geometry), crs="EPSG:4326"
        )
        if index is not None:
            gdf.index = index
        if crs is not None:
            gdf = gdf.to_crs(crs)
        return gdf


def _py(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


# --------------------------------------------------------------------------- checks


def _check_min_max(mn: np.ndarray, mx: np.ndarray, geod: pyproj.Geod) -> None:
    """Minimum and maximum ranges, meters: ``0 <= min_m < max_m <= half circumference``."""
    check_radii(mx, geod, "max_m")
    bad = (mn < 0) | ~np.isfinite(mn)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"min_m[{i}] = {float(mn[i])!r}: give 0 or a positive distance"
        )
    if (mn >= mx).any():
        i = int(np.flatnonzero(mn >= mx)[0])
        raise GeometryError(
            f"min_m[{i}] = {float(mn[i])!r} is not smaller than max_m[{i}] = {float(mx[i])!r}"
        )


def _centres(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    (lo, la), _ = as_float_arrays(lon, lat, names=("lon", "lat"))
    lo, la = lo.reshape(-1), la.reshape(-1)
    check_lonlat(lo, la, what="centre")
    return lo, la


# --------------------------------------------------------------------------- geometry


def _pole_distances(
    lat: FloatArray, geod: pyproj.Geod
) -> tuple[FloatArray, FloatArray]:
    """Geodesic distances from latitudes to the north and the south pole, meters."""
    zeros = np.zeros_like(lat)
    _, _, dn = geod.inv(zeros, lat, zeros, np.full_like(lat, 90.0))
    _, _, ds = geod.inv(zeros, lat, zeros, np.full_like(lat, -90.0))
    return np.asarray(dn, dtype=float), np.asarray(ds, dtype=float)


def _loops_to_polygons(
    lon0: FloatArray, dlon: FloatArray, lat: FloatArray, g: pyproj.Geod
) -> ObjectArray:
    """Polygons inside clockwise vertex loops (interior on the right), one per row.

    `dlon` (m, k) are longitudes relative to the centres `lon0`, wrapped to
    [-180, 180]; consecutive vertices are joined by geodesics.  Loops that need
    no cut are built in one geometry call; those that cross the antimeridian or
    wind around a pole go through :func:`~geoconflict.geodesy.antimeridian.ring_region`.
    """
    out = np.empty(len(dlon), dtype=object)
    if not len(dlon):
        return out
    lon = dlon + wrap_lon(lon0)[:, None]
    steps = np.diff(np.concatenate([dlon, dlon[:, :1]], axis=1), axis=1)
    simple = (
        (np.abs(steps) <= 180.0).all(axis=1)
        & (lon.min(axis=1) >= -180.0)
        & (lon.max(axis=1) <= 180.0)
    )
    if simple.any():
        # reversed: counterclockwise exteriors (RFC 7946)
        coords = np.stack([lon[simple, ::-1], lat[simple, ::-1]], axis=-1)
        out[simple] = polygons(coords)
    for i in np.flatnonzero(~simple):
        out[i] = orient(ring_region(lon[i], lat[i], interior_left=False, geod=g))
    return out


def _lines(
    lon0: FloatArray, dlon: FloatArray, lat: FloatArray, g: pyproj.Geod
) -> ObjectArray:
    """Geodesic polylines, one per row of `dlon` (relative to `lon0`), cut at ±180."""
    lon = dlon + wrap_lon(lon0)[:, None]
    out = lines(np.stack([lon, lat], axis=-1))
    cut = (
        (np.abs(np.diff(dlon, axis=1)) > 180.0).any(axis=1)
        | (lon.min(axis=1) < -180.0)
        | (lon.max(axis=1) > 180.0)
    )
    if cut.any():
        out[cut] = split(out[cut], geod=g)
    return out


def _labels(meters: np.ndarray, unit: Optional[str]) -> np.ndarray:
    uniq, inv = np.unique(meters, return_inverse=True)
    text = np.array(
        [format_length(v, unit) if np.isfinite(v) else "" for v in uniq], dtype=object
    )
    return text[inv.reshape(-1)] if len(meters) else np.array([], dtype=object)


# --------------------------------------------------------------------------- public


def range_rings(
    lon: ArrayLike,
    lat: ArrayLike,
    radii_m: LengthLike,
    *,
    kind: str = "band",
    tolerance_m: Optional[float] = None,
    unit: Optional[str] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Geodesic range rings around one or many centres.

    Parameters
    ----------
    lon, lat : float or array_like
        Centre(s), degrees (WGS84).
    radii_m : sequence of float or str
        Strictly increasing radii in meters (or length strings such as
        ``"100 km"``); each at most half the meridian (20,003,931 m on WGS84,
        :func:`half_circumference`), the farthest any point is from the centre.
        A ring larger than a hemisphere contains its centre and most of the
        globe (its area is measured by :func:`geoconflict.area`).
    kind : {"band", "disk", "line"}
        ``"band"`` (default): one polygon per ring, between the previous radius
        and this one (the first band is a full disk); ``"disk"``: full disks;
        ``"line"``: the circle itself as a (Multi)LineString.
    tolerance_m : float, optional
        Largest distance, meters, between a geodesic edge and the true circle;
        sets the number of vertices.  Default: ``max(1 m, 0.1 %)`` of the largest radius (as :func:`geoconflict.buffer`).
    unit : str, optional
        Unit of the labels (``"km"``, ``"mi"``, ``"nmi"``...); automatic by default.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    FeatureTable
        One row per (centre, radius), centre-major, with columns ``site`` (index
        of the centre), ``ring`` (index of the radius), ``inner_m`` and
        ``outer_m`` (meters; equal for lines), ``label`` (e.g. ``"100 km"``) and
        ``geometry`` (lon/lat, cut at the antimeridian, closed over a pole when
        it contains one).  A missing (NaN) centre gives ``None`` geometries.

    Raises
    ------
    GeometryError
        Radii not strictly increasing, not positive, or larger than half the
        meridian.
    CoordinateError
        Centres out of range.

    Examples
    --------
    Rings of 100, 200 and 300 km around a site:

    >>> rings = range_rings(38.6178, 33.5058, [100_000, 200_000, "300 km"])
    >>> rings["label"].tolist()
    ['100 km', '200 km', '300 km']
    >>> rings["inner_m"].tolist()
    [0.0, 100000.0, 200000.0]
    >>> [g.geom_type for g in rings.geometry]
    ['Polygon', 'Polygon', 'Polygon']

    Near the antimeridian the ring is cut in two:

    >>> range_rings(179.9, -17.0, [50_000]).geometry[0].geom_type
    'MultiPolygon'
    """
    if kind not in ("band", "disk", "line"):
        raise GeometryError(f"kind must be 'band', 'disk' or 'line', got {kind!r}")
    g = get_geod(geod, ellps)
    lo, la = _centres(lon, lat)
    radii = as_meters(radii_m, "radii_m")
    check_radii(radii, g, increasing=True)
    m, k = len(lo), len(radii)
    site = np.repeat(np.arange(m), k)
    ring = np.tile(np.arange(k), m)
    outer = np.tile(radii, m)
    inner_r = np.concatenate([[0.0], radii[:-1]]) if k else radii
    if kind == "band":
        inner = np.tile(inner_r, m)
    elif kind == "line":
        inner = outer.copy()
    else:
        inner = np.zeros(m * k)
    cols = {
        "site": site,
        "ring": ring,
        "inner_m": inner.astype(float),
        "outer_m": outer,
        "label": _labels(outer, unit),
    }
    if m * k == 0:
        return FeatureTable(cols, np.empty(0, dtype=object))
    # the tolerance is absolute (default 0.1 % of the largest radius), so the
    # small rings need fewer vertices
    tol = tolerances(
        max(float(radii.max()) * 1e-3, 1.0) if tolerance_m is None else tolerance_m,
        np.zeros(1),
    )[0]
    geoms = np.empty(m * k, dtype=object)
    ok = np.isfinite(lo) & np.isfinite(la)
    n_ok = int(ok.sum())
    if n_ok:
        rings = circle_rings(
            np.repeat(wrap_lon(lo[ok]), k),
            np.repeat(la[ok], k),
            np.tile(radii, n_ok),
            np.full(n_ok * k, tol),
            g,
        )
        circle = np.arange(n_ok * k)  # centre-major, as the rows
        if kind == "line":
            res = rings_to_lines(rings, circle, g)
        elif kind == "disk":
            res = rings_to_polygons(rings, circle, None, g)
        else:  # each band: this circle minus the previous one of its centre
            first = np.tile(np.arange(k), n_ok) == 0
            res = rings_to_polygons(rings, circle, np.where(first, -1, circle - 1), g)
        geoms[np.repeat(ok, k)] = res
    return FeatureTable(cols, geoms)


def min_max_ring(
    lon: ArrayLike,
    lat: ArrayLike,
    min_m: LengthLike,
    max_m: LengthLike,
    *,
    tolerance_m: Optional[float] = None,
    unit: Optional[str] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Annulus between a minimum and a maximum range around each centre.

    Parameters
    ----------
    lon, lat : float or array_like
        Centre(s), degrees.
    min_m, max_m : float or array_like
        Minimum and maximum range in meters, one value for all or one per
        centre; ``min_m = 0`` gives a full disk.  Strings like ``"20 km"`` work.
    tolerance_m : float, optional
        Largest edge-to-circle distance, meters (default 0.1 % of the radius).
    unit : str, optional
        Unit of the labels.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    FeatureTable
        One row per centre: ``site``, ``inner_m``, ``outer_m``, ``label`` (e.g.
        ``"20–70 km"``) and the annulus ``geometry`` in lon/lat.

    Raises
    ------
    GeometryError
        If ``min_m >= max_m``, a range is negative, or beyond half the Earth's
        circumference.

    Examples
    --------
    >>> ann = min_max_ring(40.9, 34.45, 20_000, 70_000)
    >>> ann["label"].tolist()
    ['20–70 km']
    >>> len(ann.geometry[0].interiors)
    1
    """
    g = get_geod(geod, ellps)
    lo, la = _centres(lon, lat)
    mn = as_meters(min_m, "min_m")
    mx = as_meters(max_m, "max_m")
    try:
        mn, mx, lo, la = np.broadcast_arrays(mn, mx, lo, la)
    except ValueError:
        raise GeometryError(
            f"min_m ({mn.size}), max_m ({mx.size}) and the centres ({lo.size}) must "
            "have the same length, or be single values"
        ) from None
    _check_min_max(mn, mx, g)
    label = np.array([format_range(a, b, unit) for a, b in zip(mn, mx)], dtype=object)
    cols = {
        "site": np.arange(len(lo)),
        "inner_m": mn.astype(float),
        "outer_m": mx.astype(float),
        "label": label,
    }
    if not len(lo):
        return FeatureTable(cols, np.empty(0, dtype=object))
    t = tolerances(tolerance_m, mx)
    geoms = np.empty(len(lo), dtype=object)
    ok = np.isfinite(lo) & np.isfinite(la)
    if ok.any():
        hole = ok & (mn > _MIN_RANGE)
        n_ok = int(ok.sum())
        rings = circle_rings(
            wrap_lon(np.concatenate([lo[ok], lo[hole]])),
            np.concatenate([la[ok], la[hole]]),
            np.concatenate([mx[ok], mn[hole]]),
            np.concatenate([t[ok], t[hole]]),
            g,
        )
        inner = np.full(n_ok, -1, dtype=np.int64)
        inner[hole[ok]] = n_ok + np.arange(int(hole.sum()))
        geoms[ok] = rings_to_polygons(rings, np.arange(n_ok), inner, g)
    return FeatureTable(cols, geoms)


def range_fan(
    lon: ArrayLike,
    lat: ArrayLike,
    azimuth_from: ArrayLike,
    azimuth_to: ArrayLike,
    min_m: LengthLike,
    max_m: LengthLike,
    *,
    tolerance_m: Optional[float] = None,
    unit: Optional[str] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Sectors ("fans") of a range annulus, swept clockwise from one azimuth to another.

    Parameters
    ----------
    lon, lat : float or array_like
        Centre(s), degrees.
    azimuth_from, azimuth_to : float or array_like
        Degrees clockwise from true north; any value is wrapped to [0, 360).
        The fan sweeps **clockwise** from `azimuth_from` to `azimuth_to`
        (``350 -> 10`` is a 20 degree fan through north).  Equal values after
        wrapping but different as given (``0 -> 360``) mean the full circle.
    min_m, max_m : float or array_like
        Inner and outer range, meters (``min_m = 0`` for a fan from the centre).
    tolerance_m : float, optional
        Largest edge-to-arc distance, meters (default 0.1 % of the radius).
    unit : str, optional
        Unit of the labels.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    FeatureTable
        One row per fan: ``site``, ``azimuth_from``, ``azimuth_to`` (wrapped,
        degrees), ``width_deg``, ``inner_m``, ``outer_m``, ``label``, ``geometry``.

    Raises
    ------
    GeometryError
        Identical azimuths (a fan of zero width), ``min_m >= max_m``, negative
        or too large ranges (a fan narrower than 360 degrees may reach at most
        pi times the semi-minor axis, 19,970,326 m on WGS84, where geodesics
        from the centre stop being the shortest paths), or a fan containing
        both poles.

    Examples
    --------
    A 90 degree fan towards the east, 10 to 50 km:

    >>> fan = range_fan(40.9, 34.45, 45, 135, 10_000, 50_000)
    >>> fan["width_deg"].tolist(), fan["label"].tolist()
    ([90.0], ['10–50 km'])
    >>> fan.geometry[0].centroid.x > 40.9
    True
    """
    g = get_geod(geod, ellps)
    lo, la = _centres(lon, lat)
    (a0, a1), _ = as_float_arrays(
        azimuth_from, azimuth_to, names=("azimuth_from", "azimuth_to")
    )
    mn = as_meters(min_m, "min_m")
    mx = as_meters(max_m, "max_m")
    try:
        lo, la, a0, a1, mn, mx = np.broadcast_arrays(
            lo, la, a0.reshape(-1), a1.reshape(-1), mn, mx
        )
    except ValueError:
        raise GeometryError(
            "centres, azimuths and ranges must have the same length or be single values"
        ) from None
    lo, la, a0, a1, mn, mx = (
        np.array(v, dtype=float) for v in (lo, la, a0, a1, mn, mx)
    )
    _check_min_max(mn, mx, g)
    if (a0 == a1).any():
        i = int(np.flatnonzero(a0 == a1)[0])
        raise GeometryError(
            f"fan {i}: azimuth_from == azimuth_to == {float(a0[i])!r} gives a fan of zero "
            "width; for the full circle pass 0 and 360, or use min_max_ring()."
        )
    start = np.mod(a0, 360.0)
    width = np.mod(a1 - a0, 360.0)
    width = np.where(width == 0.0, 360.0, width)
    end = np.mod(start + width, 360.0)
    cols = {
        "site": np.arange(len(lo)),
        "azimuth_from": start,
        "azimuth_to": end,
        "width_deg": width,
        "inner_m": mn,
        "outer_m": mx,
        "label": np.array(
            [format_range(a, b, unit) for a, b in zip(mn, mx)], dtype=object
        ),
    }
    geoms = np.empty(len(lo), dtype=object)
    if not len(lo):
        return FeatureTable(cols, geoms)
    full = width >= 360.0
    cut = cut_distance(geod=g)
    beyond = ~full & (mx > cut)
    if beyond.any():
        i = int(np.flatnonzero(beyond)[0])
        raise GeometryError(
            f"fan {i}: max_m = {float(mx[i])!r} m is beyond {cut:,.0f} m, where the "
            "geodesics from the centre start crossing each other near the antipode, "
            "so a sector bounded by azimuths is no longer defined there. Give "
            f"max_m <= {cut:,.0f} m, or use min_max_ring() for the full annulus "
            "(which accepts up to half the meridian)."
        )
    if full.any():
        geoms[full] = min_max_ring(
            lo[full], la[full], mn[full], mx[full], tolerance_m=tolerance_m, geod=g
        ).geometry
    part = ~full & np.isfinite(lo) & np.isfinite(la)
    if part.any():
        geoms[part] = _fans(
            lo[part],
            la[part],
            start[part],
            width[part],
            mn[part],
            mx[part],
            tolerance_m,
            g,
        )
    return FeatureTable(cols, geoms)


def _fans(
    lo: FloatArray,
    la: FloatArray,
    start: FloatArray,
    width: FloatArray,
    mn: FloatArray,
    mx: FloatArray,
    tolerance_m: Optional[float],
    g: pyproj.Geod,
) -> ObjectArray:
    # vertices of the full circle, as for a geodesic buffer of the outer radius
    t = tolerances(tolerance_m, mx)
    n_full = int(vertex_count(mx, t, g, lonlat_chord(la, mx, t, g)).max())
    n_arc = max(int(np.ceil(n_full * float(width.max()) / 360.0)), 2)
    # the straight sides are geodesics too: give them vertices at about the
    # spacing of the arc, so that they do not cut corners near the poles
    spacing = 2.0 * np.pi * float(mx.max()) / n_full
    n_rad = int(np.clip(np.ceil(float((mx - mn).max()) / spacing), 1, 512))
    m = len(lo)
    frac = np.linspace(0.0, 1.0, n_arc + 1)
    arc = start[:, None] + width[:, None] * frac[None, :]  # (m, n_arc+1)
    steps = mn[:, None] + (mx - mn)[:, None] * np.linspace(0.0, 1.0, n_rad + 1)
    a_from = np.repeat(start[:, None], n_rad, 1)
    a_to = np.repeat(arc[:, -1:], n_rad, 1)
    # side up (min -> max, azimuth_from), outer arc, side down, inner arc back
    az_all = np.concatenate([a_from, arc, a_to, arc[:, -2:0:-1]], axis=1)
    dist = np.concatenate(
        [
            steps[:, :-1],
            np.repeat(mx[:, None], n_arc + 1, 1),
            steps[:, -2::-1],
            np.repeat(mn[:, None], n_arc - 1, 1),
        ],
        axis=1,
    )
    k = az_all.shape[1]
    lo2, la2, _ = fwd(
        g, np.zeros(m * k), np.repeat(la, k), az_all.ravel(), dist.ravel()
    )
    dlon = wrap_lon(lo2.reshape(m, k))
    vlat = la2.reshape(m, k)
    dn, ds = _pole_distances(la, g)

    def in_az(target: float) -> BoolArray:
        return np.mod(target - start, 360.0) <= width

    north = (dn >= mn) & (dn <= mx) & in_az(0.0)
    south = (ds >= mn) & (ds <= mx) & in_az(180.0)
    if (north & south).any():
        i = int(np.flatnonzero(north & south)[0])
        raise GeometryError(f"fan {i} contains both poles; split it into narrower fans")
    out = np.empty(m, dtype=object)
    has_inner = mn > _MIN_RANGE
    if has_inner.any():
        s = has_inner
        out[s] = _loops_to_polygons(lo[s], dlon[s], vlat[s], g)
    if (~has_inner).any():
        # a fan from the centre stops before the side down reaches the centre again
        s, k0 = ~has_inner, 2 * n_rad + n_arc
        out[s] = _loops_to_polygons(lo[s], dlon[s, :k0], vlat[s, :k0], g)
    return out


def radial_lines(
    lon: ArrayLike,
    lat: ArrayLike,
    bearings: ArrayLike,
    length_m: LengthLike,
    *,
    start_m: float = 0.0,
    max_segment_m: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> FeatureTable:
    """Geodesic radial lines ("spokes") from each centre along given bearings.

    Parameters
    ----------
    lon, lat : float or array_like
        Centre(s), degrees.
    bearings : float or sequence of float
        Degrees clockwise from true north, the same for every centre; wrapped to
        [0, 360).
    length_m : float
        Where each line ends, meters from the centre.
    start_m : float
        Where each line starts, meters from the centre (default 0).
    max_segment_m : float, optional
        Vertex spacing along the geodesic, meters (default: 1/64 of the length).
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    FeatureTable
        One row per (centre, bearing): ``site``, ``bearing`` (degrees),
        ``start_m``, ``length_m``, ``label`` (e.g. ``"045°"``) and a
        (Multi)LineString ``geometry`` whose vertices lie on the geodesic.

    Examples
    --------
    >>> spokes = radial_lines(40.9, 34.45, [0, 90, 450], 50_000)
    >>> spokes["label"].tolist()
    ['000°', '090°', '090°']
    >>> round(spokes.geometry[1].coords[-1][1], 2)
    34.45
    """
    g = get_geod(geod, ellps)
    lo, la = _centres(lon, lat)
    b = np.mod(np.asarray(bearings, dtype=float).reshape(-1), 360.0)
    length = float(as_meters(length_m, "length_m")[0])
    start = float(as_meters(start_m, "start_m")[0]) if start_m else 0.0
    check_radii(np.array([length]), g, "length_m")
    if not 0.0 <= start < length:
        raise GeometryError(
            f"start_m must be in [0, length_m); got start_m={start!r}, length_m={length!r}"
        )
    m, k = len(lo), len(b)
    cols = {
        "site": np.repeat(np.arange(m), k),
        "bearing": np.tile(b, m),
        "start_m": np.full(m * k, start),
        "length_m": np.full(m * k, length),
        "label": np.tile(
            np.array([f"{round(x) % 360:03d}°" for x in b], dtype=object), m
        ),
    }
    geoms = np.empty(m * k, dtype=object)
    if m * k == 0:
        return FeatureTable(cols, geoms)
    step = max_segment_m if max_segment_m else (length - start) / 64.0
    npts = int(np.clip(np.ceil((length - start) / step), 1, 10_000)) + 1
    d = np.linspace(start, length, npts)
    rows = m * k
    lo2, la2, _ = g.fwd(
        np.zeros(rows * npts),
        np.repeat(np.repeat(la, k), npts),
        np.repeat(np.tile(b, m), npts),
        np.tile(d, rows),
    )
    lo2 = wrap_lon(np.asarray(lo2, dtype=float).reshape(rows, npts))
    vlat = np.asarray(la2, dtype=float).reshape(rows, npts)
    ok = np.repeat(np.isfinite(lo) & np.isfinite(la), k)
    if ok.any():
        geoms[ok] = _lines(np.repeat(lo, k)[ok], lo2[ok], vlat[ok], g)
    return FeatureTable(cols, geoms)
