"""Checks of each row's point: usable coordinates, and the country it claims.

:func:`check_point` looks at one row alone (missing, out of range, 0,0);
:func:`country_pass` checks all kept rows at once against the boundary dataset
(:mod:`geoconflict.geography.borders`) and its positional uncertainty.
Coordinates are (lon, lat) in degrees on WGS84; distances in meters.
"""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from geoconflict.errors import BoundaryNotFoundError
from geoconflict.events.rejected import Rejected, RowError
from geoconflict.geography import borders, boundaries, lookup

__all__ = [
    "FLAG_COUNTRY_MISMATCH",
    "FLAG_NEAR_BOUNDARY",
    "check_point",
    "country_check",
    "country_pass",
]


def check_point(
    lon: float, lat: float, country: Optional[str], cols=("longitude", "latitude")
):
    """Raise RowError for unusable coordinates (degrees).

    Only what one row shows on its own: missing, out of range, 0,0.  Whether the
    point fits `country` (the row's country) is decided for all rows at once, with
    the boundary dataset and its uncertainty, by :func:`country_pass`.
    """
    lon_col, lat_col = cols
    if math.isnan(lat) or math.isnan(lon):
        col = lat_col if math.isnan(lat) else lon_col
        raise RowError(col, "", "missing coordinate")
    if abs(lat) > 90:
        raise RowError(
            lat_col, lat, "latitude out of range [-90, 90] degrees (swapped columns?)"
        )
    if abs(lon) > 180:
        raise RowError(lon_col, lon, "longitude out of range [-180, 180] degrees")
    if lon == 0 and lat == 0:
        raise RowError(
            f"{lon_col},{lat_col}",
            "0,0",
            "coordinates are 0,0 ('null island'): a missing location written as zeros",
        )


CHECK_DATASET = "ne"
DATASET_NAMES = {"ne": "Natural Earth 10m", "osm": "OpenStreetMap (geo-maps 10m)"}
#: Location.flags set on kept points whose country disagrees with the row's
FLAG_NEAR_BOUNDARY = "country_within_boundary_uncertainty"
FLAG_COUNTRY_MISMATCH = "country_mismatch"


def country_pass(
    path, events: list, rownums: list, rejected: Rejected
) -> tuple[list, list]:
    """Check each primary point against its row's country; return the events kept.

    Returns the kept events and their row numbers (`rownums` holds the row of each
    of `events`).

    With ``U`` the boundary dataset's positional uncertainty
    (:data:`geoconflict.geography.borders.UNCERTAINTY_M`: Natural Earth 10m ±3 km), a point
    that is not in the row's country per the dataset is

    * within ``U`` of that country (across a border, or off its coast): kept and
      flagged (a town on the border, a coastal point the dataset puts at sea);
    * swapped: the swapped point (lat, lon) lies in the row's country and the given
      one more than ``U`` outside it (a point with lat ≈ lon is never "swapped":
      both lie the same distance away): rejected;
    * at sea more than ``U`` from the country: rejected;
    * in a neighbouring country more than ``U`` from the row's country: kept and
      flagged (the point or the country is wrong; the row cannot say which);
    * in a country that does not border the row's country: rejected.

    Vectorized: one ``country_at`` call for all rows; geodesic distances (meters,
    WGS84) only for the rows that disagree, one call per country named; one
    ``country_at`` call for their swapped points.  Kept rows get a
    ``Location.flags`` entry (:data:`FLAG_NEAR_BOUNDARY` or
    :data:`FLAG_COUNTRY_MISMATCH`) and a ``"flagged"`` line in `rejected`.
    """
    if not events:
        return events, rownums
    locs = [e.sites[0].location for e in events]
    drop, flag = country_check(
        path,
        np.array([loc.lon for loc in locs], dtype=float),
        np.array([loc.lat for loc in locs], dtype=float),
        np.array([loc.country for loc in locs], dtype=object),
        np.array([loc.precision for loc in locs], dtype=object),
        rownums,
        rejected,
    )
    for i in np.flatnonzero(flag != None):  # noqa: E711 (elementwise)
        if flag[i] not in locs[i].flags:
            locs[i].flags.append(flag[i])
    keep = np.flatnonzero(~drop)
    return [events[i] for i in keep], [rownums[i] for i in keep]


