import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoconflict.events.claims import AttributionClaim as A
from geoconflict.events.claims import CasualtyClaim as C
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event, Rejected, TimeEstimate
from geoconflict.events.sites import (
    DEFAULT_RADIUS_M,
    Location,
    Site,
    flag_gazetteer_points,
)
from geoconflict.geodesy.measurement import distance

ABU_KAMAL = (40.91854, 34.45226)
AL_QAIM = (40.98945, 34.39251)


def site(lon=ABU_KAMAL[0], lat=ABU_KAMAL[1], precision="settlement", **kw):
    return Site("s1", Location(lon, lat, precision, **kw))


def ev(eid="e", claims=(), t=None, **kw):
    return Event(
        eid, t or TimeEstimate("2019-09-09"), [kw.pop("s", site())], list(claims), **kw
    )


def test_casualty_policies():
    e = ev(
        claims=[
            C("activists", "killed", 21, group="fighters"),
            C("activists", "wounded", 36, group="fighters"),
            C("official", "killed", 0),
            C("official", "wounded", 0),
        ]
    )
    cons = e.casualties()
    assert cons["killed"] == 0.0
    assert cons["wounded"] == 0.0
    assert math.isnan(cons["missing"])
    assert e.casualties("range")["killed"] == (0.0, 21.0)
    assert e.casualties("range")["wounded"] == (0.0, 36.0)
    bs = e.casualties("by_source")
    assert bs["activists"]["killed"] == (21.0, 21.0, 21.0)
    assert bs["official"]["wounded"] == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="policy"):
        e.casualties("median")


def test_casualties_total_covers_groups_and_groups_add_up():
    e = ev(
        claims=[
            C("u", "killed", 10),
            C("u", "killed", 4, group="civilians"),
            C("v", "killed", 3, group="a"),
            C("v", "killed", 5, group="b"),
        ]
    )
    bs = e.casualties("by_source")
    assert bs["u"]["killed"][1] == 10  # the total, not 14
    assert bs["v"]["killed"][1] == 8
    assert e.casualties()["killed"] == 8


def test_casualties_at_least_gives_open_range():
    e = ev(claims=[C("a", "killed", 5, qualifier="at least"), C("b", "killed", 2)])
    lo, hi = e.casualties("range")["killed"]
    assert lo == 2
    assert math.isinf(hi)


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ([], "unknown"),
        ([A("idf", "Israel", "declined_to_comment")], "unknown"),
        (
            [A("pmf", "Israel", "accused"), A("idf", "Israel", "declined_to_comment")],
            "claimed",
        ),
        (
            [A("sab", "United States", "accused"), A("us", "United States", "denied")],
            "contested",
        ),
        ([A("pentagon", "United States", "claimed")], "declared"),
        ([A("us", "United States", "denied")], "denied"),
        ([A("x", "Israel", "accused"), A("y", "United States", "claimed")], "declared"),
        ([A("x", "Israel", "accused"), A("y", "United States", "denied")], "claimed"),
    ],
)
def test_attribution_status(claims, status):
    assert ev(claims=claims).attribution_status() == status


def test_attribution_by_actor():
    e = ev(
        claims=[
            A("x", "Israel", "accused"),
            A("y", "United States", "accused"),
            A("us", "United States", "denied"),
        ]
    )
    assert e.attribution_status(by_actor=True) == {
        "Israel": "claimed",
        "United States": "contested",
    }


def test_time_estimate_intervals():
    t = TimeEstimate("2019-09-09T03:40", precision="hour")
    assert (t.start.hour, t.end.hour) == (3, 4)
    t = TimeEstimate("2021-02-14", precision="month")
    assert t.start.day == 1
    assert t.end.month == 3
    t = TimeEstimate("2021-12-05", precision="month")
    assert t.end.year == 2022
    assert t.end.month == 1
    t = TimeEstimate("2021-06-27", precision="week")
    assert (t.end - t.start).days == 7
    t = TimeEstimate("2019-09-09", precision="day", tz="Asia/Damascus")
    assert t.start_utc.hour == 21  # UTC+3 in September 2019
    with pytest.raises(ValueError, match="precision"):
        TimeEstimate("2019-09-09", precision="fortnight")
    with pytest.raises(ValueError, match="before it starts"):
        TimeEstimate("2019-09-09", "2019-09-01")


