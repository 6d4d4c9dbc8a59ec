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

import shapely
from shapely.geometry import mapping, shape

from geoconflict._compat import import_optional_dependency
from geoconflict.errors import CoordinateError, DataFormatError
from geoconflict.events.claims import AttributionClaim, CasualtyClaim, Source
from geoconflict.events.model import Category, Event, EventSet, Rejected, TimeEstimate
from geoconflict.events.sites import Location, Site
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_coordinate

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

#: coarse extents (lon_min, lat_min, lon_max, lat_max; degrees, about 0.5°
#: margin) of countries of the region, used to catch swapped or sign-flipped
#: coordinates; a point outside its row's country extent is rejected.
_COUNTRY_EXTENT = {
    "SYR": (35.2, 31.8, 42.9, 37.8),
    "IRQ": (38.3, 28.5, 49.1, 37.9),
    "LBN": (34.6, 32.6, 37.1, 35.2),
    "ISR": (33.8, 29.0, 36.4, 33.8),
    "PSE": (33.7, 30.9, 36.1, 32.9),
    "JOR": (34.4, 28.7, 39.8, 33.9),
    "TUR": (25.2, 35.3, 45.3, 42.6),
    "IRN": (43.5, 24.6, 63.8, 40.3),
    "SAU": (34.0, 15.8, 56.0, 32.7),
    "YEM": (41.6, 11.6, 54.0, 19.5),
    "EGY": (24.2, 21.5, 37.4, 32.1),
    "KWT": (46.0, 28.0, 49.0, 30.6),
}
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


def _in_extent(lon: float, lat: float, ext) -> bool:
    return ext[0] <= lon <= ext[2] and ext[1] <= lat <= ext[3]


