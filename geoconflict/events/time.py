"""When an event happened: :class:`TimeEstimate`, an interval with a precision.

Date texts name whole periods ("2019-09" is September 2019, "2019" the year);
:func:`period_end` turns a data file's inclusive end date into the exclusive
``end`` of a TimeEstimate.  Times are ISO 8601 (local time of the event with an
IANA time zone, or UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Optional, Union

from geoconflict.errors import DataFormatError

__all__ = ["TIME_PRECISIONS", "TimeEstimate", "period_end", "utc_instant"]

#: time precisions, finest first
TIME_PRECISIONS = ("hour", "day", "week", "month", "year")


#: text layouts that name a whole period, not an instant: (strptime format, the
#: period it names).  ISO 8601 dates and date-times are read by
#: :meth:`datetime.fromisoformat` first (a date names its day, a date-time an instant).
_PERIOD_FORMATS = (
    ("%d %B %Y", "day"),
    ("%d %b %Y", "day"),
    ("%B %d, %Y", "day"),
    ("%b %d, %Y", "day"),
    ("%Y/%m/%d", "day"),
    ("%d/%m/%Y", "day"),
    ("%B %Y", "month"),
    ("%b %Y", "month"),
    ("%Y-%m", "month"),
    ("%Y/%m", "month"),
    ("%m/%Y", "month"),
    ("%Y", "year"),
)
_ISO_DATE = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
_ISO_WEEK = re.compile(r"^\d{4}-?W\d{2}$", re.IGNORECASE)
_YEAR = re.compile(r"^\d{4}$")


def _parse_when(
    value: Union[str, date, datetime, None], what: str
) -> tuple[Optional[datetime], Optional[str]]:
    """Read a time and the period its text names.

    Returns ``(datetime, period)``: `period` is ``"day"``, ``"week"``, ``"month"``
    or ``"year"`` when the text names a whole period ("2019-09-09", "2019-W37",
    "2019-09", "Sep 2019", "2019") and the datetime is that period's first instant;
    None when it names an instant (a time of day, or a :class:`datetime`).
    (None, None) for a missing value.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value, None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), "day"
    s = str(value).strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    if not _YEAR.match(s):  # fromisoformat does not read "2019"; strptime below does
        try:
            d = datetime.fromisoformat(s)
        except ValueError:
            pass
        else:
            if _ISO_WEEK.match(s):
                return d, "week"
            return d, "day" if _ISO_DATE.match(s) else None
    for fmt, period in _PERIOD_FORMATS:
        if period == "year" and not _YEAR.match(s):
            continue  # strptime's %Y would also take "19" or "201"
        try:
            return datetime.strptime(s, fmt), period
        except ValueError:
            continue
    raise DataFormatError(
        f"cannot read {what} {value!r} as a date; use ISO 8601 (2019-09-09, "
        "2019-09-09T03:00, 2019-09 for a month, 2019 for a year)",
        value=value,
    )


def _parse_dt(value: Union[str, date, datetime, None], what: str) -> Optional[datetime]:
    """Return the datetime of :func:`_parse_when` (a named period's first instant)."""
    return _parse_when(value, what)[0]


def _add_months(d: datetime, n: int) -> datetime:
    y, m = divmod(d.month - 1 + n, 12)
    return d.replace(year=d.year + y, month=m + 1, day=1)


def _period_bounds(s: datetime, precision: str) -> tuple[datetime, datetime]:
    """``[start, end)`` of the hour/day/week/month/year `precision` starting at or containing `s`."""
    if precision == "hour":
        s = s.replace(minute=0, second=0, microsecond=0)
        return s, s + timedelta(hours=1)
    s = s.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == "day":
        return s, s + timedelta(days=1)
    if precision == "week":
        return s, s + timedelta(days=7)
    if precision == "month":
        s = s.replace(day=1)
        return s, _add_months(s, 1)
    s = s.replace(month=1, day=1)
    return s, s.replace(year=s.year + 1)


