import math

import numpy as np
import pyproj
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, MultiPolygon, Point, Polygon, box

import geoconflict as gc
from geoconflict.errors import CoordinateError, GeometryError, ShapeError

from .common import ABU_KAMAL, AL_QAIM
from .oracle import WGS84_AREA, left_area

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


# ------------------------------------------------------------- area, issue #11


def test_area_of_the_whole_world_and_its_halves():
    world = box(-180, -90, 180, 90)
    assert gc.area(world) == pytest.approx(WGS84_AREA, rel=1e-12)
    assert gc.area(world) / 1e6 == pytest.approx(510_065_621.7, abs=0.1)
    north, south = box(-180, 0, 180, 90), box(-180, -90, 180, 0)
    assert gc.area(north) == pytest.approx(WGS84_AREA / 2, rel=1e-12)
    assert gc.area([north, south]).sum() == pytest.approx(WGS84_AREA, rel=1e-12)


def _zone(lat1, lat2):
    """Exact area in m² between two parallels on WGS84 (authalic q function)."""
    a, f = 6378137.0, 1 / 298.257223563
    e = math.sqrt(f * (2 - f))

    def q(lat):
        s = math.sin(math.radians(lat))
        return (1 - e * e) * (
            s / (1 - e * e * s * s) - math.log((1 - e * s) / (1 + e * s)) / (2 * e)
        )

    return math.pi * a * a * (q(lat2) - q(lat1))


@pytest.mark.parametrize(("lat1", "lat2"), [(0, 90), (80, 90), (-90, -30), (-10, 45)])
def test_area_of_bands_drawn_across_the_map(lat1, lat2):
    """box(-180, lat1, 180, lat2): the band between two parallels (#11)."""
    assert _zone(-90, 90) == pytest.approx(WGS84_AREA, rel=1e-12)
    band = box(-180, lat1, 180, lat2)
    assert gc.area(band) == pytest.approx(_zone(lat1, lat2), rel=1e-6)
    rest = box(-180, -90, 180, 90).difference(band)
    assert gc.area(band) + gc.area(rest) == pytest.approx(WGS84_AREA, rel=1e-9)


def test_area_does_not_take_the_smaller_side():
    """A world with a small hole is nearly the whole Earth, not the hole (#11)."""
    hole = box(10, 10, 20, 20)
    world_minus = Polygon(
        box(-180, -90, 180, 90).exterior.coords, [hole.exterior.coords]
    )
    assert gc.area(world_minus) == pytest.approx(WGS84_AREA - gc.area(hole), rel=1e-12)
    # more than a hemisphere without a pole cut: most of the longitudes, with
    # vertices every 10 degrees (an edge takes the shorter way round)
    big = shapely.segmentize(box(-170, -80, 170, 80), 10)
    ref = left_area(big.exterior.coords)  # counterclockwise ring: its inside
    assert ref > WGS84_AREA / 2
    assert gc.area(big) == pytest.approx(ref, rel=1e-9)
    # the same ring without those vertices: 170 -> -170 is the short edge
    # across the antimeridian, as split() reads it
    strip = Polygon([(170, -80), (190, -80), (190, 80), (170, 80)])
    assert gc.area(box(-170, -80, 170, 80)) == pytest.approx(gc.area(strip), rel=1e-9)


def test_area_ignores_ring_orientation():
    polys = (
        box(0, 0, 1, 1),
        shapely.segmentize(box(-170, -80, 170, 80), 10),
        box(-180, -90, 180, 10),
    )
    for k, poly in enumerate(polys):
        rev = Polygon(poly.exterior.coords[::-1])
        assert gc.area(rev) == pytest.approx(gc.area(poly), rel=1e-12)
        if k < 2:  # geographiclib reads edges across the whole map as points
            ccw = shapely.geometry.polygon.orient(poly, 1.0).exterior.coords
            assert gc.area(rev) == pytest.approx(left_area(ccw), rel=1e-9)


def test_area_of_rings_given_across_the_antimeridian():
    """Rings with a 179 -> -179 jump take the short way, as split() does."""
    jump = Polygon([(179, 0), (-179, 0), (-179, 1), (179, 1)])
    shifted = Polygon([(-1, 0), (1, 0), (1, 1), (-1, 1)])
    assert gc.area(jump) == pytest.approx(gc.area(shifted), rel=1e-9)
    assert gc.area(Polygon(jump.exterior.coords[::-1])) == pytest.approx(
        gc.area(shifted), rel=1e-9
    )
    beyond = Polygon([(179, 0), (181, 0), (181, 1), (179, 1)])
    assert gc.area(beyond) == pytest.approx(gc.area(shifted), rel=1e-9)
    # a ring round the north pole, counterclockwise (RFC 7946): the polar cap
    lon = np.linspace(-180, 180, 73)[:-1]
    cap = Polygon(np.column_stack([lon, np.full(len(lon), 80.0)]))
    ref = left_area(np.column_stack([lon, np.full(len(lon), 80.0)]))
    assert gc.area(cap) == pytest.approx(ref, rel=1e-9)
    # the geodesic edges bulge poleward: a little less than the band above 80°N
    assert gc.area(cap) < gc.area(box(-180, 80, 180, 90))


