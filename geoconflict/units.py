"""Lengths and their units: one table, parsing and formatting.

All of geoconflict works in **meters**.  This module turns user text such as
``"3 km"``, ``"2 miles"``, ``"10 nmi"``, ``"500 m"`` or ``"1.5km"`` into meters
and back.  The table :data:`UNITS` is the only place where unit factors live; the
CLI, the QGIS plugin and the claim parser all read it.

It is also the one parser of lists of lengths (:func:`parse_lengths`,
``"100, 200 km"``), of length arguments that may be numbers or text
(:func:`as_meters`), and the one check of lists of lengths
(:func:`check_lengths`: positive, finite, at most a limit, increasing), so that
the library, the CLI and the plugin read ``--radii "5, 10 km"`` alike.
:func:`geoconflict.geodesy.ellipsoid.check_radii` adds the ellipsoid's limit
(half the meridian).
"""

from __future__ import annotations

import difflib
import re
from typing import Optional, Union

import numpy as np

from geoconflict._typing import ArrayLike, FloatArray, FloatOrArray
from geoconflict.errors import GeometryError, UnitError

__all__ = [
    "UNITS",
    "UNIT_LABELS",
    "as_meters",
    "check_increasing",
    "check_lengths",
    "format_length",
    "format_range",
    "parse_length",
    "parse_lengths",
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


def to_meters(value: ArrayLike, unit: str = "m") -> FloatOrArray:
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


def format_range(min_m: float, max_m: float, unit: Optional[str] = None) -> str:
    """Label a range from `min_m` to `max_m` meters, e.g. ``"20–70 km"``.

    A minimum of 0 (or less) gives the maximum alone.  Both ends use one unit:
    `unit`, or ``"km"`` when the maximum is 1 km or more, else ``"m"``.

    Examples
    --------
    >>> format_range(20_000, 70_000)
    '20–70 km'
    >>> format_range(0, 500)
    '500 m'
    >>> format_range(9_260, 18_520, "nmi")
    '5–10 nmi'
    """
    if min_m <= 0:
        return format_length(max_m, unit)
    u = unit or ("km" if max_m >= 1000 else "m")
    lo_txt = format_length(min_m, u).rsplit(" ", 1)[0]
    return f"{lo_txt}–{format_length(max_m, u)}"


_LIST_SEP = re.compile(r"[,;]")
_DIGIT_COMMA_DIGIT = re.compile(r"\d,\d+")


def parse_lengths(text: str, default_unit: Optional[str] = None) -> np.ndarray:
    """Parse a list of lengths such as ``"5, 10 km, 20mi"`` into meters.

    The pieces are separated by commas or semicolons.  A comma between two
    digits (``"2,5 km"``, ``"1,000 km"``) is an error, since it could be a
    decimal comma, a thousands separator or a list: write ``2.5 km``,
    ``1000 km`` or ``2, 5 km``.  A bare number takes the unit of the next piece
    that has one (``"100, 200 km"`` is 100 km and 200 km), otherwise
    `default_unit`.

    Parameters
    ----------
    text : str
        The list.
    default_unit : str, optional
        Unit of bare numbers with no unit after them.  If None, such a number
        is an error (it would be ambiguous).

    Returns
    -------
    numpy.ndarray
        Meters, float64, one per piece, in the order given.

    Raises
    ------
    UnitError
        Naming the piece (position and text) that has no number, an unknown
        unit, or no unit at all; or if the list is empty.

    Examples
    --------
    >>> parse_lengths("5, 10 km, 20mi").tolist()
    [5000.0, 10000.0, 32186.88]
    >>> parse_lengths("100; 200 nmi").tolist()
    [185200.0, 370400.0]
    >>> parse_lengths("10, 25, 50", default_unit="km").tolist()
    [10000.0, 25000.0, 50000.0]
    """
    text = str(text)
    glued = _DIGIT_COMMA_DIGIT.search(text)
    if glued:
        raise UnitError(
            f"{text!r}: {glued.group(0)!r} could be a decimal comma, a thousands "
            "separator or two lengths; write '2.5 km' for a decimal, '1000 km' "
            "without a separator, or '2, 5 km' (with a space) for a list."
        )
    pieces = [p.strip() for p in _LIST_SEP.split(text)]
    pieces = [p for p in pieces if p]
    if not pieces:
        raise UnitError(
            f"no length in {text!r}; give one or more, e.g. '5 km' or '100, 200 km'."
        )
    units: list[Optional[str]] = [None] * len(pieces)
    numbers: list[float] = [0.0] * len(pieces)
    for i, p in enumerate(pieces):
        match = _LENGTH_RE.match(p)
        if match is None:
            raise UnitError(
                f"length {i} of {text!r}, {p!r}: write a number and a unit, "
                "e.g. '50 km', '2 miles', '10 nmi', '500 m' (a decimal point, not a "
                "comma, inside a list)."
            )
        numbers[i] = float(match.group("num"))
        units[i] = match.group("unit")
    out = np.empty(len(pieces))
    unit = default_unit
    for i in range(len(pieces) - 1, -1, -1):  # a unit applies to the numbers before it
        own_unit = units[i]
        if own_unit is not None:
            unit = own_unit
        elif unit is None:
            raise UnitError(
                f"length {i} of {text!r}, {pieces[i]!r}, has no unit and no unit "
                f"follows it; write it with one, e.g. '{pieces[i]} km'."
            )
        try:
            out[i] = numbers[i] * unit_factor(unit)
        except UnitError as exc:
            raise UnitError(f"length {i} of {text!r}, {pieces[i]!r}: {exc}") from None
    return out


def as_meters(value: ArrayLike, what: str = "length") -> FloatArray:
    """Read a length argument as a 1-D float array of meters.

    Numbers are meters; text is a length with its unit (``"100 km"``) or a list
    of them (``"100, 200 km"``, see :func:`parse_lengths`); a sequence may mix
    numbers and single lengths as text.  ``None`` or NaN stays NaN.

    Parameters
    ----------
    value : float, str or array_like
        The length(s).
    what : str
        Name of the argument, used in errors (``"radii_m[1]: ..."``).

    Returns
    -------
    numpy.ndarray
        Meters, float64, 1-D (a scalar gives one value).

    Raises
    ------
    UnitError
        Text that is not a length, naming `what`, the position and the text.

    Examples
    --------
    >>> as_meters(5000).tolist()
    [5000.0]
    >>> as_meters("100, 200 km", "radii_m").tolist()
    [100000.0, 200000.0]
    >>> as_meters([1000, "2 km", "1 nmi"]).tolist()
    [1000.0, 2000.0, 1852.0]
    """
    if isinstance(value, str):
        try:
            return parse_lengths(value)
        except UnitError as exc:
            raise UnitError(f"{what}: {exc}") from None
    arr = np.asarray(value, dtype=object).reshape(-1)
    if not any(isinstance(v, str) for v in arr):
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError):
            pass  # name the element that is not a number below
    out = np.empty(arr.size)
    for i, v in enumerate(arr):
        try:
            out[i] = parse_length(v) if isinstance(v, str) else float(v)
        except UnitError as exc:
            raise UnitError(f"{what}[{i}] = {v!r}: {exc}") from None
        except (TypeError, ValueError):
            raise UnitError(
                f"{what}[{i}] = {v!r} is not a length; give meters or text "
                "such as '5 km'."
            ) from None
    return out


