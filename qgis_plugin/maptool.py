"""Range-ring map tool: click the canvas to place a site and see its rings live.

* moving the mouse previews the rings around the cursor (rubber band);
* a left click places a site (its rings stay on the canvas);
* a right click saves the rings of every placed site to a new layer (polygon
  bands, styled) and clears the canvas; Esc clears without saving;
* *Range rings at coordinates...* places a site typed as decimal degrees, DMS
  or MGRS (:func:`parse_centre`).

Rings are geodesic on the project ellipsoid, computed by
:func:`geoconflict.geodesy.ranges.range_rings` (one call for all placed sites on save).
"""

from __future__ import annotations

import re

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapToolEmitPoint, QgsRubberBand
from qgis.PyQt.QtCore import Qt, QVariant
from qgis.PyQt.QtGui import QColor

from geoconflict.errors import GeoconflictError
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_coordinate
from geoconflict.geodesy.ranges import range_rings

from . import _bridge
from .algorithms.base import one_class_per_ring, style_path

SETTINGS_RADII = "geoconflict/ring_radii"
SETTINGS_UNIT = "geoconflict/ring_unit"
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def ring_settings():
    """Return (radii in meters, unit symbol) from the QGIS settings."""
    s = QgsSettings()
    unit = s.value(SETTINGS_UNIT, "km")
    text = s.value(SETTINGS_RADII, "10, 25, 50")
    from .algorithms.range_rings import parse_radii

    return parse_radii(text, unit), unit


_HEMI = re.compile(r"[NSEWnsew]")
_LOOKS_MGRS = re.compile(r"^\d{1,2}\s*[C-HJ-NP-X]\s*[A-Z]{2}[\d\s]*$", re.IGNORECASE)
_AFTER_LETTER = re.compile(r"^(.*?\d[^NSEWnsew]*?[NSEWnsew])[\s,;]*(\S.*)$")


def parse_centre(text):
    """Return ``(lon, lat, note)`` from a point typed by a person.

    Accepts MGRS (``37SFU7714``: the centre of the square, its size in `note`),
    and two coordinates in decimal degrees or DMS, separated by a comma, a
    semicolon or spaces: hemisphere letters say which is which
    (``34°27'08"N 40°55'07"E``, ``E 40.9186, N 34.4522``); plain numbers are
    read as **latitude, longitude**, the order people write (``34.4522,
    40.9186``).  Raises ``ValueError`` saying what could not be read.
    """
    t = str(text or "").strip()
    if not t:
        raise ValueError("Type a point: 'latitude, longitude', DMS or MGRS.")
    try:
        if _LOOKS_MGRS.match(t):  # mgrs_to_polygon says what is wrong with it
            cell = mgrs_to_polygon(t)
            return cell.lon, cell.lat, f"centre of the {cell.size_m:g} m MGRS square"
        if re.search(r"[,;]", t):
            parts = [p.strip() for p in re.split(r"[,;]", t, maxsplit=1)]
        else:
            m = _AFTER_LETTER.match(t) if _HEMI.search(t) else None
            parts = [m.group(1), m.group(2)] if m else t.split()
        if len(parts) != 2 or not all(parts):
            raise ValueError(
                f"{t!r}: expected two coordinates (latitude, longitude), DMS with "
                "N/S and E/W, or an MGRS reference such as 37SFU7714"
            )
        letters = [_HEMI.findall(p) for p in parts]
        if letters[0] and letters[0][0].upper() in "EW":
            parts.reverse()  # longitude first, as its letter says
        lat = parse_coordinate(parts[0], axis="lat")
        lon = parse_coordinate(parts[1], axis="lon")
    except GeoconflictError as exc:
        raise ValueError(f"{t!r}: {exc}") from None
    if not (abs(lat) <= 90 and abs(lon) <= 180):
        raise ValueError(
            f"{t!r}: latitude {lat} or longitude {lon} out of range; plain numbers "
            "are read as latitude, longitude"
        )
    return lon, lat, ""


