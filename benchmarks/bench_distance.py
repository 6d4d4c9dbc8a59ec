"""Benchmark: exact distance to a 2,000-vertex border (issue #2).

Builds, in one run, an Iraq–Syria-like border of 2,000 vertices and N random
points in 30–38N 36–46E, then prints throughput and ratios against baselines
run in the same process:

* ``Geod.inv`` to every vertex (on a subsample, extrapolated) — exact only at
  vertices;
* geopandas ``to_crs(UTM 37N).distance`` — planar, km-level errors;
* "project the nearest point planarly, then Geod.inv" — the usual hand-made method.

Errors of each method are measured against geoconflict's exact result, which the
test-suite checks against a geographiclib oracle.

Usage: ``python benchmarks/bench_distance.py [--n 1000000]``
"""

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _border import iraq_syria_like, random_points

import geoconflict as gc
from geoconflict.distance import GeodesicIndex


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000, help="number of points")
    ap.add_argument("--quick", action="store_true", help="20,000 points")
    args = ap.parse_args(argv)
    n = 20_000 if args.quick else args.n
    border = iraq_syria_like(2000)
    lon, lat = random_points(n)
    geod = gc.get_geod()
    print(f"border: 2,000 vertices, {gc.length(border) / 1e3:.0f} km; points: {n:,}")

    tracemalloc.start()
    idx, t_build = _timed(lambda: GeodesicIndex(border))
    d, t = _timed(lambda: idx.distance_to(lon, lat))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rate = n / t
    print(
        f"geoconflict.distance_to      {rate:12,.0f} points/s  (build {t_build:.3f} s, "
        f"peak traced memory {peak / 2**20:.0f} MiB)"
    )

    # baseline 1: Geod.inv to every vertex, on a subsample
    m = min(n, 2000)
    verts = np.asarray(border.coords)

    def _all_vertices():
        _, _, dd = geod.inv(
            np.repeat(lon[:m], len(verts)),
            np.repeat(lat[:m], len(verts)),
            np.tile(verts[:, 0], m),
            np.tile(verts[:, 1], m),
        )
        return np.asarray(dd).reshape(m, len(verts)).min(axis=1)

    dv, tv = _timed(_all_vertices)
    rate_v = m / tv
    err_v = np.abs(dv - d[:m]).max()
    print(
        f"Geod.inv to every vertex     {rate_v:12,.0f} points/s  max error {err_v:9.3f} m"
        f"   ratio {rate / rate_v:7.1f}x"
    )

    # baselines 2 and 3 need geopandas
    try:
        import geopandas as gpd
        import shapely
    except ImportError:  # pragma: no cover
        print("geopandas not installed: planar baselines skipped")
        return 0
    m2 = min(n, 200_000)
    pts = gpd.GeoSeries(gpd.points_from_xy(lon[:m2], lat[:m2]), crs=4326)
    line = gpd.GeoSeries([border], crs=4326)

    def _utm():
        p = pts.to_crs(32637)
        return p.distance(line.to_crs(32637).iloc[0]).to_numpy()

    du, tu = _timed(_utm)
    rate_u = m2 / tu
    err_u = np.abs(du - d[:m2]).max()
    print(
        f"geopandas UTM 37N distance   {rate_u:12,.0f} points/s  max error {err_u:9.1f} m"
        f"   ratio {rate / rate_u:7.1f}x"
    )

    def _planar_then_geod():
        p = pts.to_crs(32637)
        ln = line.to_crs(32637).iloc[0]
        near = shapely.shortest_line(p.values, ln)
        end = gpd.GeoSeries(shapely.get_point(near, 1), crs=32637).to_crs(4326)
        _, _, dd = geod.inv(lon[:m2], lat[:m2], end.x.to_numpy(), end.y.to_numpy())
        return np.asarray(dd)

    dp, tp = _timed(_planar_then_geod)
    rate_p = m2 / tp
    err_p = np.abs(dp - d[:m2]).max()
    print(
        f"UTM nearest, then Geod.inv   {rate_p:12,.0f} points/s  max error {err_p:9.3f} m"
        f"   ratio {rate / rate_p:7.1f}x"
    )

    # within_distance at 50 km
    w, tw = _timed(lambda: idx.within_distance(lon, lat, 50_000))
    print(
        f"within_distance(50 km)       {n / tw:12,.0f} points/s  "
        f"({int(np.count_nonzero(w)):,} within; agrees with distance_to: "
        f"{bool(np.array_equal(w, d <= 50_000))})"
    )
    print(
        "PostGIS ST_Distance(geography): not run here (no server started by this script)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
