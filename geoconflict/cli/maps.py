"""``geoconflict map`` (PNG, SVG, PDF or offline HTML) and ``geoconflict demo``.

matplotlib is imported by the map renderer only when a map is drawn, so this
module is cheap to import.  Coordinates are (lon, lat) degrees WGS84,
distances meters.
"""

from __future__ import annotations

import os

import click
import numpy as np

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
    _Value,
    dataset_option,
    site_option,
)
from geoconflict.errors import GeoconflictError
from geoconflict.io.events import read_events
from geoconflict.io.features import read_features, stdin_as_file
from geoconflict.maps import (
    MapSpec,
    border_features,
    load_spec,
    render,
    render_each,
)
from geoconflict.maps.layers import EVENT_DATASETS
from geoconflict.maps.periods import PERIODS, parse_day
from geoconflict.maps.periods import between as maps_between
from geoconflict.maps.symbols import (
    AGGREGATE_MODES,
    AUTO_AGGREGATE_ABOVE,
    LABEL_MODES,
    SIZE_BY,
)

__all__ = ["demo", "map_"]


class DateRange(_Value):
    """A period ``"2019-01-01,2019-06-30"``: two ISO dates (year, month or day), first to last."""

    name = "period"
    example = "two ISO dates, e.g. 2019-01-01,2019-06-30"

    def parse(self, text: str) -> tuple:
        """Return (first, last) as given; a GeoconflictError says what is wrong."""
        parts = [
            p.strip() for p in text.replace("/", ",").replace("..", ",").split(",")
        ]
        if len(parts) != 2 or not all(parts):
            raise GeoconflictError(f"give {self.example}")
        first, last = parts
        a, b = parse_day(first), parse_day(last, end=True)
        if np.isnat(a) or np.isnat(b):
            raise GeoconflictError(f"not dates; give {self.example}")
        if a > b:
            raise GeoconflictError("the first date is after the last; swap them")
        return first, last


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
              help="Events file (native GeoJSON, GPKG, ACLED/UCDP/CSV): sites styled by event "
                   "type and attribution, its sources credited. Repeatable: give it once per file.")  # fmt: skip
@click.option(
    "--border",
    "borders",
    type=CountryPair(),
    multiple=True,
    help="Draw the border of two countries, e.g. IRQ,SYR. Repeatable: "
    "--border IRQ,SYR --border TUR,SYR draws both.",
)
@dataset_option("Dataset of --border")
@click.option(
    "--zone",
    "zone_m",
    type=Length(),
    help='With --border: the strip along every border given, e.g. "10 km".',
)
@click.option(
    "--side",
    help="With --zone: keep the strips on one side (e.g. SYR): on the borders of that country.",
)
@click.option(
    "--rings",
    "rings_m",
    type=Lengths(),
    help='Range rings around every site: one or several lengths, comma-separated, e.g. "50 km, 100 km".',
)
@click.option(
    "--between",
    type=DateRange(),
    help="Draw only the sites whose date meets this period: two ISO dates, comma-separated, "
    "e.g. 2019-01-01,2019-06-30 (undated sites are counted in a note).",
)
@click.option(
    "--each",
    type=click.Choice(["event", "feature", *PERIODS]),
    help="Write one map per event, feature, month or year (month/year: same extent and scale "
    "on every map, file names by period, e.g. 2019-09.png).",
)
@click.option(
    "--aggregate",
    type=click.Choice(AGGREGATE_MODES),
    default=None,
    help=f"Sites as symbols: auto (default: graduated symbols per place above "
    f"{AUTO_AGGREGATE_ABOVE} sites), none (one per site), places, hex (hexagonal bins).",
)
@click.option(
    "--size-by",
    type=click.Choice(SIZE_BY),
    default=None,
    help="What aggregated symbols are sized by: count (default) or fatalities.",
)
@click.option(
    "--labels",
    type=click.Choice(LABEL_MODES),
    default=None,
    help="Site labels: auto (default: named sites, then the largest aggregates, as many as "
    "fit), all, or none.",
)
@click.option(
    "--inset",
    type=click.Choice(
        [
            "auto",
            "corner",
            "none",
            "upper-left",
            "upper-right",
            "lower-left",
            "lower-right",
        ]
    ),
    default=None,
    help="Locator inset: auto/corner (default: the corner with the least data), a fixed corner, or none.",
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
    borders,
    dataset,
    zone_m,
    side,
    rings_m,
    between,
    each,
    aggregate,
    size_by,
    labels,
    inset,
    output,
    dpi,
):
    """Draw a map (PNG, SVG, PDF, or offline interactive HTML).

    LAYERS are files of features (GeoJSON, CSV with lon/lat, GeoPackage, or -;
    several may be given);
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
        geoconflict map --events acled.csv --border IRQ,SYR --border TUR,SYR --each month -o maps/
        geoconflict map --events acled.csv --between 2019-01-01,2019-06-30 --aggregate hex -o h.png
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
        sites, sources = _event_sites(src)
        spec.sites.extend(sites)
        spec.sources.extend(x for x in sources if x not in spec.sources)
    if (
        side
        and borders
        and not any(side.upper() in [c.upper() for c in b] for b in borders)
    ):
        raise click.BadParameter(
            f"{side!r} is in none of the borders given ({', '.join('-'.join(b) for b in borders)}); "
            "give one of their countries",
            param_hint="--side",
        )
    zone_w = f"{zone_m} m" if zone_m is not None else None
    for pair in borders:
        on = side if side and side.upper() in [c.upper() for c in pair] else None
        spec.lines.extend(border_features(pair, zone_w, on, spec, dataset=dataset))
    if zone_m is not None and not borders:
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
    for name, value in (
        ("aggregate", aggregate),
        ("size_by", size_by),
        ("labels", labels),
    ):
        if value is not None:
            setattr(spec, name, value)
    if inset is not None:
        spec.inset = inset
    if between is not None:
        spec = maps_between(spec, *between)
    if not spec.has_data():
        raise click.UsageError("nothing to draw: give layer files, --site or --spec")
    if each:
        if "{event}" not in output and "{period}" not in output:
            os.makedirs(output, exist_ok=True)
        written = render_each(
            spec, output, key=each, progress=lambda it: progress(ctx, it, desc="maps")
        )
    else:
        written = [render(spec, output)]
    for path in written:
        click.echo(str(path))


def _event_sites(path: str) -> tuple:
    """Site features (one per event and site) of an events file, and the names of its sources.

    The sources are every :class:`~geoconflict.events.claims.Source` of the
    file's :attr:`~geoconflict.events.eventset.EventSet.sources` and any source id
    a claim names without a record, in first-seen order: the map credits them.
    """
    with stdin_as_file(path, what="events") as name:
        events = read_events(name)
    names: dict = {}
    for e in events:  # the datasets the events come from (ACLED, UCDP) first
        for key in e.external_ids or {}:
            credit = EVENT_DATASETS.get(str(key).split(":")[0].lower())
            if credit:
                names.setdefault(credit, None)
    for src in events.sources.values():
        names.setdefault(src.name or src.id, None)
    known = set(events.sources)
    for e in events:
        for c in e.claims:
            for sid in (c.source, c.via):
                if sid and sid not in known:
                    names.setdefault(str(sid), None)
    return _features_from_events(events), list(names)


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
