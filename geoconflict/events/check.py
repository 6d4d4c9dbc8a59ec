"""Check stated distances against the geometry, with every uncertainty.

:func:`check_claims` takes each :class:`~geoconflict.events.claims.DistanceClaim` of an
:class:`~geoconflict.events.eventset.EventSet` ("about 3 km (2 miles) from the border"),
measures the distance from the claim's site to the reference on the ellipsoid, and
compares two intervals:

* the **stated** interval implied by the words (3 km → 2.5–3.5 km; see
  :func:`geoconflict.events.claims.stated_interval`);
* the **measured** interval: the distance from the site's point, widened by the
  site's uncertainty radius (a site known only to be "in the town" may be anywhere
  within the town's radius; the triangle inequality bounds the distance by ± that
  radius), by the reference's uncertainty (a place's radius, or the border
  dataset's low/high from :func:`geoconflict.geography.borders.distance_to_border`).

"The border" needs no hand-set ``reference_id``: the border is the one the
reference names ("the Iraqi border", "the Iraq-Syria border") or, when it names
none, the international border nearest to the site in the shipped dataset, with
that dataset's uncertainty; the row's ``reference_id`` and ``reason`` say which was
chosen, and whether another border is nearly as close.

A compass direction ("15 km east of Abu Kamal") is checked too: the azimuth from
the reference to the site must lie in the direction's sector
(:data:`~geoconflict.events.claims.COMPASS_POINTS`), allowing for the angle the
site's and the reference's uncertainties subtend.  A side ("3 km inside Iraqi
territory") is checked against the country the site lies in, and cannot be told
when the site is within the border's uncertainty (plus its own) of the border.

Verdicts: ``consistent`` (the point estimate lies in the stated interval, and in
the stated sector and side), ``inconsistent`` (an interval, the sector or the side
is missed even allowing for every uncertainty: a real contradiction),
``cannot tell`` (they agree only thanks to the uncertainties, or the site or the
reference has no usable location).  Each row says why, with the numbers.
Distances are in meters, azimuths in degrees clockwise from true north (WGS84).
"""

from __future__ import annotations

import math
import re
from typing import Any, Optional

import numpy as np

from geoconflict import _geom
from geoconflict._tables import csv_text, markdown_text
from geoconflict.errors import BoundaryNotFoundError, GeoconflictError
from geoconflict.events.eventset import EventSet
from geoconflict.events.phrases import countries_named
from geoconflict.events.sites import Location
from geoconflict.geodesy.index import distance_to
from geoconflict.geodesy.measurement import azimuth, distance
from geoconflict.geography import borders as borders_data
from geoconflict.geography import boundaries, lookup
from geoconflict.geography import places as places_data

__all__ = ["ClaimCheck", "check_claims"]

VERDICTS = ("consistent", "inconsistent", "cannot tell")

_DATASET_NAMES = {"ne": "Natural Earth 10m", "osm": "OpenStreetMap-derived"}


