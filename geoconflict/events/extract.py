"""Candidate claims from a whole report, each with its character span, for review.

:func:`extract_claims` scans an article and returns what a person checking it
would mark: stated distances with their reference, casualty figures,
attributions with their stance (a party "claimed responsibility", was "blamed"
or "accused", "denied"), places resolved through
:func:`geoconflict.geography.places.lookup` with their spread, and sentences that
speak of casualties but state no figure geoconflict can read.  Nothing here is
decided: candidates are for a person to accept, correct or discard, and actors
are only ever what a source claims, attributes or denies.

Distances are in meters; spans are Python string offsets ``text[start:end]``.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from geoconflict._tables import csv_text, markdown_text
from geoconflict.errors import BoundaryNotFoundError
from geoconflict.events.casualties import CASUALTY_WORDS, iter_casualties
from geoconflict.events.claims import AttributionClaim, UnparsedClaim
from geoconflict.events.phrases import (
    DEMONYMS,
    _with_phrase,
    countries_named,
    iter_distances,
)
from geoconflict.geography import boundaries
from geoconflict.geography import places as places_data

__all__ = ["Candidate", "Candidates", "extract_claims"]


class Candidate(NamedTuple):
    """One candidate claim found in a text.

    Attributes
    ----------
    kind : str
        ``"distance"``, ``"casualties"``, ``"attribution"``, ``"place"`` or
        ``"unparsed"``.
    start, end : int
        The span: ``text[start:end]`` is :attr:`text`.
    text : str
        The words, verbatim.
    claim : Claim or None
        The claim read from them (None for a place).
    place : PlaceMatches or None
        For a place: every gazetteer entry the name matches (lon/lat degrees),
        with ``spread_m`` (meters between the farthest candidates).
    note : str
        What a reviewer should know (e.g. the speaker of an attribution).
    """

    kind: str
    start: int
    end: int
    text: str
    claim: object
    place: object
    note: str


class Candidates(list):
    """Result of :func:`extract_claims`: :class:`Candidate` s in text order."""

    COLUMNS = ("kind", "start", "end", "text", "summary", "note")

    def of(self, kind: str) -> list:
        """Return the candidates of one kind."""
        return [c for c in self if c.kind == kind]

    def claims(self) -> list:
        """Return the claims of every candidate that has one (for ``Event(claims=...)``)."""
        return [c.claim for c in self if c.claim is not None]

    def rows(self) -> list[dict]:
        """One dict per candidate with a one-line summary (meters, degrees)."""
        return [
            {
                "kind": c.kind,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "summary": _summary(c),
                "note": c.note,
            }
            for c in self
        ]

    def to_markdown(self) -> str:
        """Return the candidates as a Markdown table for review."""
        return markdown_text(self.rows(), self.COLUMNS)

    def to_csv(self, path=None) -> str:
        """Write CSV to `path` if given, and return the text."""
        return csv_text(self.rows(), self.COLUMNS, path)


def _summary(c: Candidate) -> str:
    k = c.claim
    if c.kind == "distance":
        where = f" {k.direction} of" if k.direction else " from"
        side = f", inside {k.side}" if k.side else ""
        vague = f" ({k.vague})" if k.vague else ""
        return (
            f"{k.low_m / 1000:g}–{k.high_m / 1000:g} km{vague}{where} "
            f"{k.reference!r}{side}"
        )
    if c.kind == "casualties":
        low, best, high = k.bounds()
        group = f" {k.group}" if k.group else ""
        return f"{k.outcome}{group}: low {low:g}, best {best:g}, high {high:g}"
    if c.kind == "attribution":
        return f"{k.stance}: {k.actor}"
    if c.kind == "place":
        best = c.place.best
        return (
            f"{best.name} ({best.country}) {best.lon:.5f}, {best.lat:.5f}; "
            f"{len(c.place)} entries, spread {c.place.spread_m / 1000:.1f} km"
        )
    return k.reason or ""


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|(?=\n)|$)")
_PLACE = re.compile(
    r"\b(?:in|near|of|from|at|toward|towards|outside|into)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|province|region|governorate)\s+of\s+)?"
    r"(?P<name>(?:(?:al|el|ad|ar|as|ash|az)-)?[A-Z][\w’'-]+"
    r"(?:\s+(?:(?:al|el|ez|ad|as|az)-)?[A-Z][\w’'-]+){0,2})"
)
_NOT_PLACES = set(
    "The US Israel Israeli Iranian Iraqi Syrian American Americans Israelis Tehran's "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December".split()
)
_ACTOR = r"(?P<actor>(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and\s+)?(?:the\s+)?[A-Z][\w’'-]*){0,4})"
_ATTRIBUTIONS = (
    # object after the verb: "blamed on Israel", "also blamed Israel", "accused Israel"
    (re.compile(r"\bblamed\s+(?:on\s+)?" + _ACTOR), "accused", "object"),
    # "blamed the blast on the PKK"
    (
        re.compile(r"\bblamed\s+(?:the|a|an)\s+[a-z][\w\s-]{0,30}?\s+on\s+" + _ACTOR),
        "accused",
        "object",
    ),
    (re.compile(r"\baccus(?:ed|ing|es)\s+" + _ACTOR), "accused", "object"),
    (re.compile(r"\bhold\s+" + _ACTOR + r"\s+responsible"), "accused", "object"),
    (re.compile(r"\bheld\s+" + _ACTOR + r"\s+responsible"), "accused", "object"),
    (re.compile(r"\bcarried\s+out\s+by\s+" + _ACTOR), "accused", "object"),
    # "claimed Israeli warplanes fired four missiles"
    (
        re.compile(
            r"\b(?:claimed|said|says|alleged)\s+(?:that\s+)?" + _ACTOR + r"\s+"
            r"(?:warplanes|jets|drones|aircraft|forces|troops|helicopters|artillery)\s+"
            r"(?:had\s+)?(?:fired|struck|attacked|launched|hit|targeted|bombed|shelled)"
        ),
        "accused",
        "object",
    ),
    # subject before the verb: "X denied", "X claimed responsibility"
    (re.compile(r"\b(?:denied|denies|denying)\b"), "denied", "subject"),
    (re.compile(r"\bdid\s+not\s+conduct\b"), "denied", "subject"),
    (
        re.compile(r"\bclaimed\s+responsibility\b|\bclaims\s+responsibility\b"),
        "claimed",
        "subject",
    ),
    (re.compile(r"\b(?:was|were)\s+behind\b"), "accused", "subject"),
    (re.compile(r"\b[Aa]ccused\s+of\b"), "accused", "subject"),
    (
        re.compile(r"\b(?:declined\s+to\s+comment|commented|did\s+not\s+comment)\b"),
        "declined_to_comment",
        "subject",
    ),
)


def _subject(sentence: str, end: int) -> Optional[str]:
    """Return the actor before a verb: the last capitalised noun phrase of its clause."""
    clause = re.split(r"[,;:“”\"(]|\bbut\b|\bwhile\b|\bthat\b", sentence[:end])[-1]
    if not clause.strip():  # the verb opens a quotation: 'the US "did not conduct'
        clause = re.split(r"[,;:(]|\bbut\b|\bwhile\b|\bthat\b", sentence[:end])[-1]
        clause = re.sub(r"[“”\"]", " ", clause)
    words = clause.split()
    # "Neither the Israel Defense Forces nor US Central Command commented"
    clause = re.sub(r"\b(?:Neither|neither|nor)\b", "and", " ".join(words))
    m = re.search(
        r"((?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and\s+)?(?:the\s+)?[A-Za-z][\w’'-]*){0,5})\s*$",
        clause,
    )
    if m is None:
        return None
    actor = m.group(1).strip()
    actor = re.sub(r"^(?:and\s+)+", "", actor)
    actor = re.sub(r"\s+(?:also|has|had|have|was|were|is|publicly|then)$", "", actor)
    return actor or None


def extract_claims(
    text: str,
    *,
    source: str,
    via: Optional[str] = None,
    places: bool = True,
    country: Optional[str] = None,
) -> Candidates:
    """Find candidate claims in a whole report, each with its span, for review.

    Parameters
    ----------
    text : str
        The report (plain text).
    source : str
        Id of the source the claims are credited to (the outlet); reported
        speakers are named in each candidate's ``note`` — set their own
        :class:`~geoconflict.events.claims.Source` when accepting a claim.
    via : str, optional
        Stored on the claims.
    places : bool
        Resolve place names through :func:`geoconflict.geography.places.lookup`.
    country : str, optional
        Keep only gazetteer entries of this country (ISO alpha-2 or alpha-3).

    Returns
    -------
    Candidates
        In text order.  Kinds: ``distance`` (a
        :class:`~geoconflict.events.claims.DistanceClaim`, meters, with direction,
        side or vague wording), ``casualties`` (a
        :class:`~geoconflict.events.claims.CasualtyClaim`), ``attribution`` (an
        :class:`~geoconflict.events.claims.AttributionClaim`: claimed / accused /
        denied / declined to comment), ``place`` (the gazetteer entries, lon/lat
        degrees, with their spread in meters) and ``unparsed`` (words that speak
        of casualties or distances but could not be read).

    Examples
    --------
    >>> found = extract_claims(
    ...     "The strike hit a base about 3 km (2 miles) from the border. "
    ...     "Activists said 21 fighters were killed and 36 wounded. "
    ...     "The US military denied any involvement.", source="r", places=False)
    >>> [(c.kind, c.text) for c in found]  # doctest: +NORMALIZE_WHITESPACE
    [('distance', 'about 3 km (2 miles) from the border'),
     ('casualties', '21 fighters were killed'), ('casualties', '36 wounded'),
     ('attribution', 'denied')]
    >>> found.of("attribution")[0].claim.actor
    'The US military'
    """
    out = Candidates()
    for start, end, claim in iter_distances(text, source=source, via=via):
        kind = "distance" if claim.type == "distance" else "unparsed"
        out.append(Candidate(kind, start, end, text[start:end], claim, None, ""))
    for sm in _SENTENCE.finditer(text):
        sentence, s0 = sm.group(0), sm.start()
        n_before = len(out)
        for a, b, claim in iter_casualties(sentence, source=source, via=via):
            span = text[s0 + a : s0 + b]
            out.append(
                Candidate(
                    "casualties",
                    s0 + a,
                    s0 + b,
                    span,
                    _with_phrase(claim, span.strip()),
                    None,
                    "",
                )
            )
        if len(out) == n_before and CASUALTY_WORDS.search(sentence):
            words = sentence.strip()
            a = s0 + sentence.index(words)
            out.append(
                Candidate(
                    "unparsed",
                    a,
                    a + len(words),
                    words,
                    UnparsedClaim(
                        source,
                        "casualties",
                        words,
                        reason="speaks of casualties but states no figure "
                        "geoconflict can read",
                        via=via,
                    ),
                    None,
                    "review: is there a figure?",
                )
            )
        for pattern, stance, where in _ATTRIBUTIONS:
            for m in pattern.finditer(sentence):
                actor = (
                    m.group("actor").strip()
                    if where == "object"
                    else _subject(sentence, m.start())
                )
                if actor and actor.lower() in DEMONYMS:  # "Israeli warplanes"
                    actor = boundaries.country(DEMONYMS[actor.lower()]).name
                a, b = s0 + m.start(), s0 + m.end()
                speaker = _subject(sentence, m.start()) if where == "object" else None
                note = f"speaker: {speaker}" if speaker else "speaker: see the sentence"
                out.append(
                    Candidate(
                        "attribution",
                        a,
                        b,
                        text[a:b],
                        AttributionClaim(
                            source, actor, stance, via=via, phrase=text[a:b]
                        ),
                        None,
                        note,
                    )
                )
        if places:
            for m in _PLACE.finditer(sentence):
                name = re.sub(r"['’]s$", "", m.group("name"))
                if (
                    name in _NOT_PLACES
                    or name.split()[0] in _NOT_PLACES
                    or countries_named(name)  # a country, not a place
                ):
                    continue
                a = s0 + m.start("name")
                b = a + len(name)
                try:
                    hits = places_data.lookup(name, country=country)
                except BoundaryNotFoundError:
                    continue
                match = {p.match for p in hits}
                note = (
                    "matched a transliteration variant"
                    if match == {"variant"}
                    else f"{len(hits)} gazetteer entries"
                )
                out.append(Candidate("place", a, b, name, None, hits, note))
    out.sort(key=lambda c: (c.start, c.end))
    return out
