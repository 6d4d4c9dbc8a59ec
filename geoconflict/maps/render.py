"""Write a map: :func:`render` chooses the writer by format, :func:`render_each` one map per event.

PNG, SVG and PDF are drawn with matplotlib (:mod:`geoconflict.maps.static`),
HTML with Leaflet (:mod:`geoconflict.maps.html`).  Coordinates (lon, lat)
degrees WGS84; distances meters.
"""

from __future__ import annotations

import copy
import math
import os
import re
from pathlib import Path
from typing import Callable, Optional, Union

import numpy as np
import shapely

from geoconflict.errors import GeoconflictError
from geoconflict.io.features import Feature
from geoconflict.maps.html import render_html
from geoconflict.maps.periods import PERIODS, period_groups
from geoconflict.maps.projection import lonlat_extent
from geoconflict.maps.result import RenderResult
from geoconflict.maps.spec import MapSpec
from geoconflict.maps.static import render_static

__all__ = ["render", "render_each"]

_FORMATS = ("png", "svg", "pdf", "html")


def render(
    spec: MapSpec, path: Union[str, os.PathLike], *, fmt: Optional[str] = None
) -> RenderResult:
    """Draw `spec` to `path` (.png, .svg, .pdf or .html).

    Parameters
    ----------
    spec : MapSpec
        What to draw (lon/lat degrees, meters).
    path : str or path-like
        Output file; its extension chooses the format unless `fmt` is given.
    fmt : {"png", "svg", "pdf", "html"}, optional
        Output format.

    Returns
    -------
    RenderResult
        The path and what was drawn (projection, scale bar, labels).

    Examples
    --------
    >>> import tempfile
    >>> import shapely
    >>> spec = MapSpec(title="Example")
    >>> spec.sites.append(Feature(shapely.Point(40.92, 34.45), {"name": "Abu Kamal"}))
    >>> res = render(spec, Path(tempfile.mkdtemp()) / "m.svg")
    >>> res.path.stat().st_size > 1000, res.crs.coordinate_operation.method_name
    (True, 'Lambert Conic Conformal (2SP)')
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise GeoconflictError(
            f"cannot write a map as {path.name!r}: use a .png, .svg, .pdf or .html file name"
        )
    if not path.parent.exists():
        raise GeoconflictError(
            f"cannot write {path}: the folder {path.parent} does not exist; create it first"
        )
    if fmt == "html":
        return render_html(spec, path)
    return render_static(spec, path, fmt)


#: names Windows will not create as files, whatever the extension
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {
    f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)
}


def _slug(text: str) -> str:
    """Return a file-name-safe form of `text` that keeps letters of every script.

    Letters, digits and combining marks of every script (Latin, Arabic, ...)
    are kept, lower-cased and NFKC-normalised; every run of other characters (``/``, spaces, dots,
    control characters) becomes ``-``; at most 60 characters; ``"map"`` when
    nothing is left; Windows device names get a ``_`` suffix.

    Examples
    --------
    >>> _slug("SYR 1/2"), _slug("البوكمال"), _slug(".."), _slug("CON")
    ('syr-1-2', 'البوكمال', 'map', 'con_')
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", str(text)).lower()
    keep = ("L", "N", "M")  # letters, digits, combining marks (Arabic harakat)
    s = "".join(
        ch if unicodedata.category(ch)[0] in keep or ch == "_" else "-" for ch in text
    )
    s = re.sub(r"-+", "-", s).strip("-_")[:60].strip("-_")
    if not s:
        return "map"
    return s + "_" if s in _RESERVED_NAMES else s


