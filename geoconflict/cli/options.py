"""The ``geoconflict`` command line (click), in the style of rasterio's ``rio``.

Conventions shared by every command:

* inputs are files (GeoJSON, CSV with lon/lat columns, GeoPackage, ...) or ``-``
  for GeoJSON on standard input; outputs go to a file (``-o``) or standard output;
* tables are written as ``--format csv|geojson|markdown``;
* lengths are text with a unit: ``--radius "50 km"``, ``"10 nmi"``, ``"500 m"``;
* coordinates are (lon, lat) degrees WGS84, distances meters, azimuths degrees
  clockwise from true north;
* option values (lengths, places, boxes, numbers, units) are read and checked
  while the command line is parsed, by the shared types below (:class:`Length`,
  :class:`Lengths`, :class:`Place`, :class:`BBox`, :class:`Extent`,
  :class:`Number`, :class:`Unit`): NaN, infinity, a negative length, an empty
  value or a latitude beyond ±90 never reach a command;
* exit code 0 on success, 1 on a user error or a bad option value (one line on
  standard error, ``Error: --option 'value': what to do``; add ``--debug`` for
  the traceback), 2 on a usage error (a missing or unknown option, with the
  usage).

Extra commands can be added by other packages through the entry-point group
``geoconflict.cli_plugins``.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import sys
from typing import Any, Optional

import click
import numpy as np
import shapely

from geoconflict import __version__
from geoconflict.errors import (
    BoundaryNotFoundError,
    CoordinateError,
    DataFormatError,
    GeoconflictError,
    UnitError,
)
from geoconflict.io.features import (
    FORMATS,
    Feature,
    features_lonlat,
    format_from_path,
    lonlat_problem,
    read_features,
    resolve_place,
    stdin_as_file,
    write_features,
    write_table,
)
from geoconflict.units import UNITS, format_length, parse_length, unit_factor

__all__ = ["cli", "main"]

log = logging.getLogger("geoconflict")

PLUGIN_GROUP = "geoconflict.cli_plugins"


# --------------------------------------------------------------------------------------
# The group: error handling, verbosity, plugins
# --------------------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


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
            raise click.ClickException(_bad_value_line(exc)) from None
        except (GeoconflictError, OSError) as exc:
            if isinstance(exc, BrokenPipeError):
                sys.stderr.close()
                ctx.exit(0)
            if (ctx.obj or {}).get("debug"):
                raise
            raise click.ClickException(_one_line(exc)) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_plugins(self)
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str):
        _load_plugins(self)
        return self.commands.get(name)


_PLUGINS_LOADED = False


def _entry_points(group: str):
    from importlib.metadata import entry_points

    eps = entry_points()
    if hasattr(eps, "select"):
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
    message = f"the plugin command {name!r} could not be loaded: {_one_line(exc)}"

    @click.command(name, help=f"(broken plugin) {message}")
    def broken():
        raise GeoconflictError(message)

    return broken


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geoconflict")
@click.option("-v", "--verbose", count=True, help="More messages (repeat for more).")
@click.option("-q", "--quiet", count=True, help="Fewer messages; no progress bars.")
@click.option("--debug", is_flag=True, help="Show the traceback of errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int, debug: bool) -> None:
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
    ctx.obj = {"verbosity": verbose - quiet, "debug": debug, "quiet": quiet > 0}


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 user error, 2 usage)."""
    try:
        cli.main(args=argv, prog_name="geoconflict", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# --------------------------------------------------------------------------------------
# Option values: the one place where they are read and checked
# --------------------------------------------------------------------------------------


class _Value(click.ParamType):
    """Base of the CLI's value types: a bad value is refused while parsing.

    Subclasses implement ``parse(text)`` and raise a GeoconflictError saying what
    is wrong and what to do.  Empty text is refused here.  The group prints any
    bad value as one line, ``Error: --option 'value': what to do``, with exit
    code 1 (see :func:`_bad_value_line`).
    """

    #: a good value, for the message about an empty one
    example = ""
    #: whether surrounding spaces are dropped before `parse` (not for file names)
    strip = True

    def parse(self, text: str) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value  # already converted (a default given as a value)
        text = value.strip()
        if not text:
            self.fail(f"{value!r}: is empty; give {self.example}", param, ctx)
        try:
            return self.parse(text if self.strip else value)
        except GeoconflictError as exc:
            msg = _one_line(exc)
            for prefix in (repr(text), repr(value)):
                if msg.startswith(prefix):
                    msg = msg[len(prefix) :].lstrip(" :")
            raise click.BadParameter(f"{value!r}: {msg}", ctx, param) from exc


def _check_length(value: float, *, zero_ok: bool) -> float:
    if not math.isfinite(value):
        raise UnitError("is not a finite length; give e.g. '50 km'")
    if value < 0 or (value == 0 and not zero_ok):
        must = "zero or more" if zero_ok else "more than zero"
        raise UnitError(f"a length must be {must}; give e.g. '50 km'")
    return value


def _parse_length(text: str, default_unit: Optional[str] = None) -> float:
    try:
        return parse_length(text, default_unit=default_unit)
    except UnitError:
        if text.lstrip().startswith("-"):
            raise UnitError(
                "is negative; a length must be positive, e.g. '50 km'"
            ) from None
        raise


class Length(_Value):
    """A length with a unit (``"50 km"``, ``"10 nmi"``, ``"500 m"``), in meters.

    Finite and positive (or zero when `zero_ok`).
    """

    name = "length"
    example = "a length with a unit, e.g. '50 km'"

    def __init__(self, *, zero_ok: bool = False) -> None:
        self.zero_ok = zero_ok

    def parse(self, text: str) -> float:
        return _check_length(_parse_length(text), zero_ok=self.zero_ok)


class Lengths(_Value):
    """Lengths ``"100 km, 200 km"`` or ``"100, 200 km"`` (a final unit applies to all), meters.

    Each finite and more than zero; strictly increasing when `increasing`.
    """

    name = "lengths"
    example = "lengths with a unit, e.g. '100, 200 km'"

    def __init__(self, *, increasing: bool = False) -> None:
        self.increasing = increasing

    def parse(self, text: str) -> list:
        import re

        parts = [p.strip() for p in text.replace(";", ",").split(",")]
        if not all(parts):
            raise UnitError("has an empty item; give e.g. '100, 200 km'")
        m = re.match(r"^\s*[-+]?[\d.]+(?:[eE][-+]?\d+)?\s*(?P<unit>\D.*)?$", parts[-1])
        unit = m.group("unit").strip() if m and m.group("unit") else None
        out = []
        for p in parts:
            try:
                out.append(_check_length(_parse_length(p, unit), zero_ok=False))
            except UnitError as exc:
                raise UnitError(f"item {p!r} {_one_line(exc)}") from None
        for i in range(1, len(out)) if self.increasing else ():
            if out[i] <= out[i - 1]:
                raise UnitError(
                    f"must be strictly increasing ({parts[i]!r} follows "
                    f"{parts[i - 1]!r}); list them from smallest to largest, "
                    "e.g. '1, 2, 5 km'"
                )
        return out


class Place(_Value):
    """A place name or ``"lon,lat"`` degrees (WGS84), as a point Feature."""

    name = "place"
    example = "a place name or lon,lat, e.g. '40.92,34.45'"

    def parse(self, text: str) -> Feature:
        try:
            return resolve_place(text)
        except BoundaryNotFoundError as exc:
            ext = os.path.splitext(text)[1].lower()
            if (
                os.sep in text
                or "/" in text
                or ext in (".csv", ".geojson", ".json", ".gpkg")
            ):
                raise BoundaryNotFoundError(
                    "is not a place name or lon,lat; to read points from a file, "
                    "give the file as the command's input (see --help)"
                ) from exc
            raise


def _bbox(text: str, *, wrap: bool = False) -> Optional[tuple]:
    """West, south, east, north degrees of ``"w,s,e,n"``; None if not four numbers.

    With `wrap`, west > east is a box across the antimeridian.
    """
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    if len(parts) != 4:
        return None
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        return None
    for lon, lat in ((w, s), (e, n)):
        problem = lonlat_problem(lon, lat)
        if problem is not None:
            raise CoordinateError(
                f"is not a box: {problem}; give west,south,east,north in degrees, "
                "e.g. '38,32,43,36'"
            )
    if not (s < n and (w < e or (wrap and w != e))):
        east = "west != east" if wrap else "west < east"
        raise CoordinateError(
            f"is not a box: south must be < north and {east}; give "
            "west,south,east,north in degrees, e.g. '38,32,43,36'"
        )
    return (w, s, e, n)


class BBox(_Value):
    """A box ``"west,south,east,north"`` in degrees (WGS84)."""

    name = "bbox"
    example = "west,south,east,north in degrees, e.g. '38,32,43,36'"

    def parse(self, text: str) -> tuple:
        box = _bbox(text)
        if box is None:
            raise CoordinateError(f"is not four numbers; give {self.example}")
        return box


class Extent(_Value):
    """``auto`` (None), a box ``"w,s,e,n"`` or a place (its (lon, lat) centre)."""

    name = "extent"
    example = "auto, a place name, or west,south,east,north, e.g. '38,32,43,36'"

    def parse(self, text: str):
        if text.lower() == "auto":
            return None
        box = _bbox(text, wrap=True)
        if box is not None:
            return box
        f = resolve_place(text)
        return f.geometry.x, f.geometry.y


class Number(_Value):
    """A finite number (float or int), optionally with bounds; NaN and infinity are refused."""

    def __init__(
        self,
        kind: type = float,
        *,
        minimum: Optional[float] = None,
        maximum: Optional[float] = None,
        positive: bool = False,
        what: str = "a number",
        example: str = "10",
    ) -> None:
        self.kind, self.minimum, self.maximum = kind, minimum, maximum
        self.positive, self.what = positive, what
        self.name = "integer" if kind is int else "number"
        self.example = f"{what}, e.g. {example}"

    def parse(self, text: str):
        try:
            value = self.kind(text)
        except ValueError:
            whole = "a whole number" if self.kind is int else "a number"
            raise GeoconflictError(f"is not {whole}; give {self.example}") from None
        if not math.isfinite(value):
            raise GeoconflictError(f"is not a finite number; give {self.example}")
        if self.positive and value <= 0:
            raise GeoconflictError(f"must be more than zero; give {self.example}")
        if self.minimum is not None and value < self.minimum:
            raise GeoconflictError(
                f"must be at least {self.minimum:g}; give {self.example}"
            )
        if self.maximum is not None and value > self.maximum:
            raise GeoconflictError(
                f"must be at most {self.maximum:g}; give {self.example}"
            )
        return value


class Unit(_Value):
    """A length unit name (``km``, ``m``, ``nmi``, ``mi`` ...)."""

    name = "unit"
    example = f"one of {', '.join(UNITS)}"

    def parse(self, text: str) -> str:
        unit_factor(text)
        return text


class CountryPair(_Value):
    """Two countries ``"IRQ,SYR"`` (codes or names; ``/`` or ``-`` also separate them)."""

    name = "countries"
    example = "two countries, e.g. IRQ,SYR"

    def parse(self, text: str) -> list:
        sep = text.replace("/", ",").replace("-", ",").split(",")
        codes = [c.strip() for c in sep if c.strip()]
        if len(codes) != 2:
            raise GeoconflictError(f"give {self.example}")
        return codes


class InputFile(_Value):
    """A file to read (it must exist and hold data), or ``-`` for standard input."""

    name = "file"
    example = "a file name, or - for standard input"
    strip = False

    def __init__(self, what: str = "data") -> None:
        self.what = what

    def shell_complete(self, ctx, param, incomplete):
        """Complete file names in the shell."""
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="file")]

    def parse(self, text: str) -> str:
        if text == "-":
            return text
        if not os.path.exists(text):
            raise DataFormatError(
                "no such file; check the path (or give - for standard input)"
            )
        if os.path.isdir(text):
            raise DataFormatError("is a folder, not a file; give a file inside it")
        if os.path.getsize(text) == 0:
            raise DataFormatError(f"the file is empty; give a file of {self.what}")
        return text


