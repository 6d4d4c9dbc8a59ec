"""Measuring commands: ``distance``, ``within``, ``nearest``, ``exposure``, ``borders``.

Distances are geodesic on WGS84 in meters (and in ``--unit`` for people),
azimuths degrees clockwise from true north, coordinates (lon, lat) degrees.
"""

from __future__ import annotations

import logging
import math
import os
import sys

import click
import numpy as np

from geoconflict.analysis.exposure import exposure as ring_exposure
from geoconflict.cli.helpers import (
    distance_to_geometry,
    file_geometry,
    read_sites,
    write_rows,
    xy,
)
from geoconflict.cli.options import (
    CountryPair,
    InputFile,
    Length,
    Lengths,
    Number,
    Place,
    dataset_option,
    format_option,
    output_option,
    site_option,
    unit_option,
)
from geoconflict.errors import GeoconflictError
from geoconflict.geodesy.measurement import inverse, length
from geoconflict.geodesy.neighbors import nearest as nearest_points
from geoconflict.geodesy.neighbors import pairs_within
from geoconflict.geography.borders import border as border_line
from geoconflict.geography.borders import borders_of, distance_to_border
from geoconflict.geography.lookup import country_at, province_at
from geoconflict.io.features import features_lonlat, format_from_path, read_features
from geoconflict.units import format_length, unit_factor

__all__ = ["borders", "distance", "exposure", "nearest", "within"]

log = logging.getLogger("geoconflict")


# --------------------------------------------------------------------------------------
# distance
# --------------------------------------------------------------------------------------


