import contextlib
import functools
import importlib.util
import math
import os
import sys

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, Point, Polygon

import geoconflict as gc
from geoconflict.errors import CoordinateError, GeometryError
from geoconflict.geodesy.index import GeodesicIndex

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


@pytest.mark.slow
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


# --- the compiled (numba) and numpy engines -----------------------------------


@contextlib.contextmanager
def _engine(name):
    old = os.environ.get("GEOCONFLICT_ENGINE")
    os.environ["GEOCONFLICT_ENGINE"] = name
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("GEOCONFLICT_ENGINE", None)
        else:
            os.environ["GEOCONFLICT_ENGINE"] = old


ENGINES = ["numba", "numpy"]


def _wiggly_border(n, seed=3):
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, n)
    wig = np.convolve(rng.normal(0, 0.01, n + 8), np.ones(9) / 9, mode="valid")[:n]
    return LineString(np.column_stack([40 + 2 * t + wig, 33 + 3 * t - wig]))


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["wiggly", "long edges", "polar", "antimeridian"])
def test_engines_against_the_oracle(engine, name):
    pytest.importorskip("numba") if engine == "numba" else None
    parts = HARD[name]
    rng = np.random.default_rng(7)
    lon0, lat0 = parts[0][0]
    lon = (rng.uniform(-6, 6, 10) + lon0 + 180) % 360 - 180
    lat = np.clip(rng.uniform(-6, 6, 10) + lat0, -89.5, 89.5)
    with _engine(engine):
        d = gc.distance_to(lon, lat, _geom(parts))
    ref = np.array([point_geom(x, y, parts) for x, y in zip(lon, lat)])
    assert np.abs(d - ref).max() < 1e-3


@pytest.mark.slow
def test_engines_agree_and_match_the_oracle_on_a_wiggly_border():
    """Thousands of points around a jagged 120-vertex border: both engines give the
    same distances, and a sample matches the geographiclib oracle to 1 mm."""
    pytest.importorskip("numba")
    border = _wiggly_border(120)
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(38, 44, 4000), rng.uniform(31, 38, 4000)
    # many points very close to the border, where corners matter most
    coords = np.asarray(border.coords)
    k = rng.integers(0, len(coords) - 1, 1000)
    lon[:1000] = coords[k, 0] + rng.normal(0, 0.002, 1000)
    lat[:1000] = coords[k, 1] + rng.normal(0, 0.002, 1000)
    idx = GeodesicIndex(border)
    with _engine("numba"):
        d1 = idx.distance_to(lon, lat)
    with _engine("numpy"):
        d2 = idx.distance_to(lon, lat)
    np.testing.assert_array_equal(d1, d2)  # the same exact step: identical
    sample = np.r_[0:6, 1000:1006]
    ref = np.array([point_geom(lon[i], lat[i], [coords.tolist()]) for i in sample])
    assert np.abs(d1[sample] - ref).max() < 1e-3


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(40, 40.2), st.floats(33, 33.2)),
        min_size=3,
        max_size=8,
        unique=True,
    ),
    st.floats(39.9, 40.3),
    st.floats(32.9, 33.3),
)
@pytest.mark.slow
def test_jagged_lines_both_engines_match_oracle(coords, lon, lat):
    """Short zig-zags with concave corners: several local minima within metres."""
    line = LineString(coords)
    if line.length == 0:
        return
    ref = point_geom(lon, lat, [coords])
    for engine in ENGINES:
        if engine == "numba" and importlib.util.find_spec("numba") is None:
            continue
        with _engine(engine):
            assert gc.distance_to(lon, lat, line) == pytest.approx(ref, abs=1e-3)


def test_threaded_chunks_give_the_same_result(monkeypatch):
    dist_mod = sys.modules["geoconflict.geodesy.index"]
    border = _wiggly_border(300)
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(36, 46, 3000), rng.uniform(30, 38, 3000)
    idx = GeodesicIndex(border)
    whole = idx.distance_to(lon, lat, return_nearest=True)
    monkeypatch.setattr(dist_mod, "_CHUNK", 256)
    monkeypatch.setenv("GEOCONFLICT_THREADS", "2")
    parts = idx.distance_to(lon, lat, return_nearest=True)
    for a, b in zip(whole, parts):
        np.testing.assert_array_equal(a, b)


