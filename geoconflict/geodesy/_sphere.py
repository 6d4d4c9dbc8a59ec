"""Spherical helpers of the distance engine: unit vectors, arc angles, arc bounds.

The engine (:mod:`geoconflict.geodesy.index`, :mod:`geoconflict.geodesy._tree`)
prunes on the unit sphere of **geodetic normals**: a point (lon, lat) in degrees
is the unit vector ``(cos(lat) cos(lon), cos(lat) sin(lon), sin(lat))``, an edge
between two vertices is the great-circle arc between their normals, angles are
radians, and :func:`arc_bounds` turns an angle into meters on the ellipsoid
(WGS84 unless the :class:`Ellipsoid` says otherwise).

:func:`arc_bounds` is the numpy twin of the compiled
``geoconflict.geodesy._kernels.leaf_bounds``: the same model and margins, so
that both engines keep the same candidate edges.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from geoconflict._typing import BoolArray, FloatArray

__all__ = [
    "Ellipsoid",
    "angle",
    "arc_bounds",
    "arc_normal",
    "point_arc_angle",
    "unit",
]


class Ellipsoid(NamedTuple):
    """The ellipsoid constants the distance bounds need.

    Attributes
    ----------
    a : float
        Semi-major axis, meters.
    e2 : float
        First eccentricity squared, ``1 - (b/a)**2`` (dimensionless).
    r_lo, r_hi : float
        Meters per radian: the smallest and largest ratio of geodesic distance
        to the angle between the normals, ``b**2/a`` and ``a**2/b`` with a
        1e-4 margin; used beyond 3,000 km and for the node widths.
    """

    a: float
    e2: float
    r_lo: float
    r_hi: float

    @classmethod
    def of(cls, a: float, b: float) -> Ellipsoid:
        """Return the constants of the ellipsoid with semi-axes `a`, `b` (meters)."""
        return cls(
            a, 1.0 - (b / a) ** 2, b * b / a * (1 - 1e-4), a * a / b * (1 + 1e-4)
        )


def unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the unit vectors of the geodetic normals at (lon, lat) degrees.

    Examples
    --------
    >>> unit(np.array([90.0]), np.array([0.0])).round(12).tolist()
    [[0.0, 1.0, 0.0]]
    """
    lo = np.radians(lon)
    la = np.radians(lat)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=-1)


def angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Return the angle between unit vectors, radians; accurate small and large.

    Examples
    --------
    >>> float(angle(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])))
    1.5707963267948966
    """
    cross = np.cross(u, v)
    return np.arctan2(np.sqrt((cross * cross).sum(-1)), (u * v).sum(-1))


def arc_normal(a: FloatArray, b: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Return the unit normals of the planes of arcs a->b and their degenerate flags.

    ``a`` and ``b`` are ``(n, 3)`` unit vectors.  An arc whose ends coincide (or
    are antipodal) has no plane: its normal is 0 and its flag is True.
    """
    n = np.cross(a, b)
    nn = np.sqrt((n * n).sum(-1))
    deg = nn < 1e-15
    return np.where(deg[:, None], 0.0, n / np.where(deg, 1.0, nn)[:, None]), deg


def point_arc_angle(
    p: np.ndarray, a: np.ndarray, b: np.ndarray, n: np.ndarray, deg: np.ndarray
) -> np.ndarray:
    """Return the angle (radians) from unit vectors p to great-circle arcs a->b.

    Broadcast over the leading axes.  ``n`` is the unit normal of the arc's
    plane and ``deg`` marks degenerate arcs (see :func:`arc_normal`).
    Component-wise (no :func:`numpy.cross`): the tree's build calls it on
    millions of (vertex, node) pairs.
    """
    px, py, pz = p[..., 0], p[..., 1], p[..., 2]
    ax, ay, az = a[..., 0], a[..., 1], a[..., 2]
    bx, by, bz = b[..., 0], b[..., 1], b[..., 2]
    nx, ny, nz = n[..., 0], n[..., 1], n[..., 2]
    pn = px * nx + py * ny + pz * nz
    fx, fy, fz = px - pn * nx, py - pn * ny, pz - pn * nz
    c1 = (ay * fz - az * fy) * nx + (az * fx - ax * fz) * ny + (ax * fy - ay * fx) * nz
    c2 = (fy * bz - fz * by) * nx + (fz * bx - fx * bz) * ny + (fx * by - fy * bx) * nz
    inside = (c1 >= 0.0) & (c2 >= 0.0) & ~deg
    da = (px - ax) ** 2 + (py - ay) ** 2 + (pz - az) ** 2
    db = (px - bx) ** 2 + (py - by) ** 2 + (pz - bz) ** 2
    d_end = 2.0 * np.arcsin(np.clip(0.5 * np.sqrt(np.minimum(da, db)), 0.0, 1.0))
    d_gc = np.arcsin(np.clip(np.abs(pn), 0.0, 1.0))
    return np.where(inside, np.minimum(d_gc, d_end), d_end)


