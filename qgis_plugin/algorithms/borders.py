"""Borders, boundaries and places as Processing algorithms.

Distance to border, border strip zone, reverse
geocoding, and the bundled boundaries and gazetteer as layers.

Ids ``geoconflict:distancetoborder``, ``geoconflict:borderzone``,
``geoconflict:reversegeocode``, ``geoconflict:loadboundaries`` and
``geoconflict:loadplaces``.  The data are those shipped in the plugin
(``data/boundaries``: Natural Earth 10m, OpenStreetMap-derived borders for the
Middle East, GeoNames); each dataset's positional uncertainty is reported.
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from geoconflict import _geom
from geoconflict.geodesy.measurement import densify
from geoconflict.geography import borders, boundaries, lookup, places

from .. import _bridge
from .base import GeoconflictAlgorithm
from .proximity import PointsAlgorithm

DATASET_LABELS = (
    "Natural Earth 10m (world, de facto; about ±3 km)",
    "OpenStreetMap-derived (Middle East; about ±0.5 km)",
)


def _log_distances(feedback, feats, d, lo, hi, side, border, factor, unit, limit=20):
    """Print each point's distance (the first `limit`), then min / median / max."""
    names = feats[0].fields().names() if feats else []
    key = "name" if "name" in names else None
    for i in range(min(len(feats), limit)):
        who = f"{feats[i][key]}" if key else f"feature {feats[i].id()}"
        if not np.isfinite(d[i]):
            feedback.pushInfo(f"{who}: no location, not measured.")
            continue
        feedback.pushInfo(
            f"{who}: {d[i] / factor:,.3f} {unit} to the {border[i]} border "
            f"({lo[i] / factor:,.3f}-{hi[i] / factor:,.3f} {unit} across the "
            f"datasets), on the {side[i]} side."
        )
    good = d[np.isfinite(d)] / factor
    if len(good) > 1:
        feedback.pushInfo(
            f"{len(good)} point(s): min {good.min():,.3f}, median "
            f"{np.median(good):,.3f}, max {good.max():,.3f} {unit}."
        )


def _dataset(alg, parameters, context):
    return boundaries.DATASETS[alg.parameterAsEnum(parameters, "DATASET", context)]


def _add_dataset(alg):
    alg.addParameter(
        QgsProcessingParameterEnum(
            "DATASET",
            alg.tr("Boundary dataset"),
            options=list(DATASET_LABELS),
            defaultValue=0,
        )
    )


