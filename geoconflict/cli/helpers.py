"""Helpers shared by the command modules: reading sites, writing tables and features.

Coordinates are (lon, lat) degrees WGS84, distances meters.
"""

from __future__ import annotations

import logging
import math
import sys

import click
import numpy as np
import shapely

from geoconflict.errors import GeoconflictError
from geoconflict.geodesy.index import distance_to
from geoconflict.io.features import (
    Feature,
    features_lonlat,
    format_from_path,
    read_features,
    write_features,
    write_table,
)

__all__ = [
    "distance_to_geometry",
    "file_geometry",
    "number",
    "progress",
    "read_sites",
    "table_features",
    "write_geo",
    "write_rows",
    "xy",
]

log = logging.getLogger("geoconflict")


def progress(ctx: click.Context, iterable, **kwargs):
    """Wrap `iterable` in a tqdm progress bar when standard error is a terminal.

    tqdm rather than rich: it is one small pure-Python module with no
    dependencies, writes to stderr, and disables itself cleanly.
    """
    quiet = (ctx.obj or {}).get("quiet", False)
    if quiet or not sys.stderr.isatty():
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, file=sys.stderr, leave=False, **kwargs)


def read_sites(
    sources: tuple[str, ...], places: tuple[Feature, ...], what="sites"
) -> list[Feature]:
    """Return the features of the files `sources`, then the points `places` (``--site``)."""
    feats: list[Feature] = []
    for src in sources:
        feats.extend(read_features(src, what=what))
    feats.extend(places)
    if not feats:
        raise click.UsageError(f"give {what} as a file (or - for stdin) or with --site")
    return feats


def xy(feats) -> np.ndarray:
    """(n, 2) array of the (lon, lat) degrees of point features (WGS84)."""
    lon, lat = features_lonlat(feats)
    return np.column_stack([lon, lat])


def file_geometry(path: str):
    """Return the union of the geometries of a file (lon/lat degrees WGS84)."""
    geoms = [f.geometry for f in read_features(path, what="geometry")]
    return shapely.union_all([g for g in geoms if g is not None])


def distance_to_geometry(lon, lat, geometry):
    """Exact geodesic distances (and nearest points) from points to one geometry, meters."""
    res = distance_to(
        np.asarray(lon, float), np.asarray(lat, float), geometry, return_nearest=True
    )
    return type(res)(*(np.atleast_1d(v) for v in res))


def write_rows(rows, fmt, output, geometries=None, columns=None) -> None:
    """Write a table in `fmt` (or the format the name of `output` implies)."""
    write_table(
        rows,
        fmt or format_from_path(output),
        output,
        geometries=geometries,
        columns=columns,
    )


def table_features(table) -> tuple:
    """(geometries, property dicts) of a :class:`~geoconflict.geodesy.ranges.FeatureTable`."""
    cols = table.columns
    props = []
    for i in range(len(table)):
        row = {}
        for n, values in cols.items():
            v = values[i]
            row[n] = v.item() if isinstance(v, np.generic) else v
        props.append(row)
    return list(table.geometry), props


def write_geo(geoms, props, output) -> None:
    """Write features (RFC 7946 GeoJSON, or GeoPackage for ``.gpkg``) and log how many."""
    write_features(geoms, props, output)
    log.info("%d features written to %s", len(props), output)


def number(v, column: str, row: int) -> float:
    """`v` as a float (NaN for an empty cell); a clear error naming row and column."""
    if v in (None, ""):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        raise GeoconflictError(
            f"row {row}, column {column!r}: {v!r} is not a number"
        ) from None
