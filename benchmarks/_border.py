"""A synthetic 2,000-vertex border shaped like the Iraq–Syria border (for benchmarks)."""

import numpy as np
from shapely import LineString

# coarse course of the Iraq–Syria border (lon, lat), roughly north to south-west
_KNOTS = np.array(
    [
        (42.36, 37.11),
        (41.84, 36.60),
        (41.40, 36.05),
        (41.24, 35.60),
        (41.20, 34.80),
        (40.98, 34.42),
        (40.40, 34.05),
        (39.60, 33.70),
        (38.79, 33.37),
    ]
)


def iraq_syria_like(n: int = 2000, seed: int = 42) -> LineString:
    """A border of `n` vertices following the knots with small random wiggles."""
    rng = np.random.default_rng(seed)
    seg = np.linalg.norm(np.diff(_KNOTS, axis=0), axis=1)
    s = np.concatenate(([0], np.cumsum(seg)))
    t = np.linspace(0, s[-1], n)
    lon = np.interp(t, s, _KNOTS[:, 0])
    lat = np.interp(t, s, _KNOTS[:, 1])
    # a meandering, river-like wiggle (hundreds of meters) on top of the course
    wig = np.convolve(rng.normal(0, 0.004, n + 40), np.ones(41) / 41, mode="valid")[:n]
    wig -= np.linspace(wig[0], wig[-1], n)
    return LineString(np.column_stack([lon + wig, lat - wig * 0.5]))


def random_points(n: int, seed: int = 0):
    """`n` random points in 30–38N, 36–46E (lon, lat arrays)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(36, 46, n), rng.uniform(30, 38, n)
