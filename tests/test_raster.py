import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import geoconflict as gc

rasterio = pytest.importorskip("rasterio")

from geoconflict.raster import (  # noqa: E402
    distance_raster,
    event_density,
    grid,
    rasterize_zones,
    sample,
)

WGS84 = Geodesic.WGS84
SITE = (40.91854, 34.45226)


def _geo_dist(lon0, lat0, lon, lat):
    return np.array(
        [
            WGS84.Inverse(lat0, lon0, b, a)["s12"]
            for a, b in zip(np.ravel(lon), np.ravel(lat))
        ]
    )


def test_distance_to_point_geotiff_round_trip(tmp_path):
    path = tmp_path / "d.tif"
    r = distance_raster(
        shapely.Point(*SITE), (40.0, 34.0, 42.0, 35.0), resolution=0.05, path=path
    )
    with rasterio.open(path) as src:
        data = src.read(1)
        assert src.crs.to_epsg() == 4326
        assert src.tags()["units"] == "m"
        assert src.units == ("m",)
        assert src.width == 40
        assert src.height == 20
        xs, ys = rasterio.transform.xy(
            src.transform, *np.meshgrid(np.arange(20), np.arange(40), indexing="ij")
        )
    expected = _geo_dist(*SITE, xs, ys).reshape(20, 40)
    assert np.allclose(data, expected, rtol=1e-6, atol=0.01)
    assert np.array_equal(data, r.data)


def test_distance_to_line_against_vector_computation(tmp_path):
    line = shapely.LineString([(40.0, 33.0), (41.0, 34.0), (41.2, 35.5)])
    r = distance_raster(line, shape=(6, 8), bounds=(39.5, 33.0, 42.0, 35.5))
    g = grid((39.5, 33.0, 42.0, 35.5), shape=(6, 8))
    # oracle: golden-section search along each geodesic edge with geographiclib
    coords = list(line.coords)
    best = []
    for lon, lat in zip(g.lon.ravel(), g.lat.ravel()):
        dmin = np.inf
        for (x1, y1), (x2, y2) in zip(coords[:-1], coords[1:]):
            edge = WGS84.InverseLine(y1, x1, y2, x2)

            def f(s, edge=edge, lon=lon, lat=lat):
                p = edge.Position(s)
                return WGS84.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

            a, b = 0.0, edge.s13
            for _ in range(30):
                m1, m2 = b - 0.618034 * (b - a), a + 0.618034 * (b - a)
                if f(m1) < f(m2):
                    b = m2
                else:
                    a = m1
            dmin = min(dmin, f(0.0), f(edge.s13), f((a + b) / 2))
        best.append(dmin)
    best = np.array(best)
    # exact engine: float32 resolution only
    assert np.allclose(r.data.ravel(), best, atol=0.05)


def test_distance_raster_max_segment_m_is_deprecated_and_ignored():
    line = shapely.LineString([(40.0, 33.0), (41.0, 34.0)])
    kw = {"shape": (4, 5), "bounds": (39.5, 32.5, 41.5, 34.5), "dtype": "float64"}
    exact = distance_raster(line, **kw)
    with pytest.warns(DeprecationWarning, match="max_segment_m"):
        coarse = distance_raster(line, max_segment_m=50_000.0, **kw)
    np.testing.assert_array_equal(coarse.data, exact.data)


def test_cog_and_projected_grid(tmp_path):
    path = tmp_path / "cog.tif"
    # a UTM 37N grid in meters; distances stay geodesic
    r = distance_raster(
        shapely.Point(*SITE),
        (700_000, 3_770_000, 760_000, 3_830_000),
        resolution=200,
        crs="EPSG:32637",
        path=path,
        cog=True,
    )
    assert r.data.shape == (300, 300)
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 32637
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert src.profile["tiled"]
        data = src.read(1)
        rows, cols = np.array([0, 150, 299]), np.array([0, 77, 299])
        x, y = rasterio.transform.xy(src.transform, rows, cols)
    lon, lat = gc.get_geod() and __import__("pyproj").Transformer.from_crs(
        32637, 4326, always_xy=True
    ).transform(x, y)
    expected = _geo_dist(*SITE, lon, lat)
    assert np.allclose(data[rows, cols], expected, rtol=1e-6, atol=0.02)


