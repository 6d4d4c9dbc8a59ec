"""Benchmark: link 100,000 ACLED-like records to 100,000 UCDP-like ones (issue #15).

Builds the synthetic truth set of ``tests/linking_data.py`` (shared events with
ACLED-like and UCDP-like jitter in space and time, distractors at the same place
weeks later or of another type, records in one set only), then times
:func:`geoconflict.link_events` and, on the same data, the naive method: geopandas
``sjoin_nearest`` in a metric CRS (UTM 38N) within 10 km, then a date filter
(|Δ day| <= 1).  Prints both times and both precision/recall.

Usage: ``python benchmarks/bench_link.py [--n 100000] [--quick]``
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geoconflict as gc  # noqa: E402
from tests.linking_data import precision_recall, truth_set  # noqa: E402


def _frame(es):
    import geopandas as gpd

    rows = {"id": [], "lon": [], "lat": [], "day": []}
    for e in es:
        loc = e.primary_site.location
        rows["id"].append(e.id)
        rows["lon"].append(loc.lon)
        rows["lat"].append(loc.lat)
        rows["day"].append(e.time.start_utc.timestamp() // 86400)
    df = gpd.GeoDataFrame(
        rows, geometry=gpd.points_from_xy(rows["lon"], rows["lat"]), crs="EPSG:4326"
    )
    return df.to_crs("EPSG:32638")


def naive(left, right):
    """geopandas sjoin_nearest (planar, 10 km) + a one-day date filter."""
    import geopandas as gpd

    lf, rf = _frame(left), _frame(right)
    j = gpd.sjoin_nearest(lf, rf, max_distance=10_000, distance_col="dist")
    j = j[np.abs(j["day_left"] - j["day_right"]) <= 1]
    return [{"left_id": a, "right_id": b} for a, b in zip(j["id_left"], j["id_right"])]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000, help="records per set")
    ap.add_argument("--quick", action="store_true", help="10,000 records per set")
    args = ap.parse_args(argv)
    n = 10_000 if args.quick else args.n
    t0 = time.perf_counter()
    left, right, truth = truth_set(
        n_shared=int(n * 0.9), n_only=int(n * 0.05), n_distractors=int(n * 0.1)
    )
    print(
        f"built {len(left):,} ACLED-like x {len(right):,} UCDP-like records "
        f"({len(truth):,} shared) in {time.perf_counter() - t0:.1f} s; "
        f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    t0 = time.perf_counter()
    links = gc.link_events(left, right)
    t_link = time.perf_counter() - t0
    p, r = precision_recall(links, truth)
    print(
        f"geoconflict.link_events: {t_link:.1f} s, {len(links):,} links, "
        f"precision {p:.3f}, recall {r:.3f} (exact geodesics, regions, types, one-to-one)"
    )
    t0 = time.perf_counter()
    nl = naive(left, right)
    t_naive = time.perf_counter() - t0
    p2, r2 = precision_recall(nl, truth)
    print(
        f"naive sjoin_nearest + date filter: {t_naive:.1f} s, {len(nl):,} links, "
        f"precision {p2:.3f}, recall {r2:.3f}"
    )
    if t_link > 60:
        print("SLOWER than the 60 s goal")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
