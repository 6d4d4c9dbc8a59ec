"""geoconflict:distanceraster, read back with GDAL, against the core and QgsDistanceArea."""

import numpy as np
import pytest
import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsPointXY, QgsProject

from .layers import make_layer
from .test_rasters import _centres, _read


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32637"])
def test_distance_raster_matches_core_and_qgis(run, tmp_path, crs):
    from qgis.core import QgsDistanceArea

    from geoconflict import distance_to

    line = shapely.LineString([(40.0, 34.0), (41.0, 34.8), (41.5, 34.2)])
    poly = shapely.box(40.2, 34.5, 40.4, 34.7)
    src = make_layer("gpkg", "LineString", [line], crs="EPSG:3857", tmp=tmp_path)
    psrc = make_layer("memory", "Polygon", [poly])
    extent = (
        "39.8,41.7,33.8,35.0 [EPSG:4326]"
        if crs == "EPSG:4326"
        else "610000,790000,3760000,3880000 [EPSG:32637]"
    )
    pixel = 0.05 if crs == "EPSG:4326" else 6000
    res = run(
        "distanceraster",
        {
            "INPUT": src,
            "EXTENT": extent,
            "TARGET_CRS": crs,
            "PIXEL_SIZE": pixel,
            "UNITS": 1,
            "OUTPUT": str(tmp_path / "d.tif"),
        },
    )
    ds, data = _read(res["OUTPUT"])
    assert ds.GetMetadata()["units"] == "km"
    c = _centres(ds, crs)
    want = (
        distance_to(c[..., 0].ravel(), c[..., 1].ravel(), line).reshape(data.shape)
        / 1000
    )
    np.testing.assert_allclose(data, want, rtol=1e-6, atol=1e-6)  # float32
    # a cell centre checked with QGIS's own measurement to the line's nearest vertex
    da = QgsDistanceArea()
    da.setSourceCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance().transformContext(),
    )
    da.setEllipsoid("EPSG:7030")
    lon, lat = c[0, 0]
    to_vertices = min(
        da.measureLine(QgsPointXY(lon, lat), QgsPointXY(x, y)) for x, y in line.coords
    )
    assert data[0, 0] * 1000 <= to_vertices + 1
    # signed distances to a polygon: negative inside
    res = run(
        "distanceraster",
        {
            "INPUT": psrc,
            "EXTENT": "40.1,40.5,34.4,34.8 [EPSG:4326]",
            "PIXEL_SIZE": 0.05,
            "UNITS": 0,
            "SIGNED": True,
            "OUTPUT": str(tmp_path / "s.tif"),
        },
    )
    _ds, sdata = _read(res["OUTPUT"])
    assert sdata.min() < 0 < sdata.max()
