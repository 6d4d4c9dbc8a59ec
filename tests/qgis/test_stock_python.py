"""The plugin on a stock QGIS Python: numpy, pyproj, PyQt and qgis.core, no shapely.

``make test-qgis`` runs this file (with the GeoPackage round trip of every
algorithm, the provider, GUI and events tests) with Debian's plain
``/usr/bin/python3``, no venv and no pip package: what a QGIS user on Debian 12
or Ubuntu 22.04 has.  The geometry backend is then QGIS's own GEOS.  The venv run
leaves this file out (``--ignore``); run alone where shapely is installed, its tests
skip.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsVectorLayer

from geoconflict import _geom

from .test_gpkg_roundtrip import ALG_NAMES

ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
STOCK = importlib.util.find_spec("shapely") is None

stock_only = pytest.mark.skipif(
    not STOCK, reason="shapely is installed: not a stock QGIS Python"
)


@stock_only
def test_this_python_is_stock():
    assert not _geom.HAVE_SHAPELY
    assert _geom.backend() == "qgis"
    assert importlib.util.find_spec("numba") is None


@stock_only
def test_every_algorithm_registers(provider):
    assert sorted(a.name() for a in provider.algorithms()) == sorted(ALG_NAMES)


@stock_only
def test_no_dependency_message(plugin):
    from geoconflict_qgis import InertPlugin, _deps

    assert not isinstance(plugin, InertPlugin)
    assert _deps.problems() == []


def _qgis_process(args, env, timeout=180):
    out = subprocess.run(
        [QGIS_PROCESS, *args], capture_output=True, text=True, env=env, timeout=timeout
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


@pytest.fixture(scope="module")
def process_env(tmp_path_factory):
    """qgis_process with the source-tree plugin enabled in a throw-away profile.

    Only the repository on PYTHONPATH: the core and Debian's numpy and pyproj.
    (``qgis_process`` is the wrapper that passes ``--noversioncheck``, which 3.22
    rejects: the binary is ``qgis_process.bin``, QGIS issue #57683.)
    """
    tmp = tmp_path_factory.mktemp("process")
    plugins = tmp / "plugins"
    plugins.mkdir()
    (plugins / "geoconflict_qgis").symlink_to(ROOT / "qgis_plugin")
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(plugins),
        HOME=str(tmp / "home"),
        PYTHONPATH=str(ROOT),
    )
    _qgis_process(["plugins", "enable", "geoconflict_qgis"], env, timeout=120)
    return env


@stock_only
def test_qgis_process_lists_and_runs(process_env, tmp_path):
    listing = _qgis_process(["list"], process_env, timeout=120)
    for name in ALG_NAMES:
        assert f"geoconflict:{name}" in listing, name
    sites = tmp_path / "sites.geojson"
    sites.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": n},
                        "geometry": {"type": "Point", "coordinates": c},
                    }
                    for n, c in (("fiji", [179.9, -17.0]), ("bukamal", [40.92, 34.45]))
                ],
            }
        )
    )
    rings = tmp_path / "rings.gpkg"
    _qgis_process(
        [
            "run",
            "geoconflict:rangerings",
            "--",
            f"INPUT={sites}",
            "RADII=25, 50",
            "UNITS=1",
            f"OUTPUT={rings}",
        ],
        process_env,
    )
    feats = list(QgsVectorLayer(str(rings), "r", "ogr").getFeatures())
    assert [f["outer_km"] for f in feats] == [25, 50, 25, 50]
    from geoconflict.geodesy.measurement import area
    from geoconflict.geodesy.ranges import range_rings

    want = range_rings([179.9, 40.92], [-17.0, 34.45], [25_000, 50_000], kind="band")
    got = [_geom.from_wkb(bytes(f.geometry().asWkb())) for f in feats]
    np.testing.assert_allclose(area(got), area(want.geometry), rtol=1e-9)
    zone = tmp_path / "zone.gpkg"
    _qgis_process(
        [
            "run",
            "geoconflict:borderzone",
            "--",
            "COUNTRY_A=IRQ",
            "COUNTRY_B=SYR",
            "WIDTH=10",
            f"OUTPUT={zone}",
        ],
        process_env,
        timeout=300,
    )
    (f,) = QgsVectorLayer(str(zone), "z", "ogr").getFeatures()
    km2 = area(_geom.from_wkb(bytes(f.geometry().asWkb()))) / 1e6
    assert 11_000 < km2 < 13_000, km2  # ~600 km of border x 2 x 10 km
