"""Base class of the geoconflict Processing algorithms.

Subclasses set ``ALG_ID``, ``DISPLAY``, ``GROUP`` (and ``GROUP_ID``) and implement
``initAlgorithm`` and ``processAlgorithm``.  Help text lives in
``resources/help/algorithms.yaml`` under the algorithm id.
"""

from __future__ import annotations

import html
import os
from functools import lru_cache

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameters,
    QgsPropertyDefinition,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .. import _bridge

_RESOURCES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources")


@lru_cache(maxsize=1)
def _help_table():
    path = os.path.join(_RESOURCES, "help", "algorithms.yaml")
    try:
        import yaml  # shipped with QGIS (Processing reads its own help with it)

        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except Exception:  # pragma: no cover - help is never worth a crash
        return {}


def help_html(alg_id):
    """Return the HTML help of `alg_id` built from ``algorithms.yaml``."""
    entry = _help_table().get(alg_id) or {}
    parts = []
    if entry.get("summary"):
        parts.append(f"<p>{html.escape(entry['summary'].strip())}</p>")
    params = entry.get("parameters") or {}
    if params:
        rows = "".join(
            f"<li><b>{html.escape(k)}</b>: {html.escape(str(v).strip())}</li>"
            for k, v in params.items()
        )
        parts.append(f"<h3>Parameters</h3><ul>{rows}</ul>")
    outputs = entry.get("outputs") or {}
    if outputs:
        rows = "".join(
            f"<li><b>{html.escape(k)}</b>: {html.escape(str(v).strip())}</li>"
            for k, v in outputs.items()
        )
        parts.append(f"<h3>Outputs</h3><ul>{rows}</ul>")
    if entry.get("notes"):
        parts.append(f"<p><i>{html.escape(entry['notes'].strip())}</i></p>")
    parts.append(
        "<p>Distances are geodesic on the project ellipsoid (WGS84 when none is "
        "set); coordinates are converted to longitude/latitude for the "
        "computation whatever the layer CRS.</p>"
    )
    return "".join(parts)


def style_path(name):
    """Path of a shipped ``.qml`` style."""
    return os.path.join(_RESOURCES, "styles", name)


class GeoconflictAlgorithm(QgsProcessingAlgorithm):
    """Shared plumbing: names, help, units, ellipsoid, per-feature values."""

    ALG_ID = ""
    DISPLAY = ""
    GROUP = "Distances and measures"
    GROUP_ID = "distances"
    ICON = "geoconflict.svg"

    # -- identity -------------------------------------------------------------
    def name(self):  # noqa: D102
        return self.ALG_ID

    def displayName(self):  # noqa: D102
        return self.tr(self.DISPLAY)

    def group(self):  # noqa: D102
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: D102
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: D102
        return help_html(self.ALG_ID)

    def helpUrl(self):  # noqa: D102
        return "https://github.com/geoconflict/geoconflict/blob/main/docs/qgis.md"

    def icon(self):  # noqa: D102
        return QIcon(os.path.join(_RESOURCES, "icons", self.ICON))

    def createInstance(self):  # noqa: D102
        return type(self)()

    def tr(self, text):  # noqa: D102
        return QCoreApplication.translate("geoconflict", text)

    # -- parameters -----------------------------------------------------------
    def add_units_parameter(self, name="UNITS", default="km", description="Units"):
        """Add the units enum (labels from :data:`geoconflict.units.UNIT_LABELS`)."""
        self.addParameter(
            QgsProcessingParameterEnum(
                name,
                self.tr(description),
                options=_bridge.unit_labels(),
                defaultValue=_bridge.UNIT_CHOICES.index(default),
            )
        )

    def add_dynamic_number(
        self, name, description, default, layer_param="INPUT", minimum=0.0
    ):
        """Add a number that can be data-defined per feature (a field or expression)."""
        param = QgsProcessingParameterNumber(
            name,
            self.tr(description),
            QgsProcessingParameterNumber.Double,
            defaultValue=default,
            minValue=minimum,
        )
        param.setIsDynamic(True)
        param.setDynamicPropertyDefinition(
            QgsPropertyDefinition(
                name,
                self.tr(description),
                QgsPropertyDefinition.DoublePositive,
            )
        )
        param.setDynamicLayerParameterName(layer_param)
        self.addParameter(param)

    def unit_factor(self, parameters, context, name="UNITS"):
        """Meters per unit of the chosen units."""
        return _bridge.unit_factor(self.parameterAsEnum(parameters, name, context))

    def geod(self, context, feedback=None):
        """Return the :class:`pyproj.Geod` of the context's (project's) ellipsoid."""
        geod, acronym = _bridge.ellipsoid_geod(context.ellipsoid())
        if feedback is not None:
            feedback.pushInfo(
                f"Ellipsoid: {acronym} (a={geod.a:.3f} m, b={geod.b:.3f} m)"
            )
        return geod

    def per_feature_values(self, parameters, name, context, features):
        """Return a float ndarray of `name` for each feature (data-defined or constant).

        A null or unreadable value gives NaN; callers decide whether NaN is allowed.
        """
        import numpy as np

        value = self.parameterAsDouble(parameters, name, context)
        if not QgsProcessingParameters.isDynamic(parameters, name):
            return np.full(len(features), value, float)
        prop = parameters[name]
        expctx = self.createExpressionContext(parameters, context)
        prop.prepare(expctx)
        out = np.empty(len(features))
        for i, feat in enumerate(features):  # reads values only, no maths
            expctx.setFeature(feat)
            val, ok = prop.valueAsDouble(expctx, float("nan"))
            out[i] = val if ok else np.nan
        return out

    @staticmethod
    def check_cancel(feedback):
        """Raise if the user cancelled."""
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException("Cancelled.")


__all__ = ["GeoconflictAlgorithm", "QgsProcessing", "help_html", "style_path"]
