"""Importers and exporters on good and bad fixture files (rows written for the tests)."""

import json
import math
from pathlib import Path

import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import DataFormatError

DATA = Path(__file__).parent / "data"


def rejected_by_row(es):
    return {r["row"]: r for r in es.rejected}


def test_read_acled_good():
    es = gc.read_acled(DATA / "acled_good.csv")
    assert [e.id for e in es] == ["XSY0001", "XSY0002", "XIQ0003", "XLB0004"]
    assert len(es.rejected) == 0
    e = es["XSY0001"]
    loc = e.sites[0].location
    assert (loc.lon, loc.lat, loc.precision, loc.country) == (
        40.9185,
        34.4523,
        "settlement",
        "SYR",
    )
    assert e.time.precision == "day"
    assert e.category.sub_event_type == "Air/drone strike"
    assert e.notes.startswith("Test row written for geoconflict")
    assert '"21 killed"' in e.notes
    assert e.casualties()["killed"] == 0
    assert (
        e.attribution_status() == "unknown"
    )  # unidentified actor1 is not an attribution
    assert (
        es["XSY0002"].attribution_status() == "claimed"
    )  # ACLED's coding, as "accused"
    assert es["XSY0002"].sites[0].location.precision == "near_settlement"
    assert es["XSY0002"].time.precision == "week"
    e3 = es["XIQ0003"]
    assert e3.sites[0].location.precision == "province"
    assert e3.time.precision == "month"
    assert e3.time.start.day == 1
    assert e3.tags == ["local administrators"]
    assert es["XLB0004"].time.start.isoformat() == "2019-08-25T00:00:00"
    assert es.sources["acled"].kind == "dataset"


def test_read_acled_bad_reports_every_row():
    es = gc.read_acled(DATA / "acled_bad.csv")
    assert [e.id for e in es] == ["XSY0107", "XSY0111"]
    rej = rejected_by_row(es)
    n_data_rows = len((DATA / "acled_bad.csv").read_text().splitlines()) - 1
    # every data row is either an event or in the report
    assert set(rej) | {7} == set(range(1, n_data_rows + 1))
    expect = {
        1: ("latitude", "95", "out of range"),
        2: ("longitude,latitude", "34.4523,40.9185", "swapped"),
        3: ("longitude,latitude", "40.9185,-34.4523", "outside the extent of SYR"),
        4: ("longitude,latitude", "0,0", "null island"),
        5: ("event_date", "the ninth of Septembre", "unparseable date"),
        6: ("geo_precision", "7", "unknown precision code"),
        8: ("event_id_cnty", "XSY0107", "duplicate id"),
        9: ("time_precision", "9", "unknown precision code"),
        10: ("latitude", "", "missing"),
        11: ("fatalities", "-3", ">= 0"),
        12: ("event_type", "Explosions/Remote violence", "Air strike"),
        13: (None, None, "20 fields"),
    }
    for row, (col, value, reason) in expect.items():
        r = rej[row]
        assert r["column"] == col, row
        if value is not None:
            assert str(r["value"]) in (
                value,
                str(float(value))
                if value.lstrip("-").replace(".", "").isdigit()
                else value,
            ), row
        assert reason in r["reason"], row
        assert r["file"].endswith("acled_bad.csv")
    assert rej[12]["action"] == "flagged"
    assert all(r["action"] == "rejected" for k, r in rej.items() if k != 12)


def test_read_acled_api_json_matches_csv():
    a = gc.read_acled(DATA / "acled_api.json")
    b = gc.read_acled(DATA / "acled_good.csv")
    assert [e.to_dict() for e in a] == [e.to_dict() for e in list(b)[:2]]


def test_read_acled_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import csv

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in csv.reader((DATA / "acled_good.csv").open()):
        ws.append(row)
    p = tmp_path / "a.xlsx"
    wb.save(p)
    assert [e.id for e in gc.read_acled(p)] == [
        "XSY0001",
        "XSY0002",
        "XIQ0003",
        "XLB0004",
    ]


