"""Write the reStructuredText sources of the API reference from the public names.

Run by ``conf.py`` before Sphinx reads the sources, so the reference always lists
exactly what the package exports:

* ``api/geoconflict.rst``: every name of ``geoconflict.__all__``, grouped by the
  sub-package that defines it (``geodesy``, ``geography``, ``events``, ...);
* ``api/<module>.rst``: every public module of the sub-packages and faces (no
  ``_private`` module, not the click commands, which the CLI reference documents):
  its docstring and the names of its ``__all__`` that are not already documented
  at the top level (those link there).

The generated files are not committed (``docs/api/`` is in ``.gitignore``).
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import types
from pathlib import Path

import geoconflict as gc

#: section title and blurb of each sub-package, in reading order
GROUPS = {
    "geodesy": "Geodesy on the ellipsoid: distances, buffers, ranges, neighbours",
    "geography": "Boundaries, borders and places (the shipped reference data)",
    "events": "Events, sites and claims with their sources",
    "analysis": "Analyses: exposure counts, weapon-range catalog",
    "io": "Reading and writing events and features",
    "support": "Errors, units and versions",
}
#: modules whose names are documented by another page (the CLI reference)
SKIP = ("geoconflict.cli",)


def _group(modname: str) -> str:
    parts = modname.split(".")
    if len(parts) > 2 and parts[1] in GROUPS:
        return parts[1]
    return "support"


def _underline(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def public_modules() -> list[str]:
    """Return the importable public modules of the package, sorted."""
    names = []
    for info in pkgutil.walk_packages(gc.__path__, "geoconflict."):
        name = info.name
        if any(part.startswith("_") for part in name.split(".")):
            continue
        if name.startswith(SKIP):
            continue
        parent, _, leaf = name.rpartition(".")
        shadow = getattr(importlib.import_module(parent), leaf, None)
        if shadow is not None and not isinstance(shadow, types.ModuleType):
            # the package re-binds the name to a function of the module
            # (geoconflict.maps.render): that function is documented instead
            continue
        names.append(name)
    return sorted(names)


def _top_level(out: Path) -> dict[int, str]:
    """Write ``geoconflict.rst``; return ``{id(obj): "geoconflict.name"}``."""
    groups: dict[str, list[str]] = {g: [] for g in GROUPS}
    modules: list[tuple[str, str]] = []
    seen: dict[int, str] = {}
    for name in sorted(gc.__all__, key=str.lower):
        if name == "__version__":
            continue
        obj = getattr(gc, name)
        if isinstance(obj, types.ModuleType):
            modules.append((name, obj.__name__))
            continue
        seen[id(obj)] = f"geoconflict.{name}"
        groups[_group(getattr(obj, "__module__", "geoconflict"))].append(name)
    lines = [
        _underline("geoconflict", "="),
        ".. automodule:: geoconflict\n   :no-members:\n",
        ".. currentmodule:: geoconflict\n",
        "Every name below is importable as ``geoconflict.<name>`` "
        "(``import geoconflict as gc``); it is listed under the sub-package that "
        "defines it.\n",
    ]
    for group, blurb in GROUPS.items():
        if not groups[group]:
            continue
        lines.append(_underline(blurb, "-"))
        if group != "support":
            lines.append(f"Defined in :doc:`geoconflict.{group}`.\n")
        lines.append(".. autosummary::\n   :toctree: generated/\n   :nosignatures:\n")
        lines.extend(f"   {n}" for n in groups[group])
        lines.append("")
    lines.append(_underline("Modules re-exported at the top level", "-"))
    for alias, real in modules:
        lines.append(f"* ``geoconflict.{alias}``: :doc:`{real}`")
    lines.append("")
    (out / "geoconflict.rst").write_text("\n".join(lines), encoding="utf-8")
    return seen


def _module_page(out: Path, modname: str, seen: dict[int, str]) -> None:
    mod = importlib.import_module(modname)
    names = list(getattr(mod, "__all__", []))
    own, linked = [], []
    for name in names:
        obj = getattr(mod, name)
        if isinstance(obj, types.ModuleType):
            continue
        if id(obj) in seen and not isinstance(obj, (int, float, str, tuple)):
            linked.append((name, seen[id(obj)]))
        else:
            own.append(name)
            seen.setdefault(id(obj), f"{modname}.{name}")
    lines = [
        _underline(modname, "="),
        f".. automodule:: {modname}\n   :no-members:\n",
        f".. currentmodule:: {modname}\n",
    ]
    if own:
        lines.append(".. autosummary::\n   :toctree: generated/\n   :nosignatures:\n")
        lines.extend(f"   {n}" for n in own)
        lines.append("")
    if linked:
        lines.append("Also here, documented under their public name:\n")
        lines.extend(f"* ``{n}``: :obj:`{target}`" for n, target in linked)
        lines.append("")
    (out / f"{modname}.rst").write_text("\n".join(lines), encoding="utf-8")


def write_api_pages(out: Path) -> None:
    """Write every page of the API reference into `out` (``docs/api``)."""
    shutil.rmtree(out, ignore_errors=True)  # a removed name or module loses its page
    out.mkdir(parents=True)
    seen = _top_level(out)
    modules = public_modules()
    for modname in modules:
        _module_page(out, modname, seen)
    by_group: dict[str, list[str]] = {}
    for modname in modules:
        is_package = hasattr(importlib.import_module(modname), "__path__")
        key = "geoconflict." + modname.split(".")[1]
        if modname.count(".") == 1 and not is_package:
            key = "Top-level modules"
        by_group.setdefault(key, []).append(modname)
    lines = [
        _underline("API reference", "="),
        "Coordinates are (lon, lat) in degrees on WGS84 (EPSG:4326), distances "
        "in meters, azimuths in degrees clockwise from true north, unless a "
        "parameter says otherwise. The package ships type information "
        "(``py.typed``).\n",
        ".. toctree::\n   :maxdepth: 1\n   :caption: Top level\n\n   geoconflict\n",
    ]
    for group in sorted(by_group, key=lambda k: (k == "Top-level modules", k)):
        lines.append(f".. toctree::\n   :maxdepth: 1\n   :caption: {group}\n")
        lines.extend(f"   {m}" for m in by_group[group])
        lines.append("")
    (out / "index.rst").write_text("\n".join(lines), encoding="utf-8")