def _check_point(
    lon: float, lat: float, country: Optional[str], cols=("longitude", "latitude")
):
    """Raise _RowError for unusable coordinates (degrees)."""
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
    ext = _COUNTRY_EXTENT.get(country) if country else None
    if ext is not None and not _in_extent(lon, lat, ext):
        if _in_extent(lat, lon, ext):
            raise _RowError(
                f"{lon_col},{lat_col}",
                f"{lon},{lat}",
                f"point lies outside {country} but the swapped point ({lat}, {lon}) "
                f"lies inside: latitude and longitude are swapped",
            )
        raise _RowError(
            f"{lon_col},{lat_col}",
            f"{lon},{lat}",
            f"point (lon {lon}, lat {lat}) lies outside the extent of {country}, the "
            "row's country (wrong sign, swapped or mistyped coordinates?)",
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


def _num(value: Any, column: str, *, required: bool = False) -> float:
    if value is None or str(value).strip() == "":
        if required:
            raise _RowError(column, "", "missing value")
        return math.nan
    try:
        return float(str(value).strip())
    except ValueError:
        raise _RowError(column, value, "not a number") from None


def _date(value: Any, column: str, **kw) -> TimeEstimate:
    if value is None or str(value).strip() == "":
        raise _RowError(column, "", "missing date")
    try:
        return TimeEstimate(str(value).strip(), **kw)
    except (DataFormatError, ValueError) as exc:
        raise _RowError(column, value, f"unparseable date ({exc})") from None


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


def _csv_rows(
    path: PathLike, text: str, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Parse CSV text; return the header and (row number, dict) pairs.

    Rows whose number of fields differs from the header's go to `rejected`.
    """
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        rows = list(reader)
    except csv.Error as exc:
        raise DataFormatError(
            f"not a readable CSV file: {exc}", path=str(path)
        ) from None
    if not header:
        raise DataFormatError("the CSV file has no header row", path=str(path))
    header = [h.strip().lower() for h in header]
    good, bad = [], []
    for i, r in enumerate(rows, start=1):
        if not any(c.strip() for c in r):
            continue
        if len(r) != len(header):
            bad.append((i, r))
            continue
        good.append((i, dict(zip(header, r))))
    for i, r in bad:
        rejected.add(
            path,
            i,
            None,
            ",".join(r)[:80],
            f"row has {len(r)} fields, the header has {len(header)} (truncated or "
            "unquoted comma?)",
        )
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
    build: Callable[[dict, Rejected, int], Event],
    rejected: Rejected,
    id_of: Callable[[dict], Optional[str]],
    id_column: str,
) -> list[Event]:
    events: list[Event] = []
    seen: dict[str, int] = {}
    for rownum, row in rows:
        rid = id_of(row)
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
            ev = build(row, rejected, rownum)
        except _RowError as exc:
            rejected.add(path, rownum, exc.column, exc.value, exc.reason)
            continue
        seen[rid] = rownum
        events.append(ev)
    return _country_pass(path, events, [seen[e.id] for e in events], rejected)


def _country_pass(path, events: list, rownums: list, rejected: Rejected) -> list:
    """Check points against their row's country with geoconflict.geography.borders, if present.

    Vectorized over all rows (one ``country_at`` call).  A point at sea whose row
    names a country, or whose swapped (lat, lon) falls in that country, is rejected;
    a point in a neighbouring country is kept and flagged (border datasets are only
    good to a few km).  Without geoconflict.geography.borders only the coarse extent table
    applies (in :func:`_check_point`).
    """
    try:
        from geoconflict.geography import borders as _borders

        country_at = _borders.country_at
        country = _borders.country
    except (ImportError, AttributeError):
        return events
    import numpy as np

    from geoconflict.errors import GeoconflictError

    codes_cache: dict = {}

    def iso3(name):
        if name not in codes_cache:
            try:
                codes_cache[name] = country(name).iso3
            except (GeoconflictError, KeyError, LookupError):
                codes_cache[name] = None
        return codes_cache[name]

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
    lon = np.array([events[i].sites[0].location.lon for i in idx])
    lat = np.array([events[i].sites[0].location.lat for i in idx])
    got = np.asarray(country_at(lon, lat), dtype=object)
    bad = [k for k in range(len(idx)) if got[k] != want[k]]
    drop = set()
    if bad:
        bl = np.array([lat[k] for k in bad])  # swapped: lat as lon
        bo = np.array([lon[k] for k in bad])
        ok = np.abs(bo) <= 90
        swapped = np.full(len(bad), None, dtype=object)
        if ok.any():
            swapped[ok] = np.asarray(country_at(bl[ok], bo[ok]), dtype=object)
        for j, k in enumerate(bad):
            i = idx[k]
            value = f"{lon[k]},{lat[k]}"
            if swapped[j] == want[k]:
                reason = (
                    f"point lies {'at sea' if got[k] is None else 'in ' + str(got[k])} "
                    f"but the swapped point lies in {want[k]}, the row's country: "
                    "latitude and longitude are swapped"
                )
                action = "rejected"
            elif got[k] is None:
                reason = f"point lies at sea, but the row's country is {want[k]}"
                action = "rejected"
            else:
                reason = (
                    f"point lies in {got[k]} but the row's country is {want[k]} (kept: "
                    "near a border this can be the border dataset's error)"
                )
                action = "flagged"
            rejected.add(
                path, rownums[i], "longitude,latitude", value, reason, action=action
            )
            if action == "rejected":
                drop.add(i)
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
    fat = row.get("fatalities")
    if _empty(fat) is not None:
        n = _num(fat, "fatalities")
        if n < 0 or n != int(n):
            raise _RowError("fatalities", fat, "fatalities must be a whole number >= 0")
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


def _rows_from_json(path, text: str) -> tuple[list[str], list[tuple[int, dict]]]:
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
    rows = [
        (i, {str(k).lower(): ("" if v is None else str(v)) for k, v in r.items()})
        for i, r in enumerate(data, start=1)
    ]
    header = sorted({k for _, r in rows for k in r})
    return header, rows


def _rows_from_xlsx(path) -> tuple[list[str], list[tuple[int, dict]]]:
    openpyxl = import_optional_dependency("openpyxl", "reading ACLED XLSX files")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise DataFormatError(
            f"not a readable XLSX workbook: {exc}", path=str(path)
        ) from None
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in next(it, [])]
    rows = []
    for i, r in enumerate(it, start=1):
        if r is None or all(v is None for v in r):
            continue
        rows.append((i, {h: ("" if v is None else str(v)) for h, v in zip(header, r)}))
    wb.close()
    return header, rows


def _tabular(path, fmt: Optional[str], encoding, what: str, rejected: Rejected):
    suffix = Path(path).suffix.lower()
    fmt = fmt or {".json": "json", ".xlsx": "xlsx"}.get(suffix, "csv")
    if fmt == "xlsx":
        return _rows_from_xlsx(path)
    text = _read_text(path, what, encoding)
    if fmt == "json":
        return _rows_from_json(path, text)
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
    events = _run_rows(
        path,
        rows,
        lambda row, rej, n: _acled_event(path, row, rej, n),
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
    try:
        time = TimeEstimate(start.start, end.end, precision=tprec)
    except ValueError as exc:
        raise _RowError("date_end", row.get("date_end"), str(exc)) from None
    best = _num(row.get("best"), "best", required=True)
    low = _num(row.get("low"), "low")
    high = _num(row.get("high"), "high")
    for name, v in (("best", best), ("low", low), ("high", high)):
        if not math.isnan(v) and v < 0:
            raise _RowError(name, v, "deaths must be >= 0")
    if not math.isnan(low) and low > best:
        raise _RowError(
            "low", row.get("low"), f"low ({low:g}) is above best ({best:g})"
        )
    if not math.isnan(high) and high < best:
        raise _RowError(
            "high", row.get("high"), f"high ({high:g}) is below best ({best:g})"
        )
    claims = [
        CasualtyClaim(
            "ucdp-ged",
            "killed",
            best=best,
            low=None if math.isnan(low) else low,
            high=None if math.isnan(high) else high,
            note="UCDP GED best/low/high estimate",
        )
    ]
    civ = _num(row.get("deaths_civilians"), "deaths_civilians")
    if not math.isnan(civ):
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
    events = _run_rows(
        path,
        rows,
        lambda row, rej, n: _ucdp_event(path, row, rej, n),
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
    for i, s in enumerate(data.get("sources") or []):
        try:
            sources.append(Source.from_dict(s))
        except (TypeError, ValueError) as exc:
            raise DataFormatError(
                f"source {i} is invalid: {exc}",
                path=None if path is None else str(path),
                column="sources",
                value=s.get("id") if isinstance(s, dict) else s,
            ) from None
    rejected = Rejected()
    events = []
    seen = {}
    for i, f in enumerate(data.get("features") or [], start=1):
        props = dict((f or {}).get("properties") or {})
        for k in _DERIVED:
            props.pop(k, None)
        props.setdefault("id", f.get("id"))
        try:
            ev = Event.from_dict(props)
        except DataFormatError as exc:
            rejected.add(path, i, None, props.get("id"), str(exc))
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
    "date": ("date", "event_date", "start", "date_start", "datetime", "time"),
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
    found = {}
    low = {h.strip().lower(): h for h in header}
    for key, names in _COLS.items():
        for n in names:
            if n in low:
                found[key] = low[n]
                break
    return found


def _generic_event(
    path,
    row: dict,
    cols: dict,
    geometry,
    rownum: int,
    rejected: Rejected,
    file_source: str,
) -> Event:
    def get(key):
        c = cols.get(key)
        return None if c is None else _empty(row.get(c))

    eid = get("id") or f"row-{rownum}"
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
    date = get("date")
    if date is None:
        raise _RowError(cols.get("date", "date"), "", "missing date")
    try:
        time = TimeEstimate(date, get("end"), precision=(tp or "day").lower())
    except (ValueError, DataFormatError) as exc:
        raise _RowError(
            cols.get("date"), date, f"unparseable date or time precision ({exc})"
        ) from None
    src = get("source") or file_source
    claims = []
    for key in ("killed", "wounded"):
        v = get(key)
        if v is not None:
            n = _num(v, cols[key])
            if n < 0:
                raise _RowError(cols[key], v, "must be >= 0")
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


def _read_generic_rows(path, header, rows, geoms, rejected) -> EventSet:
    cols = _detect(header)
    file_source = Path(path).name
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
            f"no date column found (date, event_date, start, date_start); the file has {list(header)[:12]}",
            path=str(path),
            column="date",
        )
    geo_by_row = dict(geoms) if geoms is not None else {}
    events = _run_rows(
        path,
        rows,
        lambda row, rej, n: _generic_event(
            path,
            row,
            cols,
            geo_by_row.get(n) if geoms is not None else None,
            n,
            rej,
            file_source,
        ),
        rejected,
        lambda r: _empty(r.get(cols["id"])) if "id" in cols else f"row-{id(r)}",
        cols.get("id", "id"),
    )
    return EventSet(events, _sources_for(events, file_source), rejected)


def _read_vector(path) -> EventSet:
    pyogrio = import_optional_dependency("pyogrio", "reading GeoPackage/Shapefile/KML")
    try:
        meta, _fids, geometry, field_data = pyogrio.raw.read(path)
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError ...
        raise DataFormatError(
            f"not a readable vector file: {exc}", path=str(path)
        ) from None
    names = [str(n) for n in meta["fields"]]
    columns = {n.lower(): list(v) for n, v in zip(names, field_data)}
    n = len(geometry) if geometry is not None else 0
    geoms = [
        None if g is None else shapely.from_wkb(g)
        for g in (geometry if geometry is not None else [])
    ]
    rejected = Rejected()
    if "event_json" in columns:
        seen = {}
        events = []
        sources = {}
        for i in range(n):
            raw = columns["event_json"][i]
            if raw is None or raw in seen:
                continue
            try:
                data = json.loads(raw)
            except (TypeError, json.JSONDecodeError) as exc:
                rejected.add(
                    path, i + 1, "event_json", str(raw)[:60], f"not valid JSON: {exc}"
                )
                continue
            for s in data.pop("_sources", []):
                sources[s["id"]] = Source.from_dict(s)
            try:
                ev = Event.from_dict(data)
            except DataFormatError as exc:
                rejected.add(path, i + 1, "event_json", data.get("id"), str(exc))
                continue
            seen[raw] = i + 1
            events.append(ev)
        return EventSet(events, sources, rejected)
    header = list(columns)
    rows = []
    for i in range(n):
        rows.append(
            (
                i + 1,
                {k: (None if v[i] is None else str(v[i])) for k, v in columns.items()},
            )
        )
    return _read_generic_rows(
        path, header, rows, [(i + 1, g) for i, g in enumerate(geoms)], rejected
    )


def _read_geojson(path, text: str) -> EventSet:
    data = _json(path, text)
    if (
        isinstance(data, dict)
        and data.get("geoconflict", {}).get("name") == NATIVE_FORMAT["name"]
    ):
        return from_native(data, path=path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFormatError("expected a GeoJSON FeatureCollection", path=str(path))
    feats = data.get("features") or []
    header = sorted(
        {str(k).lower() for f in feats for k in ((f or {}).get("properties") or {})}
    )
    rows, geoms = [], []
    rejected = Rejected()
    for i, f in enumerate(feats, start=1):
        props = {
            str(k).lower(): (None if v is None else str(v))
            for k, v in ((f or {}).get("properties") or {}).items()
        }
        if f.get("id") is not None and "id" not in props:
            props["id"] = str(f["id"])
            if "id" not in header:
                header.append("id")
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
        geoms.append((i, g))
    return _read_generic_rows(path, header, rows, geoms, rejected)


def read_events(path: PathLike, *, encoding: Optional[str] = None) -> EventSet:
    r"""Read events from a generic CSV, GeoJSON, GeoPackage, Shapefile or KML file.

    The native geoconflict GeoJSON (and GeoPackage/KML written by
    :func:`write_events`) come back losslessly.  Other files are read as one event
    per row: coordinates from the geometry, or in CSV from lat/lon columns detected
    by name (``lat``/``latitude``, ``lon``/``lng``/``longitude``; decimal or DMS
    like ``34°27'08"N``) or an ``mgrs`` column (``37SFU7714`` → the grid square as
    the footprint); a date column (``date``, ``event_date``, ``start``); optional
    ``id``, ``precision``, ``time_precision``, ``radius_m``, ``name``, ``role``,
    ``country``, ``admin1``, ``killed``/``fatalities``, ``wounded``, ``source``,
    ``notes``.

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
    if suffix in (".csv", ".txt", ".tsv"):
        rejected = Rejected()
        text = _read_text(path, "a CSV file", encoding)
        header, rows = _csv_rows(path, text, rejected)
        return _read_generic_rows(path, header, rows, None, rejected)
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
    from geoconflict.geography.datasets import _shipped

    # packaged in the wheel, or the top-level examples/ folder of a source checkout
    res = _shipped(f"_data/examples/{filename}", f"examples/{filename}")
    if res is None:
        raise DataFormatError(
            f"example file {filename!r} is missing from this installation; "
            "reinstall geoconflict",
            path=f"examples/{filename}",
        )
    text = res.read_bytes().decode("utf-8")
    return from_native(json.loads(text), path=filename)
