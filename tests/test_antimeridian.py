"""Cutting at the antimeridian: crossing latitudes on the geodesic, poles, idempotence."""

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, MultiPolygon, Point, Polygon

import geoconflict as gc
from geoconflict.errors import GeometryError
from geoconflict.geodesy import _circles
from geoconflict.geodesy.antimeridian import crossing_latitude, ring_region, split

from .oracle import WGS84_AREA, left_area

WGS84 = Geodesic.WGS84


def _oracle_crossing(lon1, lat1, lon2, lat2, lon_c):
    """Bisection on geographiclib's geodesic line (independent of pyproj)."""
    line = WGS84.InverseLine(lat1, lon1, lat2, lon2)
    lo, hi = 0.0, line.s13
    east = lon2 > lon1
    caps = Geodesic.STANDARD | Geodesic.LONG_UNROLL
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        p = line.Position(mid, caps)
        if (p["lon2"] < lon_c) == east:
            lo = mid
        else:
            hi = mid
    return line.Position(0.5 * (lo + hi), caps)["lat2"]


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2"),
    [
        (179.0, 10.0, 181.0, 12.0),
        (170.0, 60.0, 190.0, 62.0),
        (185.0, -40.0, 175.0, -35.0),
        (150.0, 70.0, 200.0, 75.0),
        (179.999, 0.0, 180.001, 0.0),
    ],
)
def test_crossing_latitude_on_the_geodesic(lon1, lat1, lon2, lat2):
    got = crossing_latitude(lon1, lat1, lon2, lat2, 180.0)
    assert got == pytest.approx(
        _oracle_crossing(lon1, lat1, lon2, lat2, 180.0), abs=1e-10
    )


def test_crossing_latitude_is_not_linear():
    lat = crossing_latitude(170.0, 60.0, 190.0, 62.0, 180.0)
    assert lat - 61.0 > 0.3  # the geodesic bulges towards the pole


def test_split_line_continuous_and_jumping_longitudes_agree():
    a = split(LineString([(170, 60), (190, 62)]))
    b = split(LineString([(170, 60), (-170, 62)]))
    assert isinstance(a, MultiLineString)
    assert a.equals_exact(b, 1e-12)
    lat = _oracle_crossing(170, 60, 190, 62, 180)
    east, west = a.geoms
    assert east.coords[-1] == pytest.approx((180.0, lat), abs=1e-10)
    assert west.coords[0] == pytest.approx((-180.0, lat), abs=1e-10)
    assert west.coords[-1] == pytest.approx((-170.0, 62.0))


def test_split_preserves_geodesic_length():
    line = LineString([(160, 0), (175, 10), (195, 12), (205, 5)])
    parts = split(line)
    assert gc.length(parts) == pytest.approx(gc.length(line), rel=1e-12)
    assert (np.abs(shapely.get_coordinates(parts)[:, 0]) <= 180).all()


def test_split_is_idempotent_and_leaves_ordinary_geometries_alone():
    poly = Polygon([(36, 30), (46, 30), (46, 38), (36, 38)])
    assert split(poly) is poly
    once = split(Polygon([(170, -20), (190, -20), (190, -10), (170, -10)]))
    twice = split(once)
    assert twice.equals(once)


def test_split_polygon_parts_and_area():
    poly = Polygon([(170, -20), (190, -20), (190, -10), (170, -10)])
    parts = split(poly)
    assert isinstance(parts, MultiPolygon)
    assert parts.is_valid
    assert len(parts.geoms) == 2
    # the same polygon shifted away from the antimeridian has the same area
    ref = Polygon([(-10, -20), (10, -20), (10, -10), (-10, -10)])
    assert gc.area(parts) == pytest.approx(gc.area(ref), rel=1e-9)
    assert parts.contains(Point(175, -15))
    assert parts.contains(Point(-175, -15))


