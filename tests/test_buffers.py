"""Geodesic buffers, checked against geographiclib and pyproj.Geod oracles."""

import math
import warnings

import numpy as np
import pyproj
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiPoint, MultiPolygon, Point, Polygon

import geoconflict as gc
from geoconflict.errors import CoordinateError, GeometryError, ShapeError
from geoconflict.geodesy import _circles
from geoconflict.geodesy.buffers import MAX_DISTANCE, buffer, circle_polygons

from .common import ABU_KAMAL
from .oracle import WGS84_AREA, left_area

WGS84 = Geodesic.WGS84
GEOD = pyproj.Geod(ellps="WGS84")


# ----------------------------------------------------------------------- oracles


def _exterior_edges(geom):
    """Edges (a, b) of every exterior/interior ring, minus the artificial ones.

    The cut along the antimeridian and the closure along a pole are not part of
    the buffer's true boundary, so they are left out.
    """
    edges = []
    for p in getattr(geom, "geoms", [geom]):
        for ring in (p.exterior, *p.interiors):
            c = np.asarray(ring.coords)
            a, b = c[:-1], c[1:]
            cut = (np.abs(a[:, 0]) == 180) & (np.abs(b[:, 0]) == 180)
            pole = (np.abs(a[:, 1]) == 90) | (np.abs(b[:, 1]) == 90)
            keep = ~cut & ~pole
            edges.append((a[keep], b[keep]))
    a = np.concatenate([e[0] for e in edges])
    b = np.concatenate([e[1] for e in edges])
    return a, b


def _true_vertices(geom):
    """Vertices not made by the cut at ±180 or the pole closure (they lie on chords)."""
    a, _ = _exterior_edges(geom)
    return a[(np.abs(a[:, 0]) != 180) & (np.abs(a[:, 1]) != 90)]


def _geodesic_midpoints(geom, frac=0.5):
    a, b = _exterior_edges(geom)
    az, _, s = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    x, y, _ = GEOD.fwd(a[:, 0], a[:, 1], az, np.asarray(s) * frac)
    return np.column_stack([x, y])


def _dist_to_segment(lon, lat, a, b, iters=50):
    """Distance from points to the geodesic a-b: golden-section search on arc length."""
    n = len(lon)
    az, _, s12 = GEOD.inv(a[0], a[1], b[0], b[1])

    def f(s):
        x, y, _ = GEOD.fwd(np.full(n, a[0]), np.full(n, a[1]), np.full(n, az), s)
        return np.asarray(GEOD.inv(lon, lat, x, y)[2])

    lo, hi = np.zeros(n), np.full(n, s12)
    gr = (math.sqrt(5) - 1) / 2
    c, d = hi - gr * (hi - lo), lo + gr * (hi - lo)
    fc, fd = f(c), f(d)
    for _ in range(iters):
        left = fc < fd
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        c, d = hi - gr * (hi - lo), lo + gr * (hi - lo)
        fc, fd = f(c), f(d)
    return np.minimum.reduce([fc, fd, f(np.zeros(n)), f(np.full(n, s12))])


def _dist_to_line(xy, coords):
    """Exact distance to the geodesic line: the lead's geoconflict.distance_to."""
    return gc.distance_to(xy[:, 0], xy[:, 1], LineString(coords))


def _dist_to_line_oracle(xy, coords):
    """Independent check: golden-section search along every geodesic edge."""
    coords = np.asarray(coords, dtype=float)
    return np.min(
        [
            _dist_to_segment(xy[:, 0], xy[:, 1], coords[i], coords[i + 1])
            for i in range(len(coords) - 1)
        ],
        axis=0,
    )


def _geographiclib_distance(lon0, lat0, xy):
    return np.array([WGS84.Inverse(lat0, lon0, y, x)["s12"] for x, y in xy])


# ----------------------------------------------------------------------- circles


