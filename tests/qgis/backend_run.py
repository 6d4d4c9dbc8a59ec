"""Run every algorithm of the provider once, GeoPackage in and out, in a fresh QGIS.

``python -m tests.qgis.backend_run OUTDIR`` (from the repository root, with it on
``PYTHONPATH``) loads the plugin from the source tree, builds the GeoPackage inputs
of :mod:`tests.qgis.test_gpkg_roundtrip`, runs each of its cases and writes
``OUTDIR/manifest.json``: algorithm -> output name -> path, plus the geometry
backend used and any error.  :mod:`tests.qgis.test_backends` runs it once per
geometry backend (``GEOCONFLICT_GEOMETRY=shapely`` / ``qgis``) and compares the
files.  A separate process per backend, because the core caches boundary layers
built by the backend that was active when they were first read.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(outdir: str) -> int:
    """Run every case into `outdir`; return 0 (errors are in the manifest)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProject,
    )

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    for path in ("/usr/share/qgis/python/plugins", "/usr/share/qgis/python"):
        if path not in sys.path:
            sys.path.append(path)
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    plugins = Path(tempfile.mkdtemp()) / "plugins"
    plugins.mkdir()
    (plugins / "geoconflict_qgis").symlink_to(ROOT / "qgis_plugin")
    sys.path.insert(0, str(plugins))
    import geoconflict_qgis

    plug = geoconflict_qgis.classFactory(None)
    plug.initProcessing()

    from geoconflict import _geom
    from tests.qgis.test_gpkg_roundtrip import Inputs, _cases

    out = Path(outdir)
    (out / "in").mkdir(parents=True, exist_ok=True)

    def path(name):
        return str(out / (name if name.endswith(".tif") else f"{name}.gpkg"))

    inputs = Inputs(out / "in")
    manifest = {"backend": _geom.backend(), "outputs": {}, "errors": {}}
    for alg, case in _cases(inputs, path).items():
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        context.setEllipsoid("EPSG:7030")
        try:
            res = processing.run(
                f"geoconflict:{alg}",
                case.params,
                context=context,
                feedback=QgsProcessingFeedback(),
            )
            manifest["outputs"][alg] = {k: res[k] for k in case.counts}
        except Exception:
            manifest["errors"][alg] = traceback.format_exc()
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    sys.stdout.flush()
    os._exit(0)  # QGIS 3.22 may crash while tearing down Qt objects


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
