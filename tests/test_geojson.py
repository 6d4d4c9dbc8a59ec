"""RFC 7946 GeoJSON: the writer's output checked by a validator written from the RFC."""

import datetime
import json
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiPolygon, Point, Polygon, box

import geoconflict as gc
from geoconflict.errors import DataFormatError
from geoconflict.io import geojson

# ------------------------------------------------------------------ RFC validator

_GEOM = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _decimals(x: float) -> int:
    text = repr(float(x))
    if "e" in text:
        mant, exp = text.split("e")
        dec = len(mant.split(".")[1]) if "." in mant else 0
        return max(dec - int(exp), 0)
    return len(text.split(".")[1]) if "." in text else 0


def _position(p, errors, where, max_decimals):
    if not isinstance(p, list) or len(p) not in (2, 3):
        errors.append(f"{where}: a position is an array of 2 or 3 numbers: {p!r}")
        return
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p):
        errors.append(f"{where}: non-number in position {p!r}")
        return
    lon, lat = p[0], p[1]
    if not (-180 <= lon <= 180):  # RFC 7946 3.1.9: within the antimeridian
        errors.append(f"{where}: longitude {lon} outside [-180, 180]")
    if not (-90 <= lat <= 90):
        errors.append(f"{where}: latitude {lat} outside [-90, 90]")
    if max_decimals is not None and max(_decimals(v) for v in p) > max_decimals:
        errors.append(f"{where}: more than {max_decimals} decimals in {p!r}")


def _ring_area(ring):
    x = np.array([p[0] for p in ring])
    y = np.array([p[1] for p in ring])
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _polygon(rings, errors, where, max_decimals):
    if not isinstance(rings, list):
        errors.append(f"{where}: polygon coordinates must be an array of rings")
        return
    for k, ring in enumerate(rings):
        w = f"{where} ring {k}"
        if not isinstance(ring, list) or len(ring) < 4:
            errors.append(f"{w}: a linear ring has >= 4 positions")
            continue
        for p in ring:
            _position(p, errors, w, max_decimals)
        if ring[0] != ring[-1]:
            errors.append(f"{w}: not closed")
        a = _ring_area(ring)
        if k == 0 and a <= 0:  # RFC 7946 3.1.6: right-hand rule
            errors.append(f"{w}: exterior ring is not counterclockwise (area {a})")
        if k > 0 and a >= 0:
            errors.append(f"{w}: hole is not clockwise (area {a})")


def _geometry(g, errors, where, max_decimals):
    if g is None:
        return
    if not isinstance(g, dict) or g.get("type") not in _GEOM:
        errors.append(f"{where}: bad geometry {str(g)[:50]}")
        return
    if "crs" in g:
        errors.append(f"{where}: 'crs' member is not RFC 7946")
    t = g["type"]
    if t == "GeometryCollection":
        for k, sub in enumerate(g.get("geometries", [])):
            _geometry(sub, errors, f"{where}[{k}]", max_decimals)
        return
    c = g.get("coordinates")
    if not isinstance(c, list):
        errors.append(f"{where}: missing coordinates")
        return
    if t == "Point":
        _position(c, errors, where, max_decimals)
    elif t in ("MultiPoint",):
        for p in c:
            _position(p, errors, where, max_decimals)
    elif t == "LineString":
        if len(c) < 2:
            errors.append(f"{where}: a LineString has >= 2 positions")
        for p in c:
            _position(p, errors, where, max_decimals)
    elif t == "MultiLineString":
        for ln in c:
            _geometry(
                {"type": "LineString", "coordinates": ln}, errors, where, max_decimals
            )
    elif t == "Polygon":
        _polygon(c, errors, where, max_decimals)
    elif t == "MultiPolygon":
        for k, poly in enumerate(c):
            _polygon(poly, errors, f"{where} part {k}", max_decimals)


def _bbox_ok(b, errors, where):
    if not (isinstance(b, list) and len(b) in (4, 6)):
        errors.append(f"{where}: bbox must have 2*n numbers")
        return
    west, south, east, north = b[0], b[1], b[-3] if len(b) == 6 else b[2], b[-1]
    if south > north:
        errors.append(f"{where}: bbox south > north")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        errors.append(f"{where}: bbox longitudes out of range")


def rfc7946_errors(obj, *, max_decimals=7):
    """Every violation of RFC 7946 rules that a writer controls."""
    errors = []
    if obj.get("type") != "FeatureCollection":
        errors.append("top level is not a FeatureCollection")
    if "crs" in obj:
        errors.append("'crs' member is not RFC 7946")
    if "bbox" in obj:
        _bbox_ok(obj["bbox"], errors, "collection")
    feats = obj.get("features")
    if not isinstance(feats, list):
        return [*errors, "features is not an array"]
    for i, f in enumerate(feats):
        w = f"feature {i}"
        if f.get("type") != "Feature":
            errors.append(f"{w}: type is not Feature")
        if "geometry" not in f:
            errors.append(f"{w}: no geometry member")
        if "properties" not in f:
            errors.append(f"{w}: no properties member")
        elif f["properties"] is not None and not isinstance(f["properties"], dict):
            errors.append(f"{w}: properties is not an object")
        if "id" in f and not isinstance(f["id"], (str, int, float)):
            errors.append(f"{w}: id is not a string or number")
        if "bbox" in f:
            _bbox_ok(f["bbox"], errors, w)
        _geometry(f.get("geometry"), errors, w, max_decimals)
    return errors


def test_validator_catches_violations():
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]],  # CW
                },
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[170, 0], [190, 0]]},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [0.123456789, 0]},
            },
        ],
    }
    errs = rfc7946_errors(bad)
    assert any("counterclockwise" in e for e in errs)
    assert any("outside [-180, 180]" in e for e in errs)
    assert any("no properties" in e for e in errs)
    assert any("decimals" in e for e in errs)


# ----------------------------------------------------------------------- writing


def _sample_geometries():
    return [
        Point(40.918541234567, 34.45226),
        LineString([(170, 60), (190, 62)]),  # crosses the antimeridian
        Polygon([(0, 0), (0, 1), (1, 1), (1, 0)]),  # clockwise input
        Polygon(
            [(36, 30), (46, 30), (46, 38), (36, 38)],
            [[(39, 33), (39, 35), (43, 35), (43, 33)]],  # CCW hole
        ),
        gc.buffer(Point(179.9, 10), 100_000),
        gc.buffer(Point(0, 85), 1_000_000),
        gc.buffer(Point(0, 0), 15_000_000),  # contains both poles
        None,
        shapely.GeometryCollection([Point(1, 2), LineString([(0, 0), (1, 1)])]),
    ]


def test_writer_output_is_rfc7946():
    fc = json.loads(
        geojson.dumps(_sample_geometries(), [{"i": i} for i in range(9)], bbox=True)
    )
    assert rfc7946_errors(fc) == []
    assert fc["features"][7]["geometry"] is None
    assert fc["features"][1]["geometry"]["type"] == "MultiLineString"


