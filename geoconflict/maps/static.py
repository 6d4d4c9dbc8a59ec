"""Publication maps with matplotlib: PNG, SVG and PDF.

Cartographic choices, all computed, none hard-coded per place:

* the projection suits the extent (:func:`geoconflict.maps.choose_projection`);
  every layer is transformed with pyproj after geodesic densification;
* the scale bar is true at the map centre: its length uses the projection's
  scale factor there (``pyproj.Proj.get_factors``);
* the north arrow points to true north at the map centre (the projected
  direction of the meridian there);
* labels are placed greedily around their anchor so that they do not collide
  with each other, with site markers, or the map frame; a label that cannot be
  placed is dropped (and counted in :attr:`RenderResult.dropped_labels`);
* output is deterministic: SVG is byte-identical for the same input
  (``svg.hashsalt`` fixed, no dates in metadata), PNG is stable.

Coordinates of every input are (lon, lat) degrees WGS84; distances meters.
matplotlib is imported lazily (``pip install 'geoconflict[maps]'``).
"""

from __future__ import annotations

import math
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geoconflict._compat import import_optional_dependency
from geoconflict.maps.labels import Labeler, displace
from geoconflict.maps.layers import boundary_layers, clip_world, map_credits
from geoconflict.maps.overlays import ring_features
from geoconflict.maps.projection import (
    ll_bbox,
    map_view,
    north_angle,
    project,
    scale_factor,
    transformer,
)
from geoconflict.maps.result import RenderResult
from geoconflict.maps.spec import MapSpec
from geoconflict.maps.style import (
    ATTRIBUTION_COLORS,
    AX_RECT,
    BORDER,
    DEFAULT_MARKER,
    DISPUTED,
    EVENT_MARKERS,
    HIGHLIGHT,
    LAND,
    RING,
    SEA,
    ZONE,
)
from geoconflict.units import format_length

__all__ = ["render_static"]


def _patches(ax, geoms, **style):
    """Draw polygons as one PathCollection (fast: no per-patch limit updates)."""
    from matplotlib.collections import PathCollection

    paths = [p for p in (_path_of(g) for g in geoms) if p is not None]
    if not paths:
        return None
    coll = PathCollection(paths, **style)
    ax.add_collection(coll, autolim=False)
    return coll


def _simplify(geoms, tol: float):
    """Simplify projected geometries below the drawing resolution (map units)."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0 or tol <= 0:
        return arr
    return shapely.simplify(arr, tol, preserve_topology=True)


def _status(props: dict) -> str:
    s = str(
        props.get("attribution_status") or props.get("attribution") or "unknown"
    ).lower()
    return s if s in ATTRIBUTION_COLORS else "unknown"


def _marker(props: dict) -> tuple:
    """(matplotlib marker, legend name): the site's role first, then its event type."""
    role = str(props.get("role") or "").lower()
    if "reference" in role or role in ("facility", "crossing"):
        return "s", "reference facility"
    if "launch" in role:
        return "*", "launch site"
    for key in ("sub_event_type", "event_type", "kind"):
        v = str(props.get(key) or "").lower()
        if v:
            for name, m in EVENT_MARKERS.items():
                if name in v:
                    return m, name
    return DEFAULT_MARKER, "site"


def _path_of(geom):
    from matplotlib.path import Path as MPath

    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            verts.append(xy)
            c = np.full(len(xy), MPath.LINETO, dtype=np.uint8)
            c[0] = MPath.MOVETO
            c[-1] = MPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return MPath(np.concatenate(verts), np.concatenate(codes))


def _lines_of(geom) -> list:
    out = []
    for g in getattr(geom, "geoms", [geom]):
        if g.is_empty:
            continue
        if g.geom_type == "LineString":
            out.append(np.asarray(g.coords)[:, :2])
        elif g.geom_type == "Polygon":
            out.append(np.asarray(g.exterior.coords)[:, :2])
        elif g.geom_type.startswith("Multi") or g.geom_type == "GeometryCollection":
            out.extend(_lines_of(g))
    return out


def _nice_length(target_m: float) -> float:
    exp = math.floor(math.log10(target_m))
    for m in (5, 2, 1):
        v = m * 10**exp
        if v <= target_m:
            return float(v)
    return float(10**exp)