@pytest.mark.parametrize(
    ("lon", "lat", "r"),
    [
        (*ABU_KAMAL, 50_000),
        (0.0, 0.0, 100.0),
        (-70.0, -60.0, 500_000),
        (120.0, 75.0, 2_000_000),
        (10.0, 34.0, 5_000_000),
    ],
)
def test_circle_vertices_at_exact_radius_against_geographiclib(lon, lat, r):
    c = circle_polygons(lon, lat, r)
    xy = _true_vertices(c)
    d = _geographiclib_distance(lon, lat, xy)
    assert np.abs(d - r).max() < 1e-6


@pytest.mark.parametrize("lat", [0.0, 34.0, 60.0, 85.0, -70.0])
@pytest.mark.parametrize(
    ("r", "tol"),
    [(50_000, None), (50_000, 1.0), (300.0, None), (2_000_000, None), (9e6, None)],
)
def test_circle_edges_within_tolerance(lat, r, tol):
    c = circle_polygons(20.0, lat, r, tolerance_m=tol)
    t = gc.geodesy.buffers.default_tolerance(r) if tol is None else tol
    for frac in (0.5, 0.25):
        m = _geodesic_midpoints(c, frac)
        _, _, d = GEOD.inv(
            np.full(len(m), 20.0), np.full(len(m), lat), m[:, 0], m[:, 1]
        )
        assert np.abs(np.asarray(d) - r).max() <= t
    # and not absurdly many vertices: the chord error is at least a third of t
    # (where the straight-lon/lat bound does not ask for more vertices)
    if abs(lat) + r / 111e3 > 45:
        return
    m = _geodesic_midpoints(c)
    _, _, d = GEOD.inv(np.full(len(m), 20.0), np.full(len(m), lat), m[:, 0], m[:, 1])
    assert np.abs(np.asarray(d) - r).max() > t / 3


def test_circle_polygons_vectorized_and_broadcast():
    lon = np.array([36.0, 40.0, 45.0])
    out = circle_polygons(lon, 33.0, [1_000.0, 10_000.0, 50_000.0])
    assert out.shape == (3,)
    assert shapely.is_valid(out).all()
    assert shapely.contains_xy(out, lon, 33.0).all()
    # bigger radius -> bigger area (geodesic areas)
    a = gc.area(out)
    assert a[0] < a[1] < a[2]
    assert a[2] == pytest.approx(math.pi * 50_000**2, rel=2e-3)
    # 2-D broadcast keeps the shape
    grid = circle_polygons(np.array([[0.0], [1.0]]), 0.0, np.array([1e3, 2e3, 3e3]))
    assert grid.shape == (2, 3)
    tol = np.array([[1.0, 1.0, 1.0], [5.0, 5.0, 5.0]])
    fine = circle_polygons(np.array([[0.0], [1.0]]), 0.0, 3e3, tolerance_m=tol)
    n = shapely.get_num_coordinates(fine)
    assert (n[0] > n[1]).all()


def test_circle_is_counterclockwise_and_scalar_in_scalar_out():
    c = circle_polygons(10, 10, 1_000)
    assert isinstance(c, Polygon)
    assert c.exterior.is_ccw


def test_circle_nan_and_zero():
    out = circle_polygons([0.0, np.nan, 0.0], [0.0, 0.0, 0.0], [1e3, 1e3, 0.0])
    assert out[1] is None
    assert out[2].is_empty
    assert out[0].area > 0


def test_circle_bad_input():
    with pytest.raises(GeometryError, match="negative"):
        circle_polygons([0, 0], [0, 0], [1e3, -5.0])
    with pytest.raises(GeometryError, match="position 1"):
        circle_polygons([0, 0], [0, 0], [1e3, np.inf])
    with pytest.raises(GeometryError, match="at most"):
        circle_polygons(0, 0, MAX_DISTANCE * 1.01)
    with pytest.raises(CoordinateError):
        circle_polygons(0, 91, 1e3)
    with pytest.raises(GeometryError, match="tolerance"):
        circle_polygons(0, 0, 1e3, tolerance_m=0)
    with pytest.raises(ShapeError):
        circle_polygons([0, 1, 2], [0, 1], 1e3)


