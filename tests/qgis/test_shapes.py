"""Lines of bearing, ellipses and arcs: every vertex checked with QgsDistanceArea.

The oracle is QGIS's own ellipsoidal measurement (``QgsDistanceArea`` on WGS84),
independent of pyproj, which computes the shapes.  Values come from fields
(data-defined), one shape per point, as Shape Tools does it.  Runs in both
``make test-qgis`` runs (no shapely needed).
"""

from __future__ import annotations

import math

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsPointXY,
    QgsProject,
    QgsProperty,
)

from geoconflict import _geom

from .layers import features, make_layer

SITES = [(40.9186, 34.4522), (179.95, -17.0), (-70.0, 60.0)]
TOL_M = 2e-3  # QgsDistanceArea's own algorithm against pyproj's Karney solution


@pytest.fixture(scope="module")
def da(provider):
    d = QgsDistanceArea()
    d.setSourceCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance().transformContext(),
    )
    assert d.setEllipsoid("EPSG:7030")
    return d


@pytest.fixture(scope="module")
def sites(provider):
    return make_layer(
        "memory",
        "Point",
        [_geom.point(*p) for p in SITES],
        {
            "name": ["bukamal", "fiji", "north"],
            "az": [45.0, 90.0, 300.0],
            "len_km": [120.0, 80.0, 500.0],
            "a_km": [20.0, 5.0, 60.0],
            "b_km": [8.0, 5.0, 10.0],
            "theta": [30.0, 0.0, 135.0],
        },
    )


def _vertices(feat):
    g = feat.geometry()
    return [QgsPointXY(v.x(), v.y()) for v in g.vertices()]


def _dist(da, a, b):
    # across the antimeridian QgsDistanceArea needs continuous longitudes
    if b.x() - a.x() > 180:
        b = QgsPointXY(b.x() - 360, b.y())
    elif a.x() - b.x() > 180:
        b = QgsPointXY(b.x() + 360, b.y())
    return da.measureLine(a, b)


def _bearing(da, a, b):
    if b.x() - a.x() > 180:
        b = QgsPointXY(b.x() - 360, b.y())
    elif a.x() - b.x() > 180:
        b = QgsPointXY(b.x() + 360, b.y())
    return math.degrees(da.bearing(a, b)) % 360.0


def _angle_diff(x, y):
    return abs((x - y + 180.0) % 360.0 - 180.0)


