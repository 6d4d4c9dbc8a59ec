"""Geodesic rasters: distance to features and event density.

Ids ``geoconflict:distanceraster`` and ``geoconflict:densityraster``.  Cell
centres of a north-up grid in any CRS are converted to lon/lat, the core computes
every value in one call, and GDAL (as shipped with QGIS) writes the GeoTIFF.
"""

from __future__ import annotations

import math

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

from geoconflict import _geom

from .. import _bridge
from .base import GeoconflictAlgorithm

MAX_CELLS = 25_000_000


class _RasterAlgorithm(GeoconflictAlgorithm):
    GROUP = "Rasters"
    GROUP_ID = "rasters"

    def add_grid_parameters(self):
        self.addParameter(QgsProcessingParameterExtent("EXTENT", self.tr("Extent")))
        self.addParameter(
            QgsProcessingParameterCrs(
                "TARGET_CRS", self.tr("Raster CRS (default EPSG:4326)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "PIXEL_SIZE",
                self.tr("Pixel size (in raster CRS units: degrees for EPSG:4326)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.01,
                minValue=0.0,
            )
        )

    def grid(self, parameters, context, feedback):
        crs = self.parameterAsCrs(parameters, "TARGET_CRS", context)
        if not crs.isValid():
            crs = _bridge.WGS84_CRS
        ext = self.parameterAsExtent(parameters, "EXTENT", context, crs)
        pixel = self.parameterAsDouble(parameters, "PIXEL_SIZE", context)
        if ext.isEmpty() or pixel <= 0:
            raise QgsProcessingException(
                "Give a non-empty extent and a positive pixel size (in the raster CRS units)."
            )
        width = max(1, math.ceil(ext.width() / pixel))
        height = max(1, math.ceil(ext.height() / pixel))
        if width * height > MAX_CELLS:
            raise QgsProcessingException(
                f"{width} x {height} cells is too many (limit {MAX_CELLS:,}); use a larger "
                "pixel size or a smaller extent."
            )
        feedback.pushInfo(
            f"Grid: {width} x {height} cells of {pixel} in {crs.authid()}."
        )
        lon, lat = _bridge.grid_lonlat(
            crs, ext.xMinimum(), ext.yMaximum(), pixel, width, height
        )
        return crs, ext.xMinimum(), ext.yMaximum(), pixel, lon, lat

    def write(self, parameters, context, data, grid, metadata):
        crs, xmin, ymax, pixel, _lon, _lat = grid
        path = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        _bridge.write_geotiff(path, data, crs, xmin, ymax, pixel, metadata)
        return path


class DistanceRaster(_RasterAlgorithm):
    """Geodesic distance from every cell to the features of a layer."""

    ALG_ID = "distanceraster"
    DISPLAY = "Distance raster (geodesic)"

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT",
                self.tr("Distance to (any geometry)"),
                [QgsProcessing.TypeVectorAnyGeometry],
            )
        )
        self.add_grid_parameters()
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterBoolean(
                "SIGNED", self.tr("Negative inside polygons"), False
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                "OUTPUT", self.tr("Distance raster")
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        from geoconflict import distance_to

        source = self.input_source(parameters, context)
        unit = _bridge.UNIT_CHOICES[self.parameterAsEnum(parameters, "UNITS", context)]
        factor = self.unit_factor(parameters, context)
        signed = self.parameterAsBoolean(parameters, "SIGNED", context)
        _feats, geoms = _bridge.read_geometries(source, feedback, (0, 10))
        geoms = geoms[~_geom.is_missing(geoms)]
        if not len(geoms):
            raise QgsProcessingException(
                "The input layer has no geometries to measure to."
            )
        target = _geom.union_all(geoms) if len(geoms) > 1 else geoms[0]
        grid = self.grid(parameters, context, feedback)
        lon, lat = grid[4], grid[5]
        self.check_cancel(feedback)
        d = _bridge.core_call(
            distance_to,
            lon.ravel(),
            lat.ravel(),
            target,
            signed=signed,
            geod=self.geod(context, feedback),
        )
        feedback.setProgress(90)
        data = np.asarray(d, dtype=float).reshape(lon.shape) / factor
        path = self.write(
            parameters,
            context,
            data,
            grid,
            {
                "units": unit,
                "description": "geodesic distance to the input features",
                "signed": str(signed),
                "ellipsoid": context.ellipsoid() or "WGS84",
            },
        )
        return {"OUTPUT": path}


class DensityRaster(_RasterAlgorithm):
    """Kernel density of events per km², bandwidth in geodesic meters."""

    ALG_ID = "densityraster"
    DISPLAY = "Event density raster (per km²)"
    KERNELS = ("gaussian", "quartic")

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Events (points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "WEIGHT",
                self.tr("Weight field (e.g. fatalities)"),
                parentLayerParameterName="INPUT",
                type=QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "BANDWIDTH",
                self.tr("Bandwidth"),
                QgsProcessingParameterNumber.Double,
                defaultValue=5.0,
                minValue=0.0,
            )
        )
        self.add_units_parameter()
        self.addParameter(
            QgsProcessingParameterEnum(
                "KERNEL",
                self.tr("Kernel"),
                options=["Gaussian (cut at 4 bandwidths)", "Quartic"],
                defaultValue=0,
            )
        )
        self.add_grid_parameters()
        self.addParameter(
            QgsProcessingParameterRasterDestination("OUTPUT", self.tr("Density raster"))
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        from geoconflict.analysis.density import kernel_density

        h = self.parameterAsDouble(parameters, "BANDWIDTH", context) * self.unit_factor(
            parameters, context
        )
        kernel = self.KERNELS[self.parameterAsEnum(parameters, "KERNEL", context)]
        source, feats, elon, elat = self.read_points(
            parameters, "INPUT", context, feedback, (0, 10)
        )
        weight_field = self.parameterAsString(parameters, "WEIGHT", context)
        w = None
        if weight_field:
            idx = source.fields().lookupField(weight_field)
            w = np.array([_float(f.attributes()[idx]) for f in feats])
        ok = np.isfinite(elon)
        grid = self.grid(parameters, context, feedback)
        lon, lat = grid[4], grid[5]
        self.check_cancel(feedback)
        dens = _bridge.core_call(
            kernel_density,
            lon.ravel(),
            lat.ravel(),
            elon[ok],
            elat[ok],
            h,
            weights=None if w is None else w[ok],
            kernel=kernel,
            geod=self.geod(context, feedback),
        )
        feedback.setProgress(90)
        units = "events per km2" if w is None else f"{weight_field} per km2"
        path = self.write(
            parameters,
            context,
            dens.reshape(lon.shape),
            grid,
            {
                "units": units,
                "kernel": kernel,
                "bandwidth_m": repr(h),
                "n_events": str(int(ok.sum())),
                "description": "kernel density with a geodesic bandwidth",
            },
        )
        return {"OUTPUT": path}


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