def test_between_respects_precision():
    es = EventSet(
        [
            ev("day", t=TimeEstimate("2021-06-27")),
            ev("month", t=TimeEstimate("2021-06", precision="month")),
            ev("late", t=TimeEstimate("2021-09-14")),
        ]
    )
    assert [e.id for e in es.between("2021-06-01", "2021-07-01", mode="within")] == [
        "day",
        "month",
    ]
    assert [e.id for e in es.between("2021-06-27", "2021-06-28", mode="within")] == [
        "day"
    ]
    assert [e.id for e in es.between("2021-06-27", "2021-06-28")] == ["day", "month"]
    assert [e.id for e in es.between("2021-07-01", "2021-12-31")] == ["late"]


def test_filter_and_aggregate():
    es = EventSet(
        [
            ev("a", s=site(precision="exact", country="SYR", admin1="Deir ez-Zor")),
            ev(
                "b",
                s=site(*AL_QAIM, country="IRQ", admin1="Anbar"),
                t=TimeEstimate("2019-10-01"),
            ),
            ev(
                "c",
                s=site(43.3, 33.4, precision="province", country="IRQ", admin1="Anbar"),
                t=TimeEstimate("2019-09", precision="month"),
            ),
        ]
    )
    assert [e.id for e in es.filter(max_precision="settlement")] == ["a", "b"]
    assert [e.id for e in es.filter(max_precision="exact")] == ["a"]
    assert [e.id for e in es.filter(country="IRQ")] == ["b", "c"]
    assert es.aggregate("country") == {"IRQ": 2, "SYR": 1}
    assert es.aggregate("admin1") == {"Anbar": 2, "Deir ez-Zor": 1}
    assert es.aggregate("period") == {"2019-09": 2, "2019-10": 1}
    assert es.aggregate("period", period="week") == {
        "2019-W37": 1,
        "2019-W40": 1,
        "imprecise": 1,
    }
    with pytest.raises(ValueError, match="precision"):
        es.filter(max_precision="street")


def test_location_uncertainty():
    assert Location(1, 2, "settlement").uncertainty_m == DEFAULT_RADIUS_M["settlement"]
    assert Location(1, 2, "exact", radius_m=30).uncertainty_m == 30
    import shapely

    sq = shapely.box(40.0, 34.0, 40.01, 34.01)
    loc = Location(footprint=sq, precision="exact", method="mgrs")
    assert loc.has_point
    corner = distance(loc.lon, loc.lat, 40.0, 34.0)
    assert loc.uncertainty_m >= corner
    with pytest.raises(ValueError, match="precision"):
        Location(1, 2, "town")
    with pytest.raises(ValueError, match="method"):
        Location(1, 2, method="guess")
    with pytest.raises(ValueError, match="latitude"):
        Location(1, 95)


def test_site_and_event_validation():
    with pytest.raises(ValueError, match="role"):
        Site("x", Location(1, 2), role="victim")
    with pytest.raises(ValueError, match="at least one site"):
        Event("e", TimeEstimate("2019-09-09"), [])
    with pytest.raises(ValueError, match="unknown site"):
        ev(claims=[C("a", "killed", 1, site="nope")])
    with pytest.raises(ValueError, match="duplicate"):
        EventSet([ev("a"), ev("a")])


def test_category_validation():
    assert (
        Category(
            "Political violence", "Explosions/Remote violence", "Air/drone strike"
        ).validate()
        == []
    )
    assert (
        Category(
            "Political violence; Demonstrations", "Riots", "Mob violence"
        ).validate()
        == []
    )
    assert Category(None, "Battles", "Air/drone strike").validate()
    assert Category("Peace", None, None).validate()