def test_antimeridian_circle_split_and_parts_touch():
    b = buffer(Point(179.9, 10), 100_000)
    assert isinstance(b, MultiPolygon)
    assert b.is_valid
    assert len(b.geoms) == 2
    minx, _, maxx, _ = b.bounds
    assert minx == -180.0
    assert maxx == 180.0
    east, west = sorted(b.geoms, key=lambda p: p.bounds[0])[::-1]
    e = np.asarray(east.exterior.coords)
    w = np.asarray(west.exterior.coords)
    # the two parts meet along 180 at the same latitudes
    e_lat = np.sort(e[e[:, 0] == 180.0][:, 1])
    w_lat = np.sort(w[w[:, 0] == -180.0][:, 1])
    assert np.allclose(np.unique(e_lat), np.unique(w_lat), atol=1e-12)
    assert len(np.unique(e_lat)) == 2
    # the crossing points are on the circle: exactly 100 km from the centre
    cross = np.column_stack([np.full(2, 180.0), np.unique(e_lat)])
    d = _geographiclib_distance(179.9, 10, cross)
    # a crossing point lies on a chord, within tolerance of the circle
    assert np.abs(d - 100_000).max() <= 100
    assert b.contains(Point(179.9, 10))
    assert b.contains(Point(-179.95, 10))
    # geodesic area equals the area of an unsplit circle of the same radius
    assert gc.area(b) == pytest.approx(
        gc.area(circle_polygons(0, 10, 100_000)), rel=1e-6
    )


@pytest.mark.parametrize(("lat", "pole"), [(85.0, 90.0), (-85.0, -90.0)])
def test_circle_containing_a_pole(lat, pole):
    b = buffer(Point(0, lat), 1_000_000)
    assert b.is_valid
    assert b.geom_type == "Polygon"
    assert b.covers(Point(0, pole))
    assert b.covers(Point(123.0, pole))
    assert b.contains(Point(0, lat))
    # the far side of the pole is inside up to 1000 km - 556 km
    assert b.contains(Point(179.5, math.copysign(86.5, lat)))
    assert not b.contains(Point(179.5, math.copysign(84.0, lat)))
    xy = _true_vertices(b)
    d = _geographiclib_distance(0, lat, xy[::7])
    assert np.abs(d - 1_000_000).max() < 1e-6
    # the geodesic area matches a circle away from the pole
    assert gc.area(b) == pytest.approx(gc.area(circle_polygons(0, 0, 1e6)), rel=5e-3)


def test_circle_centred_on_pole():
    b = circle_polygons(0, 90, 100_000)
    assert b.is_valid
    assert b.covers(Point(0, 90))
    assert b.bounds[1] == pytest.approx(90 - 100_000 / 111_694, abs=0.01)


def test_large_radius_5000km():
    b = buffer(Point(*ABU_KAMAL), 5_000_000)
    assert b.is_valid
    assert b.contains(Point(*ABU_KAMAL))
    xy = _true_vertices(b)
    d = _geographiclib_distance(*ABU_KAMAL, xy)
    assert np.abs(d - 5e6).max() < 1e-6
    assert gc.area(b) == pytest.approx(
        2 * math.pi * 6371008.8**2 * (1 - math.cos(5e6 / 6371008.8)), rel=1e-2
    )


def test_huge_radius_contains_both_poles():
    b = buffer(Point(0, 0), 15_000_000)
    assert b.is_valid
    assert b.covers(Point(0, 90))
    assert b.covers(Point(0, -90))
    assert b.contains(Point(0, 0))
    assert not b.contains(Point(180, 0))  # the antipode is outside
    assert not b.contains(Point(-179.0, 0))
    assert b.contains(Point(90, 0))
    # random points: inside exactly when closer than the radius (away from the rim)
    rng = np.random.default_rng(1)
    lon, lat = (
        rng.uniform(-180, 180, 400),
        np.degrees(np.arcsin(rng.uniform(-1, 1, 400))),
    )
    d = np.asarray(GEOD.inv(np.zeros(400), np.zeros(400), lon, lat)[2])
    far = np.abs(d - 15e6) > 20_000
    inside = shapely.contains_xy(b, lon, lat)
    assert (inside[far] == (d[far] < 15e6)).all()


