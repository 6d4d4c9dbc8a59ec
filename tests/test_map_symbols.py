"""#17: the pure parts of maps at scale — symbols, label order, corners, periods, credits.

No drawing here (fast): numpy and shapely only.  Coordinates (lon, lat) degrees
WGS84 or projected map meters, as named.
"""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geoconflict.io.features import Feature
from geoconflict.maps import MapSpec, border_features
from geoconflict.maps.html import _unwrap, _wrap_lon
from geoconflict.maps.labels import (
    CORNERS,
    _corner_counts,
    furniture_corners,
    inset_corner,
)
from geoconflict.maps.layers import event_sources, map_credits
from geoconflict.maps.periods import between, parse_day, period_groups
from geoconflict.maps.symbols import (
    SPREAD_UP_TO,
    group_symbols,
    label_order,
    merge_names,
    site_table,
)


def sites_at(xy, **props):
    return [Feature(shapely.Point(x, y), dict(props)) for x, y in xy]


def table_for(n, status="denied", weight=None):
    t = site_table(sites_at(np.zeros((n, 2)), attribution_status=status))
    if weight is not None:
        t["weight"] = np.asarray(weight, float)
    return t


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 12)),
        min_size=1,
        max_size=12,
    )
)
def test_every_site_in_exactly_one_symbol(cells):
    # groups of k sites at the same point: each group is one symbol with its count
    # (or spread on a circle when small); the counts add up to the number of sites
    xy = np.concatenate(
        [np.tile([x * 1000.0, y * 1000.0], (k, 1)) for x, y, k in cells]
    )
    n = len(xy)
    sym = group_symbols(xy, table_for(n), tol=10.0, spread_radius=50.0)
    assert sym.count.sum() == n
    points = {}
    for x, y, k in cells:
        points[(x, y)] = points.get((x, y), 0) + k
    big = sorted(k for k in points.values() if k > SPREAD_UP_TO)
    assert sorted(sym.count[sym.count > 1].tolist()) == big
    # spread symbols keep their true anchor, within the radius
    d = np.hypot(*(sym.xy - sym.anchor).T)
    assert (d <= 50.0 + 1e-6).all()


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 400), st.integers(0, 2**31 - 1))
def test_places_aggregate_keeps_totals(n, seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100_000, (n, 2))
    w = rng.integers(0, 20, n).astype(float)
    sym = group_symbols(
        xy,
        table_for(n, weight=w),
        tol=1.0,
        spread_radius=0.0,
        aggregate="places",
        cell=10_000.0,
    )
    assert sym.graduated
    assert sym.count.sum() == n
    assert sym.weight.sum() == pytest.approx(w.sum())
    # every symbol lies inside the cell of its members (mean of their positions)
    cells = np.floor(sym.anchor / 10_000.0)
    assert len({tuple(c) for c in cells}) == len(sym)


def test_most_frequent_status_colours_a_place():
    xy = np.zeros((5, 2))
    t = site_table(
        sites_at(xy[:3], attribution_status="denied")
        + sites_at(xy[3:], attribution_status="claimed")
    )
    sym = group_symbols(
        xy, t, tol=1.0, spread_radius=0.0, aggregate="places", cell=10.0
    )
    assert sym.status.tolist() == ["denied"]


def test_one_label_per_name_in_a_spread_group():
    # five events "in Abu Kamal" and one named otherwise, at one point: spread on a
    # circle (six markers), but labelled "Abu Kamal" once (with 5) and "Base" once
    xy = np.zeros((6, 2))
    feats = sites_at(xy[:5], name="Abu Kamal", event_id="e") + sites_at(
        xy[5:], name="Base"
    )
    sym = group_symbols(xy, site_table(feats), tol=1.0, spread_radius=100.0)
    assert len(sym) == 6
    labels = merge_names(sym)
    assert sorted(zip(labels.name.tolist(), labels.count.tolist())) == [
        ("Abu Kamal", 5),
        ("Base", 1),
    ]


def test_label_order_named_sites_first_then_largest():
    xy = np.array([[0, 0]] * 9 + [[5000, 0]] * 20 + [[9000, 0]])
    feats = (
        sites_at(xy[:9], name="Small", event_id="e")
        + sites_at(xy[9:29], name="Big", event_id="e")
        + sites_at(xy[29:], name="Base")  # a named site, not an event
    )
    sym = group_symbols(
        xy,
        site_table(feats),
        tol=1.0,
        spread_radius=0.0,
        aggregate="places",
        cell=100.0,
    )
    order = label_order(sym, "auto", cap=2)
    assert sym.name[order].tolist() == ["Base", "Big"]
    assert len(label_order(sym, "all")) == 3
    assert len(label_order(sym, "none")) == 0
    # a name at several places is labelled once in "auto", at its largest symbol
    xy2 = np.array([[0, 0]] * 3 + [[5000, 0]] * 7 + [[9000, 0]])
    dup = sites_at(xy2[:10], name="Town", event_id="e") + sites_at(
        xy2[10:], name="Town", event_id="e"
    )
    sym2 = group_symbols(
        xy2, site_table(dup), tol=1.0, spread_radius=0.0, aggregate="places", cell=100.0
    )
    (only,) = label_order(sym2, "auto")
    assert sym2.count[only] == 7
    assert len(label_order(sym2, "all")) == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 10)), max_size=60))
