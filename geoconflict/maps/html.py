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
from geoconflict.maps.symbols import AUTO_AGGREGATE_ABOVE

__all__ = ["CLUSTER_ABOVE", "PERMANENT_LABELS_UP_TO", "render_html"]


def _vendor(name: str, package: str = "leaflet") -> str:
    """Return a vendored file (``geoconflict/_vendor/<package>/<name>``) as text.

    Leaflet and Leaflet.markercluster, from their npm packages, with their
    licences beside them: the page inlines them and needs no network.
    """
    return (
        files("geoconflict")
        .joinpath("_vendor", package, name)
        .read_text(encoding="utf-8")
    )


#: the HTML map clusters its markers above this many sites (``aggregate="auto"``)
CLUSTER_ABOVE = AUTO_AGGREGATE_ABOVE
#: site names are shown permanently up to this many named sites, on hover above
PERMANENT_LABELS_UP_TO = 30


def _wrap_lon(x: np.ndarray, lon0: float) -> np.ndarray:
    """Longitudes moved by whole turns into [lon0 - 180, lon0 + 180), degrees."""
    return (np.asarray(x, dtype=float) - lon0 + 180.0) % 360.0 + lon0 - 180.0


def _unwrap(geoms: np.ndarray, lon0: float) -> np.ndarray:
    """Geometries moved by whole turns of longitude so that each part lies next to `lon0`.

    Leaflet draws longitudes as given, without wrapping: a map around the
    antimeridian needs 179.9 and -179.8 as 179.9 and 180.2.  Each part
    (polygon, line, point) moves as a whole, by the turn that brings its
    centre nearest `lon0`; geometries already in [lon0 - 180, lon0 + 180] are
    left alone.
    """
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    b = shapely.bounds(arr)
    out_of = (b[:, 0] < lon0 - 180.0) | (b[:, 2] > lon0 + 180.0)
    if not out_of.any():
        return arr
    arr = arr.copy()
    for i in np.flatnonzero(out_of):
        g = arr[i]
        parts = shapely.get_parts(g)
        moved = []
        for part in parts:
            x0, _, x1, _ = part.bounds
            dx = _wrap_lon((x0 + x1) / 2.0, lon0) - (x0 + x1) / 2.0
            moved.append(
                shapely.transform(part, lambda xy, dx=dx: xy + np.array([dx, 0.0]))
            )
        arr[i] = moved[0] if len(moved) == 1 else type(g)(moved)
    return arr


def _props(f: Feature) -> dict:
    props = {}
    for k, v in f.properties.items():
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, float) and not math.isfinite(v):
            v = None
        props[str(k)] = (
            v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
        )
    return props


def _site_fc(sites: list, lon0: float) -> dict:
    """Sites (points) as a GeoJSON FeatureCollection, built from arrays (fast for 10⁵ sites).

    Longitudes are unwrapped around `lon0` (see :func:`_unwrap`); coordinates
    rounded to 1e-6 degrees (about 0.1 m).
    """
    if not sites:
        return {"type": "FeatureCollection", "features": []}
    geoms = np.asarray([f.geometry for f in sites], dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    pts = shapely.point_on_surface(geoms[ok])
    xy = shapely.get_coordinates(pts)
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        f = [s for s, k in zip(sites, ok) if k][int(np.flatnonzero(bad)[0])]
        raise GeoconflictError(
            f"feature {f.name or '(unnamed)'!r} has a coordinate that is NaN or "
            "infinite; give every vertex a finite (lon, lat) in degrees"
        )
    lon = np.round(_wrap_lon(xy[:, 0], lon0), 6).tolist()
    lat = np.round(xy[:, 1], 6).tolist()
    kept = [s for s, k in zip(sites, ok) if k]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x, y]},
                "properties": _props(f),
            }
            for f, x, y in zip(kept, lon, lat)
        ],
    }


