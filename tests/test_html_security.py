"""Security of the maps (#11): HTML map script injection, and map-spec file access.

Every string from the data stays text in the HTML map.

The page is loaded in headless Chromium (see :mod:`tests.chromium`) with
payloads in site names, property keys and values, sources, URLs, the title,
subtitle, date, credits and notes.  A payload that ran would set
``document.title`` to ``PWNED`` and ``window.__pwned``; a probe script opens
every popup and records ``window.__pwned`` in the DOM.  A control page that
does inject (``innerHTML``) shows that the probe sees a payload that runs.

A TOML map spec reads layer files only inside its own folder (unless the user
names them on the command line), and its errors never quote a layer file.
"""

import html
import json
import re
from html.parser import HTMLParser

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoconflict import maps
from geoconflict.errors import DataFormatError
from geoconflict.io.features import Feature

from .chromium import find_chromium, run_chromium

RUN = "document.title='PWNED';window.__pwned=(window.__pwned||0)+1"
IMG = f'<img src=x onerror="{RUN}">'
SCRIPT = f"</script><script>{RUN}</script>"
SVG = f'"><svg onload="{RUN}">'
COMMENT = f"<!--<script>{RUN}</script>-->"
ATTR = f"' onmouseover='{RUN}' x='"
JS_URL = f"javascript:{RUN}"
SAFE_URL = "https://example.org/report?a=1&b=<2>"

PROBE = """<script>
map.eachLayer(function (l) {
  var p = l.getPopup && l.getPopup();
  if (p) { p.options.autoClose = false; p.options.closeOnClick = false; l.openPopup(); }
});
setTimeout(function () {
  document.body.setAttribute("data-pwned", String(window.__pwned || 0));
  document.body.setAttribute("data-probe", "done");
}, 1000);
</script>
"""

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="gc-data">(.*?)</script>', re.S
)


def payload_spec(**kw) -> maps.MapSpec:
    spec = maps.MapSpec(
        title=f"Title {SCRIPT}",
        subtitle=f"Sub {SVG}",
        date=f"Date {COMMENT}",
        credits=[f"Credit {IMG}"],
        notes=[f"Note {ATTR}"],
        **kw,
    )
    spec.sites = [
        Feature(
            shapely.Point(40.91854, 34.45226),
            {
                "name": f"Site {IMG}",
                "attribution_status": SVG,
                "source": f"Source {SCRIPT}",
                "source_url": JS_URL,
                "url": SAFE_URL,
                f"key {IMG}": f"value {COMMENT}",
                f"<b onmouseover=x>key2 {ATTR}": f"value2 {ATTR}",
            },
        ),
        Feature(
            shapely.Point(40.98945, 34.39251),
            {"name": f"Site2 {SVG}", "attribution_status": "denied"},
        ),
    ]
    spec.zones = [
        Feature(
            shapely.Polygon(maps.circle_lonlat(40.6, 34.2, 25_000)),
            {"label": f"Zone {IMG}"},
        )
    ]
    return spec