class RangeRingTool(QgsMapToolEmitPoint):
    """Map tool: live range rings under the cursor, placed by clicks, saved on right click."""

    def __init__(self, canvas, iface=None):
        super().__init__(canvas)
        self.canvas = canvas
        self.iface = iface
        self.sites = []  # (lon, lat)
        self.preview = self._band(QColor(230, 85, 13, 200), 1)
        self.placed = self._band(QColor(189, 0, 38, 230), 2)

    def _band(self, colour, width):
        band = QgsRubberBand(self.canvas, QgsWkbTypes.LineGeometry)
        band.setColor(colour)
        band.setWidth(width)
        return band

    # geometry ----------------------------------------------------------------
    def _to_lonlat(self, point):
        tr = QgsCoordinateTransform(
            self.canvas.mapSettings().destinationCrs(), WGS84, QgsProject.instance()
        )
        p = tr.transform(QgsPointXY(point))
        return p.x(), p.y()

    def _geod(self):
        return _bridge.ellipsoid_geod(QgsProject.instance().ellipsoid())[0]

    def ring_lines(self, lon, lat):
        """Return the ring circles around (lon, lat) as QgsGeometry in lon/lat."""
        radii, unit = ring_settings()
        table = range_rings(
            np.atleast_1d(lon),
            np.atleast_1d(lat),
            radii,
            kind="line",
            unit=unit,
            geod=self._geod(),
        )
        return _bridge.to_qgs_geometries(table.geometry)

    def _show(self, band, lonlats, reset=True):
        if reset:
            band.reset(QgsWkbTypes.LineGeometry)
        for lon, lat in lonlats:
            for geom in self.ring_lines(lon, lat):
                band.addGeometry(geom, WGS84)

    # events ------------------------------------------------------------------
    def canvasMoveEvent(self, event):
        """Preview the rings around the cursor."""
        self.show_preview(event.mapPoint())

    def canvasReleaseEvent(self, event):
        """Left click: place a site. Right click: save the rings to a layer."""
        if event.button() == Qt.RightButton:
            self.save_layer()
            return
        self.place(event.mapPoint())

    def keyPressEvent(self, event):
        """Esc clears the placed sites."""
        if event.key() == Qt.Key_Escape:
            self.clear()

    def deactivate(self):
        """Remove the preview when another tool is chosen."""
        self.preview.reset(QgsWkbTypes.LineGeometry)
        super().deactivate()

    # actions -----------------------------------------------------------------
    def show_preview(self, map_point):
        """Draw the rings around `map_point` (canvas CRS)."""
        lon, lat = self._to_lonlat(map_point)
        self._show(self.preview, [(lon, lat)])

    def place(self, map_point):
        """Place a site at `map_point` (canvas CRS); its rings stay on the canvas."""
        lon, lat = self._to_lonlat(map_point)
        self.sites.append((lon, lat))
        self._show(self.placed, [(lon, lat)], reset=False)
        return lon, lat

    def place_lonlat(self, lon, lat):
        """Place a site at (lon, lat) degrees (typed coordinates); its rings stay."""
        self.sites.append((float(lon), float(lat)))
        self._show(self.placed, [(float(lon), float(lat))], reset=False)
        return float(lon), float(lat)

    def clear(self):
        """Forget the placed sites and remove the rubber bands."""
        self.sites = []
        self.preview.reset(QgsWkbTypes.LineGeometry)
        self.placed.reset(QgsWkbTypes.LineGeometry)

    def save_layer(self, add_to_project=True):
        """Write the rings (polygon bands) of every placed site to a new memory layer."""
        if not self.sites:
            return None
        radii, unit = ring_settings()
        lon, lat = np.array(self.sites, dtype=float).T
        table = range_rings(lon, lat, radii, kind="band", unit=unit, geod=self._geod())
        layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4326", "Range rings", "memory")
        prov = layer.dataProvider()
        prov.addAttributes(
            [
                QgsField("site", QVariant.Int),
                QgsField("site_lon", QVariant.Double),
                QgsField("site_lat", QVariant.Double),
                QgsField("ring", QVariant.Int),
                QgsField("inner_m", QVariant.Double),
                QgsField("outer_m", QVariant.Double),
                QgsField("label", QVariant.String),
            ]
        )
        layer.updateFields()
        feats = []
        geoms = _bridge.to_qgs_geometries(table.geometry, multi=True)
        for i, geom in enumerate(geoms):
            s = int(table["site"][i])
            f = QgsFeature(layer.fields())
            f.setGeometry(QgsGeometry(geom))
            f.setAttributes(
                [
                    s + 1,
                    float(lon[s]),
                    float(lat[s]),
                    int(table["ring"][i]) + 1,
                    float(table["inner_m"][i]),
                    float(table["outer_m"][i]),
                    str(table["label"][i]),
                ]
            )
            feats.append(f)
        ok, _added = prov.addFeatures(feats)
        if not ok:
            raise RuntimeError(
                f"The range-ring tool could not add its {len(feats)} ring(s) to the "
                f"memory layer: {prov.lastError() or 'no error message'}."
            )
        layer.updateExtents()
        layer.loadNamedStyle(style_path("rings.qml"))
        one_class_per_ring(layer)
        if add_to_project:
            QgsProject.instance().addMapLayer(layer)
        self.clear()
        return layer
