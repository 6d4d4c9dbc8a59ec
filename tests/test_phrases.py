"""Stated distances and casualty figures as reporters write them (#15).

A table of real-style phrasings with the intervals they must give, round trips
(format a statement, read it back) and the figures of the seed reports.
"""

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoconflict.errors import UnitError, UnparsedPhraseWarning
from geoconflict.events.casualties import parse_casualty_phrase
from geoconflict.events.claims import COMPASS_POINTS, UnparsedClaim, compass_sector
from geoconflict.events.numbers import (
    QUALIFIER_WORDS,
    VAGUE_AMOUNTS,
    read_amount,
    read_number,
)
from geoconflict.events.phrases import (
    VAGUE_DISTANCES_M,
    countries_named,
    parse_distance_phrase,
    stated_interval,
)
from geoconflict.units import unit_factor

MI = 1609.344
INF = math.inf
NAN = math.nan

# phrase, reference, low_m, value_m (NaN: none), high_m, other fields expected
DISTANCES = [
    ("about 3 km (2 miles) from the border", "the border", 2500, 3000, 3500, {}),
    ("five kilometres from the border", "the border", 4500, 5000, 5500, {}),
    ("five kilometers from the border", "the border", 4500, 5000, 5500, {}),
    ("twenty-five km from Deir ez-Zor", "Deir ez-Zor", 24500, 25000, 25500, {}),
    ("twenty five kilometres from Raqqa", "Raqqa", 24500, 25000, 25500, {}),
    ("twenty kilometres from Raqqa", "Raqqa", 15000, 20000, 25000, {}),
    ("a dozen miles from the base", "the base", 11 * MI, 12 * MI, 13 * MI, {}),
    ("half a kilometre from the checkpoint", "the checkpoint", 250, 500, 750, {}),
    ("half a mile from the camp", "the camp", 0.25 * MI, 0.5 * MI, 0.75 * MI, {}),
    ("one and a half kilometres from the town", "the town", 1250, 1500, 1750, {}),
    ("a kilometre from the border", "the border", 500, 1000, 1500, {}),
    ("a mile from the airport", "the airport", 0.5 * MI, MI, 1.5 * MI, {}),
    ("less than a kilometre from the border", "the border", 0, 1000, 1500, {}),
    ("3-4 km from the border", "the border", 2500, 3500, 4500, {"vague": "range"}),
    ("3–4 km from the border", "the border", 2500, 3500, 4500, {"vague": "range"}),
    ("3 to 4 km from the border", "the border", 2500, 3500, 4500, {}),
    ("between 3 and 4 km from the border", "the border", 2500, 3500, 4500, {}),
    ("between two and three miles from Tanf", "Tanf", 1.5 * MI, 2.5 * MI, 3.5 * MI, {}),
    ("a few kilometres from the border", "the border", 2000, NAN, 5000, {}),
    ("several kilometers from al-Qaim", "al-Qaim", 3000, NAN, 9000, {}),
    ("a couple of kilometres from the town", "the town", 2000, NAN, 3000, {}),
    ("dozens of kilometres from the front", "the front", 24e3, NAN, 99e3, {}),
    ("tens of kilometres from the border", "the border", 20e3, NAN, 99e3, {}),
    ("hundreds of metres from the hospital", "the hospital", 200, NAN, 999, {}),
    ("30 miles (48 km) from Baghdad", "Baghdad", 25 * MI, 30 * MI, 35 * MI, {}),
    ("30km from Mosul", "Mosul", 25e3, 30e3, 35e3, {}),
    ("about 3km from the border", "the border", 2500, 3000, 3500, {}),
    ("30-km from Mosul", "Mosul", 25e3, 30e3, 35e3, {}),
    ("2 klicks from the FOB", "the FOB", 1500, 2000, 2500, {}),
    ("1,500 metres from the camp", "the camp", 1450, 1500, 1550, {}),
    ("1,5 km from the wall", "the wall", 1450, 1500, 1550, {}),
    ("2.5 km from the border", "the border", 2450, 2500, 2550, {}),
    (
        "500 yards from the compound",
        "the compound",
        450 * 0.9144,
        457.2,
        550 * 0.9144,
        {},
    ),
    (
        "800 feet from the road",
        "the road",
        750 * 0.3048,
        800 * 0.3048,
        850 * 0.3048,
        {},
    ),
    (
        "12 nautical miles off the coast",
        "the coast",
        11.5 * 1852,
        12 * 1852,
        12.5 * 1852,
        {},
    ),
    (
        "roughly 40 kilometres north of Baghdad",
        "Baghdad",
        35e3,
        40e3,
        45e3,
        {"direction": "north"},
    ),
    (
        "15 km east of Abu Kamal",
        "Abu Kamal",
        14500,
        15000,
        15500,
        {"direction": "east"},
    ),
    (
        "7 km northwest of al-Qaim",
        "al-Qaim",
        6500,
        7000,
        7500,
        {"direction": "northwest"},
    ),
    (
        "7 km north-west of al-Qaim",
        "al-Qaim",
        6500,
        7000,
        7500,
        {"direction": "northwest"},
    ),
    (
        "7 km north west of al-Qaim",
        "al-Qaim",
        6500,
        7000,
        7500,
        {"direction": "northwest"},
    ),
    (
        "some 10 km to the south-east of Mosul",
        "Mosul",
        5e3,
        10e3,
        15e3,
        {"direction": "southeast"},
    ),
    ("10 km NE of Raqqa", "Raqqa", 5e3, 10e3, 15e3, {"direction": "northeast"}),
    (
        "20 km north-northeast of Homs",
        "Homs",
        15e3,
        20e3,
        25e3,
        {"direction": "north-northeast"},
    ),
    (
        "about 12 miles southwest of the city",
        "the city",
        11.5 * MI,
        12 * MI,
        12.5 * MI,
        {"direction": "southwest"},
    ),
    ("3 km inside Iraqi territory", "the border", 2500, 3000, 3500, {"side": "IRQ"}),
    (
        "at least 20 km inside Syrian territory",
        "the border",
        15e3,
        20e3,
        INF,
        {"side": "SYR"},
    ),
    ("5 km into Syria", "the border", 4500, 5000, 5500, {"side": "SYR"}),
    (
        "2 km on the Iraqi side of the border",
        "the border",
        1500,
        2000,
        2500,
        {"side": "IRQ"},
    ),
    ("10 km inside Turkish territory", "the border", 5e3, 10e3, 15e3, {"side": "TUR"}),
    ("near the border", "the border", 0, NAN, 25e3, {"vague": "near"}),
    (
        "close to the Turkish border",
        "the Turkish border",
        0,
        NAN,
        25e3,
        {"vague": "close to"},
    ),
    ("not far from the border", "the border", 0, NAN, 25e3, {"vague": "not far from"}),
    (
        "on the outskirts of al-Bukamal",
        "al-Bukamal",
        0,
        NAN,
        10e3,
        {"vague": "on the outskirts of"},
    ),
    ("just outside Damascus", "Damascus", 0, NAN, 10e3, {"vague": "just outside"}),
    (
        "along the Iraq-Syria border",
        "the Iraq-Syria border",
        0,
        NAN,
        5e3,
        {"vague": "along"},
    ),
    ("in the vicinity of Tanf", "Tanf", 0, NAN, 25e3, {"vague": "in the vicinity of"}),
    (
        "at least 10 km from the border",
        "the border",
        5e3,
        10e3,
        INF,
        {"qualifier": "at least"},
    ),
    (
        "more than 10 km from the border",
        "the border",
        5e3,
        10e3,
        INF,
        {"qualifier": "more than"},
    ),
    (
        "just over 2 km from the border",
        "the border",
        1500,
        2000,
        INF,
        {"qualifier": "more than"},
    ),
    (
        "within 5 miles of the base",
        "the base",
        0,
        5 * MI,
        5.5 * MI,
        {"qualifier": "up to"},
    ),
    ("up to 5 km from the border", "the border", 0, 5e3, 5.5e3, {"qualifier": "up to"}),
    (
        "nearly 20 kilometers from Al Qa'im.",
        "Al Qa'im",
        10e3,
        20e3,
        20e3,
        {"qualifier": "nearly"},
    ),
    (
        "almost 3 km from the border",
        "the border",
        2000,
        3000,
        3000,
        {"qualifier": "nearly"},
    ),
    (
        "approximately 200 km from al-Bukamal",
        "al-Bukamal",
        150e3,
        200e3,
        250e3,
        {"qualifier": "about"},
    ),
    (
        "an estimated 4 km from the border",
        "the border",
        3500,
        4000,
        4500,
        {"qualifier": "about"},
    ),
    ("some 500 metres away from the checkpoint", "the checkpoint", 450, 500, 550, {}),
    ("about 200 km (125 miles) from al-Bukamal", "al-Bukamal", 150e3, 200e3, 250e3, {}),
]

