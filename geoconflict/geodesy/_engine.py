"""Engine selection and the search tree of :mod:`geoconflict.geodesy.index`.

The compiled kernels (:mod:`geoconflict.geodesy._kernels`, numba) never give the exact
answer: with the same rigorous bounds as the numpy path they decide which edges
can hold the nearest point, or whether a point is surely within / surely beyond
a radius.  The exact distances are then computed by :meth:`pyproj.Geod.inv` in
:mod:`geoconflict.geodesy.index`.  :func:`build_tree` (numpy) builds the tree both
paths search.

numba is optional: without it (QGIS's Python, for instance) the numpy path gives
the same results, more slowly.  ``GEOCONFLICT_ENGINE=numpy`` forces the numpy
path; ``GEOCONFLICT_ENGINE=numba`` makes a missing numba an error.

Conventions: unit vectors are geodetic normals ``(cos(lat) cos(lon),
cos(lat) sin(lon), sin(lat))``; distances in meters on the ellipsoid.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

__all__ = ["engine", "kernels", "kernels_for", "map_chunks", "threads"]

# below this many points the numpy path is used unless GEOCONFLICT_ENGINE=numba:
# the answers are the same, and a short query need not load numba (~0.5 s)
MIN_POINTS = 2_000

_KERNELS = None
_TRIED = False

# candidate edges kept per point during the search (same fallback beyond)
MAX_CAND = 1024


def engine() -> str:
    """Return the engine that distance queries use: ``"numba"`` or ``"numpy"``.

    Returns
    -------
    str

    Examples
    --------
    >>> engine() in ("numba", "numpy")
    True
    """
    return "numba" if kernels() is not None else "numpy"


def threads() -> int:
    """Threads for large queries: ``GEOCONFLICT_THREADS`` or the CPU count (max 8).

    Returns
    -------
    int

    Examples
    --------
    >>> threads() >= 1
    True
    """
    env = os.environ.get("GEOCONFLICT_THREADS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            from geoconflict.errors import GeoconflictError

            raise GeoconflictError(
                f"GEOCONFLICT_THREADS must be a whole number, got {env!r}"
            ) from None
    return max(1, min(os.cpu_count() or 1, 8))


def map_chunks(fn, pieces):
    """Return ``[fn(p) for p in pieces]``, over :func:`threads` threads if several.

    For work that releases the GIL (the compiled kernels, large numpy and pyproj
    calls).  A pool per call: safe when called from other pools' threads.
    """
    k = min(threads(), len(pieces))
    if k <= 1:
        return [fn(p) for p in pieces]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(k) as ex:
        return list(ex.map(fn, pieces))


def kernels_for(n: int):
    """Return the kernels for a query of `n` points, or None for the numpy path."""
    want = os.environ.get("GEOCONFLICT_ENGINE", "auto").strip().lower()
    if want != "numba" and n < MIN_POINTS:
        return None
    return kernels()


def kernels():
    """Return the compiled kernels, or None when numba is absent or disabled."""
    global _KERNELS, _TRIED
    want = os.environ.get("GEOCONFLICT_ENGINE", "auto").strip().lower()
    if want == "numpy":
        return None
    if _TRIED:
        return _KERNELS
    _TRIED = True
    try:
        import numba  # noqa: F401
    except ImportError as exc:
        if want == "numba":
            from geoconflict.errors import MissingDependencyError

            raise MissingDependencyError(
                "GEOCONFLICT_ENGINE=numba but numba could not be imported "
                f"({exc}); install it: pip install 'geoconflict[fast]'"
            ) from exc
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _KERNELS = _compile()
    return _KERNELS


def _compile():
    from geoconflict.geodesy import _kernels as k

    return {
        "band": k.band,
        "within": k.within,
    }


def build_tree(ua: np.ndarray, ub: np.ndarray, slack: np.ndarray, block: int = 8):
    """Return the search tree over arcs: caps and capsules over blocks of arcs.

    Built with numpy; searched by the compiled kernels and by the numpy path.
    Leaves are blocks of `block` consecutive arcs; a parent joins two
    neighbouring nodes.  Every node has a cap (centre, angular radius) and a
    capsule (the arc from its first to its last vertex and a width: no point
    of its arcs is farther from that arc).

    Parameters
    ----------
    ua, ub : ndarray (L, 3)
        Unit vectors of each arc's ends (equal for an isolated point).
    slack : ndarray (L,)
        Extra angle (radians) covering the geodesic's departure from the arc.
    block : int
        Arcs per leaf of the tree (consecutive arcs, evaluated one by one).

    Returns
    -------
    dict
        ``left``, ``right`` (children or -1), ``leaf`` (block index or -1),
        ``cen``, ``rad`` (caps: unit vectors, radians), ``na``, ``nb``, ``nn``,
        ``ndeg``, ``nwidth``, ``nlen`` (capsules: ends, plane normal,
        degenerate flag, width and length in radians), ``root``, ``block``.
    """
    from geoconflict.geodesy.index import _angle as _ang
    from geoconflict.geodesy.index import _sph_point_arc

    n_arc = len(ua)
    m = ua + ub
    mn = np.linalg.norm(m, axis=1)
    acen = np.where(
        (mn > 1e-12)[:, None], m / np.where(mn > 1e-12, mn, 1.0)[:, None], ua
    )
    arad = np.maximum(_ang(acen, ua), _ang(acen, ub)) + slack + 1e-12
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
    np.maximum.at(rad, blk, _ang(cen[blk], acen) + arad)
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
        r = np.maximum(_ang(c, ca) + all_rad[a_], _ang(c, cb) + all_rad[b_])
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
    nn = np.cross(na, nb)
    nnn = np.linalg.norm(nn, axis=1)
    ndeg = nnn < 1e-15
    nn = np.where(ndeg[:, None], 0.0, nn / np.where(ndeg, 1.0, nnn)[:, None])
    theta = _ang(ua, ub)
    extra = 0.5 * theta * theta + slack
    inv_cos = 1.0 / np.cos(0.5 * theta)
    width = np.zeros(total)
    for ids in levels:
        cnt = all_hi[ids] - all_lo[ids]
        first = np.cumsum(cnt) - cnt
        node_of = np.repeat(np.arange(len(ids)), cnt)
        arc_of = np.arange(len(node_of)) - first[node_of] + all_lo[ids][node_of]
        k = ids[node_of]
        args = (na[k], nb[k], nn[k], ndeg[k])
        ang = np.maximum(
            _sph_point_arc(ua[arc_of], *args), _sph_point_arc(ub[arc_of], *args)
        )
        ang = ang * inv_cos[arc_of] + extra[arc_of]
        width[ids] = np.maximum.reduceat(ang, first)
    nlen = _ang(na, nb)
    return {
        "na": np.ascontiguousarray(na),
        "nb": np.ascontiguousarray(nb),
        "nn": np.ascontiguousarray(nn),
        "ndeg": np.ascontiguousarray(ndeg),
        "nwidth": np.ascontiguousarray(width + 1e-12),
        "nlen": np.ascontiguousarray(nlen),
        "left": np.concatenate(lefts),
        "right": np.concatenate(rights),
        "leaf": np.concatenate(leaves),
        "cen": np.ascontiguousarray(all_cen),
        "rad": np.ascontiguousarray(all_rad),
        "root": int(level[0]),
        "block": int(block),
    }
