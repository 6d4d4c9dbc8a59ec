"""Issue #11: dates keep the period their text names; the country check flags, not rejects,
what lies within the boundary dataset's uncertainty.

Coordinates are (lon, lat) in degrees WGS84, distances in meters.
"""

import calendar
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict import eventio
from geoconflict.events import TimeEstimate

# --------------------------------------------------------------------------- #
# 7. month- and year-only dates
# --------------------------------------------------------------------------- #


def expected_period(y: int, m: int, d: int, precision: str):
    """[start, end) of the stated period, from calendar arithmetic (the oracle)."""
    if precision == "day":
        s = datetime(y, m, d)
        return s, s + timedelta(days=1)
    if precision == "month":
        s = datetime(y, m, 1)
        return s, s + timedelta(days=calendar.monthrange(y, m)[1])
    return datetime(y, 1, 1), datetime(y + 1, 1, 1)


def texts(y: int, m: int, d: int, precision: str) -> list[str]:
    """The ways files write a date of each precision."""
    mon = date(y, m, 1)
    if precision == "day":
        return [
            f"{y:04d}-{m:02d}-{d:02d}",
            f"{d} {mon:%B} {y}",
            f"{d:02d} {mon:%b} {y}",
            f"{y:04d}/{m:02d}/{d:02d}",
        ]
    if precision == "month":
        return [f"{y:04d}-{m:02d}", f"{mon:%B} {y}", f"{mon:%b} {y}", f"{y}/{m:02d}"]
    return [f"{y:04d}"]


ymd = st.tuples(
    st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 28)
).flatmap(
    lambda t: st.tuples(
        st.just(t[0]),
        st.just(t[1]),
        st.integers(1, calendar.monthrange(t[0], t[1])[1]),
    )
)


@settings(max_examples=60)
@given(ymd, st.sampled_from(["day", "month", "year"]), st.data())
def test_date_text_covers_exactly_its_period(when, precision, data):
    y, m, d = when
    text = data.draw(st.sampled_from(texts(y, m, d, precision)))
    start, end = expected_period(y, m, d, precision)
    for t in (TimeEstimate(text), eventio._date(text, "event_date", precision="day")):
        assert (t.start, t.end, t.precision) == (start, end, precision), text
    # a coarser stated precision still wins over a finer text; a finer one never narrows
    t = TimeEstimate(text, precision="year")
    assert (t.start, t.end) == expected_period(y, m, d, "year")
    # the inclusive end of a data file: through the last day of the period
    assert eventio._period_end(text) == end


@pytest.mark.parametrize(
    "text", ["2019-09", "September 2019", "Sep 2019", "2019/09", "09/2019"]
)
def test_month_only_dates_keep_the_month(text):
    t = TimeEstimate(text)
    assert t.precision == "month"
    assert (t.start, t.end) == (datetime(2019, 9, 1), datetime(2019, 10, 1))
    # 2019-09-01 .. 2019-09-30 inclusive: the last day is in, October 1 is out
    es = gc.EventSet([gc.Event("e", t, [gc.Site("s", gc.Location(40.9, 34.4))])])
    assert len(es.between("2019-09-30", "2019-10-01")) == 1
    assert len(es.between("2019-10-01", "2019-10-02")) == 0


def test_year_only_date_keeps_the_year():
    t = TimeEstimate("2019")
    assert (t.start, t.end, t.precision) == (
        datetime(2019, 1, 1),
        datetime(2020, 1, 1),
        "year",
    )
    # an ISO week names its 7 days
    w = TimeEstimate("2019-W37")
    assert (w.start, w.end, w.precision) == (
        datetime(2019, 9, 9),
        datetime(2019, 9, 16),
        "week",
    )