# phrase, [(outcome, low, best, high, group, qualifier)] as CasualtyClaim.bounds()
CASUALTIES = [
    (
        "the death toll from Tuesday's strike has risen to 23",
        [("killed", 23, 23, 23, None, None)],
    ),
    (
        "at least 17 people were killed and dozens more injured",
        [
            ("killed", 17, 17, INF, None, "at least"),
            ("wounded", 24, NAN, 99, None, None),
        ],
    ),
    (
        "21 fighters were killed and 36 wounded",
        [
            ("killed", 21, 21, 21, "fighters", None),
            ("wounded", 36, 36, 36, "fighters", None),
        ],
    ),
    (
        "an air strike killed 12 fighters and wounded 20",
        [("killed", 12, 12, 12, "fighters", None), ("wounded", 20, 20, 20, None, None)],
    ),
    (
        "the strike left three dead and 11 injured",
        [("killed", 3, 3, 3, None, None), ("wounded", 11, 11, 11, None, None)],
    ),
    ("leaving two dead", [("killed", 2, 2, 2, None, None)]),
    ("the death toll rose to 17", [("killed", 17, 17, 17, None, None)]),
    (
        "bringing the death toll to at least 30",
        [("killed", 30, 30, INF, None, "at least")],
    ),
    ("the toll has risen to twenty-three", [("killed", 23, 23, 23, None, None)]),
    ("the number of wounded rose to 40", [("wounded", 40, 40, 40, None, None)]),
    ("killing four civilians", [("killed", 4, 4, 4, "civilians", None)]),
    (
        "killing four civilians and wounding 11 others",
        [("killed", 4, 4, 4, "civilians", None), ("wounded", 11, 11, 11, None, None)],
    ),
    ("5 to 7 civilians were killed", [("killed", 5, NAN, 7, "civilians", None)]),
    ("between 10 and 15 people were wounded", [("wounded", 10, NAN, 15, None, None)]),
    ("5-7 soldiers were injured", [("wounded", 5, NAN, 7, "soldiers", None)]),
    ("dozens of people were killed", [("killed", 24, NAN, 99, None, None)]),
    ("dozens killed", [("killed", 24, NAN, 99, None, None)]),
    ("killing dozens", [("killed", 24, NAN, 99, None, None)]),
    ("several civilians were wounded", [("wounded", 3, NAN, 9, "civilians", None)]),
    ("hundreds of people were injured", [("wounded", 200, NAN, 999, None, None)]),
    ("a few soldiers were hurt", [("wounded", 2, NAN, 5, "soldiers", None)]),
    ("at least 8 people were killed", [("killed", 8, 8, INF, None, "at least")]),
    ("more than a dozen were injured", [("wounded", 12, 12, INF, None, "more than")]),
    ("up to 40 people were killed", [("killed", 0, 40, 40, None, "up to")]),
    ("as many as 40 people were killed", [("killed", 0, 40, 40, None, "up to")]),
    ("two soldiers died", [("killed", 2, 2, 2, "soldiers", None)]),
    ("twenty-five people were killed", [("killed", 25, 25, 25, None, None)]),
    (
        "one hundred and twenty people were killed",
        [("killed", 120, 120, 120, None, None)],
    ),
    ("a civilian was killed", [("killed", 1, 1, 1, "civilian", None)]),
    ("one person was killed", [("killed", 1, 1, 1, None, None)]),
    (
        "17 dead and 40 injured",
        [("killed", 17, 17, 17, None, None), ("wounded", 40, 40, 40, None, None)],
    ),
    ("three soldiers remain missing", [("missing", 3, 3, 3, "soldiers", None)]),
    ("claimed the lives of nine people", [("killed", 9, 9, 9, None, None)]),
    ("nine people lost their lives", [("killed", 9, 9, 9, None, None)]),
    (
        "killed 3 and injured 5",
        [("killed", 3, 3, 3, None, None), ("wounded", 5, 5, 5, None, None)],
    ),
    (
        "killing at least 12 people, including three children",
        [
            ("killed", 12, 12, INF, None, "at least"),
            ("killed", 3, 3, 3, "children", None),
        ],
    ),
    (
        "the attack left no casualties",
        [("killed", 0, 0, 0, None, None), ("wounded", 0, 0, 0, None, None)],
    ),
    (
        "there were no casualties",
        [("killed", 0, 0, 0, None, None), ("wounded", 0, 0, 0, None, None)],
    ),
    (
        "no one was hurt",
        [("killed", 0, 0, 0, None, None), ("wounded", 0, 0, 0, None, None)],
    ),
    ("no deaths were reported", [("killed", 0, 0, 0, None, None)]),
    ("about 1,200 people missing", [("missing", NAN, 1200, NAN, None, "about")]),
    (
        "12 pro-Iranian militiamen killed",
        [("killed", 12, 12, 12, "pro-Iranian militiamen", None)],
    ),
]


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9)


