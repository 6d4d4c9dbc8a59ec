"""Events as GeoParquet: one row per (event, site), claims nested, lossless.

:func:`write_parquet` writes the flat columns of
:meth:`~geoconflict.events.eventset.EventSet.site_table` (what
``geopandas.read_parquet`` and DuckDB show: ``event_id``, ``lon``, ``lat``,
``radius_m`` in meters, ``start``/``end`` ISO 8601, ``killed_min`` ...) with the
site's point or footprint as the WKB ``geometry`` column (lon/lat degrees on
WGS84, GeoParquet 1.0 metadata), plus what makes the round trip lossless:

* ``radius_given`` (the location's own radius, meters; null: the precision's
  default), ``phrase``, ``place_id``, ``flags``, ``has_footprint``, ``tz``,
  ``time_phrase``, ``tags``, ``notes`` and ``external_ids`` (a map);
* ``claims``: on the first row of each event, the list of its claims as structs
  (``type``, ``source`` and every claim field; null where a kind has no such
  field);
* the sources, as JSON in the file's ``geoconflict`` metadata.

:func:`read_parquet` reads such a file back into the same events; files of
single-site point events come back as columns (no Python object per event).
pyarrow is imported lazily.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from geoconflict import _geom
from geoconflict._compat import import_optional_dependency
from geoconflict.errors import DataFormatError
from geoconflict.events.claims import CLAIM_TYPES, Source
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Event
from geoconflict.events.native import strict_json
from geoconflict.events.table import (
    COLUMNS,
    SUMMARY_COLUMNS,
    ClaimBlock,
    EventTable,
)
from geoconflict.io._rows import PathLike

__all__ = [
    "GPKG_CLAIMS",
    "GPKG_SOURCES",
    "PARQUET_FORMAT",
    "event_arrow",
    "events_from_arrow",
    "gpkg_tables",
    "read_parquet",
    "write_gpkg",
    "write_parquet",
]

#: the ``geoconflict`` metadata of the files written (with the sources)
PARQUET_FORMAT = {"name": "geoconflict-events", "version": 1}

#: the flat columns, as :meth:`EventSet.site_table` names them
FLAT = (
    "event_id",
    "site_id",
    "site_name",
    "role",
    "facility",
    "lon",
    "lat",
    "radius_m",
    "precision",
    "method",
    "place",
    "country",
    "admin1",
    "admin2",
    "start",
    "end",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    *SUMMARY_COLUMNS,
    "summary",
)
_EXTRA_TEXT = ("phrase", "place_id", "tz", "time_phrase", "notes")
_FLOATS = (
    "lon",
    "lat",
    "radius_m",
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
)
_INTS = ("n_claims", "n_sources")


def _claim_fields() -> dict:
    """Every claim field (all kinds) -> 'str' / 'float' / 'int' / 'bool'."""
    out = {"type": "str"}
    for cls in CLAIM_TYPES.values():
        for f in dataclasses.fields(cls):
            t = str(f.type)
            kind = next((k for k in ("bool", "int", "float") if k in t), "str")
            out.setdefault(f.name, kind)
    return out


CLAIM_FIELDS = _claim_fields()


def _arrow():
    pa = import_optional_dependency("pyarrow", "GeoParquet files")
    return pa, import_optional_dependency("pyarrow.parquet", "GeoParquet files")


def _arrow_type(pa, kind):
    return {
        "str": pa.string(),
        "float": pa.float64(),
        "int": pa.int64(),
        "bool": pa.bool_(),
    }[kind]


def _strings(pa, values) -> object:
    return pa.array(np.asarray(values, dtype=object), pa.string(), from_pandas=True)


# --------------------------------------------------------------------------- write


def _flat_from_table(t: EventTable) -> dict:
    """Return the flat and extra columns of a columnar set (one row per event)."""
    cols = dict(t.site_columns())
    c = t.columns
    cols["radius_given"] = np.asarray(c["radius_m"], dtype=float)
    for k in _EXTRA_TEXT:
        cols[k] = c[k]
    cols["flags"] = c["flags"]
    cols["tags"] = c["tags"]
    cols["has_footprint"] = np.zeros(len(t), dtype=bool)
    lon, lat = np.asarray(c["lon"], float), np.asarray(c["lat"], float)
    geoms = _geom.points(lon, lat)
    geoms[np.isnan(lon) | np.isnan(lat)] = None
    cols["geometry"] = geoms
    return cols


def _external_map(pa, t: EventTable, n: int):
    keys = list(t.external)
    if not keys:
        return pa.array([[]] * n, pa.map_(pa.string(), pa.string()))
    stacked = np.stack([np.asarray(t.external[k], dtype=object) for k in keys], axis=1)
    present = stacked != None  # noqa: E711 (elementwise)
    r, k = np.nonzero(present)
    offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
    items = stacked[r, k]
    try:
        values = pa.array(items, pa.string(), from_pandas=True)
    except pa.ArrowTypeError:  # an id that is not text (set by hand): as text
        values = pa.array([str(v) for v in items], pa.string())
    return pa.MapArray.from_arrays(
        pa.array(offsets, pa.int32()),
        _strings(pa, np.asarray(keys, dtype=object)[k]),
        values,
    )


def _claims_column(pa, t: EventTable, row_of_event: np.ndarray, n_rows: int):
    """Return the ``claims`` list column: each event's claims on its first row."""
    ev, blk, j = t.claim_order()
    m = len(ev)
    values = {f: np.full(m, None, dtype=object) for f in CLAIM_FIELDS}
    for k, b in enumerate(t.claims):
        sel = np.flatnonzero(blk == k)
        if not len(sel):
            continue
        if b.kind is None:
            for s in sel:
                for f, v in b.value("claim", int(j[s])).to_dict().items():
                    values[f][s] = v
            continue
        values["type"][sel] = b.kind.type
        names = [f.name for f in dataclasses.fields(b.kind)]
        for f in names:
            if f not in b.fields:
                default = next(
                    x.default for x in dataclasses.fields(b.kind) if x.name == f
                )
                values[f][sel] = default
                continue
            v = b.fields[f]
            values[f][sel] = v[j[sel]] if isinstance(v, np.ndarray) else v
    arrays = []
    for f, kind in CLAIM_FIELDS.items():
        vals = values[f]
        present = vals != None  # noqa: E711 (elementwise)
        typ = _arrow_type(pa, kind)
        if not present.any():
            arrays.append(pa.nulls(m, typ))
        elif kind == "float":
            x = np.full(m, np.nan)
            x[present] = vals[present].astype(float)
            arrays.append(pa.array(x, pa.float64(), mask=~present))
        elif kind == "str":
            arrays.append(pa.array(vals, pa.string(), from_pandas=True))
        else:
            arrays.append(pa.array(vals.tolist(), typ))
    struct = pa.StructArray.from_arrays(arrays, names=list(CLAIM_FIELDS))
    counts = (
        np.bincount(row_of_event[ev], minlength=n_rows) if m else np.zeros(n_rows, int)
    )
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), struct)


