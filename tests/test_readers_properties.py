"""Property tests (hypothesis) for every reader: nothing is lost, nothing crashes (#11).

Each test writes a file with random rows (good cells and bad ones: NaN, inf, -1,
text, empty; empty rows; missing optional columns; extra layers/folders), reads it,
and checks the accounting: every data row is either kept (an event, found through
the row's ``notes`` cell ``r<row>``) or listed once in ``rejected`` with action
"rejected", never both; and nothing but DataFormatError escapes.
"""

import copy
import csv
import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoconflict.errors import DataFormatError
from geoconflict.io.events import read_acled, read_events, read_ucdp_ged

pyogrio = pytest.importorskip("pyogrio")

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
BAD = ["", "nan", "NaN", "inf", "-inf", "-1", "text"]
DATES = st.sampled_from(["2019-09-09", "2019-09-10T12:00:00", "", "not a date", "nan"])
LATS = st.sampled_from(["34.45", "34.4", "95", "0", *BAD])
LONS = st.sampled_from(["40.92", "40.9", "200", "0", *BAD])
COUNTS = st.sampled_from(["0", "3", "2.5", *BAD])
IDS = st.sampled_from(["", "a", "b", "c", "d"])


def _rows(columns: dict, min_size=0, max_size=8):
    """Rows: dicts of the given column strategies, or None for an empty row."""
    row = st.fixed_dictionaries(columns)
    return st.lists(st.one_of(row, st.none()), min_size=min_size, max_size=max_size)


def _label(es_file, layer=None):
    return es_file if layer is None else f"{es_file}|layername={layer}"


def check_accounting(es, rows_by_label: dict, layer_of=lambda e: None):
    """Every row is kept xor rejected; the rejected table names only real rows."""
    kept = set()
    for e in es:
        assert str(e.notes).startswith("r"), e.notes
        key = (rows_by_label_key(rows_by_label, layer_of(e)), int(e.notes[1:]))
        assert key not in kept, key
        kept.add(key)
    rejected = {(r["file"], r["row"]) for r in es.rejected if r["action"] == "rejected"}
    for r in es.rejected:
        assert r["file"] in rows_by_label, r
        assert 1 <= r["row"] <= rows_by_label[r["file"]], r
        assert r["reason"], r
    assert not (kept & rejected), kept & rejected
    everything = {(f, i) for f, n in rows_by_label.items() for i in range(1, n + 1)}
    assert kept | rejected == everything


def rows_by_label_key(rows_by_label, layer):
    if layer is None:
        (only,) = rows_by_label
        return only
    (label,) = [k for k in rows_by_label if k.endswith(f"|layername={layer}")]
    return label


def read_or_format_error(reader, path, **kw):
    """Read; return None when the whole file is refused with DataFormatError."""
    try:
        return reader(path, **kw)
    except DataFormatError as exc:
        message = str(exc)
    assert str(path) in message
    return None


def _tmp(name):
    return Path(tempfile.mkdtemp()) / name