def test_the_tables_are_large_enough():
    assert len(DISTANCES) + len(CASUALTIES) >= 100
    assert len(DISTANCES) >= 60


@pytest.mark.parametrize(("phrase", "ref", "low", "value", "high", "extra"), DISTANCES)
def test_distance_phrasings(phrase, ref, low, value, high, extra):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these is a mismatch
        c = parse_distance_phrase(phrase, source="s")
    assert c.reference == ref
    assert _same(c.low_m, low), (c.low_m, low)
    assert _same(c.value_m, value), (c.value_m, value)
    assert _same(c.high_m, high), (c.high_m, high)
    for k, v in extra.items():
        assert getattr(c, k) == v, k
    assert c.phrase == phrase
    if math.isnan(value):
        assert c.vague  # every interval without a value says why


@pytest.mark.parametrize(("phrase", "expected"), CASUALTIES)
def test_casualty_phrasings(phrase, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = parse_casualty_phrase(phrase, source="s")
    rows = [(c.outcome, *c.bounds(), c.group, c.qualifier) for c in got]
    assert len(rows) == len(expected), rows
    for r, e in zip(rows, expected):
        assert r[0] == e[0], (r, e)
        assert r[4:] == e[4:], (r, e)
        assert all(_same(a, b) for a, b in zip(r[1:4], e[1:4])), (r, e)


def test_compound_units_keep_both_and_flag_a_mismatch():
    c = parse_distance_phrase("30 miles (48 km) from Baghdad", source="s")
    assert (c.unit, c.alternative, c.alternative_m) == ("miles", "48 km", 48000.0)
    assert c.mismatch is None
    with pytest.warns(UnparsedPhraseWarning, match="do not agree"):
        c = parse_distance_phrase("30 miles (30 km) from Baghdad", source="s")
    assert c.value_m == pytest.approx(30 * MI)  # the first given is used
    assert c.alternative_m == 30000.0
    assert "5.2 km" in c.mismatch  # 25 mi (40.2 km) - 35 km


def test_unreadable_distance_raises_or_is_kept():
    with pytest.raises(UnitError, match=r"expected e\.g\."):
        parse_distance_phrase("a stone's throw from the border", source="s")
    with pytest.warns(UnparsedPhraseWarning):
        c = parse_distance_phrase(
            "a stone's throw from the border", source="s", errors="keep", site="t1"
        )
    assert c == UnparsedClaim(
        "s", "distance", "a stone's throw from the border", reason=c.reason, site="t1"
    )


def test_vague_distances_can_be_overridden():
    c = parse_distance_phrase("near the border", source="s", vague_m={"near": (0, 8e3)})
    assert (c.low_m, c.high_m) == (0.0, 8e3)
    assert VAGUE_DISTANCES_M["near"] == (0.0, 25_000.0)  # the table is untouched


def test_compass_sectors():
    assert len(COMPASS_POINTS) == 16
    assert compass_sector("E") == compass_sector("east") == (90.0, 45.0)
    assert compass_sector("south-west") == (225.0, 22.5)
    assert compass_sector("WNW") == (292.5, 11.25)
    with pytest.raises(ValueError, match="compass"):
        compass_sector("up")


def test_countries_named():
    assert countries_named("the Iraqi border") == ["IRQ"]
    assert countries_named("the Iraq-Syria border") == ["IRQ", "SYR"]
    assert countries_named("the border with Jordan") == ["JOR"]
    assert countries_named("the checkpoint") == []


# -- round trips: write a statement the way a reporter would, read it back -------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int, hyphen: bool = True) -> str:
    """English words for 0 <= n < 1,000,000 (an independent writer)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t - 2] + (("-" if hyphen else " ") + _ONES[o] if o else "")
    if n < 1000:
        h, r = divmod(n, 100)
        return f"{_ONES[h]} hundred" + (f" and {words(r, hyphen)}" if r else "")
    th, r = divmod(n, 1000)
    return f"{words(th, hyphen)} thousand" + (
        f" {'and ' if r < 100 else ''}{words(r, hyphen)}" if r else ""
    )


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 999_999), st.booleans())
def test_number_words_round_trip(n, hyphen):
    value, step = read_number(words(n, hyphen))
    assert value == n
    assert read_number(f"{n:,}")[0] == n  # "1,200" thousands separators
    assert step == read_number(str(n))[1]  # words round like digits


_UNITS = [
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mi",
    "metres",
    "meters",
    "m",
    "nmi",
    "feet",
]
_REFS = ["the border", "Abu Kamal", "al-Qaim", "the Iraqi border", "Deir ez-Zor"]


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 999),
    decimals=st.integers(0, 2),
    as_words=st.booleans(),
    unit=st.sampled_from(_UNITS),
    qual=st.sampled_from([None, *QUALIFIER_WORDS]),
    direction=st.sampled_from([None, *COMPASS_POINTS]),
    ref=st.sampled_from(_REFS),
    alt=st.booleans(),
)
def test_distance_format_parse_round_trip(
    n, decimals, as_words, unit, qual, direction, ref, alt
):
    number = words(n) if as_words else f"{n / 10**decimals:.{decimals}f}"
    link = f"{direction} of" if direction else "from"
    alt_text = ""
    if alt:  # a journalist's conversion to km, rounded to the nearest km
        km = max(round(read_number(number)[0] * unit_factor(unit) / 1000), 1)
        alt_text = f" ({km} km)"
    phrase = f"{qual + ' ' if qual else ''}{number} {unit}{alt_text} {link} {ref}"
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        c = parse_distance_phrase(phrase, source="s")
    low, value, high = stated_interval(number, unit, qual)
    assert (c.low_m, c.value_m, c.high_m) == (low, value, high)
    assert c.value_m == pytest.approx(read_number(number)[0] * unit_factor(unit))
    assert c.low_m <= c.value_m <= c.high_m
    assert c.reference == ref
    assert c.direction == direction
    assert c.qualifier == (QUALIFIER_WORDS[qual] if qual else None)
    if alt:
        assert c.alternative == alt_text.strip(" ()")


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 5000),
    as_words=st.booleans(),
    outcome=st.sampled_from(["killed", "wounded", "injured", "missing", "dead"]),
    group=st.sampled_from([None, "civilians", "fighters", "soldiers", "people"]),
    qual=st.sampled_from([None, "at least", "about", "more than", "up to", "nearly"]),
    verb_first=st.booleans(),
)
def test_casualty_format_parse_round_trip(
    n, as_words, outcome, group, qual, verb_first
):
    number = words(n) if as_words else str(n)
    q = f"{qual} " if qual else ""
    g = f" {group}" if group else ""
    if verb_first and outcome in ("killed", "wounded", "injured"):
        phrase = f"the strike {outcome} {q}{number}{g}"
    else:
        phrase = f"{q}{number}{g} were {outcome}"
    (c,) = parse_casualty_phrase(phrase, source="s")
    assert c.outcome == {"dead": "killed", "injured": "wounded"}.get(outcome, outcome)
    assert c.best == n
    assert c.qualifier == (QUALIFIER_WORDS[qual] if qual else None)
    assert c.group == (None if group in (None, "people") else group)


@settings(max_examples=80, deadline=None)
@given(
    a=st.integers(0, 500),
    d=st.integers(0, 500),
    sep=st.sampled_from(["-", " to ", "–"]),
)
def test_ranges_round_trip(a, d, sep):
    b = a + d
    (c,) = parse_casualty_phrase(f"{a}{sep}{b} civilians were killed", source="s")
    assert (c.low, c.best, c.high) == (a, None, b)
    amt = read_amount(f"between {a} and {b}")
    assert amt.low <= a <= b <= amt.high


def test_vague_amounts_are_documented_intervals():
    for word, (lo, hi) in VAGUE_AMOUNTS.items():
        amt = read_amount(word)
        assert (amt.low, amt.high) == (lo, hi)
        assert math.isnan(amt.value)
        assert 0 < lo < hi < INF