def country_check(
    path, lon, lat, country, precision, rownums, rejected: Rejected
) -> tuple[np.ndarray, np.ndarray]:
    """Check points (degrees) against their rows' countries, as columns.

    The rules of :func:`country_pass`, for arrays: `lon`, `lat` (NaN: no point),
    `country` (the row's country name or code, None if none), `precision` (a
    ``"water"`` location is not checked) and `rownums` (reported in `rejected`).
    Returns ``drop`` (bool per row: rejected) and ``flag`` (per row: the
    ``Location.flags`` entry to add, or None).
    """
    n = len(lon)
    drop = np.zeros(n, dtype=bool)
    flag = np.full(n, None, dtype=object)
    codes: dict = {}

    def iso3(name):
        if name not in codes:
            try:
                codes[name] = boundaries.country(name, dataset=CHECK_DATASET).iso3
            except BoundaryNotFoundError:
                codes[name] = None
        return codes[name]

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    country = np.asarray(country, dtype=object)
    names = {c for c in set(country.tolist()) if c}
    code_of = {c: iso3(c) for c in names}
    want_all = np.array([code_of.get(c) if c else None for c in country], dtype=object)
    ok = (
        ~(np.isnan(lon) | np.isnan(lat))
        & (want_all != None)  # noqa: E711 (elementwise)
        & (np.asarray(precision, dtype=object) != "water")
    )
    idx_a = np.flatnonzero(ok)
    if not len(idx_a):
        return drop, flag
    want_a = want_all[idx_a]
    lon = lon[idx_a]
    lat = lat[idx_a]
    got = np.asarray(lookup.country_at(lon, lat, dataset=CHECK_DATASET), dtype=object)
    bad = np.flatnonzero(got != want_a)
    if not len(bad):
        return drop, flag
    # distance from each disagreeing point to the row's country (0 inside it)
    dist = np.empty(len(bad))
    for code in sorted(set(want_a[bad])):
        sel = np.flatnonzero(want_a[bad] == code)
        geom = boundaries.country(code, dataset=CHECK_DATASET).geometry
        dist[sel] = borders.distance_and_nearest(lon[bad][sel], lat[bad][sel], geom)[0]
    # the swapped point (lon = lat, lat = lon), where it is a valid point
    swapped = np.full(len(bad), None, dtype=object)
    ok = np.abs(lon[bad]) <= 90
    if ok.any():
        swapped[ok] = np.asarray(
            lookup.country_at(lat[bad][ok], lon[bad][ok], dataset=CHECK_DATASET),
            dtype=object,
        )
    u = borders.UNCERTAINTY_M[CHECK_DATASET]
    name = DATASET_NAMES[CHECK_DATASET]
    within = f"within the dataset's ±{u / 1000:g} km uncertainty"
    beyond = f"beyond the dataset's ±{u / 1000:g} km uncertainty"
    neighbours: dict = {}
    for j, k in enumerate(bad):
        i = int(idx_a[k])
        w, g, d = want_a[k], got[k], float(dist[j])
        km = f"{d / 1000:.1f} km"
        if d <= u:
            action, fl = "flagged", FLAG_NEAR_BOUNDARY
            if g is None:
                reason = (
                    f"point lies {km} off the {w} coast (at sea per {name}), {within} "
                    f"of the coastline; the row says {w}"
                )
            else:
                reason = (
                    f"point lies {km} inside {g} per {name}, {within} of the {w} "
                    f"border; the row says {w}"
                )
        elif swapped[j] == w:
            action, fl = "rejected", None
            reason = (
                f"point lies {'at sea' if g is None else 'in ' + str(g)} per {name}, "
                f"{km} from {w}, but the swapped point (lon {lat[k]}, lat {lon[k]}) "
                f"lies in {w}, the row's country: latitude and longitude are swapped"
            )
        elif g is None:
            action, fl = "rejected", None
            reason = (
                f"point lies at sea per {name}, {km} from {w} (the row's country), "
                f"{beyond} (wrong sign, swapped or mistyped coordinates?)"
            )
        else:
            if w not in neighbours:
                neighbours[w] = set(borders.borders_of(w, dataset=CHECK_DATASET))
            if g in neighbours[w]:
                action, fl = "flagged", FLAG_COUNTRY_MISMATCH
                reason = (
                    f"point lies {km} inside {g} per {name}, {beyond} of the {w} "
                    f"border; the row says {w} (kept: check the coordinates or the "
                    "country)"
                )
            else:
                action, fl = "rejected", None
                reason = (
                    f"point lies in {g} per {name}, {km} from {w} (the row's "
                    f"country), which {g} does not border (mistyped coordinates?)"
                )
        rejected.add(
            path,
            rownums[i],
            "longitude,latitude",
            f"{lon[k]},{lat[k]}",
            reason,
            action=action,
        )
        if fl is None:
            drop[i] = True
        else:
            flag[i] = fl
    return drop, flag
