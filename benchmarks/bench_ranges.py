"""Benchmarks of issue #4: exposure, distance raster, range rings.

Run: ``python benchmarks/bench_ranges.py`` (or through ``benchmarks/run.py``).
Prints the throughput of each operation and its ratio to the issue's target, and
for ``exposure`` the naive geopandas approach (buffer in UTM + sjoin) timed in the
same run, with the number of (event, site, ring) assignments it gets wrong
against the exact geodesic answer.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import shapely

import geoconflict as gc
from geoconflict.analysis.exposure import exposure
from geoconflict.geodesy.neighbors import pairs_within

# Approximate course of the Iraq-Syria border (lon, lat), used only when the
# borders dataset is not available; the report says which one was used.
_SYNTHETIC_IRQ_SYR = [
    (42.355, 37.107),
    (41.98, 36.80),
    (41.38, 36.52),
    (41.29, 36.36),
    (41.22, 35.63),
    (41.29, 35.35),
    (41.00, 34.50),
    (40.99, 34.42),
    (38.79, 33.38),
]


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def bench_exposure(
    n_events=100_000, n_sites=1_000, rings=(1_000, 2_000, 5_000), seed=0
):
    rng = np.random.default_rng(seed)
    # sites spread over Iraq/Syria; half of the events cluster around sites
    slon = rng.uniform(38.5, 45.5, n_sites)
    slat = rng.uniform(31.5, 37.0, n_sites)
    near = n_events // 2
    pick = rng.integers(0, n_sites, near)
    elon = np.concatenate(
        [
            slon[pick] + rng.normal(0, 0.03, near),
            rng.uniform(38.5, 45.5, n_events - near),
        ]
    )
    elat = np.concatenate(
        [
            slat[pick] + rng.normal(0, 0.03, near),
            rng.uniform(31.5, 37.0, n_events - near),
        ]
    )
    res, t_exact = _timed(exposure, (elon, elat), (slon, slat), list(rings))
    n_assign = int(res.counts.sum())
    print(
        f"exposure: {n_events:,} events x {n_sites:,} sites x {len(rings)} rings: "
        f"{t_exact:.2f} s ({n_assign:,} event-ring assignments); target < 60 s: "
        f"{60 / t_exact:.0f}x under"
    )
    try:
        import geopandas as gpd
    except ImportError:  # pragma: no cover
        print("  naive geopandas approach: skipped (geopandas not installed)")
        return {"exposure_s": t_exact}
    t0 = time.perf_counter()
    ev = gpd.GeoDataFrame(geometry=gpd.points_from_xy(elon, elat), crs="EPSG:4326")
    st = gpd.GeoDataFrame(geometry=gpd.points_from_xy(slon, slat), crs="EPSG:4326")
    utm = st.estimate_utm_crs()
    ev_u, st_u = ev.to_crs(utm), st.to_crs(utm)
    naive = {}
    for r in rings:
        buf = gpd.GeoDataFrame(geometry=st_u.buffer(r), crs=utm)
        j = gpd.sjoin(ev_u, buf, predicate="within", how="inner")
        naive[r] = set(
            zip(j.index.to_numpy().tolist(), j["index_right"].to_numpy().tolist())
        )
    t_naive = time.perf_counter() - t0
    # exact memberships (event, site) within each radius
    p = pairs_within(elon, elat, slon, slat, float(max(rings)))
    wrong = 0
    total = 0
    for r in rings:
        sel = p.distance <= r
        exact = set(zip(p.point_index[sel].tolist(), p.center_index[sel].tolist()))
        wrong += len(exact ^ naive[r])
        total += len(exact)
    print(
        f"  naive geopandas (to_crs {utm.to_string()} + buffer + sjoin): {t_naive:.2f} s "
        f"= {t_naive / t_exact:.1f}x the geodesic time; wrong assignments: "
        f"{wrong:,} of {total:,} ({100 * wrong / max(total, 1):.2f} %)"
    )
    return {"exposure_s": t_exact, "naive_s": t_naive, "naive_wrong": wrong}


def _border_line():
    try:
        from geoconflict.geography import borders

        for name in ("border", "border_line", "shared_border"):
            fn = getattr(borders, name, None)
            if fn is not None:
                line = fn("IRQ", "SYR")
                geom = getattr(line, "geometry", line)
                return geom, "borders dataset (IRQ-SYR)"
    except Exception as exc:  # report and fall back
        print(f"  (borders dataset unavailable: {exc}; using a synthetic line)")
    return shapely.LineString(_SYNTHETIC_IRQ_SYR), "SYNTHETIC IRQ-SYR line (9 vertices)"


def bench_distance_raster(size=2_000):
    from geoconflict.raster import distance_raster

    line, what = _border_line()
    try:
        from geoconflict.geodesy.index import GeodesicIndex  # noqa: F401

        engine = "exact engine (GeodesicIndex)"
    except ImportError:
        engine = "fallback (nearest densified vertex)"
        size = min(size, 300)  # the fallback is brute force; keep it short
    bounds = (37.0, 31.0, 44.0, 38.0)
    _, t = _timed(distance_raster, line, bounds, shape=(size, size))
    rate = size * size / t
    print(
        f"distance raster {size}x{size} to the {what}, {engine}: {t:.2f} s "
        f"({rate / 1e6:.2f} M cells/s); target 4 M cells < 10 s: "
        f"{'met' if size == 2000 and t < 10 else 'NOT met' if size == 2000 else 'smaller grid'} "
        f"(ratio {10 / (t * 4e6 / (size * size)):.2f}x)"
    )
    return {"raster_s": t, "raster_cells": size * size}


def bench_range_rings(n=10_000, radii=(10_000, 20_000, 50_000, 100_000, 200_000)):
    rng = np.random.default_rng(1)
    lon = rng.uniform(-180, 180, n)
    lat = rng.uniform(-70, 70, n)
    gc.range_rings(lon[:100], lat[:100], radii)  # warm up
    t, t_best = None, np.inf
    for _ in range(2):
        _, t = _timed(gc.range_rings, lon, lat, list(radii))
        t_best = min(t_best, t)
    rate = n / t_best
    print(
        f"range_rings: {n:,} centres x {len(radii)} radii (default tolerance, "
        f"0.1 % of 200 km): {t_best:.2f} s = {rate:,.0f} centres/s; target 10,000/s: "
        f"{rate / 10_000:.2f}x"
    )
    coarse, t2 = _timed(gc.range_rings, lon, lat, list(radii), tolerance_m=2_000)
    print(
        f"  with tolerance_m=2000 (up to {len(shapely.get_coordinates(coarse.geometry[4]))} "
        f"vertices per ring): {n / t2:,.0f} centres/s"
    )
    return {"rings_per_s": rate}


def main(argv=None):
    print(f"geoconflict {gc.__version__} -- issue #4 benchmarks")
    out = {}
    out.update(bench_exposure())
    out.update(bench_distance_raster())
    out.update(bench_range_rings())
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
