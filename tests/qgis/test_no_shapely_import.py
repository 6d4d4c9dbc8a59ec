"""No module on the plugin's import path imports shapely at module level (issue #16).

A stock QGIS Python has no shapely >= 2: every module ``geoconflict`` imports
(and the plugin's own) must import without it, routing geometry through
``geoconflict._geom``.  Checked on the source (AST), so that a new
``import shapely`` fails here, in both runs, before a QGIS user meets it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the faces the plugin never imports (matplotlib maps, click CLI, rasterio rasters,
#: the dask adapter)
FACES = (
    "geoconflict/maps/",
    "geoconflict/cli/",
    "geoconflict/raster.py",
    "geoconflict/dask/",
)
ALLOWED = ("geoconflict/_geom.py", "geoconflict/_show_versions.py")


def _top_level_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:  # module level only: a function may import lazily
        if isinstance(node, ast.Import):
            yield from ((a.name, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, node.lineno


def test_no_module_level_shapely_on_the_plugin_path():
    offenders = []
    for path in sorted(
        [*ROOT.glob("geoconflict/**/*.py"), *ROOT.glob("qgis_plugin/**/*.py")]
    ):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(FACES) or rel in ALLOWED or "/_vendor/" in rel:
            continue
        for name, line in _top_level_imports(path):
            if name.split(".")[0] == "shapely":
                offenders.append(f"{rel}:{line}: import {name}")
    assert not offenders, offenders