_GEOM_NAMES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint",
               5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}  # fmt: skip


def _geo_metadata(geoms) -> dict:
    """GeoParquet 1.0 metadata of the WKB ``geometry`` column (EPSG:4326, lon/lat)."""
    ids = sorted(set(_geom.type_ids(geoms).tolist()) - {-1})
    pyproj = import_optional_dependency("pyproj")
    return {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": [_GEOM_NAMES[k] for k in ids],
                "crs": pyproj.CRS("EPSG:4326").to_json_dict(),
            }
        },
    }


def event_arrow(event_set: EventSet):
    """Return the events as a pyarrow Table: the columns :func:`write_parquet` writes."""
    pa, _ = _arrow()
    try:
        t = event_set.table
    except ValueError:  # several sites, footprints or time zones: per event
        t = None
    if t is not None:
        cols = _flat_from_table(t)
        n = len(t)
        ext = _external_map(pa, t, n)
        claims = _claims_column(pa, t, np.arange(n), n)
    else:
        cols, ext, claims = _flat_from_events(pa, event_set)
    geoms = np.asarray(cols.pop("geometry"), dtype=object)
    fields, names = [], []
    for k in (*FLAT, "radius_given", *_EXTRA_TEXT, "has_footprint"):
        v = cols[k]
        if k in _FLOATS or k == "radius_given":
            arr = pa.array(np.asarray(v, dtype=float), pa.float64())
        elif k in _INTS:
            arr = pa.array(np.asarray(v, dtype=np.int64), pa.int64())
        elif k == "has_footprint":
            arr = pa.array(np.asarray(v, dtype=bool), pa.bool_())
        else:
            arr = _strings(pa, v)
        fields.append(arr)
        names.append(k)
    for k in ("flags", "tags"):
        fields.append(pa.array(list(cols[k]), pa.list_(pa.string())))
        names.append(k)
    fields += [ext, claims]
    names += ["external_ids", "claims"]
    fields.append(pa.array(_geom.to_wkb(geoms), pa.binary()))
    names.append("geometry")
    meta = {b"geo": json.dumps(_geo_metadata(geoms)).encode()}
    return pa.Table.from_arrays(fields, names=names).replace_schema_metadata(meta)