class OutputPath(_Value):
    """Where to write: a file (or folder) name, or ``-`` for standard output."""

    name = "path"
    example = "a file name, or - for standard output"
    strip = False

    def parse(self, text: str) -> str:
        return text

    shell_complete = InputFile.shell_complete


def _bad_value_line(exc: click.BadParameter) -> str:
    """``--option 'value': what is wrong; what to do`` for a refused option value."""
    p = exc.param
    if isinstance(p, click.Option) and p.opts:
        name = max(p.opts, key=len)
    elif p is not None:
        name = p.human_readable_name
    else:
        name = str(exc.param_hint or "value")
    return f"{name} {' '.join(str(exc.message).splitlines())}"


# --------------------------------------------------------------------------------------
# Shared options and helpers
# --------------------------------------------------------------------------------------


def format_option(default: Optional[str] = None):
    """``--format csv|geojson|markdown`` (from the output file name by default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS, case_sensitive=False),
        default=default,
        help="Table format (default: from the output file's extension, else csv).",
    )


output_option = click.option(
    "-o",
    "--output",
    type=OutputPath(),
    default="-",
    show_default=True,
    help="Output file, or - for standard output.",
)

unit_option = click.option(
    "--unit",
    type=Unit(),
    default="km",
    show_default=True,
    help=f"Unit of the distance columns for people ({', '.join(UNITS)}); "
    "the *_m columns stay in meters.",
)


def _progress(ctx: click.Context, iterable, **kwargs):
    """Wrap `iterable` in a tqdm progress bar when standard error is a terminal.

    tqdm rather than rich: it is one small pure-Python module with no
    dependencies, writes to stderr, and disables itself cleanly.
    """
    quiet = (ctx.obj or {}).get("quiet", False)
    if quiet or not sys.stderr.isatty():
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, file=sys.stderr, leave=False, **kwargs)


def _sites(
    sources: tuple[str, ...], places: tuple[Feature, ...], what="sites"
) -> list[Feature]:
    """Return the features of the files `sources`, then the points `places` (:class:`Place`)."""
    feats: list[Feature] = []
    for src in sources:
        feats.extend(read_features(src, what=what))
    feats.extend(places)
    if not feats:
        raise click.UsageError(f"give {what} as a file (or - for stdin) or with --site")
    return feats


def _module(name: str, what: str):
    """Import an optional part of geoconflict or say plainly that it is missing."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise GeoconflictError(
            f"{what} needs {name}, which this installation lacks ({exc}); "
            "upgrade geoconflict"
        ) from None


def _write_rows(rows, fmt, output, geometries=None, columns=None):
    write_table(
        rows,
        fmt or format_from_path(output),
        output,
        geometries=geometries,
        columns=columns,
    )