class ClaimCheck(list):
    """Result table of :func:`check_claims`: one dict per distance claim.

    Columns (:attr:`COLUMNS`): event_id, claim_source, via, phrase, reference,
    reference_id (as set, or as chosen for "the border"), stated_m, stated_low_m,
    stated_high_m, measured_m, measured_low_m, measured_high_m, site_precision,
    site_radius_m, reference_uncertainty_m, direction (stated compass word),
    measured_azimuth_deg (from the reference to the site), side (stated ISO3),
    site_country (ISO3 of the country the site's point lies in), verdict, reason.
    Distances in meters, azimuths in degrees clockwise from true north.
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
        "direction",
        "measured_azimuth_deg",
        "side",
        "site_country",
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


def _border_lines(ref_id, names, lon, lat, borders, dataset):
    """Candidate border lines: list of (name, geometry, uncertainty_m, label)."""
    if borders is not None:
        items = []
        for key, item in borders.items():
            geom, unc = item if isinstance(item, tuple) else (item, 0.0)
            items.append((key.split(":", 1)[-1], geom, float(unc), "borders= argument"))
        if ref_id:
            key = ref_id.split(":", 1)[1]
            items = [it for it in items if it[0] == key]
            if not items:
                return (
                    f"no geometry for {ref_id!r} in borders= (keys: {sorted(borders)})"
                )
        elif names:
            items = [it for it in items if all(n in it[0] for n in names)] or items
        return items
    unc = borders_data.UNCERTAINTY_M[dataset]
    label = f"{_DATASET_NAMES.get(dataset, dataset)}, ±{_km(unc)}"
    if ref_id:
        a, _, b = ref_id.split(":", 1)[1].partition("-")
        names = [a, b]
    if len(names) >= 2:
        try:
            line = borders_data.border(names[0], names[1], dataset=dataset)
        except GeoconflictError as exc:
            return str(exc)
        return [("-".join(sorted(names[:2])), line, unc, label)]
    site_country = lookup.country_at(lon, lat, dataset=dataset)
    codes = [c for c in (site_country, *names) if c is not None]
    if not codes:
        return (
            "the site lies in no country of the border dataset (at sea?): "
            "set the claim's reference_id to 'border:AAA-BBB'"
        )
    if names and site_country is not None and site_country != names[0]:
        # "the Jordanian border" seen from Syria: Syria's border with Jordan
        try:
            line = borders_data.border(site_country, names[0], dataset=dataset)
        except GeoconflictError:
            pass  # no shared border: any border of the named country
        else:
            key = "-".join(sorted((site_country, names[0])))
            return [(key, line, unc, label)]
    out = {}
    for code in codes:
        for other, line in borders_data.borders_of(code, dataset=dataset).items():
            if names and names[0] not in (code, other):
                continue
            key = "-".join(sorted((code, other)))
            out.setdefault(key, (key, line, unc, label))
    if not out:
        return f"no land border of {'/'.join(codes)} in dataset {dataset!r}"
    return list(out.values())


def _resolve_border(c, ref_id, lon, lat, r_site, borders, dataset):
    """Distance to the border a claim means: a dict, or a reason string."""
    names = [] if ref_id else countries_named(c.reference)
    if c.side and not ref_id and c.side not in names:
        names = [c.side, *names]
    lines = _border_lines(ref_id, names, lon, lat, borders, dataset)
    if isinstance(lines, str):
        return lines
    found = []
    for name, geom, unc, label in lines:
        d, nx, ny = borders_data.distance_and_nearest(
            np.array([lon], dtype=float), np.array([lat], dtype=float), geom
        )
        found.append((float(d[0]), float(nx[0]), float(ny[0]), name, unc, label))
    found.sort()
    d, nx, ny, name, unc, label = found[0]
    res = {
        "d": d,
        "lon": nx,
        "lat": ny,
        "name": name,
        "unc": unc,
        "label": label,
        "lo": max(d - unc, 0.0),
        "hi": d + unc,
        "note": "",
    }
    if not ref_id:
        how = (
            f"the border {c.reference!r} names"
            if names and len(lines) == 1
            else "the international border nearest to the site"
        )
        res["note"] = f"'{c.reference}' read as border:{name} ({how})"
        close = [f for f in found[1:] if f[0] - d <= r_site + f[4] + unc]
        if close:  # another border is as close, within the uncertainties
            res["lo"] = min([res["lo"]] + [max(f[0] - f[4], 0.0) for f in close])
            res["hi"] = max([res["hi"]] + [f[0] + f[4] for f in close])
            res["note"] += (
                "; but "
                + ", ".join(f"{f[3]} ({_km(f[0])})" for f in close)
                + " is nearly as close, so the measured interval covers both"
            )
    return res


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


def _auto_place(reference: str, event_set: EventSet, places: Optional[dict]):
    """Return ``(name, Location, note)`` of the place a reference names, or None.

    Only `places`, a site of the set with that place name, or an *exact* gazetteer
    match count (a transliteration variant is not taken without being asked);
    the gazetteer's spread between its candidates widens the radius.
    """
    name = re.sub(r"^the\s+", "", reference.strip(), flags=re.IGNORECASE)
    if not name:
        return None
    if places is not None and name in places:
        return name, _resolve_place(name, event_set, places), "places= argument"
    for e in event_set:
        for s in e.sites:
            loc = s.location
            if (
                loc.place == name
                and loc.has_point
                and loc.precision in ("exact", "settlement")
            ):
                return name, loc, "a site of the event set"
    try:
        hits = places_data.lookup(name)
    except BoundaryNotFoundError:
        return None
    exact = [p for p in hits if p.match == "exact"]
    if not exact:
        return None
    best = exact[0]
    spread = places_data.PlaceMatches(exact, name).spread_m if len(exact) > 1 else 0.0
    loc = Location(best.lon, best.lat, "settlement", place=name)
    if spread > loc.uncertainty_m:
        loc = Location(best.lon, best.lat, "settlement", radius_m=spread, place=name)
    note = (
        f"the gazetteer ({len(exact)} entr{'y' if len(exact) == 1 else 'ies'}, "
        f"spread {_km(spread)})"
    )
    return name, loc, note


def _area_of(loc: Location):
    """(geometry, label) of the area a point-less site lies in, or None."""
    if loc.footprint is not None:
        return loc.footprint, "its footprint"
    try:
        if loc.admin1:
            p = boundaries.province(loc.admin1, country=loc.country)
            return p.geometry, f"{p.name} ({loc.country or 'province'})"
        if loc.country and loc.precision == "country":
            cty = boundaries.country(loc.country)
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


def _direction_check(c, ref_lon, ref_lat, loc, d, r_site, r_ref, row) -> tuple:
    """(verdict, reason) of a stated compass direction, or None if none stated."""
    az0, half = c.sector()
    bearing = float(azimuth(ref_lon, ref_lat, loc.lon, loc.lat)) % 360.0
    row["measured_azimuth_deg"] = bearing
    diff = abs((bearing - az0 + 180.0) % 360.0 - 180.0)
    spread = r_site + r_ref
    stated = f"stated {c.direction} (azimuth {az0:g}° ± {half:g}°)"
    if d <= spread:
        return "cannot tell", (
            f"{stated}: the site is within the uncertainties ({_km(spread)}) of the "
            "reference, so its direction cannot be measured"
        )
    wobble = math.degrees(math.asin(min(1.0, spread / d)))
    measured = (
        f"the site lies at azimuth {bearing:.0f}° from the reference "
        f"(±{wobble:.0f}° from the uncertainties)"
    )
    if diff <= half:
        return "consistent", f"{stated}; {measured}"
    if diff - wobble > half:
        return "inconsistent", (
            f"{stated}, but {measured}: {diff - half:.0f}° outside the sector"
        )
    return "cannot tell", f"{stated}; {measured}: inside the sector only thanks to them"


def _side_check(c, loc, r_site, dataset, row) -> tuple:
    """(verdict, reason) of a stated side of the border."""
    nb = borders_data.nearest_border(loc.lon, loc.lat, dataset=dataset)
    row["site_country"] = nb.side
    if nb.side is None:
        return "cannot tell", (
            f"stated inside {c.side}, but the site's point lies in no country of "
            f"dataset {dataset!r}"
        )
    margin = borders_data.UNCERTAINTY_M[dataset] + r_site
    where = (
        f"the point lies in {nb.side}, {_km(nb.distance_m)} from its nearest border "
        f"({nb.border}); the border's ±{_km(borders_data.UNCERTAINTY_M[dataset])} and "
        f"the site's ±{_km(r_site)}"
    )
    if nb.distance_m <= margin:
        return "cannot tell", (
            f"stated inside {c.side}; {where} put it within reach of the other side"
        )
    if nb.side == c.side:
        return "consistent", f"stated inside {c.side}; {where} cannot move it across"
    return "inconsistent", (
        f"stated inside {c.side}, but {where} cannot move it across: it lies in "
        f"{nb.side}"
    )


def _stated_text(c) -> str:
    text = f"stated {_km(c.low_m)}–{_km(c.high_m)}"
    if c.vague:
        text += f" ('{c.vague}', a documented vague claim)"
    return text


def check_claims(
    event_set: EventSet,
    *,
    borders: Optional[dict] = None,
    places: Optional[dict] = None,
    dataset: str = "ne",
) -> ClaimCheck:
    """Compare every stated distance with the geometry, using all uncertainties.

    Parameters
    ----------
    event_set : EventSet
        Events whose :class:`~geoconflict.events.claims.DistanceClaim` s are checked.  A
        claim's ``reference_id`` says what it is measured from:
        ``"border:IRQ-SYR"`` (the shipped border, with the dataset's low/high),
        ``"place:Abu Kamal"`` (a site of the set with that place name, `places`,
        or :mod:`geoconflict.geography.places`), or ``"site:<id>"`` (another site
        of the same event).  Without one, a reference that says "border" (or a
        claim with a ``side``) is resolved to the border it names or, naming
        none, to the international border nearest to the site; any other
        reference to a place of `places`, of the set's sites or with an exact
        gazetteer match (radius widened by the gazetteer's spread).  The choice
        is reported in ``reference_id`` and ``reason``.
    borders : dict, optional
        ``{"IRQ-SYR": geometry}`` or ``{"IRQ-SYR": (geometry, uncertainty_m)}``
        (lon/lat degrees; meters) to use instead of the shipped border dataset.
    places : dict, optional
        ``{"Abu Kamal": (lon, lat)}`` or ``(lon, lat, radius_m)`` or a
        :class:`~geoconflict.events.sites.Location`.
    dataset : {"ne", "osm"}
        The shipped border dataset (see :mod:`geoconflict.geography.borders`).

    Returns
    -------
    ClaimCheck
        One row per distance claim, with stated and measured intervals in meters,
        the measured azimuth (degrees) and country, the verdict (consistent /
        inconsistent / cannot tell) and the reason.

    Examples
    --------
    >>> import shapely
    >>> from geoconflict.events.phrases import parse_distance_phrase
    >>> from geoconflict.events.model import Event, TimeEstimate
    >>> from geoconflict.events.eventset import EventSet
    >>> from geoconflict.events.sites import Location, Site
    >>> border = _geom.line([(41.0, 34.0), (41.0, 35.0)])  # a meridian
    >>> e = Event("e", TimeEstimate("2019-09-09"),
    ...     [Site("t1", Location(40.9, 34.45, "exact", radius_m=50))],
    ...     [parse_distance_phrase("about 9 km from the border", source="r")])
    >>> row = check_claims(EventSet([e]), borders={"IRQ-SYR": border})[0]
    >>> row["verdict"], round(row["measured_m"] / 1000, 1), row["reference_id"]
    ('consistent', 9.2, 'border:IRQ-SYR')
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
                "direction": c.direction,
                "measured_azimuth_deg": math.nan,
                "side": c.side,
                "site_country": None,
                "verdict": "cannot tell",
                "reason": "",
            }
            out.append(row)
            _check_one(row, c, e, loc, sites, event_set, borders, places, dataset)
    return out


def _check_one(row, c, e, loc, sites, event_set, borders, places, dataset) -> None:
    """Fill one row of :func:`check_claims`."""
    ref_id = c.reference_id or ""
    kind = ref_id.split(":", 1)[0] if ":" in ref_id else ""
    by_border = kind == "border" or (
        not ref_id and (c.side is not None or "border" in c.reference.lower())
    )
    if not loc.has_point:
        where = loc.admin1 or loc.country
        row["reason"] = (
            f"the site is located only to {loc.precision} level"
            f"{' (' + where + ')' if where else ''}: no point to measure from"
        )
        area = _area_of(loc)
        if area is not None and ref_id.startswith(("place:", "site:")):
            _check_area(row, c, area, ref_id, e, sites, event_set, places)
        return
    r_site = loc.uncertainty_m
    note = ""
    if by_border:
        res = _resolve_border(c, ref_id, loc.lon, loc.lat, r_site, borders, dataset)
        if isinstance(res, str):
            row["reason"] = res
            return
        d, lo, hi = res["d"], res["lo"], res["hi"]
        ref_lon, ref_lat = res["lon"], res["lat"]
        r_ref = res["unc"]
        row["reference_id"] = f"border:{res['name']}"
        note = res["note"]
        ref_text = f"the border ({res['name']}, {res['label']})"
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
            return
        if not ref.has_point:
            row["reason"] = f"the reference {c.reference!r} has no point"
            return
        d = float(distance(loc.lon, loc.lat, ref.lon, ref.lat))
        r_ref = ref.uncertainty_m
        lo, hi = d - r_ref, d + r_ref
        ref_lon, ref_lat = ref.lon, ref.lat
        ref_text = f"{c.reference} ({ref.place or 'reference point'}, ±{_km(r_ref)})"
    elif (found := _auto_place(c.reference, event_set, places)) is not None:
        name, ref, how = found
        d = float(distance(loc.lon, loc.lat, ref.lon, ref.lat))
        r_ref = ref.uncertainty_m
        lo, hi = d - r_ref, d + r_ref
        ref_lon, ref_lat = ref.lon, ref.lat
        row["reference_id"] = f"place:{name}"
        note = f"'{c.reference}' read as place:{name} (from {how})"
        ref_text = f"{c.reference} ({ref.place or name}, ±{_km(r_ref)})"
    else:
        row["reason"] = (
            f"reference {c.reference!r} is not resolved: set the claim's "
            "reference_id to 'border:AAA-BBB', 'place:<name>' or 'site:<id>'"
        )
        return
    m_lo = max(lo - r_site, 0.0)
    m_hi = hi + r_site
    row.update(
        measured_m=d,
        measured_low_m=m_lo,
        measured_high_m=m_hi,
        reference_uncertainty_m=r_ref,
    )
    stated = _stated_text(c)
    measured = (
        f"the {loc.precision} point{' (' + loc.place + ')' if loc.place else ''} "
        f"is {_km(d)} from {ref_text}; with the site's ±{_km(r_site)} "
        f"({loc.precision} precision) and the reference's ±{_km(r_ref)} the "
        f"site lies {_km(m_lo)}–{_km(m_hi)} away"
    )
    if m_hi < c.low_m or m_lo > c.high_m:
        gap = c.low_m - m_hi if m_hi < c.low_m else m_lo - c.high_m
        parts = [
            (
                "inconsistent",
                f"{stated}, but {measured}: the intervals miss each other by "
                f"{_km(gap)} even allowing for every uncertainty",
            )
        ]
    elif c.low_m <= d <= c.high_m:
        parts = [("consistent", f"{stated}; {measured}")]
    else:
        parts = [
            (
                "cannot tell",
                f"{stated}; {measured}. The point estimate is outside the stated "
                "interval, but that is not a contradiction by itself: the site is "
                f"known only to {loc.precision} level, so places within "
                f"±{_km(r_site)} of the point (and the reference's ±{_km(r_ref)}) "
                "fit the statement. A more precise location would decide",
            )
        ]
    if c.direction is not None:
        parts.append(_direction_check(c, ref_lon, ref_lat, loc, d, r_site, r_ref, row))
    if c.side is not None:
        parts.append(_side_check(c, loc, r_site, dataset, row))
    verdicts = {v for v, _ in parts}
    row["verdict"] = (
        "inconsistent"
        if "inconsistent" in verdicts
        else "consistent"
        if verdicts == {"consistent"}
        else "cannot tell"
    )
    row["reason"] = ". ".join(([note] if note else []) + [r for _, r in parts])
