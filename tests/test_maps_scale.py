"""#17: maps of 10⁴–10⁵ events drawn for real — PNG pixels, SVG text, the CLI, Chromium.

Every test here draws maps (seconds each): the module is marked slow.
Coordinates (lon, lat) degrees WGS84.
"""

import json
import re
import time

import numpy as np
import pytest
import shapely

pytest.importorskip("matplotlib")

from click.testing import CliRunner
from matplotlib.colors import to_rgb

from geoconflict.cli.main import cli
from geoconflict.geography.borders import border
from geoconflict.io.features import Feature
from geoconflict.maps import (
    ATTRIBUTION_COLORS,
    MapSpec,
    border_features,
    render,
    render_each,
    style,
)

from .chromium import find_chromium, run_chromium

pytestmark = pytest.mark.slow

STATUSES = ("declared", "claimed", "denied", "contested")


def grid_events(n, *, spread=0.0, seed=0):
    """`n` events on a 5 x 4 grid of places 1° apart in Syria; each place one status."""
    rng = np.random.default_rng(seed)
    lon, lat = np.meshgrid(np.arange(36.5, 41.5, 1.0), np.arange(33.0, 37.0, 1.0))
    places = np.column_stack([lon.ravel(), lat.ravel()])
    k = np.arange(n) % len(places)
    xy = places[k] + rng.normal(0, spread, (n, 2)) if spread else places[k]
    sites = [
        Feature(
            shapely.Point(*xy[i]),
            {
                "name": f"P{k[i]}",
                "event_id": f"e{i}",
                "attribution_status": STATUSES[k[i] % 4],
                "event_type": "Battles",
                "start": f"2019-{1 + i % 3:02d}-10",
                "source": "ACLED",
            },
        )
        for i in range(n)
    ]
    return places, sites


def read_png(path):
    import matplotlib.image as mpimg

    return mpimg.imread(path)[:, :, :3]


def colour_near(img, col, row, rgb, radius=4, tol=0.1):
    patch = img[
        int(row) - radius : int(row) + radius + 1,
        int(col) - radius : int(col) + radius + 1,
    ]
    return bool((np.abs(patch - np.asarray(rgb)).max(axis=2) < tol).any())


def assert_no_overlap(boxes):
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    over = (
        (b[:, None, 0] < b[None, :, 2])
        & (b[None, :, 0] < b[:, None, 2])
        & (b[:, None, 1] < b[None, :, 3])
        & (b[None, :, 1] < b[:, None, 3])
    )
    np.fill_diagonal(over, False)
    assert not over.any()


def under_furniture(res, col, row):
    """Whether pixel (col, row) of a PNG lies in a corner the furniture occupies."""
    px0, py0, px1, py1 = res.axes_px
    u = (col - px0) / (px1 - px0)
    v = 1 - (row - (res.size_px[1] - py1)) / (py1 - py0)
    return (u < 0.3 or u > 0.7) and (v < 0.35 or v > 0.65)


@pytest.mark.parametrize("aggregate", ["auto", "none"])
def test_10000_events_colours_at_their_places(tmp_path, aggregate):
    places, sites = grid_events(10_000)
    spec = MapSpec(title="10,000 events", dpi=100, aggregate=aggregate)
    spec.sites = sites
    t = time.perf_counter()
    res = render(spec, tmp_path / "m.png")
    assert time.perf_counter() - t < 60  # was hours before #17
    # 20 places: one graduated symbol each (auto), or one symbol with a count (none)
    assert res.symbols == 20
    assert res.aggregated == (aggregate == "auto")
    img = read_png(res.path)
    checked = 0
    for i, (lon, lat) in enumerate(places):
        col, row = res.pixel_of(lon, lat)
        if under_furniture(res, col, row):
            continue
        rgb = to_rgb(ATTRIBUTION_COLORS[STATUSES[i % 4]])
        if aggregate == "auto":  # translucent over land: blended, same hue
            rgb = 0.78 * np.asarray(rgb) + 0.22 * np.asarray(to_rgb(style.LAND))
        assert colour_near(img, col, row, rgb, radius=6, tol=0.12), (i, lon, lat)
        checked += 1
    assert checked >= 6
    assert_no_overlap(res.label_boxes)
    # the labels name the largest places with their counts
    assert any(re.fullmatch(r"P\d+ \(500\)", t) for t in res.placed_labels)


