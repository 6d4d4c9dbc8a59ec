"""Issue #11: dates keep the period their text names; the country check flags, not rejects,
what lies within the boundary dataset's uncertainty.

Coordinates are (lon, lat) in degrees WGS84, distances in meters.
"""

import calendar
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.events.model import TimeEstimate
from geoconflict.events.native import to_native
from geoconflict.events.native_read import from_native
from geoconflict.events.time import period_end
from geoconflict.io import validate
from geoconflict.io._rows import parse_date

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
    for t in (TimeEstimate(text), parse_date(text, "event_date", precision="day")):
        assert (t.start, t.end, t.precision) == (start, end, precision), text
    # a coarser stated precision still wins over a finer text; a finer one never narrows
    t = TimeEstimate(text, precision="year")
    assert (t.start, t.end) == expected_period(y, m, d, "year")
    # the inclusive end of a data file: through the last day of the period
    assert period_end(text) == end


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
    back = from_native(json.loads(json.dumps(to_native(es))))
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


# --------------------------------------------------------------------------- #
# 9. the country check: flag within the boundary dataset's uncertainty
# --------------------------------------------------------------------------- #

HEADER = "event_id_cnty,event_date,latitude,longitude,geo_precision,country\n"


def acled(tmp_path, rows):
    """Read ACLED rows given as (id, lon, lat, country); returns the EventSet."""
    p = tmp_path / "acled.csv"
    p.write_text(
        HEADER
        + "".join(f"{i},2019-09-09,{lat},{lon},1,{c}\n" for i, lon, lat, c in rows)
    )
    return gc.read_acled(p)


def p_reason(es, row):
    (r,) = [r for r in es.rejected if r["row"] == row]
    return r["reason"]


def by_id(es, ids):
    """The problem of each row, keyed by the row's id (rows are 1-based)."""
    rows = {r["row"]: r for r in es.rejected}
    return {k: rows.get(n) for n, k in enumerate(ids, start=1)}


def geod_distance_to_boundary(lon, lat, code, step_deg=0.0005):
    """Independent oracle: pyproj.Geod to the densified boundary vertices of `code`, m."""
    import numpy as np
    import pyproj
    import shapely

    from geoconflict.geography import boundaries

    g = boundaries.country(code).geometry
    near = shapely.intersection(
        shapely.boundary(g), shapely.box(lon - 0.3, lat - 0.3, lon + 0.3, lat + 0.3)
    )
    v = shapely.get_coordinates(shapely.segmentize(near, step_deg))
    d = pyproj.Geod(ellps="WGS84").inv(
        np.full(len(v), lon), np.full(len(v), lat), v[:, 0], v[:, 1]
    )[2]
    return float(d.min())


# the brief's coordinates, and the shipped gazetteer's for the same towns
BORDER_TOWNS = {
    "tall-abyad": (38.98, 36.70),
    "kobani": (38.36, 36.89),
    "kassab": (35.93, 35.92),
}


def test_border_towns_that_ne_puts_in_turkey_are_kept_and_flagged(tmp_path):
    from geoconflict.geography import lookup, places

    towns = dict(BORDER_TOWNS)
    for name in ("Tall Abyad", "Kobani", "Kassab"):
        p = places.lookup(name).best
        assert p.country == "SY"
        towns[f"{name} (geonames {p.id})"] = (p.lon, p.lat)
    ids = list(towns)
    es = acled(tmp_path, [(k, lon, lat, "Syria") for k, (lon, lat) in towns.items()])
    assert [e.id for e in es] == ids  # every town kept
    assert es.rejected.counts()["rejected"] == 0
    probs = by_id(es, ids)
    n_in_tur = 0
    for k, (lon, lat) in towns.items():
        r = probs[k]
        if lookup.country_at(lon, lat) == "SYR":
            assert r is None, k
            continue
        n_in_tur += 1
        assert lookup.country_at(lon, lat) == "TUR"
        assert r["action"] == "flagged", k
        assert "inside TUR per Natural Earth 10m" in r["reason"]
        assert "within the dataset's ±3 km uncertainty of the SYR border" in r["reason"]
        assert r["reason"].endswith("the row says SYR")
        assert "swapped" not in r["reason"]
        # the distance stated agrees with an independent geodesic oracle
        km = float(r["reason"].split("point lies ")[1].split(" km")[0])
        assert km == pytest.approx(
            geod_distance_to_boundary(lon, lat, "SYR") / 1000, abs=0.06
        )
        assert es[k].sites[0].location.flags == [validate.FLAG_NEAR_BOUNDARY]
    assert n_in_tur >= 3  # the brief's three town points all lie in TUR per NE


