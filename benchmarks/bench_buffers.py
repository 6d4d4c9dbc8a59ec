"""Benchmark: geodesic point buffers (issue #2, item 5).

Builds 10,000 random points in 30-38N 36-46E and buffers them at 50 km with
``geoconflict.buffer`` at its default tolerance (max(1 m, 0.1 %) = 50 m), then
runs two baselines in the same process:

(a) a per-point Python loop calling ``pyproj.Geod.fwd`` on 64 azimuths and
    building one shapely Polygon per point (the QGIS Shape Tools approach);
(b) geopandas: ``to_crs`` UTM zone 37N (EPSG:32637), ``.buffer(50_000)``, back
    to EPSG:4326 -- with its largest radial error, measured with
    ``pyproj.Geod.inv`` from each centre to each of its vertices.

Prints buffers per second, the ratios, and the accuracy of each method (vertex
radial error, and the largest departure of the geodesic edge midpoints from
the 50 km circle).  Target: >= 30,000 buffers/s.

Run: ``python benchmarks/bench_buffers.py [--n 10000]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import pyproj
import shapely

import geoconflict as gc

RADIUS = 50_000.0
GEOD = pyproj.Geod(ellps="WGS84")


def _points(n: int, seed: int = 2):
    rng = np.random.default_rng(seed)
    return rng.uniform(36.0, 46.0, n), rng.uniform(30.0, 38.0, n)


def _best_of(fn, repeat: int):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _radial_errors(polys, lon, lat, sample: int = 2000):
    """Max |vertex distance - R| and max |edge-midpoint distance - R|, meters."""
    idx = np.arange(min(sample, len(polys)))
    rings = shapely.get_exterior_ring(np.asarray(polys, dtype=object)[idx])
    xy, owner = shapely.get_coordinates(rings, return_index=True)
    c_lon, c_lat = lon[idx][owner], lat[idx][owner]
    _, _, d = GEOD.inv(c_lon, c_lat, xy[:, 0], xy[:, 1])
    vertex = float(np.max(np.abs(np.asarray(d) - RADIUS)))
    same = owner[1:] == owner[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    az, _, s = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    mx, my, _ = GEOD.fwd(a[:, 0], a[:, 1], az, np.asarray(s) / 2)
    _, _, dm = GEOD.inv(c_lon[1:][same], c_lat[1:][same], mx, my)
    mid = float(np.max(np.abs(np.asarray(dm) - RADIUS)))
    return vertex, mid


def shape_tools_loop(lon, lat):
    """Baseline (a): one Geod.fwd call per point on 64 azimuths."""
    az = np.linspace(0.0, 360.0, 64, endpoint=False)
    dist = np.full(64, RADIUS)
    out = []
    for x, y in zip(lon, lat):
        lo, la, _ = GEOD.fwd(np.full(64, x), np.full(64, y), az, dist)
        out.append(shapely.Polygon(np.column_stack([lo, la])))
    return out


def geopandas_utm(lon, lat):
    """Baseline (b): buffer in UTM zone 37N and reproject back."""
    import geopandas

    gs = geopandas.GeoSeries(shapely.points(lon, lat), crs="EPSG:4326")
    return np.asarray(gs.to_crs(32637).buffer(RADIUS).to_crs(4326).values)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of points")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    n = args.n
    lon, lat = _points(n)
    pts = shapely.points(lon, lat)
    gc.buffer(pts[:10], RADIUS)  # warm caches
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    t_gc, res_gc = _best_of(lambda: gc.buffer(pts, RADIUS), args.repeat)
    t_st, res_st = _best_of(lambda: shape_tools_loop(lon, lat), 1)
    try:
        t_gp, res_gp = _best_of(lambda: geopandas_utm(lon, lat), args.repeat)
    except ImportError:  # pragma: no cover - geopandas is a project dependency
        t_gp, res_gp = float("nan"), None

    rows = [("geoconflict.buffer (default tolerance)", t_gc, res_gc)]
    rows.append(("(a) Python loop, Geod.fwd x 64 azimuths", t_st, res_st))
    if res_gp is not None:
        rows.append(("(b) geopandas UTM 37N buffer + to_crs", t_gp, res_gp))

    n_vert = len(shapely.get_coordinates(res_gc[0])) - 1
    print(f"# geodesic point buffers: {n:,} points in 30-38N 36-46E, r = 50 km")
    print(
        f"# {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, shapely "
        f"{shapely.__version__} (GEOS {shapely.geos_version_string}), pyproj "
        f"{pyproj.__version__}; geoconflict uses {n_vert} vertices per circle"
    )
    print(f"# {os.cpu_count()} CPUs, 1-min load average {load:.1f} before timing")
    print(
        f"{'method':44s} {'buffers/s':>12s} {'ratio':>7s} "
        f"{'max vertex err (m)':>19s} {'max edge err (m)':>17s}"
    )
    out = {}
    for name, t, res in rows:
        rate = n / t
        v_err, m_err = _radial_errors(res, lon, lat)
        ratio = (n / t_gc) / rate
        print(f"{name:44s} {rate:12,.0f} {ratio:6.1f}x {v_err:19.3g} {m_err:17.3g}")
        out[name] = {"rate": rate, "vertex_err": v_err, "edge_err": m_err}
    rate = n / t_gc
    target = 30_000
    print(
        f"target >= {target:,} buffers/s: {'met' if rate >= target else 'NOT met'} "
        f"({rate:,.0f}); ratio column = geoconflict speed / method speed"
    )
    return out


if __name__ == "__main__":
    main()
