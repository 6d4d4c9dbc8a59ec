import math

import pytest

from geoconflict.errors import DataFormatError, UnitError
from geoconflict.events.claims import (
    AttributionClaim,
    CasualtyClaim,
    DistanceClaim,
    Source,
    WeaponClaim,
    claim_from_dict,
)
from geoconflict.events.phrases import parse_distance_phrase, stated_interval
from geoconflict.units import parse_length


@pytest.mark.parametrize(
    ("phrase", "ref", "value", "low", "high", "qual", "alt"),
    [
        (
            "about 3 km (2 miles) from the border",
            "the border",
            3000,
            2500,
            3500,
            "about",
            "2 miles",
        ),
        (
            "about 200 km (125 miles) from al-Bukamal",
            "al-Bukamal",
            200e3,
            150e3,
            250e3,
            "about",
            "125 miles",
        ),
        ("30 km from Deir ez-Zor", "Deir ez-Zor", 30e3, 25e3, 35e3, None, None),
        ("2.5 km from the border", "the border", 2500, 2450, 2550, None, None),
        (
            "at least 10 km from the border",
            "the border",
            10e3,
            5e3,
            math.inf,
            "at least",
            None,
        ),
        (
            "within 5 miles of the base",
            "the base",
            5 * 1609.344,
            0,
            5.5 * 1609.344,
            "up to",
            None,
        ),
        (
            "some 500 metres away from the checkpoint",
            "the checkpoint",
            500,
            450,
            550,
            "about",
            None,
        ),
        (
            "nearly 20 kilometers from Al Qa'im.",
            "Al Qa'im",
            20e3,
            10e3,
            20e3,
            "nearly",
            None,
        ),
    ],
)
def test_parse_distance_phrase(phrase, ref, value, low, high, qual, alt):
    c = parse_distance_phrase(phrase, source="s")
    assert c.reference == ref
    assert c.value_m == pytest.approx(value)
    assert c.low_m == pytest.approx(low)
    assert c.high_m == pytest.approx(high)
    assert c.qualifier == qual
    assert c.alternative == alt
    assert c.phrase == phrase
    assert c.source == "s"


def test_value_agrees_with_units_parse_length():
    c = parse_distance_phrase("about 125 miles from al-Bukamal", source="s")
    assert c.value_m == parse_length("125 miles")


def test_parenthetical_conversion_is_consistent_with_value():
    # the journalists' conversion lies inside the stated interval's neighbourhood
    c = parse_distance_phrase("about 3 km (2 miles) from the border", source="s")
    alt = parse_length(c.alternative)
    assert c.low_m - 500 <= alt <= c.high_m + 500


@pytest.mark.parametrize(
    "bad", ["on the roof", "3 from the border", "about 3 parsecs from x", ""]
)
def test_parse_distance_phrase_rejects(bad):
    with pytest.raises(UnitError):
        parse_distance_phrase(bad, source="s")


def test_stated_interval_rule():
    assert stated_interval("3", "km") == (2500.0, 3000.0, 3500.0)
    assert stated_interval("100", "km") == (50000.0, 100000.0, 150000.0)
    assert stated_interval("120", "km") == (115000.0, 120000.0, 125000.0)
    assert stated_interval("0.5", "km") == (450.0, 500.0, 550.0)
    lo, v, hi = stated_interval("2", "mi")
    assert (lo, v, hi) == pytest.approx((1.5 * 1609.344, 2 * 1609.344, 2.5 * 1609.344))
    assert stated_interval("3", "km", "less than")[0] == 0.0


def test_casualty_bounds_and_validation():
    assert CasualtyClaim("a", "killed", 21).bounds() == (21, 21, 21)
    lo, b, hi = CasualtyClaim("a", "killed", 8, qualifier="at least").bounds()
    assert (lo, b) == (8, 8)
    assert math.isinf(hi)
    assert CasualtyClaim("a", "killed", 10, qualifier="up to").bounds() == (0, 10, 10)
    lo, b, hi = CasualtyClaim("a", "killed", 20, qualifier="about").bounds()
    assert b == 20
    assert math.isnan(lo)
    assert math.isnan(hi)
    with pytest.raises(ValueError, match="outcome"):
        CasualtyClaim("a", "dead", 1)
    with pytest.raises(ValueError, match=">= 0"):
        CasualtyClaim("a", "killed", -1)
    with pytest.raises(ValueError, match="stance"):
        AttributionClaim("a", "X", "blamed")
    with pytest.raises(ValueError, match="source kind"):
        Source("x", "X", kind="blog")


