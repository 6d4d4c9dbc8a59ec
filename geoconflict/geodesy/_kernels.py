"""numba kernels of the distance engine (imported only when numba is).

They search the :class:`~geoconflict.geodesy._tree.Tree` one point at a time,
depth first, with the same bounds as the numpy search of
:mod:`geoconflict.geodesy._tree` (:func:`leaf_bounds` is the compiled twin of
:func:`geoconflict.geodesy._sphere.arc_bounds`), so both engines keep every
edge that can hold the nearest point and the exact step that follows
(:mod:`geoconflict.geodesy.index`) gives identical results.  Module-level
functions so that numba caches the compiled code on disk (``__pycache__``).
Unit vectors are geodetic normals, angles radians, distances meters.

:func:`band` and :func:`within` read the tree's fields out of the tuple once,
at the top, and pass arrays to the helpers: a NamedTuple field read inside
the loops costs numba a reference count each time (half the speed).
"""

import numpy as np
from numba import njit

jit = njit(cache=True, nogil=True, fastmath=False, error_model="numpy", inline="always")


@jit
def asin_small(x):
    """arcsin(x) for 0 <= x <= 1; a series below 0.1 (relative error < 1e-9)."""
    if x < 0.1:
        x2 = x * x
        return x * (1.0 + x2 * (1.0 / 6.0 + x2 * (0.075 + x2 * (15.0 / 336.0))))
    return np.arcsin(min(x, 1.0))


@jit
def leaf_bounds(px, py, pz, ax, ay, az, bx, by, bz, nx, ny, nz, deg, dev, alen, ell):
    """Lower/upper bound (m) of the distance from unit vector p to one arc a->b.

    The same bound as :func:`geoconflict.geodesy._sphere.arc_bounds` (see
    there): ``n`` the arc plane's unit normal, ``deg`` the arc has no plane,
    ``dev`` the geodesic's departure from the arc (m), ``alen`` the arc's
    length (m, an upper bound), ``ell`` the :class:`~._sphere.Ellipsoid`.
    """
    pn = px * nx + py * ny + pz * nz
    fx = px - pn * nx
    fy = py - pn * ny
    fz = pz - pn * nz
    inside = False
    if not deg:
        c1 = (
            (ay * fz - az * fy) * nx
            + (az * fx - ax * fz) * ny
            + (ax * fy - ay * fx) * nz
        )
        c2 = (
            (fy * bz - fz * by) * nx
            + (fz * bx - fx * bz) * ny
            + (fx * by - fy * bx) * nz
        )
        inside = c1 >= 0.0 and c2 >= 0.0
    if inside:
        fn2 = fx * fx + fy * fy + fz * fz
        inside = fn2 > 0.0
    if inside:
        inv = 1.0 / np.sqrt(fn2)
        qx, qy, qz = fx * inv, fy * inv, fz * inv
        psi = asin_small(abs(pn))
    else:
        da = (px - ax) ** 2 + (py - ay) ** 2 + (pz - az) ** 2
        db = (px - bx) ** 2 + (py - by) ** 2 + (pz - bz) ** 2
        if da <= db:
            qx, qy, qz = ax, ay, az
            h2 = da
        else:
            qx, qy, qz = bx, by, bz
            h2 = db
        psi = 2.0 * asin_small(0.5 * np.sqrt(h2))
    mx = px + qx
    my = py + qy
    mz = pz + qz
    mm = mx * mx + my * my + mz * mz
    z2 = mz * mz / mm if mm > 0.0 else 0.0
    e_ = mx * qy - my * qx
    n_ = (mx * mx + my * my) * qz - mz * (mx * qx + my * qy)
    h = e_ * e_ * mm + n_ * n_
    c2n = n_ * n_ / h if h > 0.0 else 1.0
    w = 1.0 - ell.e2 * z2
    mn_ = (1.0 - ell.e2) / w  # M / N
    scale = ell.a / np.sqrt(w) * np.sqrt(c2n * mn_ * mn_ + 1.0 - c2n)
    d = psi * scale
    if d <= 3.0e6:
        x = d * (1.0 / 6.371e6)
        eps = 2.0 * (1.0e-3 * x * x + 3e-9) + 1e-9
        eps_lo = eps
        if alen > 0.0:
            kap = 0.5 * (1.0 / (mn_ * mn_) - 1.0)
            ks = kap * 2.0 * np.sqrt(max(c2n * (1.0 - c2n), 0.0))
            shift = 0.5 * ks * ks / (1.0 - 2.0 * kap)
            if d > 0.0:
                u = alen / d
                shift = min(shift, ks * u + kap * u * u)
            eps_lo = eps + 2.0 * shift
        lb = d * (1.0 - eps_lo) - 1e-6
        ub = d * (1.0 + eps) + 1e-6
    else:
        lb = psi * ell.r_lo
        ub = psi * ell.r_hi
    return max(lb - dev, 0.0), ub + dev