def _sources_json(event_set: EventSet) -> list:
    return [strict_json(s.to_dict()) for s in event_set.sources.values()]


def write_parquet(event_set: EventSet, path: PathLike) -> Path:
    """Write an EventSet as GeoParquet (lossless; see the module's description).

    One row per (event, site) with the flat columns of
    :meth:`~geoconflict.events.eventset.EventSet.site_table` and the WKB
    ``geometry`` (lon/lat degrees, WGS84); claims nested on each event's first
    row; sources in the file's metadata.  A columnar set is written from its
    columns (no Python loop over the events).

    Examples
    --------
    >>> import tempfile, os
    >>> from geoconflict.io.events import load_example
    >>> p = write_parquet(load_example(), os.path.join(tempfile.mkdtemp(), "e.parquet"))
    >>> len(read_parquet(p))
    9
    """
    _, pq = _arrow()
    path = Path(path)
    table = event_arrow(event_set)
    meta = dict(table.schema.metadata)
    meta[b"geoconflict"] = json.dumps(
        {**PARQUET_FORMAT, "sources": _sources_json(event_set)}, ensure_ascii=False
    ).encode()
    pq.write_table(table.replace_schema_metadata(meta), str(path), compression="zstd")
    return path


def _flat_from_events(pa, event_set: EventSet):
    """Flat columns, external ids and claims of any events (a Python loop)."""
    rows = event_set.site_table()
    cols = {k: [r[k] for r in rows] for k in FLAT}
    extra = {
        k: [] for k in ("radius_given", *_EXTRA_TEXT, "flags", "tags", "has_footprint")
    }
    ext, claims = [], []
    for e in event_set:
        for n, s in enumerate(e.sites):
            loc = s.location
            extra["radius_given"].append(
                np.nan if loc.radius_m is None else loc.radius_m
            )
            extra["phrase"].append(loc.phrase)
            extra["place_id"].append(loc.place_id)
            extra["tz"].append(e.time.tz)
            extra["time_phrase"].append(e.time.phrase)
            extra["notes"].append(e.notes)
            extra["flags"].append(list(loc.flags))
            extra["tags"].append(list(e.tags))
            extra["has_footprint"].append(loc.footprint is not None)
            ext.append(
                [(k, str(v)) for k, v in e.external_ids.items()] if n == 0 else []
            )
            claims.append([c.to_dict() for c in e.claims] if n == 0 else [])
    cols.update(extra)
    cols["start"] = [e.time.start.isoformat() for e in event_set for _ in e.sites]
    cols["end"] = [e.time.end.isoformat() for e in event_set for _ in e.sites]
    cols["geometry"] = np.array([r["geometry"] for r in rows], dtype=object)
    struct = pa.struct([(f, _arrow_type(pa, k)) for f, k in CLAIM_FIELDS.items()])
    claims_arr = pa.array(
        [[{f: c.get(f) for f in CLAIM_FIELDS} for c in cl] for cl in claims],
        pa.list_(struct),
    )
    return cols, pa.array(ext, pa.map_(pa.string(), pa.string())), claims_arr


