"""Claimed ranges of a weapon system around launch sites (id ``geoconflict:catalogrange``)."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from geoconflict.analysis.range_catalog import load_catalog

from .. import _bridge
from .base import GeoconflictAlgorithm


class CatalogRange(GeoconflictAlgorithm):
    """Min-max range annuli from the range catalog: one per (site, claim)."""

    ALG_ID = "catalogrange"
    DISPLAY = "Min-max range from the range catalog"
    GROUP = "Buffers and ranges"
    GROUP_ID = "ranges"
    ICON = "rings.svg"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT",
                self.tr("Launch sites (points)"),
                [QgsProcessing.TypeVectorPoint],
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "SYSTEM",
                self.tr("Weapon or platform system (name or alias, e.g. 'HIMARS')"),
                "M142 HIMARS (GMLRS)",
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "POLICY", self.tr("Which claims: all, max, min or source=TEXT"), "all"
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                "CATALOG",
                self.tr("Range catalog CSV (empty = the shipped example catalog)"),
                fileFilter="CSV (*.csv)",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Claimed ranges"), QgsProcessing.TypeVectorPolygon
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        path = self.parameterAsFile(parameters, "CATALOG", context) or None
        system = self.parameterAsString(parameters, "SYSTEM", context)
        policy = self.parameterAsString(parameters, "POLICY", context) or "all"
        catalog = _bridge.core_call(load_catalog, path)
        source, features, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback
        )
        ok = np.isfinite(lon)
        claims = _bridge.core_call(catalog.ranges, system, policy)
        feedback.pushInfo(
            f"{len(claims)} claim(s) for {claims[0].system if claims else system!r}: "
            + "; ".join(c.label for c in claims)
            + ". The ranges are claims by their sources, not facts."
        )
        table = _bridge.core_call(
            catalog.reach,
            np.column_stack([lon[ok], lat[ok]]),
            system,
            policy=policy,
            geod=self.geod(context, feedback),
        )
        self.check_cancel(feedback)
        spec = [
            ("system", "str"),
            ("inner_km", "float"),
            ("outer_km", "float"),
            ("inner_m", "float"),
            ("outer_m", "float"),
            ("claim", "str"),
            ("source", "str"),
            ("verified", "str"),
            ("label", "str"),
        ]
        cols = [
            table["system"],
            table["inner_m"] / 1000,
            table["outer_m"] / 1000,
            table["inner_m"],
            table["outer_m"],
            table["claim"],
            table["source"],
            np.where(np.asarray(table["verified"], dtype=bool), "yes", "no"),
            table["label"],
        ]
        fields, cols = self.output_fields(source.fields(), spec, cols)
        sink, dest = self.output_sink(
            parameters, context, fields, QgsWkbTypes.MultiPolygon
        )
        site = np.flatnonzero(ok)[np.asarray(table["site"], dtype=int)]
        self.write_rows(
            sink,
            fields,
            [f.attributes() for f in features],
            site,
            cols,
            table.geometry,
            feedback,
            (60, 100),
        )
        self.apply_style(context, dest, "fan.qml")
        return {"OUTPUT": dest, "N_CLAIMS": len(claims)}