def test_coastal_points_at_sea_in_ne_are_flagged_not_rejected(tmp_path):
    from geoconflict.geography import lookup

    coast = {
        "tartus-coast": (35.976, 34.634),  # land in OSM, sea in NE, 1.8 km off
        "latakia-coast": (35.862, 35.862),  # north of Latakia; also lat == lon
    }
    for lon, lat in coast.values():  # the premise: NE says sea, OSM says Syria
        assert lookup.country_at(lon, lat) is None
        assert lookup.country_at(lon, lat, dataset="osm") == "SYR"
    es = acled(tmp_path, [(k, lon, lat, "SYR") for k, (lon, lat) in coast.items()])
    assert [e.id for e in es] == list(coast)
    for k, r in by_id(es, list(coast)).items():
        assert r["action"] == "flagged"
        assert "off the SYR coast (at sea per Natural Earth 10m)" in r["reason"]
        assert "±3 km uncertainty of the coastline" in r["reason"]
        assert es[k].sites[0].location.flags == [validate.FLAG_NEAR_BOUNDARY]


def test_swapped_needs_evidence_and_far_points_are_still_rejected(tmp_path):
    rows = [
        ("lat-eq-lon", 36.2, 36.2, "SYR"),  # in TUR, 14.6 km from SYR: not swapped
        ("lat-near-lon", 35.815, 35.825, "SYR"),  # off Latakia; swapped is in SYR
        ("swapped", 34.45, 40.9, "SYR"),  # the point for 34.45 N 40.92 E, swapped
        ("at-sea", 33.0, 34.0, "SYR"),  # far out in the Mediterranean
        ("egypt", 31.24, 30.04, "SYR"),  # Cairo: not a neighbour of Syria
        ("abu-kamal-iraq", 40.91854, 34.45226, "IRQ"),  # in SYR, 6.7 km from IRQ
        ("good", 40.91854, 34.45226, "SYR"),
    ]
    es = acled(tmp_path, rows)
    assert [e.id for e in es] == [
        "lat-eq-lon",
        "lat-near-lon",
        "abu-kamal-iraq",
        "good",
    ]
    assert "are swapped" not in p_reason(es, 2)
    p = by_id(es, [r[0] for r in rows])
    assert p["lat-eq-lon"]["action"] == "flagged"
    assert "are swapped" not in p["lat-eq-lon"]["reason"]
    assert "inside TUR" in p["lat-eq-lon"]["reason"]
    assert "beyond the dataset's ±3 km uncertainty" in p["lat-eq-lon"]["reason"]
    assert es["lat-eq-lon"].sites[0].location.flags == [validate.FLAG_COUNTRY_MISMATCH]
    assert p["swapped"]["action"] == "rejected"
    assert "latitude and longitude are swapped" in p["swapped"]["reason"]
    assert p["at-sea"]["action"] == "rejected"
    assert "at sea" in p["at-sea"]["reason"]
    assert p["egypt"]["action"] == "rejected"
    assert "EGY" in p["egypt"]["reason"]
    assert "does not border" in p["egypt"]["reason"]
    assert p["abu-kamal-iraq"]["action"] == "flagged"
    assert "inside SYR" in p["abu-kamal-iraq"]["reason"]
    assert p["good"] is None
    assert es.rejected.counts() == {"rejected": 3, "flagged": 3}


