"""Maps rendered for real: PNG/SVG/PDF checked for size, content, colours and determinism."""

import numpy as np
import pytest
import shapely

pytest.importorskip("matplotlib")

from matplotlib.colors import to_rgb

from geoconflict import maps
from geoconflict.geodesy.measurement import direct, inverse
from geoconflict.io.features import Feature
from geoconflict.maps import (
    ATTRIBUTION_COLORS,
    MapSpec,
    choose_projection,
    north_angle,
    render,
    scale_factor,
    style,
)
from geoconflict.maps.projection import transformer

ABU_KAMAL = (40.91854, 34.45226)
AL_QAIM = (40.98945, 34.39251)
TANF = (38.61778, 33.50583)


def spec_example(**kw):
    spec = MapSpec(
        title="Test title", subtitle="Subtitle text", date="2019-09-09", **kw
    )
    spec.sites = [
        Feature(shapely.Point(*ABU_KAMAL), {"name": "Abu Kamal", "attribution_status": "denied",
                                            "event_type": "Explosions/Remote violence", "source": "SANA"}),
        Feature(shapely.Point(*AL_QAIM), {"name": "Al Qaim", "attribution_status": "declared"}),
        Feature(shapely.Point(*TANF), {"name": "Tanf", "role": "reference facility"}),
    ]  # fmt: skip
    spec.rings = maps.ring_features(*TANF, [100_000, 200_000], label="Tanf")
    zone = shapely.Polygon(maps.circle_lonlat(*ABU_KAMAL, 30_000))
    spec.zones = [Feature(zone, {"label": "30 km zone"})]
    return spec


def read_png(path):
    import matplotlib.image as mpimg

    return mpimg.imread(path)[:, :, :3]


def colour_near(img, col, row, rgb, radius=6, tol=0.08):
    r0, r1 = int(row) - radius, int(row) + radius + 1
    c0, c1 = int(col) - radius, int(col) + radius + 1
    patch = img[max(r0, 0) : r1, max(c0, 0) : c1]
    return bool((np.abs(patch - np.asarray(rgb)).max(axis=2) < tol).any())


