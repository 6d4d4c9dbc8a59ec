"""``geoconflict link``: one event from two datasets (ACLED, UCDP GED, own reports).

Coordinates are (lon, lat) degrees WGS84; distances meters; times days.
"""

from __future__ import annotations

import os

import click

from geoconflict.analysis.linking import link_events, merge_linked
from geoconflict.cli.events import _sniff_kind
from geoconflict.cli.options import InputFile, Length, Number, OutputPath
from geoconflict.errors import GeoconflictError
from geoconflict.io.events import read_acled, read_events, read_ucdp_ged, write_events
from geoconflict.io.features import stdin_as_file

__all__ = ["link"]

_READERS = {"acled": read_acled, "ucdp": read_ucdp_ged, "events": read_events}
_OUT = (".parquet", ".gpkg", ".geojson", ".json", ".kml", ".shp")


def _read(source: str):
    with stdin_as_file(source, what="events") as path:
        kind = _sniff_kind(path)
        es = _READERS[kind](path)
    if len(es.rejected):
        click.echo(f"{source} ({kind}): {es.rejected.summary()}", err=True)
    return es, kind


@click.command("link")
@click.argument("left", type=InputFile("events (ACLED, UCDP or generic)"))
@click.argument("right", type=InputFile("events (ACLED, UCDP or generic)"))
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Merged events: .geojson (native, lossless), .gpkg, .parquet (one row per "
    "event and site), .kml or .shp.",
)
@click.option(
    "--links",
    "links_path",
    type=OutputPath(),
    help="Write the links table (.csv or .md).",
)
@click.option("--max-distance", "max_distance_m", type=Length(zero_ok=True), default=None,
              help="How far apart the location regions (point + precision radius) may "
              "be, e.g. '2 km'. Default 0: they must touch.")  # fmt: skip
@click.option("--max-days", type=Number(minimum=0, what="days", example="1"), default=None,
              help="Days the time intervals may be apart. Default 1.")  # fmt: skip
@click.option(
    "--any-type",
    is_flag=True,
    help="Link whatever the types (no ACLED/UCDP taxonomy check).",
)
@click.option(
    "--many-to-one",
    is_flag=True,
    help="Link each RIGHT record to its best LEFT record (a LEFT record may take several).",
)
def link(
    left, right, output, links_path, max_distance_m, max_days, any_type, many_to_one
):
    """Link the records of two event datasets and merge them, keeping every claim.

    Records can be the same event when their location regions, time intervals
    and types (ACLED event type ~ UCDP type of violence) are compatible; linked
    records become one event holding both datasets' sites and claims (their
    casualty figures side by side), the others pass through.

    \b
    Example:
        geoconflict link acled.csv ucdp.csv -o linked.parquet --links links.csv
    """
    ext = os.path.splitext(output)[1].lower()
    if ext not in _OUT:
        raise GeoconflictError(f"-o {output}: write to one of {', '.join(_OUT)}")
    a, ka = _read(left)
    b, kb = _read(right)
    links = link_events(
        a,
        b,
        max_distance_m=max_distance_m,
        max_days=max_days,
        match=None if any_type else "type",
        mode="many_to_one" if many_to_one else "one_to_one",
    )
    merged = merge_linked(a, b, links)
    if ext == ".parquet":
        merged.to_geodataframe().to_parquet(output)
    else:
        write_events(merged, output)
    if links_path:
        text = links.to_markdown() if links_path.endswith(".md") else links.to_csv()
        with open(links_path, "w", encoding="utf-8") as fh:
            fh.write(text)
    click.echo(
        f"{len(links)} links between {len(a)} records of {left} ({ka}) and {len(b)} of "
        f"{right} ({kb}); {len(merged)} events written to {output}"
    )