def test_bounds_hold_against_exact_geodesics():
    """The numpy bounds (and, through the same formulas, the compiled ones)
    enclose the exact distance from random points to random vertices, over the
    globe (poles included) and up to antipodal distances."""
    rng = np.random.default_rng(2)
    vlon = rng.uniform(-180, 180, 400)
    vlat = np.degrees(np.arcsin(rng.uniform(-1, 1, 400)))
    idx = GeodesicIndex(shapely.MultiPoint(np.column_stack([vlon, vlat])))
    plon = rng.uniform(-180, 180, 400)
    plat = np.degrees(np.arcsin(rng.uniform(-1, 1, 400)))
    # near pairs too: a point within 0.1-3000 km of each vertex
    az = rng.uniform(0, 360, 400)
    s = 10 ** rng.uniform(2, np.log10(3e6), 400)
    nlon, nlat, _ = idx.geod.fwd(vlon, vlat, az, s)
    plon = np.r_[plon, nlon]
    plat = np.r_[plat, nlat]
    pp = np.repeat(np.arange(len(plon)), len(vlon))
    vv = np.tile(np.arange(len(vlon)), len(plon))
    lb, ub = idx._bounds(dist_unit(plon[pp], plat[pp]), vv)
    _, _, d = idx.geod.inv(plon[pp], plat[pp], vlon[vv], vlat[vv])
    assert (lb <= d).all()
    assert (d <= ub).all()
    # and they are tight: about 4e-3 (d/R)**2 relative (10 cm at 100 km)
    near = d < 1e5
    assert near.sum() > 50
    assert (ub - lb)[near].max() < 0.15


def dist_unit(lon, lat):
    from geoconflict.geodesy._sphere import unit

    return unit(lon, lat)


# --- any point on Earth: far and near-antipodal points (issue #11) -------------


ENGINE_PARAMS = [pytest.param("numba", marks=pytest.mark.slow), "numpy"]


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
def test_far_point_regression(engine):
    """Issue #11: 13,735,413 m was returned for a point whose nearest point is the
    vertex (48, 22), 13,680,898 m away: the distance along the edge (40, 28)-(48, 22)
    first grows (an interior maximum, possible beyond ~10,000 km), and the
    nearer far end was never looked at."""
    line = LineString([(30, 20), (40, 28), (48, 22)])
    ref = G.Inverse(18.9591, -172.7224, 22.0, 48.0)["s12"]
    assert ref == pytest.approx(13_680_898, abs=1)
    if engine == "numba":
        pytest.importorskip("numba")
    with _engine(engine):
        d = gc.distance_to(-172.7224, 18.9591, line)
        r = gc.distance_to(-172.7224, 18.9591, line, return_nearest=True)
        w = gc.within_distance(-172.7224, 18.9591, line, [ref, ref - 1e-3])
    assert d == pytest.approx(ref, abs=1e-3)
    assert (r.lon, r.lat) == (48.0, 22.0)
    assert w.tolist() == [True, False]


def _antipode(lon, lat):
    return (np.asarray(lon) + 360.0) % 360.0 - 180.0, -np.asarray(lat)