def test_claim_dict_round_trip():
    claims = [
        AttributionClaim(
            "pmf", "Israel", "accused", via="report", phrase="claimed Israeli warplanes"
        ),
        CasualtyClaim("firm", "killed", 8, qualifier="at least", group="fighters"),
        parse_distance_phrase(
            "about 3 km (2 miles) from the border",
            source="r",
            reference_id="border:IRQ-SYR",
        ),
        WeaponClaim("sabereen", "missile", 4, platform="F-15", note="x"),
    ]
    for c in claims:
        assert claim_from_dict(c.to_dict()) == c
    with pytest.raises(DataFormatError, match="unknown claim type"):
        claim_from_dict({"type": "rumour"})
    with pytest.raises(DataFormatError, match="unknown"):
        claim_from_dict({"type": "weapon", "source": "a", "colour": "red"})


def test_distance_claim_interval_must_contain_value():
    with pytest.raises(ValueError, match="does not contain"):
        DistanceClaim("s", "x", 3000.0, 3500.0, 4000.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Local activists said 21 fighters were killed and 36 wounded",
            [("killed", 21, "fighters", None), ("wounded", 36, "fighters", None)],
        ),
        ("at least 8 people were killed", [("killed", 8, None, "at least")]),
        (
            "killing four civilians and wounding 12",
            [("killed", 4, "civilians", None), ("wounded", 12, None, None)],
        ),
        ("two soldiers died", [("killed", 2, "soldiers", None)]),
        (
            "there were no casualties",
            [("killed", 0, None, None), ("wounded", 0, None, None)],
        ),
        (
            "12 pro-Iranian militiamen killed",
            [("killed", 12, "pro-Iranian militiamen", None)],
        ),
        ("about 1,200 people missing", [("missing", 1200, None, "about")]),
    ],
)
def test_parse_casualty_phrase(text, expected):
    from geoconflict.events.casualties import parse_casualty_phrase

    got = parse_casualty_phrase(text, source="s", via="r")
    assert [(c.outcome, c.best, c.group, c.qualifier) for c in got] == expected
    assert all(c.phrase == text and c.source == "s" and c.via == "r" for c in got)


@pytest.mark.parametrize(
    "text",
    [
        "three vehicles carrying infrared monitoring equipment",
        "four missiles fired from US F-15 fighter jets",
        "the strike caused heavy casualties",
        "he was killed 3 days ago",
    ],
)
def test_unreadable_casualty_phrase_is_kept_not_dropped(text):
    """Words with no readable figure give a warning and one unparsed claim."""
    from geoconflict.errors import UnparsedPhraseWarning
    from geoconflict.events.casualties import parse_casualty_phrase
    from geoconflict.events.claims import UnparsedClaim

    with pytest.warns(UnparsedPhraseWarning, match="unparsed claim"):
        got = parse_casualty_phrase(text, source="s", via="r", site="t1")
    assert got == [
        UnparsedClaim("s", "casualties", text, reason=got[0].reason, via="r", site="t1")
    ]
    assert got[0].reason
    assert claim_from_dict(got[0].to_dict()) == got[0]


def test_casualty_phrases_of_the_seed_example_agree_with_its_claims():
    import geoconflict as gc
    from geoconflict.events.casualties import parse_casualty_phrase

    es = gc.load_example()
    for e in es:
        for c in e.claims_of("casualties"):
            if c.phrase is None or c.source == "tasnim-2021-09":
                continue  # the Soleimani phrase names people, it has no figure
            parsed = {
                (p.outcome, p.best)
                for p in parse_casualty_phrase(c.phrase, source=c.source)
            }
            assert (c.outcome, c.best) in parsed, (e.id, c.phrase)


def test_new_claim_fields_survive_the_native_files(tmp_path):
    """Unparsed claims, directions, sides, vague and open intervals round-trip (#15)."""
    import warnings

    import geoconflict as gc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = [
            *gc.parse_casualty_phrase("caused heavy casualties", source="r"),
            gc.parse_distance_phrase(
                "at least 20 km inside Syrian territory", source="r"
            ),
            gc.parse_distance_phrase("near the border", source="r"),
            gc.parse_distance_phrase("7 km northwest of al-Qaim", source="r"),
            gc.parse_distance_phrase("30 miles (30 km) from Baghdad", source="r"),
        ]
    e = gc.Event(
        "e",
        gc.TimeEstimate("2019-09-09"),
        [gc.Site("s", gc.Location(40.9, 34.45, "settlement"))],
        claims,
    )
    for name in ("x.geojson", "x.gpkg"):
        path = tmp_path / name
        gc.write_events(gc.EventSet([e]), path)
        back = gc.read_events(path)["e"]
        assert [c.to_dict() for c in back.claims] == [c.to_dict() for c in e.claims]
    assert back.claims[0].type == "unparsed"
    assert back.claims[1].side == "SYR"
    assert math.isinf(back.claims[1].high_m)
    assert back.claims[3].sector() == (315.0, 22.5)
    assert back.claims[4].mismatch
