"""Errors and warnings raised by geoconflict.

Every error derives from :class:`GeoconflictError` and, where one fits, from the
matching builtin (``ValueError``, ``KeyError``, ``ImportError``), so that
``except ValueError`` keeps working for callers who do not know this package.
Messages say what was wrong (the value and where it was found) and what to do.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = [
    "BoundaryNotFoundError",
    "CRSError",
    "CoordinateError",
    "DataFormatError",
    "GeoconflictDeprecationWarning",
    "GeoconflictError",
    "GeoconflictWarning",
    "GeographicCRSWarning",
    "GeometryError",
    "MissingDependencyError",
    "MissingValueWarning",
    "PrecisionWarning",
    "ShapeError",
    "UnitError",
    "UnparsedPhraseWarning",
]


class GeoconflictError(Exception):
    """Root of every error raised by geoconflict."""


class CoordinateError(GeoconflictError, ValueError):
    """A longitude or latitude is out of range or not finite.

    Latitudes must lie in [-90, 90] degrees and longitudes in [-540, 540] degrees
    (they are wrapped to [-180, 180] internally).  NaN is accepted and gives NaN
    out; ``inf`` is rejected.
    """


class UnitError(GeoconflictError, ValueError):
    """A length or unit string could not be understood (e.g. ``"50 kmz"``)."""


class CRSError(GeoconflictError, ValueError):
    """A coordinate reference system is missing, unknown, or of the wrong kind."""


class GeometryError(GeoconflictError, ValueError):
    """A geometry is empty, invalid or of a type the operation does not accept."""


class ShapeError(GeoconflictError, ValueError):
    """Array arguments do not broadcast together (mismatched lengths)."""


class BoundaryNotFoundError(GeoconflictError, KeyError):
    """A country, province, border or place name/code is not in the dataset.

    The message lists the closest valid names.
    """

    def __str__(self) -> str:  # KeyError quotes its message; we do not want that
        return str(self.args[0]) if self.args else ""


class MissingDependencyError(GeoconflictError, ImportError):
    """An optional dependency needed by an adapter (geopandas, rasterio, ...) is missing."""


class DataFormatError(GeoconflictError, ValueError):
    """A file or a row of a file is not what it should be.

    Parameters
    ----------
    message : str
        What was wrong and what to do about it.
    path : str, optional
        The file.
    row : int, optional
        1-based data row (the header is row 0), if the problem is in a row.
    column : str, optional
        The column or field.
    value : object, optional
        The offending value, as read.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        row: Optional[int] = None,
        column: Optional[str] = None,
        value: Any = None,
    ) -> None:
        self.message = message
        self.path = path
        self.row = row
        self.column = column
        self.value = value
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {value!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class GeoconflictWarning(UserWarning):
    """Root of every warning issued by geoconflict."""


class GeographicCRSWarning(GeoconflictWarning):
    """A planar operation was asked of data in a geographic CRS (degrees)."""


class PrecisionWarning(GeoconflictWarning):
    """A location or value is less precise than the operation assumes."""


class MissingValueWarning(GeoconflictWarning):
    """Rows with a missing (NaN) value were left out of a result; the message says which."""


class UnparsedPhraseWarning(GeoconflictWarning):
    """Report wording could not be read; it is kept as an unparsed claim for review."""


class GeoconflictDeprecationWarning(FutureWarning):
    """A feature will change or go away in a future release."""
