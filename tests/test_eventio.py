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
        3: ("longitude,latitude", "40.9185,-34.4523", "at sea"),
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
    assert "is before date_start" in rej[5]["reason"]
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
    """With the shipped borders: any country; at sea rejected, neighbour flagged."""
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


# --------------------------------------------------------------------------- #
# Issue #11: every reproduction, kept fixed
# --------------------------------------------------------------------------- #

ACLED_HEAD = "event_id_cnty,event_date,latitude,longitude,geo_precision,fatalities\n"
UCDP_HEAD = (
    "id,latitude,longitude,where_prec,date_prec,date_start,date_end,best,low,high\n"
)
KML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>d</name>'
)


def _problems(es):
    return {
        r["row"]: (r["column"], r["value"], r["reason"], r["action"])
        for r in es.rejected
    }


def test_rows_without_an_id_get_stable_unique_ids(tmp_path):
    p = tmp_path / "noid.csv"
    p.write_text("date,lat,lon\n2019-09-09,34.45,40.92\n2019-09-10,34.45,40.92\n")
    es = gc.read_events(p)
    assert [e.id for e in es] == ["noid-1", "noid-2"]
    assert [e.id for e in gc.read_events(p)] == ["noid-1", "noid-2"]  # stable
    # an empty id cell gets one too, never the id another row already has
    q = tmp_path / "some.csv"
    q.write_text(
        "id,date,lat,lon\nsome-2,2019-09-09,34.45,40.92\n,2019-09-09,34.45,40.92\n"
    )
    ids = [e.id for e in gc.read_events(q)]
    assert ids[0] == "some-2"
    assert len(set(ids)) == 2
    assert ids[1].startswith("some-2")


def test_cli_import_without_ids(tmp_path):
    from geoconflict.cli.main import main

    p = tmp_path / "noid.csv"
    p.write_text("date,lat,lon\n2019-09-09,34.45,40.92\n")
    out = tmp_path / "x.geojson"
    assert main(["import", str(p), "-o", str(out), "--strict"]) == 0
    assert [e.id for e in gc.read_events(out)] == ["noid-1"]


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "NaN", "-1", "2.5", "many"])
def test_acled_fatalities_must_be_a_finite_count(tmp_path, bad):
    p = tmp_path / "a.csv"
    p.write_text(
        ACLED_HEAD
        + f"A1,2019-09-09,34.45,40.92,1,{bad}\nA2,2019-09-09,34.45,40.92,1,\n"
    )
    es = gc.read_acled(p)
    assert [e.id for e in es] == ["A2"]
    assert es["A2"].claims == []  # missing is missing, not zero
    (r,) = es.rejected
    assert (r["file"], r["row"], r["column"], r["value"]) == (
        str(p),
        1,
        "fatalities",
        bad,
    )
    assert r["action"] == "rejected"


@pytest.mark.parametrize(
    ("column", "bad"),
    [("best", "nan"), ("best", "inf"), ("low", "nan"), ("high", "-1")],
)
def test_ucdp_deaths_must_be_finite_counts(tmp_path, column, bad):
    cells = {"best": "3", "low": "", "high": ""} | {column: bad}
    p = tmp_path / "g.csv"
    p.write_text(
        UCDP_HEAD + f"1,34.45,40.92,1,1,2019-09-09,2019-09-09,{cells['best']},"
        f"{cells['low']},{cells['high']}\n"
    )
    es = gc.read_ucdp_ged(p)
    assert len(es) == 0
    assert _problems(es)[1][:2] == (column, bad)


