"""The version of geoconflict (read by hatch: ``[tool.hatch.version] path``).

A module of its own so that the CLI and :mod:`geoconflict._show_versions` can
import it without importing the package's public names (no import cycle).
"""

__version__ = "0.1.0.dev0"
