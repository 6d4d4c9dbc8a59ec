"""The documentation's generated parts cover what the package and the plugin export.

Fast checks of the code behind ``make docs`` (``docs/_ext``), without running
Sphinx: the full build (``make docs``, part of ``make test``) also runs the gallery
and fails on any warning.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

import geoconflict as gc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import api_pages  # noqa: E402  (docs/_ext, on the path above)


def test_every_public_name_has_an_api_entry(tmp_path):
    api_pages.write_api_pages(tmp_path)
    top = (tmp_path / "geoconflict.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"^   (\w+)$", top, flags=re.M))
    modules = set(re.findall(r":doc:`(geoconflict[\w.]*)`", top))
    for name in gc.__all__:
        if name == "__version__":
            continue
        obj = getattr(gc, name)
        if isinstance(obj, types.ModuleType):
            assert obj.__name__ in modules, name
            assert (tmp_path / f"{obj.__name__}.rst").is_file(), name
        else:
            assert name in listed, name


def test_every_public_module_has_a_page_in_the_index(tmp_path):
    api_pages.write_api_pages(tmp_path)
    index = (tmp_path / "index.rst").read_text(encoding="utf-8")
    pages = {p.stem for p in tmp_path.glob("geoconflict.*.rst")}
    assert "geoconflict.geodesy.measurement" in pages
    assert not any(p.startswith("geoconflict.cli") for p in pages)  # sphinx-click's
    assert not any("._" in p for p in pages)  # no private module
    for page in pages:
        assert f"   {page}\n" in index + "\n", page


def test_qgis_help_covers_every_algorithm():
    pytest.importorskip("sphinx")  # the docs extra (make test installs it)
    import yaml
    from qgis_help import HELP_YAML, algorithm_table

    table = algorithm_table()
    ids = {a["ALG_ID"] for a in table}
    assert {"rangerings", "rangefan", "distancetoborder"} <= ids
    assert all(a["DISPLAY"] and a["GROUP"] for a in table)
    help_ids = set(yaml.safe_load(HELP_YAML.read_text(encoding="utf-8")))
    assert ids == help_ids


def test_the_package_is_typed():
    assert (ROOT / "geoconflict" / "py.typed").is_file()