def test_buffer_scalar_and_array():
    pts = shapely.points([36.0, 40.0], [30.0, 35.0])
    out = buffer(pts, 10_000)
    assert isinstance(out, np.ndarray)
    assert out.shape == (2,)
    assert isinstance(buffer(pts[0], 10_000), Polygon)
    out2 = buffer(pts, [1_000.0, 2_000.0])
    assert gc.area(out2[0]) < gc.area(out2[1])
    assert buffer(Point(0, 0), "2 km").equals(buffer(Point(0, 0), 2_000))
    with pytest.raises(ShapeError):
        buffer(pts, [1.0, 2.0, 3.0])


def test_buffer_missing_empty_zero_nan():
    out = buffer(
        [Point(0, 0), None, Point(1, 1), Polygon(), Point(2, 2)],
        [1e3, 1e3, np.nan, 1e3, 0],
    )
    assert out[0].area > 0
    assert out[1] is None
    assert out[2] is None
    assert out[3].is_empty
    assert out[4].is_empty


def test_buffer_bad_input():
    with pytest.raises(GeometryError, match="negative"):
        buffer(Point(0, 0), -10)
    with pytest.raises(GeometryError, match="negative"):
        buffer(LineString([(0, 0), (1, 1)]), -10)
    with pytest.raises(GeometryError, match="non-finite"):
        buffer(Point(np.nan, 0), 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely warns about NaN
        nan_line = LineString([(0, 0), (np.nan, 1)])
    with pytest.raises(GeometryError, match="non-finite"):
        buffer(nan_line, 10)
    with pytest.raises(CoordinateError):
        buffer(Point(0, 100), 10)
    with pytest.raises(GeometryError, match="15,000 km"):
        buffer(LineString([(0, 0), (120, 0)]), 9_000_000)


# ----------------------------------------------------------------- lines, polygons


def _check_line_buffer(coords, r, tol=None):
    b = buffer(LineString(coords), r, tolerance_m=tol)
    t = gc.geodesy.buffers.default_tolerance(r) if tol is None else tol
    assert b.is_valid
    d = _dist_to_line(_true_vertices(b), coords)
    assert np.abs(d - r).max() <= t
    dm = _dist_to_line(_geodesic_midpoints(b), coords)
    assert np.abs(dm - r).max() <= t
    return b


def test_long_geodesic_edge_50km():
    # a 1,000+ km geodesic edge: a planar or rhumb offset would be km off
    coords = [(36.0, 30.0), (46.0, 34.0)]
    assert gc.length(LineString(coords)) > 1_000_000
    b = _check_line_buffer(coords, 50_000)
    assert b.contains(LineString(coords))
    # the golden-section oracle agrees with distance_to on the boundary vertices
    xy = _true_vertices(b)[::4]
    assert np.allclose(
        _dist_to_line_oracle(xy, coords), _dist_to_line(xy, coords), atol=1e-3
    )


def test_bent_line_concave_corner():
    _check_line_buffer([(36.0, 30.0), (40.0, 38.0), (44.0, 30.0)], 50_000)


def test_line_tight_tolerance():
    _check_line_buffer([(40.0, 34.0), (40.2, 34.1), (40.25, 34.0)], 2_000, tol=1.0)


def test_line_across_antimeridian():
    b = _check_line_buffer([(170.0, 60.0), (-170.0, 62.0)], 100_000)
    assert isinstance(b, MultiPolygon)
    assert b.bounds[0] == -180.0
    assert b.bounds[2] == 180.0


def test_line_buffer_containing_pole():
    coords = [(0.0, 85.0), (90.0, 85.0)]
    b = _check_line_buffer(coords, 500_000)
    assert b.covers(Point(0, 90))
    assert b.contains(Point(45, 85))


def test_line_buffer_large_radius():
    _check_line_buffer([(0.0, 0.0), (50.0, 0.0)], 3_000_000)


def test_multipoint_union():
    b = buffer(MultiPoint([(40, 34), (40.5, 34)]), 50_000)
    assert b.geom_type == "Polygon"
    assert b.is_valid
    one = buffer(Point(40, 34), 50_000)
    assert gc.area(b) > gc.area(one)
    assert gc.area(b) < 2 * gc.area(one)
    b2 = buffer(MultiPoint([(179.9, 34), (-179.9, 34)]), 50_000)
    assert b2.geom_type == "MultiPolygon"
    assert b2.bounds[0] == -180.0


def test_polygon_buffer_contains_polygon_and_is_at_distance():
    shell = [(36, 30), (46, 30), (46, 38), (36, 38), (36, 30)]
    poly = Polygon(shell, [[(39, 33), (43, 33), (43, 35), (39, 35)]])
    b = buffer(poly, 50_000)
    assert b.is_valid
    assert b.contains(poly)
    assert len(b.interiors) == 1  # the 4 x 2 degree hole survives 50 km
    outer = shapely.get_coordinates(b.exterior)
    d = _dist_to_line(outer[::5], shell)
    assert np.abs(d - 50_000).max() <= 50
    # 150 km fills the hole
    assert len(buffer(poly, 150_000).interiors) == 0


def test_negative_buffer_shrinks_polygon():
    shell = [(36, 30), (46, 30), (46, 38), (36, 38), (36, 30)]
    poly = Polygon(shell)
    b = buffer(poly, -50_000)
    assert b.is_valid
    assert poly.contains(b)
    d = _dist_to_line(shapely.get_coordinates(b.exterior)[::5], shell)
    assert np.abs(d - 50_000).max() <= 50
    assert buffer(poly, -2_000_000).is_empty


def test_polygon_across_antimeridian():
    poly = Polygon([(170, -20), (190, -20), (190, -10), (170, -10)])
    b = buffer(poly, 100_000)
    assert b.geom_type == "MultiPolygon"
    assert b.is_valid
    assert b.contains(Point(179, -15))
    assert b.contains(Point(-171, -15))
    assert b.contains(Point(-169.5, -15))  # 100 km beyond the eastern edge
    assert not b.contains(Point(-168, -15))


def test_zero_distance_polygon_is_returned_split():
    poly = Polygon([(170, -20), (190, -20), (190, -10), (170, -10)])
    b = buffer(poly, 0)
    assert b.geom_type == "MultiPolygon"
    assert b.bounds[0] == -180.0


# ----------------------------------------------------------------- properties


@settings(max_examples=25, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89.5, 89.5),
    r1=st.floats(10.0, 3_000_000.0),
    k=st.floats(1.05, 3.0),
)
def test_nested_radii_stay_nested_and_contain_centre(lon, lat, r1, k):
    inner, outer = circle_polygons(lon, lat, [r1, r1 * k])
    assert inner.is_valid
    assert outer.is_valid
    assert inner.covers(Point(gc.geodesy.measurement.wrap_lon(lon), lat))
    # the inner circle's vertices are strictly inside the outer circle
    assert gc.area(inner) < gc.area(outer)
    xy = _true_vertices(inner)
    _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    assert np.abs(np.asarray(d) - r1).max() < 1e-5
    # the outer polygon is only guaranteed to hold what lies closer than its
    # radius minus its tolerance (default max(1 m, 0.1 %)): a gap smaller than that
    # (e.g. 12 m inside 12.6 m, found by hypothesis) promises nothing
    if r1 * (k - 1) > max(1.0, 1e-3 * r1 * k):
        assert shapely.contains_xy(outer, xy[:, 0], xy[:, 1]).mean() > 0.95


