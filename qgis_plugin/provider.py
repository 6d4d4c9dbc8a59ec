"""The Processing provider ``geoconflict``."""

from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .algorithms import all_algorithms

ICON = os.path.join(os.path.dirname(__file__), "resources", "icons", "geoconflict.svg")


class GeoconflictProvider(QgsProcessingProvider):
    """Provider with the stable id ``geoconflict``."""

    def id(self):  # noqa: D102
        return "geoconflict"

    def name(self):  # noqa: D102
        return "geoconflict"

    def longName(self):  # noqa: D102
        import geoconflict

        return f"geoconflict {geoconflict.__version__} (geodesic conflict geography)"

    def icon(self):  # noqa: D102
        return QIcon(ICON)

    def svgIconPath(self):  # noqa: D102
        return ICON

    def loadAlgorithms(self):  # noqa: D102
        # an exception escaping into QGIS here would abort the application
        try:
            algorithms = all_algorithms()
        except Exception:
            import traceback

            from qgis.core import Qgis, QgsMessageLog

            QgsMessageLog.logMessage(
                "geoconflict could not load its algorithms:\n" + traceback.format_exc(),
                "geoconflict",
                Qgis.Critical,
            )
            return
        for alg in algorithms:
            self.addAlgorithm(alg)
