r"""Whole-column reading of delimited files for the readers of :mod:`geoconflict.io` (private).

:func:`csv_batches` reads a CSV/TSV file with pyarrow's CSV reader in batches and
gives, for each batch, the data rows as Arrow string columns with their row
numbers (1-based data rows; the header is row 0), the same numbers and the same
reports (rows whose number of fields differs from the header's) as the row-wise
:func:`geoconflict.io._rows.csv_rows`.  A file it cannot number exactly the same
way (blank lines, values spanning lines, a quoted header, bare ``\\r`` line ends)
gives None and the reader uses the row-wise path for it.

The cell helpers (:func:`trimmed`, :func:`decimal`, :func:`iso_day`) accept only
texts whose meaning is the same as the row-wise parsers'; every other cell marks
its row for the row-wise builder, which reports it exactly as before.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import numpy as np

from geoconflict._compat import import_optional_dependency
from geoconflict.events.rejected import Rejected
from geoconflict.io._rows import check_text, field_separator

#: cells starting or ending with these are trimmed differently by Python's
#: str.strip() and Arrow's utf8_trim_whitespace: their rows go the row-wise way
_ODD_SPACE = (
    "\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ODD_PLAIN = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f", b"\xc2\x85",
              b"\xc2\xa0", b"\xe1\x9a\x80", b"\xe2\x81\x9f", b"\xe3\x80\x80")  # fmt: skip
_ODD_BYTES = re.compile(rb"\xe2\x80[\x80-\x8a\xa8\xa9\xaf]")
_ODD_EDGE = f"^[{_ODD_SPACE}]|[{_ODD_SPACE}]$"
_DECIMAL = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: bytes per batch of the streaming reader
BLOCK_SIZE = 16 << 20


def pyarrow_modules():
    """Return (pyarrow, pyarrow.compute, pyarrow.csv), or raise MissingDependencyError."""
    pa = import_optional_dependency(
        "pyarrow", "reading whole columns (engine='columns')"
    )
    return (
        pa,
        import_optional_dependency("pyarrow.compute"),
        import_optional_dependency("pyarrow.csv"),
    )


def columns_available() -> bool:
    """Return True if pyarrow is installed (the readers' ``engine="columns"``)."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


class _Scan:
    """What the reader needs to know of a file, read in pieces (never whole in memory)."""

    def __init__(self, path, what: str) -> None:
        step = BLOCK_SIZE
        dec = codecs.getincrementaldecoder("utf-8-sig")()
        self.lines = 0  # b"\n" count
        self.blank_line = False  # an empty line (the row-wise reader skips it)
        self.odd = False  # whitespace Python and Arrow trim apart
        self.first = b""  # the header line (without its line end)
        self.bom = False
        last = b""
        size = 0
        nonblank = False
        ok = True
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(step)
                if not chunk:
                    break
                if not size:
                    self.bom = chunk.startswith(codecs.BOM_UTF8)
                    head = chunk[3:] if self.bom else chunk
                    end = head.find(b"\n")
                    self.first = head[: end if end >= 0 else len(head)]
                    if b"\x00" in chunk[:8192]:
                        ok = False
                        break
                size += len(chunk)
                try:
                    dec.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
                    break
                nonblank = nonblank or not chunk.isspace()
                edge = last + chunk[:2]  # patterns across the pieces' boundary
                self.lines += int(
                    np.count_nonzero(np.frombuffer(chunk, np.uint8) == 10)
                )
                self.blank_line = self.blank_line or any(
                    p in c for p in (b"\n\n", b"\n\r\n") for c in (chunk, edge)
                )
                self.odd = (
                    self.odd
                    or any(p in c for p in _ODD_PLAIN for c in (chunk, edge))
                    or any(_ODD_BYTES.search(c) is not None for c in (chunk, edge))
                )
                last = chunk[-2:]
            self.ends_with_newline = last.endswith(b"\n")
        try:
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            ok = False
        self.size = size
        if not ok or not nonblank:
            check_text(path, Path(path).read_bytes(), what)  # raises its error
            raise AssertionError  # pragma: no cover (check_text raised)


class CsvBatch:
    """Data rows of one batch: Arrow string columns (by header position) and row numbers."""

    def __init__(self, columns: list, rows: np.ndarray, odd: bool) -> None:
        self.columns = columns
        self.rows = rows
        #: the file has cells whose ends Python and Arrow trim differently
        self.odd = odd

    def __len__(self) -> int:
        return len(self.rows)


def csv_batches(
    path, what: str, rejected: Rejected, progress: Optional[bool] = None
) -> Optional[tuple[list, Iterator[CsvBatch]]]:
    """Read a CSV/TSV file in batches; None when the row-wise reader must number it.

    Returns the header (lower-case, stripped, as :func:`csv_rows` gives it) and an
    iterator of :class:`CsvBatch`; rows with the wrong number of fields are
    reported to `rejected` (after the iterator is used up, in row order).
    `progress`: show a progress bar on standard error (default: when it is a
    terminal).
    """
    pa, _, pcsv = pyarrow_modules()
    try:
        scan = _Scan(path, what)
    except OSError:
        return None  # the row-wise reader raises the DataFormatError
    first = scan.first
    if b'"' in first or scan.blank_line or scan.lines == 0:
        return None
    text_first = first.decode("utf-8").rstrip("\r")
    delimiter = field_separator(path, text_first)
    header = next(csv.reader(io.StringIO(text_first), delimiter=delimiter), [])
    if not header:
        return None
    header = [h.strip().lower() for h in header]
    n_lines = scan.lines + (0 if scan.ends_with_newline else 1) - 1
    # bare \r line ends and values spanning lines change the line count: the
    # check at the end of the batches sends such files the row-wise way
    odd = scan.odd
    bad: list = []

    def handler(row):
        bad.append((row.number, row.text))
        return "skip"

    names = [f"c{k}" for k in range(len(header))]
    stream = open(path, "rb")
    if scan.bom:
        stream.seek(3)
    reader = pcsv.open_csv(
        pa.PythonFile(stream, mode="r"),
        read_options=pcsv.ReadOptions(
            column_names=names, skip_rows=1, use_threads=False, block_size=BLOCK_SIZE
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=False,
            ignore_empty_lines=False,
            invalid_row_handler=handler,
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={c: pa.string() for c in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if progress is None:
        progress = sys.stderr.isatty()
    tqdm = import_optional_dependency("tqdm").tqdm if progress else None

    def batches() -> Iterator[CsvBatch]:
        bar = (
            tqdm(total=scan.size, unit="B", unit_scale=True, desc=Path(path).name)
            if tqdm
            else None
        )
        done = 0  # rows given so far (good ones and skipped ones)
        given: list = []
        for b in reader:
            if bar is not None:
                bar.update(min(BLOCK_SIZE, scan.size - bar.n))
            if not b.num_rows:
                continue
            # the reader parses ahead, so the rows it skipped in this batch are
            # known by now: the batch holds the next num_rows rows not skipped
            skipped = np.sort(np.array([n for n, _ in bad], dtype=np.int64) - 1)
            lo, hi = done + 1, done + b.num_rows
            while True:
                k = int(
                    np.searchsorted(skipped, hi, "right")
                    - np.searchsorted(skipped, lo, "left")
                )
                if done + b.num_rows + k == hi:
                    break
                hi = done + b.num_rows + k
            rows = np.arange(lo, hi + 1)
            rows = rows[~np.isin(rows, skipped)]
            done = hi
            given.append(rows)
            yield CsvBatch([b.column(k) for k in range(len(names))], rows, odd)
        if bar is not None:
            bar.close()
        stream.close()
        skipped = np.array([n for n, _ in bad], dtype=np.int64) - 1
        if done + int(np.sum(skipped > done)) != n_lines or any(
            np.isin(g, skipped).any() for g in given
        ):
            raise Renumber
        for number, text in bad:
            r = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
            if not any(c.strip() for c in r):
                rejected.add(
                    path, number - 1, None, "", "empty row (every cell is empty)"
                )
            else:
                rejected.add(
                    path,
                    number - 1,
                    None,
                    delimiter.join(r)[:80],
                    f"row has {len(r)} fields, the header has {len(header)} (truncated "
                    "or unquoted separator?)",
                )

    return header, batches()


class Renumber(Exception):
    """The file's records are not one per line: number its rows row-wise."""


def trimmed(pc, arr):
    """Return the cells without surrounding whitespace (as :meth:`str.strip`)."""
    return pc.utf8_trim_whitespace(arr)


def odd_edges(pc, arr) -> np.ndarray:
    """Return True where a cell starts or ends with whitespace Arrow and Python trim apart."""
    return to_numpy(pc.match_substring_regex(arr, _ODD_EDGE))


def decimal(pa, pc, arr) -> tuple[np.ndarray, np.ndarray]:
    """Read trimmed decimal texts: (values, ok); ``ok`` False where the text is not one.

    Only plain decimals (``-12.5``, ``1e3``) are read here, by Arrow's correctly
    rounded parser (the same double as :func:`float`); anything else is left to
    the row-wise parser.
    """
    ok = pc.match_substring_regex(arr, _DECIMAL)
    vals = pc.cast(pc.if_else(ok, arr, pa.scalar("nan")), pa.float64())
    return to_numpy(vals).astype(float), to_numpy(ok)


def iso_day(pa, pc, arr) -> tuple[np.ndarray, np.ndarray]:
    """Read trimmed ``YYYY-MM-DD`` texts: (datetime64[D] values, ok)."""
    ok = pc.match_substring_regex(arr, _ISO_DAY)
    ts = pc.strptime(
        pc.if_else(ok, arr, pa.scalar("1970-01-01")),
        format="%Y-%m-%d",
        unit="s",
        error_is_null=True,
    )
    vals = to_numpy(pc.fill_null(ts.cast(pa.int64()), 0)).astype("datetime64[s]")
    # strptime rolls "2019-02-30" over to March: only dates that print back as
    # they were written are the day they name
    back = np.datetime_as_string(vals.astype("datetime64[D]"), unit="D").astype(object)
    good = to_numpy(pc.fill_null(pc.and_(ok, pc.is_valid(ts)), False)) & (
        back == to_numpy(arr).astype(object)
    )
    return vals.astype("datetime64[D]"), good


def objects(pc, arr) -> np.ndarray:
    """Return the cells as an object array of str (repeated texts share one object)."""
    enc = pc.dictionary_encode(arr)
    values = np.asarray(enc.dictionary.to_pylist(), dtype=object)
    if not len(values):
        return np.empty(len(arr), dtype=object)
    return values[to_numpy(enc.indices)]


def to_numpy(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)
