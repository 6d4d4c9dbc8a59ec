"""Gazetteer look-up of places by name, across transliterations and Arabic script.

Sources shipped in ``data/boundaries/`` (see its PROVENANCE.md):

``"geonames"``
    GeoNames cities1000 for the Middle East (names, alternate names including
    Arabic, population, geonameid); CC BY 4.0, credit GeoNames.
``"naturalearth"``
    Natural Earth 10m populated places v4.0.0 (world), public domain.
``"sites"``
    Hand-curated facilities that gazetteers lack (garrisons, border crossings),
    each with a public source and a precision note.

Every candidate is returned, with its source: gazetteers disagree on positions
and populations, and the spread between candidates (meters) is part of the answer.
Coordinates are (lon, lat) in degrees WGS84; distances in meters.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import numpy as np

from geoconflict._names import closest, normalize, skeleton
from geoconflict.errors import BoundaryNotFoundError, DataFormatError
from geoconflict.geodesy.measurement import distance
from geoconflict.geography import datasets
from geoconflict.geography.boundaries import countries

__all__ = ["Place", "PlaceMatches", "lookup", "sites"]

SOURCES = ("geonames", "naturalearth", "sites")
# Order of candidates: curated sites, then GeoNames (surveyed-ish positions of the
# settlement), then Natural Earth (cartographic points); larger population first.
_RANK = {"sites": 0, "geonames": 1, "naturalearth": 2}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry.

    Attributes
    ----------
    name : str
        The source's main name.
    lon, lat : float
        Degrees WGS84.
    source : str
        ``"geonames"``, ``"naturalearth"`` or ``"sites"``.
    id : str
        Identifier within the source (GeoNames id, NE GEONAMEID or row name, site id).
    country : str or None
        ISO 3166-1 alpha-2 (GeoNames) or alpha-3 (Natural Earth, sites) code.
    population : int or None
        As given by the source (sources differ in year and definition).
    names : tuple of str
        Every name the source gives (alternate names, Arabic, ...).
    matched : str
        The name that matched the query.
    match : str
        ``"exact"`` (same normalised key) or ``"variant"`` (same consonant skeleton).
    precision_m : float or None
        Stated positional precision (curated sites), meters.
    note : str or None
        Source or precision note.
    """

    name: str
    lon: float
    lat: float
    source: str
    id: str
    country: Optional[str] = None
    population: Optional[int] = None
    names: tuple[str, ...] = field(default=(), repr=False)
    matched: str = ""
    match: str = "exact"
    precision_m: Optional[float] = None
    note: Optional[str] = field(default=None, repr=False)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        props = {
            "name": self.name,
            "source": self.source,
            "id": self.id,
            "country": self.country,
            "population": self.population,
            "match": self.match,
        }
        return {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": (self.lon, self.lat)},
        }


class PlaceMatches(tuple[Place, ...]):
    """The candidates for a name (a tuple of :class:`Place`), with their disagreement.

    Attributes
    ----------
    query : str
    spread_m : float
        Largest geodesic distance between two candidates, meters (0 for one).
    """

    query: str = ""

    def __new__(cls, places: Iterable[Place], query: str = "") -> PlaceMatches:
        """Build from an iterable of :class:`Place` and the query text."""
        obj = super().__new__(cls, places)
        obj.query = query
        return obj

    @property
    def spread_m(self) -> float:
        """Largest geodesic distance (meters, WGS84) between any two candidates."""
        if len(self) < 2:
            return 0.0
        lon = np.array([p.lon for p in self])
        lat = np.array([p.lat for p in self])
        i, j = np.triu_indices(len(self), 1)
        return float(np.max(distance(lon[i], lat[i], lon[j], lat[j])))

    @property
    def best(self) -> Place:
        """The first candidate: exact matches first, then curated sites, GeoNames, NE."""
        return self[0]

    def __repr__(self) -> str:
        return (
            f"PlaceMatches({self.query!r}, {len(self)} candidates, "
            f"spread {self.spread_m:.0f} m: {list(self)!r})"
        )


def _csv_rows(name: str) -> list[dict[str, str]]:
    text = datasets.read_text(name)
    return list(csv.DictReader(io.StringIO(text)))


