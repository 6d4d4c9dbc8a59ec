"""Borders, boundaries and places algorithms against the core and QgsDistanceArea."""

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
)

from geoconflict.geodesy.measurement import distance
from geoconflict.geography import borders, boundaries

from .layers import as_layer, lonlat_shapely, make_layer

ABU_KAMAL = (40.91854, 34.45226)
AL_QAIM = (41.0936, 34.3768)
TANF = (38.6178, 33.5058)
KATZRIN = (35.69, 32.99)
DAHIEH = (35.51, 33.85)


def _da():
    da = QgsDistanceArea()
    da.setSourceCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance().transformContext(),
    )
    da.setEllipsoid("EPSG:7030")
    return da


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32637"])
def test_distance_to_border(run, tmp_path, crs):
    pts = [ABU_KAMAL, AL_QAIM, TANF]
    src = make_layer(
        "gpkg",
        "Point",
        [shapely.Point(p) for p in pts],
        {"name": ["abu kamal", "al qaim", "tanf"]},
        crs,
        tmp_path,
    )
    res = run(
        "distancetoborder",
        {
            "INPUT": src,
            "COUNTRY_A": "IRQ",
            "COUNTRY_B": "Syria",
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "LINES": "TEMPORARY_OUTPUT",
        },
    )
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    assert as_layer(res["OUTPUT"]).crs().authid() == crs  # attributes added in place
    assert 6500 < out[0]["distance_m"] < 7000
    assert [f["side"] for f in out] == ["SYR", "IRQ", "SYR"]
    assert out[0]["border"] == "IRQ-SYR"
    assert out[0]["low_m"] == pytest.approx(out[0]["distance_m"] - 3000)
    assert out[0]["high_m"] == pytest.approx(out[0]["distance_m"] + 3000)
    core = borders.distance_to_border(*np.array(pts).T, "IRQ", "SYR")
    line = borders.border("IRQ", "SYR")
    da = _da()
    for f, p, d in zip(out, pts, core.distance_m):
        assert f["distance_m"] == pytest.approx(d, abs=1e-3)
        assert f["distance_km"] == pytest.approx(d / 1000, abs=1e-6)
        near = (f["near_lon"], f["near_lat"])
        # on the border (edges are geodesics, so up to ~1 m off the straight segment)
        assert shapely.Point(near).distance(line) < 2e-5
        assert da.measureLine(QgsPointXY(*p), QgsPointXY(*near)) == pytest.approx(
            d, abs=1e-3
        )
    lines = lonlat_shapely(as_layer(res["LINES"]))
    assert len(lines) == 3
    ends = shapely.get_coordinates(lines[0])
    assert ends[0] == pytest.approx(ABU_KAMAL, abs=1e-7)
    assert ends[-1] == pytest.approx((out[0]["near_lon"], out[0]["near_lat"]), abs=1e-9)


def test_nearest_border_of_any_country(run):
    src = make_layer("memory", "Point", [shapely.Point(TANF)])
    out = next(
        as_layer(
            run(
                "distancetoborder",
                {
                    "INPUT": src,
                    "COUNTRY_A": "",
                    "COUNTRY_B": "",
                    "UNITS": 0,
                    "OUTPUT": "TEMPORARY_OUTPUT",
                },
            )["OUTPUT"]
        ).getFeatures()
    )
    assert out["border"] in ("IRQ-SYR", "JOR-SYR")
    assert 19_000 < out["distance_m"] < 23_000


