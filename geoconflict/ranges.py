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
vertex of every ring, and shapely builds all polygons in one call.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

import numpy as np
import pyproj
import shapely

from ._arrays import as_float_arrays, check_lonlat
from .errors import GeometryError
from .geodesy import get_geod, wrap_lon
from .units import format_length, parse_length

__all__ = [
    "FeatureTable",
    "half_circumference",
    "min_max_ring",
    "radial_lines",
    "range_fan",
    "range_rings",
]

_MIN_VERTICES = 16
_MAX_VERTICES = 4096
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

    def __init__(self, columns: dict, geometry: Any) -> None:
        geoms = np.asarray(geometry, dtype=object).reshape(-1)
        cols = {}
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

    def keys(self) -> list:
        """Column names, ``"geometry"`` last."""
        return [*self._columns, "geometry"]

    @property
    def columns(self) -> dict:
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

    def take(self, indices: Any) -> FeatureTable:
        """Rows at `indices` (an integer array or a boolean mask)."""
        idx = np.asarray(indices)
        return FeatureTable(
            {k: v[idx] for k, v in self._columns.items()}, self.geometry[idx]
        )

    def to_dict(self) -> dict:
        """Columns and geometry as a plain dict of ndarrays."""
        return {**self._columns, "geometry": self.geometry}

    @property
    def __geo_interface__(self) -> dict:
        """GeoJSON FeatureCollection (lon/lat, RFC 7946 order)."""
        feats = []
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

    def to_geojson(self, path: Any = None, **kwargs: Any) -> str:
        """RFC 7946 GeoJSON text of the table (written to `path` if given).

        Uses :mod:`geoconflict.io.geojson` (right-hand rule, antimeridian cut);
        keyword arguments go to :func:`geoconflict.io.geojson.dumps`.

        Examples
        --------
        >>> import json
        >>> fc = json.loads(range_rings(40.9, 34.45, [1000]).to_geojson())
        >>> fc["features"][0]["properties"]["label"]
        '1 km'
        """
        from .io import geojson

        text = geojson.dumps(self.geometry, properties=self.columns, **kwargs)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def to_geodataframe(self, crs: Any = None, index: Any = None):
        """Return a :class:`geopandas.GeoDataFrame` (needs geopandas).

        Parameters
        ----------
        crs : CRS-like, optional
            Reproject the result to this CRS; it stays in EPSG:4326 by default.
        index : array_like, optional
            Index for the rows.
        """
        from ._compat import import_optional_dependency

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


@lru_cache(maxsize=8)
def _half_circumference_af(a: float, f: float) -> float:
    return float(pyproj.Geod(a=a, f=f).inv(0.0, 90.0, 0.0, -90.0)[2])


def _half_circumference(geod: pyproj.Geod) -> float:
    return _half_circumference_af(float(geod.a), float(geod.f))


def half_circumference(*, geod: Optional[pyproj.Geod] = None, ellps=None) -> float:
    """Pole-to-pole geodesic distance in meters: the largest radius a ring may have.

    Examples
    --------
    >>> round(half_circumference())
    20003931
    """
    return _half_circumference(get_geod(geod, ellps))


def _as_meters(values: Any, name: str) -> np.ndarray:
    """Radii as a 1-D float array; strings such as ``"100 km"`` are parsed."""
    if isinstance(values, str):
        values = [values]
    arr = np.asarray(values, dtype=object).reshape(-1)
    if arr.size and any(isinstance(v, str) for v in arr):
        arr = np.array(
            [parse_length(v) if isinstance(v, str) else float(v) for v in arr]
        )
    return arr.astype(np.float64)


def _check_radii(radii: np.ndarray, geod: pyproj.Geod, name: str = "radii_m") -> None:
    if not radii.size:
        return
    half = _half_circumference(geod)
    bad = ~np.isfinite(radii) | (radii <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"{name}[{i}] = {float(radii[i])!r}: radii must be positive, finite meters; "
            "use min_max_ring() for an annulus starting at a minimum range."
        )
    if (radii > half).any():
        i = int(np.flatnonzero(radii > half)[0])
        raise GeometryError(
            f"{name}[{i}] = {float(radii[i])!r} m is more than half the Earth's "
            f"circumference ({half:.0f} m): a ring that large would wrap around the "
            "globe. Check the unit (meters, not km?)."
        )


