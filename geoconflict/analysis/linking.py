"""One event from many datasets: link records across event sets, keep every claim.

Researchers combine ACLED, UCDP GED and their own reports; the same strike appears
in each with a different point, date and count.  :func:`link_events` finds the
records that can be the same event, in the manner of MELTT (Donnay et al. 2019,
"Integrating Conflict Event Data", *Journal of Conflict Resolution*): by location,
time and type, with each record's own precision.  :func:`merge_linked` makes one
event of each linked pair that holds *every* source's sites and claims, so that
``casualties("by_source")`` shows ACLED's and UCDP's figures side by side; the
disagreement is kept, never averaged away.

When can two records be the same event?
---------------------------------------
* **Space**: their location regions (point + precision radius,
  :attr:`~geoconflict.events.sites.Location.uncertainty_m`) come within
  ``max_distance_m`` of each other: ``d − r_left − r_right ≤ max_distance_m``
  with ``d`` the exact geodesic distance between the points (WGS84, meters).
* **Time**: their time intervals (with their precision,
  :class:`~geoconflict.events.time.TimeEstimate`) come within ``max_days``.
* **Type**: their categories are compatible under :data:`UCDP_TYPES_OF`
  (ACLED event type → the UCDP types of violence it can be); a record with no
  type is compatible with any.

Defaults derive from the precisions: ``max_distance_m=0`` (the regions must
touch: a town-level record, ±5 km, reaches 5 km further than an exact one) and
``max_days=1`` (the intervals must touch, allowing one day for the local date
against the UTC date and for next-day reporting).

Among the candidate pairs, the score is ``1 − (s + t) / 2`` with ``s`` the
distance as a share of the spatial window and ``t`` the gap between the interval
midpoints as a share of the temporal window; one-to-one matching (the default)
takes pairs in order of decreasing score, skipping records already taken (a
greedy best-first pairing); ``many_to_one`` links each right record to its best
left record.

Coordinates are (lon, lat) degrees on WGS84; distances in meters; times in days.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Optional

import numpy as np

from geoconflict import _geom
from geoconflict._compat import import_optional_dependency
from geoconflict._tables import csv_text, markdown_text
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Event
from geoconflict.events.time import TimeEstimate
from geoconflict.geodesy.measurement import distance
from geoconflict.geodesy.neighbors import points_within

__all__ = [
    "UCDP_TYPES",
    "UCDP_TYPES_OF",
    "Links",
    "link_events",
    "merge_linked",
    "ucdp_types",
]

#: UCDP GED's types of violence (``type_of_violence`` 1, 2, 3)
UCDP_TYPES = ("state-based", "non-state", "one-sided")

#: ACLED event type -> the UCDP types of violence it can be.  Battles are fought
#: between a state and an organised group or between groups; remote violence can
#: also strike civilians; violence against civilians is one-sided; riots are
#: communal (non-state) or mob violence against civilians (one-sided); protests
#: and strategic developments are no UCDP event.
UCDP_TYPES_OF = {
    "Battles": ("state-based", "non-state"),
    "Explosions/Remote violence": ("state-based", "non-state", "one-sided"),
    "Violence against civilians": ("one-sided",),
    "Riots": ("non-state", "one-sided"),
    "Protests": (),
    "Strategic developments": (),
}

_DAY_S = 86400.0


def ucdp_types(event: Event) -> Optional[frozenset]:
    """Return the UCDP types of violence an event can be (None: it states no type).

    A UCDP GED record carries its type as a tag (``"state-based"``,
    ``"non-state"``, ``"one-sided"``); an ACLED record as its event type
    (:data:`UCDP_TYPES_OF`).

    Examples
    --------
    >>> from geoconflict.events.model import Category, Event, TimeEstimate
    >>> from geoconflict.events.sites import Location, Site
    >>> e = Event("a", TimeEstimate("2019-09-09"), [Site("s", Location(40.9, 34.4))],
    ...           category=Category(event_type="Violence against civilians"))
    >>> sorted(ucdp_types(e))
    ['one-sided']
    """
    tagged = {t for t in event.tags if t in UCDP_TYPES}
    if tagged:
        return frozenset(tagged)
    et = event.category.event_type
    if et in UCDP_TYPES_OF:
        return frozenset(UCDP_TYPES_OF[et])
    return None


class Links(list):
    """Result of :func:`link_events`: one dict per link.

    Columns (:attr:`COLUMNS`): left_id, right_id, distance_m (geodesic between
    the points, meters), days (gap between the time intervals, 0 when they
    overlap), score (0–1, higher is closer), reason.
    """

    COLUMNS = ("left_id", "right_id", "distance_m", "days", "score", "reason")

    def to_csv(self, path=None) -> str:
        """Write CSV to `path` if given, and return the text."""
        return csv_text(self, self.COLUMNS, path)

    def to_markdown(self) -> str:
        """Return the links as a Markdown table."""
        return markdown_text(self, self.COLUMNS)

    def to_dataframe(self):
        """Return a pandas DataFrame (pandas imported lazily)."""
        pd = import_optional_dependency("pandas", "Links.to_dataframe")
        return pd.DataFrame(list(self), columns=list(self.COLUMNS))


def _columns(es: EventSet):
    """Arrays of the primary sites and time intervals of an event set."""
    n = len(es)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    radius = np.zeros(n)
    t0 = np.empty(n)
    t1 = np.empty(n)
    types = []
    ids = []
    for i, e in enumerate(es):
        loc = e.primary_site.location
        if loc.has_point:
            lon[i], lat[i] = loc.lon, loc.lat
            r = loc.uncertainty_m
            radius[i] = 0.0 if math.isnan(r) else r
        elif loc.footprint is not None and not loc.footprint.is_empty:
            # a footprint without a point: its centroid, and a radius that covers it
            c = loc.footprint.centroid
            xy = _geom.get_coordinates(loc.footprint)
            lon[i], lat[i] = c.x, c.y
            radius[i] = float(np.max(distance(c.x, c.y, xy[:, 0], xy[:, 1])))
        t0[i] = e.time.start_utc.timestamp()
        t1[i] = e.time.end_utc.timestamp()
        types.append(ucdp_types(e))
        ids.append(e.id)
    return ids, lon, lat, radius, t0, t1, types


def link_events(
    left: EventSet,
    right: EventSet,
    *,
    max_distance_m: Optional[float] = None,
    max_days: Optional[float] = None,
    match: Optional[str] = "type",
    mode: str = "one_to_one",
) -> Links:
    """Find the records of two event sets that can be the same event.

    Parameters
    ----------
    left, right : EventSet
        E.g. ACLED and UCDP GED records (:func:`geoconflict.read_acled`,
        :func:`geoconflict.read_ucdp_ged`).  Each event's primary site is its
        location (lon/lat degrees, precision radius in meters; a footprint
        without a point counts as its centroid with a radius covering it);
        events with neither are not linked (they pass through
        :func:`merge_linked`).
    max_distance_m : float, optional
        How far apart the location regions may be, meters (default 0: they must
        touch).
    max_days : float, optional
        How far apart the time intervals may be, days (default 1).
    match : {"type", None}
        ``"type"``: the categories must be compatible (:data:`UCDP_TYPES_OF`);
        None: any type.
    mode : {"one_to_one", "many_to_one"}
        ``"one_to_one"``: each record in at most one link (best score first);
        ``"many_to_one"``: each right record linked to its best left record
        (a left record may take several).

    Returns
    -------
    Links
        One row per link: ``left_id``, ``right_id``, ``distance_m`` (meters),
        ``days``, ``score``, ``reason``; sorted by left then right position.

    Examples
    --------
    >>> from geoconflict.events.model import Event, TimeEstimate
    >>> from geoconflict.events.eventset import EventSet
    >>> from geoconflict.events.sites import Location, Site
    >>> def ev(i, lon, day, tag):
    ...     return Event(i, TimeEstimate(day), [Site("s", Location(lon, 34.45, "settlement"))],
    ...                  tags=[tag])
    >>> a = EventSet([ev("a1", 40.918, "2019-09-09", "state-based")])
    >>> b = EventSet([ev("b1", 40.95, "2019-09-09", "state-based"),
    ...               ev("b2", 40.918, "2019-10-09", "state-based")])
    >>> [(r["left_id"], r["right_id"], round(r["distance_m"])) for r in link_events(a, b)]
    [('a1', 'b1', 2941)]
    """
    if mode not in ("one_to_one", "many_to_one"):
        raise ValueError(f"mode must be 'one_to_one' or 'many_to_one', got {mode!r}")
    if match not in ("type", None):
        raise ValueError(f"match must be 'type' or None, got {match!r}")
    extra_m = 0.0 if max_distance_m is None else float(max_distance_m)
    days = 1.0 if max_days is None else float(max_days)
    if not (extra_m >= 0 and math.isfinite(extra_m)):
        raise ValueError(
            f"max_distance_m must be a finite number >= 0, got {max_distance_m!r}"
        )
    if not (days >= 0 and math.isfinite(days)):
        raise ValueError(f"max_days must be a finite number >= 0, got {max_days!r}")
    lid, llon, llat, lrad, lt0, lt1, ltyp = _columns(left)
    rid, rlon, rlat, rrad, rt0, rt1, rtyp = _columns(right)
    lmask, rmask = _type_mask(ltyp), _type_mask(rtyp)
    out = Links()
    lok = np.flatnonzero(~np.isnan(llon))
    rok = np.flatnonzero(~np.isnan(rlon))
    if not len(lok) or not len(rok):
        return out
    # spatial candidates: every right point within the widest window of each left
    search = lrad[lok] + (rrad[rok].max() if len(rok) else 0.0) + extra_m
    pairs = points_within(rlon[rok], rlat[rok], llon[lok], llat[lok], search)
    li = lok[pairs.center_index]
    ri = rok[pairs.point_index]
    d = pairs.distance
    window = lrad[li] + rrad[ri] + extra_m
    keep = d <= window
    li, ri, d, window = li[keep], ri[keep], d[keep], window[keep]
    # time: the gap between the intervals [t0, t1)
    gap = np.maximum(np.maximum(rt0[ri] - lt1[li], lt0[li] - rt1[ri]), 0.0) / _DAY_S
    keep = gap <= days
    li, ri, d, window, gap = li[keep], ri[keep], d[keep], window[keep], gap[keep]
    if match == "type" and len(li):
        ok = (lmask[li] & rmask[ri]) != 0
        li, ri, d, window, gap = li[ok], ri[ok], d[ok], window[ok], gap[ok]
    mid_l = (lt0[li] + lt1[li]) / 2.0
    mid_r = (rt0[ri] + rt1[ri]) / 2.0
    half = ((lt1[li] - lt0[li]) + (rt1[ri] - rt0[ri])) / 2.0 + days * _DAY_S
    s = d / np.maximum(window, 1.0)
    t = np.abs(mid_l - mid_r) / np.maximum(half, 1.0)
    score = np.clip(1.0 - (np.minimum(s, 1.0) + np.minimum(t, 1.0)) / 2.0, 0.0, 1.0)
    order = np.lexsort((ri, li, -score))
    if mode == "one_to_one":
        chosen = _greedy(li[order], ri[order], len(lid), len(rid))
    else:
        chosen = _best_per_right(ri[order], len(rid))
    sel = order[chosen]
    sel = sel[np.lexsort((ri[sel], li[sel]))]
    for k in sel.tolist():
        a, b = int(li[k]), int(ri[k])
        out.append(
            {
                "left_id": lid[a],
                "right_id": rid[b],
                "distance_m": float(d[k]),
                "days": float(gap[k]),
                "score": float(score[k]),
                "reason": (
                    f"{d[k] / 1000:.1f} km apart (window {window[k] / 1000:.1f} km: "
                    f"radii {lrad[a] / 1000:g} + {rrad[b] / 1000:g} km"
                    f"{f' + {extra_m / 1000:g} km' if extra_m else ''}); "
                    + (
                        "time intervals overlap"
                        if gap[k] == 0
                        else f"time intervals {gap[k]:.1f} days apart (window {days:g})"
                    )
                    + (
                        f"; types {'/'.join(sorted(ltyp[a]))} ~ {'/'.join(sorted(rtyp[b]))}"
                        if match == "type"
                        and ltyp[a] is not None
                        and rtyp[b] is not None
                        else ""
                    )
                ),
            }
        )
    return out


def _type_mask(types: list) -> np.ndarray:
    """One bit per UCDP type; a record without a type has every bit (fits any)."""
    bits = {t: 1 << i for i, t in enumerate(UCDP_TYPES)}
    full = (1 << len(UCDP_TYPES)) - 1
    return np.fromiter(
        (full if t is None else sum(bits[x] for x in t) for t in types),
        dtype=np.int64,
        count=len(types),
    )


def _greedy(li: np.ndarray, ri: np.ndarray, nl: int, nr: int) -> np.ndarray:
    """Positions of the pairs kept by best-first one-to-one matching."""
    used_l = np.zeros(nl, dtype=bool)
    used_r = np.zeros(nr, dtype=bool)
    keep = []
    for k, (a, b) in enumerate(zip(li.tolist(), ri.tolist())):
        if not used_l[a] and not used_r[b]:
            used_l[a] = used_r[b] = True
            keep.append(k)
    return np.asarray(keep, dtype=np.int64)


def _best_per_right(ri: np.ndarray, nr: int) -> np.ndarray:
    """Positions of each right record's first (best) pair."""
    _, first = np.unique(ri, return_index=True)
    return np.sort(first)