def test_read_acled_missing_columns():
    with pytest.raises(DataFormatError, match="longitude") as info:
        gc.read_acled(DATA / "acled_missing_columns.csv")
    assert info.value.column == "longitude"
    assert "acled_missing_columns.csv" in str(info.value)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (
            "event_id_cnty,event_date,latitude,longitude,geo_precision,location\nX1,2019-09-09,34.45,40.91,1,Alb\xfb Kam\xe2l\n".encode(
                "latin-1"
            ),
            "not UTF-8",
        ),
        (b"", "empty"),
        (b"   \n", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim(tmp_path, content, match):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    for reader in (gc.read_acled, gc.read_ucdp_ged, gc.read_events):
        with pytest.raises(DataFormatError, match=match):
            reader(p)


def test_encoding_argument_reads_legacy_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(
        "event_id_cnty,event_date,latitude,longitude,geo_precision,location\nX1,2019-09-09,34.45,40.91,1,Alb\xfb Kam\xe2l\n".encode(
            "latin-1"
        )
    )
    es = gc.read_acled(p, encoding="latin-1")
    assert es["X1"].sites[0].location.place == "Albû Kamâl"


def test_truncated_json(tmp_path):
    p = tmp_path / "a.json"
    p.write_text((DATA / "acled_api.json").read_text()[:300])
    with pytest.raises(DataFormatError, match="truncated"):
        gc.read_acled(p)
    p2 = tmp_path / "e.geojson"
    p2.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataFormatError, match="truncated"):
        gc.read_events(p2)


def test_read_ucdp_good():
    es = gc.read_ucdp_ged(DATA / "ucdp_good.csv")
    assert len(es.rejected) == 0
    e = es["900001"]
    assert e.casualties("range")["killed"] == (0.0, 36.0)
    assert e.casualties("by_source")["ucdp-ged"]["killed"] == (0.0, 21.0, 36.0)
    assert e.external_ids["ucdp:side_a"] == "Government of Testland"
    assert e.external_ids["ucdp:side_b"] == "Test Militia"
    assert e.sites[0].location.precision == "settlement"
    e2 = es["900002"]
    assert e2.sites[0].location.precision == "province"
    assert e2.time.precision == "month"
    assert (e2.time.start.isoformat(), e2.time.end.isoformat()) == (
        "2021-06-01T00:00:00",
        "2021-07-01T00:00:00",
    )
    assert e2.tags == ["one-sided"]


def test_read_ucdp_bad():
    es = gc.read_ucdp_ged(DATA / "ucdp_bad.csv")
    assert [e.id for e in es] == ["900106"]
    rej = rejected_by_row(es)
    assert rej[1]["column"] == "geom_wkt"
    assert "swapped" in rej[1]["reason"]
    assert rej[2]["column"] == "where_prec"
    assert rej[2]["value"] == "9"
    assert rej[3]["column"] == "date_prec"
    assert rej[3]["value"] == "0"
    assert rej[4]["column"] == "low"
    assert "above best" in rej[4]["reason"]
    assert rej[5]["column"] == "date_end"
    assert "before it starts" in rej[5]["reason"]
    assert rej[7]["column"] == "id"
    assert "duplicate" in rej[7]["reason"]
    assert sorted(rej) == [1, 2, 3, 4, 5, 7]


def test_read_events_generic_csv():
    es = gc.read_events(DATA / "events_generic.csv")
    assert [e.id for e in es] == ["g1", "g2", "g3"]
    loc = es["g1"].sites[0].location
    assert loc.lat == pytest.approx(34 + 27 / 60 + 8 / 3600)
    assert loc.lon == pytest.approx(40 + 55 / 60 + 7 / 3600)
    g3 = es["g3"].sites[0].location
    assert g3.method == "mgrs"
    assert g3.footprint is not None
    assert g3.footprint.contains(shapely.Point(g3.lon, g3.lat))
    assert g3.uncertainty_m == pytest.approx(
        math.sqrt(2) * 500, rel=0.02
    )  # half-diagonal of 1 km
    assert es["g1"].casualties()["killed"] == 0
    assert "test source" in es.sources
    rej = rejected_by_row(es)
    assert sorted(rej) == [4, 5, 6, 7]
    assert rej[4]["column"] == "latitude"
    assert "swapped" in rej[4]["reason"]
    assert rej[5]["column"] == "mgrs"
    assert rej[6]["column"] == "date"
    assert rej[7]["column"] == "precision"
    assert rej[7]["value"] == "town"


def test_read_events_needs_coordinates(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,date,place\n1,2019-09-09,Abu Kamal\n")
    with pytest.raises(DataFormatError, match="no coordinate columns"):
        gc.read_events(p)


def test_read_plain_geojson(tmp_path):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "a",
                "geometry": {"type": "Point", "coordinates": [40.91854, 34.45226]},
                "properties": {"date": "2019-09-09", "precision": "settlement"},
            },
            {
                "type": "Feature",
                "id": "b",
                "geometry": {"type": "Point", "coordinates": [0, 0]},
                "properties": {"date": "2019-09-09"},
            },
            {
                "type": "Feature",
                "id": "c",
                "geometry": None,
                "properties": {"date": "2019-09-09"},
            },
        ],
    }
    p = tmp_path / "x.geojson"
    p.write_text(json.dumps(fc))
    es = gc.read_events(p)
    assert [e.id for e in es] == ["a"]
    assert es["a"].sites[0].location.precision == "settlement"
    assert sorted(r["row"] for r in es.rejected) == [2, 3]


