import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoconflict.errors import UnitError
from geoconflict.units import UNITS, format_length, parse_length, to_meters, unit_factor


@pytest.mark.parametrize(
    ("text", "meters"),
    [
        ("3 km", 3000),
        ("2 miles", 3218.688),
        ("10 nmi", 18520),
        ("500 m", 500),
        ("1.5km", 1500),
        ("125 mi", 201168),
        (" 2,5 km ", 2500),
        ("100 feet", 30.48),
        ("1 nautical mile", 1852),
    ],
)
def test_parse_length(text, meters):
    assert parse_length(text) == pytest.approx(meters)


@pytest.mark.parametrize("bad", ["50 kmz", "km", "", "fifty km", "3"])
def test_parse_length_errors(bad):
    with pytest.raises(UnitError):
        parse_length(bad)


def test_unknown_unit_suggests():
    with pytest.raises(UnitError, match="'km'"):
        unit_factor("kmz")


def test_round_trip_all_units():
    for unit in UNITS:
        assert parse_length(format_length(1234.5, unit, digits=12)) == pytest.approx(
            1234.5
        )


def test_to_meters_vectorized():
    assert to_meters(np.array([1.0, 2.0]), "km").tolist() == [1000.0, 2000.0]
    assert isinstance(to_meters(1, "mi"), float)


# --------------------------------------------------------------------------- lists of lengths


@pytest.mark.parametrize(
    ("text", "default", "meters"),
    [
        ("5, 10 km, 20mi", None, [5000, 10000, 32186.88]),
        ("100, 200 km", None, [100000, 200000]),
        ("100; 200 nmi", None, [185200, 370400]),
        ("10, 25, 50", "km", [10000, 25000, 50000]),
        ("10, 25 nmi", "km", [18520, 46300]),  # a written unit wins over the default
        ("3 km", None, [3000]),
        (" 1.5km ,2 miles ", None, [1500, 3218.688]),
        ("1e3 m", None, [1000]),
    ],
)
def test_parse_lengths(text, default, meters):
    from geoconflict.units import parse_lengths

    got = parse_lengths(text, default_unit=default)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, meters, rtol=1e-15)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("", "no length"),
        (" , ;", "no length"),
        ("5, 10", r"length 1 of '5, 10', '10', has no unit"),
        ("5 kmz, 3 km", r"length 0 .*'5 kmz'.*Did you mean"),
        ("5 km, fifty km", r"length 1 .*'fifty km'"),
        ("2,5 km", "decimal comma"),
        ("1,000 km", "thousands"),
    ],
)
def test_parse_lengths_errors_name_the_piece(bad, match):
    from geoconflict.units import parse_lengths

    with pytest.raises(UnitError, match=match):
        parse_lengths(bad)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(1e-3, 1e7, allow_nan=False), st.sampled_from(sorted(UNITS))
        ),
        min_size=1,
        max_size=6,
    )
)
def test_parse_lengths_round_trips_format_length(items):
    """Every list written by format_length reads back, in order, in meters."""
    from geoconflict.units import parse_lengths

    meters = [v * UNITS[u] for v, u in items]
    text = ", ".join(format_length(m, u, digits=17) for m, (_, u) in zip(meters, items))
    np.testing.assert_allclose(parse_lengths(text), meters, rtol=1e-12)
    # one parser: each piece alone reads as parse_length reads it
    for piece, m in zip(text.split(", "), meters):
        assert parse_length(piece) == pytest.approx(m, rel=1e-12)


def test_as_meters():
    from geoconflict.units import as_meters

    assert as_meters(5000).tolist() == [5000.0]
    assert as_meters([1, 2.5]).tolist() == [1.0, 2.5]
    assert as_meters("100, 200 km").tolist() == [100000.0, 200000.0]
    assert as_meters([1000, "2 km", "1 nmi"]).tolist() == [1000.0, 2000.0, 1852.0]
    assert as_meters(np.array([3.0])).dtype == np.float64
    assert np.isnan(as_meters(None)[0])
    with pytest.raises(UnitError, match=r"radii_m\[1\] = '2 kmz': unknown length unit"):
        as_meters([1000, "2 kmz"], "radii_m")
    with pytest.raises(UnitError, match=r"radii_m\[1\] = \[1\] is not a length"):
        as_meters(np.array([1000, [1]], dtype=object), "radii_m")
    with pytest.raises(UnitError, match=r"^rings: length 1 "):
        as_meters("5, 10", "rings")


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        ([1, 0], {}, r"radii_m\[1\] = 0\.0: lengths must be positive"),
        ([1, np.nan], {}, r"radii_m\[1\] = nan"),
        ([-1.0], {}, r"radii_m\[0\] = -1\.0"),
        ([np.inf], {}, r"radii_m\[0\] = inf"),
        ([5, 30], {"max_m": 20}, r"radii_m\[1\] = 30\.0 m is more than 20\.0 m"),
        ([5, 30], {"max_m": 20, "max_text": "the edge"}, "more than the edge"),
        ([5, 5], {"increasing": True}, r"strictly increasing; radii_m\[1\] = 5\.0"),
        ([5, 7, 6], {"increasing": True}, r"radii_m\[2\] = 6\.0 follows 7\.0"),
    ],
)
def test_check_lengths_names_position_and_value(values, kwargs, match):
    from geoconflict.errors import GeometryError
    from geoconflict.units import check_lengths

    with pytest.raises(GeometryError, match=match):
        check_lengths(values, "radii_m", **kwargs)


def test_check_lengths_accepts_good_values():
    from geoconflict.units import check_increasing, check_lengths

    check_lengths([], "radii_m", max_m=1.0, increasing=True)
    check_lengths([1, 2, 3], "radii_m", max_m=3.0, increasing=True)
    check_lengths([3, 2, 1], "radii_m")  # order only checked when asked
    check_increasing([0, 1, 2])


def test_format_range():
    from geoconflict.units import format_range

    assert format_range(20_000, 70_000) == "20–70 km"
    assert format_range(0, 500) == "500 m"
    assert format_range(200, 800) == "200–800 m"
    assert format_range(9_260, 18_520, "nmi") == "5–10 nmi"