# --------------------------------------------------------------------------------------
# info
# --------------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def info(as_json: bool) -> None:
    """Show versions: geoconflict, Python, GEOS, PROJ, GDAL and the bundled data.

    \b
    Example:
        geoconflict info
    """
    from geoconflict._show_versions import versions

    data = dict(versions())
    data.update(_datasets_info())
    if as_json:
        import json

        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for key, value in data.items():
        click.echo(f"{key:<20} {value if value is not None else '-'}")


def _datasets_info() -> dict:
    """One line per bundled dataset: upstream, licence and number of files."""
    out: dict[str, Optional[str]] = {}
    try:
        ds = importlib.import_module("geoconflict.geography.datasets")
    except ImportError:
        out["datasets"] = "not installed"
        return out
    try:
        man = ds.manifest() if hasattr(ds, "manifest") else {}
    except Exception as exc:  # report, do not fail `info`
        out["datasets"] = f"error: {_one_line(exc)}"
        return out
    files = man.get("files", []) if isinstance(man, dict) else []
    groups: dict = {}
    for f in files:
        if not isinstance(f, dict) or f.get("layer") in ("licence", "readme"):
            continue
        key = (
            str(f.get("upstream") or f.get("source") or f.get("file")),
            str(f.get("licence") or "?"),
        )
        g = groups.setdefault(key, [0, 0])
        g[0] += 1
        g[1] += int(f.get("bytes") or 0)
    for i, ((upstream, licence), (n, size)) in enumerate(sorted(groups.items())):
        out[f"data {i + 1}"] = (
            f"{upstream} — {licence} ({n} file{'s' if n > 1 else ''}, {size / 1e6:.1f} MB)"
        )
    if not groups:
        out["datasets"] = "bundled (no manifest)"
    return out


# --------------------------------------------------------------------------------------
# distance
# --------------------------------------------------------------------------------------


@cli.command()
@click.argument("sites", nargs=-1, type=InputFile("sites"))
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A site as a place name or "lon,lat" (repeatable).',
)
@click.option(
    "--to", "to_place", type=Place(), help='Measure to this place or "lon,lat".'
)
@click.option(
    "--border",
    type=CountryPair(),
    help="Measure to the border of two countries, e.g. IRQ,SYR.",
)
@click.option("--dataset", type=click.Choice(["ne", "osm"]), default="ne", show_default=True,
              help="Border dataset: Natural Earth 10m or OpenStreetMap-derived.")  # fmt: skip
@click.option(
    "--geometry",
    "geometry_file",
    type=InputFile("geometries"),
    help="Measure to the geometries in this file (GeoJSON/GPKG).",
)
@unit_option
@format_option()
@output_option
@click.pass_context
def distance(
    ctx, sites, site_places, to_place, border, dataset, geometry_file, unit, fmt, output
):
    """Geodesic distance from sites to a place, a border or a geometry.

    SITES are files of points (GeoJSON, CSV with lon/lat columns, GeoPackage) or -
    for GeoJSON on standard input.  Exactly one target: --to, --border or
    --geometry.  Distances are geodesic on WGS84; the distance_m column is in
    meters, the distance column in --unit; azimuths are degrees clockwise from
    true north, towards the target (or its nearest point).  To a border the
    table also gives low_m/high_m (the border dataset's uncertainty) and the
    side (country) each site is on.

    \b
    Examples:
        geoconflict distance --site "Abu Kamal" --to "Al Qa'im"
        geoconflict distance sites.csv --border IRQ,SYR --format markdown
        geoconflict distance sites.geojson --geometry zone.geojson -o d.csv
    """
    targets = [t for t in (to_place, border, geometry_file) if t]
    if len(targets) != 1:
        raise click.UsageError("give exactly one target: --to, --border or --geometry")
    feats = _sites(sites, site_places)
    lon, lat = features_lonlat(feats, what="sites")
    factor = unit_factor(unit)
    rows = []
    if to_place:
        from geoconflict.geodesy.measurement import inverse

        target = to_place
        tx, ty = target.geometry.x, target.geometry.y
        r = inverse(lon, lat, np.full_like(lon, tx), np.full_like(lat, ty))
        for i, f in enumerate(feats):
            rows.append(
                {
                    "site": f.name or f"site {i + 1}",
                    "lon": lon[i],
                    "lat": lat[i],
                    "target": target.name,
                    "distance_m": round(float(r.distance[i]), 3),
                    f"distance_{unit}": round(float(r.distance[i]) / factor, 3),
                    "azimuth_deg": round(float(r.azimuth1[i]) % 360.0, 3),
                }
            )
        geoms = [f.geometry for f in feats]
    else:
        extra: dict = {}
        if border:
            borders = _module("geoconflict.geography.borders", "--border")
            codes = border
            target_name = f"border {codes[0]}–{codes[1]} ({dataset})"
            if hasattr(borders, "distance_to_border"):
                bd = borders.distance_to_border(lon, lat, *codes, dataset=dataset)
                extra = {
                    "low_m": np.atleast_1d(bd.low_m),
                    "high_m": np.atleast_1d(bd.high_m),
                    "side": np.atleast_1d(np.asarray(bd.side, dtype=object)),
                }
            geometry = borders.border(*codes, dataset=dataset)
        else:
            import shapely

            geoms_t = [
                f.geometry for f in read_features(geometry_file, what="geometry")
            ]
            geometry = shapely.union_all([g for g in geoms_t if g is not None])
            target_name = os.path.basename(geometry_file)
        res = _distance_to(lon, lat, geometry)
        for i, f in enumerate(feats):
            d = float(res.distance[i])
            rows.append(
                {
                    "site": f.name or f"site {i + 1}",
                    "lon": lon[i],
                    "lat": lat[i],
                    "target": target_name,
                    "distance_m": round(d, 3),
                    f"distance_{unit}": round(d / factor, 3),
                    "nearest_lon": round(float(res.lon[i]), 6),
                    "nearest_lat": round(float(res.lat[i]), 6),
                    "azimuth_deg": round(float(res.azimuth[i]) % 360.0, 3),
                }
            )
            if extra:
                rows[-1]["low_m"] = round(float(extra["low_m"][i]), 3)
                rows[-1]["high_m"] = round(float(extra["high_m"][i]), 3)
                rows[-1]["side"] = extra["side"][i]
        geoms = [f.geometry for f in feats]
    _write_rows(rows, fmt, output, geoms)
    log.info(
        "%d distances (%s)",
        len(rows),
        ", ".join(format_length(r["distance_m"], unit) for r in rows[:5]),
    )


def _distance_to(lon, lat, geometry):
    """Exact geodesic distances (and nearest points) from points to one geometry, meters."""
    from geoconflict.geodesy.index import distance_to

    res = distance_to(
        np.asarray(lon, float), np.asarray(lat, float), geometry, return_nearest=True
    )
    return type(res)(*(np.atleast_1d(v) for v in res))


# --------------------------------------------------------------------------------------
# places
# --------------------------------------------------------------------------------------


