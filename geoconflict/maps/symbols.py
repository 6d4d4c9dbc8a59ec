"""Which symbols a map draws for its sites: one per site, per co-located group, or per place.

Everything here is numpy over all sites at once (no per-site artists, no
per-site Python loops beyond reading the properties once), so that the cost of
a map grows with the number of *symbols and labels it draws*, not with the
number of events.

* :func:`site_table` reads the properties that style a site (status, marker,
  name, weight) into arrays;
* :func:`group_symbols` merges sites into symbols: co-located sites (closer
  than `tol` map units) become one symbol with a count; with ``aggregate="places"``
  every site within a grid cell of `cell` map units joins one graduated symbol
  (sized by count or fatalities);
* :func:`label_order` ranks the symbols' labels: named sites (not events)
  first, then the largest aggregates.

Positions are projected map coordinates (meters of the map's projection);
inputs are (lon, lat) degrees WGS84 before projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geoconflict.maps.style import ATTRIBUTION_COLORS, DEFAULT_MARKER, EVENT_MARKERS

__all__ = [
    "AGGREGATE_MODES",
    "AUTO_AGGREGATE_ABOVE",
    "LABEL_MODES",
    "SIZE_BY",
    "Symbols",
    "group_symbols",
    "label_order",
    "merge_names",
    "site_table",
]

#: how sites become symbols: "auto" aggregates above AUTO_AGGREGATE_ABOVE sites
AGGREGATE_MODES = ("auto", "none", "places", "hex")
#: ``--labels``: "auto" thins by priority, "all" tries every name, "none" draws none
LABEL_MODES = ("auto", "all", "none")
#: what a graduated symbol's area stands for
SIZE_BY = ("count", "fatalities")
#: above this many sites, ``aggregate="auto"`` draws graduated symbols per place
AUTO_AGGREGATE_ABOVE = 300
#: co-located groups up to this size are spread on a circle (each marker visible);
#: larger groups are one symbol with a count
SPREAD_UP_TO = 6

_FATALITY_KEYS = ("fatalities", "killed_max", "killed_min", "killed", "deaths")


def _status(props: dict) -> str:
    s = str(
        props.get("attribution_status") or props.get("attribution") or "unknown"
    ).lower()
    return s if s in ATTRIBUTION_COLORS else "unknown"


def _marker(props: dict) -> tuple:
    """(matplotlib marker, legend name): the site's role first, then its event type."""
    role = str(props.get("role") or "").lower()
    if "reference" in role or role in ("facility", "crossing"):
        return "p", "reference facility"
    if "launch" in role:
        return "*", "launch site"
    for key in ("sub_event_type", "event_type", "kind"):
        v = str(props.get(key) or "").lower()
        if v:
            for name, m in EVENT_MARKERS.items():
                if name in v:
                    return m, name
    return DEFAULT_MARKER, "site"


def _fatalities(props: dict) -> float:
    for k in _FATALITY_KEYS:
        v = props.get(k)
        if v not in (None, ""):
            try:
                x = float(v)
            except (TypeError, ValueError):
                continue
            if np.isfinite(x) and x >= 0:
                return x
    return 0.0


@dataclass
class Symbols:
    """The symbols of a map's sites, one row each (arrays of equal length).

    Attributes
    ----------
    xy : ndarray (m, 2)
        Drawing position (projected map units).
    anchor : ndarray (m, 2)
        True position (differs from `xy` where a small co-located group is
        spread on a circle).
    count : ndarray (m,)
        Sites in the symbol.
    weight : ndarray (m,)
        What the symbol's size stands for (count, or the fatalities' sum).
    status, marker, kind, name : ndarray (m,) of str
        Attribution status (the most frequent of the members), matplotlib
        marker, legend name of the marker, and label text.
    named : ndarray (m,) of bool
        The symbol holds a named site that is not an event (a facility, a
        place the user gave): its label comes first.
    graduated : bool
        Symbols are sized by `weight` (aggregated places).
    """

    xy: np.ndarray
    anchor: np.ndarray
    count: np.ndarray
    weight: np.ndarray
    status: np.ndarray
    marker: np.ndarray
    kind: np.ndarray
    name: np.ndarray
    named: np.ndarray
    graduated: bool = False

    def __len__(self) -> int:
        return len(self.xy)