def _fc(feats: list, simplify: float = 0.0, lon0: float = 0.0) -> dict:
    """Features as a GeoJSON FeatureCollection (dict); values that JSON cannot hold become text.

    Longitudes are unwrapped around `lon0` (see :func:`_unwrap`).
    """
    out = []
    feats = [f for f in feats if f.geometry is not None and not f.geometry.is_empty]
    geoms = _unwrap([f.geometry for f in feats], lon0)
    for f, g in zip(feats, geoms):
        if g is None or g.is_empty:
            continue
        if not np.isfinite(shapely.get_coordinates(g)).all():
            raise GeoconflictError(
                f"feature {f.name or '(unnamed)'!r} has a coordinate that is NaN or "
                "infinite; give every vertex a finite (lon, lat) in degrees"
            )
        if simplify:
            g = shapely.simplify(g, simplify, preserve_topology=True)
        out.append({"type": "Feature", "geometry": mapping(g), "properties": _props(f)})
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
<style>{cluster_css}</style>
<style>
html, body {{ margin: 0; height: 100%; font-family: sans-serif; }}
#map {{ position: absolute; top: 0; bottom: 0; left: 0; right: 0; background: {sea}; }}
.gc-title {{ background: rgba(255,255,255,0.9); padding: 6px 10px; border-radius: 4px; }}
.gc-title h1 {{ font-size: 16px; margin: 0; }}
.gc-title p {{ font-size: 12px; margin: 2px 0 0; color: #444; }}
.gc-legend {{ background: rgba(255,255,255,0.9); padding: 6px 8px; font-size: 12px; line-height: 18px; border-radius: 4px; }}
.gc-legend i {{ display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin-right: 5px; vertical-align: -1px; }}
.gc-credits {{ max-width: 60vw; }}
/* clusters in neutral greys: the attribution colours keep their meaning */
.marker-cluster-small, .marker-cluster-medium, .marker-cluster-large {{ background-color: rgba(60, 60, 60, 0.25); }}
.marker-cluster-small div, .marker-cluster-medium div, .marker-cluster-large div {{ background-color: rgba(45, 45, 45, 0.82); color: #fff; }}
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
<script>{cluster_js}</script>
<script type="application/json" id="gc-data">{data}</script>
<script>
var PAGE = JSON.parse(document.getElementById("gc-data").textContent);
(function () {{  // the credits, every source listed, as the page's metadata (set as text)
  var m = document.createElement("meta");
  m.setAttribute("name", "dcterms.rights");
  m.setAttribute("content", PAGE.rights.join(" | "));
  document.head.appendChild(m); }})();
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
var map = L.map("map", {{ preferCanvas: PAGE.cluster, attributionControl: false, zoomSnap: 0.25,
  minZoom: 1, maxZoom: 18 }});
map.fitBounds(L.latLngBounds(PAGE.bounds));
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
  if (PAGE.labels === "none" || name === null || name === undefined || name === "") return;
  // permanent labels for a few named sites; above that, on hover
  layer.bindTooltip(function () {{ return el("span", "gc-name", name); }},
    {{ permanent: PAGE.permanentLabels, direction: "right", offset: [8, 0] }});
}}
add("Countries", DATA.countries, {{ style: {{ color: STYLE.border, weight: 1, fillColor: STYLE.land, fillOpacity: 1 }},
  onEachFeature: popup }}, true);
add("Provinces", DATA.provinces, {{ style: {{ color: "#999", weight: 0.6, dashArray: "3 3", fill: false }} }});
add("Disputed areas", DATA.disputed, {{ style: {{ color: STYLE.disputed, weight: 1.2, dashArray: "4 3", fillColor: STYLE.disputed, fillOpacity: 0.15 }}, onEachFeature: popup }});
add("Zones", DATA.zones, {{ style: {{ color: STYLE.zone, weight: 1, fillColor: STYLE.zone, fillOpacity: 0.3 }}, onEachFeature: popup }});
add("Borders", DATA.lines, {{ style: {{ color: STYLE.highlight, weight: 3 }}, onEachFeature: popup }});
add("Ranges", DATA.rings, {{ style: {{ color: STYLE.ring, weight: 1.5, dashArray: "6 4", fillOpacity: 0.05 }}, onEachFeature: popup }});
var siteOptions = {{
  pointToLayer: function (f, ll) {{
    var s = String(f.properties.attribution_status || "unknown").toLowerCase();
    var c = Object.prototype.hasOwnProperty.call(COLORS, s) ? COLORS[s] : COLORS.unknown;
    return L.circleMarker(ll, {{ radius: 7, color: "#fff", weight: 1.5, fillColor: c, fillOpacity: 1 }});
  }},
  onEachFeature: function (f, layer) {{ popup(f, layer); tooltip(f, layer); }}
}};
var pending = false;
if (PAGE.cluster && DATA.sites.features.length) {{
  // many sites: Leaflet.markercluster (vendored), one symbol with a count per cluster;
  // markers are made straight from the coordinates, their popup and name (on hover)
  // bound when first used, so 10^5 sites open in seconds
  pending = true;
  map.setMinZoom(Math.max(1, Math.floor(map.getZoom()) - 2));
  var cluster = L.markerClusterGroup({{ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50,
    disableClusteringAtZoom: Math.min(18, Math.floor(map.getZoom()) + 8),
    chunkProgress: function (done, total) {{ if (done >= total && pending) {{ pending = false; ready(); }} }} }});
  var feats = DATA.sites.features, markers = new Array(feats.length);
  for (var i = 0; i < feats.length; i++) {{
    var c = feats[i].geometry.coordinates;
    var m = siteOptions.pointToLayer(feats[i], L.latLng(c[1], c[0]));
    m.feature = feats[i];
    markers[i] = m;
  }}
  function bindOnce(layer) {{
    if (layer._gcBound || !layer.feature) return;
    layer._gcBound = true;
    popup(layer.feature, layer);
    var name = layer.feature.properties.name;
    if (PAGE.labels !== "none" && name !== null && name !== undefined && name !== "")
      layer.bindTooltip(function () {{ return el("span", "gc-name", name); }}, {{ direction: "right", offset: [8, 0] }});
  }}
  cluster.on("mouseover", function (e) {{ bindOnce(e.layer); if (e.layer.getTooltip()) e.layer.openTooltip(); }});
  cluster.on("click", function (e) {{ bindOnce(e.layer); if (e.layer.getPopup()) e.layer.openPopup(); }});
  cluster.addTo(map);
  cluster.addLayers(markers);
  rendered["Sites"] = feats.length;
  overlays[esc("Sites")] = cluster;
}} else {{
  add("Sites", DATA.sites, siteOptions);
}}
var scale = L.control.scale({{ metric: true, imperial: false }}).addTo(map);
// Leaflet measures the bar along the map's middle row: true at the centre's latitude
scale.getContainer().title = "Scale true at the latitude of the map centre";
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
  if (PAGE.cluster) {{
    var row = el("div"), sw = el("i");
    sw.style.background = "rgba(45, 45, 45, 0.82)";
    row.appendChild(sw); row.appendChild(document.createTextNode("n sites (click to zoom in)")); d.appendChild(row);
  }}
  return d; }};
