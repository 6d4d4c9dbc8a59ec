"""Check stated distances in claims against the geometry (id ``geoconflict:checkclaims``)."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)

from geoconflict.events.check import ClaimCheck, check_claims
from geoconflict.io.events import load_example, read_events

from .. import _bridge
from .base import GeoconflictAlgorithm

_FLOAT = {c for c in ClaimCheck.COLUMNS if c.endswith(("_m", "_deg"))}


class CheckClaims(GeoconflictAlgorithm):
    """One row per distance claim: stated vs measured interval and a verdict."""

    ALG_ID = "checkclaims"
    DISPLAY = "Check distance claims"
    GROUP = "Events and claims"
    GROUP_ID = "events"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFile(
                "INPUT",
                self.tr(
                    "Events with claims (geoconflict GeoJSON; empty = the bundled al-Bukamal example)"
                ),
                fileFilter=self.tr("GeoJSON (*.geojson *.json);;All files (*.*)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Claim check"), QgsProcessing.TypeVectorPoint
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        path = self.parameterAsFile(parameters, "INPUT", context)
        if path:
            events = _bridge.core_call(read_events, path)
        else:
            feedback.pushInfo("No file given: checking the bundled al-Bukamal example.")
            events = _bridge.core_call(load_example)
        rows = _bridge.core_call(check_claims, events)
        feedback.pushInfo(
            f"{len(rows)} distance claim(s): "
            + ", ".join(
                f"{v} {sum(r['verdict'] == v for r in rows)}"
                for v in sorted({r["verdict"] for r in rows})
            )
        )
        feedback.setProgress(60)
        spec = [(c, "float" if c in _FLOAT else "str") for c in ClaimCheck.COLUMNS]
        cols = [
            np.array([r.get(c) for r in rows], dtype=float if k == "float" else object)
            for c, k in spec
        ]
        geoms = []
        for r in rows:
            try:
                loc = events[r["event_id"]].primary_site.location
                if np.isfinite(loc.lon) and np.isfinite(loc.lat):
                    geoms.append(shapely.Point(loc.lon, loc.lat))
                elif getattr(loc, "geometry", None) is not None:
                    geoms.append(shapely.point_on_surface(loc.geometry))
                else:
                    geoms.append(None)
            except (KeyError, AttributeError, TypeError):
                geoms.append(None)
        fields, cols = self.output_fields(QgsFields(), spec, cols)
        sink, dest = self.output_sink(parameters, context, fields, QgsWkbTypes.Point)
        self.write_rows(
            sink,
            fields,
            None,
            None,
            cols,
            np.array(geoms, dtype=object),
            feedback,
            (60, 100),
            multi=False,
            keep_null=True,
        )
        return {"OUTPUT": dest, "N_CLAIMS": len(rows)}