def site_table(sites: list, size_by: str = "count") -> dict:
    """Read the styling properties of `sites` (Features) as arrays: status, marker, kind, name, named, weight."""
    n = len(sites)
    status = np.empty(n, dtype=object)
    marker = np.empty(n, dtype=object)
    kind = np.empty(n, dtype=object)
    name = np.empty(n, dtype=object)
    named = np.zeros(n, dtype=bool)
    weight = np.ones(n)
    styles: dict = {}  # (role, types...) -> (marker, kind): few distinct, many sites
    for i, f in enumerate(sites):
        p = f.properties
        status[i] = _status(p)
        key = tuple(p.get(k) for k in ("role", "sub_event_type", "event_type", "kind"))
        style = styles.get(key)
        if style is None:
            style = styles[key] = _marker(p)
        marker[i], kind[i] = style
        name[i] = str(p.get("name") or "")
        named[i] = bool(name[i]) and p.get("event_id") in (None, "")
        if size_by == "fatalities":
            weight[i] = _fatalities(p)
    return {
        "status": status.astype(str),
        "marker": marker.astype(str),
        "kind": kind.astype(str),
        "name": name.astype(str),
        "named": named,
        "weight": weight,
    }


def _mode_per_group(inv: np.ndarray, values: np.ndarray, m: int) -> np.ndarray:
    """Return the most frequent value of each group (ties: the first value in sort order)."""
    cats, code = np.unique(values, return_inverse=True)
    table = np.zeros((m, len(cats)), dtype=np.int64)
    np.add.at(table, (inv, code), 1)
    return cats[np.argmax(table, axis=1)]