def render_static(spec: MapSpec, path: Path, fmt: str) -> RenderResult:
    """Draw `spec` with matplotlib to `path` as `fmt` ("png", "svg" or "pdf").

    :func:`geoconflict.maps.render` checks the path and the format, then calls
    this.  The output is deterministic (fixed SVG hash salt, no dates in the
    metadata).
    """
    with warnings.catch_warnings():
        # a system matplotlib beside the venv's one warns about mpl_toolkits
        warnings.filterwarnings("ignore", message="Unable to import Axes3D")
        mpl = import_optional_dependency("matplotlib", "drawing maps")
        import matplotlib.figure  # noqa: F401
    with mpl.rc_context(
        {
            "svg.hashsalt": "geoconflict",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "font.family": "DejaVu Sans",
            "hatch.linewidth": 0.6,
            "axes.unicode_minus": False,
        }
    ):
        return _draw(spec, path, fmt)


def _draw(spec: MapSpec, path: Path, fmt: str) -> RenderResult:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.transforms import Bbox

    ring_feats = []
    for s in spec.sites:
        if spec.ring_radii_m:
            ring_feats.extend(
                ring_features(
                    s.geometry.x,
                    s.geometry.y,
                    spec.ring_radii_m,
                    label=s.name if len(spec.sites) > 1 else "",
                )
            )
    crs, tr, bounds, (lon0, lat0) = map_view(spec, ring_feats)
    tr_inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    x0, y0, x1, y1 = bounds
    used: dict = {}

    fig = Figure(figsize=spec.size, dpi=spec.dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(AX_RECT)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_linewidth(0.8)
        sp.set_color("#333333")

    legend_handles: list = []
    drawn_layers: set = set()
    disputed_labels: list = []
    bbox_ll = ll_bbox(tr_inv, bounds)
    layers = boundary_layers(spec, bbox_ll)
    view_box = shapely.box(x0, y0, x1, y1)
    px_tol = (x1 - x0) / (spec.size[0] * spec.dpi) / 2.0
    country_labels = []
    countries = clip_world(layers.get("countries", []), bbox_ll)
    if countries:
        used["boundaries"] = True
        proj = _simplify(project([c[2] for c in countries], tr, 5000.0), px_tol)
        _patches(ax, proj, facecolors=LAND, edgecolors=BORDER, linewidths=0.8, zorder=1)
        drawn_layers.add("countries")
        for (name, code, _), g in zip(countries, proj):
            vis = shapely.intersection(g, view_box)
            if not vis.is_empty and vis.area > 0.02 * view_box.area:
                pt = shapely.point_on_surface(vis)
                country_labels.append((pt.x, pt.y, (name or code).upper()))
    else:
        ax.set_facecolor(LAND)
    provinces = clip_world(layers.get("provinces", []), bbox_ll)
    if provinces:
        proj = _simplify(project([c[2] for c in provinces], tr, 5000.0), px_tol)
        segs = [s for g in proj for s in _lines_of(g)]
        ax.add_collection(
            LineCollection(
                segs, colors="#a9a9a9", linewidths=0.4, linestyles=(0, (3, 2)), zorder=2
            )
        )
        drawn_layers.add("provinces")
    disputed = clip_world(layers.get("disputed", []), bbox_ll)
    if disputed:
        proj = _simplify(project([c[2] for c in disputed], tr, 2000.0), px_tol)
        drawn = _patches(ax, proj, facecolors="none", edgecolors=DISPUTED, hatch="////",
                         linewidths=0.6, zorder=3) is not None  # fmt: skip
        for (name, _code, _), g in zip(disputed, proj):
            vis = shapely.intersection(g, view_box)
            if name and not vis.is_empty and vis.area > 0.003 * view_box.area:
                pt = shapely.point_on_surface(vis)
                disputed_labels.append((pt.x, pt.y, name))
        if drawn:
            drawn_layers.add("disputed")
            legend_handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=DISPUTED,
                    hatch="////",
                    label="Disputed area",
                )
            )

    # zones (translucent)
    if spec.zones:
        proj = project([f.geometry for f in spec.zones], tr)
        drawn_zones = _patches(ax, proj, facecolors=ZONE, edgecolors=ZONE, alpha=0.28,
                               linewidths=0.8, zorder=4)  # fmt: skip
        labels = sorted(
            {str(f.properties.get("label") or f.name or "Zone") for f in spec.zones}
        )
        if drawn_zones is None:
            labels = []
        for lab in labels:
            legend_handles.append(
                Patch(facecolor=ZONE, edgecolor=ZONE, alpha=0.28, label=lab)
            )
    # lines (borders of interest)
    if spec.lines:
        proj = project([f.geometry for f in spec.lines], tr)
        segs = [s for g in proj for s in _lines_of(g)]
        ax.add_collection(
            LineCollection(segs, colors=HIGHLIGHT, linewidths=1.8, zorder=5)
        )
        labels = sorted(
            {str(f.properties.get("label") or f.name or "Line") for f in spec.lines}
        )
        for lab in labels:
            legend_handles.append(
                Line2D([], [], color=HIGHLIGHT, linewidth=1.8, label=lab)
            )
    # rings and fans
    all_rings = spec.rings + ring_feats
    ring_label_anchors = []
    if all_rings:
        proj = project([f.geometry for f in all_rings], tr)
        for f, g in zip(all_rings, proj):
            if g.geom_type.endswith("Polygon"):
                _patches(
                    ax, [g], facecolors=RING, alpha=0.06, edgecolors="none", zorder=4
                )
            segs = _lines_of(g)
            ax.add_collection(
                LineCollection(
                    segs, colors=RING, linewidths=0.9, linestyles=(0, (5, 3)), zorder=6
                )
            )
            label = str(f.properties.get("label") or "")
            if label and segs:
                # label at the ring's northernmost visible vertex
                xy = np.concatenate(segs)
                ok = (
                    (xy[:, 0] > x0)
                    & (xy[:, 0] < x1)
                    & (xy[:, 1] > y0)
                    & (xy[:, 1] < y1)
                )
                if ok.any():
                    k = np.argmax(np.where(ok, xy[:, 1], -np.inf))
                    ring_label_anchors.append((xy[k, 0], xy[k, 1], label))
        legend_handles.append(
            Line2D(
                [],
                [],
                color=RING,
                linewidth=0.9,
                linestyle=(0, (5, 3)),
                label="Range (geodesic)",
            )
        )

    # sites
    site_xy = np.empty((0, 2))
    if spec.sites:
        pts = project([f.geometry for f in spec.sites], tr)
        true_xy = shapely.get_coordinates(np.asarray(pts, dtype=object))
        site_xy = displace(true_xy, 0.004 * (x1 - x0), 0.014 * (x1 - x0))
        moved = np.any(site_xy != true_xy, axis=1)
        if moved.any():
            segs = [np.array([t, d]) for t, d in zip(true_xy[moved], site_xy[moved])]
            ax.add_collection(
                LineCollection(segs, colors="#555555", linewidths=0.6, zorder=9)
            )
            ax.plot(
                true_xy[moved, 0],
                true_xy[moved, 1],
                "o",
                color="black",
                markersize=2.5,
                zorder=11,
            )
        seen_markers, seen_status = {}, {}
        for f, (x, y) in zip(spec.sites, site_xy):
            m, mname = _marker(f.properties)
            st = _status(f.properties)
            color = (
                "#333333" if mname == "reference facility" else ATTRIBUTION_COLORS[st]
            )
            ax.plot(
                [x], [y], marker=m, markersize=9 if m != "*" else 12, color=color,
                markeredgecolor="white", markeredgewidth=0.9, linestyle="none", zorder=10,
            )  # fmt: skip
            if mname == "reference facility":
                seen_markers.setdefault(mname, m)
                continue
            seen_markers.setdefault(mname, m)
            seen_status.setdefault(st, True)
        for mname, m in seen_markers.items():
            legend_handles.append(
                Line2D(
                    [],
                    [],
                    marker=m,
                    color="#444444",
                    linestyle="none",
                    markersize=7,
                    label=mname.capitalize(),
                )
            )
        for st in ATTRIBUTION_COLORS:
            if st in seen_status:
                legend_handles.append(
                    Line2D([], [], marker="o", color=ATTRIBUTION_COLORS[st], linestyle="none", markersize=7,
                           label=f"Attribution: {st}")
                )  # fmt: skip

    # title block and credits
    fig.text(
        0.03,
        0.955,
        spec.title or "",
        fontsize=15,
        fontweight="bold",
        ha="left",
        va="center",
    )
    sub = " — ".join(t for t in (spec.subtitle, spec.date) if t)
    fig.text(0.03, 0.915, sub, fontsize=10, color="#444444", ha="left", va="center")
    credit_lines = map_credits(spec, used)
    n_notes = len(spec.notes)
    left = credit_lines[: len(credit_lines) - n_notes]
    right = credit_lines[len(credit_lines) - n_notes :]
    width_chars = int(spec.size[0] * (11 if right else 22))
    left_text = "\n".join(t for c in left for t in textwrap.wrap(c, width_chars))
    fig.text(
        0.03, 0.055, left_text, fontsize=6.5, color="#555555", ha="left", va="center"
    )
    if right:
        right_text = "\n".join(
            t for c in right for t in textwrap.wrap(c, int(spec.size[0] * 6))
        )
        fig.text(0.97, 0.055, right_text, fontsize=6.5, color="#555555", ha="right", va="center",
                 multialignment="left")  # fmt: skip

    # furniture: scale bar (true at the centre), north arrow, legend, inset
    k = scale_factor(crs, lon0, lat0)
    ground_w = (x1 - x0) / k
    L = _nice_length(ground_w / 5)
    bar = L * k
    renderer = fig.canvas.get_renderer()
    lab = Labeler(fig, ax, renderer)
    if spec.scale_bar:
        bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
        hgt = 0.012 * (y1 - y0)
        for i in range(4):
            ax.add_patch(
                Rectangle((bx + i * bar / 4, by), bar / 4, hgt, facecolor="black" if i % 2 == 0 else "white",
                          edgecolor="black", linewidth=0.6, zorder=15)
            )  # fmt: skip
        for frac, txt in ((0, "0"), (0.5, format_length(L / 2)), (1, format_length(L))):
            t = ax.text(
                bx + frac * bar,
                by + 1.6 * hgt,
                txt,
                ha="center",
                va="bottom",
                fontsize=7,
                zorder=15,
                bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 1},
            )
            lab.block_artist(t)
        ns, ew = ("N" if lat0 >= 0 else "S"), ("E" if lon0 >= 0 else "W")
        where = f"{abs(lat0):.2f}°{ns}, {abs(lon0):.2f}°{ew}"
        t = ax.text(bx, by - 0.8 * hgt, f"Scale true at map centre ({where})", ha="left", va="top",
                    fontsize=6, color="#333333", zorder=15,
                    bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 1})  # fmt: skip
        lab.block_artist(t)
        lab.boxes.append(ax.transData.transform_bbox(
            Bbox.from_extents(bx, by, bx + bar, by + 2.5 * hgt)))  # fmt: skip
    # true north at the centre: projected direction of the meridian
    angle = north_angle(crs, lon0, lat0)  # clockwise from map up
    if spec.north_arrow:
        ax0, ay0 = 0.06, 0.83
        ln = 0.09
        dx, dy = math.sin(math.radians(angle)) * ln, math.cos(math.radians(angle)) * ln
        ax_ratio = (y1 - y0) / (x1 - x0)
        ann = ax.annotate(
            "", xy=(ax0 + dx * ax_ratio, ay0 + dy), xytext=(ax0, ay0), xycoords="axes fraction",
            arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": "black", "lw": 1.4}, zorder=16,
        )  # fmt: skip
        t = ax.text(ax0 + dx * ax_ratio * 1.2, ay0 + dy * 1.2 + 0.01, "N", transform=ax.transAxes, ha="center",
                    va="bottom", fontsize=11, fontweight="bold", zorder=16)  # fmt: skip
        group = Bbox.union(
            [ann.get_window_extent(renderer), t.get_window_extent(renderer)]
        )
        lab.boxes.append(group.expanded(1.6, 1.15))
    if spec.legend and legend_handles:
        leg = ax.legend(
            handles=legend_handles,
            loc="lower right",
            fontsize=7,
            framealpha=0.92,
            edgecolor="#999999",
        )
        leg.set_zorder(30)
        lab.block_artist(leg)
    inset_info = None
    if spec.inset and countries:
        inset_info = _draw_inset(fig, ax, layers, (lon0, lat0), bounds, tr_inv, crs)
        if inset_info is not None:
            drawn_layers.add("inset")
            lab.boxes.append(inset_info.get_window_extent(renderer))

    # labels: sites first, then rings, then countries
    for x, y in site_xy:
        lab.block(x, y, 6)
    for f, (x, y) in zip(spec.sites, site_xy):
        if f.name:
            lab.place(x, y, f.name, fontsize=8.5, color="#111111",
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})  # fmt: skip
    for x, y, text in ring_label_anchors:
        lab.place(x, y, text, offsets=((0, 2), (0, -12), (8, -4), (-8, -4)), fontsize=7, color=RING,
                  style="italic")  # fmt: skip
    for x, y, text in disputed_labels:
        lab.place(x, y, text, offsets=((0, -4), (0, 10), (0, -18), (20, -4), (-20, -4)), fontsize=7,
                  color=DISPUTED, style="italic")  # fmt: skip
    for x, y, text in country_labels:
        lab.place(x, y, text, offsets=((0, 0), (0, 20), (0, -20), (30, 0), (-30, 0)), fontsize=9,
                  color="#8a8a8a", fontweight="bold")  # fmt: skip

    meta = {
        "svg": {"Date": None, "Creator": "geoconflict"},
        "pdf": {
            "CreationDate": None,
            "ModDate": None,
            "Creator": "geoconflict",
            "Producer": "geoconflict",
        },
        "png": {"Software": "geoconflict"},
    }[fmt]
    fig.savefig(path, format=fmt, dpi=spec.dpi, metadata=meta)
    bb = ax.get_window_extent(renderer)
    return RenderResult(
        path=path,
        crs=crs,
        center=(lon0, lat0),
        scale_length_m=L,
        scale_bar_map_length=bar,
        north_angle_deg=angle,
        placed_labels=list(lab.placed),
        dropped_labels=list(lab.dropped),
        credits=credit_lines,
        bounds=(x0, y0, x1, y1),
        axes_px=(bb.x0, bb.y0, bb.x1, bb.y1),
        size_px=(fig.bbox.width, fig.bbox.height),
        label_boxes=[tuple(b.extents) for b in lab.label_boxes],
        layers=sorted(drawn_layers),
    )


