"""geoconflict for QGIS: geodesic conflict-geography tools as a Processing provider.

QGIS calls :func:`classFactory` with the interface (or with ``None`` when the
plugin is loaded headless by ``qgis_process``).  Before anything else this module
puts the bundled core (``ext-libs/``, unpacked at build time by ``make plugin``
from the same wheel as ``pip install geoconflict``) first on ``sys.path`` and
checks that numpy and pyproj import (shapely >= 2 is optional: without it the
core runs on QGIS's own GEOS).  When one is missing it logs a
message with install instructions and registers nothing; it never raises.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
EXT_LIBS = os.path.join(_HERE, "ext-libs")
LOG_TAG = "geoconflict"


def bundled_version():
    """Return the version of the core unpacked in ``ext-libs/``, or None."""
    if not os.path.isdir(EXT_LIBS):
        return None
    for name in os.listdir(EXT_LIBS):
        if name.startswith("geoconflict-") and name.endswith(".dist-info"):
            return name[len("geoconflict-") : -len(".dist-info")]
    return None


def _use_bundled_core():
    """Put ``ext-libs`` first on sys.path and drop any other geoconflict import."""
    if not os.path.isdir(EXT_LIBS):
        return  # running from the source tree: the installed core is used
    if EXT_LIBS in sys.path:
        sys.path.remove(EXT_LIBS)
    sys.path.insert(0, EXT_LIBS)
    for name in [
        m for m in sys.modules if m == "geoconflict" or m.startswith("geoconflict.")
    ]:
        origin = getattr(sys.modules[name], "__file__", None) or ""
        if not os.path.abspath(origin).startswith(EXT_LIBS):
            del sys.modules[name]


def _log(message, level):
    try:
        from qgis.core import QgsMessageLog

        QgsMessageLog.logMessage(message, LOG_TAG, level)
    except Exception:  # pragma: no cover - no QGIS at all
        sys.stderr.write(f"{LOG_TAG}: {message}\n")


class InertPlugin:
    """Stand-in returned when dependencies are missing: shows why, registers nothing."""

    def __init__(self, iface, message):
        self.iface = iface
        self.message = message

    def initProcessing(self):
        """Register nothing (dependencies are missing)."""

    def initGui(self):
        """Show the install instructions in the message bar."""
        if self.iface is not None:
            try:
                from qgis.core import Qgis

                self.iface.messageBar().pushMessage(
                    "geoconflict", self.message, Qgis.Warning, 0
                )
            except Exception as exc:  # pragma: no cover
                _log(f"could not show the message bar: {exc}", 1)

    def unload(self):
        """Nothing to unload."""


def classFactory(iface):
    """Return the plugin object; `iface` is None when run by qgis_process."""
    from qgis.core import Qgis

    from . import _deps

    try:
        failing = _deps.problems()
        if failing:
            message = _deps.install_instructions(failing)
            _log(message, Qgis.Critical)
            return InertPlugin(iface, message)
        for note in _deps.optional_notes():
            _log(note, Qgis.Info)
        _use_bundled_core()
        import geoconflict

        want = bundled_version()
        if want is not None and geoconflict.__version__ != want:
            _log(
                f"bundled geoconflict {want} expected but {geoconflict.__version__} "
                f"was imported from {geoconflict.__file__}",
                Qgis.Warning,
            )
        from .plugin import GeoconflictPlugin

        return GeoconflictPlugin(iface)
    except Exception as exc:  # never raise from classFactory
        import traceback

        message = (
            f"geoconflict could not start: {exc!r}. Please report this with the "
            "traceback from the 'geoconflict' log tab."
        )
        _log(message + "\n" + traceback.format_exc(), Qgis.Critical)
        return InertPlugin(iface, message)
