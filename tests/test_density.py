import numpy as np
import pytest

import geoconflict
from geoconflict.analysis.density import kernel_density
from geoconflict.errors import GeometryError


@pytest.mark.slow
def test_matches_brute_force_and_integrates_to_weight():
    rng = np.random.default_rng(3)
    ev = np.column_stack([rng.uniform(40.8, 41.0, 20), rng.uniform(34.3, 34.5, 20)])
    w = rng.uniform(0, 3, 20)
    # a grid (about 1 km) around the events
    xs, ys = np.meshgrid(np.linspace(40.3, 41.5, 121), np.linspace(33.9, 34.9, 112))
    for kernel in ("gaussian", "quartic"):
        dens = kernel_density(
            xs, ys, ev[:, 0], ev[:, 1], 5_000, weights=w, kernel=kernel
        )
        d = geoconflict.distance(
            xs.ravel()[:, None], ys.ravel()[:, None], ev[:, 0], ev[:, 1]
        )
        h = 5_000.0
        if kernel == "gaussian":
            k = np.where(
                d <= 4 * h, np.exp(-0.5 * (d / h) ** 2) / (2 * np.pi * h * h), 0
            )
        else:
            k = np.where(d < h, 3 / (np.pi * h * h) * (1 - (d / h) ** 2) ** 2, 0)
        np.testing.assert_allclose(
            dens, (k * w).sum(axis=1) * 1e6, rtol=1e-9, atol=1e-15
        )
        # integral over the grid (cell areas on the ellipsoid, km2) ~ total weight
        dx = geoconflict.distance(40.3, ys, 40.31, ys) / 1000
        dy = geoconflict.distance(40.3, 33.9, 40.3, 33.9 + 1 / 111) / 1000
        assert (dens.reshape(xs.shape) * dx * dy).sum() == pytest.approx(
            w.sum(), rel=0.02
        )


def test_bad_input():
    with pytest.raises(GeometryError, match="bandwidth_m"):
        kernel_density([0], [0], [0], [0], -1)
    with pytest.raises(GeometryError, match="kernel"):
        kernel_density([0], [0], [0], [0], 1, kernel="box")
    assert kernel_density([0], [0], [], [], 10).tolist() == [0.0]