class _Elements(HTMLParser):
    """Every start tag of a document with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(text: str) -> list:
    p = _Elements()
    p.feed(text)
    p.close()
    return p.tags


def text_of(s: str) -> str:
    """How the DOM serializer writes `s` as a text node."""
    return html.escape(s, quote=False)


@pytest.fixture(scope="module")
def chromium():
    return find_chromium()


def load(chromium, tmp_path, page):
    """The DOM of `page` with the probe appended, after 3 s of virtual time."""
    probed = tmp_path / "probed.html"
    probed.write_text(
        page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
        encoding="utf-8",
    )
    r = run_chromium(
        chromium, tmp_path, "--virtual-time-budget=3000", "--dump-dom",
        probed.resolve().as_uri(),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'data-probe="done"' in r.stdout, r.stdout[-2000:]
    return r.stdout


def assert_not_run(dom: str) -> None:
    assert 'data-pwned="0"' in dom
    assert "PWNED</title>" not in dom
    for tag, attrs in elements(dom):
        on = [a for a in attrs if a.lower().startswith("on")]
        assert not on, (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), attrs
        assert tag != "svg" or "onload" not in attrs, attrs
        href = attrs.get("href") or attrs.get("src") or ""
        # Leaflet's own links are "#..."; any URL scheme other than http(s) is out
        scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", href)
        assert not scheme or scheme.group(1).lower() in ("http", "https"), attrs


def test_probe_detects_an_injection(chromium, tmp_path):
    """Control: the same payloads through innerHTML do run, and the probe sees it."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>ok</title></head><body><div id=d></div>"
        f"<script>var map = {{ eachLayer: function () {{}} }};"
        f"document.getElementById('d').innerHTML = {json.dumps(IMG + SVG)};</script>"
        "</body></html>"
    )
    dom = load(chromium, tmp_path, page)
    assert "<title>PWNED</title>" in dom
    assert 'data-pwned="0"' not in dom
    with pytest.raises(AssertionError):
        assert_not_run(dom)


def test_payloads_stay_text_in_chromium(chromium, tmp_path):
    page = tmp_path / "map.html"
    maps.render(payload_spec(), page)
    dom = load(chromium, tmp_path, page)
    assert_not_run(dom)

    # the map still works: both sites and the zone are drawn ...
    layers = json.loads(
        html.unescape(re.search(r'data-gc-layers="([^"]*)"', dom).group(1))
    )
    assert layers["Sites"] == 2
    assert layers["Zones"] == 1
    errors = json.loads(
        html.unescape(re.search(r'data-gc-errors="([^"]*)"', dom).group(1))
    )
    assert errors == []
    assert dom.count('class="leaflet-interactive"') >= 3
    # ... with the names as text in their (permanent) tooltips
    assert f'<span class="gc-name">{text_of("Site " + IMG)}</span>' in dom
    assert f'<span class="gc-name">{text_of("Site2 " + SVG)}</span>' in dom
    # the popups (opened by the probe) show keys and values as text
    for key, value in [
        ("key " + IMG, "value " + COMMENT),
        ("<b onmouseover=x>key2 " + ATTR, "value2 " + ATTR),
        ("source", "Source " + SCRIPT),
        ("source_url", JS_URL),
        ("label", "Zone " + IMG),
    ]:
        assert f"<div><b>{text_of(key)}</b>: {text_of(value)}</div>" in dom, key
    # an http(s) URL becomes a link; a javascript: URL stays text
    link = [a for t, a in elements(dom) if t == "a" and a.get("href") == SAFE_URL]
    assert len(link) == 1
    assert link[0]["rel"] == "noopener noreferrer"
    assert not [a for t, a in elements(dom) if t == "a" and "javascript" in str(a)]
    # title, subtitle/date, credits and notes as text
    assert f"<title>{text_of('Title ' + SCRIPT)}</title>" in dom
    assert f"<h1>{text_of('Title ' + SCRIPT)}</h1>" in dom
    assert f"<p>{text_of('Sub ' + SVG + ' — Date ' + COMMENT)}</p>" in dom
    assert f"<div>{text_of('Credit ' + IMG)}</div>" in dom
    assert f"<div>{text_of('Note ' + ATTR)}</div>" in dom
    sources = "; ".join(s.strip() for s in ("Source " + SCRIPT).split(";"))
    assert f"<div>{text_of('Sources: ' + sources)}</div>" in dom


def test_page_source_has_no_raw_payload(tmp_path):
    """Data reaches the file only as JSON (with <, >, & escaped) and the escaped <title>."""
    page = maps.render(payload_spec(), tmp_path / "map.html").path
    text = page.read_text(encoding="utf-8")
    for p in (IMG, SCRIPT, SVG, COMMENT):
        assert p not in text
    block = DATA_BLOCK.findall(text)
    assert len(block) == 1
    assert not re.search("[<>&]", block[0])
    # error hook, Leaflet, Leaflet.markercluster, data, map script
    assert text.count("</script>") == 5
    doc = json.loads(block[0])
    assert doc["title"] == "Title " + SCRIPT
    assert doc["layers"]["sites"]["features"][0]["properties"]["key " + IMG] == (
        "value " + COMMENT
    )


