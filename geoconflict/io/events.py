"""Read and write events: ACLED, UCDP GED, generic CSV / vector files, native GeoJSON.

Every reader returns an :class:`~geoconflict.events.model.EventSet` whose ``rejected``
table lists each problem with file, row (1-based data row; the header is row 0),
column, value and reason; rows that cannot be used are left out *and reported*,
rows kept with a problem are marked ``"flagged"``.  A file that is not what it
claims (binary, truncated JSON, not UTF-8, missing required columns) raises
:class:`~geoconflict.errors.DataFormatError`.

Coordinates are (lon, lat) in degrees on WGS84; radii and distances in meters.

The native format is RFC 7946 GeoJSON: a FeatureCollection with one Feature per
event, its geometry the primary site's point or footprint, its properties the whole
event (category, time, sites, claims ...) plus a few flat summary fields for GIS
display, and the sources in a top-level ``"sources"`` member.  It round-trips every
field.  GeoPackage, Shapefile and KML (through pyogrio, imported lazily) hold one row
per (event, site); GeoPackage and KML also carry the event as JSON in an
``event_json`` column so that they round-trip too; Shapefile keeps the flat fields
only (its text fields stop at 254 characters).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable, Optional, Union

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from geoconflict._compat import import_optional_dependency
from geoconflict.errors import BoundaryNotFoundError, CoordinateError, DataFormatError
from geoconflict.events.claims import AttributionClaim, CasualtyClaim, Source
from geoconflict.events.model import (
    TIME_PRECISIONS,
    Category,
    Event,
    EventSet,
    Rejected,
    TimeEstimate,
    _period_end,
)
from geoconflict.events.sites import Location, Site
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_coordinate
from geoconflict.geography import borders

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
    "read_ucdp_ged",
    "to_native",
    "write_events",
]

PathLike = Union[str, "os.PathLike[str]"]

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

#: UCDP GED where_prec -> precision level.  1 "exact location" is the geocoded
#: named place (a village or town), so it maps to "settlement", not "exact";
#: 2: within 25 km; 3: second-order administrative division; 4: first-order
#: division; 5: linear feature or larger area; 6: country; 7: international waters.
UCDP_WHERE_PREC = {
    1: "settlement",
    2: "near_settlement",
    3: "province",
    4: "province",
    5: "province",
    6: "country",
    7: "water",
}
#: UCDP GED date_prec -> time precision (1 exact day; 2 2–6 days; 3 a week;
#: 4 a month; 5 longer); the interval itself is date_start..date_end.
UCDP_DATE_PREC = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
_UCDP_REQUIRED = (
    "id",
    "latitude",
    "longitude",
    "where_prec",
    "date_prec",
    "date_start",
    "date_end",
    "best",
)

_COUNTRY_CODES = {
    "syria": "SYR",
    "760": "SYR",
    "syr": "SYR",
    "iraq": "IRQ",
    "368": "IRQ",
    "irq": "IRQ",
    "lebanon": "LBN",
    "422": "LBN",
    "lbn": "LBN",
    "israel": "ISR",
    "376": "ISR",
    "isr": "ISR",
    "palestine": "PSE",
    "275": "PSE",
    "pse": "PSE",
    "jordan": "JOR",
    "400": "JOR",
    "jor": "JOR",
    "turkey": "TUR",
    "türkiye": "TUR",
    "792": "TUR",
    "tur": "TUR",
    "iran": "IRN",
    "364": "IRN",
    "irn": "IRN",
    "saudi arabia": "SAU",
    "682": "SAU",
    "sau": "SAU",
    "yemen": "YEM",
    "887": "YEM",
    "yem": "YEM",
    "egypt": "EGY",
    "818": "EGY",
    "egy": "EGY",
    "kuwait": "KWT",
    "414": "KWT",
    "kwt": "KWT",
}


def _country_code(*values: Any) -> Optional[str]:
    for v in values:
        if v is None:
            continue
        key = str(v).strip().lower()
        if key.endswith(".0"):
            key = key[:-2]
        if key in _COUNTRY_CODES:
            return _COUNTRY_CODES[key]
    return None


# --------------------------------------------------------------------------- #
# shared row machinery
# --------------------------------------------------------------------------- #


class _RowError(Exception):
    def __init__(self, column: Optional[str], value: Any, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason


def _check_point(
    lon: float, lat: float, country: Optional[str], cols=("longitude", "latitude")
):
    """Raise _RowError for unusable coordinates (degrees).

    Only what one row shows on its own: missing, out of range, 0,0.  Whether the
    point fits `country` (the row's country) is decided for all rows at once, with
    the boundary dataset and its uncertainty, by :func:`_country_pass`.
    """
    lon_col, lat_col = cols
    if math.isnan(lat) or math.isnan(lon):
        col = lat_col if math.isnan(lat) else lon_col
        raise _RowError(col, "", "missing coordinate")
    if abs(lat) > 90:
        raise _RowError(
            lat_col, lat, "latitude out of range [-90, 90] degrees (swapped columns?)"
        )
    if abs(lon) > 180:
        raise _RowError(lon_col, lon, "longitude out of range [-180, 180] degrees")
    if lon == 0 and lat == 0:
        raise _RowError(
            f"{lon_col},{lat_col}",
            "0,0",
            "coordinates are 0,0 ('null island'): a missing location written as zeros",
        )


def _int_code(value: Any, column: str, table: dict) -> Any:
    try:
        code = int(float(str(value).strip()))
    except (TypeError, ValueError):
        raise _RowError(
            column, value, f"not a precision code; expected one of {sorted(table)}"
        ) from None
    if code not in table:
        raise _RowError(
            column, value, f"unknown precision code; expected one of {sorted(table)}"
        )
    return table[code]


def _num(value: Any, column: str, *, required: bool = False) -> Optional[float]:
    """Parse a number cell: None if empty (or ``required`` -> _RowError).

    NaN and ±inf are not numbers a row can carry (a NULL read by GDAL arrives as
    None, see :func:`_cell`), so they raise _RowError naming the column and value.
    """
    if value is None or str(value).strip() == "":
        if required:
            raise _RowError(column, "", "missing value")
        return None
    try:
        x = float(str(value).strip())
    except ValueError:
        raise _RowError(column, value, "not a number") from None
    if not math.isfinite(x):
        raise _RowError(column, value, "not a finite number (NaN or infinite)")
    return x


def _count(value: Any, column: str, *, required: bool = False, whole: bool = False):
    """Parse a casualty count: None if empty, else a finite number >= 0."""
    n = _num(value, column, required=required)
    if n is not None:
        if n < 0:
            raise _RowError(column, value, "a count must be >= 0")
        if whole and n != int(n):
            raise _RowError(column, value, "a count must be a whole number")
    return n


def _date(value: Any, column: str, **kw) -> TimeEstimate:
    """Read a date cell as a TimeEstimate; a month or year text keeps its whole period.

    ``precision`` in `kw` is the finest the row claims; "2019-09" or "Sep 2019"
    give the month and "2019" the year however fine it is (see
    :class:`~geoconflict.events.model.TimeEstimate`).
    """
    if value is None or str(value).strip() == "":
        raise _RowError(column, "", "missing date")
    try:
        return TimeEstimate(str(value).strip(), **kw)
    except (DataFormatError, ValueError) as exc:
        raise _RowError(column, value, f"unparseable date ({exc})") from None


def _coarsest(*precisions: str) -> str:
    """Return the coarsest of some time precisions (:data:`~geoconflict.events.model.TIME_PRECISIONS`)."""
    return max(precisions, key=TIME_PRECISIONS.index)


def _empty(v: Any) -> Optional[str]:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _check_text(path: PathLike, raw: bytes, what: str) -> str:
    if not raw.strip():
        raise DataFormatError(f"the file is empty; expected {what}", path=str(path))
    head = raw[:8192]
    if b"\x00" in head:
        raise DataFormatError(
            f"this is a binary file, not {what} (NUL bytes found). If it is a "
            "spreadsheet, read it with read_acled(..., format='xlsx') or export it as CSV.",
            path=str(path),
        )
    for enc in ("utf-8-sig",):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError as exc:
            raise DataFormatError(
                f"the file is not UTF-8 text (byte {raw[exc.start : exc.start + 1]!r} at "
                f"offset {exc.start}); re-save it as UTF-8 or pass encoding=, e.g. "
                "encoding='cp1256' for Arabic Windows files",
                path=str(path),
            ) from None
    raise AssertionError  # pragma: no cover


def _read_text(path: PathLike, what: str, encoding: Optional[str]) -> str:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DataFormatError(
            f"cannot read the file: {exc.strerror}", path=str(path)
        ) from None
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataFormatError(
                f"cannot decode the file as {encoding}: {exc}", path=str(path)
            ) from None
    return _check_text(path, raw, what)


def _delimiter(path: PathLike, text: str) -> str:
    """Return the field separator of a delimited text file.

    A tab for ``.tsv``/``.tab`` files, or for a ``.txt`` file whose header line
    has tabs and no commas; else a comma.
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "\t"
    first = text.split("\n", 1)[0]
    if suffix == ".txt" and "\t" in first and "," not in first:
        return "\t"
    return ","


def _csv_rows(
    path: PathLike, text: str, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Parse CSV (or tab-separated, see :func:`_delimiter`) text.

    Return the header and (row number, dict) pairs.  Every record after the
    header is a row (a blank line is not a record): rows whose number of fields
    differs from the header's, and rows whose cells are all empty, go to
    `rejected`.
    """
    delimiter = _delimiter(path, text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader, None)
        rows = list(reader)
    except csv.Error as exc:
        raise DataFormatError(
            f"not a readable CSV file: {exc}", path=str(path)
        ) from None
    if not header:
        raise DataFormatError("the CSV file has no header row", path=str(path))
    header = [h.strip().lower() for h in header]
    good = []
    for i, r in enumerate(rows, start=1):
        if not r:  # a blank line: no record
            continue
        if not any(c.strip() for c in r):
            rejected.add(path, i, None, "", "empty row (every cell is empty)")
        elif len(r) != len(header):
            rejected.add(
                path,
                i,
                None,
                delimiter.join(r)[:80],
                f"row has {len(r)} fields, the header has {len(header)} (truncated or "
                "unquoted separator?)",
            )
        else:
            good.append((i, dict(zip(header, r))))
    return header, good


def _require(path, header: Sequence[str], required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFormatError(
            f"missing required column(s) {missing} for {what}; the file has "
            f"{list(header)[:12]}{' ...' if len(header) > 12 else ''}",
            path=str(path),
            column=missing[0],
        )


def _run_rows(
    path,
    rows: list[tuple[int, dict]],
    build: Callable[[dict, Rejected, int, str], Event],
    rejected: Rejected,
    id_of: Callable[[dict], Optional[str]],
    id_column: str,
    make_id: Optional[Callable[[int], str]] = None,
) -> tuple[list[Event], list[int]]:
    """Build one event per row; return the events and their row numbers.

    Every row ends up either as an event or in `rejected` (action "rejected"):
    a missing id (unless `make_id` generates one from the row number: stable, and
    made unique against the file's own ids), a duplicate id, or a problem raised
    while building the event (_RowError, or the ValueError/TypeError of a
    constructor) is reported with the row.
    """
    events: list[Event] = []
    rownums: list[int] = []
    seen: dict[str, int] = {}
    taken = set()
    if make_id is not None:
        taken = {rid for rid in (id_of(r) for _, r in rows) if rid is not None}
    for rownum, row in rows:
        rid = id_of(row)
        if rid is None and make_id is not None:
            rid = base = make_id(rownum)
            k = 1
            while rid in taken:
                k += 1
                rid = f"{base}~{k}"
            taken.add(rid)
        if rid is None:
            rejected.add(path, rownum, id_column, "", "missing id")
            continue
        if rid in seen:
            rejected.add(
                path,
                rownum,
                id_column,
                rid,
                f"duplicate id (first seen at row {seen[rid]})",
            )
            continue
        try:
            ev = build(row, rejected, rownum, rid)
        except _RowError as exc:
            rejected.add(path, rownum, exc.column, exc.value, exc.reason)
            continue
        except (ValueError, TypeError, OverflowError) as exc:
            rejected.add(path, rownum, None, rid, f"invalid row: {exc}")
            continue
        seen[rid] = rownum
        events.append(ev)
        rownums.append(rownum)
    kept = _country_pass(path, events, rownums, rejected)
    if len(kept) != len(events):
        row_of = dict(zip(map(id, events), rownums))
        rownums = [row_of[id(e)] for e in kept]
    return kept, rownums


#: boundary dataset of the country check (:mod:`geoconflict.geography.borders`) and its name
_CHECK_DATASET = "ne"
_DATASET_NAMES = {"ne": "Natural Earth 10m", "osm": "OpenStreetMap (geo-maps 10m)"}
#: Location.flags set on kept points whose country disagrees with the row's
FLAG_NEAR_BOUNDARY = "country_within_boundary_uncertainty"
FLAG_COUNTRY_MISMATCH = "country_mismatch"


def _country_pass(path, events: list, rownums: list, rejected: Rejected) -> list:
    """Check each primary point against its row's country; return the events kept.

    With ``U`` the boundary dataset's positional uncertainty
    (:data:`geoconflict.geography.borders.UNCERTAINTY_M`: Natural Earth 10m ±3 km), a point
    that is not in the row's country per the dataset is

    * within ``U`` of that country (across a border, or off its coast): kept and
      flagged (a town on the border, a coastal point the dataset puts at sea);
    * swapped: the swapped point (lat, lon) lies in the row's country and the given
      one more than ``U`` outside it (a point with lat ≈ lon is never "swapped":
      both lie the same distance away): rejected;
    * at sea more than ``U`` from the country: rejected;
    * in a neighbouring country more than ``U`` from the row's country: kept and
      flagged (the point or the country is wrong; the row cannot say which);
    * in a country that does not border the row's country: rejected.

    Vectorized: one ``country_at`` call for all rows; geodesic distances (meters,
    WGS84) only for the rows that disagree, one call per country named; one
    ``country_at`` call for their swapped points.  Kept rows get a
    ``Location.flags`` entry (:data:`FLAG_NEAR_BOUNDARY` or
    :data:`FLAG_COUNTRY_MISMATCH`) and a ``"flagged"`` line in `rejected`.
    """
    codes: dict = {}

    def iso3(name):
        if name not in codes:
            try:
                codes[name] = borders.country(name, dataset=_CHECK_DATASET).iso3
            except BoundaryNotFoundError:
                codes[name] = None
        return codes[name]

    idx, want = [], []
    for i, e in enumerate(events):
        loc = e.sites[0].location
        if not loc.has_point or not loc.country or loc.precision == "water":
            continue
        code = iso3(loc.country)
        if code is not None:
            idx.append(i)
            want.append(code)
    if not idx:
        return events
    idx_a = np.array(idx)
    want_a = np.array(want, dtype=object)
    lon = np.array([events[i].sites[0].location.lon for i in idx])
    lat = np.array([events[i].sites[0].location.lat for i in idx])
    got = np.asarray(borders.country_at(lon, lat, dataset=_CHECK_DATASET), dtype=object)
    bad = np.flatnonzero(got != want_a)
    if not len(bad):
        return events
    # distance from each disagreeing point to the row's country (0 inside it)
    dist = np.empty(len(bad))
    for code in sorted(set(want_a[bad])):
        sel = np.flatnonzero(want_a[bad] == code)
        geom = borders.country(code, dataset=_CHECK_DATASET).geometry
        dist[sel] = borders.distance_and_nearest(lon[bad][sel], lat[bad][sel], geom)[0]
    # the swapped point (lon = lat, lat = lon), where it is a valid point
    swapped = np.full(len(bad), None, dtype=object)
    ok = np.abs(lon[bad]) <= 90
    if ok.any():
        swapped[ok] = np.asarray(
            borders.country_at(lat[bad][ok], lon[bad][ok], dataset=_CHECK_DATASET),
            dtype=object,
        )
    u = borders.UNCERTAINTY_M[_CHECK_DATASET]
    name = _DATASET_NAMES[_CHECK_DATASET]
    within = f"within the dataset's ±{u / 1000:g} km uncertainty"
    beyond = f"beyond the dataset's ±{u / 1000:g} km uncertainty"
    neighbours: dict = {}
    drop = set()
    for j, k in enumerate(bad):
        i = int(idx_a[k])
        w, g, d = want_a[k], got[k], float(dist[j])
        km = f"{d / 1000:.1f} km"
        if d <= u:
            action, flag = "flagged", FLAG_NEAR_BOUNDARY
            if g is None:
                reason = (
                    f"point lies {km} off the {w} coast (at sea per {name}), {within} "
                    f"of the coastline; the row says {w}"
                )
            else:
                reason = (
                    f"point lies {km} inside {g} per {name}, {within} of the {w} "
                    f"border; the row says {w}"
                )
        elif swapped[j] == w:
            action, flag = "rejected", None
            reason = (
                f"point lies {'at sea' if g is None else 'in ' + str(g)} per {name}, "
                f"{km} from {w}, but the swapped point (lon {lat[k]}, lat {lon[k]}) "
                f"lies in {w}, the row's country: latitude and longitude are swapped"
            )
        elif g is None:
            action, flag = "rejected", None
            reason = (
                f"point lies at sea per {name}, {km} from {w} (the row's country), "
                f"{beyond} (wrong sign, swapped or mistyped coordinates?)"
            )
        else:
            if w not in neighbours:
                neighbours[w] = set(borders.borders_of(w, dataset=_CHECK_DATASET))
            if g in neighbours[w]:
                action, flag = "flagged", FLAG_COUNTRY_MISMATCH
                reason = (
                    f"point lies {km} inside {g} per {name}, {beyond} of the {w} "
                    f"border; the row says {w} (kept: check the coordinates or the "
                    "country)"
                )
            else:
                action, flag = "rejected", None
                reason = (
                    f"point lies in {g} per {name}, {km} from {w} (the row's "
                    f"country), which {g} does not border (mistyped coordinates?)"
                )
        rejected.add(
            path,
            rownums[i],
            "longitude,latitude",
            f"{lon[k]},{lat[k]}",
            reason,
            action=action,
        )
        if flag is None:
            drop.add(i)
        else:
            flags = events[i].sites[0].location.flags
            if flag not in flags:
                flags.append(flag)
    return [e for i, e in enumerate(events) if i not in drop]


# --------------------------------------------------------------------------- #
# ACLED
# --------------------------------------------------------------------------- #

ACLED_SOURCE = Source(
    "acled",
    "ACLED (Armed Conflict Location & Event Data)",
    kind="dataset",
    url="https://acleddata.com",
)


def _acled_event(path, row: dict, rejected: Rejected, rownum: int) -> Event:
    eid = row["event_id_cnty"].strip()
    country = _country_code(row.get("iso"), row.get("country"))
    lat = _num(row.get("latitude"), "latitude", required=True)
    lon = _num(row.get("longitude"), "longitude", required=True)
    _check_point(lon, lat, country)
    precision = _int_code(
        row.get("geo_precision"), "geo_precision", ACLED_GEO_PRECISION
    )
    tp = row.get("time_precision")
    tprec = (
        "day"
        if _empty(tp) is None
        else _int_code(tp, "time_precision", ACLED_TIME_PRECISION)
    )
    time = _date(row.get("event_date"), "event_date", precision=tprec)
    cat = Category(
        _empty(row.get("disorder_type")),
        _empty(row.get("event_type")),
        _empty(row.get("sub_event_type")),
    )
    for problem in cat.validate():
        rejected.add(
            path, rownum, "event_type", cat.event_type, problem, action="flagged"
        )
    claims: list = []
    outlets = _empty(row.get("source"))
    n = _count(row.get("fatalities"), "fatalities", whole=True)
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
    actor1 = _empty(row.get("actor1"))
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
        place=_empty(row.get("location")),
        country=country or _empty(row.get("country")),
        admin1=_empty(row.get("admin1")),
        admin2=_empty(row.get("admin2")),
        phrase=_empty(row.get("location")),
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
        v = _empty(row.get(k))
        if v is not None:
            ext[f"acled:{k}"] = v
    return Event(
        id=eid,
        time=time,
        sites=[Site("s1", loc, role="target", name=_empty(row.get("location")))],
        claims=claims,
        category=cat,
        summary=None,
        tags=tags,
        external_ids=ext,
        notes=row.get("notes") or None,
    )


def _json(path, text: str):
    """Parse JSON text, or raise DataFormatError naming the file, line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(
            f"not valid JSON (truncated or corrupted?): {exc.msg} at line "
            f"{exc.lineno} column {exc.colno}",
            path=str(path),
        ) from None


def _rows_from_json(
    path, text: str, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    data = _json(path, text)
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


def _rows_from_xlsx(
    path, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read the first sheet of an XLSX workbook: the header and (row, dict) pairs.

    Empty rows between data rows are reported ("empty row"); empty rows after the
    last data row are the sheet's formatting, not rows.  A row with values beyond
    the header's last column is reported.  A damaged workbook (a truncated sheet
    XML ...) raises DataFormatError.
    """
    openpyxl = import_optional_dependency("openpyxl", "reading ACLED XLSX files")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise DataFormatError(
            f"not a readable XLSX workbook: {exc}", path=str(path)
        ) from None
    try:
        if not wb.worksheets:
            raise DataFormatError("the workbook has no worksheet", path=str(path))
        cells = list(wb.worksheets[0].iter_rows(values_only=True))
    except DataFormatError:
        raise
    except Exception as exc:  # zipfile, XML and value errors of a damaged sheet
        raise DataFormatError(
            f"the first worksheet cannot be read (damaged or truncated workbook?): "
            f"{type(exc).__name__}: {exc}; re-save it in a spreadsheet program or "
            "export it as CSV",
            path=str(path),
        ) from None
    finally:
        wb.close()
    if not cells:
        raise DataFormatError("the worksheet is empty (no header row)", path=str(path))
    header = [str(h).strip().lower() if h is not None else "" for h in cells[0]]
    while len(header) > 0 and header[-1] == "":
        header.pop()
    body = [tuple(r or ()) for r in cells[1:]]

    def blank(r):
        return all(v is None or str(v).strip() == "" for v in r)

    while body and blank(body[-1]):
        body.pop()
    rows = []
    for i, r in enumerate(body, start=1):
        extra = [v for v in r[len(header) :] if v is not None and str(v).strip()]
        if blank(r):
            rejected.add(path, i, None, "", "empty row (every cell is empty)")
        elif extra:
            rejected.add(
                path,
                i,
                None,
                str(extra[0])[:80],
                f"row has a value beyond the header's {len(header)} columns",
            )
        else:
            rows.append(
                (i, {h: ("" if v is None else str(v)) for h, v in zip(header, r)})
            )
    return header, rows


def _tabular(path, fmt: Optional[str], encoding, what: str, rejected: Rejected):
    suffix = Path(path).suffix.lower()
    fmt = fmt or {".json": "json", ".xlsx": "xlsx"}.get(suffix, "csv")
    if fmt == "xlsx":
        return _rows_from_xlsx(path, rejected)
    text = _read_text(path, what, encoding)
    if fmt == "json":
        return _rows_from_json(path, text, rejected)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; use 'csv', 'json' or 'xlsx'")
    header, rows = _csv_rows(path, text, rejected)
    return header, rows


def read_acled(
    path: PathLike, *, format: Optional[str] = None, encoding: Optional[str] = None
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

    Returns
    -------
    EventSet
        Events (lon/lat degrees) and ``.rejected`` with every problem.

    Raises
    ------
    DataFormatError
        Binary / non-UTF-8 / truncated file, or missing required columns.

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
    rejected = Rejected()
    header, rows = _tabular(path, format, encoding, "an ACLED CSV file", rejected)
    _require(path, header, _ACLED_REQUIRED, "ACLED")
    events, _ = _run_rows(
        path,
        rows,
        lambda row, rej, n, rid: _acled_event(path, row, rej, n),
        rejected,
        lambda r: _empty(r.get("event_id_cnty")),
        "event_id_cnty",
    )
    return EventSet(events, [ACLED_SOURCE], rejected)


# --------------------------------------------------------------------------- #
# UCDP GED
# --------------------------------------------------------------------------- #

UCDP_SOURCE = Source(
    "ucdp-ged",
    "UCDP Georeferenced Event Dataset",
    kind="dataset",
    url="https://ucdp.uu.se",
)

_POINT_RE = re.compile(
    r"^\s*POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*$", re.IGNORECASE
)


def _ucdp_event(path, row: dict, rejected: Rejected, rownum: int) -> Event:
    eid = str(row["id"]).strip()
    lat = _num(row.get("latitude"), "latitude", required=True)
    lon = _num(row.get("longitude"), "longitude", required=True)
    wkt = _empty(row.get("geom_wkt"))
    if wkt is not None:
        m = _POINT_RE.match(wkt)
        if m is None:
            raise _RowError("geom_wkt", wkt, "not a WKT POINT")
        x, y = float(m.group(1)), float(m.group(2))
        if abs(x - lon) > 1e-4 or abs(y - lat) > 1e-4:
            if abs(x - lat) < 1e-4 and abs(y - lon) < 1e-4:
                reason = (
                    f"geom_wkt POINT({x} {y}) is longitude/latitude ({lat}, {lon}) "
                    "swapped: one of them has its axes swapped"
                )
            else:
                reason = f"geom_wkt POINT({x} {y}) disagrees with longitude {lon}, latitude {lat}"
            raise _RowError("geom_wkt", wkt, reason)
    country = _country_code(row.get("country"), row.get("country_id"))
    _check_point(lon, lat, country)
    precision = _int_code(row.get("where_prec"), "where_prec", UCDP_WHERE_PREC)
    tprec = _int_code(row.get("date_prec"), "date_prec", UCDP_DATE_PREC)
    start = _date(row.get("date_start"), "date_start", precision="day")
    end = _date(row.get("date_end"), "date_end", precision="day")
    if end.start < start.start:
        raise _RowError(
            "date_end",
            row.get("date_end"),
            f"date_end ({row.get('date_end')}) is before date_start "
            f"({row.get('date_start')})",
        )
    try:
        time = TimeEstimate(
            start.start,
            end.end,
            precision=_coarsest(tprec, start.precision, end.precision),
        )
    except ValueError as exc:
        raise _RowError("date_end", row.get("date_end"), str(exc)) from None
    best = _count(row.get("best"), "best", required=True)
    low = _count(row.get("low"), "low")
    high = _count(row.get("high"), "high")
    if low is not None and low > best:
        raise _RowError(
            "low", row.get("low"), f"low ({low:g}) is above best ({best:g})"
        )
    if high is not None and high < best:
        raise _RowError(
            "high", row.get("high"), f"high ({high:g}) is below best ({best:g})"
        )
    claims = [
        CasualtyClaim(
            "ucdp-ged",
            "killed",
            best=best,
            low=low,
            high=high,
            note="UCDP GED best/low/high estimate",
        )
    ]
    civ = _count(row.get("deaths_civilians"), "deaths_civilians")
    if civ is not None:
        claims.append(
            CasualtyClaim(
                "ucdp-ged",
                "killed",
                best=civ,
                group="civilians",
                note="UCDP GED deaths_civilians (part of best)",
            )
        )
    ext = {"ucdp": eid}
    for k in (
        "relid",
        "conflict_name",
        "dyad_name",
        "side_a",
        "side_b",
        "type_of_violence",
        "source_article",
        "where_coordinates",
    ):
        v = _empty(row.get(k))
        if v is not None:
            ext[f"ucdp:{k}"] = v
    loc = Location(
        lon,
        lat,
        precision,
        method="dataset",
        place=_empty(row.get("where_coordinates")),
        country=country or _empty(row.get("country")),
        admin1=_empty(row.get("adm_1")),
        admin2=_empty(row.get("adm_2")),
        phrase=_empty(row.get("where_description")),
    )
    tags = []
    tv = _empty(row.get("type_of_violence"))
    if tv:
        tags.append(
            {"1": "state-based", "2": "non-state", "3": "one-sided"}.get(
                tv, f"type_of_violence={tv}"
            )
        )
    return Event(
        id=eid,
        time=time,
        sites=[
            Site("s1", loc, role="target", name=_empty(row.get("where_coordinates")))
        ],
        claims=claims,
        category=Category(),
        summary=_empty(row.get("source_headline")),
        tags=tags,
        external_ids=ext,
        notes=_empty(row.get("where_description")),
    )


def read_ucdp_ged(path: PathLike, *, encoding: Optional[str] = None) -> EventSet:
    r"""Read a UCDP GED CSV file into an EventSet.

    ``where_prec`` 1–7 and ``date_prec`` 1–5 map to :data:`UCDP_WHERE_PREC` and
    :data:`UCDP_DATE_PREC`; ``low``/``best``/``high`` become one casualty claim by
    ``"ucdp-ged"`` (``deaths_civilians`` a second one with group "civilians");
    ``side_a``/``side_b`` and the conflict and dyad names go to ``external_ids``
    (UCDP's sides are parties to the dyad, not attributions).  ``geom_wkt`` is
    cross-checked against ``longitude``/``latitude`` to catch swapped axes.

    Parameters
    ----------
    path : str or path-like
    encoding : str, optional
        Default UTF-8.

    Returns
    -------
    EventSet
        Events (lon/lat degrees) with ``.rejected``.

    Raises
    ------
    DataFormatError
        Binary / non-UTF-8 file or missing required columns.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "g.csv")
    >>> _ = open(p, "w").write(
    ...     "id,latitude,longitude,geom_wkt,where_prec,date_prec,date_start,"
    ...     "date_end,best,low,high,country\n"
    ...     "1,34.4523,40.9185,POINT (40.9185 34.4523),1,1,2019-09-09,2019-09-09,"
    ...     "21,0,21,Syria\n")
    >>> read_ucdp_ged(p)["1"].casualties("range")["killed"]
    (0.0, 21.0)
    """
    rejected = Rejected()
    text = _read_text(path, "a UCDP GED CSV file", encoding)
    header, rows = _csv_rows(path, text, rejected)
    _require(path, header, _UCDP_REQUIRED, "UCDP GED")
    events, _ = _run_rows(
        path,
        rows,
        lambda row, rej, n, rid: _ucdp_event(path, row, rej, n),
        rejected,
        lambda r: _empty(r.get("id")),
        "id",
    )
    return EventSet(events, [UCDP_SOURCE], rejected)


# --------------------------------------------------------------------------- #
# Native GeoJSON (lossless)
# --------------------------------------------------------------------------- #

NATIVE_FORMAT = {"name": "geoconflict-events", "version": 1}
_DERIVED = (
    "start",
    "time_precision",
    "location_precision",
    "radius_m",
    "attribution_status",
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
    "n_claims",
)


def _clean(obj: Any) -> Any:
    """Make a structure strict-JSON: NaN -> None, ±inf -> "Infinity"/"-Infinity"."""
    if isinstance(obj, float):
        if math.isnan(obj):
            return None
        if math.isinf(obj):
            return "Infinity" if obj > 0 else "-Infinity"
        return obj
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def _clean_flat(d: dict) -> dict:
    return {
        k: _clean(v) if isinstance(v, (float, dict, list, tuple)) else v
        for k, v in d.items()
    }


def _rfc7946_geometry(geom) -> Optional[dict]:
    """Return the display geometry, cut at the antimeridian, right-hand rule (RFC 7946).

    Full precision (the nested site locations are the lossless record).
    """
    if geom is None:
        return None
    try:
        from geoconflict.io.geojson import to_dict
    except ImportError:  # pragma: no cover - io.geojson ships with the core
        return mapping(geom)
    return to_dict(geom, precision=None)["features"][0]["geometry"]


def _feature(event: Event) -> dict:
    props = event.to_dict()
    props["claims"] = [_clean_flat(c) for c in props["claims"]]
    site = event.primary_site
    rng = event.casualties("range")
    props.update(
        {
            "start": event.time.start.isoformat(),
            "time_precision": event.time.precision,
            "location_precision": site.location.precision,
            "radius_m": site.location.uncertainty_m,
            "attribution_status": event.attribution_status(),
            "killed_min": rng["killed"][0],
            "killed_max": rng["killed"][1],
            "wounded_min": rng["wounded"][0],
            "wounded_max": rng["wounded"][1],
            "n_claims": len(event.claims),
        }
    )
    geom = site.location.geometry
    if geom is None:  # e.g. the target is known only to the country: show another site
        geom = next(
            (s.location.geometry for s in event.sites if s.location.has_point), None
        )
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": _rfc7946_geometry(geom),
        "properties": _clean_flat(props),
    }


def to_native(event_set: EventSet) -> dict:
    """Return the native lossless GeoJSON FeatureCollection of an EventSet.

    Examples
    --------
    >>> from geoconflict.events.model import EventSet
    >>> to_native(EventSet())["geoconflict"]["name"]
    'geoconflict-events'
    """
    return {
        "type": "FeatureCollection",
        "geoconflict": dict(NATIVE_FORMAT),
        "sources": [_clean(s.to_dict()) for s in event_set.sources.values()],
        "features": [_feature(e) for e in event_set],
    }


def from_native(data: dict, *, path: Optional[PathLike] = None) -> EventSet:
    """Build an EventSet from the native GeoJSON written by :func:`to_native`.

    Raises
    ------
    DataFormatError
        If a feature is not a valid event (the message names the feature).

    Examples
    --------
    >>> from geoconflict.events.model import EventSet
    >>> len(from_native(to_native(EventSet())))
    0
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFormatError(
            "expected a GeoJSON FeatureCollection",
            path=None if path is None else str(path),
        )
    sources = []
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        raise DataFormatError(
            "the 'sources' member is not a list of source objects",
            path=None if path is None else str(path),
            column="sources",
        )
    feats = _features(path, data)
    for i, s in enumerate(raw_sources):
        try:
            if not isinstance(s, dict):
                raise TypeError("not a JSON object")
            sources.append(Source.from_dict(s))
        except (TypeError, ValueError, KeyError) as exc:
            raise DataFormatError(
                f"source {i} is invalid: {exc}",
                path=None if path is None else str(path),
                column="sources",
                value=s.get("id") if isinstance(s, dict) else s,
            ) from None
    rejected = Rejected()
    events = []
    seen = {}
    for i, f in enumerate(feats, start=1):
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict):
            rejected.add(
                path,
                i,
                None if isinstance(f, dict) else "features",
                json.dumps(f)[:60],
                "not a geoconflict event Feature (no properties object)",
            )
            continue
        props = dict(props)
        for k in _DERIVED:
            props.pop(k, None)
        props.setdefault("id", f.get("id"))
        try:
            ev, _ = _event_from_json(props)
        except _RowError as exc:
            rejected.add(path, i, exc.column, exc.value, exc.reason)
            continue
        if ev.id in seen:
            rejected.add(
                path,
                i,
                "id",
                ev.id,
                f"duplicate id (first seen at feature {seen[ev.id]})",
            )
            continue
        seen[ev.id] = i
        events.append(ev)
    known = {s.id for s in sources}
    for e in events:
        for c in e.claims:
            for sid in (c.source, getattr(c, "via", None)):
                if sid is not None and sid not in known:
                    rejected.add(
                        path,
                        seen[e.id],
                        "claims",
                        sid,
                        f"claim refers to unknown source {sid!r} (event {e.id})",
                        action="flagged",
                    )
                    known.add(sid)
    return EventSet(events, sources, rejected)


# --------------------------------------------------------------------------- #
# Generic CSV / vector files
# --------------------------------------------------------------------------- #

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
        return None if c is None else _empty(row.get(c))

    country = get("country")
    code = _country_code(country) or (
        country.upper() if country and len(country) == 3 else None
    )
    prec = get("precision")
    radius = get("radius")
    footprint = None
    method = "reported_coordinates"
    if geometry is not None:
        if geometry.is_empty:
            raise _RowError("geometry", "EMPTY", "empty geometry")
        if geometry.geom_type == "Point":
            lon, lat = geometry.x, geometry.y
        else:
            footprint = geometry
            c = geometry.representative_point()
            lon, lat = c.x, c.y
        _check_point(lon, lat, code, cols=("geometry", "geometry"))
    elif get("mgrs") is not None:
        try:
            cell = mgrs_to_polygon(get("mgrs"))
        except CoordinateError as exc:
            raise _RowError(cols["mgrs"], get("mgrs"), str(exc)) from None
        footprint, lon, lat = cell.polygon, cell.lon, cell.lat
        method = "mgrs"
        prec = prec or "exact"
        _check_point(lon, lat, code, cols=(cols["mgrs"], cols["mgrs"]))
    else:
        if "lat" not in cols or "lon" not in cols:
            raise _RowError(None, "", "no coordinates: no lat/lon or MGRS column")
        try:
            lat = parse_coordinate(row.get(cols["lat"]), axis="lat")
        except CoordinateError as exc:
            raise _RowError(cols["lat"], row.get(cols["lat"]), str(exc)) from None
        try:
            lon = parse_coordinate(row.get(cols["lon"]), axis="lon")
        except CoordinateError as exc:
            raise _RowError(cols["lon"], row.get(cols["lon"]), str(exc)) from None
        _check_point(lon, lat, code, cols=(cols["lon"], cols["lat"]))
    if prec is not None:
        if prec.isdigit():
            prec = ACLED_GEO_PRECISION.get(int(prec), prec)
        prec = prec.lower().replace(" ", "_")
    try:
        loc = Location(
            lon,
            lat,
            prec or "exact",
            radius_m=None if radius is None else _num(radius, cols["radius"]),
            footprint=footprint,
            method=method,
            place=get("name"),
            country=code or country,
            admin1=get("admin1"),
            admin2=get("admin2"),
        )
    except ValueError as exc:
        raise _RowError(cols.get("precision"), prec, str(exc)) from None
    tp = get("time_precision")
    if tp is not None and tp.isdigit():
        tp = ACLED_TIME_PRECISION.get(int(tp), tp)
    date = next(
        (d for d in (_empty(row.get(c)) for c in cols["dates"]) if d is not None), None
    )
    if date is None:
        raise _RowError(cols.get("date", "date"), "", "missing date")
    end = get("end")
    if end is not None:  # an inclusive end date: "2019-09-30" runs through that day
        try:
            end = _period_end(end, "end")
        except DataFormatError as exc:
            raise _RowError(cols["end"], end, f"unparseable date ({exc})") from None
    try:
        time = TimeEstimate(date, end, precision=(tp or "day").lower())
    except (ValueError, DataFormatError) as exc:
        raise _RowError(
            cols.get("date"), date, f"unparseable date or time precision ({exc})"
        ) from None
    src = get("source") or file_source
    claims = []
    for key in ("killed", "wounded"):
        n = _count(get(key), cols.get(key, key))
        if n is not None:
            claims.append(CasualtyClaim(src, key, best=n))
    role = get("role") or "target"
    try:
        site = Site("s1", loc, role=role, name=get("name"), facility=get("facility"))
    except ValueError as exc:
        raise _RowError(cols.get("role"), role, str(exc)) from None
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
    return _run_rows(
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
        (lambda r: _empty(r.get(cols["id"]))) if "id" in cols else (lambda r: None),
        cols.get("id", "id"),
        make_id=lambda n: f"{prefix}-{n}",
    )


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
            arr[have] = shapely.transform(arr[have], tr.transform, interleaved=False)
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


def _event_from_json(data: Any) -> tuple[Event, list]:
    """Build an event and the sources it carries from its JSON object.

    Raise _RowError for a JSON value that is not an event, or an invalid one.
    """
    if not isinstance(data, dict):
        raise _RowError(
            None,
            json.dumps(data)[:60],
            f"a JSON {type(data).__name__}, not an event object",
        )
    data = dict(data)
    raw_sources = data.pop("_sources", None) or []
    if not isinstance(raw_sources, list) or not all(
        isinstance(s, dict) for s in raw_sources
    ):
        raise _RowError("_sources", str(raw_sources)[:60], "not a list of sources")
    try:
        sources = [Source.from_dict(s) for s in raw_sources]
        return Event.from_dict(data), sources
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _RowError(None, str(data.get("id"))[:60], str(exc)) from None


def _read_layer(
    pyogrio, path, layer: str, label: str, prefix: str, rejected: Rejected
) -> tuple[list[Event], list[int], dict]:
    """Read one layer of a vector file: its events, their row numbers, the sources.

    Rows with an ``event_json`` (written by :func:`write_events`) come back
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
    rows = [(i + 1, {k: v[i] for k, v in columns.items()}) for i in range(n)]
    geoms = None
    if geometry is not None:
        geoms = [None if g is None else shapely.from_wkb(g) for g in geometry]
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
                raise _RowError(
                    "event_json", raw[:60], f"not valid JSON: {exc}"
                ) from None
            ev, srcs = _event_from_json(data)
        except _RowError as exc:
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
    data = _json(path, text)
    if (
        isinstance(data, dict)
        and isinstance(data.get("geoconflict"), dict)
        and data["geoconflict"].get("name") == NATIVE_FORMAT["name"]
    ):
        return from_native(data, path=path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFormatError("expected a GeoJSON FeatureCollection", path=str(path))
    feats = _features(path, data)
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


def _features(path, data: dict) -> list:
    """Return the ``features`` list of a FeatureCollection, or raise DataFormatError."""
    feats = data.get("features")
    if not isinstance(feats, list):
        raise DataFormatError(
            f"the FeatureCollection's 'features' is {json.dumps(feats)[:40]}, not a "
            "list of Feature objects",
            path=None if path is None else str(path),
            column="features",
        )
    return feats


def read_events(path: PathLike, *, encoding: Optional[str] = None) -> EventSet:
    r"""Read events from a generic CSV, GeoJSON, GeoPackage, Shapefile or KML file.

    The native geoconflict GeoJSON (and GeoPackage/KML written by
    :func:`write_events`) come back losslessly.  Other files are read as one event
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
    if suffix in (".csv", ".txt", ".tsv", ".tab"):
        rejected = Rejected()
        text = _read_text(path, "a CSV file", encoding)
        header, rows = _csv_rows(path, text, rejected)
        events, _ = _read_generic_rows(path, header, rows, None, rejected)
        return EventSet(events, _sources_for(events, Path(path).name), rejected)
    if suffix in (".geojson", ".json"):
        return _read_geojson(path, _read_text(path, "a GeoJSON file", encoding))
    return _read_vector(path)


# --------------------------------------------------------------------------- #
# Writers
# --------------------------------------------------------------------------- #

_DRIVERS = {
    ".geojson": "native",
    ".json": "native",
    ".gpkg": "GPKG",
    ".shp": "ESRI Shapefile",
    ".kml": "KML",
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
    """Write an EventSet: native GeoJSON, GeoPackage, Shapefile or KML.

    ``.geojson``/``.json`` → the native lossless GeoJSON (RFC 7946, one feature
    per event, claims nested).  ``.gpkg``, ``.kml`` → one row per (event, site)
    with the flat columns of :meth:`EventSet.site_table` and the whole event in
    ``event_json`` (lossless); ``.shp`` → the flat columns only (short names;
    points, footprints as their representative point).  Coordinates are lon/lat
    degrees (EPSG:4326); radii in meters.  pyogrio is imported lazily for the
    non-GeoJSON formats.

    Parameters
    ----------
    event_set : EventSet
    path : str or path-like
    driver : {"native", "GPKG", "ESRI Shapefile", "KML"}, optional
        Default from the suffix.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, os
    >>> from geoconflict.events.model import EventSet
    >>> p = write_events(EventSet(), os.path.join(tempfile.mkdtemp(), "e.geojson"))
    >>> len(read_events(p))
    0
    """
    path = Path(path)
    drv = driver or _DRIVERS.get(path.suffix.lower())
    if drv is None:
        raise ValueError(
            f"cannot tell the format of {path.name!r}; use a .geojson, .gpkg, .shp or "
            ".kml suffix or pass driver="
        )
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
    import numpy as np

    rows = event_set.site_table()
    shp = drv == "ESRI Shapefile"
    cols = [k for k in rows[0] if k != "geometry"] if rows else list(_SHP_NAMES)
    geoms = []
    for r in rows:
        g = r["geometry"]
        if g is None:
            g = shapely.Point()
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
            text = json.dumps(_clean(d), ensure_ascii=False, allow_nan=False)
            jsons += [text] * len(e.sites)
        field_data.append(np.array(jsons, dtype=object))
        names.append("event_json")
    if path.exists():
        path.unlink()
    kinds = {g.geom_type for g in geoms if not g.is_empty}
    gtype = kinds.pop() if len(kinds) == 1 else "Unknown"
    pyogrio.raw.write(
        str(path),
        geometry=np.array(shapely.to_wkb(np.array(geoms, dtype=object)), dtype=object),
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
    from geoconflict.geography.datasets import find_shipped

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
