"""Lines of bearing, ellipses (uncertainty areas) and arcs around points.

Ids ``geoconflict:linesofbearing``, ``geoconflict:ellipses`` and
``geoconflict:arcs``: the Shape Tools set, every value data-defined per feature
(a field or an expression), every vertex exact on the ellipsoid
(:mod:`geoconflict.geodesy.shapes`).
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsWkbTypes,
)

from geoconflict.geodesy.shapes import (
    arcs,
    confidence_scale,
    ellipses,
    lines_of_bearing,
)

from .. import _bridge
from .base import GeoconflictAlgorithm

#: (label, probability or None for "the axes as given")
CONFIDENCE = (
    ("Axes as given", None),
    ("1-sigma axes -> 50 % ellipse", 0.50),
    ("1-sigma axes -> 90 % ellipse", 0.90),
    ("1-sigma axes -> 95 % ellipse", 0.95),
    ("1-sigma axes -> 99 % ellipse", 0.99),
)


class _PointShapes(GeoconflictAlgorithm):
    GROUP = "Buffers and ranges"
    GROUP_ID = "ranges"
    ICON = "rings.svg"
    DYNAMIC: tuple = ()
    LENGTHS: tuple = ()  # dynamic values in the chosen unit (converted to meters)
    OUTPUT_TYPE = QgsProcessing.TypeVectorLine
    WKB = QgsWkbTypes.MultiLineString
    STYLE = "rings_lines.qml"

    def add_input(self):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Points"), [QgsProcessing.TypeVectorPoint]
            )
        )

    def add_output(self):
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr(self.DISPLAY), self.OUTPUT_TYPE
            )
        )

    def read(self, parameters, context, feedback):
        source, features, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback
        )
        factor = self.unit_factor(parameters, context)
        vals = {
            name: self.per_feature_values(parameters, name, context, features)
            for name in self.DYNAMIC
        }
        for name in self.LENGTHS:
            vals[name] = vals[name] * factor
        ok = np.isfinite(lon) & np.isfinite(lat)
        for v in vals.values():
            ok &= np.isfinite(v)
        if (~ok).any():
            feedback.pushWarning(
                f"{int((~ok).sum())} point(s) without a location or with a NULL "
                "value are skipped."
            )
        return source, features, lon, lat, vals, ok

    def write(
        self,
        parameters,
        context,
        feedback,
        source,
        features,
        ok,
        table,
        spec,
        name=None,
    ):
        """Write `table` (rows of the points `ok`) with the columns of `spec`."""
        fields, columns = self.output_fields(
            source.fields(),
            [(name, kind) for name, kind, _ in spec],
            [values for _, _, values in spec],
        )
        sink, dest = self.output_sink(parameters, context, fields, self.WKB)
        owner = np.flatnonzero(ok)[table["site"]]
        attrs = [f.attributes() for f in features]
        n = self.write_rows(
            sink, fields, attrs, owner, columns, table.geometry, feedback, (60, 100)
        )
        feedback.pushInfo(f"{n} feature(s) written.")
        site = self.site_name(features)
        name = name or self.DISPLAY
        self.apply_style(
            context, dest, self.STYLE, name=name + (f" – {site}" if site else "")
        )
        return {"OUTPUT": dest}


class LinesOfBearing(_PointShapes):
    """Geodesic lines from points along an azimuth, for a length (data-defined)."""

    ALG_ID = "linesofbearing"
    DISPLAY = "Lines of bearing"
    DYNAMIC = ("AZIMUTH", "LENGTH")
    LENGTHS = ("LENGTH",)

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_input()
        self.add_dynamic_number(
            "AZIMUTH", "Azimuth (degrees clockwise from north)", 0.0, minimum=-360.0
        )
        self.add_dynamic_number("LENGTH", "Length", 10.0)
        self.add_units_parameter()
        self.add_output()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source, features, lon, lat, v, ok = self.read(parameters, context, feedback)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        table = _bridge.core_call(
            lines_of_bearing,
            lon[ok],
            lat[ok],
            v["AZIMUTH"][ok],
            v["LENGTH"][ok],
            geod=self.geod(context, feedback),
        )
        self.check_cancel(feedback)
        spec = [
            ("azimuth", "float", table["azimuth"]),
            (f"length_{unit}", "float", table["length_m"] / factor),
            ("length_m", "float", table["length_m"]),
            ("label", "str", table["label"]),
        ]
        return self.write(
            parameters, context, feedback, source, features, ok, table, spec
        )


class Ellipses(_PointShapes):
    """Geodesic ellipses around points: semi-axes and orientation (data-defined)."""

    ALG_ID = "ellipses"
    DISPLAY = "Ellipses (uncertainty areas)"
    DYNAMIC = ("SEMI_MAJOR", "SEMI_MINOR", "ORIENTATION")
    LENGTHS = ("SEMI_MAJOR", "SEMI_MINOR")
    OUTPUT_TYPE = QgsProcessing.TypeVectorPolygon
    WKB = QgsWkbTypes.MultiPolygon
    STYLE = "fan.qml"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_input()
        self.add_dynamic_number("SEMI_MAJOR", "Semi-major axis", 2.0)
        self.add_dynamic_number("SEMI_MINOR", "Semi-minor axis", 1.0)
        self.add_dynamic_number(
            "ORIENTATION",
            "Orientation of the major axis (degrees clockwise from north)",
            0.0,
            minimum=-360.0,
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterEnum(
                "CONFIDENCE",
                self.tr("Axes"),
                options=[self.tr(label) for label, _ in CONFIDENCE],
                defaultValue=0,
            )
        )
        self.add_output()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source, features, lon, lat, v, ok = self.read(parameters, context, feedback)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        label, p = CONFIDENCE[self.parameterAsEnum(parameters, "CONFIDENCE", context)]
        scale = 1.0 if p is None else confidence_scale(p)
        if p is not None:
            feedback.pushInfo(f"{label}: both axes x {scale:.4f}.")
        table = _bridge.core_call(
            ellipses,
            lon[ok],
            lat[ok],
            v["SEMI_MAJOR"][ok],
            v["SEMI_MINOR"][ok],
            v["ORIENTATION"][ok],
            scale=scale,
            geod=self.geod(context, feedback),
        )
        self.check_cancel(feedback)
        spec = [
            (f"semi_major_{unit}", "float", table["semi_major_m"] / factor),
            (f"semi_minor_{unit}", "float", table["semi_minor_m"] / factor),
            ("orientation", "float", table["orientation"]),
            ("confidence", "float", np.full(len(table), np.nan if p is None else p)),
            ("label", "str", table["label"]),
        ]
        name = "Ellipses" if p is None else f"Uncertainty ellipses {p:.0%}"
        return self.write(
            parameters, context, feedback, source, features, ok, table, spec, name
        )


class Arcs(_PointShapes):
    """Arcs of geodesic circles between two azimuths, around points (data-defined)."""

    ALG_ID = "arcs"
    DISPLAY = "Arcs"
    DYNAMIC = ("RADIUS", "AZIMUTH_FROM", "AZIMUTH_TO")
    LENGTHS = ("RADIUS",)

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_input()
        self.add_dynamic_number("RADIUS", "Radius", 10.0)
        self.add_dynamic_number(
            "AZIMUTH_FROM",
            "From azimuth (degrees clockwise from north)",
            0.0,
            minimum=-360.0,
        )
        self.add_dynamic_number(
            "AZIMUTH_TO", "To azimuth (degrees, clockwise sweep)", 90.0, minimum=-360.0
        )
        self.add_units_parameter()
        self.add_output()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source, features, lon, lat, v, ok = self.read(parameters, context, feedback)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        table = _bridge.core_call(
            arcs,
            lon[ok],
            lat[ok],
            v["RADIUS"][ok],
            v["AZIMUTH_FROM"][ok],
            v["AZIMUTH_TO"][ok],
            geod=self.geod(context, feedback),
        )
        self.check_cancel(feedback)
        spec = [
            (f"radius_{unit}", "float", table["radius_m"] / factor),
            ("radius_m", "float", table["radius_m"]),
            ("azimuth_from", "float", table["azimuth_from"]),
            ("sweep", "float", table["sweep"]),
            ("label", "str", table["label"]),
        ]
        return self.write(
            parameters, context, feedback, source, features, ok, table, spec
        )
