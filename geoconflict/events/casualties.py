"""Casualty figures, read from the words reporters use.

:func:`parse_casualty_phrase` turns "an air strike killed 12 fighters and wounded
20", "left three dead and 11 injured", "the death toll rose to 17", "killing four
civilians" or "dozens of people were killed" into
:class:`~geoconflict.events.claims.CasualtyClaim` s; :func:`iter_casualties`
finds them in running text with their spans.  Words from which no figure can be
read are never dropped: they come back as an
:class:`~geoconflict.events.claims.UnparsedClaim` with an
:class:`~geoconflict.errors.UnparsedPhraseWarning`.

Counts are exact (no rounding interval); the reading of amounts (number words,
ranges, vague words, qualifiers) is :mod:`geoconflict.events.numbers`.  This is a
helper for review, not a language model: check its output.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from typing import Optional

from geoconflict.errors import UnparsedPhraseWarning
from geoconflict.events.claims import CasualtyClaim, UnparsedClaim
from geoconflict.events.numbers import AMOUNT_PATTERN, QUALIFIER_PATTERN, read_count

__all__ = ["CASUALTY_WORDS", "iter_casualties", "parse_casualty_phrase"]

_OUTCOME = {
    "killed": "killed",
    "kill": "killed",
    "kills": "killed",
    "killing": "killed",
    "dead": "killed",
    "died": "killed",
    "lost their lives": "killed",
    "wounded": "wounded",
    "wounding": "wounded",
    "wounds": "wounded",
    "injured": "wounded",
    "injuring": "wounded",
    "injures": "wounded",
    "hurt": "wounded",
    "missing": "missing",
}
_AUX_WORDS = (
    "were was have has had been are is and or but who which that killed dead died "
    "wounded injured hurt missing in on at by from of as when after remain remained "
    "remains still reportedly reported later also"
)
_NOT_GROUP = r"(?!(?:" + "|".join(_AUX_WORDS.split()) + r"|" + AMOUNT_PATTERN + r")\b)"
_GWORD = _NOT_GROUP + r"[A-Za-z][A-Za-z'’-]*"
_GROUP = rf"(?P<group>{_GWORD}(?:\s+{_GWORD}){{0,2}})"
_Q = rf"(?:(?P<qual>{QUALIFIER_PATTERN})\s+)?"
_N = rf"(?P<num>{AMOUNT_PATTERN})"
_OUT = r"(?P<out>killed|dead|died|wounded|injured|hurt|missing|lost\s+their\s+lives)"
# "21 fighters were killed", "11 injured", "dozens of people were killed"
_NUM_FIRST = re.compile(
    rf"(?<![\w.,-]){_Q}{_N}\s+(?:{_GROUP}\s+)?"
    r"(?:(?:were|was|have\s+been|had\s+been|has\s+been|are|been|reportedly|"
    r"later|also|remain|remained|remains|still|reported|confirmed)\s+)*" + _OUT + r"\b",
    re.IGNORECASE,
)
# "a civilian was killed"
_SINGLE = re.compile(
    r"\b(?P<num>an?)\s+(?P<group>[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)?)\s+"
    r"(?:was|has\s+been|had\s+been)\s+(?:reportedly\s+)?" + _OUT + r"\b",
    re.IGNORECASE,
)
# "killed 12 fighters", "killing four civilians", "left three dead"
_VERB_FIRST = re.compile(
    r"\b(?P<verb>killed|killing|kills|kill|wounded|wounding|wounds|injured|injuring|"
    r"injures|left|leaving|leaves|claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of)"
    rf"\s+{_Q}{_N}(?:\s+{_GROUP})?(?:\s+(?P<adj>dead|killed|wounded|injured|hurt|missing))?\b",
    re.IGNORECASE,
)
# "the death toll rose to 17", "the number of wounded reached 40"
_TOLL = re.compile(
    r"\b(?:(?:death|casualty)\s+)?(?:(?P<toll>toll)|number\s+of\s+"
    r"(?P<nout>dead|deaths|killed|fatalities|wounded|injured|injuries))\b"
    # "the death toll from Tuesday's strike has risen to 23": a few words between
    r"(?:\s+(?!(?:and|but)\b)[^\s.;:,]+){0,5}?"
    r"(?:\s+(?:has|had|have|rose|risen|rising|climbed|climbing|increased|jumped|"
    r"reached|stood|stands|now|further|to|at|of|is|was|hit)){1,4}\s+" + _Q + _N,
    re.IGNORECASE,
)
_INCLUDING = re.compile(rf"\bincluding\s+{_Q}{_N}\s+{_GROUP}", re.IGNORECASE)
_NONE_RE = re.compile(
    r"\b(?:left|caused|with|without|there\s+were|reported)?\s*no\s+"
    r"(?P<what>casualties|deaths|fatalities|injuries)\b|"
    r"\bwithout\s+(?P<what2>casualties)\b|"
    r"\bno\s*(?:-\s*)?one\s+(?:was|has\s+been|had\s+been|were)\s+"
    r"(?P<who>killed|hurt|injured|wounded)\b",
    re.IGNORECASE,
)
_NOT_PEOPLE = set(
    "days weeks months years hours minutes times km kilometres kilometers miles "
    "metres meters percent per cent".split()
)


def _as_count(v):
    """Whole counts as int (as the JSON writers keep them); inf and None stay."""
    return int(v) if v is not None and math.isfinite(v) and v == int(v) else v


def _group(text: Optional[str]) -> Optional[str]:
    # "people" and the like are everyone: a total, not a group
    if text is None:
        return None
    t = text.strip()
    low = t.lower()
    if low in (
        "people",
        "person",
        "persons",
        "individuals",
        "others",
        "other people",
        "more",
    ):
        return None
    return t


def iter_casualties(
    text: str, *, source: str, via: Optional[str] = None, site: Optional[str] = None
) -> Iterator[tuple[int, int, CasualtyClaim]]:
    """Every casualty figure in text: ``(start, end, claim)``, in text order.

    The claims' ``phrase`` is the whole `text` (set it to ``text[start:end]`` for
    spans); see :func:`parse_casualty_phrase` for what is read.
    """
    found: list[tuple[int, int, CasualtyClaim]] = []

    def taken(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e, _ in found)

    def add(a, b, outcome, num, qual, group):
        low, best, high, q, _vague = read_count(num, qual)
        if num.lower() in ("a", "an"):
            best = 1.0
        low, best, high = (_as_count(v) for v in (low, best, high))
        found.append(
            (
                a,
                b,
                CasualtyClaim(
                    source,
                    outcome,
                    best=best,
                    low=low,
                    high=high,
                    group=group,
                    qualifier=q,
                    via=via,
                    phrase=text,
                    site=site,
                ),
            )
        )

    for m in _NONE_RE.finditer(text):
        what = (m.group("what") or m.group("what2") or m.group("who") or "").lower()
        outs = {
            "casualties": ("killed", "wounded"),
            "hurt": ("killed", "wounded"),
            "deaths": ("killed",),
            "fatalities": ("killed",),
            "killed": ("killed",),
        }.get(what, ("wounded",))
        for o in outs:
            add(m.start(), m.end(), o, "0", None, None)
    for m in _TOLL.finditer(text):
        if taken(*m.span()):
            continue
        nout = (m.group("nout") or "dead").lower()
        outcome = "wounded" if nout in ("wounded", "injured", "injuries") else "killed"
        add(*m.span(), outcome, m.group("num"), m.group("qual"), None)
    last_group = None
    for m in _NUM_FIRST.finditer(text):
        if taken(*m.span()):
            continue
        group = m.group("group")
        if group is not None and group.split()[0].lower() in _NOT_PEOPLE:
            continue
        if group is None:
            between = text[found[-1][1] : m.start()] if found else ""
            group = (
                last_group
                if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", between)
                else None
            )
        else:
            last_group = group = _group(group)
        add(
            *m.span(),
            _OUTCOME[re.sub(r"\s+", " ", m.group("out").lower())],
            m.group("num"),
            m.group("qual"),
            group,
        )
    for m in _SINGLE.finditer(text):
        if not taken(*m.span()):
            add(
                *m.span(),
                _OUTCOME[m.group("out").lower()],
                "a",
                None,
                _group(m.group("group")),
            )
    for m in _VERB_FIRST.finditer(text):
        if taken(*m.span()):
            continue
        group = m.group("group")
        if group is not None and group.split()[0].lower() in _NOT_PEOPLE:
            continue
        verb = re.sub(r"\s+", " ", m.group("verb").lower())
        if verb in ("left", "leaving", "leaves"):
            if m.group("adj") is None:
                continue
            outcome = _OUTCOME[m.group("adj").lower()]
        elif verb.startswith("claim"):
            outcome = "killed"
        else:
            outcome = _OUTCOME[verb]
        add(*m.span(), outcome, m.group("num"), m.group("qual"), _group(group))
    found.sort(key=lambda t: t[0])
    # "killing at least 12 people, including three children": a group of the
    # figure before it, same outcome
    for m in _INCLUDING.finditer(text):
        before = [f for f in found if f[1] <= m.start()]
        if not before or taken(*m.span()):
            continue
        group = m.group("group")
        if group is None or group.split()[0].lower() in _NOT_PEOPLE:
            continue
        add(
            *m.span(),
            before[-1][2].outcome,
            m.group("num"),
            m.group("qual"),
            _group(group),
        )
    found.sort(key=lambda t: t[0])
    yield from found


#: words that speak of casualties (a sentence with one but no figure is flagged)
CASUALTY_WORDS = re.compile(
    r"\b(?:kill|dead|death|died|wound|injur|hurt|missing|casualt|toll|fatalit)",
    re.IGNORECASE,
)


def parse_casualty_phrase(
    phrase: str, *, source: str, via: Optional[str] = None, site: Optional[str] = None
) -> list:
    """Read casualty figures from words into :class:`CasualtyClaim` s.

    Reads what reports say: "21 fighters were killed and 36 wounded" (the group
    carries over to the second figure), "an air strike killed 12 fighters and
    wounded 20", "left three dead and 11 injured", "the death toll rose to 17",
    "killing four civilians", "at least 8 people were killed", "5 to 7 civilians
    were killed" (low 5, high 7), "dozens of people were killed" (24–99, see
    :data:`~geoconflict.events.numbers.VAGUE_AMOUNTS`), "a civilian was killed",
    "no casualties" (killed 0 and wounded 0).  Number words of any size are
    read.  "people", "others" count as a total (no group).

    Words from which no figure can be read are never dropped: the result is then
    one :class:`~geoconflict.events.claims.UnparsedClaim` keeping them, with an
    :class:`~geoconflict.errors.UnparsedPhraseWarning`.

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
    list of CasualtyClaim or [UnparsedClaim]
        Never empty.

    Examples
    --------
    >>> [(c.outcome, c.best, c.group) for c in parse_casualty_phrase(
    ...     "21 fighters were killed and 36 wounded", source="activists")]
    [('killed', 21, 'fighters'), ('wounded', 36, 'fighters')]
    >>> [(c.outcome, c.best) for c in parse_casualty_phrase(
    ...     "an air strike killed 12 fighters and wounded 20", source="r")]
    [('killed', 12), ('wounded', 20)]
    >>> [(c.outcome, c.best) for c in parse_casualty_phrase(
    ...     "the attack left no casualties", source="sabereen")]
    [('killed', 0), ('wounded', 0)]
    >>> [(c.outcome, c.low, c.high) for c in parse_casualty_phrase(
    ...     "dozens of people were killed", source="r")]
    [('killed', 24, 99)]
    """
    out = [c for _, _, c in iter_casualties(phrase, source=source, via=via, site=site)]
    if out:
        return out
    looks = bool(CASUALTY_WORDS.search(phrase or ""))
    reason = (
        "no casualty figure could be read from these words"
        if looks
        else "these words state no casualties geoconflict can read"
    )
    warnings.warn(
        f"{phrase!r}: {reason}; kept as an unparsed claim (type 'unparsed') for "
        "review: add CasualtyClaim(s) by hand",
        UnparsedPhraseWarning,
        stacklevel=2,
    )
    return [
        UnparsedClaim(source, "casualties", phrase, reason=reason, via=via, site=site)
    ]
