import warnings

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.analysis.exposure import Exposure, exposure, zones
from geoconflict.errors import CRSError, GeometryError, MissingValueWarning, ShapeError
from geoconflict.geodesy.neighbors import (
    Nearest,
    Pairs,
    distance_matrix,
    nearest,
    pairs_within,
    points_within,
)

from .common import ABU_KAMAL, AL_QAIM

WGS84 = Geodesic.WGS84


def _brute(lon1, lat1, lon2, lat2):
    """Distance matrix with geographiclib (independent oracle)."""
    return np.array(
        [
            [WGS84.Inverse(b, a, d, c)["s12"] for c, d in zip(lon2, lat2)]
            for a, b in zip(lon1, lat1)
        ]
    )


def _cloud(n, lon0, lat0, spread, seed):
    rng = np.random.default_rng(seed)
    lon = lon0 + rng.uniform(-spread, spread, n)
    lat = np.clip(lat0 + rng.uniform(-spread, spread, n), -90, 90)
    return ((lon + 180) % 360) - 180, lat


@pytest.mark.parametrize(
    ("lon0", "lat0", "spread", "radius"),
    [
        (40.9, 34.4, 0.2, 5_000),
        (179.95, -17.0, 0.2, 8_000),  # across the antimeridian
        (10.0, 89.8, 0.5, 30_000),  # around the pole
        (0.0, 0.0, 30.0, 2_000_000),  # large radii
    ],
)
def test_pairs_within_matches_brute_force(lon0, lat0, spread, radius):
    plon, plat = _cloud(150, lon0, lat0, spread, 1)
    clon, clat = _cloud(12, lon0, lat0, spread, 2)
    p = pairs_within(plon, plat, clon, clat, radius)
    d = _brute(clon, clat, plon, plat)
    ci, pi = np.nonzero(d <= radius)
    got = set(zip(p.center_index.tolist(), p.point_index.tolist()))
    assert got == set(zip(ci.tolist(), pi.tolist()))
    assert np.allclose(p.distance, d[p.center_index, p.point_index], atol=1e-6)


def test_pairs_within_is_exact_at_the_threshold():
    r = WGS84.Direct(34.45, 40.9, 33.0, 5_000.0)
    p = pairs_within([r["lon2"]], [r["lat2"]], [40.9], [34.45], 5_000.0 + 1e-6)
    assert len(p.point_index) == 1
    p = pairs_within([r["lon2"]], [r["lat2"]], [40.9], [34.45], 5_000.0 - 1e-6)
    assert len(p.point_index) == 0


@settings(max_examples=20, deadline=None)
@given(
    lon0=st.floats(-180, 180),
    lat0=st.floats(-89, 89),
    radius=st.floats(100, 500_000),
    seed=st.integers(0, 1000),
)
def test_property_pairs_within(lon0, lat0, radius, seed):
    spread = min(5.0, 3 * radius / 111_000)
    plon, plat = _cloud(60, lon0, lat0, spread, seed)
    clon, clat = _cloud(4, lon0, lat0, spread, seed + 1)
    p = pairs_within(plon, plat, clon, clat, radius)
    _, _, d = gc.get_geod().inv(
        np.repeat(clon, 60), np.repeat(clat, 60), np.tile(plon, 4), np.tile(plat, 4)
    )
    d = np.asarray(d).reshape(4, 60)
    assert len(p.point_index) == int((d <= radius).sum())


def test_one_pairs_type_one_nearest_type_one_points_within():
    """Issue #12: the library, the exposure counts, the CLI and the QGIS plugin
    (through geoconflict) reach the same types and the same function."""
    import geoconflict.analysis.exposure as exp
    import geoconflict.cli.measure as cli_measure

    assert gc.Pairs is Pairs
    assert gc.Nearest is Nearest
    assert gc.points_within is points_within
    assert exp.pairs_within is cli_measure.pairs_within is pairs_within
    assert gc.nearest is cli_measure.nearest_points is nearest
    assert type(gc.nearest([ABU_KAMAL], [AL_QAIM])) is Nearest
    line = shapely.LineString([(41, 34), (41, 35)])
    assert type(gc.distance_to(40.5, 34.5, line, return_nearest=True)) is Nearest
    assert type(gc.points_within([40.9], [34.4], [40.9], [34.4], 1.0)) is Pairs


