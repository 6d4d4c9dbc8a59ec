"""Lengths and their units: one table, parsing and formatting.

All of geoconflict works in **meters**.  This module turns user text such as
``"3 km"``, ``"2 miles"``, ``"10 nmi"``, ``"500 m"`` or ``"1.5km"`` into meters
and back.  The table :data:`UNITS` is the only place where unit factors live; the
CLI, the QGIS plugin and the claim parser all read it.
"""

from __future__ import annotations

import difflib
import re
from typing import Optional, Union

import numpy as np

from geoconflict.errors import UnitError

__all__ = [
    "UNITS",
    "UNIT_LABELS",
    "format_length",
    "parse_length",
    "to_meters",
    "unit_factor",
]

#: canonical unit symbol -> meters per unit
UNITS: dict[str, float] = {
    "m": 1.0,
    "km": 1000.0,
    "mi": 1609.344,  # international statute mile
    "nmi": 1852.0,  # international nautical mile
    "ft": 0.3048,
    "yd": 0.9144,
}

#: canonical unit symbol -> human label (used by the CLI and the QGIS plugin)
UNIT_LABELS: dict[str, str] = {
    "m": "meters",
    "km": "kilometers",
    "mi": "miles (statute)",
    "nmi": "nautical miles",
    "ft": "feet",
    "yd": "yards",
}

_ALIASES: dict[str, str] = {
    "m": "m",
    "meter": "m",
    "meters": "m",
    "metre": "m",
    "metres": "m",
    "km": "km",
    "kms": "km",
    "kilometer": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometres": "km",
    "mi": "mi",
    "mile": "mi",
    "miles": "mi",
    "nmi": "nmi",
    "nm": "nmi",
    "nautical mile": "nmi",
    "nautical miles": "nmi",
    "ft": "ft",
    "foot": "ft",
    "feet": "ft",
    "yd": "yd",
    "yard": "yd",
    "yards": "yd",
}

_LENGTH_RE = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d+(?:[.,]\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<unit>[^\d\s].*?)?\s*$"
)


def unit_factor(unit: str) -> float:
    """Return the number of meters in one `unit`.

    Parameters
    ----------
    unit : str
        A unit symbol or name: ``"m"``, ``"km"``, ``"mi"``/``"miles"``,
        ``"nmi"``/``"nautical miles"``, ``"ft"``, ``"yd"`` (case-insensitive).

    Returns
    -------
    float
        Meters per unit.

    Raises
    ------
    UnitError
        If the unit is unknown; the message suggests the closest known units.

    Examples
    --------
    >>> unit_factor("nmi")
    1852.0
    >>> unit_factor("Miles")
    1609.344
    """
    key = re.sub(r"\s+", " ", str(unit).strip().lower())
    try:
        return UNITS[_ALIASES[key]]
    except KeyError:
        close = difflib.get_close_matches(key, list(_ALIASES), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnitError(
            f"unknown length unit {unit!r}.{hint} Known units: "
            f"{', '.join(sorted(UNITS))}."
        ) from None


def parse_length(
    text: Union[str, float, int], default_unit: Optional[str] = None
) -> float:
    """Parse a length such as ``"3 km"`` or ``"1.5km"`` into meters.

    Parameters
    ----------
    text : str or number
        The length.  A bare number is taken in `default_unit`.
    default_unit : str, optional
        Unit for bare numbers.  If None, a bare number is an error (it would be
        ambiguous).

    Returns
    -------
    float
        The length in meters.

    Raises
    ------
    UnitError
        If the text has no number, an unknown unit, or no unit and no default.

    Examples
    --------
    >>> parse_length("3 km")
    3000.0
    >>> parse_length("2 miles")
    3218.688
    >>> parse_length("10 nmi")
    18520.0
    >>> parse_length("1.5km")
    1500.0
    >>> parse_length(250, default_unit="m")
    250.0
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(
        text, bool
    ):
        if default_unit is None:
            raise UnitError(
                f"length {text!r} has no unit; write it with one, e.g. '{text} km', "
                "or pass default_unit='m'."
            )
        return float(text) * unit_factor(default_unit)
    s = str(text)
    match = _LENGTH_RE.match(s)
    if match is None:
        raise UnitError(
            f"cannot read {s!r} as a length; write a number and a unit, "
            "e.g. '50 km', '2 miles', '10 nmi', '500 m'."
        )
    number = float(match.group("num").replace(",", "."))
    unit = match.group("unit")
    if unit is None:
        if default_unit is None:
            raise UnitError(
                f"length {s!r} has no unit; write it with one, e.g. '{s} km'."
            )
        unit = default_unit
    return number * unit_factor(unit)


def to_meters(value, unit: str = "m"):
    """Convert `value` given in `unit` to meters.

    Parameters
    ----------
    value : float or array_like
        Lengths in `unit`.
    unit : str
        Any unit :func:`unit_factor` accepts.

    Returns
    -------
    float or numpy.ndarray
        Meters; scalar in gives scalar out.

    Examples
    --------
    >>> to_meters(2, "km")
    2000.0
    >>> to_meters([1, 2], "nmi").tolist()
    [1852.0, 3704.0]
    """
    factor = unit_factor(unit)
    arr = np.asarray(value, dtype=float) * factor
    return float(arr) if arr.ndim == 0 else arr


def format_length(meters: float, unit: Optional[str] = None, *, digits: int = 3) -> str:
    """Format a length in meters for people, e.g. ``"3 km"`` or ``"250 m"``.

    Parameters
    ----------
    meters : float
        The length in meters.
    unit : str, optional
        Unit to use; by default ``"km"`` from 1 km upwards and ``"m"`` below.
    digits : int
        Significant digits kept.

    Returns
    -------
    str
        The formatted length.

    Examples
    --------
    >>> format_length(100000)
    '100 km'
    >>> format_length(2500)
    '2.5 km'
    >>> format_length(3218.688, "mi")
    '2 mi'
    >>> format_length(480)
    '480 m'
    """
    if unit is None:
        unit = "km" if abs(meters) >= 1000 else "m"
    factor = unit_factor(unit)
    value = meters / factor
    if not np.isfinite(value):
        return f"{value} {unit}"
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{value:.0f}"
    return f"{text} {_ALIASES[unit.lower()] if unit.lower() in _ALIASES else unit}"