def test_event_density_units_integral_and_values(tmp_path):
    rng = np.random.default_rng(0)
    lon = 40.9 + rng.normal(0, 0.05, 60)
    lat = 34.45 + rng.normal(0, 0.05, 60)
    w = rng.integers(0, 5, 60).astype(float)
    path = tmp_path / "kde.tif"
    bounds = (40.3, 33.9, 41.5, 35.0)
    event_density(
        (lon, lat), bounds, bandwidth_m="3 km", resolution=0.01, weights=w, path=path
    )
    with rasterio.open(path) as src:
        data = src.read(1)
        tags = src.tags()
    assert tags["units"] == "weight per km2"
    assert float(tags["bandwidth_m"]) == 3000.0
    assert tags["kernel"] == "gaussian"
    # integral over the grid (geodesic cell areas) recovers the total weight
    g = grid(bounds, resolution=0.01)
    cells = shapely.box(g.lon - 0.005, g.lat - 0.005, g.lon + 0.005, g.lat + 0.005)
    area_km2 = gc.area(cells.ravel()).reshape(g.lat.shape) / 1e6
    assert (data * area_km2).sum() == pytest.approx(w.sum(), rel=0.01)
    # one cell by hand with geographiclib
    i, j = 50, 60
    d = _geo_dist(g.lon[i, j], g.lat[i, j], lon, lat)
    h = 3000.0
    k = np.exp(-0.5 * (d / h) ** 2) / (2 * np.pi * h * h) * (d <= 4 * h)
    assert data[i, j] == pytest.approx((k * w).sum() * 1e6, rel=1e-5)
    q = event_density(
        (lon, lat), bounds, bandwidth_m=3000, resolution=0.01, kernel="quartic"
    )
    assert q.tags["units"] == "events per km2"
    assert (q.data * area_km2).sum() == pytest.approx(60, rel=0.01)


def test_rasterize_rings_and_sample(tmp_path):
    rings = gc.range_rings(*SITE, [10_000, 20_000])
    path = tmp_path / "rings.tif"
    r = rasterize_zones(rings, (40.6, 34.2, 41.2, 34.7), resolution=0.005, path=path)
    g = grid((40.6, 34.2, 41.2, 34.7), resolution=0.005)
    d = _geo_dist(*SITE, g.lon, g.lat).reshape(g.lat.shape)
    expect = np.where(d <= 10_000, 1, np.where(d <= 20_000, 2, 0))
    clear = (np.abs(d - 10_000) > 100) & (np.abs(d - 20_000) > 100)
    assert (r.data[clear] == expect[clear]).all()
    # sampling at cell centres returns the cells; outside the grid gives NaN
    pts = np.column_stack([g.lon[::7, ::9].ravel(), g.lat[::7, ::9].ravel()])
    vals = sample(path, pts)
    assert (vals == r.data[::7, ::9].ravel()).all()
    assert np.isnan(sample(r, [(0.0, 0.0)])[0])


def test_sample_distance_raster_matches_vector_distance():
    r = distance_raster(shapely.Point(*SITE), (40.0, 34.0, 42.0, 35.0), resolution=0.02)
    g = grid((40.0, 34.0, 42.0, 35.0), resolution=0.02)
    pts = np.column_stack([g.lon[3:40:5, 10], g.lat[3:40:5, 10]])
    vals = sample(r, pts)
    assert np.allclose(
        vals, gc.geodesy.measurement.distance(*SITE, pts[:, 0], pts[:, 1]), rtol=1e-6
    )


def test_geodataframe_inputs():
    gpd = pytest.importorskip("geopandas")
    sites = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=gpd.points_from_xy([40.9, 41.0], [34.4, 34.5]),
        crs="EPSG:4326",
    ).to_crs("EPSG:32637")
    sites.index = ["x", "y"]
    r = distance_raster(sites, (40.5, 34.0, 41.5, 35.0), resolution=0.02)
    s = sample(r, sites)
    assert list(s.index) == ["x", "y"]
    assert (s < 1_500).all()  # the half-diagonal of a 0.02 degree cell


def test_bad_grids():
    with pytest.raises(gc.GeometryError, match="either resolution"):
        grid((0, 0, 1, 1))
    with pytest.raises(gc.GeometryError, match="east > west"):
        grid((1, 0, 0, 1), resolution=0.1)
    with pytest.raises(gc.GeometryError, match="bandwidth"):
        event_density([(0, 0)], (0, 0, 1, 1), bandwidth_m=0, resolution=0.1)
    with pytest.raises(gc.GeometryError, match="bandwidth"):
        event_density([(0, 0)], (0, 0, 1, 1), bandwidth_m="-2 km", resolution=0.1)
    with pytest.raises(gc.UnitError):
        event_density([(0, 0)], (0, 0, 1, 1), bandwidth_m="5 parsecs", resolution=0.1)