def _with_gaps(x, mask):
    x = np.array(x, dtype=float)
    x[mask] = np.nan
    return x


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    p_nan=st.floats(0, 0.5),
    scalar_radius=st.booleans(),
)
def test_missing_values_pair_with_nothing_and_are_reported(seed, p_nan, scalar_radius):
    """A NaN coordinate (point or centre) or a NaN radius pairs with nothing,
    and a MissingValueWarning names how many and where; the other pairs are
    those of the brute force.  pairs_within (the CLI's order) agrees."""
    rng = np.random.default_rng(seed)
    plon, plat = _cloud(40, 40.9, 34.4, 0.3, seed)
    clon, clat = _cloud(6, 40.9, 34.4, 0.3, seed + 1)
    radius = 20_000.0 if scalar_radius else rng.uniform(0, 40_000, 6)
    bad_p = rng.random(40) < p_nan
    bad_c = rng.random(6) < p_nan
    bad_r = (rng.random(6) < p_nan) & (not scalar_radius)
    plon_n = _with_gaps(plon, bad_p & (rng.random(40) < 0.5))
    plat_n = _with_gaps(plat, bad_p & np.isfinite(plon_n))
    clon_n = _with_gaps(clon, bad_c)
    r = radius if scalar_radius else _with_gaps(radius, bad_r)
    if bad_p.any() or bad_c.any() or (bad_r & ~bad_c).any():
        with pytest.warns(MissingValueWarning) as rec:
            p = points_within(plon_n, plat_n, clon_n, clat, r)
        text = " ".join(str(w.message) for w in rec)
        if bad_p.any():
            first = int(np.flatnonzero(bad_p)[0])
            n = int(bad_p.sum())
            assert f"{n} point{'s' if n > 1 else ''} with a NaN coordinate" in text
            assert f"{first}" in text
        if (bad_r & ~bad_c).any():
            n = int((bad_r & ~bad_c).sum())
            assert f"{n} centre{'s' if n > 1 else ''} with a NaN radius" in text
    else:
        p = points_within(plon_n, plat_n, clon_n, clat, r)
    d = _brute(plon, plat, clon, clat)
    ok = ~bad_p[:, None] & ~bad_c[None, :] & ~bad_r[None, :]
    ref_p, ref_c = np.nonzero(ok & (d <= np.broadcast_to(radius, 6)[None, :]))
    assert p.point_index.tolist() == ref_p.tolist()  # sorted by point, centre
    assert p.center_index.tolist() == ref_c.tolist()
    np.testing.assert_allclose(p.distance, d[ref_p, ref_c], rtol=0, atol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingValueWarning)
        q = pairs_within(plon_n, plat_n, clon_n, clat, r)
    order = np.lexsort((ref_p, ref_c))  # sorted by centre, point
    assert q.center_index.tolist() == ref_c[order].tolist()
    assert q.point_index.tolist() == ref_p[order].tolist()


@pytest.mark.parametrize("fn", [points_within, pairs_within])
@pytest.mark.parametrize(
    ("radius", "match"),
    [
        (-1.0, "-1.0 for centre 0"),
        ([5.0, np.inf], "inf for centre 1"),
        ([5.0, 6.0, 7.0], r"one value per centre \(2\)"),
    ],
)
def test_bad_radius_is_an_error_in_every_entry_point(fn, radius, match):
    with pytest.raises(ShapeError, match=match):
        fn([40.9], [34.4], [40.9, 41.0], [34.4, 34.5], radius)


