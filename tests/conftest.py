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


#: Test files of the faces (command line, maps, Chromium, GDAL round trips): `make test`
#: runs them, `make test-fast` (-m "not slow") leaves them out for a quick maths loop.
#: Single slow tests elsewhere (numba cold compiles, wheel builds) carry @pytest.mark.slow.
SLOW_FILES = {
    "test_cli.py",
    "test_cli_meta.py",
    "test_maps.py",
    "test_html_map.py",
    "test_html_security.py",
    "test_readers_properties.py",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
