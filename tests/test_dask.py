"""geoconflict.dask on a real distributed scheduler (#14).

A ``distributed.LocalCluster`` of two worker processes: every function gives the
values of the in-process call on the same points (same dtype, index, order), on
partitions that are empty, hold NaN coordinates or nothing but bad rows, and
still does after a worker is killed mid-computation.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import numpy as np
import pandas as pd
import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import (
    CoordinateError,
    CRSError,
    GeometryError,
    MissingDependencyError,
)

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
dgpd = pytest.importorskip("dask_geopandas")
gpd = pytest.importorskip("geopandas")

import geoconflict.dask as gcd  # noqa: E402
from geoconflict.dask.rows import _Target  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::geoconflict.errors.GeoconflictWarning")

LINE = gc.border("IRQ", "SYR")
ZONE = shapely.Polygon([(40.5, 34.0), (41.5, 34.0), (41.5, 35.0), (40.5, 35.0)])


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"GEOCONFLICT_THREADS": "1"},
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _table(seed: int = 0, n: int = 600) -> pd.DataFrame:
    """Points around the Iraq–Syria border, string index, some NaN rows."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "lon": rng.uniform(38.0, 44.0, n),
            "lat": rng.uniform(32.0, 37.5, n),
            "killed": rng.integers(0, 6, n).astype(float),
        },
        index=[f"e{i}" for i in range(n)],
    )
    df.iloc[[3, 50, 51], 0] = np.nan  # NaN longitude
    df.iloc[[7], 1] = np.nan  # NaN latitude
    return df


def _partitioned(df: pd.DataFrame):
    """df in 5 partitions: one empty, one of only bad (NaN) rows."""
    bad = df.iloc[:0].reindex([f"bad{i}" for i in range(4)])
    bad["killed"] = 1.0
    parts = [df.iloc[:200], df.iloc[:0], bad, df.iloc[200:450], df.iloc[450:]]
    whole = pd.concat(parts)
    ddf = dd.from_delayed([dask.delayed(p) for p in parts], meta=df.iloc[:0])
    return whole, ddf