@cli.command()
@click.argument("names", nargs=-1, required=True)
@format_option()
@output_option
def places(names, fmt, output):
    """Look up places by name (transliteration variants match) or check "lon,lat".

    Every candidate is listed with its coordinates and source; when candidates
    disagree, the spread is part of the answer.

    \b
    Example:
        geoconflict places "al-Bukamal" "Al Qaim" --format markdown
    """
    rows, geoms = [], []
    try:
        mod = importlib.import_module("geoconflict.geography.places")
    except ImportError:
        mod = None
    for name in names:
        if mod is not None and hasattr(mod, "lookup"):
            found = mod.lookup(name)
            cands = list(getattr(found, "candidates", found) or [])
            if not cands:
                raise BoundaryNotFoundError(
                    f"unknown place {name!r}; try another spelling or give lon,lat"
                )
            for c in cands:
                get = (
                    c.get
                    if isinstance(c, dict)
                    else (lambda k, d=None, c=c: getattr(c, k, d))
                )
                row = {"query": name}
                for key in (
                    "name",
                    "lon",
                    "lat",
                    "country",
                    "population",
                    "source",
                    "id",
                    "match",
                ):
                    row[key] = get(key)
                spread = getattr(found, "spread_m", None)
                if spread is not None:
                    row["spread_m"] = round(float(spread), 1)
                rows.append(row)
                geoms.append(shapely.Point(float(row["lon"]), float(row["lat"])))
        else:
            f = resolve_place(name)
            rows.append(
                {
                    "query": name,
                    "name": f.name,
                    "lon": f.geometry.x,
                    "lat": f.geometry.y,
                    "source": f.properties.get("source"),
                }
            )
            geoms.append(f.geometry)
    _write_rows(rows, fmt, output, geoms)


# --------------------------------------------------------------------------------------
# map and demo
# --------------------------------------------------------------------------------------


@cli.command("map")
@click.argument("layers", nargs=-1, type=InputFile("map layers"))
@click.option(
    "--spec",
    "spec_file",
    type=InputFile("map spec (TOML)"),
    help="Map spec (TOML); options below override it.",
)
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A site as a place name or "lon,lat" (repeatable).',
)
@click.option(
    "--extent",
    type=Extent(),
    help='"auto" (default), a place name, or a bbox "west,south,east,north".',
)
@click.option(
    "--margin",
    type=Length(zero_ok=True),
    default=None,
    help='Margin around the data for --extent auto, e.g. "20 km".',
)
@click.option("--title", help="Map title.")
@click.option("--subtitle", help="Map subtitle.")
@click.option("--date", "date_text", help="Date line (text, e.g. 2019-09-09).")
@click.option("--events", "event_files", type=InputFile("events"), multiple=True,
              help="Events file (native GeoJSON, GPKG, ACLED/UCDP/CSV): sites styled by event type and attribution.")  # fmt: skip
@click.option(
    "--border",
    type=CountryPair(),
    help="Draw the border of two countries, e.g. IRQ,SYR.",
)
@click.option(
    "--zone",
    "zone_m",
    type=Length(),
    help='With --border: the strip along it, e.g. "10 km".',
)
@click.option("--side", help="With --zone: keep the strip on one side (e.g. SYR).")
@click.option(
    "--rings",
    "rings_m",
    type=Lengths(),
    help='Range rings around every site, e.g. "50 km, 100 km".',
)
@click.option(
    "--each",
    type=click.Choice(["event", "feature"]),
    help="Write one map per event (or feature).",
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Output .png, .svg, .pdf or .html (with --each: a folder).",
)
@click.option(
    "--dpi",
    type=Number(int, minimum=1, maximum=2400, what="dots per inch", example="300"),
    default=None,
    help="Resolution of PNG output (default 150; 1 to 2400).",
)
@click.pass_context
def map_(
    ctx,
    layers,
    spec_file,
    site_places,
    extent,
    margin,
    title,
    subtitle,
    date_text,
    event_files,
    border,
    zone_m,
    side,
    rings_m,
    each,
    output,
    dpi,
):
    """Draw a map (PNG, SVG, PDF, or offline interactive HTML).

    LAYERS are files of features (GeoJSON, CSV with lon/lat, GeoPackage, or -);
    points are drawn as sites styled by their event_type and attribution_status
    properties, lines and polygons as zones.  Countries, provinces and disputed
    areas come from the bundled boundaries.  The projection is chosen for the
    extent (Lambert conformal conic or azimuthal equidistant), the scale bar is
    true at the map centre and the north arrow points to true north there.

    \b
    Examples:
        geoconflict map sites.geojson --title "Strikes" -o map.png
        geoconflict map --site "Abu Kamal" --rings "50 km" --extent "38,32,43,36" -o m.svg
        geoconflict map --spec map.toml -o map.pdf
        geoconflict map --events events.geojson --border IRQ,SYR --zone "10 km" -o m.pdf
        geoconflict map --events events.geojson --each event -o "maps/{event}.svg"
        geoconflict map sites.geojson -o map.html
    """
    maps = _module("geoconflict.maps.static", "map")
    # a spec may name files outside its folder only if they are given here too
    spec = (
        maps.load_spec(spec_file, allowed_paths=layers) if spec_file else maps.MapSpec()
    )
    for src in layers:
        if src != "-" and os.path.realpath(src) in spec.layer_files:
            continue  # already read through the spec's [[layers]]
        spec.add_features(read_features(src, what="map layer"), source=src)
    for f in site_places:
        spec.add_features([f], source="--site")
    for src in event_files:
        spec.sites.extend(_event_sites(src))
    if border:
        codes = border
        _module("geoconflict.geography.borders", "--border")
        zone_w = f"{zone_m} m" if zone_m is not None else None
        spec.lines.extend(maps.border_features(codes, zone_w, side, spec))
    elif zone_m is not None:
        raise click.UsageError("--zone needs --border")
    if extent is not None:
        spec.extent = extent
    if margin is not None:
        spec.margin_m = margin
    if title:
        spec.title = title
    if subtitle:
        spec.subtitle = subtitle
    if date_text:
        spec.date = date_text
    if dpi is not None:
        spec.dpi = dpi
    if rings_m:
        spec.ring_radii_m = rings_m
    if not spec.has_data():
        raise click.UsageError("nothing to draw: give layer files, --site or --spec")
    if each:
        if "{event}" not in output:
            os.makedirs(output, exist_ok=True)
        written = maps.render_each(
            spec, output, key=each, progress=lambda it: _progress(ctx, it, desc="maps")
        )
    else:
        written = [maps.render(spec, output)]
    for path in written:
        click.echo(str(path))


def _event_sites(path: str) -> list:
    """Site features (one per event and site) of an events file, via geoconflict.io.events."""
    eventio = _module("geoconflict.io.events", "--events")
    from geoconflict.cli.demo import _features_from_events

    with stdin_as_file(path, what="events") as name:
        return _features_from_events(eventio.read_events(name))


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=OutputPath(),
    default="out",
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--html/--no-html", default=True, help="Also write the interactive HTML map."
)
@click.pass_context
def demo(ctx, out_dir, html):
    """Run the example job: the al-Bukamal seed reports, measured and mapped.

    Writes the map (PNG, PDF), the distance/claims table (CSV, Markdown) and a
    GeoPackage with every layer to --out, then prints where they are.

    \b
    Example:
        geoconflict demo --out out
    """
    from geoconflict.cli.demo import run

    for path in run(out_dir, html=html, echo=click.echo):
        click.echo(str(path))


# --------------------------------------------------------------------------------------
# buffer, rings, fan
# --------------------------------------------------------------------------------------