def _global_points(parts, rng, n_uniform=16, n_far=6):
    """Points over the whole sphere for the geometry `parts` (lists of vertices):
    uniform on the sphere, both poles, the antipodes of every vertex and edge
    midpoint, and points 10,000-19,900 km from a vertex."""
    lon = [rng.uniform(-180, 180, n_uniform), [0.0, 0.0, 123.0]]
    lat = [np.degrees(np.arcsin(rng.uniform(-1, 1, n_uniform))), [90.0, -90.0, 90.0]]
    for c in parts:
        c = np.asarray(c, dtype=float)
        alon, alat = _antipode(c[:, 0], c[:, 1])
        lon.append(alon)
        lat.append(alat)
        for a, b in zip(c[:-1], c[1:]):
            m = G.InverseLine(a[1], a[0], b[1], b[0])
            m = m.Position(m.s13 / 2)
            mlon, mlat = _antipode(m["lon2"], m["lat2"])
            lon.append([mlon])
            lat.append([mlat])
    verts = np.concatenate([np.asarray(c, dtype=float) for c in parts])
    k = rng.integers(0, len(verts), n_far)
    flon, flat, _ = gc.get_geod().fwd(
        verts[k, 0], verts[k, 1], rng.uniform(0, 360, n_far),
        rng.uniform(1.0e7, 1.99e7, n_far),
    )  # fmt: skip
    lon.append(flon)
    lat.append(flat)
    return np.concatenate(lon), np.concatenate(lat)


GLOBAL = {
    # the line, a long-edged line, a polar line, one across the antimeridian
    "issue line": ("line", [[(30, 20), (40, 28), (48, 22)]]),
    "long edges": ("line", [[(-20.0, 10.0), (60.0, 40.0), (120.0, -30.0)]]),
    "polar": ("line", HARD["polar"]),
    "antimeridian": ("line", HARD["antimeridian"]),
    "polygon": ("polygon", [[(40, 33), (46, 33), (46, 38), (40, 38), (40, 33)]]),
    "big polygon": (
        "polygon",
        [[(-10, -20), (50, -25), (60, 30), (10, 45), (-20, 10), (-10, -20)]],
    ),
    "multi-polygon": (
        "multipolygon",
        [
            [(40, 33), (46, 33), (46, 38), (40, 38), (40, 33)],
            [(-100, -10), (-60, -12), (-80, 20), (-100, -10)],
        ],
    ),
    "multi-part": (
        "multi",
        [[(40, 34)], [(10, -60), (100, -70)], [(-120, 50), (-60, 55)]],
    ),
}


def _global_geom(kind, parts):
    if kind == "polygon":
        return Polygon(parts[0])
    if kind == "multipolygon":
        return shapely.MultiPolygon([Polygon(p) for p in parts])
    if kind == "multi":
        return _geom(parts)
    return LineString(parts[0])