@jit
def node_lb(px, py, pz, k, cen, rad, ca, cb, cn, cdeg, cwidth, clen, ell, best):
    """Lower bound (m) of the distance from unit vector p to anything in node `k`.

    First the node's cap (``cen``, ``rad``) at the global ratio ``r_lo``
    (cheap); when that cannot prune, the bound to the node's capsule (the arc
    ``ca`` -> ``cb`` from its first to its last vertex) minus the capsule's
    width (triangle inequality).  The arrays are the node fields of the
    :class:`~geoconflict.geodesy._tree.Tree`.
    """
    dx = px - cen[k, 0]
    dy = py - cen[k, 1]
    dz = pz - cen[k, 2]
    ch = np.sqrt(dx * dx + dy * dy + dz * dz)
    psi = 2.0 * asin_small(0.5 * ch)
    g = psi - rad[k]
    if g <= 0.0:
        lb = 0.0
    else:
        lb = g * ell.r_lo
        if lb > best + 1e-3:
            return lb
    lbc, _ = leaf_bounds(
        px, py, pz, ca[k, 0], ca[k, 1], ca[k, 2], cb[k, 0], cb[k, 1], cb[k, 2],
        cn[k, 0], cn[k, 1], cn[k, 2], cdeg[k], 0.0, clen[k], ell,
    )  # fmt: skip
    return max(lb, lbc - cwidth[k])


@njit(cache=True, nogil=True)
def band(p, t, max_cand, per_point):
    """Return the edges that may hold each point's nearest point (rigorous bounds).

    ``p`` holds the points' unit vectors (n, 3), ``t`` is the
    :class:`~geoconflict.geodesy._tree.Tree`.  Per point, the tree is walked
    depth first, nearer child first; an arc is a candidate while its lower
    bound does not exceed the smallest upper bound met.  Returns ``(q, e, lb,
    count, used)``: the first ``used`` entries of ``q`` (point), ``e`` (the
    edge's or isolated vertex's index, sorted per point) and ``lb`` (its lower
    bound, m) are the candidate (point, edge) pairs; ``count`` per point is -1
    when more than `max_cand` candidates were met or the traversal's stack
    ran out (use the numpy search) or -2 when the output ran out of room
    (call again).  Releases the GIL: call it from several threads on separate
    chunks.
    """
    # the tree's arrays, taken out of the tuple once (not in the loops)
    left, right, leaf = t.left, t.right, t.leaf
    cen, rad = t.cap_center, t.cap_radius
    ca, cb, cn = t.capsule_a, t.capsule_b, t.capsule_normal
    cdeg, cwidth, clen = t.capsule_degenerate, t.capsule_width, t.capsule_length
    aa, ab, an = t.arc_a, t.arc_b, t.arc_normal
    adeg, adev, alen = t.arc_degenerate, t.arc_dev, t.arc_length
    vertex, root, block, ell = t.arc_vertex, t.root, t.block, t.ellipsoid
    n_arc = aa.shape[0]
    n = p.shape[0]
    room = n * per_point + max_cand
    out_q = np.empty(room, dtype=np.int64)
    out_e = np.empty(room, dtype=np.int64)
    out_lb = np.empty(room)
    count = np.empty(n, dtype=np.int64)
    stack = np.empty(256, dtype=np.int64)  # nodes to visit ...
    stlb = np.empty(256)  # ... and their lower bounds
    ce = np.empty(max_cand, dtype=np.int64)  # candidate arcs ...
    clb = np.empty(max_cand)  # ... and their lower bounds
    cur = 0
    for i in range(n):
        px, py, pz = p[i, 0], p[i, 1], p[i, 2]
        best = np.inf
        nc = 0
        stack[0] = root
        stlb[0] = 0.0
        top = 1
        while top > 0 and nc >= 0:
            top -= 1
            k = stack[top]
            if stlb[top] > best + 1e-3:
                continue
            blk = leaf[k]
            if blk >= 0:
                for j in range(blk * block, min((blk + 1) * block, n_arc)):
                    lb, ubv = leaf_bounds(
                        px, py, pz, aa[j, 0], aa[j, 1], aa[j, 2], ab[j, 0], ab[j, 1],
                        ab[j, 2], an[j, 0], an[j, 1], an[j, 2], adeg[j], adev[j],
                        alen[j], ell,
                    )  # fmt: skip
                    if ubv < best:
                        best = ubv
                    if lb <= best + 1e-3:
                        if nc >= max_cand:
                            nc = -1
                            break
                        ce[nc] = j
                        clb[nc] = lb
                        nc += 1
                continue
            l_ = left[k]
            r_ = right[k]
            ll = node_lb(
                px, py, pz, l_, cen, rad, ca, cb, cn, cdeg, cwidth, clen, ell, best
            )
            lr = node_lb(
                px, py, pz, r_, cen, rad, ca, cb, cn, cdeg, cwidth, clen, ell, best
            )
            if top + 2 > stack.shape[0]:
                nc = -1
                break
            # push the farther child first so that the nearer one is visited first
            if ll <= lr:
                if lr <= best + 1e-3:
                    stack[top] = r_
                    stlb[top] = lr
                    top += 1
                if ll <= best + 1e-3:
                    stack[top] = l_
                    stlb[top] = ll
                    top += 1
            else:
                if ll <= best + 1e-3:
                    stack[top] = l_
                    stlb[top] = ll
                    top += 1
                if lr <= best + 1e-3:
                    stack[top] = r_
                    stlb[top] = lr
                    top += 1
        if nc < 0:
            count[i] = -1
            continue
        m = 0
        for s in range(nc):
            if clb[s] <= best + 1e-3:
                ce[m] = vertex[ce[s]]
                clb[m] = clb[s]
                m += 1
        if cur + m > room:
            count[i] = -2
            continue
        for s in range(1, m):  # insertion sort by edge (few candidates)
            e = ce[s]
            v = clb[s]
            j = s - 1
            while j >= 0 and ce[j] > e:
                ce[j + 1] = ce[j]
                clb[j + 1] = clb[j]
                j -= 1
            ce[j + 1] = e
            clb[j + 1] = v
        for s in range(m):
            out_q[cur + s] = i
            out_e[cur + s] = ce[s]
            out_lb[cur + s] = clb[s]
        cur += m
        count[i] = m
    return out_q, out_e, out_lb, count, cur