# --------------------------------------------------------------------------- read


def read_parquet(path: PathLike) -> EventSet:
    """Read events written by :func:`write_parquet` (or ``write_events(..., ".parquet")``).

    Returns
    -------
    EventSet
        The same events, sources and claims; files of single-site point events
        with naive times come back as columns.

    Raises
    ------
    DataFormatError
        Not a Parquet file, or not one geoconflict wrote (read other GeoParquet
        with ``geopandas.read_parquet`` and :meth:`EventSet.from_geodataframe`).
    """
    pa, pq = _arrow()
    try:
        table = pq.read_table(str(path))
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataFormatError(
            f"not a readable Parquet file: {exc}", path=str(path)
        ) from None
    meta = table.schema.metadata or {}
    if b"geoconflict" not in meta:
        raise DataFormatError(
            "this Parquet file was not written by geoconflict (no 'geoconflict' "
            "metadata); read it with geopandas.read_parquet and "
            "EventSet.from_geodataframe",
            path=str(path),
        )
    info = json.loads(meta[b"geoconflict"])
    sources = [Source.from_dict(s) for s in info.get("sources") or []]
    return events_from_arrow(table, sources)


def events_from_arrow(table, sources: list) -> EventSet:
    """Build an EventSet from a Table with the columns of :func:`event_arrow`."""
    pa, _ = _arrow()
    col = {name: table.column(name).combine_chunks() for name in table.column_names}
    n = table.num_rows
    pc = import_optional_dependency("pyarrow.compute")
    zone = r"(T.*([+-][0-9]{2}:?[0-9]{2})|Z)$"
    naive = not any(
        pc.any(pc.match_substring_regex(col[k], zone)).as_py() for k in ("start", "end")
    )
    single = pc.count_distinct(col["event_id"]).as_py() == n
    points = not np.asarray(col["has_footprint"].to_numpy(zero_copy_only=False)).any()
    if single and points and naive:
        return EventSet.from_table(_table_from_columns(pa, col, n), sources)
    return EventSet(_events_from_columns(col), sources)


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _obj(arr) -> np.ndarray:
    if str(arr.type).startswith(("int", "bool")):  # nullable: keep ints, bools, None
        out = np.empty(len(arr), dtype=object)
        out[:] = arr.to_pylist()
        return out
    out = np.asarray(_np(arr), dtype=object)
    if arr.null_count:
        out[_np(arr.is_null())] = None
    return out


def _lists(arr, n: int) -> np.ndarray:
    """Return a list<string> column as an object array of lists (None: empty)."""
    out = np.full(n, None, dtype=object)
    lengths = _np(arr.value_lengths().fill_null(0))
    offsets = _np(arr.offsets)
    values = _obj(arr.values)
    for i in np.flatnonzero(lengths):
        out[i] = values[offsets[i] : offsets[i + 1]].tolist()
    return out


