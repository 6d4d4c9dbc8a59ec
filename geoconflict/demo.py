"""The example job behind ``make demo`` (``python -m geoconflict.demo --out out``).

For now it measures the geodesic distances between the example sites of the
al-Bukamal reports and writes them to ``out/distances.csv``; later steps add the
border distances, claim checks, ranges and the map.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from pathlib import Path

from .geodesy import inverse
from .units import format_length

#: (name, lon, lat, source) — GeoNames ids where the site is a settlement
EXAMPLE_SITES = [
    ("Abu Kamal (town)", 40.91854, 34.45226, "GeoNames 174448"),
    ("Al Qa'im (town)", 40.98945, 34.39251, "GeoNames 92138"),
    (
        "Al-Tanf garrison (approximate)",
        38.61778,
        33.50583,
        "public reporting; approximate",
    ),
]


def main(argv: list[str] | None = None) -> int:
    """Run the demo; return the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m geoconflict.demo", description=__doc__
    )
    parser.add_argument("--out", default="out", help="output folder (default: out)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for (n1, x1, y1, _), (n2, x2, y2, _) in itertools.combinations(EXAMPLE_SITES, 2):
        r = inverse(x1, y1, x2, y2)
        rows.append((n1, n2, r.distance, r.azimuth1))
        print(
            f"{n1:<32} -> {n2:<32} {format_length(r.distance):>10}  azimuth {r.azimuth1:6.1f}°"
        )
    path = out / "distances.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["from", "to", "distance_m", "azimuth_deg"])
        for n1, n2, d, az in rows:
            w.writerow([n1, n2, f"{d:.3f}", f"{az:.4f}"])
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