def _geo_partitioned(df: pd.DataFrame):
    """As _partitioned, as GeoDataFrames in EPSG:3857 with missing geometries."""
    whole, _ = _partitioned(df)
    ok = whole.lon.notna() & whole.lat.notna()
    geom = np.full(len(whole), None, dtype=object)
    geom[ok.to_numpy()] = shapely.points(whole.lon[ok], whole.lat[ok])
    g = gpd.GeoDataFrame(whole, geometry=geom, crs=4326).to_crs(3857)
    sizes = [200, 0, 4, 250, len(df) - 450]
    bounds = np.cumsum([0, *sizes])
    parts = [g.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    gddf = dd.from_delayed([dask.delayed(p) for p in parts], meta=g.iloc[:0])
    assert isinstance(gddf, dgpd.GeoDataFrame)
    return g, gddf


@pytest.fixture(scope="module")
def plain():
    return _partitioned(_table())


@pytest.fixture(scope="module")
def geo():
    return _geo_partitioned(_table(1))


def _xy(whole):
    """lon/lat degrees of the whole table, as the in-process functions take them."""
    if isinstance(whole, gpd.GeoDataFrame):
        p = gc._points.as_points(whole)  # the reprojection of the core
        return p.lon, p.lat
    return whole.lon.to_numpy(), whole.lat.to_numpy()


def _listed(s: pd.Series) -> list:
    """Values of a text column, missing as None (as the in-process arrays hold them)."""
    return s.astype(object).where(s.notna(), None).tolist()


def _cases(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["plain", "geo"])
def data(request):
    return _cases(request)


@pytest.mark.slow
def test_distance_to_identical(client, data):
    whole, ddf = data
    x, y = _xy(whole)
    for target, signed in ((LINE, False), (ZONE, True)):
        res = gcd.distance_to(ddf, target, signed=signed)
        assert res.npartitions == ddf.npartitions
        got = client.compute(res).result()
        want = pd.Series(
            gc.distance_to(x, y, target, signed=signed),
            index=whole.index,
            name="distance_m",
        )
        pd.testing.assert_series_equal(got, want, check_exact=True)
        assert got.isna().sum() == 8  # 4 NaN rows and the partition of 4 bad rows


@pytest.mark.slow
def test_within_distance_identical(client, data):
    whole, ddf = data
    x, y = _xy(whole)
    got = client.compute(gcd.within_distance(ddf, LINE, "25 km")).result()
    want = pd.Series(
        gc.within_distance(x, y, LINE, 25_000.0), index=whole.index, name="within"
    )
    pd.testing.assert_series_equal(got, want, check_exact=True)
    assert 0 < got.sum() < len(got)


@pytest.mark.slow
def test_distance_to_border_identical(client, data):
    whole, ddf = data
    x, y = _xy(whole)
    got = client.compute(gcd.distance_to_border(ddf, "Syria", "IRQ")).result()
    r = gc.distance_to_border(x, y, "IRQ", "SYR")
    want = pd.DataFrame(
        {
            "distance_m": r.distance_m,
            "low_m": r.low_m,
            "high_m": r.high_m,
            "side": pd.Series(r.side, dtype=gcd.text_dtype(), index=whole.index),
            "nearest_lon": r.lon,
            "nearest_lat": r.lat,
        },
        index=whole.index,
    )
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert set(got.side.dropna()) >= {"IRQ", "SYR"}


@pytest.mark.slow
def test_country_and_province_identical(client, data):
    whole, ddf = data
    x, y = _xy(whole)
    c, c2, p = client.compute(
        [
            gcd.country_at(ddf),
            gcd.country_at(ddf, status=True, dataset="osm"),
            gcd.province_at(ddf),
        ],
        sync=True,
    )
    for got, want, name in (
        (c, gc.country_at(x, y), "country"),
        (c2, gc.country_at(x, y, status=True, dataset="osm"), "country"),
        (p, gc.province_at(x, y), "province"),
    ):
        pd.testing.assert_series_equal(
            got, pd.Series(want, index=whole.index, name=name, dtype=gcd.text_dtype())
        )
        assert got.dtype == gcd.text_dtype()
        assert got.isna().sum() >= 8


@pytest.mark.slow
def test_exposure_identical(client, data):
    whole, ddf = data
    x, y = _xy(whole)
    sites = gpd.GeoDataFrame(
        {"name": ["Abu Kamal", "Al Qaim", "Deir ez-Zor"]},
        geometry=gpd.points_from_xy([40.91854, 41.04, 40.14], [34.45226, 34.37, 35.33]),
        crs=4326,
        index=[10, 20, 30],
    ).to_crs(32637)
    rings = ["25 km", "50 km", "150 km"]
    for cumulative in (False, True):
        res = gcd.exposure(ddf, sites, rings, weights="killed", cumulative=cumulative)
        assert isinstance(res, dgpd.GeoDataFrame)
        got = client.compute(res).result()
        events = gpd.GeoDataFrame(
            {"killed": whole.killed.to_numpy()},
            geometry=gpd.points_from_xy(x, y),
            crs=4326,
        )
        want = gc.exposure(
            events, sites, rings, weights="killed", cumulative=cumulative
        )
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert got.crs == sites.crs
        assert got.filter(like="events_").to_numpy().sum() > 0
    # plain sites: a DataFrame of the Exposure's columns, indexed 0..n-1
    pts = [(40.91854, 34.45226), (40.14, 35.33)]
    got = client.compute(gcd.exposure(ddf, pts, [50_000, 100_000])).result()
    e = gc.exposure(np.column_stack([x, y]), pts, [50_000, 100_000])
    pd.testing.assert_frame_equal(got, pd.DataFrame(e.as_dict()))


@pytest.mark.slow
def test_target_shipped_once_and_prepared_once_per_worker(client, plain):
    _, ddf = plain
    geom = shapely.LineString([(39.0, 33.0), (41.5, 35.5), (42.0, 37.0)])
    res = gcd.distance_to(ddf.repartition(npartitions=12), geom)
    graph = dict(res.__dask_graph__())
    holders = [
        k for k, v in graph.items() if isinstance(getattr(v, "value", None), _Target)
    ]
    assert len(holders) == 1  # one key in the graph, whatever the partitions
    tasks = [k for k in graph if k[0].startswith("_distance_part")]
    assert len(tasks) == 12
    assert all(holders[0] in graph[k].dependencies for k in tasks)
    client.compute(res).result()
    client.compute(gcd.within_distance(ddf, geom, 1000.0)).result()
    key = graph[holders[0]].value.key
    builds = client.run(gcd.prepared_builds)
    assert sum(b.get(key, 0) for b in builds.values()) >= 1
    assert all(b.get(key, 0) <= 1 for b in builds.values()), builds


@pytest.mark.slow
def test_bad_coordinates_name_partition_and_row(client, plain):
    whole, _ = plain
    df = whole.copy()
    df.loc["e300", "lat"] = 95.0
    ddf = dd.from_pandas(df, npartitions=3, sort=False)
    with pytest.raises(CoordinateError, match=r"row 'e300'.*'lat'.*95\.0"):
        client.compute(gcd.distance_to(ddf, LINE)).result()


def test_input_errors_are_raised_on_the_client(plain):
    _, ddf = plain
    with pytest.raises(GeometryError, match="no column 'x'"):
        gcd.distance_to(ddf, LINE, lon="x")
    g = dgpd.from_geopandas(
        gpd.GeoDataFrame(geometry=gpd.points_from_xy([40.0], [34.0])), npartitions=1
    )
    with pytest.raises(CRSError, match="no CRS"):
        gcd.country_at(g)
    with pytest.raises(gc.BoundaryNotFoundError):
        gcd.distance_to_border(ddf, "IRQ", "LBN")
    with pytest.raises(GeometryError, match="empty"):
        gcd.distance_to(ddf, shapely.LineString())
    with pytest.raises(GeometryError, match="not a column"):
        gcd.exposure(ddf, [(40.0, 34.0)], weights="deaths")
    with pytest.raises(GeometryError, match="dask DataFrame"):
        gcd.distance_to(pd.DataFrame({"lon": [1.0], "lat": [2.0]}), LINE)


def test_missing_dask_names_the_extra(monkeypatch, plain):
    _, ddf = plain
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(MissingDependencyError, match=r"geoconflict\[dask\]"):
        gcd.distance_to(ddf, LINE)


@pytest.mark.slow
def test_parquet_in_and_out(client, tmp_path, geo, plain):
    g, gddf = geo
    src = tmp_path / "events"
    gddf.to_parquet(src)
    points = gcd.read_points(src)
    assert isinstance(points, dgpd.GeoDataFrame)
    assert points.crs == g.crs
    out = tmp_path / "out"
    gcd.write_parquet(
        points,
        out,
        distance_m=gcd.distance_to(points, LINE),
        border=gcd.distance_to_border(points, "IRQ", "SYR")[["side", "low_m"]],
    )
    assert len(list(out.glob("*.parquet"))) == points.npartitions
    back = gpd.read_parquet(out)
    x, y = _xy(g)
    want = gc.distance_to(x, y, LINE)
    np.testing.assert_array_equal(back.distance_m.to_numpy(), want)
    assert back.crs == g.crs
    assert list(back.index) == list(g.index)
    side = gc.distance_to_border(x, y, "IRQ", "SYR").side
    assert _listed(back.side) == side.tolist()
    # plain Parquet with lon/lat columns
    whole, ddf = plain
    ddf.to_parquet(tmp_path / "plain")
    pts = gcd.read_points(tmp_path / "plain")
    assert not isinstance(pts, dgpd.GeoDataFrame)
    got = client.compute(gcd.country_at(pts)).result()
    want = gc.country_at(whole.lon.to_numpy(), whole.lat.to_numpy())
    assert _listed(got) == want.tolist()
    with pytest.raises(GeometryError, match="no 'x' column"):
        gcd.read_points(tmp_path / "plain", lon="x")


@pytest.mark.slow
def test_worker_killed_mid_computation(client):
    """A worker dies while partitions are computed: Dask reruns them, same result."""
    df = _table(7, n=64_000).reset_index(drop=True)
    df.index = df.index * 2
    ddf = dd.from_pandas(df, npartitions=32, sort=False)
    fut = client.compute(gcd.distance_to(ddf, LINE))
    deadline = time.monotonic() + 30
    while not any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    assert not fut.done()
    victim = sorted(client.scheduler_info()["workers"])[0]
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)  # the worker process this test's cluster started
    got = fut.result(timeout=120)
    assert victim not in client.scheduler_info()["workers"]
    want = gc.distance_to(df.lon.to_numpy(), df.lat.to_numpy(), LINE)
    pd.testing.assert_series_equal(
        got, pd.Series(want, index=df.index, name="distance_m"), check_exact=True
    )
    client.wait_for_workers(2, timeout=60)


