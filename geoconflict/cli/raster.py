"""``geoconflict raster``: geodesic distance, event density and zone rasters; sampling.

Cells are on a lon/lat grid (degrees WGS84); distances in meters, densities in
events per km².  rasterio is imported by :mod:`geoconflict.raster` only when a
raster is read or written.
"""

from __future__ import annotations

import os

import click
import numpy as np
import shapely

from geoconflict.cli.helpers import number, write_rows, xy
from geoconflict.cli.options import (
    BBox,
    CountryPair,
    InputFile,
    Length,
    Number,
    OutputPath,
    format_option,
    one_line,
)
from geoconflict.errors import GeoconflictError
from geoconflict.geography.borders import border as border_line
from geoconflict.io.features import read_features
from geoconflict.raster import distance_raster, event_density, rasterize_zones
from geoconflict.raster import sample as sample_raster

__all__ = ["raster"]


# --------------------------------------------------------------------------------------
# raster
# --------------------------------------------------------------------------------------


@click.command()
@click.argument("kind", type=click.Choice(["distance", "density", "zones", "sample"]))
@click.argument("inputs", nargs=-1, type=InputFile("features (or a raster)"))
@click.option(
    "--border",
    type=CountryPair(),
    help="distance: to the border of two countries, e.g. IRQ,SYR.",
)
@click.option(
    "--bounds",
    type=BBox(),
    help='Grid extent "west,south,east,north" (default: the data + 10 %).',
)
@click.option(
    "--resolution",
    type=Number(float, positive=True, what="degrees", example="0.01"),
    help="Cell size in degrees (default: 500 cells across).",
)
@click.option(
    "--bandwidth", type=Length(), help='density: kernel bandwidth, e.g. "5 km".'
)
@click.option(
    "--kernel",
    type=click.Choice(["gaussian", "quartic"]),
    default="gaussian",
    show_default=True,
)
@click.option("--weight", help="density: sum this numeric column instead of counting.")
@click.option("--cog", is_flag=True, help="Write a Cloud-Optimized GeoTIFF.")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    help="Output GeoTIFF (sample: the table, default stdout).",
)
@format_option()
def raster(
    kind,
    inputs,
    border,
    bounds,
    resolution,
    bandwidth,
    kernel,
    weight,
    cog,
    output,
    fmt,
):
    """Rasters: geodesic distance, event density, zones; or sample a raster at sites.

    distance: meters from each cell centre to the geometries of INPUTS (or to
    --border), geodesic.  density: kernel density of the points of INPUTS in
    events per km², bandwidth in meters.  zones: polygons burnt as 1, 2, 3...
    sample: INPUTS = RASTER SITES, a table of the raster's value at each site.

    \b
    Examples:
        geoconflict raster distance --border IRQ,SYR --bounds 38,32,43,36 -o dist.tif
        geoconflict raster density events.csv --bandwidth "5 km" --resolution 0.01 -o kde.tif
        geoconflict raster zones rings.geojson --bounds 36,31,42,36 -o zones.tif --cog
        geoconflict raster sample dist.tif sites.csv --format markdown
    """
    if kind == "sample":
        if len(inputs) != 2:
            raise click.UsageError("raster sample needs RASTER SITES")
        src, sites_path = inputs
        feats = read_features(sites_path, what="sites")
        try:
            values = np.atleast_1d(sample_raster(src, xy(feats)))
        except GeoconflictError:
            raise
        except Exception as exc:  # rasterio raises several classes for unreadable files
            raise GeoconflictError(
                f"{src}: cannot be read as a raster ({one_line(exc)}); give a GeoTIFF"
            ) from None
        rows = [{"site": f.name or f"site {i + 1}", "lon": f.geometry.x, "lat": f.geometry.y,
                 "value": float(v)} for i, (f, v) in enumerate(zip(feats, values))]  # fmt: skip
        write_rows(rows, fmt, output or "-", [f.geometry for f in feats])
        return
    if not output:
        raise click.UsageError("give -o FILE.tif")
    if os.path.splitext(output)[1].lower() not in (".tif", ".tiff"):
        raise GeoconflictError(f"-o {output}: write rasters to a .tif file")
    geoms = []
    feats: list = []
    for src in inputs:
        feats.extend(read_features(src, what="features"))
    geoms = [f.geometry for f in feats if f.geometry is not None]
    if kind == "distance" and border:
        geoms.append(border_line(*border))
    if not geoms:
        raise click.UsageError("give input files (or --border for distance)")
    if bounds is None:
        w, s, e, n = shapely.total_bounds(np.asarray(geoms, dtype=object))
        pad_x, pad_y = max(0.1 * (e - w), 0.05), max(0.1 * (n - s), 0.05)
        bounds = (w - pad_x, max(s - pad_y, -90.0), e + pad_x, min(n + pad_y, 90.0))
    if resolution is None:
        resolution = (bounds[2] - bounds[0]) / 500.0
    ncells = ((bounds[2] - bounds[0]) / resolution) * (
        (bounds[3] - bounds[1]) / resolution
    )
    if ncells > 5e7:
        raise GeoconflictError(
            f"--resolution {resolution}: the grid would have {ncells:.3g} cells; use a coarser resolution"
        )
    if kind == "distance":
        r = distance_raster(
            shapely.union_all(np.asarray(geoms, dtype=object)),
            bounds,
            resolution=resolution,
        )
    elif kind == "density":
        if bandwidth is None:
            raise click.UsageError("density needs --bandwidth, e.g. '5 km'")
        h = bandwidth
        weights = None
        if weight:
            weights = np.array(
                [
                    number(f.properties.get(weight), weight, i)
                    for i, f in enumerate(feats, 1)
                ]
            )
        r = event_density(
            xy(feats),
            bounds,
            bandwidth_m=h,
            weights=weights,
            kernel=kernel,
            resolution=resolution,
        )
    else:
        r = rasterize_zones(
            np.asarray(geoms, dtype=object), bounds, resolution=resolution
        )
    r.write(output, cog=cog)
    click.echo(output)
