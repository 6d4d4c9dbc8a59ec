"""extract_claims: candidate claims from a whole report, with spans (#15)."""

import os
import re
from pathlib import Path

import pytest

import geoconflict as gc
from geoconflict.events.extract import extract_claims

#: the seed reports: $GEOCONFLICT_SEEDS, else shared/seeds beside the checkout (where
#: the project's machines and CI keep them)
SEEDS = Path(
    os.environ.get(
        "GEOCONFLICT_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"
    )
)
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []

# Brief quotations of the seed reports (EA WorldView, September 2019; Tasnim,
# September 2021), the phrases that carry their figures.
QUOTES = (
    "the al-Bukamal region, about 3 km (2 miles) from the border. Local activists "
    "said 21 fighters were killed and 36 wounded.\n"
    "An Assad regime official also blamed Israel. He claimed the “military camp” "
    "was deserted and there were no casualties.\n"
    "PMF storehouses in Anbar Province, about 200 km (125 miles) from al-Bukamal.\n"
    "the convoy was struck by four missiles, and that the attack left no casualties.\n"
    "the US military denied any involvement"
)

_UNIT = r"(?:km|kilomet(?:er|re)s?|miles?|metres?|meters?|m)\b"
_NUMBER = (
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|forty|fifty|hundred|dozens?)\b"
)
_CASUALTY = r"(?:killed|wounded|injured|dead|died|missing)\b"


def stated_figures(text):
    """An independent reader: every number followed by a unit is a distance; every
    number with a casualty word within four words after it (or right before it),
    and every "no casualties", is a casualty figure.  Returns (kind, start, end)."""
    out = []
    for m in re.finditer(_NUMBER, text, re.IGNORECASE):
        after = text[m.end() : m.end() + 60]
        before = text[max(0, m.start() - 20) : m.start()]
        if re.match(r"\s*-?\s*" + _UNIT, after, re.IGNORECASE):
            out.append(("distance", m.start(), m.end()))
        elif re.match(r"(?:\s+[\w-]+){0,3}?\s+" + _CASUALTY, after) or re.search(
            r"\b(?:killing|killed|wounding|wounded|left)\s+$", before
        ):
            out.append(("casualties", m.start(), m.end()))
    for m in re.finditer(r"\bno casualties\b", text):
        out.append(("casualties", m.start(), m.end()))
    return out


def assert_every_figure_found(text, found):
    figures = stated_figures(text)
    assert figures, "the oracle found nothing: the test would be empty"
    for kind, a, b in figures:
        hits = [c for c in found if c.kind == kind and c.start <= a and b <= c.end]
        assert hits, (
            f"{kind} figure {text[a:b]!r} at {a} not found in {text[a - 60 : b + 60]!r}"
        )


@pytest.fixture(scope="module")
def quotes():
    return extract_claims(QUOTES, source="r", places=False)


def test_every_figure_in_the_quotations_is_found(quotes):
    assert_every_figure_found(QUOTES, quotes)


def test_spans_are_the_words(quotes):
    for c in quotes:
        assert QUOTES[c.start : c.end] == c.text
        if c.claim is not None and c.kind != "attribution":
            assert c.claim.phrase == c.text.strip()
    assert [c.start for c in quotes] == sorted(c.start for c in quotes)


def test_candidate_claims_read_right(quotes):
    d = quotes.of("distance")
    assert [(c.claim.reference, c.claim.low_m, c.claim.high_m) for c in d] == [
        ("the border", 2500.0, 3500.0),
        ("al-Bukamal", 150e3, 250e3),
    ]
    cas = [
        (c.claim.outcome, c.claim.best, c.claim.group) for c in quotes.of("casualties")
    ]
    assert cas == [
        ("killed", 21, "fighters"),
        ("wounded", 36, "fighters"),
        ("killed", 0, None),
        ("wounded", 0, None),
        ("killed", 0, None),
        ("wounded", 0, None),
    ]
    att = [(c.claim.actor, c.claim.stance) for c in quotes.of("attribution")]
    assert att == [("Israel", "accused"), ("the US military", "denied")]
    assert "An Assad regime official" in quotes.of("attribution")[0].note
    # the claims can go straight onto an event
    e = gc.Event(
        "e",
        gc.TimeEstimate("2019-09-09"),
        [gc.Site("t1", gc.Location(40.91854, 34.45226, "settlement"))],
        quotes.claims(),
    )
    assert len(e.claims) == len(quotes) - len(quotes.of("place"))
    assert e.attribution_status(by_actor=True) == {
        "Israel": "claimed",
        "the US military": "denied",
    }


def test_sentences_with_unreadable_casualties_are_flagged():
    text = "The strike caused heavy casualties. Four missiles were fired."
    found = extract_claims(text, source="r", places=False)
    (u,) = found.of("unparsed")
    assert u.text == "The strike caused heavy casualties."
    assert u.claim.kind == "casualties"


def test_tables():
    found = extract_claims(QUOTES, source="r", places=False)
    md = found.to_markdown()
    assert md.splitlines()[0].startswith("| kind | start | end |")
    assert "2.5–3.5 km from 'the border'" in md
    assert found.to_csv().splitlines()[0] == "kind,start,end,text,summary,note"


def test_places_are_resolved_with_their_spread():
    found = extract_claims(
        "Strikes hit a base near al-Bukamal in the province of Deir ez-Zor.",
        source="r",
    )
    names = {c.text: c for c in found.of("place")}
    assert set(names) == {"al-Bukamal", "Deir ez-Zor"}
    bk = names["al-Bukamal"].place
    assert bk.best.country in ("SY", "SYR")
    assert 0 <= bk.spread_m < 5000


@pytest.mark.skipif(not SEED_FILES, reason=f"seed reports not found in {SEEDS}")
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_figure_in_the_seed_reports_is_found(path):
    text = path.read_text(encoding="utf-8")
    found = extract_claims(text, source="seed", places=False)
    assert_every_figure_found(text, found)
    for c in found:
        assert text[c.start : c.end] == c.text


def test_attribution_stances_in_running_text():
    text = (
        "The Islamic State group claimed responsibility for the attack. "
        "Turkey denied that its drones were involved. "
        "Officials blamed the blast on the PKK. "
        "Media reports indicate that the attack was carried out by the United States."
    )
    found = extract_claims(text, source="r", places=False)
    got = [(c.claim.actor, c.claim.stance) for c in found.of("attribution")]
    assert got == [
        ("The Islamic State group", "claimed"),
        ("Turkey", "denied"),
        ("the PKK", "accused"),
        ("the United States", "accused"),
    ]
    for c in found.of("attribution"):
        assert text[c.start : c.end] == c.text == c.claim.phrase
