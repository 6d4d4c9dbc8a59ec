"""Benchmark of issue #13: reading and importing analyst-scale ACLED exports.

Run: ``python benchmarks/bench_events.py [--rows N] [--quick]``.

Generates, in the same run, an ACLED-layout CSV (the 31 columns of
:data:`geoconflict.io.acled.ACLED_COLUMNS`, realistic values over Syria and Iraq,
lon/lat degrees WGS84) with about 0.05 % bad rows of ten kinds, then times in
separate processes (each one's peak resident memory is its own):

* the baseline: ``pandas.read_csv`` + ``geopandas.points_from_xy`` + ``to_datetime``;
* ``gc.read_acled`` (and ``EventSet.to_geodataframe()`` on its result);
* ``geoconflict import -o events.parquet`` and ``-o events.gpkg`` (whole CLI runs).

It prints rows/s, peak RSS, output sizes and the ratios against the issue's
targets, and checks that every row is kept or reported.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: kinds of bad rows planted (each about 0.005 % of the rows)
BAD_KINDS = (
    "missing_id",
    "duplicate_id",
    "lat_out_of_range",
    "lon_not_a_number",
    "null_island",
    "bad_date",
    "bad_geo_precision",
    "negative_fatalities",
    "swapped_lat_lon",
    "short_row",
)

_TYPES = (
    ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Political violence", "Battles", "Armed clash"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Demonstrations", "Protests", "Peaceful protest"),
    ("Strategic developments", "Strategic developments", "Looting/property destruction"),
)  # fmt: skip
# (country, iso, lon range, lat range): boxes inside each country (a few percent
# of the points fall within the boundary dataset's ±3 km of a border: flagged)
_BOXES = (
    ("Syria", 760, (36.8, 40.6), (33.6, 36.5)),
    ("Iraq", 368, (42.3, 45.3), (31.5, 36.2)),
)


def generate(path: Path, n: int, seed: int = 13) -> dict:
    """Write an n-row ACLED-layout CSV with ~0.05 % bad rows; return the plan."""
    from geoconflict.io.acled import ACLED_COLUMNS

    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(_BOXES), n)
    lon = np.empty(n)
    lat = np.empty(n)
    for k, (_, _, (x0, x1), (y0, y1)) in enumerate(_BOXES):
        sel = which == k
        lon[sel] = rng.uniform(x0, x1, sel.sum()).round(4)
        lat[sel] = rng.uniform(y0, y1, sel.sum()).round(4)
    days = rng.integers(0, 365 * 8, n)
    dates = (np.datetime64("2016-01-01") + days.astype("timedelta64[D]")).astype(str)
    types = rng.integers(0, len(_TYPES), n)
    fatalities = rng.poisson(1.2, n)
    geo_prec = rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05])
    time_prec = rng.choice([1, 2, 3], n, p=[0.9, 0.08, 0.02])
    n_bad = max(len(BAD_KINDS), round(n * 0.0005))
    bad_rows = rng.choice(np.arange(1, n), n_bad, replace=False)
    bad_kind = {int(r): BAD_KINDS[i % len(BAD_KINDS)] for i, r in enumerate(bad_rows)}
    actors = ("Military Forces of Syria (2000-)", "Unidentified Armed Group (Syria)",
              "Islamic State (Syria)", "Military Forces of Iraq (2020-)",
              "Protesters (Iraq)", "Military Forces of the United States (2021-)")  # fmt: skip
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(ACLED_COLUMNS)
        for i in range(n):
            country, iso, _, _ = _BOXES[which[i]]
            d, e, s = _TYPES[types[i]]
            eid = f"{country[:3].upper()}{i + 1}"
            row = [
                eid, dates[i], dates[i][:4], int(time_prec[i]), d, e, s,
                actors[i % len(actors)], "", 1, actors[(i + 3) % len(actors)], "", 8, 18,
                "", iso, "Middle East", country, f"Province {i % 14}", f"District {i % 60}",
                "", f"Town {i % 900}", f"{lat[i]:.4f}", f"{lon[i]:.4f}", int(geo_prec[i]),
                "Local Source; SOHR", "National-International",
                f"On {dates[i]}, an event of type {s.lower()} took place near town {i % 900}. "
                f"{int(fatalities[i])} fatalities were reported.",
                int(fatalities[i]), "crowd size=no report" if e == "Protests" else "",
                1700000000 + i,
            ]  # fmt: skip
            kind = bad_kind.get(i)
            if kind == "missing_id":
                row[0] = ""
            elif kind == "duplicate_id":
                row[0] = f"{_BOXES[which[0]][0][:3].upper()}1"
            elif kind == "lat_out_of_range":
                row[22] = "134.5"
            elif kind == "lon_not_a_number":
                row[23] = "40,91E"
            elif kind == "null_island":
                row[22] = row[23] = "0"
            elif kind == "bad_date":
                row[1] = "31/02/2020x"
            elif kind == "bad_geo_precision":
                row[24] = "7"
            elif kind == "negative_fatalities":
                row[28] = "-3"
            elif kind == "swapped_lat_lon":
                row[22], row[23] = row[23], row[22]
            elif kind == "short_row":
                row = row[:20]
            w.writerow(row)
    return {"rows": n, "bad": n_bad, "kinds": dict.fromkeys(BAD_KINDS, 0) | {
        k: sum(1 for v in bad_kind.values() if v == k) for k in BAD_KINDS}}  # fmt: skip


# --------------------------------------------------------------------------- steps
# each step runs in its own process and prints one JSON line


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def step_baseline(csv_path: str) -> dict:
    import geopandas as gpd
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(csv_path, on_bad_lines="skip", low_memory=False)
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    gdf["event_date"] = pd.to_datetime(gdf["event_date"], errors="coerce")
    t = time.perf_counter() - t0
    return {"seconds": t, "rows": len(gdf), "rss_mib": _peak_rss_mib()}


def step_read_acled(csv_path: str) -> dict:
    import geoconflict as gc

    # the first read in a process loads the boundary dataset and its point index
    # and numba's compiled kernels: timed apart, on a 20-row file
    small = Path(csv_path).with_suffix(".setup.csv")
    with (
        open(csv_path, encoding="utf-8") as fh,
        open(small, "w", encoding="utf-8") as out,
    ):
        for _ in range(21):
            out.write(fh.readline())
    t0 = time.perf_counter()
    gc.read_acled(small)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    es = gc.read_acled(csv_path)
    t = time.perf_counter() - t0
    t1 = time.perf_counter()
    gdf = es.to_geodataframe()
    t_gdf = time.perf_counter() - t1
    rej = es.rejected
    counts = rej.counts()
    return {
        "seconds": t,
        "setup_seconds": setup,
        "gdf_seconds": t_gdf,
        "events": len(es),
        "gdf_rows": len(gdf),
        "rejected_rows": counts["rejected"],
        "flagged_rows": counts["flagged"],
        "reported_rows": len({r["row"] for r in rej if r["action"] == "rejected"}),
        "rss_mib": _peak_rss_mib(),
    }


def _run(args: list, env=None) -> tuple[float, float, str]:
    """Run a process; return (wall seconds, peak RSS MiB of the child, stdout)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    t = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed:\n{proc.stdout}\n{proc.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return t, max(after, before) / 1024.0, proc.stdout


def _step(name: str, csv_path: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t, _, out = _run([sys.executable, __file__, "--step", name, csv_path], env)
    res = json.loads(out.strip().splitlines()[-1])
    res["process_seconds"] = t
    res["load"] = os.getloadavg()[0]
    return res


def _import(csv_path: str, out: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = "import sys; from geoconflict.cli.main import main; sys.exit(main())"
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t0 = time.perf_counter()\n"
        f"p = subprocess.run([sys.executable, '-c', {code!r}, 'import', {csv_path!r},"
        f" '-o', {str(out)!r}, '--rejected', {str(out) + '.rejected.csv'!r}],"
        " capture_output=True, text=True)\n"
        "t = time.perf_counter() - t0\n"
        "if p.returncode: sys.exit(p.stderr)\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': t, 'rss_mib': rss, 'stderr': p.stderr[-400:]}))\n"
    )
    _, _, stdout = _run([sys.executable, "-c", wrapper], env)
    res = json.loads(stdout.strip().splitlines()[-1])
    res["size_mb"] = out.stat().st_size / 1e6
    res["load"] = os.getloadavg()[0]
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 rows")
    ap.add_argument("--keep", help="write the CSV and outputs in this folder")
    ap.add_argument("--reuse", help="time this CSV (written by an earlier run) instead")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("csv", nargs="?", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        fn = {"baseline": step_baseline, "read_acled": step_read_acled}[a.step]
        print(json.dumps(fn(a.csv)))
        return 0
    n = 100_000 if a.quick else a.rows
    folder = Path(a.keep or tempfile.mkdtemp(prefix="bench-events-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"acled-{n}.csv"
    t0 = time.perf_counter()
    if a.reuse:
        csv_path = Path(a.reuse)
        with open(csv_path, "rb") as fh:
            n = sum(1 for _ in fh) - 1
        plan = {"bad": "?", "kinds": "as generated"}
    else:
        plan = generate(csv_path, n)
    csv_mb = csv_path.stat().st_size / 1e6
    print(
        f"{n:,} rows ({csv_mb:.0f} MB, {plan['bad']} bad rows: {plan['kinds']}), "
        f"{time.perf_counter() - t0:.1f} s; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    base = _step("baseline", str(csv_path))
    ours = _step("read_acled", str(csv_path))
    imports = {
        ext: _import(str(csv_path), folder / f"events{ext}")
        for ext in (".parquet", ".gpkg")
    }
    bt = base["seconds"]
    print(
        "\n| step | seconds | rows/s | peak RSS MiB | output MB | vs baseline | load after |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| pandas read_csv + points_from_xy + to_datetime | {bt:.2f} | "
          f"{n / bt:,.0f} | {base['rss_mib']:.0f} | — | 1.00× | {base['load']:.1f} |")  # fmt: skip
    print(f"| `gc.read_acled` | {ours['seconds']:.2f} | {n / ours['seconds']:,.0f} | "
          f"{ours['rss_mib']:.0f} | — | {ours['seconds'] / bt:.2f}× time, "
          f"{ours['rss_mib'] / base['rss_mib']:.2f}× RSS | {ours['load']:.1f} |")  # fmt: skip
    print(f"| (first `read_acled` in a process: boundaries, point index, numba; 20 rows) | "
          f"{ours['setup_seconds']:.2f} | — | — | — | — | |")  # fmt: skip
    print(f"| `EventSet.to_geodataframe()` | {ours['gdf_seconds']:.2f} | "
          f"{n / max(ours['gdf_seconds'], 1e-9):,.0f} | — | — | "
          f"{ours['gdf_seconds'] / ours['seconds']:.1%} of the read | |")  # fmt: skip
    for ext, r in imports.items():
        print(f"| `geoconflict import -o events{ext}` (whole process) | "
              f"{r['seconds']:.2f} | {n / r['seconds']:,.0f} | {r['rss_mib']:.0f} | "
              f"{r['size_mb']:.0f} ({r['size_mb'] / csv_mb:.2f}× the CSV) | "
              f"{r['seconds'] / bt:.2f}× | {r['load']:.1f} |")  # fmt: skip
    print()
    accounted = ours["events"] + ours["rejected_rows"]
    print(
        f"rows: {n:,} in, {ours['events']:,} kept, {ours['rejected_rows']:,} "
        f"rejected, {ours['flagged_rows']:,} flagged; kept + rejected = "
        f"{accounted:,} ({'every row accounted for' if accounted == n else 'MISMATCH'})"
    )
    targets = (
        ("read_acled time ≤ 1.5× baseline", ours["seconds"] / bt, 1.5),
        ("read_acled peak RSS ≤ 2× baseline", ours["rss_mib"] / base["rss_mib"], 2.0),
        ("import → GeoParquet ≤ 2.5× baseline", imports[".parquet"]["seconds"] / bt, 2.5),
        ("import → GeoPackage ≤ 4× baseline", imports[".gpkg"]["seconds"] / bt, 4.0),
        ("to_geodataframe < 10 % of the read", ours["gdf_seconds"] / ours["seconds"], 0.1),
    )  # fmt: skip
    for what, got, limit in targets:
        print(f"  {what}: {got:.2f} ({'met' if got <= limit else 'NOT met'})")
    print(f"files in {folder}")
    return 0 if accounted == n else 1


if __name__ == "__main__":
    sys.exit(main())