def test_cli_writers_are_this_writer(tmp_path, capsys):
    """The command line's writers (geoconflict.io.features) write through geojson.dumps.

    So every GeoJSON the CLI writes -- zones, tables with geometries, stdout or
    file -- is RFC 7946: cut at the antimeridian, counterclockwise exteriors,
    no crs member.
    """
    from geoconflict.io.features import table_text, write_features, write_table

    geoms = _sample_geometries()
    props = [{"i": i, "v": np.float64(i) / 2} for i in range(len(geoms))]
    want = json.loads(geojson.dumps(geoms, props))
    assert rfc7946_errors(want) == []
    assert json.loads(table_text(props, "geojson", geometries=geoms)) == want
    path = tmp_path / "z.geojson"
    write_features(geoms, props, str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == want
    write_table(props, "geojson", str(tmp_path / "t.geojson"), geometries=geoms)
    assert json.loads((tmp_path / "t.geojson").read_text(encoding="utf-8")) == want
    write_features(geoms, props, "-")
    assert json.loads(capsys.readouterr().out) == want


def test_cli_reader_is_this_reader(tmp_path):
    """geoconflict.io.features reads GeoJSON with geojson.loads: the same checks, one rule."""
    from geoconflict.io.features import read_features

    crs = tmp_path / "utm.geojson"
    crs.write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
        '{"name": "urn:ogc:def:crs:EPSG::32637"}}, "features": ['
        '{"type": "Feature", "properties": {}, "geometry": '
        '{"type": "Point", "coordinates": [400000, 3800000]}}]}'
    )
    with pytest.raises(DataFormatError, match="Reproject"):
        read_features(str(crs))
    swapped = tmp_path / "swapped.geojson"
    swapped.write_text('{"type": "Point", "coordinates": [34.4, 140.9]}')
    with pytest.raises(DataFormatError, match="swapped axes") as info:
        read_features(str(swapped))
    assert "swapped.geojson" in str(info.value)
    path = tmp_path / "x.geojson"
    geojson.write(path, _sample_geometries(), [{"i": i} for i in range(9)])
    feats = read_features(str(path))
    back = geojson.read(path)
    assert [f.properties for f in feats] == back.properties
    assert all(
        (f.geometry is None and g is None) or f.geometry.equals(g)
        for f, g in zip(feats, back.geometry)
    )


def test_precision_and_none():
    fc = json.loads(geojson.dumps(Point(40.918541234567, -0.0000000001)))
    assert fc["features"][0]["geometry"]["coordinates"] == [40.9185412, 0.0]
    fc = json.loads(geojson.dumps(Point(40.918541234567, 1), precision=None))
    assert fc["features"][0]["geometry"]["coordinates"][0] == 40.918541234567
    assert rfc7946_errors(json.loads(geojson.dumps(None))) == []


def test_bbox_across_antimeridian():
    b = gc.buffer(Point(179.9, 10), 100_000)
    fc = json.loads(geojson.dumps(b, bbox=True))
    west, _, east, _ = fc["bbox"]
    assert west > east  # RFC 7946 5.2
    assert west == pytest.approx(179.9 - 0.913, abs=0.01)
    assert east == pytest.approx(-180 + 0.813, abs=0.01)
    assert fc["features"][0]["bbox"] == fc["bbox"]
    assert geojson.bbox(box(10, 20, 30, 40)) == [10.0, 20.0, 30.0, 40.0]
    assert geojson.bbox([None]) is None


def test_properties_conversions():
    props = {
        "n": np.int64(3),
        "x": np.float32(1.5),
        "nan": float("nan"),
        "when": datetime.date(2019, 9, 9),
        "tags": ("a", "b"),
        "nested": {"k": np.bool_(True)},
        "text": "البوكمال",
    }
    text = geojson.dumps(Point(1, 2), props, ids="a1")
    f = json.loads(text)["features"][0]
    assert f["id"] == "a1"
    assert f["properties"] == {
        "n": 3,
        "x": 1.5,
        "nan": None,
        "when": "2019-09-09",
        "tags": ["a", "b"],
        "nested": {"k": True},
        "text": "البوكمال",
    }
    with pytest.raises(DataFormatError, match="obj"):
        geojson.dumps(Point(1, 2), {"obj": object()})


def test_property_columns_and_rows():
    geoms = [Point(0, 0), Point(1, 1)]
    a = json.loads(geojson.dumps(geoms, {"name": ["x", "y"], "v": np.array([1, 2])}))
    b = json.loads(geojson.dumps(geoms, [{"name": "x", "v": 1}, {"name": "y", "v": 2}]))
    assert a == b
    with pytest.raises(DataFormatError, match="one value per geometry"):
        geojson.dumps(geoms, {"name": ["x"]})
    with pytest.raises(DataFormatError, match="one dict per geometry"):
        geojson.dumps(geoms, [{}])


def test_nonfinite_coordinate_is_an_error():
    with pytest.raises(DataFormatError, match="non-finite"):
        geojson.dumps([Point(0, 0), Point(float("inf"), 0)])


# ----------------------------------------------------------------------- round trips


def test_round_trip_geometries_properties_ids(tmp_path):
    geoms = _sample_geometries()
    props = [{"i": i, "name": f"g{i}"} for i in range(len(geoms))]
    path = geojson.write(
        tmp_path / "x.geojson", geoms, props, ids=list(range(len(geoms)))
    )
    back = geojson.read(path)
    assert back.properties == props
    assert back.ids == list(range(len(geoms)))
    for g, h in zip(geoms, back.geometry):
        if g is None:
            assert h is None
            continue
        ref = gc.antimeridian.split(g)
        assert h.geom_type == ref.geom_type
        assert shapely.equals_exact(shapely.normalize(h), shapely.normalize(ref), 1e-7)
    # writing what was read gives the same text (idempotent)
    text1 = path.read_text()
    text2 = geojson.dumps(back) + "\n"
    assert text1 == text2


@settings(max_examples=40, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-85, 85),
    r=st.floats(100, 2_000_000),
)
def test_round_trip_buffers_property(lon, lat, r):
    b = gc.buffer(Point(lon, lat), r)
    fc = json.loads(geojson.dumps(b))
    assert rfc7946_errors(fc) == []
    back = geojson.loads(json.dumps(fc)).geometry[0]
    assert back.is_valid
    # area preserved to the rounding (1e-7 degree ~ 1 cm along the perimeter)
    assert gc.area(back) == pytest.approx(gc.area(b), rel=1e-6, abs=0.02 * gc.length(b))


# ----------------------------------------------------------------------- reading


def test_loads_feature_and_bare_geometry():
    f = geojson.loads('{"type": "Point", "coordinates": [1, 2]}')
    assert f.geometry[0].equals(Point(1, 2))
    assert f.properties == [{}]
    f = geojson.loads(
        b'{"type": "Feature", "id": 7, "properties": null,'
        b' "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}'
    )
    assert f.ids == [7]
    assert f.properties == [{}]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a GeoJSON object"),
        ('{"type": "Banana"}', "unknown GeoJSON type"),
        ('{"type": "FeatureCollection"}', "features"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", '
            '"properties": {}, "geometry": {"type": "Point", "coordinates": [34.4, 140.9]}}]}',
            "swapped axes",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", '
            '"properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1]]]}}]}',
            "cannot read",
        ),
        (
            '{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:EPSG::32637"}}, "features": []}',
            "Reproject",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Point"}]}',
            "Feature object",
        ),
    ],
)
def test_loads_errors_name_the_problem(text, match):
    with pytest.raises(DataFormatError, match=match):
        geojson.loads(text, path="in.geojson")


def test_error_names_file_and_feature(tmp_path):
    p = tmp_path / "bad.geojson"
    p.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {}, "geometry": null},'
        '{"type": "Feature", "properties": {}, "geometry": '
        '{"type": "Point", "coordinates": [0, 100]}}]}'
    )
    with pytest.raises(DataFormatError) as info:
        geojson.read(p)
    msg = str(info.value)
    assert "bad.geojson" in msg
    assert "row 2" in msg
    with pytest.raises(DataFormatError, match="cannot read"):
        geojson.read(tmp_path / "missing.geojson")


def test_crs84_is_accepted():
    text = (
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
        '{"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": []}'
    )
    assert len(geojson.loads(text).geometry) == 0


def test_multipolygon_pole_written_with_pole_edge():
    b = gc.buffer(Point(0, 85), 1_000_000)
    fc = json.loads(geojson.dumps(b))
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    assert [180, 90] in ring or [180.0, 90.0] in ring
    assert [-180, 90] in ring or [-180.0, 90.0] in ring
    assert not math.isnan(_ring_area(ring))
    assert isinstance(gc.buffer(Point(179.9, 10), 1e5), MultiPolygon)