def _each_names(keys) -> dict:
    """Return distinct file-name stems for the keys of ``render_each``, {key: stem}.

    A key's stem is its :func:`_slug`; keys whose slugs coincide (``"A/B"`` and
    ``"A B"``, ``"A"`` and ``"a"``, ``""`` and ``".."``) each get a short
    stable hash of the key appended, so no map overwrites another and a key's
    name does not depend on the other keys' order.

    Examples
    --------
    >>> _each_names(["A/B", "A B", "x"])
    {'A/B': 'a-b-239c020a', 'A B': 'a-b-8aabb8bc', 'x': 'x'}
    """
    import hashlib

    keys = list(dict.fromkeys(str(k) for k in keys))
    slugs = {k: _slug(k) for k in keys}
    count: dict = {}
    for v in slugs.values():
        count[v] = count.get(v, 0) + 1
    out: dict = {}
    for k, v in slugs.items():
        if count[v] > 1:
            v = f"{v}-{hashlib.sha1(k.encode('utf-8')).hexdigest()[:8]}"
        stem, n = v, 2
        while v in out.values():  # a key that looks like another's hashed name
            v, n = f"{stem}-{n}", n + 1
        out[k] = v
    return out


def _event_key(f: Feature, key: str) -> str:
    if key == "feature":
        return f.name or ""
    for k in ("event_id", "event", "id"):
        v = f.properties.get(k)
        if v not in (None, ""):
            return str(v)
    return f.name or ""


def _shared_extent(spec: MapSpec) -> tuple:
    """(extent, margin_m) that frame all of `spec`'s data: one view for every map of a series."""
    if spec.extent is not None and len(spec.extent) == 4:
        return spec.extent, spec.margin_m
    geoms = [f.geometry for f in spec.sites + spec.zones + spec.lines + spec.rings]
    if spec.extent is not None:
        geoms.append(shapely.Point(spec.extent))
    w, s, e, n = lonlat_extent(np.asarray(geoms, dtype=object))
    if e < w:  # across the antimeridian: east continues past 180
        e += 360.0
    if spec.margin_m is not None:
        return (w, s, e, n), spec.margin_m
    lat = math.radians((s + n) / 2)
    span = max(((e - w) % 360) * 111_320.0 * math.cos(lat), (n - s) * 110_574.0, 1.0)
    return (w, s, e, n), max(0.15 * span, 10_000.0)


def render_each(
    spec: MapSpec,
    out: Union[str, os.PathLike],
    *,
    key: str = "event",
    fmt: str = "png",
    progress: Optional[Callable] = None,
) -> list:
    """Write one map per event, feature, month or year into folder `out`.

    `out` may also be a pattern containing ``{event}`` (or ``{period}``), e.g.
    ``maps/{event}.svg``.  Zones, rings and lines are drawn on every map.
    With ``key="event"`` (sites grouped by ``event_id``) or ``"feature"`` the
    extent fits each map's sites; with ``key="month"`` or ``"year"`` (sites
    grouped by the period they start in, see :mod:`geoconflict.maps.periods`)
    every map has the same extent and scale, and its date line names the
    period; sites without a date are counted in a note on every map.

    Returns
    -------
    list of RenderResult
    """
    shared = key in PERIODS
    undated: list = []
    if shared:
        groups, undated = period_groups(spec.sites, key)
    else:
        groups = {}
        for f in spec.sites:
            groups.setdefault(_event_key(f, key), []).append(f)
    if not groups:
        raise GeoconflictError(
            "--each: no sites to split into maps"
            + (f" ({len(undated)} sites have no date)" if undated else "")
        )
    out = str(out)
    results = []
    items = sorted(groups.items())
    stems = _each_names(groups)
    base = copy.copy(spec)
    if shared:
        base.extent, base.margin_m = _shared_extent(spec)
        base.notes = list(spec.notes)
        if undated:
            n = len(undated)
            base.notes.append(
                f"{n:,} site{'s' if n != 1 else ''} without a date "
                f"{'are' if n != 1 else 'is'} on no map of this series."
            )
    for name, sites in progress(items) if progress else items:
        sub = copy.copy(base)
        sub.sites = sites
        if shared:
            sub.date = str(name)
        elif not spec.title:
            sub.title = str(sites[0].properties.get("title") or name)
        stem = stems[str(name)]
        if "{event}" in out or "{period}" in out:
            path = Path(out.replace("{event}", stem).replace("{period}", stem))
        else:
            path = Path(out) / f"{stem}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        results.append(render(sub, path))
    return results
