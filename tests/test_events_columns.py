"""The columnar event core (#13): EventTable, read_acled by columns, to_geodataframe.

The row-wise reader (``engine="rows"``) is the oracle: on any file, reading by
columns gives the same events (field by field) and the same ``rejected`` table
(same entries, same order); and every data row is kept or rejected.
"""

import csv
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.events.eventset import EventSet
from geoconflict.events.table import EventTable
from geoconflict.io.acled import ACLED_COLUMNS

pytest.importorskip("pyarrow")

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# cells: plain ones the columns read, and the odd ones the row-wise builder must see
IDS = st.sampled_from(["SYR1", "SYR2", "IRQ3", " SYR1 ", "", "  ", "IRQ9"])
DATES = st.sampled_from(
    ["2019-09-09", " 2020-02-29 ", "2019-02-30", "2019-09", "Sep 2019", "9 September 2019",
     "", "nan", "2019-9-9", "2019-09-09T03:00", "2019"]
)  # fmt: skip
LATS = st.sampled_from(["34.4523", "34.45", " 36.70 ", "1e1", "95", "0", "nan", "inf",
                        "x", "", "34,5", "3.4e1", "+34.4", "١٢", "34.45\u00a0"])  # fmt: skip
LONS = st.sampled_from(
    ["40.9185", "40.9", "38.98", "200", "0", "-inf", "", "40_9", "44.4"]
)
GEO = st.sampled_from(["1", "2", "3", " 2 ", "1.0", "4", "", "x"])
TPREC = st.sampled_from(["1", "2", "3", "", "2.0", "7"])
FATAL = st.sampled_from(["0", "3", " 12 ", "2.5", "3.0", "-1", "", "nan", "1e2"])
COUNTRY = st.sampled_from(["Syria", "Iraq", " syria ", "Turkey", "", "Narnia"])
ISO = st.sampled_from(["760", "368", "760.0", "", "999"])
TYPES = st.sampled_from(
    [("Political violence", "Explosions/Remote violence", "Air/drone strike"),
     ("Political violence", "Battles", "Air strike"),
     ("Demonstrations", "Protests", "Peaceful protest"),
     ("", "", ""), ("Political violence; Demonstrations", "Riots", "Mob violence"),
     ("Nonsense", "Battles", "Armed clash")]
)  # fmt: skip
ACTORS = st.sampled_from(["Military Forces of Syria", "Unidentified Armed Group", "",
                          " UNIDENTIFIED x", "Islamic State"])  # fmt: skip
TEXT = st.sampled_from(["", "a", " b ", "x; y", 'Town, "quoted"', "\u00a0pad", "é"])


@st.composite
def acled_rows(draw):
    kind = draw(st.sampled_from(["row"] * 8 + ["blank", "short", "long", "commas"]))
    if kind == "blank":
        return ["" for _ in ACLED_COLUMNS]
    if kind == "commas":
        return [" "] + ["" for _ in ACLED_COLUMNS[1:]]
    d, e, s = draw(TYPES)
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        event_id_cnty=draw(IDS), event_date=draw(DATES), time_precision=draw(TPREC),
        disorder_type=d, event_type=e, sub_event_type=s, actor1=draw(ACTORS),
        iso=draw(ISO), country=draw(COUNTRY), admin1=draw(TEXT), location=draw(TEXT),
        latitude=draw(LATS), longitude=draw(LONS), geo_precision=draw(GEO),
        source=draw(TEXT), notes=draw(TEXT), fatalities=draw(FATAL), tags=draw(TEXT),
    )  # fmt: skip
    cells = [row[c] for c in ACLED_COLUMNS]
    if kind == "short":
        cells = cells[:10]
    if kind == "long":
        cells = [*cells, "extra"]
    return cells


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(ACLED_COLUMNS)
        w.writerows(rows)


def _dicts(es):
    return [json.loads(json.dumps(e.to_dict(), default=str)) for e in es]


def assert_same_read(path):
    by_cols = gc.read_acled(path, engine="columns")
    by_rows = gc.read_acled(path, engine="rows")
    assert list(by_cols.rejected) == list(by_rows.rejected)
    assert [e.id for e in by_cols] == [e.id for e in by_rows]
    assert _dicts(by_cols) == _dicts(by_rows)
    return by_cols