@functools.cache
def _global_case(name):
    """A GLOBAL geometry with its global points and their oracle distances
    (computed once for both engines)."""
    kind, parts = GLOBAL[name]
    rng = np.random.default_rng(100 + list(GLOBAL).index(name))
    lon, lat = _global_points(parts, rng)
    if kind in ("polygon", "multipolygon"):  # points inside too (signed distances)
        for ring in parts:
            x0, y0, x1, y1 = Polygon(ring).bounds
            lon = np.r_[lon, rng.uniform(x0, x1, 8 // len(parts))]
            lat = np.r_[lat, rng.uniform(y0, y1, 8 // len(parts))]
    ref = np.array([point_geom(x, y, parts) for x, y in zip(lon, lat)])
    return _global_geom(kind, parts), lon, lat, ref


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINE_PARAMS)
@pytest.mark.parametrize("name", list(GLOBAL))
def test_global_points_match_the_oracle(engine, name):
    """Any point on Earth, near-antipodal ones included: distance_to (signed
    inside polygons) is within 1 mm of geographiclib, and within_distance agrees
    exactly with ``distance_to <= r``."""
    if engine == "numba":
        pytest.importorskip("numba")
    geom, lon, lat, ref = _global_case(name)
    idx = GeodesicIndex(geom)
    with _engine(engine):
        d = idx.distance_to(lon, lat)
        s = idx.distance_to(lon, lat, signed=True)
        inside = idx._inside(lon, lat)
        assert np.abs(np.where(inside, 0.0, ref) - d).max() < 1e-3
        assert np.abs(np.where(inside, -ref, ref) - s).max() < 1e-3
        assert (GLOBAL[name][0] in ("polygon", "multipolygon")) == inside.any()
        # radii at, just below and just above each distance, and random ones
        r = np.concatenate(
            [d, np.nextafter(d, -1.0), d * (1 + 1e-12), np.linspace(0, 2.0e7, len(d))]
        )
        r = np.maximum(r, 0.0)
        lo4, la4 = np.tile(lon, 4), np.tile(lat, 4)
        w = idx.within_distance(lo4, la4, r)
    np.testing.assert_array_equal(w, np.tile(d, 4) <= r)


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-180, 180), st.floats(-89, 89)),
        min_size=2,
        max_size=4,
        unique=True,
    ),
    st.lists(st.tuples(st.floats(-180, 180), st.floats(-1, 1)), min_size=1, max_size=4),
    st.booleans(),
)
@pytest.mark.slow
def test_random_lines_and_global_points_match_the_oracle(
    engine, coords, pts, antipodes
):
    """Hypothesis: random lines anywhere (edges up to antipodal lengths) and
    random points anywhere (uniform on the sphere; or the antipodes of the
    vertices), both engines, within 1 mm of geographiclib; within_distance agrees
    with distance_to."""
    line = LineString(coords)
    if any(
        G.Inverse(a[1], a[0], b[1], b[0])["s12"] < 1.0
        for a, b in zip(coords[:-1], coords[1:])
    ):
        return
    lon = np.array([p[0] for p in pts])
    lat = np.degrees(np.arcsin(np.array([p[1] for p in pts])))
    if antipodes:
        c = np.asarray(coords)
        alon, alat = _antipode(c[:, 0], c[:, 1])
        lon, lat = np.r_[lon, alon], np.r_[lat, alat]
    if engine == "numba":
        pytest.importorskip("numba")
    ref = np.array([point_geom(x, y, [coords]) for x, y in zip(lon, lat)])
    idx = GeodesicIndex(line)
    with _engine(engine):
        d = idx.distance_to(lon, lat)
        w = idx.within_distance(lon, lat, ref)
    assert np.abs(d - ref).max() < 1e-3
    np.testing.assert_array_equal(w, d <= ref)


# --- the engine's search tree, and both engines on it (issue #12) ---------------


def _tree_cases():
    rng = np.random.default_rng(21)
    cases = {name: _global_geom(*GLOBAL[name]) for name in GLOBAL}
    cases["wiggly border"] = _wiggly_border(300)
    cases["scattered points"] = shapely.MultiPoint(
        np.column_stack([rng.uniform(-180, 180, 200), rng.uniform(-90, 90, 200)])
    )
    return cases


TREE_CASES = _tree_cases()


def _node_arcs(t):
    """First and last+1 arc of every node (children are built before parents)."""
    n_arc = len(t.arc_a)
    lo = np.where(t.leaf >= 0, t.leaf * t.block, 0)
    hi = np.where(t.leaf >= 0, np.minimum(lo + t.block, n_arc), 0)
    for k in np.flatnonzero(t.leaf < 0):
        lo[k], hi[k] = lo[t.left[k]], hi[t.right[k]]
    return lo, hi


