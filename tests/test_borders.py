"""Countries, provinces, borders, reverse geocoding and distances to borders (#3)."""

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import geoconflict as gc
from geoconflict.errors import BoundaryNotFoundError
from geoconflict.geography import borders, boundaries

WGS84 = Geodesic.WGS84
ABU_KAMAL = (40.91854, 34.45226)  # GeoNames 174448
AL_QAIM = (40.98945, 34.39251)  # GeoNames 92138
KATZRIN = (35.69, 32.99)
DAHIEH = (35.51, 33.85)


def _tanf():
    (site,) = [p for p in gc.places.sites() if p.id == "al-tanf-garrison"]
    return site


def _densified_min_distance(lon, lat, line, step_m=25.0, window_deg=0.5):
    """Independent oracle: geographiclib distance to a densely sampled geodesic line.

    Only edges within `window_deg` of the point are sampled (the others are farther).
    """
    best = np.inf
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:]):
            if (
                min(abs(x1 - lon), abs(x2 - lon)) > window_deg
                and (x1 - lon) * (x2 - lon) > 0
            ):
                continue
            if (
                min(abs(y1 - lat), abs(y2 - lat)) > window_deg
                and (y1 - lat) * (y2 - lat) > 0
            ):
                continue
            g = WGS84.InverseLine(y1, x1, y2, x2)
            n = max(int(np.ceil(g.s13 / step_m)), 1)
            for k in range(n + 1):
                p = g.Position(g.s13 * k / n)
                d = WGS84.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]
                best = min(best, d)
    return best


# -- lookups -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["SYR", "SY", "Syria", "syria", "Syrian Arab Republic"]
)
def test_country_by_code_or_name(name):
    c = gc.country(name)
    assert c.iso3 == "SYR"
    assert c.iso2 == "SY"
    assert c.geometry.is_valid
    assert c.geometry.geom_type in ("Polygon", "MultiPolygon")


def test_country_osm_dataset():
    c = gc.country("Iraq", dataset="osm")
    assert c.dataset == "osm"
    assert c.iso3 == "IRQ"
    ne = gc.country("IRQ")
    # the two datasets agree on the country to within their resolution (area within 2 %)
    assert abs(gc.area(c.geometry) / gc.area(ne.geometry) - 1) < 0.02


@pytest.mark.parametrize("bad", ["Sirya", "SYX", "Irak"])
def test_unknown_country_suggests_close_names(bad):
    with pytest.raises(BoundaryNotFoundError) as err:
        gc.country(bad)
    msg = str(err.value)
    assert "Closest" in msg
    assert ("Syria" in msg) or ("Iraq" in msg)
    assert isinstance(err.value, KeyError)


def test_unknown_dataset():
    with pytest.raises(BoundaryNotFoundError, match="ne, osm"):
        gc.countries("gadm")


@pytest.mark.slow
def test_provinces_and_province_lookup():
    iraq = gc.provinces("IRQ")
    assert len(iraq) == 18
    assert all(p.country == "IRQ" for p in iraq)
    assert gc.province("Anbar").code == "IQ-AN"
    assert gc.province("IQ-AN").name == "Al-Anbar"
    assert gc.province("al-Anbar", country="Iraq").code == "IQ-AN"
    assert gc.province("Deir ez-Zor").code == "SY-DY"
    assert gc.province("محافظة الأنبار").code == "IQ-AN"
    with pytest.raises(BoundaryNotFoundError, match="Al-Anbar"):
        gc.province("Anbarr")


def test_province_union_is_the_country():
    """Countries are dissolved admin-1: provinces tile the country exactly."""
    syr = gc.country("SYR").geometry
    union = shapely.union_all([p.geometry for p in gc.provinces("SYR")])
    assert shapely.symmetric_difference(union, syr).area < 1e-9


# -- reverse geocoding -----------------------------------------------------------------


def test_country_and_province_at_checks():
    assert gc.country_at(*ABU_KAMAL) == "SYR"
    assert gc.province_at(*ABU_KAMAL) == "SY-DY"
    assert gc.province_at(*ABU_KAMAL, codes=False).name == "Dayr Az Zawr"
    assert gc.country_at(*AL_QAIM) == "IRQ"
    assert gc.province_at(*AL_QAIM) == "IQ-AN"
    assert gc.country_at(*DAHIEH) == "LBN"
    assert gc.country_at(*DAHIEH, status=True) == "LBN"