@SETTINGS
@given(rows=st.lists(acled_rows(), min_size=1, max_size=25))
def test_columns_read_like_rows(tmp_path, rows):
    path = tmp_path / "acled.csv"
    _write(path, rows)
    es = assert_same_read(path)
    # every data row is kept or rejected, never both
    rejected = set(es.rejected.rows("rejected"))
    assert len(es) + len(rejected) == len(rows)


def test_columns_engine_is_columnar_and_matches_on_a_larger_file(tmp_path):
    rng = np.random.default_rng(3)
    n = 3000
    rows = []
    for i in range(n):
        lat, lon = rng.uniform(34.0, 35.5), rng.uniform(38.0, 40.0)
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update(
            event_id_cnty=f"SYR{i}", event_date=f"2020-0{1 + i % 9}-1{i % 10}",
            time_precision=str(1 + i % 3), disorder_type="Political violence",
            event_type="Battles", sub_event_type="Armed clash", actor1=f"A{i % 7}",
            iso="760", country="Syria", latitude=f"{lat:.4f}", longitude=f"{lon:.4f}",
            geo_precision=str(1 + i % 3), fatalities=str(i % 5), source=f"S{i % 3}",
            notes=f"note {i}", tags="" if i % 4 else "crowd size=no report",
        )  # fmt: skip
        rows.append([row[c] for c in ACLED_COLUMNS])
    rows[10][22] = "95"  # latitude out of range
    rows[20][0] = "SYR5"  # duplicate
    rows[30][1] = "Sep 2020"  # a month: read row-wise, kept
    rows[40][28] = "-2"  # negative fatalities
    path = tmp_path / "big.csv"
    _write(path, rows)
    es = gc.read_acled(path, engine="columns")
    assert es._events is None  # columns until events are asked for
    gdf = es.to_geodataframe()
    assert len(gdf) == len(es) == n - 3
    assert es._events is None  # to_geodataframe did not build events
    es2 = assert_same_read(path)
    assert es2["SYR30"].time.precision == "month"


def test_to_geodataframe_from_columns_equals_the_per_event_frame():
    ex = gc.load_example()
    single = [
        e for e in ex if len(e.sites) == 1 and e.sites[0].location.footprint is None
    ]
    assert single
    by_cols = EventSet.from_table(EventTable.from_events(single), ex.sources)
    by_events = EventSet(single, ex.sources)
    pd.testing.assert_frame_equal(
        by_cols.to_geodataframe(), by_events.to_geodataframe()
    )
    a, b = by_cols.site_table(), by_events.site_table()
    for ra, rb in zip(a, b):
        assert ra.keys() == rb.keys()
        for k in rb:
            same = ra[k] == rb[k] or (
                isinstance(rb[k], float) and math.isnan(rb[k]) and math.isnan(ra[k])
            )
            assert same, (k, ra[k], rb[k])
    assert _dicts(by_cols) == _dicts(single)


def test_events_built_from_columns_can_be_changed_in_place(tmp_path):
    ex = gc.load_example()
    single = [
        e for e in ex if len(e.sites) == 1 and e.sites[0].location.footprint is None
    ]
    es = EventSet.from_table(EventTable.from_events(single))
    es[single[0].id].sites[0].location.flags.append("checked")
    assert es.site_table() == EventSet(es.events).site_table()
    assert es[single[0].id].sites[0].location.flags[-1] == "checked"


def test_table_refuses_what_it_cannot_hold():
    ex = gc.load_example()
    multi = [e for e in ex if len(e.sites) > 1]
    assert multi
    with pytest.raises(ValueError, match="one site per event"):
        EventTable.from_events(multi)


def test_unknown_engine_and_rows_engine_without_pyarrow(tmp_path, monkeypatch):
    from geoconflict.io import acled

    path = _acled_file(tmp_path, 5)
    with pytest.raises(ValueError, match="unknown engine"):
        gc.read_acled(path, engine="fast")
    assert gc.read_acled(path).is_columnar
    # without pyarrow (QGIS's Python) the default reads row by row, same events
    monkeypatch.setattr(acled, "columns_available", lambda: False)
    es = gc.read_acled(path)
    assert not es.is_columnar
    assert _dicts(es) == _dicts(gc.read_acled(path, engine="columns"))


