"""link_events / merge_linked: one event from many datasets (#15)."""

import pytest
from pyproj import Geod

import geoconflict as gc
from geoconflict.analysis.linking import UCDP_TYPES_OF, link_events, merge_linked
from geoconflict.events.claims import CasualtyClaim
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event, TimeEstimate
from geoconflict.events.sites import Location, Site
from tests.linking_data import precision_recall, truth_set


@pytest.fixture(scope="module", params=[0, 1])
def data(request):
    return truth_set(n_shared=800, n_only=150, n_distractors=300, seed=request.param)


def test_precision_and_recall_on_the_truth_set(data):
    a, u, truth = data
    links = link_events(a, u)
    p, r = precision_recall(links, truth)
    assert p >= 0.95, p
    assert r >= 0.95, r


def test_the_taxonomy_keeps_out_same_day_records_of_another_type(data):
    a, u, truth = data
    typed = precision_recall(link_events(a, u), truth)
    untyped = precision_recall(link_events(a, u, match=None), truth)
    assert untyped[0] < typed[0]  # the distractors of another type get linked


def test_distances_are_exact_geodesics(data):
    a, u, _ = data
    g = Geod(ellps="WGS84")
    for row in link_events(a, u)[:50]:
        la, lb = (
            a[row["left_id"]].primary_site.location,
            u[row["right_id"]].primary_site.location,
        )
        want = g.inv(la.lon, la.lat, lb.lon, lb.lat)[2]
        assert row["distance_m"] == pytest.approx(want, abs=1e-6)
        assert 0 <= row["score"] <= 1
        assert "km apart" in row["reason"]


def test_one_to_one_and_many_to_one(data):
    a, u, _ = data
    links = link_events(a, u)
    lefts = [r["left_id"] for r in links]
    rights = [r["right_id"] for r in links]
    assert len(set(lefts)) == len(lefts)
    assert len(set(rights)) == len(rights)
    many = link_events(a, u, mode="many_to_one", max_days=30)
    rights = [r["right_id"] for r in many]
    assert len(set(rights)) == len(rights)
    assert len({r["left_id"] for r in many}) < len(many)  # some left take several


def ev(i, lon, lat, day, precision="exact", tags=(), etype=None, claims=()):
    return Event(
        i,
        TimeEstimate(day),
        [Site("s1", Location(lon, lat, precision))],
        list(claims),
        category=Category(event_type=etype),
        tags=list(tags),
    )


def test_default_windows_come_from_the_precisions():
    g = Geod(ellps="WGS84")
    lon2, lat2, _ = g.fwd(40.9, 34.45, 90.0, 500.0)
    left = EventSet([ev("a", 40.9, 34.45, "2019-09-09")])
    right = EventSet([ev("b", lon2, lat2, "2019-09-09")])
    assert link_events(left, right) == []  # exact: 100 m + 100 m < 500 m
    assert len(link_events(left, right, max_distance_m=300.0)) == 1
    town = EventSet([ev("b", lon2, lat2, "2019-09-09", precision="settlement")])
    assert len(link_events(left, town)) == 1  # the town's 5 km reaches it
    later = EventSet([ev("b", 40.9, 34.45, "2019-09-12")])
    assert link_events(left, later) == []  # day intervals 2 days apart
    (row,) = link_events(left, later, max_days=2)
    assert row["days"] == pytest.approx(2.0)
    month = EventSet([ev("b", 40.9, 34.45, "2019-09")])  # known to the month
    assert len(link_events(left, month)) == 1


def test_taxonomy_map():
    assert UCDP_TYPES_OF["Violence against civilians"] == ("one-sided",)
    assert UCDP_TYPES_OF["Protests"] == ()
    left = EventSet([ev("a", 40.9, 34.45, "2019-09-09", etype="Protests")])
    right = EventSet([ev("b", 40.9, 34.45, "2019-09-09", tags=["state-based"])])
    assert link_events(left, right) == []
    assert len(link_events(left, right, match=None)) == 1
    battles = EventSet([ev("a", 40.9, 34.45, "2019-09-09", etype="Battles")])
    assert len(link_events(battles, right)) == 1
    untyped = EventSet([ev("a", 40.9, 34.45, "2019-09-09")])
    assert len(link_events(untyped, right)) == 1  # no type: compatible with any


def test_bad_options():
    es = EventSet([ev("a", 40.9, 34.45, "2019-09-09")])
    with pytest.raises(ValueError, match="mode"):
        link_events(es, es, mode="best")
    with pytest.raises(ValueError, match="max_distance_m"):
        link_events(es, es, max_distance_m=-1)
    with pytest.raises(ValueError, match="not in the sets"):
        merge_linked(es, es, [{"left_id": "a", "right_id": "zz"}])


def test_merge_keeps_every_source_side_by_side():
    left = EventSet(
        [
            ev("A1", 40.91, 34.45, "2019-09-09", precision="settlement",
               etype="Explosions/Remote violence",
               claims=[CasualtyClaim("acled", "killed", 18)]),
            ev("A2", 44.0, 33.0, "2019-09-09", precision="settlement"),
        ]
    )  # fmt: skip
    right = EventSet(
        [
            Event(
                "U1",
                TimeEstimate("2019-09-08", "2019-09-11"),
                [
                    Site("s1", Location(40.92, 34.45, "exact")),
                    Site("s2", Location(40.95, 34.40, "exact"), role="impact"),
                ],
                [
                    CasualtyClaim("ucdp-ged", "killed", 21, low=18, high=26),
                    CasualtyClaim("ucdp-ged", "wounded", 3, site="s2"),
                ],
                tags=["state-based"],
            ),
            ev("A2", 30.0, 30.0, "2019-01-01"),  # same id as a left record
        ]
    )
    links = link_events(left, right)
    assert [(r["left_id"], r["right_id"]) for r in links] == [("A1", "U1")]
    merged = merge_linked(left, right, links)
    assert len(merged) == len(left) + len(right) - len(links)
    e = merged["A1"]
    by = e.casualties("by_source")
    assert by["acled"]["killed"] == (18.0, 18.0, 18.0)
    assert by["ucdp-ged"]["killed"] == (18.0, 21.0, 26.0)
    assert [s.id for s in e.sites] == ["s1", "U1:s1", "U1:s2"]
    assert e.claims[-1].site == "U1:s2"
    assert e.external_ids["linked"] == "U1"
    assert "linked" in e.tags
    assert e.category.event_type == "Explosions/Remote violence"
    # the time both allow: the day of A1 inside U1's range
    assert (e.time.start.isoformat(), e.time.end.isoformat()) == (
        "2019-09-09T00:00:00",
        "2019-09-10T00:00:00",
    )
    assert merged["right:A2"].primary_site.location.lon == 30.0
    assert gc.merge_linked is merge_linked


def test_footprint_only_locations_are_regions():
    import shapely

    box = shapely.box(40.8, 34.3, 41.0, 34.5)
    left = EventSet(
        [
            Event(
                "a",
                TimeEstimate("2019-09-09"),
                [Site("s1", Location(precision="settlement", footprint=box))],
            ),
            Event(
                "nowhere",
                TimeEstimate("2019-09-09"),
                [Site("s1", Location(precision="country", country="SYR"))],
            ),
        ]
    )
    right = EventSet([ev("b", 40.99, 34.49, "2019-09-09")])  # a corner of the box
    (row,) = link_events(left, right)
    assert (row["left_id"], row["right_id"]) == ("a", "b")
    merged = merge_linked(left, right, [row])
    assert [e.id for e in merged] == ["a", "nowhere"]  # the unlocated one passes
