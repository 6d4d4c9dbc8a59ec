"""Range rings, fans, min-max ranges and geodesic buffers through processing.run."""

import time

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsProperty,
)

import geoconflict
from geoconflict.geodesy.buffers import buffer
from geoconflict.geodesy.ranges import min_max_ring, range_fan, range_rings

from .layers import as_layer, lonlat_shapely, make_layer

SITES = [(40.9186, 34.4522), (38.6178, 33.5058), (179.9, -17.0), (12.0, 89.8)]
NAMES = ["al-Bukamal", "al-Tanf", "Fiji-antimeridian", "near-pole"]


def _wgs84_da():
    da = QgsDistanceArea()
    da.setSourceCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance().transformContext(),
    )
    da.setEllipsoid("EPSG:7030")
    return da


def _vertices(geom):
    return shapely.get_coordinates(
        shapely.get_exterior_ring(shapely.get_parts(geom))
    ).tolist()


class Errors(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):
        self.errors.append(error)


def _points(kind, tmp_path, crs="EPSG:4326", sites=SITES, **attrs):
    data = {"name": NAMES[: len(sites)], **attrs}
    return make_layer(
        kind, "Point", [shapely.Point(p) for p in sites], data, crs, tmp_path
    )


@pytest.mark.parametrize("kind", ["memory", "gpkg", "shp"])
def test_range_rings_bands_match_core_and_qgis(run, tmp_path, kind):
    src = _points(kind, tmp_path)
    res = run(
        "rangerings",
        {
            "INPUT": src,
            "RADII": "10, 25, 50",
            "UNITS": 1,
            "KIND": 0,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = as_layer(res["OUTPUT"])
    assert out.crs().authid() == "EPSG:4326"
    feats = list(out.getFeatures())
    assert len(feats) == len(SITES) * 3
    assert [f["ring"] for f in feats[:3]] == [1, 2, 3]
    assert [f["inner_km"] for f in feats[:3]] == [0, 10, 25]
    assert [f["outer_m"] for f in feats[:3]] == [10_000, 25_000, 50_000]
    assert [f["label"] for f in feats[:3]] == ["10 km", "25 km", "50 km"]
    assert feats[4]["name"] == "al-Tanf"
    geoms = lonlat_shapely(out)
    lon, lat = np.array(SITES).T
    core = range_rings(lon, lat, [10_000, 25_000, 50_000])
    for got, want in zip(geoms, core.geometry):
        assert got.is_valid
        assert got.symmetric_difference(want).area < 1e-9
        xmin, _, xmax, _ = got.bounds
        assert -180 <= xmin
        assert xmax <= 180
    # every vertex of the outer band lies on its inner or outer circle, measured by
    # QGIS itself (except where the band is cut at +-180 or closed over a pole)
    da = _wgs84_da()
    for i, (x, y) in enumerate(SITES):
        seen = set()
        for vx, vy in shapely.get_coordinates(geoms[3 * i + 2])[::5]:
            if abs(abs(vx) - 180) < 1e-9 or abs(vy) > 89.999:
                continue
            d = da.measureLine(QgsPointXY(x, y), QgsPointXY(vx, vy))
            near = min((25_000, 50_000), key=lambda r: abs(d - r))
            assert d == pytest.approx(near, abs=0.01), (NAMES[i], vx, vy, d)
            seen.add(near)
        assert 50_000 in seen
    # band areas: pi r^2 differences, short of it by at most perimeter x tolerance
    # (the default tolerance is 0.1 % of the largest radius: 50 m here)
    areas = geoconflict.area(np.array(geoms[:3], dtype=object))
    tol = 50.0
    disk = np.pi * 10_000**2
    assert disk - 2 * np.pi * 10_000 * tol <= areas[0] <= disk
    band = np.pi * (25_000**2 - 10_000**2)
    assert (
        band - 2 * np.pi * 25_000 * tol <= areas[1] <= band + 2 * np.pi * 10_000 * tol
    )
    antimeridian = geoms[6:9]
    assert all(g.geom_type == "MultiPolygon" for g in antimeridian)
    assert geoms[10].bounds[3] == 90  # the 10-25 km band holds the pole (22 km away)
    assert geoms[10].covers(shapely.Point(12, 90))


def test_range_rings_projected_crs_lines_and_radials(run, tmp_path):
    sites = SITES[:2]
    src = _points("gpkg", tmp_path, crs="EPSG:32637", sites=sites)
    res = run(
        "rangerings",
        {
            "INPUT": src,
            "RADII": "5 nmi, 20",
            "UNITS": 3,
            "KIND": 1,
            "RADIALS": 8,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "RADIALS_OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    rings = list(as_layer(res["OUTPUT"]).getFeatures())
    assert len(rings) == 4
    assert rings[0]["outer_nmi"] == pytest.approx(5)
    assert rings[1]["outer_m"] == pytest.approx(20 * 1852)
    spokes = as_layer(res["RADIALS_OUTPUT"])
    assert spokes.featureCount() == 16
    da = _wgs84_da()
    for f, g in zip(spokes.getFeatures(), lonlat_shapely(spokes)):
        site = sites[NAMES.index(f["name"])]
        end = (
            g.geoms[-1].coords[-1] if g.geom_type == "MultiLineString" else g.coords[-1]
        )
        # centre reprojected from UTM: sub-mm; distance checked by QGIS
        assert da.measureLine(QgsPointXY(*site), QgsPointXY(*end)) == pytest.approx(
            37_040, abs=0.01
        )


def test_meters_do_not_duplicate_fields(run, tmp_path):
    src = _points("memory", tmp_path, sites=SITES[:1])
    res = run(
        "rangerings",
        {"INPUT": src, "RADII": "500, 1000", "UNITS": 0, "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    layer = as_layer(res["OUTPUT"])
    names = layer.fields().names()
    assert names.count("outer_m") == 1
    assert [f["outer_m"] for f in layer.getFeatures()] == [500, 1000]


def test_buffer_data_defined_distance_and_dissolve(run, tmp_path):
    lines = [
        shapely.LineString([(40.0, 34.0), (41.0, 34.5)]),
        shapely.LineString([(179.5, 10), (-179.5, 10.5)]),
    ]
    src = make_layer(
        "shp", "LineString", lines, {"radius": [5.0, 20.0]}, "EPSG:4326", tmp_path
    )
    res = run(
        "geodesicbuffer",
        {
            "INPUT": src,
            "DISTANCE": QgsProperty.fromField("radius"),
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = as_layer(res["OUTPUT"])
    feats = list(out.getFeatures())
    assert [f["buffer_m"] for f in feats] == [5000.0, 20000.0]
    geoms = lonlat_shapely(out)
    core = buffer(np.array(lines, dtype=object), [5000.0, 20000.0])
    for g, want in zip(geoms, core):
        assert g.is_valid
        assert g.symmetric_difference(want).area < 1e-9
        assert -180 <= g.bounds[0]
        assert g.bounds[2] <= 180
    assert geoms[1].geom_type == "MultiPolygon"  # cut at the antimeridian
    res = run(
        "geodesicbuffer",
        {
            "INPUT": src,
            "DISTANCE": 30,
            "UNITS": 1,
            "DISSOLVE": True,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = as_layer(res["OUTPUT"])
    assert out.featureCount() == 1
    assert next(out.getFeatures())["n_features"] == 2


def test_buffer_projected_polygon(run, tmp_path):
    poly = shapely.box(40.0, 33.0, 40.5, 33.5)
    src = make_layer("memory", "Polygon", [poly], crs="EPSG:3857")
    res = run(
        "geodesicbuffer",
        {"INPUT": src, "DISTANCE": 2, "UNITS": 2, "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    got = lonlat_shapely(as_layer(res["OUTPUT"]))[0]
    want = buffer(poly, 2 * 1609.344)
    assert got.symmetric_difference(want).area / want.area < 1e-6
    # every vertex of the buffer is 2 miles from the square (checked with the core)
    pts = shapely.get_coordinates(got)[::11]
    d = geoconflict.distance(
        pts[:, 0], pts[:, 1], *shapely.get_coordinates(poly.exterior.interpolate(0)).T
    )
    assert (d > 3000).all()


def test_min_max_and_fan_data_defined(run, tmp_path):
    src = _points(
        "memory",
        tmp_path,
        sites=SITES[:2],
        lo=[0.0, 20.0],
        hi=[30.0, 70.0],
        az=[350.0, 45.0],
    )
    res = run(
        "minmaxrange",
        {
            "INPUT": src,
            "MIN_RANGE": QgsProperty.fromField("lo"),
            "MAX_RANGE": QgsProperty.fromField("hi"),
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = as_layer(res["OUTPUT"])
    feats = list(out.getFeatures())
    assert [(f["inner_km"], f["outer_km"]) for f in feats] == [(0, 30), (20, 70)]
    lon, lat = np.array(SITES[:2]).T
    core = min_max_ring(lon, lat, [0, 20_000], [30_000, 70_000])
    for g, want in zip(lonlat_shapely(out), core.geometry):
        assert g.symmetric_difference(want).area < 1e-9
    res = run(
        "rangefan",
        {
            "INPUT": src,
            "AZIMUTH_FROM": QgsProperty.fromField("az"),
            "AZIMUTH_TO": QgsProperty.fromExpression('"az" + 40'),
            "MIN_RANGE": 10,
            "MAX_RANGE": 50,
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = as_layer(res["OUTPUT"])
    feats = list(out.getFeatures())
    assert [f["width_deg"] for f in feats] == [40.0, 40.0]
    core = range_fan(lon, lat, [350, 45], [390, 85], 10_000, 50_000)
    for g, want in zip(lonlat_shapely(out), core.geometry):
        assert g.symmetric_difference(want).area < 1e-9


@pytest.mark.parametrize(
    ("alg", "params", "message"),
    [
        ("rangerings", {"RADII": "50, 10"}, "increasing"),
        ("rangerings", {"RADII": "10 kmz"}, "unknown length unit"),
        ("rangerings", {"RADII": " , "}, "no length in"),
        ("minmaxrange", {"MIN_RANGE": 60, "MAX_RANGE": 50}, "not smaller than"),
        ("geodesicbuffer", {"DISTANCE": 1e6, "UNITS": 1}, ""),
    ],
)
def test_bad_parameters_raise_clear_errors(run, tmp_path, alg, params, message):
    src = _points("memory", tmp_path, sites=SITES[:2])
    fb = Errors()
    with pytest.raises(QgsProcessingException) as info:
        run(alg, {"INPUT": src, "OUTPUT": "TEMPORARY_OUTPUT", **params}, feedback=fb)
    text = " ".join([str(info.value), *fb.errors])
    print(alg, "->", text)
    assert message in text, text


def test_cancel_is_honoured(run, tmp_path):
    src = _points("memory", tmp_path, sites=SITES[:2])
    fb = Errors()
    fb.cancel()
    with pytest.raises(QgsProcessingException):
        run(
            "rangerings",
            {"INPUT": src, "RADII": "10", "OUTPUT": "TEMPORARY_OUTPUT"},
            feedback=fb,
        )


def test_speed_25000_centres(run, capsys):
    rng = np.random.default_rng(5)
    pts = [
        shapely.Point(x, y)
        for x, y in zip(rng.uniform(35, 48, 25_000), rng.uniform(29, 37, 25_000))
    ]
    src = make_layer("memory", "Point", pts)

    class Timings(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):
            self.lines.append(info)

    fb = Timings()
    t0 = time.perf_counter()
    res = run(
        "rangerings",
        {"INPUT": src, "RADII": "10, 25, 50", "UNITS": 1, "OUTPUT": "TEMPORARY_OUTPUT"},
        feedback=fb,
    )
    elapsed = time.perf_counter() - t0
    assert as_layer(res["OUTPUT"]).featureCount() == 75_000
    with capsys.disabled():
        print(
            f"\nrange rings: 25,000 centres x 3 rings through processing.run in {elapsed:.2f} s"
            f" ({'; '.join(x for x in fb.lines if x.endswith(' s.'))})"
        )
