"""numba kernels of :mod:`geoconflict.geodesy._engine` (imported only when numba is).

Module-level functions so that numba can cache the compiled code on disk
(``__pycache__``); see :mod:`geoconflict.geodesy._engine` for what they compute.
Unit vectors are geodetic normals; distances in meters.
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
def leaf_bounds(px, py, pz, ax, ay, az, bx, by, bz, nx, ny, nz, deg, dev, alen, c):
    """Lower/upper bound (m) of the distance from p to one arc.

    The same bound as ``GeodesicIndex._bounds`` (see there): the angle to
    the arc's nearest point times the ellipsoid's local scale in that
    direction at the midpoint, the model's error, the shift of the nearest
    point under the ellipsoid's metric, and the geodesic's departure from
    the arc (``dev``).  ``alen`` is the arc's length (m, an upper bound).
    """
    a_axis, e2, r_lo, r_hi = c[0], c[1], c[2], c[3]
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
    w = 1.0 - e2 * z2
    mn_ = (1.0 - e2) / w  # M / N
    scale = a_axis / np.sqrt(w) * np.sqrt(c2n * mn_ * mn_ + 1.0 - c2n)
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
        lb = psi * r_lo
        ub = psi * r_hi
    return max(lb - dev, 0.0), ub + dev, d


@jit
def cap_lb(px, py, pz, k, cen, rad, nd, c, best):
    """Lower bound (m) of the distance from p to anything in node k.

    First the node's cap at the global ratio ``b**2/a`` (cheap); when that
    cannot prune, the Euler-radius bound to the node's capsule (the arc from
    its first to its last vertex) minus the capsule's width at the largest
    ratio ``a**2/b`` (triangle inequality).
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
        lb = g * c[2]
        if lb > best + 1e-3:
            return lb
    lbc, _, _ = leaf_bounds(
        px,
        py,
        pz,
        nd[k, 0],
        nd[k, 1],
        nd[k, 2],
        nd[k, 3],
        nd[k, 4],
        nd[k, 5],
        nd[k, 6],
        nd[k, 7],
        nd[k, 8],
        nd[k, 9] > 0.5,
        0.0,
        nd[k, 11],
        c,
    )
    return max(lb, lbc - nd[k, 10] * c[3])


@jit
def search(
    px,
    py,
    pz,
    root,
    left,
    right,
    leaf,
    cen,
    rad,
    nd,
    ua,
    ub,
    nrm,
    deg,
    dev,
    alen,
    c,
    block,
    stack,
    stlb,
    ce,
    clb,
    cub,
    cd,
):
    """Traverse the tree for one point; fill candidates; return (count, best ub)."""
    best = np.inf
    nc = 0
    top = 0
    stack[0] = root
    stlb[0] = 0.0
    top = 1
    while top > 0:
        top -= 1
        k = stack[top]
        if stlb[top] > best + 1e-3:
            continue
        blk = leaf[k]
        if blk >= 0:
            for j in range(blk * block, min((blk + 1) * block, ua.shape[0])):
                lb, ubv, dj = leaf_bounds(
                    px,
                    py,
                    pz,
                    ua[j, 0],
                    ua[j, 1],
                    ua[j, 2],
                    ub[j, 0],
                    ub[j, 1],
                    ub[j, 2],
                    nrm[j, 0],
                    nrm[j, 1],
                    nrm[j, 2],
                    deg[j],
                    dev[j],
                    alen[j],
                    c,
                )
                if ubv < best:
                    best = ubv
                if lb <= best + 1e-3:
                    if nc >= ce.shape[0]:
                        return -1, best
                    ce[nc] = j
                    clb[nc] = lb
                    cub[nc] = ubv
                    cd[nc] = dj
                    nc += 1
            continue
        l_ = left[k]
        r_ = right[k]
        ll = cap_lb(px, py, pz, l_, cen, rad, nd, c, best)
        lr = cap_lb(px, py, pz, r_, cen, rad, nd, c, best)
        if top + 2 > stack.shape[0]:
            return -1, best
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
    return nc, best


