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
:class:`UnparsedClaim`
    words a parser could not read, kept verbatim on the event (never dropped).

Reading claims from report wording lives in :mod:`geoconflict.events.phrases`
(:func:`~geoconflict.events.phrases.parse_distance_phrase`,
:func:`~geoconflict.events.casualties.parse_casualty_phrase`) and
:mod:`geoconflict.events.extract` (a whole article).

Distances are in meters; azimuths in degrees clockwise from true north (WGS84);
numbers of people or objects are counts.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Optional

from geoconflict.errors import DataFormatError

__all__ = [
    "ATTRIBUTION_STANCES",
    "CASUALTY_OUTCOMES",
    "COMPASS_POINTS",
    "QUALIFIERS",
    "SOURCE_KINDS",
    "AttributionClaim",
    "CasualtyClaim",
    "Claim",
    "DamageClaim",
    "DistanceClaim",
    "Source",
    "TargetClaim",
    "UnparsedClaim",
    "WeaponClaim",
    "claim_from_dict",
    "compass_sector",
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


_POINTS16 = (
    "north north-northeast northeast east-northeast east east-southeast southeast "
    "south-southeast south south-southwest southwest west-southwest west "
    "west-northwest northwest north-northwest"
).split()

#: compass words -> (azimuth, half-width) in degrees clockwise from true north.
#: The half-width follows the word's resolution: a reporter who says "east" may
#: round to four points (±45°), "northeast" to eight (±22.5°), "north-northeast"
#: to sixteen (±11.25°).
COMPASS_POINTS = {
    name: (i * 22.5, 45.0 if i % 4 == 0 else 22.5 if i % 2 == 0 else 11.25)
    for i, name in enumerate(_POINTS16)
}


def compass_sector(direction: str) -> tuple[float, float]:
    """Return ``(azimuth_deg, half_width_deg)`` of a compass direction.

    Accepts the words of :data:`COMPASS_POINTS`, with or without hyphens or
    spaces ("north east", "north-east", "northeast") and the abbreviations
    ("NE", "NNE").  Degrees clockwise from true north.

    Examples
    --------
    >>> compass_sector("east"), compass_sector("north-west"), compass_sector("NNE")
    ((90.0, 45.0), (315.0, 22.5), (22.5, 11.25))
    """
    key = _compass_key(direction)
    if key not in COMPASS_POINTS:
        raise ValueError(
            f"unknown compass direction {direction!r}; use e.g. 'east', "
            "'northwest', 'NNE'"
        )
    return COMPASS_POINTS[key]


def _compass_key(direction: str) -> str:
    t = re.sub(r"[\s-]+", "", str(direction).strip().lower())
    letters = {"n": "north", "e": "east", "s": "south", "w": "west"}
    if t and len(t) <= 3 and set(t) <= set(letters):
        words = [letters[c] for c in t]
        if len(words) == 3:  # NNE -> north-northeast
            return f"{words[0]}-{words[1]}{words[2]}"
        return "".join(words)
    for name in COMPASS_POINTS:  # "northnortheast" -> "north-northeast"
        if name.replace("-", "") == t:
            return name
    return t


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
        The interval the statement implies, in meters (see :func:`geoconflict.events.phrases.stated_interval`).
    qualifier : str, optional
        One of :data:`QUALIFIERS`.
    unit : str, optional
        The unit as written (``"km"``).
    alternative : str, optional
        A conversion given alongside (``"2 miles"``), kept verbatim.
    reference_id : str, optional
        A resolved reference: ``"border:IRQ-SYR"``, ``"place:Abu Kamal"`` or
        ``"site:<id>"``.  Left None for "the border",
        :func:`geoconflict.events.check.check_claims` picks the border the site
        lies nearest to (and says so).
    via, phrase, site, note : str, optional
        See :class:`Claim`.
    direction : str, optional
        Compass direction of the site *from the reference*, as a
        :data:`COMPASS_POINTS` word ("15 km east of Abu Kamal" → ``"east"``);
        :meth:`sector` gives its azimuth sector.
    side : str, optional
        ISO 3166-1 alpha-3 code of the country the site is said to lie in
        ("3 km inside Iraqi territory" → ``"IRQ"``).
    vague : str, optional
        The vague wording the interval stands for (``"near"``,
        ``"on the outskirts of"``, ``"several"``, ``"range"``); the interval is
        then a documented wide one and ``value_m`` may be NaN.
    alternative_m : float, optional
        The conversion given alongside (``alternative``), in meters.
    mismatch : str, optional
        Set when the two stated values do not agree (their intervals do not
        overlap): says by how much.  The first value is the one used.

    Examples
    --------
    >>> c = DistanceClaim("x", "Abu Kamal", 15000.0, 14500.0, 15500.0,
    ...                   direction="east")
    >>> c.sector()
    (90.0, 45.0)
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
    direction: Optional[str] = None
    side: Optional[str] = None
    vague: Optional[str] = None
    alternative_m: Optional[float] = None
    mismatch: Optional[str] = None

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
        if not self.low_m <= self.high_m:
            raise ValueError(
                f"distance interval [{self.low_m}, {self.high_m}] m is empty"
            )
        if self.direction is not None:
            compass_sector(self.direction)  # raises on unknown words

    def sector(self) -> Optional[tuple[float, float]]:
        """``(azimuth_deg, half_width_deg)`` of :attr:`direction`, or None.

        The sector in which the site lies as seen from the reference, degrees
        clockwise from true north (see :data:`COMPASS_POINTS`).
        """
        return None if self.direction is None else compass_sector(self.direction)


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


@dataclass(frozen=True)
class UnparsedClaim(Claim):
    """Words a parser could not read, kept on the event so nothing is dropped.

    Parameters
    ----------
    source : str
        Id of the source.
    kind : str
        What the words were expected to state (``"casualties"``, ``"distance"``).
    phrase : str
        The words, verbatim.
    reason : str, optional
        Why they could not be read.
    via, site, note : str, optional
        See :class:`Claim`.

    Examples
    --------
    >>> UnparsedClaim("r", "casualties", "caused heavy casualties").type
    'unparsed'
    """

    type: ClassVar[str] = "unparsed"
    source: str
    kind: str
    phrase: str
    reason: Optional[str] = None
    via: Optional[str] = None
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
        UnparsedClaim,
    )
}


def claim_from_dict(data: dict) -> Claim:
    """Build a claim from the dict :meth:`Claim.to_dict` wrote.

    Parameters
    ----------
    data : dict
        Must hold ``type`` (one of ``attribution``, ``casualties``, ``distance``,
        ``weapon``, ``damage``, ``target``, ``unparsed``) and the fields of that
        kind.

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
