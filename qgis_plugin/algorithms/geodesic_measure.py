"""Geodesic length, perimeter and area of every feature (id ``geoconflict:geodesicmeasure``)."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)

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

        fields, _ = self.output_fields(
            source.fields(), [(f"length_{unit}", "float"), (f"area_{unit}2", "float")]
        )
        sink, dest = self.output_sink(
            parameters, context, fields, source.wkbType(), source.sourceCrs()
        )
        self.write_same_geometry(
            sink, fields, features, np.arange(len(features)), [length, area], feedback
        )
        return {"OUTPUT": dest}