def test_acled_month_date_with_day_precision_code(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(
        "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,country\n"
        "S1,2019-09,1,34.4523,40.9185,1,Syria\n"  # month text, code says day
        "S2,2019-09-15,3,34.4523,40.9185,1,Syria\n"  # code 3: the month
        "S3,Sep 2019,,34.4523,40.9185,1,Syria\n"
        "S4,2019,1,34.4523,40.9185,1,Syria\n"
    )
    es = gc.read_acled(p)
    assert len(es.rejected) == 0
    sep = (datetime(2019, 9, 1), datetime(2019, 10, 1), "month")
    for eid in ("S1", "S2", "S3"):
        t = es[eid].time
        assert (t.start, t.end, t.precision) == sep, eid
    t = es["S4"].time
    assert (t.start, t.end, t.precision) == (
        datetime(2019, 1, 1),
        datetime(2020, 1, 1),
        "year",
    )


def test_ucdp_month_dates_keep_the_month(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text(
        "id,latitude,longitude,where_prec,date_prec,date_start,date_end,best,country\n"
        "1,34.4523,40.9185,1,1,2019-09,2019-09,3,Syria\n"
        "2,34.4523,40.9185,1,4,2019-09-01,2019-09-30,3,Syria\n"
        "3,34.4523,40.9185,1,1,2019-09-09,2019-09-09,3,Syria\n"
    )
    es = gc.read_ucdp_ged(p)
    assert len(es.rejected) == 0
    sep = (datetime(2019, 9, 1), datetime(2019, 10, 1), "month")
    for eid in ("1", "2"):
        t = es[eid].time
        assert (t.start, t.end, t.precision) == sep, eid
    t = es["3"].time
    assert (t.start, t.end, t.precision) == (
        datetime(2019, 9, 9),
        datetime(2019, 9, 10),
        "day",
    )


def test_generic_csv_month_and_inclusive_end(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text(
        "id,date,end,lat,lon\n"
        "a,Sep 2019,,34.45,40.92\n"
        "b,2019-09,2019-11,34.45,40.92\n"  # September through November
        "c,2019-09-01,2019-09-30,34.45,40.92\n"  # through September 30
        "d,2019,,34.45,40.92\n"
        "e,2019-09-01,not a date,34.45,40.92\n"
    )
    es = gc.read_events(p)
    assert [e.id for e in es] == ["a", "b", "c", "d"]
    assert (es["a"].time.start, es["a"].time.end, es["a"].time.precision) == (
        datetime(2019, 9, 1),
        datetime(2019, 10, 1),
        "month",
    )
    assert (es["b"].time.start, es["b"].time.end) == (
        datetime(2019, 9, 1),
        datetime(2019, 12, 1),
    )
    assert es["c"].time.end == datetime(2019, 10, 1)
    assert es["d"].time.precision == "year"
    (r,) = es.rejected
    assert (r["row"], r["column"], r["value"]) == (5, "end", "not a date")


@settings(max_examples=25)
@given(ymd, st.sampled_from(["day", "week", "month", "year"]))
def test_native_round_trip_keeps_precision_and_interval(when, precision):
    y, m, d = when
    t = TimeEstimate(datetime(y, m, d), precision=precision, tz="Asia/Damascus")
    es = gc.EventSet([gc.Event("e", t, [gc.Site("s", gc.Location(40.9, 34.4))])])
    back = eventio.from_native(json.loads(json.dumps(eventio.to_native(es))))
    b = back["e"].time
    assert (b.start, b.end, b.precision, b.tz) == (t.start, t.end, t.precision, t.tz)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp"])
def test_write_read_keeps_month_and_year(tmp_path, suffix):
    if suffix != ".geojson":
        pytest.importorskip("pyogrio")
    loc = gc.Location(40.91854, 34.45226, "settlement", country="SYR")
    es = gc.EventSet(
        [
            gc.Event(k, TimeEstimate(text), [gc.Site("s", loc)])
            for k, text in (("m", "Sep 2019"), ("y", "2019"), ("d", "2019-09-09"))
        ]
    )
    back = gc.read_events(gc.write_events(es, tmp_path / f"x{suffix}"))
    assert len(back.rejected) == 0
    for e in es:
        b = back[e.id].time
        assert (b.start, b.end, b.precision) == (
            e.time.start,
            e.time.end,
            e.time.precision,
        ), (suffix, e.id)
