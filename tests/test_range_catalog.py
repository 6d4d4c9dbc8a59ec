import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from geoconflict.analysis.range_catalog import (
    RangeCatalog,
    UnknownSystemError,
    in_range,
    load_catalog,
    reach,
)
from geoconflict.errors import DataFormatError, GeoconflictError

from .common import AL_TANF

WGS84 = Geodesic.WGS84

CSV = """system,aliases,min_range,max_range,claim,source
Alpha,A-1;Alpha Rocket,5 km,40 km,"up to 40 km",Maker
Alpha,,,60 km,"60 km",Analyst
Beta,,,10 nmi,"10 nautical miles",Maker
"""


@pytest.fixture
def cat(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text(CSV)
    return load_catalog(p)


def test_shipped_catalog_loads_and_keeps_disagreeing_claims():
    c = load_catalog()
    assert isinstance(c, RangeCatalog)
    assert len(c.systems) >= 5
    for system in c.systems:
        rows = c.ranges(system)
        assert all(r.source for r in rows)
        assert all(0 <= r.min_m < r.max_m for r in rows)
    # the point of the catalog: at least one system has disagreeing claims
    assert any(len({r.max_m for r in c.ranges(s)}) > 1 for s in c.systems)
    for system in c.systems:
        rows = c.ranges(system)
        assert c.ranges(system, "max")[0].max_m == max(r.max_m for r in rows)
        assert c.ranges(system, "min")[0].max_m == min(r.max_m for r in rows)


def test_shipped_catalog_rows_are_cited():
    """Every row names its source; a verified row points at a page, not a home page."""
    from urllib.parse import urlparse

    for r in load_catalog().claims:
        assert "to be cited" not in r.source.lower(), r
        assert r.claim, r
        assert r.url.startswith("http"), r
        if r.verified:
            assert urlparse(r.url).path.strip("/"), r
            assert "stored copy" in r.note, r
        else:
            assert "not verified" in r.note, r


def test_policies(cat):
    assert [r.max_m for r in cat.ranges("alpha")] == [40_000, 60_000]
    assert cat.ranges("Alpha", "max")[0].max_m == 60_000
    assert cat.ranges("Alpha", "min")[0].max_m == 40_000
    assert cat.ranges("A-1", "source=maker")[0].min_m == 5_000
    assert cat.ranges("beta")[0].max_m == pytest.approx(18_520)
    with pytest.raises(GeoconflictError, match="sources are: Analyst; Maker"):
        cat.ranges("Alpha", "source=nobody")
    with pytest.raises(GeoconflictError, match="unknown policy"):
        cat.ranges("Alpha", "median")


def test_unknown_system_lists_names(cat):
    with pytest.raises(UnknownSystemError, match="Known systems: Alpha, Beta") as e:
        cat.ranges("Alpah")
    assert "Did you mean 'Alpha'" in str(e.value)
    assert isinstance(e.value, KeyError)


def test_bad_catalog_rows_name_row_and_column(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("system,max_range,source\nX,40 kmz,Maker\n")
    with pytest.raises(DataFormatError, match="row 1, column 'max_range'"):
        load_catalog(p)
    p.write_text("system,max_range,source\nX,40 km,\n")
    with pytest.raises(DataFormatError, match="source"):
        load_catalog(p)
    p.write_text("system,source\nX,Maker\n")
    with pytest.raises(DataFormatError, match="missing column"):
        load_catalog(p)
    with pytest.raises(DataFormatError, match="not found"):
        load_catalog(tmp_path / "nope.csv")


def test_reach_draws_each_claim(cat):
    t = reach([AL_TANF, (40.9, 34.45)], "Alpha", catalog=cat)
    assert len(t) == 4
    assert t["site"].tolist() == [0, 0, 1, 1]
    assert t["source"].tolist() == ["Maker", "Analyst"] * 2
    assert t["inner_m"].tolist() == [5_000, 0, 5_000, 0]
    ann = t.geometry[0]
    assert len(ann.interiors) == 1
    # a point 20 km away is in the annulus, one 2 km away is not
    p20 = WGS84.Direct(AL_TANF[1], AL_TANF[0], 77, 20_000)
    p2 = WGS84.Direct(AL_TANF[1], AL_TANF[0], 77, 2_000)
    assert shapely.contains_xy(ann, p20["lon2"], p20["lat2"])
    assert not shapely.contains_xy(ann, p2["lon2"], p2["lat2"])
    only = reach(AL_TANF, "Alpha", catalog=cat, policy="max")
    assert only["outer_m"].tolist() == [60_000]


def test_in_range_against_geographiclib(cat):
    rng = np.random.default_rng(3)
    targets = np.column_stack([rng.uniform(38, 39.5, 50), rng.uniform(33, 34, 50)])
    sites = np.array([AL_TANF, (38.9, 33.2)])
    r = in_range(targets, sites, "Alpha", catalog=cat)
    assert r.reachable.shape == (2, 50, 2)
    for i, (tx, ty) in enumerate(targets):
        for j, (sx, sy) in enumerate(sites):
            d = WGS84.Inverse(sy, sx, ty, tx)["s12"]
            assert r.distance[i, j] == pytest.approx(d, abs=1e-6)
            assert r.reachable[0, i, j] == (5_000 <= d <= 40_000)
            assert r.reachable[1, i, j] == (d <= 60_000)
    assert (r.any_claim() == r.reachable[1]).all()
    pairs = r.pairs()
    assert len(pairs["claim"]) == int(r.reachable.sum())
    assert set(pairs["source"]) <= {"Maker", "Analyst"}


def test_in_range_empty_inputs(cat):
    r = in_range(np.empty((0, 2)), [AL_TANF], "Beta", catalog=cat)
    assert r.reachable.shape == (1, 0, 1)
    assert r.distance.shape == (0, 1)


def test_catalog_methods_and_geodataframe_input(cat):
    gpd = pytest.importorskip("geopandas")
    sites = gpd.GeoDataFrame(
        {"name": ["a"]},
        geometry=gpd.points_from_xy([AL_TANF[0]], [AL_TANF[1]]),
        crs="EPSG:4326",
    ).to_crs("EPSG:32637")
    t = cat.reach(sites, "Beta")
    assert len(t) == 1
    r = cat.in_range([(AL_TANF[0] + 0.1, AL_TANF[1])], sites, "Beta")
    assert r.reachable.tolist() == [[[True]]]
