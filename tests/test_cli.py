"""The geoconflict command line, through click's CliRunner."""

import csv
import io
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

click = pytest.importorskip("click")
from click.testing import CliRunner  # noqa: E402

from geoconflict.cli import helpers as cli_helpers  # noqa: E402
from geoconflict.cli import main as cli_mod  # noqa: E402
from geoconflict.cli.main import cli  # noqa: E402
from geoconflict.geodesy.measurement import inverse  # noqa: E402
from tests.test_geojson import rfc7946_errors  # noqa: E402

ABU_KAMAL = (40.91854, 34.45226)
AL_QAIM = (40.98945, 34.39251)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "name,lat,lon,event_type,attribution_status\n"
        f"Abu Kamal,{ABU_KAMAL[1]},{ABU_KAMAL[0]},Explosions/Remote violence,contested\n"
        f"Al Qaim,{AL_QAIM[1]},{AL_QAIM[0]},Battles,denied\n"
    )
    gj = tmp_path / "sites.geojson"
    gj.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": list(ABU_KAMAL)},
                        "properties": {"name": "Abu Kamal", "event_id": "e1"},
                    },
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": list(AL_QAIM)},
                        "properties": {"name": "Al Qaim", "event_id": "e2"},
                    },
                ],
            }
        )
    )
    empty = tmp_path / "empty.geojson"
    empty.write_text("")
    wrong = tmp_path / "picture.png"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    notgeo = tmp_path / "table.csv"
    notgeo.write_text("a,b\n1,2\n")
    return {
        "sites": str(sites),
        "geojson": str(gj),
        "empty": str(empty),
        "wrong": str(wrong),
        "notgeo": str(notgeo),
        "missing": str(tmp_path / "nope.geojson"),
        "dir": str(tmp_path),
    }


def one_line_error(result, *words):
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for w in words:
        assert w.lower() in lines[0].lower(), lines[0]
    return lines[0]


def test_version(runner):
    from geoconflict import __version__

    r = runner.invoke(cli, ["--version"])
    assert r.exit_code == 0
    assert __version__ in r.output


def test_version_has_one_home():
    """__version__ lives in geoconflict/_version.py: hatch reads it there, the package
    re-exports it, and the CLI/show_versions import it without importing the package."""
    import re
    from pathlib import Path

    import geoconflict
    from geoconflict._show_versions import versions
    from geoconflict._version import __version__

    root = Path(geoconflict.__file__).resolve().parents[1]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    path = re.search(r'\[tool\.hatch\.version\]\npath = "([^"]+)"', pyproject).group(1)
    text = (root / path).read_text(encoding="utf-8")
    assert re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1) == __version__
    assert geoconflict.__version__ == __version__
    assert versions()["geoconflict"] == __version__


def test_info_lists_library_versions(runner):
    import pyproj
    import shapely

    r = runner.invoke(cli, ["info"])
    assert r.exit_code == 0, r.output
    assert shapely.geos_version_string in r.output
    assert pyproj.proj_version_str in r.output
    assert "GDAL" in r.output
    r = runner.invoke(cli, ["info", "--json"])
    data = json.loads(r.output)
    assert data["PROJ"] == pyproj.proj_version_str


def test_every_command_has_help_with_an_example(runner):
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        r = runner.invoke(cli, [name, "--help"])
        assert r.exit_code == 0, (name, r.output)
        assert "Example" in r.output, name
        assert "geoconflict " + name in r.output, name


def test_distance_point_to_place_matches_geodesic(runner):
    r = runner.invoke(cli, ["distance", "--site", "Abu Kamal", "--to", "Al Qa'im"])
    assert r.exit_code == 0, r.output
    row = next(csv.DictReader(io.StringIO(r.output)))
    expected = inverse(*ABU_KAMAL, *AL_QAIM)
    assert float(row["distance_m"]) == pytest.approx(expected.distance, abs=1e-3)
    assert float(row["distance_km"]) == pytest.approx(
        expected.distance / 1000, abs=1e-3
    )


def test_distance_file_in_markdown_and_geojson(runner, files):
    r = runner.invoke(
        cli,
        [
            "distance",
            files["sites"],
            "--to",
            "40.98945,34.39251",
            "--format",
            "markdown",
        ],
    )
    assert r.exit_code == 0, r.output
    assert r.output.startswith("| site |")
    assert "| Al Qaim |" in r.output
    r = runner.invoke(
        cli, ["distance", files["geojson"], "--to", "Al Qaim", "--format", "geojson"]
    )
    fc = json.loads(r.output)
    assert [f["properties"]["site"] for f in fc["features"]] == ["Abu Kamal", "Al Qaim"]
    assert fc["features"][1]["properties"]["distance_m"] == pytest.approx(0, abs=1e-6)