def test_lines_of_bearing_from_fields(run, sites, da):
    res = run(
        "linesofbearing",
        {
            "INPUT": sites,
            "AZIMUTH": QgsProperty.fromField("az"),
            "LENGTH": QgsProperty.fromField("len_km"),
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    feats = features(res["OUTPUT"])
    assert [f["name"] for f in feats] == ["bukamal", "fiji", "north"]
    for f, (lon, lat) in zip(feats, SITES):
        start = QgsPointXY(lon, lat)
        verts = _vertices(f)
        assert verts[0] == start
        assert f["length_km"] == f["len_km"]
        assert f["azimuth"] == f["az"]
        assert _dist(da, start, verts[-1]) == pytest.approx(
            f["len_km"] * 1000, abs=TOL_M
        )
        for v in verts[1:]:  # every vertex on the geodesic from the start
            assert _angle_diff(_bearing(da, start, v), f["az"]) < 1e-6
    assert feats[1].geometry().isMultipart()  # fiji: cut at the antimeridian
    assert len(feats[1].geometry().asGeometryCollection()) == 2


def test_ellipses_every_vertex_at_the_polar_radius(run, sites, da):
    scale = math.sqrt(-2.0 * math.log(1 - 0.95))
    res = run(
        "ellipses",
        {
            "INPUT": sites,
            "SEMI_MAJOR": QgsProperty.fromField("a_km"),
            "SEMI_MINOR": QgsProperty.fromField("b_km"),
            "ORIENTATION": QgsProperty.fromField("theta"),
            "UNITS": 1,
            "CONFIDENCE": 3,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    feats = features(res["OUTPUT"])
    assert len(feats) == 3
    for f, (lon, lat) in zip(feats, SITES):
        a, b = f["a_km"] * 1000 * scale, f["b_km"] * 1000 * scale
        assert f["semi_major_km"] == pytest.approx(a / 1000, rel=1e-12)
        assert f["confidence"] == pytest.approx(0.95)
        centre = QgsPointXY(lon, lat)
        verts = _vertices(f)
        assert len(verts) >= 64
        on_ring = 0
        for v in verts:
            if abs(abs(v.x()) - 180.0) < 1e-9:
                continue  # a vertex added where the ring is cut at the antimeridian
            phi = math.radians(_bearing(da, centre, v) - f["theta"])
            r = a * b / math.hypot(b * math.cos(phi), a * math.sin(phi))
            assert _dist(da, centre, v) == pytest.approx(r, abs=TOL_M)
            on_ring += 1
        assert on_ring >= 64
        # the area is the ellipse's (pi a b), within the chord tolerance (0.1 %)
        assert da.measureArea(f.geometry()) == pytest.approx(math.pi * a * b, rel=3e-3)


def test_arcs_vertices_at_radius_between_the_azimuths(run, sites, da):
    res = run(
        "arcs",
        {
            "INPUT": sites,
            "RADIUS": QgsProperty.fromField("len_km"),
            "AZIMUTH_FROM": 350,
            "AZIMUTH_TO": 20,
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    feats = features(res["OUTPUT"])
    for f, (lon, lat) in zip(feats, SITES):
        centre = QgsPointXY(lon, lat)
        verts = _vertices(f)
        assert f["sweep"] == 30.0
        bearings = [_bearing(da, centre, v) for v in verts]
        assert _angle_diff(bearings[0], 350.0) < 1e-6
        assert _angle_diff(bearings[-1], 20.0) < 1e-6
        for v, brg in zip(verts, bearings):
            if abs(abs(v.x()) - 180.0) < 1e-9:
                continue  # a vertex added where the arc is cut at the antimeridian
            assert _dist(da, centre, v) == pytest.approx(f["len_km"] * 1000, abs=TOL_M)
            assert _angle_diff(brg, 5.0) <= 15.0 + 1e-6


def test_rings_by_count_and_spacing(run, sites, da):
    """5 rings every 12 km: the radii 12..60 km, each ring's vertices at its radius."""
    res = run(
        "rangerings",
        {
            "INPUT": sites,
            "RADII": "1",  # ignored: a number of rings is given
            "RING_COUNT": 5,
            "RING_SPACING": 12,
            "UNITS": 1,
            "KIND": 1,  # lines: the circles themselves
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    feats = [f for f in features(res["OUTPUT"]) if f["name"] == "bukamal"]
    assert [f["outer_km"] for f in feats] == [12, 24, 36, 48, 60]
    centre = QgsPointXY(*SITES[0])
    for f in feats:
        for v in _vertices(f):
            assert _dist(da, centre, v) == pytest.approx(f["outer_m"], abs=TOL_M)


def test_rings_spacing_must_be_positive(run, sites):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Ring spacing must be a positive"):
        run(
            "rangerings",
            {
                "INPUT": sites,
                "RING_COUNT": 3,
                "RING_SPACING": 0,
                "UNITS": 1,
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )


def _loaded_layer(alg, params, name="OUTPUT"):
    """Run `alg` as the toolbox does (loading the output) and post-process the layer."""
    import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingOutputLayerDefinition,
        QgsProcessingUtils,
    )

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    params = {
        **params,
        name: QgsProcessingOutputLayerDefinition(
            "TEMPORARY_OUTPUT", QgsProject.instance()
        ),
    }
    res = processing.run(
        f"geoconflict:{alg}", params, context=context, feedback=feedback
    )
    layer = res[name]  # processing.run hands temporary outputs back as layers
    if isinstance(layer, str):
        layer = QgsProcessingUtils.mapLayerFromString(layer, context)
    assert context.willLoadLayerOnCompletion(layer.id())
    details = context.layerToLoadOnCompletionDetails(layer.id())
    details.postProcessor().postProcessLayer(layer, context, feedback)
    return details, layer


def test_output_layers_are_named_after_what_they_hold(provider):
    one = make_layer(
        "memory", "Point", [_geom.point(40.9186, 34.4522)], {"name": ["al-Bukamal"]}
    )
    _, layer = _loaded_layer(
        "rangerings", {"INPUT": one, "RADII": "10, 25, 50", "UNITS": 1}
    )
    assert layer.name() == "Range rings 10, 25, 50 km – al-Bukamal"
    assert layer.renderer().type() == "graduatedSymbol"  # the shipped style too
    # one class per ring, labelled with its radius, innermost darkest
    ranges = layer.renderer().ranges()
    assert [r.label() for r in ranges] == ["10 km", "25 km", "50 km"]
    assert [(r.lowerValue(), r.upperValue()) for r in ranges] == [
        (0.5, 1.5),
        (1.5, 2.5),
        (2.5, 3.5),
    ]
    light = [r.symbol().color().lightness() for r in ranges]
    assert light == sorted(light)
    assert light[0] < light[-1]
    _, layer = _loaded_layer(
        "ellipses",
        {"INPUT": one, "SEMI_MAJOR": 3, "SEMI_MINOR": 1, "UNITS": 1, "CONFIDENCE": 3},
    )
    assert layer.name() == "Uncertainty ellipses 95% – al-Bukamal"


def test_osm_boundaries_credit_openstreetmap(provider):
    from geoconflict.geography import boundaries

    osm = boundaries.DATASETS.index("osm")
    _, layer = _loaded_layer(
        "loadboundaries",
        {"LAYER": 0, "DATASET": osm, "EXTENT": "38,42,32,36 [EPSG:4326]"},
    )
    assert layer.name() == "Countries (osm)"
    assert "© OpenStreetMap contributors" in layer.attribution()
    assert any("OpenStreetMap" in r for r in layer.metadata().rights())
    _, layer = _loaded_layer(
        "loadboundaries", {"LAYER": 0, "EXTENT": "38,42,32,36 [EPSG:4326]"}
    )
    assert layer.attribution() == ""  # Natural Earth: public domain, no credit claimed


def test_distance_to_border_is_labelled_and_logged(provider):
    import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingOutputLayerDefinition,
        QgsProcessingUtils,
    )

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):
            self.lines.append(info)

    one = make_layer(
        "memory", "Point", [_geom.point(40.9186, 34.4522)], {"name": ["al-Bukamal"]}
    )
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    log = Log()
    out = QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", QgsProject.instance())
    res = processing.run(
        "geoconflict:distancetoborder",
        {
            "INPUT": one,
            "COUNTRY_A": "IRQ",
            "COUNTRY_B": "SYR",
            "UNITS": 1,
            "OUTPUT": out,
        },
        context=context,
        feedback=log,
    )
    layer = res["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsProcessingUtils.mapLayerFromString(layer, context)
    details = context.layerToLoadOnCompletionDetails(layer.id())
    details.postProcessor().postProcessLayer(layer, context, log)
    (f,) = layer.getFeatures()
    km = f["distance_km"]
    assert layer.name() == "Distance to the IRQ-SYR border (ne)"
    assert layer.labelsEnabled()
    expr = layer.labeling().settings().fieldName
    assert expr == "format_number(\"distance_km\", 1) || ' km'"
    line = next(x for x in log.lines if x.startswith("al-Bukamal:"))
    assert f"{km:,.3f} km to the IRQ-SYR border" in line


def test_ring_tolerance_parameter(run, sites, da):
    """A finer tolerance gives more vertices, each still exactly at the radius."""
    counts = {}
    for tol in (0, 1):
        res = run(
            "rangerings",
            {
                "INPUT": sites,
                "RADII": "50",
                "UNITS": 1,
                "KIND": 1,
                "TOLERANCE": tol,
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
        (f, *_) = features(res["OUTPUT"])
        verts = _vertices(f)
        counts[tol] = len(verts)
        centre = QgsPointXY(*SITES[0])
        for v in verts:
            assert _dist(da, centre, v) == pytest.approx(50_000, abs=TOL_M)
    assert counts[1] > 3 * counts[0]  # 1 m instead of the default 50 m


def test_twelve_rings_get_twelve_classes(run, sites):
    from geoconflict_qgis.algorithms.base import one_class_per_ring, style_path

    res = run(
        "rangerings",
        {
            "INPUT": sites,
            "RING_COUNT": 12,
            "RING_SPACING": 5,
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    layer = res["OUTPUT"]
    layer.loadNamedStyle(style_path("rings.qml"))
    assert len(layer.renderer().ranges()) == 8  # as shipped
    assert one_class_per_ring(layer)
    ranges = layer.renderer().ranges()
    assert [r.label() for r in ranges] == [f"{5 * k} km" for k in range(1, 13)]
    light = [r.symbol().color().lightness() for r in ranges]
    assert light == sorted(light)
