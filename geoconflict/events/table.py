"""Columnar events: :class:`EventTable`, one site per event, numpy columns.

The readers of :mod:`geoconflict.io` build an :class:`EventTable` for whole files
(10⁵–10⁶ rows) without a Python object per row; an
:class:`~geoconflict.events.eventset.EventSet` backed by one hands out
:class:`~geoconflict.events.model.Event` objects only when asked for them, and
builds its flat (event, site) table, GeoDataFrame and GeoParquet straight from
the columns.

The table holds

* the event and site columns of :data:`COLUMNS` (lon/lat degrees on WGS84,
  ``radius_m`` the given radius in meters or NaN, ``start``/``end`` as
  ``datetime64[us]``, the interval ``[start, end)``; strings as object arrays
  with None for missing);
* ``external``: one column per external id key (``"acled"``, ``"acled:actor1"``
  ...; None where the event has none);
* claim blocks (:class:`ClaimBlock`): one claim class, the events they belong to
  and one column per claim field;
* ``summary``: the per-event views of :meth:`Event.casualties` ("range") and
  :meth:`Event.attribution_status` that the flat table shows (computed from the
  claims by the builder that knows them, or from the events).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import numpy as np

from geoconflict import _geom
from geoconflict.events.claims import Claim
from geoconflict.events.sites import DEFAULT_RADIUS_M, SITE_ROLES, precision_rank
from geoconflict.events.time import TimeEstimate

__all__ = [
    "COLUMNS",
    "SUMMARY_COLUMNS",
    "ClaimBlock",
    "EventTable",
    "table_from_geodataframe",
]

#: event and site columns (strings are object arrays with None for missing)
COLUMNS = (
    "id",
    "start",
    "end",
    "time_precision",
    "tz",
    "time_phrase",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "summary",
    "tags",
    "notes",
    "site_id",
    "site_name",
    "role",
    "facility",
    "lon",
    "lat",
    "radius_m",
    "precision",
    "method",
    "phrase",
    "place",
    "place_id",
    "country",
    "admin1",
    "admin2",
    "flags",
)
#: per-event views shown in the flat table
SUMMARY_COLUMNS = (
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
    "attribution_status",
    "n_claims",
    "n_sources",
)
_FLOAT = ("lon", "lat", "radius_m")
_TIME = ("start", "end")


@dataclass
class ClaimBlock:
    """Claims of one class as columns: ``rows[j]`` is the event of claim ``j``.

    ``fields`` maps each field of `kind` to an array (one value per claim) or to
    one value shared by all; fields left out take their default.  A block whose
    `kind` is None holds ready :class:`Claim` objects in ``fields["claim"]``.
    ``order`` (optional) is each claim's place in its event's list of claims;
    without it an event lists the claims of the blocks in turn.
    """

    kind: Optional[type]
    rows: np.ndarray
    fields: dict
    order: Optional[np.ndarray] = None

    def value(self, name: str, j: int) -> Any:
        """Return field `name` of claim `j` as a Python value."""
        v = self.fields[name]
        if isinstance(v, np.ndarray):
            v = v[j]
            if isinstance(v, np.generic):
                v = v.item()
        return v

    def claim(self, j: int) -> Claim:
        """Build claim `j`."""
        if self.kind is None:
            return self.value("claim", j)
        return self.kind(**{k: self.value(k, j) for k in self.fields})

    def take(self, index: np.ndarray, n: int) -> ClaimBlock:
        """Return the block for the events ``index`` (new positions 0..len(index)-1)."""
        new = np.full(n, -1)
        new[index] = np.arange(len(index))
        keep = np.flatnonzero(new[self.rows] >= 0)
        fields = {
            k: v[keep] if isinstance(v, np.ndarray) else v
            for k, v in self.fields.items()
        }
        order = None if self.order is None else self.order[keep]
        return ClaimBlock(self.kind, new[self.rows[keep]], fields, order)


def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values) if not isinstance(values, np.ndarray) else values
    return out


def _none(v):
    """Return a missing value of a column as the model holds it (NaN -> None)."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    return v