@pytest.fixture(scope="module")
def png(tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "m.png"
    return render(spec_example(dpi=100), path)


def test_png_size_and_not_blank(png):
    img = read_png(png.path)
    assert img.shape[:2] == (800, 1000)  # 10 x 8 inches at 100 dpi
    assert img.std() > 0.05
    assert len(np.unique((img * 255).astype(int).reshape(-1, 3), axis=0)) > 50


def test_sites_drawn_in_their_colour_at_their_place(png):
    img = read_png(png.path)
    col, row = png.pixel_of(*ABU_KAMAL)
    assert colour_near(img, col, row, to_rgb(ATTRIBUTION_COLORS["denied"]))
    col, row = png.pixel_of(*AL_QAIM)
    assert colour_near(img, col, row, to_rgb(ATTRIBUTION_COLORS["declared"]))
    # and not somewhere else: the map corner opposite the sites has no site colour
    col, row = png.pixel_of(37.0, 35.5)
    assert not colour_near(
        img, col, row, to_rgb(ATTRIBUTION_COLORS["denied"]), radius=10
    )


def test_zone_translucent_over_land(png):
    img = read_png(png.path)
    # a point inside the 30 km zone but away from the sites and labels
    lon, lat = (
        direct(*ABU_KAMAL, 200.0, 22_000).lon,
        direct(*ABU_KAMAL, 200.0, 22_000).lat,
    )
    col, row = png.pixel_of(lon, lat)
    px = img[int(row), int(col)]
    zone = np.asarray(to_rgb(style.ZONE))
    background = np.asarray(to_rgb(style.LAND))
    # a blend: between the background and the zone colour, not either
    assert np.abs(px - zone).max() > 0.1
    assert np.abs(px - background).max() > 0.05
    alpha = np.dot(px - background, zone - background) / np.dot(
        zone - background, zone - background
    )
    assert 0.15 < alpha < 0.45


def test_scale_bar_true_at_centre(png):
    lon0, lat0 = png.center
    tr = transformer(png.crs)
    # independent: project two points 1 km apart along the parallel direction
    e = direct(lon0, lat0, 90.0, 500.0)
    w = direct(lon0, lat0, 270.0, 500.0)
    xe, ye = tr.transform(e.lon, e.lat)
    xw, yw = tr.transform(w.lon, w.lat)
    k = np.hypot(xe - xw, ye - yw) / 1000.0
    assert png.scale_bar_map_length / png.scale_length_m == pytest.approx(k, rel=1e-5)
    assert png.scale_length_m in {
        1e3 * m * 10**e for m in (1, 2, 5) for e in range(0, 5)
    }


def test_north_arrow_matches_meridian_convergence():
    import pyproj

    crs = choose_projection(38, 32, 43, 36)
    proj = pyproj.Proj(crs)
    for lon, lat in [(36.0, 33.0), (40.5, 34.0), (44.0, 35.5)]:
        conv = proj.get_factors(lon, lat).meridian_convergence
        assert abs(north_angle(crs, lon, lat)) == pytest.approx(abs(conv), abs=1e-3)
        assert np.sign(north_angle(crs, lon, lat)) == -np.sign(conv) or abs(conv) < 1e-9


def test_projection_is_not_plate_carree():
    crs = choose_projection(38, 32, 43, 36)
    assert crs.is_projected
    assert crs.coordinate_operation.method_name == "Lambert Conic Conformal (2SP)"
    assert scale_factor(crs, 40.5, 32 + 4 / 6) == pytest.approx(
        1.0, abs=1e-3
    )  # standard parallel


def test_svg_text_and_determinism(tmp_path):
    a = render(spec_example(), tmp_path / "a.svg")
    b = render(spec_example(), tmp_path / "b.svg")
    data = a.path.read_bytes()
    assert data == b.path.read_bytes()
    text = data.decode()
    for word in (
        "Test title",
        "Subtitle text",
        "Abu Kamal",
        "Al Qaim",
        "Tanf 100 km",
        "N",
        "geodesic",
    ):
        assert word in text, word
    assert "<dc:date>" not in text


def test_pdf_and_png_are_stable(tmp_path):
    for ext in ("pdf", "png"):
        a = render(spec_example(dpi=60), tmp_path / f"a.{ext}")
        b = render(spec_example(dpi=60), tmp_path / f"b.{ext}")
        assert a.path.read_bytes() == b.path.read_bytes(), ext
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_labels_do_not_collide(tmp_path):
    spec = MapSpec(title="Crowded")
    for i in range(12):
        d = direct(*ABU_KAMAL, i * 30.0, 3000.0)
        spec.sites.append(
            Feature(shapely.Point(d.lon, d.lat), {"name": f"Site number {i}"})
        )
    res = render(spec, tmp_path / "c.png")
    boxes = res.label_boxes
    # country labels (IRAQ, SYRIA) join once the bundled boundaries exist (#3)
    site_labels = [
        t for t in res.placed_labels + res.dropped_labels if t.startswith("Site number")
    ]
    assert len(site_labels) == 12
    assert len(res.placed_labels) >= 4
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (res.placed_labels[i], res.placed_labels[j])


def test_rings_are_geodesic():
    ring = maps.ring_features(*TANF, [100_000])[0].geometry
    xy = np.asarray(ring.coords)
    d = inverse(
        np.full(len(xy), TANF[0]), np.full(len(xy), TANF[1]), xy[:, 0], xy[:, 1]
    ).distance
    np.testing.assert_allclose(d, 100_000, atol=1e-6)


def test_fan_sector():
    fan = maps.ring_features(*TANF, [50_000], azimuths=(30, 90))[0].geometry
    assert fan.is_valid
    c = fan.centroid
    az = inverse(*TANF, c.x, c.y).azimuth1
    assert 30 < az < 90


def test_spec_from_toml(tmp_path):
    (tmp_path / "s.csv").write_text(f"name,lon,lat\nA,{ABU_KAMAL[0]},{ABU_KAMAL[1]}\n")
    (tmp_path / "map.toml").write_text(
        'title = "From TOML"\nmargin = "30 km"\nextent = "auto"\n'
        '[[layers]]\npath = "s.csv"\n'
        '[[rings]]\ncenter = [38.61778, 33.50583]\nradii = ["50 km", "100 km"]\nlabel = "Tanf"\n'
    )
    spec = maps.load_spec(tmp_path / "map.toml")
    assert spec.title == "From TOML"
    assert spec.margin_m == 30_000
    assert [f.properties["label"] for f in spec.rings] == ["Tanf 50 km", "Tanf 100 km"]
    res = render(spec, tmp_path / "t.svg")
    assert "From TOML" in res.path.read_text()


def test_bad_spec(tmp_path):
    from geoconflict.errors import DataFormatError

    p = tmp_path / "bad.toml"
    p.write_text("titel = 'typo'\n")
    with pytest.raises(DataFormatError, match="titel"):
        maps.load_spec(p)
    p.write_text("title = \n")
    with pytest.raises(DataFormatError, match="TOML"):
        maps.load_spec(p)


def test_each_event(tmp_path):
    spec = spec_example()
    spec.sites[0].properties["event_id"] = "2019-09-09 strike"
    spec.sites[1].properties["event_id"] = "2021-09-14 convoy"
    spec.sites[2].properties["event_id"] = "2021-09-14 convoy"
    res = maps.render_each(spec, tmp_path / "{event}.svg")
    assert sorted(r.path.name for r in res) == [
        "2019-09-09-strike.svg",
        "2021-09-14-convoy.svg",
    ]


def test_boundaries_disputed_and_inset(tmp_path):
    spec = MapSpec(title="Golan", extent=(34.8, 32.4, 36.6, 33.6))
    spec.sites = [Feature(shapely.Point(35.69, 32.99), {"name": "Katzrin"})]
    res = render(spec, tmp_path / "g.svg")
    assert {"countries", "disputed", "inset"} <= set(res.layers)
    text = res.path.read_text()
    assert "<pattern" in text  # the hatch of the disputed area
    assert "SYRIA" in text or "ISRAEL" in text
    assert "Natural Earth" in text
    png = render(spec, tmp_path / "g.png")
    img = read_png(png.path)
    # the hatched disputed area (Golan Heights) shows its red lines around Katzrin
    col, row = png.pixel_of(35.75, 32.95)
    assert colour_near(img, col, row, to_rgb(style.DISPUTED), radius=12, tol=0.15)


def test_map_across_the_antimeridian(tmp_path):
    spec = MapSpec(title="Fiji")
    spec.sites = [
        Feature(
            shapely.Point(179.9, -17.0), {"name": "A", "attribution_status": "denied"}
        ),
        Feature(
            shapely.Point(-179.8, -16.5), {"name": "B", "attribution_status": "denied"}
        ),
    ]
    spec.ring_radii_m = [100_000]
    res = render(spec, tmp_path / "f.png")
    assert abs(abs(res.center[0]) - 180) < 1.0
    assert res.center[1] == pytest.approx(-16.75, abs=0.5)
    img = read_png(res.path)
    for lon, lat in [(179.9, -17.0), (-179.8, -16.5)]:
        col, row = res.pixel_of(lon, lat)
        assert 0 < col < img.shape[1]
        assert 0 < row < img.shape[0]
        assert colour_near(img, col, row, to_rgb(ATTRIBUTION_COLORS["denied"]))
    # the map spans a few hundred km, not the globe
    assert res.scale_length_m <= 200_000
