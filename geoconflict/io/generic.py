"""Read events from generic CSV / TSV, GeoJSON, GeoPackage, Shapefile and KML files.

One event per row (or per feature): coordinates from the geometry, or in tables
from lat/lon (decimal or DMS) or MGRS columns detected by name.  The native
geoconflict GeoJSON (and GeoPackage/KML written by
:func:`geoconflict.io.events.write_events`) come back losslessly.  Geometries in
another CRS are transformed to (lon, lat) degrees on WGS84.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import numpy as np

from geoconflict import _geom
from geoconflict._compat import import_optional_dependency
from geoconflict._geom import shape
from geoconflict.errors import CoordinateError, DataFormatError
from geoconflict.events.claims import CasualtyClaim, Source
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event
from geoconflict.events.native import NATIVE_FORMAT
from geoconflict.events.native_read import event_from_json, feature_list, from_native
from geoconflict.events.rejected import Rejected, RowError
from geoconflict.events.sites import Location, Site
from geoconflict.events.time import TimeEstimate, period_end
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_coordinate
from geoconflict.io._rows import (
    PathLike,
    count,
    country_code,
    csv_rows,
    empty,
    num,
    read_json,
    read_text,
    run_rows,
)
from geoconflict.io.acled import ACLED_GEO_PRECISION, ACLED_TIME_PRECISION
from geoconflict.io.parquet import (
    GPKG_CLAIMS,
    GPKG_SOURCES,
    events_from_arrow,
    gpkg_tables,
    read_parquet,
)
from geoconflict.io.validate import check_point, country_pass

__all__ = ["read_events"]

_COLS = {
    "id": ("id", "event_id", "event_id_cnty", "uid", "fid"),
    "lat": ("lat", "latitude", "lat_dd", "y", "lat_deg"),
    "lon": ("lon", "lng", "long", "longitude", "lon_dd", "x", "lon_deg"),
    "mgrs": ("mgrs", "mgrs_ref", "grid", "grid_ref"),
    # "timestamp", "begin": KML <TimeStamp>/<TimeSpan> as GDAL's LIBKML exposes them
    "date": (
        "date",
        "event_date",
        "start",
        "date_start",
        "datetime",
        "time",
        "timestamp",
        "begin",
    ),
    "end": ("end", "date_end"),
    "precision": ("precision", "location_precision", "geo_precision"),
    "time_precision": ("time_precision", "date_precision", "time_prec"),
    "radius": ("radius_m", "uncertainty_m", "radius"),
    "name": ("name", "site", "site_name", "location", "place"),
    "role": ("role",),
    "facility": ("facility", "facility_kind"),
    "country": ("country", "iso3", "country_iso3"),
    "admin1": ("admin1", "province", "adm_1"),
    "admin2": ("admin2", "district", "adm_2"),
    "killed": ("killed", "fatalities", "deaths", "best"),
    "wounded": ("wounded", "injured"),
    "source": ("source", "sources"),
    "summary": ("summary", "description", "title"),
    "notes": ("notes", "note", "comment"),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "disorder_type": ("disorder_type",),
}


def _detect(header: Sequence[str]) -> dict:
    """Map each key of ``_COLS`` to the first header column that names it.

    ``"dates"`` lists every date column present, in ``_COLS`` order: a row whose
    first date cell is empty takes the next (a KML placemark has either a
    ``timestamp`` or a ``begin``).
    """
    found: dict = {}
    low = {h.strip().lower(): h for h in header}
    for key, names in _COLS.items():
        for n in names:
            if n in low:
                found[key] = low[n]
                break
    found["dates"] = [low[n] for n in _COLS["date"] if n in low]
    return found


def _generic_event(
    path,
    row: dict,
    cols: dict,
    geometry,
    rownum: int,
    rejected: Rejected,
    file_source: str,
    eid: str,
) -> Event:
    def get(key):
        c = cols.get(key)
        return None if c is None else empty(row.get(c))

    country = get("country")
    code = country_code(country) or (
        country.upper() if country and len(country) == 3 else None
    )
    prec = get("precision")
    radius = get("radius")
    footprint = None
    method = "reported_coordinates"
    if geometry is not None:
        if geometry.is_empty:
            raise RowError("geometry", "EMPTY", "empty geometry")
        if geometry.geom_type == "Point":
            lon, lat = geometry.x, geometry.y
        else:
            footprint = geometry
            c = geometry.representative_point()
            lon, lat = c.x, c.y
        check_point(lon, lat, code, cols=("geometry", "geometry"))
    elif get("mgrs") is not None:
        try:
            cell = mgrs_to_polygon(get("mgrs"))
        except CoordinateError as exc:
            raise RowError(cols["mgrs"], get("mgrs"), str(exc)) from None
        footprint, lon, lat = cell.polygon, cell.lon, cell.lat
        method = "mgrs"
        prec = prec or "exact"
        check_point(lon, lat, code, cols=(cols["mgrs"], cols["mgrs"]))
    else:
        if "lat" not in cols or "lon" not in cols:
            raise RowError(None, "", "no coordinates: no lat/lon or MGRS column")
        try:
            lat = parse_coordinate(row.get(cols["lat"]), axis="lat")
        except CoordinateError as exc:
            raise RowError(cols["lat"], row.get(cols["lat"]), str(exc)) from None
        try:
            lon = parse_coordinate(row.get(cols["lon"]), axis="lon")
        except CoordinateError as exc:
            raise RowError(cols["lon"], row.get(cols["lon"]), str(exc)) from None
        check_point(lon, lat, code, cols=(cols["lon"], cols["lat"]))
    if prec is not None:
        if prec.isdigit():
            prec = ACLED_GEO_PRECISION.get(int(prec), prec)
        prec = prec.lower().replace(" ", "_")
    try:
        loc = Location(
            lon,
            lat,
            prec or "exact",
            radius_m=None if radius is None else num(radius, cols["radius"]),
            footprint=footprint,
            method=method,
            place=get("name"),
            country=code or country,
            admin1=get("admin1"),
            admin2=get("admin2"),
        )
    except ValueError as exc:
        raise RowError(cols.get("precision"), prec, str(exc)) from None
    tp = get("time_precision")
    if tp is not None and tp.isdigit():
        tp = ACLED_TIME_PRECISION.get(int(tp), tp)
    date = next(
        (d for d in (empty(row.get(c)) for c in cols["dates"]) if d is not None), None
    )
    if date is None:
        raise RowError(cols.get("date", "date"), "", "missing date")
    end = get("end")
    if end is not None:  # an inclusive end date: "2019-09-30" runs through that day
        try:
            end = period_end(end, "end")
        except DataFormatError as exc:
            raise RowError(cols["end"], end, f"unparseable date ({exc})") from None
    try:
        time = TimeEstimate(date, end, precision=(tp or "day").lower())
    except (ValueError, DataFormatError) as exc:
        raise RowError(
            cols.get("date"), date, f"unparseable date or time precision ({exc})"
        ) from None
    src = get("source") or file_source
    claims = []
    for key in ("killed", "wounded"):
        n = count(get(key), cols.get(key, key))
        if n is not None:
            claims.append(CasualtyClaim(src, key, best=n))
    role = get("role") or "target"
    try:
        site = Site("s1", loc, role=role, name=get("name"), facility=get("facility"))
    except ValueError as exc:
        raise RowError(cols.get("role"), role, str(exc)) from None
    cat = Category(get("disorder_type"), get("event_type"), get("sub_event_type"))
    for problem in cat.validate():
        rejected.add(
            path, rownum, "event_type", cat.event_type, problem, action="flagged"
        )
    return Event(
        id=eid,
        time=time,
        sites=[site],
        claims=claims,
        category=cat,
        summary=get("summary"),
        notes=get("notes"),
    )


def _sources_for(events: list, file_source: str) -> list:
    ids = {c.source for e in events for c in e.claims}
    return [
        Source(i, i, kind="dataset" if i == file_source else "other")
        for i in sorted(ids)
    ]


def _read_generic_rows(
    path,
    header,
    rows,
    geoms,
    rejected,
    *,
    file_source: Optional[str] = None,
    id_prefix: Optional[str] = None,
) -> tuple[list[Event], list[int]]:
    """Build one event per generic row; return the events and their row numbers.

    `geoms` is None (coordinates from lat/lon or MGRS columns) or (row number,
    shapely geometry in lon/lat degrees, WGS84) pairs.  Rows without an id get
    ``f"{id_prefix}-{row}"`` (default: the file's stem), unique in the file.
    With no rows at all there is nothing to check: no events, no error.
    """
    if not rows:
        return [], []
    cols = _detect(header)
    file_source = file_source or Path(path).name
    if (
        geoms is None
        and "mgrs" not in cols
        and ("lat" not in cols or "lon" not in cols)
    ):
        raise DataFormatError(
            "no coordinate columns found: name them lat/latitude and lon/longitude "
            f"(decimal or DMS), or mgrs; the file has {list(header)[:12]}",
            path=str(path),
            column="lat/lon",
        )
    if "date" not in cols:
        raise DataFormatError(
            "no date column found (date, event_date, start, date_start, timestamp, "
            f"begin); the file has {list(header)[:12]}",
            path=str(path),
            column="date",
        )
    geo_by_row = dict(geoms) if geoms is not None else {}
    prefix = id_prefix or Path(str(path)).stem
    events, rownums = run_rows(
        path,
        rows,
        lambda row, rej, n, rid: _generic_event(
            path,
            row,
            cols,
            geo_by_row.get(n) if geoms is not None else None,
            n,
            rej,
            file_source,
            rid,
        ),
        rejected,
        (lambda r: empty(r.get(cols["id"]))) if "id" in cols else (lambda r: None),
        cols.get("id", "id"),
        make_id=lambda n: f"{prefix}-{n}",
    )
    return country_pass(path, events, rownums, rejected)


def _to_wgs84(path, crs: Optional[str], geoms: list) -> list:
    """Transform shapely geometries (None kept) from `crs` to lon/lat degrees, WGS84.

    `crs` None, EPSG:4326 or OGC:CRS84 leaves them as they are.  pyproj is used with
    ``always_xy`` (x = easting/longitude).  An unknown or untransformable CRS raises
    DataFormatError naming the file and the CRS.
    """
    if crs is None:
        return geoms
    import numpy as np
    import pyproj

    def unsupported(exc):
        return DataFormatError(
            f"unsupported coordinate reference system {crs!r} ({exc}); reproject the "
            "file to EPSG:4326 (lon/lat degrees on WGS84)",
            path=str(path),
        )

    try:
        src = pyproj.CRS.from_user_input(crs)
        if src.equals("EPSG:4326", ignore_axis_order=True) or src.equals("OGC:CRS84"):
            return geoms
        tr = pyproj.Transformer.from_crs(src, "EPSG:4326", always_xy=True)
    except pyproj.exceptions.ProjError as exc:
        raise unsupported(exc) from None
    arr = np.array(geoms, dtype=object)
    have = np.array([g is not None for g in geoms], dtype=bool)
    if have.any():
        try:
            arr[have] = _geom.transform(
                arr[have], lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1]))
            )
        except pyproj.exceptions.ProjError as exc:
            raise unsupported(exc) from None
    return list(arr)


def _cell(value: Any, integer: bool = False) -> Optional[str]:
    """One cell read by pyogrio, as text: NULL (None, NaN; NaT is None) -> None.

    Whole numbers of integer fields (which pyogrio returns as floats when the
    column has NULLs) lose their ``.0``; ±inf stays ``"inf"`` (rejected later).
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return None
        return str(int(x)) if integer and x.is_integer() else repr(x)
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _read_layer(
    pyogrio,
    path,
    layer: str,
    label: str,
    prefix: str,
    rejected: Rejected,
    only_rows: Optional[set] = None,
) -> tuple[list[Event], list[int], dict]:
    """Read one layer of a vector file: its events, their row numbers, the sources.

    Rows with an ``event_json`` (written by :func:`geoconflict.io.events.write_events`) come back
    losslessly, one event from all its site rows; rows without one (added in a GIS)
    are read from their plain columns like any other table.
    """
    try:
        meta, fids, geometry, field_data = pyogrio.raw.read(
            path, layer=layer, datetime_as_string=True, return_fids=True
        )
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError ...
        raise DataFormatError(
            f"cannot read layer {layer!r}: {exc}", path=str(path)
        ) from None
    n = len(fids)
    ogr_types = list(meta.get("ogr_types") or [""] * len(field_data))
    columns: dict[str, list] = {}
    for name, values, otype in zip(meta["fields"], field_data, ogr_types):
        key = str(name).lower()
        if key not in columns:  # LIBKML's Name and an ExtendedData "name": the first
            integer = otype in ("OFTInteger", "OFTInteger64")
            columns[key] = [_cell(v, integer) for v in values]
    rows = [
        (i + 1, {k: v[i] for k, v in columns.items()})
        for i in range(n)
        if only_rows is None or i + 1 in only_rows
    ]
    geoms = None
    if geometry is not None:
        geoms = [None if g is None else _geom.from_wkb(g) for g in geometry]
        geoms = list(zip(range(1, n + 1), _to_wgs84(label, meta.get("crs"), geoms)))
    source_name = Path(path).name
    if "event_json" not in columns:
        events, rownums = _read_generic_rows(
            label,
            list(columns),
            rows,
            geoms,
            rejected,
            file_source=source_name,
            id_prefix=prefix,
        )
        return events, rownums, {}
    events, rownums, sources = [], [], {}
    plain, read, first = [], set(), {}
    for rownum, row in rows:
        raw = row["event_json"]
        if raw is None or not raw.strip():
            plain.append((rownum, row))
            continue
        if raw in read:  # another site row of an event already read
            continue
        try:
            try:
                data = json.loads(raw)
            except ValueError as exc:
                raise RowError(
                    "event_json", raw[:60], f"not valid JSON: {exc}"
                ) from None
            ev, srcs = event_from_json(data)
        except RowError as exc:
            rejected.add(
                label, rownum, exc.column or "event_json", exc.value, exc.reason
            )
            continue
        if ev.id in first:
            rejected.add(
                label,
                rownum,
                "event_json",
                ev.id,
                f"duplicate event id (first seen at row {first[ev.id]})",
            )
            continue
        first[ev.id] = rownum
        read.add(raw)
        sources.update({s.id: s for s in srcs})
        events.append(ev)
        rownums.append(rownum)
    if plain:
        more, more_rows = _read_generic_rows(
            label,
            list(columns),
            plain,
            geoms,
            rejected,
            file_source=source_name,
            id_prefix=prefix,
        )
        for ev, rownum in zip(more, more_rows):
            if ev.id in first:
                rejected.add(
                    label,
                    rownum,
                    "event_id",
                    ev.id,
                    f"duplicate event id (first seen at row {first[ev.id]})",
                )
                continue
            first[ev.id] = rownum
            events.append(ev)
            rownums.append(rownum)
        sources.update(
            {s.id: s for s in _sources_for(more, source_name) if s.id not in sources}
        )
        order = sorted(range(len(events)), key=rownums.__getitem__)
        events = [events[i] for i in order]
        rownums = [rownums[i] for i in order]
    return events, rownums, sources


def _read_relational_gpkg(pyogrio, path, layer: str) -> EventSet:
    """Read a GeoPackage written from columns (claims and sources in side tables).

    Rows added in a GIS (without the columns :func:`write_gpkg` sets) are read
    from their plain columns like any other table.
    """
    table, mask, sources = gpkg_tables(path, layer)
    es = events_from_arrow(table, sources)
    if mask.all():
        return es
    rejected = Rejected()
    keep = {int(i) + 1 for i in np.flatnonzero(~mask)}
    more, rownums, srcs = _read_layer(
        pyogrio, path, layer, str(path), Path(path).stem, rejected, only_rows=keep
    )
    events = list(es.events)
    where = {e.id: None for e in events}
    for ev, rownum in zip(more, rownums):
        if ev.id in where:
            rejected.add(
                path, rownum, "id", ev.id, "duplicate id (an event of the file)"
            )
            continue
        where[ev.id] = rownum
        events.append(ev)
    return EventSet(events, {**srcs, **es.sources}, rejected)


def _read_vector(path) -> EventSet:
    """Read every layer of a GeoPackage, Shapefile, KML ... through pyogrio.

    With several layers (GeoPackage tables, KML folders) the rejected table names
    the layer as ``"file|layername=NAME"`` (the GDAL/QGIS spelling) and each event
    records its layer in ``external_ids["layer"]``; an id met in two layers is
    reported as a duplicate.  Geometries in another CRS are transformed to lon/lat
    degrees on WGS84 (pyproj).
    """
    pyogrio = import_optional_dependency("pyogrio", "reading GeoPackage/Shapefile/KML")
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError ...
        raise DataFormatError(
            f"not a readable vector file: {exc}", path=str(path)
        ) from None
    if GPKG_CLAIMS in layers and GPKG_SOURCES in layers:
        main = [name for name in layers if name not in (GPKG_CLAIMS, GPKG_SOURCES)]
        if len(main) == 1:
            return _read_relational_gpkg(pyogrio, path, main[0])
    multi = len(layers) > 1
    stem = Path(path).stem
    rejected = Rejected()
    events: list = []
    sources: dict = {}
    where: dict = {}
    for layer in layers:
        label = f"{path}|layername={layer}" if multi else str(path)
        prefix = f"{stem}-{layer}" if multi else stem
        evs, rownums, srcs = _read_layer(pyogrio, path, layer, label, prefix, rejected)
        for ev, rownum in zip(evs, rownums):
            if ev.id in where:
                rejected.add(
                    label,
                    rownum,
                    "id",
                    ev.id,
                    f"duplicate id (first seen at {where[ev.id]})",
                )
                continue
            where[ev.id] = f"{label} row {rownum}"
            if multi:
                ev.external_ids["layer"] = layer
            events.append(ev)
        for s in srcs.values():
            sources.setdefault(s.id, s)
    return EventSet(events, sources, rejected)


def _geojson_crs(path, crs: Any) -> Optional[str]:
    """Return the CRS named by a GeoJSON (2008) ``crs`` member (None without one)."""
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    if isinstance(props, dict):
        if crs.get("type") == "name" and isinstance(props.get("name"), str):
            return props["name"]
        if crs.get("type") == "EPSG" and props.get("code") is not None:
            return f"EPSG:{props['code']}"
    raise DataFormatError(
        f"unsupported 'crs' member {json.dumps(crs)[:80]}; give coordinates in lon/lat "
        "degrees on WGS84 (RFC 7946) or name the CRS as "
        '{"type": "name", "properties": {"name": "EPSG:3857"}}',
        path=str(path),
    )


def _read_geojson(path, text: str) -> EventSet:
    data = read_json(path, text)
    if (
        isinstance(data, dict)
        and isinstance(data.get("geoconflict"), dict)
        and data["geoconflict"].get("name") == NATIVE_FORMAT["name"]
    ):
        return from_native(data, path=path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFormatError("expected a GeoJSON FeatureCollection", path=str(path))
    feats = feature_list(path, data)
    crs = _geojson_crs(path, data.get("crs"))
    rows, geoms = [], []
    rejected = Rejected()
    for i, f in enumerate(feats, start=1):
        if not isinstance(f, dict) or f.get("type", "Feature") != "Feature":
            rejected.add(
                path, i, None, json.dumps(f)[:60], "not a GeoJSON Feature object"
            )
            continue
        raw_props = f.get("properties") or {}
        if not isinstance(raw_props, dict):
            rejected.add(
                path,
                i,
                "properties",
                json.dumps(raw_props)[:60],
                "properties is not a JSON object",
            )
            continue
        props = {
            str(k).lower(): (None if v is None else str(v))
            for k, v in raw_props.items()
        }
        if f.get("id") is not None and "id" not in props:
            props["id"] = str(f["id"])
        try:
            g = None if f.get("geometry") is None else shape(f["geometry"])
        except Exception as exc:  # shapely raises several kinds for bad GeoJSON
            rejected.add(
                path,
                i,
                "geometry",
                str(f.get("geometry"))[:60],
                f"invalid geometry: {exc}",
            )
            continue
        if g is None:
            rejected.add(path, i, "geometry", None, "feature has no geometry")
            continue
        rows.append((i, props))
        geoms.append(g)
    geoms = list(zip([i for i, _ in rows], _to_wgs84(path, crs, geoms)))
    header = sorted({k for _, p in rows for k in p})
    events, _ = _read_generic_rows(path, header, rows, geoms, rejected)
    return EventSet(events, _sources_for(events, Path(path).name), rejected)


def read_events(path: PathLike, *, encoding: Optional[str] = None) -> EventSet:
    r"""Read events from a generic CSV, GeoJSON, GeoPackage, Shapefile or KML file.

    The native geoconflict GeoJSON (and GeoPackage/KML written by
    :func:`geoconflict.io.events.write_events`) come back losslessly.  Other files are read as one event
    per row: coordinates from the geometry, or in CSV from lat/lon columns detected
    by name (``lat``/``latitude``, ``lon``/``lng``/``longitude``; decimal or DMS
    like ``34°27'08"N``) or an ``mgrs`` column (``37SFU7714`` → the grid square as
    the footprint); a date column (``date``, ``event_date``, ``start``); optional
    ``id``, ``end`` (inclusive: ``2019-09-30`` runs through that day, ``2019-11``
    through November; a date-time is the exact end), ``precision``,
    ``time_precision``, ``radius_m``, ``name``, ``role``,
    ``country``, ``admin1``, ``killed``/``fatalities``, ``wounded``, ``source``,
    ``notes``.

    A row without an id gets ``"<file stem>-<row>"`` (stable, unique in the file).
    ``.tsv`` files are tab-separated.  Every layer of a GeoPackage and every folder
    of a KML file is read; with several, the rejected table names the layer
    (``"file|layername=NAME"``) and each event keeps it in
    ``external_ids["layer"]``.  KML ``<TimeStamp>``/``<TimeSpan>`` give the dates.
    Geometries in another CRS (a GeoPackage's, a GeoJSON ``crs`` member) are
    transformed to lon/lat degrees on WGS84.  An empty number cell (or a NULL) is
    missing; NaN, ±inf or a negative count rejects the row.  Every data row is
    kept or listed in ``rejected``.

    Parameters
    ----------
    path : str or path-like
    encoding : str, optional
        For CSV/GeoJSON; default UTF-8.

    Returns
    -------
    EventSet
        Events (lon/lat degrees) with ``.rejected``.

    Raises
    ------
    DataFormatError
        Unreadable file, or no coordinate/date columns.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = open(p, "w", encoding="utf-8").write(
    ...     "id,date,lat,lon\n1,2019-09-09,34°27'08\"N,40°55'07\"E\n"
    ...     "2,2019-09-09,,\n")
    >>> es = read_events(p)
    >>> round(es["1"].sites[0].location.lat, 4), es.rejected.rows()
    (34.4522, [2])
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".parquet", ".geoparquet"):
        return read_parquet(path)
    if suffix in (".csv", ".txt", ".tsv", ".tab"):
        rejected = Rejected()
        text = read_text(path, "a CSV file", encoding)
        header, rows = csv_rows(path, text, rejected)
        events, _ = _read_generic_rows(path, header, rows, None, rejected)
        return EventSet(events, _sources_for(events, Path(path).name), rejected)
    if suffix in (".geojson", ".json"):
        return _read_geojson(path, read_text(path, "a GeoJSON file", encoding))
    return _read_vector(path)
