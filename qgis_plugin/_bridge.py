"""The only module that knows both QGIS and geoconflict.

* geometries: ``QgsGeometry`` -> the core's geometries through WKB
  (:func:`geoconflict._geom.from_wkb`, one call per layer), and back through
  :func:`geoconflict._geom.to_wkb`; the core's engine is shapely >= 2 when
  QGIS's Python has it, else QGIS's own GEOS (see :mod:`geoconflict._geom`);
* coordinate reference systems: ``QgsCoordinateReferenceSystem`` -> ``pyproj.CRS``
  through the auth id (or WKT2 when there is none); layers in any CRS are
  converted to (lon, lat) degrees on EPSG:4326 for the geodesic maths;
* the ellipsoid: the project's / context's ellipsoid acronym ->
  :class:`pyproj.Geod` through ``QgsEllipsoidUtils.ellipsoidParameters``
  (WGS84 when none is set);
* units: the labels of :data:`geoconflict.units.UNIT_LABELS`.
"""

from __future__ import annotations

import struct
from functools import lru_cache

import numpy as np
import pyproj
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsEllipsoidUtils,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessingException,
    QgsWkbTypes,
)

from geoconflict import _geom
from geoconflict.errors import GeoconflictError, GeometryError
from geoconflict.units import UNIT_LABELS, UNITS

__all__ = [
    "UNIT_CHOICES",
    "WGS84_CRS",
    "crs_to_pyproj",
    "ellipsoid_geod",
    "from_lonlat",
    "point_lonlat",
    "read_geometries",
    "to_qgs_geometries",
    "unit_labels",
]

#: The distance units offered by every algorithm, in enum order.
UNIT_CHOICES = ("m", "km", "mi", "nmi")
WGS84_CRS = QgsCoordinateReferenceSystem("EPSG:4326")
_LONLAT = pyproj.CRS.from_epsg(4326)


def unit_labels():
    """Return the enum labels for :data:`UNIT_CHOICES`, e.g. ``"kilometers (km)"``."""
    return [f"{UNIT_LABELS[u]} ({u})" for u in UNIT_CHOICES]


def unit_factor(index):
    """Meters per unit for the enum index `index` of :data:`UNIT_CHOICES`."""
    return UNITS[UNIT_CHOICES[int(index)]]


# --------------------------------------------------------------------- ellipsoid
@lru_cache(maxsize=16)
def _geod_from_acronym(acronym):
    params = QgsEllipsoidUtils.ellipsoidParameters(acronym)
    if not params.valid:
        raise QgsProcessingException(
            f"The ellipsoid {acronym!r} is not known to QGIS. Choose one in "
            "Project > Properties > General > Measurements (e.g. WGS84)."
        )
    return pyproj.Geod(a=params.semiMajor, b=params.semiMinor)


def ellipsoid_geod(acronym):
    """Return ``(pyproj.Geod, label)`` for a QGIS ellipsoid acronym.

    ``""``/``"NONE"`` (no ellipsoid, planar measurements in QGIS) gives WGS84:
    geoconflict never measures planarly.
    """
    acronym = (acronym or "").strip()
    if not acronym or acronym.upper() == "NONE":
        acronym = "EPSG:7030"  # WGS 84
    return _geod_from_acronym(acronym), acronym


# --------------------------------------------------------------------------- CRS
def crs_to_pyproj(crs):
    """Return the :class:`pyproj.CRS` for a ``QgsCoordinateReferenceSystem``."""
    if not crs.isValid():
        raise QgsProcessingException(
            "The layer has no valid coordinate reference system. Set one in "
            "Layer Properties > Source (e.g. EPSG:4326) and run again."
        )
    authid = crs.authid()
    if authid and authid.upper().startswith("EPSG:"):
        return pyproj.CRS.from_user_input(authid)
    return pyproj.CRS.from_wkt(crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED))


@lru_cache(maxsize=32)
def _transformer(src_wkt, dst_wkt):
    return pyproj.Transformer.from_crs(
        pyproj.CRS.from_wkt(src_wkt), pyproj.CRS.from_wkt(dst_wkt), always_xy=True
    )


def _is_lonlat(crs):
    return crs.authid() in ("EPSG:4326", "OGC:CRS84")


