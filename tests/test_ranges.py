import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.errors import CoordinateError, GeometryError
from geoconflict.geodesy.ranges import (
    FeatureTable,
    half_circumference,
    min_max_ring,
    radial_lines,
    range_fan,
    range_rings,
)

from .common import AL_TANF
from .oracle import WGS84_AREA

WGS84 = Geodesic.WGS84


def _dist(lon0, lat0, lons, lats):
    """Geodesic distances with geographiclib (independent of pyproj)."""
    return np.array(
        [WGS84.Inverse(lat0, lon0, la, lo)["s12"] for lo, la in zip(lons, lats)]
    )


def _azi(lon0, lat0, lons, lats):
    return np.array(
        [WGS84.Inverse(lat0, lon0, la, lo)["azi1"] for lo, la in zip(lons, lats)]
    )


def _random_points(lon0, lat0, rmax, n=400, seed=0):
    rng = np.random.default_rng(seed)
    az = rng.uniform(0, 360, n)
    d = rng.uniform(0, rmax, n)
    out = [WGS84.Direct(lat0, lon0, a, s) for a, s in zip(az, d)]
    lon = np.array([o["lon2"] for o in out])
    lat = np.array([o["lat2"] for o in out])
    lon = ((lon + 180) % 360) - 180
    return lon, lat, _dist(lon0, lat0, lon, lat)  # travel beyond the antipode wraps


def _check_disk(geom, lon0, lat0, r, tol, n=400, seed=0):
    """Points closer than r - tol are inside, farther than r + tol outside."""
    assert geom.is_valid
    lon, lat, d = _random_points(lon0, lat0, 2 * r, n=n, seed=seed)
    inside = shapely.contains_xy(geom, lon, lat)
    assert inside[d < r - tol].all()
    assert not inside[d > r + tol].any()
    lo, la = shapely.get_coordinates(geom).T
    assert (np.abs(lo) <= 180).all()
    assert (np.abs(la) <= 90).all()


def test_ring_vertices_lie_on_the_circle_and_edges_within_tolerance():
    lon0, lat0 = AL_TANF
    t = range_rings(lon0, lat0, [100_000, 200_000], kind="disk", tolerance_m=50)
    for geom, r in zip(t.geometry, t["outer_m"]):
        xy = shapely.get_coordinates(geom)
        d = _dist(lon0, lat0, xy[:, 0], xy[:, 1])
        assert np.allclose(d, r, atol=1e-3)
        # midpoints of the geodesic edges stay within the tolerance of the circle
        a, b = xy[:-1], xy[1:]
        mids = []
        for (x1, y1), (x2, y2) in zip(a, b):
            line = WGS84.InverseLine(y1, x1, y2, x2)
            p = line.Position(line.s13 / 2)
            mids.append((p["lon2"], p["lat2"]))
        mids = np.array(mids)
        dm = _dist(lon0, lat0, mids[:, 0], mids[:, 1])
        assert (dm <= r + 1e-3).all()
        assert (dm >= r - 50).all()


def test_range_rings_columns_labels_and_bands():
    t = range_rings([40.9, 38.6], [34.45, 33.5], ["100 km", 200_000, 300_000])
    assert isinstance(t, FeatureTable)
    assert len(t) == 6
    assert t["site"].tolist() == [0, 0, 0, 1, 1, 1]
    assert t["ring"].tolist() == [0, 1, 2, 0, 1, 2]
    assert t["inner_m"].tolist() == [0, 1e5, 2e5] * 2
    assert t["outer_m"].tolist() == [1e5, 2e5, 3e5] * 2
    assert t["label"].tolist() == ["100 km", "200 km", "300 km"] * 2
    g = t.geometry
    # bands do not overlap and together make the disk
    assert shapely.area(shapely.intersection(g[0], g[1])) < 1e-9
    disk = range_rings(40.9, 34.45, [300_000], kind="disk").geometry[0]
    assert shapely.union_all(g[:3]).symmetric_difference(disk).area < 1e-6
    # points in a band are between its radii
    lon, lat, d = _random_points(40.9, 34.45, 350_000)
    in1 = shapely.contains_xy(g[1], lon, lat)
    assert ((d[in1] > 1e5 - 200) & (d[in1] < 2e5 + 200)).all()
    assert in1[(d > 1e5 + 200) & (d < 2e5 - 200)].all()


