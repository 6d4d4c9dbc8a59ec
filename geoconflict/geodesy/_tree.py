"""The search tree of the distance engine, and its numpy search.

:class:`~geoconflict.geodesy.index.GeodesicIndex` prunes the edges of a geometry
with a binary tree over blocks of consecutive arcs (great-circle arcs between
the unit vectors of the geodetic normals of the vertices, see
:mod:`geoconflict.geodesy._sphere`).  Every node has a *cap* (a centre and an
angular radius holding all its arcs) and a *capsule* (the arc from its first to
its last vertex, widened so that it holds all its arcs).  :func:`build_tree`
builds it with numpy; it is searched

* by the compiled kernels of :mod:`geoconflict.geodesy._kernels` when numba is
  installed (one point at a time, depth first), and
* by :func:`search_band` / :func:`search_within` here otherwise (all points at
  once, level by level),

with the same bounds (:func:`geoconflict.geodesy._sphere.arc_bounds` and its
compiled twin), so both keep the same candidate edges.  Units: unit vectors,
angles in radians, distances in meters on the ellipsoid (WGS84 by default).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from geoconflict._typing import BoolArray, FloatArray, IntArray
from geoconflict.geodesy._sphere import (
    Ellipsoid,
    angle,
    arc_bounds,
    arc_normal,
    point_arc_angle,
)

__all__ = [
    "Tree",
    "build_tree",
    "search_band",
    "search_within",
]


class Tree(NamedTuple):
    """A search tree over arcs; numba takes it as one argument.

    ``K`` nodes (the leaves first, the root among the last), ``L`` arcs.  The
    arcs of leaf ``k`` are ``leaf[k] * block`` to ``leaf[k] * block + block - 1``
    (fewer in the last block).

    Attributes
    ----------
    left, right : ndarray of int64, (K,)
        Children of an inner node; -1 at a leaf.
    leaf : ndarray of int64, (K,)
        Block number of a leaf; -1 at an inner node.
    cap_center : ndarray of float64, (K, 3)
        Centre of the node's cap, unit vector.
    cap_radius : ndarray of float64, (K,)
        Radius of the node's cap, radians: every arc of the node (and its
        geodesic edge) lies within it.
    capsule_a, capsule_b : ndarray of float64, (K, 3)
        Ends of the node's capsule arc (its first and last vertex), unit vectors.
    capsule_normal : ndarray of float64, (K, 3)
        Unit normal of the capsule arc's plane (0 when degenerate).
    capsule_degenerate : ndarray of bool, (K,)
        The capsule arc is a point (or its ends are antipodal).
    capsule_width : ndarray of float64, (K,)
        No point of the node's edges is farther than this from the capsule arc,
        meters (an angle times ``ellipsoid.r_hi``).
    capsule_length : ndarray of float64, (K,)
        Length of the capsule arc, meters (an angle times ``ellipsoid.r_hi``).
    arc_a, arc_b : ndarray of float64, (L, 3)
        Ends of each arc, unit vectors (equal for an isolated point).
    arc_normal : ndarray of float64, (L, 3)
        Unit normal of each arc's plane (0 when degenerate).
    arc_degenerate : ndarray of bool, (L,)
        The arc is an isolated point (or has no plane).
    arc_dev : ndarray of float64, (L,)
        Largest departure of the geodesic edge from its arc, meters.
    arc_length : ndarray of float64, (L,)
        Length of each arc, meters (an angle times ``ellipsoid.r_hi``; 0 for a
        point).
    arc_vertex : ndarray of int64, (L,)
        The geometry's vertex (edge) each arc starts at.
    root : int
        The root node.
    block : int
        Arcs per leaf.
    ellipsoid : Ellipsoid
        The constants of the distance bounds (meters).
    """

    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    cap_center: np.ndarray
    cap_radius: np.ndarray
    capsule_a: np.ndarray
    capsule_b: np.ndarray
    capsule_normal: np.ndarray
    capsule_degenerate: np.ndarray
    capsule_width: np.ndarray
    capsule_length: np.ndarray
    arc_a: np.ndarray
    arc_b: np.ndarray
    arc_normal: np.ndarray
    arc_degenerate: np.ndarray
    arc_dev: np.ndarray
    arc_length: np.ndarray
    arc_vertex: np.ndarray
    root: int
    block: int
    ellipsoid: Ellipsoid


def _c(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x)


def build_tree(
    arc_a: np.ndarray,
    arc_b: np.ndarray,
    arc_deg: np.ndarray,
    arc_dev: np.ndarray,
    arc_vertex: np.ndarray,
    ell: Ellipsoid,
    block: int = 8,
) -> Tree:
    """Return the search tree over arcs: caps and capsules over blocks of arcs.

    Leaves are blocks of `block` consecutive arcs; a parent joins two
    neighbouring nodes.

    Parameters
    ----------
    arc_a, arc_b : ndarray (L, 3)
        Unit vectors of each arc's ends (equal for an isolated point).
    arc_deg : ndarray of bool (L,)
        Arcs without a plane (isolated points, coincident ends).
    arc_dev : ndarray (L,)
        Largest departure of each geodesic edge from its arc, meters.
    arc_vertex : ndarray of int (L,)
        The vertex each arc starts at.
    ell : Ellipsoid
        The ellipsoid's constants.
    block : int
        Arcs per leaf of the tree (consecutive arcs, evaluated one by one).

    Returns
    -------
    Tree
    """
    ua, ub = arc_a, arc_b
    slack = arc_dev / ell.r_lo  # the departures as angles, radians
    n_arc = len(ua)
    m = ua + ub
    mn = np.linalg.norm(m, axis=1)
    acen = np.where(
        (mn > 1e-12)[:, None], m / np.where(mn > 1e-12, mn, 1.0)[:, None], ua
    )
    arad = np.maximum(angle(acen, ua), angle(acen, ub)) + slack + 1e-12
    # leaves: blocks of `block` consecutive arcs
    blk = np.arange(n_arc) // block
    n_leaf = int(blk[-1]) + 1
    s = np.zeros((n_leaf, 3))
    np.add.at(s, blk, acen)
    sn = np.linalg.norm(s, axis=1)
    first = acen[np.arange(n_leaf) * block]
    cen = np.where(
        (sn > 1e-12)[:, None], s / np.where(sn > 1e-12, sn, 1.0)[:, None], first
    )
    rad = np.zeros(n_leaf)
    np.maximum.at(rad, blk, angle(cen[blk], acen) + arad)
    rad = np.minimum(rad + 1e-12, np.pi)
    lefts = [np.full(n_leaf, -1, np.int64)]
    rights = [np.full(n_leaf, -1, np.int64)]
    leaves = [np.arange(n_leaf, dtype=np.int64)]
    level = np.arange(n_leaf, dtype=np.int64)
    total = n_leaf
    all_cen, all_rad = cen, rad
    all_lo = np.arange(n_leaf, dtype=np.int64) * block
    all_hi = np.minimum(all_lo + block, n_arc)
    levels = [np.arange(n_leaf, dtype=np.int64)]  # the nodes made at each level
    while len(level) > 1:
        k = len(level) // 2
        a_, b_ = level[0 : 2 * k : 2], level[1 : 2 * k : 2]
        ca, cb = all_cen[a_], all_cen[b_]
        s = ca + cb
        sn = np.linalg.norm(s, axis=1)
        c = np.where(
            (sn > 1e-12)[:, None], s / np.where(sn > 1e-12, sn, 1.0)[:, None], ca
        )
        r = np.maximum(angle(c, ca) + all_rad[a_], angle(c, cb) + all_rad[b_])
        r = np.minimum(r + 1e-12, np.pi)
        new = np.arange(total, total + k, dtype=np.int64)
        lefts.append(a_)
        rights.append(b_)
        leaves.append(np.full(k, -1, np.int64))
        total += k
        all_cen = np.concatenate([all_cen, c])
        all_rad = np.concatenate([all_rad, r])
        all_lo = np.concatenate([all_lo, all_lo[a_]])
        all_hi = np.concatenate([all_hi, all_hi[b_]])
        levels.append(new)
        level = np.concatenate([new, level[2 * k :]])
    # each node is also bounded by a "capsule": the arc from its first to its last
    # vertex, widened by the largest angle of any of its arcs from that arc.  A
    # point of an arc is no farther from the node's arc than the farther of its
    # ends, up to a factor 1/cos(theta/2) (theta: the arc's angle) and the
    # geodesic's departure from the arc (slack).  One level at a time: the nodes
    # of a level cover disjoint runs of arcs.
    na = ua[all_lo]
    nb = ub[all_hi - 1]
    nn, ndeg = arc_normal(na, nb)
    theta = angle(ua, ub)
    extra = 0.5 * theta * theta + slack
    inv_cos = 1.0 / np.cos(0.5 * theta)
    width = np.zeros(total)
    for ids in levels:
        cnt = all_hi[ids] - all_lo[ids]
        first = np.cumsum(cnt) - cnt
        node_of = np.repeat(np.arange(len(ids)), cnt)
        arc_of = np.arange(len(node_of)) - first[node_of] + all_lo[ids][node_of]
        node = ids[node_of]
        args = (na[node], nb[node], nn[node], ndeg[node])
        ang = np.maximum(
            point_arc_angle(ua[arc_of], *args), point_arc_angle(ub[arc_of], *args)
        )
        ang = ang * inv_cos[arc_of] + extra[arc_of]
        width[ids] = np.maximum.reduceat(ang, first)
    arc_nrm, _ = arc_normal(ua, ub)
    return Tree(
        left=np.concatenate(lefts),
        right=np.concatenate(rights),
        leaf=np.concatenate(leaves),
        cap_center=_c(all_cen),
        cap_radius=_c(all_rad),
        capsule_a=_c(na),
        capsule_b=_c(nb),
        capsule_normal=_c(nn),
        capsule_degenerate=_c(ndeg),
        capsule_width=_c((width + 1e-12) * ell.r_hi),
        capsule_length=_c(angle(na, nb) * ell.r_hi),
        arc_a=_c(ua),
        arc_b=_c(ub),
        arc_normal=_c(arc_nrm),
        arc_degenerate=_c(arc_deg),
        arc_dev=_c(arc_dev),
        arc_length=_c(angle(ua, ub) * ell.r_hi),
        arc_vertex=_c(np.asarray(arc_vertex, dtype=np.int64)),
        root=int(level[0]),
        block=int(block),
        ellipsoid=ell,
    )


# ------------------------------------------------------------ the numpy search
def _node_bounds(
    t: Tree, pc: FloatArray, ck: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Lower bound (capsule) and upper bound (first vertex) from points to nodes, m."""
    m = len(ck)
    ell = t.ellipsoid
    lbn, _ = arc_bounds(
        pc, t.capsule_a[ck], t.capsule_b[ck], t.capsule_normal[ck],
        t.capsule_degenerate[ck], np.zeros(m), t.capsule_length[ck], ell,
    )  # fmt: skip
    first = t.capsule_a[ck]
    _, ubn = arc_bounds(
        pc, first, first, np.zeros((m, 3)), np.ones(m, dtype=bool), np.zeros(m),
        np.zeros(m), ell,
    )  # fmt: skip
    return lbn - t.capsule_width[ck], ubn


