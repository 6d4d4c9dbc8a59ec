"""The command line's shared value types and options (like rasterio's ``rio/options.py``).

Option values (lengths, places, boxes, numbers, units, files) are read and
checked here, while the command line is parsed: NaN, infinity, a negative
length, an empty value or a latitude beyond ±90 never reach a command.  A bad
value is an exit code 1 with one line on standard error, ``Error: --option
'value': what to do`` (see :func:`bad_value_line`).

Lengths are returned in meters, coordinates as (lon, lat) degrees WGS84.
Plugins (entry-point group ``geoconflict.cli_plugins``) may use these types and
options for their own commands.
"""

from __future__ import annotations

import math
import os
from typing import Any, Optional

import click

from geoconflict.errors import (
    BoundaryNotFoundError,
    CoordinateError,
    DataFormatError,
    GeoconflictError,
    UnitError,
)
from geoconflict.io.features import FORMATS, Feature, lonlat_problem, resolve_place
from geoconflict.units import (
    UNITS,
    check_lengths,
    parse_length,
    parse_lengths,
    unit_factor,
)

__all__ = [
    "BBox",
    "CountryPair",
    "Extent",
    "InputFile",
    "Length",
    "Lengths",
    "Number",
    "OutputPath",
    "Place",
    "Unit",
    "bad_value_line",
    "dataset_option",
    "format_option",
    "one_line",
    "output_option",
    "site_option",
    "unit_option",
]


def one_line(exc: BaseException) -> str:
    """Return the message of `exc` on one line (its type name if it has none)."""
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


class _Value(click.ParamType):
    """Base of the CLI's value types: a bad value is refused while parsing.

    Subclasses implement ``parse(text)`` and raise a GeoconflictError saying what
    is wrong and what to do.  Empty text is refused here.  The group prints any
    bad value as one line, ``Error: --option 'value': what to do``, with exit
    code 1 (see :func:`bad_value_line`).
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
            msg = one_line(exc)
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
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
        return _check_length(_parse_length(text), zero_ok=self.zero_ok)


class Lengths(_Value):
    """Lengths ``"100 km, 200 km"`` or ``"100, 200 km"`` (:func:`~geoconflict.units.parse_lengths`), meters.

    Each finite and more than zero; strictly increasing when `increasing`.
    """

    name = "lengths"
    example = "lengths with a unit, e.g. '100, 200 km'"

    def __init__(self, *, increasing: bool = False) -> None:
        self.increasing = increasing

    def parse(self, text: str) -> list:
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
        values = parse_lengths(text)
        check_lengths(values, "lengths", increasing=self.increasing)
        return [float(v) for v in values]


class Place(_Value):
    """A place name or ``"lon,lat"`` degrees (WGS84), as a point Feature."""

    name = "place"
    example = "a place name or lon,lat, e.g. '40.92,34.45'"

    def parse(self, text: str) -> Feature:
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
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
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
        box = _bbox(text)
        if box is None:
            raise CoordinateError(f"is not four numbers; give {self.example}")
        return box


class Extent(_Value):
    """``auto`` (None), a box ``"w,s,e,n"`` or a place (its (lon, lat) centre)."""

    name = "extent"
    example = "auto, a place name, or west,south,east,north, e.g. '38,32,43,36'"

    def parse(self, text: str):
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
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
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
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
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
        unit_factor(text)
        return text


class CountryPair(_Value):
    """Two countries ``"IRQ,SYR"`` (codes or names; ``/`` or ``-`` also separate them)."""

    name = "countries"
    example = "two countries, e.g. IRQ,SYR"

    def parse(self, text: str) -> list:
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
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
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
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
        """Return the value `text` stands for; a GeoconflictError says what is wrong."""
        return text

    shell_complete = InputFile.shell_complete


def bad_value_line(exc: click.BadParameter) -> str:
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
# Shared options
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
    "the columns ending in _m stay in meters.",
)


def site_option(help: str = 'A site as a place name or "lon,lat" (repeatable).'):
    """``--site PLACE`` (repeatable): points given by name or ``"lon,lat"`` degrees."""
    return click.option("--site", "site_places", type=Place(), multiple=True, help=help)


def dataset_option(what: str = "Border dataset"):
    """``--dataset ne|osm``: Natural Earth 10m or the OpenStreetMap-derived borders."""
    return click.option(
        "--dataset",
        type=click.Choice(["ne", "osm"]),
        default="ne",
        show_default=True,
        help=f"{what}: Natural Earth 10m or OpenStreetMap-derived.",
    )
