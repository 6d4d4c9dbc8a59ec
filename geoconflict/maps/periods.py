"""Time filters and small multiples: the sites of a period, and one map per month.

A site's time is its ``start`` (and ``end``) property, or ``event_date`` /
``date``: ISO 8601 text (``"2019"``, ``"2019-09"``, ``"2019-09-09"``, a
date-time) read to the day; an end at midnight (``2019-01-02T00:00:00``, as
the events model writes a one-day event) excludes that day.  A site is in a period when its [start, end]
interval meets it.  Sites without a readable date are never dropped
silently: they are counted, and the map says so in a note.
"""

from __future__ import annotations

import copy

import numpy as np

from geoconflict.errors import GeoconflictError
from geoconflict.maps.spec import MapSpec

__all__ = ["PERIODS", "between", "parse_day", "period_groups", "site_days"]

#: the periods ``render_each`` and ``geoconflict map --each`` split by
PERIODS = ("month", "year")

_START_KEYS = ("start", "event_date", "date", "date_start")
_END_KEYS = ("end", "date_end")
_NAT = np.datetime64("NaT", "D")


def parse_day(text, *, end: bool = False) -> np.datetime64:
    """Read ISO 8601 text (year, month, day or date-time) as a day; NaT if it is not a date.

    With `end`, a year or month means its last day.

    Examples
    --------
    >>> str(parse_day("2019-09")), str(parse_day("2019-09", end=True)), str(parse_day("x"))
    ('2019-09-01', '2019-09-30', 'NaT')
    """
    s = str(text or "").strip()[:10]
    try:
        d = np.datetime64(s)
    except ValueError:
        return _NAT
    if np.isnat(d):
        return _NAT
    unit = np.datetime_data(d.dtype)[0]
    if unit not in ("Y", "M", "D"):
        return _NAT
    if end and unit in ("Y", "M"):
        return (d + np.timedelta64(1, unit)).astype("datetime64[D]") - np.timedelta64(
            1, "D"
        )
    return d.astype("datetime64[D]")


def _midnight(text) -> bool:
    """Whether ISO text is a date-time at 00:00 (an end there excludes that day)."""
    t = str(text).strip()
    return len(t) > 10 and t[10] in "T " and t[11:19].replace(":", "").strip("0") == ""


def site_days(sites: list) -> tuple:
    """Return the first and last day of every site (arrays of datetime64[D]; NaT where undated)."""
    start = np.full(len(sites), _NAT)
    stop = np.full(len(sites), _NAT)
    cache: dict = {}
    for i, f in enumerate(sites):
        p = f.properties
        a = next((p[k] for k in _START_KEYS if p.get(k) not in (None, "")), None)
        b = next((p[k] for k in _END_KEYS if p.get(k) not in (None, "")), a)
        if a is None:
            continue
        if (a, b) not in cache:
            first, last = parse_day(a), parse_day(b, end=True)
            if b is not a and _midnight(b) and last > first:
                last = last - np.timedelta64(1, "D")  # an exclusive end at midnight
            cache[(a, b)] = (first, last)
        start[i], stop[i] = cache[(a, b)]
    stop = np.where(np.isnat(stop), start, stop)
    return start, stop


def between(spec: MapSpec, first, last) -> MapSpec:
    """Return a copy of `spec` with the sites whose time meets [first, last] (ISO dates, inclusive).

    Sites without a date are left out and counted in a note on the map.

    Examples
    --------
    >>> import shapely
    >>> from geoconflict.io.features import Feature
    >>> spec = MapSpec(sites=[Feature(shapely.Point(40, 34), {"start": d})
    ...                       for d in ("2019-01-05", "2019-03-01", "")])
    >>> sub = between(spec, "2019-01-01", "2019-01-31")
    >>> len(sub.sites), sub.notes
    (1, ['1 site without a date is not drawn (--between 2019-01-01 to 2019-01-31).'])
    """
    lo, hi = parse_day(first), parse_day(last, end=True)
    if np.isnat(lo) or np.isnat(hi):
        raise GeoconflictError(
            f"--between {first!r},{last!r}: give two ISO dates, e.g. 2019-01-01,2019-06-30"
        )
    if lo > hi:
        raise GeoconflictError(
            f"--between {first},{last}: the first date is after the last; swap them"
        )
    start, stop = site_days(spec.sites)
    undated = np.isnat(start)
    keep = ~undated & (start <= hi) & (stop >= lo)
    sub = copy.copy(spec)
    sub.sites = [f for f, k in zip(spec.sites, keep) if k]
    sub.notes = list(spec.notes)
    n = int(undated.sum())
    if n:
        what = "site without a date is" if n == 1 else "sites without a date are"
        sub.notes.append(f"{n:,} {what} not drawn (--between {first} to {last}).")
    return sub


def period_groups(sites: list, period: str = "month") -> tuple:
    """Sites grouped by the month (or year) they start in: ({"2019-09": [sites]}, undated sites)."""
    if period not in PERIODS:
        raise GeoconflictError(
            f"--each {period!r}: split by one of {', '.join(PERIODS)}"
        )
    start, _ = site_days(sites)
    unit = "M" if period == "month" else "Y"
    keys = np.datetime_as_string(start.astype(f"datetime64[{unit}]"))
    groups: dict = {}
    undated = []
    for f, k, nat in zip(sites, keys, np.isnat(start)):
        if nat:
            undated.append(f)
        else:
            groups.setdefault(str(k), []).append(f)
    return dict(sorted(groups.items())), undated