def test_distance_to_border_bad_country(run):
    src = make_layer("memory", "Point", [shapely.Point(TANF)])
    with pytest.raises(QgsProcessingException) as info:
        run(
            "distancetoborder",
            {
                "INPUT": src,
                "COUNTRY_A": "IRQ",
                "COUNTRY_B": "Syriaa",
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    assert "Syria" in str(info.value)
    with pytest.raises(QgsProcessingException) as info:
        run(
            "distancetoborder",
            {
                "INPUT": src,
                "COUNTRY_A": "IRQ",
                "COUNTRY_B": "",
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    assert "both countries" in str(info.value)


def test_reverse_geocode(run):
    pts = [ABU_KAMAL, AL_QAIM, KATZRIN, DAHIEH, (34.0, 34.0)]
    src = make_layer("memory", "Point", [shapely.Point(p) for p in pts])
    out = list(
        as_layer(
            run("reversegeocode", {"INPUT": src, "OUTPUT": "TEMPORARY_OUTPUT"})[
                "OUTPUT"
            ]
        ).getFeatures()
    )
    assert [f["country"] for f in out[:4]] == ["SYR", "IRQ", "ISR", "LBN"]
    assert out[2]["status"] == "ISR, disputed: claimed by SYR"
    assert out[2]["disputed_area"] == "Golan Heights"
    assert out[1]["province"] == "IQ-AN"
    from qgis.core import NULL

    assert out[4]["country"] in (None, NULL)  # at sea
    assert out[4]["province"] in (None, NULL)


def test_border_zone_one_side(run):
    res = run(
        "borderzone",
        {
            "COUNTRY_A": "IRQ",
            "COUNTRY_B": "SYR",
            "WIDTH": 10,
            "UNITS": 1,
            "SIDE": "SYR",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    layer = as_layer(res["OUTPUT"])
    zone = lonlat_shapely(layer)[0]
    assert zone.is_valid
    f = next(layer.getFeatures())
    assert (f["side"], f["width_m"], f["border"]) == ("SYR", 10_000, "IRQ-SYR")
    # Abu Kamal (6.7 km, Syrian side) is inside; al-Qaim (Iraqi side) is not
    assert zone.contains(shapely.Point(ABU_KAMAL))
    assert not zone.contains(shapely.Point(AL_QAIM))
    # vertices are within 10 km of the border (+ tolerance)
    verts = shapely.get_coordinates(zone)[::25]
    core = borders.distance_to_border(verts[:, 0], verts[:, 1], "IRQ", "SYR")
    assert core.distance_m.max() < 10_000 + 15


def test_load_boundaries_and_places(run):
    res = run("loadboundaries", {"LAYER": 0, "OUTPUT": "TEMPORARY_OUTPUT"})
    countries = as_layer(res["OUTPUT"])
    assert countries.featureCount() == len(boundaries.countries())
    res = run("loadboundaries", {"LAYER": 2, "OUTPUT": "TEMPORARY_OUTPUT"})
    disputed = {f["name"]: f for f in as_layer(res["OUTPUT"]).getFeatures()}
    assert disputed["Golan Heights"]["administered_by"] == "ISR"
    res = run(
        "loadboundaries",
        {
            "LAYER": 3,
            "COUNTRY_A": "IRQ",
            "COUNTRY_B": "SYR",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    f = next(as_layer(res["OUTPUT"]).getFeatures())
    assert 550 < f["length_km"] < 650
    res = run("loadplaces", {"NAME": "Abu Kamal", "OUTPUT": "TEMPORARY_OUTPUT"})
    places = list(as_layer(res["OUTPUT"]).getFeatures())
    assert len(places) >= 2
    assert {p["source"] for p in places} >= {"geonames", "naturalearth"}
    for p in places:
        q = p.geometry().asPoint()
        assert distance(q.x(), q.y(), *ABU_KAMAL) < 5000
    res = run("loadplaces", {"NAME": "", "OUTPUT": "TEMPORARY_OUTPUT"})
    assert res["N_PLACES"] >= 3


def test_rendered_border_map(run, tmp_path):
    """Countries, disputed areas (hatched), the 10 km strip, distances and rings, rendered."""
    from qgis.core import QgsCoordinateTransform, QgsRectangle

    from .test_render import IMG, ROOT, _close, _pixel, _render, _styled

    sites = make_layer(
        "gpkg",
        "Point",
        [shapely.Point(p) for p in (ABU_KAMAL, AL_QAIM, TANF)],
        {
            "site_name": ["Abu Kamal", "Al Qaim", "al-Tanf"],
            "attribution_status": ["claimed", "denied", "unknown"],
        },
        "EPSG:4326",
        tmp_path,
    )
    region = "30,50,28,40 [EPSG:4326]"  # keeps far-away countries out of the UTM map
    countries = _styled(
        run(
            "loadboundaries",
            {"LAYER": 0, "EXTENT": region, "OUTPUT": "TEMPORARY_OUTPUT"},
        )["OUTPUT"],
        "countries.qml",
    )
    assert {f["iso3"] for f in countries.getFeatures()} >= {"IRQ", "SYR", "JOR", "LBN"}
    assert "FRA" not in {f["iso3"] for f in countries.getFeatures()}
    disputed = _styled(
        run(
            "loadboundaries",
            {"LAYER": 2, "EXTENT": region, "OUTPUT": "TEMPORARY_OUTPUT"},
        )["OUTPUT"],
        "disputed.qml",
    )
    zone = _styled(
        run(
            "borderzone",
            {
                "COUNTRY_A": "IRQ",
                "COUNTRY_B": "SYR",
                "WIDTH": 10,
                "UNITS": 1,
                "SIDE": "SYR",
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )["OUTPUT"],
        "zone.qml",
    )
    rings = _styled(
        run(
            "rangerings",
            {
                "INPUT": sites,
                "RADII": "50, 100",
                "UNITS": 1,
                "KIND": 1,
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )["OUTPUT"],
        "rings_lines.qml",
    )
    dist = run(
        "distancetoborder",
        {
            "INPUT": sites,
            "COUNTRY_A": "IRQ",
            "COUNTRY_B": "SYR",
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "LINES": "TEMPORARY_OUTPUT",
        },
    )
    lines = as_layer(dist["LINES"])
    pts = _styled(sites, "sites.qml")
    assert disputed.renderer().symbol().symbolLayer(1).layerType() == "LinePatternFill"
    crs = QgsCoordinateReferenceSystem("EPSG:32637")
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance()
    )
    extent = tr.transformBoundingBox(QgsRectangle(34.8, 31.8, 43.2, 36.6))
    image, settings = _render(
        [pts, lines, rings, zone, disputed, countries], crs, extent, size=(1000, 760)
    )
    out = IMG / "qgis-borders.png"
    assert image.save(str(out), "PNG")
    # the Syrian-side strip (green, 40 %) 5 km west of the border near Abu Kamal... use
    # the nearest border point and step 5 km into Syria along the connector
    zgeom = lonlat_shapely(zone)[0]
    assert not zgeom.is_empty
    probe = zgeom.intersection(shapely.box(41.2, 35.0, 42.0, 36.0)).point_on_surface()
    x, y = probe.x, probe.y
    got = _pixel(image, settings, (x, y))
    assert _close(
        got,
        tuple(
            round(0.4 * a + 0.6 * b)
            for a, b in zip((0x31, 0xA3, 0x54), (0xF2, 0xEF, 0xE9))
        ),
        tol=16,
    ), got.name()
    # plain land in the Iraqi desert: the country fill
    assert _close(_pixel(image, settings, (42.8, 32.3)), (0xF2, 0xEF, 0xE9), tol=6)
    # the Golan Heights are hatched: both hatch-purple and background pixels nearby
    g = [
        _pixel(image, settings, (35.75 + dx * 0.01, 33.0 + dy * 0.01))
        for dx in range(-4, 5)
        for dy in range(-4, 5)
    ]
    assert any(c.red() > 100 and c.green() < 80 for c in g)
    assert any(c.green() > 200 for c in g)
    print(f"\nsaved {out.relative_to(ROOT)}")