def check_increasing(values: ArrayLike, what: str = "lengths") -> None:
    """Require strictly increasing values; the error names the first that is not.

    Raises
    ------
    GeometryError
        ``"{what} must be strictly increasing; {what}[i] = ... follows ..."``.

    Examples
    --------
    >>> check_increasing([1, 2, 3])
    >>> check_increasing([1, 3, 2], "radii_m")
    Traceback (most recent call last):
    ...
    geoconflict.errors.GeometryError: radii_m must be strictly increasing; radii_m[2] = 2.0 follows 3.0. Sort them, e.g. sorted(set(radii_m)).
    """
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.size > 1:
        steps = np.diff(arr)
        if (steps <= 0).any():
            i = int(np.flatnonzero(steps <= 0)[0]) + 1
            raise GeometryError(
                f"{what} must be strictly increasing; {what}[{i}] = {float(arr[i])!r} "
                f"follows {float(arr[i - 1])!r}. Sort them, e.g. sorted(set({what}))."
            )


def check_lengths(
    values: ArrayLike,
    what: str = "lengths",
    *,
    max_m: Optional[float] = None,
    max_text: Optional[str] = None,
    increasing: bool = False,
) -> None:
    """Check lengths in meters: positive, finite, at most `max_m`, optionally increasing.

    Parameters
    ----------
    values : array_like
        Meters (see :func:`as_meters`).
    what : str
        Name of the argument, used in the errors.
    max_m : float, optional
        Largest value allowed, meters.
    max_text : str, optional
        What `max_m` is, for the error (default: the number of meters).
    increasing : bool
        Also require strictly increasing values (:func:`check_increasing`).

    Raises
    ------
    GeometryError
        Naming the first bad position and its value, and what to do.

    Examples
    --------
    >>> check_lengths([5_000, 10_000], "radii_m", max_m=20_000)
    >>> check_lengths([5_000, 0], "radii_m")
    Traceback (most recent call last):
    ...
    geoconflict.errors.GeometryError: radii_m[1] = 0.0: lengths must be positive, finite meters; give a value > 0 such as 5000 or '5 km'.
    """
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if not arr.size:
        return
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeometryError(
            f"{what}[{i}] = {float(arr[i])!r}: lengths must be positive, finite "
            "meters; give a value > 0 such as 5000 or '5 km'."
        )
    if max_m is not None and (arr > max_m).any():
        i = int(np.flatnonzero(arr > max_m)[0])
        limit = max_text or f"{max_m:,.1f} m, the largest allowed here."
        raise GeometryError(f"{what}[{i}] = {float(arr[i])!r} m is more than {limit}")
    if increasing:
        check_increasing(arr, what)