def _draw_inset(fig, ax, layers, center, bounds, tr_inv, crs):
    """Locator map: the surroundings (about 8 times the map's span) with the map's frame."""
    x0, y0, x1, y1 = bounds
    span = max(x1 - x0, y1 - y0) * 4
    lon0, lat0 = center
    icrs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
    )
    itr = transformer(icrs)
    ibox = shapely.box(-span, -span, span, span)
    inv = pyproj.Transformer.from_crs(icrs, "EPSG:4326", always_xy=True)
    ll = ll_bbox(inv, (-span, -span, span, span), pad=0.2)
    recs = clip_world(layers.get("countries", []), ll)
    if not recs:
        return None
    iax = fig.add_axes((0.755, 0.655, 0.2, 0.2))
    iax.set_xlim(-span, span)
    iax.set_ylim(-span, span)
    iax.set_aspect("equal")
    iax.set_xticks([])
    iax.set_yticks([])
    iax.set_facecolor(SEA)
    proj = project([r[2] for r in recs], itr, 20_000.0)
    proj = _simplify(
        shapely.intersection(np.asarray(proj, dtype=object), ibox), span / 300
    )
    _patches(iax, proj, facecolors=LAND, edgecolors=BORDER, linewidths=0.4)
    # the main map's frame, through lon/lat
    frame = shapely.box(x0, y0, x1, y1).exterior
    pts = np.asarray(frame.segmentize((x1 - x0) / 40).coords)
    lon, lat = tr_inv.transform(pts[:, 0], pts[:, 1])
    fx, fy = itr.transform(lon, lat)
    iax.plot(fx, fy, color="#d7191c", linewidth=1.2)
    for sp in iax.spines.values():
        sp.set_linewidth(0.8)
    iax.set_zorder(40)
    return iax
