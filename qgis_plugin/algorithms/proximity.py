"""Point-to-point proximity: exposure counts, nearest feature, points within distance.

Ids ``geoconflict:exposurecounts``, ``geoconflict:nearestfeature`` and
``geoconflict:pointswithindistance``.  Every distance is an exact geodesic on the
project ellipsoid.
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsWkbTypes,
)

from geoconflict import GeodesicIndex, Nearest, _geom, exposure, nearest, points_within

from .. import _bridge
from .base import GeoconflictAlgorithm
from .range_rings import parse_radii


class PointsAlgorithm(GeoconflictAlgorithm):
    """Base of the point algorithms (this module's and ``borders.py``'s)."""

    GROUP = "Distances and measures"
    GROUP_ID = "distances"

    def sink(self, parameters, context, fields, source):
        """Return the output sink, with the geometry type and CRS of `source`."""
        return self.output_sink(
            parameters, context, fields, source.wkbType(), source.sourceCrs()
        )


class ExposureCounts(PointsAlgorithm):
    """Count events (and sum a weight) in geodesic rings around each site."""

    ALG_ID = "exposurecounts"
    DISPLAY = "Exposure counts (events in rings around sites)"
    GROUP = "Buffers and ranges"
    GROUP_ID = "ranges"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Sites (points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "EVENTS", self.tr("Events (points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "RINGS", self.tr("Ring radii, increasing (comma-separated)"), "1, 2, 5"
            )
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterField(
                "WEIGHT",
                self.tr("Weight field to sum (e.g. fatalities)"),
                parentLayerParameterName="EVENTS",
                type=QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                "CUMULATIVE", self.tr("Cumulative (disks instead of bands)"), False
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Exposure"), QgsProcessing.TypeVectorPoint
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        radii = parse_radii(self.parameterAsString(parameters, "RINGS", context), unit)
        cumulative = self.parameterAsBoolean(parameters, "CUMULATIVE", context)
        source, feats, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback, (0, 20)
        )
        esrc, efeats, elon, elat = self.read_points(
            parameters, "EVENTS", context, feedback, (20, 50)
        )
        weight_field = self.parameterAsString(parameters, "WEIGHT", context)
        weights = None
        if weight_field:
            idx = esrc.fields().lookupField(weight_field)
            weights = np.array([_float(f.attributes()[idx]) for f in efeats])
        eok = np.isfinite(elon)
        sok = np.isfinite(lon)
        if (~eok).any():
            feedback.pushWarning(
                f"{int((~eok).sum())} event(s) without a location are not counted."
            )
        res = _bridge.core_call(
            exposure,
            np.column_stack([elon[eok], elat[eok]]),
            np.column_stack([lon[sok], lat[sok]]),
            radii,
            weights=None if weights is None else weights[eok],
            cumulative=cumulative,
            geod=self.geod(context, feedback),
        )
        feedback.setProgress(80)
        n = len(feats)
        counts = np.full((n, len(radii)), np.nan)
        counts[sok] = res.counts
        extra = [(f"events_{c}", "int") for c in res.columns]
        columns = [counts[:, j] for j in range(len(radii))]
        if res.sums is not None:
            sums = np.full((n, len(radii)), np.nan)
            sums[sok] = res.sums
            extra += [(f"{weight_field}_{c}"[:60], "float") for c in res.columns]
            columns += [sums[:, j] for j in range(len(radii))]
        fields, _ = self.output_fields(source.fields(), extra)
        sink, dest = self.sink(parameters, context, fields, source)
        self.write_same_geometry(sink, fields, feats, np.arange(n), columns, feedback)
        return {"OUTPUT": dest}


class NearestFeature(PointsAlgorithm):
    """Geodesic join: each point's k nearest points of another layer."""

    ALG_ID = "nearestfeature"
    DISPLAY = "Nearest feature (geodesic join)"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Points"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "TARGETS",
                self.tr("Nearest of (points, lines or polygons)"),
                [QgsProcessing.TypeVectorAnyGeometry],
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "NEIGHBORS",
                self.tr("Number of neighbours"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=1,
                minValue=1,
                maxValue=100,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "MAX_DISTANCE",
                self.tr("Maximum distance (0 = no limit)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.0,
                minValue=0.0,
            )
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterString(
                "PREFIX", self.tr("Prefix of the joined fields"), "nearest_"
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("Joined"), QgsProcessing.TypeVectorPoint
            )
        )

    def _nearest_geometries(self, lon, lat, geoms, k, max_d, geod, feedback):
        return _bridge.core_call(
            _nearest_geometries_impl,
            lon,
            lat,
            geoms,
            k,
            max_d,
            geod,
            feedback,
            self.check_cancel,
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        k = self.parameterAsInt(parameters, "NEIGHBORS", context)
        max_d = (
            self.parameterAsDouble(parameters, "MAX_DISTANCE", context) * factor or None
        )
        prefix = self.parameterAsString(parameters, "PREFIX", context)
        source, feats, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback, (0, 20)
        )
        tsrc = self.input_source(parameters, context, "TARGETS")
        tfeats, tgeoms = _bridge.read_geometries(tsrc, feedback, (20, 40))
        self.check_cancel(feedback)
        geod = self.geod(context, feedback)
        ok = np.isfinite(lon)
        if QgsWkbTypes.geometryType(tsrc.wkbType()) == QgsWkbTypes.PointGeometry:
            tlon, tlat = _bridge.point_lonlat(tgeoms, feedback)
            tok = np.isfinite(tlon)
            res = _bridge.core_call(
                nearest,
                np.column_stack([lon[ok], lat[ok]]),
                np.column_stack([tlon[tok], tlat[tok]]),
                k,
                max_distance=max_d,
                geod=geod,
            )
        else:
            tok = ~(_geom.is_missing(tgeoms) | _geom.is_empty(tgeoms))
            res = self._nearest_geometries(
                lon[ok], lat[ok], tgeoms[tok], k, max_d, geod, feedback
            )
        feedback.setProgress(70)
        owner = np.repeat(np.flatnonzero(ok), k)
        rank = np.tile(np.arange(1, k + 1), int(ok.sum()))
        idx = res.index.reshape(-1)
        dist = res.distance.reshape(-1)
        target = np.where(idx >= 0, np.flatnonzero(tok)[np.maximum(idx, 0)], -1)
        fields = QgsProcessingUtils.combineFields(
            source.fields(), tsrc.fields(), prefix
        )
        extra = [
            ("rank", "int"),
            (f"distance_{unit}", "float"),
            ("distance_m", "float"),
        ]
        fields, columns = self.output_fields(fields, extra, [rank, dist / factor, dist])
        sink, dest = self.sink(parameters, context, fields, source)
        empty = [None] * tsrc.fields().count()
        joined = [tfeats[t].attributes() if t >= 0 else empty for t in target.tolist()]
        self.write_same_geometry(
            sink,
            fields,
            feats,
            owner,
            columns,
            feedback,
            extra_attrs=joined,
        )
        return {"OUTPUT": dest}