class SitesOrDataset(InputFile):
    """A file of sites, or a (Geo)Parquet dataset folder with --scheduler/--workers."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and os.path.isdir(value):
            obj = (ctx.find_root().obj if ctx is not None else None) or {}
            if obj.get("scheduler") or obj.get("workers"):
                return value
            self.fail(
                f"{value!r}: is a folder; a Parquet dataset is measured on a Dask "
                "cluster (--workers N or --scheduler ADDRESS before the command), "
                "otherwise give a file",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


def _distance_on_cluster(
    ctx, sites, site_places, to_place, border, dataset, geometry_file, unit, output
):
    """``distance`` with --scheduler/--workers: a Parquet dataset in, a dataset out."""
    from geoconflict._compat import import_optional_dependency
    from geoconflict.dask import distance_dataset

    import_optional_dependency("distributed", "--scheduler/--workers")
    # Dask's own messages only with -vv (it sets its loggers up when imported)
    obj = ctx.obj or {}
    verbose = obj.get("verbosity", 0)
    logging.getLogger("distributed").setLevel(
        logging.INFO if verbose >= 2 else logging.ERROR
    )

    if len(sites) != 1 or site_places:
        raise click.UsageError(
            "with --scheduler/--workers, give one Parquet dataset (folder or file) "
            "as SITES, and no --site"
        )
    if output in (None, "-"):
        raise click.UsageError(
            "with --scheduler/--workers, give -o FOLDER for the Parquet dataset of results"
        )
    geometry = None
    if to_place:
        geometry = to_place.geometry
    elif geometry_file:
        geometry = file_geometry(geometry_file)
    n = distance_dataset(
        sites[0],
        output,
        geometry=geometry,
        border=border,
        dataset=dataset,
        unit=unit,
        scheduler=obj.get("scheduler"),
        workers=obj.get("workers"),
        progress=not obj.get("quiet") and sys.stderr.isatty(),
    )
    log.info("distances of %s written to %s (%d partitions)", sites[0], output, n)


@click.command()
@click.argument("sites", nargs=-1, type=SitesOrDataset("sites"))
@site_option()
@click.option(
    "--to", "to_place", type=Place(), help='Measure to this place or "lon,lat".'
)
@click.option(
    "--border",
    type=CountryPair(),
    help="Measure to the border of two countries, e.g. IRQ,SYR.",
)
@dataset_option()
@click.option(
    "--geometry",
    "geometry_file",
    type=InputFile("geometries"),
    help="Measure to the geometries in this file (GeoJSON/GPKG).",
)
@unit_option
@format_option()
@output_option
@click.pass_context
def distance(
    ctx, sites, site_places, to_place, border, dataset, geometry_file, unit, fmt, output
):
    """Geodesic distance from sites to a place, a border or a geometry.

    SITES are files of points (GeoJSON, CSV with lon/lat columns, GeoPackage) or -
    for GeoJSON on standard input.  Exactly one target: --to, --border or
    --geometry.  Distances are geodesic on WGS84; the distance_m column is in
    meters, the distance column in --unit; azimuths are degrees clockwise from
    true north, towards the target (or its nearest point).  To a border the
    table also gives low_m/high_m (the border dataset's uncertainty) and the
    side (country) each site is on.

    With the global --scheduler ADDRESS or --workers N, SITES is one
    (Geo)Parquet dataset (folder or file) and -o a folder: the distances are
    measured on a Dask cluster and written as a partitioned dataset (the input
    columns plus distance_m, distance_<unit>, and to a border low_m, high_m,
    side, nearest_lon, nearest_lat).

    \b
    Examples:
        geoconflict distance --site "Abu Kamal" --to "Al Qa'im"
        geoconflict distance sites.csv --border IRQ,SYR --format markdown
        geoconflict distance sites.geojson --geometry zone.geojson -o d.csv
        geoconflict --workers 2 distance events/ --border IRQ,SYR -o out/
    """
    targets = [t for t in (to_place, border, geometry_file) if t]
    if len(targets) != 1:
        raise click.UsageError("give exactly one target: --to, --border or --geometry")
    if (ctx.obj or {}).get("scheduler") or (ctx.obj or {}).get("workers"):
        _distance_on_cluster(
            ctx,
            sites,
            site_places,
            to_place,
            border,
            dataset,
            geometry_file,
            unit,
            output,
        )
        return
    feats = read_sites(sites, site_places)
    lon, lat = features_lonlat(feats, what="sites")
    factor = unit_factor(unit)
    rows = []
    if to_place:
        target = to_place
        tx, ty = target.geometry.x, target.geometry.y
        r = inverse(lon, lat, np.full_like(lon, tx), np.full_like(lat, ty))
        for i, f in enumerate(feats):
            rows.append(
                {
                    "site": f.name or f"site {i + 1}",
                    "lon": lon[i],
                    "lat": lat[i],
                    "target": target.name,
                    "distance_m": round(float(r.distance[i]), 3),
                    f"distance_{unit}": round(float(r.distance[i]) / factor, 3),
                    "azimuth_deg": round(float(r.azimuth1[i]) % 360.0, 3),
                }
            )
        geoms = [f.geometry for f in feats]
    else:
        extra: dict = {}
        if border:
            target_name = f"border {border[0]}–{border[1]} ({dataset})"
            bd = distance_to_border(lon, lat, *border, dataset=dataset)
            extra = {
                "low_m": np.atleast_1d(bd.low_m),
                "high_m": np.atleast_1d(bd.high_m),
                "side": np.atleast_1d(np.asarray(bd.side, dtype=object)),
            }
            geometry = border_line(*border, dataset=dataset)
        else:
            geometry = file_geometry(geometry_file)
            target_name = os.path.basename(geometry_file)
        res = distance_to_geometry(lon, lat, geometry)
        for i, f in enumerate(feats):
            d = float(res.distance[i])
            rows.append(
                {
                    "site": f.name or f"site {i + 1}",
                    "lon": lon[i],
                    "lat": lat[i],
                    "target": target_name,
                    "distance_m": round(d, 3),
                    f"distance_{unit}": round(d / factor, 3),
                    "nearest_lon": round(float(res.lon[i]), 6),
                    "nearest_lat": round(float(res.lat[i]), 6),
                    "azimuth_deg": round(float(res.azimuth[i]) % 360.0, 3),
                }
            )
            if extra:
                rows[-1]["low_m"] = round(float(extra["low_m"][i]), 3)
                rows[-1]["high_m"] = round(float(extra["high_m"][i]), 3)
                rows[-1]["side"] = extra["side"][i]
        geoms = [f.geometry for f in feats]
    write_rows(rows, fmt, output, geoms)
    log.info(
        "%d distances (%s)",
        len(rows),
        ", ".join(format_length(r["distance_m"], unit) for r in rows[:5]),
    )


# --------------------------------------------------------------------------------------
# within, nearest, exposure
# --------------------------------------------------------------------------------------


@click.command()
@click.argument("points", nargs=-1, type=InputFile("points"))
@click.option(
    "--of",
    "centre_files",
    type=InputFile("centres"),
    multiple=True,
    help="Centres: a file of points (repeatable).",
)
@site_option('A centre as a place name or "lon,lat" (repeatable).')
@click.option(
    "--geometry",
    "geometry_file",
    type=InputFile("geometries"),
    help="Instead of centres: within the distance of these geometries.",
)
@click.option(
    "-r",
    "--radius",
    type=Length(zero_ok=True),
    required=True,
    help='Distance, e.g. "10 km".',
)
@unit_option
@format_option()
@output_option
def within(points, centre_files, site_places, geometry_file, radius, unit, fmt, output):
    """Which points lie within a distance of centres (or of a geometry).

    One row per (point, centre) pair closer than --radius (exact geodesic
    test, boundary included), sorted by centre then point; with --geometry,
    one row per point within --radius of the union of that file's geometries.

    \b
    Examples:
        geoconflict within events.csv --site "Al-Tanf" --radius "55 km"
        geoconflict within events.geojson --of bases.csv -r "10 km" --format markdown
        geoconflict within events.csv --geometry zone.geojson -r "0 m"
    """
    r = radius
    factor = unit_factor(unit)
    pts = read_sites(points, (), what="points")
    lon, lat = features_lonlat(pts)
    rows, geoms = [], []
    if geometry_file:
        if centre_files or site_places:
            raise click.UsageError("give centres (--of/--site) or --geometry, not both")
        geometry = file_geometry(geometry_file)
        res = distance_to_geometry(lon, lat, geometry)
        d = np.atleast_1d(res.distance)
        for i in np.flatnonzero(d <= r):
            rows.append({"point": pts[i].name or f"point {i + 1}", "lon": lon[i], "lat": lat[i],
                         "target": os.path.basename(geometry_file), "distance_m": round(float(d[i]), 3),
                         f"distance_{unit}": round(float(d[i]) / factor, 3)})  # fmt: skip
            geoms.append(pts[i].geometry)
    else:
        centres = read_sites(centre_files, site_places, what="centres")
        clon, clat = features_lonlat(centres)
        pairs = pairs_within(lon, lat, clon, clat, r)
        for i, j, d in zip(pairs.point_index, pairs.center_index, pairs.distance):
            rows.append({"point": pts[i].name or f"point {i + 1}", "lon": lon[i], "lat": lat[i],
                         "centre": centres[j].name or f"centre {j + 1}", "distance_m": round(float(d), 3),
                         f"distance_{unit}": round(float(d) / factor, 3)})  # fmt: skip
            geoms.append(pts[i].geometry)
    if not rows:
        log.warning("no point lies within %s", format_length(r))
    target = "target" if geometry_file else "centre"
    columns = ["point", "lon", "lat", target, "distance_m", f"distance_{unit}"]
    write_rows(rows, fmt, output, geoms, columns=columns)


@click.command()
@click.argument("points", type=InputFile("points"))
@click.argument("candidates", type=InputFile("candidates"))
@click.option(
    "-k",
    type=Number(int, minimum=1, what="a count", example="3"),
    default=1,
    show_default=True,
    help="Neighbours per point.",
)
@click.option(
    "--max-distance",
    type=Length(zero_ok=True),
    help='Ignore neighbours farther than this, e.g. "50 km".',
)
@unit_option
@format_option()
@output_option
def nearest(points, candidates, k, max_distance, unit, fmt, output):
    """Each point's k nearest candidates by exact geodesic distance.

    POINTS and CANDIDATES are files of points (or - for one of them).  One row
    per (point, rank); distances in meters and in --unit.

    \b
    Examples:
        geoconflict nearest strikes.csv bases.geojson
        geoconflict nearest strikes.csv towns.csv -k 3 --max-distance "50 km" --format markdown
    """
    factor = unit_factor(unit)
    a = read_features(points, what="points")
    b = read_features(candidates, what="candidates")
    res = nearest_points(xy(a), xy(b), k=k, max_distance=max_distance)
    idx = np.asarray(res.index).reshape(len(a), -1)
    dist = np.asarray(res.distance, dtype=float).reshape(len(a), -1)
    rows, geoms = [], []
    for i, f in enumerate(a):
        for rank in range(idx.shape[1]):
            j, d = int(idx[i, rank]), float(dist[i, rank])
            if j < 0 or not math.isfinite(d):
                continue
            g = b[j].geometry
            rows.append({"point": f.name or f"point {i + 1}", "rank": rank + 1,
                         "nearest": b[j].name or f"candidate {j + 1}", "nearest_lon": g.x if g.geom_type == "Point" else None,
                         "nearest_lat": g.y if g.geom_type == "Point" else None, "distance_m": round(d, 3),
                         f"distance_{unit}": round(d / factor, 3)})  # fmt: skip
            geoms.append(f.geometry)
    write_rows(rows, fmt, output, geoms)


@click.command()
@click.argument("events", type=InputFile("events"))
@click.argument("sites", required=False, type=InputFile("sites"))
@site_option()
@click.option("-r", "--rings", "radii", type=Lengths(increasing=True), default="1, 2, 5 km",
              show_default=True, help="Increasing ring radii.")  # fmt: skip
@click.option(
    "--weight", help="Sum this numeric column of EVENTS per ring (e.g. fatalities)."
)
@click.option(
    "--cumulative", is_flag=True, help="Rings are disks [0, r] instead of bands."
)
@format_option()
@output_option
def exposure(events, sites, site_places, radii, weight, cumulative, fmt, output):
    """Count events (and sum a column) in geodesic rings around each site.

    Rings are bands between consecutive radii (the first is a disk) unless
    --cumulative; distances are geodesic on WGS84.

    \b
    Examples:
        geoconflict exposure events.csv sites.geojson --rings "1, 2, 5 km"
        geoconflict exposure events.csv --site "Abu Kamal" -r "5, 10, 25 km" --weight fatalities
    """
    ev = read_features(events, what="events")
    st = read_sites((sites,) if sites else (), site_places, what="sites")
    weights = None
    if weight:
        vals = []
        for i, f in enumerate(ev, start=1):
            v = f.properties.get(weight)
            if v is None and weight not in f.properties:
                raise GeoconflictError(
                    f"{events}: no column {weight!r} (row {i}); columns: {', '.join(map(str, f.properties)) or 'none'}"
                )
            try:
                vals.append(float(v) if v not in (None, "") else math.nan)
            except (TypeError, ValueError):
                raise GeoconflictError(
                    f"{events}, row {i}, column {weight!r}: {v!r} is not a number"
                ) from None
        weights = np.asarray(vals)
    res = ring_exposure(xy(ev), xy(st), radii, weights=weights, cumulative=cumulative)
    cols = res.as_dict(prefix="events", weight_name=weight or "weight")
    rows = []
    for i, f in enumerate(st):
        row = {
            "site": f.name or f"site {i + 1}",
            "lon": f.geometry.x,
            "lat": f.geometry.y,
        }
        for name, values in cols.items():
            v = values[i]
            row[name] = v.item() if isinstance(v, np.generic) else v
        rows.append(row)
    write_rows(rows, fmt, output, [f.geometry for f in st])


# --------------------------------------------------------------------------------------
# zone, borders


@click.command()
@click.argument("countries", nargs=-1)
@click.option("--at", "at_files", type=InputFile("points"), multiple=True,
              help="Instead: tell the country, province and disputes at the points of this file.")  # fmt: skip
@site_option('With --at: a point as a place or "lon,lat".')
@dataset_option()
@format_option()
@output_option
def borders(countries, at_files, site_places, dataset, fmt, output):
    """Show borders between countries, or which country/province points are in.

    With two countries: their shared border line (GeoJSON, geodesic length in
    meters).  With one: every border of that country.  With --at/--site: the
    country (with any dispute: "held by X, claimed by Y") and province at each
    point, as a table.

    \b
    Examples:
        geoconflict borders IRQ SYR -o border.geojson
        geoconflict borders Syria --format markdown
        geoconflict borders --site "35.69,32.99" --site "Abu Kamal"
    """
    if at_files or site_places:
        feats = read_sites(at_files, site_places, what="points")
        lon, lat = features_lonlat(feats)
        iso = np.atleast_1d(
            np.asarray(country_at(lon, lat, dataset=dataset), dtype=object)
        )
        status = np.atleast_1d(
            np.asarray(country_at(lon, lat, dataset=dataset, status=True), dtype=object)
        )
        prov = np.atleast_1d(np.asarray(province_at(lon, lat), dtype=object))
        rows = [
            {"site": f.name or f"site {i + 1}", "lon": lon[i], "lat": lat[i], "country": iso[i],
             "status": status[i], "province": prov[i]}
            for i, f in enumerate(feats)
        ]  # fmt: skip
        write_rows(rows, fmt, output, [f.geometry for f in feats])
        return
    if len(countries) == 2:
        line = border_line(countries[0], countries[1], dataset=dataset)
        pairs = [(countries[1], line)]
        a = countries[0]
    elif len(countries) == 1:
        a = countries[0]
        pairs = sorted(borders_of(a, dataset=dataset).items())
    else:
        raise click.UsageError("give one or two countries, or --at FILE / --site")
    rows, geoms = [], []
    for b, g in pairs:
        rows.append(
            {"a": a, "b": b, "dataset": dataset, "length_m": round(float(length(g)), 3)}
        )
        geoms.append(g)
    fmt = fmt or (
        "geojson"
        if len(countries) == 2 or format_from_path(output) == "geojson"
        else format_from_path(output)
    )
    write_rows(rows, fmt, output, geoms)
