"""Every command x every value option x bad values: refused at parse time, in one line.

The command line's convention (see ``geoconflict.cli.main`` and ``.options``): a bad option value
(NaN, infinity, a negative or zero length, an empty text, a file name or a
word where a number is wanted, a latitude beyond ±90) exits with code 1 and
exactly one line on standard error, ``Error: --option 'value': what to do``;
never a traceback, never exit 0 with empty output.  A missing required option
is a usage error (exit 2, with the usage).

The commands and their options are read from the click group, so a new command
or option is covered (or the test says what to add) without editing a list.
"""

import math
import re

import pytest

click = pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from geoconflict.cli import options as cli_mod  # noqa: E402
from geoconflict.cli.main import cli  # noqa: E402
from geoconflict.errors import CoordinateError  # noqa: E402

ABU_KAMAL = (40.91854, 34.45226)

#: per command: arguments that make a valid call (the bad option is added to them)
MINIMAL = {
    "info": [],
    "demo": ["--out", "{dir}/demo", "--no-html"],
    "places": ["Abu Kamal"],
    "distance": ["{sites}", "--to", "Abu Kamal"],
    "within": ["{sites}", "--site", "Abu Kamal", "-r", "5 km"],
    "nearest": ["{sites}", "{sites}"],
    "exposure": ["{sites}", "{sites}"],
    "buffer": ["{sites}", "-d", "10 km"],
    "rings": ["{sites}", "-r", "10, 20 km"],
    "fan": ["{sites}", "--from", "0", "--to", "90", "--max", "10 km"],
    "zone": ["IRQ", "SYR", "-w", "10 km"],
    "borders": ["--site", "40.9,34.45"],
    "import": ["{acled}", "-o", "{dir}/events.geojson"],
    "check-claims": ["--example"],
    "link": ["{acled}", "{acled}", "-o", "{dir}/linked.geojson"],
    "map": ["{sites}", "-o", "{dir}/m.svg"],
    "raster": ["density", "{sites}", "--bandwidth", "5 km", "-o", "{dir}/k.tif"],
}

#: commands whose valid call is slow (rendering, rasters) or needs optional parts
SLOW = {"map", "demo", "raster"}
NEEDS = {
    "zone": "geoconflict.geography.borders",
    "borders": "geoconflict.geography.borders",
    "raster": "rasterio",
}

SCALAR_BAD = ["nan", "inf", "-inf", "-5", "", "{missing}", "abc"]
POINT_BAD = ["nan,nan", "inf,0", "-inf,0", "-5,-95", "", "{missing}", "abc"]
FILE_BAD = ["", "{missing}", "abc", "nan", "{dir}", "{empty}"]
OUTPUT_BAD = ["", "  "]
PAIR_BAD = ["", "IRQ", "nan", "IRQ,SYR,JOR", "{missing}"]
BOX_BAD = ["nan,0,1,1", "0,0,inf,1", "-inf,0,1,1", "-5,-95,5,5", "", "{missing}", "abc"]


def _runner():
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr in by default
    except TypeError:
        return CliRunner()  # click >= 8.2 always keeps stderr apart


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-meta")
    sites = d / "sites.csv"
    sites.write_text(
        f"name,lon,lat\nAbu Kamal,{ABU_KAMAL[0]},{ABU_KAMAL[1]}\nAl Qaim,40.98945,34.39251\n"
    )
    empty = d / "empty.geojson"
    empty.write_text("")
    acled = d / "acled.csv"
    acled.write_text(
        "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,"
        "country,fatalities,event_type\n"
        "SYR1,2019-09-09,1,34.4523,40.9185,1,Syria,0,Explosions/Remote violence\n"
    )
    return {
        "dir": str(d),
        "sites": str(sites),
        "acled": str(acled),
        "empty": str(empty),
        "missing": str(d / "no-such-file.geojson"),
    }


def _fill(args, files):
    return [a.format(**files) for a in args]


def _value_options(cmd: click.Command) -> list:
    """The options of `cmd` with a checked value: length, place, box, number, file..."""
    return [
        p
        for p in cmd.params
        if isinstance(p, click.Option) and isinstance(p.type, cli_mod._Value)
    ]