@pytest.mark.parametrize("name", list(TREE_CASES))
def test_tree_caps_and_capsules_hold_their_edges(name):
    """Every node's cap and capsule hold every point of its geodesic edges (what
    the pruning of both engines relies on): the ends and points at 1/10, 1/2 and
    9/10 of each edge, none of them the points the build measured."""
    from geoconflict.geodesy._sphere import angle, point_arc_angle

    idx = GeodesicIndex(TREE_CASES[name])
    t = idx._tree()
    inner = t.leaf < 0  # every node but the root is the child of one node
    children = np.r_[t.left[inner], t.right[inner], t.root]
    assert sorted(children.tolist()) == list(range(len(t.leaf)))
    v = t.arc_vertex
    is_edge = idx._has_next[v]
    pts, arc = [t.arc_a, t.arc_b], [np.arange(len(v))] * 2
    e = np.flatnonzero(is_edge)
    for f in (0.1, 0.5, 0.9):
        lon, lat, _ = idx.geod.fwd(
            idx._vlon[v[e]], idx._vlat[v[e]], idx._az_out[v[e]], idx._len[v[e]] * f
        )
        pts.append(dist_unit(np.asarray(lon), np.asarray(lat)))
        arc.append(e)
    pts, arc = np.concatenate(pts), np.concatenate(arc)
    lo, hi = _node_arcs(t)
    r_hi = t.ellipsoid.r_hi
    for k in range(len(t.leaf)):
        sel = (arc >= lo[k]) & (arc < hi[k])
        x = pts[sel]
        assert (angle(t.cap_center[k], x) <= t.cap_radius[k]).all()
        ang = point_arc_angle(
            x, t.capsule_a[k], t.capsule_b[k], t.capsule_normal[k],
            t.capsule_degenerate[k],
        )  # fmt: skip
        assert (ang * r_hi <= t.capsule_width[k]).all()
        # the capsule's ends are the node's first and last vertex; its length
        # is their angle at the ratio r_hi (meters)
        np.testing.assert_array_equal(t.capsule_a[k], t.arc_a[lo[k]])
        np.testing.assert_array_equal(t.capsule_b[k], t.arc_b[hi[k] - 1])
        assert t.capsule_length[k] == pytest.approx(
            angle(t.capsule_a[k], t.capsule_b[k]) * r_hi, abs=1e-6
        )


@pytest.mark.slow
@pytest.mark.parametrize("name", list(TREE_CASES))
def test_engines_give_identical_results(name):
    """GEOCONFLICT_ENGINE=numba and =numpy: the same distances, nearest points,
    azimuths and within decisions, bit for bit, for points anywhere on Earth."""
    pytest.importorskip("numba")
    idx = GeodesicIndex(TREE_CASES[name])
    rng = np.random.default_rng(4)
    x0, y0, x1, y1 = TREE_CASES[name].bounds
    lon = np.r_[rng.uniform(-180, 180, 1500), rng.uniform(x0, x1, 1500)]
    lat = np.r_[
        np.degrees(np.arcsin(rng.uniform(-1, 1, 1500))), rng.uniform(y0, y1, 1500)
    ]
    r = 10 ** rng.uniform(3, 7.3, len(lon))
    out = {}
    for engine in ENGINES:
        with _engine(engine):
            out[engine] = (
                *idx.distance_to(lon, lat, signed=True, return_nearest=True)[:4],
                idx.within_distance(lon, lat, r),
            )
    for a, b in zip(out["numba"], out["numpy"]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_compiled_kernels_are_cached_on_disk(tmp_path):
    """The kernels take the Tree (a NamedTuple) and still cache: a second
    process loads them from disk (no compilation)."""
    pytest.importorskip("numba")
    script = tmp_path / "run.py"
    script.write_text(
        "import numpy as np\n"
        "from shapely import LineString\n"
        "from geoconflict.geodesy import _kernels\n"
        "from geoconflict.geodesy.index import GeodesicIndex\n"
        "idx = GeodesicIndex(LineString([(40, 33), (41, 34), (42, 33)]))\n"
        "idx.distance_to(np.full(3, 40.5), np.full(3, 34.0))\n"
        "idx.within_distance(np.full(3, 40.5), np.full(3, 34.0), 1000.0)\n"
        "print(sum(len(f.stats.cache_misses) for f in (_kernels.band, _kernels.within)),"
        " sum(len(f.stats.cache_hits) for f in (_kernels.band, _kernels.within)))\n"
    )
    env = {**os.environ, "GEOCONFLICT_ENGINE": "numba"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join([root, env.get("PYTHONPATH", "")])
    import subprocess

    for _ in range(2):  # the first run may compile and write the cache
        res = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True,
            timeout=600, check=True,
        )  # fmt: skip
    misses, hits = map(int, res.stdout.split())
    assert (misses, hits) == (0, 2)
