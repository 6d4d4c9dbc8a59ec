"""Import ACLED, UCDP GED or generic CSV/GeoJSON events (id ``geoconflict:importevents``)."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)

from geoconflict.io.events import read_acled, read_events, read_ucdp_ged

from .. import _bridge
from .base import GeoconflictAlgorithm

FORMATS = (
    ("ACLED export (CSV, API JSON or XLSX)", read_acled),
    ("UCDP GED (CSV)", read_ucdp_ged),
    ("Generic CSV (lat/lon decimal or DMS, or MGRS) or GeoJSON", read_events),
)
#: site_table columns -> field kind
COLUMNS = (
    ("event_id", "str"),
    ("site_id", "str"),
    ("site_name", "str"),
    ("role", "str"),
    ("facility", "str"),
    ("radius_m", "float"),
    ("precision", "str"),
    ("method", "str"),
    ("place", "str"),
    ("country", "str"),
    ("admin1", "str"),
    ("admin2", "str"),
    ("start", "str"),
    ("end", "str"),
    ("time_precision", "str"),
    ("disorder_type", "str"),
    ("event_type", "str"),
    ("sub_event_type", "str"),
    ("killed_min", "float"),
    ("killed_max", "float"),
    ("wounded_min", "float"),
    ("wounded_max", "float"),
    ("attribution_status", "str"),
    ("n_claims", "int"),
    ("n_sources", "int"),
    ("summary", "str"),
)
REJECTED = (
    ("file", "str"),
    ("row", "int"),
    ("column", "str"),
    ("value", "str"),
    ("reason", "str"),
    ("action", "str"),
)


class ImportEvents(GeoconflictAlgorithm):
    """Read an event file into a point layer, with every rejected row reported."""

    ALG_ID = "importevents"
    DISPLAY = "Import events (ACLED, UCDP GED, CSV)"
    GROUP = "Events and claims"
    GROUP_ID = "events"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFile(
                "INPUT",
                self.tr("Event file"),
                fileFilter=self.tr(
                    "Event files (*.csv *.CSV *.json *.geojson *.xlsx);;All files (*.*)"
                ),
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                "FORMAT",
                self.tr("Format"),
                options=[f[0] for f in FORMATS],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Event sites"), QgsProcessing.TypeVectorPoint
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "FOOTPRINTS",
                self.tr("Site footprints (MGRS squares, areas)"),
                QgsProcessing.TypeVectorPolygon,
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "REJECTED",
                self.tr("Rejected and flagged rows"),
                QgsProcessing.TypeVector,
                optional=True,
                createByDefault=True,
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        path = self.parameterAsFile(parameters, "INPUT", context)
        label, reader = FORMATS[self.parameterAsEnum(parameters, "FORMAT", context)]
        feedback.pushInfo(f"Reading {path} as {label}.")
        events = _bridge.core_call(reader, path)
        rows = events.site_table()
        rejected = list(events.rejected)
        feedback.pushInfo(
            f"{len(events)} event(s) kept, {len(rows)} site(s); "
            f"{events.rejected.summary()} (listed in the 'Rejected and flagged rows' table)."
        )
        feedback.setProgress(50)
        self.check_cancel(feedback)
        geoms = np.array([r["geometry"] for r in rows], dtype=object)
        points = np.array(
            [
                shapely.Point(r["lon"], r["lat"]) if np.isfinite(_f(r["lon"])) else None
                for r in rows
            ],
            dtype=object,
        )
        columns = [
            np.array([r[name] for r in rows], dtype=object if kind == "str" else float)
            for name, kind in COLUMNS
        ]
        fields, _ = self.output_fields(QgsFields(), list(COLUMNS))
        sink, dest = self.output_sink(parameters, context, fields, QgsWkbTypes.Point)
        self.write_rows(
            sink, fields, None, None, columns, points, feedback, (50, 80), multi=False
        )
        self.apply_style(context, dest, "sites.qml")
        results = {"OUTPUT": dest}
        fsink, fdest = self.output_sink(
            parameters,
            context,
            fields,
            QgsWkbTypes.MultiPolygon,
            name="FOOTPRINTS",
            optional=True,
        )
        if fsink is not None:
            poly = np.isin(shapely.get_type_id(geoms), (3, 6))
            self.write_rows(
                fsink,
                fields,
                None,
                None,
                [c[poly] for c in columns],
                geoms[poly],
                feedback,
                (80, 90),
            )
            results["FOOTPRINTS"] = fdest
        rfields, _ = self.output_fields(QgsFields(), list(REJECTED))
        rsink, rdest = self.output_sink(
            parameters,
            context,
            rfields,
            QgsWkbTypes.NoGeometry,
            name="REJECTED",
            optional=True,
        )
        if rsink is not None:
            rcols = [
                np.array(
                    [
                        None if r[n] is None else (r[n] if k != "str" else str(r[n]))
                        for r in rejected
                    ],
                    dtype=object if k == "str" else float,
                )
                for n, k in REJECTED
            ]
            self.write_rows(
                rsink,
                rfields,
                None,
                None,
                rcols,
                None,
                feedback,
                (90, 100),
                n_rows=len(rejected),
            )
            results["REJECTED"] = rdest
        results["N_EVENTS"] = len(events)
        results["N_REJECTED"] = len(events.rejected.rows("rejected"))
        return results


def _f(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
