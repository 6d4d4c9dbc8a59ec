"""Where markers and labels go on a static map.

Co-located markers are spread on a small circle (:func:`displace`); labels are
placed greedily where they collide with nothing (:class:`Labeler`).  Map units
are the projection's meters; display units are pixels.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Labeler", "displace"]


def displace(xy: np.ndarray, tol: float, radius: float) -> np.ndarray:
    """Spread markers that share a position on a small circle around it (display only).

    Returns the drawing positions; groups of sites closer than `tol` (map
    units) are placed at `radius` around their common centre, clockwise from the
    top, so that every marker and label stays visible.
    """
    out = xy.copy()
    if len(xy) < 2:
        return out
    keys = np.round(xy / tol).astype(np.int64)
    groups: dict = {}
    for i, k in enumerate(map(tuple, keys)):
        groups.setdefault(k, []).append(i)
    for members in groups.values():
        n = len(members)
        if n < 2:
            continue
        c = xy[members].mean(axis=0)
        ang = np.radians(np.arange(n) * 360.0 / n)
        out[members, 0] = c[0] + radius * np.sin(ang)
        out[members, 1] = c[1] + radius * np.cos(ang)
    return out


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
        self.boxes: list = []
        self.placed: list = []
        self.label_boxes: list = []
        self.dropped: list = []
        self.frame = ax.get_window_extent(renderer)

    def block(self, x, y, radius_px=5.0):
        """Keep labels off a square of `radius_px` pixels around map point (x, y)."""
        from matplotlib.transforms import Bbox

        px, py = self.ax.transData.transform((x, y))
        self.boxes.append(
            Bbox.from_extents(
                px - radius_px, py - radius_px, px + radius_px, py + radius_px
            )
        )

    def block_artist(self, artist):
        """Keep labels off a drawn artist (text, legend, ...)."""
        self.boxes.append(artist.get_window_extent(self.renderer).expanded(1.02, 1.05))

    def place(self, x, y, text, *, offsets=None, **style):
        """Draw `text` at the first offset (points) around (x, y) where it fits; None if none does."""
        from matplotlib.transforms import offset_copy

        for dx, dy in offsets or self.OFFSETS:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            trans = offset_copy(
                self.ax.transData, fig=self.fig, x=dx, y=dy, units="points"
            )
            t = self.ax.text(
                x, y, text, transform=trans, ha=ha, va="bottom", zorder=20, **style
            )
            bb = t.get_window_extent(self.renderer).expanded(1.04, 1.1)
            inside = (
                bb.x0 >= self.frame.x0
                and bb.x1 <= self.frame.x1
                and bb.y0 >= self.frame.y0
                and bb.y1 <= self.frame.y1
            )
            if inside and not any(bb.overlaps(o) for o in self.boxes):
                self.boxes.append(bb)
                self.label_boxes.append(bb)
                self.placed.append(text)
                return t
            t.remove()
        self.dropped.append(text)
        return None