class EventTable:
    """Events with one site each, held as columns; :class:`Event` s built on demand.

    Parameters
    ----------
    columns : dict
        The arrays of :data:`COLUMNS` (all the same length; ``flags`` and
        ``tags`` hold a list or None per event).
    claims : list of ClaimBlock
        The claims, in the order each event lists them (blocks in turn).
    external : dict, optional
        External id key -> array (None where the event has no such id), in the
        order the events list them.
    summary : dict
        The arrays of :data:`SUMMARY_COLUMNS` (the builder computes them from the
        claims it makes; :meth:`from_events` from the events).

    Examples
    --------
    >>> from geoconflict.events.model import Event, Location, Site, TimeEstimate
    >>> ev = Event("a", TimeEstimate("2019-09-09"),
    ...            [Site("s", Location(40.91854, 34.45226, "settlement"))])
    >>> t = EventTable.from_events([ev])
    >>> len(t), t.record(0)["id"], t.record(0)["start"].isoformat()
    (1, 'a', '2019-09-09T00:00:00')
    """

    def __init__(
        self,
        columns: dict,
        claims: Optional[list] = None,
        external: Optional[dict] = None,
        summary: Optional[dict] = None,
    ) -> None:
        missing = [c for c in COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"an EventTable needs the columns {missing}")
        self.columns = {c: columns[c] for c in COLUMNS}
        self.n = len(self.columns["id"])
        for c, v in self.columns.items():
            if len(v) != self.n:
                raise ValueError(f"column {c!r} has {len(v)} values, not {self.n}")
        self.claims = list(claims or [])
        self.external = dict(external or {})
        self._claim_index: Optional[list] = None
        missing = [c for c in SUMMARY_COLUMNS if c not in (summary or {})]
        if missing:
            raise ValueError(f"an EventTable needs the summary columns {missing}")
        self.summary = {c: summary[c] for c in SUMMARY_COLUMNS}

    def __len__(self) -> int:
        return self.n

    # ------------------------------------------------------------ events
    def _claims_of(self, i: int) -> list:
        if self._claim_index is None:
            self._claim_index = []
            for b in self.claims:
                order = np.argsort(b.rows, kind="stable")
                bounds = np.searchsorted(b.rows[order], np.arange(self.n + 1))
                self._claim_index.append((order, bounds))
        out = []
        for k, (b, (order, bounds)) in enumerate(zip(self.claims, self._claim_index)):
            for j in order[bounds[i] : bounds[i + 1]]:
                key = (k, 0) if b.order is None else (-1, int(b.order[j]))
                out.append((key, b.claim(int(j))))
        out.sort(key=lambda t: t[0])
        return [c for _, c in out]

    def claim_order(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(event, block, j)`` of every claim, sorted by event and list place.

        ``event`` is the row of the claim's event, ``block`` the number of its
        :class:`ClaimBlock` in :attr:`claims` and ``j`` its index in the block.
        """
        ev, pos, blk, idx = [], [], [], []
        for k, b in enumerate(self.claims):
            m = len(b.rows)
            ev.append(np.asarray(b.rows, dtype=np.int64))
            if b.order is None:
                pos.append(k * (1 << 40) + np.arange(m, dtype=np.int64))
            else:
                pos.append(np.asarray(b.order, dtype=np.int64) - (1 << 50))
            blk.append(np.full(m, k, dtype=np.int64))
            idx.append(np.arange(m, dtype=np.int64))
        if not ev:
            e = np.empty(0, dtype=np.int64)
            return e, e, e
        ev_a, pos_a = np.concatenate(ev), np.concatenate(pos)
        perm = np.lexsort((pos_a, ev_a))
        return ev_a[perm], np.concatenate(blk)[perm], np.concatenate(idx)[perm]

    def record(self, i: int) -> dict:
        """Return row `i` as Python values: every column, ``external_ids``, ``claims``.

        Missing values are None (``lon``/``lat`` NaN), ``start``/``end`` are
        :class:`datetime` s, ``tags`` and ``flags`` lists;
        :meth:`EventSet.events <geoconflict.events.eventset.EventSet.events>` builds the
        :class:`~geoconflict.events.model.Event` from it.
        """
        c = self.columns
        g = {k: _none(c[k][i]) for k in COLUMNS if k not in _TIME}
        for k in _TIME:
            g[k] = _datetime(c[k][i])
        for k in ("lon", "lat"):
            g[k] = float("nan") if g[k] is None else float(g[k])
        g["tags"] = list(g["tags"] or [])
        g["flags"] = list(g["flags"] or [])
        g["external_ids"] = {
            k: v[i] for k, v in self.external.items() if _none(v[i]) is not None
        }
        g["claims"] = self._claims_of(i)
        return g

    # ------------------------------------------------------------ flat views
    def uncertainty_m(self) -> np.ndarray:
        """Uncertainty radius per site in meters: the given radius or the precision's default."""
        r = np.asarray(self.columns["radius_m"], dtype=float).copy()
        prec = self.columns["precision"]
        unset = np.isnan(r)
        for p, d in DEFAULT_RADIUS_M.items():
            r[unset & (prec == p)] = d
        return r

    def site_columns(self) -> dict:
        """Return the columns of :meth:`EventSet.site_table` (no geometry), as arrays."""
        c = self.columns
        out = {
            "event_id": c["id"],
            "site_id": c["site_id"],
            "site_name": c["site_name"],
            "role": c["role"],
            "facility": c["facility"],
            "lon": c["lon"],
            "lat": c["lat"],
            "radius_m": self.uncertainty_m(),
            "precision": c["precision"],
            "method": c["method"],
            "place": c["place"],
            "country": c["country"],
            "admin1": c["admin1"],
            "admin2": c["admin2"],
            "start": _iso(c["start"]),
            "end": _iso(c["end"]),
            "time_precision": c["time_precision"],
            "disorder_type": c["disorder_type"],
            "event_type": c["event_type"],
            "sub_event_type": c["sub_event_type"],
        }
        out.update(self.summary)
        out["summary"] = c["summary"]
        return out

    # ------------------------------------------------------------ building
    def take(self, index) -> EventTable:
        """Return the table of the events at positions `index` (in that order)."""
        index = np.asarray(index, dtype=int)
        if len(index) == self.n and np.array_equal(index, np.arange(self.n)):
            return self
        return EventTable(
            {k: v[index] for k, v in self.columns.items()},
            [b.take(index, self.n) for b in self.claims],
            {k: v[index] for k, v in self.external.items()},
            {k: v[index] for k, v in self.summary.items()},
        )

    @classmethod
    def concat(cls, tables: list) -> EventTable:
        """One table with the events of `tables` in turn (claim blocks kept apart)."""
        tables = [t for t in tables if len(t)]
        if not tables:
            return cls.from_events([])
        if len(tables) == 1:
            return tables[0]
        offsets = np.cumsum([0] + [len(t) for t in tables])
        n = int(offsets[-1])
        cols = {k: np.concatenate([t.columns[k] for t in tables]) for k in COLUMNS}
        keys = list(dict.fromkeys(k for t in tables for k in t.external))
        ext = {}
        for k in keys:
            col = np.full(n, None, dtype=object)
            for t, o in zip(tables, offsets):
                if k in t.external:
                    col[o : o + len(t)] = t.external[k]
            ext[k] = col
        blocks = [
            ClaimBlock(b.kind, b.rows + o, b.fields, b.order)
            for t, o in zip(tables, offsets)
            for b in t.claims
        ]
        summ = {
            k: np.concatenate([np.asarray(t.summary[k]) for t in tables])
            for k in SUMMARY_COLUMNS
        }
        return cls(cols, blocks, ext, summ)

    @classmethod
    def from_events(cls, events: list) -> EventTable:
        """Hold single-site events as columns (ValueError for a multi-site event)."""
        multi = [e.id for e in events if len(e.sites) != 1]
        if multi:
            raise ValueError(
                f"an EventTable holds one site per event; {multi[:3]} have several"
            )
        rows = []
        for e in events:
            loc = e.sites[0].location
            if loc.footprint is not None:
                raise ValueError(
                    f"an EventTable holds points; event {e.id!r} has a footprint"
                )
            if e.time.start.tzinfo is not None or e.time.end.tzinfo is not None:
                raise ValueError(
                    f"an EventTable holds naive times; event {e.id!r} has a time zone offset"
                )
            s = e.sites[0]
            rows.append(
                (
                    e.id,
                    e.time.start,
                    e.time.end,
                    e.time.precision,
                    e.time.tz,
                    e.time.phrase,
                    e.category.disorder_type,
                    e.category.event_type,
                    e.category.sub_event_type,
                    e.summary,
                    list(e.tags),
                    e.notes,
                    s.id,
                    s.name,
                    s.role,
                    s.facility,
                    loc.lon,
                    loc.lat,
                    np.nan if loc.radius_m is None else loc.radius_m,
                    loc.precision,
                    loc.method,
                    loc.phrase,
                    loc.place,
                    loc.place_id,
                    loc.country,
                    loc.admin1,
                    loc.admin2,
                    list(loc.flags),
                )
            )
        cols = {}
        for j, name in enumerate(COLUMNS):
            vals = [r[j] for r in rows]
            if name in _FLOAT:
                cols[name] = np.array(vals, dtype=float)
            elif name in _TIME:
                cols[name] = np.array(vals, dtype="datetime64[us]")
            else:
                cols[name] = _obj(vals)
        claims = [(i, c) for i, e in enumerate(events) for c in e.claims]
        block = ClaimBlock(
            None,
            np.array([i for i, _ in claims], dtype=int),
            {"claim": _obj([c for _, c in claims])},
        )
        keys = list(dict.fromkeys(k for e in events for k in e.external_ids))
        ext = {k: _obj([e.external_ids.get(k) for e in events]) for k in keys}
        return cls(cols, [block], ext, _summaries(events))


def _datetime(v) -> datetime:
    return v.astype("datetime64[us]").item()


def _iso(values: np.ndarray) -> np.ndarray:
    """ISO 8601 texts as :meth:`datetime.isoformat` writes them (seconds, or microseconds)."""
    v = np.asarray(values, dtype="datetime64[us]")
    whole = v.astype("datetime64[s]")
    out = np.datetime_as_string(whole, unit="s").astype(object)
    frac = v != whole
    if frac.any():
        out[frac] = np.datetime_as_string(v[frac], unit="us").astype(object)
    return out


def _summaries(events: list) -> dict:
    """Return the :data:`SUMMARY_COLUMNS` of some events, from their claims."""
    n = len(events)
    out = {k: np.full(n, np.nan) for k in SUMMARY_COLUMNS[:4]}
    out["attribution_status"] = np.empty(n, dtype=object)
    out["n_claims"] = np.zeros(n, dtype=int)
    out["n_sources"] = np.zeros(n, dtype=int)
    for i, e in enumerate(events):
        rng = e.casualties("range")
        (
            out["killed_min"][i],
            out["killed_max"][i],
        ) = rng["killed"]
        out["wounded_min"][i], out["wounded_max"][i] = rng["wounded"]
        out["attribution_status"][i] = e.attribution_status()
        out["n_claims"][i] = len(e.claims)
        out["n_sources"][i] = len({c.source for c in e.claims})
    return out


def table_from_geodataframe(
    gdf, *, id_column: str = "event_id", precision: str = "exact"
):
    """Return the :class:`EventTable` of :meth:`EventSet.from_geodataframe <geoconflict.events.eventset.EventSet.from_geodataframe>`."""
    if "start" not in gdf.columns:
        raise ValueError("from_geodataframe needs a 'start' column (ISO 8601 dates)")
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geom = np.asarray(gdf.geometry.values, dtype=object)
    kinds = _geom.type_ids(geom)
    if ((kinds != 0) & (kinds != -1)).any():
        raise ValueError("from_geodataframe reads points (one site per event)")
    n = len(gdf)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    has = (kinds == 0) & ~_geom.is_empty(geom)
    xy = _geom.get_coordinates(geom[has])
    lon[has], lat[has] = xy[:, 0], xy[:, 1]

    def col(name, default=None):
        if name not in gdf.columns:
            return np.full(n, default, dtype=object)
        out = np.array(gdf[name].astype(object), dtype=object)
        out[gdf[name].isna().to_numpy()] = default
        return out

    ids = (
        col(id_column)
        if id_column in gdf.columns
        else np.asarray([str(i) for i in gdf.index], dtype=object)
    )
    tprec = col("time_precision", "day")
    prec = col("precision", precision)
    for p in set(prec.tolist()):
        precision_rank(p)
    bad_roles = set(col("role", "target").tolist()) - set(SITE_ROLES)
    if bad_roles:
        raise ValueError(f"unknown site role(s) {sorted(bad_roles)}")
    times = [TimeEstimate(s, e, p) for s, e, p in zip(col("start"), col("end"), tprec)]
    if any(t.start.tzinfo is not None for t in times):
        raise ValueError("from_geodataframe reads naive (UTC) times")
    radius = np.asarray(
        gdf["radius_m"] if "radius_m" in gdf.columns else np.full(n, np.nan), float
    )
    cols = {
        "id": np.asarray([str(i) for i in ids], dtype=object),
        "start": np.array([t.start for t in times], dtype="datetime64[us]"),
        "end": np.array([t.end for t in times], dtype="datetime64[us]"),
        "time_precision": np.asarray([t.precision for t in times], dtype=object),
        "lon": lon,
        "lat": lat,
        "radius_m": radius,
        "precision": prec,
        "site_id": col("site_id", "s1"),
        "role": col("role", "target"),
        "method": col("method", "reported_coordinates"),
    }
    for k in COLUMNS:
        if k not in cols:
            cols[k] = col(k)
    summary = {
        "killed_min": np.full(n, np.nan),
        "killed_max": np.full(n, np.nan),
        "wounded_min": np.full(n, np.nan),
        "wounded_max": np.full(n, np.nan),
        "attribution_status": np.full(n, "unknown", dtype=object),
        "n_claims": np.zeros(n, dtype=int),
        "n_sources": np.zeros(n, dtype=int),
    }
    return EventTable(cols, [], {}, summary)