@settings(max_examples=30, deadline=None)
@given(
    lon=st.floats(-179.0, 179.0),
    lat=st.floats(-80.0, 80.0),
    dlon=st.floats(-3.0, 3.0),
    dlat=st.floats(-3.0, 3.0),
    r=st.floats(100.0, 200_000.0),
)
def test_line_buffer_contains_its_line(lon, lat, dlon, dlat, r):
    line = LineString([(lon, lat), (lon + dlon + 0.01, lat + dlat)])
    b = buffer(line, r)
    assert b.is_valid
    on_line = shapely.get_coordinates(gc.densify(line, 1_000.0))
    lon_w = gc.geodesy.measurement.wrap_lon(on_line[:, 0])
    assert shapely.intersects_xy(b, lon_w, on_line[:, 1]).all()
    t = gc.geodesy.buffers.default_tolerance(r)
    d = gc.distance_to(*_true_vertices(b).T, line)
    assert np.abs(d - r).max() <= t
    dm = gc.distance_to(*_geodesic_midpoints(b).T, line)
    assert np.abs(dm - r).max() <= t


def test_threaded_direct_problems_match_single_call(monkeypatch):
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(36, 46, 300), rng.uniform(30, 38, 300)
    monkeypatch.setattr(_circles, "_PARALLEL_MIN", 10**9)
    one = circle_polygons(lon, lat, 20_000)
    monkeypatch.setattr(_circles, "_PARALLEL_MIN", 10)
    many = circle_polygons(lon, lat, 20_000)
    assert shapely.equals_exact(one, many, 0.0).all()