def test_area_of_collections_and_missing():
    out = gc.area([None, Point(0, 0), MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)])])
    assert np.isnan(out[0])
    assert out[1] == 0
    assert out[2] == pytest.approx(2 * gc.area(box(0, 0, 1, 1)), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-180, 180),
    st.floats(1e-3, 179),
    st.floats(-90, 90),
    st.floats(-90, 90),
    st.booleans(),
)
@pytest.mark.slow
def test_property_area_of_a_box_and_its_complement(x0, width, y0, y1, across):
    """A lon/lat box (edges under 180° of longitude, or across the whole map)
    and the rest of the world add up to the Earth; a band is a zone (#11)."""
    if abs(y1 - y0) < 1e-6:
        return
    lo, hi = min(y0, y1), max(y0, y1)
    if across:
        b = box(-180, lo, 180, hi)
    else:
        x0 = min(x0, 180 - width)
        b = box(x0, lo, x0 + width, hi)
    rest = box(-180, -90, 180, 90).difference(b)
    a, r = gc.area([b, rest])
    assert a + r == pytest.approx(WGS84_AREA, rel=1e-9)
    assert 0 < a <= WGS84_AREA
    if across:
        assert a == pytest.approx(_zone(lo, hi), rel=1e-6, abs=1e6)
    else:  # an independent oracle on the same vertices
        assert a == pytest.approx(left_area(b.exterior.coords), rel=1e-9, abs=1e-3)


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


# --------------------------------------------------------------------------- one geometry module

#: shapely calls that build or combine geometries: only geoconflict._geom makes them
_GEOMETRY_ENGINE_CALLS = {
    "Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString",
    "MultiPolygon", "GeometryCollection", "box", "points", "linestrings", "polygons",
    "from_ragged_array", "from_wkb", "from_wkt", "union", "union_all", "unary_union",
    "intersection", "difference", "symmetric_difference", "covers", "contains",
    "intersects", "within", "make_valid", "orient", "transform", "set_precision",
}  # fmt: skip


@pytest.mark.parametrize(
    "module", ["buffers", "ranges", "antimeridian", "measurement", "_circles"]
)
def test_geodesy_maths_builds_geometries_only_through_geom(module):
    """Constructors and set operations go through geoconflict._geom (one backend seam)."""
    import ast
    import importlib

    path = importlib.import_module(f"geoconflict.geodesy.{module}").__file__
    tree = ast.parse(open(path, encoding="utf-8").read())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "shapely"
        ):
            found += [
                f"line {node.lineno}: from {node.module} import {a.name}"
                for a in node.names
            ]
        if isinstance(node, ast.Attribute) and node.attr in _GEOMETRY_ENGINE_CALLS:
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id == "shapely":
                found.append(f"line {node.lineno}: shapely...{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr in (
            "difference", "union", "intersection", "buffer", "symmetric_difference"
        ) and isinstance(node.ctx, ast.Load):  # fmt: skip
            parent_call = node.value
            if not (isinstance(parent_call, ast.Name) and parent_call.id == "shapely"):
                found.append(f"line {node.lineno}: <geometry>.{node.attr}()")
    assert not found, "\n".join(found)


def test_geometry_module_round_trips_wkb_and_repairs():
    """The exchange format a second backend would use, and repair, keep the shape."""
    from shapely import Polygon, equals_exact

    from geoconflict import _geom

    bow = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # self-crossing
    fixed = _geom.repair(bow)
    assert fixed.is_valid
    assert fixed.area == pytest.approx(2.0)
    parts = _geom.polygonal_parts(fixed)
    assert len(parts) == 2
    whole = _geom.as_polygonal(parts)
    assert whole.geom_type == "MultiPolygon"
    back = _geom.from_wkb(_geom.to_wkb(whole))
    assert equals_exact(back, whole, 0.0)
    o = _geom.orient(_geom.polygon([(0, 0), (0, 1), (1, 1), (1, 0)]))
    x, y = np.asarray(o.exterior.coords).T
    assert _geom.signed_area(x, y) > 0  # counterclockwise, RFC 7946
    arr = _geom.repair(np.array([bow, o], dtype=object))
    assert arr[1] is o
    assert arr[0].is_valid


def test_check_radii_uses_the_ellipsoid_half_meridian():
    """The limit is the given ellipsoid's half meridian; errors name position and value."""
    from geoconflict.errors import GeometryError
    from geoconflict.geodesy.ellipsoid import check_radii, half_circumference

    sphere = pyproj.Geod(a=6_360_000.0, f=0.0)
    half = half_circumference(geod=sphere)
    assert half == pytest.approx(np.pi * 6_360_000.0, rel=1e-12)
    check_radii([1.0, half], sphere, increasing=True)
    wgs84_half = half_circumference()
    assert wgs84_half > half  # so the WGS84 limit would let this through
    with pytest.raises(GeometryError, match=r"rings\[1\] = 19990000\.0 m.*19,980,529"):
        check_radii([10.0, 19_990_000.0], sphere, "rings")
    check_radii([10.0, 19_990_000.0])  # fine on WGS84
    with pytest.raises(GeometryError, match=r"rings\[2\] = 5\.0 follows 7\.0"):
        check_radii([1.0, 7.0, 5.0], None, "rings", increasing=True)
    with pytest.raises(GeometryError, match=r"rings\[0\] = -1\.0"):
        check_radii([-1.0], None, "rings")
