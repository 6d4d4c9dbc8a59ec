"""Script injection in the HTML map (#11): every string from the data stays text.

The page is loaded in headless Chromium (see :mod:`tests.chromium`) with
payloads in site names, property keys and values, sources, URLs, the title,
subtitle, date, credits and notes.  A payload that ran would set
``document.title`` to ``PWNED`` and ``window.__pwned``; a probe script opens
every popup and records ``window.__pwned`` in the DOM.  A control page that
does inject (``innerHTML``) shows that the probe sees a payload that runs.
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
from geoconflict._cliio import Feature

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
    assert text.count("</script>") == 4  # error hook, Leaflet, data, map script
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
