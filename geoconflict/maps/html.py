"""Interactive maps in one self-contained HTML file (Leaflet inlined; no tile server, works offline).

The bundled boundaries are the base layer; sites, zones, ranges and borders
are overlays with popups.  Everything that comes from the data reaches the page
only as JSON inside ``<script type="application/json">``, with ``<``, ``>`` and
``&`` escaped (:func:`_json_for_html`), and the page's script puts it into the
DOM as text.  Coordinates (lon, lat) degrees WGS84.
"""

from __future__ import annotations

import html as _html
import json
import math
import os
import re
from importlib.resources import files
from pathlib import Path
from typing import Union

import numpy as np
import pyproj
import shapely
from shapely.geometry import mapping

from geoconflict.errors import GeoconflictError
from geoconflict.io.features import Feature
from geoconflict.maps.layers import boundary_layers, clip_world, map_credits
from geoconflict.maps.overlays import ring_features
from geoconflict.maps.projection import ll_bbox, map_view
from geoconflict.maps.result import RenderResult
from geoconflict.maps.spec import MapSpec
from geoconflict.maps.style import (
    ATTRIBUTION_COLORS,
    BORDER,
    DISPUTED,
    HIGHLIGHT,
    LAND,
    RING,
    SEA,
    ZONE,
)

__all__ = ["render_html"]


def _vendor(name: str) -> str:
    """Return a file of the vendored Leaflet (``geoconflict/_vendor/leaflet``) as text."""
    return (
        files("geoconflict")
        .joinpath("_vendor", "leaflet", name)
        .read_text(encoding="utf-8")
    )


def _fc(feats: list, simplify: float = 0.0) -> dict:
    """Features as a GeoJSON FeatureCollection (dict); values that JSON cannot hold become text."""
    out = []
    for f in feats:
        g = f.geometry
        if g is None or g.is_empty:
            continue
        if not np.isfinite(shapely.get_coordinates(g)).all():
            raise GeoconflictError(
                f"feature {f.name or '(unnamed)'!r} has a coordinate that is NaN or "
                "infinite; give every vertex a finite (lon, lat) in degrees"
            )
        if simplify:
            g = shapely.simplify(g, simplify, preserve_topology=True)
        props = {}
        for k, v in f.properties.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            props[str(k)] = (
                v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
            )
        out.append({"type": "Feature", "geometry": mapping(g), "properties": props})
    return {"type": "FeatureCollection", "features": out}


