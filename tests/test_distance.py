import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, Point, Polygon

import geoconflict as gc
from geoconflict.distance import GeodesicIndex
from geoconflict.errors import CoordinateError, GeometryError

from .common import ABU_KAMAL, AL_QAIM, AL_TANF
from .oracle import point_geom

G = Geodesic.WGS84

HARD = {
    # edges hundreds of km long: a planar or spherical nearest point is off
    "long edges": [[(36.0, 30.0), (44.0, 37.5), (46.0, 30.5)]],
    "wiggly": [
        list(
            zip(
                38 + 6 * np.linspace(0, 1, 25),
                33 + 1.5 * np.sin(np.linspace(0, 20, 25)),
            )
        )
    ],
    "antimeridian": [[(179.0, -10.0), (-178.0, 5.0), (-179.5, 20.0)]],
    "polar": [[(-170, 85.0), (10.0, 86.0), (100.0, 84.0)]],
    "points and a line": [[(40.0, 34.0)], [(41, 35)], [(42.0, 33.0), (43, 34)]],
}


def _geom(parts):
    return shapely.GeometryCollection(
        [Point(p[0]) if len(p) == 1 else LineString(p) for p in parts]
    )


@pytest.mark.parametrize("name", list(HARD))
def test_against_geographiclib_oracle(name):
    parts = HARD[name]
    rng = np.random.default_rng(len(name))
    lon0, lat0 = parts[0][0]
    lon = (rng.uniform(-8, 8, 12) + lon0 + 180) % 360 - 180
    lat = np.clip(rng.uniform(-8, 8, 12) + lat0, -89.5, 89.5)
    d = gc.distance_to(lon, lat, _geom(parts))
    ref = np.array([point_geom(x, y, parts) for x, y in zip(lon, lat)])
    assert np.abs(d - ref).max() < 1e-3  # the bound: 1 mm


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(36, 46), st.floats(30, 38)),
        min_size=2,
        max_size=4,
        unique=True,
    ),
    st.floats(34, 48),
    st.floats(28, 40),
)
def test_random_lines_match_oracle(coords, lon, lat):
    line = LineString(coords)
    if line.length == 0:
        return
    assert gc.distance_to(lon, lat, line) == pytest.approx(
        point_geom(lon, lat, [coords]), abs=1e-3
    )


def test_meridian_distance_known_value():
    # along a parallel to a meridian segment: the foot is at the same latitude only
    # on the sphere; compare with the oracle and with the simple upper bound
    d = gc.distance_to(ABU_KAMAL[0], ABU_KAMAL[1], LineString([(41, 34), (41, 35)]))
    upper = G.Inverse(ABU_KAMAL[1], ABU_KAMAL[0], ABU_KAMAL[1], 41)["s12"]
    assert d <= upper
    assert d == pytest.approx(point_geom(*ABU_KAMAL, [[(41, 34), (41, 35)]]), abs=1e-6)


def test_return_nearest_point_lies_on_geometry_and_gives_the_distance():
    line = LineString([(36.0, 30.0), (44.0, 37.5)])
    r = gc.distance_to([40.0, 38.0], [36.0, 31.0], line, return_nearest=True)
    back = G.Inverse(36.0, 40.0, r.lat[0], r.lon[0])
    assert back["s12"] == pytest.approx(r.distance[0], abs=1e-6)
    assert back["azi1"] == pytest.approx(r.azimuth[0], abs=1e-6)
    # the nearest point is on the geodesic edge: splitting the edge there adds 0
    a = G.Inverse(30.0, 36.0, r.lat[1], r.lon[1])["s12"]
    b = G.Inverse(r.lat[1], r.lon[1], 37.5, 44.0)["s12"]
    assert a + b == pytest.approx(gc.length(line), abs=1e-6)


def test_polygon_inside_zero_and_signed():
    poly = Polygon([(40, 33), (42, 33), (42, 35), (40, 35)])
    inside, outside = (41.0, 34.0), (39.0, 34.0)
    d = gc.distance_to([inside[0], outside[0]], [inside[1], outside[1]], poly)
    assert d[0] == 0.0
    assert d[1] == pytest.approx(
        point_geom(*outside, [list(poly.exterior.coords)]), abs=1e-3
    )
    s = gc.distance_to(inside[0], inside[1], poly, signed=True)
    assert s == pytest.approx(
        -point_geom(*inside, [list(poly.exterior.coords)]), abs=1e-3
    )


def test_scalar_and_nan_conventions():
    line = LineString([AL_QAIM, AL_TANF])
    assert isinstance(gc.distance_to(*ABU_KAMAL, line), float)
    out = gc.distance_to([ABU_KAMAL[0], np.nan], [ABU_KAMAL[1], 0.0], line)
    assert np.isfinite(out[0])
    assert math.isnan(out[1])


def test_point_on_the_line_is_zero():
    line = LineString([(40, 34), (41, 35)])
    assert gc.distance_to(40, 34, line) == 0.0


def test_bad_input():
    with pytest.raises(GeometryError, match="empty"):
        gc.distance_to(0, 0, LineString())
    with pytest.raises(CoordinateError, match="position 0"):
        gc.distance_to([0, 1], [95, 0], LineString([(0, 0), (1, 1)]))
    with pytest.raises(GeometryError, match="invalid polygon"):
        gc.distance_to(0, 0, Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]))


def test_within_distance_exact_at_threshold():
    line = MultiLineString([[(41, 34), (41, 35)]])
    d = gc.distance_to(*ABU_KAMAL, line)
    assert gc.within_distance(*ABU_KAMAL, line, d)
    assert not gc.within_distance(*ABU_KAMAL, line, d - 1e-6)


def test_index_reuse_matches_function():
    line = LineString([(36.0, 30.0), (44.0, 37.5), (46.0, 30.5)])
    idx = GeodesicIndex(line)
    lon, lat = np.array([37.0, 45.0]), np.array([35.0, 31.0])
    assert np.array_equal(idx.distance_to(lon, lat), gc.distance_to(lon, lat, line))


def test_points_within_matches_brute_force():
    rng = np.random.default_rng(7)
    plon, plat = rng.uniform(38, 42, 400), rng.uniform(32, 36, 400)
    clon, clat = rng.uniform(38, 42, 30), rng.uniform(32, 36, 30)
    radius = rng.uniform(5_000, 60_000, 30)
    pairs = gc.points_within(plon, plat, clon, clat, radius)
    _, _, d = gc.get_geod().inv(
        np.repeat(plon, 30), np.repeat(plat, 30), np.tile(clon, 400), np.tile(clat, 400)
    )
    d = np.asarray(d).reshape(400, 30)
    ref_p, ref_c = np.nonzero(d <= radius[None, :])
    assert pairs.point_index.tolist() == ref_p.tolist()
    assert pairs.center_index.tolist() == ref_c.tolist()
    assert np.allclose(pairs.distance, d[ref_p, ref_c])


def test_points_within_across_the_antimeridian():
    pairs = gc.points_within([179.99, -179.99, 0.0], [0, 0, 0], [180.0], [0.0], 5_000)
    assert pairs.point_index.tolist() == [0, 1]


def test_concave_corner_explores_both_directions():
    """Regression: at a start vertex where both edges turn towards the point, the
    walk used to follow only one of them (found by hypothesis)."""
    coords = [(37.0, 31.0), (36.0, 30.0), (36.0, 32.0)]
    assert gc.distance_to(37.0, 32.0, LineString(coords)) == pytest.approx(
        point_geom(37.0, 32.0, [coords]), abs=1e-3
    )