def test_rings_as_lines():
    t = range_rings(AL_TANF[0], AL_TANF[1], [10_000, 20_000], kind="line")
    assert [g.geom_type for g in t.geometry] == ["LineString"] * 2
    assert t["inner_m"].tolist() == t["outer_m"].tolist()
    xy = shapely.get_coordinates(t.geometry[1])
    assert np.allclose(_dist(*AL_TANF, xy[:, 0], xy[:, 1]), 20_000, atol=1e-3)
    assert t.geometry[1].is_closed


@pytest.mark.parametrize(
    ("lon0", "lat0", "r"),
    [
        (179.9, -17.0, 50_000),  # across the antimeridian (Fiji)
        (-179.5, 65.0, 300_000),  # antimeridian at high latitude
        (10.0, 85.0, 1_000_000),  # contains the north pole
        (0.0, 90.0, 500_000),  # centred on the north pole
        (170.0, -80.0, 2_000_000),  # contains the south pole, crosses 180
        (20.0, 10.0, 15_000_000),  # contains both poles
    ],
)
def test_hard_places_contain_the_right_points(lon0, lat0, r):
    t = range_rings(lon0, lat0, [r / 2, r], kind="disk")
    for geom, rr in zip(t.geometry, t["outer_m"]):
        _check_disk(geom, lon0, lat0, rr, tol=rr * 2e-3)


def test_pole_containment():
    north = range_rings(10.0, 85.0, [1_000_000]).geometry[0]
    assert shapely.contains_xy(north, [0, 90, -170], [89.9, 89.9, 89.9]).all()
    south = range_rings(170.0, -80.0, [2_000_000]).geometry[0]
    assert shapely.contains_xy(south, [0, 90, -170], [-89.9, -89.9, -89.9]).all()
    band = range_rings(0.0, 90.0, [250_000, 500_000]).geometry[1]
    assert band.is_valid
    assert not shapely.contains_xy(band, 0, 89.5)
    assert shapely.contains_xy(band, 0, 86.5)


def test_line_across_the_antimeridian_is_split():
    t = range_rings(179.9, 0.0, [50_000], kind="line")
    geom = t.geometry[0]
    assert geom.geom_type == "MultiLineString"
    assert (np.abs(shapely.get_coordinates(geom)[:, 0]) <= 180).all()
    assert shapely.length(geom) == pytest.approx(
        range_rings(0.0, 0.0, [50_000], kind="line").geometry[0].length, rel=1e-6
    )


def test_bad_radii():
    with pytest.raises(GeometryError, match="strictly increasing"):
        range_rings(0, 0, [2000, 1000])
    with pytest.raises(GeometryError, match="strictly increasing"):
        range_rings(0, 0, [1000, 1000])
    with pytest.raises(GeometryError, match="positive"):
        range_rings(0, 0, [-5])
    with pytest.raises(GeometryError, match="half the Earth"):
        range_rings(0, 0, [25_000_000])
    with pytest.raises(GeometryError, match="kind"):
        range_rings(0, 0, [1], kind="donut")
    with pytest.raises(CoordinateError):
        range_rings(0, 95, [1000])
    assert range_rings(0, 0, [half_circumference() - 1]).geometry[0].is_valid


def test_empty_inputs_give_empty_outputs():
    t = range_rings([], [], [1000, 2000])
    assert len(t) == 0
    assert t.geometry.dtype == object
    assert len(range_rings(0, 0, [])) == 0
    assert len(range_fan([], [], 0, 90, 0, 1000)) == 0
    assert len(min_max_ring([], [], 0, 1000)) == 0
    assert len(radial_lines([], [], [0, 90], 1000)) == 0


def test_nan_centre_gives_none():
    t = range_rings([0, np.nan], [0, 0], [1000, 2000])
    assert t.geometry[0] is not None
    assert t.geometry[2] is None
    assert t.geometry[3] is None


def test_min_max_ring():
    lon0, lat0 = 40.9, 34.45
    t = min_max_ring([lon0, lon0], [lat0, lat0], [0, "20 km"], 70_000)
    assert t["label"].tolist() == ["70 km", "20–70 km"]
    assert len(t.geometry[0].interiors) == 0
    ann = t.geometry[1]
    lon, lat, d = _random_points(lon0, lat0, 90_000)
    inside = shapely.contains_xy(ann, lon, lat)
    assert inside[(d > 20_100) & (d < 69_900)].all()
    assert not inside[(d < 19_900) | (d > 70_100)].any()
    with pytest.raises(GeometryError, match="not smaller"):
        min_max_ring(0, 0, 5000, 5000)
    with pytest.raises(GeometryError, match="min_m"):
        min_max_ring(0, 0, -1, 5000)


