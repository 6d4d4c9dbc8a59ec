import math

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from geoconflict.errors import CoordinateError
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_coordinate, parse_dms


@pytest.mark.parametrize(
    ("text", "axis", "expected"),
    [
        ("34°27'08\"N", "lat", 34 + 27 / 60 + 8 / 3600),
        ("34 27 08 N", "lat", 34 + 27 / 60 + 8 / 3600),
        ("N 34°27.5'", "lat", 34 + 27.5 / 60),
        ("34d27m08s", None, 34 + 27 / 60 + 8 / 3600),
        ("40°55′07″E", "lon", 40 + 55 / 60 + 7 / 3600),
        ("33°30'S", "lat", -33.5),
        ("77°02'W", "lon", -(77 + 2 / 60)),
        ("-34.45226", "lat", -34.45226),
        ("34,5", None, 34.5),
    ],
)
def test_parse_dms(text, axis, expected):
    assert parse_dms(text, axis=axis) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "axis", "match"),
    [
        ("34°61'00\"N", None, "below 60"),
        ("40°55'07\"E", "lat", "swapped"),
        ("95°00'N", "lat", "out of range"),
        ("N34 S", None, "two hemisphere"),
        ("hello", None, "cannot read"),
        ("-34°S", None, "both"),
    ],
)
def test_parse_dms_rejects(text, axis, match):
    with pytest.raises(CoordinateError, match=match):
        parse_dms(text, axis=axis)


def test_parse_coordinate_missing():
    assert math.isnan(parse_coordinate(None))
    assert math.isnan(parse_coordinate(" "))
    assert parse_coordinate(12) == 12.0


def test_mgrs_published_example():
    # the mgrs package's documented example: 42.0 N, 93.0 W -> 15TWG0000049776
    cell = mgrs_to_polygon("15TWG0000049776")
    sw = shapely.get_coordinates(cell.polygon)[0]
    assert sw[0] == pytest.approx(-93.0, abs=1e-7)
    assert sw[1] == pytest.approx(42.0, abs=1e-5)
    assert cell.size_m == 1.0
    # the Hawaii example of the GEOTRANS documentation
    assert mgrs_to_polygon("4QFJ12345678").lat == pytest.approx(21.3095, abs=1e-3)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (40.91854, 34.45226),
        (-58.38, -34.6),
        (151.2, -33.87),
        (10.0, 59.9),
        (-0.1, 51.5),
        (179.9, 0.1),
    ],
)
def test_mgrs_against_utm(lon, lat):
    """Build the MGRS reference from pyproj's UTM coordinates and invert it."""
    zone = int((lon + 180) // 6) + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    e, n = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    cols = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")[(zone - 1) % 3]
    rows = "ABCDEFGHJKLMNPQRSTUV"
    nn = n  # southern-hemisphere UTM northings include the 10,000 km false northing
    col = cols[int(e // 100000) - 1]
    row = rows[(int(nn // 100000) + (5 if zone % 2 == 0 else 0)) % 20]
    band = "CDEFGHJKLMNPQRSTUVWX"[int((lat + 80) // 8)]
    ref = (
        f"{zone}{band}{col}{row}{int(e % 100000) // 10:04d}{int(nn % 100000) // 10:04d}"
    )
    cell = mgrs_to_polygon(ref)
    assert cell.size_m == 10.0
    assert cell.polygon.buffer(1e-7).contains(shapely.Point(lon, lat))
    assert cell.epsg == epsg


def test_mgrs_square_of_issue_example_is_a_1km_footprint():
    cell = mgrs_to_polygon("37SFU7714")
    assert cell.size_m == 1000.0
    from geoconflict.geodesy.measurement import area

    assert area(cell.polygon) == pytest.approx(1e6, rel=2e-3)  # UTM scale factor
    assert cell.polygon.is_valid
    xy = shapely.get_coordinates(cell.polygon)
    assert np.all((xy[:, 0] > 36) & (xy[:, 0] < 42))  # zone 37


@pytest.mark.parametrize(
    ("ref", "match"),
    [
        ("37SFU771", "same number"),
        ("37SJU7714", "column letter"),
        ("61SFU", "zone"),
        ("ZZ", "cannot read"),
        ("37XFU7714", "band"),
    ],
)
def test_mgrs_rejects(ref, match):
    with pytest.raises(CoordinateError, match=match):
        mgrs_to_polygon(ref)


def test_regression_mgrs_square_near_band_top_at_zone_edge():
    """Regression (found by hypothesis): at the edge of a UTM zone a parallel has a
    larger northing than on the central meridian, so '31QAG9455' (lon 0, lat 23.98,
    just below band Q's top) was rejected as outside its band."""
    import shapely

    from geoconflict.geodesy.coords import mgrs_to_polygon

    cell = mgrs_to_polygon("31QAG9455")
    assert cell.size_m == 1000
    assert cell.polygon.buffer(1e-9).contains(shapely.Point(0.0, 23.984375))