def _write_delimited(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        for i, r in enumerate(rows, start=1):
            if r is None:
                w.writerow([""] * len(header))
            else:
                w.writerow([f"r{i}" if h == "notes" else r.get(h, "") for h in header])


GENERIC = {"date": DATES, "lat": LATS, "lon": LONS, "killed": COUNTS, "id": IDS}


@SETTINGS
@given(
    rows=_rows(GENERIC),
    drop=st.sets(st.sampled_from(["id", "killed", "date", "lat"])),
    suffix=st.sampled_from([".csv", ".tsv"]),
)
def test_csv_accounting(rows, drop, suffix):
    header = [c for c in GENERIC if c not in drop] + ["notes"]
    path = _tmp("gen" + suffix)
    _write_delimited(path, header, rows, "\t" if suffix == ".tsv" else ",")
    es = read_or_format_error(read_events, path)
    if es is None:
        assert {"date", "lat"} & drop
        assert any(r is not None for r in rows)
        return
    check_accounting(es, {str(path): len(rows)})
    if "id" in drop:  # generated ids: stable and unique
        assert len({e.id for e in es}) == len(es)
        assert all(e.id.startswith("gen-") for e in es)


ACLED = {
    "event_id_cnty": IDS,
    "event_date": DATES,
    "latitude": LATS,
    "longitude": LONS,
    "geo_precision": st.sampled_from(["1", "2", "3", "7", "", "nan"]),
    "time_precision": st.sampled_from(["1", "3", "", "inf"]),
    "fatalities": COUNTS,
}


@SETTINGS
@given(
    rows=_rows(ACLED), drop=st.sets(st.sampled_from(["time_precision", "fatalities"]))
)
def test_acled_csv_accounting(rows, drop):
    header = [c for c in ACLED if c not in drop] + ["notes"]
    path = _tmp("acled.csv")
    _write_delimited(path, header, rows)
    es = read_acled(path)  # every required column is there: no DataFormatError
    check_accounting(es, {str(path): len(rows)})
    for e in es:
        for c in e.claims:
            assert np.isfinite(c.best)
            assert c.best >= 0


@SETTINGS
@given(rows=_rows(ACLED), trailing=st.integers(0, 2))
def test_acled_xlsx_accounting(rows, trailing):
    openpyxl = pytest.importorskip("openpyxl")
    header = [*list(ACLED), "notes"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for i, r in enumerate(rows, start=1):
        if r is None:
            ws.append([None] * len(header))
        else:
            ws.append([f"r{i}" if h == "notes" else (r[h] or None) for h in header])
    for _ in range(trailing):  # formatted, empty rows after the data: not rows
        ws.append([None] * len(header))
    path = _tmp("acled.xlsx")
    wb.save(path)
    es = read_acled(path)
    n = len(rows)
    while n and rows[n - 1] is None:
        n -= 1
    check_accounting(es, {str(path): n})


UCDP = {
    "id": IDS,
    "latitude": LATS,
    "longitude": LONS,
    "where_prec": st.sampled_from(["1", "2", "9", ""]),
    "date_prec": st.sampled_from(["1", "4", ""]),
    "date_start": st.sampled_from(["2019-09-09", "2019-09-10", "", "x"]),
    "date_end": st.sampled_from(["2019-09-09", "2019-09-10", "2019-09-08", ""]),
    "best": COUNTS,
    "low": COUNTS,
    "high": COUNTS,
}


@SETTINGS
@given(rows=_rows(UCDP))
def test_ucdp_accounting(rows):
    header = [*list(UCDP), "where_description"]
    path = _tmp("ged.csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i, r in enumerate(rows, start=1):
            w.writerow(
                [""] * len(header) if r is None else [r.get(h, f"r{i}") for h in header]
            )
    es = read_ucdp_ged(path)
    check_accounting(es, {str(path): len(rows)})
    for e in es:
        assert e.time.end > e.time.start
        for c in e.claims:
            assert np.isfinite(c.best)
            assert c.best >= 0


def _point(r):
    try:
        lon, lat = float(r["lon"]), float(r["lat"])
    except ValueError:
        return None
    if not (np.isfinite(lon) and np.isfinite(lat)):
        return None
    return shapely.Point(lon, lat)


GEOJSON_JUNK = st.sampled_from(
    [None, "x", 3, [], {"type": "Point"}, {"type": "Feature"}]
)


@SETTINGS
@given(
    rows=_rows(GENERIC, max_size=6),
    junk=st.lists(st.tuples(st.integers(0, 6), GEOJSON_JUNK), max_size=3),
    projected=st.booleans(),
)
def test_geojson_accounting(rows, junk, projected):
    feats = []
    for r in rows:
        if r is None:
            feats.append({"type": "Feature", "properties": {}, "geometry": None})
            continue
        g = _point(r)
        props = {k: v for k, v in r.items() if k not in ("lat", "lon") and v != ""}
        if g is not None and projected:
            g = shapely.Point(g.x * 111_320.0, g.y * 111_320.0)  # not a real CRS
        feats.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": None if g is None else shapely.geometry.mapping(g),
            }
        )
    for pos, j in junk:
        feats.insert(min(pos, len(feats)), copy.deepcopy(j))
    for i, f in enumerate(feats, start=1):
        if isinstance(f, dict) and f.get("type") == "Feature":
            f.setdefault("properties", {})
            if isinstance(f["properties"], dict):
                f["properties"]["notes"] = f"r{i}"
    data = {"type": "FeatureCollection", "features": feats}
    if projected:
        data["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    path = _tmp("gen.geojson")
    path.write_text(json.dumps(data))
    es = read_or_format_error(read_events, path)
    if es is None:
        return
    check_accounting(es, {str(path): len(feats)})
    for e in es:
        loc = e.sites[0].location
        assert -180 <= loc.lon <= 180
        assert -90 <= loc.lat <= 90


def _vector_fields(rows, start=1):
    """pyogrio field arrays: text date/id, float killed (NaN: NULL), notes."""
    date = np.array(
        [None if r is None or r["date"] == "" else r["date"] for r in rows],
        dtype=object,
    )
    ident = np.array(
        [None if r is None or r["id"] == "" else r["id"] for r in rows], dtype=object
    )

    def num(v):
        try:
            return float(v)
        except ValueError:
            return np.nan

    killed = np.array([np.nan if r is None else num(r["killed"]) for r in rows])
    notes = np.array([f"r{i}" for i in range(start, start + len(rows))], dtype=object)
    geoms = [None if r is None else _point(r) for r in rows]
    wkb = np.array(
        [None if g is None else shapely.to_wkb(g) for g in geoms], dtype=object
    )
    return wkb, [date, ident, killed, notes], ["date", "id", "killed", "notes"]


@SETTINGS
@given(
    layers=st.lists(_rows(GENERIC, min_size=1, max_size=5), min_size=1, max_size=3),
    driver=st.sampled_from(["GPKG", "ESRI Shapefile"]),
)
def test_gpkg_shp_accounting(layers, driver):
    if driver == "ESRI Shapefile":
        layers = layers[:1]
    path = _tmp("gen.gpkg" if driver == "GPKG" else "gen.shp")
    for k, rows in enumerate(layers):
        wkb, fields, names = _vector_fields(rows)
        pyogrio.raw.write(
            str(path),
            geometry=wkb,
            field_data=fields,
            fields=names,
            driver=driver,
            geometry_type="Point",
            crs="EPSG:4326",
            layer=f"l{k}" if driver == "GPKG" else None,
        )
    es = read_events(path)  # a date column and geometries: no DataFormatError
    if len(layers) == 1:
        check_accounting(es, {str(path): len(layers[0])})
    else:
        check_accounting(
            es,
            {_label(str(path), f"l{k}"): len(rows) for k, rows in enumerate(layers)},
            layer_of=lambda e: e.external_ids["layer"],
        )


def _placemark(i, r):
    if r is None:
        return "<Placemark></Placemark>"
    g = _point(r)
    when = (
        f"<TimeStamp><when>{escape(r['date'])}</when></TimeStamp>" if r["date"] else ""
    )
    data = "".join(
        f'<Data name="{k}"><value>{escape(v)}</value></Data>'
        for k, v in (("killed", r["killed"]), ("notes", f"r{i}"))
        if v
    )
    point = (
        f"<Point><coordinates>{g.x},{g.y}</coordinates></Point>"
        if g is not None
        else ""
    )
    return (
        f"<Placemark><name>p{i}</name>{when}<ExtendedData>{data}</ExtendedData>"
        f"{point}</Placemark>"
    )


@SETTINGS
@given(folders=st.lists(_rows(GENERIC, min_size=1, max_size=4), min_size=1, max_size=3))
def test_kml_accounting(folders):
    body = "".join(
        f"<Folder><name>f{k}</name>"
        + "".join(_placemark(i, r) for i, r in enumerate(rows, start=1))
        + "</Folder>"
        for k, rows in enumerate(folders)
    )
    path = _tmp("gen.kml")
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><name>doc</name>{body}</Document></kml>"
    )
    es = read_events(path)  # LIBKML's timestamp column: no DataFormatError
    layers = [str(n) for n, _ in pyogrio.list_layers(path)]
    expect = dict(zip([f"f{k}" for k in range(len(folders))], map(len, folders)))
    assert set(layers) == set(expect)
    if len(folders) == 1:
        check_accounting(es, {str(path): len(folders[0])})
    else:
        check_accounting(
            es,
            {_label(str(path), name): n for name, n in expect.items()},
            layer_of=lambda e: e.external_ids["layer"],
        )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
EVENT_KEYS = st.sampled_from(
    ["id", "time", "sites", "claims", "category", "tags", "external_ids", "date", "lat"]
)
FEATURE = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "properties": st.one_of(
                JSON, st.dictionaries(EVENT_KEYS, JSON, max_size=5)
            ),
            "geometry": st.one_of(
                JSON,
                st.just({"type": "Point", "coordinates": [40.92, 34.45]}),
            ),
        }
    ),
)