def group_symbols(
    xy: np.ndarray,
    table: dict,
    *,
    tol: float,
    spread_radius: float,
    aggregate: str = "none",
    cell: float = 0.0,
) -> Symbols:
    """Merge sites into the symbols a map draws.

    Parameters
    ----------
    xy : ndarray (n, 2)
        Projected positions of the sites (map units).
    table : dict
        :func:`site_table` of the same sites.
    tol : float
        Sites closer than this (map units, about a marker's size) are
        co-located.
    spread_radius : float
        Co-located groups of at most :data:`SPREAD_UP_TO` sites are spread on a
        circle of this radius (each marker and label visible); larger groups
        become one symbol with a count, styled by the members' most frequent
        marker and attribution status.
    aggregate : {"none", "places"}
        "places": every site within the same grid cell of `cell` map units
        joins one graduated symbol at the cell's mean position.
    cell : float
        Grid cell of "places" (map units).

    Returns
    -------
    Symbols
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    places = aggregate == "places"
    step = cell if places else tol
    if n == 0:
        e = np.empty(0, dtype=str)
        z = np.empty((0, 2))
        return Symbols(z, z, np.empty(0, int), np.empty(0), e, e, e, e,
                       np.empty(0, bool), places)  # fmt: skip
    keys = np.floor(xy / max(step, 1e-9)).astype(np.int64)
    _, first, inv, count = np.unique(
        keys, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    inv = inv.ravel()
    m = len(count)
    # keep the symbols in the order of their first site (stable, deterministic)
    order = np.argsort(first, kind="stable")
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    inv = rank[inv]
    count = count[order]
    anchor = np.column_stack(
        [np.bincount(inv, xy[:, 0], m) / count, np.bincount(inv, xy[:, 1], m) / count]
    )
    weight = np.bincount(inv, table["weight"], m)
    status = _mode_per_group(inv, table["status"], m)
    if places:
        marker = np.full(m, "o")
        kind = np.full(m, "place")
    else:
        marker = _mode_per_group(inv, table["marker"], m)
        kind = _mode_per_group(inv, table["kind"], m)
    names = table["name"]
    has = names != ""
    name = np.full(m, "", dtype=object)
    if has.any():
        name[:] = _mode_per_group(inv[has], names[has], m)
        name[np.bincount(inv[has], minlength=m) == 0] = ""
    named = np.bincount(inv, table["named"].astype(float), m) > 0
    out = Symbols(anchor.copy(), anchor, count, weight, status, marker, kind,
                  name.astype(str), named, places)  # fmt: skip
    if places:
        return out
    # spread small co-located groups: one symbol per site again, on a circle
    small = (count > 1) & (count <= SPREAD_UP_TO)
    if not small.any():
        return out
    big = np.setdiff1d(np.arange(m), np.flatnonzero(small))
    members = np.flatnonzero(small[inv])
    g = inv[members]
    o = np.argsort(g, kind="stable")
    members, g = members[o], g[o]
    pos = np.arange(len(g)) - np.searchsorted(g, g)  # index within its group
    ang = np.radians(pos * 360.0 / count[g])
    sxy = np.column_stack(
        [
            anchor[g, 0] + spread_radius * np.sin(ang),
            anchor[g, 1] + spread_radius * np.cos(ang),
        ]
    )
    return Symbols(
        xy=np.concatenate([out.xy[big], sxy]),
        anchor=np.concatenate([anchor[big], anchor[g]]),
        count=np.concatenate([count[big], np.ones(len(g), int)]),
        weight=np.concatenate([weight[big], table["weight"][members]]),
        status=np.concatenate([status[big], table["status"][members]]),
        marker=np.concatenate([marker[big], table["marker"][members]]),
        kind=np.concatenate([kind[big], table["kind"][members]]),
        name=np.concatenate([out.name[big], table["name"][members]]).astype(str),
        named=np.concatenate([named[big], table["named"][members]]),
        graduated=False,
    )


def merge_names(sym: Symbols) -> Symbols:
    """Return `sym` with the symbols of one co-located group that share a name merged (for labels).

    A small co-located group is spread on a circle, one marker per site; its
    sites often share a name (five events "in Abu Kamal"), which would give
    the same label five times.  Merged, the group has one label with the
    summed count, at its first marker; distinct names keep their own labels.
    """
    if len(sym) < 2:
        return sym
    key = np.column_stack([np.round(sym.anchor, 3).astype(str), sym.name])
    _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inv = inv.ravel()
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    first = first[order]
    inv = rank[inv]
    m = len(first)
    return Symbols(
        xy=sym.xy[first],
        anchor=sym.anchor[first],
        count=np.bincount(inv, sym.count, m).astype(int),
        weight=np.bincount(inv, sym.weight, m),
        status=sym.status[first],
        marker=sym.marker[first],
        kind=sym.kind[first],
        name=sym.name[first],
        named=np.bincount(inv, sym.named.astype(float), m) > 0,
        graduated=sym.graduated,
    )


def label_order(sym: Symbols, mode: str = "auto", cap: int = 30) -> np.ndarray:
    """Return the indices of the symbols whose labels are tried, best first.

    Named sites (not events) come first, then symbols by count (largest
    first), then by name.  ``"auto"`` keeps the first `cap` and each name once
    (at its best symbol), ``"all"`` every named symbol, ``"none"`` nothing.
    """
    if mode == "none" or len(sym) == 0:
        return np.empty(0, dtype=np.int64)
    has = np.flatnonzero(sym.name != "")
    key = np.lexsort((sym.name[has], -sym.count[has], ~sym.named[has]))
    idx = has[key]
    if mode == "all":
        return idx
    # a name is labelled once, at its best symbol (a town's largest group)
    _, first = np.unique(sym.name[idx], return_index=True)
    return idx[np.sort(first)][:cap]
