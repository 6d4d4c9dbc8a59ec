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

import functools
import math
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geoconflict._compat import import_optional_dependency
from geoconflict.maps.labels import Labeler, furniture_corners
from geoconflict.maps.layers import boundary_layers, clip_world, map_credits, thinned
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
    DISPUTED,
    HIGHLIGHT,
    LAND,
    RING,
    SEA,
    ZONE,
)
from geoconflict.maps.symbols import (
    AUTO_AGGREGATE_ABOVE,
    Symbols,
    group_symbols,
    label_order,
    merge_names,
    site_table,
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


def _thin(geoms_ll, tol_m: float):
    """Simplify lon/lat geometries below `tol_m` meters before they are densified and projected.

    The tolerance in degrees is `tol_m` over the length of a degree of latitude
    (a degree of longitude is never longer), so nothing visible at the map's
    resolution is lost and the projection handles far fewer vertices.
    """
    arr = np.asarray(geoms_ll, dtype=object)
    if arr.size == 0 or tol_m <= 0:
        return arr
    return shapely.simplify(arr, tol_m / 111_320.0, preserve_topology=True)


def _simplify(geoms, tol: float):
    """Simplify projected geometries below the drawing resolution (map units)."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0 or tol <= 0:
        return arr
    return shapely.simplify(arr, tol, preserve_topology=True)


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
    # the frame in lon/lat (sampled on a 21 x 21 grid, so curved edges are inside), plus a
    # little: boundaries further out would be projected only to be clipped
    bbox_ll = ll_bbox(tr_inv, bounds, pad=0.05)
    px_tol = (x1 - x0) / (spec.size[0] * spec.dpi) / 2.0
    layers = boundary_layers(spec, bbox_ll, tol_m=px_tol)
    view_box = shapely.box(x0, y0, x1, y1)
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

    # zones (translucent); data_parts: what the inset must not cover
    data_parts: list = []
    if spec.zones:
        proj = project([f.geometry for f in spec.zones], tr)
        data_parts.append(shapely.get_coordinates(proj))
        drawn_zones = _patches(ax, proj, facecolors=ZONE, edgecolors=ZONE, alpha=0.28,
                               linewidths=0.8, zorder=4)  # fmt: skip
        labels = sorted(
            {str(f.properties.get("label") or f.name or "Zone") for f in spec.zones}
        )
        if drawn_zones is not None:  # one entry per symbol, naming every zone
            legend_handles.append(Patch(facecolor=ZONE, edgecolor=ZONE, alpha=0.28,
                                        label="; ".join(labels)))  # fmt: skip
    # lines (borders of interest)
    if spec.lines:
        proj = project(_thin([f.geometry for f in spec.lines], px_tol), tr)
        data_parts.append(shapely.get_coordinates(proj))
        segs = [s for g in proj for s in _lines_of(g)]
        ax.add_collection(
            LineCollection(segs, colors=HIGHLIGHT, linewidths=1.8, zorder=5)
        )
        labels = sorted(
            {str(f.properties.get("label") or f.name or "Line") for f in spec.lines}
        )
        legend_handles.append(
            Line2D([], [], color=HIGHLIGHT, linewidth=1.8, label="; ".join(labels))
        )
    # rings and fans
    all_rings = spec.rings + ring_feats
    ring_label_anchors = []
    if all_rings:
        proj = project([f.geometry for f in all_rings], tr)
        data_parts.append(shapely.get_coordinates(proj))
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

    # sites: one symbol per site, per co-located group, or per place
    size_handles: list = []  # the graduated symbols' own legend
    sym, label_sym = _draw_sites(
        ax, spec, tr, (x0, y0, x1, y1), legend_handles, size_handles
    )

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

    # furniture: scale bar (true at the centre), north arrow, legend, inset;
    # the inset takes the emptiest corner and the furniture there moves to its place
    k = scale_factor(crs, lon0, lat0)
    ground_w = (x1 - x0) / k
    L = _nice_length(ground_w / 5)
    bar = L * k
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    pos = ax.get_position()
    inset_wh = (0.2 / pos.width, 0.2 / pos.height)  # axes fractions
    data_xy = np.concatenate([sym.anchor, *data_parts]) if data_parts else sym.anchor
    where = furniture_corners(spec.inset, data_xy, (x0, y0, x1, y1), inset_wh)
    corner = where["inset"]
    lab = Labeler(fig, ax, renderer)
    if spec.scale_bar:
        left = where["scale"].endswith("left")
        bx = x0 + 0.04 * (x1 - x0) if left else x1 - 0.04 * (x1 - x0) - bar
        by = (
            y0 + 0.05 * (y1 - y0)
            if where["scale"].startswith("lower")
            else y1 - 0.1 * (y1 - y0)
        )
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
        at = f"{abs(lat0):.2f}°{ns}, {abs(lon0):.2f}°{ew}"
        t = ax.text(bx, by - 0.8 * hgt, f"Scale true at map centre ({at})", ha="left", va="top",
                    fontsize=6, color="#333333", zorder=15,
                    bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 1})  # fmt: skip
        lab.block_artist(t)
        lab.add_box(ax.transData.transform_bbox(
            Bbox.from_extents(bx, by, bx + bar, by + 2.5 * hgt)))  # fmt: skip
    # true north at the centre: projected direction of the meridian
    angle = north_angle(crs, lon0, lat0)  # clockwise from map up
    if spec.north_arrow:
        ax0 = 0.06 if where["north"].endswith("left") else 0.94
        ay0 = 0.83 if where["north"].startswith("upper") else 0.12
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
        lab.add_box(group.expanded(1.6, 1.15))
    if spec.legend and legend_handles:
        leg = ax.legend(
            handles=legend_handles,
            loc=where["legend"],
            fontsize=7,
            framealpha=0.92,
            edgecolor="#999999",
        )
        leg.set_zorder(30)
        lab.block_artist(leg)
        if size_handles:  # graduated sizes: one row beside the legend, tall enough
            ax.add_artist(leg)
            bb = leg.get_window_extent(renderer).transformed(ax.transAxes.inverted())
            right, lower = (
                where["legend"].endswith("right"),
                where["legend"].startswith("lower"),
            )
            anchor = (
                bb.x1 if right else bb.x0,
                bb.y1 + 0.005 if lower else bb.y0 - 0.005,
            )
            leg2 = ax.legend(
                handles=size_handles, loc=("lower " if lower else "upper ") + ("right" if right else "left"),
                bbox_to_anchor=anchor, ncols=len(size_handles), fontsize=7, framealpha=0.92,
                edgecolor="#999999", handleheight=_GRAD_PT[1] / 7.0, handlelength=_GRAD_PT[1] / 7.0,
                title="Per place (area)", title_fontsize=7, columnspacing=0.8,
            )  # fmt: skip
            leg2.set_zorder(30)
            lab.block_artist(leg2)
    inset_info = None
    if corner is not None and countries:
        rect = _inset_rect(pos, corner)
        inset_info = _draw_inset(fig, rect, layers, (lon0, lat0), bounds, tr_inv, crs)
        if inset_info is not None:
            drawn_layers.add("inset")
            lab.add_box(inset_info.get_window_extent(renderer))

    # labels: only the ones the map will draw, best first (named sites, then the
    # largest aggregates), then rings, disputed areas and countries
    lab.block_points(sym.xy, _marker_radius_px(sym, fig.dpi))
    for i in label_order(label_sym, spec.labels, cap=_label_cap(spec)):
        text = label_sym.name[i]
        if label_sym.count[i] > 1:
            text = f"{text} ({label_sym.count[i]:,})"
        x, y = label_sym.xy[i]
        lab.place(x, y, text, fontsize=8.5, color="#111111",
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

    # the credits, every source listed, also in the file's metadata
    rights = " | ".join(map_credits(spec, used, full=True))
    title = {"Title": spec.title} if spec.title else {}
    meta = {
        "svg": {"Date": None, "Creator": "geoconflict", "Rights": rights, **title},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "geoconflict",
                "Producer": "geoconflict", "Subject": rights, **title},
        "png": {"Software": "geoconflict", "Copyright": rights, **title},
    }[fmt]  # fmt: skip
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
        symbols=len(sym),
        aggregated=bool(sym.graduated),
        furniture={**where, "inset": corner if inset_info is not None else None},
    )


#: marker sizes (points) of one site, and the range of graduated symbols
_MARKER_PT = {"*": 12.0}
_SITE_PT = 9.0
_GRAD_PT = (4.0, 28.0)


def _inset_rect(pos, corner: str) -> tuple:
    """Return the inset's rectangle (figure fractions) in `corner` of the map panel `pos`."""
    w = h = 0.2
    pad = 0.012
    left = pos.x0 + pad if corner.endswith("left") else pos.x1 - w - pad
    bottom = pos.y0 + pad if corner.startswith("lower") else pos.y1 - h - pad
    return (left, bottom, w, h)


def _graduated_pt(weight: np.ndarray, wmax: float) -> np.ndarray:
    """Marker diameter (points) of graduated symbols: area proportional to `weight`."""
    lo, hi = _GRAD_PT
    frac = np.sqrt(np.clip(weight / max(wmax, 1e-12), 0.0, 1.0))
    return np.maximum(lo, hi * frac)


def _marker_radius_px(sym: Symbols, dpi: float) -> np.ndarray:
    """How far labels keep off each symbol (pixels): its radius; the centre of a graduated one."""
    if sym.graduated:  # a label may cover the rim of a large circle, not its centre
        pt = np.minimum(
            _graduated_pt(sym.weight, float(sym.weight.max()) if len(sym) else 1.0),
            10.0,
        )
    else:
        pt = np.where(sym.marker == "*", _MARKER_PT["*"], _SITE_PT)
        pt = pt * np.where(sym.count > 1, 1.35, 1.0)
    return pt / 2.0 * dpi / 72.0 + 1.0


def _label_cap(spec: MapSpec) -> int:
    """How many site labels ``labels="auto"`` tries: about one per 2.5 square inches."""
    return max(8, int(spec.size[0] * spec.size[1] / 2.5))


def _aggregate_mode(spec: MapSpec) -> str:
    mode = spec.aggregate
    if mode == "auto":
        return "places" if len(spec.sites) > AUTO_AGGREGATE_ABOVE else "none"
    return mode


def _nice_steps(vmax: float) -> list:
    """Up to three round values at or below `vmax` for a size legend (largest first)."""
    if vmax <= 0:
        return []
    top = _nice_length(vmax)
    out = [top]
    for f in (0.1, 0.01):
        v = _nice_length(top * f) if top * f >= 1 else 0
        if v >= 1 and v not in out:
            out.append(v)
    return out


def _draw_sites(
    ax, spec: MapSpec, tr, bounds, legend_handles: list, size_handles: list
) -> tuple:
    """Draw the sites, one collection per marker; return (drawn symbols, labelled symbols)."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    x0, y0, x1, y1 = bounds
    span = x1 - x0
    if not spec.sites:
        empty = group_symbols(np.empty((0, 2)), {}, tol=1.0, spread_radius=1.0)
        return empty, empty
    geoms = np.asarray([f.geometry for f in spec.sites], dtype=object)
    lonlat = shapely.get_coordinates(geoms)
    xy = np.column_stack(tr.transform(lonlat[:, 0], lonlat[:, 1]))
    table = site_table(spec.sites, spec.size_by)
    mode = _aggregate_mode(spec)
    what = "fatalities" if spec.size_by == "fatalities" else "events"
    if mode == "hex":
        sym = group_symbols(xy, table, tol=0.004 * span, spread_radius=0.0,
                            aggregate="places", cell=0.025 * span)  # fmt: skip
        hb = ax.hexbin(
            xy[:, 0], xy[:, 1],
            C=table["weight"] if spec.size_by == "fatalities" else None,
            reduce_C_function=np.sum, gridsize=40, mincnt=1,
            extent=(x0, x1, y0, y1), cmap="YlOrRd", linewidths=0.2, edgecolors="#ffffff", zorder=4.5,
        )  # fmt: skip
        vals = hb.get_array()
        vmax = float(np.max(vals)) if len(vals) else 1.0
        hb.set_clim(0, vmax)
        for v in _nice_steps(vmax)[::-1]:
            legend_handles.append(Patch(facecolor=hb.cmap(hb.norm(v)), edgecolor="#999999",
                                        label=f"{v:,.0f} {what} per hexagon"))  # fmt: skip
        return sym, sym
    if mode == "places":
        sym = group_symbols(xy, table, tol=0.004 * span, spread_radius=0.0,
                            aggregate="places", cell=0.025 * span)  # fmt: skip
        wmax = float(sym.weight.max())
        d = _graduated_pt(sym.weight, wmax)
        order = np.argsort(-sym.weight, kind="stable")  # small symbols on top
        colors = np.array([to_rgba(ATTRIBUTION_COLORS[s], 0.78) for s in sym.status])
        ax.scatter(sym.xy[order, 0], sym.xy[order, 1], s=d[order] ** 2, c=colors[order],
                   edgecolors="white", linewidths=0.6, zorder=10)  # fmt: skip
        for v in _nice_steps(wmax)[::-1]:
            unit = what if v != 1 else what.rstrip("s") if what == "events" else what
            size_handles.append(Line2D([], [], marker="o", linestyle="none", color="#9a9a9a",
                                       markeredgecolor="white",
                                       markersize=float(_graduated_pt(np.array([v]), wmax)[0]),
                                       label=f"{v:,.0f} {unit}"))  # fmt: skip
        for st in ATTRIBUTION_COLORS:
            if (sym.status == st).any():
                legend_handles.append(Patch(facecolor=ATTRIBUTION_COLORS[st], alpha=0.78,
                                            label=f"Most frequent attribution: {st}"))  # fmt: skip
        return sym, sym
    sym = group_symbols(xy, table, tol=0.004 * span, spread_radius=0.014 * span)
    moved = np.any(sym.xy != sym.anchor, axis=1)
    if moved.any():
        segs = np.stack([sym.anchor[moved], sym.xy[moved]], axis=1)
        ax.add_collection(
            LineCollection(segs, colors="#555555", linewidths=0.6, zorder=9)
        )
        ax.scatter(
            sym.anchor[moved, 0], sym.anchor[moved, 1], s=2.5**2, c="black", zorder=11
        )
    ref = sym.kind == "reference facility"
    colors = np.array([to_rgba(ATTRIBUTION_COLORS[s]) for s in sym.status])
    colors[ref] = to_rgba("#333333")
    size = np.where(sym.marker == "*", _MARKER_PT["*"], _SITE_PT)
    size = size * np.where(sym.count > 1, 1.35, 1.0)
    for m in dict.fromkeys(sym.marker):  # one collection per marker, first-seen order
        k = sym.marker == m
        ax.scatter(sym.xy[k, 0], sym.xy[k, 1], marker=m, s=size[k] ** 2, c=colors[k],
                   edgecolors="white", linewidths=0.9, zorder=10)  # fmt: skip
    # co-located groups: the count on the symbol
    for i in np.flatnonzero(sym.count > 1)[:300]:
        ax.text(sym.xy[i, 0], sym.xy[i, 1], f"{sym.count[i]:,}", ha="center", va="center",
                fontsize=5.5, color="white", fontweight="bold", zorder=12)  # fmt: skip
    by_marker: dict = {}  # one legend entry per symbol: kinds sharing a marker join
    for kind in dict.fromkeys(sym.kind):
        m = sym.marker[np.flatnonzero(sym.kind == kind)[0]]
        by_marker.setdefault((m, kind == "reference facility"), []).append(kind)
    for (m, ref_kind), kinds in by_marker.items():
        c = "#333333" if ref_kind else "#8a8a8a"
        label = "; ".join(k.capitalize() if i == 0 else k for i, k in enumerate(kinds))
        legend_handles.append(Line2D([], [], marker=m, color=c, linestyle="none",
                                     markersize=7, label=label))  # fmt: skip
    for st in ATTRIBUTION_COLORS:
        if (sym.status[~ref] == st).any():
            legend_handles.append(Patch(facecolor=ATTRIBUTION_COLORS[st], edgecolor="white",
                                        label=f"Attribution: {st}"))  # fmt: skip
    if (sym.count > 1).any():
        legend_handles.append(Line2D([], [], marker="$12$", color="#444444", linestyle="none",
                                     markersize=9, label="n: events at one point"))  # fmt: skip
    return sym, merge_names(sym)


@functools.lru_cache(maxsize=16)
def _inset_countries(lon0: float, lat0: float, span: float) -> tuple:
    """Return the countries of an inset centred at (lon0, lat0), ±`span` meters, projected.

    The inset is a locator drawn at about span/150 meters a pixel: the centre is
    rounded to about a pixel and the span to two significant digits by the
    caller, so the maps of a series (``--each month``) or of one region share it.
    """
    icrs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
    )
    itr = transformer(icrs)
    ibox = shapely.box(-span, -span, span, span)
    inv = pyproj.Transformer.from_crs(icrs, "EPSG:4326", always_xy=True)
    ll = ll_bbox(inv, (-span, -span, span, span), pad=0.2)
    recs = clip_world(thinned("countries", span / 150), ll)
    if not recs:
        return icrs, ()
    proj = project([r[2] for r in recs], itr, span / 30)
    proj = _simplify(
        shapely.intersection(np.asarray(proj, dtype=object), ibox), span / 150
    )
    return icrs, tuple(proj)


def _draw_inset(fig, rect, layers, center, bounds, tr_inv, crs):
    """Locator map at `rect` (figure fractions): the surroundings (about 8 times the map's span)."""
    x0, y0, x1, y1 = bounds
    span = float(f"{max(x1 - x0, y1 - y0) * 4:.2g}")
    # centre rounded to about one inset pixel (a power of two degrees): maps of a
    # region share the inset's projection, and it moves by under a pixel
    step = 2.0 ** math.floor(math.log2(span / 150 / 111_320.0))
    lon0, lat0 = round(center[0] / step) * step, round(center[1] / step) * step
    if not layers.get("countries"):
        return None
    icrs, proj = _inset_countries(lon0, lat0, span)
    if not proj:
        return None
    itr = transformer(icrs)
    iax = fig.add_axes(rect)
    iax.set_xlim(-span, span)
    iax.set_ylim(-span, span)
    iax.set_aspect("equal")
    iax.set_xticks([])
    iax.set_yticks([])
    iax.set_facecolor(SEA)
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