def test_scattered_10000_events_labels_thinned(tmp_path):
    _, sites = grid_events(10_000, spread=0.2, seed=3)
    spec = MapSpec(title="scattered", dpi=80, labels="auto")
    spec.sites = sites
    res = render(spec, tmp_path / "s.png")
    tried = res.placed_labels + res.dropped_labels
    site_labels = [t for t in tried if t.startswith("P")]
    assert 0 < len(site_labels) <= 40  # only the labels it will draw are tried
    assert_no_overlap(res.label_boxes)
    none = render(MapSpec(sites=sites, labels="none", dpi=60), tmp_path / "n.png")
    assert not [
        t for t in none.placed_labels + none.dropped_labels if t.startswith("P")
    ]


def test_inset_avoids_the_data(tmp_path):
    # all the data in the upper right: the inset goes elsewhere
    spec = MapSpec(extent=(35.0, 32.0, 42.0, 37.5), dpi=60)
    rng = np.random.default_rng(1)
    xy = np.column_stack([rng.uniform(40.8, 41.9, 400), rng.uniform(36.3, 37.4, 400)])
    spec.sites = [Feature(shapely.Point(*p), {}) for p in xy]
    res = render(spec, tmp_path / "i.png")
    assert res.furniture["inset"] not in (None, "upper right")
    assert len(set(res.furniture.values())) == 4
    assert (
        render(
            MapSpec(sites=spec.sites, inset="none", dpi=60), tmp_path / "n.png"
        ).furniture["inset"]
        is None
    )


def test_credits_in_svg_text_and_metadata(tmp_path):
    spec = MapSpec(
        title="Credits", sources=["ACLED (Armed Conflict Location & Event Data)"]
    )
    spec.sites = [
        Feature(
            shapely.Point(40.9, 34.45), {"name": "A", "source": "SANA; Sabereen News"}
        ),
        Feature(shapely.Point(40.99, 34.39), {"name": "B", "source": "geonames"}),
    ]
    spec.lines = border_features(["IRQ", "SYR"], dataset="osm")
    res = render(spec, tmp_path / "c.svg")
    text = res.path.read_text()
    for s in ("ACLED (Armed Conflict Location &amp; Event Data)", "SANA", "Sabereen News",
              "Natural Earth", "© OpenStreetMap contributors", "GeoNames"):  # fmt: skip
        assert s in text, s
    (rights,) = re.findall(r"<dc:rights>(.*?)</dc:rights>", text, re.S)
    assert "Sabereen News" in rights
    assert "OpenStreetMap" in rights
    png = render(spec, tmp_path / "c.png")
    from PIL import Image

    assert "Sabereen News" in Image.open(png.path).text["Copyright"]


def _pixel_on(res, line):
    """A pixel near the middle of a lon/lat line, and that line's map colour."""
    mid = line.interpolate(0.5, normalized=True)
    return res.pixel_of(mid.x, mid.y)


def test_cli_border_twice_draws_both(tmp_path):
    out = tmp_path / "b.png"
    args = ["map", "--site", "40.9,34.45", "--extent", "35,31.5,43,38.5",
            "--border", "IRQ,SYR", "--border", "TUR,SYR", "--inset", "none", "-o", str(out)]  # fmt: skip
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    # the same view through the API gives the pixel of any lon/lat on the CLI's PNG
    spec = MapSpec(extent=(35, 31.5, 43, 38.5), inset="none")
    spec.sites = [Feature(shapely.Point(40.9, 34.45), {})]
    for pair in (["IRQ", "SYR"], ["TUR", "SYR"]):
        spec.lines.extend(border_features(pair))
    ref = render(spec, tmp_path / "ref.png")
    img = read_png(out)
    for pair in (("IRQ", "SYR"), ("TUR", "SYR")):
        col, row = _pixel_on(ref, _longest(border(*pair)))
        assert colour_near(
            img, col, row, to_rgb(style.HIGHLIGHT), radius=3, tol=0.15
        ), pair
    svg = tmp_path / "b.svg"
    r = CliRunner().invoke(cli, [*args[:-2], "-o", str(svg)])
    text = svg.read_text()
    assert "IRQ–SYR border" in text
    assert "TUR–SYR border" in text


def _longest(g):
    parts = list(getattr(g, "geoms", [g]))
    return max(parts, key=lambda p: p.length)


def test_help_says_which_options_repeat():
    r = CliRunner().invoke(cli, ["map", "--help"], terminal_width=200)
    text = " ".join(r.output.split())
    text = text[text.index("Options:") :]
    for opt in ("--border", "--events"):
        seg = text[text.index(opt + " ") :][:300]
        assert "Repeatable" in seg, opt
    assert "several lengths" in text  # --rings
    assert "comma-separated" in text[text.index("--between") :][:300]


