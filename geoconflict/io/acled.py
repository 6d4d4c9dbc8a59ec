"""Read ACLED exports (CSV, API JSON, XLSX) into an EventSet.

Coordinates are (lon, lat) in degrees on WGS84.  Every data row becomes an event
or a line of ``EventSet.rejected`` (see :mod:`geoconflict.io.events`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np

from geoconflict.errors import DataFormatError
from geoconflict.events.claims import AttributionClaim, CasualtyClaim, Source
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event, Rejected
from geoconflict.events.rejected import RowError
from geoconflict.events.sites import Location, Site
from geoconflict.events.table import COLUMNS, ClaimBlock, EventTable
from geoconflict.io._columns import (
    Renumber,
    columns_available,
    csv_batches,
    decimal,
    iso_day,
    odd_edges,
    pyarrow_modules,
    to_numpy,
    trimmed,
)
from geoconflict.io._rows import (
    PathLike,
    count,
    country_code,
    csv_rows,
    empty,
    int_code,
    num,
    parse_date,
    read_json,
    read_text,
    require,
    rows_from_xlsx,
    run_rows,
)
from geoconflict.io.validate import check_point, country_check, country_pass

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_GEO_PRECISION",
    "ACLED_SOURCE",
    "ACLED_TIME_PRECISION",
    "read_acled",
]

#: ACLED's current export layout (31 lower-case columns)
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
_ACLED_REQUIRED = (
    "event_id_cnty",
    "event_date",
    "latitude",
    "longitude",
    "geo_precision",
)

#: ACLED geo_precision -> precision level (1: the town; 2: near the town / a
#: small area; 3: only the province or a larger region is known)
ACLED_GEO_PRECISION = {1: "settlement", 2: "near_settlement", 3: "province"}
#: ACLED time_precision -> time precision (1: day; 2: within a week; 3: the month)
ACLED_TIME_PRECISION = {1: "day", 2: "week", 3: "month"}


ACLED_SOURCE = Source(
    "acled",
    "ACLED (Armed Conflict Location & Event Data)",
    kind="dataset",
    url="https://acleddata.com",
)


def _acled_event(path, row: dict, rejected: Rejected, rownum: int) -> Event:
    eid = row["event_id_cnty"].strip()
    country = country_code(row.get("iso"), row.get("country"))
    lat = num(row.get("latitude"), "latitude", required=True)
    lon = num(row.get("longitude"), "longitude", required=True)
    check_point(lon, lat, country)
    precision = int_code(row.get("geo_precision"), "geo_precision", ACLED_GEO_PRECISION)
    tp = row.get("time_precision")
    tprec = (
        "day"
        if empty(tp) is None
        else int_code(tp, "time_precision", ACLED_TIME_PRECISION)
    )
    time = parse_date(row.get("event_date"), "event_date", precision=tprec)
    cat = Category(
        empty(row.get("disorder_type")),
        empty(row.get("event_type")),
        empty(row.get("sub_event_type")),
    )
    for problem in cat.validate():
        rejected.add(
            path, rownum, "event_type", cat.event_type, problem, action="flagged"
        )
    claims: list = []
    outlets = empty(row.get("source"))
    n = count(row.get("fatalities"), "fatalities", whole=True)
    if n is not None:
        claims.append(
            CasualtyClaim(
                "acled",
                "killed",
                best=n,
                note="ACLED fatalities: a conservative estimate"
                + (f"; ACLED sources: {outlets}" if outlets else ""),
            )
        )
    actor1 = empty(row.get("actor1"))
    if (
        actor1
        and cat.disorder_type
        and "Political violence" in cat.disorder_type
        and not actor1.lower().startswith("unidentified")
    ):
        claims.append(
            AttributionClaim(
                "acled",
                actor1,
                "accused",
                note="ACLED actor1 coding"
                + (f" (sources: {outlets})" if outlets else ""),
            )
        )
    loc = Location(
        lon,
        lat,
        precision,
        method="dataset",
        place=empty(row.get("location")),
        country=country or empty(row.get("country")),
        admin1=empty(row.get("admin1")),
        admin2=empty(row.get("admin2")),
        phrase=empty(row.get("location")),
    )
    tags = [t.strip() for t in (row.get("tags") or "").split(";") if t.strip()]
    ext = {"acled": eid}
    for k in (
        "actor1",
        "actor2",
        "assoc_actor_1",
        "assoc_actor_2",
        "source",
        "source_scale",
        "timestamp",
        "admin3",
        "interaction",
        "civilian_targeting",
    ):
        v = empty(row.get(k))
        if v is not None:
            ext[f"acled:{k}"] = v
    return Event(
        id=eid,
        time=time,
        sites=[Site("s1", loc, role="target", name=empty(row.get("location")))],
        claims=claims,
        category=cat,
        summary=None,
        tags=tags,
        external_ids=ext,
        notes=row.get("notes") or None,
    )


def _rows_from_json(
    path, text: str, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    data = read_json(path, text)
    if isinstance(data, dict):
        if data.get("success") is False or "error" in data:
            raise DataFormatError(
                f"the API response reports an error: {data.get('error') or data}",
                path=str(path),
            )
        data = data.get("data")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataFormatError(
            "expected ACLED API JSON: an object with a 'data' list of rows (or a list of rows)",
            path=str(path),
        )
    rows = []
    for i, r in enumerate(data, start=1):
        row = {str(k).lower(): ("" if v is None else str(v)) for k, v in r.items()}
        if not any(v.strip() for v in row.values()):
            rejected.add(path, i, None, "", "empty row (every field is empty)")
        else:
            rows.append((i, row))
    header = sorted({k for _, r in rows for k in r})
    return header, rows


def _tabular(path, fmt: Optional[str], encoding, what: str, rejected: Rejected):
    suffix = Path(path).suffix.lower()
    fmt = fmt or {".json": "json", ".xlsx": "xlsx"}.get(suffix, "csv")
    if fmt == "xlsx":
        return rows_from_xlsx(path, rejected)
    text = read_text(path, what, encoding)
    if fmt == "json":
        return _rows_from_json(path, text, rejected)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; use 'csv', 'json' or 'xlsx'")
    header, rows = csv_rows(path, text, rejected)
    return header, rows


_EXT_KEYS = (
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "source",
    "source_scale",
    "timestamp",
    "admin3",
    "interaction",
    "civilian_targeting",
)
_CASUALTY_NOTE = "ACLED fatalities: a conservative estimate"
_ATTRIBUTION_NOTE = "ACLED actor1 coding"


def _tags(text) -> list:
    return [t.strip() for t in (text or "").split(";") if t.strip()]


class _Cells:
    """The columns of one batch, trimmed and dictionary-coded on first use."""

    def __init__(self, batch, header: list) -> None:
        self.pa, self.pc, _ = pyarrow_modules()
        self.batch = batch
        self.n = len(batch)
        self.where = {h: k for k, h in enumerate(header)}  # the last of equal names
        self._coded: dict = {}
        self._trimmed: dict = {}

    def raw(self, name):
        k = self.where.get(name)
        return None if k is None else self.batch.columns[k]

    def trimmed(self, name):
        if name not in self._trimmed:
            a = self.raw(name)
            if a is None:
                a = self.pa.array([""] * self.n, self.pa.string())
            self._trimmed[name] = trimmed(self.pc, a)
        return self._trimmed[name]

    def coded(self, name, raw: bool = False):
        """(codes, values): values[codes] are the cells (trimmed, "" -> None)."""
        key = (name, raw)
        if key not in self._coded:
            a = self.raw(name) if raw else self.trimmed(name)
            if a is None:
                codes, values = np.zeros(self.n, dtype=np.int64), np.array([None])
            else:
                enc = self.pc.dictionary_encode(a)
                values = np.empty(len(enc.dictionary), dtype=object)
                values[:] = enc.dictionary.to_pylist()
                values[values == ""] = None
                codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
                if not len(values):
                    values = np.array([None], dtype=object)
            self._coded[key] = (codes, values)
        return self._coded[key]

    def text(self, name, raw: bool = False) -> np.ndarray:
        codes, values = self.coded(name, raw)
        return values[codes]

    def per_value(self, fn, *names) -> np.ndarray:
        """``fn(*cells)`` per row, computed once per distinct combination of cells."""
        key = np.zeros(self.n, dtype=np.int64)
        parts = [self.coded(nm) for nm in names]
        for codes, values in parts:
            key = key * len(values) + codes
        uniq, first, inv = np.unique(key, return_index=True, return_inverse=True)
        out = np.empty(len(uniq), dtype=object)
        out[:] = [fn(*(v[c[i]] for c, v in parts)) for i in first]
        return out[inv]


def _country(iso, country):
    return country_code(iso, country) or country


def _accused(disorder, actor1) -> bool:
    return bool(
        actor1
        and disorder
        and "Political violence" in disorder
        and not actor1.lower().startswith("unidentified")
    )


def _acled_batch(path, batch, header: list, slow_rows: list) -> dict:
    """Columns of one batch of rows; rows the columns cannot read join `slow_rows`.

    A row is read here only when each cell it uses is in the form whose meaning
    the row-wise parsers give the same way (see :mod:`geoconflict.io._columns`);
    every other row goes to `slow_rows` as ``(row number, dict)``.
    """
    cells = _Cells(batch, header)
    pa, pc, n = cells.pa, cells.pc, cells.n
    slow = np.zeros(n, dtype=bool)
    if batch.odd:
        for a in batch.columns:
            slow |= odd_edges(pc, a)
    eid = cells.text("event_id_cnty")
    lat, ok_lat = decimal(pa, pc, cells.trimmed("latitude"))
    lon, ok_lon = decimal(pa, pc, cells.trimmed("longitude"))
    with np.errstate(invalid="ignore"):
        ok_pt = (
            ok_lat
            & ok_lon
            & np.isfinite(lat)
            & np.isfinite(lon)
            & (np.abs(lat) <= 90)
            & (np.abs(lon) <= 180)
            & ~((lat == 0) & (lon == 0))
        )
    geo = cells.per_value(
        lambda v: ACLED_GEO_PRECISION.get(int(v)) if v in ("1", "2", "3") else None,
        "geo_precision",
    )
    tprec = cells.per_value(
        lambda v: (
            "day"
            if v is None
            else (ACLED_TIME_PRECISION.get(int(v)) if v in ("1", "2", "3") else None)
        ),
        "time_precision",
    )
    day, ok_day = iso_day(pa, pc, cells.trimmed("event_date"))
    fat = cells.text("fatalities")
    has_fat = fat != None  # noqa: E711 (elementwise)
    fat_ok = ~has_fat | to_numpy(
        pc.match_substring_regex(cells.trimmed("fatalities"), r"^[0-9]+$")
    )
    best = np.full(n, np.nan)
    good_fat = has_fat & fat_ok
    best[good_fat] = fat[good_fat].astype(float)
    fast = (
        ~slow
        & (eid != None)  # noqa: E711
        & ok_pt
        & (geo != None)  # noqa: E711
        & (tprec != None)  # noqa: E711
        & ok_day
        & fat_ok
    )
    for k in np.flatnonzero(~fast):
        k = int(k)
        row = {h: batch.columns[j][k].as_py() for j, h in enumerate(header)}
        slow_rows.append((int(batch.rows[k]), row))
    idx = np.flatnonzero(fast)
    nn = len(idx)
    d = day[idx]
    prec = tprec[idx]
    start = d.astype("datetime64[us]")
    end = (d + 1).astype("datetime64[us]")
    week = prec == "week"
    end[week] = (d[week] + 7).astype("datetime64[us]")
    month = prec == "month"
    m = d[month].astype("datetime64[M]")
    start[month] = m.astype("datetime64[us]")
    end[month] = (m + 1).astype("datetime64[us]")
    problems = cells.per_value(
        lambda a, b, c: Category(a, b, c).validate() or None,
        "disorder_type",
        "event_type",
        "sub_event_type",
    )[idx]
    place = cells.text("location")[idx]
    notes = cells.text("notes", raw=True)[idx]
    tags = cells.per_value(lambda t: _tags(t) or None, "tags")[idx]
    none = np.full(nn, None, dtype=object)
    return {
        "rows": batch.rows[idx],
        "problems": problems,
        "best": best[idx],
        "has_att": cells.per_value(_accused, "disorder_type", "actor1")[idx].astype(
            bool
        ),
        "cas_note": cells.per_value(
            lambda o: _CASUALTY_NOTE + (f"; ACLED sources: {o}" if o else ""), "source"
        )[idx],
        "att_note": cells.per_value(
            lambda o: _ATTRIBUTION_NOTE + (f" (sources: {o})" if o else ""), "source"
        )[idx],
        "actor1": cells.text("actor1")[idx],
        "ext": {"acled": eid[idx]}
        | {f"acled:{k}": cells.text(k)[idx] for k in _EXT_KEYS},
        "columns": {
            "id": eid[idx],
            "start": start,
            "end": end,
            "time_precision": prec,
            "tz": none,
            "time_phrase": none,
            "disorder_type": cells.text("disorder_type")[idx],
            "event_type": cells.text("event_type")[idx],
            "sub_event_type": cells.text("sub_event_type")[idx],
            "summary": none,
            "tags": tags,
            "notes": notes,
            "site_id": np.full(nn, "s1", dtype=object),
            "site_name": place,
            "role": np.full(nn, "target", dtype=object),
            "facility": none,
            "lon": lon[idx],
            "lat": lat[idx],
            "radius_m": np.full(nn, np.nan),
            "precision": geo[idx],
            "method": np.full(nn, "dataset", dtype=object),
            "phrase": place,
            "place": place,
            "place_id": none,
            "country": cells.per_value(_country, "iso", "country")[idx],
            "admin1": cells.text("admin1")[idx],
            "admin2": cells.text("admin2")[idx],
            "flags": none.copy(),
        },
    }


def _acled_table(parts: list) -> EventTable:
    """One EventTable from the batches' columns, with ACLED's claims as blocks."""
    cols = {k: np.concatenate([p["columns"][k] for p in parts]) for k in COLUMNS}
    n = len(cols["id"])
    best = np.concatenate([p["best"] for p in parts])
    has_att = np.concatenate([p["has_att"] for p in parts])
    actor1 = np.concatenate([p["actor1"] for p in parts])
    cas_note = np.concatenate([p["cas_note"] for p in parts])
    att_note = np.concatenate([p["att_note"] for p in parts])
    has_cas = ~np.isnan(best)
    cas = np.flatnonzero(has_cas)
    att = np.flatnonzero(has_att)
    blocks = [
        ClaimBlock(
            CasualtyClaim,
            cas,
            {
                "source": "acled",
                "outcome": "killed",
                "best": best[cas],
                "note": cas_note[cas],
            },
        ),
        ClaimBlock(
            AttributionClaim,
            att,
            {
                "source": "acled",
                "actor": actor1[att],
                "stance": "accused",
                "note": att_note[att],
            },
        ),
    ]
    ext = {k: np.concatenate([p["ext"][k] for p in parts]) for k in parts[0]["ext"]}
    n_claims = has_cas.astype(int) + has_att.astype(int)
    summary = {
        "killed_min": best.copy(),
        "killed_max": best.copy(),
        "wounded_min": np.full(n, np.nan),
        "wounded_max": np.full(n, np.nan),
        "attribution_status": np.where(has_att, "claimed", "unknown").astype(object),
        "n_claims": n_claims,
        "n_sources": (n_claims > 0).astype(int),
    }
    return EventTable(cols, blocks, ext, summary)


def _read_acled_columns(path, rejected: Rejected, progress) -> Optional[EventSet]:
    """Read an ACLED CSV by whole columns (None: the file must be read row-wise).

    The rows are accounted for exactly as the row-wise reader does: the
    problems of the file's records first (wrong number of fields, empty rows),
    then, row by row, missing and duplicate ids (the first row of an id that
    builds wins), the rows' own problems and category flags, then the country
    check of the kept points.
    """
    got = csv_batches(path, "an ACLED CSV file", rejected, progress)
    if got is None:
        return None
    header, batches = got
    require(path, header, _ACLED_REQUIRED, "ACLED")
    parts: list = []
    slow_rows: list = []
    try:
        for batch in batches:
            parts.append(_acled_batch(path, batch, header, slow_rows))
    except Renumber:
        return None
    if not parts:  # no data rows: nothing to read by columns
        return None
    # a row without an id is never read by columns: the empty ones are among these
    for r, row in slow_rows:
        if not any(str(v or "").strip() for v in row.values()):
            rejected.add(path, r, None, "", "empty row (every cell is empty)")
    rejected.sort(key=lambda e: e["row"])
    fast_rows = np.concatenate([p["rows"] for p in parts])
    problems = np.concatenate([p["problems"] for p in parts])
    # the rows the columns could not read, built (or reported) row-wise
    tries = {}
    for r, row in slow_rows:
        if not any(str(v or "").strip() for v in row.values()):
            continue
        rid = empty(row.get("event_id_cnty"))
        tmp = Rejected()
        ev = err = None
        if rid is not None:
            try:
                ev = _acled_event(path, row, tmp, r)
            except RowError as exc:
                err = (exc.column, exc.value, exc.reason)
            except (ValueError, TypeError, OverflowError) as exc:
                err = (None, rid, f"invalid row: {exc}")
        tries[r] = (rid, ev, tmp, err)
    slow = sorted(tries)
    all_rows = np.concatenate([fast_rows, np.array(slow, dtype=fast_rows.dtype)])
    n_fast = len(fast_rows)
    ids = np.concatenate(
        [
            np.concatenate([p["columns"]["id"] for p in parts]),
            np.array([tries[r][0] for r in slow], dtype=object),
        ]
    )
    built = np.concatenate(
        [np.ones(n_fast, bool), np.array([tries[r][1] is not None for r in slow], bool)]
    )
    # the first row of an id that builds wins; a later row of it is a duplicate
    pa, pc, _ = pyarrow_modules()
    enc = pc.dictionary_encode(pa.array(ids, pa.string()))
    codes = to_numpy(pc.fill_null(enc.indices, -1)).astype(np.int64)
    first_ok = np.full(len(enc.dictionary) + 1, np.iinfo(np.int64).max)
    np.minimum.at(first_ok, codes[built], all_rows[built])
    first = first_ok[codes]
    has_id = codes >= 0
    dup = has_id & (first < all_rows)
    keep = built & has_id & ~dup
    report = []  # (row, order, column, value, reason, action), row by row
    for j in np.flatnonzero(~has_id):
        report.append(
            (int(all_rows[j]), 0, "event_id_cnty", "", "missing id", "rejected")
        )
    for j in np.flatnonzero(dup):
        why = f"duplicate id (first seen at row {first[j]})"
        report.append((int(all_rows[j]), 0, "event_id_cnty", ids[j], why, "rejected"))
    flagged = np.flatnonzero(keep[:n_fast] & (problems != None))  # noqa: E711
    event_type = np.concatenate([p["columns"]["event_type"] for p in parts])
    for j in flagged:
        for k, problem in enumerate(problems[j]):
            report.append(
                (int(all_rows[j]), k, "event_type", event_type[j], problem, "flagged")
            )
    for j in np.flatnonzero(has_id[n_fast:] & ~dup[n_fast:]) + n_fast:
        r = int(all_rows[j])
        _, ev, tmp, err = tries[r]
        for k, e in enumerate(tmp):
            report.append((r, k, e["column"], e["value"], e["reason"], e["action"]))
        if err is not None:
            report.append((r, len(tmp), *err, "rejected"))
    for r, _, col, value, reason, action in sorted(report, key=lambda t: (t[0], t[1])):
        rejected.add(path, r, col, value, reason, action=action)
    table = _acled_table(parts).take(np.flatnonzero(keep[:n_fast]))
    rows = fast_rows[keep[:n_fast]]
    events = [
        tries[int(all_rows[j])][1] for j in np.flatnonzero(keep[n_fast:]) + n_fast
    ]
    if events:
        table = EventTable.concat([table, EventTable.from_events(events)])
        rows = np.concatenate([rows, all_rows[n_fast:][keep[n_fast:]]])
        order = np.argsort(rows, kind="stable")
        table, rows = table.take(order), rows[order]
    c = table.columns
    drop, flag = country_check(
        path, c["lon"], c["lat"], c["country"], c["precision"], rows, rejected
    )
    for i in np.flatnonzero(flag != None):  # noqa: E711 (elementwise)
        old = list(c["flags"][i] or [])
        c["flags"][i] = old + ([flag[i]] if flag[i] not in old else [])
    table = table.take(np.flatnonzero(~drop))
    return EventSet.from_table(table, [ACLED_SOURCE], rejected)


def read_acled(
    path: PathLike,
    *,
    format: Optional[str] = None,
    encoding: Optional[str] = None,
    engine: Optional[str] = None,
    progress: Optional[bool] = None,
) -> EventSet:
    r"""Read an ACLED export (CSV, API JSON or XLSX) into an EventSet.

    The current 31-column layout with lower-case headers is expected (extra
    columns are ignored; ``event_id_cnty``, ``event_date``, ``latitude``,
    ``longitude`` and ``geo_precision`` are required).  ``geo_precision`` and
    ``time_precision`` 1/2/3 map to :data:`ACLED_GEO_PRECISION` and
    :data:`ACLED_TIME_PRECISION`; ``fatalities`` becomes a casualty claim by the
    source ``"acled"`` (ACLED's conservative estimate); ``notes`` is kept verbatim
    in ``Event.notes``; ``actor1`` of political-violence events becomes an
    attribution claim by ACLED (its coding), unless unidentified.

    Parameters
    ----------
    path : str or path-like
        The file.
    format : {"csv", "json", "xlsx"}, optional
        Default from the suffix (``.json``, ``.xlsx``, else CSV).  XLSX needs
        openpyxl.
    encoding : str, optional
        Text encoding; default UTF-8 (with or without BOM).
    engine : {"columns", "rows"}, optional
        ``"columns"`` reads a UTF-8 CSV file by whole columns with pyarrow (in
        batches, about 10⁶ rows in seconds) into a columnar EventSet whose
        :class:`Event` objects are built when first used; ``"rows"`` builds one
        event per row in Python (no pyarrow needed: QGIS's Python).  Both give the
        same events and the same ``rejected`` table (a row the columns cannot
        read in one of the plain forms goes through the row-wise builder).
        Default: ``"columns"`` when pyarrow is installed, else ``"rows"``; JSON,
        XLSX and ``encoding=`` files are read row-wise.
    progress : bool, optional
        Show a progress bar (tqdm) while reading by columns; default: when
        standard error is a terminal.

    Returns
    -------
    EventSet
        Events (lon/lat degrees) and ``.rejected`` with every problem.

    Raises
    ------
    DataFormatError
        Binary / non-UTF-8 / truncated file, or missing required columns.
    MissingDependencyError
        ``engine="columns"`` without pyarrow.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(p, "w").write(
    ...     "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,"
    ...     "country,fatalities\nSYR1,2019-09-09,1,34.4523,40.9185,1,Syria,0\n")
    >>> es = read_acled(p)
    >>> es["SYR1"].sites[0].location.precision, len(es.rejected)
    ('settlement', 0)
    """
    if engine not in (None, "columns", "rows"):
        raise ValueError(f"unknown engine {engine!r}; use 'columns' or 'rows'")
    if engine is None:
        engine = "columns" if columns_available() else "rows"
    suffix = Path(path).suffix.lower()
    fmt = format or {".json": "json", ".xlsx": "xlsx"}.get(suffix, "csv")
    if engine == "columns" and fmt == "csv" and encoding is None:
        es = _read_acled_columns(path, Rejected(), progress)
        if es is not None:
            return es
    rejected = Rejected()
    header, rows = _tabular(path, format, encoding, "an ACLED CSV file", rejected)
    require(path, header, _ACLED_REQUIRED, "ACLED")
    events, _ = country_pass(
        path,
        *run_rows(
            path,
            rows,
            lambda row, rej, n, rid: _acled_event(path, row, rej, n),
            rejected,
            lambda r: empty(r.get("event_id_cnty")),
            "event_id_cnty",
        ),
        rejected,
    )
    return EventSet(events, [ACLED_SOURCE], rejected)