def test_split_polygon_with_hole_across_antimeridian():
    poly = Polygon(
        [(170, -20), (190, -20), (190, -10), (170, -10)],
        [[(178, -16), (182, -16), (182, -14), (178, -14)]],
    )
    parts = split(poly)
    assert parts.is_valid
    assert not parts.contains(Point(179.5, -15))
    assert not parts.contains(Point(-179.5, -15))
    assert parts.contains(Point(175, -15))


def test_split_polar_ring_closed_along_the_pole():
    lon = np.linspace(-180, 180, 73)[:-1]
    ring = np.column_stack([lon, np.full(len(lon), 80.0)])  # eastward: CCW around N
    parts = split(Polygon(ring))
    assert parts.is_valid
    assert parts.covers(Point(0, 90))
    assert parts.contains(Point(10, 85))
    assert not parts.contains(Point(10, 75))
    south = split(Polygon(ring[::-1]))  # westward: the right-hand rule gives S pole
    assert south.covers(Point(0, -90))
    assert not south.contains(Point(10, 85))


def test_ring_region_both_poles_complement():
    lon = np.array([10.0, 10.0, -10.0, -10.0])
    lat = np.array([-10.0, 10.0, 10.0, -10.0])
    # counterclockwise square, interior on the right: everything but the square
    outside = ring_region(lon, lat, interior_left=False)
    assert outside.covers(Point(0, 90))
    assert outside.covers(Point(0, -90))
    assert not outside.contains(Point(0, 0))
    assert outside.contains(Point(100, 0))
    inside = ring_region(lon, lat, interior_left=True)
    assert inside.contains(Point(0, 0))
    assert not inside.contains(Point(100, 0))


def test_split_points_and_none():
    assert split(Point(190, 0)).equals(Point(-170, 0))
    out = split([None, LineString([(0, 0), (1, 1)])])
    assert out[0] is None


def test_split_bad_input():
    with pytest.raises(GeometryError, match="latitude"):
        split(LineString([(0, 0), (1, 95)]))


@settings(max_examples=30, deadline=None)
@given(
    lon=st.floats(100.0, 260.0),
    lat=st.floats(-70.0, 70.0),
    dlon=st.floats(-40.0, 40.0),
    dlat=st.floats(-15.0, 15.0),
)
def test_split_line_properties(lon, lat, dlon, dlat):
    line = LineString([(lon, lat), (lon + dlon, lat + dlat), (lon + 2 * dlon, lat)])
    parts = split(line)
    xy = shapely.get_coordinates(parts)
    assert (np.abs(xy[:, 0]) <= 180.0).all()
    assert gc.length(parts) == pytest.approx(gc.length(line), rel=1e-9, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    lon=st.one_of(st.floats(-180, 180), st.floats(175, 180), st.floats(-180, -175)),
    lat=st.one_of(st.floats(-90, 90), st.floats(80, 90), st.floats(-90, -80)),
    r=st.floats(1_000.0, 20_003_000.0),
)
def test_property_ring_region_sides_are_complementary(lon, lat, r):
    """The two sides of any geodesic circle's ring (#11): disjoint, together the
    whole Earth, each measured as geographiclib measures that side of the ring."""
    g = gc.get_geod()
    t = max(1.0, 1e-3 * r)
    xy = _circles.circle_rings(
        np.array([lon]), np.array([lat]), np.array([r]), np.array([t]), g
    )
    ring = np.column_stack(xy[:2])
    left = ring_region(ring[:, 0], ring[:, 1], interior_left=True)
    right = ring_region(ring[:, 0], ring[:, 1], interior_left=False)
    assert left.is_valid
    assert right.is_valid
    assert left.covers(Point(gc.geodesy.measurement.wrap_lon(lon), lat))  # the centre
    a_left, a_right = gc.area([left, right])
    assert a_left + a_right == pytest.approx(WGS84_AREA, rel=1e-9)
    assert a_left == pytest.approx(left_area(ring), rel=1e-8, abs=1.0)
    assert gc.area(shapely.intersection(left, right)) <= 1e-9 * WGS84_AREA