def _table_features(table) -> tuple:
    """(geometries, property dicts) of a FeatureTable-like object."""
    cols = table.columns if hasattr(table, "columns") else {}
    names = list(cols)
    props = []
    for i in range(len(table)):
        row = {}
        for n in names:
            v = cols[n][i]
            row[n] = v.item() if isinstance(v, np.generic) else v
        props.append(row)
    return list(table.geometry), props


def _write_geo(ctx, geoms, props, output):
    write_features(geoms, props, output)
    log.info("%d features written to %s", len(props), output)


@cli.command()
@click.argument("inputs", nargs=-1, type=InputFile("features"))
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A point as a place name or "lon,lat" (repeatable).',
)
@click.option(
    "-d",
    "--distance",
    "dist",
    type=Length(zero_ok=True),
    required=True,
    help='Buffer distance, e.g. "10 km".',
)
@click.option(
    "--tolerance",
    type=Length(),
    help='Largest departure from the true buffer, e.g. "10 m" (default 0.1 %).',
)
@click.option("--dissolve", is_flag=True, help="Merge all buffers into one geometry.")
@output_option
@click.pass_context
def buffer(ctx, inputs, site_places, dist, tolerance, dissolve, output):
    """Geodesic buffers of points, lines or polygons (GeoJSON or GeoPackage out).

    Every input feature is buffered by the same distance on the WGS84
    ellipsoid (never in degrees); properties are kept and buffer_m added.
    Output is GeoJSON (stdout or .geojson) or a GeoPackage (.gpkg).

    \b
    Examples:
        geoconflict buffer sites.geojson --distance "10 km" -o zones.geojson
        geoconflict buffer --site "Abu Kamal" -d "5 nmi" > zone.geojson
    """
    gc = _module("geoconflict.geodesy.buffers", "buffer")
    feats = _sites(inputs, site_places, what="features")
    geoms = np.array([f.geometry for f in feats], dtype=object)
    out = gc.buffer(geoms, dist, tolerance_m=tolerance)
    lost = [
        i
        for i, (g, b) in enumerate(zip(geoms, out))
        if g is not None and not g.is_empty and (b is None or b.is_empty)
    ]
    if lost and dist > 0:
        raise GeoconflictError(
            f"the buffer of feature {lost[0] + 1} came back empty (a geoconflict bug: "
            "please report it with the input); nothing was written"
        )
    props = [{**f.properties, "buffer_m": dist} for f in feats]
    if dissolve:
        out = [shapely.union_all(np.asarray(out, dtype=object))]
        props = [{"buffer_m": dist, "n_features": len(feats)}]
    _write_geo(ctx, list(out), props, output)


@cli.command()
@click.argument("inputs", nargs=-1, type=InputFile("features"))
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A centre as a place name or "lon,lat" (repeatable).',
)
@click.option(
    "-r",
    "--radii",
    type=Lengths(increasing=True),
    help='Increasing radii, e.g. "100, 200, 300 km".',
)
@click.option(
    "--system",
    help="Draw the claimed ranges of this weapon/platform from the range catalog.",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=InputFile("range claims (TOML/CSV)"),
    help="Range catalog (TOML/CSV); default: the shipped example.",
)
@click.option(
    "--policy",
    default="all",
    show_default=True,
    help='Which claims: all, max, min or "source=TEXT".',
)
@click.option("--kind", type=click.Choice(["band", "disk", "line"]), default="band", show_default=True,
              help="band: one polygon per ring; disk: full disks; line: the circles.")  # fmt: skip
@click.option(
    "--unit", "label_unit", type=Unit(), help="Unit of the labels (default automatic)."
)
@output_option
@click.pass_context
def rings(
    ctx,
    inputs,
    site_places,
    radii,
    system,
    catalog_path,
    policy,
    kind,
    label_unit,
    output,
):
    """Geodesic range rings around sites (one feature per site and radius).

    Radii are distances on the ellipsoid; each ring has inner_m, outer_m and a
    label such as "100 km".  Rings crossing the antimeridian are cut there.

    With --system, the rings are the ranges *claimed* for a weapon or platform
    in the range catalog, one annulus per claim with its source (the library
    never asserts one true range).

    \b
    Examples:
        geoconflict rings --site "Al-Tanf" --radii "100, 200, 300 km" -o rings.geojson
        geoconflict rings launch_sites.csv -r "50 nmi" --kind line > rings.geojson
        geoconflict rings --site "38.6,33.5" --system Tochka-U --policy max
    """
    ranges = _module("geoconflict.geodesy.ranges", "rings")
    if bool(radii) == bool(system):
        raise click.UsageError("give either --radii or --system")
    feats = _sites(inputs, site_places, what="centres")
    lon, lat = features_lonlat(feats)
    if system:
        rc = _module("geoconflict.analysis.range_catalog", "--system")
        catalog = rc.load_catalog(catalog_path) if catalog_path else None
        table = rc.reach(
            np.column_stack([lon, lat]), system, catalog=catalog, policy=policy
        )
    else:
        table = ranges.range_rings(lon, lat, radii, kind=kind, unit=label_unit)
    geoms, props = _table_features(table)
    for p in props:
        p["site_name"] = feats[int(p["site"])].name
    _write_geo(ctx, geoms, props, output)


@cli.command()
@click.argument("inputs", nargs=-1, type=InputFile("features"))
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A centre as a place name or "lon,lat" (repeatable).',
)
@click.option(
    "--from",
    "az_from",
    type=Number(float, what="an azimuth in degrees", example="45"),
    required=True,
    help="Start azimuth, degrees clockwise from true north.",
)
@click.option(
    "--to",
    "az_to",
    type=Number(float, what="an azimuth in degrees", example="45"),
    required=True,
    help="End azimuth (the fan sweeps clockwise).",
)
@click.option(
    "--min",
    "lo",
    type=Length(zero_ok=True),
    default="0 m",
    show_default=True,
    help='Inner range, e.g. "10 km".',
)
@click.option(
    "--max", "hi", type=Length(), required=True, help='Outer range, e.g. "50 km".'
)
@output_option
@click.pass_context
def fan(ctx, inputs, site_places, az_from, az_to, lo, hi, output):
    """Draw a range fan (sector of an annulus) around sites, swept clockwise.

    Azimuths are degrees clockwise from true north (wrapped to 0–360);
    ranges are geodesic distances.

    \b
    Example:
        geoconflict fan --site "Al-Tanf" --from 20 --to 80 --max "300 km" -o fan.geojson
    """
    ranges = _module("geoconflict.geodesy.ranges", "fan")
    feats = _sites(inputs, site_places, what="centres")
    lon, lat = features_lonlat(feats)
    table = ranges.range_fan(lon, lat, az_from, az_to, lo, hi)
    geoms, props = _table_features(table)
    for p in props:
        p["site_name"] = feats[int(p["site"])].name
    _write_geo(ctx, geoms, props, output)


# --------------------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------------------

_IMPORT_KINDS = ("auto", "acled", "ucdp", "events")