MARK = "QZXJ"
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("<>&\"'/!-= \n\\`${}")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=30,
).map(lambda s: MARK + s)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=texts, key=texts, value=texts, title=texts, credit=texts)
def test_any_text_reaches_the_page_only_as_escaped_json(
    tmp_path_factory, name, key, value, title, credit
):
    spec = maps.MapSpec(
        title=title, credits=[credit], countries=False, provinces=False,
        disputed=False, inset=False,
    )  # fmt: skip
    spec.sites = [
        Feature(shapely.Point(40.9, 34.45), {"name": name, key: value, "n": 1})
    ]
    path = tmp_path_factory.mktemp("h") / "m.html"
    text = maps.render_html(spec, path).path.read_bytes().decode("utf-8")
    (block,) = DATA_BLOCK.findall(text)
    assert not re.search("[<>&]", block)
    doc = json.loads(block)
    props = doc["layers"]["sites"]["features"][0]["properties"]
    assert props["name"] == name
    assert props[key] == value
    assert doc["title"] == title
    assert credit in doc["credits"]
    head = f"<title>{html.escape(title)}</title>"
    assert text.count(head) == 1
    rest = text.replace(block, "").replace(head, "")
    assert MARK not in rest


# --------------------------------------------------------------------------------------
# #12: a TOML map spec reads only files in its own folder, and errors never quote them
# --------------------------------------------------------------------------------------

SECRET = "S3CRET-do-not-show"
POINT = (
    '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
    '{"type":"Point","coordinates":[40.9,34.45]},"properties":{"name":"%s"}}]}'
)


@pytest.fixture
def tree(tmp_path):
    """tmp/outside.geojson (a valid layer) and tmp/proj/spec folder."""
    (tmp_path / "outside.geojson").write_text(POINT % SECRET)
    proj = tmp_path / "proj"
    (proj / "data").mkdir(parents=True)
    (proj / "data" / "in.geojson").write_text(POINT % "Inside")
    return tmp_path, proj


def write_spec(folder, layer_path: str):
    p = folder / "map.toml"
    p.write_text(f"[[layers]]\npath = {json.dumps(layer_path)}\n")
    return p


def load_error(spec, **kw) -> str:
    with pytest.raises(DataFormatError) as exc:
        maps.load_spec(spec, **kw)
    return str(exc.value)


@pytest.mark.parametrize(
    "value",
    [
        "../outside.geojson",
        "data/../../outside.geojson",
        "../../../../../../../../etc/passwd",
        "/etc/passwd",
        "ABSOLUTE",
        "data/../../proj/../outside.geojson",
    ],
)
def test_spec_refuses_paths_outside_its_folder(tree, value):
    tmp, proj = tree
    if value == "ABSOLUTE":
        value = str(tmp / "outside.geojson")
    msg = load_error(write_spec(proj, value))
    assert "outside the spec's folder" in msg
    assert repr(value) in msg
    assert str(proj / "map.toml") in msg
    assert SECRET not in msg
    assert "root:" not in msg


def test_spec_refuses_a_symlink_pointing_outside(tree):
    tmp, proj = tree
    (proj / "link.geojson").symlink_to(tmp / "outside.geojson")
    (proj / "dirlink").symlink_to(tmp)
    for value in ("link.geojson", "dirlink/outside.geojson"):
        msg = load_error(write_spec(proj, value))
        assert "outside the spec's folder" in msg
        assert SECRET not in msg


