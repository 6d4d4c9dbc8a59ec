"""Exposure counts, nearest feature and points within distance, against QgsDistanceArea."""

import numpy as np
import pytest
import shapely
from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsPointXY,
    QgsProject,
    QgsProperty,
)

from .layers import as_layer, make_layer

RNG = np.random.default_rng(11)
SITES = [(40.91854, 34.45226), (41.02, 34.37), (38.6178, 33.5058)]
EV = np.column_stack([RNG.uniform(40.7, 41.2, 300), RNG.uniform(34.2, 34.6, 300)])


def _da():
    da = QgsDistanceArea()
    da.setSourceCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance().transformContext(),
    )
    da.setEllipsoid("EPSG:7030")
    return da


def _qgis_distances(a, b):
    da = _da()
    return np.array(
        [[da.measureLine(QgsPointXY(*p), QgsPointXY(*q)) for q in b] for p in a]
    )


@pytest.fixture
def layers(tmp_path):
    sites = make_layer(
        "gpkg",
        "Point",
        [shapely.Point(p) for p in SITES],
        {"name": ["bukamal", "qaim", "tanf"], "range_km": [3.0, 5.0, 1.0]},
        "EPSG:32637",
        tmp_path,
    )
    events = make_layer(
        "memory",
        "Point",
        [shapely.Point(p) for p in EV],
        {"killed": [int(x) for x in RNG.integers(0, 5, len(EV))]},
    )
    return sites, events


def test_exposure_counts_match_qgis_distances(run, layers):
    sites, events = layers
    res = run(
        "exposurecounts",
        {
            "INPUT": sites,
            "EVENTS": events,
            "RINGS": "1, 2, 5",
            "UNITS": 1,
            "WEIGHT": "killed",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    d = _qgis_distances(SITES, EV)
    killed = np.array([f["killed"] for f in events.getFeatures()])
    for i, f in enumerate(out):
        band = np.searchsorted([1000, 2000, 5000], d[i], side="left")
        want = [int((band == j).sum()) for j in range(3)]
        assert [f["events_0_1km"], f["events_1_2km"], f["events_2_5km"]] == want
        assert f["killed_2_5km"] == killed[band == 2].sum()
    assert out[2]["events_2_5km"] == 0  # al-Tanf is far from every event


def test_nearest_feature_matches_qgis(run, layers):
    sites, events = layers
    res = run(
        "nearestfeature",
        {
            "INPUT": events,
            "TARGETS": sites,
            "NEIGHBORS": 2,
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    assert len(out) == 2 * len(EV)
    d = _qgis_distances(EV, SITES)
    names = np.array(["bukamal", "qaim", "tanf"])
    order = np.argsort(d, axis=1)[:, :2]
    for j, f in enumerate(out):
        i, r = divmod(j, 2)
        assert f["rank"] == r + 1
        assert f["nearest_name"] == names[order[i, r]]
        assert f["distance_m"] == pytest.approx(d[i, order[i, r]], abs=1e-3)
        assert f["distance_km"] == pytest.approx(d[i, order[i, r]] / 1000, abs=1e-6)


def test_points_within_data_defined_distance(run, layers):
    sites, events = layers
    res = run(
        "pointswithindistance",
        {
            "INPUT": events,
            "CENTRES": sites,
            "DISTANCE": QgsProperty.fromField("range_km"),
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    d = _qgis_distances(EV, SITES)
    want = {
        (i, j) for i, j in zip(*np.nonzero(d <= np.array([3000.0, 5000.0, 1000.0])))
    }
    names = ["bukamal", "qaim", "tanf"]
    got = set()
    for f in out:
        p = f.geometry().asPoint()
        i = int(np.argmin(np.hypot(EV[:, 0] - p.x(), EV[:, 1] - p.y())))
        got.add((i, names.index(f["centre_name"])))
        assert f["distance_m"] == pytest.approx(
            d[i, names.index(f["centre_name"])], abs=1e-3
        )
    assert got == want
    assert res["N_PAIRS"] == len(want) > 0


def test_nearest_line_and_polygon_features(run, tmp_path):
    from geoconflict import distance_to

    targets = [
        shapely.LineString([(40.5, 34.0), (41.5, 34.0)]),  # a road
        shapely.box(40.95, 34.35, 41.05, 34.45),  # a compound
        shapely.LineString([(38.0, 33.0), (39.0, 33.2)]),
    ]
    tl = make_layer(
        "gpkg", "Polygon", [targets[1]], {"kind": ["compound"]}, "EPSG:32637", tmp_path
    )
    ll = make_layer(
        "memory", "LineString", [targets[0], targets[2]], {"kind": ["road", "far"]}
    )
    src = make_layer("memory", "Point", [shapely.Point(p) for p in EV[:40]])
    res = run(
        "nearestfeature",
        {
            "INPUT": src,
            "TARGETS": ll,
            "NEIGHBORS": 2,
            "UNITS": 0,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    d_road = distance_to(EV[:40, 0], EV[:40, 1], targets[0])
    d_far = distance_to(EV[:40, 0], EV[:40, 1], targets[2])
    for j, f in enumerate(out):
        i, r = divmod(j, 2)
        want = sorted([(d_road[i], "road"), (d_far[i], "far")])[r]
        assert f["nearest_kind"] == want[1]
        assert f["distance_m"] == pytest.approx(want[0], abs=1e-3)
    res = run(
        "nearestfeature",
        {
            "INPUT": src,
            "TARGETS": tl,
            "UNITS": 1,
            "MAX_DISTANCE": 20,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    d = distance_to(EV[:40, 0], EV[:40, 1], targets[1])
    for f, di in zip(out, d):
        if di <= 20_000:
            assert f["nearest_kind"] == "compound"
            assert f["distance_m"] == pytest.approx(di, abs=0.05)  # UTM round trip
        else:
            assert f["nearest_kind"] in (None, NULL)
