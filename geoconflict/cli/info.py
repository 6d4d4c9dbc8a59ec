"""``geoconflict info`` and ``geoconflict places``: versions, bundled data, the gazetteer."""

from __future__ import annotations

import json
from typing import Optional

import click
import shapely

from geoconflict._show_versions import versions
from geoconflict.cli.helpers import write_rows
from geoconflict.cli.options import format_option, one_line, output_option
from geoconflict.geography.datasets import manifest
from geoconflict.geography.places import lookup
from geoconflict.io.features import parse_lonlat, resolve_place

__all__ = ["info", "places"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def info(as_json: bool) -> None:
    """Show versions: geoconflict, Python, GEOS, PROJ, GDAL and the bundled data.

    \b
    Example:
        geoconflict info
    """
    data = dict(versions())
    data.update(_datasets_info())
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for key, value in data.items():
        click.echo(f"{key:<20} {value if value is not None else '-'}")


def _datasets_info() -> dict:
    """One line per bundled dataset: upstream, licence and number of files."""
    out: dict[str, Optional[str]] = {}
    try:
        man = manifest()
    except Exception as exc:  # report, do not fail `info`
        out["datasets"] = f"error: {one_line(exc)}"
        return out
    groups: dict = {}
    for f in man.get("files", []):
        if f.get("layer") in ("licence", "readme"):
            continue
        key = (
            str(f.get("upstream") or f.get("source") or f.get("file")),
            str(f.get("licence") or "?"),
        )
        g = groups.setdefault(key, [0, 0])
        g[0] += 1
        g[1] += int(f.get("bytes") or 0)
    for i, ((upstream, licence), (n, size)) in enumerate(sorted(groups.items())):
        out[f"data {i + 1}"] = (
            f"{upstream} — {licence} ({n} file{'s' if n > 1 else ''}, {size / 1e6:.1f} MB)"
        )
    if not groups:
        out["datasets"] = "bundled (no manifest)"
    return out


#: the columns of `geoconflict places`, from :class:`geoconflict.geography.places.Place`
_PLACE_COLUMNS = (
    "name",
    "lon",
    "lat",
    "country",
    "population",
    "source",
    "id",
    "match",
)


@click.command()
@click.argument("names", nargs=-1, required=True)
@format_option()
@output_option
def places(names, fmt, output):
    """Look up places by name (transliteration variants match) or check "lon,lat".

    Every candidate is listed with its coordinates (lon/lat degrees WGS84) and
    source; when candidates disagree, their spread (meters) is part of the
    answer.

    \b
    Example:
        geoconflict places "al-Bukamal" "Al Qaim" --format markdown
    """
    rows, geoms = [], []
    for name in names:
        if parse_lonlat(name) is not None:
            f = resolve_place(name)
            rows.append({"query": name, "name": f.name, "lon": f.geometry.x,
                         "lat": f.geometry.y, "source": f.properties.get("source")})  # fmt: skip
            geoms.append(f.geometry)
            continue
        found = lookup(name)
        spread = round(float(found.spread_m), 1)
        for place in found:
            row = {"query": name, **{k: getattr(place, k) for k in _PLACE_COLUMNS}}
            row["spread_m"] = spread
            rows.append(row)
            geoms.append(shapely.Point(place.lon, place.lat))
    write_rows(rows, fmt, output, geoms)
