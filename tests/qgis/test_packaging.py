"""The built plugin zip, loaded the way QGIS loads plugins, and qgis_process."""

import ast
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
BANNED = ("geopandas", "pandas", "rasterio", "click", "pyogrio", "fiona", "matplotlib")
BANNED_CORE = (
    "geoconflict.raster",
    "geoconflict.cli",
    "geoconflict.maps",
)


def _qgis_process_pythonpath():
    """numpy and pyproj from Debian, shapely built against the system GEOS.

    qgis_process embeds the system Python and links QGIS's GEOS and PROJ: pip's
    pyproj wheel (its own PROJ) crashes it at exit, and a shapely wheel (its own
    GEOS) corrupts memory as soon as GEOS does real work.  So the test uses the
    setup docs/qgis.md recommends: Debian's numpy and pyproj, and shapely 2 built
    from source against the system GEOS (scripts/qgis_process_deps.sh, cached).
    """
    dest = Path(sys.prefix) / "qgis-process-deps"
    out = subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "qgis_process_deps.sh"),
            sys.executable,
            str(dest),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    """`make plugin`'s zip, unzipped into a plugins folder as QGIS's installer does."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_plugin
    finally:
        sys.path.pop(0)
    out = tmp_path_factory.mktemp("dist")
    zpath = build_plugin.main(["--out", str(out)])
    assert zpath.name == f"geoconflict_qgis-{build_plugin.version()}.zip"
    plugins = tmp_path_factory.mktemp("profile") / "plugins"
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
        assert "geoconflict_qgis/metadata.txt" in names
        assert "geoconflict_qgis/ext-libs/geoconflict/__init__.py" in names
        assert not any("__pycache__" in n for n in names)
        zf.extractall(plugins)
    meta = (plugins / "geoconflict_qgis" / "metadata.txt").read_text()
    for key in (
        "hasProcessingProvider=yes",
        "qgisMinimumVersion=3.22",
        "changelog=",
        "homepage=",
        "tags=",
        f"version={build_plugin.version()}",
    ):
        assert key in meta, key
    return plugins


def _env(**extra):
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


LOAD_SCRIPT = textwrap.dedent(
    """
    import sys
    BANNED = {banned!r}
    BANNED_CORE = {banned_core!r}
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BANNED or name in BANNED_CORE:
                raise ImportError("blocked by the test: " + name)
    sys.meta_path.insert(0, Block())
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication, QgsVectorLayer, QgsFeature, QgsGeometry
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    Processing.initialize()
    import qgis.utils
    qgis.utils.plugin_paths = [{plugins!r}]
    sys.path.insert(0, {plugins!r})
    qgis.utils.updateAvailablePlugins()
    assert "geoconflict_qgis" in qgis.utils.available_plugins, qgis.utils.available_plugins
    assert qgis.utils.loadPlugin("geoconflict_qgis")
    assert qgis.utils.startProcessingPlugin("geoconflict_qgis")
    import geoconflict
    assert geoconflict.__file__.startswith({plugins!r}), geoconflict.__file__
    reg = QgsApplication.processingRegistry()
    prov = reg.providerById("geoconflict")
    assert prov is not None and prov.algorithms()
    layer = QgsVectorLayer("LineString?crs=EPSG:4326", "l", "memory")
    f = QgsFeature(); f.setGeometry(QgsGeometry.fromWkt("LINESTRING(0 0, 1 0)"))
    layer.dataProvider().addFeatures([f])
    import processing
    res = processing.run("geoconflict:geodesicmeasure",
                         {{"INPUT": layer, "UNITS": 0, "OUTPUT": "TEMPORARY_OUTPUT"}})
    value = next(res["OUTPUT"].getFeatures())["length_m"]
    assert abs(value - 111319.491) < 1e-3, value
    # the bundled data/boundaries (gazetteer) come from the zip's ext-libs
    res = processing.run("geoconflict:loadplaces",
                         {{"NAME": "Abu Kamal", "OUTPUT": "TEMPORARY_OUTPUT"}})
    assert res["N_PLACES"] >= 2, res
    import geoconflict.geography.datasets as ds
    assert str(ds.get_path("sites.csv")).startswith({plugins!r}), ds.get_path("sites.csv")
    bad = sorted(m for m in sys.modules if m.split(".")[0] in BANNED or m in BANNED_CORE)
    assert not bad, bad
    assert qgis.utils.unloadPlugin("geoconflict_qgis")
    assert reg.providerById("geoconflict") is None
    print("LOADED", len(prov.algorithms()) if False else "ok")
    """
)


def test_zip_loads_like_qgis_and_uses_bundled_core(plugin_dir):
    code = LOAD_SCRIPT.format(
        banned=BANNED, banned_core=BANNED_CORE, plugins=str(plugin_dir)
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "LOADED ok" in out.stdout


def _enabled_env(plugin_dir, tmp_path):
    """Environment for qgis_process with the plugin of `plugin_dir` enabled.

    A throw-away profile (HOME) so that enabling the plugin leaves the user's alone.
    """
    env = _env(
        QGIS_PLUGINPATH=str(plugin_dir),
        HOME=str(tmp_path / "home"),
        PYTHONPATH=_qgis_process_pythonpath(),
    )
    enable = subprocess.run(
        [QGIS_PROCESS, "plugins", "enable", "geoconflict_qgis"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert enable.returncode == 0, enable.stdout + enable.stderr
    return env


def test_qgis_process_rangerings_gpkg_to_gpkg(plugin_dir, qgis_app, tmp_path):
    """Issue #11, defect 13: several rings per site from a GeoPackage into a GeoPackage.

    Before the fix every ring copied its site's fid, the GeoPackage kept the
    first one per run and qgis_process still exited 0 with 1 of 6 rings.
    """
    import sqlite3
    from collections import Counter

    import shapely
    from qgis.core import QgsVectorLayer

    from .layers import make_layer

    src = make_layer(
        "gpkg",
        "Point",
        [shapely.Point(40.9186, 34.4522), shapely.Point(38.6178, 33.5058)],
        {"name": ["al-Bukamal", "al-Tanf"]},
        tmp=tmp_path,
    )
    assert sorted(f["fid"] for f in src.getFeatures()) == [1, 2]
    rings, radials = tmp_path / "rings.gpkg", tmp_path / "radials.gpkg"
    out = subprocess.run(
        [
            QGIS_PROCESS,
            "run",
            "geoconflict:rangerings",
            "--",
            f"INPUT={src.source().split('|')[0]}",
            "RADII=10, 25, 50",
            "UNITS=1",
            "RADIALS=4",
            f"OUTPUT={rings}",
            f"RADIALS_OUTPUT={radials}",
        ],
        capture_output=True,
        text=True,
        env=_enabled_env(plugin_dir, tmp_path),
        timeout=180,
    )
    log = out.stdout + out.stderr
    assert out.returncode == 0, log
    assert "could not be written" not in log, log
    assert "UNIQUE constraint" not in log, log
    for path, per_site in ((rings, 3), (radials, 4)):
        layer = QgsVectorLayer(str(path), "o", "ogr")
        feats = list(layer.getFeatures())
        assert len(feats) == 2 * per_site, (path, len(feats))
        assert Counter(f["source_fid"] for f in feats) == {1: per_site, 2: per_site}
        con = sqlite3.connect(str(path))
        try:
            table = path.stem
            n = con.execute(f'select count(*) from "{table}"').fetchone()[0]
        finally:
            con.close()
        assert n == 2 * per_site
    assert [
        f["outer_km"] for f in QgsVectorLayer(str(rings), "r", "ogr").getFeatures()
    ] == [
        10,
        25,
        50,
    ] * 2


def test_qgis_process_runs_provider(plugin_dir, tmp_path):
    src = tmp_path / "lines.geojson"
    src.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},'
        '"geometry":{"type":"LineString","coordinates":[[0,0],[1,0]]}}]}'
    )
    dst = tmp_path / "measured.gpkg"
    env = _enabled_env(plugin_dir, tmp_path)
    out = subprocess.run(
        [
            QGIS_PROCESS,
            "run",
            "geoconflict:geodesicmeasure",
            "--",
            f"INPUT={src}",
            "UNITS=1",
            f"OUTPUT={dst}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(dst), "m", "ogr")
    assert layer.isValid()
    assert next(layer.getFeatures())["length_km"] == pytest.approx(111.319491, abs=1e-6)
    listing = subprocess.run(
        [QGIS_PROCESS, "list"], capture_output=True, text=True, env=env, timeout=120
    )
    assert "geoconflict:geodesicmeasure" in listing.stdout
    # range rings across the antimeridian, with Debian's numpy 1.24 and pyproj 3.4
    sites = tmp_path / "sites.geojson"
    sites.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"name":"fiji"},"geometry":{"type":"Point","coordinates":[179.9,-17.0]}}]}'
    )
    rings = tmp_path / "rings.gpkg"
    out = subprocess.run(
        [
            QGIS_PROCESS,
            "run",
            "geoconflict:rangerings",
            "--",
            f"INPUT={sites}",
            "RADII=25, 50",
            "UNITS=1",
            f"OUTPUT={rings}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    layer = QgsVectorLayer(str(rings), "r", "ogr")
    feats = list(layer.getFeatures())
    assert [f["outer_km"] for f in feats] == [25, 50]
    ext = layer.extent()
    assert ext.xMinimum() >= -180
    assert ext.xMaximum() <= 180
    assert ext.width() > 300  # cut at the antimeridian: parts on both sides
    import shapely

    from geoconflict.geodesy.ranges import range_rings

    want = range_rings(179.9, -17.0, [25_000, 50_000]).geometry
    for f, w in zip(feats, want):
        got = shapely.from_wkb(bytes(f.geometry().asWkb()))
        assert got.symmetric_difference(w).area < 1e-9


def test_plugin_never_imports_adapters():
    """No module of the plugin imports geopandas, rasterio, click or the adapter modules."""
    offenders = []
    for path in sorted((ROOT / "qgis_plugin").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] in BANNED or any(
                    name == b or name.startswith(b + ".") for b in BANNED_CORE
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not offenders, offenders
