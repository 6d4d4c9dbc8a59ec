"""GeoPackage in, GeoPackage out, for every algorithm of the provider (issue #11, defect 13).

A GeoPackage input exposes its primary key as a field ``fid``.  Algorithms that
write several features per input feature used to copy it into every output
feature: the GeoPackage writer refused all but the first (``UNIQUE constraint
failed``), the run still succeeded, and 1 of 6 rings was written.  Here every
algorithm of the provider (enumerated, so a new one cannot escape) reads
GeoPackages with fids 1..N and writes every vector output to a GeoPackage; the
number of features is checked twice (QGIS, and sqlite3 on the file itself), no
error may be reported, and each output feature carries the fid of the input
feature it comes from in ``source_fid``.
"""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRasterLayer,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from geoconflict import _geom
from geoconflict.analysis.range_catalog import load_catalog
from geoconflict.events.check import check_claims
from geoconflict.geography import boundaries, places
from geoconflict.io.events import load_example, read_events

from .layers import make_layer

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SITES = [(40.9186, 34.4522), (38.6178, 33.5058), (41.1400, 34.3700)]
EVENTS = [(40.95, 34.46), (38.60, 33.52), (41.10, 34.40), (39.50, 34.00)]
LINES = [[(40.0, 34.0), (41.0, 34.5)], [(38.0, 33.0), (38.5, 33.8), (39.0, 33.9)]]
REGION = "38,42,32,36 [EPSG:4326]"
N_SITES, N_EVENTS = len(SITES), len(EVENTS)


class Recorder(QgsProcessingFeedback):
    """Feedback that keeps every error QGIS or the algorithm reports."""

    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):
        self.errors.append(error)


@dataclass
class Case:
    """Parameters of one run and what each output must hold."""

    params: dict
    #: output name -> expected feature count (vector) or None (a raster)
    counts: dict
    #: output name -> k: each input fid appears exactly k times as ``source_fid``
    per_input: dict = field(default_factory=dict)
    #: input whose fids ``source_fid`` refers to ("sites", "events" or "lines")
    owner: str = "sites"
    #: output -> (field, input, k): the field holds fids of that joined input,
    #: each exactly k times (k None: any fids of it)
    joined: dict = field(default_factory=dict)


def _countries_in(region_box):
    recs = boundaries.countries(boundaries.DATASETS[0])
    geoms = np.array([r.geometry for r in recs], dtype=object)
    return int(_geom.intersects(geoms, region_box).sum())


def _cases(inp, out):
    """The run of every algorithm: `inp` holds the input GeoPackages, `out(name)` paths."""
    generic = read_events(str(DATA / "events_generic.csv"))
    generic_rows = generic.site_table()
    n_grad = len(load_catalog().ranges("grad"))
    return {
        "geodesicbuffer": Case(
            {"INPUT": inp.sites, "DISTANCE": 10, "UNITS": 1, "OUTPUT": out("b")},
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "rangerings": Case(
            {
                "INPUT": inp.sites,
                "RADII": "10, 25, 50",
                "UNITS": 1,
                "KIND": 0,
                "RADIALS": 4,
                "OUTPUT": out("rings"),
                "RADIALS_OUTPUT": out("radials"),
            },
            {"OUTPUT": N_SITES * 3, "RADIALS_OUTPUT": N_SITES * 4},
            {"OUTPUT": 3, "RADIALS_OUTPUT": 4},
        ),
        "rangefan": Case(
            {
                "INPUT": inp.sites,
                "AZIMUTH_FROM": 0,
                "AZIMUTH_TO": 90,
                "MIN_RANGE": 5,
                "MAX_RANGE": 50,
                "UNITS": 1,
                "OUTPUT": out("fan"),
            },
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "minmaxrange": Case(
            {
                "INPUT": inp.sites,
                "MIN_RANGE": 5,
                "MAX_RANGE": 50,
                "UNITS": 1,
                "OUTPUT": out("minmax"),
            },
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "linesofbearing": Case(
            {
                "INPUT": inp.sites,
                "AZIMUTH": 45,
                "LENGTH": 30,
                "UNITS": 1,
                "OUTPUT": out("bearings"),
            },
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "ellipses": Case(
            {
                "INPUT": inp.sites,
                "SEMI_MAJOR": 20,
                "SEMI_MINOR": 8,
                "ORIENTATION": 30,
                "UNITS": 1,
                "CONFIDENCE": 3,
                "OUTPUT": out("ellipses"),
            },
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "arcs": Case(
            {
                "INPUT": inp.sites,
                "RADIUS": 25,
                "AZIMUTH_FROM": 350,
                "AZIMUTH_TO": 20,
                "UNITS": 1,
                "OUTPUT": out("arcs"),
            },
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "catalogrange": Case(
            {
                "INPUT": inp.sites,
                "SYSTEM": "grad",
                "POLICY": "all",
                "OUTPUT": out("catalog"),
            },
            {"OUTPUT": N_SITES * n_grad},
            {"OUTPUT": n_grad},
        ),
        "geodesicmeasure": Case(
            {"INPUT": inp.lines, "UNITS": 1, "OUTPUT": out("measure")},
            {"OUTPUT": len(LINES)},
            {"OUTPUT": 1},
            owner="lines",
        ),
        "importevents": Case(
            {
                "INPUT": str(DATA / "events_generic.csv"),
                "FORMAT": 2,
                "OUTPUT": out("events"),
                "FOOTPRINTS": out("footprints"),
                "REJECTED": out("rejected"),
            },
            {
                "OUTPUT": sum(r["lon"] == r["lon"] for r in generic_rows),
                "FOOTPRINTS": sum(
                    r["geometry"] is not None
                    and r["geometry"].geom_type.endswith("Polygon")
                    for r in generic_rows
                ),
                "REJECTED": len(generic.rejected),
            },
        ),
        "checkclaims": Case(
            {"OUTPUT": out("claims")}, {"OUTPUT": len(check_claims(load_example()))}
        ),
        "exposurecounts": Case(
            {
                "INPUT": inp.sites,
                "EVENTS": inp.events,
                "RINGS": "1, 10, 500",
                "UNITS": 1,
                "OUTPUT": out("exposure"),
            },
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "nearestfeature": Case(
            {
                "INPUT": inp.sites,
                "TARGETS": inp.events,
                "NEIGHBORS": 2,
                "UNITS": 1,
                "OUTPUT": out("nearest"),
            },
            {"OUTPUT": N_SITES * 2},
            {"OUTPUT": 2},
            joined={"OUTPUT": ("nearest_fid", "events", None)},
        ),
        "pointswithindistance": Case(
            {
                "INPUT": inp.events,
                "CENTRES": inp.sites,
                "DISTANCE": 5000,  # km: every (event, site) pair
                "UNITS": 1,
                "OUTPUT": out("within"),
            },
            {"OUTPUT": N_EVENTS * N_SITES},
            {"OUTPUT": N_SITES},
            owner="events",
            joined={"OUTPUT": ("centre_fid", "sites", N_EVENTS)},
        ),
        "distancetoborder": Case(
            {
                "INPUT": inp.sites,
                "COUNTRY_A": "IRQ",
                "COUNTRY_B": "SYR",
                "UNITS": 1,
                "OUTPUT": out("border"),
                "LINES": out("border_lines"),
            },
            {"OUTPUT": N_SITES, "LINES": N_SITES},
            {"OUTPUT": 1, "LINES": 1},
        ),
        "borderzone": Case(
            {
                "COUNTRY_A": "IRQ",
                "COUNTRY_B": "SYR",
                "WIDTH": 10,
                "OUTPUT": out("zone"),
            },
            {"OUTPUT": 1},
        ),
        "reversegeocode": Case(
            {"INPUT": inp.sites, "OUTPUT": out("geocoded")},
            {"OUTPUT": N_SITES},
            {"OUTPUT": 1},
        ),
        "loadboundaries": Case(
            {"LAYER": 0, "EXTENT": REGION, "OUTPUT": out("countries")},
            {"OUTPUT": _countries_in(_geom.box(38, 32, 42, 36))},
        ),
        "loadplaces": Case({"OUTPUT": out("places")}, {"OUTPUT": len(places.sites())}),
        "distanceraster": Case(
            {
                "INPUT": inp.sites,
                "EXTENT": REGION,
                "PIXEL_SIZE": 0.5,
                "UNITS": 1,
                "OUTPUT": out("distance.tif"),
            },
            {"OUTPUT": None},
        ),
        "densityraster": Case(
            {
                "INPUT": inp.events,
                "BANDWIDTH": 20,
                "UNITS": 1,
                "EXTENT": REGION,
                "PIXEL_SIZE": 0.5,
                "OUTPUT": out("density.tif"),
            },
            {"OUTPUT": None},
            owner="events",
        ),
    }


class Inputs:
    """GeoPackage inputs with fids 1..N."""

    def __init__(self, tmp):
        self.sites = make_layer(
            "gpkg",
            "Point",
            [_geom.point(*p) for p in SITES],
            {"name": [f"site{i}" for i in range(N_SITES)]},
            tmp=tmp,
        )
        self.events = make_layer(
            "gpkg",
            "Point",
            [_geom.point(*p) for p in EVENTS],
            {"killed": list(range(1, N_EVENTS + 1))},
            tmp=tmp,
        )
        self.lines = make_layer(
            "gpkg",
            "LineString",
            [_geom.line(c) for c in LINES],
            {"name": [f"line{i}" for i in range(len(LINES))]},
            tmp=tmp,
        )
        for layer, n in (
            (self.sites, N_SITES),
            (self.events, N_EVENTS),
            (self.lines, len(LINES)),
        ):
            assert layer.fields().names()[0] == "fid"
            assert sorted(f["fid"] for f in layer.getFeatures()) == list(
                range(1, n + 1)
            )


@pytest.fixture(scope="module")
def inputs(provider, tmp_path_factory):
    return Inputs(tmp_path_factory.mktemp("gpkg_in"))


def _sqlite_count(path):
    """Rows of the (single) feature table of a GeoPackage, read by sqlite3 itself."""
    con = sqlite3.connect(path)
    try:
        (table,) = con.execute(
            "select table_name from gpkg_contents where data_type in "
            "('features', 'attributes')"
        ).fetchone()
        return con.execute(f'select count(*) from "{table}"').fetchone()[0]
    finally:
        con.close()


#: every algorithm of the provider (checked below against provider.algorithms())
ALG_NAMES = (
    "arcs",
    "borderzone",
    "catalogrange",
    "checkclaims",
    "densityraster",
    "distanceraster",
    "distancetoborder",
    "ellipses",
    "exposurecounts",
    "geodesicbuffer",
    "geodesicmeasure",
    "importevents",
    "linesofbearing",
    "loadboundaries",
    "loadplaces",
    "minmaxrange",
    "nearestfeature",
    "pointswithindistance",
    "rangefan",
    "rangerings",
    "reversegeocode",
)


def test_every_algorithm_has_a_case(provider, inputs, tmp_path):
    names = {alg.name() for alg in provider.algorithms()}
    cases = set(_cases(inputs, lambda n: str(tmp_path / n)))
    assert names == cases == set(ALG_NAMES), (
        f"algorithms without a GeoPackage round-trip case: {sorted(names - cases)}; "
        f"cases without an algorithm: {sorted(cases - names)}"
    )


@pytest.mark.parametrize("alg", ALG_NAMES)
def test_gpkg_to_gpkg(run, inputs, tmp_path, alg):
    def out(name):
        return str(tmp_path / (name if name.endswith(".tif") else f"{name}.gpkg"))

    case = _cases(inputs, out)[alg]
    feedback = Recorder()
    res = run(alg, case.params, feedback=feedback)
    assert feedback.errors == [], feedback.errors
    owner_fids = sorted(f.id() for f in getattr(inputs, case.owner).getFeatures())
    for name, want in case.counts.items():
        path = res[name]
        assert path == case.params[name], (name, path)
        if want is None:  # a raster: valid, and every cell computed
            raster = QgsRasterLayer(path, "r", "gdal")
            assert raster.isValid(), path
            stats = raster.dataProvider().bandStatistics(1)
            assert np.isfinite([stats.minimumValue, stats.maximumValue]).all()
            assert stats.maximumValue > 0, (alg, stats.maximumValue)
            continue
        layer = QgsVectorLayer(path, "out", "ogr")
        assert layer.isValid(), path
        feats = list(layer.getFeatures())
        assert len(feats) == want, f"{alg} {name}: {len(feats)} of {want} features"
        assert _sqlite_count(path) == want
        assert len({f.id() for f in feats}) == want  # the output's own keys
        k = case.per_input.get(name)
        if k is not None:
            names = layer.fields().names()
            assert "source_fid" in names, names
            got = Counter(f["source_fid"] for f in feats)
            assert got == dict.fromkeys(owner_fids, k), got
        if name in case.joined:
            jfield, jinput, jk = case.joined[name]
            jfids = sorted(f.id() for f in getattr(inputs, jinput).getFeatures())
            got = Counter(f[jfield] for f in feats)
            if jk is None:
                assert set(got) <= set(jfids), got
            else:
                assert got == dict.fromkeys(jfids, jk), got


def test_rangerings_keeps_source_fid_with_gaps(run, tmp_path):
    """Input fids 1 and 3 (2 deleted): 3 rings each, linked to the right site."""
    src = make_layer(
        "gpkg",
        "Point",
        [_geom.point(*p) for p in SITES],
        {"name": ["a", "b", "c"]},
        tmp=tmp_path,
    )
    assert src.dataProvider().deleteFeatures([2])
    src = QgsVectorLayer(src.source(), "src", "ogr")
    assert sorted(f.id() for f in src.getFeatures()) == [1, 3]
    dst = str(tmp_path / "rings.gpkg")
    run(
        "rangerings",
        {"INPUT": src, "RADII": "10, 25, 50", "UNITS": 1, "OUTPUT": dst},
        feedback=Recorder(),
    )
    feats = list(QgsVectorLayer(dst, "o", "ogr").getFeatures())
    assert [(f["source_fid"], f["name"], f["ring"]) for f in feats] == [
        (1, "a", 1),
        (1, "a", 2),
        (1, "a", 3),
        (3, "c", 1),
        (3, "c", 2),
        (3, "c", 3),
    ]
    assert [f["fid"] for f in feats] == [1, 2, 3, 4, 5, 6]


def test_source_fid_name_clash(provider):
    """A source that already has ``source_fid`` keeps it; its fid becomes source_fid_2."""
    alg = provider.algorithm("rangerings")
    fields = QgsFields()
    for name in ("fid", "source_fid", "FID_x"):
        fields.append(QgsField(name, QVariant.Int))
    out, _ = alg.output_fields(fields, [("ring", "int"), ("fid", "int")])
    assert out.names() == ["source_fid_2", "source_fid", "FID_x", "ring", "fid_2"]


def test_unwritten_feature_raises(provider, tmp_path):
    """OutputSink.add raises (algorithm, output, feature, sink error) when a write fails.

    The sink here is made without RegeneratePrimaryKey and given two features
    with the same fid: the GeoPackage refuses the second one.
    """
    from geoconflict_qgis.algorithms.base import OutputSink

    fields = QgsFields()
    fields.append(QgsField("fid", QVariant.LongLong))
    fields.append(QgsField("name", QVariant.String))
    path = str(tmp_path / "dup.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    writer = QgsVectorFileWriter.create(
        path,
        fields,
        QgsWkbTypes.Point,
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsCoordinateTransformContext(),
        options,
    )
    assert writer.hasError() == QgsVectorFileWriter.NoError, writer.errorMessage()
    sink = OutputSink(provider.algorithm("rangerings"), "OUTPUT", writer, path)
    feats = []
    for name in ("first", "second", "third"):
        f = QgsFeature(fields)
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(40.9, 34.4)))
        f.setAttributes([7, name])
        feats.append(f)
    with pytest.raises(QgsProcessingException) as info:
        sink.add(feats)
    msg = str(info.value)
    del info  # its traceback holds the writer open
    for part in (
        "geoconflict:rangerings",
        "output OUTPUT",
        path,
        "feature 2 ",
        "name='second'",
        "UNIQUE constraint failed",
        "1 feature(s) were written",
    ):
        assert part in msg, (part, msg)
    assert sink.written == 1
    del writer, sink
    gc.collect()
    assert _sqlite_count(path) == 1


def test_no_sink_or_write_outside_the_base():
    """Sinks are made and fed only in base.py (output_sink, OutputSink.add)."""
    offenders = []
    for path in sorted((ROOT / "qgis_plugin" / "algorithms").glob("*.py")):
        if path.name == "base.py":
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            if any(
                s in line for s in ("parameterAsSink", "addFeature", "QgsFeatureSink")
            ):
                offenders.append(f"{path.name}:{lineno}: {line.strip()}")
    assert not offenders, offenders