legend.addTo(map);
function ready() {{
  document.body.setAttribute("data-gc-ms", String(Math.round(performance.now())));
  document.body.setAttribute("data-gc-layers", JSON.stringify(rendered));
  document.body.setAttribute("data-gc-ready", "1");
}}
if (!pending) ready();
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
        "countries": _fc(recs("countries"), 0.005, lon0),
        "provinces": _fc(recs("provinces"), 0.005, lon0),
        "disputed": _fc(recs("disputed"), 0.0, lon0),
        "zones": _fc(spec.zones, 0.0, lon0),
        "lines": _fc(spec.lines, 0.0, lon0),
        "rings": _fc(spec.rings + ring_feats, 0.0, lon0),
        "sites": _site_fc(spec.sites, lon0),
    }
    if data["countries"]["features"]:
        used["boundaries"] = True
    # the frame's corners and edges in lon/lat, unwrapped around the centre
    fx = np.linspace(bounds[0], bounds[2], 9)
    fy = np.linspace(bounds[1], bounds[3], 9)
    gx, gy = np.meshgrid(fx, fy)
    lon_, lat_ = tr_inv.transform(gx.ravel(), gy.ravel())
    lon_ = _wrap_lon(lon_, lon0)
    lbounds = [
        [float(min(lat_)), float(min(lon_))],
        [float(max(lat_)), float(max(lon_))],
    ]
    credit_lines = map_credits(spec, used)
    n_sites = len(data["sites"]["features"])
    n_named = sum(1 for f in spec.sites if f.properties.get("name") not in (None, ""))
    mode = spec.aggregate
    cluster = mode in ("places", "hex") or (mode == "auto" and n_sites > CLUSTER_ABOVE)
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
        "rights": map_credits(spec, used, full=True),
        "bounds": lbounds,
        "cluster": bool(cluster),
        "labels": spec.labels,
        "permanentLabels": spec.labels == "all"
        or (spec.labels == "auto" and n_named <= PERMANENT_LABELS_UP_TO),
    }
    text = _HTML.format(
        title=_html.escape(spec.title or "geoconflict map"),
        leaflet_css=_vendor("leaflet.css"),
        leaflet_js=_vendor("leaflet.js"),
        cluster_css=_vendor("MarkerCluster.css", "leaflet.markercluster")
        + _vendor("MarkerCluster.Default.css", "leaflet.markercluster"),
        cluster_js=_vendor("leaflet.markercluster.js", "leaflet.markercluster"),
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