def _table_from_columns(pa, col: dict, n: int) -> EventTable:
    cols = {
        "id": _obj(col["event_id"]),
        "start": np.array(_np(col["start"]), dtype="datetime64[us]"),
        "end": np.array(_np(col["end"]), dtype="datetime64[us]"),
        "radius_m": _np(col["radius_given"]).astype(float),
        "flags": _lists(col["flags"], n),
        "tags": _lists(col["tags"], n),
    }
    for k in ("lon", "lat"):
        cols[k] = _np(col[k]).astype(float)
    for k in COLUMNS:
        if k not in cols:
            cols[k] = _obj(col[k])
    summary = {k: _np(col[k]) for k in SUMMARY_COLUMNS}
    summary["attribution_status"] = _obj(col["attribution_status"])
    # external ids: one column per key
    ext_arr = col["external_ids"]
    lengths = np.diff(_np(ext_arr.offsets))
    owner = np.repeat(np.arange(n), lengths)
    keys = _obj(ext_arr.keys)
    items = _obj(ext_arr.items)
    external = {}
    for k in dict.fromkeys(keys.tolist()):
        sel = keys == k
        column = np.full(n, None, dtype=object)
        column[owner[sel]] = items[sel]
        external[k] = column
    # claims: one block per kind, each claim's place in its event's list kept
    cl = col["claims"]
    lengths = _np(cl.value_lengths().fill_null(0))
    ev = np.repeat(np.arange(n), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)])[:-1]
    order = np.arange(len(ev)) - np.repeat(starts, lengths)
    flat = cl.flatten()
    kinds = _obj(flat.field("type")) if len(ev) else np.empty(0, dtype=object)
    blocks = []
    for kind_name in dict.fromkeys(kinds.tolist()):
        kind = CLAIM_TYPES.get(kind_name)
        if kind is None:
            raise DataFormatError(
                f"unknown claim type {kind_name!r} in the claims column"
            )
        sel = np.flatnonzero(kinds == kind_name)
        fields = {}
        for f in dataclasses.fields(kind):
            fields[f.name] = _obj(flat.field(f.name))[sel]
        blocks.append(ClaimBlock(kind, ev[sel], fields, order[sel]))
    return EventTable(cols, blocks, external, summary)


def _events_from_columns(col: dict) -> list:
    """Events with several sites, footprints or time zones: built one by one."""
    rows = {k: v.to_pylist() for k, v in col.items()}
    geoms = _geom.from_wkb(np.asarray(rows["geometry"], dtype=object))
    events: list = []
    by_id: dict = {}
    for i, eid in enumerate(rows["event_id"]):
        site = {
            "id": rows["site_id"][i],
            "name": rows["site_name"][i],
            "role": rows["role"][i],
            "facility": rows["facility"][i],
            "location": {
                "lon": rows["lon"][i],
                "lat": rows["lat"][i],
                "precision": rows["precision"][i],
                "radius_m": rows["radius_given"][i],
                "footprint": geoms[i] if rows["has_footprint"][i] else None,
                "phrase": rows["phrase"][i],
                "method": rows["method"][i],
                "place": rows["place"][i],
                "place_id": rows["place_id"][i],
                "country": rows["country"][i],
                "admin1": rows["admin1"][i],
                "admin2": rows["admin2"][i],
                "flags": rows["flags"][i] or [],
            },
        }
        if eid in by_id:
            by_id[eid]["sites"].append(site)
            continue
        d = {
            "id": eid,
            "category": {
                k: rows[k][i] for k in ("disorder_type", "event_type", "sub_event_type")
            },
            "time": {
                "start": rows["start"][i],
                "end": rows["end"][i],
                "precision": rows["time_precision"][i],
                "tz": rows["tz"][i],
                "phrase": rows["time_phrase"][i],
            },
            "sites": [site],
            "claims": [
                {k: v for k, v in c.items() if k in _fields_of(c["type"])}
                for c in rows["claims"][i] or []
            ],
            "summary": rows["summary"][i],
            "tags": rows["tags"][i] or [],
            "external_ids": dict(rows["external_ids"][i] or []),
            "notes": rows["notes"][i],
        }
        by_id[eid] = d
        events.append(d)
    out = []
    for d in events:
        for s in d["sites"]:
            loc = s["location"]
            for k in ("lon", "lat", "radius_m"):
                if loc[k] is not None and loc[k] != loc[k]:
                    loc[k] = None
        fps = [s["location"].pop("footprint") for s in d["sites"]]
        ev = Event.from_dict(d)
        for s, fp in zip(ev.sites, fps):
            if fp is not None:
                s.location.footprint = fp
        out.append(ev)
    return out


