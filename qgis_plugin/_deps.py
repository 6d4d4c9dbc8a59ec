"""Check the runtime dependencies the bundled core needs from QGIS's Python.

numpy and pyproj are binary packages: they cannot be bundled in the plugin zip,
so they must come from the Python QGIS runs (every QGIS ships both).  shapely >= 2
is optional: without it the core's geometries run on QGIS's own GEOS
(``QgsGeometry``, see :mod:`geoconflict._geom`).  This module imports
nothing from QGIS or geoconflict, so it can run before anything else.
"""

from __future__ import annotations

import importlib
import re

__all__ = [
    "OPTIONAL",
    "REQUIREMENTS",
    "check_dependencies",
    "install_instructions",
    "optional_notes",
    "problems",
]

#: (import name, pip name, minimum version)
REQUIREMENTS = (
    ("numpy", "numpy", "1.21"),
    ("pyproj", "pyproj", "3.4"),
)


#: (import name, pip name, what it brings) -- the plugin works without these
OPTIONAL = (
    (
        "shapely",
        "shapely>=2",
        "shapely's vectorized geometry engine (faster on large layers); every "
        "algorithm runs on QGIS's own GEOS instead, with the same results",
    ),
    (
        "numba",
        "numba",
        "the compiled distance engine: distances to borders and lines and "
        "'within distance' tests about ten times faster (same results)",
    ),
)


#: a pip wheel of these carries its own GEOS: in a distribution QGIS it clashes
_LINUX_WHEELS = {
    "shapely": " On Linux do not pip-install the shapely wheel into the system "
    "Python QGIS uses (its own GEOS clashes with QGIS's); it is not needed."
}


def optional_notes():
    """Return one informative message per missing optional package."""
    notes = []
    for module, pip, what in OPTIONAL:
        try:
            mod = importlib.import_module(module)
            if module == "shapely" and _version_tuple(mod.__version__) < (2,):
                raise ImportError(f"shapely {mod.__version__} is older than 2.0")
        except Exception:  # ImportError, or a broken binary extension
            notes.append(
                f"Optional: {module} is not installed in QGIS's Python, so geoconflict "
                f"works without {what}. To add it: python -m pip install {pip} "
                "(OSGeo4W Shell on Windows; QGIS's pip3 on macOS), then restart QGIS."
                + _LINUX_WHEELS.get(module, "")
            )
    return notes


def _version_tuple(text):
    parts = []
    for piece in str(text).split(".")[:3]:
        match = re.match(r"\d+", piece)
        if match is None:
            break
        parts.append(int(match.group()))
    return tuple(parts)


def check_dependencies():
    """Return ``[(name, have, need, ok), ...]`` for every runtime dependency.

    ``have`` is the installed version, or None when the module does not import.
    """
    report = []
    for module, _pip, need in REQUIREMENTS:
        try:
            mod = importlib.import_module(module)
        except Exception:  # ImportError, or a broken binary extension
            report.append((module, None, need, False))
            continue
        have = getattr(mod, "__version__", "0")
        report.append(
            (module, have, need, _version_tuple(have) >= _version_tuple(need))
        )
    return report


def problems():
    """Return only the failing entries of :func:`check_dependencies`."""
    return [row for row in check_dependencies() if not row[3]]


def install_instructions(failing):
    """Return a message that says what is missing and how to install it."""
    names = " ".join(
        f'"{pip}>={need}"'
        for module, pip, need in REQUIREMENTS
        if module in {row[0] for row in failing}
    )
    what = ", ".join(
        f"{name} {'is missing' if have is None else f'{have} is too old (need >= {need})'}"
        for name, have, need, _ok in failing
    )
    return (
        f"geoconflict needs packages QGIS's Python does not have: {what}. "
        "Its algorithms are not available until you install them. "
        f"Windows (OSGeo4W Shell): python -m pip install --upgrade {names}. "
        f"macOS: /Applications/QGIS.app/Contents/MacOS/bin/pip3 install --upgrade {names}. "
        "Linux: your distribution's python3-numpy and python3-pyproj. "
        "Then restart QGIS."
    )
