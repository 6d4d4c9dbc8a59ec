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

from geoconflict.geography import borders
from geoconflict.maps.spec import MapSpec

__all__ = ["boundary_layers", "clip_world", "map_credits"]


@functools.cache
def _countries() -> tuple:
    return tuple((c.name or "", c.iso3 or "", c.geometry) for c in borders.countries())


@functools.cache
def _disputed() -> tuple:
    return tuple((a.name or "", "", a.geometry) for a in borders.disputed_areas())


@functools.cache
def _provinces(country: str) -> tuple:
    return tuple(
        (p.name or "", p.code or "", p.geometry) for p in borders.provinces(country)
    )


def boundary_layers(spec: MapSpec, bbox_ll: Optional[tuple] = None) -> dict:
    """Countries, provinces and disputed areas as ``(name, code, geometry)`` records.

    Only the layers `spec` asks for; provinces only of the countries that meet
    `bbox_ll` (west, south, east, north degrees).
    """
    layers: dict = {}
    if spec.countries or spec.provinces:
        layers["countries"] = list(_countries())
    if spec.disputed:
        layers["disputed"] = list(_disputed())
    if spec.provinces and layers.get("countries"):
        codes = (
            [c for _, c, _ in clip_world(layers["countries"], bbox_ll)]
            if bbox_ll
            else []
        )
        provs = []
        for code in sorted(set(codes)):
            if code:
                provs.extend(_provinces(code))
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
    hit = shapely.intersects(geoms, box)
    out = []
    for (name, code, _), g, h in zip(records, geoms, hit):
        if h:
            out.append((name, code, shapely.intersection(g, box)))
    return out


def map_credits(spec: MapSpec, used: dict) -> list:
    """Credit lines: data (boundaries, places, OSM), event sources, extra credits, notes."""
    for f in spec.sites:
        text = " ".join(
            str(f.properties.get(k) or "") for k in ("source", "method", "place_source")
        )
        if "geonames" in text.lower() or "gazetteer" in text.lower():
            used["geonames"] = True
    for f in spec.lines + spec.zones:
        if str(f.properties.get("dataset") or "").lower() == "osm":
            used["osm"] = True
    data = []
    if used.get("boundaries"):
        data.append("Boundaries: Natural Earth (public domain)")
    if used.get("osm"):
        data.append("Border: © OpenStreetMap contributors (ODbL)")
    if used.get("geonames"):
        data.append("Places: GeoNames (CC BY 4.0)")
    data.append("Map: geoconflict, distances geodesic on WGS84")
    lines = [" · ".join(data)]
    sources = []
    for f in spec.sites:
        for key in ("source", "sources"):
            v = f.properties.get(key)
            if v:
                for s in str(v).split(";"):
                    s = s.strip()
                    if s and s not in sources and s != "given":
                        sources.append(s)
    if sources:
        lines.append(
            "Sources: " + "; ".join(sources[:8]) + ("; …" if len(sources) > 8 else "")
        )
    lines.extend(spec.credits)
    lines.extend(spec.notes)
    return lines
