"""Tables of dicts as text: CSV and GitHub Markdown (one writer for the package).

A table is a sequence of dicts and the column names to write, in order; a key
missing from a row is an empty cell.  Used by the result tables
(:class:`~geoconflict.events.model.Rejected`,
:class:`~geoconflict.events.check.ClaimCheck`).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable
from typing import Optional, Union

__all__ = ["csv_text", "format_cell", "markdown_text"]


def csv_text(
    rows: Iterable[dict],
    columns: Iterable[str],
    path: Optional[Union[str, os.PathLike[str]]] = None,
) -> str:
    r"""Return `rows` as CSV text with the header `columns`; write it to `path` if given.

    Parameters
    ----------
    rows : iterable of dict
        One dict per row; keys outside `columns` raise ``ValueError`` (a column
        would be lost), missing keys are empty cells.
    columns : iterable of str
        The header, in order.
    path : str or path-like, optional
        File written as UTF-8 (``\r\n`` line ends, RFC 4180).

    Returns
    -------
    str

    Examples
    --------
    >>> csv_text([{"a": 1, "b": "x,y"}, {"a": 2}], ["a", "b"]).splitlines()
    ['a,b', '1,"x,y"', '2,']
    """
    columns = list(columns)
    buf = io.StringIO()
    w = csv.writer(buf)  # "\r\n" line ends (RFC 4180): a lone "\r" in a cell is quoted
    w.writerow(columns)
    for r in rows:
        extra = set(r) - set(columns)
        if extra:
            raise ValueError(f"row has keys outside the columns: {sorted(extra)}")
        w.writerow([format_cell(r.get(c)) for c in columns])
    text = buf.getvalue()
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return text


#: every line break str.splitlines() knows: a Markdown table row is one line
_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def format_cell(value) -> str:
    """Return one table cell as text: None, NaN and inf are empty.

    Floats keep up to 6 decimals (micrometres for meters, 0.1 m for degrees is
    1e-6 of a degree), trailing zeros dropped; huge floats use ``repr``.

    Examples
    --------
    >>> format_cell(6735.0199999), format_cell(float("nan")), format_cell(None), format_cell(3)
    ('6735.02', '', '', '3')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return (
            f"{value:.6f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else repr(value)
        )
    return str(value)


def _md_cell(value) -> str:
    return _BREAKS.sub(" ", format_cell(value).replace("|", "\\|"))


def markdown_text(rows: Iterable[dict], columns: Iterable[str]) -> str:
    r"""Return `rows` as a GitHub Markdown table with the header `columns`.

    None and NaN are empty cells, floats as :func:`format_cell`, ``|``
    is escaped and line breaks (``\r``, ``\n``, ``\u2028`` ...) become spaces.

    Examples
    --------
    >>> print(markdown_text([{"a": 1.23456789, "b": "x|y"}], ["a", "b"]), end="")
    | a | b |
    | --- | --- |
    | 1.234568 | x\|y |
    """
    columns = list(columns)
    lines = [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    lines += [
        "| " + " | ".join(_md_cell(r.get(c)) for c in columns) + " |" for r in rows
    ]
    return "\n".join(lines) + "\n"