@cli.command("import")
@click.argument("source", type=InputFile("events (ACLED, UCDP or generic)"))
@click.option("--kind", type=click.Choice(_IMPORT_KINDS), default="auto", show_default=True,
              help="Input layout: ACLED export, UCDP GED CSV, or generic events (CSV with "
              "lat/lon, DMS or MGRS; GeoJSON; GeoPackage). auto: from the columns.")  # fmt: skip
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Output .gpkg, .geojson (native, lossless), .kml or .shp.",
)
@click.option(
    "--rejected",
    "rejected_path",
    type=OutputPath(),
    help="Write the rejected/flagged rows here (.csv or .md).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if any row was rejected (flagged rows are kept and do not count).",
)
def import_(source, kind, output, rejected_path, strict):
    """Import events (ACLED, UCDP GED, CSV with lat/lon, DMS or MGRS) to GPKG/GeoJSON.

    Every row that cannot be used is reported (file, row, column, value,
    reason) on standard error or in --rejected; none disappears silently.

    \b
    Examples:
        geoconflict import acled.csv -o events.gpkg --rejected rejected.csv
        geoconflict import ged.csv --kind ucdp -o events.geojson
        geoconflict import sites_mgrs.csv -o sites.gpkg
    """
    eventio = _module("geoconflict.io.events", "import")
    ext = os.path.splitext(output)[1].lower()
    if ext not in (".gpkg", ".geojson", ".json", ".kml", ".shp"):
        raise GeoconflictError(
            f"-o {output}: write events to a .gpkg, .geojson, .kml or .shp file"
        )
    with stdin_as_file(source, what="events") as path:
        if kind == "auto":
            kind = _sniff_kind(path)
        reader = {
            "acled": eventio.read_acled,
            "ucdp": eventio.read_ucdp_ged,
            "events": eventio.read_events,
        }[kind]
        es = reader(path)
    rejected = getattr(es, "rejected", None)
    n_rej = len(rejected) if rejected is not None else 0
    eventio.write_events(es, output)
    counts = rejected.counts()
    click.echo(
        f"{len(es)} events from {source} ({kind}) written to {output}; "
        f"{rejected.summary()}",
        err=True,
    )
    if n_rej:
        if rejected_path:
            text = (
                rejected.to_markdown()
                if rejected_path.endswith(".md")
                else rejected.to_csv()
            )
            with open(rejected_path, "w", encoding="utf-8") as fh:
                fh.write(text)
            click.echo(
                f"rejected and flagged rows listed in {rejected_path} (its action "
                "column tells them apart)",
                err=True,
            )
        else:
            click.echo(
                "rejected and flagged rows (action column; use --rejected FILE "
                "for the table):",
                err=True,
            )
            click.echo(rejected.to_csv(), err=True, nl=False)
    if strict and counts["rejected"]:
        raise GeoconflictError(
            f"{counts['rejected']} rows of {source} were rejected (--strict; "
            f"{counts['flagged']} flagged rows were kept)"
        )


def _sniff_kind(path: str) -> str:
    if os.path.splitext(path)[1].lower() not in (".csv", ".txt", ".json", ".xlsx"):
        return "events"
    if path.lower().endswith(".xlsx"):
        return "acled"
    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", "replace").lower()
    if "event_id_cnty" in head:
        return "acled"
    if "where_prec" in head or "date_prec" in head:
        return "ucdp"
    return "events"


# --------------------------------------------------------------------------------------
# zone, borders
# --------------------------------------------------------------------------------------


@cli.command()
@click.argument("countries", nargs=2)
@click.option(
    "-w",
    "--width",
    type=Length(),
    required=True,
    help='Distance from the border line, e.g. "10 km".',
)
@click.option(
    "--side",
    help="Keep the strip on this country's side only (e.g. SYR); default both.",
)
@click.option("--dataset", type=click.Choice(["ne", "osm"]), default="ne", show_default=True,
              help="Border dataset: Natural Earth 10m or OpenStreetMap-derived.")  # fmt: skip
@output_option
def zone(countries, width, side, dataset, output):
    """Draw the geodesic strip along the border of two countries (one side or both).

    The strip holds every point within --width of the border line, measured
    on the ellipsoid, clipped to the two countries (or to --side).

    \b
    Examples:
        geoconflict zone IRQ SYR --width "10 km" --side SYR -o strip.geojson
        geoconflict zone Iraq Syria -w "5 nmi" -o strip.gpkg
    """
    borders = _module("geoconflict.geography.borders", "zone")
    w = width
    geom = borders.border_zone(
        countries[0], countries[1], w, side=side, dataset=dataset
    )
    from geoconflict.geodesy.measurement import area

    props = {
        "countries": f"{countries[0]}–{countries[1]}",
        "side": side or "both",
        "width_m": w,
        "dataset": dataset,
        "area_km2": round(float(area(geom)) / 1e6, 3),
        "label": f"{format_length(w)} strip along the {countries[0]}–{countries[1]} border",
    }
    write_features([geom], [props], output)


@cli.command()
@click.argument("countries", nargs=-1)
@click.option("--at", "at_files", type=InputFile("points"), multiple=True,
              help="Instead: tell the country, province and disputes at the points of this file.")  # fmt: skip
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='With --at: a point as a place or "lon,lat".',
)
@click.option("--dataset", type=click.Choice(["ne", "osm"]), default="ne", show_default=True,
              help="Border dataset: Natural Earth 10m or OpenStreetMap-derived.")  # fmt: skip
@format_option()
@output_option
def borders(countries, at_files, site_places, dataset, fmt, output):
    """Show borders between countries, or which country/province points are in.

    With two countries: their shared border line (GeoJSON, geodesic length in
    meters).  With one: every border of that country.  With --at/--site: the
    country (with any dispute: "held by X, claimed by Y") and province at each
    point, as a table.

    \b
    Examples:
        geoconflict borders IRQ SYR -o border.geojson
        geoconflict borders Syria --format markdown
        geoconflict borders --site "35.69,32.99" --site "Abu Kamal"
    """
    mod = _module("geoconflict.geography.borders", "borders")
    from geoconflict.geodesy.measurement import length

    if at_files or site_places:
        feats = _sites(at_files, site_places, what="points")
        lon, lat = features_lonlat(feats)
        iso = np.atleast_1d(
            np.asarray(mod.country_at(lon, lat, dataset=dataset), dtype=object)
        )
        status = np.atleast_1d(
            np.asarray(
                mod.country_at(lon, lat, dataset=dataset, status=True), dtype=object
            )
        )
        prov = np.atleast_1d(np.asarray(mod.province_at(lon, lat), dtype=object))
        rows = [
            {"site": f.name or f"site {i + 1}", "lon": lon[i], "lat": lat[i], "country": iso[i],
             "status": status[i], "province": prov[i]}
            for i, f in enumerate(feats)
        ]  # fmt: skip
        _write_rows(rows, fmt, output, [f.geometry for f in feats])
        return
    if len(countries) == 2:
        line = mod.border(countries[0], countries[1], dataset=dataset)
        pairs = [(countries[1], line)]
        a = countries[0]
    elif len(countries) == 1:
        a = countries[0]
        pairs = sorted(mod.borders_of(a, dataset=dataset).items())
    else:
        raise click.UsageError("give one or two countries, or --at FILE / --site")
    rows, geoms = [], []
    for b, g in pairs:
        rows.append(
            {"a": a, "b": b, "dataset": dataset, "length_m": round(float(length(g)), 3)}
        )
        geoms.append(g)
    fmt = fmt or (
        "geojson"
        if len(countries) == 2 or format_from_path(output) == "geojson"
        else format_from_path(output)
    )
    _write_rows(rows, fmt, output, geoms)


# --------------------------------------------------------------------------------------
# check-claims
# --------------------------------------------------------------------------------------


