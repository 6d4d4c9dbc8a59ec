"""Sources and the claims they make about an event.

A claim is always tied to a :class:`Source` (by its id): who said it, and, when the
claim reached us through someone else, who reported it (``via``).  geoconflict keeps
every claim side by side; it never decides which one is true.  Derived views (see
:meth:`geoconflict.events.model.Event.casualties` and
:meth:`geoconflict.events.model.Event.attribution_status`) apply an explicit policy.

Claim kinds
-----------
:class:`AttributionClaim`
    who carried the event out, as claimed / accused / denied / declined to comment.
:class:`CasualtyClaim`
    killed / wounded / missing, with a group and low / best / high numbers.
:class:`DistanceClaim`
    a distance stated in words ("about 3 km (2 miles) from the border"), in meters,
    with the interval its rounding implies.
:class:`WeaponClaim`
    weapon and platform with counts ("Israeli warplanes fired four missiles").
:class:`DamageClaim`
    objects damaged or destroyed ("at least eight storehouses were destroyed").
:class:`TargetClaim`
    what the target was said to be ("a media center").

Distances are in meters; numbers of people or objects are counts.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Optional

from geoconflict.errors import DataFormatError, UnitError
from geoconflict.units import parse_length, unit_factor

__all__ = [
    "ATTRIBUTION_STANCES",
    "CASUALTY_OUTCOMES",
    "QUALIFIERS",
    "SOURCE_KINDS",
    "AttributionClaim",
    "CasualtyClaim",
    "Claim",
    "DamageClaim",
    "DistanceClaim",
    "Source",
    "TargetClaim",
    "WeaponClaim",
    "claim_from_dict",
    "parse_casualty_phrase",
    "parse_distance_phrase",
    "stated_interval",
]

#: kinds of source (free text is refused so that filters work)
SOURCE_KINDS = (
    "news",
    "monitor",
    "government_official",
    "military",
    "state_media",
    "armed_group",
    "social_media",
    "imagery_provider",
    "dataset",
    "local_sources",
    "other",
)

#: stances of an attribution claim.  "claimed": the actor itself says it did it;
#: "accused": another party says the actor did it; "denied": the actor (or a party
#: speaking for it) says it did not; "declined_to_comment": asked, said nothing.
ATTRIBUTION_STANCES = ("claimed", "accused", "denied", "declined_to_comment")

#: outcomes of a casualty claim
CASUALTY_OUTCOMES = ("killed", "wounded", "missing")

#: qualifiers of stated numbers, as they appear in reports
QUALIFIERS = (
    "about",
    "at least",
    "more than",
    "at most",
    "up to",
    "less than",
    "nearly",
    "exactly",
)


def _check_choice(value: Any, choices: tuple, what: str) -> None:
    if value not in choices:
        raise ValueError(
            f"unknown {what} {value!r}; use one of {', '.join(map(repr, choices))}"
        )


@dataclass(frozen=True)
class Source:
    """Who said something: an outlet, an official, a monitor, a dataset.

    Parameters
    ----------
    id : str
        Short identifier used by claims (``"sabereen"``).
    name : str
        Display name, credited wherever the claim is shown.
    kind : str
        One of :data:`SOURCE_KINDS`.
    affiliation : str, optional
        Whom the source speaks for or is associated with (``"PMU"``).
    url : str, optional
        Where it was published.
    published, accessed : str, optional
        ISO 8601 date or date-time.
    note : str, optional
        Anything else (e.g. how the outlet was identified).

    Examples
    --------
    >>> Source("sana", "SANA (Syrian Arab News Agency)", kind="state_media").kind
    'state_media'
    """

    id: str
    name: str
    kind: str = "other"
    affiliation: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    accessed: Optional[str] = None
    note: Optional[str] = None

    def __post_init__(self) -> None:
        _check_choice(self.kind, SOURCE_KINDS, "source kind")

    def to_dict(self) -> dict:
        """Return the source as a JSON-ready dict (every field)."""
        return {name: getattr(self, name) for name in _field_names(type(self))}

    @classmethod
    def from_dict(cls, data: dict) -> Source:
        """Build a source from :meth:`to_dict` output."""
        return cls(**_known_fields(cls, data, "source"))


@cache
def _field_names(cls) -> tuple:
    return tuple(f.name for f in dataclasses.fields(cls))


def _known_fields(cls, data: dict, what: str) -> dict:
    names = set(_field_names(cls))
    unknown = set(data) - names - {"type"}
    if unknown:
        raise DataFormatError(
            f"unknown {what} field(s) {sorted(unknown)}; known: {sorted(names)}"
        )
    return {k: v for k, v in data.items() if k in names}


class Claim:
    """Base of every claim kind; each is a dataclass with ``source`` and ``via``.

    ``source`` is the id of the :class:`Source` that made the claim; ``via`` the id
    of the source that reported it (the outlet), if different; ``phrase`` the brief
    verbatim quotation; ``site`` the id of the site the claim is about (None: the
    whole event).
    """

    type: ClassVar[str] = "claim"

    def to_dict(self) -> dict:
        """Return the claim as a JSON-ready dict with its ``type``."""
        out = {"type": self.type}
        for name in _field_names(type(self)):  # shallow: fields are plain values
            out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class AttributionClaim(Claim):
    """Who carried the event out, according to one source.

    Parameters
    ----------
    source : str
        Id of the source making the claim.
    actor : str
        The actor the claim is about (``"Israel"``, ``"United States"``).
    stance : str
        One of :data:`ATTRIBUTION_STANCES`.
    via, phrase, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> AttributionClaim("us-military", "United States", "denied").stance
    'denied'
    """

    type: ClassVar[str] = "attribution"
    source: str
    actor: Optional[str]
    stance: str
    via: Optional[str] = None
    phrase: Optional[str] = None
    site: Optional[str] = None
    note: Optional[str] = None

    def __post_init__(self) -> None:
        _check_choice(self.stance, ATTRIBUTION_STANCES, "attribution stance")


@dataclass(frozen=True)
class CasualtyClaim(Claim):
    """People killed, wounded or missing, according to one source.

    Parameters
    ----------
    source : str
        Id of the source.
    outcome : str
        ``"killed"``, ``"wounded"`` or ``"missing"``.
    best : float, optional
        The number stated (NaN or None: not stated).
    low, high : float, optional
        Bounds, when the source gives a range (or a dataset keeps them).  When not
        given they follow from the qualifier: ``"at least 21"`` gives low 21 and
        high infinity; ``"about 20"`` keeps low = high = None (unknown spread).
    group : str, optional
        Who (``"fighters"``, ``"civilians"``); None means total.
    qualifier : str, optional
        One of :data:`QUALIFIERS`.
    via, phrase, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> c = CasualtyClaim("activists", "killed", 21, group="fighters")
    >>> c.bounds()
    (21.0, 21.0, 21.0)
    >>> CasualtyClaim("firm", "killed", 8, qualifier="at least").bounds()
    (8.0, 8.0, inf)
    """

    type: ClassVar[str] = "casualties"
    source: str
    outcome: str
    best: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    group: Optional[str] = None
    qualifier: Optional[str] = None
    via: Optional[str] = None
    phrase: Optional[str] = None
    site: Optional[str] = None
    note: Optional[str] = None

    def __post_init__(self) -> None:
        _check_choice(self.outcome, CASUALTY_OUTCOMES, "casualty outcome")
        if self.qualifier is not None:
            _check_choice(self.qualifier, QUALIFIERS, "qualifier")
        for name in ("best", "low", "high"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, (int, float)) and v >= 0):
                raise ValueError(
                    f"casualty {name} must be a number >= 0 or None, got {v!r}"
                )

    def bounds(self) -> tuple[float, float, float]:
        """Return ``(low, best, high)`` as floats, filling in from the qualifier.

        Unknown values are NaN; an open upper bound is ``inf``.
        """
        nan = math.nan
        best = nan if self.best is None else float(self.best)
        low = nan if self.low is None else float(self.low)
        high = nan if self.high is None else float(self.high)
        q = self.qualifier
        if q in ("at least", "more than"):
            low = best if math.isnan(low) else low
            high = math.inf if math.isnan(high) else high
        elif q in ("at most", "up to", "less than"):
            low = 0.0 if math.isnan(low) else low
            high = best if math.isnan(high) else high
        elif q in (None, "exactly"):
            low = best if math.isnan(low) else low
            high = best if math.isnan(high) else high
        return low, best, high


@dataclass(frozen=True)
class DistanceClaim(Claim):
    """A distance stated in words, e.g. "about 3 km (2 miles) from the border".

    Parameters
    ----------
    source : str
        Id of the source.
    reference : str
        What the distance is measured from, as written (``"the border"``,
        ``"al-Bukamal"``).  :func:`geoconflict.events.check.check_claims` resolves it.
    value_m : float
        The stated distance in meters.
    low_m, high_m : float
        The interval the statement implies, in meters (see :func:`stated_interval`).
    qualifier : str, optional
        One of :data:`QUALIFIERS`.
    unit : str, optional
        The unit as written (``"km"``).
    alternative : str, optional
        A conversion given alongside (``"2 miles"``), kept verbatim.
    reference_id : str, optional
        A resolved reference: ``"border:IRQ-SYR"``, ``"place:Abu Kamal"`` or
        ``"site:<id>"``.
    via, phrase, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> c = parse_distance_phrase("about 3 km (2 miles) from the border", source="x")
    >>> (c.value_m, c.low_m, c.high_m, c.reference)
    (3000.0, 2500.0, 3500.0, 'the border')
    """

    type: ClassVar[str] = "distance"
    source: str
    reference: str
    value_m: float
    low_m: float
    high_m: float
    qualifier: Optional[str] = None
    unit: Optional[str] = None
    alternative: Optional[str] = None
    reference_id: Optional[str] = None
    via: Optional[str] = None
    phrase: Optional[str] = None
    site: Optional[str] = None
    note: Optional[str] = None

    def __post_init__(self) -> None:
        if self.qualifier is not None:
            _check_choice(self.qualifier, QUALIFIERS, "qualifier")
        if not (self.low_m <= self.value_m <= self.high_m) and not (
            math.isnan(self.value_m)
        ):
            raise ValueError(
                f"distance interval [{self.low_m}, {self.high_m}] m does not "
                f"contain the stated value {self.value_m} m"
            )


@dataclass(frozen=True)
class WeaponClaim(Claim):
    """Weapon and platform, with counts, according to one source.

    Parameters
    ----------
    source : str
        Id of the source.
    weapon : str, optional
        ``"missile"``, ``"rocket"``, ``"drone"`` ...
    count : int, optional
        Number of weapons (None: not stated).
    platform : str, optional
        What fired it (``"warplanes"``, ``"F-15"``, ``"drone"``).
    platform_count : int, optional
        Number of platforms.
    qualifier : str, optional
        One of :data:`QUALIFIERS`, applying to `count`.
    via, phrase, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> WeaponClaim("pmf-official", "missile", 4, platform="warplanes").count
    4
    """

    type: ClassVar[str] = "weapon"
    source: str
    weapon: Optional[str] = None
    count: Optional[int] = None
    platform: Optional[str] = None
    platform_count: Optional[int] = None
    qualifier: Optional[str] = None
    via: Optional[str] = None
    phrase: Optional[str] = None
    site: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class DamageClaim(Claim):
    """Objects damaged or destroyed, according to one source.

    Parameters
    ----------
    source : str
        Id of the source.
    object : str
        What (``"storehouses"``, ``"vehicles"``).
    outcome : str
        ``"destroyed"`` or ``"damaged"`` (free text allowed).
    count : int, optional
        How many (None: not stated).
    qualifier : str, optional
        One of :data:`QUALIFIERS`.
    via, phrase, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> DamageClaim("firm", "storehouses", "destroyed", 8, qualifier="at least").count
    8
    """

    type: ClassVar[str] = "damage"
    source: str
    object: str
    outcome: str = "destroyed"
    count: Optional[int] = None
    qualifier: Optional[str] = None
    via: Optional[str] = None
    phrase: Optional[str] = None
    site: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class TargetClaim(Claim):
    """What the target was, according to one source ("a media center").

    Parameters
    ----------
    source : str
        Id of the source.
    description : str
        The source's description of the target.
    occupied : bool, optional
        Whether the source says the site was occupied (False: "deserted").
    via, phrase, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> TargetClaim("hezbollah", "media center").description
    'media center'
    """

    type: ClassVar[str] = "target"
    source: str
    description: str
    occupied: Optional[bool] = None
    via: Optional[str] = None
    phrase: Optional[str] = None
    site: Optional[str] = None
    note: Optional[str] = None


CLAIM_TYPES: dict[str, type] = {
    c.type: c
    for c in (
        AttributionClaim,
        CasualtyClaim,
        DistanceClaim,
        WeaponClaim,
        DamageClaim,
        TargetClaim,
    )
}


def claim_from_dict(data: dict) -> Claim:
    """Build a claim from the dict :meth:`Claim.to_dict` wrote.

    Parameters
    ----------
    data : dict
        Must hold ``type`` (one of ``attribution``, ``casualties``, ``distance``,
        ``weapon``, ``damage``, ``target``) and the fields of that kind.

    Returns
    -------
    Claim

    Raises
    ------
    DataFormatError
        Unknown type or fields, or invalid values.

    Examples
    --------
    >>> c = WeaponClaim("sana", "missile", 4, platform="warplanes and drones")
    >>> claim_from_dict(c.to_dict()) == c
    True
    """
    kind = data.get("type")
    cls = CLAIM_TYPES.get(kind)
    if cls is None:
        raise DataFormatError(
            f"unknown claim type {kind!r}; known: {sorted(CLAIM_TYPES)}",
            column="type",
            value=kind,
        )
    try:
        values = _known_fields(cls, data, f"{kind} claim")
        if kind == "distance":
            for k in ("value_m", "low_m", "high_m"):
                values[k] = math.nan if values.get(k) is None else float(values[k])
        elif kind == "casualties":
            for k in ("best", "low", "high"):
                if isinstance(values.get(k), str):
                    values[k] = float(values[k])  # "Infinity" from JSON writers
        return cls(**values)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, DataFormatError):
            raise
        raise DataFormatError(f"invalid {kind} claim: {exc}") from None


# --------------------------------------------------------------------------- #
# Distances stated in words
# --------------------------------------------------------------------------- #

_QUAL_WORDS = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx.": "about",
    "roughly": "about",
    "some": "about",
    "almost": "nearly",
    "nearly": "nearly",
    "at least": "at least",
    "more than": "more than",
    "over": "more than",
    "at most": "at most",
    "up to": "up to",
    "within": "up to",
    "less than": "less than",
    "under": "less than",
    "exactly": "exactly",
}

_NUM = r"\d+(?:[.,]\d+)?"
_UNIT = (
    r"kilometres?|kilometers?|kms?|nautical\s+miles?|nmi|miles?|mi|"
    r"metres?|meters?|m|feet|foot|ft|yards?|yd"
)
_DIST_RE = re.compile(
    r"^\s*(?:(?P<qual>"
    + "|".join(re.escape(q) for q in sorted(_QUAL_WORDS, key=len, reverse=True))
    + r")\s+)?(?P<num>"
    + _NUM
    + r")\s*-?\s*(?P<unit>"
    + _UNIT
    + r")\b\.?\s*(?:\((?P<alt>[^)]*)\))?\s*(?:away\s+)?(?:from|of|to|off)\s+(?P<ref>.+?)\s*[.,;]?\s*$",
    re.IGNORECASE,
)


def stated_interval(
    number: str, unit: str = "km", qualifier: Optional[str] = None
) -> tuple[float, float, float]:
    """Return ``(low, value, high)`` in meters implied by a stated number.

    The rule (a reader's reading of rounded numbers):

    * the last significant digit sets the step: ``"3"`` → 1, ``"2.5"`` → 0.1,
      ``"30"`` → 10, ``"200"`` → 100 (trailing zeros of an integer are taken as
      rounding); the interval is ± half a step: 3 km → 2.5–3.5 km, 200 km →
      150–250 km, 30 km → 25–35 km;
    * ``"about"`` (around, approximately, some, roughly) is that interval;
      ``"exactly"`` too;
    * ``"at least"``/``"more than"``/``"over"`` → [value − half step, ∞);
      ``"up to"``/``"within"``/``"at most"``/``"less than"``/``"under"`` →
      [0, value + half step]; ``"nearly"``/``"almost"`` → [value − step, value].

    Parameters
    ----------
    number : str
        The number as written (``"3"``, ``"2.5"``, ``"200"``, ``"1,5"``).
    unit : str
        Its unit (anything :func:`geoconflict.units.unit_factor` accepts).
    qualifier : str, optional
        A qualifier (any word listed above).

    Returns
    -------
    tuple of float
        ``(low_m, value_m, high_m)`` in meters.

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
    """
    text = str(number).strip().replace(",", ".")
    if not re.fullmatch(_NUM.replace("[.,]", r"\."), text):
        raise UnitError(f"cannot read {number!r} as a stated number")
    factor = unit_factor(unit)
    value = float(text)
    if "." in text:
        step = 10.0 ** (-len(text.split(".")[1]))
    else:
        stripped = text.lstrip("0") or "0"
        zeros = len(stripped) - len(stripped.rstrip("0")) if value else 0
        step = 10.0**zeros
    half = step / 2.0
    q = _QUAL_WORDS.get(qualifier.lower(), qualifier) if qualifier else None
    if q in ("at least", "more than"):
        low, high = value - half, math.inf
    elif q in ("up to", "at most", "less than"):
        low, high = 0.0, value + half
    elif q == "nearly":
        low, high = value - step, value
    else:
        low, high = value - half, value + half
    low = max(low, 0.0)
    return low * factor, value * factor, high * factor


def parse_distance_phrase(
    phrase: str,
    *,
    source: str,
    via: Optional[str] = None,
    site: Optional[str] = None,
    reference_id: Optional[str] = None,
) -> DistanceClaim:
    """Parse "about 3 km (2 miles) from the border" into a :class:`DistanceClaim`.

    The number and unit go through :func:`geoconflict.units.parse_length`; the
    interval follows :func:`stated_interval`.  A conversion in parentheses is kept
    verbatim in ``alternative`` (journalists' conversions are rounded again, so the
    first value is used).

    Parameters
    ----------
    phrase : str
        The words of the report.
    source : str
        Id of the source making the statement.
    via, site, reference_id : str, optional
        Stored on the claim (see :class:`DistanceClaim`).

    Returns
    -------
    DistanceClaim
        Distances in meters.

    Raises
    ------
    UnitError
        If no distance with a unit and a reference can be read.

    Examples
    --------
    >>> c = parse_distance_phrase(
    ...     "about 200 km (125 miles) from al-Bukamal", source="report")
    >>> c.reference, c.value_m, c.low_m, c.high_m, c.alternative
    ('al-Bukamal', 200000.0, 150000.0, 250000.0, '125 miles')
    """
    m = _DIST_RE.match(phrase)
    if m is None:
        raise UnitError(
            f"cannot read a distance from {phrase!r}; expected e.g. "
            "'about 3 km (2 miles) from the border'"
        )
    qual_word = m.group("qual")
    qual = _QUAL_WORDS[qual_word.lower()] if qual_word else None
    unit = re.sub(r"\s+", " ", m.group("unit").lower())
    parse_length(f"{m.group('num').replace(',', '.')} {unit}")  # validates the unit
    low, value, high = stated_interval(m.group("num"), unit, qual)
    return DistanceClaim(
        source=source,
        reference=m.group("ref"),
        value_m=value,
        low_m=low,
        high_m=high,
        qualifier=qual,
        unit=unit,
        alternative=m.group("alt").strip() if m.group("alt") else None,
        reference_id=reference_id,
        via=via,
        phrase=phrase,
        site=site,
    )


# --------------------------------------------------------------------------- #
# Casualties stated in words
# --------------------------------------------------------------------------- #

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve "
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_AUX = r"(?!(?:were|was|have|has|had|been|are|and|or)\b)"
_WORD = _AUX + r"[a-z][a-z'-]*"
_CAS_QUAL = {
    "at least": "at least",
    "about": "about",
    "around": "about",
    "some": "about",
    "approximately": "about",
    "more than": "more than",
    "over": "more than",
    "up to": "up to",
    "nearly": "nearly",
    "almost": "nearly",
}
_OUTCOME = {
    "killed": "killed",
    "dead": "killed",
    "died": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "missing": "missing",
}
_CAS_RE = re.compile(
    r"(?:(?P<qual>at least|about|around|some|approximately|more than|over|up to|nearly|almost)\s+)?"
    r"(?P<num>\d[\d,]*|" + "|".join(_NUMBER_WORDS) + r")\s+"
    r"(?:(?P<group>" + _WORD + r"(?:\s+" + _WORD + r")?)\s+)?"
    r"(?:(?:were|was|have been|had been|are|been)\s+)?"
    r"(?P<out>killed|dead|died|wounded|injured|missing)\b",
    re.IGNORECASE,
)
_KILLING_RE = re.compile(
    r"\b(?P<verb>killing|wounding|injuring)\s+"
    r"(?:(?P<qual>at least|about|around|some|more than|over|up to|nearly|almost)\s+)?"
    r"(?P<num>\d[\d,]*|" + "|".join(_NUMBER_WORDS) + r")"
    r"(?:\s+(?P<group>" + _WORD + r"(?:\s+" + _WORD + r")?))?",
    re.IGNORECASE,
)
_NONE_RE = re.compile(
    r"\bno (?:casualties|deaths|injuries|one was (?:killed|hurt|injured))\b|"
    r"\bleft no casualties\b",
    re.IGNORECASE,
)


def _group(text: str) -> Optional[str]:
    # "people" and the like are everyone: a total, not a group
    return None if text.lower() in ("people", "persons", "individuals") else text


def parse_casualty_phrase(
    phrase: str, *, source: str, via: Optional[str] = None, site: Optional[str] = None
) -> list:
    """Read casualty figures from words into :class:`CasualtyClaim` s.

    Understands "21 fighters were killed and 36 wounded" (the group carries over
    to the second figure), "at least 8 people were killed", "killing four
    civilians", "two soldiers died", "no casualties" (killed 0 and wounded 0).
    Number words up to twenty are read.  Anything else gives an empty list: check
    the result; this is a helper, not a language model.

    Parameters
    ----------
    phrase : str
        The words of the report (kept verbatim on each claim).
    source : str
        Id of the source making the statement.
    via, site : str, optional
        Stored on the claims.

    Returns
    -------
    list of CasualtyClaim

    Examples
    --------
    >>> [(c.outcome, c.best, c.group) for c in parse_casualty_phrase(
    ...     "21 fighters were killed and 36 wounded", source="activists")]
    [('killed', 21, 'fighters'), ('wounded', 36, 'fighters')]
    >>> [(c.outcome, c.best) for c in parse_casualty_phrase(
    ...     "the attack left no casualties", source="sabereen")]
    [('killed', 0), ('wounded', 0)]
    """
    out: list = []

    def number(text: str) -> int:
        t = text.lower().replace(",", "")
        return _NUMBER_WORDS[t] if t in _NUMBER_WORDS else int(t)

    def add(outcome, num, group, qual):
        out.append(
            CasualtyClaim(
                source,
                outcome,
                best=num,
                group=group,
                qualifier=_CAS_QUAL.get(qual.lower()) if qual else None,
                via=via,
                phrase=phrase,
                site=site,
            )
        )

    if _NONE_RE.search(phrase):
        add("killed", 0, None, None)
        add("wounded", 0, None, None)
        return out
    spans = []
    last_group = None
    for m in _CAS_RE.finditer(phrase):
        group = m.group("group")
        if group is None:
            group = last_group
        else:
            last_group = group = _group(group)
        add(
            _OUTCOME[m.group("out").lower()],
            number(m.group("num")),
            group,
            m.group("qual"),
        )
        spans.append(m.span())
    for m in _KILLING_RE.finditer(phrase):
        if any(a <= m.start() < b for a, b in spans):
            continue
        outcome = "killed" if m.group("verb").lower() == "killing" else "wounded"
        group = _group(m.group("group")) if m.group("group") else None
        add(outcome, number(m.group("num")), group, m.group("qual"))
    return out