def _check_increasing(radii: np.ndarray, name: str = "radii_m") -> None:
    if radii.size > 1:
        steps = np.diff(radii)
        if (steps <= 0).any():
            i = int(np.flatnonzero(steps <= 0)[0]) + 1
            raise GeometryError(
                f"{name} must be strictly increasing; {name}[{i}] = {float(radii[i])!r} "
                f"follows {float(radii[i - 1])!r}. Sort them, e.g. sorted(set(radii))."
            )


def _n_vertices(
    r_max: float, tolerance_m: Optional[float], lat: Optional[np.ndarray] = None
) -> int:
    """Vertices per full circle so that edges stay within tolerance of the circle.

    Two readings of an edge are bounded: the geodesic between the vertices
    (sagitta ``r (1 - cos(pi / n))``) and, given the centres' latitudes, the
    straight line in lon/lat that most GIS draw (its departure from the geodesic
    grows like ``L**2 tan(lat) / (8 R)`` for an edge of length L).
    """
    if tolerance_m is None:
        tolerance_m = max(r_max * 1e-3, 1.0)
    if not np.isfinite(tolerance_m) or tolerance_m <= 0:
        raise GeometryError(
            f"tolerance_m must be a positive number of meters, got {tolerance_m!r}"
        )
    if r_max <= 0 or not np.isfinite(r_max):
        return _MIN_VERTICES
    ratio = min(tolerance_m / r_max, 1.0)
    n = np.pi / np.arccos(1.0 - ratio) if ratio < 1 else _MIN_VERTICES
    if lat is not None and np.size(lat) and np.isfinite(lat).any():
        reach_deg = np.degrees(r_max / 6_371_000.0)
        phi = np.radians(min(float(np.nanmax(np.abs(lat))) + reach_deg, 89.9))
        n_ll = (
            2.0
            * np.pi
            * r_max
            * np.sqrt(np.tan(phi) / (8.0 * 6_371_000.0 * tolerance_m))
        )
        n = max(n, n_ll)
    n = int(np.ceil(n / 4.0) * 4)
    return int(np.clip(n, _MIN_VERTICES, _MAX_VERTICES))


def _centres(lon: Any, lat: Any) -> tuple:
    (lo, la), _ = as_float_arrays(lon, lat, names=("lon", "lat"))
    lo, la = lo.reshape(-1), la.reshape(-1)
    check_lonlat(lo, la, what="centre")
    return lo, la


# --------------------------------------------------------------------------- geometry


def _pole_distances(lat: np.ndarray, geod: pyproj.Geod) -> tuple:
    """Geodesic distances from latitudes to the north and the south pole, meters."""
    zeros = np.zeros_like(lat)
    _, _, dn = geod.inv(zeros, lat, zeros, np.full_like(lat, 90.0))
    _, _, ds = geod.inv(zeros, lat, zeros, np.full_like(lat, -90.0))
    return np.asarray(dn, dtype=float), np.asarray(ds, dtype=float)


def _unwrap(dlon: np.ndarray) -> np.ndarray:
    """Make longitudes continuous along axis 1 (steps taken the short way)."""
    steps = np.diff(dlon, axis=1)
    jump = np.abs(steps) > 180.0
    if not jump.any():
        return dlon
    steps[jump] -= 360.0 * np.rint(steps[jump] / 360.0)
    return np.concatenate([dlon[:, :1], dlon[:, :1] + np.cumsum(steps, axis=1)], axis=1)


def _circle_dlon_lat(
    lat: np.ndarray, radius: np.ndarray, n: int, geod: pyproj.Geod
) -> tuple:
    """Vertices of geodesic circles relative to the centre meridian.

    Returns ``(dlon, lat)`` arrays of shape (m, n), clockwise from azimuth 0,
    longitudes continuous along each row.  Only azimuths 0..180 are computed: a
    geodesic circle is symmetric about its centre's meridian.
    """
    m = len(lat)
    half = n // 2
    az = np.linspace(0.0, 180.0, half + 1)
    lo2, la2, _ = geod.fwd(
        np.zeros(m * (half + 1)),
        np.repeat(lat, half + 1),
        np.tile(az, m),
        np.repeat(radius, half + 1),
    )
    lo2 = np.asarray(lo2, dtype=float).reshape(m, half + 1)
    la2 = np.asarray(la2, dtype=float).reshape(m, half + 1)
    # mirror image west of the meridian: azimuth 360 - a has longitude -dlon
    dlon = _unwrap(np.concatenate([lo2, -lo2[:, -2:0:-1]], axis=1))
    lat_out = np.concatenate([la2, la2[:, -2:0:-1]], axis=1)
    return dlon, lat_out


_WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)
_BOXES = [
    (shift, shapely.box(-180.0 + shift, -90.0, 180.0 + shift, 90.0))
    for shift in (-360.0, 0.0, 360.0)
]


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Repair the (rare) invalid loops, e.g. tiny rings around an antipode."""
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms = geoms.copy()
        geoms[bad] = shapely.make_valid(geoms[bad])
    return geoms


def _split_lon(geoms: np.ndarray) -> np.ndarray:
    """Cut geometries with longitudes in [-540, 540] into pieces within ±180."""
    out = None
    for shift, box in _BOXES:
        piece = shapely.intersection(geoms, box)
        if shift:
            piece = shapely.transform(piece, lambda c, s=shift: c - np.array([s, 0.0]))
        out = piece if out is None else shapely.union(out, piece)
    return _keep_dimension(out, 2 if (shapely.get_dimensions(geoms) == 2).any() else 1)


def _keep_dimension(geoms: np.ndarray, dim: int) -> np.ndarray:
    """Drop the lower-dimensional debris (lines, points) of overlay results."""
    mixed = np.flatnonzero(shapely.get_type_id(geoms) == 7)  # GeometryCollection
    if not len(mixed):
        return geoms
    geoms = geoms.copy()
    parts, idx = shapely.get_parts(geoms[mixed], return_index=True)
    parts, sub = shapely.get_parts(parts, return_index=True)  # flatten Multi*
    idx = idx[sub]
    keep = shapely.get_dimensions(parts) == dim
    make = shapely.multipolygons if dim == 2 else shapely.multilinestrings
    res = np.empty(len(mixed), dtype=object)
    counts = np.bincount(idx[keep], minlength=len(mixed))
    if keep.any():
        res[counts > 0] = make(
            parts[keep], indices=np.searchsorted(np.flatnonzero(counts > 0), idx[keep])
        )
    single = counts == 1
    res[single] = shapely.get_geometry(res[single], 0)
    empty = shapely.from_wkt("POLYGON EMPTY" if dim == 2 else "LINESTRING EMPTY")
    res[counts == 0] = empty
    geoms[mixed] = res
    return geoms


def _loops_to_geoms(
    lon: np.ndarray,
    lat: np.ndarray,
    pole: np.ndarray,
    kind: str,
) -> np.ndarray:
    """Turn closed vertex loops into valid lon/lat polygons or lines.

    Parameters
    ----------
    lon, lat : ndarray, shape (m, k)
        Vertex loops (not repeated at the end), longitudes continuous along rows.
    pole : ndarray of int, shape (m,)
        0 no pole inside, +1 north pole inside, -1 south pole inside,
        2 both poles inside (the region is the complement of the loop).
    kind : {"polygon", "line"}
    """
    m = lon.shape[0]
    out = np.empty(m, dtype=object)
    if m == 0:
        return out
    closing = wrap_lon(lon[:, 0] - lon[:, -1])
    winding = np.round((lon[:, -1] + closing - lon[:, 0]) / 360.0)
    end_lon = lon[:, 0] + 360.0 * winding  # exact, so that the cut pieces match
    one_pole = (pole == 1) | (pole == -1)
    inside = (lon.min(axis=1) >= -180.0) & (lon.max(axis=1) <= 180.0)
    simple = (pole == 0) & inside
    if kind == "line":
        coords = np.concatenate(
            [
                np.stack([lon, lat], axis=-1),
                np.stack([end_lon, lat[:, 0]], -1)[:, None],
            ],
            axis=1,
        )
        lines = shapely.linestrings(coords)
        out[simple] = lines[simple]
        rest = ~simple
        if rest.any():
            out[rest] = shapely.line_merge(_split_lon(lines[rest]))
        return out
    coords = np.stack([lon, lat], axis=-1)
    if simple.any():
        out[simple] = shapely.polygons(coords[simple])
    plain = (pole == 0) & ~inside
    if plain.any():
        out[plain] = _split_lon(_valid(shapely.polygons(coords[plain])))
    if one_pole.any():
        sel = one_pole
        plat = np.where(pole[sel] > 0, 90.0, -90.0)
        e = end_lon[sel]
        s = lon[sel, 0]
        extra = np.stack(
            [
                np.stack([e, lat[sel, 0]], axis=-1),
                np.stack([e, plat], axis=-1),
                np.stack([s, plat], axis=-1),
            ],
            axis=1,
        )
        c = np.concatenate([coords[sel], extra], axis=1)
        # shift so that the 360 degree span starts within [-180, 180)
        base = np.minimum(c[..., 0].min(axis=1), c[..., 0].max(axis=1) - 360.0)
        c[..., 0] -= (np.floor((base + 180.0) / 360.0) * 360.0)[:, None]
        polys = _split_lon(_valid(shapely.polygons(c)))
        out[sel] = polys
        if (winding[sel] == 0).any():  # pragma: no cover - defensive
            raise GeometryError("internal error: a pole-containing ring does not wind")
    both = pole == 2
    if both.any():
        c = coords[both].copy()
        base = c[..., 0].min(axis=1)
        c[..., 0] -= (np.floor((base + 180.0) / 360.0) * 360.0)[:, None]
        hole = _split_lon(_valid(shapely.polygons(c)))
        out[both] = shapely.difference(_WORLD, hole)
    complex_ = np.flatnonzero(~simple)
    if len(complex_):
        bad = complex_[~shapely.is_valid(out[complex_])]
        if len(bad):
            out[bad] = shapely.make_valid(out[bad])
    return out


class _Vertices:
    """Vertex loops of geodesic circles with their pole/antimeridian status."""

    def __init__(self, lon, lat, radius, n, geod):
        m = len(lon)
        self.ok = np.isfinite(lon) & np.isfinite(lat) & np.isfinite(radius)
        self.lon = np.full((m, n), np.nan)
        self.lat = np.full((m, n), np.nan)
        self.pole = np.zeros(m, dtype=np.int64)
        ok = self.ok
        if ok.any():
            lo, la, r = lon[ok], lat[ok], radius[ok]
            dlon, vlat = _circle_dlon_lat(la, r, n, geod)
            self.lon[ok] = dlon + wrap_lon(lo)[:, None]
            self.lat[ok] = vlat
            dn, ds = _pole_distances(la, geod)
            north, south = r > dn, r > ds
            self.pole[ok] = np.where(
                north & south, 2, np.where(north, 1, np.where(south, -1, 0))
            )
        with np.errstate(invalid="ignore"):
            inside = (self.lon.min(axis=1) >= -180.0) & (self.lon.max(axis=1) <= 180.0)
        self.simple = ok & inside & (self.pole == 0)

    def geoms(self, rows, kind="polygon"):
        """Polygons or lines for the given rows (``None`` where the centre is NaN)."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty(len(rows), dtype=object)
        ok = self.ok[rows]
        if ok.any():
            r = rows[ok]
            out[ok] = _loops_to_geoms(self.lon[r], self.lat[r], self.pole[r], kind)
        return out

    def annuli(self, rows, inner, holes=None):
        """Polygons for `rows`, minus the circle of row ``inner[i]`` where >= 0.

        The hole circles are rows of `holes` (another :class:`_Vertices`, which
        may have another vertex count), or of this one by default.

        Rings of ordinary circles are built directly from the vertex arrays
        (exterior counter-clockwise, hole clockwise, as RFC 7946 asks); circles
        that cross the antimeridian or contain a pole go through shapely overlays.
        """
        rows = np.asarray(rows, dtype=np.int64)
        inner = np.asarray(inner, dtype=np.int64)
        out = np.empty(len(rows), dtype=object)
        hv = self if holes is None else holes
        has_in = inner >= 0
        in_simple = np.where(has_in, hv.simple[np.maximum(inner, 0)], True)
        ok = self.ok[rows]
        fast = ok & self.simple[rows] & in_simple
        n = self.lon.shape[1]
        nh = hv.lon.shape[1]
        for with_hole in (False, True):
            sel = fast & (has_in == with_hole)
            if not sel.any():
                continue
            k = int(sel.sum())
            n_rings = 2 if with_hole else 1
            per = n + 1 + (nh + 1 if with_hole else 0)
            coords = np.empty((k, per, 2))
            r = rows[sel]
            # clockwise vertices reversed -> counter-clockwise exterior, closed
            coords[:, :n, 0] = self.lon[r, ::-1]
            coords[:, :n, 1] = self.lat[r, ::-1]
            coords[:, n] = coords[:, 0]
            if with_hole:
                h = inner[sel]
                coords[:, n + 1 : n + 1 + nh, 0] = hv.lon[h]
                coords[:, n + 1 : n + 1 + nh, 1] = hv.lat[h]
                coords[:, n + 1 + nh] = coords[:, n + 1]
            coords = coords.reshape(-1, 2)
            starts = (np.arange(k, dtype=np.int64) * per)[:, None]
            starts = starts + np.array([0, n + 1][:n_rings], dtype=np.int64)
            ring_off = np.append(starts.ravel(), k * per)
            poly_off = np.arange(k + 1, dtype=np.int64) * n_rings
            out[sel] = shapely.from_ragged_array(
                shapely.GeometryType.POLYGON, coords, (ring_off, poly_off)
            )
        slow = ok & ~fast
        if slow.any():
            shells = self.geoms(rows[slow])
            holes = np.empty(int(slow.sum()), dtype=object)
            hs = has_in[slow]
            if hs.any():
                holes[hs] = hv.geoms(inner[slow][hs])
            res = shells.copy()
            if hs.any():
                res[hs] = shapely.difference(shells[hs], holes[hs])
            out[slow] = _orient(res)
        return out


