"""Menu, toolbar and the range-ring map tool on a real (offscreen) map canvas."""

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

TANF = (38.6178, 33.5058)


class FakeIface:
    """The parts of QgisInterface the plugin uses, on real Qt widgets."""

    def __init__(self):
        from qgis.gui import QgsMapCanvas, QgsMessageBar
        from qgis.PyQt.QtWidgets import QMainWindow

        self._window = QMainWindow()
        self._canvas = QgsMapCanvas(self._window)
        self._bar = QgsMessageBar(self._window)
        self.menus = {}

    def mainWindow(self):
        return self._window

    def mapCanvas(self):
        return self._canvas

    def messageBar(self):
        return self._bar

    def addToolBar(self, name):
        return self._window.addToolBar(name)

    def addPluginToMenu(self, menu, action):
        self.menus.setdefault(menu, []).append(action)

    def removePluginMenu(self, menu, action):
        self.menus[menu].remove(action)


@pytest.fixture
def iface(provider):
    iface = FakeIface()
    canvas = iface.mapCanvas()
    canvas.resize(600, 500)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    canvas.setDestinationCrs(crs)
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance()
    )
    canvas.setExtent(tr.transformBoundingBox(QgsRectangle(37.0, 32.5, 40.2, 34.5)))
    s = QgsSettings()
    s.setValue("geoconflict/ring_radii", "10, 25, 50")
    s.setValue("geoconflict/ring_unit", "km")
    yield iface
    QgsProject.instance().removeAllMapLayers()


def _map_point(canvas, lonlat):
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        canvas.mapSettings().destinationCrs(),
        QgsProject.instance(),
    )
    return tr.transform(QgsPointXY(*lonlat))


def _wgs84():
    da = QgsDistanceArea()
    da.setSourceCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance().transformContext(),
    )
    da.setEllipsoid("EPSG:7030")
    return da


def test_init_gui_adds_menu_toolbar_and_unloads(iface):
    from geoconflict_qgis.plugin import GeoconflictPlugin

    before = len(QgsApplication.processingRegistry().providers())
    plug = GeoconflictPlugin(iface)
    plug.initGui()
    names = [a.text() for a in plug.actions]
    assert "Range rings tool (click the map)" in names
    assert "Range rings" in names  # one menu entry per algorithm
    assert plug.toolbar is not None
    assert plug.toolbar.actions()
    assert len(iface.menus["&geoconflict"]) == len(plug.actions)
    plug.activate_ring_tool(True)
    assert iface.mapCanvas().mapTool() is plug.map_tool
    assert "Geodesic measure tool (click points: legs, total, azimuths)" in names
    assert plug.measure_action in plug.toolbar.actions()
    plug.activate_measure_tool(True)
    assert iface.mapCanvas().mapTool() is plug.measure_tool
    assert not plug.measure_tool.panel.dock.isHidden()  # shown (the window is not)
    plug.unload()
    assert plug.measure_tool is None
    assert plug.actions == []
    assert iface.menus["&geoconflict"] == []
    # the session's provider (registered first) is left alone
    assert len(QgsApplication.processingRegistry().providers()) == before


def test_map_tool_live_preview_place_and_save(iface):
    from geoconflict_qgis.maptool import RangeRingTool

    canvas = iface.mapCanvas()
    tool = RangeRingTool(canvas, iface)
    canvas.setMapTool(tool)
    # live preview: a mouse move over al-Tanf draws its three circles
    pix = canvas.mapSettings().mapToPixel().transform(_map_point(canvas, TANF))
    move = QgsMapMouseEvent(
        canvas, QEvent.MouseMove, QPoint(int(pix.x()), int(pix.y()))
    )
    tool.canvasMoveEvent(move)
    preview = tool.preview.asGeometry()
    assert not preview.isEmpty()
    assert preview.constGet().numGeometries() == 3
    # a left click places the site
    click = QgsMapMouseEvent(
        canvas,
        QEvent.MouseButtonRelease,
        QPoint(int(pix.x()), int(pix.y())),
        Qt.LeftButton,
    )
    tool.canvasReleaseEvent(click)
    assert len(tool.sites) == 1
    lon, lat = tool.sites[0]
    back = QgsCoordinateTransform(
        canvas.mapSettings().destinationCrs(),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    ).transform(click.mapPoint())
    assert (lon, lat) == pytest.approx((back.x(), back.y()), abs=1e-9)
    assert abs(lon - TANF[0]) < 0.2  # near al-Tanf, within the canvas' pixel size
    tool.place(_map_point(canvas, (40.9186, 34.4522)))
    placed = tool.placed.asGeometry()
    assert placed.constGet().numGeometries() == 6
    # save: polygon bands in EPSG:4326, 50 km band vertices at 50 km (QGIS measures)
    layer = tool.save_layer()
    assert layer.featureCount() == 6
    assert layer.renderer().type() == "graduatedSymbol"
    assert [r.label() for r in layer.renderer().ranges()] == ["10 km", "25 km", "50 km"]
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert tool.sites == []
    da = _wgs84()
    f = next(f for f in layer.getFeatures() if f["site"] == 1 and f["ring"] == 3)
    assert f["label"] == "50 km"
    outer = max(
        f.geometry().constGet().childGeometry(0).exteriorRing().points(),
        key=lambda p: da.measureLine(QgsPointXY(lon, lat), QgsPointXY(p.x(), p.y())),
    )
    assert da.measureLine(
        QgsPointXY(lon, lat), QgsPointXY(outer.x(), outer.y())
    ) == pytest.approx(50_000, abs=0.01)
    # right click with nothing placed saves nothing
    right = QgsMapMouseEvent(
        canvas, QEvent.MouseButtonRelease, QPoint(5, 5), Qt.RightButton
    )
    tool.canvasReleaseEvent(right)
    assert tool.save_layer() is None