# --------------------------------------------------------------------------- GeoParquet


def test_parquet_round_trip_of_the_example_is_lossless(tmp_path):
    from geoconflict.io.events import read_events, write_events

    ex = gc.load_example()
    back = read_events(write_events(ex, tmp_path / "ex.parquet"))
    assert _dicts(back) == _dicts(ex)
    assert {k: s.to_dict() for k, s in back.sources.items()} == {
        k: s.to_dict() for k, s in ex.sources.items()
    }
    assert [e.attribution_status() for e in back] == [
        e.attribution_status() for e in ex
    ]


def test_parquet_round_trip_of_an_import_is_columnar_and_identical(tmp_path):
    import geopandas as gpd

    from geoconflict.io.events import read_events, write_events

    rows = []
    for i in range(200):
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update(
            event_id_cnty=f"SYR{i}", event_date="2020-03-0" + str(1 + i % 9),
            time_precision=str(1 + i % 3), disorder_type="Political violence",
            event_type="Battles", sub_event_type="Armed clash", actor1=f"A{i % 3}",
            country="Syria", latitude=f"{34.4 + i * 1e-3:.4f}", longitude="40.9185",
            geo_precision="1", fatalities=str(i % 4) if i % 5 else "",
            source="SOHR" if i % 2 else "", tags="a; b" if i % 7 == 0 else "",
            notes=f"r{i}",
        )  # fmt: skip
        rows.append([row[c] for c in ACLED_COLUMNS])
    rows[3][1] = "March 2020"  # built row-wise: an object claim block
    _write(tmp_path / "a.csv", rows)
    es = gc.read_acled(tmp_path / "a.csv")
    p = write_events(es, tmp_path / "a.parquet")
    back = read_events(p)
    assert back._events is None  # read as columns
    assert _dicts(back) == _dicts(es)
    # what geopandas sees: one row per (event, site), the flat columns, lon/lat points
    gdf = gpd.read_parquet(p)
    assert len(gdf) == len(es)
    assert gdf.crs.to_epsg() == 4326
    flat = es.to_geodataframe()
    for c in (
        "event_id",
        "lon",
        "lat",
        "precision",
        "killed_min",
        "attribution_status",
    ):
        pd.testing.assert_series_equal(gdf[c], flat[c], check_dtype=False)
    assert np.allclose(gdf.geometry.x, gdf["lon"])
    assert np.allclose(gdf.geometry.y, gdf["lat"])


def test_parquet_that_geoconflict_did_not_write(tmp_path):
    import geopandas as gpd
    import shapely

    from geoconflict.errors import DataFormatError
    from geoconflict.io.events import read_events

    p = tmp_path / "other.parquet"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(1, 2)], crs=4326).to_parquet(p)
    with pytest.raises(DataFormatError, match="not written by geoconflict"):
        read_events(p)
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataFormatError, match="not a readable Parquet"):
        read_events(tmp_path / "junk.parquet")