def test_zigzag_line_with_hairpins():
    """Sharp and shallow turns: sectors on the convex side, strips meet exactly."""
    rng = np.random.default_rng(7)
    steps = rng.uniform(-0.15, 0.15, size=(12, 2))
    coords = np.cumsum(np.vstack([[40.0, 34.0], steps]), axis=0)
    coords = np.vstack([coords, coords[-1] + [0.0, 1e-12]])  # a near-duplicate vertex
    b = buffer(LineString(coords), 5_000)
    assert b.is_valid
    d = _dist_to_line(_true_vertices(b), coords[:-1])
    assert np.abs(d - 5_000).max() <= 5
    dm = _dist_to_line(_geodesic_midpoints(b), coords[:-1])
    assert np.abs(dm - 5_000).max() <= 5
    # no sliver holes: any hole must be farther than r from the line
    for hole in b.interiors:
        c = np.asarray(hole.coords)
        assert (_dist_to_line(c, coords[:-1]) >= 5_000 - 5).all()


@pytest.mark.parametrize(("lat", "r"), [(75.0, 500_000), (34.0, 50_000), (-60.0, 2e6)])
def test_straight_lonlat_reading_within_tolerance(lat, r):
    """Shapely's planar predicates in degrees agree with geodesic distance to 1.5 t."""
    c = circle_polygons(10.0, lat, r)
    t = 1.5 * gc.geodesy.buffers.default_tolerance(r)
    az = np.linspace(0, 360, 720, endpoint=False)
    for dist, expect in ((r - t, True), (r + t, False)):
        x, y, _ = GEOD.fwd(
            np.full(720, 10.0), np.full(720, lat), az, np.full(720, dist)
        )
        assert (shapely.intersects_xy(c, x, y) == expect).all()


def test_regression_border_buffer_not_empty_with_sliver_hole():
    """Regression: buffering the 74-vertex NE Iraq–Syria border by 10 km returned an
    empty polygon: a sliver hole of the planar union came back from lon/lat as the
    rest of the world and was subtracted."""
    border = gc.border("IRQ", "SYR")
    zone = gc.buffer(border, 10_000)
    assert not zone.is_empty
    assert zone.is_valid
    # every vertex of the zone's exterior lies about 10 km from the border
    ext = np.asarray(
        zone.geoms[0].exterior.coords
        if zone.geom_type == "MultiPolygon"
        else zone.exterior.coords
    )[::25]
    d = gc.distance_to(ext[:, 0], ext[:, 1], border)
    assert np.all(np.abs(d - 10_000) <= 10.0 + 1e-6)  # default tolerance 0.1 %


# ------------------------------------------- circles larger than a hemisphere, #11

H = 20_003_931.458625447  # half the WGS84 meridian: the antipodal distance


def _rings_of(lon, lat, r, t=None):
    """The closed vertex ring (counterclockwise) that circle_polygons is cut from."""
    t = gc.geodesy.buffers.default_tolerance(r) if t is None else t
    lo, la, _, _, _ = _circles.circle_rings(
        np.array([float(lon)]),
        np.array([float(lat)]),
        np.array([r]),
        np.array([t]),
        GEOD,
    )
    return np.column_stack([lo, la])


