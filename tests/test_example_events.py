"""The seed example: every event of the two reports, claims tied to sources."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import geoconflict as gc

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "al-bukamal-2019-2021.geojson"


@pytest.fixture(scope="module")
def es():
    return gc.load_example()


def test_loads_and_matches_the_file(es):
    assert len(es) == 9
    assert len(es.rejected) == 0
    again = gc.read_events(EXAMPLE)
    assert [e.to_dict() for e in again] == [e.to_dict() for e in es]


def test_file_is_what_the_build_script_writes(tmp_path):
    """examples/ is generated: the committed file must equal a fresh build."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_example_events as b
    finally:
        sys.path.pop(0)
    out = gc.write_events(b.build(), tmp_path / "x.geojson")
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        EXAMPLE.read_text(encoding="utf-8")
    )


def test_every_claim_has_a_known_source(es):
    for e in es:
        for c in e.claims:
            assert c.source in es.sources, (e.id, c)
            if c.via is not None:
                assert c.via in es.sources
            assert c.phrase is None or len(c.phrase.split()) <= 16  # brief quotations


def test_imam_ali_compound(es):
    e = es["2019-09-09-imam-ali-compound"]
    loc = e.primary_site.location
    assert (loc.lon, loc.lat) == (40.91854, 34.45226)
    assert loc.precision == "settlement"  # the sources do not locate the compound
    assert e.casualties() == {
        "killed": 0.0,
        "wounded": 0.0,
        "missing": e.casualties()["missing"],
    }
    assert e.casualties("range")["killed"] == (0.0, 21.0)
    assert e.casualties("range")["wounded"] == (0.0, 36.0)
    bs = e.casualties("by_source")
    assert bs["local-activists"] == {
        "killed": (21.0, 21.0, 21.0),
        "wounded": (36.0, 36.0, 36.0),
    }
    assert bs["syrian-government-official"]["killed"] == (0.0, 0.0, 0.0)
    assert e.attribution_status() == "claimed"
    assert e.attribution_status(by_actor=True) == {
        "Israel": "claimed",
        "United States": "claimed",
    }
    (d,) = e.claims_of("distance")
    assert (d.low_m, d.value_m, d.high_m, d.reference_id) == (
        2500.0,
        3000.0,
        3500.0,
        "border:IRQ-SYR",
    )
    (w,) = [c for c in e.claims_of("weapon") if c.source == "pmf-official-syria"]
    assert w.count == 4
    assert w.weapon == "missile"
    declined = {
        c.source
        for c in e.claims_of("attribution")
        if c.stance == "declined_to_comment"
    }
    assert declined == {"idf", "centcom"}


def test_convoy_2021(es):
    e = es["2021-09-14-pmu-convoy-al-bukamal"]
    assert e.attribution_status() == "contested"
    denial = [c for c in e.claims_of("attribution") if c.stance == "denied"]
    assert [c.source for c in denial] == ["us-army-spokesperson"]
    assert e.casualties("range")["killed"] == (0.0, 0.0)
    counts = {c.source: c.count for c in e.claims_of("weapon")}
    assert counts == {"sabereen": 4, "anbar-military-officials": 4}
    assert e.time.tz == "Asia/Damascus"
    assert e.time.precision == "day"


def test_other_events(es):
    assert es["2021-06-us-strikes-border"].attribution_status() == "declared"
    strikes = es["2021-06-us-strikes-border"]
    assert [s.location.country for s in strikes.sites] == ["SYR", "SYR", "IRQ"]
    assert strikes.time.precision == "month"
    anbar = es["2019-09-10-anbar-storehouses"]
    assert anbar.primary_site.location.precision == "province"
    (dmg,) = anbar.claims_of("damage")
    assert (dmg.count, dmg.qualifier) == (8, "at least")
    assert es["2019-08-25-south-beirut-drone"].primary_site.location.country == "LBN"
    golan = es["2019-09-09-rockets-toward-golan"]
    assert {s.role for s in golan.sites} == {"launch", "impact", "reference"}
    lo, hi = es["2020-01-drone-strike-soleimani-muhandis"].casualties("range")["killed"]
    assert lo == 2
    assert math.isinf(hi)


def test_views_over_the_set(es):
    assert [e.id for e in es.filter(max_precision="settlement")] == [
        "2019-09-09-imam-ali-compound",
        "2021-09-14-pmu-convoy-al-bukamal",
    ]
    assert es.aggregate("country") == {"IRQ": 5, "LBN": 1, "SYR": 4}
    # local days in Damascus/Baghdad (UTC+3): a UTC window would cut them off
    sept = es.between("2019-09-09T00:00+03:00", "2019-09-11T00:00+03:00", mode="within")
    assert [e.id for e in sept] == [
        "2019-09-09-imam-ali-compound",
        "2019-09-09-rockets-toward-golan",
        "2019-09-10-anbar-storehouses",
    ]
    # the series (mid-July to 10 September) may overlap the window, not certainly within
    assert [e.id for e in es.between("2019-09-09", "2019-09-11", mode="within")] == [
        "2019-09-10-anbar-storehouses"
    ]
    assert "2019-07-09-iraq-pmf-depots-series" in [
        e.id for e in es.between("2019-09-09", "2019-09-11")
    ]


def test_example_in_other_formats(tmp_path, es):
    pytest.importorskip("pyogrio")
    back = gc.read_events(gc.write_events(es, tmp_path / "x.gpkg"))
    assert [e.to_dict() for e in back] == [e.to_dict() for e in es]
    assert set(back.sources) <= set(es.sources)


def test_load_example_unknown():
    with pytest.raises(KeyError, match="al-bukamal"):
        gc.load_example("nope")


@pytest.mark.slow
def test_load_example_from_a_built_wheel(tmp_path):
    """The wheel carries the example (hatch force-include) and reads it from the zip."""
    pytest.importorskip("hatchling")
    wheel_dir = tmp_path / "w"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {r.stderr[-300:]}")
    (whl,) = wheel_dir.glob("*.whl")
    code = "import geoconflict, sys; es = geoconflict.load_example(); assert 'zip' in geoconflict.__file__ or '.whl' in geoconflict.__file__, geoconflict.__file__; print(len(es))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(whl), "PATH": ""},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "9"
