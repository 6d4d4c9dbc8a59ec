"""Write the plugin's .qml styles (qgis_plugin/resources/styles/) with QGIS's own API.

Run with a Python that imports qgis.core:  QT_QPA_PLATFORM=offscreen .venv/bin/python
scripts/make_qgis_styles.py.  The styles are committed; re-run after changing them here.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsLinePatternFillSymbolLayer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsRendererRange,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

OUT = Path(__file__).resolve().parents[1] / "qgis_plugin" / "resources" / "styles"
# inner ring first: dark red to pale yellow (ColorBrewer YlOrRd, reversed)
RING_COLOURS = [
    "#bd0026",
    "#e31a1c",
    "#fc4e2a",
    "#fd8d3c",
    "#feb24c",
    "#fed976",
    "#ffeda0",
    "#ffffcc",
]
ATTRIBUTION = {
    "declared": "#7b3294",
    "claimed": "#d7191c",
    "contested": "#fdae61",
    "denied": "#2c7bb6",
    "unknown": "#969696",
}


def _labels(field, size=8, placement=None):
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    fmt = QgsTextFormat()
    fmt.setSize(size)
    fmt.setColor(QColor("#222222"))
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(0.8)
    buf.setColor(QColor("white"))
    fmt.setBuffer(buf)
    settings.setFormat(fmt)
    if placement is not None:
        settings.placement = placement
    return QgsVectorLayerSimpleLabeling(settings)


def _save(layer, name):
    OUT.mkdir(parents=True, exist_ok=True)
    msg, ok = layer.saveNamedStyle(str(OUT / name))
    assert ok, msg
    print(OUT / name)


def rings(lines=False):
    layer = QgsVectorLayer(
        "MultiLineString" if lines else "MultiPolygon", "r", "memory"
    )
    ranges = []
    for i, colour in enumerate(RING_COLOURS, start=1):
        if lines:
            sym = QgsLineSymbol.createSimple({"color": colour, "width": "0.6"})
        else:
            sym = QgsFillSymbol.createSimple(
                {"color": colour, "outline_color": "#7f0000", "outline_width": "0.3"}
            )
            sym.setOpacity(0.55)
        upper = i if i < len(RING_COLOURS) else 1e9
        label = f"ring {i}" if i < len(RING_COLOURS) else f"ring {i}+"
        ranges.append(
            QgsRendererRange(i - 0.5, upper + 0.5 if upper < 1e9 else upper, sym, label)
        )
    layer.setRenderer(QgsGraduatedSymbolRenderer("ring", ranges))
    layer.setLabeling(
        _labels(
            "label",
            placement=QgsPalLayerSettings.Line
            if lines
            else QgsPalLayerSettings.PerimeterCurved,
        )
    )
    layer.setLabelsEnabled(True)
    _save(layer, "rings_lines.qml" if lines else "rings.qml")


def single_fill(name, colour, outline, opacity):
    layer = QgsVectorLayer("MultiPolygon", "b", "memory")
    sym = QgsFillSymbol.createSimple(
        {"color": colour, "outline_color": outline, "outline_width": "0.4"}
    )
    sym.setOpacity(opacity)
    layer.setRenderer(QgsSingleSymbolRenderer(sym))
    _save(layer, name)


def sites():
    layer = QgsVectorLayer("Point", "s", "memory")
    cats = []
    for value, colour in ATTRIBUTION.items():
        sym = QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": colour, "outline_color": "#000000", "size": "3"}
        )
        cats.append(QgsRendererCategory(value, sym, value))
    other = QgsMarkerSymbol.createSimple(
        {
            "name": "square",
            "color": "#ffffff",
            "outline_color": "#000000",
            "size": "2.4",
        }
    )
    cats.append(QgsRendererCategory(None, other, "other"))
    layer.setRenderer(QgsCategorizedSymbolRenderer("attribution_status", cats))
    layer.setLabeling(_labels("site_name", size=8))
    layer.setLabelsEnabled(True)
    _save(layer, "sites.qml")


def disputed():
    layer = QgsVectorLayer("MultiPolygon", "d", "memory")
    sym = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_style": "no"})
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45)
    hatch.setDistance(1.6)
    hatch.setSubSymbol(
        QgsLineSymbol.createSimple({"color": "#8e0152", "width": "0.35"})
    )
    sym.appendSymbolLayer(hatch)
    outline = QgsSimpleLineSymbolLayer(QColor("#8e0152"), 0.5)
    outline.setPenStyle(3)  # Qt.DashLine... 2 is dash, 3 dot; keep a dotted edge
    sym.appendSymbolLayer(outline)
    layer.setRenderer(QgsSingleSymbolRenderer(sym))
    _save(layer, "disputed.qml")


def main():
    app = QgsApplication([], False)
    app.initQgis()
    rings()
    rings(lines=True)
    single_fill("buffer.qml", "#3182bd", "#08519c", 0.4)
    single_fill("fan.qml", "#fd8d3c", "#a63603", 0.5)
    single_fill("zone.qml", "#31a354", "#006d2c", 0.4)
    sites()
    disputed()
    countries = QgsVectorLayer("MultiPolygon", "c", "memory")
    sym = QgsFillSymbol.createSimple(
        {"color": "#f2efe9", "outline_color": "#7f7f7f", "outline_width": "0.3"}
    )
    countries.setRenderer(QgsSingleSymbolRenderer(sym))
    countries.setLabeling(_labels("name", size=9))
    countries.setLabelsEnabled(True)
    _save(countries, "countries.qml")
    app.exitQgis()


if __name__ == "__main__":
    main()