def _check_fan(geom, lon0, lat0, a0, width, mn, mx):
    assert geom.is_valid
    lon, lat, d = _random_points(lon0, lat0, mx * 1.3, n=600)
    az = np.mod(_azi(lon0, lat0, lon, lat), 360)
    rel = np.mod(az - a0, 360)
    inside = shapely.contains_xy(geom, lon, lat)
    tol = mx * 3e-3
    core = (d > mn + tol) & (d < mx - tol) & (rel > 1) & (rel < width - 1)
    assert inside[core].all()
    far = (d < mn - tol) | (d > mx + tol) | ((rel > width + 1) & (rel < 359))
    assert not inside[far].any()


def test_fan_clockwise_and_wrapping():
    lon0, lat0 = 40.9, 34.45
    f = range_fan(lon0, lat0, 350, 10, 0, 50_000)
    assert f["width_deg"].tolist() == [20.0]
    _check_fan(f.geometry[0], lon0, lat0, 350, 20, 0, 50_000)
    # same fan written with azimuths out of 0..360
    g = range_fan(lon0, lat0, -10, 370, 0, 50_000)
    assert g["azimuth_from"].tolist() == [350.0]
    assert g.geometry[0].symmetric_difference(f.geometry[0]).area < 1e-12
    h = range_fan(lon0, lat0, 45, 315, 10_000, 50_000)
    assert h["width_deg"].tolist() == [270.0]
    _check_fan(h.geometry[0], lon0, lat0, 45, 270, 10_000, 50_000)
    full = range_fan(lon0, lat0, 0, 360, 10_000, 50_000)
    assert full["width_deg"].tolist() == [360.0]
    assert len(full.geometry[0].interiors) == 1
    with pytest.raises(GeometryError, match="zero"):
        range_fan(lon0, lat0, 30, 30, 0, 1000)


def test_fan_across_antimeridian_and_over_pole():
    f = range_fan(179.9, -17.0, 0, 180, 1000, 50_000)
    assert f.geometry[0].geom_type == "MultiPolygon"
    _check_fan(f.geometry[0], 179.9, -17.0, 0, 180, 1000, 50_000)
    p = range_fan(0.0, 80.0, 350, 10, 0, 2_000_000)
    assert shapely.contains_xy(p.geometry[0], 0, 89.9)
    _check_fan(p.geometry[0], 0.0, 80.0, 350, 20, 0, 2_000_000)


def test_radial_lines():
    lon0, lat0 = AL_TANF
    t = radial_lines(lon0, lat0, [0, 45, 90], 30_000, start_m=5_000)
    assert t["label"].tolist() == ["000°", "045°", "090°"]
    for geom, b in zip(t.geometry, t["bearing"]):
        xy = shapely.get_coordinates(geom)
        d = _dist(lon0, lat0, xy[:, 0], xy[:, 1])
        assert d[0] == pytest.approx(5_000, abs=1e-3)
        assert d[-1] == pytest.approx(30_000, abs=1e-3)
        az = _azi(lon0, lat0, xy[1:, 0], xy[1:, 1])
        assert np.allclose(np.mod(az - b + 180, 360) - 180, 0, atol=1e-7)
    cut = radial_lines(179.99, 0, [90], 10_000).geometry[0]
    assert cut.geom_type == "MultiLineString"


def test_feature_table_geo_interface_and_geodataframe():
    t = range_rings(AL_TANF[0], AL_TANF[1], [1000, 2000])
    fc = t.__geo_interface__
    assert fc["type"] == "FeatureCollection"
    assert fc["features"][1]["properties"]["label"] == "2 km"
    assert fc["features"][1]["properties"]["ring"] == 1
    with pytest.raises(KeyError, match="columns are"):
        t["nope"]
    gpd = pytest.importorskip("geopandas")
    gdf = t.to_geodataframe()
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert gdf["label"].tolist() == ["1 km", "2 km"]