def _fields_of(kind: str) -> set:
    cls = CLAIM_TYPES.get(kind)
    if cls is None:
        raise DataFormatError(f"unknown claim type {kind!r} in the claims column")
    return {"type"} | {f.name for f in dataclasses.fields(cls)}


# --------------------------------------------------------------------------- GeoPackage

#: side tables of a GeoPackage written from columns (claims, sources)
GPKG_CLAIMS = "geoconflict_claims"
GPKG_SOURCES = "geoconflict_sources"
#: a row written by :func:`write_gpkg` has this column set (rows added in a GIS do not)
GPKG_MARKER = "has_footprint"
_EXT_PREFIX = "ext:"


def _json_lists(pa, arr):
    vals = arr.to_pylist()
    return pa.array(
        [json.dumps(v, ensure_ascii=False) if v else None for v in vals], pa.string()
    )


def write_gpkg(event_set: EventSet, path: PathLike) -> Path:
    """Write a GeoPackage with the claims and sources in their own tables.

    The main layer (named after the file) has one row per (event, site): the
    flat columns, the columns :func:`write_parquet` adds (lists as JSON text) and
    one ``ext:KEY`` column per external id; ``geoconflict_claims`` holds one row
    per claim (``event_id``, ``position``, ``type`` and the claim's fields) and
    ``geoconflict_sources`` the sources.  Lon/lat degrees, EPSG:4326.
    """
    pa, _ = _arrow()
    pyogrio = import_optional_dependency("pyogrio", "writing GeoPackage files")
    path = Path(path)
    t = event_arrow(event_set)
    names = [
        c
        for c in t.column_names
        if c not in ("external_ids", "claims", "flags", "tags")
    ]
    main = t.select(names)
    for k in ("flags", "tags"):
        main = main.append_column(k, _json_lists(pa, t.column(k).combine_chunks()))
    ext = t.column("external_ids").combine_chunks()
    n = t.num_rows
    lengths = np.diff(ext.offsets.to_numpy())
    owner = np.repeat(np.arange(n), lengths)
    keys = np.asarray(ext.keys.to_numpy(zero_copy_only=False), dtype=object)
    items = np.asarray(ext.items.to_numpy(zero_copy_only=False), dtype=object)
    for k in dict.fromkeys(keys.tolist()):
        sel = keys == k
        column = np.full(n, None, dtype=object)
        column[owner[sel]] = items[sel]
        main = main.append_column(_EXT_PREFIX + k, _strings(pa, column))
    geo = json.loads(t.schema.metadata[b"geo"])["columns"]["geometry"]["geometry_types"]
    if path.exists():
        path.unlink()
    pyogrio.write_arrow(
        main.replace_schema_metadata(None),
        str(path),
        layer=path.stem,
        driver="GPKG",
        geometry_name="geometry",
        geometry_type=geo[0] if len(geo) == 1 else "Unknown",
        crs="EPSG:4326",
    )
    cl = t.column("claims").combine_chunks()
    lengths = np.diff(cl.offsets.to_numpy())
    starts = np.concatenate([[0], np.cumsum(lengths)])[:-1]
    ids = np.asarray(t.column("event_id").to_numpy(), dtype=object)
    flat = cl.flatten()
    claims = pa.table(
        {
            "event_id": _strings(pa, np.repeat(ids, lengths)),
            "position": pa.array(
                np.arange(len(flat)) - np.repeat(starts, lengths), pa.int64()
            ),
            **{f: flat.field(f) for f in CLAIM_FIELDS},
        }
    )
    pyogrio.write_arrow(claims, str(path), layer=GPKG_CLAIMS, driver="GPKG")
    src_fields = [f.name for f in dataclasses.fields(Source)]
    srcs = [s.to_dict() for s in event_set.sources.values()]
    sources = pa.table(
        {f: pa.array([s.get(f) for s in srcs], pa.string()) for f in src_fields}
    )
    pyogrio.write_arrow(sources, str(path), layer=GPKG_SOURCES, driver="GPKG")
    return path


