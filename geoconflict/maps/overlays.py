"""Overlays built from a few numbers: geodesic range rings and fans, and borders with their strips.

Every feature is in lon/lat degrees WGS84; distances in meters, azimuths
degrees clockwise from true north.
"""

from __future__ import annotations

import numpy as np

from geoconflict.errors import GeoconflictError
from geoconflict.geodesy.measurement import direct
from geoconflict.geodesy.ranges import range_fan, range_rings
from geoconflict.geography.borders import border, border_zone
from geoconflict.io.features import Feature
from geoconflict.units import format_length, parse_length

__all__ = ["border_features", "circle_lonlat", "ring_features"]


def circle_lonlat(lon: float, lat: float, radius_m: float, n: int = 181):
    """Return a geodesic circle (lon/lat ring of `n` points) of `radius_m` meters around a point.

    Examples
    --------
    >>> ring = circle_lonlat(40.0, 34.0, 10_000)
    >>> ring.shape
    (181, 2)
    """
    az = np.linspace(0.0, 360.0, n)
    d = direct(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    return np.column_stack([d.lon, d.lat])


def ring_features(lon, lat, radii_m, *, azimuths=None, label: str = "") -> list:
    """Return range rings (or a fan when `azimuths` = (from, to)) as lon/lat features.

    Uses :func:`geoconflict.range_rings` (lines) and :func:`geoconflict.range_fan`
    (geodesic, cut at the antimeridian).  Distances in meters, azimuths degrees
    clockwise from true north.

    Examples
    --------
    >>> [f.properties["label"] for f in ring_features(38.6, 33.5, [100_000, 200_000])]
    ['100 km', '200 km']
    """
    radii = sorted(float(r) for r in radii_m)
    if not radii:
        return []
    if azimuths:
        a0, a1 = float(azimuths[0]), float(azimuths[1])
        table = range_fan(
            np.full(len(radii), lon),
            np.full(len(radii), lat),
            a0,
            a1,
            0.0,
            np.asarray(radii),
        )
        kind = "fan"
    else:
        table = range_rings(lon, lat, radii, kind="line")
        kind = "ring"
    out = []
    for g, r, text in zip(table.geometry, radii, table["label"]):
        text = f"{label} {text}".strip()
        out.append(Feature(g, {"kind": kind, "label": text, "radius_m": r}))
    return out


def border_features(
    countries, zone=None, side=None, spec=None, *, dataset: str = "ne"
) -> list:
    """Return the border between two countries as a feature, and add its strip to `spec`.

    Parameters
    ----------
    countries : pair of str
        Country codes or names, e.g. ``["IRQ", "SYR"]``.
    zone : str, optional
        Width of the strip along the border, with a unit (``"10 km"``).
    side : str, optional
        The country whose side the strip lies on (both sides if omitted).
    spec : MapSpec, optional
        The strip, when `zone` is given, is added to ``spec.zones``.
    dataset : {"ne", "osm"}
        The boundaries the border comes from (Natural Earth or OpenStreetMap);
        the feature's ``dataset`` property, so the map credits it.

    Returns
    -------
    list of Feature
        The border line (lon/lat degrees WGS84), labelled ``"A–B border"``.

    Examples
    --------
    >>> [f.properties["label"] for f in border_features(["IRQ", "SYR"])]
    ['IRQ–SYR border']
    """
    if len(countries) != 2:
        raise GeoconflictError(
            "a [[borders]] entry needs countries = [A, B], e.g. ['IRQ', 'SYR']"
        )
    line = border(*countries, dataset=dataset)
    label = f"{countries[0]}–{countries[1]} border"
    feats = [Feature(line, {"kind": "border", "label": label, "dataset": dataset})]
    if zone and spec is not None:
        width = parse_length(zone)
        kwargs = {"side": side} if side else {}
        strip = border_zone(
            countries[0], countries[1], width, dataset=dataset, **kwargs
        )
        spec.zones.append(
            Feature(
                strip,
                {
                    "label": f"{format_length(width)} border strip"
                    + (f" ({side})" if side else ""),
                    "dataset": dataset,
                },
            )
        )
    return feats
