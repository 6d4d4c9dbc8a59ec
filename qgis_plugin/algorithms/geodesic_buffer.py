"""Geodesic buffer of points, lines and polygons (id ``geoconflict:geodesicbuffer``)."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from geoconflict import _geom
from geoconflict.geodesy.buffers import buffer

from .. import _bridge
from .base import GeoconflictAlgorithm


class GeodesicBuffer(GeoconflictAlgorithm):
    """All points within a geodesic distance of each feature."""

    ALG_ID = "geodesicbuffer"
    DISPLAY = "Geodesic buffer"
    GROUP = "Buffers and ranges"
    GROUP_ID = "ranges"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Input layer"), [QgsProcessing.TypeVectorAnyGeometry]
            )
        )
        self.add_dynamic_number("DISTANCE", "Distance", 10.0)
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterBoolean(
                "DISSOLVE", self.tr("Dissolve all buffers into one feature"), False
            )
        )
        tol = QgsProcessingParameterNumber(
            "TOLERANCE_M",
            self.tr(
                "Tolerance, meters (0 = automatic: max(1 m, 0.1 % of the distance))"
            ),
            QgsProcessingParameterNumber.Double,
            defaultValue=0.0,
            minValue=0.0,
        )
        tol.setFlags(tol.flags() | tol.FlagAdvanced)
        self.addParameter(tol)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Geodesic buffers"), QgsProcessing.TypeVectorPolygon
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source = self.input_source(parameters, context)
        factor = self.unit_factor(parameters, context)
        dissolve = self.parameterAsBoolean(parameters, "DISSOLVE", context)
        tol = self.parameterAsDouble(parameters, "TOLERANCE_M", context) or None
        geod = self.geod(context, feedback)
        features, geoms = _bridge.read_geometries(source, feedback)
        self.check_cancel(feedback)
        dist = self.per_feature_values(parameters, "DISTANCE", context, features)
        dist_m = dist * factor
        bad = ~np.isfinite(dist_m) & ~_geom.is_missing(geoms)
        if bad.any():
            feedback.pushWarning(
                f"{int(bad.sum())} feature(s) have no distance (NULL or not a number); "
                "they get no buffer."
            )
        feedback.pushInfo(f"Buffering {len(geoms)} feature(s) in one call.")
        polys = _bridge.core_call(buffer, geoms, dist_m, tolerance_m=tol, geod=geod)
        polys = np.asarray(polys, dtype=object).reshape(-1)
        feedback.setProgress(60)
        self.check_cancel(feedback)

        extra = [("buffer_m", "float")]
        if dissolve:
            valid = polys[~_geom.is_missing(polys)]
            merged = _geom.union_all(valid) if len(valid) else None
            fields, _ = self.output_fields(None, [*extra, ("n_features", "int")])
            rows_geoms = np.array([merged], dtype=object)
            columns = [
                np.array([np.nanmax(dist_m) if len(dist_m) else np.nan]),
                np.array([len(valid)]),
            ]
            owner, src_attrs = None, None
        else:
            fields, _ = self.output_fields(source.fields(), extra)
            rows_geoms = polys
            columns = [dist_m]
            owner = np.arange(len(features))
            src_attrs = [f.attributes() for f in features]
        sink, dest = self.output_sink(
            parameters, context, fields, QgsWkbTypes.MultiPolygon
        )
        self.write_rows(sink, fields, src_attrs, owner, columns, rows_geoms, feedback)
        self.apply_style(context, dest, "buffer.qml")
        return {"OUTPUT": dest}
