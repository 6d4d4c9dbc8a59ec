"""Read and write events: ACLED, UCDP GED, generic CSV / vector files, native GeoJSON.

Every reader returns an :class:`~geoconflict.events.eventset.EventSet` whose ``rejected``
table lists each problem with file, row (1-based data row; the header is row 0),
column, value and reason; rows that cannot be used are left out *and reported*,
rows kept with a problem are marked ``"flagged"``.  A file that is not what it
claims (binary, truncated JSON, not UTF-8, missing required columns) raises
:class:`~geoconflict.errors.DataFormatError`.

Coordinates are (lon, lat) in degrees on WGS84; radii and distances in meters.

The native format is RFC 7946 GeoJSON (:mod:`geoconflict.events.native`): one
Feature per event, the whole event in its properties, the sources in a top-level
``"sources"`` member; it round-trips every field.  GeoPackage, Shapefile and KML
(through pyogrio, imported lazily) hold one row per (event, site); GeoPackage and
KML also carry the event as JSON in an ``event_json`` column so that they
round-trip too; Shapefile keeps the flat fields only (its text fields stop at 254
characters).

The readers live in :mod:`geoconflict.io.acled`, :mod:`geoconflict.io.ucdp` and
:mod:`geoconflict.io.generic`; this module is their public entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import numpy as np

from geoconflict import _geom
from geoconflict._compat import import_optional_dependency
from geoconflict.errors import DataFormatError
from geoconflict.events.eventset import EventSet
from geoconflict.events.native import strict_json, to_native
from geoconflict.events.native_read import from_native
from geoconflict.geography.datasets import find_shipped
from geoconflict.io._rows import PathLike
from geoconflict.io.acled import (
    ACLED_COLUMNS,
    ACLED_GEO_PRECISION,
    ACLED_TIME_PRECISION,
    read_acled,
)
from geoconflict.io.generic import read_events
from geoconflict.io.parquet import read_parquet, write_gpkg, write_parquet
from geoconflict.io.ucdp import UCDP_DATE_PREC, UCDP_WHERE_PREC, read_ucdp_ged

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_GEO_PRECISION",
    "ACLED_TIME_PRECISION",
    "UCDP_DATE_PREC",
    "UCDP_WHERE_PREC",
    "from_native",
    "load_example",
    "read_acled",
    "read_events",
    "read_parquet",
    "read_ucdp_ged",
    "to_native",
    "write_events",
    "write_parquet",
]


# --------------------------------------------------------------------------- #
# Writers
# --------------------------------------------------------------------------- #

_DRIVERS = {
    ".geojson": "native",
    ".json": "native",
    ".gpkg": "GPKG",
    ".shp": "ESRI Shapefile",
    ".kml": "KML",
    ".parquet": "Parquet",
    ".geoparquet": "Parquet",
}
_SHP_NAMES = {
    "event_id": "event_id",
    "site_id": "site_id",
    "site_name": "site_name",
    "role": "role",
    "facility": "facility",
    "lon": "lon",
    "lat": "lat",
    "radius_m": "radius_m",
    "precision": "precision",
    "method": "method",
    "place": "place",
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "start": "start",
    "end": "end",
    "time_precision": "time_prec",
    "disorder_type": "disorder",
    "event_type": "event_type",
    "sub_event_type": "sub_event",
    "killed_min": "killed_min",
    "killed_max": "killed_max",
    "wounded_min": "wound_min",
    "wounded_max": "wound_max",
    "attribution_status": "attrib",
    "n_claims": "n_claims",
    "n_sources": "n_sources",
    "summary": "summary",
}


def write_events(
    event_set: EventSet, path: PathLike, *, driver: Optional[str] = None
) -> Path:
    """Write an EventSet: native GeoJSON, GeoParquet, GeoPackage, Shapefile or KML.

    ``.geojson``/``.json`` → the native lossless GeoJSON (RFC 7946, one feature
    per event, claims nested).  A columnar set (an import) goes to ``.gpkg`` with
    its claims and sources in their own tables
    (:func:`geoconflict.io.parquet.write_gpkg`, about the CSV's size); a set of
    :class:`Event` objects keeps the whole event in ``event_json``.  ``.parquet`` → GeoParquet, lossless and fast for
    10⁶ events (:func:`geoconflict.io.parquet.write_parquet`: one row per (event,
    site), claims nested, readable by ``geopandas.read_parquet`` and DuckDB).  ``.gpkg``, ``.kml`` → one row per (event, site)
    with the flat columns of :meth:`EventSet.site_table` and the whole event in
    ``event_json`` (lossless); ``.shp`` → the flat columns only (short names;
    points, footprints as their representative point).  Coordinates are lon/lat
    degrees (EPSG:4326); radii in meters.  pyogrio is imported lazily for the
    non-GeoJSON formats.

    Parameters
    ----------
    event_set : EventSet
    path : str or path-like
    driver : {"native", "Parquet", "GPKG", "ESRI Shapefile", "KML"}, optional
        Default from the suffix.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, os
    >>> from geoconflict.events.eventset import EventSet
    >>> p = write_events(EventSet(), os.path.join(tempfile.mkdtemp(), "e.geojson"))
    >>> len(read_events(p))
    0
    """
    path = Path(path)
    drv = driver or _DRIVERS.get(path.suffix.lower())
    if drv is None:
        raise ValueError(
            f"cannot tell the format of {path.name!r}; use a .geojson, .parquet, .gpkg, "
            ".shp or .kml suffix or pass driver="
        )
    if drv == "Parquet":
        return write_parquet(event_set, path)
    if drv == "GPKG" and event_set.is_columnar:
        return write_gpkg(event_set, path)
    if drv == "native":
        path.write_text(
            json.dumps(
                to_native(event_set),
                ensure_ascii=False,
                allow_nan=False,
                # indented when small (readable diffs); the fast C encoder when big
                indent=1 if len(event_set) <= 500 else None,
            ),
            encoding="utf-8",
        )
        return path
    pyogrio = import_optional_dependency("pyogrio", f"writing {drv} files")

    rows = event_set.site_table()
    shp = drv == "ESRI Shapefile"
    cols = [k for k in rows[0] if k != "geometry"] if rows else list(_SHP_NAMES)
    geoms = []
    for r in rows:
        g = r["geometry"]
        if g is None:
            g = _geom.point()
        if shp and g.geom_type != "Point" and not g.is_empty:
            g = g.representative_point()
        geoms.append(g)
    field_data, names = [], []
    for c in cols:
        vals = [r[c] for r in rows]
        if (
            all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)
            and vals
        ):
            arr = np.array([np.nan if v is None else float(v) for v in vals])
            arr[np.isinf(arr)] = np.nan if shp else arr[np.isinf(arr)]
        else:
            arr = np.array(["" if v is None else str(v) for v in vals], dtype=object)
        field_data.append(arr)
        names.append(_SHP_NAMES.get(c, c[:10]) if shp else c)
    if not shp:
        jsons = []
        for e in event_set:
            d = e.to_dict()
            used = {c.source for c in e.claims} | {c.via for c in e.claims if c.via}
            d["_sources"] = [
                event_set.sources[s].to_dict()
                for s in sorted(used)
                if s in event_set.sources
            ]
            text = json.dumps(strict_json(d), ensure_ascii=False, allow_nan=False)
            jsons += [text] * len(e.sites)
        field_data.append(np.array(jsons, dtype=object))
        names.append("event_json")
    if path.exists():
        path.unlink()
    kinds = {g.geom_type for g in geoms if not g.is_empty}
    gtype = kinds.pop() if len(kinds) == 1 else "Unknown"
    pyogrio.raw.write(
        str(path),
        geometry=np.array(_geom.to_wkb(np.array(geoms, dtype=object)), dtype=object),
        field_data=field_data,
        fields=names,
        driver=drv,
        geometry_type=gtype,
        crs="EPSG:4326",
        encoding="UTF-8",
    )
    return path


# --------------------------------------------------------------------------- #
# The seed example
# --------------------------------------------------------------------------- #

#: examples shipped with geoconflict (name -> file name)
EXAMPLES = {"al-bukamal-2019-2021": "al-bukamal-2019-2021.geojson"}


def load_example(name: str = "al-bukamal-2019-2021") -> EventSet:
    """Load an example event set shipped with geoconflict.

    ``"al-bukamal-2019-2021"`` encodes every event of the project's two seed reports
    (an analysis of the 9 September 2019 strike near al-Bukamal, and Tasnim's report
    of the 14 September 2021 convoy attack), each claim tied to its source with a
    brief verbatim phrase.  Locations are gazetteer points with honest precision
    (lon/lat degrees, radii in meters).  Read with :mod:`importlib.resources` from the
    installed package (``geoconflict/_data/examples``), or from ``examples/`` in a
    source checkout.

    Parameters
    ----------
    name : str
        The example's name (see :data:`EXAMPLES`).

    Returns
    -------
    EventSet

    Raises
    ------
    KeyError
        Unknown example name (the message lists the known ones).

    Examples
    --------
    >>> es = load_example()
    >>> es["2021-09-14-pmu-convoy-al-bukamal"].attribution_status()
    'contested'
    """
    if name not in EXAMPLES:
        raise KeyError(f"unknown example {name!r}; known: {sorted(EXAMPLES)}")
    filename = EXAMPLES[name]
    # packaged in the wheel, or the top-level examples/ folder of a source checkout
    res = find_shipped(f"_data/examples/{filename}", f"examples/{filename}")
    if res is None:
        raise DataFormatError(
            f"example file {filename!r} is missing from this installation; "
            "reinstall geoconflict",
            path=f"examples/{filename}",
        )
    text = res.read_bytes().decode("utf-8")
    return from_native(json.loads(text), path=filename)