def test_inset_takes_the_emptiest_corner(points):
    xy = np.array(points, dtype=float).reshape(-1, 2)
    bounds, size = (0, 0, 10, 10), (0.25, 0.25)
    counts = dict(zip(CORNERS, _corner_counts(xy, bounds, size)))
    corner = inset_corner("auto", xy, bounds, size)
    assert counts[corner] == min(counts.values())
    where = furniture_corners(True, xy, bounds, size)
    assert len(set(where.values())) == 4  # inset, legend, north arrow, scale bar apart
    assert where["inset"] == corner
    assert inset_corner("none", xy, bounds, size) is None
    assert inset_corner("lower-left", xy, bounds, size) == "lower left"


def test_spec_refuses_unknown_choices():
    from geoconflict.errors import GeoconflictError

    with pytest.raises(GeoconflictError, match="aggregate 'blobs'"):
        MapSpec(aggregate="blobs")
    with pytest.raises(GeoconflictError, match="inset 'middle'"):
        MapSpec(inset="middle")


def test_between_and_months():
    feats = [
        Feature(shapely.Point(40, 34), {"start": d, "end": e})
        for d, e in [
            ("2019-01-05", None),
            ("2019-01-30", "2019-02-02"),
            ("2019-03", None),
            ("", None),
        ]
    ]
    spec = MapSpec(sites=feats)
    sub = between(spec, "2019-02-01", "2019-02-28")
    assert [f.properties["start"] for f in sub.sites] == [
        "2019-01-30"
    ]  # overlaps February
    assert "1 site without a date" in sub.notes[0]
    groups, undated = period_groups(feats, "month")
    assert list(groups) == ["2019-01", "2019-03"]
    assert len(groups["2019-01"]) == 2
    assert len(undated) == 1
    assert str(parse_day("2019", end=True)) == "2019-12-31"
    # the events model's one-day event: end at the next midnight, exclusive
    day = [
        Feature(
            shapely.Point(40, 34),
            {"start": "2019-01-31T00:00:00", "end": "2019-02-01T00:00:00"},
        )
    ]
    assert not between(MapSpec(sites=day), "2019-02-01", "2019-02-28").sites
    assert len(between(MapSpec(sites=day), "2019-01-31", "2019-01-31").sites) == 1


def test_credits_name_every_source_and_dataset():
    spec = MapSpec(
        sources=["ACLED (Armed Conflict Location & Event Data, acleddata.com)"]
    )
    spec.sites = [
        Feature(shapely.Point(40.9, 34.45), {"source": "SANA; Sabereen"}),
        Feature(shapely.Point(40.9, 34.40), {"source": "geonames"}),  # a place dataset
        Feature(shapely.Point(40.9, 34.41), {"source": "given"}),
    ]
    spec.lines = border_features(["IRQ", "SYR"], dataset="osm")
    lines = map_credits(spec, {"boundaries": True})
    text = "\n".join(lines)
    assert "© OpenStreetMap contributors" in text
    assert "Natural Earth" in text
    assert "GeoNames" in text
    assert event_sources(spec) == [spec.sources[0], "SANA", "Sabereen"]
    assert "Sources: ACLED" in text
    assert "SANA; Sabereen" in text
    # many outlets: the map names 20, the metadata all
    spec.sources = [f"Outlet {i}" for i in range(30)]
    short = "\n".join(map_credits(spec, {}))
    full = "\n".join(map_credits(spec, {}, full=True))
    assert "Outlet 19" in short
    assert "Outlet 20;" not in short
    assert "and 12 more" in short
    assert all(f"Outlet {i}" in full for i in range(30))


@settings(max_examples=40, deadline=None)
@given(st.floats(-180, 180), st.floats(-720, 720))
def test_wrap_lon_stays_near_the_centre(lon0, x):
    w = float(_wrap_lon(x, lon0))
    assert lon0 - 180 - 1e-9 <= w < lon0 + 180 + 1e-9
    assert ((w - x) / 360.0) == pytest.approx(round((w - x) / 360.0), abs=1e-9)


def test_unwrap_moves_whole_parts_across_the_antimeridian():
    west = shapely.box(-179.9, -18, -179.5, -16)
    east = shapely.box(179.5, -18, 179.9, -16)
    moved = _unwrap(np.array([west, east, shapely.MultiPolygon([west, east])]), 180.0)
    assert moved[0].bounds[0] == pytest.approx(180.1)
    assert moved[1].equals(east)
    xs = shapely.bounds(moved[2])
    assert xs[0] == pytest.approx(179.5)
    assert xs[2] == pytest.approx(180.5)


def test_spec_keys_for_scale():
    from geoconflict.errors import DataFormatError
    from geoconflict.maps import spec_from_dict

    spec = spec_from_dict(
        {"aggregate": "hex", "size_by": "fatalities", "labels": "none", "inset": "lower-left",
         "sources": ["ACLED"]}
    )  # fmt: skip
    assert (spec.aggregate, spec.size_by, spec.labels, spec.inset) == (
        "hex", "fatalities", "none", "lower-left",
    )  # fmt: skip
    assert spec.sources == ["ACLED"]
    assert spec_from_dict({"inset": False}).inset is False
    with pytest.raises(DataFormatError, match="labels 'some'"):
        spec_from_dict({"labels": "some"})
