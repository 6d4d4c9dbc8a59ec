"""Render the styled outputs with QGIS's map renderer; check the picture; save it for the docs."""

from pathlib import Path

import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from .layers import as_layer, make_layer

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "docs" / "img"
SITES = {"al-Tanf garrison": (38.6178, 33.5058), "al-Bukamal": (40.9186, 34.4522)}


def _styled(result, style):
    from geoconflict_qgis.algorithms.base import _Styler

    layer = as_layer(result)
    _Styler.for_style(style).postProcessLayer(
        layer, QgsProcessingContext(), QgsProcessingFeedback()
    )
    return layer


def _render(layers, crs, extent, size=(900, 700)):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setTransformContext(QgsProject.instance().transformContext())
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor("white"))
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), settings


def _pixel(image, settings, lonlat):
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        settings.destinationCrs(),
        QgsProject.instance(),
    )
    p = settings.mapToPixel().transform(tr.transform(QgsPointXY(*lonlat)))
    return QColor(image.pixel(int(p.x()), int(p.y())))


def _close(c, rgb, tol=14):
    return all(abs(a - b) <= tol for a, b in zip((c.red(), c.green(), c.blue()), rgb))


def _blend(hex_colour, alpha):
    c = QColor(hex_colour)
    return tuple(
        round(alpha * v + (1 - alpha) * 255) for v in (c.red(), c.green(), c.blue())
    )


def test_rendered_rings_fans_and_sites(run, tmp_path):
    names = list(SITES)
    pts = make_layer(
        "gpkg",
        "Point",
        [shapely.Point(SITES[n]) for n in names],
        {
            "name": names,
            "attribution_status": ["unknown", "claimed"],
            "site_name": names,
        },
        "EPSG:4326",
        tmp_path,
    )
    rings = run(
        "rangerings",
        {
            "INPUT": pts,
            "RADII": "25, 50, 100",
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )["OUTPUT"]
    fan = run(
        "rangefan",
        {
            "INPUT": pts,
            "AZIMUTH_FROM": 20,
            "AZIMUTH_TO": 80,
            "MIN_RANGE": 100,
            "MAX_RANGE": 160,
            "UNITS": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )["OUTPUT"]
    rings_l = _styled(rings, "rings.qml")
    fan_l = _styled(fan, "fan.qml")
    pts_l = _styled(pts, "sites.qml")
    assert rings_l.renderer().type() == "graduatedSymbol"
    assert pts_l.renderer().type() == "categorizedSymbol"
    crs = QgsCoordinateReferenceSystem(
        "EPSG:32637"
    )  # UTM 37N, conformal, not plate carree
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance()
    )
    extent = tr.transformBoundingBox(QgsRectangle(36.8, 32.2, 43.2, 36.2))
    image, settings = _render([pts_l, fan_l, rings_l], crs, extent)
    IMG.mkdir(parents=True, exist_ok=True)
    out = IMG / "qgis-range-rings.png"
    assert image.save(str(out), "PNG")
    assert out.stat().st_size > 10_000

    # not blank: many distinct colours, and white background at a far corner
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
    # the innermost band (dark red, 55 % opaque) 12 km north of al-Tanf
    x, y = SITES["al-Tanf garrison"]
    assert _close(_pixel(image, settings, (x, y + 0.11)), _blend("#bd0026", 0.55))
    # the third band (100 km ring) 75 km west of al-Tanf
    assert _close(_pixel(image, settings, (x - 0.81, y)), _blend("#fc4e2a", 0.55))
    # the fan (orange, 50 %) 130 km towards azimuth 50 from al-Bukamal, outside every ring
    bx, by = SITES["al-Bukamal"]
    import geoconflict

    fx, fy, _ = geoconflict.direct(bx, by, 50, 130_000)
    assert _close(_pixel(image, settings, (fx, fy)), _blend("#fd8d3c", 0.5))
    # outside everything: white
    assert _close(_pixel(image, settings, (37.0, 36.0)), (255, 255, 255), tol=2)
    print(f"\nsaved {out.relative_to(ROOT)}")


@pytest.fixture(autouse=True)
def _clean_project():
    yield
    QgsProject.instance().removeAllMapLayers()
