"""The two geometry backends give the same outputs, for every algorithm (issue #16).

Every case of :mod:`tests.qgis.test_gpkg_roundtrip` (each algorithm of the
provider, GeoPackage in and out) runs twice in fresh processes, once with
shapely's GEOS and once with QGIS's own GEOS (``GEOCONFLICT_GEOMETRY``), and the
outputs are compared feature by feature: same geometry type, geometries within
1e-9 degrees (Hausdorff distance), same attributes, same raster cells.  Needs
shapely >= 2 (the venv run of ``make test-qgis``); the run on Debian's plain
Python checks the QGIS backend alone (test_stock_python.py).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsGeometry, QgsVectorLayer

from geoconflict import _geom

from .test_gpkg_roundtrip import ALG_NAMES

ROOT = Path(__file__).resolve().parents[2]
TOL_DEG = 1e-9

pytestmark = pytest.mark.skipif(
    not _geom.HAVE_SHAPELY, reason="comparing needs shapely >= 2 for the other backend"
)


def _run(backend, outdir):
    env = dict(os.environ, GEOCONFLICT_GEOMETRY=backend, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "tests.qgis.backend_run", str(outdir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    manifest = outdir / "manifest.json"
    assert manifest.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(manifest.read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return {b: _run(b, tmp_path_factory.mktemp(b)) for b in _geom.BACKENDS}


def test_each_run_used_its_backend_and_ran_everything(runs):
    for backend, m in runs.items():
        assert m["backend"] == backend
        assert m["errors"] == {}, m["errors"]
        assert set(m["outputs"]) == set(ALG_NAMES)


def _same_value(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _raster(path):
    from osgeo import gdal

    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    data = np.frombuffer(
        band.ReadRaster(
            0, 0, ds.RasterXSize, ds.RasterYSize, buf_type=gdal.GDT_Float64
        ),
        dtype=np.float64,
    )
    return ds.GetGeoTransform(), data


@pytest.mark.parametrize("alg", ALG_NAMES)
def test_same_outputs(runs, alg):
    a, b = runs["shapely"]["outputs"][alg], runs["qgis"]["outputs"][alg]
    assert set(a) == set(b)
    for name in a:
        if a[name].endswith(".tif"):
            (ga, da), (gb, db) = _raster(a[name]), _raster(b[name])
            assert ga == gb
            assert np.array_equal(np.isnan(da), np.isnan(db))
            ok = ~np.isnan(da)
            np.testing.assert_allclose(da[ok], db[ok], rtol=1e-9, atol=1e-9)
            continue
        la, lb = (
            QgsVectorLayer(a[name], "a", "ogr"),
            QgsVectorLayer(b[name], "b", "ogr"),
        )
        assert la.isValid()
        assert lb.isValid()
        assert la.fields().names() == lb.fields().names()
        assert la.wkbType() == lb.wkbType()
        fa, fb = list(la.getFeatures()), list(lb.getFeatures())
        assert len(fa) == len(fb) > 0, (alg, name, len(fa), len(fb))
        for x, y in zip(fa, fb):
            where = f"{alg} {name} feature {x.id()}"
            for field, u, v in zip(la.fields().names(), x.attributes(), y.attributes()):
                assert _same_value(u, v), (where, field, u, v)
            gx, gy = x.geometry(), y.geometry()
            assert gx.isNull() == gy.isNull(), where
            if gx.isNull():
                continue
            assert gx.wkbType() == gy.wkbType(), where
            assert _hausdorff(gx, gy) <= TOL_DEG, (where, _hausdorff(gx, gy))


def _hausdorff(a: QgsGeometry, b: QgsGeometry) -> float:
    if a.isEmpty() and b.isEmpty():
        return 0.0
    return max(a.hausdorffDistance(b), b.hausdorffDistance(a))


# --------------------------------------------------------------------------- primitives


def _sample(rng):
    """Points, lines, polygons (with holes), multi-parts and empties, as WKB."""
    import shapely

    out = [shapely.Point(), shapely.Polygon(), shapely.LineString()]
    for _ in range(12):
        x, y = rng.uniform(-10, 10, 2)
        r = rng.uniform(0.5, 4)
        t = np.sort(rng.uniform(0, 2 * np.pi, rng.integers(3, 12)))
        ring = np.column_stack([x + r * np.cos(t), y + r * np.sin(t)])
        out.append(shapely.Polygon(ring))
        out.append(shapely.Point(x, y))
        out.append(shapely.LineString(ring[: max(2, len(ring) // 2)]))
    out.append(shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2)))
    out.append(shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]))
    out.append(shapely.MultiLineString([[(0, 0), (1, 1)], [(1, 1), (2, 0)]]))
    out.append(shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]))  # bow-tie: invalid
    return [shapely.to_wkb(g) for g in out]


def _in(backend, fn):
    old = _geom.use_backend(backend)
    try:
        return fn()
    finally:
        _geom.use_backend(old)


def _norm(g):
    """A backend-free view of a result: type, emptiness, area, length, bounds."""
    if isinstance(g, (bool, np.bool_)):
        return bool(g)
    b = [None] * 4 if g.is_empty else [round(float(v), 9) for v in _geom.bounds(g)]
    return (g.geom_type, g.is_empty, round(g.area, 9), round(g.length, 9), *b)


def test_primitives_agree():
    """Set operations, predicates and accessors: same answers from both backends."""
    wkbs = _sample(np.random.default_rng(16))
    pairs = [(a, b) for a in wkbs for b in wkbs[::3]]

    def ops():
        gs = [_geom.from_wkb(w) for w in wkbs]
        ps = [(_geom.from_wkb(a), _geom.from_wkb(b)) for a, b in pairs]
        valid = [g for g in gs if _geom.is_valid(g)]
        res = {
            "repair": [_norm(_geom.repair(g)) for g in gs],
            "orient": [_geom.to_wkb(_geom.orient(g)) for g in valid],
            "type_ids": _geom.type_ids(np.array(gs, dtype=object)).tolist(),
            "coords": _geom.get_coordinates(np.array(gs, dtype=object)).tolist(),
            "bounds": [
                [None if np.isnan(v) else round(float(v), 12) for v in row]
                for row in _geom.bounds(np.array(gs, dtype=object))
            ],
            # the core unions polygons only (buffers, zones, antimeridian pieces)
            "union_all": _norm(
                _geom.union_all([g for g in valid if g.geom_type.endswith("Polygon")])
            ),
        }
        for name in ("union", "intersection", "difference"):
            fn = getattr(_geom, name)
            res[name] = [
                _norm(fn(a, b))
                for a, b in ps
                if _geom.is_valid(a) and _geom.is_valid(b)
            ]
        for name in ("covers", "intersects", "contains_properly"):
            fn = getattr(_geom, name)
            res[name] = [
                bool(fn(a, b)) for a, b in ps if _geom.is_valid(a) and _geom.is_valid(b)
            ]
        return res

    want, got = _in("shapely", ops), _in("qgis", ops)
    for key in want:
        assert got[key] == want[key], key


def test_ragged_round_trip_agrees():
    import shapely

    lines = [
        shapely.LineString([(0, 0), (1, 1), (2, 0)]),
        shapely.LineString([(5, 5), (6, 6)]),
    ]
    polys = [
        shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2)),
        shapely.box(5, 5, 6, 6),
    ]
    for family in (lines, polys):
        wkbs = [shapely.to_wkb(g) for g in family]

        def rt(wkbs=wkbs):
            gs = _geom.from_wkb(np.array(wkbs, dtype=object))
            kind, coords, offsets = _geom.to_ragged(gs)
            back = _geom.from_ragged(kind, coords, offsets)
            return (
                coords.tolist(),
                [o.tolist() for o in offsets],
                list(_geom.to_wkb(back)),
            )

        assert _in("qgis", rt) == _in("shapely", rt)
