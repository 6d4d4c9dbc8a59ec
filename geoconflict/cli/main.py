"""The ``geoconflict`` command line (click), in the style of rasterio's ``rio``.

This module holds the group: global options, error handling and the plugin
entry points.  The commands live in one module per group (:mod:`.info`,
:mod:`.measure`, :mod:`.zones`, :mod:`.events`, :mod:`.maps`, :mod:`.raster`),
the shared value types and options in :mod:`.options`.

Conventions shared by every command:

* inputs are files (GeoJSON, CSV with lon/lat columns, GeoPackage, ...) or ``-``
  for GeoJSON on standard input; outputs go to a file (``-o``) or standard output;
  GeoJSON out is RFC 7946 (:mod:`geoconflict.io.geojson`);
* tables are written as ``--format csv|geojson|markdown``;
* lengths are text with a unit: ``--radius "50 km"``, ``"10 nmi"``, ``"500 m"``;
* coordinates are (lon, lat) degrees WGS84, distances meters, azimuths degrees
  clockwise from true north;
* option values (lengths, places, boxes, numbers, units) are read and checked
  while the command line is parsed, by the shared types of
  :mod:`geoconflict.cli.options`: NaN, infinity, a negative length, an empty
  value or a latitude beyond ±90 never reach a command;
* exit code 0 on success, 1 on a user error or a bad option value (one line on
  standard error, ``Error: --option 'value': what to do``; add ``--debug`` for
  the traceback), 2 on a usage error (a missing or unknown option, with the
  usage).

Extra commands can be added by other packages through the entry-point group
``geoconflict.cli_plugins``.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import entry_points
from typing import Any, Optional

import click

from geoconflict._version import __version__
from geoconflict.cli.events import check_claims_cmd, import_
from geoconflict.cli.info import info, places
from geoconflict.cli.link import link
from geoconflict.cli.maps import demo, map_
from geoconflict.cli.measure import borders, distance, exposure, nearest, within
from geoconflict.cli.options import bad_value_line, one_line
from geoconflict.cli.raster import raster
from geoconflict.cli.zones import buffer, fan, rings, zone
from geoconflict.errors import GeoconflictError

__all__ = ["cli", "main"]

log = logging.getLogger("geoconflict")

PLUGIN_GROUP = "geoconflict.cli_plugins"


class _Group(click.Group):
    """A group that turns user errors into one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.BadParameter as exc:
            if isinstance(exc, click.MissingParameter):
                raise  # a usage error: exit 2 with the usage
            if (ctx.obj or {}).get("debug") and exc.__cause__ is not None:
                raise exc.__cause__ from None
            raise click.ClickException(bad_value_line(exc)) from None
        except (GeoconflictError, OSError) as exc:
            if isinstance(exc, BrokenPipeError):
                sys.stderr.close()
                ctx.exit(0)
            if (ctx.obj or {}).get("debug"):
                raise
            raise click.ClickException(one_line(exc)) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_plugins(self)
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str):
        _load_plugins(self)
        return self.commands.get(name)


_PLUGINS_LOADED = False


def _entry_points(group: str):
    eps = entry_points()
    if sys.version_info >= (3, 10):
        return list(eps.select(group=group))
    return list(eps.get(group, []))  # Python 3.9


def _load_plugins(group: click.Group) -> None:
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return
    _PLUGINS_LOADED = True
    for ep in _entry_points(PLUGIN_GROUP):
        if ep.name in group.commands:
            continue
        try:
            cmd = ep.load()
        except Exception as exc:  # a broken plugin must not break the CLI
            cmd = _broken_plugin(ep.name, exc)
        group.add_command(cmd, ep.name)


def _broken_plugin(name: str, exc: Exception) -> click.Command:
    message = f"the plugin command {name!r} could not be loaded: {one_line(exc)}"

    @click.command(name, help=f"(broken plugin) {message}")
    def broken():
        raise GeoconflictError(message)

    return broken


#: commands that run on a Dask cluster with --scheduler/--workers (geoconflict.dask)
_ON_DASK = {"distance"}


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geoconflict")
@click.option("-v", "--verbose", count=True, help="More messages (repeat for more).")
@click.option("-q", "--quiet", count=True, help="Fewer messages; no progress bars.")
@click.option("--debug", is_flag=True, help="Show the traceback of errors.")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on this Dask scheduler (tcp://host:8786): SITES is then a Parquet "
    "dataset and -o a folder (distance; needs geoconflict[dask]).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Run on a local Dask cluster of N worker processes (as --scheduler).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    verbose: int,
    quiet: int,
    debug: bool,
    scheduler: Optional[str],
    workers: Optional[int],
) -> None:
    """Conflict geography on the ellipsoid: sites, borders, ranges, zones, maps.

    Coordinates are lon/lat degrees (WGS84), distances meters unless a unit is
    given, azimuths degrees clockwise from true north.

    \b
    Example:
        geoconflict distance --site "Abu Kamal" --to "Al Qa'im" --unit km
    """
    level = logging.WARNING - 10 * verbose + 10 * quiet
    logging.basicConfig(stream=sys.stderr, level=max(level, 1), format="%(message)s")
    log.setLevel(max(level, 1))
    if scheduler and workers:
        raise click.UsageError("give --scheduler or --workers, not both")
    if (scheduler or workers) and ctx.invoked_subcommand not in _ON_DASK:
        raise click.UsageError(
            f"--scheduler/--workers apply to {', '.join(sorted(_ON_DASK))} only; "
            f"{ctx.invoked_subcommand} runs in this process"
        )
    ctx.obj = {
        "verbosity": verbose - quiet,
        "debug": debug,
        "quiet": quiet > 0,
        "scheduler": scheduler,
        "workers": workers,
    }


for _command, _name in [
    (info, "info"),
    (places, "places"),
    (distance, "distance"),
    (within, "within"),
    (nearest, "nearest"),
    (exposure, "exposure"),
    (borders, "borders"),
    (buffer, "buffer"),
    (rings, "rings"),
    (fan, "fan"),
    (zone, "zone"),
    (import_, "import"),
    (check_claims_cmd, "check-claims"),
    (link, "link"),
    (map_, "map"),
    (demo, "demo"),
    (raster, "raster"),
]:
    cli.add_command(_command, _name)
del _command, _name


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 user error, 2 usage)."""
    try:
        cli.main(args=argv, prog_name="geoconflict", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
