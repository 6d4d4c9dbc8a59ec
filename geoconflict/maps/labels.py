"""Where labels and the inset go on a static map: greedy, collision-free, in display pixels.

:class:`Labeler` keeps every obstacle (markers, furniture, placed labels) as
rows of a numpy array of pixel boxes, so one placement test is one vectorized
comparison whatever the number of markers; a label's text is measured once and
its candidate positions are computed from that size.  Only the labels a map
will draw are tried (see :func:`geoconflict.maps.symbols.label_order`).  Map
units are the projection's meters; display units are pixels.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CORNERS", "Labeler", "furniture_corners", "inset_corner"]


class Labeler:
    """Greedy, collision-free label placement in display space."""

    OFFSETS = (
        (6, 4),
        (6, -10),
        (-6, 4),
        (-6, -10),
        (0, 9),
        (0, -15),
        (10, -3),
        (-10, -3),
        (14, 14),
        (14, -22),
        (-14, 14),
        (-14, -22),
        (0, 22),
        (0, -28),
    )

    def __init__(self, fig, ax, renderer):
        self.fig, self.ax, self.renderer = fig, ax, renderer
        self._obstacles = np.empty((0, 4))
        self.placed: list = []
        self.label_boxes: list = []
        self.dropped: list = []
        self.frame = ax.get_window_extent(renderer)
        self._pt = fig.dpi / 72.0  # pixels per point

    @property
    def boxes(self) -> list:
        """The obstacles as (x0, y0, x1, y1) pixel tuples."""
        return [tuple(r) for r in self._obstacles]

    def add_box(self, bbox) -> None:
        """Keep labels off a pixel box (a matplotlib Bbox or (x0, y0, x1, y1))."""
        ext = bbox.extents if hasattr(bbox, "extents") else bbox
        self._obstacles = np.vstack([self._obstacles, np.asarray(ext, float)[None]])

    def block_points(self, xy: np.ndarray, radius_px) -> None:
        """Keep labels off squares of `radius_px` pixels around map points `xy` (n, 2)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if not len(xy):
            return
        px = self.ax.transData.transform(xy)
        r = np.broadcast_to(np.asarray(radius_px, dtype=float), (len(px),))
        f = self.frame
        inside = (px[:, 0] + r > f.x0) & (px[:, 0] - r < f.x1)
        inside &= (px[:, 1] + r > f.y0) & (px[:, 1] - r < f.y1)
        px, r = px[inside], r[inside]
        boxes = np.column_stack(
            [px[:, 0] - r, px[:, 1] - r, px[:, 0] + r, px[:, 1] + r]
        )
        self._obstacles = np.vstack([self._obstacles, boxes])

    def block(self, x, y, radius_px=5.0):
        """Keep labels off a square of `radius_px` pixels around map point (x, y)."""
        self.block_points(np.array([[x, y]]), radius_px)

    def block_artist(self, artist):
        """Keep labels off a drawn artist (text, legend, ...)."""
        self.add_box(artist.get_window_extent(self.renderer).expanded(1.02, 1.05))

    def _free(self, box) -> bool:
        o = self._obstacles
        if not len(o):
            return True
        hit = (
            (o[:, 0] < box[2])
            & (o[:, 2] > box[0])
            & (o[:, 1] < box[3])
            & (o[:, 3] > box[1])
        )
        return not hit.any()

    def place(self, x, y, text, *, offsets=None, **style):
        """Draw `text` at the first offset (points) around (x, y) where it fits; None if none does."""
        from matplotlib.transforms import offset_copy

        t = self.ax.text(x, y, text, ha="left", va="bottom", zorder=20, **style)
        bb = t.get_window_extent(self.renderer)
        w, h = bb.width * 1.04, bb.height * 1.1
        px, py = self.ax.transData.transform((x, y))
        f = self.frame
        for dx, dy in offsets or self.OFFSETS:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            left = (
                px
                + dx * self._pt
                - {"left": 0.0, "right": 1.0, "center": 0.5}[ha] * bb.width
            )
            bottom = py + dy * self._pt
            cx, cy = left + bb.width / 2, bottom + bb.height / 2
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            inside = (
                box[0] >= f.x0 and box[2] <= f.x1 and box[1] >= f.y0 and box[3] <= f.y1
            )
            if inside and self._free(box):
                t.set_transform(
                    offset_copy(
                        self.ax.transData, fig=self.fig, x=dx, y=dy, units="points"
                    )
                )
                t.set_horizontalalignment(ha)
                self.add_box(box)
                from matplotlib.transforms import Bbox

                self.label_boxes.append(Bbox.from_extents(*box))
                self.placed.append(text)
                return t
        t.remove()
        self.dropped.append(text)
        return None


