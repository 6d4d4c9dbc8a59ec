"""Density (and distance) rasters written with GDAL, read back and checked against the core."""

import numpy as np
import pytest
import shapely
from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
)

from geoconflict.analysis.density import kernel_density

from .layers import make_layer

EV = [(40.91854, 34.45226), (40.95, 34.40), (41.0, 34.43)]


def _read(path):
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    data = np.frombuffer(band.ReadRaster(), dtype=np.float32).reshape(
        ds.RasterYSize, ds.RasterXSize
    )
    return ds, data


def _centres(ds, crs):
    x0, px, _, y0, _, py = ds.GetGeoTransform()
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(crs),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    out = np.empty((ds.RasterYSize, ds.RasterXSize, 2))
    for j in range(ds.RasterYSize):
        for i in range(ds.RasterXSize):
            p = tr.transform(QgsPointXY(x0 + (i + 0.5) * px, y0 + (j + 0.5) * py))
            out[j, i] = p.x(), p.y()
    return out


@pytest.mark.parametrize(
    ("crs", "extent", "pixel"),
    [
        ("EPSG:4326", "40.7,41.2,34.2,34.6 [EPSG:4326]", 0.02),
        ("EPSG:32637", "660000,710000,3785000,3830000 [EPSG:32637]", 2000),
    ],
)
def test_density_raster_matches_core(run, tmp_path, crs, extent, pixel):
    src = make_layer(
        "memory", "Point", [shapely.Point(p) for p in EV], {"killed": [2.0, 0.0, 5.0]}
    )
    out = str(tmp_path / "density.tif")
    res = run(
        "densityraster",
        {
            "INPUT": src,
            "WEIGHT": "killed",
            "BANDWIDTH": 5,
            "UNITS": 1,
            "EXTENT": extent,
            "TARGET_CRS": crs,
            "PIXEL_SIZE": pixel,
            "OUTPUT": out,
        },
    )
    ds, data = _read(res["OUTPUT"])
    assert QgsRasterLayer(res["OUTPUT"], "d").crs().authid() == crs
    assert ds.GetMetadata()["units"] == "killed per km2"
    c = _centres(ds, crs)
    want = kernel_density(
        c[..., 0].ravel(),
        c[..., 1].ravel(),
        *np.array(EV).T,
        5000,
        weights=[2.0, 0.0, 5.0],
    ).reshape(data.shape)
    np.testing.assert_allclose(data, want, rtol=1e-5, atol=1e-9)
    assert data.max() > 0.01


def test_density_raster_too_many_cells(run, tmp_path):
    from qgis.core import QgsProcessingException

    src = make_layer("memory", "Point", [shapely.Point(EV[0])])
    with pytest.raises(QgsProcessingException) as info:
        run(
            "densityraster",
            {
                "INPUT": src,
                "EXTENT": "-180,180,-90,90 [EPSG:4326]",
                "PIXEL_SIZE": 0.001,
                "OUTPUT": str(tmp_path / "x.tif"),
            },
        )
    assert "too many" in str(info.value)
