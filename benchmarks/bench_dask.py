"""Benchmark: distance to the Iraq–Syria border on a Dask cluster (issue #14).

Generates, in the run, GeoParquet datasets of N random points (one file per
``--partition`` points, written piece by piece: the client never holds a whole
dataset), then measures the exact geodesic distance from every point to the
IRQ–SYR border (Natural Earth) and writes the result as a Parquet dataset:

* in process: the threaded engine (``GEOCONFLICT_THREADS`` threads, by default
  the CPU count), file by file;
* on a ``distributed.LocalCluster`` of 1 and 2 worker processes (one thread
  each, ``GEOCONFLICT_THREADS=1``): ``geoconflict.dask.distance_to`` read with
  ``read_points`` and written with ``write_parquet``; nothing is collected to
  the client but the completion of the write.

Prints the scaling table: seconds, points per second, the ratio to the
in-process throughput (the issue asks >= 0.8 with 2 workers on 2 cores), the
CPU seconds spent (workers, client and scheduler) against the in-process run's,
and the peak resident memory of each worker (sampled every 0.2 s), which should
stay flat as N grows.  The machine's load average is printed: on a shared
machine the ratios are what to read, not the absolute rates.

Usage: ``python benchmarks/bench_dask.py [--points 5000000,10000000,20000000]
[--workers 1,2] [--partition 1000000] [--quick]``
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process so far, all threads."""
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def _rss_mib() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _generate(path: Path, n: int, per_file: int, seed: int = 0) -> None:
    """n random points in 30–38N, 36–46E as GeoParquet files of per_file points."""
    import geopandas as gpd

    path.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    for k, start in enumerate(range(0, n, per_file)):
        m = min(per_file, n - start)
        lon, lat = rng.uniform(36, 46, m), rng.uniform(30, 38, m)
        g = gpd.GeoDataFrame(
            {"id": np.arange(start, start + m)},
            geometry=gpd.points_from_xy(lon, lat),
            crs=4326,
        )
        g.to_parquet(path / f"part.{k:05d}.parquet")


class _Peak:
    """Sample a memory function every 0.2 s in a thread; keep the maximum per key."""

    def __init__(self, sample):
        self.sample = sample
        self.peak: dict = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                for k, v in self.sample().items():
                    self.peak[k] = max(self.peak.get(k, 0.0), v)
            except Exception:  # a worker between restarts: sample again
                pass
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _in_process(src: Path, out: Path, line) -> float:
    import geopandas as gpd
    import pandas as pd

    import geoconflict as gc
    from geoconflict._points import as_points

    idx = gc.GeodesicIndex(line)
    idx.distance_to(np.full(5000, 40.0), np.linspace(30, 38, 5000))  # load numba
    out.mkdir()
    c0 = _cpu_s()
    t0 = time.perf_counter()
    for f in sorted(src.glob("*.parquet")):
        g = gpd.read_parquet(f)
        p = as_points(g)
        d = idx.distance_to(p.lon, p.lat)
        pd.DataFrame({"id": g["id"].to_numpy(), "distance_m": d}).to_parquet(
            out / f.name
        )
    return time.perf_counter() - t0, _cpu_s() - c0


def _on_cluster(src: Path, out: Path, line, workers: int):
    import distributed

    import geoconflict.dask as gcd

    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"GEOCONFLICT_THREADS": "1"},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        # start-up is not measured: each worker loads numba and prepares the border
        import dask.dataframe as dd
        import pandas as pd

        warm = pd.DataFrame({"lon": np.full(6000 * workers, 40.0)})
        warm["lat"] = np.linspace(30, 38, len(warm))
        warm_ddf = dd.from_pandas(warm, npartitions=2 * workers)
        client.compute(gcd.distance_to(warm_ddf, line)).result()
        pts = gcd.read_points(src)
        c0 = sum(client.run(_cpu_s).values()) + _cpu_s()
        with _Peak(lambda: client.run(_rss_mib)) as peak:
            t0 = time.perf_counter()
            gcd.write_parquet(pts[["id"]], out, distance_m=gcd.distance_to(pts, line))
            dt = time.perf_counter() - t0
        # workers, plus this process (the client and the LocalCluster's scheduler)
        cpu = sum(client.run(_cpu_s).values()) + _cpu_s() - c0
        builds = client.run(gcd.prepared_builds)
    return dt, cpu, max(peak.peak.values()), builds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--points",
        default="5000000,10000000,20000000",
        help="dataset sizes, comma-separated (default 5M,10M,20M)",
    )
    ap.add_argument("--workers", default="1,2", help="cluster sizes (default 1,2)")
    ap.add_argument(
        "--partition", type=int, default=1_000_000, help="points per file/partition"
    )
    ap.add_argument("--quick", action="store_true", help="--points 200000,400000")
    args = ap.parse_args(argv)
    # pandas, writing a column subset of a GeoDataFrame: harmless here
    warnings.filterwarnings("ignore", "Could not serialize pd.DataFrame.attrs")
    sizes = [
        int(s) for s in ("200000,400000" if args.quick else args.points).split(",")
    ]
    per_file = min(args.partition, max(sizes[0] // 4, 1))
    workers = [int(w) for w in args.workers.split(",")]

    import geoconflict as gc

    line = gc.border("IRQ", "SYR")
    print(
        f"IRQ–SYR border (Natural Earth): {len(line.coords) if hasattr(line, 'coords') else sum(len(p.coords) for p in line.geoms)} vertices; "
        f"{os.cpu_count()} CPUs; load average at start {_load()}"
    )
    print(
        f"{per_file:,} points per file/partition; engine threads in process: "
        f"{os.environ.get('GEOCONFLICT_THREADS', os.cpu_count())}"
    )
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="bench_dask_"))
    try:
        for n in sizes:
            src = tmp / f"points_{n}"
            _generate(src, n, per_file)
            t_in, cpu_in = _in_process(src, tmp / f"in_{n}", line)
            rows.append((n, "in process", t_in, 1.0, cpu_in, 1.0, _rss_mib(), ""))
            for w in workers:
                dst = tmp / f"out_{n}_{w}"
                dt, cpu, peak, builds = _on_cluster(src, dst, line, w)
                per_worker = sorted(sum(b.values()) for b in builds.values())
                rows.append(
                    (
                        n,
                        f"{w} worker(s)",
                        dt,
                        t_in / dt,
                        cpu,
                        cpu_in / cpu,
                        peak,
                        per_worker,
                    )
                )
                shutil.rmtree(dst)
            shutil.rmtree(src)
            shutil.rmtree(tmp / f"in_{n}")
            print(f"  done {n:,} points; load average {_load()}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(
        f"{'points':>12} {'run':>12} {'seconds':>8} {'points/s':>10} {'vs in-proc':>10} "
        f"{'CPU s':>7} {'CPU vs in-proc':>14} {'peak RSS/worker MiB':>19} "
        f"{'builds/worker':>13}"
    )
    for n, what, dt, ratio, cpu, cratio, peak, builds in rows:
        print(
            f"{n:>12,} {what:>12} {dt:>8.1f} {n / dt:>10,.0f} {ratio:>10.2f} "
            f"{cpu:>7.1f} {cratio:>14.2f} {peak:>19.0f} {builds!s:>13}"
        )
    print(
        "vs in-proc: throughput ratio (wall clock); CPU vs in-proc: in-process CPU "
        "seconds / cluster CPU seconds (workers + client + scheduler), which a "
        "shared machine's load does not skew"
    )
    print(f"\nload average at end {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