#: the inset's corners, in the order preferred on a tie
CORNERS = ("upper right", "lower right", "upper left", "lower left")


def _corner_counts(xy: np.ndarray, bounds: tuple, size: tuple) -> list:
    """Count the data points in each corner box of `size` (fractions of the frame), in :data:`CORNERS` order."""
    x0, y0, x1, y1 = bounds
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    u = (xy[:, 0] - x0) / (x1 - x0)
    v = (xy[:, 1] - y0) / (y1 - y0)
    w, h = size
    counts = []
    for c in CORNERS:
        inx = (u >= 1 - w) & (u <= 1) if c.endswith("right") else (u <= w) & (u >= 0)
        iny = (v >= 1 - h) & (v <= 1) if c.startswith("upper") else (v <= h) & (v >= 0)
        counts.append(int(np.count_nonzero(inx & iny)))
    return counts


def inset_corner(inset, xy: np.ndarray, bounds: tuple, size: tuple):
    """Return the corner of the map for the locator inset, or None for no inset.

    Parameters
    ----------
    inset : bool or str
        True, ``"auto"`` or ``"corner"``: the corner holding the fewest data
        points (ties in the order of :data:`CORNERS`); a corner's name (``"upper
        left"``, ``"lower-right"`` ...): that corner; False or ``"none"``: None.
    xy : ndarray (n, 2)
        The data drawn (projected map units): sites, vertices of zones and lines.
    bounds : (x0, y0, x1, y1)
        The map frame (map units).
    size : (float, float)
        The inset's width and height as fractions of the frame.

    Examples
    --------
    >>> inset_corner("auto", np.array([[9.0, 9.0], [9.5, 9.5]]), (0, 0, 10, 10), (0.2, 0.2))
    'lower right'
    """
    if inset is False or inset is None or str(inset).lower() == "none":
        return None
    name = str(inset).lower().replace("-", " ").replace("_", " ")
    if name in CORNERS:
        return name
    counts = _corner_counts(xy, bounds, size)
    return CORNERS[int(np.argmin(counts))]


def furniture_corners(inset, xy: np.ndarray, bounds: tuple, size: tuple) -> dict:
    """Return the corners of the inset, the legend, the north arrow and the scale bar.

    The inset takes :func:`inset_corner`; the legend the emptiest corner left
    (ties: lower right first); the north arrow and the scale bar keep upper
    left and lower left unless taken, then the corners left over.  Values are
    names from :data:`CORNERS` (the inset's may be None).

    Examples
    --------
    >>> furniture_corners(False, np.empty((0, 2)), (0, 0, 10, 10), (0.2, 0.2))
    {'inset': None, 'legend': 'lower right', 'north': 'upper left', 'scale': 'lower left'}
    """
    counts = dict(zip(CORNERS, _corner_counts(xy, bounds, size)))
    out = {"inset": inset_corner(inset, xy, bounds, size)}
    free = [c for c in CORNERS if c != out["inset"]]
    prefer = ("lower right", "upper right", "lower left", "upper left")
    legend = min(free, key=lambda c: (counts[c], prefer.index(c)))
    out["legend"] = legend
    free.remove(legend)
    for item, home in (("north", "upper left"), ("scale", "lower left")):
        out[item] = home if home in free else free[0]
        free.remove(out[item])
    return out