def test_nearest_gives_the_neighbour_and_the_azimuth_towards_it():
    a = np.array([ABU_KAMAL, AL_QAIM, (np.nan, 0.0)])
    b = np.array([AL_QAIM, (40.0, 34.0), (41.5, 35.0)])
    r = nearest(a, b, k=4)
    assert r.index.tolist() == [[0, 2, 1, -1], [0, 2, 1, -1], [-1] * 4]
    found = r.index >= 0
    np.testing.assert_array_equal(r.lon[found], b[r.index[found], 0])
    np.testing.assert_array_equal(r.lat[found], b[r.index[found], 1])
    assert np.isnan(r.lon[~found]).all()
    assert np.isnan(r.azimuth[~found]).all()
    for i, j in zip(*np.nonzero(found)):
        ref = WGS84.Inverse(a[i, 1], a[i, 0], r.lat[i, j], r.lon[i, j])
        assert r.distance[i, j] == pytest.approx(ref["s12"], abs=1e-6)
        if ref["s12"] > 0:
            assert r.azimuth[i, j] == pytest.approx(ref["azi1"], abs=1e-6)
    assert np.isnan(r.azimuth[1, 0])  # a point of b itself: no direction


def test_exposure_bands_cumulative_and_weights():
    elon, elat = _cloud(400, 40.9, 34.4, 0.08, 5)
    slon, slat = _cloud(6, 40.9, 34.4, 0.05, 6)
    w = np.arange(400, dtype=float)
    w[::7] = np.nan
    rings = [1_000, 2_000, 5_000]
    e = exposure((elon, elat), np.column_stack([slon, slat]), rings, weights=w)
    assert isinstance(e, Exposure)
    assert e.columns == ["0_1km", "1_2km", "2_5km"]
    d = _brute(slon, slat, elon, elat)
    edges = [-1.0, *rings]
    for j in range(3):
        inband = (d > edges[j]) & (d <= edges[j + 1])
        assert e.counts[:, j].tolist() == inband.sum(axis=1).tolist()
        assert np.allclose(e.sums[:, j], (np.nan_to_num(w) * inband).sum(axis=1))
    c = exposure((elon, elat), np.column_stack([slon, slat]), rings, cumulative=True)
    assert (c.counts == np.cumsum(e.counts, axis=1)).all()
    assert c.columns == ["within_1km", "within_2km", "within_5km"]
    assert c.sums is None


def test_exposure_bad_and_empty_inputs():
    with pytest.raises(GeometryError, match="strictly increasing"):
        exposure([(0, 0)], [(0, 0)], [2000, 1000])
    with pytest.raises(GeometryError, match="one per event"):
        exposure([(0, 0)], [(0, 0)], [1000], weights=[1, 2])
    e = exposure(np.empty((0, 2)), [(0, 0)], [1000])
    assert e.counts.tolist() == [[0]]
    e = exposure([(0, 0)], np.empty((0, 2)), [1000, 2000])
    assert e.counts.shape == (0, 2)


def test_nearest_matches_brute_force_across_antimeridian():
    alon, alat = _cloud(80, 179.9, 10.0, 1.0, 7)
    blon, blat = _cloud(40, 179.9, 10.0, 1.0, 8)
    d = _brute(alon, alat, blon, blat)
    r = nearest((alon, alat), (blon, blat), k=3)
    order = np.argsort(d, axis=1, kind="stable")[:, :3]
    assert (r.index == order).all()
    assert np.allclose(r.distance, np.take_along_axis(d, order, 1), atol=1e-6)
    capped = nearest((alon, alat), (blon, blat), k=2, max_distance=20_000)
    far = d.min(axis=1) > 20_000
    assert (capped.index[far, 0] == -1).all()
    assert np.isnan(capped.distance[far, 0]).all()


@settings(max_examples=20, deadline=None)
@given(
    lon0=st.floats(-180, 180),
    lat0=st.floats(-90, 90),
    spread=st.floats(0.01, 40),
    k=st.integers(1, 4),
    seed=st.integers(0, 1000),
)
def test_property_nearest_distances_are_the_k_smallest(lon0, lat0, spread, k, seed):
    alon, alat = _cloud(25, lon0, lat0, spread, seed)
    blon, blat = _cloud(30, lon0, lat0, spread, seed + 1)
    r = nearest((alon, alat), (blon, blat), k=k)
    _, _, d = gc.get_geod().inv(
        np.repeat(alon, 30), np.repeat(alat, 30), np.tile(blon, 25), np.tile(blat, 25)
    )
    expected = np.sort(np.asarray(d).reshape(25, 30), axis=1)[:, :k]
    assert np.allclose(r.distance, expected, rtol=0, atol=1e-6)


