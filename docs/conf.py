"""Sphinx configuration of the geoconflict documentation.

Built offline (no intersphinx, no remote images) with warnings as errors:
``make docs`` (``sphinx-build -W --keep-going``). ``GEOCONFLICT_DOCS_FAST=1`` skips
running the gallery scripts (their pages are still built from the sources); the API
and CLI references are always built.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the checkout, not an installed copy
sys.path.insert(0, str(HERE / "_ext"))

from api_pages import write_api_pages  # noqa: E402

import geoconflict  # noqa: E402

write_api_pages(HERE / "api")

project = "geoconflict"
author = "geoconflict developers"
copyright = "geoconflict developers, MIT License"
version = release = geoconflict.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_click",
    "sphinx_gallery.gen_gallery",
    "qgis_help",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# keep "--option" as typed (the CLI reference); no curly quotes in code-like text
smartquotes = False
exclude_patterns = ["_build", "**.ipynb_checkpoints", "gallery/*.ipynb"]
templates_path = ["_templates"]

# -- autodoc / autosummary / numpydoc ------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- MyST (the user guide pages are Markdown) ------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- sphinx-gallery -------------------------------------------------------------
FAST = os.environ.get("GEOCONFLICT_DOCS_FAST", "") not in ("", "0")
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples" / "gallery"),
    "gallery_dirs": "gallery",
    "filename_pattern": r"plot_",
    "plot_gallery": not FAST,
    # run every script on every build, not only the changed ones: a change to the
    # library that breaks an example fails the build
    "run_stale_examples": not FAST,
    "download_all_examples": False,
    "remove_config_comments": True,
    "capture_repr": ("_repr_html_", "__repr__"),
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "min_reported_time": 1,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "show_signature": False,
}

# -- HTML -------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"geoconflict {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 5,
    "secondary_sidebar_items": ["page-toc"],
    # no icon links, analytics or version switcher: the site builds and reads offline
}
html_show_sourcelink = False


def _skip_namedtuple_fields(app, what, name, obj, skip, options):
    # a NamedTuple's fields are documented in its Attributes section; autodoc would
    # list each again as "Alias for field number N"
    doc = getattr(obj, "__doc__", None) or ""
    if what == "class" and doc.startswith("Alias for field number"):
        return True
    return None


def setup(app):  # noqa: D103
    app.connect("autodoc-skip-member", _skip_namedtuple_fields)
