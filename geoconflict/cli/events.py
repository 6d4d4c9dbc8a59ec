"""Event commands: ``import`` (ACLED, UCDP GED, CSV) and ``check-claims``.

Every row that cannot be used is reported with its file, row, column, value
and reason; none disappears silently.  Coordinates are (lon, lat) degrees
WGS84, distances meters.
"""

from __future__ import annotations

import os

import click

from geoconflict.cli.helpers import write_rows
from geoconflict.cli.options import InputFile, OutputPath, format_option, output_option
from geoconflict.errors import GeoconflictError
from geoconflict.events.check import check_claims
from geoconflict.io.events import (
    load_example,
    read_acled,
    read_events,
    read_ucdp_ged,
    write_events,
)
from geoconflict.io.features import stdin_as_file

__all__ = ["check_claims_cmd", "import_"]


# --------------------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------------------

_IMPORT_KINDS = ("auto", "acled", "ucdp", "events")


@click.command("import")
@click.argument("source", type=InputFile("events (ACLED, UCDP or generic)"))
@click.option("--kind", type=click.Choice(_IMPORT_KINDS), default="auto", show_default=True,
              help="Input layout: ACLED export, UCDP GED CSV, or generic events (CSV with "
              "lat/lon, DMS or MGRS; GeoJSON; GeoPackage). auto: from the columns.")  # fmt: skip
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Output .parquet (GeoParquet, lossless, fast), .gpkg, .geojson (native, "
    "lossless), .kml or .shp.",
)
@click.option(
    "--rejected",
    "rejected_path",
    type=OutputPath(),
    help="Write the rejected/flagged rows here (.csv or .md).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if any row was rejected (flagged rows are kept and do not count).",
)
def import_(source, kind, output, rejected_path, strict):
    """Import events (ACLED, UCDP GED, CSV with lat/lon, DMS or MGRS) to GPKG/GeoJSON.

    Every row that cannot be used is reported (file, row, column, value,
    reason) on standard error or in --rejected; none disappears silently.

    \b
    Examples:
        geoconflict import acled.csv -o events.parquet --rejected rejected.csv
        geoconflict import acled.csv -o events.gpkg
        geoconflict import ged.csv --kind ucdp -o events.geojson
        geoconflict import sites_mgrs.csv -o sites.gpkg
    """
    ext = os.path.splitext(output)[1].lower()
    if ext not in (".parquet", ".gpkg", ".geojson", ".json", ".kml", ".shp"):
        raise GeoconflictError(
            f"-o {output}: write events to a .parquet, .gpkg, .geojson, .kml or .shp file"
        )
    with stdin_as_file(source, what="events") as path:
        if kind == "auto":
            kind = _sniff_kind(path)
        reader = {
            "acled": read_acled,
            "ucdp": read_ucdp_ged,
            "events": read_events,
        }[kind]
        es = reader(path)
    rejected = es.rejected
    n_rej = len(rejected)
    write_events(es, output)
    counts = rejected.counts()
    click.echo(
        f"{len(es)} events from {source} ({kind}) written to {output}; "
        f"{rejected.summary()}",
        err=True,
    )
    if n_rej:
        if rejected_path:
            text = (
                rejected.to_markdown()
                if rejected_path.endswith(".md")
                else rejected.to_csv()
            )
            with open(rejected_path, "w", encoding="utf-8") as fh:
                fh.write(text)
            click.echo(
                f"rejected and flagged rows listed in {rejected_path} (its action "
                "column tells them apart)",
                err=True,
            )
        else:
            click.echo(
                "rejected and flagged rows (action column; use --rejected FILE "
                "for the table):",
                err=True,
            )
            click.echo(rejected.to_csv(), err=True, nl=False)
    if strict and counts["rejected"]:
        raise GeoconflictError(
            f"{counts['rejected']} rows of {source} were rejected (--strict; "
            f"{counts['flagged']} flagged rows were kept)"
        )


def _sniff_kind(path: str) -> str:
    if os.path.splitext(path)[1].lower() not in (".csv", ".txt", ".json", ".xlsx"):
        return "events"
    if path.lower().endswith(".xlsx"):
        return "acled"
    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", "replace").lower()
    if "event_id_cnty" in head:
        return "acled"
    if "where_prec" in head or "date_prec" in head:
        return "ucdp"
    return "events"


# --------------------------------------------------------------------------------------
# check-claims
# --------------------------------------------------------------------------------------


@click.command("check-claims")
@click.argument("events", required=False, type=InputFile("events"))
@click.option(
    "--example",
    is_flag=True,
    help="Check the bundled al-Bukamal example instead of a file.",
)
@format_option()
@output_option
def check_claims_cmd(events, example, fmt, output):
    """Compare the distances stated in reports with the geometry.

    Each stated distance ("about 3 km from the border") is compared with the
    measured one using every uncertainty — the phrase's rounding, the site's
    location precision and the border dataset's accuracy — and reported as
    consistent, inconsistent or cannot tell, with the numbers and the reason.
    EVENTS is a geoconflict events file (native GeoJSON, GeoPackage, or any
    file `geoconflict import` reads).

    \b
    Examples:
        geoconflict check-claims --example --format markdown
        geoconflict check-claims events.geojson -o claims.csv
    """
    if bool(events) == bool(example):
        raise click.UsageError("give an events file or --example")
    if example:
        es = load_example()
    else:
        with stdin_as_file(events, what="events") as path:
            es = read_events(path)
    table = check_claims(es)
    rows = [dict(r) for r in table]
    if not rows:
        raise GeoconflictError(
            f"{events or 'the example'}: no stated distances to check (no distance claims)"
        )
    geoms = [r.pop("geometry", None) for r in rows]
    write_rows(rows, fmt, output, geoms)