def gpkg_tables(path, layer: str):
    """Read a GeoPackage written by :func:`write_gpkg`: (main Table, marker mask, sources).

    The main layer comes back with the columns of :func:`event_arrow` for the rows
    :func:`write_gpkg` wrote (``mask`` True); rows added in a GIS (``mask``
    False) are for the plain reader.
    """
    pa, _ = _arrow()
    pc = import_optional_dependency("pyarrow.compute")
    pyogrio = import_optional_dependency("pyogrio", "reading GeoPackage files")
    meta, main = pyogrio.read_arrow(str(path), layer=layer)
    gname = meta.get("geometry_name") or "geometry"
    if gname in main.column_names and gname != "geometry":
        main = main.rename_columns(
            ["geometry" if c == gname else c for c in main.column_names]
        )
    mask = (
        main.column(GPKG_MARKER)
        .combine_chunks()
        .is_valid()
        .to_numpy(zero_copy_only=False)
    )
    _, claims = pyogrio.read_arrow(str(path), layer=GPKG_CLAIMS)
    _, sources = pyogrio.read_arrow(str(path), layer=GPKG_SOURCES)
    ours = main.filter(pa.array(mask))
    n = ours.num_rows
    ids = np.asarray(ours.column("event_id").to_numpy(), dtype=object)
    first = np.ones(n, dtype=bool)
    first[1:] = ids[1:] != ids[:-1]
    # external ids back into a map on each event's first row
    ext_cols = [c for c in ours.column_names if c.startswith(_EXT_PREFIX)]
    if ext_cols:
        stacked = np.stack(
            [
                np.asarray(ours.column(c).to_numpy(zero_copy_only=False), dtype=object)
                for c in ext_cols
            ],
            axis=1,
        )
        present = (stacked != None) & first[:, None]  # noqa: E711
        r, k = np.nonzero(present)
        offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
        ext = pa.MapArray.from_arrays(
            pa.array(offsets, pa.int32()),
            _strings(
                pa,
                np.asarray([c[len(_EXT_PREFIX) :] for c in ext_cols], dtype=object)[k],
            ),
            _strings(pa, stacked[r, k]),
        )
    else:
        ext = pa.array([[]] * n, pa.map_(pa.string(), pa.string()))
    # claims back into a list on each event's first row, in their order
    c_ids = np.asarray(
        claims.column("event_id").to_numpy(zero_copy_only=False), dtype=object
    )
    row_of = {eid: i for i, eid in enumerate(ids.tolist()) if first[i]}
    c_rows = np.array([row_of.get(e, -1) for e in c_ids], dtype=np.int64)
    if (c_rows < 0).any():
        raise DataFormatError(
            f"{GPKG_CLAIMS} names events the main layer lacks: "
            f"{sorted(set(c_ids[c_rows < 0].tolist()))[:5]}",
            path=str(path),
        )
    order = np.lexsort((claims.column("position").to_numpy(), c_rows))
    claims = claims.take(pa.array(order))
    counts = np.bincount(c_rows[order], minlength=n) if len(order) else np.zeros(n, int)
    struct = pa.StructArray.from_arrays(
        [
            claims.column(f).combine_chunks().cast(_arrow_type(pa, k))
            for f, k in CLAIM_FIELDS.items()
        ],
        names=list(CLAIM_FIELDS),
    )
    claim_lists = pa.ListArray.from_arrays(
        pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)), struct
    )
    cols = {}
    for c in ours.column_names:
        if c.startswith(_EXT_PREFIX):
            continue
        cols[c] = ours.column(c).combine_chunks()
    for k in ("flags", "tags"):
        vals = cols[k].to_pylist()
        cols[k] = pa.array(
            [json.loads(v) if v else [] for v in vals], pa.list_(pa.string())
        )
    cols["has_footprint"] = pc.cast(cols["has_footprint"], pa.bool_())
    cols["external_ids"] = ext
    cols["claims"] = claim_lists
    table = pa.table(cols)
    srcs = [
        Source.from_dict({k: v for k, v in row.items() if v is not None})
        for row in sources.to_pylist()
    ]
    return table, mask, srcs