@settings(max_examples=25, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89, 89),
    r0=st.floats(1_000, 2_000_000),
    steps=st.lists(st.floats(1.02, 3.0), min_size=1, max_size=3),
)
def test_property_rings_nested(lon, lat, r0, steps):
    radii = [r0]
    for s in steps:
        radii.append(radii[-1] * s)
    radii = [r for r in radii if r < 9_000_000]
    t = range_rings(lon, lat, radii, kind="disk")
    g = t.geometry
    for a, b in zip(g[:-1], g[1:]):
        assert a.is_valid
        assert b.is_valid
        # the inner disk lies inside the outer one (up to float noise)
        assert shapely.difference(a, b).area <= 1e-9 * max(a.area, 1e-12) + 1e-12


@settings(max_examples=25, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-80, 80),
    a0=st.floats(-720, 720),
    width=st.floats(5, 355),
    mn=st.floats(0, 50_000),
    extra=st.floats(10_000, 500_000),
)
def test_property_fan_within_its_ring(lon, lat, a0, width, mn, extra):
    mx = mn + extra
    fan = range_fan(lon, lat, a0, a0 + width, mn, mx).geometry[0]
    ring = min_max_ring(lon, lat, mn, mx, tolerance_m=mx * 1e-4).geometry[0]
    assert fan.is_valid
    # what sticks out is at most the chord tolerance (0.1 % of max) along the outline
    outside = gc.area(shapely.difference(fan, ring))
    perimeter = np.radians(width) * (mn + mx) + 2 * extra
    assert outside <= 1e-3 * mx * perimeter
    fan_area, ring_area = gc.area([fan, ring])
    assert fan_area == pytest.approx(ring_area * width / 360, rel=0.01)


@pytest.mark.parametrize(
    ("lon", "lat", "r"),
    [(40.9, 34.45, 50_000), (179.9, -17.0, 80_000), (10.0, 85.0, 1_000_000)],
)
def test_disks_agree_with_buffers_circle_polygons(lon, lat, r):
    import geoconflict.geodesy.buffers as buffers

    mine = range_rings(lon, lat, [r], kind="disk").geometry[0]
    theirs = buffers.circle_polygons(lon, lat, r)
    theirs = theirs if isinstance(theirs, shapely.Geometry) else theirs[0]
    a_mine, a_theirs = gc.area([mine, theirs])
    assert a_mine == pytest.approx(a_theirs, rel=1e-4)
    assert gc.area(shapely.symmetric_difference(mine, theirs)) < 2e-3 * a_mine


# ------------------------------------------ rings larger than a hemisphere, #11

H = 20_003_931.458625447  # half the WGS84 meridian


def test_regression_20000_km_ring_contains_its_centre():
    """Regression (#11): a 264 km² polygon near the antipode, without its centre."""
    ring = range_rings(38.6, 33.5, [20_000_000]).geometry[0]
    assert ring.is_valid
    assert ring.covers(shapely.Point(38.6, 33.5))
    assert not ring.contains(shapely.Point(38.6 - 180, -33.5))
    a = gc.area(ring)
    # everything but ~200 km² around the antipode (204 km² at 1 m tolerance)
    assert 0 < WGS84_AREA - a < 1e9
    rest = gc.area(shapely.box(-180, -90, 180, 90).difference(ring))
    assert a + rest == pytest.approx(WGS84_AREA, rel=1e-12)
    # the vertices of its boundary are 20,000 km from the centre (geographiclib)
    line = range_rings(38.6, 33.5, [20_000_000], kind="line").geometry[0]
    xy = shapely.get_coordinates(line)
    assert np.abs(_dist(38.6, 33.5, xy[:, 0], xy[:, 1]) - 2e7).max() < 1e-3


def test_radius_beyond_half_the_meridian_is_a_clear_error():
    with pytest.raises(
        GeometryError, match=r"radii_m\[1\] = 20003932\.0 m.*20,003,931"
    ):
        range_rings(0, 0, [1e6, 20_003_932])
    assert range_rings(0, 0, [H]).geometry[0].is_valid


_lat = st.one_of(st.floats(-90, 90), st.floats(85, 90), st.floats(-90, -85))
_lon = st.one_of(st.floats(-180, 180), st.floats(178, 180), st.floats(-180, -178))