def _world_minus(geom):
    return shapely.box(-180, -90, 180, 90).difference(geom)


def test_regression_15000_km_buffer_area():
    """Regression (#11): 75 M km² (the rest of the world) instead of ~435 M km²."""
    b = buffer(Point(38.6, 33.5), 15_000_000)
    assert b.is_valid
    assert b.covers(Point(38.6, 33.5))
    assert not b.contains(Point(38.6 - 180, -33.5))  # the antipode
    a = gc.area(b)
    assert a / 1e6 == pytest.approx(435_036_744, rel=1e-6)
    assert a == pytest.approx(left_area(_rings_of(38.6, 33.5, 15e6)), rel=1e-9)
    assert a + gc.area(_world_minus(b)) == pytest.approx(WGS84_AREA, rel=1e-9)


def test_circle_up_to_half_the_meridian():
    # past pi * b the geodesics from the centre cross near the antipode: the
    # vertices are found from the antipode, still exactly at the radius
    for lat in (0.0, 33.5, -60.0, 89.9):
        for r in (19_980_000.0, 20_000_000.0, H - 10.0):
            ring = _rings_of(38.6, lat, r)
            _, _, d = GEOD.inv(
                np.full(len(ring), 38.6),
                np.full(len(ring), lat),
                ring[:, 0],
                ring[:, 1],
            )
            assert np.abs(np.asarray(d) - r).max() < 1e-5
            c = circle_polygons(38.6, lat, r)
            assert c.is_valid
            assert c.covers(Point(38.6, lat))
            assert not c.contains(Point(38.6 - 180, -lat))
    # exactly half the meridian: the whole Earth, within a metre at the antipode
    whole = circle_polygons(0.0, 0.0, H)
    assert gc.area(whole) == pytest.approx(WGS84_AREA, rel=1e-12)
    assert MAX_DISTANCE == pytest.approx(H, abs=1e-6)


def test_too_large_distance_names_radius_limit_and_fix():
    with pytest.raises(GeometryError, match=r"20003932\.0 m.*20,003,931\.5 m.*unit"):
        buffer(Point(0, 0), 20_003_932.0)
    with pytest.raises(GeometryError, match="radius_m at position 1"):
        circle_polygons([0, 0], [0, 0], [1e3, 2.5e7])


_centre_lat = st.one_of(
    st.floats(-90, 90), st.floats(85, 90), st.floats(-90, -85), st.sampled_from([0.0])
)
_centre_lon = st.one_of(
    st.floats(-180, 180), st.floats(178, 180), st.floats(-180, -178)
)
_radius = st.one_of(
    st.floats(1.0, H),
    st.floats(0.0, math.log10(H)).map(lambda e: 10.0**e),
    st.floats(19_900_000.0, H - 2.0),
)


@settings(max_examples=40, deadline=None)
@given(lon=_centre_lon, lat=_centre_lat, r=_radius)
def test_property_circle_region_and_area(lon, lat, r):
    """Any centre, any radius up to half the meridian: the polygon holds its
    centre and not its antipode, its area is geographiclib's area of the same
    vertices, and with the rest of the world it makes up the Earth (#11)."""
    r = min(r, H - 2.0)
    c = circle_polygons(lon, lat, r)
    assert c.is_valid
    assert c.covers(Point(gc.geodesy.measurement.wrap_lon(lon), lat))
    assert not c.contains(Point(gc.geodesy.measurement.wrap_lon(lon + 180.0), -lat))
    a = gc.area(c)
    # abs: rings round a pole are summed modulo the Earth's area (5.1e14 m²),
    # which leaves ~1e-15 of it (a fraction of a m²) in double precision
    assert a == pytest.approx(left_area(_rings_of(lon, lat, r)), rel=1e-8, abs=1.0)
    assert a + gc.area(_world_minus(c)) == pytest.approx(WGS84_AREA, rel=1e-9)
    # and close to the spherical cap of the same radius (authalic sphere): the
    # ellipsoid's flattening, plus the polygon's tolerance along the perimeter
    R = math.sqrt(WGS84_AREA / (4 * math.pi))
    cap = 2 * math.pi * R**2 * (1 - math.cos(r * math.pi / H))
    slack = 2 * math.pi * R * gc.geodesy.buffers.default_tolerance(r)
    assert abs(a - cap) <= 5e-3 * min(cap, WGS84_AREA - cap) + 2e-4 * WGS84_AREA + slack


