"""Exact point-in-polygon index for many points and polygons (lon/lat degrees WGS84).

Behind :func:`geoconflict.country_at`, :func:`geoconflict.province_at` and
:func:`geoconflict.disputes_at`: the polygons are cut into small pieces held in an
STRtree, and a lazily filled grid of cells remembers the cells that lie wholly
inside one polygon or touch none, so most points are answered by an array look-up.
"""

from __future__ import annotations

import threading

import numpy as np

from geoconflict import _geom

__all__ = ["PointIndex", "subdivide"]

#: Largest number of vertices of one piece of a polygon in the index.
MAX_PIECE_VERTICES = 128


class PointIndex:
    """Exact point-in-polygon index, fast for millions of points.

    Polygons are cut into pieces of at most ``MAX_PIECE_VERTICES`` vertices held in
    an STRtree.  On top, a lazily filled grid of ``_CELL`` degree cells remembers
    cells that lie wholly inside one polygon (``contains_properly``) or touch none:
    points there are answered by an array look-up; only points in cells crossed by
    a boundary are tested exactly against the pieces.
    """

    _CELL = 0.25

    def __init__(self, geoms: np.ndarray) -> None:
        self.geoms = geoms
        self.pieces, self.owner = subdivide(geoms)
        self.tree = _geom.STRtree(self.pieces)
        self.gtree = _geom.STRtree(geoms)
        _geom.prepare(geoms)
        if len(geoms):
            b = _geom.total_bounds(geoms)
        else:
            b = np.array([0.0, 0.0, 0.0, 0.0])
        s = self._CELL
        self.x0 = max(np.floor(b[0] / s) * s, -180.0)
        self.y0 = max(np.floor(b[1] / s) * s, -90.0)
        self.nx = max(int(np.ceil((min(b[2], 180.0) - self.x0) / s)), 1)
        self.ny = max(int(np.ceil((min(b[3], 90.0) - self.y0) / s)), 1)
        self.status = np.full(self.nx * self.ny, -2, dtype=np.int32)  # -2 unknown
        self._lock = threading.Lock()  # guards the lazily filled cell grid

    def _classify(self, cells: np.ndarray) -> None:
        s = self._CELL
        cx = cells % self.nx
        cy = cells // self.nx
        x0 = self.x0 + cx * s
        y0 = self.y0 + cy * s
        boxes = _geom.boxes(x0, y0, x0 + s, y0 + s)
        st = np.full(len(cells), -1, dtype=np.int32)  # -1: no polygon
        qi, _ = self.tree.query(boxes, predicate="intersects")
        st[np.unique(qi)] = -3  # -3: crossed by a boundary (exact test)
        qi, ti = self.gtree.query(boxes)
        inside = _geom.contains_properly(self.geoms[ti], boxes[qi])
        st[qi[inside]] = ti[inside]
        self.status[cells] = st

    def query(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the polygon containing each point, -1 where none (NaN gives -1)."""
        out = np.full(lon.shape, -1, dtype=np.int64)
        ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        if len(ok) == 0 or len(self.geoms) == 0:
            return out
        x = ((lon[ok] + 180.0) % 360.0) - 180.0
        x = np.where((x == -180.0) & (lon[ok] > 0), 180.0, x)
        y = lat[ok]
        s = self._CELL
        cx = np.floor((x - self.x0) / s).astype(np.int64)
        cy = np.floor((y - self.y0) / s).astype(np.int64)
        inside = (cx >= 0) & (cx < self.nx) & (cy >= 0) & (cy < self.ny)
        cell = np.where(inside, cy * self.nx + cx, 0)
        st = np.where(inside, self.status[cell], -3)
        unknown = inside & (st == -2)
        if unknown.any():
            with self._lock:
                self._classify(np.unique(cell[unknown]))
            st = np.where(inside, self.status[cell], -3)
        res = np.where(st >= 0, st, -1).astype(np.int64)
        exact = np.flatnonzero(st == -3)
        if len(exact):
            pts = _geom.points(x[exact], y[exact])
            qi, ti = self.tree.query(pts, predicate="intersects")
            r = np.full(len(exact), -1, dtype=np.int64)
            # reversed so that the first match (lowest piece index) wins on shared edges
            r[qi[::-1]] = self.owner[ti[::-1]]
            res[exact] = r
        out[ok] = res
        return out


def subdivide(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut polygons into pieces of at most ~MAX_PIECE_VERTICES vertices (quadtree)."""
    parts, owner = _geom.get_parts(geoms, return_index=True)
    nv = _geom.num_coordinates(parts)
    small = nv <= MAX_PIECE_VERTICES
    out_p = list(parts[small])
    out_o = list(owner[small])
    stack = list(zip(parts[~small], owner[~small]))
    while stack:
        part, o = stack.pop()
        if _geom.num_coordinates(part) <= MAX_PIECE_VERTICES:
            out_p.append(part)
            out_o.append(o)
            continue
        x0, y0, x1, y1 = part.bounds
        mx, my = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        for bx in (
            (x0, y0, mx, my),
            (mx, y0, x1, my),
            (x0, my, mx, y1),
            (mx, my, x1, y1),
        ):
            for q in _geom.get_parts(_geom.clip_by_rect(part, *bx)):
                if _geom.type_ids(q) == 3 and _geom.area(q) > 0:
                    stack.append((q, o))
    pieces = np.empty(len(out_p), dtype=object)
    pieces[:] = out_p
    return pieces, np.asarray(out_o, dtype=np.int64)