def period_end(value: Union[str, date, datetime], what: str = "end") -> datetime:
    """Exclusive end of the period a date text names; an instant stays itself.

    Data files give inclusive end dates ("date_end 2019-09-30" means through that
    day); this turns them into the exclusive ``end`` of :class:`TimeEstimate`.

    Examples
    --------
    >>> period_end("2019-09-30").isoformat()
    '2019-10-01T00:00:00'
    >>> period_end("Sep 2019").isoformat(), period_end("2019").isoformat()
    ('2019-10-01T00:00:00', '2020-01-01T00:00:00')
    >>> period_end("2019-09-30T18:00").isoformat()
    '2019-09-30T18:00:00'
    """
    d, period = _parse_when(value, what)
    if d is None:
        raise DataFormatError(f"missing {what}", value=value)
    return d if period is None else _period_bounds(d, period)[1]


@dataclass
class TimeEstimate:
    """When an event happened: an interval ``[start, end)`` with a precision.

    Parameters
    ----------
    start : datetime or str
        Start of the interval (ISO 8601 text accepted).  Text that names a whole
        period keeps it: ``"2019-09"``, ``"September 2019"``, ``"Sep 2019"`` name
        the month (precision at least ``"month"``), ``"2019"`` the year,
        ``"2019-W37"`` the ISO week, ``"2019-09-09"`` the day.
    end : datetime or str, optional
        End (exclusive instant).  When omitted it follows from `precision`: one
        hour, day, week (7 days) from `start`; the calendar month or year
        containing it.
    precision : str
        One of :data:`TIME_PRECISIONS`.  A `start` text naming a coarser period
        wins (``TimeEstimate("2019-09")`` is the month, not its first day).
    tz : str, optional
        IANA time zone of naive times (``"Asia/Damascus"``); None means UTC.
    phrase : str, optional
        The words the time comes from ("late on Tuesday").

    Examples
    --------
    >>> t = TimeEstimate("2019-09-09", precision="day", tz="Asia/Damascus")
    >>> t.end.isoformat()
    '2019-09-10T00:00:00'
    >>> TimeEstimate("2021-06-15", precision="month").start.isoformat()
    '2021-06-01T00:00:00'
    >>> t = TimeEstimate("Sep 2019")
    >>> t.precision, t.start.isoformat(), t.end.isoformat()
    ('month', '2019-09-01T00:00:00', '2019-10-01T00:00:00')
    >>> TimeEstimate("2019").end.isoformat()
    '2020-01-01T00:00:00'
    """

    start: Any
    end: Any = None
    precision: str = "day"
    tz: Optional[str] = None
    phrase: Optional[str] = None

    def __post_init__(self) -> None:
        if self.precision not in TIME_PRECISIONS:
            raise ValueError(
                f"unknown time precision {self.precision!r}; use one of "
                f"{', '.join(TIME_PRECISIONS)}"
            )
        self.start, named = _parse_when(self.start, "start")
        if self.start is None:
            raise ValueError("a time estimate needs a start")
        if named is not None and TIME_PRECISIONS.index(named) > TIME_PRECISIONS.index(
            self.precision
        ):
            # "2019-09" names a month: never narrow it to the day it starts with
            self.precision = named
        self.end = _parse_dt(self.end, "end")
        if self.end is None:
            self.start, self.end = _period_bounds(self.start, self.precision)
        if self.end < self.start:
            raise ValueError(
                f"time estimate ends ({self.end}) before it starts ({self.start})"
            )

    def _utc(self, d: datetime) -> datetime:
        if d.tzinfo is None:
            if self.tz:
                try:
                    from zoneinfo import ZoneInfo

                    d = d.replace(tzinfo=ZoneInfo(self.tz))
                except Exception:  # unknown zone or no tz database: treat as UTC
                    d = d.replace(tzinfo=timezone.utc)
            else:
                d = d.replace(tzinfo=timezone.utc)
        return d.astimezone(timezone.utc)

    @property
    def start_utc(self) -> datetime:
        """Start as an aware UTC datetime."""
        return self._utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """End (exclusive) as an aware UTC datetime."""
        return self._utc(self.end)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict (ISO 8601 strings)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
            "tz": self.tz,
            "phrase": self.phrase,
        }

    @classmethod
    def from_dict(cls, data: dict) -> TimeEstimate:
        """Build from :meth:`to_dict` output."""
        return cls(**data)


def utc_instant(value: Union[str, date, datetime]) -> datetime:
    """Return a time as an aware UTC datetime (a naive time is taken as UTC).

    Examples
    --------
    >>> utc_instant("2019-09-09T03:00+03:00").isoformat()
    '2019-09-09T00:00:00+00:00'
    """
    d = _parse_dt(value, "window bound")
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.astimezone(timezone.utc)