class DistanceToBorder(PointsAlgorithm):
    """Geodesic distance from points to a border, with side, nearest point and uncertainty."""

    ALG_ID = "distancetoborder"
    DISPLAY = "Distance to border"
    GROUP = "Borders and places"
    GROUP_ID = "borders"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Points"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "COUNTRY_A",
                self.tr(
                    "Country A (code or name; empty = nearest border of any country)"
                ),
                "IRQ",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "COUNTRY_B", self.tr("Country B"), "SYR", optional=True
            )
        )
        _add_dataset(self)
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Distance to border"), QgsProcessing.TypeVectorPoint
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "LINES",
                self.tr("Geodesic lines to the nearest border point"),
                QgsProcessing.TypeVectorLine,
                optional=True,
                createByDefault=False,
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        a = self.parameterAsString(parameters, "COUNTRY_A", context).strip()
        b = self.parameterAsString(parameters, "COUNTRY_B", context).strip()
        dataset = _dataset(self, parameters, context)
        if bool(a) != bool(b):
            raise QgsProcessingException(
                "Give both countries (e.g. IRQ and SYR), or neither for the nearest "
                "border of any country."
            )
        feedback.pushInfo(
            "Border distances are geodesic on WGS84, the datasets' datum."
        )
        source, feats, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback, (0, 30)
        )
        ok = np.isfinite(lon)
        feedback.pushInfo(
            f"Measuring {int(ok.sum())} point(s) to the "
            f"{f'{a}-{b} border' if a else 'nearest border'} ({dataset}), in one call."
        )
        if a:
            res = _bridge.core_call(
                borders.distance_to_border, lon[ok], lat[ok], a, b, dataset=dataset
            )
        else:
            res = _bridge.core_call(
                borders.nearest_border, lon[ok], lat[ok], dataset=dataset
            )
        self.check_cancel(feedback)
        feedback.setProgress(70)
        n = len(feats)

        def full(values, kind=float):
            out = (
                np.full(n, np.nan) if kind is float else np.full(n, None, dtype=object)
            )
            out[ok] = np.asarray(values).reshape(-1)
            return out

        d, lo, hi = full(res.distance_m), full(res.low_m), full(res.high_m)
        nlon, nlat = full(res.lon), full(res.lat)
        border = full(
            np.broadcast_to(np.asarray(res.border, dtype=object), (int(ok.sum()),)),
            object,
        )
        side = full(np.asarray(res.side, dtype=object), object)
        extra = [
            (f"distance_{unit}", "float"),
            ("distance_m", "float"),
            ("low_m", "float"),
            ("high_m", "float"),
            ("side", "str"),
            ("border", "str"),
            ("dataset", "str"),
            ("near_lon", "float"),
            ("near_lat", "float"),
        ]
        columns = [
            d / factor,
            d,
            lo,
            hi,
            side,
            border,
            np.full(n, dataset, dtype=object),
            nlon,
            nlat,
        ]
        fields, columns = self.output_fields(source.fields(), extra, columns)
        sink, dest = self.sink(parameters, context, fields, source)
        self.write_same_geometry(sink, fields, feats, np.arange(n), columns, feedback)
        _log_distances(feedback, feats, d, lo, hi, side, border, factor, unit)
        what = f"{a}-{b} border" if a else "nearest border"
        dist_field = fields.at(source.fields().count()).name()  # first added field
        self.apply_style(
            context,
            dest,
            None,
            name=f"Distance to the {what} ({dataset})",
            label=f"format_number(\"{dist_field}\", 1) || ' {unit}'",
        )
        results = {"OUTPUT": dest}
        lsink, ldest = self.output_sink(
            parameters,
            context,
            fields,
            QgsWkbTypes.MultiLineString,
            name="LINES",
            optional=True,
        )
        if lsink is not None:
            good = ok & np.isfinite(nlon)
            lines = _geom.lines(
                np.stack(
                    [
                        np.column_stack([lon[good], lat[good]]),
                        np.column_stack([nlon[good], nlat[good]]),
                    ],
                    axis=1,
                )
            )
            lines = np.asarray(densify(lines, 1000.0), dtype=object).reshape(-1)
            from geoconflict.geodesy.antimeridian import split

            lines = np.asarray(split(lines), dtype=object).reshape(-1)
            attrs = [f.attributes() for f in feats]
            self.write_rows(
                lsink,
                fields,
                attrs,
                np.flatnonzero(good),
                [c[good] for c in columns],
                lines,
                feedback,
                (90, 100),
            )
            results["LINES"] = ldest
        return results


class BorderZone(GeoconflictAlgorithm):
    """The geodesic strip within a distance of a border, on one side or both."""

    ALG_ID = "borderzone"
    DISPLAY = "Border strip zone"
    GROUP = "Borders and places"
    GROUP_ID = "borders"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterString("COUNTRY_A", self.tr("Country A"), "IRQ")
        )
        self.addParameter(
            QgsProcessingParameterString("COUNTRY_B", self.tr("Country B"), "SYR")
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "WIDTH",
                self.tr("Width"),
                QgsProcessingParameterNumber.Double,
                defaultValue=10.0,
                minValue=0.0,
            )
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterString(
                "SIDE",
                self.tr("Keep only this side (a country code; empty = both sides)"),
                "",
                optional=True,
            )
        )
        _add_dataset(self)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Border zone"), QgsProcessing.TypeVectorPolygon
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        a = self.parameterAsString(parameters, "COUNTRY_A", context).strip()
        b = self.parameterAsString(parameters, "COUNTRY_B", context).strip()
        side = self.parameterAsString(parameters, "SIDE", context).strip() or None
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        width_m = self.parameterAsDouble(
            parameters, "WIDTH", context
        ) * self.unit_factor(parameters, context)
        dataset = _dataset(self, parameters, context)
        zone = _bridge.core_call(
            borders.border_zone, a, b, width_m, side=side, dataset=dataset
        )
        feedback.setProgress(70)
        extra = [
            ("border", "str"),
            ("side", "str"),
            ("width_m", "float"),
            (f"width_{unit}", "float"),
            ("dataset", "str"),
        ]
        fields, _ = self.output_fields(QgsFields(), extra)
        sink, dest = self.output_sink(
            parameters, context, fields, QgsWkbTypes.MultiPolygon
        )
        cols = [
            np.array([f"{a}-{b}"], dtype=object),
            np.array([side or "both"], dtype=object),
            np.array([width_m]),
            np.array([width_m / self.unit_factor(parameters, context)]),
            np.array([dataset], dtype=object),
        ]
        self.write_rows(
            sink,
            fields,
            None,
            None,
            cols,
            np.array([zone], dtype=object),
            feedback,
            (70, 100),
        )
        self.apply_style(context, dest, "zone.qml")
        return {"OUTPUT": dest}


