"""Events: their category, time estimate, sites and claims (:class:`Event`).

An :class:`Event` has an ACLED-style category (:data:`ACLED_TAXONOMY`), a
:class:`TimeEstimate`, one or more :class:`~geoconflict.events.sites.Site` s and the
:mod:`claims <geoconflict.events.claims>` made about it, each tied to a source.  Views
that reduce competing claims to one answer take an explicit ``policy``.
:class:`TimeEstimate` lives in :mod:`geoconflict.events.time`, :class:`Rejected` in
:mod:`geoconflict.events.rejected`, the native GeoJSON in
:mod:`geoconflict.events.native`; they are importable from here too.  Collections
of events are :class:`~geoconflict.events.eventset.EventSet`.

Coordinates are (lon, lat) in degrees on WGS84; distances and radii in meters;
times are ISO 8601 (local time of the event with an IANA time zone, or UTC).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from geoconflict.errors import DataFormatError
from geoconflict.events.claims import claim_from_dict
from geoconflict.events.rejected import Rejected
from geoconflict.events.sites import (
    Location,
    Site,
)
from geoconflict.events.time import (
    TIME_PRECISIONS,
    TimeEstimate,
)

__all__ = [
    "ACLED_TAXONOMY",
    "ATTRIBUTION_STATUSES",
    "TIME_PRECISIONS",
    "Category",
    "Event",
    "Location",
    "Rejected",
    "Site",
    "TimeEstimate",
]

#: ACLED's disorder type -> event type -> sub-event types (ACLED codebook 2023+)
ACLED_TAXONOMY: dict[str, dict[str, tuple[str, ...]]] = {
    "Political violence": {
        "Battles": (
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ),
        "Explosions/Remote violence": (
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ),
        "Violence against civilians": (
            "Sexual violence",
            "Attack",
            "Abduction/forced disappearance",
        ),
        "Riots": ("Mob violence", "Violent demonstration"),
    },
    "Demonstrations": {
        "Protests": (
            "Peaceful protest",
            "Protest with intervention",
            "Excessive force against protesters",
        ),
        "Riots": ("Violent demonstration", "Mob violence"),
    },
    "Strategic developments": {
        "Strategic developments": (
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ),
    },
}

#: values of :meth:`Event.attribution_status`
ATTRIBUTION_STATUSES = ("declared", "claimed", "contested", "denied", "unknown")


@dataclass(frozen=True)
class Category:
    """ACLED-style category: disorder type, event type, sub-event type.

    Any level may be None.  :meth:`validate` says whether the combination exists
    in :data:`ACLED_TAXONOMY` ("Political violence; Demonstrations" counts as both).

    Examples
    --------
    >>> Category("Political violence", "Explosions/Remote violence",
    ...          "Air/drone strike").validate()
    []
    >>> Category(None, "Battles", "Air strike").validate()
    ["sub-event type 'Air strike' is not an ACLED sub-event of 'Battles'"]
    """

    disorder_type: Optional[str] = None
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None

    def validate(self) -> list[str]:
        """Return the problems with this category (empty list if none)."""
        problems = []
        disorders = (
            [d.strip() for d in self.disorder_type.split(";")]
            if self.disorder_type
            else list(ACLED_TAXONOMY)
        )
        for d in disorders:
            if d not in ACLED_TAXONOMY:
                return [f"disorder type {d!r} is not an ACLED disorder type"]
        events = {e: s for d in disorders for e, s in ACLED_TAXONOMY[d].items()}
        if self.event_type is not None and self.event_type not in events:
            return [f"event type {self.event_type!r} is not an ACLED event type"]
        if self.sub_event_type is not None:
            subs = (
                events[self.event_type]
                if self.event_type
                else tuple(s for v in events.values() for s in v)
            )
            if self.sub_event_type not in subs:
                problems.append(
                    f"sub-event type {self.sub_event_type!r} is not an ACLED "
                    f"sub-event of {self.event_type!r}"
                )
        return problems

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "disorder_type": self.disorder_type,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
        }


@dataclass
class Event:
    """One event: category, time, sites and the claims about it.

    Parameters
    ----------
    id : str
        Unique identifier.
    time : TimeEstimate
        When.
    sites : list of Site
        Where (at least one; lon/lat degrees, uncertainty in meters).
    claims : list of Claim
        What sources say (attribution, casualties, distances, weapons ...).
    category : Category
        ACLED-style category.
    summary : str, optional
        Neutral one-line description.
    tags : list of str
    external_ids : dict
        Ids in other datasets (``{"acled": "SYR1234"}``).
    notes : str, optional
        Free text kept verbatim (e.g. ACLED's ``notes``).

    Examples
    --------
    >>> from geoconflict.events.claims import CasualtyClaim
    >>> e = Event("e1", TimeEstimate("2019-09-09"),
    ...           [Site("s", Location(40.91854, 34.45226, "settlement"))],
    ...           [CasualtyClaim("a", "killed", 21), CasualtyClaim("b", "killed", 0)])
    >>> e.casualties("range")["killed"]
    (0.0, 21.0)
    """

    id: str
    time: TimeEstimate
    sites: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    category: Category = field(default_factory=Category)
    summary: Optional[str] = None
    tags: list = field(default_factory=list)
    external_ids: dict = field(default_factory=dict)
    notes: Optional[str] = None

    def __post_init__(self) -> None:
        if not self.sites:
            raise ValueError(f"event {self.id!r} needs at least one site")
        ids = [s.id for s in self.sites]
        if len(set(ids)) != len(ids):
            raise ValueError(f"event {self.id!r} has duplicate site ids {ids}")
        for c in self.claims:
            site = getattr(c, "site", None)
            if site is not None and site not in ids:
                raise ValueError(
                    f"event {self.id!r}: a {c.type} claim refers to unknown site "
                    f"{site!r} (sites: {ids})"
                )

    # ------------------------------------------------------------ views
    @property
    def primary_site(self) -> Site:
        """The first target (or impact) site, else the first site."""
        for role in ("target", "impact"):
            for s in self.sites:
                if s.role == role:
                    return s
        return self.sites[0]

    def claims_of(self, kind: str) -> list:
        """Claims of one kind (``"attribution"``, ``"casualties"``, ``"distance"`` ...)."""
        return [c for c in self.claims if c.type == kind]

    def casualties(self, policy: str = "conservative") -> dict:
        """Casualty numbers under an explicit policy.

        Parameters
        ----------
        policy : {"conservative", "range", "by_source"}
            ``"conservative"``: per outcome (killed/wounded/missing), the lowest
            number any source gives (ACLED's practice; a source saying "no
            casualties" gives 0); ``"range"``: per outcome, ``(min, max)`` over
            sources (lower and upper bounds, ``inf`` for "at least");
            ``"by_source"``: per source id, per outcome, ``(low, best, high)``.
            Per source, a total (claim without a group) is used when there is
            one; otherwise the source's group counts (e.g. "fighters",
            "civilians") are added up.

        Returns
        -------
        dict
            Outcome -> number (NaN if no source gives one), outcome -> (min, max),
            or source -> outcome -> (low, best, high).

        Examples
        --------
        >>> from geoconflict.events.claims import CasualtyClaim
        >>> e = Event("e", TimeEstimate("2019-09-09"),
        ...           [Site("s", Location(40.9, 34.4, "settlement"))],
        ...           [CasualtyClaim("activists", "killed", 21),
        ...            CasualtyClaim("official", "killed", 0)])
        >>> e.casualties()["killed"]
        0.0
        >>> e.casualties("by_source")["activists"]["killed"]
        (21.0, 21.0, 21.0)
        """
        totals: dict = defaultdict(dict)
        groups: dict = defaultdict(lambda: defaultdict(list))
        for c in self.claims_of("casualties"):
            b = list(c.bounds())
            if c.group is None:
                totals[c.source].setdefault(c.outcome, b)
            else:
                groups[c.source][c.outcome].append(b)
        per_source: dict[str, dict[str, list]] = defaultdict(dict)
        for src in list(totals) + [s for s in groups if s not in totals]:
            for o in set(totals.get(src, {})) | set(groups.get(src, {})):
                if o in totals.get(src, {}):  # a total covers its groups
                    per_source[src][o] = totals[src][o]
                else:  # only groups: add them up
                    per_source[src][o] = [sum(v) for v in zip(*groups[src][o])]
        if policy == "by_source":
            return {
                s: {o: tuple(float(x) for x in v) for o, v in d.items()}
                for s, d in per_source.items()
            }
        outcomes = ("killed", "wounded", "missing")
        if policy == "conservative":
            out = {}
            for o in outcomes:
                vals = [
                    d[o][1] if not math.isnan(d[o][1]) else d[o][0]
                    for d in per_source.values()
                    if o in d
                ]
                vals = [v for v in vals if not math.isnan(v)]
                out[o] = float(min(vals)) if vals else math.nan
            return out
        if policy == "range":
            out = {}
            for o in outcomes:
                lows = [
                    d[o][0]
                    for d in per_source.values()
                    if o in d and not math.isnan(d[o][0])
                ]
                highs = [
                    d[o][2]
                    for d in per_source.values()
                    if o in d and not math.isnan(d[o][2])
                ]
                out[o] = (
                    float(min(lows)) if lows else math.nan,
                    float(max(highs)) if highs else math.nan,
                )
            return out
        raise ValueError(
            f"unknown casualty policy {policy!r}; use 'conservative', 'range' or 'by_source'"
        )

    def attribution_status(self, *, by_actor: bool = False):
        """Who is said to have done it: declared / claimed / contested / denied / unknown.

        Rules (applied per actor, then combined):

        * ``declared`` — the actor itself claims it (stance ``"claimed"``) and
          nobody speaking for it denies it;
        * ``claimed`` — others attribute it to the actor (``"accused"``) and the
          actor has not denied it;
        * ``contested`` — the actor is accused (or claims) and also denies;
        * ``denied`` — only denials;
        * ``unknown`` — no attribution, or only "declined to comment".

        Combined over actors: ``contested`` if any actor is contested; else
        ``declared`` if any actor declared; else ``claimed`` if any actor is
        claimed; else ``denied`` if any denial; else ``unknown``.  The library
        reports what sources say; it does not decide who did it.

        Parameters
        ----------
        by_actor : bool
            Return ``{actor: status}`` instead of one status.

        Returns
        -------
        str or dict

        Examples
        --------
        >>> from geoconflict.events.claims import AttributionClaim as A
        >>> e = Event("e", TimeEstimate("2021-09-14"),
        ...           [Site("s", Location(40.9, 34.4, "settlement"))],
        ...           [A("sabereen", "United States", "accused"),
        ...            A("us-military", "United States", "denied")])
        >>> e.attribution_status()
        'contested'
        """
        stances: dict[str, set] = defaultdict(set)
        for c in self.claims_of("attribution"):
            if c.actor:
                stances[c.actor].add(c.stance)
        per_actor = {}
        for actor, st in stances.items():
            pos = st & {"claimed", "accused"}
            if pos and "denied" in st:
                per_actor[actor] = "contested"
            elif "claimed" in st:
                per_actor[actor] = "declared"
            elif "accused" in st:
                per_actor[actor] = "claimed"
            elif "denied" in st:
                per_actor[actor] = "denied"
            else:
                per_actor[actor] = "unknown"
        if by_actor:
            return per_actor
        for status in ("contested", "declared", "claimed", "denied"):
            if status in per_actor.values():
                return status
        return "unknown"

    # ------------------------------------------------------------ (de)serialise
    def to_dict(self) -> dict:
        """Return the event as a JSON-ready dict (every field)."""
        return {
            "id": self.id,
            "category": self.category.to_dict(),
            "time": self.time.to_dict(),
            "sites": [s.to_dict() for s in self.sites],
            "claims": [c.to_dict() for c in self.claims],
            "summary": self.summary,
            "tags": list(self.tags),
            "external_ids": dict(self.external_ids),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        """Build an event from :meth:`to_dict` output."""
        try:
            return cls(
                id=str(data["id"]),
                category=Category(**(data.get("category") or {})),
                time=TimeEstimate.from_dict(data["time"]),
                sites=[Site.from_dict(s) for s in data.get("sites") or []],
                claims=[claim_from_dict(c) for c in data.get("claims") or []],
                summary=data.get("summary"),
                tags=list(data.get("tags") or []),
                external_ids=dict(data.get("external_ids") or {}),
                notes=data.get("notes"),
            )
        except DataFormatError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFormatError(
                f"event {data.get('id')!r} is not a valid geoconflict event: {exc}"
            ) from None