@njit(cache=True, nogil=True)
def band(
    p,
    root,
    left,
    right,
    leaf,
    cen,
    rad,
    nd,
    ua,
    ub,
    nrm,
    deg,
    dev,
    alen,
    c,
    block,
    cols,
    max_cand,
    per_point,
):
    """Return the edges that may hold each point's nearest point (rigorous bounds).

    Returns ``(q, e, lb, count, used)``: the first ``used`` entries of ``q``
    (point), ``e`` (edge or isolated vertex, sorted per point) and ``lb`` (its
    lower bound, m) are the (point, edge) pairs whose lower bound does not exceed the smallest upper
    bound; ``count`` per point is -1 when more than `max_cand` candidates
    were met (use the numpy path) or -2 when the output ran out of room
    (call again).  Releases the GIL: call it from several threads on
    separate chunks.
    """
    n = p.shape[0]
    room = n * per_point + max_cand
    out_q = np.empty(room, dtype=np.int64)
    out_e = np.empty(room, dtype=np.int64)
    out_lb = np.empty(room)
    count = np.empty(n, dtype=np.int64)
    stack = np.empty(256, dtype=np.int64)
    stlb = np.empty(256)
    ce = np.empty(max_cand, dtype=np.int64)
    clb = np.empty(max_cand)
    cub = np.empty(max_cand)
    cd = np.empty(max_cand)
    cur = 0
    for i in range(n):
        nc, best = search(
            p[i, 0],
            p[i, 1],
            p[i, 2],
            root,
            left,
            right,
            leaf,
            cen,
            rad,
            nd,
            ua,
            ub,
            nrm,
            deg,
            dev,
            alen,
            c,
            block,
            stack,
            stlb,
            ce,
            clb,
            cub,
            cd,
        )
        if nc < 0:
            count[i] = -1
            continue
        m = 0
        for t in range(nc):
            if clb[t] <= best + 1e-3:
                ce[m] = cols[ce[t]]
                clb[m] = clb[t]
                m += 1
        if cur + m > room:
            count[i] = -2
            continue
        for t in range(1, m):  # insertion sort by edge (few candidates)
            e = ce[t]
            v = clb[t]
            j = t - 1
            while j >= 0 and ce[j] > e:
                ce[j + 1] = ce[j]
                clb[j + 1] = clb[j]
                j -= 1
            ce[j + 1] = e
            clb[j + 1] = v
        for t in range(m):
            out_q[cur + t] = i
            out_e[cur + t] = ce[t]
            out_lb[cur + t] = clb[t]
        cur += m
        count[i] = m
    return out_q, out_e, out_lb, count, cur


@njit(cache=True, nogil=True)
def within(
    p,
    r,
    root,
    left,
    right,
    leaf,
    cen,
    rad,
    nd,
    ua,
    ub,
    nrm,
    deg,
    dev,
    alen,
    c,
    block,
):
    """Per point: 1 surely within r, 0 surely beyond, 2 undecided by the bounds."""
    n = p.shape[0]
    out = np.empty(n, dtype=np.int8)
    stack = np.empty(256, dtype=np.int64)
    if n > 0:
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
                    for j in range(blk * block, min((blk + 1) * block, ua.shape[0])):
                        lb, ubv, _ = leaf_bounds(
                            px,
                            py,
                            pz,
                            ua[j, 0],
                            ua[j, 1],
                            ua[j, 2],
                            ub[j, 0],
                            ub[j, 1],
                            ub[j, 2],
                            nrm[j, 0],
                            nrm[j, 1],
                            nrm[j, 2],
                            deg[j],
                            dev[j],
                            alen[j],
                            c,
                        )
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
                if cap_lb(px, py, pz, r_, cen, rad, nd, c, ri) <= ri:
                    stack[top] = r_
                    top += 1
                if cap_lb(px, py, pz, l_, cen, rad, nd, c, ri) <= ri:
                    stack[top] = l_
                    top += 1
            out[i] = res
    return out
