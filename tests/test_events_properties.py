"""Property tests (hypothesis) for the parsers and the native format."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.events.phrases import parse_distance_phrase, stated_interval
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_dms


@given(
    deg=st.integers(0, 89),
    minutes=st.integers(0, 59),
    seconds=st.integers(0, 59),
    hemi=st.sampled_from("NS"),
)
def test_dms_round_trip(deg, minutes, seconds, hemi):
    text = f"{deg}°{minutes:02d}'{seconds:02d}\"{hemi}"
    value = parse_dms(text, axis="lat")
    expected = (deg + minutes / 60 + seconds / 3600) * (-1 if hemi == "S" else 1)
    assert math.isclose(value, expected, abs_tol=1e-12)


@given(
    number=st.integers(1, 5000),
    unit=st.sampled_from(["km", "miles", "m", "nmi"]),
    qual=st.sampled_from(["about", "at least", "up to", "nearly", None]),
)
def test_stated_interval_contains_or_bounds_the_value(number, unit, qual):
    low, value, high = stated_interval(str(number), unit, qual)
    assert 0 <= low <= value <= high
    phrase = f"{qual + ' ' if qual else ''}{number} {unit} from the border"
    c = parse_distance_phrase(phrase, source="s")
    assert (c.low_m, c.value_m, c.high_m) == (low, value, high)


@settings(max_examples=40, deadline=None)
@given(
    lon=st.floats(-179.9, 179.9),
    lat=st.floats(-79.5, 83.5),
    digits=st.sampled_from([1, 2, 3, 4]),
)
def test_mgrs_cells_contain_their_points(lon, lat, digits):
    """Point -> MGRS (through pyproj UTM, written here) -> cell contains the point."""
    import shapely
    from pyproj import Transformer

    zone = int((lon + 180) // 6) + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    e, n = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    col = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")[(zone - 1) % 3][int(e // 100000) - 1]
    row = "ABCDEFGHJKLMNPQRSTUV"[(int(n // 100000) + (5 if zone % 2 == 0 else 0)) % 20]
    band = "CDEFGHJKLMNPQRSTUVWX"[min(int((lat + 80) // 8), 19)]
    size = 10 ** (5 - digits)
    ref = f"{zone}{band}{col}{row}{int(e % 100000) // size:0{digits}d}{int(n % 100000) // size:0{digits}d}"
    cell = mgrs_to_polygon(ref)
    assert cell.size_m == size
    assert cell.polygon.buffer(1e-9).contains(shapely.Point(lon, lat))


@settings(max_examples=20, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-90, 90),
    killed=st.one_of(st.none(), st.integers(0, 10**6)),
    precision=st.sampled_from(gc.sites.PRECISIONS),
    radius=st.one_of(st.none(), st.floats(0, 1e6)),
    phrase=st.text(max_size=30),
)
def test_native_round_trip(
    tmp_path_factory, lon, lat, killed, precision, radius, phrase
):
    loc = gc.Location(lon, lat, precision, radius_m=radius, phrase=phrase)
    claims = (
        []
        if killed is None
        else [gc.CasualtyClaim("s", "killed", killed, qualifier="at least")]
    )
    es = gc.EventSet(
        [
            gc.Event(
                "e",
                gc.TimeEstimate("2020-02-29T13:00", precision="hour", tz="UTC"),
                [gc.Site("s1", loc)],
                claims,
            )
        ],
        [gc.Source("s", "S")],
    )
    p = gc.write_events(es, tmp_path_factory.mktemp("rt") / "x.geojson")
    back = gc.read_events(p)
    assert [e.to_dict() for e in back] == [e.to_dict() for e in es]
