"""``geoconflict link``: two datasets in, merged events and the links table out (#15)."""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

import geoconflict as gc
from geoconflict.cli.main import cli

DATA = Path(__file__).parent / "data"


def test_link_acled_and_ucdp(tmp_path):
    out, links = tmp_path / "linked.geojson", tmp_path / "links.csv"
    res = CliRunner().invoke(
        cli,
        ["link", str(DATA / "acled_good.csv"), str(DATA / "ucdp_good.csv"),
         "-o", str(out), "--links", str(links)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "1 links" in res.output
    (row,) = csv.DictReader(links.open(encoding="utf-8"))
    assert (row["left_id"], row["right_id"]) == ("XSY0001", "900001")
    assert float(row["distance_m"]) < 10.0
    es = gc.read_events(out)
    assert len(es) == 4 + 2 - 1
    by = es["XSY0001"].casualties("by_source")
    assert by["acled"]["killed"] == (0.0, 0.0, 0.0)
    assert by["ucdp-ged"]["killed"] == (0.0, 21.0, 36.0)  # both kept, side by side


def test_link_to_parquet_and_options(tmp_path):
    gpd = pytest.importorskip("geopandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "linked.parquet"
    res = CliRunner().invoke(
        cli,
        ["link", str(DATA / "acled_good.csv"), str(DATA / "ucdp_good.csv"),
         "-o", str(out), "--max-days", "0", "--any-type"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    df = gpd.read_parquet(out)
    assert "XSY0001" in set(df["event_id"])
    res = CliRunner().invoke(
        cli,
        ["link", str(DATA / "acled_good.csv"), str(DATA / "ucdp_good.csv"),
         "-o", str(tmp_path / "x.txt")],
    )  # fmt: skip
    assert res.exit_code == 1
    assert ".parquet" in res.output
    res = CliRunner().invoke(
        cli,
        ["link", str(DATA / "acled_good.csv"), str(DATA / "ucdp_good.csv"),
         "-o", str(out), "--max-days", "-1"],
    )  # fmt: skip
    assert res.exit_code != 0