def _bad_values(ptype) -> list:
    """The bad values for an option of type `ptype` (each must be refused)."""
    if isinstance(ptype, (cli_mod.Place, cli_mod.Extent)):
        return POINT_BAD
    if isinstance(ptype, cli_mod.BBox):
        return BOX_BAD
    if isinstance(ptype, cli_mod.InputFile):
        return FILE_BAD
    if isinstance(ptype, cli_mod.OutputPath):
        return OUTPUT_BAD
    if isinstance(ptype, cli_mod.CountryPair):
        return PAIR_BAD
    if isinstance(ptype, cli_mod.Number):
        lowest = ptype.minimum if ptype.minimum is not None else -math.inf
        negative_ok = not ptype.positive and lowest <= -5
        return [v for v in SCALAR_BAD if not (negative_ok and v == "-5")]
    return SCALAR_BAD


CASES = [
    (name, p.name, value)
    for name, cmd in sorted(cli.commands.items())
    for p in _value_options(cmd)
    for value in _bad_values(p.type)
]


def _option(cmd_name: str, param_name: str) -> click.Option:
    return next(p for p in cli.commands[cmd_name].params if p.name == param_name)


# ---- the table stays complete ----------------------------------------------------


def test_every_command_has_minimal_args():
    missing = sorted(set(cli.commands) - set(MINIMAL))
    assert not missing, f"add minimal valid arguments for {missing} to MINIMAL"
    assert not set(MINIMAL) - set(cli.commands), "MINIMAL names a removed command"


def test_the_cases_cover_every_value_option():
    covered = {(c, p) for c, p, _ in CASES}
    assert len(covered) >= 59  # 59 when written; a drop means options lost their type
    for name in ("distance", "within", "fan", "map", "raster", "nearest", "rings"):
        assert any(c == name for c, _ in covered), name


def test_no_option_parses_numbers_with_clicks_own_types():
    """Numbers go through the shared types (click's FLOAT/INT let NaN and inf through)."""
    for name, cmd in cli.commands.items():
        for p in cmd.params:
            assert not isinstance(
                p.type, (click.types.FloatParamType, click.types.IntParamType)
            ), f"{name} {p.name}: use cli.Number/Length, not click's {p.type!r}"


_VALUE_HELP = re.compile(
    r'lon,lat|west,south|azimuth|e\.g\. "?-?[\d.]+\s*(?:m|km|nmi|mi|ft|yd)\b', re.I
)


def test_options_that_take_lengths_or_places_use_the_shared_types():
    for name, cmd in cli.commands.items():
        for p in cmd.params:
            if isinstance(p, click.Option) and not p.is_flag:
                if _VALUE_HELP.search(p.help or ""):
                    assert isinstance(p.type, cli_mod._Value), (
                        f"{name} {p.opts}: its help describes a length, place or angle; "
                        "give it a shared type (cli.Length, Lengths, Place, Number...)"
                    )


def test_file_arguments_use_the_shared_type():
    """Positional arguments are files, except the few listed here (names, kinds)."""
    not_files = {("places", "names"), ("zone", "countries"), ("borders", "countries")}
    not_files.add(("raster", "kind"))
    for name, cmd in cli.commands.items():
        for p in cmd.params:
            if isinstance(p, click.Argument) and (name, p.name) not in not_files:
                assert isinstance(p.type, cli_mod.InputFile), (name, p.name)


# ---- bad values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "param", "value"), CASES, ids=[f"{c}-{p}-{v!r}" for c, p, v in CASES]
)
def test_bad_value_is_refused_in_one_line(files, command, param, value):
    opt = _option(command, param)
    flag = max(opt.opts, key=len)
    value = value.format(**files)
    given = [f"{flag}={value}"] if flag.startswith("--") else [flag, value]
    argv = [command, *_fill(MINIMAL[command], files), *given]
    r = _runner().invoke(cli, argv)
    assert r.exit_code == 1, (argv, r.exit_code, r.stdout, r.stderr)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.stdout + r.stderr
    assert r.stdout == "", r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"Error: {flag} {value!r}: "), lines[0]
    assert len(lines[0]) > len(f"Error: {flag} {value!r}: ") + 15, lines[0]


ARG_CASES = [
    (name, value)
    for name, cmd in sorted(cli.commands.items())
    if any(
        isinstance(p, click.Argument) and isinstance(p.type, cli_mod.InputFile)
        for p in cmd.params
    )
    for value in FILE_BAD
]