def test_nearest_more_k_than_points_and_bad_k():
    r = nearest([ABU_KAMAL], [AL_QAIM], k=3)
    assert r.index.tolist() == [[0, -1, -1]]
    assert r.distance[0, 0] == pytest.approx(
        WGS84.Inverse(ABU_KAMAL[1], ABU_KAMAL[0], AL_QAIM[1], AL_QAIM[0])["s12"]
    )
    with pytest.raises(GeometryError, match="positive integer"):
        nearest([ABU_KAMAL], [AL_QAIM], k=0)


def test_distance_matrix_against_geographiclib():
    a = np.array([ABU_KAMAL, (179.9, 0.0), (0.0, 89.9)])
    b = np.array([AL_QAIM, (-179.9, 0.1)])
    m = distance_matrix(a, b)
    assert np.allclose(m, _brute(a[:, 0], a[:, 1], b[:, 0], b[:, 1]), atol=1e-6)


def test_zones_clip_and_dissolve():
    pts = [shapely.Point(40.9, 34.45), shapely.Point(40.95, 34.45)]
    z = zones(pts, "10 km")
    assert len(z) == 2
    clip = shapely.box(40.9, 34.0, 42.0, 35.0)
    zc = zones(pts, 10_000, clip_to=clip)
    assert zc[0].bounds[0] == pytest.approx(40.9)
    assert gc.area(zc[0]) == pytest.approx(gc.area(z[0]) / 2, rel=0.01)
    d = zones(pts, 10_000, dissolve=True)
    assert d.geom_type == "Polygon"
    assert gc.area(d) < gc.area(z[0]) + gc.area(z[1])


gpd = pytest.importorskip("geopandas")


def _gdf(lon, lat, crs="EPSG:4326", **cols):
    g = gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return g.to_crs(crs)


def test_geodataframes_keep_index_and_crs():
    elon, elat = _cloud(200, 40.9, 34.4, 0.05, 9)
    events = _gdf(elon, elat, "EPSG:32637", fatalities=np.ones(200))
    sites = _gdf([40.9, 40.95], [34.4, 34.42], "EPSG:3857", name=["a", "b"])
    sites.index = ["s1", "s2"]
    out = exposure(events, sites, [1_000, 5_000], weights="fatalities")
    assert list(out.index) == ["s1", "s2"]
    assert out.crs == sites.crs
    assert {"events_0_1km", "events_1_5km", "fatalities_0_1km"} <= set(out.columns)
    plain = exposure((elon, elat), [(40.9, 34.4), (40.95, 34.42)], [1_000, 5_000])
    assert out["events_1_5km"].tolist() == plain.counts[:, 1].tolist()
    assert out["fatalities_1_5km"].tolist() == plain.counts[:, 1].astype(float).tolist()
    nn = nearest(events, sites)
    assert nn.crs == events.crs
    assert (nn.index == events.index).all()
    assert set(nn["nearest_index"]) <= {"s1", "s2"}
    zs = zones(sites, 2_000)
    assert zs.crs == sites.crs
    assert list(zs.index) == ["s1", "s2"]
    assert zs.geometry.iloc[0].geom_type == "Polygon"
    dm = distance_matrix(sites, sites)
    assert list(dm.columns) == ["s1", "s2"]
    assert dm.loc["s1", "s1"] == 0


def test_geodataframe_without_crs_is_an_error():
    g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0], [0]))
    with pytest.raises(CRSError, match="set_crs"):
        exposure(g, [(0, 0)], [1000])


def test_non_point_geometry_is_an_error():
    with pytest.raises(GeometryError, match="representative"):
        exposure([shapely.box(0, 0, 1, 1)], [(0, 0)], [1000])


def test_zones_clip_to_country_name():
    from geoconflict.geography.boundaries import country

    syria = country("SYR").geometry
    # a 20 km zone around Abu Kamal, on the Syrian side of the border only
    z = zones([shapely.Point(*ABU_KAMAL)], 20_000, clip_to="SYR")[0]
    full = zones([shapely.Point(*ABU_KAMAL)], 20_000)[0]
    assert gc.area(z) < gc.area(full)
    assert gc.area(shapely.difference(z, syria)) < 1e-6 * gc.area(z) + 1.0
