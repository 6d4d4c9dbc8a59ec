"""The layers a map reads: the bundled boundaries, clipped to the view, and the credit lines.

Boundaries come from :mod:`geoconflict.geography.borders` (Natural Earth,
lon/lat degrees WGS84) as ``(name, code, geometry)`` records, read once per
process.
"""

from __future__ import annotations

import functools
from typing import Optional

import numpy as np
import shapely

from geoconflict.geography import boundaries
from geoconflict.maps.spec import MapSpec

__all__ = [
    "EVENT_DATASETS",
    "PLACE_DATASETS",
    "boundary_layers",
    "clip_world",
    "event_sources",
    "map_credits",
    "thinned",
]


@functools.cache
def _countries() -> tuple:
    return tuple(
        (c.name or "", c.iso3 or "", c.geometry) for c in boundaries.countries()
    )


@functools.cache
def _disputed() -> tuple:
    return tuple((a.name or "", "", a.geometry) for a in boundaries.disputed_areas())


@functools.cache
def _provinces(country: str) -> tuple:
    return tuple(
        (p.name or "", p.code or "", p.geometry) for p in boundaries.provinces(country)
    )


@functools.cache
def _thinned(kind: str, code: str, level: int) -> tuple:
    """Return the records of a layer simplified at 2**level degrees (cached: each level is computed once)."""
    recs = (
        _provinces(code)
        if kind == "provinces"
        else {"countries": _countries, "disputed": _disputed}[kind]()
    )
    if not recs:
        return ()
    geoms = np.asarray([r[2] for r in recs], dtype=object)
    thin = shapely.simplify(geoms, 2.0**level, preserve_topology=True)
    return tuple((r[0], r[1], g) for r, g in zip(recs, thin))


def thinned(kind: str, tol_m: float = 0.0, code: str = "") -> list:
    """Return a boundary layer's records simplified below `tol_m` meters (the full detail when 0).

    `kind` is "countries", "disputed" or "provinces" (of country `code`).  The
    tolerance is rounded down to a power of two degrees (of latitude, never
    longer than a degree of longitude), so maps drawn at about the same scale
    share one cached simplification.
    """
    if tol_m <= 0:
        return list(
            _provinces(code)
            if kind == "provinces"
            else {"countries": _countries, "disputed": _disputed}[kind]()
        )
    level = int(np.floor(np.log2(tol_m / 111_320.0)))
    return list(_thinned(kind, code, level))


def boundary_layers(
    spec: MapSpec, bbox_ll: Optional[tuple] = None, tol_m: float = 0.0
) -> dict:
    """Countries, provinces and disputed areas as ``(name, code, geometry)`` records.

    Only the layers `spec` asks for; provinces only of the countries that meet
    `bbox_ll` (west, south, east, north degrees); simplified below `tol_m`
    meters (see :func:`thinned`).
    """
    layers: dict = {}
    if spec.countries or spec.provinces:
        layers["countries"] = thinned("countries", tol_m)
    if spec.disputed:
        layers["disputed"] = thinned("disputed", tol_m)
    if spec.provinces and layers.get("countries"):
        codes = (
            [c for _, c, _ in clip_world(layers["countries"], bbox_ll)]
            if bbox_ll
            else []
        )
        provs = []
        for code in sorted(set(codes)):
            if code:
                provs.extend(thinned("provinces", tol_m, code))
        layers["provinces"] = provs
    if not spec.countries:
        layers.pop("countries", None)
    return layers


def clip_world(records: list, bbox_ll) -> list:
    """Clip boundary records to a lon/lat box (before projecting)."""
    if not records:
        return []
    box = shapely.box(*bbox_ll)
    geoms = np.asarray([r[2] for r in records], dtype=object)
    hit = np.flatnonzero(shapely.intersects(geoms, box))
    inside = shapely.within(geoms[hit], box)
    clipped = geoms[hit].copy()
    cut = ~inside
    clipped[cut] = shapely.intersection(geoms[hit][cut], box)  # one vectorized call
    return [(records[i][0], records[i][1], g) for i, g in zip(hit, clipped)]


#: place datasets a site's ``source`` may name (from resolving a place name): credited
#: as a dataset drawn, not as an event source
PLACE_DATASETS = {
    "geonames": "Places: GeoNames (CC BY 4.0)",
    "naturalearth": "Places: Natural Earth (public domain)",
}
#: event datasets, by the key of an event's ``external_ids``: credited as a source
EVENT_DATASETS = {
    "acled": "ACLED (Armed Conflict Location & Event Data, acleddata.com)",
    "ucdp": "UCDP GED (Uppsala Conflict Data Program, ucdp.uu.se)",
}
#: values of ``source`` that credit nobody (the user gave the point)
_NOT_A_SOURCE = {"given", "sites", "--site"}
#: how many event sources the map itself lists (all are in the file's metadata)
SOURCES_ON_MAP = 20


def _distinct(features: list, keys: tuple) -> list:
    """Distinct non-empty values of `keys` over `features`, in first-seen order."""
    seen: dict = {}
    for f in features:
        p = f.properties
        for k in keys:
            v = p.get(k)
            if v not in (None, ""):
                seen.setdefault(str(v), None)
    return list(seen)


def event_sources(spec: MapSpec) -> list:
    """Every event source of the map, in first-seen order: ``spec.sources``, then the sites' ``source(s)``.

    A ``source`` naming a place dataset (GeoNames, Natural Earth) or the
    user's own point is not an event source (see :data:`PLACE_DATASETS`).
    """
    out: dict = {}
    for v in [*spec.sources, *_distinct(spec.sites, ("source", "sources"))]:
        for s in str(v).split(";"):
            s = s.strip()
            if s and s.lower() not in PLACE_DATASETS and s.lower() not in _NOT_A_SOURCE:
                out.setdefault(s, None)
    return list(out)


def map_credits(spec: MapSpec, used: dict, *, full: bool = False) -> list:
    """Credit lines: the datasets drawn, every event source, extra credits, notes.

    Datasets: Natural Earth when its boundaries (or a border from it) are drawn,
    "© OpenStreetMap contributors" when an OSM line or zone is, GeoNames /
    Natural Earth places when a site was placed from them.  Event sources come
    from :func:`event_sources`; the map lists the first :data:`SOURCES_ON_MAP`
    and says how many more there are, `full` lists them all (file metadata).
    """
    texts = " ".join(
        _distinct(spec.sites, ("source", "sources", "method", "place_source"))
    ).lower()
    places = [line for key, line in PLACE_DATASETS.items() if key in texts]
    if "gazetteer" in texts and PLACE_DATASETS["geonames"] not in places:
        places.append(PLACE_DATASETS["geonames"])
    drawn = {str(v).lower() for v in _distinct(spec.lines + spec.zones, ("dataset",))}
    data = []
    if used.get("boundaries") or "ne" in drawn:
        data.append("Boundaries: Natural Earth (public domain)")
    if "osm" in drawn or used.get("osm"):
        data.append("Borders: © OpenStreetMap contributors (ODbL)")
    data.extend(places)
    data.append("Map: geoconflict, distances geodesic on WGS84")
    lines = [" · ".join(data)]
    sources = event_sources(spec)
    if sources:
        shown = sources if full else sources[:SOURCES_ON_MAP]
        more = len(sources) - len(shown)
        lines.append(
            "Sources: "
            + "; ".join(shown)
            + (f"; and {more} more (listed in the file's metadata)" if more else "")
        )
    lines.extend(spec.credits)
    lines.extend(spec.notes)
    return lines