def _dicts(es):
    return [e.to_dict() for e in es]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])
def test_lossless_round_trips(tmp_path, suffix):
    if suffix != ".geojson":
        pytest.importorskip("pyogrio")
    for es in (
        gc.read_acled(DATA / "acled_good.csv"),
        gc.read_events(DATA / "events_generic.csv"),
        gc.read_ucdp_ged(DATA / "ucdp_good.csv"),
    ):
        p = gc.write_events(es, tmp_path / f"out{suffix}")
        back = gc.read_events(p)
        assert _dicts(back) == _dicts(es)
        assert set(back.sources) == set(es.sources)
        assert len(back.rejected) == 0


def test_native_geojson_is_rfc7946(tmp_path):
    es = gc.read_events(DATA / "events_generic.csv")
    p = gc.write_events(es, tmp_path / "x.geojson")
    text = p.read_text(encoding="utf-8")
    data = json.loads(
        text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}")
    )
    assert data["type"] == "FeatureCollection"
    for f in data["features"]:
        assert f["type"] == "Feature"
        g = shapely.geometry.shape(f["geometry"])
        assert g.is_valid
        assert -180 <= g.bounds[0] <= g.bounds[2] <= 180
    assert "crs" not in data  # RFC 7946: WGS84 lon/lat, no crs member


def test_shapefile_keeps_flat_fields(tmp_path):
    pytest.importorskip("pyogrio")
    es = gc.read_acled(DATA / "acled_good.csv")
    p = gc.write_events(es, tmp_path / "x.shp")
    back = gc.read_events(p)
    assert [e.id for e in back] == [e.id for e in es]
    for a, b in zip(es, back):
        la, lb = a.sites[0].location, b.sites[0].location
        assert (lb.lon, lb.lat) == pytest.approx((la.lon, la.lat))
        assert lb.precision == la.precision
        assert b.time.start == a.time.start
        assert b.time.precision == a.time.precision


def test_unknown_output_suffix(tmp_path):
    with pytest.raises(ValueError, match="format"):
        gc.write_events(gc.EventSet(), tmp_path / "x.xyz")


def test_country_check_with_the_border_dataset(tmp_path):
    """With geoconflict.geography.borders: any country; at sea rejected, neighbour flagged."""
    borders = pytest.importorskip("geoconflict.geography.borders")
    if not hasattr(borders, "country_at"):
        pytest.skip("geoconflict.geography.borders.country_at not available")
    p = tmp_path / "x.csv"
    p.write_text(
        "event_id_cnty,event_date,latitude,longitude,geo_precision,country\n"
        "F1,2020-01-01,47.0,-8.0,1,France\n"  # Bay of Biscay: at sea
        "F2,2020-01-01,48.8566,2.3522,1,France\n"  # Paris
        "I1,2020-01-01,34.45226,40.91854,1,Iraq\n"  # Abu Kamal is in Syria
        "F3,2020-01-01,2.3522,48.8566,1,France\n"  # swapped
    )
    es = gc.read_acled(p)
    assert [e.id for e in es] == ["F2", "I1"]
    rej = rejected_by_row(es)
    assert "at sea" in rej[1]["reason"]
    assert rej[1]["action"] == "rejected"
    assert rej[3]["action"] == "flagged"
    assert "SYR" in rej[3]["reason"]
    assert "swapped" in rej[4]["reason"]
    assert rej[4]["action"] == "rejected"


def test_native_geometry_follows_rfc7946_at_the_antimeridian(tmp_path):
    fp = shapely.box(179.5, -17.0, 180.0, -16.5).union(
        shapely.box(-180.0, -17.0, -179.5, -16.5)
    )
    square = shapely.Polygon(
        [(179.5, -17.0), (179.5, -16.5), (180.5, -16.5), (180.5, -17.0)]
    )  # clockwise, crosses 180
    for footprint in (fp, square):
        loc = gc.Location(footprint=footprint, precision="exact", method="imagery")
        es = gc.EventSet(
            [gc.Event("fiji", gc.TimeEstimate("2020-01-01"), [gc.Site("s", loc)])]
        )
        p = gc.write_events(es, tmp_path / "f.geojson")
        f = json.loads(p.read_text())["features"][0]
        g = shapely.geometry.shape(f["geometry"])
        assert -180 <= g.bounds[0]
        assert g.bounds[2] <= 180
        for poly in getattr(g, "geoms", [g]):
            assert poly.exterior.is_ccw
        back = gc.read_events(p)
        assert back["fiji"].sites[0].location.footprint.equals_exact(footprint, 0)