def _orient(geoms: np.ndarray) -> np.ndarray:
    """Exterior rings counter-clockwise, holes clockwise (shapely >= 2.1)."""
    fn = getattr(shapely, "orient_polygons", None)
    return fn(geoms) if fn is not None else geoms


def _labels(meters: np.ndarray, unit: Optional[str]) -> np.ndarray:
    uniq, inv = np.unique(meters, return_inverse=True)
    text = np.array(
        [format_length(v, unit) if np.isfinite(v) else "" for v in uniq], dtype=object
    )
    return text[inv.reshape(-1)] if len(meters) else np.array([], dtype=object)


# --------------------------------------------------------------------------- public


def range_rings(
    lon,
    lat,
    radii_m,
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
        ``"100 km"``); each at most half the Earth's circumference.
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
        Earth's circumference.
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
    radii = _as_meters(radii_m, "radii_m")
    _check_radii(radii, g)
    _check_increasing(radii)
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
    # one vertex count per radius: the tolerance is absolute (default 0.1 % of
    # the largest radius), so the small rings need fewer vertices
    tol = (
        tolerance_m if tolerance_m is not None else max(float(radii.max()) * 1e-3, 1.0)
    )
    n_of = np.array([_n_vertices(float(r), tol, la) for r in radii])
    verts = {}
    for n in np.unique(n_of):
        js = np.flatnonzero(n_of == n)
        verts[int(n)] = (
            _Vertices(
                np.repeat(lo, len(js)),
                np.repeat(la, len(js)),
                np.tile(radii[js], m),
                int(n),
                g,
            ),
            {int(j): i for i, j in enumerate(js)},
            len(js),
        )

    def rows_of(j):
        v, pos, kk = verts[int(n_of[j])]
        return v, np.arange(m) * kk + pos[j]

    geoms = np.empty(m * k, dtype=object)
    for j in range(k):
        v, rows = rows_of(j)
        out_idx = np.arange(m) * k + j
        if kind == "line":
            geoms[out_idx] = v.geoms(rows, "line")
        elif kind == "band" and j > 0:
            hv, hrows = rows_of(j - 1)
            geoms[out_idx] = v.annuli(rows, hrows, holes=hv)
        else:
            geoms[out_idx] = v.annuli(rows, np.full(m, -1))
    return FeatureTable(cols, geoms)


