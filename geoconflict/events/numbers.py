"""Amounts as reporters write them: digits, number words, ranges and vague words.

This module reads the *amount* part of a stated distance or casualty figure
("3", "2.5", "twenty-five", "a dozen", "half a", "3-4", "between 5 and 7",
"a few", "dozens of") and says which interval of values the words allow.  It
knows nothing about units or meters: :mod:`geoconflict.events.phrases` multiplies
by the unit (meters) and builds the claims.

Rules (the reading of rounded and vague numbers)
------------------------------------------------
* **Digits**: the last significant digit sets the step; the interval is ± half a
  step ("3" → 2.5–3.5, "2.5" → 2.45–2.55, "30" → 25–35, "200" → 150–250:
  trailing zeros of an integer are taken as rounding).  Thousands separators
  ("1,200") are read as such; a comma before one or two digits ("1,5") is a
  decimal comma.
* **Number words** follow the same rule on the value they spell ("five" → 4.5–5.5,
  "twenty" → 15–25, "twenty-five" → 24.5–25.5, "a hundred" → 50–150).
  "a dozen" is 12 ± 1, "half a"/"half" 0.5 ± 0.25, "one and a half" 1.5 ± 0.25,
  "a couple of" 2–3.
* **Ranges** ("3-4", "3 to 4", "between 3 and 4"): from the low end of the first
  number's interval to the high end of the second; the value is the midpoint.
* **Vague amounts** (:data:`VAGUE_AMOUNTS`) are wide documented intervals with no
  point value: "a few" 2–5, "several" 3–9, "a handful of" 2–6, "tens of" /
  "dozens of" 20–99 / 24–99, "scores of" 40–199, "hundreds of" 200–999,
  "thousands of" 2,000–9,999.
* **Qualifiers** (:data:`QUALIFIER_WORDS` maps what reporters write to the
  :data:`~geoconflict.events.claims.QUALIFIERS`): "about" keeps the interval;
  "at least"/"more than" → [low, ∞); "up to"/"within"/"less than" → [0, high];
  "nearly"/"almost" → [value − step, value].
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple, Optional

from geoconflict.errors import UnitError

__all__ = [
    "AMOUNT_PATTERN",
    "NUMBER_PATTERN",
    "QUALIFIER_PATTERN",
    "QUALIFIER_WORDS",
    "VAGUE_AMOUNTS",
    "Amount",
    "apply_qualifier",
    "read_amount",
    "read_count",
    "read_number",
]

#: what reporters write -> the qualifier kept on the claim
QUALIFIER_WORDS = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx.": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "almost": "nearly",
    "nearly": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "a minimum of": "at least",
    "more than": "more than",
    "over": "more than",
    "upwards of": "more than",
    "just over": "more than",
    "in excess of": "more than",
    "at most": "at most",
    "no more than": "at most",
    "up to": "up to",
    "as many as": "up to",
    "within": "up to",
    "less than": "less than",
    "fewer than": "less than",
    "under": "less than",
    "exactly": "exactly",
    "precisely": "exactly",
}

#: vague amounts -> (low, high), documented wide intervals with no point value
VAGUE_AMOUNTS = {
    "a couple of": (2.0, 3.0),
    "a couple": (2.0, 3.0),
    "a few": (2.0, 5.0),
    "a handful of": (2.0, 6.0),
    "several": (3.0, 9.0),
    "tens of": (20.0, 99.0),
    "dozens of": (24.0, 99.0),
    "dozens": (24.0, 99.0),
    "scores of": (40.0, 199.0),
    "scores": (40.0, 199.0),
    "hundreds of": (200.0, 999.0),
    "hundreds": (200.0, 999.0),
    "thousands of": (2000.0, 9999.0),
    "thousands": (2000.0, 9999.0),
}

_ONES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve "
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        "twenty thirty forty fifty sixty seventy eighty ninety".split()
    )
}
_SCALES = {"hundred": 100, "thousand": 1000}

_ONE_W = "|".join(sorted(_ONES, key=len, reverse=True))
_TEN_W = "|".join(_TENS)
# "twenty-five", "twenty five", "five", "twenty"
_SMALL = rf"(?:(?:{_TEN_W})(?:[\s-](?:{_ONE_W}))?|(?:{_ONE_W}))"
# "two hundred and fifty", "a hundred", "three thousand one hundred and five"
_HUNDREDS = rf"(?:(?:{_SMALL}|an?)\s+hundred(?:\s+(?:and\s+)?{_SMALL})?|{_SMALL})"
_WORDS = (
    rf"(?:(?:{_HUNDREDS}|an?)\s+thousand(?:\s+(?:and\s+)?{_HUNDREDS})?|{_HUNDREDS})"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[.,]\d+)?"

#: one number: digits, number words, "a dozen", "half a", "one and a half"
NUMBER_PATTERN = (
    rf"(?:(?:{_DIGITS}|{_WORDS})\s+and\s+a\s+half|half\s+an?|half|a\s+dozen|"
    rf"(?:{_DIGITS}|{_ONE_W})\s+dozen|{_DIGITS}|{_WORDS})"
)
_VAGUE = "|".join(
    re.escape(v).replace(r"\ ", r"\s+")
    for v in sorted(VAGUE_AMOUNTS, key=len, reverse=True)
)
#: an amount: a range, one number, or a vague amount
AMOUNT_PATTERN = (
    rf"(?:between\s+(?:{NUMBER_PATTERN})\s+and\s+(?:{NUMBER_PATTERN})|"
    rf"(?:{NUMBER_PATTERN})\s*(?:-|–|—|to|or)\s*(?:{NUMBER_PATTERN})|"
    rf"{_VAGUE}|{NUMBER_PATTERN})"
)
#: a qualifier as written
QUALIFIER_PATTERN = "|".join(
    re.escape(q).replace(r"\ ", r"\s+")
    for q in sorted(QUALIFIER_WORDS, key=len, reverse=True)
)

_RANGE_RE = re.compile(
    rf"^(?:between\s+(?P<a1>{NUMBER_PATTERN})\s+and\s+(?P<b1>{NUMBER_PATTERN})|"
    rf"(?P<a2>{NUMBER_PATTERN})\s*(?:-|–|—|to|or)\s*(?P<b2>{NUMBER_PATTERN}))$",
    re.IGNORECASE,
)


class Amount(NamedTuple):
    """An amount read from words, in the units it was stated in (not meters).

    Attributes
    ----------
    low, value, high : float
        The interval the words allow and the point value (NaN for a vague amount
        or a range without a stated point); ``high`` may be ``inf``.
    step : float
        The rounding step read from the words (NaN for vague amounts).
    qualifier : str or None
        One of :data:`~geoconflict.events.claims.QUALIFIERS`.
    vague : str or None
        The vague word (``"several"``) or ``"range"``, else None.
    exact : float or None
        The number as a count ("21" → 21.0) when one number was given.
    """

    low: float
    value: float
    high: float
    step: float
    qualifier: Optional[str]
    vague: Optional[str]
    exact: Optional[float]


def _norm(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip().lower())


def _word_value(text: str) -> float:
    """Value of number words ("two hundred and fifty" -> 250)."""
    total = 0
    current = 0
    for w in _norm(text).split():
        if w == "and":
            continue
        if w in ("a", "an"):
            current = 1
        elif w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if w == "thousand":
                total += current
                current = 0
        else:
            raise UnitError(f"cannot read {text!r} as a number")
    return float(total + current)


def _step_of(value: float) -> float:
    """Return the rounding step of an integer: its trailing zeros (30 -> 10, 3 -> 1)."""
    if value == 0 or value != int(value):
        return 1.0
    n = int(value)
    zeros = 0
    while n % 10 == 0:
        n //= 10
        zeros += 1
    return 10.0**zeros


def read_number(text: str) -> tuple[float, float]:
    """Read one number as written and return ``(value, step)``.

    Parameters
    ----------
    text : str
        Digits (``"3"``, ``"2.5"``, ``"1,5"``, ``"1,200"``) or words
        (``"twenty-five"``, ``"a dozen"``, ``"half a"``, ``"one and a half"``).

    Returns
    -------
    tuple of float
        The value and the rounding step (see the module rules).

    Raises
    ------
    UnitError
        If the text is not a number.

    Examples
    --------
    >>> read_number("twenty-five"), read_number("200"), read_number("2.5")
    ((25.0, 1.0), (200.0, 100.0), (2.5, 0.1))
    >>> read_number("a dozen"), read_number("half a"), read_number("1,200")
    ((12.0, 2.0), (0.5, 0.5), (1200.0, 100.0))
    """
    t = _norm(text)
    if re.fullmatch(r"half( an?)?", t):
        return 0.5, 0.5
    m = re.fullmatch(r"(.+) and a half", t)
    if m:
        return read_number(m.group(1))[0] + 0.5, 0.5
    m = re.fullmatch(r"(a|.+) dozen", t)
    if m:
        n = 1.0 if m.group(1) == "a" else read_number(m.group(1))[0]
        return 12.0 * n, 2.0
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
        t = t.replace(",", "")
    if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
        t = t.replace(",", ".")
        value = float(t)
        if "." in t:
            return value, 10.0 ** (-len(t.split(".")[1]))
        return value, _step_of(value)
    value = _word_value(t)
    return value, _step_of(value)


def _is_number(text: str) -> bool:
    """Return True if the text is one number ("twenty-five" is not the range 20-5)."""
    try:
        read_number(text)
    except UnitError:
        return False
    return True


def apply_qualifier(
    low: float, value: float, high: float, step: float, qualifier: Optional[str]
) -> tuple[float, float]:
    """Return the ``(low, high)`` a qualifier makes of a stated interval.

    Examples
    --------
    >>> apply_qualifier(2.5, 3.0, 3.5, 1.0, "at least")
    (2.5, inf)
    >>> apply_qualifier(2.5, 3.0, 3.5, 1.0, "nearly")
    (2.0, 3.0)
    """
    if qualifier in ("at least", "more than"):
        return max(low, 0.0), math.inf
    if qualifier in ("up to", "at most", "less than"):
        return 0.0, high
    if qualifier == "nearly" and not math.isnan(value):
        return max(value - step, 0.0), value
    return max(low, 0.0), high


def read_amount(text: str, qualifier: Optional[str] = None) -> Amount:
    """Read an amount (number, range or vague word) with its qualifier.

    Parameters
    ----------
    text : str
        The amount as written (``"3"``, ``"3-4"``, ``"between 5 and 7"``,
        ``"five"``, ``"several"``, ``"dozens of"``).
    qualifier : str, optional
        A qualifier as written (``"around"``, ``"at least"``), see
        :data:`QUALIFIER_WORDS`.

    Returns
    -------
    Amount
        In the unit the amount was stated in.

    Raises
    ------
    UnitError
        If the text is not an amount or the qualifier is unknown.

    Examples
    --------
    >>> read_amount("3", "about")[:3]
    (2.5, 3.0, 3.5)
    >>> read_amount("3-4")[:3]
    (2.5, 3.5, 4.5)
    >>> read_amount("several")[:3]
    (3.0, nan, 9.0)
    >>> read_amount("twenty", "at least")[:3]
    (15.0, 20.0, inf)
    """
    q = None
    if qualifier:
        key = _norm(qualifier)
        if key not in QUALIFIER_WORDS:
            raise UnitError(
                f"unknown qualifier {qualifier!r}; known: {sorted(QUALIFIER_WORDS)}"
            )
        q = QUALIFIER_WORDS[key]
    t = _norm(text)
    if t in VAGUE_AMOUNTS:
        lo, hi = VAGUE_AMOUNTS[t]
        lo, hi = apply_qualifier(lo, math.nan, hi, math.nan, q)
        return Amount(lo, math.nan, hi, math.nan, q, t, None)
    m = None if _is_number(text) else _RANGE_RE.match(text.strip())
    if m:
        a = m.group("a1") or m.group("a2")
        b = m.group("b1") or m.group("b2")
        (va, sa), (vb, sb) = read_number(a), read_number(b)
        if vb < va:
            raise UnitError(f"range {text!r} runs backwards ({va:g} > {vb:g})")
        lo, hi = va - sa / 2.0, vb + sb / 2.0
        lo, hi = apply_qualifier(lo, math.nan, hi, math.nan, q)
        return Amount(lo, (va + vb) / 2.0, hi, min(sa, sb), q, "range", None)
    value, step = read_number(text)
    half = step / 2.0
    lo, hi = apply_qualifier(value - half, value, value + half, step, q)
    return Amount(lo, value, hi, step, q, None, value)


def read_count(
    text: str, qualifier: Optional[str] = None
) -> tuple[
    Optional[float], Optional[float], Optional[float], Optional[str], Optional[str]
]:
    """Read a count of people or objects: ``(low, best, high, qualifier, vague)``.

    Counts are not rounding intervals: "21" is 21 (``best``; ``low``/``high`` left
    None so that the qualifier decides, see
    :meth:`geoconflict.events.claims.CasualtyClaim.bounds`).  A range gives
    ``low``/``high`` and no ``best``; a vague amount its :data:`VAGUE_AMOUNTS`
    interval; "a dozen" is 12 "about".

    Examples
    --------
    >>> read_count("21"), read_count("5 to 7"), read_count("dozens of")
    ((None, 21.0, None, None, None), (5.0, None, 7.0, None, 'range'), (24.0, None, 99.0, None, 'dozens of'))
    >>> read_count("a dozen", "more than")
    (None, 12.0, None, 'more than', None)
    """
    q = None
    if qualifier:
        key = _norm(qualifier)
        if key not in QUALIFIER_WORDS:
            raise UnitError(
                f"unknown qualifier {qualifier!r}; known: {sorted(QUALIFIER_WORDS)}"
            )
        q = QUALIFIER_WORDS[key]
    t = _norm(text)
    if t in VAGUE_AMOUNTS:
        lo, hi = VAGUE_AMOUNTS[t]
        if q in ("at least", "more than"):
            hi = math.inf
        return lo, None, hi, None, t
    m = None if _is_number(text) else _RANGE_RE.match(text.strip())
    if m:
        va = read_number(m.group("a1") or m.group("a2"))[0]
        vb = read_number(m.group("b1") or m.group("b2"))[0]
        if vb < va:
            raise UnitError(f"range {text!r} runs backwards ({va:g} > {vb:g})")
        if q in ("at least", "more than"):
            vb = math.inf
        return va, None, vb, None, "range"
    value = read_number(text)[0]
    if q is None and "dozen" in t:
        q = "about"
    return None, value, None, q, None
