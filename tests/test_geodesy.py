import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, Point, Polygon, box

import geoconflict as gc
from geoconflict.errors import CoordinateError, GeometryError, ShapeError

from .common import ABU_KAMAL, AL_QAIM

WGS84 = Geodesic.WGS84


def test_boston_portland_against_geographiclib(scalar_and_array):
    ref = WGS84.Inverse(42.3583, -71.0603, 45.5237, -123.6764)
    r = gc.inverse(*map(scalar_and_array, (-71.0603, 42.3583, -123.6764, 45.5237)))
    assert np.allclose(r.distance, ref["s12"], atol=1e-6)
    assert np.allclose(r.azimuth1, ref["azi1"], atol=1e-9)
    assert np.allclose(r.azimuth2, ref["azi2"], atol=1e-9)


def test_scalar_in_scalar_out_array_in_array_out():
    assert isinstance(gc.distance(0, 0, 1, 1), float)
    out = gc.distance([0, 1], [0, 0], 1.5, 0.5)
    assert isinstance(out, np.ndarray)
    assert out.shape == (2,)


def test_abu_kamal_al_qaim_against_geographiclib():
    ref = WGS84.Inverse(ABU_KAMAL[1], ABU_KAMAL[0], AL_QAIM[1], AL_QAIM[0])
    r = gc.inverse(*ABU_KAMAL, *AL_QAIM)
    assert r.distance == pytest.approx(ref["s12"], abs=1e-6)
    assert r.azimuth1 == pytest.approx(ref["azi1"], abs=1e-9)
    assert r.azimuth2 == pytest.approx(ref["azi2"], abs=1e-9)


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2"),
    [
        (0, 90, 0, -90),  # pole to pole
        (179.5, 10, -179.5, 10),  # across the antimeridian
        (0, 0, 179.5, 0.5),  # nearly antipodal
        (10, 89.9, -170, 89.9),  # over the pole
        (40, 34, 40, 34),  # zero distance
    ],
)
def test_hard_cases_against_geographiclib(lon1, lat1, lon2, lat2):
    ref = WGS84.Inverse(lat1, lon1, lat2, lon2)
    assert gc.distance(lon1, lat1, lon2, lat2) == pytest.approx(ref["s12"], abs=1e-6)


def test_nan_in_nan_out():
    assert math.isnan(gc.distance(np.nan, 0, 1, 1))
    out = gc.distance([0, np.nan], [0, 0], [1, 1], [0, 0])
    assert np.isfinite(out[0])
    assert np.isnan(out[1])


@pytest.mark.parametrize(("lon", "lat"), [(0, 91), (0, -90.5), (541, 0), (np.inf, 0)])
def test_out_of_range_is_a_clear_error(lon, lat):
    with pytest.raises(CoordinateError, match="position 1"):
        gc.distance([0, lon], [0, lat], 0, 0)


def test_mismatched_lengths():
    with pytest.raises(ShapeError, match="mismatched"):
        gc.distance([0, 1, 2], [0, 1], 0, 0)


@settings(max_examples=200, deadline=None)
@given(st.floats(-180, 180), st.floats(-90, 90), st.floats(0, 360), st.floats(0, 2e7))
def test_direct_inverse_round_trip(lon, lat, az, dist):
    d = gc.direct(lon, lat, az, dist)
    ref = WGS84.Direct(lat, lon, az, dist)
    assert d.lat == pytest.approx(ref["lat2"], abs=1e-9)
    assert (
        abs(gc.geodesy.measurement.wrap_lon(d.lon - ref["lon2"])) < 1e-9
        or abs(abs(d.lat) - 90) < 1e-9
    )
    assert (
        abs(gc.geodesy.measurement.wrap_lon(d.azimuth - ref["azi2"])) < 1e-8
        or abs(abs(d.lat) - 90) < 1e-9
    )


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-180, 180), st.floats(-89, 89), st.floats(-180, 180), st.floats(-89, 89)
)
def test_distance_is_symmetric(lon1, lat1, lon2, lat2):
    assert gc.distance(lon1, lat1, lon2, lat2) == pytest.approx(
        gc.distance(lon2, lat2, lon1, lat1), abs=1e-6
    )


def test_length_and_perimeter():
    line = LineString([ABU_KAMAL, AL_QAIM, (41.0, 34.0)])
    ref = (
        WGS84.Inverse(ABU_KAMAL[1], ABU_KAMAL[0], AL_QAIM[1], AL_QAIM[0])["s12"]
        + WGS84.Inverse(AL_QAIM[1], AL_QAIM[0], 34.0, 41.0)["s12"]
    )
    assert gc.length(line) == pytest.approx(ref, abs=1e-6)
    multi = MultiLineString(
        [[(0, 0), (1, 0)], [(5, 5), (5, 6)]]
    )  # parts are not joined
    assert gc.length(multi) == pytest.approx(
        WGS84.Inverse(0, 0, 0, 1)["s12"] + WGS84.Inverse(5, 5, 6, 5)["s12"], abs=1e-6
    )
    out = gc.length([Point(1, 1), None, box(0, 0, 1, 1)])
    assert out[0] == 0
    assert np.isnan(out[1])
    assert out[2] > 4e5


def test_area_against_geographiclib():
    poly = Polygon([(40, 34), (41, 34), (41, 35), (40, 35)])
    p = WGS84.Polygon()
    for lon, lat in [(40, 34), (41, 34), (41, 35), (40, 35)]:
        p.AddPoint(lat, lon)
    _, _, ref = p.Compute()
    assert gc.area(poly) == pytest.approx(abs(ref), rel=1e-9)


def test_densify_points_lie_on_the_geodesic():
    line = LineString([(40, 34), (44, 37)])
    dense = gc.densify(line, 10_000)
    coords = np.asarray(dense.coords)
    assert coords[0].tolist() == [40, 34]
    assert coords[-1].tolist() == [44, 37]
    seg = gc.distance(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    assert seg.max() <= 10_000 + 1e-6
    assert seg.sum() == pytest.approx(gc.length(line), abs=1e-6)
    line_ref = WGS84.InverseLine(34, 40, 37, 44)
    for lon, lat in coords[1:-1]:
        s = gc.distance(40, 34, lon, lat)
        pos = line_ref.Position(s)
        assert gc.distance(lon, lat, pos["lon2"], pos["lat2"]) < 1e-6


def test_densify_keeps_rings_and_holes_apart():
    poly = Polygon(
        box(0, 0, 2, 2).exterior.coords, [box(0.5, 0.5, 1.5, 1.5).exterior.coords]
    )
    dense = gc.densify(poly, 20_000)
    assert len(dense.interiors) == 1
    assert dense.is_valid
    assert gc.area(dense) == pytest.approx(gc.area(poly), rel=1e-9)


def test_densify_rejects_bad_step():
    with pytest.raises(GeometryError, match="positive"):
        gc.densify(LineString([(0, 0), (1, 1)]), -5)
