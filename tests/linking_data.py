"""A synthetic truth set for record linkage (tests and benchmarks/bench_link.py).

Shared events appear in an ACLED-like set (town-level points, ±5 km, jittered up
to 4.5 km; the day, one in five a day late) and a UCDP-like set (exact points
jittered up to 90 m or town-level ones; the day, or a date range around it), with
their own casualty figures.  Distractors: UCDP-like records at the same place weeks
later, records at the same place and day of an incompatible type, and records in
one set only.  Coordinates are (lon, lat) degrees WGS84, distances meters.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from geoconflict.events.claims import CasualtyClaim
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event, TimeEstimate
from geoconflict.events.sites import Location, Site
from geoconflict.geodesy.measurement import direct

T0 = datetime(2015, 1, 1)
ACLED_TYPE = {
    "state-based": ("Battles", "Explosions/Remote violence"),
    "non-state": ("Battles", "Explosions/Remote violence"),
    "one-sided": ("Violence against civilians", "Explosions/Remote violence"),
}
UCDP = ("state-based", "non-state", "one-sided")


def _jitter(rng, lon, lat, max_m):
    az = rng.uniform(0, 360, len(lon))
    r = max_m * np.sqrt(rng.uniform(0, 1, len(lon)))  # uniform in the disc
    d = direct(lon, lat, az, r)
    return np.asarray(d.lon), np.asarray(d.lat)


def _acled(i, lon, lat, day, etype, killed):
    return Event(
        f"A{i}",
        TimeEstimate(T0 + timedelta(days=int(day))),
        [Site("s1", Location(float(lon), float(lat), "settlement"))],
        [CasualtyClaim("acled", "killed", int(killed))],
        category=Category("Political violence", etype),
    )


def _ucdp(i, lon, lat, day0, day1, precision, utype, killed):
    start = T0 + timedelta(days=int(day0))
    return Event(
        f"U{i}",
        TimeEstimate(start, start + timedelta(days=int(day1 - day0 + 1))),
        [Site("s1", Location(float(lon), float(lat), precision))],
        [CasualtyClaim("ucdp-ged", "killed", int(killed))],
        tags=[utype],
    )


def truth_set(
    n_shared=1000, n_only=200, n_distractors=300, seed=0, box=(36, 30, 48, 37)
):
    """Return ``(acled_like, ucdp_like, truth)``; truth is a set of (A id, U id)."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(box[0], box[2], n_shared)
    lat = rng.uniform(box[1], box[3], n_shared)
    day = rng.integers(0, 5 * 365, n_shared)
    utype = rng.integers(0, 3, n_shared)
    killed = rng.integers(0, 40, n_shared)
    a_lon, a_lat = _jitter(rng, lon, lat, 4500.0)
    a_day = day + (rng.uniform(0, 1, n_shared) < 0.2)
    exact = rng.uniform(0, 1, n_shared) < 0.6
    u_lon, u_lat = _jitter(rng, lon, lat, np.where(exact, 90.0, 4500.0))
    ranged = rng.uniform(0, 1, n_shared) < 0.3
    u_day0 = day - np.where(ranged, rng.integers(0, 4, n_shared), 0)
    u_day1 = day + np.where(ranged, rng.integers(0, 4, n_shared), 0)
    pick = rng.integers(0, 2, n_shared)
    acled, ucdp, truth = [], [], set()
    for i in range(n_shared):
        t = UCDP[utype[i]]
        acled.append(
            _acled(i, a_lon[i], a_lat[i], a_day[i], ACLED_TYPE[t][pick[i]], killed[i])
        )
        ucdp.append(
            _ucdp(
                i,
                u_lon[i],
                u_lat[i],
                u_day0[i],
                u_day1[i],
                "exact" if exact[i] else "settlement",
                t,
                killed[i] + rng.integers(-2, 3) if killed[i] > 2 else killed[i],
            )
        )
        truth.add((f"A{i}", f"U{i}"))
    # distractors near shared events: weeks later, or the same day of another type
    k = rng.choice(n_shared, n_distractors, replace=n_distractors > n_shared)
    d_lon, d_lat = _jitter(rng, lon[k], lat[k], 1000.0)
    later = rng.uniform(0, 1, n_distractors) < 0.5
    for j in range(n_distractors):
        i = int(k[j])
        t = UCDP[utype[i]]
        if later[j]:
            dd = day[i] + int(rng.integers(14, 60))
            ucdp.append(_ucdp(f"d{j}", d_lon[j], d_lat[j], dd, dd, "exact", t, 1))
        else:  # the same day and place, a type the ACLED record cannot be
            other = "one-sided" if t != "one-sided" else "state-based"
            if ACLED_TYPE[t][pick[i]] == "Explosions/Remote violence":
                acled.append(_acled(f"d{j}", d_lon[j], d_lat[j], day[i], "Protests", 0))
            else:
                ucdp.append(
                    _ucdp(
                        f"d{j}", d_lon[j], d_lat[j], day[i], day[i], "exact", other, 1
                    )
                )
    # records in one set only
    o_lon = rng.uniform(box[0], box[2], 2 * n_only)
    o_lat = rng.uniform(box[1], box[3], 2 * n_only)
    o_day = rng.integers(0, 5 * 365, 2 * n_only)
    for j in range(n_only):
        acled.append(_acled(f"o{j}", o_lon[j], o_lat[j], o_day[j], "Battles", 1))
        m = n_only + j
        ucdp.append(
            _ucdp(
                f"o{j}",
                o_lon[m],
                o_lat[m],
                o_day[m],
                o_day[m],
                "exact",
                "state-based",
                1,
            )
        )
    return EventSet(acled), EventSet(ucdp), truth


def precision_recall(links, truth):
    """Precision and recall of links (rows with left_id/right_id) against truth."""
    got = {(r["left_id"], r["right_id"]) for r in links}
    tp = len(got & truth)
    return tp / max(len(got), 1), tp / max(len(truth), 1)