def test_golan_reports_holder_and_claim():
    assert gc.country_at(*KATZRIN) == "ISR"
    assert gc.country_at(*KATZRIN, status=True) == "ISR, disputed: claimed by SYR"
    area = gc.disputes_at(*KATZRIN)
    assert area.name == "Golan Heights"
    assert area.claimed_by == ("SYR",)


def test_status_text_never_invents_a_holder():
    golan = next(a for a in gc.disputed_areas() if a.name == "Golan Heights")
    assert (
        golan.describe(None)
        == "Golan Heights (disputed area): Admin. By Israel; Claimed by Syria"
    )
    assert golan.describe("SYR") == "SYR, disputed: administered by ISR"
    assert "None" not in golan.describe(None)


def test_country_at_sea_nan_and_shapes(scalar_and_array):
    assert gc.country_at(34.0, 33.0) is None  # Mediterranean
    out = gc.country_at(scalar_and_array(40.91854), scalar_and_array(34.45226))
    assert (out == "SYR") if np.ndim(out) == 0 else out.tolist() == ["SYR"]
    arr = gc.country_at(
        np.array([[40.9, np.nan], [34.0, 44.0]]), np.array([[34.4, 0], [33.0, 33.3]])
    )
    assert arr.shape == (2, 2)
    assert arr.tolist() == [["SYR", None], [None, "IRQ"]]


def test_country_at_matches_plain_point_in_polygon():
    """The grid/quadtree index agrees with shapely's exact test on random points."""
    rng = np.random.default_rng(3)
    lon = rng.uniform(34, 49, 3000)
    lat = rng.uniform(28, 38, 3000)
    got = gc.country_at(lon, lat)
    cs = [
        c
        for c in gc.countries()
        if c.iso3
        in {
            "SYR",
            "IRQ",
            "JOR",
            "LBN",
            "ISR",
            "PSE",
            "TUR",
            "IRN",
            "SAU",
            "KWT",
            "EGY",
            "CYP",
            "CYN",
        }
    ]
    want = np.full(len(lon), None, dtype=object)
    pts = shapely.points(lon, lat)
    for c in cs:
        want[shapely.intersects(c.geometry, pts)] = c.iso3
    known = want != None  # noqa: E711
    assert (got[known] == want[known]).all()
    assert all(g is None or g not in {c.iso3 for c in cs} for g in got[~known])


def test_country_at_osm():
    assert gc.country_at(*ABU_KAMAL, dataset="osm") == "SYR"
    assert gc.country_at(*AL_QAIM, dataset="osm") == "IRQ"
    assert gc.country_at(2.35, 48.85, dataset="osm") is None  # outside the OSM extract


# -- borders ---------------------------------------------------------------------------


def test_border_symmetric_and_shared():
    b1 = gc.border("IRQ", "SYR")
    b2 = gc.border("SYR", "IRQ")
    assert shapely.equals(b1, b2)
    irq, syr = gc.country("IRQ").geometry, gc.country("SYR").geometry
    # topologically shared: on both boundaries, with no gap
    assert shapely.covered_by(b1, irq.boundary)
    assert shapely.covered_by(b1, syr.boundary)
    assert shapely.intersection(irq, syr).area == pytest.approx(0, abs=1e-12)


def test_iraq_syria_border_length():
    length = gc.length(gc.border("IRQ", "SYR"))
    assert 580e3 < length < 620e3
    osm = gc.length(gc.border("IRQ", "SYR", dataset="osm"))
    assert 560e3 < osm < 640e3


def test_osm_border_bridged_across_rivers():
    """The OSM land polygons stop at the Euphrates; the border line is bridged."""
    osm = gc.border("IRQ", "SYR", dataset="osm")
    assert osm.geom_type == "LineString"
    # every bridged stretch stays close to the NE line (within the NE uncertainty)
    ne = gc.border("IRQ", "SYR")
    mid = shapely.line_interpolate_point(osm, np.linspace(0, 1, 50), normalized=True)
    d = gc.distance_to(
        shapely.get_coordinates(mid)[:, 0], shapely.get_coordinates(mid)[:, 1], ne
    )
    assert d.max() <= borders.UNCERTAINTY_M["ne"] + borders.UNCERTAINTY_M["osm"]