@settings(max_examples=25, deadline=None)
@given(
    lon=_lon,
    lat=_lat,
    radii=st.lists(st.floats(1.0, H - 1.0), min_size=1, max_size=4, unique=True),
)
def test_property_large_bands_add_up_to_disks(lon, lat, radii):
    """Bands of any radii up to half the meridian: each disk holds its centre
    and not its antipode, bands are disjoint and add up to the disks, disk
    areas grow with the radius and match geographiclib on their vertices."""
    # radii closer than the rings' tolerance (0.1 % of the largest) promise nothing
    tol = max(1.0, 1e-3 * max(radii))
    kept = [sorted(radii)[0]]
    for r in sorted(radii)[1:]:
        if r - kept[-1] > 2 * tol:
            kept.append(r)
    radii = kept
    disks = range_rings(lon, lat, radii, kind="disk").geometry
    bands = range_rings(lon, lat, radii).geometry
    centre = shapely.Point(gc.geodesy.measurement.wrap_lon(lon), lat)
    anti = shapely.Point(gc.geodesy.measurement.wrap_lon(lon + 180), -lat)
    a_disk, a_band = gc.area(disks), gc.area(bands)
    for d in disks:
        assert d.is_valid
        assert d.covers(centre)
        assert not d.contains(anti)
    assert bands[0].covers(centre)
    assert not any(b.contains(centre) for b in bands[1:])
    assert (np.diff(a_disk) > 0).all()
    assert np.cumsum(a_band) == pytest.approx(a_disk, rel=1e-9, abs=1.0)
    whole = gc.area(shapely.box(-180, -90, 180, 90).difference(disks[-1]))
    assert a_disk[-1] + whole == pytest.approx(WGS84_AREA, rel=1e-9)


@settings(max_examples=20, deadline=None)
@given(lon=_lon, lat=_lat, mn=st.floats(1_000, 19_000_000), k=st.floats(1.01, 3.0))
def test_property_large_annulus(lon, lat, mn, k):
    mx = min(mn * k, H)
    tol = 1e-3 * mx
    ann = min_max_ring(lon, lat, mn, mx, tolerance_m=tol).geometry[0]
    assert ann.is_valid
    assert not ann.contains(shapely.Point(gc.geodesy.measurement.wrap_lon(lon), lat))
    inner, outer = gc.area(
        range_rings(lon, lat, [mn, mx], kind="disk", tolerance_m=tol).geometry
    )
    assert gc.area(ann) == pytest.approx(outer - inner, rel=1e-6, abs=1.0)
    mid = WGS84.Direct(lat, lon, 37.0, 0.5 * (mn + mx))
    assert ann.covers(
        shapely.Point(gc.geodesy.measurement.wrap_lon(mid["lon2"]), mid["lat2"])
    )


def test_fan_beyond_the_cut_locus_is_a_clear_error():
    # past pi * b (19,970,326 m) the sides of a sector cross near the antipode
    fan = range_fan(38.6, 33.5, 30, 150, 0, 19_900_000).geometry[0]
    assert fan.is_valid
    ring = min_max_ring(38.6, 33.5, 0, 19_900_000).geometry[0]
    assert gc.area(fan) == pytest.approx(gc.area(ring) / 3, rel=0.01)
    with pytest.raises(
        GeometryError, match=r"fan 0: max_m = 20000000\.0 m.*19,970,326"
    ):
        range_fan(38.6, 33.5, 30, 150, 0, 20_000_000)
    # the full circle is an annulus, allowed up to half the meridian
    full = range_fan(38.6, 33.5, 0, 360, 0, 20_000_000).geometry[0]
    assert full.covers(shapely.Point(38.6, 33.5))


@pytest.mark.parametrize("precision", [7, 3, None])
def test_to_geojson_matches_the_io_writer(precision, tmp_path):
    """FeatureTable writes GeoJSON without io (geodesy < io) and still as io does."""
    import json

    from geoconflict.io import geojson

    tables = [
        range_rings([179.9, 40.0, np.nan], [-17.0, 89.5, 0.0], [50_000, 2_000_000]),
        radial_lines([179.9, 0.0], [0.0, 89.0], [90, 270], 500_000),
        range_fan(179.5, 60.0, 10, 200, 0, 3_000_000),
    ]
    for t in tables:
        path = tmp_path / "t.geojson"
        ours = json.loads(t.to_geojson(path, precision=precision))
        theirs = geojson.dumps(t.geometry, properties=t.columns, precision=precision)
        assert ours == json.loads(theirs)
        assert json.loads(path.read_text(encoding="utf-8")) == ours
