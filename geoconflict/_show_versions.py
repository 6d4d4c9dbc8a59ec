"""``show_versions()``: the versions that matter in a bug report."""

from __future__ import annotations

import importlib.util
import platform
import sys
from importlib.metadata import PackageNotFoundError, version

from geoconflict._version import __version__

__all__ = ["show_versions", "versions"]


def _version(name: str) -> str | None:
    """Return the installed version of the distribution `name` (None if absent).

    Found without importing it (``find_spec``), so ``show_versions()`` stays fast.
    """
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except (ImportError, ValueError):
        return None
    try:
        return version(name)
    except PackageNotFoundError:
        return "installed"


def versions() -> dict[str, str | None]:
    """Return a mapping of component name to version (None if absent).

    Examples
    --------
    >>> "pyproj" in versions()
    True
    """
    info: dict[str, str | None] = {
        "geoconflict": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    for name in (
        "numpy",
        "shapely",
        "pyproj",
        "geopandas",
        "pandas",
        "pyogrio",
        "rasterio",
        "click",
        "matplotlib",
    ):
        info[name] = _version(name)
    try:
        import shapely

        info["GEOS"] = shapely.geos_version_string
    except Exception:
        info["GEOS"] = None
    try:
        import pyproj

        info["PROJ"] = pyproj.proj_version_str
    except Exception:
        info["PROJ"] = None
    if "rasterio" in sys.modules or info["rasterio"]:
        try:
            import rasterio

            info["GDAL (rasterio)"] = rasterio.__gdal_version__
        except Exception:
            pass
    if info["pyogrio"]:
        try:
            import pyogrio

            info["GDAL (pyogrio)"] = pyogrio.__gdal_version_string__
        except Exception:
            pass
    if "qgis.core" in sys.modules:
        from qgis.core import Qgis

        info["QGIS"] = Qgis.QGIS_VERSION
    return info


def show_versions() -> None:
    """Print versions of geoconflict and its dependencies, for bug reports.

    Examples
    --------
    >>> show_versions()  # doctest: +ELLIPSIS
    geoconflict ...
    """
    for key, value in versions().items():
        print(f"{key:<16} {value if value is not None else '-'}")
