"""Stated distances, read from the words reporters use.

:func:`parse_distance_phrase` turns "about 3 km (2 miles) from the border",
"15 km east of Abu Kamal", "3 km inside Iraqi territory" or "near the border" into
a :class:`~geoconflict.events.claims.DistanceClaim` (meters, with the interval the
words allow, the compass sector, the country side, the vague wording).  Casualty
figures are read by :mod:`geoconflict.events.casualties`.  Words that cannot be
read are never dropped: with ``errors="keep"`` they come back as an
:class:`~geoconflict.events.claims.UnparsedClaim` with an
:class:`~geoconflict.errors.UnparsedPhraseWarning`.

The reading of amounts (number words, ranges, vague words, qualifiers) is
:mod:`geoconflict.events.numbers`; vague *places* ("near", "on the outskirts of")
are :data:`VAGUE_DISTANCES_M`.  These are helpers for review, not a language
model: check their output.  Distances are in meters, azimuths in degrees
clockwise from true north (WGS84).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from typing import Optional

from geoconflict.errors import (
    BoundaryNotFoundError,
    UnitError,
    UnparsedPhraseWarning,
)
from geoconflict.events.claims import (
    COMPASS_POINTS,
    DistanceClaim,
    UnparsedClaim,
    compass_sector,
)
from geoconflict.events.numbers import (
    AMOUNT_PATTERN,
    QUALIFIER_PATTERN,
    read_amount,
)
from geoconflict.geography import boundaries
from geoconflict.units import unit_factor

__all__ = [
    "DEMONYMS",
    "VAGUE_DISTANCES_M",
    "countries_named",
    "iter_distances",
    "parse_distance_phrase",
    "stated_interval",
]

#: vague wording of a place relation -> (low_m, high_m) from the reference.
#: Conventions, not facts, chosen wide so that a claim is not called
#: inconsistent by a too-narrow reading: "near"/"close to"/"not far from"/"in the
#: vicinity of" 0–25 km (open country: towns up to about 20 km away are reported
#: as "near the border"); "on the outskirts of"/"just outside" 0–10 km from the
#: place's point (a town's edge plus its suburbs); "on"/"along"/"at" the border
#: 0–5 km.  Pass ``vague_m=`` to :func:`parse_distance_phrase` to use others.
VAGUE_DISTANCES_M = {
    "near": (0.0, 25_000.0),
    "close to": (0.0, 25_000.0),
    "not far from": (0.0, 25_000.0),
    "in the vicinity of": (0.0, 25_000.0),
    "on the outskirts of": (0.0, 10_000.0),
    "just outside": (0.0, 10_000.0),
    "on": (0.0, 5_000.0),
    "along": (0.0, 5_000.0),
    "at": (0.0, 5_000.0),
}

#: adjectives of nationality -> ISO 3166-1 alpha-3 (other names go through the
#: shipped country names, :func:`geoconflict.geography.boundaries.country`)
DEMONYMS = {
    "afghan": "AFG",
    "armenian": "ARM",
    "azerbaijani": "AZE",
    "belarusian": "BLR",
    "egyptian": "EGY",
    "eritrean": "ERI",
    "ethiopian": "ETH",
    "georgian": "GEO",
    "indian": "IND",
    "iranian": "IRN",
    "iraqi": "IRQ",
    "israeli": "ISR",
    "jordanian": "JOR",
    "kuwaiti": "KWT",
    "lebanese": "LBN",
    "libyan": "LBY",
    "malian": "MLI",
    "nigerien": "NER",
    "pakistani": "PAK",
    "palestinian": "PSE",
    "polish": "POL",
    "russian": "RUS",
    "saudi": "SAU",
    "somali": "SOM",
    "sudanese": "SDN",
    "syrian": "SYR",
    "turkish": "TUR",
    "ukrainian": "UKR",
    "yemeni": "YEM",
}

_UNIT = (
    r"kilometres?|kilometers?|kms?|klicks?|nautical\s+miles?|nmi|miles?|mi|"
    r"metres?|meters?|m|feet|foot|ft|yards?|yd"
)
_COMPASS = "|".join(
    sorted(
        {n.replace("-", r"[\s-]?") for n in COMPASS_POINTS}
        | {
            n.replace("north", r"north[\s-]?").replace("south", r"south[\s-]?")
            for n in COMPASS_POINTS
            if "-" not in n
        },
        key=len,
        reverse=True,
    )
)
_COMPASS_ABBR = r"(?-i:N|S|E|W|NE|NW|SE|SW|NNE|ENE|ESE|SSE|SSW|WSW|WNW|NNW)"
_VAGUE = "|".join(
    re.escape(v).replace(r"\ ", r"\s+")
    for v in sorted(VAGUE_DISTANCES_M, key=len, reverse=True)
)
_HEAD = (
    rf"(?:(?P<qual>{QUALIFIER_PATTERN})\s+)?"
    rf"(?P<num>{AMOUNT_PATTERN}|an?(?=\s+(?:{_UNIT})\b))\s*-?\s*"
    rf"(?P<unit>{_UNIT})\b\.?"
    r"(?:\s*\((?P<alt>[^()]{1,40})\))?"
)
_SIDE = (
    r"(?:inside|into|within|in)\s+(?:the\s+)?(?P<side>[A-Z][\w'’]+)"
    r"(?:\s+(?:territory|territories|soil|airspace|side))?"
    r"|on\s+the\s+(?P<side2>[A-Z][\w'’]+)\s+side(?:\s+of\s+the\s+border)?"
)
_LINK = (
    rf"(?:away\s+)?(?:(?:to\s+the\s+)?(?P<dir>{_COMPASS}|{_COMPASS_ABBR})\s+of"
    r"|from|of|to|off)"
)
_DIST_PHRASE_RE = re.compile(
    rf"^\s*(?:{_HEAD}\s*(?:(?:{_SIDE})(?:\s*[.,;]?\s*$)|{_LINK}\s+(?P<ref>.+?)\s*[.,;]?\s*$)"
    rf"|(?P<vq>{_VAGUE})\s+(?P<vref>.+?)\s*[.,;]?\s*$)",
    re.IGNORECASE,
)
_DIST_TEXT_RE = re.compile(
    rf"(?<![\w-])(?:{_HEAD}\s*(?:(?:{_SIDE})|{_LINK}\s+(?P<ref>[^,.;:()\n]{{1,80}}))"
    rf"|(?P<vq>near|close\s+to|not\s+far\s+from|in\s+the\s+vicinity\s+of|"
    r"on\s+the\s+outskirts\s+of|just\s+outside|(?:on|along|at)(?=\s+the\s+[\w\s'’-]{0,30}?border))"
    r"\s+(?P<vref>[^,.;:()\n]{1,80}))",
    re.IGNORECASE,
)
_REF_STOP = set(
    "in on at and where when while after before near inside which that who said "
    "says late early during with as to from by for but or across including was "
    "were is are has had have, according".split()
)
_NAME_PARTICLES = re.compile(
    r"(?:al|el|ad|ar|as|ash|az|ez|es|ed|of|de|bin|ibn|abu|bani|the)(?:[-\s]|$)"
)


def _trim_ref(text: str) -> str:
    """Cut a reference found in running text to its noun phrase."""
    words = text.split()
    out: list[str] = []
    proper = bool(words) and (
        words[0][:1].isupper() or _NAME_PARTICLES.match(words[0].lower()) is not None
    )
    for i, w in enumerate(words):
        lw = w.lower()
        if i and lw in _REF_STOP:
            break
        if (
            i
            and proper
            and out[0].lower() != "the"
            and w[:1].islower()
            and not _NAME_PARTICLES.match(lw)
        ):
            break
        out.append(w)
        if len(out) >= 6 or (lw.startswith("border") and lw != "border-crossing"):
            break
    return " ".join(out).strip(" '\"“”’")


def countries_named(text: str) -> list[str]:
    """ISO3 codes of the countries a reference names ("the Iraq-Syria border").

    Nationality adjectives (:data:`DEMONYMS`, "the Syrian-Iraqi border") and
    country names known to the shipped dataset ("the border with Jordan") are
    read, in order of appearance, without repeats.

    Examples
    --------
    >>> countries_named("the Syrian-Iraqi border strip"), countries_named("the border")
    (['SYR', 'IRQ'], [])
    >>> countries_named("Iraq's border with Syria")
    ['IRQ', 'SYR']
    """
    out: list[str] = []
    for w in re.findall(r"[A-Z][A-Za-z]+", text or ""):
        code = DEMONYMS.get(w.lower())
        if code is None and w.lower() not in ("the", "border", "al"):
            try:
                code = boundaries.country(w).iso3
            except (BoundaryNotFoundError, LookupError, ValueError):
                code = None
        if code is not None and code not in out:
            out.append(code)
    return out


def _side_code(word: str) -> str:
    codes = countries_named(word[:1].upper() + word[1:])
    if not codes:
        raise UnitError(
            f"cannot tell which country {word!r} is; use a nationality adjective "
            f"({', '.join(sorted(DEMONYMS)[:5])} ...) or a country name"
        )
    return codes[0]


def _unit_key(unit: str) -> str:
    u = re.sub(r"\s+", " ", unit.lower())
    return "km" if u.startswith("klick") else u


def stated_interval(
    number: str, unit: str = "km", qualifier: Optional[str] = None
) -> tuple[float, float, float]:
    """Return ``(low, value, high)`` in meters implied by a stated amount.

    The rules are those of :mod:`geoconflict.events.numbers`: the last
    significant digit sets the step and the interval is ± half a step (3 km →
    2.5–3.5 km, 200 km → 150–250 km, 2.5 km → 2.45–2.55 km); number words,
    ranges and vague amounts are read too.  ``"about"`` keeps the interval;
    ``"at least"``/``"more than"`` → [low, ∞); ``"up to"``/``"within"``/
    ``"less than"`` → [0, high]; ``"nearly"``/``"almost"`` → [value − step, value].

    Parameters
    ----------
    number : str
        The amount as written (``"3"``, ``"2.5"``, ``"1,5"``, ``"five"``,
        ``"3-4"``, ``"a few"``).
    unit : str
        Its unit (anything :func:`geoconflict.units.unit_factor` accepts).
    qualifier : str, optional
        A qualifier as written (``"around"``, ``"at least"``).

    Returns
    -------
    tuple of float
        ``(low_m, value_m, high_m)`` in meters; ``value_m`` is NaN for a vague
        amount.

    Raises
    ------
    UnitError
        If the amount, the unit or the qualifier cannot be read.

    Examples
    --------
    >>> stated_interval("3", "km", "about")
    (2500.0, 3000.0, 3500.0)
    >>> stated_interval("200", "km")
    (150000.0, 200000.0, 250000.0)
    >>> stated_interval("2.5", "km")
    (2450.0, 2500.0, 2550.0)
    >>> stated_interval("10", "km", "at least")
    (5000.0, 10000.0, inf)
    >>> stated_interval("five", "kilometres")
    (4500.0, 5000.0, 5500.0)
    """
    factor = unit_factor(_unit_key(unit))
    a = read_amount(str(number), qualifier)
    return a.low * factor, a.value * factor, a.high * factor


def _distance_from_match(
    m: re.Match,
    phrase: str,
    *,
    source: str,
    via: Optional[str],
    site: Optional[str],
    reference_id: Optional[str],
    vague_m: dict,
    trim: bool,
) -> DistanceClaim:
    common = {"source": source, "via": via, "site": site, "reference_id": reference_id}
    if m.group("vq"):
        word = re.sub(r"\s+", " ", m.group("vq").lower())
        ref = m.group("vref")
        ref = _trim_ref(ref) if trim else ref.strip()
        if word in ("on", "along", "at") and "border" not in ref.lower():
            raise UnitError(
                f"{phrase!r}: '{word} ...' is read as a distance only for a border"
            )
        lo, hi = vague_m[word]
        return DistanceClaim(
            reference=ref,
            value_m=math.nan,
            low_m=float(lo),
            high_m=float(hi),
            phrase=phrase,
            vague="on the outskirts of" if word == "outskirts of" else word,
            **common,
        )
    unit = _unit_key(m.group("unit"))
    num = m.group("num")
    if num.lower() in ("a", "an"):
        num = "one"
    low, value, high = stated_interval(num, unit, m.group("qual"))
    amount = read_amount(num, m.group("qual"))
    alt_text = m.group("alt").strip() if m.group("alt") else None
    alt_m = mismatch = None
    if alt_text:
        am = re.fullmatch(
            rf"(?:(?P<qual>{QUALIFIER_PATTERN})\s+)?(?P<num>{AMOUNT_PATTERN})\s*-?\s*"
            rf"(?P<unit>{_UNIT})\.?",
            alt_text,
            re.IGNORECASE,
        )
        if am is not None:
            a_lo, alt_m, a_hi = stated_interval(
                am.group("num"), _unit_key(am.group("unit")), am.group("qual")
            )
            if a_hi < low or a_lo > high:
                gap = low - a_hi if a_hi < low else a_lo - high
                mismatch = (
                    f"{num} {unit} and {alt_text!r} do not agree: their intervals "
                    f"miss each other by {gap / 1000:.1f} km; the first is used"
                )
                warnings.warn(
                    f"{phrase!r}: {mismatch}", UnparsedPhraseWarning, stacklevel=3
                )
    side = m.group("side") or m.group("side2")
    ref = m.group("ref")
    if side is not None:
        ref = "the border"
        side = _side_code(side)
    else:
        ref = _trim_ref(ref) if trim else ref.strip()
        if not ref:
            raise UnitError(f"{phrase!r}: no reference after the distance")
    direction = m.group("dir")
    if direction is not None:
        sector = compass_sector(direction)
        direction = next(k for k, v in COMPASS_POINTS.items() if v == sector)
    return DistanceClaim(
        reference=ref,
        value_m=value,
        low_m=low,
        high_m=high,
        qualifier=amount.qualifier,
        unit=unit,
        alternative=alt_text,
        phrase=phrase,
        direction=direction,
        side=side,
        vague=amount.vague,
        alternative_m=alt_m,
        mismatch=mismatch,
        **common,
    )


def parse_distance_phrase(
    phrase: str,
    *,
    source: str,
    via: Optional[str] = None,
    site: Optional[str] = None,
    reference_id: Optional[str] = None,
    vague_m: Optional[dict] = None,
    errors: str = "raise",
):
    """Read a stated distance ("about 3 km (2 miles) from the border") into a claim.

    Understands, in any combination: a qualifier (:data:`~geoconflict.events.numbers.QUALIFIER_WORDS`);
    digits, number words, ranges and vague amounts ("five kilometres",
    "half a mile", "3-4 km", "between 3 and 4 km", "a few kilometres"); British and
    American spellings and abbreviations of the unit; a conversion in parentheses
    ("30 miles (48 km)": both kept, the first used, a mismatch flagged); a compass
    direction ("15 km east of Abu Kamal": kept as ``direction``, see
    :meth:`~geoconflict.events.claims.DistanceClaim.sector`); a country side ("3 km
    inside Iraqi territory": ``side="IRQ"``, reference "the border"); and vague
    place relations ("near the border", "on the outskirts of al-Qaim":
    :data:`VAGUE_DISTANCES_M`, ``value_m`` NaN, ``vague`` set).

    Parameters
    ----------
    phrase : str
        The words of the report.
    source : str
        Id of the source making the statement.
    via, site, reference_id : str, optional
        Stored on the claim (see :class:`~geoconflict.events.claims.DistanceClaim`).
    vague_m : dict, optional
        ``{"near": (low_m, high_m), ...}`` to replace entries of
        :data:`VAGUE_DISTANCES_M` (meters).
    errors : {"raise", "keep"}
        What to do with words that cannot be read: raise :class:`UnitError`, or
        warn (:class:`~geoconflict.errors.UnparsedPhraseWarning`) and return an
        :class:`~geoconflict.events.claims.UnparsedClaim` keeping them.

    Returns
    -------
    DistanceClaim or UnparsedClaim
        Distances in meters.

    Raises
    ------
    UnitError
        If no distance with a unit and a reference can be read (``errors="raise"``).

    Examples
    --------
    >>> c = parse_distance_phrase(
    ...     "about 200 km (125 miles) from al-Bukamal", source="report")
    >>> c.reference, c.value_m, c.low_m, c.high_m, c.alternative
    ('al-Bukamal', 200000.0, 150000.0, 250000.0, '125 miles')
    >>> c = parse_distance_phrase("seven kilometres northwest of al-Qaim", source="r")
    >>> c.reference, c.value_m, c.direction, c.sector()
    ('al-Qaim', 7000.0, 'northwest', (315.0, 22.5))
    >>> c = parse_distance_phrase("at least 20 km inside Syrian territory", source="r")
    >>> c.reference, c.side, c.low_m, c.high_m
    ('the border', 'SYR', 15000.0, inf)
    >>> c = parse_distance_phrase("near the border", source="r")
    >>> c.vague, c.low_m, c.high_m
    ('near', 0.0, 25000.0)
    """
    if errors not in ("raise", "keep"):
        raise ValueError(f"errors must be 'raise' or 'keep', got {errors!r}")
    table = {**VAGUE_DISTANCES_M, **(vague_m or {})}
    try:
        m = _DIST_PHRASE_RE.match(phrase or "")
        if m is None:
            raise UnitError(
                f"cannot read a distance from {phrase!r}; expected e.g. "
                "'about 3 km (2 miles) from the border', '15 km east of Abu Kamal', "
                "'3 km inside Iraqi territory' or 'near the border'"
            )
        return _distance_from_match(
            m,
            phrase,
            source=source,
            via=via,
            site=site,
            reference_id=reference_id,
            vague_m=table,
            trim=False,
        )
    except UnitError as exc:
        if errors == "raise":
            raise
        warnings.warn(str(exc), UnparsedPhraseWarning, stacklevel=2)
        return UnparsedClaim(
            source, "distance", phrase, reason=str(exc), via=via, site=site
        )


def iter_distances(
    text: str, *, source: str, via: Optional[str] = None
) -> Iterator[tuple[int, int, object]]:
    """Every stated distance in running text: ``(start, end, claim)``.

    The claim is a :class:`~geoconflict.events.claims.DistanceClaim` whose
    ``phrase`` is ``text[start:end]``, or an
    :class:`~geoconflict.events.claims.UnparsedClaim` when the words look like a
    distance but cannot be read (no warning: the caller reviews the spans).
    """
    for m in _DIST_TEXT_RE.finditer(text):
        claim: object
        try:
            claim = _distance_from_match(
                m,
                m.group(0),
                source=source,
                via=via,
                site=None,
                reference_id=None,
                vague_m=VAGUE_DISTANCES_M,
                trim=True,
            )
        except UnitError as exc:
            if m.group("vq"):
                continue  # "on the roof": not a distance
            claim = UnparsedClaim(source, "distance", m.group(0), reason=str(exc))
        start = m.start()
        if isinstance(claim, DistanceClaim):
            end = text.find(claim.reference, m.start()) if claim.side is None else -1
            end = end + len(claim.reference) if end >= 0 else m.end()
            claim = _with_phrase(claim, text[start:end])
        else:
            end = m.end()
        yield start, end, claim


def _with_phrase(claim, phrase: str):
    d = claim.to_dict()
    d.pop("type")
    d["phrase"] = phrase
    return type(claim)(**d)
