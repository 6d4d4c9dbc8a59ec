"""Zone commands: ``buffer``, ``rings``, ``fan`` and ``zone`` (GeoJSON or GeoPackage out).

Every zone is geodesic on WGS84 (distances in meters on the ellipsoid, never in
degrees); features crossing the antimeridian are cut there by the GeoJSON
writer (:mod:`geoconflict.io.geojson`, RFC 7946).
"""

from __future__ import annotations

import click
import numpy as np
import shapely

from geoconflict.analysis.range_catalog import load_catalog, reach
from geoconflict.cli.helpers import read_sites, table_features, write_geo
from geoconflict.cli.options import (
    InputFile,
    Length,
    Lengths,
    Number,
    Unit,
    dataset_option,
    output_option,
    site_option,
)
from geoconflict.errors import GeoconflictError
from geoconflict.geodesy.buffers import buffer as geodesic_buffer
from geoconflict.geodesy.measurement import area
from geoconflict.geodesy.ranges import range_fan, range_rings
from geoconflict.geography.borders import border_zone
from geoconflict.io.features import features_lonlat, write_features
from geoconflict.units import format_length

__all__ = ["buffer", "fan", "rings", "zone"]


# --------------------------------------------------------------------------------------
# buffer, rings, fan
# --------------------------------------------------------------------------------------


@click.command()
@click.argument("inputs", nargs=-1, type=InputFile("features"))
@site_option('A point as a place name or "lon,lat" (repeatable).')
@click.option(
    "-d",
    "--distance",
    "dist",
    type=Length(zero_ok=True),
    required=True,
    help='Buffer distance, e.g. "10 km".',
)
@click.option(
    "--tolerance",
    type=Length(),
    help='Largest departure from the true buffer, e.g. "10 m" (default 0.1 %).',
)
@click.option("--dissolve", is_flag=True, help="Merge all buffers into one geometry.")
@output_option
def buffer(inputs, site_places, dist, tolerance, dissolve, output):
    """Geodesic buffers of points, lines or polygons (GeoJSON or GeoPackage out).

    Every input feature is buffered by the same distance on the WGS84
    ellipsoid (never in degrees); properties are kept and buffer_m added.
    Output is GeoJSON (stdout or .geojson) or a GeoPackage (.gpkg).

    \b
    Examples:
        geoconflict buffer sites.geojson --distance "10 km" -o zones.geojson
        geoconflict buffer --site "Abu Kamal" -d "5 nmi" > zone.geojson
    """
    feats = read_sites(inputs, site_places, what="features")
    geoms = np.array([f.geometry for f in feats], dtype=object)
    out = geodesic_buffer(geoms, dist, tolerance_m=tolerance)
    lost = [
        i
        for i, (g, b) in enumerate(zip(geoms, out))
        if g is not None and not g.is_empty and (b is None or b.is_empty)
    ]
    if lost and dist > 0:
        raise GeoconflictError(
            f"the buffer of feature {lost[0] + 1} came back empty (a geoconflict bug: "
            "please report it with the input); nothing was written"
        )
    props = [{**f.properties, "buffer_m": dist} for f in feats]
    if dissolve:
        out = [shapely.union_all(np.asarray(out, dtype=object))]
        props = [{"buffer_m": dist, "n_features": len(feats)}]
    write_geo(list(out), props, output)


@click.command()
@click.argument("inputs", nargs=-1, type=InputFile("features"))
@site_option('A centre as a place name or "lon,lat" (repeatable).')
@click.option(
    "-r",
    "--radii",
    type=Lengths(increasing=True),
    help='Increasing radii, e.g. "100, 200, 300 km".',
)
@click.option(
    "--system",
    help="Draw the claimed ranges of this weapon/platform from the range catalog.",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=InputFile("range claims (TOML/CSV)"),
    help="Range catalog (TOML/CSV); default: the shipped example.",
)
@click.option(
    "--policy",
    default="all",
    show_default=True,
    help='Which claims: all, max, min or "source=TEXT".',
)
@click.option("--kind", type=click.Choice(["band", "disk", "line"]), default="band", show_default=True,
              help="band: one polygon per ring; disk: full disks; line: the circles.")  # fmt: skip
