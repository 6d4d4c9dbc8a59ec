"""Strike sites and where they are: location estimates with honest precision.

A :class:`Site` is a place with a role in an event (target, impact, launch,
reference facility, crossing).  Its :class:`Location` is an *estimate*: a point
(lon, lat in degrees, WGS84) with an uncertainty radius in meters, or a footprint
polygon (an MGRS square, a compound outline), plus the precision level
(:data:`PRECISIONS`), the verbatim phrase it came from and the method.

Precision levels, most to least precise: ``exact`` (coordinates of the site
itself), ``settlement`` (known only to be in a town: the town's coordinates),
``near_settlement`` (near a town, or in a named area), ``province``, ``country``,
``water`` (at sea / in a water body, no finer location).  Each level has a
default uncertainty radius (:data:`DEFAULT_RADIUS_M`) used when no radius is
given; they are deliberately generous and can be overridden per location.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from geoconflict import _geom
from geoconflict._geom import BaseGeometry, mapping, shape
from geoconflict.errors import DataFormatError

__all__ = [
    "DEFAULT_RADIUS_M",
    "LOCATION_METHODS",
    "PRECISIONS",
    "SITE_ROLES",
    "Location",
    "Site",
    "flag_gazetteer_points",
    "precision_rank",
]

#: precision levels, most precise first
PRECISIONS = ("exact", "settlement", "near_settlement", "province", "country", "water")

#: default uncertainty radius (meters) when a location gives none.  ``settlement``:
#: a town's built-up area rarely extends beyond 5 km from its gazetteer point;
#: ``near_settlement``: ACLED/UCDP "near" means within about 25 km; ``province``:
#: typical half-size of a Middle East province; ``country``/``water``: unknown (NaN).
DEFAULT_RADIUS_M = {
    "exact": 100.0,
    "settlement": 5000.0,
    "near_settlement": 25000.0,
    "province": 150000.0,
    "country": math.nan,
    "water": math.nan,
}

#: how a location was obtained
LOCATION_METHODS = (
    "reported_coordinates",
    "gazetteer",
    "imagery",
    "mgrs",
    "offset",
    "dataset",
    "unknown",
)

#: roles of a site in an event
SITE_ROLES = ("target", "impact", "launch", "reference", "crossing")


def precision_rank(precision: str) -> int:
    """Return the rank of a precision level (0 = exact, larger = coarser).

    Examples
    --------
    >>> precision_rank("settlement") < precision_rank("province")
    True
    """
    try:
        return PRECISIONS.index(precision)
    except ValueError:
        raise ValueError(
            f"unknown precision {precision!r}; use one of {', '.join(PRECISIONS)}"
        ) from None


def _nan(v: Any) -> float:
    return math.nan if v is None else float(v)


@dataclass
class Location:
    """A location estimate: point + radius, or footprint, with its precision.

    Parameters
    ----------
    lon, lat : float
        Representative point in degrees (WGS84); NaN when unknown (e.g. only the
        country is known).
    precision : str
        One of :data:`PRECISIONS`.
    radius_m : float, optional
        Uncertainty radius in meters around the point; None/NaN: the default for
        the precision level (:data:`DEFAULT_RADIUS_M`) or the footprint's extent.
    footprint : shapely geometry, optional
        Area the site lies in (lon/lat degrees), e.g. an MGRS square.
    phrase : str, optional
        The words the location comes from ("in the town of al-Bukamal").
    method : str
        One of :data:`LOCATION_METHODS`.
    place : str, optional
        Gazetteer name used (``"Abu Kamal"``).
    place_id : str, optional
        Gazetteer id (``"geonames:174448"``).
    country : str, optional
        ISO 3166-1 alpha-3 code.
    admin1, admin2 : str, optional
        Province and district names.
    flags : list of str
        Warnings attached by validators (e.g. ``"exact_equals_gazetteer"``).

    Examples
    --------
    >>> loc = Location(40.91854, 34.45226, "settlement", place="Abu Kamal")
    >>> loc.uncertainty_m
    5000.0
    """

    lon: float = math.nan
    lat: float = math.nan
    precision: str = "settlement"
    radius_m: Optional[float] = None
    footprint: Optional[BaseGeometry] = None
    phrase: Optional[str] = None
    method: str = "gazetteer"
    place: Optional[str] = None
    place_id: Optional[str] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    flags: list = field(default_factory=list)

    def __post_init__(self) -> None:
        precision_rank(self.precision)
        if self.method not in LOCATION_METHODS:
            raise ValueError(
                f"unknown location method {self.method!r}; use one of "
                f"{', '.join(LOCATION_METHODS)}"
            )
        self.lon = _nan(self.lon)
        self.lat = _nan(self.lat)
        if not math.isnan(self.lat) and abs(self.lat) > 90:
            raise ValueError(f"latitude {self.lat} is out of range [-90, 90]")
        if not math.isnan(self.lon) and abs(self.lon) > 180:
            raise ValueError(f"longitude {self.lon} is out of range [-180, 180]")
        if self.footprint is not None and math.isnan(self.lon):
            c = self.footprint.representative_point()
            self.lon, self.lat = float(c.x), float(c.y)

    @property
    def has_point(self) -> bool:
        """True if the location has a representative point."""
        return not (math.isnan(self.lon) or math.isnan(self.lat))

    @property
    def uncertainty_m(self) -> float:
        """Uncertainty radius in meters (given, from the footprint, or the default).

        With a footprint and no radius, the largest geodesic distance from the
        point to the footprint's vertices.
        """
        if self.radius_m is not None and not math.isnan(self.radius_m):
            return float(self.radius_m)
        if self.footprint is not None and self.has_point:
            from geoconflict.geodesy.measurement import distance

            xy = _geom.get_coordinates(self.footprint)
            return float(np.max(distance(self.lon, self.lat, xy[:, 0], xy[:, 1])))
        return DEFAULT_RADIUS_M[self.precision]

    @property
    def geometry(self) -> Optional[BaseGeometry]:
        """The footprint if any, else the point, else None (lon/lat degrees)."""
        if self.footprint is not None:
            return self.footprint
        if self.has_point:
            return _geom.point(self.lon, self.lat)
        return None

    def to_dict(self) -> dict:
        """Return a JSON-ready dict (footprint as a GeoJSON geometry; NaN as None)."""
        out = {name: getattr(self, name) for name in _LOCATION_FIELDS}
        out["footprint"] = None if self.footprint is None else mapping(self.footprint)
        for k in ("lon", "lat", "radius_m"):
            if out[k] is not None and math.isnan(out[k]):
                out[k] = None
        out["flags"] = list(self.flags)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Location:
        """Build a location from :meth:`to_dict` output."""
        data = dict(data)
        fp = data.get("footprint")
        if isinstance(fp, str):
            fp = _geom.from_wkt(fp)
        elif isinstance(fp, dict):
            fp = shape(fp)
        data["footprint"] = fp
        data["flags"] = list(data.get("flags") or [])
        unknown = set(data) - set(_LOCATION_FIELDS)
        if unknown:
            raise DataFormatError(f"unknown location field(s) {sorted(unknown)}")
        return cls(**data)


_LOCATION_FIELDS = tuple(f.name for f in dataclasses.fields(Location))


@dataclass
class Site:
    """A place with a role in an event.

    Parameters
    ----------
    id : str
        Identifier, unique within the event (claims refer to it).
    location : Location
        Where it is (lon/lat degrees, uncertainty in meters).
    role : str
        One of :data:`SITE_ROLES`.
    name : str, optional
        As reported ("Imam Ali compound").
    facility : str, optional
        Facility kind ("military base", "storehouse", "convoy", "border crossing").

    Examples
    --------
    >>> s = Site("t1", Location(40.91854, 34.45226, "settlement"), role="target")
    >>> s.location.geometry.wkt
    'POINT (40.91854 34.45226)'
    """

    id: str
    location: Location
    role: str = "target"
    name: Optional[str] = None
    facility: Optional[str] = None

    def __post_init__(self) -> None:
        if self.role not in SITE_ROLES:
            raise ValueError(
                f"unknown site role {self.role!r}; use one of {', '.join(SITE_ROLES)}"
            )

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "facility": self.facility,
            "location": self.location.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Site:
        """Build a site from :meth:`to_dict` output."""
        data = dict(data)
        data["location"] = Location.from_dict(data.get("location") or {})
        return cls(**data)


def flag_gazetteer_points(
    lon,
    lat,
    precision,
    gazetteer_lon,
    gazetteer_lat,
    *,
    tolerance_m: float = 50.0,
):
    """Find "exact" coordinates that are really a settlement's gazetteer point.

    A coordinate labelled ``exact`` that lies within `tolerance_m` of a gazetteer
    settlement centroid is almost certainly the town's point copied in, not the
    site's location.  Vectorized over the points.

    Parameters
    ----------
    lon, lat : array_like
        Points in degrees (WGS84).
    precision : array_like of str
        Their precision labels.
    gazetteer_lon, gazetteer_lat : array_like
        Settlement centroids in degrees.
    tolerance_m : float
        Match distance in meters (default 50 m: coordinates rounded to 4 decimals
        still match).

    Returns
    -------
    flagged : numpy.ndarray of bool
        True where an ``exact`` point matches a settlement centroid.
    match : numpy.ndarray of int
        Index of the matching settlement (-1 where none).

    Examples
    --------
    >>> flagged, match = flag_gazetteer_points(
    ...     [40.91854, 40.95], [34.45226, 34.40], ["exact", "exact"],
    ...     [40.91854, 40.98945], [34.45226, 34.39251])
    >>> flagged.tolist(), match.tolist()
    ([True, False], [0, -1])
    """
    from geoconflict.geodesy.measurement import distance

    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    prec = np.atleast_1d(np.asarray(precision, dtype=object))
    glon = np.atleast_1d(np.asarray(gazetteer_lon, dtype=float))
    glat = np.atleast_1d(np.asarray(gazetteer_lat, dtype=float))
    flagged = np.zeros(lon.shape, dtype=bool)
    match = np.full(lon.shape, -1, dtype=int)
    cand = np.flatnonzero((prec == "exact") & np.isfinite(lon) & np.isfinite(lat))
    if len(cand) == 0 or len(glon) == 0:
        return flagged, match
    # cheap prefilter in degrees (generous), then the geodesic distance
    tol_deg = tolerance_m / 100000.0 + 1e-9
    order = np.argsort(glat)
    sorted_lat = glat[order]
    for i in cand:
        lo = np.searchsorted(sorted_lat, lat[i] - tol_deg, "left")
        hi = np.searchsorted(sorted_lat, lat[i] + tol_deg, "right")
        if hi <= lo:
            continue
        idx = order[lo:hi]
        d = distance(lon[i], lat[i], glon[idx], glat[idx])
        j = int(np.argmin(d))
        if d[j] <= tolerance_m:
            flagged[i] = True
            match[i] = int(idx[j])
    return flagged, match