def test_spec_reads_paths_inside_its_folder(tree, monkeypatch):
    tmp, proj = tree
    (proj / "inlink.geojson").symlink_to(proj / "data" / "in.geojson")
    monkeypatch.chdir(tmp)  # relative to the spec's folder, not the working directory
    for value in (
        "data/in.geojson",
        "./data/../data/in.geojson",
        "inlink.geojson",
        str(proj / "data" / "in.geojson"),
    ):
        spec = maps.load_spec(write_spec(proj, value))
        assert [f.name for f in spec.sites] == ["Inside"]
        assert spec.layer_files == [str((proj / "data" / "in.geojson").resolve())]


def test_spec_reads_outside_files_the_user_named(tree):
    tmp, proj = tree
    spec = write_spec(proj, "../outside.geojson")
    s = maps.load_spec(spec, allowed_paths=[str(tmp / "outside.geojson")])
    assert [f.name for f in s.sites] == [SECRET]
    # allowing one file does not allow its neighbours
    (tmp / "other.geojson").write_text(POINT % "Other")
    spec = write_spec(proj, "../other.geojson")
    msg = load_error(spec, allowed_paths=[str(tmp / "outside.geojson")])
    assert "outside the spec's folder" in msg


def test_cli_layer_given_on_the_command_line_is_allowed_once(tree):
    pytest.importorskip("click")
    from click.testing import CliRunner

    from geoconflict.cli.main import cli

    tmp, proj = tree
    spec = write_spec(proj, "../outside.geojson")
    out = tmp / "m.html"
    r = CliRunner().invoke(cli, ["map", "--spec", str(spec), "-o", str(out)])
    assert r.exit_code != 0
    assert "outside the spec's folder" in r.output
    r = CliRunner().invoke(
        cli, ["map", "--spec", str(spec), str(tmp / "outside.geojson"), "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    (block,) = DATA_BLOCK.findall(out.read_text(encoding="utf-8"))
    sites = json.loads(block)["layers"]["sites"]["features"]
    assert [f["properties"]["name"] for f in sites] == [SECRET]  # read once


GARBAGE = {
    "g.csv": f"{SECRET},zzz\nfoo,bar\n",
    "h.csv": f"lon,lat\n{SECRET},34\n",
    "g.geojson": json.dumps({"type": SECRET}),
    "h.geojson": POINT.replace("Point", SECRET) % "x",
    "g.txt": f"# {SECRET}\n",
    "g.json": f"[{SECRET}",
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_layer_errors_name_the_file_not_its_contents(tree, name):
    _, proj = tree
    (proj / "data" / name).write_text(GARBAGE[name])
    msg = load_error(write_spec(proj, f"data/{name}"))
    assert f"data/{name}" in msg
    assert SECRET not in msg
    assert "zzz" not in msg
    assert "foo" not in msg


def test_layer_errors_for_missing_empty_folder_and_bad_paths(tree):
    _, proj = tree
    (proj / "empty.csv").write_text("")
    (proj / "loop").symlink_to(proj / "loop")
    for value, problem in [
        ("data/missing.geojson", "no such file"),
        ("empty.csv", "empty"),
        ("data", "folder"),
        ("bad\x00name", "not a usable path"),
        ("loop", "not a usable path"),
        ("", "non-empty string"),
    ]:
        msg = load_error(write_spec(proj, value))
        assert problem in msg, (value, msg)
    p = proj / "map.toml"
    p.write_text('layers = "data/in.geojson"\n')
    assert "[[layers]] tables" in load_error(p)


@settings(max_examples=40, deadline=None)
@given(
    content=st.binary(max_size=60).map(lambda b: SECRET.encode() + b"\n" + b),
    ext=st.sampled_from(["csv", "geojson", "json", "txt", "gpkg"]),
)
def test_any_garbage_layer_error_hides_the_contents(tmp_path_factory, content, ext):
    proj = tmp_path_factory.mktemp("p")
    (proj / f"layer.{ext}").write_bytes(content)
    spec = write_spec(proj, f"layer.{ext}")
    msg = load_error(spec)
    assert f"layer.{ext}" in msg
    assert SECRET not in msg