@settings(max_examples=25, deadline=None)
@given(lon=_centre_lon, lat=_centre_lat, r=_radius, k=st.floats(1.01, 3.0))
def test_property_area_grows_with_the_radius(lon, lat, r, k):
    r1, r2 = min(r, H / k), min(r * k, H)
    a1, a2 = gc.area(circle_polygons(lon, lat, [r1, r2]))
    assert 0 < a1 < a2 <= WGS84_AREA * (1 + 1e-12)


@settings(max_examples=20, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-85, 85),
    bearing=st.floats(0, 360),
    length=st.floats(1_000, 2_000_000),
    r=st.floats(1_000_000, 13_000_000),
)
def test_property_large_line_buffer_is_not_its_complement(lon, lat, bearing, length, r):
    """A line buffer of up to 13,000 km covers the circles at its ends and lies
    within the circle of radius r + length around its start (#11)."""
    end = GEOD.fwd(lon, lat, bearing, length)
    line = LineString([(lon, lat), (end[0], end[1])])
    b = buffer(line, r)
    assert b.is_valid
    a = gc.area(b)
    ends = gc.area(circle_polygons([lon, end[0]], [lat, end[1]], r)).max()
    outer = gc.area(circle_polygons(lon, lat, r + length))
    assert ends * (1 - 2e-3) <= a <= outer * (1 + 2e-3)
    assert a + gc.area(_world_minus(b)) == pytest.approx(WGS84_AREA, rel=1e-9)
    assert b.covers(Point(gc.geodesy.measurement.wrap_lon(lon), lat))


@pytest.mark.parametrize("lat", [0.0, 20.0, -45.0, 89.0])
@pytest.mark.parametrize("r", [19_910_000.0, 19_975_000.0, 20_000_000.0, H - 0.5])
@pytest.mark.parametrize("t", [1.0, 100.0])
def test_circle_near_the_antipode_keeps_its_tolerance(lat, r, t):
    """Near the antipode the circle is not round (corners on the cut locus):
    every geodesic edge's midpoint still lies within the tolerance of the
    radius (geographiclib), and every vertex on it."""
    ring = _rings_of(10.0, lat, r, t)
    d = np.array([WGS84.Inverse(lat, 10.0, y, x)["s12"] for x, y in ring])
    assert np.abs(d - r).max() <= min(1.0, t / 2) + 1e-6
    for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:]):
        mid = WGS84.InverseLine(y1, x1, y2, x2)
        p = mid.Position(0.5 * mid.s13)
        dm = WGS84.Inverse(lat, 10.0, p["lat2"], p["lon2"])["s12"]
        assert abs(dm - r) <= t


def test_buffer_of_a_polygon_larger_than_a_hemisphere_is_a_clear_error():
    """Its rings (the lon/lat box and a hole) cannot bound it in the working
    plane: it used to come back as the hole plus a strip (80 M km² for a
    435 M km² polygon), without its centre (#11)."""
    big = circle_polygons(0.0, 0.0, 15_000_000)
    with pytest.raises(GeometryError, match=r"covers .* opposite its centre"):
        buffer(big, 100_000)
    with pytest.raises(GeometryError, match="larger than a hemisphere"):
        buffer(big, -100_000)
    # a large polygon that leaves the far side free still works, both ways
    p = shapely.segmentize(shapely.box(-60, -60, 60, 60), 5)
    grown, shrunk = buffer(p, 2_000_000), buffer(p, -2_000_000)
    assert gc.area(shrunk) < gc.area(p) < gc.area(grown) < WGS84_AREA / 2
    assert grown.covers(p)
    assert p.covers(shrunk)
