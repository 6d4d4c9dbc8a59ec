"""
One strike in two datasets: linking ACLED-like and UCDP-like records
====================================================================

Researchers combine ACLED, UCDP GED and their own reports; the same strike appears
in each with a different point, date and count. This script builds a small
ACLED-like and a UCDP-like set by hand (synthetic records at real places; no real
event is implied), links the records that can be the same event with
:func:`geoconflict.link_events` (location regions within the spatial window, time
intervals within the temporal window, compatible types) and merges them with
:func:`geoconflict.merge_linked`, which keeps both datasets' figures side by side.
Coordinates are (lon, lat) degrees on WGS84, distances geodesic meters.
"""

import pandas as pd

import geoconflict as gc
from geoconflict.events.claims import CasualtyClaim
from geoconflict.events.model import Category, Event, TimeEstimate
from geoconflict.events.sites import Location, Site


def acled(eid, lon, lat, day, etype, killed):
    """An ACLED-like record: a town-level point, one day, ACLED's category."""
    return Event(
        eid,
        TimeEstimate(day),
        [Site("s1", Location(lon, lat, "settlement"))],
        [CasualtyClaim("acled", "killed", killed)],
        category=Category("Political violence", etype),
    )


def ucdp(eid, lon, lat, start, end, utype, killed):
    """A UCDP-like record: an exact point, a date range, UCDP's type of violence."""
    return Event(
        eid,
        TimeEstimate(start, end),
        [Site("s1", Location(lon, lat, "exact"))],
        [CasualtyClaim("ucdp-ged", "killed", killed)],
        tags=[utype],
    )


left = gc.EventSet(
    [
        acled("A1", 40.918, 34.452, "2019-09-09", "Explosions/Remote violence", 18),
        acled("A2", 40.989, 34.393, "2019-09-10", "Battles", 2),
        acled("A3", 38.618, 33.506, "2019-09-12", "Protests", 0),
    ]
)
right = gc.EventSet(
    [
        # the strike of A1: an exact point 1.8 km from the town point, a two-day range
        ucdp("U1", 40.937, 34.447, "2019-09-09", "2019-09-11", "state-based", 21),
        # same place as A1, three weeks later: another event
        ucdp("U2", 40.935, 34.449, "2019-09-30", "2019-10-01", "state-based", 1),
        # the clash of A2
        ucdp("U3", 40.992, 34.390, "2019-09-10", "2019-09-11", "non-state", 3),
    ]
)

# %%
# Links
# -----
# One row per link, with the geodesic distance between the location regions, the
# days between the intervals, a score and the reason.
links = gc.link_events(left, right)
pd.DataFrame(list(links))

# %%
# The three-weeks-later record and the protest are not linked:
pairs = {(r["left_id"], r["right_id"]) for r in links}
assert pairs == {("A1", "U1"), ("A2", "U3")}, pairs

# %%
# Both figures, side by side
# --------------------------
# The merged event holds both records' sites and claims, so the casualty view by
# source shows what ACLED and UCDP each say instead of one "true" number.
merged = gc.merge_linked(left, right, links)
strike = merged["A1"]
assert {c.source for c in strike.claims} == {"acled", "ucdp-ged"}
strike.casualties("by_source")

# %%
# Unlinked records pass through: the protest and the later UCDP record.
[e.id for e in merged]