def test_borders_of_and_no_border():
    assert sorted(gc.borders_of("SYR")) == ["IRQ", "ISR", "JOR", "LBN", "TUR"]
    assert "SYR" in gc.borders_of("IRQ")
    with pytest.raises(BoundaryNotFoundError, match="Neighbours of IRQ"):
        gc.border("IRQ", "EGY")


def test_tripoint_iraq_syria_jordan():
    (t,) = gc.tripoints("IRQ", "SYR", "JOR")
    assert t.countries == ("IRQ", "JOR", "SYR")
    for a, b in (("IRQ", "SYR"), ("IRQ", "JOR"), ("JOR", "SYR")):
        assert shapely.distance(gc.border(a, b), shapely.Point(t.lon, t.lat)) < 1e-9
    assert any(tp.countries == ("IRQ", "JOR", "SYR") for tp in gc.tripoints("SYR"))


# -- distances ---------------------------------------------------------------------------


def test_abu_kamal_distance_to_border():
    r = gc.distance_to_border(*ABU_KAMAL, "IRQ", "SYR")
    assert 6500 <= r.distance_m <= 7000
    assert r.side == "SYR"
    assert r.dataset == "ne"
    assert r.border == "IRQ-SYR"
    assert r.low_m < r.distance_m < r.high_m
    # the nearest point is on the border, and geographiclib agrees on the distance
    # (on the geodesic edge, which bows up to ~0.2 m off the straight lon/lat segment)
    assert shapely.distance(gc.border("IRQ", "SYR"), shapely.Point(r.lon, r.lat)) < 1e-5
    inv = WGS84.Inverse(ABU_KAMAL[1], ABU_KAMAL[0], r.lat, r.lon)
    assert inv["s12"] == pytest.approx(r.distance_m, abs=0.01)
    # and no point of the (densely sampled) border is closer
    assert (
        _densified_min_distance(*ABU_KAMAL, gc.border("IRQ", "SYR"))
        >= r.distance_m - 0.5
    )


def test_al_qaim_side():
    r = gc.distance_to_border(*AL_QAIM, "SYR", "IRQ")
    assert r.side == "IRQ"
    assert r.distance_m < 5000


def test_al_tanf_between_jordan_and_iraq_borders():
    site = _tanf()
    for other in ("IRQ", "JOR"):
        r = gc.distance_to_border(site.lon, site.lat, "SYR", other)
        assert r.side == "SYR"
        assert 20e3 <= r.distance_m <= 22e3  # "about 20-22 km" (issue #3)
        assert r.low_m <= r.distance_m - 1000  # NE's ±1-3 km is larger than the gap


def test_uncertainty_per_dataset():
    ne = gc.distance_to_border(*ABU_KAMAL, "IRQ", "SYR")
    osm = gc.distance_to_border(*ABU_KAMAL, "IRQ", "SYR", dataset="osm")
    assert ne.high_m - ne.low_m > osm.high_m - osm.low_m
    assert ne.high_m - ne.distance_m == pytest.approx(borders.UNCERTAINTY_M["ne"])
    # the two datasets' distances agree within the NE uncertainty
    assert abs(ne.distance_m - osm.distance_m) <= borders.UNCERTAINTY_M["ne"]


def test_stated_uncertainty_covers_ne_vs_osm():
    """NE and OSM lines differ by up to ~3.5 km on IRQ-SYR; the stated ± covers it."""
    ne = gc.border("IRQ", "SYR")
    pts = shapely.line_interpolate_point(ne, np.linspace(0, 1, 120), normalized=True)
    xy = shapely.get_coordinates(pts)
    r = gc.distance_to_border(xy[:, 0], xy[:, 1], "IRQ", "SYR", dataset="osm")
    assert np.median(r.distance_m) > 300  # the datasets really differ
    assert (
        r.distance_m.max() <= borders.UNCERTAINTY_M["ne"] + borders.UNCERTAINTY_M["osm"]
    )


