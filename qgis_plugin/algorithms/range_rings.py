"""Range rings around points: one polygon band per ring (id ``geoconflict:rangerings``)."""

from __future__ import annotations

import time

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from geoconflict.errors import UnitError
from geoconflict.geodesy.ranges import radial_lines, range_rings
from geoconflict.units import parse_lengths

from .. import _bridge
from .base import GeoconflictAlgorithm

KINDS = ("band", "line", "disk")


def parse_radii(text, unit):
    """Parse ``"10, 25, 50"`` (in `unit`) or ``"10 km, 20 nmi"`` into meters.

    One parser for every face: :func:`geoconflict.units.parse_lengths`.
    """
    try:
        return parse_lengths(text, default_unit=unit)
    except UnitError as exc:
        raise QgsProcessingException(f"Radii {text!r}: {exc}") from exc


class RangeRings(GeoconflictAlgorithm):
    """Geodesic range rings (bands, lines or disks) and radials around sites."""

    ALG_ID = "rangerings"
    DISPLAY = "Range rings"
    GROUP = "Buffers and ranges"
    GROUP_ID = "ranges"
    ICON = "rings.svg"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Sites (points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "RADII", self.tr("Radii, increasing (comma-separated)"), "10, 25, 50"
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "RING_COUNT",
                self.tr("Or: number of rings (0 = use the radii above)"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=0,
                minValue=0,
                maxValue=1000,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "RING_SPACING",
                self.tr("Ring spacing (with a number of rings)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=10.0,
                minValue=0.0,
            )
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterEnum(
                "KIND",
                self.tr("Ring geometry"),
                options=[
                    self.tr(
                        "Polygon band per ring (between this and the previous radius)"
                    ),
                    self.tr("Lines (the circles)"),
                    self.tr("Full disk per ring"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "TOLERANCE",
                self.tr(
                    "Tolerance, meters: largest gap between the ring's edges and the "
                    "true circle (0 = 0.1 % of the radius, at least 1 m)"
                ),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.0,
                minValue=0.0,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "RADIALS",
                self.tr("Number of radial lines (0 = none)"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=0,
                minValue=0,
                maxValue=360,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Range rings"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "RADIALS_OUTPUT",
                self.tr("Radial lines"),
                QgsProcessing.TypeVectorLine,
                optional=True,
                createByDefault=False,
            )
        )

    def radii(self, parameters, context, unit, factor):
        """Radii in meters: the list, or `RING_COUNT` rings every `RING_SPACING`."""
        count = self.parameterAsInt(parameters, "RING_COUNT", context)
        if count <= 0:
            return parse_radii(
                self.parameterAsString(parameters, "RADII", context), unit
            )
        spacing = self.parameterAsDouble(parameters, "RING_SPACING", context)
        if not spacing > 0:
            raise QgsProcessingException(
                f"Ring spacing must be a positive length in {unit} when the number of "
                f"rings is {count}; got {spacing!r}. Set 'Ring spacing', or set the "
                "number of rings to 0 to use the radii list."
            )
        return spacing * factor * np.arange(1, count + 1)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        radii_m = self.radii(parameters, context, unit, factor)
        kind = KINDS[self.parameterAsEnum(parameters, "KIND", context)]
        n_radials = self.parameterAsInt(parameters, "RADIALS", context)
        geod = self.geod(context, feedback)

        source, features, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback
        )
        ok = np.isfinite(lon)
        feedback.pushInfo(
            f"{int(ok.sum())} site(s) x {len(radii_m)} ring(s), in one call."
        )
        t0 = time.perf_counter()
        tol = self.parameterAsDouble(parameters, "TOLERANCE", context)
        table = _bridge.core_call(
            range_rings,
            lon[ok],
            lat[ok],
            radii_m,
            kind=kind,
            unit=unit,
            geod=geod,
            tolerance_m=tol if tol > 0 else None,
        )
        feedback.pushInfo(f"Core call: {time.perf_counter() - t0:.2f} s.")
        feedback.setProgress(60)
        self.check_cancel(feedback)
        site = np.flatnonzero(ok)[table["site"]]
        extra = [
            ("ring", "int"),
            (f"inner_{unit}", "float"),
            (f"outer_{unit}", "float"),
            ("inner_m", "float"),
            ("outer_m", "float"),
            ("label", "str"),
        ]
        columns = [
            table["ring"] + 1,
            table["inner_m"] / factor,
            table["outer_m"] / factor,
            table["inner_m"],
            table["outer_m"],
            table["label"],
        ]
        fields, columns = self.output_fields(source.fields(), extra, columns)
        wkb = (
            QgsWkbTypes.MultiLineString if kind == "line" else QgsWkbTypes.MultiPolygon
        )
        sink, dest = self.output_sink(parameters, context, fields, wkb)
        attrs = [f.attributes() for f in features]
        hi = 85 if n_radials else 100
        t0 = time.perf_counter()
        self.write_rows(
            sink, fields, attrs, site, columns, table.geometry, feedback, (60, hi)
        )
        feedback.pushInfo(
            f"Writing {len(table)} feature(s): {time.perf_counter() - t0:.2f} s."
        )
        radii_text = ", ".join(f"{r / factor:g}" for r in radii_m)
        site = self.site_name(features)
        self.apply_style(
            context,
            dest,
            "rings_lines.qml" if kind == "line" else "rings.qml",
            name=f"Range rings {radii_text} {unit}" + (f" – {site}" if site else ""),
        )
        results = {"OUTPUT": dest}

        rfields, _ = self.output_fields(
            source.fields(),
            [("bearing", "float"), ("length_m", "float"), ("label", "str")],
        )
        rsink, rdest = self.output_sink(
            parameters,
            context,
            rfields,
            QgsWkbTypes.MultiLineString,
            name="RADIALS_OUTPUT",
            optional=True,
        )
        if rsink is not None and n_radials:
            bearings = np.arange(n_radials) * (360.0 / n_radials)
            spokes = _bridge.core_call(
                radial_lines,
                lon[ok],
                lat[ok],
                bearings,
                float(radii_m.max()),
                geod=geod,
            )
            self.write_rows(
                rsink,
                rfields,
                attrs,
                np.flatnonzero(ok)[spokes["site"]],
                [spokes["bearing"], spokes["length_m"], spokes["label"]],
                spokes.geometry,
                feedback,
                (85, 100),
            )
            results["RADIALS_OUTPUT"] = rdest
        return results
