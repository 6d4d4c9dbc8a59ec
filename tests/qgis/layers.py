"""Build real test layers: memory, GeoPackage and Shapefile, in any CRS."""

from __future__ import annotations

import itertools
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from geoconflict import _geom

_QT = {int: QVariant.Int, float: QVariant.Double, str: QVariant.String}
# a new file name per layer: id() of a freed list is reused, and a second layer
# written to the same path silently replaced the first one
_SERIAL = itertools.count(1)


def make_layer(kind, geom_type, lonlat_geoms, attrs=None, crs="EPSG:4326", tmp=None):
    """Return a QgsVectorLayer holding `lonlat_geoms` (either backend's geometries, lon/lat) in `crs`.

    kind: "memory", "gpkg" or "shp" (files are written under `tmp`).
    attrs: dict name -> list of values (int/float/str).
    """
    attrs = attrs or {}
    layer = QgsVectorLayer(f"{geom_type}?crs={crs}", "src", "memory")
    prov = layer.dataProvider()
    prov.addAttributes(
        [QgsField(name, _QT[type(values[0])]) for name, values in attrs.items()]
    )
    layer.updateFields()
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsCoordinateReferenceSystem(crs),
        QgsProject.instance(),
    )
    feats = []
    for i, geom in enumerate(lonlat_geoms):
        f = QgsFeature(layer.fields())
        g = QgsGeometry()
        g.fromWkb(
            _geom.to_wkb(_geom.as_geometry_array(geom)[0][0])
        )  # WKT would round to 6 decimals
        if crs != "EPSG:4326":
            g.transform(tr)
        f.setGeometry(g)
        f.setAttributes([values[i] for values in attrs.values()])
        feats.append(f)
    prov.addFeatures(feats)
    layer.updateExtents()
    if kind == "memory":
        return layer
    path = Path(tmp) / f"src_{next(_SERIAL)}.{kind}"
    assert not path.exists(), path
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = {"gpkg": "GPKG", "shp": "ESRI Shapefile"}[kind]
    err = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(path), QgsProject.instance().transformContext(), options
    )
    assert err[0] == QgsVectorFileWriter.NoError, err
    out = QgsVectorLayer(str(path), "src", "ogr")
    assert out.isValid()
    assert out.featureCount() == len(feats)
    return out


def features(layer_or_path):
    """List the features of a layer or of a path returned by processing.run."""
    layer = layer_or_path
    if isinstance(layer_or_path, str):
        layer = QgsVectorLayer(layer_or_path, "out", "ogr")
    return list(layer.getFeatures())


def as_layer(result):
    """The output of processing.run as a QgsVectorLayer."""
    if isinstance(result, QgsVectorLayer):
        return result
    from qgis.core import QgsProcessingUtils  # noqa: F401

    layer = QgsVectorLayer(result, "out", "ogr")
    assert layer.isValid(), result
    return layer


def lonlat_shapely(layer):
    """Geometries of `layer` as core geometries (the active backend) in lon/lat (transformed by QGIS)."""
    tr = QgsCoordinateTransform(
        layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    out = []
    for f in layer.getFeatures():
        g = QgsGeometry(f.geometry())
        g.transform(tr)
        out.append(_geom.from_wkb(bytes(g.asWkb())))
    return out
