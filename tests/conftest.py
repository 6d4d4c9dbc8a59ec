import os

import numpy as np
import pytest
from hypothesis import settings

# Property tests explore new random examples on developers' machines, and run a
# fixed, reproducible set in CI (a CI run must not pass or fail by chance).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(params=["scalar", "array"])
def scalar_and_array(request):
    """Run a test with scalars and with 1-element arrays (pyproj style)."""
    if request.param == "scalar":
        return lambda x: x
    return lambda x: np.array([x])


@pytest.fixture(autouse=True)
def _doctest_numpy(doctest_namespace):
    doctest_namespace["np"] = np