def test_flag_gazetteer_points_vectorized_and_downgrade():
    lon = [ABU_KAMAL[0], ABU_KAMAL[0] + 0.0003, 40.5, AL_QAIM[0]]
    lat = [ABU_KAMAL[1], ABU_KAMAL[1], 34.0, AL_QAIM[1]]
    prec = ["exact", "exact", "exact", "settlement"]
    flagged, match = flag_gazetteer_points(
        lon, lat, prec, [AL_QAIM[0], ABU_KAMAL[0]], [AL_QAIM[1], ABU_KAMAL[1]]
    )
    # 0.0003 deg of longitude at 34.45 N is about 27.6 m: inside the 50 m tolerance
    assert flagged.tolist() == [True, True, False, False]
    assert match.tolist() == [1, 1, -1, -1]
    es = EventSet(
        [
            ev("a", s=site(precision="exact", method="reported_coordinates")),
            ev("b", s=site(40.5, 34.0, precision="exact")),
        ]
    )
    assert es.flag_gazetteer_points([ABU_KAMAL[0]], [ABU_KAMAL[1]], ["Abu Kamal"]) == 1
    loc = es["a"].sites[0].location
    assert loc.precision == "settlement"
    assert "exact_equals_gazetteer" in loc.flags
    assert es["b"].sites[0].location.precision == "exact"
    assert es.rejected[0]["action"] == "flagged"
    assert "Abu Kamal" in es.rejected[0]["reason"]


def test_rejected_table_outputs():
    r = Rejected()
    r.add("f.csv", 2, "latitude", "95", "latitude out of range")
    r.add("f.csv", 4, "event_date", "yesterday", "unparseable date", action="flagged")
    assert r.rows() == [2, 4]
    assert r.rows("rejected") == [2]
    md = r.to_markdown()
    assert md.splitlines()[0] == "| file | row | column | value | reason | action |"
    assert "yesterday" in md
    assert r.to_csv().splitlines()[1].startswith("f.csv,2,latitude,95")
    pd = pytest.importorskip("pandas")
    df = r.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df["row"]) == [2, 4]


def test_event_dict_round_trip_and_geodataframe():
    e = ev(
        claims=[C("a", "killed", 3), A("b", "X", "accused")],
        category=Category("Political violence", "Battles", "Armed clash"),
        tags=["t"],
        external_ids={"acled": "SYR1"},
        notes="n",
    )
    assert Event.from_dict(e.to_dict()).to_dict() == e.to_dict()
    gpd = pytest.importorskip("geopandas")
    gdf = EventSet([e]).to_geodataframe()
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].x == ABU_KAMAL[0]
    assert gdf["killed_min"].iloc[0] == 3


def test_flag_gazetteer_points_with_the_shipped_gazetteer():
    es = EventSet(
        [
            ev(
                "a", s=site(precision="exact", method="reported_coordinates")
            ),  # Abu Kamal's GeoNames point
            ev(
                "b",
                s=site(40.95, 34.42, precision="exact", method="reported_coordinates"),
            ),
        ]
    )
    assert es.flag_gazetteer_points() == 1
    assert es["a"].sites[0].location.precision == "settlement"
    assert "geonames 174448" in es.rejected[0]["reason"]
    assert es["b"].sites[0].location.precision == "exact"


_cells = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"a": _cells, "b": _cells}), max_size=6))
def test_one_table_writer_round_trips(rows):
    """_tables: the CSV reads back cell for cell; Markdown keeps one line per row
    and exactly the columns' cells (pipes escaped, line breaks flattened)."""
    import csv
    import io
    import re

    from geoconflict._tables import csv_text, markdown_text

    text = csv_text(rows, ["a", "b"])
    back = list(csv.DictReader(io.StringIO(text, newline="")))
    assert back == [
        {k: "" if r[k] is None else str(r[k]) for k in ("a", "b")} for r in rows
    ]
    lines = markdown_text(rows, ["a", "b"]).splitlines()
    assert len(lines) == len(rows) + 2
    for line in lines:
        assert len(re.findall(r"(?<!\\)\|", line)) == 3, line
