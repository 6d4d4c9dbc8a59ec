"""The example job behind ``make demo`` (``geoconflict demo --out out``).

It takes the sites of the al-Bukamal reports (the seed example,
:func:`geoconflict.load_example`), measures them geodesically — to each other,
to the Iraq–Syria border and against the distances stated in the reports —,
draws range rings from the al-Tanf garrison and the strip along the border,
and writes:

* ``al-bukamal.png`` and ``al-bukamal.pdf`` — the map (and ``al-bukamal.html``,
  the same map to explore offline in a browser);
* ``distances.csv`` / ``distances.md`` — the distance table;
* ``claims.csv`` / ``claims.md`` — the claim checks;
* ``al-bukamal.gpkg`` — a GeoPackage with every layer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from geoconflict._compat import import_optional_dependency
from geoconflict.events.check import check_claims
from geoconflict.events.eventset import EventSet
from geoconflict.geodesy.measurement import inverse
from geoconflict.geography.borders import border_zone, distance_to_border
from geoconflict.io.events import load_example
from geoconflict.io.features import Feature, table_text
from geoconflict.maps import MapSpec, border_features, render, ring_features
from geoconflict.units import format_length

__all__ = ["RANGE_RADII_M", "main", "run"]

#: range rings drawn around the al-Tanf garrison: distances only, no weapon claim
RANGE_RADII_M = [100_000.0, 200_000.0, 300_000.0]
#: width of the strip drawn along the Iraq–Syria border
BORDER_STRIP_M = 10_000.0


def _features_from_events(events: EventSet) -> list:
    """Point features, one per located site of `events` (lon/lat degrees WGS84).

    Sites without a geometry (located only to a province or country that has no
    point) are left out; a site with an area is drawn at a point inside it.
    """
    out = []
    for row in events.site_table():
        g = row.pop("geometry", None)
        if g is None or g.is_empty:
            continue
        if g.geom_type != "Point":
            g = g.representative_point()
        props = {k: v for k, v in row.items() if v is not None}
        props["name"] = row.get("site_name") or row.get("place") or row.get("event_id")
        out.append(Feature(g, props))
    return out


def run(out_dir, *, html: bool = True, echo: Optional[Callable] = print) -> list:
    """Run the demo, write its files into `out_dir`, return their paths.

    Distances are geodesic on WGS84 in meters; azimuths degrees clockwise from
    true north.

    Examples
    --------
    >>> import tempfile
    >>> paths = run(tempfile.mkdtemp(), html=False, echo=None)
    >>> sorted({p.suffix for p in paths} & {".csv", ".gpkg"})
    ['.csv', '.gpkg']
    """
    say = echo or (lambda *a, **k: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list = []
    example = load_example()
    sites = _features_from_events(example)

    # 1. distances from every located site to the al-Tanf garrison (a reference)
    tanf = next((s for s in sites if "tanf" in s.name.lower()), None)
    rows = []
    lon = np.array([s.geometry.x for s in sites])
    lat = np.array([s.geometry.y for s in sites])
    if tanf is not None:
        r = inverse(
            lon,
            lat,
            np.full_like(lon, tanf.geometry.x),
            np.full_like(lat, tanf.geometry.y),
        )
        for k, s in enumerate(sites):
            if s is tanf:
                continue
            d = float(r.distance[k])
            rows.append(_row(s, "US base at al-Tanf", d, float(r.azimuth1[k]) % 360.0))
            say(f"{_label(s):<60} -> al-Tanf {format_length(d):>9}")

    # 2. distances to the Iraq–Syria border, with the dataset's uncertainty and side
    bd = distance_to_border(lon, lat, "IRQ", "SYR")
    lines = border_features(["IRQ", "SYR"])
    for k, s in enumerate(sites):
        d = float(np.atleast_1d(bd.distance_m)[k])
        az = (
            float(
                inverse(
                    lon[k],
                    lat[k],
                    np.atleast_1d(bd.lon)[k],
                    np.atleast_1d(bd.lat)[k],
                ).azimuth1
            )
            % 360.0
        )
        row = _row(s, f"Iraq–Syria border ({bd.dataset})", d, az)
        row["border_low_m"] = round(float(np.atleast_1d(bd.low_m)[k]), 1)
        row["border_high_m"] = round(float(np.atleast_1d(bd.high_m)[k]), 1)
        row["side"] = np.atleast_1d(np.asarray(bd.side, dtype=object))[k]
        rows.append(row)
        say(f"{_label(s):<60} -> border  {format_length(d):>9} ({row['side']} side)")
    zones = []
    strip = border_zone("IRQ", "SYR", BORDER_STRIP_M)
    if strip.is_empty:
        say("note: the border strip came back empty; it is not drawn")
    else:
        zones.append(
            Feature(
                strip,
                {
                    "label": f"{format_length(BORDER_STRIP_M)} from the Iraq–Syria border"
                },
            )
        )
    for fmt, ext in (("csv", "csv"), ("markdown", "md")):
        p = out / f"distances.{ext}"
        p.write_text(table_text(rows, fmt), encoding="utf-8")
        written.append(p)

    # 3. claim checks
    checks = [dict(r) for r in check_claims(example)]
    for fmt, ext in (("csv", "csv"), ("markdown", "md")):
        p = out / f"claims.{ext}"
        p.write_text(table_text(checks, fmt), encoding="utf-8")
        written.append(p)

    # 4. ranges from the al-Tanf garrison
    rings = []
    if tanf is not None:
        rings = ring_features(
            tanf.geometry.x, tanf.geometry.y, RANGE_RADII_M, label="from al-Tanf"
        )

    # 5. the map
    spec = MapSpec(
        title="Al-Bukamal and the Iraq–Syria border",
        subtitle="Sites named in the September 2019 and September 2021 reports",
        date="2019-09-09 / 2021-09-14",
        sites=sites,
        zones=zones,
        rings=rings,
        lines=lines,
        margin_m=40_000.0,
    )
    names = sorted({src.name for src in example.sources.values()})
    if names:
        spec.credits.append(
            "Sources: " + "; ".join(names[:6]) + ("; …" if len(names) > 6 else "")
        )
    n_all = len(example.site_table())
    if n_all > len(sites):
        spec.notes.append(
            f"{n_all - len(sites)} of {n_all} sites are located only to province or country "
            "level and are not drawn."
        )
    spec.notes.append(
        "Co-located sites are spread around their common point (black dot)."
    )
    for ext in ("png", "pdf"):
        p = out / f"al-bukamal.{ext}"
        render(spec, p)
        written.append(p)
    if html:
        p = out / "al-bukamal.html"
        render(spec, p)
        written.append(p)

    # 6. GeoPackage with every layer
    gpkg = out / "al-bukamal.gpkg"
    _write_gpkg(
        gpkg, {"sites": sites, "ranges": rings, "zones": zones, "borders": lines}
    )
    written.append(gpkg)
    say(f"wrote {len(written)} files to {out}/")
    return written


def _label(site) -> str:
    ev = site.properties.get("event_id")
    return f"{site.name} [{ev}]" if ev else site.name


def _row(site, reference: str, d: float, azimuth: float) -> dict:
    p = site.properties
    return {
        "event_id": p.get("event_id", ""),
        "site": site.name,
        "precision": p.get("precision", ""),
        "site_radius_m": p.get("radius_m", ""),
        "lon": round(site.geometry.x, 6),
        "lat": round(site.geometry.y, 6),
        "reference": reference,
        "distance_m": round(d, 1),
        "distance_km": round(d / 1000.0, 2),
        "azimuth_deg": round(azimuth, 2),
    }


def _write_gpkg(path: Path, layers: dict) -> None:
    gpd = import_optional_dependency("geopandas", "writing the demo GeoPackage")
    if path.exists():
        path.unlink()
    for name, feats in layers.items():
        if not feats:
            continue
        props = [
            {
                k: (
                    v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
                )
                for k, v in f.properties.items()
            }
            for f in feats
        ]
        gdf = gpd.GeoDataFrame(
            props, geometry=[f.geometry for f in feats], crs="EPSG:4326"
        )
        gdf.to_file(path, layer=name, driver="GPKG")


def main(argv: Optional[list] = None) -> int:
    """Run the demo from ``python -m geoconflict.cli.demo``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m geoconflict.cli.demo", description=__doc__
    )
    parser.add_argument("--out", default="out", help="output folder (default: out)")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML map")
    args = parser.parse_args(argv)
    for p in run(args.out, html=not args.no_html):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