def test_each_month_distinct_files_same_view(tmp_path):
    _, sites = grid_events(600, spread=0.05)
    spec = MapSpec(dpi=50)
    spec.sites = [*sites[:-3], Feature(shapely.Point(38, 35), {"name": "undated"})]
    res = render_each(spec, tmp_path / "{period}.png", key="month")
    names = [r.path.name for r in res]
    assert names == ["2019-01.png", "2019-02.png", "2019-03.png"]
    assert len({r.bounds for r in res}) == 1  # same extent ...
    assert len({r.scale_length_m for r in res}) == 1  # ... and scale
    assert all("1 site without a date" in " ".join(r.credits) for r in res)


def test_cli_each_month_and_between(tmp_path):
    csv = tmp_path / "ev.csv"
    rows = ["id,date,lat,lon,killed,source"] + [
        f"e{i},2019-{1 + i % 4:02d}-0{1 + i % 9},{34 + (i % 7) * 0.1},{40 + (i % 5) * 0.1},1,Outlet {i % 3}"
        for i in range(80)
    ]
    csv.write_text("\n".join(rows) + "\n")
    out = tmp_path / "maps"
    r = CliRunner().invoke(
        cli,
        ["map", "--events", str(csv), "--each", "month", "--dpi", "40", "-o", str(out)],
    )
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"2019-0{m}.png" for m in range(1, 5)
    ]
    svg = tmp_path / "b.svg"
    r = CliRunner().invoke(
        cli,
        [
            "map",
            "--events",
            str(csv),
            "--between",
            "2019-02-01,2019-02-28",
            "-o",
            str(svg),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Outlet 0" in svg.read_text()
    r = CliRunner().invoke(
        cli,
        [
            "map",
            "--events",
            str(csv),
            "--between",
            "2019-03-01,2019-02-01",
            "-o",
            str(svg),
        ],
    )
    assert r.exit_code != 0
    assert "swap" in r.output


@pytest.fixture(scope="module")
def chromium():
    return find_chromium()


def _dom_attr(dom, name):
    m = re.search(rf'{name}="([^"]*)"', dom)
    return m and m.group(1).replace("&quot;", '"')


def test_html_100000_events_opens_fast_and_clustered(chromium, tmp_path):
    rng = np.random.default_rng(0)
    xy = np.column_stack([rng.uniform(36, 42, 100_000), rng.uniform(33, 37, 100_000)])
    spec = MapSpec(title="100,000 events")
    spec.sites = [
        Feature(
            shapely.Point(*p),
            {"name": f"S{i % 500}", "attribution_status": STATUSES[i % 4]},
        )
        for i, p in enumerate(xy)
    ]
    path = render(spec, tmp_path / "big.html").path
    dom = run_chromium(
        chromium, tmp_path, "--virtual-time-budget=20000", "--dump-dom", path.as_uri()
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _dom_attr(dom.stdout, "data-gc-ready") == "1"
    assert json.loads(_dom_attr(dom.stdout, "data-gc-errors")) == []
    assert json.loads(_dom_attr(dom.stdout, "data-gc-layers"))["Sites"] == 100_000
    assert int(_dom_attr(dom.stdout, "data-gc-ms")) < 5000  # ready, clustered, in < 5 s
    assert "marker-cluster" in dom.stdout  # clusters, not 10^5 markers, are on the map
    assert dom.stdout.count('class="leaflet-tooltip ') == 0  # names on hover only


def test_html_across_the_antimeridian(chromium, tmp_path):
    spec = MapSpec(title="Fiji")
    spec.sites = [
        Feature(
            shapely.Point(179.9, -17.0), {"name": "A", "attribution_status": "denied"}
        ),
        Feature(
            shapely.Point(-179.8, -16.5), {"name": "B", "attribution_status": "denied"}
        ),
    ]
    path = render(spec, tmp_path / "f.html").path
    text = path.read_text()
    (block,) = re.findall(
        r'<script type="application/json" id="gc-data">(.*?)</script>', text, re.S
    )
    doc = json.loads(block)
    lons = [f["geometry"]["coordinates"][0] for f in doc["layers"]["sites"]["features"]]
    assert abs(lons[0] - lons[1]) < 1.0  # 179.9 and 180.2, not 179.9 and -179.8
    (_s, w), (_n, e) = doc["bounds"]
    assert 0 < e - w < 10
    assert w < min(lons)
    assert max(lons) < e
    dom = run_chromium(
        chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom", path.as_uri()
    )
    assert _dom_attr(dom.stdout, "data-gc-ready") == "1"
    assert json.loads(_dom_attr(dom.stdout, "data-gc-errors")) == []
    assert dom.stdout.count('class="leaflet-tooltip ') == 2  # few names: shown