@settings(max_examples=20)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.floats(-80, 80), st.floats(35.5, 37.5)),  # world; Levant
            st.floats(-0.02, 0.02),
            st.sampled_from(["SYR", "IRQ", "TUR", "FRA", "EGY", "IRN"]),
        ),
        min_size=1,
        max_size=40,
    )
)
@example([(35.815, 0.01, "SYR"), (36.567, -0.02, "TUR"), (36.2, 0.0, "SYR")])
def test_points_with_lat_close_to_lon_are_never_called_swapped(points):
    """|lat - lon| <= 0.02° puts the swapped point within ~3 km of the given one."""
    events = [
        gc.Event(
            f"e{i}",
            TimeEstimate("2019-09-09"),
            [gc.Site("s", gc.Location(x, x + dx, "settlement", country=c))],
        )
        for i, (x, dx, c) in enumerate(points)
    ]
    rej = gc.Rejected()
    validate.country_pass("x.csv", events, list(range(1, len(events) + 1)), rej)
    assert not [r for r in rej if "are swapped" in r["reason"]]


def test_country_check_is_vectorized(tmp_path, monkeypatch):
    """One country_at call for all rows (plus one for the swapped points of the
    rows that disagree); distances only for the rows that disagree."""
    from geoconflict.geography import borders, lookup

    calls, dist_sizes = [], []
    real_at, real_dist = lookup.country_at, borders.distance_and_nearest

    def counting_at(lon, lat, **kw):
        calls.append(len(lon))
        return real_at(lon, lat, **kw)

    def counting_dist(lon, lat, geom):
        dist_sizes.append(len(lon))
        return real_dist(lon, lat, geom)

    monkeypatch.setattr(lookup, "country_at", counting_at)
    monkeypatch.setattr(borders, "distance_and_nearest", counting_dist)
    good = [(f"g{i}", 40.9 + i * 1e-4, 34.45, "SYR") for i in range(200)]
    odd = [("t", 38.98, 36.70, "SYR"), ("s", 33.0, 34.0, "SYR")]
    es = acled(tmp_path, good + odd)
    assert len(es) == 201
    assert calls == [202, 2]
    assert sum(dist_sizes) == 2


def test_rejected_and_flagged_are_counted_apart(tmp_path):
    es = acled(
        tmp_path,
        [
            ("t", 38.98, 36.70, "SYR"),  # flagged
            ("s", 33.0, 34.0, "SYR"),  # rejected
            ("g", 40.91854, 34.45226, "SYR"),
        ],
    )
    r = es.rejected
    assert [x["row"] for x in r.flagged()] == [1]
    assert [x["row"] for x in r.rejected_rows()] == [2]
    assert isinstance(r.flagged(), gc.Rejected)
    assert r.counts() == {"rejected": 1, "flagged": 1}
    assert r.summary() == "1 row rejected, 1 row flagged"
    assert "1 row rejected, 1 row flagged" in repr(es)
    with pytest.raises(ValueError, match="unknown action"):
        r.add("a.csv", 1, None, None, "x", action="dropped")
    # the flag travels with the kept event
    back = from_native(json.loads(json.dumps(to_native(es))))
    assert back["t"].sites[0].location.flags == [validate.FLAG_NEAR_BOUNDARY]


def test_cli_import_summary_counts_rejected_and_flagged_apart(tmp_path):
    from click.testing import CliRunner

    from geoconflict.cli.main import cli

    src = tmp_path / "a.csv"
    src.write_text(
        HEADER
        + "T,2019-09-09,36.70,38.98,1,Syria\n"  # Tall Abyad: flagged
        + "G,2019-09-09,34.45226,40.91854,1,Syria\n"
    )
    out = tmp_path / "e.geojson"
    runner = CliRunner()
    r = runner.invoke(cli, ["import", str(src), "-o", str(out), "--strict"])
    assert r.exit_code == 0, r.output  # flagged rows are kept: not a --strict failure
    assert "2 events" in r.output
    assert "0 rows rejected, 1 row flagged" in r.output
    src.write_text(src.read_text() + "S,2019-09-09,34.0,33.0,1,Syria\n")
    r = runner.invoke(cli, ["import", str(src), "-o", str(out), "--strict"])
    assert r.exit_code == 1
    assert "1 row rejected, 1 row flagged" in r.output