class ReverseGeocode(PointsAlgorithm):
    """Country, province and dispute status at each point."""

    ALG_ID = "reversegeocode"
    DISPLAY = "Reverse geocode (country, province, dispute)"
    GROUP = "Borders and places"
    GROUP_ID = "borders"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Points"), [QgsProcessing.TypeVectorPoint]
            )
        )
        _add_dataset(self)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Reverse geocoded"), QgsProcessing.TypeVectorPoint
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        dataset = _dataset(self, parameters, context)
        source, feats, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback, (0, 30)
        )
        ok = np.isfinite(lon)
        n = len(feats)
        cols = {
            k: np.full(n, None, dtype=object)
            for k in ("country", "status", "province", "disputed_area")
        }
        if ok.any():
            cols["country"][ok] = _bridge.core_call(
                lookup.country_at, lon[ok], lat[ok], dataset=dataset
            )
            self.check_cancel(feedback)
            cols["status"][ok] = _bridge.core_call(
                lookup.country_at, lon[ok], lat[ok], dataset=dataset, status=True
            )
            cols["province"][ok] = _bridge.core_call(
                lookup.province_at, lon[ok], lat[ok]
            )
            areas = _bridge.core_call(lookup.disputes_at, lon[ok], lat[ok])
            cols["disputed_area"][ok] = [None if x is None else x.name for x in areas]
        feedback.setProgress(80)
        extra = [(k, "str") for k in cols] + [("dataset", "str")]
        fields, _ = self.output_fields(source.fields(), extra)
        sink, dest = self.sink(parameters, context, fields, source)
        self.write_same_geometry(
            sink,
            fields,
            feats,
            np.arange(n),
            [*cols.values(), np.full(n, dataset, dtype=object)],
            feedback,
        )
        return {"OUTPUT": dest}


LAYERS = ("countries", "provinces", "disputed", "border")
LAYER_LABELS = (
    "Countries",
    "Provinces (admin-1) of a country",
    "Disputed areas (Natural Earth: held by / claimed by)",
    "Border line between two countries",
)


