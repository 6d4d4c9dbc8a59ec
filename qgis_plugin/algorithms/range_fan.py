"""Range fans (sectors) and min-max range annuli around points.

Ids ``geoconflict:rangefan`` and ``geoconflict:minmaxrange``.
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsWkbTypes,
)

from geoconflict.geodesy.ranges import min_max_ring, range_fan

from .. import _bridge
from .base import GeoconflictAlgorithm


class _SiteRangeAlgorithm(GeoconflictAlgorithm):
    GROUP = "Buffers and ranges"
    GROUP_ID = "ranges"
    ICON = "rings.svg"
    STYLE = "rings.qml"

    def add_common(self, fan):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Sites (points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        if fan:
            self.add_dynamic_number(
                "AZIMUTH_FROM",
                "From azimuth (degrees clockwise from north)",
                0.0,
                minimum=-360.0,
            )
            self.add_dynamic_number(
                "AZIMUTH_TO",
                "To azimuth (degrees, clockwise sweep)",
                90.0,
                minimum=-360.0,
            )
        self.add_dynamic_number("MIN_RANGE", "Minimum range", 0.0)
        self.add_dynamic_number("MAX_RANGE", "Maximum range", 50.0)
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr(self.DISPLAY), QgsProcessing.TypeVectorPolygon
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
        for name in ("MIN_RANGE", "MAX_RANGE"):
            vals[name] = vals[name] * factor
        ok = np.isfinite(lon)
        for v in vals.values():
            ok &= np.isfinite(v)
        if (~ok).any():
            feedback.pushWarning(
                f"{int((~ok).sum())} site(s) without a location or with a NULL "
                "value are skipped."
            )
        return source, features, lon, lat, vals, ok

    def write(
        self, parameters, context, feedback, source, features, ok, table, extra, columns
    ):
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        extra = [
            *extra,
            (f"inner_{unit}", "float"),
            (f"outer_{unit}", "float"),
            ("inner_m", "float"),
            ("outer_m", "float"),
            ("label", "str"),
        ]
        columns = [
            *columns,
            table["inner_m"] / factor,
            table["outer_m"] / factor,
            table["inner_m"],
            table["outer_m"],
            table["label"],
        ]
        fields, columns = self.output_fields(source.fields(), extra, columns)
        sink, dest = self.output_sink(
            parameters, context, fields, QgsWkbTypes.MultiPolygon
        )
        site = np.flatnonzero(ok)[table["site"]]
        attrs = [f.attributes() for f in features]
        self.write_rows(
            sink, fields, attrs, site, columns, table.geometry, feedback, (60, 100)
        )
        self.apply_style(context, dest, self.STYLE)
        return {"OUTPUT": dest}


class MinMaxRange(_SiteRangeAlgorithm):
    """Annulus between a minimum and a maximum range, per site (data-defined)."""

    ALG_ID = "minmaxrange"
    DISPLAY = "Min-max range"
    DYNAMIC = ("MIN_RANGE", "MAX_RANGE")

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_common(fan=False)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source, features, lon, lat, v, ok = self.read(parameters, context, feedback)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        table = _bridge.core_call(
            min_max_ring,
            lon[ok],
            lat[ok],
            v["MIN_RANGE"][ok],
            v["MAX_RANGE"][ok],
            unit=unit,
            geod=self.geod(context, feedback),
        )
        self.check_cancel(feedback)
        return self.write(
            parameters, context, feedback, source, features, ok, table, [], []
        )


class RangeFan(_SiteRangeAlgorithm):
    """Sector of a range annulus swept clockwise between two azimuths, per site."""

    ALG_ID = "rangefan"
    DISPLAY = "Range fan (sector)"
    DYNAMIC = ("AZIMUTH_FROM", "AZIMUTH_TO", "MIN_RANGE", "MAX_RANGE")
    STYLE = "fan.qml"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_common(fan=True)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        source, features, lon, lat, v, ok = self.read(parameters, context, feedback)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        table = _bridge.core_call(
            range_fan,
            lon[ok],
            lat[ok],
            v["AZIMUTH_FROM"][ok],
            v["AZIMUTH_TO"][ok],
            v["MIN_RANGE"][ok],
            v["MAX_RANGE"][ok],
            unit=unit,
            geod=self.geod(context, feedback),
        )
        self.check_cancel(feedback)
        extra = [
            ("azimuth_from", "float"),
            ("azimuth_to", "float"),
            ("width_deg", "float"),
        ]
        cols = [table["azimuth_from"], table["azimuth_to"], table["width_deg"]]
        return self.write(
            parameters, context, feedback, source, features, ok, table, extra, cols
        )