def min_max_ring(
    lon,
    lat,
    min_m,
    max_m,
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
    mn = _as_meters(min_m, "min_m")
    mx = _as_meters(max_m, "max_m")
    try:
        mn, mx, lo, la = np.broadcast_arrays(mn, mx, lo, la)
    except ValueError:
        raise GeometryError(
            f"min_m ({mn.size}), max_m ({mx.size}) and the centres ({lo.size}) must "
            "have the same length, or be single values"
        ) from None
    _check_radii(mx, g, "max_m")
    if ((mn < 0) | ~np.isfinite(mn)).any():
        i = int(np.flatnonzero((mn < 0) | ~np.isfinite(mn))[0])
        raise GeometryError(
            f"min_m[{i}] = {float(mn[i])!r}: give 0 or a positive distance"
        )
    if (mn >= mx).any():
        i = int(np.flatnonzero(mn >= mx)[0])
        raise GeometryError(
            f"min_m[{i}] = {float(mn[i])!r} is not smaller than max_m[{i}] = {float(mx[i])!r}"
        )
    label = np.array([_range_label(a, b, unit) for a, b in zip(mn, mx)], dtype=object)
    cols = {
        "site": np.arange(len(lo)),
        "inner_m": mn.astype(float),
        "outer_m": mx.astype(float),
        "label": label,
    }
    if not len(lo):
        return FeatureTable(cols, np.empty(0, dtype=object))
    n = _n_vertices(float(mx.max()), tolerance_m, la)
    pos = np.flatnonzero(mn > _MIN_RANGE)
    vert = _Vertices(
        np.concatenate([lo, lo[pos]]),
        np.concatenate([la, la[pos]]),
        np.concatenate([mx, mn[pos]]),
        n,
        g,
    )
    inner = np.full(len(lo), -1, dtype=np.int64)
    inner[pos] = len(lo) + np.arange(len(pos))
    return FeatureTable(cols, vert.annuli(np.arange(len(lo)), inner))


def _range_label(a: float, b: float, unit: Optional[str]) -> str:
    if a <= 0:
        return format_length(b, unit)
    u = unit or ("km" if b >= 1000 else "m")
    lo_txt = format_length(a, u).rsplit(" ", 1)[0]
    return f"{lo_txt}–{format_length(b, u)}"


def range_fan(
    lon,
    lat,
    azimuth_from,
    azimuth_to,
    min_m,
    max_m,
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
        or too large ranges, or a fan containing both poles.

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
    mn = _as_meters(min_m, "min_m")
    mx = _as_meters(max_m, "max_m")
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
    _check_radii(mx, g, "max_m")
    if ((mn < 0) | ~np.isfinite(mn)).any() or (mn >= mx).any():
        i = int(np.flatnonzero((mn < 0) | ~np.isfinite(mn) | (mn >= mx))[0])
        raise GeometryError(
            f"fan {i}: need 0 <= min_m < max_m, got min_m={float(mn[i])!r}, max_m={float(mx[i])!r}"
        )
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
            [_range_label(a, b, unit) for a, b in zip(mn, mx)], dtype=object
        ),
    }
    geoms = np.empty(len(lo), dtype=object)
    if not len(lo):
        return FeatureTable(cols, geoms)
    full = width >= 360.0
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


