"""The import report of the readers: :class:`Rejected` rows and :class:`RowError`.

Every data row a reader cannot use is left out *and listed* (action
``"rejected"``); rows kept with a problem are listed as ``"flagged"``.  Rows are
1-based data rows (the header is row 0).
"""

from __future__ import annotations

from typing import Any, Optional

from geoconflict._tables import csv_text, markdown_text

__all__ = ["Rejected", "RowError"]


class Rejected(list):
    """Rows an importer could not use or had to flag: one dict per problem.

    Each entry has ``file``, ``row`` (1-based data row; the header is row 0),
    ``column``, ``value``, ``reason`` and ``action`` (``"rejected"``: the row was
    left out; ``"flagged"``: kept, with the problem noted on the event).  The two
    are never counted together: :meth:`rejected_rows` and :meth:`flagged` keep
    them apart, :meth:`counts` and :meth:`summary` count each.

    Examples
    --------
    >>> r = Rejected()
    >>> r.add("a.csv", 3, "latitude", "95", "latitude out of range")
    >>> r.add("a.csv", 4, "longitude,latitude", "38.98,36.70",
    ...       "point lies 0.2 km inside TUR", action="flagged")
    >>> r[0]["column"], len(r.rows("rejected")), len(r.flagged())
    ('latitude', 1, 1)
    >>> r.summary()
    '1 row rejected, 1 row flagged'
    """

    COLUMNS = ("file", "row", "column", "value", "reason", "action")
    #: the actions, in report order
    ACTIONS = ("rejected", "flagged")

    def add(self, file, row, column, value, reason, action: str = "rejected") -> None:
        """Record one problem (`action`: ``"rejected"`` or ``"flagged"``)."""
        if action not in self.ACTIONS:
            raise ValueError(
                f"unknown action {action!r}; use {' or '.join(self.ACTIONS)}"
            )
        self.append(
            {
                "file": None if file is None else str(file),
                "row": row,
                "column": column,
                "value": value,
                "reason": reason,
                "action": action,
            }
        )

    def rows(self, action: Optional[str] = None) -> list[int]:
        """Distinct row numbers with problems (optionally only one action)."""
        return sorted(
            {r["row"] for r in self if action is None or r["action"] == action},
            key=lambda x: (0, x) if isinstance(x, int) else (1, str(x)),
        )

    def _only(self, action: str) -> Rejected:
        out = Rejected()
        out.extend(r for r in self if r["action"] == action)
        return out

    def rejected_rows(self) -> Rejected:
        """Return the problems that left their row out (action ``"rejected"``)."""
        return self._only("rejected")

    def flagged(self) -> Rejected:
        """Return the problems of rows that were kept (action ``"flagged"``)."""
        return self._only("flagged")

    def counts(self) -> dict:
        """Distinct rows per action: ``{"rejected": n, "flagged": m}``.

        A row is counted once per action however many problems it has; a kept row
        with a flag and a left-out row are never added together.  Rows are told
        apart by (file, row).
        """
        return {
            a: len({(r["file"], r["row"]) for r in self if r["action"] == a})
            for a in self.ACTIONS
        }

    def summary(self) -> str:
        """One line: ``"3 rows rejected, 101 rows flagged"``."""
        return ", ".join(
            f"{n} row{'' if n == 1 else 's'} {a}" for a, n in self.counts().items()
        )

    def to_csv(self, path=None) -> str:
        """Write the table as CSV (to `path` if given) and return the text."""
        return csv_text(self, self.COLUMNS, path)

    def to_markdown(self) -> str:
        """Return the table as GitHub Markdown."""
        return markdown_text(self, self.COLUMNS)

    def to_dataframe(self):
        """Return a pandas DataFrame (pandas imported lazily)."""
        from geoconflict._compat import import_optional_dependency

        pd = import_optional_dependency("pandas", "Rejected.to_dataframe")
        return pd.DataFrame(list(self), columns=list(self.COLUMNS))


class RowError(Exception):
    """A row (or feature) of a file that cannot be used: its column, value and reason.

    Raised while building an event from one row and caught by the reader, which
    adds a line to :class:`Rejected` and leaves the row out (never silently).

    Parameters
    ----------
    column : str or None
        The column (or member) at fault; None for the whole row.
    value : object
        The offending value, as read.
    reason : str
        What is wrong and, where it helps, what to do.
    """

    def __init__(self, column: Optional[str], value: Any, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason
