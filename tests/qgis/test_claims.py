"""geoconflict:checkclaims on the bundled seed example, against the core."""

import pytest
import shapely

from geoconflict.events.check import check_claims
from geoconflict.io.events import load_example, write_events

from .layers import as_layer


@pytest.mark.parametrize("from_file", [False, True])
def test_check_claims_matches_core(run, tmp_path, from_file):
    params = {"OUTPUT": "TEMPORARY_OUTPUT"}
    events = load_example()
    if from_file:
        path = tmp_path / "events.geojson"
        write_events(events, str(path))
        params["INPUT"] = str(path)
    res = run("checkclaims", params)
    want = check_claims(events)
    out = list(as_layer(res["OUTPUT"]).getFeatures())
    assert res["N_CLAIMS"] == len(want) > 0
    assert len(out) == len(want)
    for f, w in zip(out, want):
        assert f["event_id"] == w["event_id"]
        assert f["verdict"] == w["verdict"]
        assert f["phrase"] == w["phrase"]
        if w["measured_m"] == w["measured_m"]:
            assert f["measured_m"] == pytest.approx(w["measured_m"], abs=1e-6)
        loc = events[w["event_id"]].primary_site.location
        if loc.lon == loc.lon:
            p = f.geometry().asPoint()
            assert (p.x(), p.y()) == pytest.approx((loc.lon, loc.lat))
        elif loc.geometry is not None:  # an area: a point on its surface
            p = f.geometry().asPoint()
            assert loc.geometry.intersects(shapely.Point(p.x(), p.y()))
