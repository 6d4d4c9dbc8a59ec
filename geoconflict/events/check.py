"""Check stated distances against the geometry, with every uncertainty.

:func:`check_claims` takes each :class:`~geoconflict.events.claims.DistanceClaim` of an
:class:`~geoconflict.events.model.EventSet` ("about 3 km (2 miles) from the border"),
measures the distance from the claim's site to the reference on the ellipsoid, and
compares two intervals:

* the **stated** interval implied by the words (3 km → 2.5–3.5 km; see
  :func:`geoconflict.events.claims.stated_interval`);
* the **measured** interval: the distance from the site's point, widened by the
  site's uncertainty radius (a site known only to be "in the town" may be anywhere
  within the town's radius; the triangle inequality bounds the distance by ± that
  radius), by the reference's uncertainty (a place's radius, or the border
  dataset's low/high from :func:`geoconflict.geography.borders.distance_to_border`).

Verdicts: ``consistent`` (the point estimate lies in the stated interval),
``inconsistent`` (the intervals do not overlap: a real contradiction),
``cannot tell`` (they overlap only thanks to the uncertainties, or the site or the
reference has no usable location).  Each row says why, with the numbers.
Distances are in meters.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from geoconflict import _geom
from geoconflict._tables import csv_text, markdown_text
from geoconflict.errors import BoundaryNotFoundError, GeoconflictError
from geoconflict.events.model import EventSet
from geoconflict.events.sites import Location
from geoconflict.geodesy.index import distance_to
from geoconflict.geodesy.measurement import distance
from geoconflict.geography import borders as borders_data
from geoconflict.geography import places as places_data

__all__ = ["ClaimCheck", "check_claims"]

VERDICTS = ("consistent", "inconsistent", "cannot tell")


class ClaimCheck(list):
    """Result table of :func:`check_claims`: one dict per distance claim.

    Columns (:attr:`COLUMNS`): event_id, claim_source, via, phrase, reference,
    reference_id, stated_m, stated_low_m, stated_high_m, measured_m,
    measured_low_m, measured_high_m, site_precision, site_radius_m,
    reference_uncertainty_m, verdict, reason.  Distances in meters.
    """

    COLUMNS = (
        "event_id",
        "claim_source",
        "via",
        "phrase",
        "reference",
        "reference_id",
        "stated_m",
        "stated_low_m",
        "stated_high_m",
        "measured_m",
        "measured_low_m",
        "measured_high_m",
        "site_precision",
        "site_radius_m",
        "reference_uncertainty_m",
        "verdict",
        "reason",
    )

    def to_markdown(self, *, km: bool = True) -> str:
        """Return the table as Markdown (distances in km with ``km=True``)."""
        rows = []
        for r in self:
            r = dict(r)
            if km:
                for k in self.COLUMNS:
                    if k.endswith("_m") and isinstance(r.get(k), float):
                        r[k] = round(r[k] / 1000.0, 2)
            rows.append(r)
        cols = [
            c.replace("_m", "_km") if km and c.endswith("_m") else c
            for c in self.COLUMNS
        ]
        return markdown_text(
            [{c2: r.get(c) for c, c2 in zip(self.COLUMNS, cols)} for r in rows], cols
        )

    def to_csv(self, path=None) -> str:
        """Write CSV (meters) to `path` if given, and return the text."""
        return csv_text(self, self.COLUMNS, path)

    def to_dataframe(self):
        """Return a pandas DataFrame (pandas imported lazily)."""
        from geoconflict._compat import import_optional_dependency

        pd = import_optional_dependency("pandas", "ClaimCheck.to_dataframe")
        return pd.DataFrame(list(self), columns=list(self.COLUMNS))


def _km(m: float) -> str:
    if math.isinf(m):
        return "∞"
    return f"{m / 1000.0:.1f} km"


def _line_distance(lon: float, lat: float, geometry) -> float:
    """Exact geodesic distance (m, WGS84) from a point to a geometry (0 inside a polygon)."""
    return float(distance_to(lon, lat, geometry))


def _resolve_border(ref_id: str, lon: float, lat: float, borders: Optional[dict]):
    """Return (distance_m, low_m, high_m, dataset label) or a reason string."""
    key = ref_id.split(":", 1)[1]
    if borders is not None:
        item = borders.get(key, borders.get(ref_id))
        if item is None:
            return f"no geometry for {ref_id!r} in borders= (keys: {sorted(borders)})"
        if isinstance(item, tuple):
            geom, unc = item
        else:
            geom, unc = item, 0.0
        d = _line_distance(lon, lat, geom)
        unc = float(unc)
        return d, max(d - unc, 0.0), d + unc, "borders= argument"
    a, _, b = key.partition("-")
    res = borders_data.distance_to_border(lon, lat, a, b)
    # low_m is clipped at 0: the border may run through the site
    return (
        float(res.distance_m),
        float(res.low_m),
        float(res.high_m),
        str(res.dataset),
    )


def _resolve_place(name: str, event_set: EventSet, places: Optional[dict]):
    """Return a Location for a place name, or a reason string."""
    if places is not None and name in places:
        item = places[name]
        if isinstance(item, Location):
            return item
        lon, lat, *rest = item
        return Location(
            lon, lat, "settlement", radius_m=rest[0] if rest else None, place=name
        )
    for e in event_set:
        for s in e.sites:
            loc = s.location
            if (
                loc.place == name
                and loc.has_point
                and loc.precision in ("exact", "settlement")
            ):
                return loc
    try:
        c = places_data.lookup(name)[0]
    except BoundaryNotFoundError:
        pass
    else:
        return Location(c.lon, c.lat, "settlement", place=name)
    return f"place {name!r} not found (pass places={{{name!r}: (lon, lat)}})"


def _area_of(loc: Location):
    """(geometry, label) of the area a point-less site lies in, or None."""
    if loc.footprint is not None:
        return loc.footprint, "its footprint"
    try:
        if loc.admin1:
            p = borders_data.province(loc.admin1, country=loc.country)
            return p.geometry, f"{p.name} ({loc.country or 'province'})"
        if loc.country and loc.precision == "country":
            cty = borders_data.country(loc.country)
            return cty.geometry, cty.name
    except GeoconflictError:
        return None
    return None


def _check_area(row, c, area, ref_id, e, sites, event_set, places) -> None:
    """Bound the distance from a reference point to anywhere in an area."""
    geom, label = area
    kind, _, key = ref_id.partition(":")
    if kind == "place":
        ref = _resolve_place(key, event_set, places)
    else:
        s2 = sites.get(key)
        ref = s2.location if s2 is not None else f"no site {ref_id!r} in event {e.id!r}"
    if isinstance(ref, str) or not ref.has_point:
        return
    r_ref = ref.uncertainty_m
    near = _line_distance(ref.lon, ref.lat, geom)
    xy = _geom.get_coordinates(geom)
    far = float(np.max(distance(ref.lon, ref.lat, xy[:, 0], xy[:, 1])))
    m_lo, m_hi = max(near - r_ref, 0.0), far + r_ref
    row.update(measured_low_m=m_lo, measured_high_m=m_hi, reference_uncertainty_m=r_ref)
    span = f"anywhere in {label} lies {_km(m_lo)}–{_km(m_hi)} from {c.reference}"
    if m_hi < c.low_m or m_lo > c.high_m:
        row["verdict"] = "inconsistent"
        row["reason"] = (
            f"stated {_km(c.low_m)}–{_km(c.high_m)}, but {span}: no place in the "
            "area fits the statement"
        )
    else:
        row["reason"] = (
            f"stated {_km(c.low_m)}–{_km(c.high_m)}; the site is known only to "
            f"{row['site_precision']} level, somewhere in {label}, and {span}: the statement fits part of the area, so it "
            "narrows the location but cannot be checked"
        )


def check_claims(
    event_set: EventSet,
    *,
    borders: Optional[dict] = None,
    places: Optional[dict] = None,
) -> ClaimCheck:
    """Compare every stated distance with the geometry, using all uncertainties.

    Parameters
    ----------
    event_set : EventSet
        Events whose :class:`~geoconflict.events.claims.DistanceClaim` s are checked.  A
        claim's ``reference_id`` says what it is measured from:
        ``"border:IRQ-SYR"`` (through :func:`geoconflict.geography.borders.distance_to_border`,
        with the dataset's low/high), ``"place:Abu Kamal"`` (a site of the set with
        that place name, `places`, or :mod:`geoconflict.geography.places`), or
        ``"site:<id>"`` (another site of the same event).
    borders : dict, optional
        ``{"IRQ-SYR": geometry}`` or ``{"IRQ-SYR": (geometry, uncertainty_m)}``
        (lon/lat degrees; meters) to use instead of the shipped border dataset.
    places : dict, optional
        ``{"Abu Kamal": (lon, lat)}`` or ``(lon, lat, radius_m)`` or a
        :class:`~geoconflict.events.sites.Location`.

    Returns
    -------
    ClaimCheck
        One row per distance claim, with stated and measured intervals in meters,
        the verdict (consistent / inconsistent / cannot tell) and the reason.

    Examples
    --------
    >>> import shapely
    >>> from geoconflict.events.claims import parse_distance_phrase
    >>> from geoconflict.events.model import Event, EventSet, TimeEstimate
    >>> from geoconflict.events.sites import Location, Site
    >>> border = _geom.line([(41.0, 34.0), (41.0, 35.0)])  # a meridian
    >>> e = Event("e", TimeEstimate("2019-09-09"),
    ...     [Site("t1", Location(40.9, 34.45, "exact", radius_m=50))],
    ...     [parse_distance_phrase("about 9 km from the border", source="r",
    ...                            reference_id="border:IRQ-SYR")])
    >>> row = check_claims(EventSet([e]), borders={"IRQ-SYR": border})[0]
    >>> row["verdict"], round(row["measured_m"] / 1000, 1)
    ('consistent', 9.2)
    """
    out = ClaimCheck()
    for e in event_set:
        sites = {s.id: s for s in e.sites}
        for c in e.claims_of("distance"):
            site = sites.get(c.site) if c.site else e.primary_site
            loc = site.location
            row: dict[str, Any] = {
                "event_id": e.id,
                "claim_source": c.source,
                "via": c.via,
                "phrase": c.phrase,
                "reference": c.reference,
                "reference_id": c.reference_id,
                "stated_m": c.value_m,
                "stated_low_m": c.low_m,
                "stated_high_m": c.high_m,
                "measured_m": math.nan,
                "measured_low_m": math.nan,
                "measured_high_m": math.nan,
                "site_precision": loc.precision,
                "site_radius_m": loc.uncertainty_m,
                "reference_uncertainty_m": math.nan,
                "verdict": "cannot tell",
                "reason": "",
            }
            out.append(row)
            if not loc.has_point:
                where = loc.admin1 or loc.country
                row["reason"] = (
                    f"the site is located only to {loc.precision} level"
                    f"{' (' + where + ')' if where else ''}: no point to measure from"
                )
                area = _area_of(loc)
                ref_id = c.reference_id or ""
                if area is not None and ref_id.startswith(("place:", "site:")):
                    _check_area(row, c, area, ref_id, e, sites, event_set, places)
                continue
            r_site = loc.uncertainty_m
            ref_id = c.reference_id or ""
            kind = ref_id.split(":", 1)[0] if ":" in ref_id else ""
            if kind == "border":
                res = _resolve_border(ref_id, loc.lon, loc.lat, borders)
                if isinstance(res, str):
                    row["reason"] = res
                    continue
                d, lo, hi, label = res
                r_ref = max(d - lo, hi - d)
                ref_text = f"the border ({ref_id.split(':', 1)[1]}, {label})"
            elif kind in ("place", "site"):
                if kind == "place":
                    ref = _resolve_place(ref_id.split(":", 1)[1], event_set, places)
                else:
                    s2 = sites.get(ref_id.split(":", 1)[1])
                    ref = (
                        s2.location
                        if s2 is not None
                        else f"no site {ref_id!r} in event {e.id!r}"
                    )
                if isinstance(ref, str):
                    row["reason"] = ref
                    continue
                if not ref.has_point:
                    row["reason"] = f"the reference {c.reference!r} has no point"
                    continue
                d = float(distance(loc.lon, loc.lat, ref.lon, ref.lat))
                r_ref = ref.uncertainty_m
                lo, hi = d - r_ref, d + r_ref
                ref_text = (
                    f"{c.reference} ({ref.place or 'reference point'}, ±{_km(r_ref)})"
                )
            else:
                row["reason"] = (
                    f"reference {c.reference!r} is not resolved: set the claim's "
                    "reference_id to 'border:AAA-BBB', 'place:<name>' or 'site:<id>'"
                )
                continue
            m_lo = max(lo - r_site, 0.0)
            m_hi = hi + r_site
            row.update(
                measured_m=d,
                measured_low_m=m_lo,
                measured_high_m=m_hi,
                reference_uncertainty_m=r_ref,
            )
            stated = f"stated {_km(c.low_m)}–{_km(c.high_m)}"
            measured = (
                f"the {loc.precision} point{' (' + loc.place + ')' if loc.place else ''} "
                f"is {_km(d)} from {ref_text}; with the site's ±{_km(r_site)} "
                f"({loc.precision} precision) and the reference's ±{_km(r_ref)} the "
                f"site lies {_km(m_lo)}–{_km(m_hi)} away"
            )
            if m_hi < c.low_m or m_lo > c.high_m:
                gap = c.low_m - m_hi if m_hi < c.low_m else m_lo - c.high_m
                row["verdict"] = "inconsistent"
                row["reason"] = (
                    f"{stated}, but {measured}: the intervals miss each other by "
                    f"{_km(gap)} even allowing for every uncertainty"
                )
            elif c.low_m <= d <= c.high_m:
                row["verdict"] = "consistent"
                row["reason"] = f"{stated}; {measured}"
            else:
                row["verdict"] = "cannot tell"
                row["reason"] = (
                    f"{stated}; {measured}. The point estimate is outside the stated "
                    "interval, but that is not a contradiction by itself: the site is "
                    f"known only to {loc.precision} level, so places within "
                    f"±{_km(r_site)} of the point (and the reference's ±{_km(r_ref)}) "
                    "fit the statement. A more precise location would decide"
                )
    return out
