"""geoconflict:catalogrange against the catalog core."""

import numpy as np
import pytest
import shapely
from qgis.core import QgsProcessingException

from geoconflict.analysis.range_catalog import load_catalog

from .layers import as_layer, lonlat_shapely, make_layer

SITES = [(38.6178, 33.5058), (40.9186, 34.4522)]


def test_catalog_range_all_claims(run, tmp_path):
    src = make_layer(
        "shp",
        "Point",
        [shapely.Point(p) for p in SITES],
        {"name": ["a", "b"]},
        "EPSG:32637",
        tmp_path,
    )
    res = run(
        "catalogrange",
        {"INPUT": src, "SYSTEM": "grad", "POLICY": "all", "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    cat = load_catalog()
    claims = cat.ranges("grad")
    want = cat.reach(np.array(SITES), "grad")
    out = as_layer(res["OUTPUT"])
    feats = list(out.getFeatures())
    assert res["N_CLAIMS"] == len(claims) >= 2
    assert len(feats) == len(SITES) * len(claims)
    assert {f["source"] for f in feats} == {c.source for c in claims}
    for f, g, w in zip(feats, lonlat_shapely(out), want.geometry):
        assert g.symmetric_difference(w).area < 1e-6
        assert f["outer_m"] in {c.max_m for c in claims}


def test_catalog_unknown_system(run):
    src = make_layer("memory", "Point", [shapely.Point(SITES[0])])
    with pytest.raises(QgsProcessingException) as info:
        run(
            "catalogrange",
            {"INPUT": src, "SYSTEM": "Gradd", "OUTPUT": "TEMPORARY_OUTPUT"},
        )
    assert "Grad" in str(info.value)