@click.option(
    "--unit", "label_unit", type=Unit(), help="Unit of the labels (default automatic)."
)
@output_option
def rings(
    inputs,
    site_places,
    radii,
    system,
    catalog_path,
    policy,
    kind,
    label_unit,
    output,
):
    """Geodesic range rings around sites (one feature per site and radius).

    Radii are distances on the ellipsoid; each ring has inner_m, outer_m and a
    label such as "100 km".  Rings crossing the antimeridian are cut there.

    With --system, the rings are the ranges *claimed* for a weapon or platform
    in the range catalog, one annulus per claim with its source (the library
    never asserts one true range).

    \b
    Examples:
        geoconflict rings --site "Al-Tanf" --radii "100, 200, 300 km" -o rings.geojson
        geoconflict rings launch_sites.csv -r "50 nmi" --kind line > rings.geojson
        geoconflict rings --site "38.6,33.5" --system Tochka-U --policy max
    """
    if bool(radii) == bool(system):
        raise click.UsageError("give either --radii or --system")
    feats = read_sites(inputs, site_places, what="centres")
    lon, lat = features_lonlat(feats)
    if system:
        catalog = load_catalog(catalog_path) if catalog_path else None
        table = reach(
            np.column_stack([lon, lat]), system, catalog=catalog, policy=policy
        )
    else:
        table = range_rings(lon, lat, radii, kind=kind, unit=label_unit)
    geoms, props = table_features(table)
    for p in props:
        p["site_name"] = feats[int(p["site"])].name
    write_geo(geoms, props, output)


@click.command()
@click.argument("inputs", nargs=-1, type=InputFile("features"))
@site_option('A centre as a place name or "lon,lat" (repeatable).')
@click.option(
    "--from",
    "az_from",
    type=Number(float, what="an azimuth in degrees", example="45"),
    required=True,
    help="Start azimuth, degrees clockwise from true north.",
)
@click.option(
    "--to",
    "az_to",
    type=Number(float, what="an azimuth in degrees", example="45"),
    required=True,
    help="End azimuth (the fan sweeps clockwise).",
)
@click.option(
    "--min",
    "lo",
    type=Length(zero_ok=True),
    default="0 m",
    show_default=True,
    help='Inner range, e.g. "10 km".',
)
@click.option(
    "--max", "hi", type=Length(), required=True, help='Outer range, e.g. "50 km".'
)
@output_option
def fan(inputs, site_places, az_from, az_to, lo, hi, output):
    """Draw a range fan (sector of an annulus) around sites, swept clockwise.

    Azimuths are degrees clockwise from true north (wrapped to 0–360);
    ranges are geodesic distances.

    \b
    Example:
        geoconflict fan --site "Al-Tanf" --from 20 --to 80 --max "300 km" -o fan.geojson
    """
    feats = read_sites(inputs, site_places, what="centres")
    lon, lat = features_lonlat(feats)
    table = range_fan(lon, lat, az_from, az_to, lo, hi)
    geoms, props = table_features(table)
    for p in props:
        p["site_name"] = feats[int(p["site"])].name
    write_geo(geoms, props, output)


# --------------------------------------------------------------------------------------
# zone, borders
# --------------------------------------------------------------------------------------


@click.command()
@click.argument("countries", nargs=2)
@click.option(
    "-w",
    "--width",
    type=Length(),
    required=True,
    help='Distance from the border line, e.g. "10 km".',
)
@click.option(
    "--side",
    help="Keep the strip on this country's side only (e.g. SYR); default both.",
)
@dataset_option()
@output_option
def zone(countries, width, side, dataset, output):
    """Draw the geodesic strip along the border of two countries (one side or both).

    The strip holds every point within --width of the border line, measured
    on the ellipsoid, clipped to the two countries (or to --side).

    \b
    Examples:
        geoconflict zone IRQ SYR --width "10 km" --side SYR -o strip.geojson
        geoconflict zone Iraq Syria -w "5 nmi" -o strip.gpkg
    """
    w = width
    geom = border_zone(countries[0], countries[1], w, side=side, dataset=dataset)
    props = {
        "countries": f"{countries[0]}–{countries[1]}",
        "side": side or "both",
        "width_m": w,
        "dataset": dataset,
        "area_km2": round(float(area(geom)) / 1e6, 3),
        "label": f"{format_length(w)} strip along the {countries[0]}–{countries[1]} border",
    }
    write_features([geom], [props], output)