def _merged_time(a: TimeEstimate, b: TimeEstimate) -> TimeEstimate:
    """Return the time both records allow (their overlap), else their hull."""
    a0, a1, b0, b1 = (
        t.replace(tzinfo=None) for t in (a.start_utc, a.end_utc, b.start_utc, b.end_utc)
    )
    start, end = max(a0, b0), min(a1, b1)
    if end <= start:
        start, end = min(a0, b0), max(a1, b1)
    precision = a.precision if (a1 - a0) <= (b1 - b0) else b.precision
    return TimeEstimate(start, end, precision=precision)  # naive: UTC


def _merge_pair(left: Event, right: Event) -> Event:
    rename = {s.id: f"{right.id}:{s.id}" for s in right.sites}
    sites = list(left.sites) + [replace(s, id=rename[s.id]) for s in right.sites]
    claims = list(left.claims) + [
        c if getattr(c, "site", None) is None else replace(c, site=rename[c.site])
        for c in right.claims
    ]
    category = left.category if left.category.event_type else right.category
    linked = ",".join(x for x in (left.external_ids.get("linked"), right.id) if x)
    ext = {**right.external_ids, **left.external_ids, "linked": linked}
    notes = "\n".join(n for n in (left.notes, right.notes) if n) or None
    return Event(
        id=left.id,
        time=_merged_time(left.time, right.time),
        sites=sites,
        claims=claims,
        category=category,
        summary=left.summary or right.summary,
        tags=list(dict.fromkeys([*left.tags, *right.tags, "linked"])),
        external_ids=ext,
        notes=notes,
    )