# Everything that comes from the data (names, property keys and values, sources,
# title, credits, legend labels) reaches the page only as JSON inside
# <script type="application/json"> (see _json_for_html) and is put into the DOM by
# the script as text (textContent, text nodes); the one Leaflet API that takes
# HTML (the layer names of L.control.layers) gets esc().  The only other
# formatted field is <title>, passed through html.escape.
_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="geoconflict">
<title>{title}</title>
<style>{leaflet_css}</style>
<style>
html, body {{ margin: 0; height: 100%; font-family: sans-serif; }}
#map {{ position: absolute; top: 0; bottom: 0; left: 0; right: 0; background: {sea}; }}
.gc-title {{ background: rgba(255,255,255,0.9); padding: 6px 10px; border-radius: 4px; }}
.gc-title h1 {{ font-size: 16px; margin: 0; }}
.gc-title p {{ font-size: 12px; margin: 2px 0 0; color: #444; }}
.gc-legend {{ background: rgba(255,255,255,0.9); padding: 6px 8px; font-size: 12px; line-height: 18px; border-radius: 4px; }}
.gc-legend i {{ display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin-right: 5px; vertical-align: -1px; }}
.gc-credits {{ max-width: 60vw; }}
</style>
</head>
<body>
<div id="map"></div>
<script>
window.gcErrors = [];
function gcNote() {{ document.documentElement.setAttribute("data-gc-errors", JSON.stringify(window.gcErrors)); }}
window.addEventListener("error", function (e) {{ window.gcErrors.push(String(e.message)); gcNote(); }});
(function () {{ var ce = console.error; console.error = function () {{
  window.gcErrors.push(Array.prototype.join.call(arguments, " ")); gcNote(); ce.apply(console, arguments); }}; }})();
gcNote();
</script>
<script>{leaflet_js}</script>
<script type="application/json" id="gc-data">{data}</script>
<script>
var PAGE = JSON.parse(document.getElementById("gc-data").textContent);
var DATA = PAGE.layers, COLORS = PAGE.colors, STYLE = PAGE.style;
function el(tag, cls, text) {{
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}}
function esc(s) {{
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}}
function valueNode(v) {{
  var s = String(v);
  if (/^https?:\\/\\/\\S+$/i.test(s)) {{
    var a = el("a", null, s); a.href = s; a.target = "_blank"; a.rel = "noopener noreferrer"; return a;
  }}
  return document.createTextNode(s);
}}
var map = L.map("map", {{ preferCanvas: false, attributionControl: false, zoomSnap: 0.25 }});
var overlays = {{}}, rendered = {{}};
function add(name, fc, opts, base) {{
  if (!fc || !fc.features.length) return null;
  var layer = L.geoJSON(fc, opts).addTo(map);
  rendered[name] = fc.features.length;
  if (!base) overlays[esc(name)] = layer;
  return layer;
}}
function popup(f, layer) {{
  var p = f.properties || {{}};
  var keys = Object.keys(p).filter(function (k) {{ return p[k] !== null && p[k] !== ""; }});
  if (!keys.length) return;
  layer.bindPopup(function () {{
    var d = el("div", "gc-popup");
    keys.forEach(function (k) {{
      var row = el("div");
      row.appendChild(el("b", null, k));
      row.appendChild(document.createTextNode(": "));
      row.appendChild(valueNode(p[k]));
      d.appendChild(row);
    }});
    return d;
  }});
}}
function tooltip(f, layer) {{
  var name = f.properties && f.properties.name;
  if (name === null || name === undefined || name === "") return;
  layer.bindTooltip(function () {{ return el("span", "gc-name", name); }},
    {{ permanent: true, direction: "right", offset: [8, 0] }});
}}
add("Countries", DATA.countries, {{ style: {{ color: STYLE.border, weight: 1, fillColor: STYLE.land, fillOpacity: 1 }},
  onEachFeature: popup }}, true);
add("Provinces", DATA.provinces, {{ style: {{ color: "#999", weight: 0.6, dashArray: "3 3", fill: false }} }});
add("Disputed areas", DATA.disputed, {{ style: {{ color: STYLE.disputed, weight: 1.2, dashArray: "4 3", fillColor: STYLE.disputed, fillOpacity: 0.15 }}, onEachFeature: popup }});
add("Zones", DATA.zones, {{ style: {{ color: STYLE.zone, weight: 1, fillColor: STYLE.zone, fillOpacity: 0.3 }}, onEachFeature: popup }});
add("Borders", DATA.lines, {{ style: {{ color: STYLE.highlight, weight: 3 }}, onEachFeature: popup }});
add("Ranges", DATA.rings, {{ style: {{ color: STYLE.ring, weight: 1.5, dashArray: "6 4", fillOpacity: 0.05 }}, onEachFeature: popup }});
add("Sites", DATA.sites, {{
  pointToLayer: function (f, ll) {{
    var s = String(f.properties.attribution_status || "unknown").toLowerCase();
    var c = Object.prototype.hasOwnProperty.call(COLORS, s) ? COLORS[s] : COLORS.unknown;
    return L.circleMarker(ll, {{ radius: 7, color: "#fff", weight: 1.5, fillColor: c, fillOpacity: 1 }});
  }},
  onEachFeature: function (f, layer) {{ popup(f, layer); tooltip(f, layer); }}
}});
L.control.layers(null, overlays, {{ collapsed: false }}).addTo(map);
L.control.scale({{ metric: true, imperial: false }}).addTo(map);
var credits = L.control({{ position: "bottomright" }});
credits.onAdd = function () {{
  var d = el("div", "leaflet-control-attribution gc-credits");
  PAGE.credits.forEach(function (c) {{ d.appendChild(el("div", null, c)); }});
  return d; }};
credits.addTo(map);
var title = L.control({{ position: "topleft" }});
title.onAdd = function () {{
  var d = el("div", "gc-title");
  d.appendChild(el("h1", null, PAGE.title));
  if (PAGE.subtitle) d.appendChild(el("p", null, PAGE.subtitle));
  return d; }};
title.addTo(map);
var legend = L.control({{ position: "bottomright" }});
legend.onAdd = function () {{
  var d = el("div", "gc-legend");
  d.appendChild(el("b", null, "Attribution"));
  Object.keys(COLORS).forEach(function (k) {{
    var row = el("div"), sw = el("i");
    sw.style.background = COLORS[k];
    row.appendChild(sw); row.appendChild(document.createTextNode(k)); d.appendChild(row);
  }});
  return d; }};
legend.addTo(map);
map.fitBounds(L.latLngBounds(PAGE.bounds));
document.body.setAttribute("data-gc-layers", JSON.stringify(rendered));
document.body.setAttribute("data-gc-ready", "1");
</script>
</body>
</html>
"""

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _json_for_html(obj) -> str:
    r"""`obj` as JSON text safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where the escapes
    ``\u003c``, ``\u003e`` and ``\u0026`` mean the same characters to
    ``JSON.parse``; without them the HTML parser could see ``</script>`` or
    ``<!--`` in the data and leave the script element early.
    """
    text = json.dumps(
        obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    )
    return re.sub("[<>&]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def render_html(spec: MapSpec, path: Union[str, os.PathLike]) -> RenderResult:
    """Write a self-contained interactive map (Leaflet inlined; no tile server, works offline).

    The bundled boundaries are the base layer; sites, zones, ranges and borders
    are overlays with popups.  Coordinates (lon, lat) degrees WGS84.

    Examples
    --------
    >>> import tempfile
    >>> spec = MapSpec(title="Example")
    >>> spec.sites.append(Feature(shapely.Point(40.92, 34.45), {"name": "Abu Kamal"}))
    >>> res = render_html(spec, Path(tempfile.mkdtemp()) / "m.html")
    >>> "L.map(" in res.path.read_text()
    True
    """
    path = Path(path)
    ring_feats = []
    for s in spec.sites:
        if spec.ring_radii_m:
            ring_feats.extend(
                ring_features(s.geometry.x, s.geometry.y, spec.ring_radii_m)
            )
    crs, _tr, bounds, (lon0, lat0) = map_view(spec, ring_feats)
    tr_inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    bbox_ll = ll_bbox(tr_inv, bounds, pad=1.0)
    layers = boundary_layers(spec, bbox_ll)
    used = {}

    def recs(key):
        return [
            Feature(g, {"name": n, "code": c})
            for n, c, g in clip_world(layers.get(key, []), bbox_ll)
        ]

    data = {
        "countries": _fc(recs("countries"), 0.005),
        "provinces": _fc(recs("provinces"), 0.005),
        "disputed": _fc(recs("disputed")),
        "zones": _fc(spec.zones),
        "lines": _fc(spec.lines),
        "rings": _fc(spec.rings + ring_feats),
        "sites": _fc(spec.sites),
    }
    if data["countries"]["features"]:
        used["boundaries"] = True
    lon_, lat_ = tr_inv.transform(
        np.array([bounds[0], bounds[2], bounds[0], bounds[2]]),
        np.array([bounds[1], bounds[1], bounds[3], bounds[3]]),
    )
    lbounds = [
        [float(min(lat_)), float(min(lon_))],
        [float(max(lat_)), float(max(lon_))],
    ]
    credit_lines = map_credits(spec, used)
    page = {
        "layers": data,
        "colors": ATTRIBUTION_COLORS,
        "style": {
            "land": LAND,
            "border": BORDER,
            "disputed": DISPUTED,
            "zone": ZONE,
            "highlight": HIGHLIGHT,
            "ring": RING,
        },
        "title": spec.title or "geoconflict map",
        "subtitle": " — ".join(t for t in (spec.subtitle, spec.date) if t),
        "credits": credit_lines,
        "bounds": lbounds,
    }
    text = _HTML.format(
        title=_html.escape(spec.title or "geoconflict map"),
        leaflet_css=_vendor("leaflet.css"),
        leaflet_js=_vendor("leaflet.js"),
        data=_json_for_html(page),
        sea=SEA,
    )
    path.write_text(text, encoding="utf-8")
    return RenderResult(
        path=path,
        crs=crs,
        center=(lon0, lat0),
        scale_length_m=float("nan"),
        scale_bar_map_length=float("nan"),
        north_angle_deg=0.0,
        placed_labels=[],
        dropped_labels=[],
        credits=credit_lines,
    )
