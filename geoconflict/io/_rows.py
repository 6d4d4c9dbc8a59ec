"""Row machinery shared by the event readers of :mod:`geoconflict.io` (private to io).

Reading text files (UTF-8 checks), CSV/TSV and XLSX rows, number / count / date
cells, and the row accounting of :func:`run_rows`: every data row becomes an
event or a line of :class:`~geoconflict.events.model.Rejected` naming file, row
(1-based data row; the header is row 0), column, value and reason.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable, Optional, Union

from geoconflict._compat import import_optional_dependency
from geoconflict.errors import DataFormatError
from geoconflict.events.model import Event
from geoconflict.events.rejected import Rejected, RowError
from geoconflict.events.time import TIME_PRECISIONS, TimeEstimate

PathLike = Union[str, "os.PathLike[str]"]

COUNTRY_CODES = {
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


def country_code(*values: Any) -> Optional[str]:
    for v in values:
        if v is None:
            continue
        key = str(v).strip().lower()
        if key.endswith(".0"):
            key = key[:-2]
        if key in COUNTRY_CODES:
            return COUNTRY_CODES[key]
    return None


def int_code(value: Any, column: str, table: dict) -> Any:
    try:
        code = int(float(str(value).strip()))
    except (TypeError, ValueError):
        raise RowError(
            column, value, f"not a precision code; expected one of {sorted(table)}"
        ) from None
    if code not in table:
        raise RowError(
            column, value, f"unknown precision code; expected one of {sorted(table)}"
        )
    return table[code]


def num(value: Any, column: str, *, required: bool = False) -> Optional[float]:
    """Parse a number cell: None if empty (or ``required`` -> RowError).

    NaN and ±inf are not numbers a row can carry (a NULL read by GDAL arrives as
    None, see ``generic._cell``), so they raise RowError naming the column and value.
    """
    if value is None or str(value).strip() == "":
        if required:
            raise RowError(column, "", "missing value")
        return None
    try:
        x = float(str(value).strip())
    except ValueError:
        raise RowError(column, value, "not a number") from None
    if not math.isfinite(x):
        raise RowError(column, value, "not a finite number (NaN or infinite)")
    return x


def count(value: Any, column: str, *, required: bool = False, whole: bool = False):
    """Parse a casualty count: None if empty, else a finite number >= 0."""
    n = num(value, column, required=required)
    if n is not None:
        if n < 0:
            raise RowError(column, value, "a count must be >= 0")
        if whole and n != int(n):
            raise RowError(column, value, "a count must be a whole number")
    return n


def parse_date(value: Any, column: str, **kw) -> TimeEstimate:
    """Read a date cell as a TimeEstimate; a month or year text keeps its whole period.

    ``precision`` in `kw` is the finest the row claims; "2019-09" or "Sep 2019"
    give the month and "2019" the year however fine it is (see
    :class:`~geoconflict.events.model.TimeEstimate`).
    """
    if value is None or str(value).strip() == "":
        raise RowError(column, "", "missing date")
    try:
        return TimeEstimate(str(value).strip(), **kw)
    except (DataFormatError, ValueError) as exc:
        raise RowError(column, value, f"unparseable date ({exc})") from None


def coarsest(*precisions: str) -> str:
    """Return the coarsest of some time precisions (:data:`~geoconflict.events.model.TIME_PRECISIONS`)."""
    return max(precisions, key=TIME_PRECISIONS.index)


def empty(v: Any) -> Optional[str]:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def check_text(path: PathLike, raw: bytes, what: str) -> str:
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


def read_text(path: PathLike, what: str, encoding: Optional[str]) -> str:
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
    return check_text(path, raw, what)


def field_separator(path: PathLike, text: str) -> str:
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


def csv_rows(
    path: PathLike, text: str, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Parse CSV (or tab-separated, see :func:`field_separator`) text.

    Return the header and (row number, dict) pairs.  Every record after the
    header is a row (a blank line is not a record): rows whose number of fields
    differs from the header's, and rows whose cells are all empty, go to
    `rejected`.
    """
    delimiter = field_separator(path, text)
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


def require(path, header: Sequence[str], required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFormatError(
            f"missing required column(s) {missing} for {what}; the file has "
            f"{list(header)[:12]}{' ...' if len(header) > 12 else ''}",
            path=str(path),
            column=missing[0],
        )


def run_rows(
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
    while building the event (RowError, or the ValueError/TypeError of a
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
        except RowError as exc:
            rejected.add(path, rownum, exc.column, exc.value, exc.reason)
            continue
        except (ValueError, TypeError, OverflowError) as exc:
            rejected.add(path, rownum, None, rid, f"invalid row: {exc}")
            continue
        seen[rid] = rownum
        events.append(ev)
        rownums.append(rownum)
    return events, rownums


def read_json(path, text: str):
    """Parse JSON text, or raise DataFormatError naming the file, line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(
            f"not valid JSON (truncated or corrupted?): {exc.msg} at line "
            f"{exc.lineno} column {exc.colno}",
            path=str(path),
        ) from None


def rows_from_xlsx(
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
