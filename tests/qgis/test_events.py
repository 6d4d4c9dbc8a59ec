"""geoconflict:importevents on the ACLED / UCDP / generic fixtures, against the core."""

from pathlib import Path

import pytest
from qgis.core import QgsProcessingException

import geoconflict

from .layers import as_layer

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("fmt", "name", "reader"),
    [
        (0, "acled_good.csv", geoconflict.read_acled),
        (0, "acled_bad.csv", geoconflict.read_acled),
        (1, "ucdp_good.csv", geoconflict.read_ucdp_ged),
        (2, "events_generic.csv", geoconflict.read_events),
    ],
)
def test_import_matches_core(run, fmt, name, reader):
    path = str(DATA / name)
    res = run(
        "importevents",
        {
            "INPUT": path,
            "FORMAT": fmt,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "REJECTED": "TEMPORARY_OUTPUT",
            "FOOTPRINTS": "TEMPORARY_OUTPUT",
        },
    )
    es = reader(path)
    rows = [r for r in es.site_table() if r["lon"] == r["lon"]]
    out = as_layer(res["OUTPUT"])
    feats = list(out.getFeatures())
    assert out.crs().authid() == "EPSG:4326"
    assert len(feats) == len(rows)
    for f, r in zip(feats, rows):
        assert f["event_id"] == r["event_id"]
        assert f["attribution_status"] == r["attribution_status"]
        p = f.geometry().asPoint()
        assert (p.x(), p.y()) == pytest.approx((r["lon"], r["lat"]), abs=1e-12)
    if not len(es.rejected):  # no empty "Rejected" table in the layer panel
        assert "REJECTED" not in res
        assert res["N_REJECTED"] == 0
        return
    rej = as_layer(res["REJECTED"])
    assert rej.featureCount() == len(es.rejected)
    if name == "acled_bad.csv":
        reasons = " ".join(str(f["reason"]) for f in rej.getFeatures())
        assert rej.featureCount() > 0
        assert "latitude" in reasons
    assert res["N_EVENTS"] == len(es)
    if name == "events_generic.csv":
        fp = as_layer(res["FOOTPRINTS"])
        n_poly = sum(
            r["geometry"].geom_type.endswith("Polygon") for r in es.site_table()
        )
        assert fp.featureCount() == n_poly


def test_nothing_rejected_to_a_named_file_still_writes_it(run, tmp_path):
    dest = str(tmp_path / "rejected.gpkg")
    res = run(
        "importevents",
        {
            "INPUT": str(DATA / "acled_good.csv"),
            "FORMAT": 0,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "REJECTED": dest,
        },
    )
    assert res["REJECTED"] == dest
    assert as_layer(dest).featureCount() == 0


def test_import_missing_columns_is_a_clear_error(run):
    with pytest.raises(QgsProcessingException) as info:
        run(
            "importevents",
            {
                "INPUT": str(DATA / "acled_missing_columns.csv"),
                "FORMAT": 0,
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    assert "acled_missing_columns.csv" in str(info.value)