@SETTINGS
@given(feats=st.lists(FEATURE, max_size=5), native=st.booleans())
def test_geojson_junk_only_format_errors(feats, native):
    data = {"type": "FeatureCollection", "features": feats}
    if native:
        data["geoconflict"] = {"name": "geoconflict-events", "version": 1}
        data["sources"] = []
    path = _tmp("junk.geojson")
    path.write_text(json.dumps(data))
    es = read_or_format_error(read_events, path)
    if es is None:
        return
    rejected = set(es.rejected.rows("rejected"))
    assert rejected <= set(range(1, len(feats) + 1))
    assert len(es) + len(rejected) == len(feats)


@SETTINGS
@given(
    cells=st.lists(
        st.one_of(st.none(), st.just(""), st.just("{not json"), JSON.map(json.dumps)),
        min_size=1,
        max_size=4,
    )
)
def test_gpkg_event_json_junk_only_format_errors(cells):
    n = len(cells)
    path = _tmp("junk.gpkg")
    pyogrio.raw.write(
        str(path),
        geometry=np.array(
            [shapely.to_wkb(shapely.Point(40.92, 34.45))] * n, dtype=object
        ),
        field_data=[
            np.array(["2019-09-09"] * n, dtype=object),
            np.array([f"r{i}" for i in range(1, n + 1)], dtype=object),
            np.array(cells, dtype=object),
        ],
        fields=["start", "notes", "event_json"],
        driver="GPKG",
        geometry_type="Point",
        crs="EPSG:4326",
    )
    es = read_events(path)
    # a row without event_json is read from its plain columns and kept
    plain = [i for i, c in enumerate(cells, start=1) if not c]
    assert {int(e.notes[1:]) for e in es if e.notes and e.notes[1:].isdigit()} >= set(
        plain
    )
    rejected = set(es.rejected.rows("rejected"))
    assert rejected <= set(range(1, n + 1)) - set(plain)
    assert len(es) + len(rejected) <= n