BUKAMAL = (40.9186, 34.4522)
RUTBAH = (40.2833, 33.0333)


def test_measure_tool_legs_total_azimuths_units_copy(iface):
    """Clicks on a real canvas: each leg and the total against QgsDistanceArea."""
    import math

    from geoconflict_qgis.measuretool import MeasureTool
    from qgis.PyQt.QtWidgets import QApplication

    canvas = iface.mapCanvas()
    tool = MeasureTool(canvas, iface)
    canvas.setMapTool(tool)
    for p in (TANF, BUKAMAL):
        tool.add_point(_map_point(canvas, p))
    # live leg to the cursor, then a right click ends the line
    tool.move_to(_map_point(canvas, RUTBAH))
    d, az1, _ = tool.legs()
    assert len(d) == 2
    assert "2 (to cursor)" in tool.report()
    assert tool.live_band.asGeometry().constGet().vertexCount() > 2  # a geodesic
    tool.add_point(_map_point(canvas, RUTBAH))
    tool.finish()
    pts = [(lon, lat) for lon, lat in tool.points]
    assert pts[0] == pytest.approx(TANF, abs=1e-9)
    da = _wgs84()
    d, az1, _ = tool.legs()
    assert len(d) == 2
    for i in range(2):
        a, b = QgsPointXY(*pts[i]), QgsPointXY(*pts[i + 1])
        assert d[i] == pytest.approx(da.measureLine(a, b), abs=1e-3)
        assert az1[i] == pytest.approx(math.degrees(da.bearing(a, b)) % 360, abs=1e-6)
    assert tool.total("km") == pytest.approx(d.sum() / 1000, rel=1e-12)
    assert tool.total("nmi") == pytest.approx(d.sum() / 1852, rel=1e-12)
    assert tool.total("mi") == pytest.approx(d.sum() / 1609.344, rel=1e-12)
    # the panel: unit choice, table, copy to the clipboard
    tool.panel.units.setCurrentIndex(3)  # nmi
    text = tool.panel.text.toPlainText()
    assert "length (nmi)" in text
    assert f"total\t{d.sum() / 1852:.3f}" in text
    assert tool.copy() == QApplication.clipboard().text() == text
    assert tool.line_band.asGeometry().constGet().vertexCount() > 3
    tool.undo()
    assert len(tool.points) == 2
    tool.clear()
    assert tool.legs()[0].size == 0
    assert tool.report().splitlines()[-1].startswith("total\t0.000")


@pytest.mark.parametrize(
    ("text", "lonlat"),
    [
        ("34.4522, 40.9186", (40.9186, 34.4522)),  # plain numbers: latitude, longitude
        ("34.4522 40.9186", (40.9186, 34.4522)),
        ("34°27'08\"N 40°55'07\"E", (40.918611, 34.452222)),
        ("40°55'07\"E, 34°27'08\"N", (40.918611, 34.452222)),  # letters decide
        ("34 27 08 N; 40 55 07 E", (40.918611, 34.452222)),
        ("-33.5, -70.25", (-70.25, -33.5)),
    ],
)
def test_parse_centre_decimal_and_dms(text, lonlat):
    from geoconflict_qgis.maptool import parse_centre

    lon, lat, note = parse_centre(text)
    assert (lon, lat) == pytest.approx(lonlat, abs=1e-6)
    assert note == ""


def test_parse_centre_mgrs_and_errors():
    from geoconflict_qgis.maptool import parse_centre

    from geoconflict.geodesy.coords import mgrs_to_polygon

    lon, lat, note = parse_centre("37SFU7714")
    cell = mgrs_to_polygon("37SFU7714")
    assert (lon, lat) == (cell.lon, cell.lat)
    assert "1000 m MGRS square" in note
    for bad, why in (
        ("", "Type a point"),
        ("34.45", "expected two coordinates"),
        ("95, 40", "latitude"),
        ("37SZZ99", "37SZZ99"),
    ):
        with pytest.raises(ValueError, match=why):
            parse_centre(bad)


def test_rings_at_typed_coordinates(iface):
    from geoconflict_qgis.plugin import GeoconflictPlugin

    plug = GeoconflictPlugin(iface)
    plug.initGui()
    assert "Range rings at coordinates..." in [a.text() for a in plug.actions]
    assert plug.ask_centre(text="34°27'08\"N 40°55'07\"E") == pytest.approx(
        (40.918611, 34.452222), abs=1e-6
    )
    assert iface.mapCanvas().mapTool() is plug.map_tool
    assert plug.map_tool.placed.asGeometry().constGet().numGeometries() == 3
    assert plug.ask_centre(text="not a point") is None  # a message, no exception
    plug.unload()
