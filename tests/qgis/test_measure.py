"""geoconflict:geodesicmeasure against the core and QgsDistanceArea (WGS84)."""

import numpy as np
import pytest
import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsDistanceArea, QgsProject

import geoconflict

from .layers import as_layer, make_layer

LINES = [
    shapely.LineString([(40.9, 34.45), (41.2, 33.4), (38.8, 33.4)]),
    shapely.LineString([(179.5, -16.0), (180.5, -16.5)]),  # crosses the antimeridian
    shapely.LineString([(10.0, 60.0), (30.0, 70.0)]),
]
POLYS = [
    shapely.box(40.0, 33.0, 41.0, 34.0),
    shapely.Polygon([(35.7, 33.0), (35.9, 33.0), (35.9, 33.2), (35.7, 33.2)]),
]


def _qgis_da(crs):
    da = QgsDistanceArea()
    da.setSourceCrs(
        QgsCoordinateReferenceSystem(crs), QgsProject.instance().transformContext()
    )
    da.setEllipsoid("EPSG:7030")
    return da


@pytest.mark.parametrize("kind", ["memory", "gpkg", "shp"])
@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32637"])
def test_lengths_match_core_and_qgis(run, tmp_path, kind, crs):
    lines = LINES if crs == "EPSG:4326" else LINES[:1]
    src = make_layer(
        kind,
        "LineString",
        lines,
        {"name": ["a", "b", "c"][: len(lines)]},
        crs,
        tmp_path,
    )
    res = run(
        "geodesicmeasure", {"INPUT": src, "UNITS": 1, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    out = as_layer(res["OUTPUT"])
    feats = list(out.getFeatures())
    assert len(feats) == len(lines)
    got = np.array([f["length_km"] for f in feats])
    core = geoconflict.length(np.array(lines, dtype=object)) / 1000
    np.testing.assert_allclose(
        got, core, rtol=0, atol=1e-6 if crs == "EPSG:4326" else 1e-3
    )
    da = _qgis_da(crs)
    qgis_km = np.array(
        [da.measureLength(f.geometry()) / 1000 for f in src.getFeatures()]
    )
    # QgsDistanceArea splits at the antimeridian itself; both are geodesic lengths
    np.testing.assert_allclose(got, qgis_km, rtol=1e-6)
    assert [f["name"] for f in feats] == ["a", "b", "c"][: len(lines)]


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_areas_match_core_and_qgis(run, tmp_path, crs):
    src = make_layer("memory", "Polygon", POLYS, crs=crs)
    res = run(
        "geodesicmeasure", {"INPUT": src, "UNITS": 0, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    got = np.array([f["area_m2"] for f in as_layer(res["OUTPUT"]).getFeatures()])
    core = geoconflict.area(np.array(POLYS, dtype=object))
    np.testing.assert_allclose(got, core, rtol=1e-5)
    da = _qgis_da(crs)
    qgis = np.array([da.measureArea(f.geometry()) for f in src.getFeatures()])
    np.testing.assert_allclose(got, qgis, rtol=1e-3)  # QGIS's area is approximate


def test_project_ellipsoid_is_used(run):
    src = make_layer("memory", "LineString", LINES[:1])
    wgs = run(
        "geodesicmeasure", {"INPUT": src, "UNITS": 0, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    intl = run(
        "geodesicmeasure",
        {"INPUT": src, "UNITS": 0, "OUTPUT": "TEMPORARY_OUTPUT"},
        ellipsoid="EPSG:7022",  # International 1924
    )
    a = next(as_layer(wgs["OUTPUT"]).getFeatures())["length_m"]
    b = next(as_layer(intl["OUTPUT"]).getFeatures())["length_m"]
    expect = geoconflict.length(LINES[0], ellps="intl")
    assert b == pytest.approx(expect, abs=1e-3)
    assert abs(a - b) > 1.0
    none = run(
        "geodesicmeasure",
        {"INPUT": src, "UNITS": 0, "OUTPUT": "TEMPORARY_OUTPUT"},
        ellipsoid="NONE",
    )
    assert next(as_layer(none["OUTPUT"]).getFeatures())["length_m"] == pytest.approx(
        a, abs=1e-6
    )
