"""Geodesic length, perimeter and area of every feature (id ``geoconflict:geodesicmeasure``)."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)
from qgis.PyQt.QtCore import QVariant

import geoconflict

from .. import _bridge
from .base import GeoconflictAlgorithm


class GeodesicMeasure(GeoconflictAlgorithm):
    """Add geodesic length/perimeter and area fields (edges are geodesics)."""

    ALG_ID = "geodesicmeasure"
    DISPLAY = "Geodesic length and area"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT",
                self.tr("Input layer (lines or polygons)"),
                [QgsProcessing.TypeVectorLine, QgsProcessing.TypeVectorPolygon],
            )
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Measured"))
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source = self.input_source(parameters, context)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        geod = self.geod(context, feedback)
        features, geoms = _bridge.read_geometries(source, feedback)
        self.check_cancel(feedback)

        length = _bridge.core_call(geoconflict.length, geoms, geod=geod) / factor
        feedback.setProgress(50)
        area = _bridge.core_call(geoconflict.area, geoms, geod=geod) / factor**2
        feedback.setProgress(70)
        self.check_cancel(feedback)

        fields = QgsFields(source.fields())
        fields.append(QgsField(f"length_{unit}", QVariant.Double))
        fields.append(QgsField(f"area_{unit}2", QVariant.Double))
        sink, dest = self.output_sink(
            parameters, context, fields, source.wkbType(), source.sourceCrs()
        )
        for i, feat in enumerate(features):
            if i % 1000 == 0:
                self.check_cancel(feedback)
                feedback.setProgress(70 + 30 * i / max(len(features), 1))
            out = QgsFeature(fields)
            out.setGeometry(feat.geometry())
            attrs = feat.attributes()
            attrs += [_num(length[i]), _num(area[i])]
            out.setAttributes(attrs)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {"OUTPUT": dest}


def _num(value):
    return None if not np.isfinite(value) else float(value)
