"""The plugin object: Processing provider, menu, toolbar, the range-ring and measure tools."""

from __future__ import annotations

import os

from qgis.core import QgsApplication

from .provider import GeoconflictProvider

_ICONS = os.path.join(os.path.dirname(__file__), "resources", "icons")
MENU = "&geoconflict"


class GeoconflictPlugin:
    """Registers the ``geoconflict`` provider; adds a menu, a toolbar and a map tool.

    `iface` is None when QGIS loads the plugin headless (``qgis_process``): then
    only :meth:`initProcessing` runs.
    """

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []
        self.toolbar = None
        self.map_tool = None
        self.measure_tool = None

    # Processing --------------------------------------------------------------
    def initProcessing(self):
        """Register the Processing provider (called headless too)."""
        registry = QgsApplication.processingRegistry()
        if self.provider is None and registry.providerById("geoconflict") is None:
            self.provider = GeoconflictProvider()
            if not registry.addProvider(self.provider):
                self.provider = None

    # GUI ---------------------------------------------------------------------
    def initGui(self):
        """Add the provider, the menu, the toolbar and the map tool."""
        self.initProcessing()
        if self.iface is None:
            return
        from qgis.PyQt.QtGui import QIcon
        from qgis.PyQt.QtWidgets import QAction

        self.toolbar = self.iface.addToolBar("geoconflict")
        self.toolbar.setObjectName("geoconflictToolbar")

        tool = QAction(
            QIcon(os.path.join(_ICONS, "rings.svg")),
            "Range rings tool (click the map)",
            self.iface.mainWindow(),
        )
        tool.setCheckable(True)
        tool.triggered.connect(self.activate_ring_tool)
        self._add(tool, toolbar=True)

        measure = QAction(
            QIcon(os.path.join(_ICONS, "geoconflict.svg")),
            "Geodesic measure tool (click points: legs, total, azimuths)",
            self.iface.mainWindow(),
        )
        measure.setCheckable(True)
        measure.triggered.connect(self.activate_measure_tool)
        self._add(measure, toolbar=True)
        self.measure_action = measure

        at = QAction("Range rings at coordinates...", self.iface.mainWindow())
        at.triggered.connect(self.ask_centre)
        self._add(at, toolbar=False)

        radii = QAction("Range ring radii...", self.iface.mainWindow())
        radii.triggered.connect(self.ask_radii)
        self._add(radii, toolbar=False)

        provider = QgsApplication.processingRegistry().providerById("geoconflict")
        for alg in provider.algorithms() if provider is not None else []:
            action = QAction(alg.icon(), alg.displayName(), self.iface.mainWindow())
            action.triggered.connect(self._opener(alg.id()))
            self._add(action, toolbar=False)
        self.ring_action = tool

    def _add(self, action, toolbar):
        self.iface.addPluginToMenu(MENU, action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)

    def _opener(self, alg_id):
        def _open(_checked=False):
            self.open_algorithm(alg_id)

        return _open

    def open_algorithm(self, alg_id):
        """Open the Processing dialog of `alg_id`."""
        import processing

        processing.execAlgorithmDialog(alg_id, {})

    def ask_radii(self):
        """Ask for the radii and unit used by the range-ring tool."""
        from qgis.core import QgsSettings
        from qgis.PyQt.QtWidgets import QInputDialog

        from .maptool import SETTINGS_RADII, SETTINGS_UNIT

        s = QgsSettings()
        text, ok = QInputDialog.getText(
            self.iface.mainWindow(),
            "geoconflict range rings",
            "Radii, increasing, comma-separated (e.g. '10, 25, 50 km' or '5 nmi, 20 nmi'):",
            text=f"{s.value(SETTINGS_RADII, '10, 25, 50')} {s.value(SETTINGS_UNIT, 'km')}",
        )
        if ok and text.strip():
            import re

            match = re.search(r"\s*(m|km|mi|nmi)\s*$", text)
            unit = match.group(1) if match else "km"
            radii = text[: match.start()] if match else text
            s.setValue(SETTINGS_RADII, radii.strip())
            s.setValue(SETTINGS_UNIT, unit)

    def ask_centre(self, _checked=False, text=None):
        """Place range rings at a typed point: decimal, DMS or MGRS (`text` for tests)."""
        from qgis.core import Qgis
        from qgis.PyQt.QtWidgets import QInputDialog

        from .maptool import parse_centre

        if text is None:
            text, ok = QInputDialog.getText(
                self.iface.mainWindow(),
                "geoconflict range rings",
                "Centre: latitude, longitude (decimal or DMS, e.g. 34°27'08\"N "
                "40°55'07\"E) or MGRS (37SFU7714):",
            )
            if not ok:
                return None
        try:
            lon, lat, note = parse_centre(text)
        except ValueError as exc:
            self.iface.messageBar().pushMessage(
                "geoconflict", str(exc), Qgis.Warning, 8
            )
            return None
        self.activate_ring_tool(True)
        self.map_tool.place_lonlat(lon, lat)
        self.iface.messageBar().pushMessage(
            "geoconflict",
            f"Range rings at {lat:.6f}, {lon:.6f} (lat, lon){' – ' + note if note else ''}.",
            Qgis.Info,
            5,
        )
        return lon, lat

    def activate_ring_tool(self, checked=True):
        """Switch the canvas to the range-ring tool."""
        from .maptool import RangeRingTool

        canvas = self.iface.mapCanvas()
        if self.map_tool is None:
            self.map_tool = RangeRingTool(canvas, self.iface)
            self.map_tool.setAction(self.ring_action)
        if checked:
            canvas.setMapTool(self.map_tool)
        else:
            canvas.unsetMapTool(self.map_tool)

    def activate_measure_tool(self, checked=True):
        """Switch the canvas to the geodesic measure tool (and show its panel)."""
        from .measuretool import MeasureTool

        canvas = self.iface.mapCanvas()
        if self.measure_tool is None:
            self.measure_tool = MeasureTool(canvas, self.iface)
            self.measure_tool.setAction(self.measure_action)
        if checked:
            canvas.setMapTool(self.measure_tool)
        else:
            canvas.unsetMapTool(self.measure_tool)

    def unload(self):
        """Remove everything this plugin added."""
        if self.iface is not None:
            if self.measure_tool is not None:
                self.measure_tool.clear()
                self.iface.mapCanvas().unsetMapTool(self.measure_tool)
                if self.measure_tool.panel is not None:
                    self.measure_tool.panel.dock.deleteLater()
                self.measure_tool = None
            if self.map_tool is not None:
                self.map_tool.clear()
                self.iface.mapCanvas().unsetMapTool(self.map_tool)
                self.map_tool = None
            for action in self.actions:
                self.iface.removePluginMenu(MENU, action)
            self.actions = []
            if self.toolbar is not None:
                self.toolbar.deleteLater()
                self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
