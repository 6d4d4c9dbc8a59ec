"""The native geoconflict GeoJSON of events: EventSet <-> plain dicts (no files).

RFC 7946 GeoJSON: a FeatureCollection with one Feature per event, its geometry the
primary site's point or footprint (cut at the antimeridian, right-hand rule), its
properties the whole event (category, time, sites, claims ...) plus a few flat
summary fields for GIS display, and the sources in a top-level ``"sources"``
member.  It round-trips every field.  Coordinates are (lon, lat) in degrees on
WGS84; radii in meters.  Read back by :func:`geoconflict.events.native_read.from_native`; files are read
and written by :mod:`geoconflict.io.events`.
"""

from __future__ import annotations

import math
import os
from typing import Any, Optional, Union

from geoconflict._geom import geojson_geometry, orient
from geoconflict.geodesy.antimeridian import split

__all__ = ["DERIVED_FIELDS", "NATIVE_FORMAT", "strict_json", "to_native"]

PathLike = Union[str, "os.PathLike[str]"]

NATIVE_FORMAT = {"name": "geoconflict-events", "version": 1}
#: flat summary properties written for GIS display, recomputed on reading
DERIVED_FIELDS = (
    "start",
    "time_precision",
    "location_precision",
    "radius_m",
    "attribution_status",
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
    "n_claims",
)


def strict_json(obj: Any) -> Any:
    """Make a structure strict-JSON: NaN -> None, ±inf -> "Infinity"/"-Infinity"."""
    if isinstance(obj, float):
        if math.isnan(obj):
            return None
        if math.isinf(obj):
            return "Infinity" if obj > 0 else "-Infinity"
        return obj
    if isinstance(obj, dict):
        return {k: strict_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict_json(v) for v in obj]
    return obj


def _clean_flat(d: dict) -> dict:
    return {
        k: strict_json(v) if isinstance(v, (float, dict, list, tuple)) else v
        for k, v in d.items()
    }


def _display_geometry(geom) -> Optional[dict]:
    """Return the display geometry, cut at the antimeridian, right-hand rule (RFC 7946).

    Full precision (the nested site locations are the lossless record).
    """
    if geom is None:
        return None
    if not geom.is_empty:
        geom = orient(split(geom))
    return geojson_geometry(geom)


def _event_feature(event) -> dict:
    props = event.to_dict()
    props["claims"] = [_clean_flat(c) for c in props["claims"]]
    site = event.primary_site
    rng = event.casualties("range")
    props.update(
        {
            "start": event.time.start.isoformat(),
            "time_precision": event.time.precision,
            "location_precision": site.location.precision,
            "radius_m": site.location.uncertainty_m,
            "attribution_status": event.attribution_status(),
            "killed_min": rng["killed"][0],
            "killed_max": rng["killed"][1],
            "wounded_min": rng["wounded"][0],
            "wounded_max": rng["wounded"][1],
            "n_claims": len(event.claims),
        }
    )
    geom = site.location.geometry
    if geom is None:  # e.g. the target is known only to the country: show another site
        geom = next(
            (s.location.geometry for s in event.sites if s.location.has_point), None
        )
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": _display_geometry(geom),
        "properties": _clean_flat(props),
    }


def to_native(event_set) -> dict:
    """Return the native lossless GeoJSON FeatureCollection of an EventSet.

    `event_set` is an :class:`~geoconflict.events.eventset.EventSet` (any iterable of
    events with a ``sources`` mapping: this module sits below the model, which
    uses it for :meth:`EventSet.to_geojson`).

    Examples
    --------
    >>> from geoconflict.events.eventset import EventSet
    >>> to_native(EventSet())["geoconflict"]["name"]
    'geoconflict-events'
    """
    return {
        "type": "FeatureCollection",
        "geoconflict": dict(NATIVE_FORMAT),
        "sources": [strict_json(s.to_dict()) for s in event_set.sources.values()],
        "features": [_event_feature(e) for e in event_set],
    }
