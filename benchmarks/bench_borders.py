"""Benchmark: reverse geocoding with ``geoconflict.country_at`` (issue #3, item 5).

1,000,000 random points in the Middle East (25-63E, 12-42N, land and sea) are
assigned their country (Natural Earth 10m, de facto view).  Baseline in the same
process: geopandas ``sjoin(points, countries, predicate="within")`` on the same
countries and points.  Both answers are compared point by point.

Prints points per second (cold: first call, building the index; warm: a second
set of 1M points), and the ratio against geopandas.  Target: >= 500,000 points/s.

Run: ``python benchmarks/bench_borders.py [--n 1000000] [--no-baseline] [--quick]``.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

import geoconflict as gc
from geoconflict.geography import boundaries

TARGET = 500_000.0


def _points(n: int, seed: int):
    rng = np.random.default_rng(seed)
    return rng.uniform(25.0, 63.0, n), rng.uniform(12.0, 42.0, n)


def geopandas_sjoin(lon, lat):
    """Baseline: geopandas point-in-polygon spatial join (STRtree + predicate)."""
    import geopandas as gpd

    cs = gc.countries()
    poly = gpd.GeoDataFrame(
        {"iso3": [c.iso3 for c in cs]}, geometry=[c.geometry for c in cs], crs=4326
    )
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    t0 = time.perf_counter()
    joined = gpd.sjoin(pts, poly, how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    dt = time.perf_counter() - t0
    out = joined["iso3"].to_numpy(dtype=object)
    out[joined["iso3"].isna().to_numpy()] = None
    return dt, out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--quick", action="store_true", help="100,000 points (smoke run)")
    args = ap.parse_args(argv)
    n = 100_000 if args.quick else args.n

    t0 = time.perf_counter()
    boundaries._layer("ne")
    t_load = time.perf_counter() - t0

    lon, lat = _points(n, 1)
    t0 = time.perf_counter()
    gc.country_at(lon, lat)
    t_cold = time.perf_counter() - t0

    lon, lat = _points(n, 2)
    t0 = time.perf_counter()
    ours = gc.country_at(lon, lat)
    t_warm = time.perf_counter() - t0

    res = {
        "n": n,
        "load_s": t_load,
        "cold_pts_per_s": n / t_cold,
        "warm_pts_per_s": n / t_warm,
        "land_fraction": float(np.mean(ours != None)),  # noqa: E711
    }
    print(
        f"geoconflict country_at, {n:,} points in 25-63E 12-42N ({platform.machine()})"
    )
    print(f"  load NE 10m countries            {t_load:8.2f} s (once per session)")
    print(f"  cold (first call, builds index)  {n / t_cold:12,.0f} points/s")
    print(
        f"  warm                             {n / t_warm:12,.0f} points/s"
        f"   target >= {TARGET:,.0f}: {'met' if n / t_warm >= TARGET else 'NOT met'}"
    )
    if not args.no_baseline:
        t_gpd, theirs = geopandas_sjoin(lon, lat)
        agree = float(np.mean(theirs == ours))
        res.update(
            gpd_pts_per_s=n / t_gpd, ratio_vs_geopandas=t_gpd / t_warm, agree=agree
        )
        print(f"  geopandas sjoin (within)         {n / t_gpd:12,.0f} points/s")
        print(f"  ratio geoconflict / geopandas    {t_gpd / t_warm:12.1f} x")
        print(f"  answers identical                {agree:12.4%}")
    return res


if __name__ == "__main__":
    main()
