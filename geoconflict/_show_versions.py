"""``show_versions()``: the versions that matter in a bug report."""

from __future__ import annotations

import importlib
import platform
import sys

__all__ = ["show_versions", "versions"]


def _version(name: str) -> str | None:
    try:
        mod = importlib.import_module(name)
    except Exception:
        return None
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return getattr(mod, "__version__", "installed")


def versions() -> dict[str, str | None]:
    """Return a mapping of component name to version (None if absent).

    Examples
    --------
    >>> "pyproj" in versions()
    True
    """
    from geoconflict import __version__

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