def test_distance_reads_stdin(runner, files):
    with open(files["geojson"]) as fh:
        text = fh.read()
    r = runner.invoke(
        cli, ["distance", "-", "--to", "Abu Kamal", "--unit", "mi"], input=text
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    d = inverse(*AL_QAIM, *ABU_KAMAL).distance
    assert float(rows[1]["distance_mi"]) == pytest.approx(d / 1609.344, abs=1e-3)


def test_distance_to_geometry_file(runner, tmp_path, files):
    line = tmp_path / "line.geojson"
    line.write_text(
        json.dumps({"type": "LineString", "coordinates": [[40.0, 34.0], [40.0, 35.0]]})
    )
    r = runner.invoke(cli, ["distance", files["sites"], "--geometry", str(line)])
    assert r.exit_code == 0, r.output
    row = next(csv.DictReader(io.StringIO(r.output)))
    # oracle: the segment is a meridian (a geodesic); brute force over 1 mm steps near it
    lat = np.linspace(34.4, 34.5, 1_000_001)
    d = inverse(
        np.full_like(lat, ABU_KAMAL[0]),
        np.full_like(lat, ABU_KAMAL[1]),
        np.full_like(lat, 40.0),
        lat,
    )
    k = int(np.argmin(d.distance))
    assert float(row["distance_m"]) == pytest.approx(d.distance[k], abs=2e-3)
    assert float(row["nearest_lat"]) == pytest.approx(lat[k], abs=1e-6)


def test_output_file_format_from_extension(runner, tmp_path):
    out = tmp_path / "d.md"
    r = runner.invoke(
        cli, ["distance", "--site", "Abu Kamal", "--to", "Al Qaim", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("| site |")


def test_places(runner):
    r = runner.invoke(cli, ["places", "Abu Kamal", "--format", "geojson"])
    assert r.exit_code == 0, r.output
    fc = json.loads(r.output)
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(ABU_KAMAL[0], abs=0.05)
    assert lat == pytest.approx(ABU_KAMAL[1], abs=0.05)


def test_usage_error_exits_2(runner):
    r = runner.invoke(cli, ["distance", "--site", "Abu Kamal"])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["no-such-command"])
    assert r.exit_code == 2


def test_debug_shows_the_traceback(runner):
    r = runner.invoke(
        cli, ["--debug", "distance", "--site", "Atlantis", "--to", "Abu Kamal"]
    )
    assert r.exit_code == 1
    assert r.exception is not None
    assert not isinstance(r.exception, SystemExit)


# ---- bad input: every command, every kind -----------------------------------------

BAD = {
    "distance": {
        "missing": ["distance", "{missing}", "--to", "Abu Kamal"],
        "empty": ["distance", "{empty}", "--to", "Abu Kamal"],
        "wrong": ["distance", "{wrong}", "--to", "Abu Kamal"],
        "notgeo": ["distance", "{notgeo}", "--to", "Abu Kamal"],
        "unit": ["distance", "{sites}", "--to", "Abu Kamal", "--unit", "kmz"],
        "place": ["distance", "{sites}", "--to", "Atlantis"],
        "geometry": ["distance", "{sites}", "--geometry", "{empty}"],
    },
    "map": {
        "missing": ["map", "{missing}", "-o", "{dir}/m.png"],
        "empty": ["map", "{empty}", "-o", "{dir}/m.png"],
        "wrong": ["map", "{wrong}", "-o", "{dir}/m.png"],
        "notgeo": ["map", "{notgeo}", "-o", "{dir}/m.png"],
        "unit": ["map", "{sites}", "--rings", "50 kmz", "-o", "{dir}/m.png"],
        "margin": ["map", "{sites}", "--margin", "50 kmz", "-o", "{dir}/m.png"],
        "place": ["map", "--site", "Atlantis", "-o", "{dir}/m.png"],
        "extent": ["map", "{sites}", "--extent", "Atlantis", "-o", "{dir}/m.png"],
        "spec": ["map", "--spec", "{missing}", "-o", "{dir}/m.png"],
        "emptyspec": ["map", "--spec", "{empty}", "-o", "{dir}/m.png"],
        "output": ["map", "{sites}", "-o", "{dir}/m.docx"],
    },
    "places": {
        "place": ["places", "Atlantis"],
    },
    "buffer": {
        "missing": ["buffer", "{missing}", "-d", "10 km"],
        "empty": ["buffer", "{empty}", "-d", "10 km"],
        "wrong": ["buffer", "{wrong}", "-d", "10 km"],
        "notgeo": ["buffer", "{notgeo}", "-d", "10 km"],
        "unit": ["buffer", "{sites}", "-d", "50 kmz"],
        "place": ["buffer", "--site", "Atlantis", "-d", "10 km"],
    },
    "rings": {
        "missing": ["rings", "{missing}", "-r", "10 km"],
        "empty": ["rings", "{empty}", "-r", "10 km"],
        "wrong": ["rings", "{wrong}", "-r", "10 km"],
        "notgeo": ["rings", "{notgeo}", "-r", "10 km"],
        "unit": ["rings", "{sites}", "-r", "10, 50 kmz"],
        "place": ["rings", "--site", "Atlantis", "-r", "10 km"],
        "order": ["rings", "{sites}", "-r", "50, 10 km"],
        "system": ["rings", "{sites}", "--system", "Tochkaa"],
        "catalog": [
            "rings",
            "{sites}",
            "--system",
            "Tochka-U",
            "--catalog",
            "{notgeo}",
        ],
    },
    "fan": {
        "missing": ["fan", "{missing}", "--from", "0", "--to", "90", "--max", "10 km"],
        "empty": ["fan", "{empty}", "--from", "0", "--to", "90", "--max", "10 km"],
        "wrong": ["fan", "{wrong}", "--from", "0", "--to", "90", "--max", "10 km"],
        "notgeo": ["fan", "{notgeo}", "--from", "0", "--to", "90", "--max", "10 km"],
        "unit": ["fan", "{sites}", "--from", "0", "--to", "90", "--max", "50 kmz"],
        "place": [
            "fan",
            "--site",
            "Atlantis",
            "--from",
            "0",
            "--to",
            "90",
            "--max",
            "10 km",
        ],
    },
    "within": {
        "missing": ["within", "{missing}", "--site", "Abu Kamal", "-r", "5 km"],
        "empty": ["within", "{empty}", "--site", "Abu Kamal", "-r", "5 km"],
        "wrong": ["within", "{wrong}", "--site", "Abu Kamal", "-r", "5 km"],
        "notgeo": ["within", "{sites}", "--of", "{notgeo}", "-r", "5 km"],
        "unit": ["within", "{sites}", "--site", "Abu Kamal", "-r", "5 kmz"],
        "place": ["within", "{sites}", "--site", "Atlantis", "-r", "5 km"],
        "geometry": ["within", "{sites}", "--geometry", "{empty}", "-r", "5 km"],
    },
    "nearest": {
        "missing": ["nearest", "{sites}", "{missing}"],
        "empty": ["nearest", "{empty}", "{sites}"],
        "wrong": ["nearest", "{sites}", "{wrong}"],
        "notgeo": ["nearest", "{notgeo}", "{sites}"],
        "unit": ["nearest", "{sites}", "{sites}", "--max-distance", "5 kmz"],
    },
    "exposure": {
        "missing": ["exposure", "{missing}", "{sites}"],
        "empty": ["exposure", "{sites}", "{empty}"],
        "wrong": ["exposure", "{wrong}", "{sites}"],
        "notgeo": ["exposure", "{sites}", "{notgeo}"],
        "unit": ["exposure", "{sites}", "{sites}", "-r", "1, 5 kmz"],
        "place": ["exposure", "{sites}", "--site", "Atlantis"],
        "column": ["exposure", "{sites}", "{sites}", "--weight", "killed"],
    },
    "zone": {
        "unit": ["zone", "IRQ", "SYR", "--width", "10 kmz"],
        "place": ["zone", "IRQ", "Atlantis", "--width", "10 km"],
    },
    "borders": {
        "missing": ["borders", "--at", "{missing}"],
        "empty": ["borders", "--at", "{empty}"],
        "wrong": ["borders", "--at", "{wrong}"],
        "notgeo": ["borders", "--at", "{notgeo}"],
        "place": ["borders", "Atlantis", "SYR"],
    },
    "check-claims": {
        "missing": ["check-claims", "{missing}"],
        "empty": ["check-claims", "{empty}"],
        "wrong": ["check-claims", "{wrong}"],
        "notgeo": ["check-claims", "{notgeo}"],
    },
    "raster": {
        "missing": [
            "raster",
            "density",
            "{missing}",
            "--bandwidth",
            "5 km",
            "-o",
            "{dir}/k.tif",
        ],
        "empty": [
            "raster",
            "density",
            "{empty}",
            "--bandwidth",
            "5 km",
            "-o",
            "{dir}/k.tif",
        ],
        "wrong": ["raster", "sample", "{sites}", "{sites}"],
        "notgeo": ["raster", "zones", "{notgeo}", "-o", "{dir}/k.tif"],
        "unit": [
            "raster",
            "density",
            "{sites}",
            "--bandwidth",
            "5 kmz",
            "-o",
            "{dir}/k.tif",
        ],
        "output": ["raster", "distance", "{sites}", "-o", "{dir}/k.png"],
    },
    "import": {
        "missing": ["import", "{missing}", "-o", "{dir}/e.gpkg"],
        "empty": ["import", "{empty}", "-o", "{dir}/e.gpkg"],
        "wrong": ["import", "{wrong}", "-o", "{dir}/e.gpkg"],
        "notgeo": ["import", "{notgeo}", "-o", "{dir}/e.gpkg"],
        "output": ["import", "{sites}", "-o", "{dir}/e.png"],
    },
    "link": {
        "missing": ["link", "{missing}", "{sites}", "-o", "{dir}/l.geojson"],
        "empty": ["link", "{sites}", "{empty}", "-o", "{dir}/l.geojson"],
        "unit": [
            "link",
            "{sites}",
            "{sites}",
            "--max-distance",
            "2 kmz",
            "-o",
            "{dir}/l.geojson",
        ],
    },
}

HINTS = {
    "missing": ["no such file"],
    "empty": ["empty"],
    "wrong": ["not"],
    "notgeo": ["lon"],
    "unit": ["kmz", "km"],
    "margin": ["kmz"],
    "place": ["Atlantis"],
    "extent": ["Atlantis"],
    "geometry": ["empty"],
    "spec": ["no such file"],
    "emptyspec": ["empty"],
    "output": ["write"],
    "order": ["increasing"],
    "system": ["Tochka-U"],
    "catalog": ["column"],
    "column": ["killed"],
}

CASES = [(cmd, kind) for cmd, kinds in BAD.items() for kind in kinds]


@pytest.mark.parametrize(("command", "kind"), CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_bad_input_exits_1_with_one_line(runner, files, command, kind):
    argv = [a.format(**files) for a in BAD[command][kind]]
    r = runner.invoke(cli, argv)
    one_line_error(r, *HINTS[kind])


def test_bad_input_covers_every_command_with_inputs():
    ctx = click.Context(cli)
    without_inputs = {"info", "demo"}
    for name in cli.list_commands(ctx):
        if name not in without_inputs:
            assert name in BAD, f"add bad-input cases for {name!r}"


def test_demo_bad_out(runner, files):
    r = runner.invoke(cli, ["demo", "--out", files["sites"], "--no-html"])
    one_line_error(r)


# ---- plugins -------------------------------------------------------------------------


class _EP:
    def __init__(self, name, obj=None, exc=None):
        self.name, self._obj, self._exc = name, obj, exc

    def load(self):
        if self._exc:
            raise self._exc
        return self._obj


def test_plugins_from_entry_points(monkeypatch, runner):
    @click.command()
    def hello():
        """Say hello.

        Example: geoconflict hello
        """
        click.echo("hello from a plugin")

    monkeypatch.setattr(
        cli_mod,
        "_entry_points",
        lambda group: [
            _EP("hello", hello),
            _EP("broken", exc=ImportError("no numpy 9")),
        ],
    )
    monkeypatch.setattr(cli_mod, "_PLUGINS_LOADED", False)
    saved = dict(cli.commands)
    try:
        r = runner.invoke(cli, ["hello"])
        assert r.exit_code == 0
        assert r.output == "hello from a plugin\n"
        r = runner.invoke(cli, ["broken"])
        one_line_error(r, "broken", "no numpy 9")
    finally:
        cli.commands.clear()
        cli.commands.update(saved)
        cli_mod._PLUGINS_LOADED = False


# ---- map and demo --------------------------------------------------------------------


def test_map_command_writes_png_svg(runner, files, tmp_path):
    for ext in ("png", "svg"):
        out = tmp_path / f"m.{ext}"
        r = runner.invoke(
            cli,
            [
                "map",
                files["sites"],
                "--title",
                "Test map",
                "--rings",
                "20, 40 km",
                "-o",
                str(out),
            ],
        )
        assert r.exit_code == 0, r.output
        assert r.output.strip() == str(out)
        assert out.stat().st_size > 5000
    assert "Test map" in (tmp_path / "m.svg").read_text()


def test_map_each_event(runner, files, tmp_path):
    out = tmp_path / "maps"
    r = runner.invoke(cli, ["map", files["geojson"], "--each", "event", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["e1.png", "e2.png"]


def test_demo_command(runner, tmp_path):
    r = runner.invoke(cli, ["demo", "--out", str(tmp_path), "--no-html"])
    assert r.exit_code == 0, r.output
    for name in (
        "al-bukamal.png",
        "al-bukamal.pdf",
        "al-bukamal.gpkg",
        "distances.csv",
        "distances.md",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
        assert str(tmp_path / name) in r.output


def test_rings_command(runner):
    r = runner.invoke(cli, ["rings", "--site", "Al-Tanf", "--radii", "100, 200 km"])
    assert r.exit_code == 0, r.output
    fc = json.loads(r.output)
    assert [f["properties"]["label"] for f in fc["features"]] == ["100 km", "200 km"]
    assert fc["features"][1]["properties"]["inner_m"] == 100_000
    assert fc["features"][0]["properties"]["site_name"].startswith("Al-Tanf")


def test_fan_command(runner):
    import shapely
    from shapely.geometry import shape

    r = runner.invoke(
        cli,
        ["fan", "--site", "38.6,33.5", "--from", "350", "--to", "10", "--max", "50 km"],
    )
    assert r.exit_code == 0, r.output
    g = shape(json.loads(r.output)["features"][0]["geometry"])
    assert g.contains(shapely.Point(38.6, 33.8))  # due north, 33 km
    assert not g.contains(shapely.Point(38.9, 33.5))  # due east


def test_buffer_command_is_geodesic(runner, files, tmp_path):
    import numpy as np
    import shapely
    from shapely.geometry import shape

    out = tmp_path / "b.geojson"
    r = runner.invoke(cli, ["buffer", files["sites"], "-d", "10 km", "-o", str(out)])
    assert r.exit_code == 0, r.output
    fc = json.loads(out.read_text())
    assert len(fc["features"]) == 2
    assert fc["features"][0]["properties"]["name"] == "Abu Kamal"
    ring = shapely.get_coordinates(shape(fc["features"][0]["geometry"]).exterior)
    d = inverse(
        np.full(len(ring), ABU_KAMAL[0]),
        np.full(len(ring), ABU_KAMAL[1]),
        ring[:, 0],
        ring[:, 1],
    )
    np.testing.assert_allclose(d.distance, 10_000, rtol=2e-3)
    gpkg = tmp_path / "b.gpkg"
    r = runner.invoke(
        cli, ["buffer", files["sites"], "-d", "10 km", "--dissolve", "-o", str(gpkg)]
    )
    assert r.exit_code == 0, r.output
    assert gpkg.stat().st_size > 0


def _rings_of(geometry: dict) -> list:
    """The polygons of a GeoJSON (Multi)Polygon as lists of rings (exterior first)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon", geometry["type"]
    return geometry["coordinates"]


def _shoelace(ring) -> float:
    xy = np.asarray(ring, dtype=float)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


#: (argv, area of each feature in m² on WGS84 from first principles: pi r², or a band)
RFC7946_CASES = [
    (["rings", "--site", "179.8,-17", "-r", "50, 100 km"], None),
    (["rings", "--site", "-179.9,65", "-r", "30 km", "--kind", "disk"], None),
    (["buffer", "--site", "179.95,0", "-d", "40 km"], None),
    (["buffer", "--site", "-179.9,65", "--site", "179.9,-40", "-d", "25 km", "--dissolve"], None),
    (["buffer", "--site", "40.91854,34.45226", "-d", "10 km"], None),
    (["fan", "--site", "179.9,10", "--from", "0", "--to", "180", "--min", "10 km", "--max", "60 km"], None),
]  # fmt: skip


@pytest.mark.parametrize(
    "argv", [c[0] for c in RFC7946_CASES], ids=lambda a: " ".join(a)
)
def test_geojson_out_is_rfc7946(runner, tmp_path, argv):
    """Zones from the CLI: cut at the antimeridian, counterclockwise exteriors, no crs.

    The area of every feature (pyproj.Geod, an independent oracle) equals the
    geodesic area of the zone it stands for, so the cut loses nothing.
    """
    import pyproj
    from shapely.geometry import shape

    out = tmp_path / "z.geojson"
    r = runner.invoke(cli, [*argv, "-o", str(out)])
    assert r.exit_code == 0, r.output
    fc = json.loads(out.read_text())
    assert rfc7946_errors(fc) == []  # the validator written from the RFC
    assert "crs" not in fc
    geod = pyproj.Geod(ellps="WGS84")
    crosses = argv[2].split(",")[0].startswith(("179", "-179"))
    for feat in fc["features"]:
        assert "crs" not in feat
        assert set(feat) <= {"type", "id", "bbox", "geometry", "properties"}
        polys = _rings_of(feat["geometry"])
        lons = [p[0] for poly in polys for ring in poly for p in ring]
        lats = [p[1] for poly in polys for ring in poly for p in ring]
        assert min(lons) >= -180
        assert max(lons) <= 180
        assert min(lats) >= -90
        assert max(lats) <= 90
        for exterior, *holes in polys:
            for ring in (exterior, *holes):
                assert ring[0] == ring[-1]
                assert len(ring) >= 4
            assert _shoelace(exterior) > 0, "exterior ring must be counterclockwise"
            for hole in holes:
                assert _shoelace(hole) < 0, "holes must be clockwise"
        if crosses:  # the zone reaches across the antimeridian: cut into a MultiPolygon
            assert feat["geometry"]["type"] == "MultiPolygon"
            assert min(lons) == -180
            assert max(lons) == 180
        # the pieces add up to the zone: compare with its geodesic area (pyproj)
        props = feat["properties"]
        outer = props.get("outer_m", props.get("buffer_m"))
        inner = props.get("inner_m") or 0.0
        got = sum(abs(geod.geometry_area_perimeter(shape({"type": "Polygon", "coordinates": p}))[0]) for p in polys)  # fmt: skip
        if argv[0] == "fan":
            want = np.pi * (60e3**2 - 10e3**2) / 2  # half an annulus
        elif "--dissolve" in argv:
            want = 2 * np.pi * outer**2
        elif "--kind" in argv:
            want = np.pi * outer**2
        else:
            want = np.pi * (outer**2 - inner**2)
        assert got == pytest.approx(want, rel=0.01), (props, got, want)


def test_import_acled_with_rejected(runner, tmp_path):
    src = tmp_path / "acled.csv"
    src.write_text(
        "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,country,fatalities\n"
        "SYR1,2019-09-09,1,34.4523,40.9185,1,Syria,0\n"
        "SYR2,2019-13-09,1,34.4523,40.9185,1,Syria,0\n"
    )
    out, rej = tmp_path / "e.geojson", tmp_path / "rej.csv"
    r = runner.invoke(cli, ["import", str(src), "-o", str(out), "--rejected", str(rej)])
    assert r.exit_code == 0, r.output
    assert "1 events" in r.output
    fc = json.loads(out.read_text())
    assert len(fc["features"]) == 1
    rows = list(csv.DictReader(io.StringIO(rej.read_text())))
    assert rows[0]["row"] == "2"
    assert rows[0]["column"] == "event_date"
    r = runner.invoke(cli, ["import", str(src), "-o", str(out), "--strict"])
    assert r.exit_code == 1


def test_rings_from_the_range_catalog(runner):
    from geoconflict.analysis.range_catalog import load_catalog

    r = runner.invoke(cli, ["rings", "--site", "38.6,33.5", "--system", "Tochka-U"])
    assert r.exit_code == 0, r.output
    props = [f["properties"] for f in json.loads(r.output)["features"]]
    claims = (
        [c for c in load_catalog().claims if c.system == "Tochka-U"]
        if hasattr(load_catalog(), "claims")
        else None
    )
    assert all(p["system"] == "Tochka-U" for p in props)
    assert all(p["source"] for p in props)
    if claims is not None:
        assert len(props) == len(claims)
    r = runner.invoke(cli, ["rings", "--site", "38.6,33.5"])
    assert r.exit_code == 2


def test_within_nearest_exposure(runner, tmp_path):
    ev = tmp_path / "ev.csv"
    ev.write_text(
        "name,lon,lat,fatalities\na,40.91,34.45,2\nb,40.92,34.46,\nc,40.99,34.39,5\n"
    )
    r = runner.invoke(cli, ["within", str(ev), "--site", "Abu Kamal", "-r", "5 km"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [row["point"] for row in rows] == ["a", "b"]
    d = inverse(40.91, 34.45, *ABU_KAMAL).distance
    assert float(rows[0]["distance_m"]) == pytest.approx(d, abs=1e-3)
    # the threshold is inclusive and exact
    r = runner.invoke(
        cli, ["within", str(ev), "--site", "Abu Kamal", "-r", f"{d:.4f} m"]
    )
    assert [row["point"] for row in csv.DictReader(io.StringIO(r.output))] == ["a"]

    r = runner.invoke(cli, ["nearest", str(ev), str(ev), "-k", "2"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows[1]["nearest"] == "b"
    assert float(rows[1]["distance_m"]) == pytest.approx(
        inverse(40.91, 34.45, 40.92, 34.46).distance, abs=1e-3
    )

    r = runner.invoke(
        cli,
        [
            "exposure",
            str(ev),
            "--site",
            "Abu Kamal",
            "-r",
            "1, 2, 10 km",
            "--weight",
            "fatalities",
        ],
    )
    assert r.exit_code == 0, r.output
    row = next(csv.DictReader(io.StringIO(r.output)))
    assert (row["events_0_1km"], row["events_1_2km"], row["events_2_10km"]) == (
        "2",
        "0",
        "1",
    )
    assert (row["fatalities_0_1km"], row["fatalities_2_10km"]) == ("2", "5")


def test_map_from_events_file_each_event(runner, tmp_path):
    src = tmp_path / "acled.csv"
    src.write_text(
        "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,country,fatalities,event_type\n"
        "SYR1,2019-09-09,1,34.4523,40.9185,1,Syria,0,Explosions/Remote violence\n"
        "IRQ2,2019-09-10,1,34.3925,40.9894,1,Iraq,0,Battles\n"
    )
    ev = tmp_path / "ev.geojson"
    assert runner.invoke(cli, ["import", str(src), "-o", str(ev)]).exit_code == 0
    pattern = str(tmp_path / "maps" / "{event}.svg")
    r = runner.invoke(
        cli, ["map", "--events", str(ev), "--each", "event", "-o", pattern]
    )
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "maps").iterdir())
    assert names == ["irq2.svg", "syr1.svg"]
    r = runner.invoke(
        cli,
        [
            "map",
            "--events",
            str(tmp_path / "nope.geojson"),
            "-o",
            str(tmp_path / "m.png"),
        ],
    )
    one_line_error(r, "no such file")


def test_raster_distance_and_density(runner, tmp_path):
    pytest.importorskip("rasterio")
    one = tmp_path / "one.csv"
    one.write_text(f"name,lon,lat\nP,{ABU_KAMAL[0]},{ABU_KAMAL[1]}\n")
    far = tmp_path / "far.csv"
    far.write_text("name,lon,lat\nQ,40.5,34.2\n")
    tif = tmp_path / "d.tif"
    r = runner.invoke(
        cli,
        [
            "raster",
            "distance",
            str(one),
            "--bounds",
            "40,34,41.5,35",
            "--resolution",
            "0.05",
            "-o",
            str(tif),
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["raster", "sample", str(tif), str(far)])
    assert r.exit_code == 0, r.output
    value = float(next(csv.DictReader(io.StringIO(r.output)))["value"])
    exact = inverse(*ABU_KAMAL, 40.5, 34.2).distance
    assert abs(value - exact) < 4000  # within half a cell diagonal (0.05 deg cells)
    kde = tmp_path / "k.tif"
    r = runner.invoke(
        cli, ["raster", "density", str(one), "--bandwidth", "5 km", "-o", str(kde)]
    )
    assert r.exit_code == 0, r.output
    both = tmp_path / "both.csv"
    both.write_text(
        f"name,lon,lat\nP,{ABU_KAMAL[0]},{ABU_KAMAL[1]}\nQ,{ABU_KAMAL[0] + 0.3},{ABU_KAMAL[1]}\n"
    )
    r = runner.invoke(cli, ["raster", "sample", str(kde), str(both)])
    vals = [
        float(row["value"] or "nan") for row in csv.DictReader(io.StringIO(r.output))
    ]
    # the Gaussian peak is 1 / (2 pi h^2) events per km^2 (h = 5 km)
    assert vals[0] == pytest.approx(1 / (2 * np.pi * 25), rel=0.1)
    assert np.isnan(vals[1]) or vals[1] < 1e-6


def test_check_claims_example(runner, tmp_path):
    r = runner.invoke(cli, ["check-claims", "--example"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows
    assert {row["verdict"] for row in rows} <= {
        "consistent",
        "inconsistent",
        "cannot tell",
    }
    phrases = " ".join(row["phrase"] for row in rows)
    assert "3 km" in phrases
    # the same through a file written by `import`-compatible native GeoJSON
    import geoconflict

    path = tmp_path / "example.geojson"
    geoconflict.write_events(geoconflict.load_example(), path)
    r2 = runner.invoke(cli, ["check-claims", str(path)])
    assert r2.exit_code == 0, r2.output
    assert r2.output == r.output


@pytest.mark.parametrize("module", ["geoconflict.cli", "geoconflict.cli.main"])
def test_python_dash_m_runs_every_command(module):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert f"  {name}" in out.stdout, name


def test_info_lists_bundled_datasets(runner):
    r = runner.invoke(cli, ["info"])
    assert r.exit_code == 0, r.output
    assert "Natural Earth" in r.output
    assert "GeoNames" in r.output


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import sys

    ctx = click.Context(cli, obj={"quiet": False})
    items = [1, 2, 3]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert cli_helpers.progress(ctx, items) is items
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = cli_helpers.progress(ctx, items)
    assert bar is not items
    assert list(bar) == items
    quiet = click.Context(cli, obj={"quiet": True})
    assert cli_helpers.progress(quiet, items) is items


# ---- standard input, empty results, features without geometry ----------------------

ACLED_TWO = (
    "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,country,"
    "fatalities,event_type\n"
    "SYR1,2019-09-09,1,34.4523,40.9185,1,Syria,0,Explosions/Remote violence\n"
    "IRQ2,2019-09-10,1,34.3925,40.9894,1,Iraq,0,Battles\n"
)


def test_import_reads_standard_input(runner, tmp_path):
    src = tmp_path / "acled.csv"
    src.write_text(ACLED_TWO)
    from_file, from_stdin = tmp_path / "a.geojson", tmp_path / "b.geojson"
    r = runner.invoke(cli, ["import", str(src), "-o", str(from_file)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["import", "-", "-o", str(from_stdin)], input=ACLED_TWO)
    assert r.exit_code == 0, r.output
    a = json.loads(from_file.read_text())["features"]
    b = json.loads(from_stdin.read_text())["features"]
    assert len(a) == len(b) == 2
    assert [f["geometry"] for f in a] == [f["geometry"] for f in b]
    assert sorted(f["properties"]["id"] for f in b) == ["IRQ2", "SYR1"]


def test_import_of_empty_standard_input_is_one_line(runner, tmp_path):
    r = runner.invoke(cli, ["import", "-", "-o", str(tmp_path / "e.geojson")], input="")
    one_line_error(r, "standard input", "empty")


def test_check_claims_reads_standard_input(runner, tmp_path):
    import geoconflict as gc
    import geoconflict.io.events as eventio

    ev = tmp_path / "example.geojson"
    eventio.write_events(gc.load_example(), str(ev))
    r_file = runner.invoke(cli, ["check-claims", str(ev)])
    assert r_file.exit_code == 0, r_file.output
    r = runner.invoke(cli, ["check-claims", "-"], input=ev.read_text())
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) >= 2
    assert {row["verdict"] for row in rows} <= {
        "consistent",
        "inconsistent",
        "cannot tell",
    }
    assert r.stdout == r_file.stdout


def test_within_with_no_match_still_writes_the_header(runner, files):
    r = runner.invoke(cli, ["within", files["sites"], "--site", "0,0", "-r", "1 km"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["point,lon,lat,centre,distance_m,distance_km"]


def test_a_site_without_geometry_is_an_error_not_a_blank_row(runner, tmp_path):
    gj = tmp_path / "null.geojson"
    gj.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": None, "properties": {"name": "X"}}
                ],
            }
        )
    )
    r = runner.invoke(cli, ["distance", str(gj), "--to", "Abu Kamal"])
    one_line_error(r, "no geometry", "X")


# ---- map --each: one distinct file per event ---------------------------------------

EACH_IDS = ["A/B", "A B", "البوكمال", "..", "", "a b", "CON"]


def test_each_names_are_distinct_and_safe():
    from geoconflict.maps.render import _each_names

    names = _each_names(EACH_IDS)
    stems = list(names.values())
    assert len({s.casefold() for s in stems}) == len(EACH_IDS)
    assert names["البوكمال"] == "البوكمال"  # Arabic letters are kept
    for s in stems:
        assert s not in ("", ".", "..")
        assert not set(s) & set('/\\:*?"<>|\0')
    assert _each_names(["A B", "A/B"]) == {k: names[k] for k in ("A B", "A/B")}


@settings(max_examples=150, deadline=None)
@given(keys=st.lists(st.text(max_size=80), min_size=1, max_size=12, unique=True))
def test_each_names_are_distinct_for_any_ids(keys):
    from geoconflict.maps.render import _each_names

    names = _each_names(keys)
    stems = [names[k] for k in keys]
    assert len({s.casefold() for s in stems}) == len(keys)
    for s in stems:
        assert s.strip(".")
        assert s not in ("", ".", "..")
        assert not set(s) & set('/\\:*?"<>|\0')
        assert not any(ch.isspace() or ord(ch) < 32 for ch in s)
        assert len(s.encode("utf-8")) <= 255 - len(".png")


@pytest.mark.slow
def test_map_each_event_writes_one_distinct_file_per_event(runner, tmp_path):
    gj = tmp_path / "ev.geojson"
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [40.9 + i / 100, 34.4]},
            "properties": {"event_id": eid},
        }
        for i, eid in enumerate(EACH_IDS)
    ]
    gj.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    out = tmp_path / "maps"
    r = runner.invoke(cli, ["map", str(gj), "--each", "event", "-o", str(out)])
    assert r.exit_code == 0, r.output
    written = r.stdout.splitlines()
    assert len(written) == len(set(written)) == len(EACH_IDS)
    files_out = sorted(out.iterdir())
    assert len(files_out) == len(EACH_IDS)
    assert {p.parent for p in files_out} == {out}
    assert all(p.stat().st_size > 1000 for p in files_out)
    assert (out / "البوكمال.png").exists()  # the Arabic id keeps its letters


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nan.csv", "name,lon,lat\nA,40.9,34.4\nB,nan,nan\n"),
        ("inf.csv", "name,lon,lat\nA,40.9,34.4\nB,inf,34\n"),
        ("lat.csv", "name,lon,lat\nA,40.9,34.4\nB,40,95\n"),
        ("nan.geojson", '{"type": "Point", "coordinates": [NaN, 34.4]}'),
        (
            "inf.geojson",
            '{"type": "LineString", "coordinates": [[40, 34], [Infinity, 34]]}',
        ),
    ],
)
def test_non_finite_or_out_of_range_coordinates_in_files_are_refused(
    runner, tmp_path, name, text
):
    path = tmp_path / name
    path.write_text(text)
    for argv in (
        ["distance", str(path), "--to", "Abu Kamal"],
        ["rings", str(path), "-r", "10 km"],
        ["within", str(path), "--site", "Abu Kamal", "-r", "5 km"],
    ):
        line = one_line_error(runner.invoke(cli, argv), name)
        assert "row" in line or "feature" in line or "coordinate" in line, line
