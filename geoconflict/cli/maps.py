"""``geoconflict map`` (PNG, SVG, PDF or offline HTML) and ``geoconflict demo``.

matplotlib is imported by the map renderer only when a map is drawn, so this
module is cheap to import.  Coordinates are (lon, lat) degrees WGS84,
distances meters.
"""

from __future__ import annotations

import os

import click

from geoconflict.cli.demo import _features_from_events
from geoconflict.cli.demo import run as run_demo
from geoconflict.cli.helpers import progress
from geoconflict.cli.options import (
    CountryPair,
    Extent,
    InputFile,
    Length,
    Lengths,
    Number,
    OutputPath,
    site_option,
)
from geoconflict.io.events import read_events
from geoconflict.io.features import read_features, stdin_as_file
from geoconflict.maps import (
    MapSpec,
    border_features,
    load_spec,
    render,
    render_each,
)

__all__ = ["demo", "map_"]


# --------------------------------------------------------------------------------------
# map and demo
# --------------------------------------------------------------------------------------


@click.command("map")
@click.argument("layers", nargs=-1, type=InputFile("map layers"))
@click.option(
    "--spec",
    "spec_file",
    type=InputFile("map spec (TOML)"),
    help="Map spec (TOML); options below override it.",
)
@site_option()
@click.option(
    "--extent",
    type=Extent(),
    help='"auto" (default), a place name, or a bbox "west,south,east,north".',
)
@click.option(
    "--margin",
    type=Length(zero_ok=True),
    default=None,
    help='Margin around the data for --extent auto, e.g. "20 km".',
)
@click.option("--title", help="Map title.")
@click.option("--subtitle", help="Map subtitle.")
@click.option("--date", "date_text", help="Date line (text, e.g. 2019-09-09).")
@click.option("--events", "event_files", type=InputFile("events"), multiple=True,
              help="Events file (native GeoJSON, GPKG, ACLED/UCDP/CSV): sites styled by event type and attribution.")  # fmt: skip
@click.option(
    "--border",
    type=CountryPair(),
    help="Draw the border of two countries, e.g. IRQ,SYR.",
)
@click.option(
    "--zone",
    "zone_m",
    type=Length(),
    help='With --border: the strip along it, e.g. "10 km".',
)
@click.option("--side", help="With --zone: keep the strip on one side (e.g. SYR).")
@click.option(
    "--rings",
    "rings_m",
    type=Lengths(),
    help='Range rings around every site, e.g. "50 km, 100 km".',
)
@click.option(
    "--each",
    type=click.Choice(["event", "feature"]),
    help="Write one map per event (or feature).",
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Output .png, .svg, .pdf or .html (with --each: a folder).",
)
@click.option(
    "--dpi",
    type=Number(int, minimum=1, maximum=2400, what="dots per inch", example="300"),
    default=None,
    help="Resolution of PNG output (default 150; 1 to 2400).",
)
@click.pass_context
def map_(
    ctx,
    layers,
    spec_file,
    site_places,
    extent,
    margin,
    title,
    subtitle,
    date_text,
    event_files,
    border,
    zone_m,
    side,
    rings_m,
    each,
    output,
    dpi,
):
    """Draw a map (PNG, SVG, PDF, or offline interactive HTML).

    LAYERS are files of features (GeoJSON, CSV with lon/lat, GeoPackage, or -);
    points are drawn as sites styled by their event_type and attribution_status
    properties, lines and polygons as zones.  Countries, provinces and disputed
    areas come from the bundled boundaries.  The projection is chosen for the
    extent (Lambert conformal conic or azimuthal equidistant), the scale bar is
    true at the map centre and the north arrow points to true north there.

    \b
    Examples:
        geoconflict map sites.geojson --title "Strikes" -o map.png
        geoconflict map --site "Abu Kamal" --rings "50 km" --extent "38,32,43,36" -o m.svg
        geoconflict map --spec map.toml -o map.pdf
        geoconflict map --events events.geojson --border IRQ,SYR --zone "10 km" -o m.pdf
        geoconflict map --events events.geojson --each event -o "maps/{event}.svg"
        geoconflict map sites.geojson -o map.html
    """
    # a spec may name files outside its folder only if they are given here too
    spec = load_spec(spec_file, allowed_paths=layers) if spec_file else MapSpec()
    for src in layers:
        if src != "-" and os.path.realpath(src) in spec.layer_files:
            continue  # already read through the spec's [[layers]]
        spec.add_features(read_features(src, what="map layer"), source=src)
    for f in site_places:
        spec.add_features([f], source="--site")
    for src in event_files:
        spec.sites.extend(_event_sites(src))
    if border:
        zone_w = f"{zone_m} m" if zone_m is not None else None
        spec.lines.extend(border_features(border, zone_w, side, spec))
    elif zone_m is not None:
        raise click.UsageError("--zone needs --border")
    if extent is not None:
        spec.extent = extent
    if margin is not None:
        spec.margin_m = margin
    if title:
        spec.title = title
    if subtitle:
        spec.subtitle = subtitle
    if date_text:
        spec.date = date_text
    if dpi is not None:
        spec.dpi = dpi
    if rings_m:
        spec.ring_radii_m = rings_m
    if not spec.has_data():
        raise click.UsageError("nothing to draw: give layer files, --site or --spec")
    if each:
        if "{event}" not in output:
            os.makedirs(output, exist_ok=True)
        written = render_each(
            spec, output, key=each, progress=lambda it: progress(ctx, it, desc="maps")
        )
    else:
        written = [render(spec, output)]
    for path in written:
        click.echo(str(path))


def _event_sites(path: str) -> list:
    """Site features (one per event and site) of an events file, via geoconflict.io.events."""
    with stdin_as_file(path, what="events") as name:
        return _features_from_events(read_events(name))


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=OutputPath(),
    default="out",
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--html/--no-html", default=True, help="Also write the interactive HTML map."
)
def demo(out_dir, html):
    """Run the example job: the al-Bukamal seed reports, measured and mapped.

    Writes the map (PNG, PDF), the distance/claims table (CSV, Markdown) and a
    GeoPackage with every layer to --out, then prints where they are.

    \b
    Example:
        geoconflict demo --out out
    """
    for path in run_demo(out_dir, html=html, echo=click.echo):
        click.echo(str(path))