@pytest.mark.parametrize(("command", "value"), ARG_CASES)
def test_bad_file_argument_is_refused_in_one_line(files, command, value):
    """Each file given as an argument in MINIMAL is replaced by the bad value."""
    value = value.format(**files)
    args = MINIMAL[command]
    argv = [command] + [
        value
        if a.startswith("{") and (i == 0 or not args[i - 1].startswith("-"))
        else a
        for i, a in enumerate(args)
    ]
    if value not in argv:  # no file argument in the minimal call (check-claims)
        argv = [command, value]
    argv = _fill(argv, files)
    r = _runner().invoke(cli, argv)
    assert r.exit_code == 1, (argv, r.stdout, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    names = [
        p.human_readable_name
        for p in cli.commands[command].params
        if isinstance(p, click.Argument)
    ]
    assert any(lines[0].startswith(f"Error: {n} {value!r}: ") for n in names), lines[0]


def test_debug_shows_the_cause_of_a_bad_value():
    r = _runner().invoke(cli, ["--debug", "borders", "--site", "nan,nan"])
    assert r.exit_code == 1
    assert isinstance(r.exception, CoordinateError)


def test_missing_required_option_is_a_usage_error(files):
    r = _runner().invoke(cli, ["within", files["sites"], "--site", "Abu Kamal"])
    assert r.exit_code == 2
    assert "--radius" in r.stderr
    assert "Usage:" in r.stderr


@pytest.mark.parametrize("command", sorted(set(MINIMAL) - SLOW))
def test_minimal_args_are_valid(files, command):
    """The table's calls succeed, so a refusal above is due to the bad value alone."""
    if command in NEEDS:
        pytest.importorskip(NEEDS[command])
    r = _runner().invoke(cli, [command, *_fill(MINIMAL[command], files)])
    assert r.exit_code == 0, (r.stdout, r.stderr)
    assert r.stdout.strip() or command == "import", "exit 0 with empty output"


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(SLOW))
def test_minimal_args_are_valid_slow(files, command):
    if command in NEEDS:
        pytest.importorskip(NEEDS[command])
    r = _runner().invoke(cli, [command, *_fill(MINIMAL[command], files)])
    assert r.exit_code == 0, (r.stdout, r.stderr)
    assert r.stdout.strip()


# ---- the shared types against an independent oracle ------------------------------

_finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=200, deadline=None)
@given(x=_finite_or_not, unit=st.sampled_from(["m", "km", "nmi"]))
def test_length_type_accepts_exactly_the_finite_positive_lengths(x, unit):
    factor = {"m": 1.0, "km": 1000.0, "nmi": 1852.0}[unit]
    text = f"{x!r} {unit}"
    for zero_ok in (False, True):
        ok = (
            math.isfinite(x)
            and math.isfinite(x * factor)
            and (x > 0 or (zero_ok and x == 0))
        )
        if ok:
            got = cli_mod.Length(zero_ok=zero_ok).convert(text, None, None)
            assert got == pytest.approx(x * factor, rel=1e-12)
        else:
            with pytest.raises(click.BadParameter, match=re.escape(repr(text))):
                cli_mod.Length(zero_ok=zero_ok).convert(text, None, None)


@settings(max_examples=200, deadline=None)
@given(lon=_finite_or_not, lat=_finite_or_not)
def test_place_type_accepts_exactly_the_points_in_range(lon, lat):
    text = f"{lon!r},{lat!r}"
    ok = (
        math.isfinite(lon) and math.isfinite(lat) and abs(lat) <= 90 and abs(lon) <= 540
    )
    if ok:
        f = cli_mod.Place().convert(text, None, None)
        assert (f.geometry.x, f.geometry.y) == (lon, lat)
    else:
        with pytest.raises(click.BadParameter, match="not a point"):
            cli_mod.Place().convert(text, None, None)


@settings(max_examples=100, deadline=None)
@given(x=_finite_or_not)
def test_number_types_refuse_non_finite_and_out_of_bounds(x):
    dpi = _option("map", "dpi").type
    resolution = _option("raster", "resolution").type
    azimuth = _option("fan", "az_from").type
    for ptype, ok in (
        (azimuth, math.isfinite(x)),
        (resolution, math.isfinite(x) and x > 0),
    ):
        if ok:
            assert ptype.convert(repr(x), None, None) == x
        else:
            with pytest.raises(click.BadParameter, match=re.escape(repr(repr(x)))):
                ptype.convert(repr(x), None, None)
    if math.isfinite(x):
        n = int(x)
        if 1 <= n <= 2400:
            assert dpi.convert(str(n), None, None) == n
        else:
            with pytest.raises(click.BadParameter, match="dots per inch"):
                dpi.convert(str(n), None, None)