def to_lonlat(geoms, crs):
    """Transform an ndarray of geometries from `crs` to EPSG:4326 lon/lat."""
    if _is_lonlat(crs) or len(geoms) == 0:
        return geoms
    src = crs_to_pyproj(crs)
    tr = _transformer(src.to_wkt(), _LONLAT.to_wkt())

    def _xy(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return _geom.transform(geoms, _xy)


def from_lonlat(geoms, crs):
    """Transform an ndarray of lon/lat geometries to `crs`."""
    if _is_lonlat(crs) or len(geoms) == 0:
        return geoms
    dst = crs_to_pyproj(crs)
    tr = _transformer(_LONLAT.to_wkt(), dst.to_wkt())

    def _xy(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return _geom.transform(geoms, _xy)


def grid_lonlat(crs, xmin, ymax, pixel, width, height):
    """Cell-centre (lon, lat) arrays, shape (height, width), of a north-up grid in `crs`."""
    xs = xmin + (np.arange(width) + 0.5) * pixel
    ys = ymax - (np.arange(height) + 0.5) * pixel
    x, y = np.meshgrid(xs, ys)
    if _is_lonlat(crs):
        return x, y
    tr = _transformer(crs_to_pyproj(crs).to_wkt(), _LONLAT.to_wkt())
    lon, lat = tr.transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def write_geotiff(path, data, crs, xmin, ymax, pixel, metadata):
    """Write a float32 GeoTIFF with GDAL (as QGIS ships it), without gdal_array.

    NaN cells are nodata.  `metadata` is a dict of strings (units, method...).
    """
    from osgeo import gdal

    data = np.ascontiguousarray(data, dtype=np.float32)
    height, width = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(
        path,
        width,
        height,
        1,
        gdal.GDT_Float32,
        options=["COMPRESS=DEFLATE", "TILED=YES", "PREDICTOR=3"],
    )
    if ds is None:
        raise QgsProcessingException(f"GDAL could not create {path!r}")
    ds.SetGeoTransform((xmin, pixel, 0.0, ymax, 0.0, -pixel))
    ds.SetProjection(crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL))
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(float("nan"))
    band.WriteRaster(
        0, 0, width, height, data.tobytes(), width, height, gdal.GDT_Float32
    )
    ds.SetMetadata({str(k): str(v) for k, v in metadata.items()})
    band.SetDescription(str(metadata.get("units", "")))
    ds.FlushCache()
    ds = None


# ---------------------------------------------------------------------- geometry
def read_geometries(source, feedback=None, progress=(0.0, 30.0), request=None):
    """Read every feature of `source` and its geometry as lon/lat core geometries.

    Returns
    -------
    features : list of QgsFeature
    geoms : ndarray of geometries (None for null geometries), EPSG:4326
    """
    request = request or QgsFeatureRequest()
    total = max(source.featureCount(), 1)
    curved = QgsWkbTypes.isCurvedType(source.wkbType())
    has_m = QgsWkbTypes.hasM(source.wkbType())
    features, wkbs = [], []
    lo, hi = progress
    step = max(total // 50, 1)
    for i, feat in enumerate(source.getFeatures(request)):
        if feedback is not None and i % step == 0:
            if feedback.isCanceled():
                break
            feedback.setProgress(lo + (hi - lo) * i / total)
        features.append(feat)
        if not feat.hasGeometry():
            wkbs.append(None)
            continue
        geom = feat.geometry()
        if curved or has_m:
            geom = QgsGeometry(geom.constGet().segmentize())
            geom.get().dropMValue()
        wkbs.append(bytes(geom.asWkb()))
    try:
        geoms = _geom.from_wkb(np.array(wkbs, dtype=object))
    except GeometryError as exc:
        raise QgsProcessingException(
            f"A geometry of {source.sourceName()!r} could not be read ({exc}). "
            "Run 'Fix geometries' on the layer first."
        ) from None
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    return features, to_lonlat(geoms, source.sourceCrs())


def point_lonlat(geoms, feedback=None):
    """Return (lon, lat) arrays of point geometries; multi-points use their first point.

    Null or empty geometries give NaN.
    """
    geoms = np.asarray(geoms, dtype=object)
    type_id = _geom.type_ids(geoms)
    multi = type_id == 4
    if multi.any():
        if feedback is not None:
            feedback.pushInfo(
                f"{int(multi.sum())} multi-point feature(s): using their first point."
            )
        geoms = geoms.copy()
        for i in np.flatnonzero(multi).tolist():
            parts = geoms[i].geoms
            geoms[i] = parts[0] if len(parts) else None
        type_id = _geom.type_ids(geoms)
    bad = (type_id != 0) & (type_id != -1)
    if bad.any():
        raise QgsProcessingException(
            f"{int(bad.sum())} feature(s) are not points (first at feature "
            f"{int(np.flatnonzero(bad)[0]) + 1}); choose a point layer."
        )
    empty = _geom.is_missing(geoms) | _geom.is_empty(geoms)
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    if (~empty).any():
        xy = _geom.get_coordinates(geoms[~empty])
        lon[~empty], lat[~empty] = xy[:, 0], xy[:, 1]
    return lon, lat


def to_qgs_geometries(geoms, multi=False):
    """Return a list of ``QgsGeometry`` from an ndarray of geometries.

    One :func:`geoconflict._geom.to_wkb` call (2-D, little-endian); missing geometries become
    empty ``QgsGeometry``.  With ``multi=True`` single parts are promoted to
    multi-part types by wrapping their WKB (a one-part multi is the header
    ``01 <multi type> 01000000`` followed by the part), with no per-feature QGIS call.
    """
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    wkbs = _geom.to_wkb(geoms) if len(geoms) else []
    if multi and len(geoms):
        type_id = _geom.type_ids(geoms)
        single = np.flatnonzero((type_id >= 0) & (type_id <= 3))
        for i in single.tolist():
            wkbs[i] = _MULTI_HEADER[int(type_id[i])] + wkbs[i]
    out = []
    for wkb in wkbs:
        g = QgsGeometry()
        if wkb is not None:
            g.fromWkb(wkb)
        out.append(g)
    return out


# little-endian WKB header of a one-part multi geometry, by geometry type id of the
# part (Point -> MultiPoint 4, LineString and LinearRing -> MultiLineString 5,
# Polygon -> MultiPolygon 6)
_MULTI_HEADER = {
    t: b"\x01" + struct.pack("<I", code) + struct.pack("<I", 1)
    for t, code in ((0, 4), (1, 5), (2, 5), (3, 6))
}


def core_call(func, *args, **kwargs):
    """Call the core; turn a :class:`GeoconflictError` into ``QgsProcessingException``."""
    try:
        return func(*args, **kwargs)
    except GeoconflictError as exc:
        raise QgsProcessingException(str(exc)) from exc