def _nearest_geometries_impl(lon, lat, geoms, k, max_d, geod, feedback, check_cancel):
    """Return the k nearest of line/polygon features for every point.

    One exact GeodesicIndex per target, each queried for every point at once (a
    loop over targets, not over points).
    """
    n, m = len(lon), len(geoms)
    if n * m > 50_000_000:
        raise QgsProcessingException(
            f"{n} points x {m} target features is too many pairs for the exact "
            "line/polygon join; split the layers or dissolve the targets."
        )
    d = np.empty((n, m))
    for j, geom in enumerate(geoms):
        d[:, j] = GeodesicIndex(geom, geod=geod).distance_to(lon, lat)
        if j % 10 == 0:
            check_cancel(feedback)
            feedback.setProgress(40 + 30 * j / max(m, 1))
    kk = min(k, m)
    order = np.argsort(d, axis=1, kind="stable")[:, :kk]
    dist = np.take_along_axis(d, order, axis=1)
    if max_d is not None:
        far = dist > max_d
        order = np.where(far, -1, order)
        dist = np.where(far, np.nan, dist)
    if kk < k:
        order = np.hstack([order, np.full((n, k - kk), -1)])
        dist = np.hstack([dist, np.full((n, k - kk), np.nan)])
    unused = np.full(dist.shape, np.nan)  # the nearest points are not needed here
    return Nearest(dist, unused, unused, unused, index=order)


class PointsWithinDistance(PointsAlgorithm):
    """Every (point, centre) pair closer than a geodesic distance."""

    ALG_ID = "pointswithindistance"
    DISPLAY = "Points within distance"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Points"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "CENTRES", self.tr("Centres (points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.add_dynamic_number(
            "DISTANCE",
            "Distance (data-defined per centre)",
            10.0,
            layer_param="CENTRES",
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterString(
                "PREFIX", self.tr("Prefix of the centre fields"), "centre_"
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT",
                self.tr("Points within distance"),
                QgsProcessing.TypeVectorPoint,
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        prefix = self.parameterAsString(parameters, "PREFIX", context)
        source, feats, lon, lat = self.read_points(
            parameters, "INPUT", context, feedback, (0, 20)
        )
        csrc, cfeats, clon, clat = self.read_points(
            parameters, "CENTRES", context, feedback, (20, 40)
        )
        radius = (
            self.per_feature_values(parameters, "DISTANCE", context, cfeats) * factor
        )
        ok = np.isfinite(lon)
        cok = np.isfinite(clon) & np.isfinite(radius)
        pairs = _bridge.core_call(
            points_within,
            lon[ok],
            lat[ok],
            clon[cok],
            clat[cok],
            radius[cok],
            geod=self.geod(context, feedback),
        )
        feedback.setProgress(70)
        pidx = np.flatnonzero(ok)[pairs.point_index]
        cidx = np.flatnonzero(cok)[pairs.center_index]
        order = np.lexsort((pairs.distance, pidx))
        pidx, cidx, dist = pidx[order], cidx[order], pairs.distance[order]
        fields = QgsProcessingUtils.combineFields(
            source.fields(), csrc.fields(), prefix
        )
        fields, columns = self.output_fields(
            fields,
            [(f"distance_{unit}", "float"), ("distance_m", "float")],
            [dist / factor, dist],
        )
        sink, dest = self.sink(parameters, context, fields, source)
        joined = [cfeats[c].attributes() for c in cidx.tolist()]
        self.write_same_geometry(
            sink,
            fields,
            feats,
            pidx,
            columns,
            feedback,
            extra_attrs=joined,
        )
        return {"OUTPUT": dest, "N_PAIRS": len(pidx)}


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


__all__ = [
    "ExposureCounts",
    "NearestFeature",
    "PointsAlgorithm",
    "PointsWithinDistance",
    "QgsFields",
]