def test_generic_inf_casualties_rejected(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text(
        "id,date,lat,lon,killed\n1,2019-09-09,34.45,40.92,inf\n2,2019-09-09,34.45,40.92,\n"
    )
    es = gc.read_events(p)
    assert [e.id for e in es] == ["2"]
    assert _problems(es)[1][:2] == ("killed", "inf")


def _gpkg(path, rows, layer="events", crs="EPSG:4326", geometries=None):
    """Write a GeoPackage layer of text/float columns with pyogrio."""
    import numpy as np

    pyogrio = pytest.importorskip("pyogrio")
    names = list(rows[0])
    fields = []
    for n in names:
        vals = [r[n] for r in rows]
        if all(isinstance(v, float) for v in vals):
            fields.append(np.array(vals))
        else:
            fields.append(np.array(vals, dtype=object))
    geoms = geometries or [shapely.Point(40.92, 34.45)] * len(rows)
    pyogrio.raw.write(
        str(path),
        geometry=np.array(shapely.to_wkb(geoms), dtype=object),
        field_data=fields,
        fields=names,
        driver="GPKG",
        geometry_type="Point",
        crs=crs,
        layer=layer,
    )


def test_gpkg_null_numbers_are_missing_not_errors(tmp_path):
    p = tmp_path / "n.gpkg"
    nan = float("nan")
    _gpkg(
        p,
        [
            {"id": "1", "date": "2019-09-09", "killed": nan, "radius_m": nan},
            {"id": "2", "date": "2019-09-09", "killed": 4.0, "radius_m": 500.0},
            {"id": "3", "date": "2019-09-09", "killed": float("inf"), "radius_m": nan},
        ],
    )
    es = gc.read_events(p)
    assert [e.id for e in es] == ["1", "2"]
    assert es["1"].claims == []
    assert es["2"].casualties()["killed"] == 4
    assert _problems(es)[3][:2] == ("killed", "inf")


def test_every_gpkg_layer_is_read_and_named(tmp_path):
    p = tmp_path / "m.gpkg"
    _gpkg(p, [{"id": "a1", "date": "2019-09-09"}], layer="a")
    _gpkg(
        p,
        [{"id": "b1", "date": "2019-09-09"}, {"id": "a1", "date": "2019-09-10"}],
        layer="b",
    )
    es = gc.read_events(p)
    assert [(e.id, e.external_ids["layer"]) for e in es] == [("a1", "a"), ("b1", "b")]
    (r,) = es.rejected
    assert r["file"] == f"{p}|layername=b"
    assert r["row"] == 2
    assert "duplicate id" in r["reason"]


def test_gpkg_rows_without_event_json_and_with_bad_json(tmp_path):
    import numpy as np
    import pyogrio

    es0 = gc.load_example()
    src = gc.write_events(es0, tmp_path / "ex.gpkg")
    meta, _, geom, fields = pyogrio.raw.read(src)
    names = list(meta["fields"])
    j = names.index("event_json")
    n = len(geom)
    # row n+1: added in QGIS (NULL event_json); row n+2: event_json holds [1,2]
    new_fields = []
    for k, (name, v) in enumerate(zip(names, fields)):
        extra = {
            "event_id": ["qgis-added", "x"],
            "start": ["2019-09-09", "2019-09-09"],
        }.get(name, [None, None])
        if k == j:
            extra = [None, "[1,2]"]
        if v.dtype == object:
            new_fields.append(np.concatenate([v, np.array(extra, dtype=object)]))
        else:
            new_fields.append(np.concatenate([v, [np.nan, np.nan]]))
    pt = shapely.to_wkb(shapely.Point(40.92, 34.45))
    p = tmp_path / "edited.gpkg"
    pyogrio.raw.write(
        str(p),
        geometry=np.concatenate([geom, np.array([pt, pt], dtype=object)]),
        field_data=new_fields,
        fields=names,
        driver="GPKG",
        geometry_type="Unknown",
        crs="EPSG:4326",
    )
    es = gc.read_events(p)
    assert len(es) == len(es0) + 1
    assert es["qgis-added"].sites[0].location.lon == pytest.approx(40.92)
    assert es[es0.events[0].id].to_dict() == es0.events[0].to_dict()  # lossless
    (r,) = es.rejected
    assert (r["row"], r["column"], r["action"]) == (n + 2, "event_json", "rejected")
    assert "not an event object" in r["reason"]


def test_kml_folders_and_libkml_times(tmp_path):
    p = tmp_path / "f.kml"
    pm = "<Placemark><name>{}</name>{}<Point><coordinates>40.92,34.45</coordinates></Point></Placemark>"
    p.write_text(
        KML_HEAD
        + pm.format("p0", "<TimeStamp><when>2019-09-09</when></TimeStamp>")
        + "<Folder><name>A</name>"
        + pm.format("p1", "<TimeStamp><when>2019-09-09T10:00:00Z</when></TimeStamp>")
        + pm.format(
            "p2", "<TimeSpan><begin>2019-09-09</begin><end>2019-09-11</end></TimeSpan>"
        )
        + "</Folder><Folder><name>B</name>"
        + pm.format("p3", "")
        + pm.format(
            "p4",
            '<ExtendedData><Data name="date"><value>2019-09-10</value></Data></ExtendedData>',
        )
        + "</Folder></Document></kml>"
    )
    es = gc.read_events(p)
    names = {e.sites[0].name: e for e in es}
    assert sorted(names) == ["p0", "p1", "p2", "p4"]
    assert names["p1"].external_ids["layer"] == "A"
    assert names["p1"].time.start.isoformat().startswith("2019-09-09")
    assert names["p2"].time.end.isoformat().startswith("2019-09-11")
    (r,) = es.rejected
    assert (r["file"], r["row"], r["reason"]) == (f"{p}|layername=B", 1, "missing date")


def test_empty_rows_are_reported(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("id,date,lat,lon\n,,,\n1,2019-09-09,34.45,40.92\n\n")
    es = gc.read_events(p)
    assert [e.id for e in es] == ["1"]
    assert _problems(es) == {
        1: (None, "", "empty row (every cell is empty)", "rejected")
    }
    from geoconflict.cli.main import main

    assert main(["import", str(p), "-o", str(tmp_path / "x.geojson"), "--strict"]) == 1


@pytest.mark.parametrize("features", ["[null]", '["x"]', "[3]", '[{"type": "Point"}]'])
def test_geojson_junk_features_are_rejected(tmp_path, features):
    p = tmp_path / "j.geojson"
    p.write_text('{"type": "FeatureCollection", "features": ' + features + "}")
    es = gc.read_events(p)
    assert len(es) == 0
    assert _problems(es)[1][2] == "not a GeoJSON Feature object"


def test_geojson_features_not_a_list(tmp_path):
    p = tmp_path / "j.geojson"
    p.write_text('{"type": "FeatureCollection", "features": {}}')
    with pytest.raises(DataFormatError, match="not a list") as info:
        gc.read_events(p)
    assert str(p) in str(info.value)


def test_native_junk_features_are_rejected():
    from geoconflict.events.native import to_native
    from geoconflict.events.native_read import from_native

    data = to_native(gc.load_example())
    n = len(data["features"])
    data["features"] += [None, "x", {"type": "Feature", "properties": [1, 2]}]
    es = from_native(data, path="n.geojson")
    assert len(es) == n
    assert es.rejected.rows("rejected") == [n + 1, n + 2, n + 3]


def test_empty_feature_collection_is_zero_events(tmp_path):
    p = tmp_path / "e.geojson"
    p.write_text('{"type": "FeatureCollection", "features": []}')
    es = gc.read_events(p)
    assert (len(es), len(es.rejected)) == (0, 0)


def test_tsv_is_tab_separated(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("id\tdate\tlat\tlon\tnotes\n1\t2019-09-09\t34.45\t40.92\ta, b\n")
    es = gc.read_events(p)
    assert es["1"].notes == "a, b"
    assert es["1"].sites[0].location.lat == pytest.approx(34.45)


def test_truncated_xlsx_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import zipfile

    wb = openpyxl.Workbook()
    wb.active.append(ACLED_HEAD.strip().split(","))
    for i in range(50):
        wb.active.append([f"A{i}", "2019-09-09", 34.45, 40.92, 1, 0])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    with pytest.raises(DataFormatError, match="cannot be read") as info:
        gc.read_acled(bad)
    assert str(bad) in str(info.value)


def test_ucdp_date_end_the_day_before_date_start(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text(UCDP_HEAD + "1,34.45,40.92,1,1,2019-09-10,2019-09-09,3,,\n")
    es = gc.read_ucdp_ged(p)
    assert len(es) == 0
    col, value, reason, _ = _problems(es)[1]
    assert (col, value) == ("date_end", "2019-09-09")
    assert "before date_start" in reason


def test_geojson_crs_member_is_applied(tmp_path):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(40.92, 34.45)
    feature = {
        "type": "Feature",
        "properties": {"date": "2019-09-09"},
        "geometry": {"type": "Point", "coordinates": [x, y]},
    }
    p = tmp_path / "m.geojson"
    for name in ("urn:ogc:def:crs:EPSG::3857", "EPSG:3857"):
        p.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [feature],
                    "crs": {"type": "name", "properties": {"name": name}},
                }
            )
        )
        es = gc.read_events(p)
        loc = es["m-1"].sites[0].location
        assert (loc.lon, loc.lat) == (pytest.approx(40.92), pytest.approx(34.45))
    p.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [feature],
                "crs": {"type": "name", "properties": {"name": "EPSG:99999"}},
            }
        )
    )
    with pytest.raises(DataFormatError, match="EPSG:99999") as info:
        gc.read_events(p)
    assert str(p) in str(info.value)


def test_projected_gpkg_is_transformed(tmp_path):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 32637, always_xy=True).transform(40.92, 34.45)
    p = tmp_path / "utm.gpkg"
    _gpkg(
        p,
        [{"id": "1", "date": "2019-09-09", "country": "Syria"}],
        crs="EPSG:32637",
        geometries=[shapely.Point(x, y)],
    )
    es = gc.read_events(p)
    assert len(es.rejected) == 0
    loc = es["1"].sites[0].location
    assert (loc.lon, loc.lat) == (pytest.approx(40.92), pytest.approx(34.45))
