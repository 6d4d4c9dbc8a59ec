import numpy as np
import pytest

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