@njit(cache=True, nogil=True)
def within(p, r, t):
    """Per point: 1 surely within r meters, 0 surely beyond, 2 undecided by the bounds.

    ``p`` holds the points' unit vectors (n, 3), ``r`` their radii (m), ``t``
    is the :class:`~geoconflict.geodesy._tree.Tree`.
    """
    left, right, leaf = t.left, t.right, t.leaf
    cen, rad = t.cap_center, t.cap_radius
    ca, cb, cn = t.capsule_a, t.capsule_b, t.capsule_normal
    cdeg, cwidth, clen = t.capsule_degenerate, t.capsule_width, t.capsule_length
    aa, ab, an = t.arc_a, t.arc_b, t.arc_normal
    adeg, adev, alen = t.arc_degenerate, t.arc_dev, t.arc_length
    root, block, ell = t.root, t.block, t.ellipsoid
    n_arc = aa.shape[0]
    n = p.shape[0]
    out = np.empty(n, dtype=np.int8)
    stack = np.empty(256, dtype=np.int64)
    for i in range(n):
        px, py, pz, ri = p[i, 0], p[i, 1], p[i, 2], r[i]
        res = 0
        top = 1
        stack[0] = root
        while top > 0:
            top -= 1
            k = stack[top]
            blk = leaf[k]
            if blk >= 0:
                for j in range(blk * block, min((blk + 1) * block, n_arc)):
                    lb, ubv = leaf_bounds(
                        px, py, pz, aa[j, 0], aa[j, 1], aa[j, 2], ab[j, 0], ab[j, 1],
                        ab[j, 2], an[j, 0], an[j, 1], an[j, 2], adeg[j], adev[j],
                        alen[j], ell,
                    )  # fmt: skip
                    if ubv <= ri:
                        res = 1
                        break
                    if lb <= ri:
                        res = 2
                if res == 1:
                    break
                continue
            if top + 2 > stack.shape[0]:
                res = 2
                break
            l_ = left[k]
            r_ = right[k]
            if (
                node_lb(
                    px, py, pz, r_, cen, rad, ca, cb, cn, cdeg, cwidth, clen, ell, ri
                )
                <= ri
            ):
                stack[top] = r_
                top += 1
            if (
                node_lb(
                    px, py, pz, l_, cen, rad, ca, cb, cn, cdeg, cwidth, clen, ell, ri
                )
                <= ri
            ):
                stack[top] = l_
                top += 1
        out[i] = res
    return out