def test_distance_to_border_vectorized():
    lon = np.array([ABU_KAMAL[0], AL_QAIM[0], np.nan])
    lat = np.array([ABU_KAMAL[1], AL_QAIM[1], np.nan])
    r = gc.distance_to_border(lon, lat, "IRQ", "SYR")
    assert r.distance_m.shape == (3,)
    assert r.side.tolist()[:2] == ["SYR", "IRQ"]
    assert np.isnan(r.distance_m[2])
    one = gc.distance_to_border(*AL_QAIM, "IRQ", "SYR")
    assert r.distance_m[1] == pytest.approx(one.distance_m)


def test_nearest_border():
    r = gc.nearest_border([ABU_KAMAL[0], 36.3, 34.0], [ABU_KAMAL[1], 33.5, 33.0])
    assert r.border.tolist()[:2] == ["IRQ-SYR", "LBN-SYR"]
    assert r.side.tolist() == ["SYR", "SYR", None]
    assert np.isnan(r.distance_m[2])
    direct = gc.distance_to_border(36.3, 33.5, "SYR", "LBN")
    assert r.distance_m[1] == pytest.approx(direct.distance_m)


def test_border_zone_one_side():
    z = gc.border_zone("IRQ", "SYR", 10_000, side="SYR")
    both = gc.border_zone("IRQ", "SYR", 10_000)
    assert 0.45 < gc.area(z) / gc.area(both) < 0.55
    pt = z.representative_point()
    assert gc.country_at(pt.x, pt.y) == "SYR"
    # Abu Kamal (6.7 km from the border) is inside the 10 km strip, not the 5 km one
    assert shapely.contains_xy(z, *ABU_KAMAL)
    assert not shapely.contains_xy(
        gc.border_zone("IRQ", "SYR", 5_000, side="SYR"), *ABU_KAMAL
    )
    with pytest.raises(BoundaryNotFoundError):
        gc.border_zone("IRQ", "SYR", 1000, side="JOR")


def test_to_geodataframe():
    gpd = pytest.importorskip("geopandas")
    gdf = boundaries.to_geodataframe(gc.provinces("IRQ"))
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == 18
    assert "IQ-AN" in set(gdf["code"])
    g = boundaries.to_geodataframe(gc.disputed_areas())
    assert "Golan Heights" in set(g["name"])


@pytest.mark.parametrize(
    ("a", "b", "width_m"),
    [("IRQ", "SYR", 10_000.0), ("SYR", "TUR", 5_000.0), ("ISR", "LBN", 2_000.0)],
)
def test_border_zone_is_the_points_within_width(a, b, width_m):
    """Oracle: a point is in the zone exactly when its geodesic distance to the border
    (distance_to_border, exact) is at most width_m and it lies in a or b.

    Catches a strip that is empty, truncated (pieces of a long line dropped) or too
    wide, whatever the buffer does inside.
    """
    zone = gc.border_zone(a, b, width_m)
    line = gc.border(a, b)
    x0, y0, x1, y1 = line.bounds
    pad = 2.5 * width_m / 90_000.0  # degrees, generous at these latitudes
    rng = np.random.default_rng(12)
    lon = rng.uniform(x0 - pad, x1 + pad, 4000)
    lat = rng.uniform(y0 - pad, y1 + pad, 4000)
    r = gc.distance_to_border(lon, lat, a, b)
    inside = shapely.contains_xy(zone, lon, lat)
    ours = np.isin(r.side.astype(str), [a, b])
    tol = max(1.0, 1e-3 * width_m)  # the buffer's stated tolerance
    near = ours & (r.distance_m < width_m - tol)
    far = r.distance_m > width_m + tol
    assert near.sum() > 200
    assert far.sum() > 200
    assert inside[near].all()
    assert not inside[far].any()
    assert not inside[~ours].any()


def test_split_modules_keep_one_object_per_public_name():
    """gc.X is the defining module's X, and each public name has one home."""
    from geoconflict.geography import boundaries, lookup

    homes: dict = {}
    for mod in (borders, boundaries, lookup):
        for name in mod.__all__:
            assert name not in homes, f"{name} in {homes.get(name)} and {mod.__name__}"
            homes[name] = mod.__name__
            if name in gc.__all__:
                assert getattr(gc, name) is getattr(mod, name), name