def _fans(lo, la, start, width, mn, mx, tolerance_m, g):
    n_full = _n_vertices(float(mx.max()), tolerance_m, la)
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
    lo2, la2, _ = g.fwd(np.zeros(m * k), np.repeat(la, k), az_all.ravel(), dist.ravel())
    dlon = _unwrap(np.asarray(lo2, dtype=float).reshape(m, k))
    vlat = np.asarray(la2, dtype=float).reshape(m, k)
    vlon = dlon + wrap_lon(lo)[:, None]
    has_inner = mn > _MIN_RANGE
    # a fan from the centre stops before the side down reaches the centre again
    k0 = 2 * n_rad + n_arc
    dn, ds = _pole_distances(la, g)
    in_az = lambda target: np.mod(target - start, 360.0) <= width  # noqa: E731
    north = (dn >= mn) & (dn <= mx) & in_az(0.0)
    south = (ds >= mn) & (ds <= mx) & in_az(180.0)
    if (north & south).any():
        i = int(np.flatnonzero(north & south)[0])
        raise GeometryError(f"fan {i} contains both poles; split it into narrower fans")
    pole = np.where(north, 1, np.where(south, -1, 0))
    out = np.empty(m, dtype=object)
    # drop duplicated centre vertices for fans from the centre (ragged -> 2 groups)
    if has_inner.any():
        out[has_inner] = _loops_to_geoms(
            vlon[has_inner], vlat[has_inner], pole[has_inner], "polygon"
        )
    if (~has_inner).any():
        s = ~has_inner
        out[s] = _loops_to_geoms(vlon[s, :k0], vlat[s, :k0], pole[s], "polygon")
    return out


def radial_lines(
    lon,
    lat,
    bearings,
    length_m,
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
    length = float(_as_meters(length_m, "length_m")[0])
    start = float(_as_meters(start_m, "start_m")[0]) if start_m else 0.0
    _check_radii(np.array([length]), g, "length_m")
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
    dlon = _unwrap(np.asarray(lo2, dtype=float).reshape(rows, npts))
    vlon = dlon + np.repeat(wrap_lon(lo), k)[:, None]
    vlat = np.asarray(la2, dtype=float).reshape(rows, npts)
    lines = shapely.linestrings(np.stack([vlon, vlat], axis=-1))
    ok = np.repeat(np.isfinite(lo) & np.isfinite(la), k)
    inside = (vlon.min(axis=1) >= -180) & (vlon.max(axis=1) <= 180)
    geoms[ok & inside] = lines[ok & inside]
    cut = ok & ~inside
    if cut.any():
        geoms[cut] = shapely.line_merge(_split_lon(lines[cut]))
    return FeatureTable(cols, geoms)
