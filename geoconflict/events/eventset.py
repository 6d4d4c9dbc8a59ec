"""Collections of events (:class:`EventSet`): filters, time windows, views, tables.

An :class:`EventSet` holds :class:`~geoconflict.events.model.Event` objects, or the
same events as columns (:class:`~geoconflict.events.table.EventTable`, built into
objects only when used), with their sources and the import report
(:class:`~geoconflict.events.rejected.Rejected`).

Coordinates are (lon, lat) in degrees on WGS84; distances and radii in meters;
times are ISO 8601 (local time of the event with an IANA time zone, or UTC).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Optional, Union

import numpy as np

from geoconflict import _geom
from geoconflict.events.claims import Source
from geoconflict.events.model import Category, Event
from geoconflict.events.native import to_native
from geoconflict.events.rejected import Rejected
from geoconflict.events.sites import (
    Location,
    Site,
    flag_gazetteer_points,
    precision_rank,
)
from geoconflict.events.table import EventTable, table_from_geodataframe
from geoconflict.events.time import (
    TIME_PRECISIONS,
    TimeEstimate,
    utc_instant,
)
from geoconflict.geography import places

__all__ = ["EventSet"]


def _event_of(g: dict) -> Event:
    """Build an Event from a record of :meth:`EventTable.record`."""
    loc = Location(
        g["lon"],
        g["lat"],
        g["precision"],
        radius_m=g["radius_m"],
        phrase=g["phrase"],
        method=g["method"],
        place=g["place"],
        place_id=g["place_id"],
        country=g["country"],
        admin1=g["admin1"],
        admin2=g["admin2"],
        flags=g["flags"],
    )
    site = Site(
        g["site_id"], loc, role=g["role"], name=g["site_name"], facility=g["facility"]
    )
    return Event(
        id=g["id"],
        time=TimeEstimate(
            g["start"],
            g["end"],
            g["time_precision"],
            tz=g["tz"],
            phrase=g["time_phrase"],
        ),
        sites=[site],
        claims=g["claims"],
        category=Category(g["disorder_type"], g["event_type"], g["sub_event_type"]),
        summary=g["summary"],
        tags=g["tags"],
        external_ids=g["external_ids"],
        notes=g["notes"],
    )


def _plain(v):
    """Return a numpy scalar as the Python value the per-event table gives."""
    return v.item() if isinstance(v, np.generic) else v


def _shipped_settlements():
    """Settlement points of the shipped gazetteer: (lon, lat, names)."""
    entries = places._gazetteer()[0]  # places has no public listing yet (#12)
    towns = [p for p in entries if p.source in ("geonames", "naturalearth")]
    return (
        [p.lon for p in towns],
        [p.lat for p in towns],
        [f"{p.name} ({p.source} {p.id})" for p in towns],
    )


class EventSet:
    """A collection of events with their sources and an import report.

    Parameters
    ----------
    events : iterable of Event
    sources : iterable of Source or dict id -> Source, optional
    rejected : Rejected, optional
        Problems met while reading (see :class:`Rejected`).

    Examples
    --------
    >>> es = EventSet([Event("e1", TimeEstimate("2019-09-09"),
    ...                      [Site("s", Location(40.91854, 34.45226, "settlement",
    ...                                          country="SYR"))])])
    >>> len(es), es["e1"].id, es.aggregate("country")
    (1, 'e1', {'SYR': 1})
    """

    def __init__(
        self,
        events: Iterable[Event] = (),
        sources: Union[Iterable[Source], dict, None] = None,
        rejected: Optional[Rejected] = None,
    ) -> None:
        self._events: Optional[list] = list(events)
        self._table: Optional[EventTable] = None
        if isinstance(sources, dict):
            self.sources = dict(sources)
        else:
            self.sources = {s.id: s for s in (sources or [])}
        self.rejected = rejected if rejected is not None else Rejected()
        self._check_ids([e.id for e in self._events])
        self._index = {e.id: i for i, e in enumerate(self._events)}

    @staticmethod
    def _check_ids(ids) -> None:
        dup = [k for k, n in Counter(ids).items() if n > 1]
        if dup:
            raise ValueError(f"duplicate event ids: {dup[:20]}")

    @classmethod
    def from_table(
        cls,
        table: EventTable,
        sources: Union[Iterable[Source], dict, None] = None,
        rejected: Optional[Rejected] = None,
    ) -> EventSet:
        """Build an EventSet held as columns (:class:`~geoconflict.events.table.EventTable`).

        The :class:`Event` objects are built the first time :attr:`events` (or
        iteration, indexing, a filter) needs them; from then on they are the
        set's content (they can be changed in place) and the columns are
        dropped.  :meth:`site_table`, :meth:`to_geodataframe` and the writers of
        :mod:`geoconflict.io.events` read the columns while they are there.
        """
        out = cls((), sources, rejected)
        cls._check_ids(table.columns["id"].tolist())
        out._events = None
        out._table = table
        out._index = None
        return out

    @classmethod
    def from_geodataframe(
        cls,
        gdf,
        *,
        id_column: str = "event_id",
        precision: str = "exact",
        sources=None,
    ) -> EventSet:
        """Build a columnar EventSet from a GeoDataFrame of points, one event per row.

        The geometry (any CRS; transformed to lon/lat degrees on WGS84) gives each
        event's one site.  Columns named as in :meth:`site_table` are used when
        present: `id_column` (default: the index), ``start`` (required; ISO 8601,
        naive = UTC), ``end`` (exclusive; default from ``time_precision``),
        ``time_precision`` (default ``"day"``), ``precision`` (default
        `precision`), ``radius_m`` (meters), ``site_id``, ``site_name``, ``role``,
        ``facility``, ``method``, ``place``, ``country``, ``admin1``, ``admin2``,
        ``disorder_type``, ``event_type``, ``sub_event_type``, ``summary``,
        ``notes``.  Claims are not made up from flat columns: the events have none
        (read a file :func:`geoconflict.write_events` wrote to keep them).

        Raises
        ------
        ValueError
            No ``start`` column, a geometry that is not a point, a duplicate id,
            an unknown precision or role.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> gdf = gpd.GeoDataFrame({"event_id": ["a"], "start": ["2019-09-09"]},
        ...                        geometry=[shapely.Point(40.9, 34.45)], crs=4326)
        >>> es = EventSet.from_geodataframe(gdf)
        >>> es["a"].time.end.isoformat(), es["a"].sites[0].location.lon
        ('2019-09-10T00:00:00', 40.9)
        """
        return cls.from_table(
            table_from_geodataframe(gdf, id_column=id_column, precision=precision),
            sources,
        )

    @property
    def table(self) -> EventTable:
        """The events as columns (built from the events if the set holds objects).

        Raises ValueError when an event cannot be held as columns (several sites,
        a footprint, a time zone offset): use :meth:`site_table` then.
        """
        if self._table is None:
            self._table = EventTable.from_events(self._events)
        return self._table

    @property
    def is_columnar(self) -> bool:
        """True while the set is held as columns (no :class:`Event` built yet)."""
        return self._events is None

    @property
    def events(self) -> list:
        """The events as :class:`Event` objects (built on first use from the columns)."""
        if self._events is None:
            self._events = [
                _event_of(self._table.record(i)) for i in range(len(self._table))
            ]
            self._table = None
            self._index = {e.id: i for i, e in enumerate(self._events)}
        return self._events

    @events.setter
    def events(self, value) -> None:
        self._events = list(value)
        self._check_ids([e.id for e in self._events])
        self._table = None
        self._index = {e.id: i for i, e in enumerate(self._events)}

    def __len__(self) -> int:
        if self._events is None:
            return len(self._table)
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __getitem__(self, key):
        if isinstance(key, str):
            events = self.events
            return events[self._index[key]]
        return self.events[key]

    def __repr__(self) -> str:
        return (
            f"EventSet({len(self)} events, {len(self.sources)} sources, "
            f"{self.rejected.summary()})"
        )

    def _subset(self, events: list) -> EventSet:
        return EventSet(events, self.sources, self.rejected)

    def source(self, source_id: str) -> Source:
        """Return the :class:`~geoconflict.events.claims.Source` with this id (KeyError if unknown)."""
        return self.sources[source_id]

    # ------------------------------------------------------------ filters
    def filter(
        self,
        *,
        max_precision: Optional[str] = None,
        role: Optional[str] = None,
        country: Optional[str] = None,
        tag: Optional[str] = None,
    ) -> EventSet:
        """Keep events whose sites meet the conditions.

        Parameters
        ----------
        max_precision : str, optional
            Keep events whose primary site is at least this precise
            (``"settlement"`` keeps ``exact`` and ``settlement``).
        role : str, optional
            Keep events with a site of this role.
        country : str, optional
            Keep events with a site in this country (ISO alpha-3).
        tag : str, optional
            Keep events with this tag.

        Returns
        -------
        EventSet

        Examples
        --------
        >>> es = EventSet([
        ...     Event("a", TimeEstimate("2019-09-09"),
        ...           [Site("s", Location(40.9, 34.4, "settlement"))]),
        ...     Event("b", TimeEstimate("2019-09-10"),
        ...           [Site("s", Location(42.0, 33.0, "province"))])])
        >>> [e.id for e in es.filter(max_precision="settlement")]
        ['a']
        """
        out = []
        limit = None if max_precision is None else precision_rank(max_precision)
        for e in self.events:
            if (
                limit is not None
                and precision_rank(e.primary_site.location.precision) > limit
            ):
                continue
            if role is not None and not any(s.role == role for s in e.sites):
                continue
            if country is not None and not any(
                s.location.country == country for s in e.sites
            ):
                continue
            if tag is not None and tag not in e.tags:
                continue
            out.append(e)
        return self._subset(out)

    def between(self, start, end, *, mode: str = "overlaps") -> EventSet:
        """Keep events in the time window ``[start, end)``, respecting time precision.

        Parameters
        ----------
        start, end : str or datetime
            Window bounds (ISO 8601; naive times are UTC).
        mode : {"overlaps", "within"}
            ``"overlaps"``: the event *may* fall in the window (its interval
            overlaps it: an event known only to the month counts for any window
            touching that month); ``"within"``: it certainly does (its whole
            interval lies inside the window).

        Returns
        -------
        EventSet

        Examples
        --------
        >>> es = EventSet([
        ...     Event("day", TimeEstimate("2021-06-27"),
        ...           [Site("s", Location(40.9, 34.4, "settlement"))]),
        ...     Event("month", TimeEstimate("2021-06", precision="month"),
        ...           [Site("s", Location(40.9, 34.4, "settlement"))])])
        >>> [e.id for e in es.between("2021-06-20", "2021-06-30")]
        ['day', 'month']
        >>> [e.id for e in es.between("2021-06-20", "2021-06-30", mode="within")]
        ['day']
        """
        if mode not in ("overlaps", "within"):
            raise ValueError(f"unknown mode {mode!r}; use 'overlaps' or 'within'")
        lo, hi = utc_instant(start), utc_instant(end)
        out = []
        for e in self.events:
            s, t = e.time.start_utc, e.time.end_utc
            if mode == "overlaps":
                ok = s < hi and t > lo
            else:
                ok = s >= lo and t <= hi
            if ok:
                out.append(e)
        return self._subset(out)

    def aggregate(self, by: str = "country", *, period: str = "month") -> dict:
        """Count events by country, province (admin1) or period.

        Parameters
        ----------
        by : {"country", "admin1", "period"}
            Grouping key.  An event with target sites in two countries counts once
            in each.  ``"period"`` uses the event's start: ``YYYY-MM``
            (``period="month"``), ``YYYY`` (``"year"``) or ``YYYY-Www``
            (``"week"``); events whose time precision is coarser than the period
            are counted under ``"imprecise"``.
        period : {"week", "month", "year"}

        Returns
        -------
        dict
            Key -> number of events (None key: unknown country/province).

        Examples
        --------
        >>> es = EventSet([Event("a", TimeEstimate("2019-09-09"),
        ...                      [Site("s", Location(40.9, 34.4, "settlement"))])])
        >>> es.aggregate("period")
        {'2019-09': 1}
        """
        counts: Counter = Counter()
        if by in ("country", "admin1"):
            for e in self.events:
                keys = {
                    getattr(s.location, by)
                    for s in e.sites
                    if s.role in ("target", "impact")
                } or {getattr(e.primary_site.location, by)}
                for k in keys:
                    counts[k] += 1
        elif by == "period":
            if period not in ("week", "month", "year"):
                raise ValueError(f"unknown period {period!r}; use week, month or year")
            rank = TIME_PRECISIONS.index(period)
            for e in self.events:
                if TIME_PRECISIONS.index(e.time.precision) > rank:
                    counts["imprecise"] += 1
                    continue
                d = e.time.start
                if period == "month":
                    key = f"{d.year:04d}-{d.month:02d}"
                elif period == "year":
                    key = f"{d.year:04d}"
                else:
                    iso = d.isocalendar()
                    key = f"{iso[0]:04d}-W{iso[1]:02d}"
                counts[key] += 1
        else:
            raise ValueError(
                f"unknown grouping {by!r}; use 'country', 'admin1' or 'period'"
            )
        return dict(sorted(counts.items(), key=lambda kv: (kv[0] is None, str(kv[0]))))

    # ------------------------------------------------------------ checks
    def flag_gazetteer_points(
        self,
        gazetteer_lon=None,
        gazetteer_lat=None,
        names=None,
        *,
        tolerance_m: float = 50.0,
    ) -> int:
        """Downgrade "exact" points that are really a settlement's gazetteer point.

        Every such location gets precision ``settlement``, the flag
        ``"exact_equals_gazetteer"`` and a line in :attr:`rejected` (action
        ``"flagged"``).

        Parameters
        ----------
        gazetteer_lon, gazetteer_lat : array_like, optional
            Settlement centroids in degrees.  Default: the shipped gazetteer
            (GeoNames cities1000 and Natural Earth populated places, through
            :mod:`geoconflict.geography.places`).
        names : sequence of str, optional
            Their names (used in the report).
        tolerance_m : float
            Match distance in meters.

        Returns
        -------
        int
            Number of locations downgraded.

        Examples
        --------
        >>> es = EventSet([Event("a", TimeEstimate("2019-09-09"),
        ...     [Site("s", Location(40.91854, 34.45226, "exact",
        ...                         method="reported_coordinates"))])])
        >>> es.flag_gazetteer_points([40.91854], [34.45226], ["Abu Kamal"])
        1
        >>> es["a"].sites[0].location.precision
        'settlement'
        """
        if gazetteer_lon is None or gazetteer_lat is None:
            gazetteer_lon, gazetteer_lat, names = _shipped_settlements()
        locs = [(e, s) for e in self.events for s in e.sites]
        if not locs:
            return 0
        flagged, match = flag_gazetteer_points(
            [s.location.lon for _, s in locs],
            [s.location.lat for _, s in locs],
            [s.location.precision for _, s in locs],
            gazetteer_lon,
            gazetteer_lat,
            tolerance_m=tolerance_m,
        )
        n = 0
        for (e, s), f, j in zip(locs, flagged, match):
            if not f:
                continue
            loc = s.location
            name = names[j] if names is not None else f"gazetteer entry {j}"
            loc.precision = "settlement"
            if "exact_equals_gazetteer" not in loc.flags:
                loc.flags.append("exact_equals_gazetteer")
            if loc.place is None:
                loc.place = str(name)
            self.rejected.add(
                None,
                e.id,
                "precision",
                f"{loc.lon:.6f},{loc.lat:.6f}",
                f"labelled 'exact' but within {tolerance_m:g} m of the centroid of "
                f"{name}: downgraded to 'settlement' (site {s.id})",
                action="flagged",
            )
            n += 1
        return n

    # ------------------------------------------------------------ output
    def site_table(self) -> list[dict]:
        """One flat row per (event, site): the view GIS layers and tables use.

        Columns: event_id, site_id, site_name, role, facility, lon, lat, radius_m,
        precision, method, place, country, admin1, admin2, start, end,
        time_precision, disorder_type, event_type, sub_event_type, killed_min,
        killed_max, wounded_min, wounded_max, attribution_status, n_claims,
        n_sources, summary.  Distances in meters, coordinates in degrees.

        Examples
        --------
        >>> es = EventSet([Event("a", TimeEstimate("2019-09-09"),
        ...     [Site("s", Location(40.91854, 34.45226, "settlement"))])])
        >>> es.site_table()[0]["radius_m"]
        5000.0
        """
        if self._events is None:
            cols = self._table.site_columns()
            names = list(cols)
            geoms = self._table_geometries()
            out = []
            for i in range(len(self)):
                row = {k: _plain(cols[k][i]) for k in names}
                row["geometry"] = geoms[i]
                out.append(row)
            return out
        rows = []
        for e in self.events:
            rng = e.casualties("range")
            status = e.attribution_status()
            n_sources = len({c.source for c in e.claims})
            for s in e.sites:
                loc = s.location
                rows.append(
                    {
                        "event_id": e.id,
                        "site_id": s.id,
                        "site_name": s.name,
                        "role": s.role,
                        "facility": s.facility,
                        "lon": loc.lon,
                        "lat": loc.lat,
                        "radius_m": loc.uncertainty_m,
                        "precision": loc.precision,
                        "method": loc.method,
                        "place": loc.place,
                        "country": loc.country,
                        "admin1": loc.admin1,
                        "admin2": loc.admin2,
                        "start": e.time.start.isoformat(),
                        "end": e.time.end.isoformat(),
                        "time_precision": e.time.precision,
                        "disorder_type": e.category.disorder_type,
                        "event_type": e.category.event_type,
                        "sub_event_type": e.category.sub_event_type,
                        "killed_min": rng["killed"][0],
                        "killed_max": rng["killed"][1],
                        "wounded_min": rng["wounded"][0],
                        "wounded_max": rng["wounded"][1],
                        "attribution_status": status,
                        "n_claims": len(e.claims),
                        "n_sources": n_sources,
                        "summary": e.summary,
                        "geometry": loc.geometry,
                    }
                )
        return rows

    def to_geodataframe(self):
        """Return a GeoDataFrame with one row per (event, site), EPSG:4326.

        geopandas is imported lazily; the columns are those of :meth:`site_table`
        and the geometry is the site's footprint or point (lon/lat degrees).
        """
        from geoconflict._compat import import_optional_dependency

        gpd = import_optional_dependency("geopandas", "EventSet.to_geodataframe")
        if self._events is None:  # columns: no loop over the events
            pd = import_optional_dependency("pandas", "EventSet.to_geodataframe")
            cols = self._table.site_columns()
            frame = pd.DataFrame(cols)
            return gpd.GeoDataFrame(
                frame, geometry=self._table_geometries(), crs="EPSG:4326"
            )
        rows = self.site_table()
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")

    def _table_geometries(self) -> np.ndarray:
        """Return the site points of the columns (None where a site has no point)."""
        c = self._table.columns
        lon, lat = np.asarray(c["lon"], float), np.asarray(c["lat"], float)
        pts = _geom.points(lon, lat)
        pts[np.isnan(lon) | np.isnan(lat)] = None
        return pts

    def to_geojson(self) -> dict:
        """Return the native geoconflict GeoJSON (see :func:`geoconflict.write_events`)."""
        return to_native(self)

    def to_json(self, **kwargs) -> str:
        """Return :meth:`to_geojson` as text (keywords go to :func:`json.dumps`)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_geojson(), **kwargs)