def merge_linked(left: EventSet, right: EventSet, links) -> EventSet:
    """One event per link holding both records' sites and claims; the rest pass through.

    Parameters
    ----------
    left, right : EventSet
        The sets given to :func:`link_events`.
    links : Links or iterable of dict
        Rows with ``left_id`` and ``right_id``.

    Returns
    -------
    EventSet
        Linked events keep the left id, the left sites and claims, and the right
        record's sites (ids prefixed ``"<right id>:"``) and claims, so
        ``casualties("by_source")`` shows each dataset's figures side by side;
        the time is the overlap of the two intervals (their hull if they do not
        overlap); ``external_ids["linked"]`` names the right record and the tag
        ``"linked"`` marks it.  Unlinked records of both sets pass through (a
        right id that is also a left id gets the prefix ``"right:"``).  Sources
        are the union of both sets' sources.

    Raises
    ------
    ValueError
        If a link names an unknown record, or a record twice in one-to-one links
        of the same left record.
    """
    by_left: dict = {}
    linked_right = set()
    for row in links:
        a, b = row["left_id"], row["right_id"]
        try:
            left[a], right[b]
        except (KeyError, IndexError):
            raise ValueError(
                f"link {a!r} -> {b!r} names a record that is not in the sets"
            ) from None
        by_left.setdefault(a, []).append(b)
        linked_right.add(b)
    events = []
    for e in left:
        for b in by_left.get(e.id, []):
            e = _merge_pair(e, right[b])
        events.append(e)
    left_ids = {e.id for e in left}
    for e in right:
        if e.id in linked_right:
            continue
        events.append(e if e.id not in left_ids else replace(e, id=f"right:{e.id}"))
    return EventSet(events, {**right.sources, **left.sources})
