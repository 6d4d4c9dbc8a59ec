"""Read the native geoconflict GeoJSON of events back into an EventSet (no files).

The format is written by :func:`geoconflict.events.native.to_native`; every
feature that is not a valid event is listed in ``EventSet.rejected`` with its
position, never silently dropped.  Coordinates are (lon, lat) in degrees on WGS84.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from geoconflict.errors import DataFormatError
from geoconflict.events.claims import Source
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Event
from geoconflict.events.native import DERIVED_FIELDS, PathLike
from geoconflict.events.rejected import Rejected, RowError

__all__ = ["event_from_json", "feature_list", "from_native"]


def from_native(data: dict, *, path: Optional[PathLike] = None) -> EventSet:
    """Build an EventSet from the native GeoJSON written by :func:`geoconflict.events.native.to_native`.

    Raises
    ------
    DataFormatError
        If a feature is not a valid event (the message names the feature).

    Examples
    --------
    >>> from geoconflict.events.eventset import EventSet
    >>> from geoconflict.events.native import to_native
    >>> len(from_native(to_native(EventSet())))
    0
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFormatError(
            "expected a GeoJSON FeatureCollection",
            path=None if path is None else str(path),
        )
    sources = []
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        raise DataFormatError(
            "the 'sources' member is not a list of source objects",
            path=None if path is None else str(path),
            column="sources",
        )
    feats = feature_list(path, data)
    for i, s in enumerate(raw_sources):
        try:
            if not isinstance(s, dict):
                raise TypeError("not a JSON object")
            sources.append(Source.from_dict(s))
        except (TypeError, ValueError, KeyError) as exc:
            raise DataFormatError(
                f"source {i} is invalid: {exc}",
                path=None if path is None else str(path),
                column="sources",
                value=s.get("id") if isinstance(s, dict) else s,
            ) from None
    rejected = Rejected()
    events = []
    seen = {}
    for i, f in enumerate(feats, start=1):
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict):
            rejected.add(
                path,
                i,
                None if isinstance(f, dict) else "features",
                json.dumps(f)[:60],
                "not a geoconflict event Feature (no properties object)",
            )
            continue
        props = dict(props)
        for k in DERIVED_FIELDS:
            props.pop(k, None)
        props.setdefault("id", f.get("id"))
        try:
            ev, _ = event_from_json(props)
        except RowError as exc:
            rejected.add(path, i, exc.column, exc.value, exc.reason)
            continue
        if ev.id in seen:
            rejected.add(
                path,
                i,
                "id",
                ev.id,
                f"duplicate id (first seen at feature {seen[ev.id]})",
            )
            continue
        seen[ev.id] = i
        events.append(ev)
    known = {s.id for s in sources}
    for e in events:
        for c in e.claims:
            for sid in (c.source, getattr(c, "via", None)):
                if sid is not None and sid not in known:
                    rejected.add(
                        path,
                        seen[e.id],
                        "claims",
                        sid,
                        f"claim refers to unknown source {sid!r} (event {e.id})",
                        action="flagged",
                    )
                    known.add(sid)
    return EventSet(events, sources, rejected)


def event_from_json(data: Any) -> tuple[Event, list]:
    """Build an event and the sources it carries from its JSON object.

    Raise RowError for a JSON value that is not an event, or an invalid one.
    """
    if not isinstance(data, dict):
        raise RowError(
            None,
            json.dumps(data)[:60],
            f"a JSON {type(data).__name__}, not an event object",
        )
    data = dict(data)
    raw_sources = data.pop("_sources", None) or []
    if not isinstance(raw_sources, list) or not all(
        isinstance(s, dict) for s in raw_sources
    ):
        raise RowError("_sources", str(raw_sources)[:60], "not a list of sources")
    try:
        sources = [Source.from_dict(s) for s in raw_sources]
        return Event.from_dict(data), sources
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RowError(None, str(data.get("id"))[:60], str(exc)) from None


def feature_list(path, data: dict) -> list:
    """Return the ``features`` list of a FeatureCollection, or raise DataFormatError."""
    feats = data.get("features")
    if not isinstance(feats, list):
        raise DataFormatError(
            f"the FeatureCollection's 'features' is {json.dumps(feats)[:40]}, not a "
            "list of Feature objects",
            path=None if path is None else str(path),
            column="features",
        )
    return feats
