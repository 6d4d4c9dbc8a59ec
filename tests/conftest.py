import numpy as np
import pytest


@pytest.fixture(params=["scalar", "array"])
def scalar_and_array(request):
    """Run a test with scalars and with 1-element arrays (pyproj style)."""
    if request.param == "scalar":
        return lambda x: x
    return lambda x: np.array([x])


@pytest.fixture(autouse=True)
def _doctest_numpy(doctest_namespace):
    doctest_namespace["np"] = np