@cli.command("check-claims")
@click.argument("events", required=False, type=InputFile("events"))
@click.option(
    "--example",
    is_flag=True,
    help="Check the bundled al-Bukamal example instead of a file.",
)
@format_option()
@output_option
def check_claims_cmd(events, example, fmt, output):
    """Compare the distances stated in reports with the geometry.

    Each stated distance ("about 3 km from the border") is compared with the
    measured one using every uncertainty — the phrase's rounding, the site's
    location precision and the border dataset's accuracy — and reported as
    consistent, inconsistent or cannot tell, with the numbers and the reason.
    EVENTS is a geoconflict events file (native GeoJSON, GeoPackage, or any
    file `geoconflict import` reads).

    \b
    Examples:
        geoconflict check-claims --example --format markdown
        geoconflict check-claims events.geojson -o claims.csv
    """
    gc = importlib.import_module("geoconflict")
    if not hasattr(gc, "check_claims"):
        raise GeoconflictError(
            "check-claims needs geoconflict.check_claims; upgrade geoconflict"
        )
    if bool(events) == bool(example):
        raise click.UsageError("give an events file or --example")
    if example:
        es = gc.load_example()
    else:
        eventio = _module("geoconflict.io.events", "check-claims")
        with stdin_as_file(events, what="events") as path:
            es = eventio.read_events(path)
    table = gc.check_claims(es)
    rows = [dict(r) for r in table]
    if not rows:
        raise GeoconflictError(
            f"{events or 'the example'}: no stated distances to check (no distance claims)"
        )
    geoms = [r.pop("geometry", None) for r in rows]
    _write_rows(rows, fmt, output, geoms)


# --------------------------------------------------------------------------------------
# within, nearest, exposure
# --------------------------------------------------------------------------------------


def _xy(feats) -> np.ndarray:
    lon, lat = features_lonlat(feats)
    return np.column_stack([lon, lat])


@cli.command()
@click.argument("points", nargs=-1, type=InputFile("points"))
@click.option(
    "--of",
    "centre_files",
    type=InputFile("centres"),
    multiple=True,
    help="Centres: a file of points (repeatable).",
)
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A centre as a place name or "lon,lat" (repeatable).',
)
@click.option(
    "--geometry",
    "geometry_file",
    type=InputFile("geometries"),
    help="Instead of centres: within the distance of these geometries.",
)
@click.option(
    "-r",
    "--radius",
    type=Length(zero_ok=True),
    required=True,
    help='Distance, e.g. "10 km".',
)
@unit_option
@format_option()
@output_option
def within(points, centre_files, site_places, geometry_file, radius, unit, fmt, output):
    """Which points lie within a distance of centres (or of a geometry).

    One row per (point, centre) pair closer than --radius (exact geodesic
    test, boundary included), sorted by centre then point; with --geometry,
    one row per point within --radius of the union of that file's geometries.

    \b
    Examples:
        geoconflict within events.csv --site "Al-Tanf" --radius "55 km"
        geoconflict within events.geojson --of bases.csv -r "10 km" --format markdown
        geoconflict within events.csv --geometry zone.geojson -r "0 m"
    """
    r = radius
    factor = unit_factor(unit)
    pts = _sites(points, (), what="points")
    lon, lat = features_lonlat(pts)
    rows, geoms = [], []
    if geometry_file:
        if centre_files or site_places:
            raise click.UsageError("give centres (--of/--site) or --geometry, not both")
        gs = [f.geometry for f in read_features(geometry_file, what="geometry")]
        geometry = shapely.union_all([g for g in gs if g is not None])
        res = _distance_to(lon, lat, geometry)
        d = np.atleast_1d(res.distance)
        for i in np.flatnonzero(d <= r):
            rows.append({"point": pts[i].name or f"point {i + 1}", "lon": lon[i], "lat": lat[i],
                         "target": os.path.basename(geometry_file), "distance_m": round(float(d[i]), 3),
                         f"distance_{unit}": round(float(d[i]) / factor, 3)})  # fmt: skip
            geoms.append(pts[i].geometry)
    else:
        centres = _sites(centre_files, site_places, what="centres")
        clon, clat = features_lonlat(centres)
        exp = _module("geoconflict.analysis.exposure", "within")
        pairs = exp.pairs_within(lon, lat, clon, clat, r)
        for i, j, d in zip(pairs.point_index, pairs.center_index, pairs.distance):
            rows.append({"point": pts[i].name or f"point {i + 1}", "lon": lon[i], "lat": lat[i],
                         "centre": centres[j].name or f"centre {j + 1}", "distance_m": round(float(d), 3),
                         f"distance_{unit}": round(float(d) / factor, 3)})  # fmt: skip
            geoms.append(pts[i].geometry)
    if not rows:
        log.warning("no point lies within %s", format_length(r))
    target = "target" if geometry_file else "centre"
    columns = ["point", "lon", "lat", target, "distance_m", f"distance_{unit}"]
    _write_rows(rows, fmt, output, geoms, columns=columns)


@cli.command()
@click.argument("points", type=InputFile("points"))
@click.argument("candidates", type=InputFile("candidates"))
@click.option(
    "-k",
    type=Number(int, minimum=1, what="a count", example="3"),
    default=1,
    show_default=True,
    help="Neighbours per point.",
)
@click.option(
    "--max-distance",
    type=Length(zero_ok=True),
    help='Ignore neighbours farther than this, e.g. "50 km".',
)
@unit_option
@format_option()
@output_option
def nearest(points, candidates, k, max_distance, unit, fmt, output):
    """Each point's k nearest candidates by exact geodesic distance.

    POINTS and CANDIDATES are files of points (or - for one of them).  One row
    per (point, rank); distances in meters and in --unit.

    \b
    Examples:
        geoconflict nearest strikes.csv bases.geojson
        geoconflict nearest strikes.csv towns.csv -k 3 --max-distance "50 km" --format markdown
    """
    exp = _module("geoconflict.analysis.exposure", "nearest")
    factor = unit_factor(unit)
    a = read_features(points, what="points")
    b = read_features(candidates, what="candidates")
    res = exp.nearest(_xy(a), _xy(b), k=k, max_distance=max_distance)
    idx = np.asarray(res.index).reshape(len(a), -1)
    dist = np.asarray(res.distance, dtype=float).reshape(len(a), -1)
    rows, geoms = [], []
    for i, f in enumerate(a):
        for rank in range(idx.shape[1]):
            j, d = int(idx[i, rank]), float(dist[i, rank])
            if j < 0 or not math.isfinite(d):
                continue
            g = b[j].geometry
            rows.append({"point": f.name or f"point {i + 1}", "rank": rank + 1,
                         "nearest": b[j].name or f"candidate {j + 1}", "nearest_lon": g.x if g.geom_type == "Point" else None,
                         "nearest_lat": g.y if g.geom_type == "Point" else None, "distance_m": round(d, 3),
                         f"distance_{unit}": round(d / factor, 3)})  # fmt: skip
            geoms.append(f.geometry)
    _write_rows(rows, fmt, output, geoms)


@cli.command()
@click.argument("events", type=InputFile("events"))
@click.argument("sites", required=False, type=InputFile("sites"))
@click.option(
    "--site",
    "site_places",
    type=Place(),
    multiple=True,
    help='A site as a place name or "lon,lat" (repeatable).',
)
@click.option("-r", "--rings", "radii", type=Lengths(increasing=True), default="1, 2, 5 km",
              show_default=True, help="Increasing ring radii.")  # fmt: skip