def _leaf_bounds(
    t: Tree, up: FloatArray, P: IntArray, K: IntArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Expand (point, leaf node) pairs to (point, arc) pairs and bound them.

    Returns the point and arc of each pair and its lower and upper bounds (m).
    """
    start = t.leaf[K] * t.block
    cnt = np.minimum(t.block, len(t.arc_a) - start)
    pp = np.repeat(P, cnt)
    jj = np.repeat(start - np.cumsum(cnt) + cnt, cnt) + np.arange(len(pp))
    lb, ub = arc_bounds(
        up[pp], t.arc_a[jj], t.arc_b[jj], t.arc_normal[jj], t.arc_degenerate[jj],
        t.arc_dev[jj], t.arc_length[jj], t.ellipsoid,
    )  # fmt: skip
    return pp, jj, lb, ub


def _children(t: Tree, P: IntArray, K: IntArray) -> tuple[IntArray, IntArray]:
    """Expand (point, inner node) pairs to (point, child) pairs."""
    return np.concatenate([P, P]), np.concatenate([t.left[K], t.right[K]])


def search_band(t: Tree, up: FloatArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Return (point, vertex, lower bound) of the arcs that may hold the nearest point.

    The tree walked level by level: every (point, node) pair is kept while its
    lower bound does not exceed the point's smallest upper bound so far (met
    at nodes' first vertices and at arcs).  `up` holds the points' unit
    vectors; the result is sorted by point, then vertex; bounds in meters.
    """
    best = np.full(len(up), np.inf)
    P = np.arange(len(up))
    K = np.full(len(up), t.root, dtype=np.int64)
    out_p, out_j, out_lb = [], [], []
    while len(P):
        is_leaf = t.leaf[K] >= 0
        if is_leaf.any():
            pp, jj, lb, ubv = _leaf_bounds(t, up, P[is_leaf], K[is_leaf])
            np.minimum.at(best, pp, ubv)
            keep = lb <= best[pp] + 1e-3
            out_p.append(pp[keep])
            out_j.append(jj[keep])
            out_lb.append(lb[keep])
        cp, ck = _children(t, P[~is_leaf], K[~is_leaf])
        lbn, ubn = _node_bounds(t, up[cp], ck)
        np.minimum.at(best, cp, ubn)
        keep = lbn <= best[cp] + 1e-3
        P, K = cp[keep], ck[keep]
    p = np.concatenate(out_p)
    j = np.concatenate(out_j)
    lb = np.concatenate(out_lb)
    keep = lb <= best[p] + 1e-3
    p, e, lb = p[keep], t.arc_vertex[j[keep]], lb[keep]
    order = np.lexsort((e, p))
    return p[order], e[order], lb[order]


def search_within(
    t: Tree, up: FloatArray, r: FloatArray, sure_in: BoolArray
) -> tuple[BoolArray, BoolArray]:
    """Return which points are surely within / surely beyond `r` meters of the arcs.

    The tree walked level by level with the bounds of :func:`search_band`: a
    point is surely within when an upper bound (a node's first vertex, an arc)
    is at most ``r`` (or `sure_in` says so already, e.g. inside a polygon);
    surely beyond when every lower bound exceeds ``r``.  `up` holds the points'
    unit vectors.
    """
    s_in = sure_in.copy()
    maybe = np.zeros(len(r), dtype=bool)  # a lower bound within r met
    P = np.flatnonzero(~s_in)
    K = np.full(len(P), t.root, dtype=np.int64)
    while len(P):
        live = ~s_in[P]
        P, K = P[live], K[live]
        is_leaf = t.leaf[K] >= 0
        if is_leaf.any():
            pp, _, lb, ubv = _leaf_bounds(t, up, P[is_leaf], K[is_leaf])
            s_in[pp[ubv <= r[pp]]] = True
            maybe[pp[lb <= r[pp]]] = True
        cp, ck = _children(t, P[~is_leaf], K[~is_leaf])
        lbn, ubn = _node_bounds(t, up[cp], ck)
        s_in[cp[ubn <= r[cp]]] = True
        keep = lbn <= r[cp]
        P, K = cp[keep], ck[keep]
    return s_in, ~s_in & ~maybe