def arc_bounds(
    p: FloatArray,
    a: FloatArray,
    b: FloatArray,
    n: FloatArray,
    deg: BoolArray,
    dev: FloatArray,
    alen: FloatArray,
    ell: Ellipsoid,
) -> tuple[FloatArray, FloatArray]:
    """Return lower and upper bounds (meters) of the distance from p to arcs a->b.

    Every argument has one row per (point, arc) pair: ``p``, ``a``, ``b`` unit
    vectors (``(m, 3)``), ``n``/``deg`` the arc's plane normal and degenerate
    flag, ``dev`` the geodesic edge's largest departure from the arc (meters),
    ``alen`` the arc's length at the ratio ``r_hi`` (meters, 0 for a point).

    The model (see :meth:`geoconflict.geodesy.index.GeodesicIndex._bounds`):
    the angle ``psi`` to the arc's nearest point times the ellipsoid's metric at
    the midpoint of p and that point, in its direction; a relative error of
    ``2 (1e-3 (d/R)**2 + 3e-9)``; the metric's shift of the nearest point taken
    off the lower bound; beyond 3,000 km the global ratios ``r_lo``/``r_hi``;
    ``dev`` on both sides.  The compiled ``_kernels.leaf_bounds`` is the same,
    one pair at a time.
    """
    px, py, pz = p[:, 0], p[:, 1], p[:, 2]
    ax, ay, az = a[:, 0], a[:, 1], a[:, 2]
    bx, by, bz = b[:, 0], b[:, 1], b[:, 2]
    nx, ny, nz = n[:, 0], n[:, 1], n[:, 2]
    pn = px * nx + py * ny + pz * nz
    fx, fy, fz = px - pn * nx, py - pn * ny, pz - pn * nz
    c1 = (ay * fz - az * fy) * nx + (az * fx - ax * fz) * ny + (ax * fy - ay * fx) * nz
    c2 = (fy * bz - fz * by) * nx + (fz * bx - fx * bz) * ny + (fx * by - fy * bx) * nz
    fn2 = fx * fx + fy * fy + fz * fz
    inside = (c1 >= 0.0) & (c2 >= 0.0) & ~deg & (fn2 > 0.0)
    inv = 1.0 / np.sqrt(np.where(fn2 > 0.0, fn2, 1.0))
    da = (px - ax) ** 2 + (py - ay) ** 2 + (pz - az) ** 2
    db = (px - bx) ** 2 + (py - by) ** 2 + (pz - bz) ** 2
    use_a = da <= db
    qx = np.where(inside, fx * inv, np.where(use_a, ax, bx))
    qy = np.where(inside, fy * inv, np.where(use_a, ay, by))
    qz = np.where(inside, fz * inv, np.where(use_a, az, bz))
    h = np.sqrt(np.where(use_a, da, db))
    psi = np.where(
        inside,
        np.arcsin(np.clip(np.abs(pn), 0.0, 1.0)),
        2.0 * np.arcsin(np.clip(0.5 * h, 0.0, 1.0)),
    )
    mx, my, mz = px + qx, py + qy, pz + qz
    mm = mx * mx + my * my + mz * mz
    z2 = np.where(mm > 0.0, mz * mz / np.where(mm > 0.0, mm, 1.0), 0.0)
    e_ = mx * qy - my * qx
    n_ = (mx * mx + my * my) * qz - mz * (mx * qx + my * qy)
    hh = e_ * e_ * mm + n_ * n_
    c2n = np.where(hh > 0.0, n_ * n_ / np.where(hh > 0.0, hh, 1.0), 1.0)
    w = 1.0 - ell.e2 * z2
    mn = (1.0 - ell.e2) / w
    d = psi * (ell.a / np.sqrt(w) * np.sqrt(c2n * mn * mn + 1.0 - c2n))
    x = d * (1.0 / 6.371e6)
    eps = 2.0 * (1.0e-3 * x * x + 3e-9) + 1e-9
    kap = 0.5 * (1.0 / (mn * mn) - 1.0)
    ks = kap * 2.0 * np.sqrt(np.maximum(c2n * (1.0 - c2n), 0.0))
    u = alen / np.where(d > 0.0, d, 1.0)
    shift = np.minimum(0.5 * ks * ks / (1.0 - 2.0 * kap), ks * u + kap * u * u)
    shift = np.where(alen > 0.0, shift, 0.0)
    near = d <= 3.0e6
    lb = np.where(near, d * (1.0 - eps - 2.0 * shift) - 1e-6, psi * ell.r_lo)
    ub = np.where(near, d * (1.0 + eps) + 1e-6, psi * ell.r_hi)
    return np.maximum(lb - dev, 0.0), ub + dev
