"""Optional dependencies: lazy import with an error that names the fix."""

from __future__ import annotations

import importlib
from types import ModuleType

from geoconflict.errors import MissingDependencyError

__all__ = ["import_optional_dependency"]

_EXTRA = {
    "geopandas": "pip install geopandas pyogrio",
    "pandas": "pip install pandas",
    "pyogrio": "pip install pyogrio",
    "rasterio": "pip install rasterio",
    "click": "pip install click",
    "matplotlib": "pip install 'geoconflict[maps]'  (or: pip install matplotlib)",
    "mgrs": "pip install mgrs",
    "openpyxl": "pip install openpyxl",
    "pyarrow": "pip install pyarrow",
    "dask": "pip install 'geoconflict[dask]'",
    "distributed": "pip install 'geoconflict[dask]'",
    "dask_geopandas": "pip install 'geoconflict[dask]'",
}


def import_optional_dependency(name: str, purpose: str = "") -> ModuleType:
    """Import `name` or raise :class:`MissingDependencyError` saying how to install it.

    Parameters
    ----------
    name : str
        Module name, e.g. ``"geopandas"``.
    purpose : str
        What it is needed for, used in the message.

    Returns
    -------
    module

    Examples
    --------
    >>> import_optional_dependency("json").__name__
    'json'
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        top = name.split(".")[0]
        fix = _EXTRA.get(top, f"pip install {top}")
        why = f" for {purpose}" if purpose else ""
        raise MissingDependencyError(
            f"{top!r} is needed{why} but could not be imported ({exc}). Install it: {fix}"
        ) from exc
