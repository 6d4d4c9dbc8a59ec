"""Geodesic measure tool: click points on the canvas, read every leg, the total, the azimuths.

* a left click adds a point; moving the mouse shows the leg to the cursor live;
* a right click ends the line (the numbers stay; the next click starts anew);
* Backspace removes the last point, Esc clears;
* the panel shows each leg's geodesic length and its azimuths (forward at the
  start, and at the end), the total, in m, km, mi or nmi; *Copy* puts the table
  on the clipboard (tab-separated, for a spreadsheet).

Lengths and azimuths are exact on the project ellipsoid (WGS84 when none is set):
:func:`geoconflict.geodesy.measurement.inverse` (pyproj's Karney solution); the legs
are drawn as geodesics (densified), not as straight lines of the canvas.
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsWkbTypes,
)
from qgis.gui import QgsMapToolEmitPoint, QgsRubberBand
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from geoconflict import _geom
from geoconflict.geodesy.measurement import densify, inverse

from . import _bridge

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


class MeasureTool(QgsMapToolEmitPoint):
    """Map tool measuring geodesic legs between clicked points (lon/lat on the ellipsoid)."""

    def __init__(self, canvas, iface=None, unit="km"):
        super().__init__(canvas)
        self.canvas = canvas
        self.iface = iface
        self.points = []  # (lon, lat) degrees
        self.cursor = None  # (lon, lat) of the live leg's end, or None
        self.finished = False
        self.unit = unit
        self.line_band = self._band(QColor(31, 120, 180, 230), 2)
        self.live_band = self._band(QColor(31, 120, 180, 150), 1)
        self.panel = None
        if iface is not None:
            self.panel = MeasurePanel(self, iface.mainWindow())

    def _band(self, colour, width):
        band = QgsRubberBand(self.canvas, QgsWkbTypes.LineGeometry)
        band.setColor(colour)
        band.setWidth(width)
        return band

    def _to_lonlat(self, map_point):
        tr = QgsCoordinateTransform(
            self.canvas.mapSettings().destinationCrs(), WGS84, QgsProject.instance()
        )
        p = tr.transform(QgsPointXY(map_point))
        return p.x(), p.y()

    def _geod(self):
        return _bridge.ellipsoid_geod(QgsProject.instance().ellipsoid())[0]

    # measuring ---------------------------------------------------------------
    def legs(self, live=True):
        """Return ``(distance_m, azimuth_start, azimuth_end)`` arrays of every leg.

        With `live`, the leg from the last point to the cursor is included.
        Azimuths are degrees clockwise from true north in [0, 360).
        """
        pts = list(self.points)
        if live and self.cursor is not None and not self.finished and pts:
            pts.append(self.cursor)
        if len(pts) < 2:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        a = np.array(pts[:-1], dtype=float)
        b = np.array(pts[1:], dtype=float)
        res = inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1], geod=self._geod())
        d, az1, az2 = (np.atleast_1d(np.asarray(v, dtype=float)) for v in res)
        return d, np.mod(az1, 360.0), np.mod(az2, 360.0)

    def report(self, unit=None):
        """Return the legs and the total as a tab-separated table in `unit` (m, km, mi, nmi)."""
        unit = unit or self.unit
        factor = _bridge.unit_factor(_bridge.UNIT_CHOICES.index(unit))
        d, az1, az2 = self.legs()
        rows = [f"leg\tlength ({unit})\tazimuth at start (°)\tazimuth at end (°)"]
        n_fixed = max(len(self.points) - 1, 0)
        for i, (di, a1, a2) in enumerate(zip(d, az1, az2)):
            name = str(i + 1) if i < n_fixed else f"{i + 1} (to cursor)"
            rows.append(f"{name}\t{di / factor:.3f}\t{a1:.2f}\t{a2:.2f}")
        rows.append(f"total\t{d.sum() / factor:.3f}\t\t")
        return "\n".join(rows)

    def total(self, unit=None):
        """Return the total geodesic length in `unit` (live leg included)."""
        unit = unit or self.unit
        return float(self.legs()[0].sum()) / _bridge.unit_factor(
            _bridge.UNIT_CHOICES.index(unit)
        )

    def _geodesic(self, pts):
        line = _geom.line(np.array(pts, dtype=float))
        return _bridge.to_qgs_geometries(
            np.array([densify(line, 2_000.0, geod=self._geod())], dtype=object)
        )[0]

    def _redraw(self):
        self.line_band.reset(QgsWkbTypes.LineGeometry)
        self.live_band.reset(QgsWkbTypes.LineGeometry)
        if len(self.points) >= 2:
            self.line_band.addGeometry(self._geodesic(self.points), WGS84)
        if self.cursor is not None and self.points and not self.finished:
            self.live_band.addGeometry(
                self._geodesic([self.points[-1], self.cursor]), WGS84
            )
        if self.panel is not None:
            self.panel.refresh()

    # actions -----------------------------------------------------------------
    def add_point(self, map_point):
        """Add a point (canvas CRS); after a finished line, start a new one."""
        if self.finished:
            self.points, self.finished = [], False
        self.points.append(self._to_lonlat(map_point))
        self._redraw()
        return self.points[-1]

    def move_to(self, map_point):
        """Update the live leg to `map_point` (canvas CRS)."""
        self.cursor = self._to_lonlat(map_point)
        self._redraw()

    def finish(self):
        """End the line: the live leg goes, the numbers stay."""
        self.finished = True
        self.cursor = None
        self._redraw()

    def undo(self):
        """Remove the last point."""
        if self.points:
            self.points.pop()
        self._redraw()

    def clear(self):
        """Forget every point."""
        self.points, self.cursor, self.finished = [], None, False
        self._redraw()

    def copy(self):
        """Put :meth:`report` on the clipboard and return it."""
        from qgis.PyQt.QtWidgets import QApplication

        text = self.report()
        QApplication.clipboard().setText(text)
        return text

    # events ------------------------------------------------------------------
    def canvasMoveEvent(self, event):  # noqa: D102
        if self.points and not self.finished:
            self.move_to(event.mapPoint())

    def canvasReleaseEvent(self, event):  # noqa: D102
        if event.button() == Qt.RightButton:
            self.finish()
        else:
            self.add_point(event.mapPoint())

    def keyPressEvent(self, event):  # noqa: D102
        if event.key() == Qt.Key_Escape:
            self.clear()
        elif event.key() == Qt.Key_Backspace:
            self.undo()

    def activate(self):  # noqa: D102
        super().activate()
        if self.panel is not None:
            self.panel.show()

    def deactivate(self):  # noqa: D102
        self.live_band.reset(QgsWkbTypes.LineGeometry)
        super().deactivate()


class MeasurePanel:
    """A dock with the legs table, a unit choice, Copy and Clear."""

    def __init__(self, tool, parent):
        from qgis.PyQt.QtWidgets import (
            QComboBox,
            QDockWidget,
            QHBoxLayout,
            QPlainTextEdit,
            QPushButton,
            QVBoxLayout,
            QWidget,
        )

        self.tool = tool
        self.dock = QDockWidget("geoconflict geodesic measure", parent)
        self.dock.setObjectName("geoconflictMeasureDock")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.units = QComboBox()
        self.units.addItems(_bridge.unit_labels())
        self.units.setCurrentIndex(_bridge.UNIT_CHOICES.index(tool.unit))
        self.units.currentIndexChanged.connect(self._unit_changed)
        row.addWidget(self.units)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(lambda _checked=False: tool.copy())
        row.addWidget(self.copy_button)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(lambda _checked=False: tool.clear())
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        self.dock.setWidget(body)
        if hasattr(parent, "addDockWidget"):
            parent.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.refresh()

    def _unit_changed(self, index):
        self.tool.unit = _bridge.UNIT_CHOICES[index]
        self.refresh()

    def show(self):
        """Show the dock."""
        self.dock.show()

    def refresh(self):
        """Show the current legs and total."""
        self.text.setPlainText(self.tool.report())