def test_cli_import_to_parquet(tmp_path):
    from click.testing import CliRunner

    from geoconflict.cli.main import cli
    from geoconflict.io.events import read_events

    rows = [[""] * len(ACLED_COLUMNS) for _ in range(2)]
    for i, r in enumerate(rows):
        r[0], r[1], r[22], r[23], r[24], r[17] = (
            f"S{i}",
            "2020-01-02",
            "34.45",
            "40.92",
            "1",
            "Syria",
        )
    rows[1][22] = "95"
    _write(tmp_path / "a.csv", rows)
    out = tmp_path / "o.parquet"
    res = CliRunner().invoke(cli, ["import", str(tmp_path / "a.csv"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 row rejected" in res.output
    assert [e.id for e in read_events(out)] == ["S0"]


# --------------------------------------------------------------------------- GeoPackage


def _acled_file(tmp_path, n=300):
    rows = []
    for i in range(n):
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update(
            event_id_cnty=f"SYR{i}", event_date="2020-03-0" + str(1 + i % 9),
            time_precision=str(1 + i % 3), disorder_type="Political violence",
            event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
            actor1=f"Military Forces of Syria {i % 3}", iso="760", country="Syria",
            latitude=f"{34.4 + i * 1e-3:.4f}", longitude="40.9185", geo_precision="2",
            fatalities=str(i % 4), source="SOHR; Local Source",
            notes=f"On 2020-03-01, an air strike hit a town (r{i}).",
            tags="" if i % 6 else "crowd size=no report", admin1="Deir ez-Zor",
            location=f"Town {i % 20}", actor2="Civilians (Syria)", timestamp="1700000000",
        )  # fmt: skip
        rows.append([row[c] for c in ACLED_COLUMNS])
    path = tmp_path / "a.csv"
    _write(path, rows)
    return path


def test_gpkg_of_an_import_stores_claims_relationally_and_round_trips(tmp_path):
    import pyogrio

    from geoconflict.io.events import read_events, write_events

    csv_path = _acled_file(tmp_path)
    es = gc.read_acled(csv_path)
    assert es.is_columnar
    out = write_events(es, tmp_path / "a.gpkg")
    layers = [name for name, _ in pyogrio.list_layers(out)]
    assert layers == ["a", "geoconflict_claims", "geoconflict_sources"]
    meta = pyogrio.read_info(out, layer="a")
    assert "event_json" not in list(meta["fields"])
    assert pyogrio.read_info(out, layer="geoconflict_claims")["features"] == sum(
        len(e.claims) for e in gc.read_acled(csv_path)
    )
    back = read_events(out)
    assert back.is_columnar
    assert _dicts(back) == _dicts(es)
    assert {k: s.to_dict() for k, s in back.sources.items()} == {
        k: s.to_dict() for k, s in es.sources.items()
    }


def test_gpkg_rows_added_in_a_gis_are_read_from_their_columns(tmp_path):
    import pyogrio
    import shapely

    from geoconflict.io.events import read_events, write_events

    es = gc.read_acled(_acled_file(tmp_path, 20))
    out = write_events(es, tmp_path / "a.gpkg")
    meta, _, _, fields = pyogrio.raw.read(out, layer="a")
    names = list(meta["fields"])
    added = []
    for name, v in zip(names, fields):
        value = {"event_id": "qgis-1", "start": "2021-01-02"}.get(name)
        float_col = v.dtype.kind == "f"
        added.append(
            np.array(
                [np.nan if float_col else value], dtype=float if float_col else object
            )
        )
    pyogrio.raw.write(
        str(out), geometry=np.array([shapely.to_wkb(shapely.Point(40.0, 35.0))], dtype=object),
        field_data=added, fields=names, layer="a", driver="GPKG", append=True,
        geometry_type="Point", crs="EPSG:4326",
    )  # fmt: skip
    back = read_events(out)
    assert len(back) == len(es) + 1
    assert back["qgis-1"].sites[0].location.lon == pytest.approx(40.0)
    assert _dicts(list(back)[: len(es)]) == _dicts(es)


def test_from_geodataframe_round_trips_the_flat_table(tmp_path):
    import geopandas as gpd

    es = gc.read_acled(_acled_file(tmp_path, 50))
    gdf = es.to_geodataframe()
    back = EventSet.from_geodataframe(gdf)
    assert back.is_columnar
    cols = [
        "event_id",
        "lon",
        "lat",
        "precision",
        "radius_m",
        "start",
        "end",
        "country",
    ]
    pd.testing.assert_frame_equal(back.to_geodataframe()[cols], gdf[cols])
    # any CRS: points come back in lon/lat degrees
    utm = gdf.to_crs(32637)
    again = EventSet.from_geodataframe(utm)
    assert np.allclose(again.to_geodataframe()["lon"], gdf["lon"], atol=1e-9)
    assert all(len(e.claims) == 0 for e in again)  # no claims made up
    with pytest.raises(ValueError, match="points"):
        EventSet.from_geodataframe(
            gpd.GeoDataFrame(
                {"start": ["2020-01-01"]}, geometry=[gdf.geometry[0].buffer(1)]
            )
        )