class LoadBoundaries(GeoconflictAlgorithm):
    """The bundled boundary data as a layer."""

    ALG_ID = "loadboundaries"
    DISPLAY = "Load boundaries"
    GROUP = "Borders and places"
    GROUP_ID = "borders"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterEnum(
                "LAYER", self.tr("Layer"), options=list(LAYER_LABELS), defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "COUNTRY_A", self.tr("Country (provinces, border A)"), "", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "COUNTRY_B", self.tr("Country B (border)"), "", optional=True
            )
        )
        _add_dataset(self)
        self.addParameter(
            QgsProcessingParameterExtent(
                "EXTENT",
                self.tr("Only features intersecting this extent"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Boundaries"), QgsProcessing.TypeVectorAnyGeometry
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        layer = LAYERS[self.parameterAsEnum(parameters, "LAYER", context)]
        a = self.parameterAsString(parameters, "COUNTRY_A", context).strip()
        b = self.parameterAsString(parameters, "COUNTRY_B", context).strip()
        dataset = _dataset(self, parameters, context)
        wkb, style = QgsWkbTypes.MultiPolygon, "countries.qml"
        if layer == "countries":
            recs = _bridge.core_call(boundaries.countries, dataset)
            spec = [
                ("iso3", "str"),
                ("iso2", "str"),
                ("name", "str"),
                ("dataset", "str"),
            ]
            rows = [[r.iso3, r.iso2, r.name, r.dataset] for r in recs]
            geoms = [r.geometry for r in recs]
        elif layer == "provinces":
            recs = _bridge.core_call(boundaries.provinces, a or None)
            spec = [("code", "str"), ("name", "str"), ("country", "str")]
            rows = [[r.code, r.name, r.country] for r in recs]
            geoms = [r.geometry for r in recs]
        elif layer == "disputed":
            recs = _bridge.core_call(boundaries.disputed_areas)
            spec = [
                ("name", "str"),
                ("administered_by", "str"),
                ("claimed_by", "str"),
                ("note", "str"),
            ]
            rows = [
                [r.name, r.administered_by, ", ".join(r.claimed_by), r.note]
                for r in recs
            ]
            geoms = [r.geometry for r in recs]
            style = "disputed.qml"
        else:
            if not (a and b):
                raise QgsProcessingException(
                    "Give the two countries of the border, e.g. IRQ and SYR."
                )
            geom = _bridge.core_call(borders.border, a, b, dataset=dataset)
            spec = [("border", "str"), ("dataset", "str"), ("length_km", "float")]
            from geoconflict.geodesy.measurement import length

            rows = [[f"{a}-{b}", dataset, length(geom) / 1000.0]]
            geoms = [geom]
            wkb, style = QgsWkbTypes.MultiLineString, None
        geoms = np.array(geoms, dtype=object)
        if parameters.get("EXTENT") not in (None, ""):
            ext = self.parameterAsExtent(
                parameters, "EXTENT", context, _bridge.WGS84_CRS
            )
            box = _geom.box(
                ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum()
            )
            keep = _geom.intersects(geoms, box)
            geoms, rows = geoms[keep], [r for r, k in zip(rows, keep) if k]
        feedback.setProgress(60)
        fields, _ = self.output_fields(QgsFields(), spec)
        sink, dest = self.output_sink(parameters, context, fields, wkb)
        cols = [
            np.array([r[j] for r in rows], dtype=object if k == "str" else float)
            for j, (_n, k) in enumerate(spec)
        ]
        self.write_rows(
            sink,
            fields,
            None,
            None,
            cols,
            geoms,
            feedback,
            (60, 100),
        )
        osm = dataset == "osm" and layer in ("countries", "border")
        self.apply_style(
            context,
            dest,
            style,
            name={
                "countries": f"Countries ({dataset})",
                "provinces": f"Provinces {a}".strip(),
                "disputed": "Disputed areas",
                "border": f"Border {a}-{b} ({dataset})",
            }[layer],
            attribution="© OpenStreetMap contributors (ODbL)" if osm else None,
        )
        return {"OUTPUT": dest}


class LoadPlaces(GeoconflictAlgorithm):
    """Gazetteer look-up (every candidate, across spellings) or the curated sites."""

    ALG_ID = "loadplaces"
    DISPLAY = "Load places (gazetteer look-up)"
    GROUP = "Borders and places"
    GROUP_ID = "borders"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterString(
                "NAME",
                self.tr("Place name (empty = the curated sites: garrisons, crossings)"),
                "",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "COUNTRY", self.tr("Only in this country (ISO code)"), "", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Places"), QgsProcessing.TypeVectorPoint
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        name = self.parameterAsString(parameters, "NAME", context).strip()
        country = self.parameterAsString(parameters, "COUNTRY", context).strip() or None
        if name:
            found = _bridge.core_call(places.lookup, name, country=country)
            spread = getattr(found, "spread_m", None)
            if spread is not None:
                feedback.pushInfo(
                    f"{len(found)} candidate(s) for {name!r}; they are up to "
                    f"{spread / 1000:.1f} km apart."
                )
        else:
            found = _bridge.core_call(places.sites)
        spec = [
            ("name", "str"),
            ("source", "str"),
            ("id", "str"),
            ("country", "str"),
            ("population", "float"),
            ("matched", "str"),
            ("match", "str"),
            ("precision_m", "float"),
            ("note", "str"),
            ("lon", "float"),
            ("lat", "float"),
        ]
        rows = [
            [
                p.name,
                p.source,
                p.id,
                p.country,
                p.population,
                p.matched,
                p.match,
                p.precision_m,
                p.note,
                p.lon,
                p.lat,
            ]
            for p in found
        ]
        fields, _ = self.output_fields(QgsFields(), spec)
        sink, dest = self.output_sink(parameters, context, fields, QgsWkbTypes.Point)
        cols = [
            np.array([r[j] for r in rows], dtype=object if k == "str" else float)
            for j, (_n, k) in enumerate(spec)
        ]
        pts = (
            _geom.points(cols[-2].astype(float), cols[-1].astype(float))
            if rows
            else np.empty(0, object)
        )
        self.write_rows(
            sink,
            fields,
            None,
            None,
            cols,
            np.asarray(pts, dtype=object),
            feedback,
            (50, 100),
            multi=False,
        )
        return {"OUTPUT": dest, "N_PLACES": len(rows)}