def _num(value: str, name: str, row: int, column: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise DataFormatError(
            "not a number; fix the row or rebuild with scripts/build_boundaries.py",
            path=name,
            row=row,
            column=column,
            value=value,
        ) from None


@functools.cache
def _gazetteer() -> tuple[
    list[Place], dict[str, list[tuple[int, str]]], dict[str, list[tuple[int, str]]]
]:
    places: list[Place] = []
    fname = "geonames_cities1000_middle_east.csv.gz"
    for i, r in enumerate(_csv_rows(fname), 1):
        names = (r["name"], *[a for a in r["alternate_names"].split("|") if a])
        places.append(
            Place(
                name=r["name"],
                lon=_num(r["lon"], fname, i, "lon"),
                lat=_num(r["lat"], fname, i, "lat"),
                source="geonames",
                id=r["geonameid"],
                country=r["country_code"] or None,
                population=int(r["population"]) if r["population"] else None,
                names=tuple(dict.fromkeys(names)),
            )
        )
    by_gid = {p.id: p.names for p in places}
    fname = "ne_10m_populated_places.csv.gz"
    for i, r in enumerate(_csv_rows(fname), 1):
        own = [n for n in (r["name"], r["name_alt"], r["name_ascii"]) if n]
        # same GeoNames feature: the NE entry answers to GeoNames' names too
        names = tuple(dict.fromkeys([*own, *by_gid.get(r["geonameid"], ())]))
        places.append(
            Place(
                name=r["name"],
                lon=_num(r["lon"], fname, i, "lon"),
                lat=_num(r["lat"], fname, i, "lat"),
                source="naturalearth",
                id=r["geonameid"] or r["name"],
                country=r["adm0_a3"] or None,
                population=int(r["population"]) if r["population"] else None,
                names=names,
            )
        )
    places += list(sites())
    exact: dict[str, list[tuple[int, str]]] = {}
    loose: dict[str, list[tuple[int, str]]] = {}
    for k, p in enumerate(places):
        for n in p.names:
            exact.setdefault(normalize(n), []).append((k, n))
            loose.setdefault(skeleton(n), []).append((k, n))
    return places, exact, loose


@functools.cache
def sites() -> tuple[Place, ...]:
    """Return the curated sites (``sites.csv``) as :class:`Place` records.

    Each row carries a public source and a precision note; positions are
    approximate (``precision_m``), never surveyed.

    Examples
    --------
    >>> any(p.id == "al-tanf-garrison" for p in sites())
    True
    """
    out = []
    fname = "sites.csv"
    for i, r in enumerate(_csv_rows(fname), 1):
        names = tuple(
            dict.fromkeys(
                n.strip()
                for n in [r["name"], r["name_ar"], *r.get("aliases", "").split("|")]
                if n.strip()
            )
        )
        out.append(
            Place(
                name=r["name"],
                lon=_num(r["lon"], fname, i, "lon"),
                lat=_num(r["lat"], fname, i, "lat"),
                source="sites",
                id=r["site_id"],
                country=r["country"] or None,
                population=None,
                names=names,
                precision_m=_num(r["precision_m"], fname, i, "precision_m"),
                note=f"{r['kind']}; {r['precision_note']}; source: {r['source']} {r['source_url']}".strip(),
            )
        )
    return tuple(out)


def lookup(
    name: str, *, country: Optional[str] = None, sources: Iterable[str] = SOURCES
) -> PlaceMatches:
    """Find every gazetteer entry for a place name, across spellings and scripts.

    The name is normalised (case, diacritics, apostrophes, hyphens, the Arabic
    article "al-"/"ال"); matches on any name or alternate name of an entry
    (GeoNames alternate names include Arabic script).  If nothing matches exactly,
    transliteration variants with the same consonant skeleton are returned
    (``match="variant"``).

    Parameters
    ----------
    name : str
        ``"al-Bukamal"``, ``"Abu Kamal"``, ``"Būkamāl"``, ``"البوكمال"``, ``"Husaybah"``.
    country : str, optional
        Keep candidates of this country (ISO alpha-2 or alpha-3, e.g. ``"SY"``/``"SYR"``).
    sources : sequence of str
        Any of ``"geonames"``, ``"naturalearth"``, ``"sites"``.

    Returns
    -------
    PlaceMatches
        Tuple of :class:`Place` (lon/lat degrees): exact matches first, then
        curated sites, GeoNames, Natural Earth, larger population first; with
        ``spread_m`` (meters between the farthest candidates) and ``best``.

    Raises
    ------
    BoundaryNotFoundError
        No entry matches; the message suggests the closest names.

    Examples
    --------
    >>> m = lookup("al-Bukamal")
    >>> sorted({p.source for p in m})
    ['geonames', 'naturalearth']
    >>> m.best.id, m.spread_m < 5000
    ('174448', True)
    >>> lookup("Husaybah", country="IQ")[0].name
    'Al Qā’im'
    """
    places, exact, loose = _gazetteer()
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise BoundaryNotFoundError(
            f"unknown place sources {sorted(unknown)}; use {SOURCES}"
        )
    match = "exact"
    hits = exact.get(normalize(name), [])
    if not hits:
        hits = loose.get(skeleton(name), []) if len(skeleton(name)) >= 3 else []
        match = "variant"
    cc = None if country is None else str(country).upper()
    out: dict[int, Place] = {}
    for k, n in hits:
        p = places[k]
        if p.source not in sources or k in out:
            continue
        if cc and not _same_country(p.country, cc):
            continue
        out[k] = _with_match(p, n, match)
    if not out:
        keys = [n for ks in exact.values() for _, n in ks[:1]]
        close = closest(name, keys)
        where = f" in {country}" if country else ""
        raise BoundaryNotFoundError(
            f"no place named {name!r}{where} in {', '.join(sources)}. "
            f"Closest names: {', '.join(close) or 'none'}."
        )
    ordered = sorted(
        out.values(),
        key=lambda p: (p.match != "exact", _RANK[p.source], -(p.population or 0)),
    )
    return PlaceMatches(ordered, query=name)


def _with_match(p: Place, matched: str, match: str) -> Place:
    return replace(p, matched=matched, match=match)


@functools.cache
def _iso2_to_iso3() -> dict[str, str]:
    out: dict[str, str] = {}
    for c in countries():
        if c.iso2:
            out[c.iso2] = c.iso3
    return out


def _same_country(code: Optional[str], wanted: str) -> bool:
    if code is None:
        return False
    m = _iso2_to_iso3()
    # curated border crossings belong to both countries ("IRQ|SYR")
    return any(
        c == wanted or m.get(c, c) == m.get(wanted, wanted)
        for c in code.upper().split("|")
    )