@pytest.mark.slow
def test_cli_distance_on_the_cluster(client, tmp_path, geo):
    from click.testing import CliRunner

    from geoconflict.cli.main import cli

    g, gddf = geo
    gddf.to_parquet(tmp_path / "events")
    address = client.scheduler.address
    run = CliRunner().invoke
    args = ["--scheduler", address, "distance", str(tmp_path / "events")]
    r = run(
        cli, [*args, "--border", "IRQ,SYR", "--unit", "mi", "-o", str(tmp_path / "b")]
    )
    assert r.exit_code == 0, r.output
    back = gpd.read_parquet(tmp_path / "b")
    x, y = _xy(g)
    bd = gc.distance_to_border(x, y, "IRQ", "SYR")
    np.testing.assert_array_equal(back.distance_m.to_numpy(), bd.distance_m)
    np.testing.assert_array_equal(back.distance_mi.to_numpy(), bd.distance_m / 1609.344)
    assert _listed(back.side) == bd.side.tolist()
    assert list(back.columns[: len(g.columns)]) == list(g.columns)
    r = run(cli, [*args, "--to", "40.91854,34.45226", "-o", str(tmp_path / "p")])
    assert r.exit_code == 0, r.output
    back = gpd.read_parquet(tmp_path / "p")
    want = gc.distance_to(x, y, shapely.Point(40.91854, 34.45226))
    np.testing.assert_array_equal(back.distance_m.to_numpy(), want)
    # a dataset without a cluster, or a cluster without -o: usage errors
    r = run(cli, ["distance", str(tmp_path / "events"), "--border", "IRQ,SYR"])
    assert r.exit_code == 1
    assert "--workers N or --scheduler ADDRESS" in r.output
    r = run(cli, [*args, "--border", "IRQ,SYR"])
    assert r.exit_code == 2
    assert "-o FOLDER" in r.output
    r = run(cli, ["--scheduler", address, "--workers", "2", "distance", "x"])
    assert r.exit_code == 2
    r = run(cli, ["--workers", "2", "within", "x", "-r", "5 km"])
    assert r.exit_code == 2
    assert "apply to distance only" in r.output