@click.option(
    "--weight", help="Sum this numeric column of EVENTS per ring (e.g. fatalities)."
)
@click.option(
    "--cumulative", is_flag=True, help="Rings are disks [0, r] instead of bands."
)
@format_option()
@output_option
def exposure(events, sites, site_places, radii, weight, cumulative, fmt, output):
    """Count events (and sum a column) in geodesic rings around each site.

    Rings are bands between consecutive radii (the first is a disk) unless
    --cumulative; distances are geodesic on WGS84.

    \b
    Examples:
        geoconflict exposure events.csv sites.geojson --rings "1, 2, 5 km"
        geoconflict exposure events.csv --site "Abu Kamal" -r "5, 10, 25 km" --weight fatalities
    """
    exp = _module("geoconflict.analysis.exposure", "exposure")
    ev = read_features(events, what="events")
    st = _sites((sites,) if sites else (), site_places, what="sites")
    weights = None
    if weight:
        vals = []
        for i, f in enumerate(ev, start=1):
            v = f.properties.get(weight)
            if v is None and weight not in f.properties:
                raise GeoconflictError(
                    f"{events}: no column {weight!r} (row {i}); columns: {', '.join(map(str, f.properties)) or 'none'}"
                )
            try:
                vals.append(float(v) if v not in (None, "") else math.nan)
            except (TypeError, ValueError):
                raise GeoconflictError(
                    f"{events}, row {i}, column {weight!r}: {v!r} is not a number"
                ) from None
        weights = np.asarray(vals)
    res = exp.exposure(_xy(ev), _xy(st), radii, weights=weights, cumulative=cumulative)
    cols = res.as_dict(prefix="events", weight_name=weight or "weight")
    rows = []
    for i, f in enumerate(st):
        row = {
            "site": f.name or f"site {i + 1}",
            "lon": f.geometry.x,
            "lat": f.geometry.y,
        }
        for name, values in cols.items():
            v = values[i]
            row[name] = v.item() if isinstance(v, np.generic) else v
        rows.append(row)
    _write_rows(rows, fmt, output, [f.geometry for f in st])


# --------------------------------------------------------------------------------------
# raster
# --------------------------------------------------------------------------------------


@cli.command()
@click.argument("kind", type=click.Choice(["distance", "density", "zones", "sample"]))
@click.argument("inputs", nargs=-1, type=InputFile("features (or a raster)"))
@click.option(
    "--border",
    type=CountryPair(),
    help="distance: to the border of two countries, e.g. IRQ,SYR.",
)
@click.option(
    "--bounds",
    type=BBox(),
    help='Grid extent "west,south,east,north" (default: the data + 10 %).',
)
@click.option(
    "--resolution",
    type=Number(float, positive=True, what="degrees", example="0.01"),
    help="Cell size in degrees (default: 500 cells across).",
)
@click.option(
    "--bandwidth", type=Length(), help='density: kernel bandwidth, e.g. "5 km".'
)
@click.option(
    "--kernel",
    type=click.Choice(["gaussian", "quartic"]),
    default="gaussian",
    show_default=True,
)
@click.option("--weight", help="density: sum this numeric column instead of counting.")
@click.option("--cog", is_flag=True, help="Write a Cloud-Optimized GeoTIFF.")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    help="Output GeoTIFF (sample: the table, default stdout).",
)
@format_option()
@click.pass_context
def raster(
    ctx,
    kind,
    inputs,
    border,
    bounds,
    resolution,
    bandwidth,
    kernel,
    weight,
    cog,
    output,
    fmt,
):
    """Rasters: geodesic distance, event density, zones; or sample a raster at sites.

    distance: meters from each cell centre to the geometries of INPUTS (or to
    --border), geodesic.  density: kernel density of the points of INPUTS in
    events per km², bandwidth in meters.  zones: polygons burnt as 1, 2, 3...
    sample: INPUTS = RASTER SITES, a table of the raster's value at each site.

    \b
    Examples:
        geoconflict raster distance --border IRQ,SYR --bounds 38,32,43,36 -o dist.tif
        geoconflict raster density events.csv --bandwidth "5 km" --resolution 0.01 -o kde.tif
        geoconflict raster zones rings.geojson --bounds 36,31,42,36 -o zones.tif --cog
        geoconflict raster sample dist.tif sites.csv --format markdown
    """
    rmod = _module("geoconflict.raster", "raster")
    if kind == "sample":
        if len(inputs) != 2:
            raise click.UsageError("raster sample needs RASTER SITES")
        src, sites_path = inputs
        feats = read_features(sites_path, what="sites")
        try:
            values = np.atleast_1d(rmod.sample(src, _xy(feats)))
        except GeoconflictError:
            raise
        except Exception as exc:  # rasterio raises several classes for unreadable files
            raise GeoconflictError(
                f"{src}: cannot be read as a raster ({_one_line(exc)}); give a GeoTIFF"
            ) from None
        rows = [{"site": f.name or f"site {i + 1}", "lon": f.geometry.x, "lat": f.geometry.y,
                 "value": float(v)} for i, (f, v) in enumerate(zip(feats, values))]  # fmt: skip
        _write_rows(rows, fmt, output or "-", [f.geometry for f in feats])
        return
    if not output:
        raise click.UsageError("give -o FILE.tif")
    if os.path.splitext(output)[1].lower() not in (".tif", ".tiff"):
        raise GeoconflictError(f"-o {output}: write rasters to a .tif file")
    geoms = []
    feats: list = []
    for src in inputs:
        feats.extend(read_features(src, what="features"))
    geoms = [f.geometry for f in feats if f.geometry is not None]
    if kind == "distance" and border:
        borders = _module("geoconflict.geography.borders", "--border")
        geoms.append(borders.border(*border))
    if not geoms:
        raise click.UsageError("give input files (or --border for distance)")
    if bounds is None:
        w, s, e, n = shapely.total_bounds(np.asarray(geoms, dtype=object))
        pad_x, pad_y = max(0.1 * (e - w), 0.05), max(0.1 * (n - s), 0.05)
        bounds = (w - pad_x, max(s - pad_y, -90.0), e + pad_x, min(n + pad_y, 90.0))
    if resolution is None:
        resolution = (bounds[2] - bounds[0]) / 500.0
    ncells = ((bounds[2] - bounds[0]) / resolution) * (
        (bounds[3] - bounds[1]) / resolution
    )
    if ncells > 5e7:
        raise GeoconflictError(
            f"--resolution {resolution}: the grid would have {ncells:.3g} cells; use a coarser resolution"
        )
    if kind == "distance":
        r = rmod.distance_raster(
            shapely.union_all(np.asarray(geoms, dtype=object)),
            bounds,
            resolution=resolution,
        )
    elif kind == "density":
        if bandwidth is None:
            raise click.UsageError("density needs --bandwidth, e.g. '5 km'")
        h = bandwidth
        weights = None
        if weight:
            weights = np.array(
                [
                    _number(f.properties.get(weight), weight, i)
                    for i, f in enumerate(feats, 1)
                ]
            )
        r = rmod.event_density(
            _xy(feats),
            bounds,
            bandwidth_m=h,
            weights=weights,
            kernel=kernel,
            resolution=resolution,
        )
    else:
        r = rmod.rasterize_zones(
            np.asarray(geoms, dtype=object), bounds, resolution=resolution
        )
    r.write(output, cog=cog)
    click.echo(output)


def _number(v, column: str, row: int) -> float:
    if v in (None, ""):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        raise GeoconflictError(
            f"row {row}, column {column!r}: {v!r} is not a number"
        ) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
