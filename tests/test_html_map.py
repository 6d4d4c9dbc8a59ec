"""The offline HTML map, loaded in headless Chromium: layers render, no console errors.

Chromium is Debian's ``chromium``, installed by ``make chromium`` (run by
``make test``); without it the test skips, and with CI=true it fails instead.
"""

import json
import re

import numpy as np
import pytest
import shapely

pytest.importorskip("matplotlib")

from matplotlib.colors import to_rgb

from geoconflict import maps
from geoconflict.io.features import Feature
from geoconflict.maps import style

from .chromium import find_chromium, run_chromium


@pytest.fixture(scope="module")
def chromium():
    return find_chromium()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    spec = maps.MapSpec(title="HTML test map")
    spec.sites = [
        Feature(shapely.Point(40.91854, 34.45226), {"name": "Abu Kamal", "attribution_status": "denied"}),
        Feature(shapely.Point(40.98945, 34.39251), {"name": "Al Qaim", "attribution_status": "declared"}),
    ]  # fmt: skip
    spec.zones = [
        Feature(
            shapely.Polygon(maps.circle_lonlat(40.6, 34.2, 25_000)), {"label": "zone"}
        )
    ]
    spec.rings = maps.ring_features(40.91854, 34.45226, [40_000], label="ring")
    path = tmp / "map.html"
    maps.render(spec, path)
    return path


def test_html_is_self_contained(page):
    text = page.read_text()
    assert "L.map(" in text
    # no network: no external scripts, styles or tiles
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?:""", text)
    assert "tile.openstreetmap" not in text
    assert "L.tileLayer" not in text


def test_html_renders_in_chromium(chromium, page, tmp_path):
    url = page.resolve().as_uri()
    dom = run_chromium(
        chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom", url
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-gc-ready="1"' in dom.stdout, dom.stdout[-2000:]
    m = re.search(r'data-gc-layers="([^"]*)"', dom.stdout)
    layers = json.loads(m.group(1).replace("&quot;", '"'))
    assert layers["Sites"] == 2
    assert layers["Zones"] == 1
    assert layers["Ranges"] == 1
    errs = re.search(r'data-gc-errors="([^"]*)"', dom.stdout)
    assert errs
    assert json.loads(errs.group(1).replace("&quot;", '"')) == []
    assert "Uncaught" not in dom.stderr
    assert dom.stdout.count('class="leaflet-interactive"') >= 4  # svg paths drawn

    shot = tmp_path / "shot.png"
    r = run_chromium(
        chromium, tmp_path, "--virtual-time-budget=5000", "--window-size=1000,700",
        f"--screenshot={shot}", url,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    assert shot.exists()
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)[:, :, :3]
    assert img.shape[:2] == (700, 1000)

    def has(rgb, tol=0.06):
        return int((np.abs(img - np.asarray(rgb)).max(axis=2) < tol).sum())

    assert has(to_rgb(maps.ATTRIBUTION_COLORS["denied"])) > 20  # the site markers
    assert has(to_rgb(maps.ATTRIBUTION_COLORS["declared"])) > 20
    assert has(to_rgb(style.SEA)) > 1000  # the map background
    if layers.get("Countries"):  # the bundled boundaries as the base layer
        assert has(to_rgb(style.LAND)) > 1000
    zone, sea = np.asarray(to_rgb(style.ZONE)), np.asarray(to_rgb(style.SEA))
    assert (
        has(0.3 * zone + 0.7 * sea, tol=0.05)
        + has(0.3 * zone + 0.7 * np.asarray(to_rgb(style.LAND)), tol=0.05)
        > 500
    )
