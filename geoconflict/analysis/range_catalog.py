"""A catalog of *claimed* weapon and platform ranges, each with its source.

The library never asserts one true range.  A catalog is a user-editable CSV file
(one row per claim: system, minimum and maximum range with units, the claim as
worded, the source); several rows for one system may disagree and are all kept.
A *policy* chooses among them: ``"all"`` (default), ``"max"`` (the claim with the
longest maximum range), ``"min"`` (the shortest), or ``"source=TEXT"`` (claims
whose source contains TEXT, case-insensitive).

Distances are meters, coordinates (lon, lat) in degrees (WGS84).  A small example
catalog ships with geoconflict (``data/ranges/catalog.csv``, see its
PROVENANCE.md: each row quotes one public page; ``verified`` says whether the
figure was read on that page).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Optional, Union

import numpy as np
import pyproj

from geoconflict._points import as_points
from geoconflict._typing import BoolArray, FloatArray, PointsLike
from geoconflict.errors import DataFormatError, GeoconflictError, UnitError
from geoconflict.geodesy.measurement import get_geod
from geoconflict.geodesy.ranges import FeatureTable, min_max_ring
from geoconflict.geography.datasets import find_shipped
from geoconflict.units import format_range, parse_length

__all__ = [
    "InRange",
    "RangeCatalog",
    "RangeClaim",
    "UnknownSystemError",
    "in_range",
    "load_catalog",
    "reach",
]

_REQUIRED = ("system", "max_range", "source")


class UnknownSystemError(GeoconflictError, KeyError):
    """A weapon/platform system is not in the range catalog (the message lists them)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class RangeClaim:
    """One source's claim about a system's range.

    Attributes
    ----------
    system : str
        Catalog name of the system.
    min_m, max_m : float
        Claimed minimum and maximum range, meters (``min_m`` is 0 if unstated).
    claim : str
        The claim as the source words it.
    source : str
        Who made the claim.
    url, published, note, category : str
        Where and when it was published; free notes; kind of system.
    verified : bool
        Whether the row was checked against the source.
    row : int
        1-based data row in the catalog file (header is row 0).
    """

    system: str
    min_m: float
    max_m: float
    claim: str
    source: str
    url: str = ""
    published: str = ""
    note: str = ""
    category: str = ""
    verified: bool = False
    row: int = 0

    @property
    def label(self) -> str:
        """Short text such as ``"15–70 km (Lockheed Martin ...)"``."""
        return f"{format_range(self.min_m, self.max_m, None)} ({self.source})"


class InRange(NamedTuple):
    """Which targets each launch site could reach under each claim.

    Attributes
    ----------
    claims : tuple of RangeClaim
        The claims considered (after the policy).
    distance : ndarray, shape (n_targets, n_sites)
        Geodesic distance from each launch site to each target, meters.
    reachable : ndarray of bool, shape (n_claims, n_targets, n_sites)
        ``min_m <= distance <= max_m`` under each claim.
    """

    claims: tuple[RangeClaim, ...]
    distance: FloatArray
    reachable: BoolArray

    def any_claim(self) -> BoolArray:
        """(n_targets, n_sites): reachable under at least one claim."""
        return np.any(self.reachable, axis=0)

    def all_claims(self) -> BoolArray:
        """(n_targets, n_sites): reachable under every claim."""
        return np.all(self.reachable, axis=0)

    def pairs(self) -> dict[str, np.ndarray]:
        """Long table of reachable (claim, target, site) triples as a dict of arrays."""
        c, t, s = np.nonzero(self.reachable)
        return {
            "claim": c,
            "target": t,
            "site": s,
            "source": np.array([self.claims[i].source for i in c], dtype=object),
            "distance_m": self.distance[t, s],
        }


def _norm(name: str) -> str:
    return " ".join(str(name).lower().replace("_", " ").split())


class RangeCatalog:
    """Claims about system ranges, looked up by name or alias (case-insensitive).

    Build it with :func:`load_catalog`.

    Parameters
    ----------
    claims : sequence of RangeClaim
        The rows.
    aliases : dict of str to str, optional
        Other names (normalised) -> catalog name.
    path : str, optional
        Where the catalog was read from (for messages).

    Examples
    --------
    >>> cat = load_catalog()
    >>> "Tochka-U" in cat.systems
    True
    >>> claims = cat.ranges("tochka-u")  # every claim, in file order
    >>> len({c.source for c in claims}) > 1
    True
    >>> cat.ranges("Tochka-U", policy="max")[0].max_m == max(c.max_m for c in claims)
    True
    >>> cat.ranges("SS-21 Scarab B", policy="min")[0].system  # an alias
    'Tochka-U'
    """

    def __init__(
        self,
        claims: Iterable[RangeClaim],
        aliases: Optional[Mapping[str, str]] = None,
        path: Optional[str] = None,
    ) -> None:
        self.claims = tuple(claims)
        self.path = path
        names: dict[str, str] = {}
        for c in self.claims:
            names.setdefault(_norm(c.system), c.system)
        for alias, target in (aliases or {}).items():
            names.setdefault(_norm(alias), target)
        self._names = names

    def __len__(self) -> int:
        return len(self.claims)

    def __repr__(self) -> str:
        return f"<RangeCatalog {len(self.systems)} systems, {len(self)} claims>"

    @property
    def systems(self) -> list[str]:
        """Catalog names of the systems, in file order."""
        seen: dict[str, None] = {}
        for c in self.claims:
            seen.setdefault(c.system, None)
        return list(seen)

    def resolve(self, system: str) -> str:
        """Catalog name for `system` (a name or an alias, any case).

        Raises
        ------
        UnknownSystemError
            Listing the close matches and every system in the catalog.
        """
        key = _norm(system)
        if key in self._names:
            return self._names[key]
        close = difflib.get_close_matches(key, list(self._names), n=3, cutoff=0.6)
        hint = (
            f" Did you mean {', '.join(repr(self._names[c]) for c in close)}?"
            if close
            else ""
        )
        where = f" ({self.path})" if self.path else ""
        raise UnknownSystemError(
            f"unknown system {system!r} in the range catalog{where}.{hint} "
            f"Known systems: {', '.join(self.systems)}. Add a row to the catalog "
            "CSV for a new system."
        )

    def ranges(self, system: str, policy: str = "all") -> list[RangeClaim]:
        """Claims for `system` chosen by `policy`.

        Parameters
        ----------
        system : str
            Name or alias (case-insensitive).
        policy : str
            ``"all"``, ``"max"`` (the longest maximum range), ``"min"`` (the
            shortest maximum range) or ``"source=TEXT"`` (claims whose source
            contains TEXT).

        Returns
        -------
        list of RangeClaim
            Distances in meters.

        Raises
        ------
        UnknownSystemError
            For an unknown system.
        GeoconflictError
            For an unknown policy, or a source policy that matches nothing.
        """
        name = self.resolve(system)
        rows = [c for c in self.claims if c.system == name]
        pol = str(policy).strip()
        if pol == "all":
            return rows
        if pol == "max":
            return [max(rows, key=lambda c: c.max_m)]
        if pol == "min":
            return [min(rows, key=lambda c: c.max_m)]
        if pol.lower().startswith("source="):
            want = pol.split("=", 1)[1].strip().lower()
            hits = [c for c in rows if want in c.source.lower()]
            if not hits:
                raise GeoconflictError(
                    f"no claim for {name!r} from a source matching {want!r}; the "
                    f"sources are: {'; '.join(sorted({c.source for c in rows}))}"
                )
            return hits
        raise GeoconflictError(
            f"unknown policy {policy!r}; use 'all', 'max', 'min' or 'source=TEXT'"
        )

    def reach(
        self, site: PointsLike, system: str, *, policy: str = "all", **kwargs: Any
    ) -> FeatureTable:
        """Draw the claimed ranges of `system` around launch site(s); see :func:`reach`."""
        return reach(site, system, catalog=self, policy=policy, **kwargs)

    def in_range(
        self, targets: PointsLike, launch_sites: PointsLike, system: str, **kwargs: Any
    ) -> InRange:
        """Targets reachable from launch sites under each claim; see :func:`in_range`."""
        return in_range(targets, launch_sites, system, catalog=self, **kwargs)


def _catalog_text(path: Optional[Union[str, os.PathLike[str]]]) -> tuple[str, str]:
    if path is not None:
        p = Path(path)
        try:
            return p.read_text(encoding="utf-8-sig"), str(p)
        except FileNotFoundError:
            raise DataFormatError(
                "range catalog file not found; give the path of a CSV file with "
                f"columns {', '.join(_REQUIRED)}",
                path=str(p),
            ) from None
    # the shipped example: inside the wheel, or the repository's data/ in a checkout
    shipped = find_shipped("_data/ranges/catalog.csv", "data/ranges/catalog.csv")
    if shipped is not None:
        return shipped.read_text(encoding="utf-8"), str(shipped)
    raise DataFormatError(  # pragma: no cover - packaging error
        "the example range catalog is missing from this installation; pass "
        "load_catalog(path) with your own CSV file"
    )


def load_catalog(path: Optional[Union[str, os.PathLike[str]]] = None) -> RangeCatalog:
    """Read a range catalog CSV (the shipped example by default).

    Parameters
    ----------
    path : str or path-like, optional
        A CSV file with at least the columns ``system``, ``max_range`` and
        ``source``; optional ``min_range``, ``aliases`` (``;``-separated),
        ``claim``, ``url``, ``published``, ``verified``, ``note``, ``category``.
        Ranges are lengths with units (``"70 km"``, ``"40 nmi"``; bare numbers
        are meters).

    Returns
    -------
    RangeCatalog

    Raises
    ------
    DataFormatError
        Naming the file, row, column and value of anything unreadable.

    Examples
    --------
    >>> cat = load_catalog()
    >>> cat.resolve("geran-2")
    'Shahed-136'
    """
    text, where = _catalog_text(path)
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    missing = [c for c in _REQUIRED if c not in fields]
    if missing:
        raise DataFormatError(
            f"missing column(s) {', '.join(missing)}; the header must include "
            f"{', '.join(_REQUIRED)} (found: {', '.join(fields) or 'nothing'})",
            path=where,
        )
    claims = []
    aliases: dict[str, str] = {}
    for i, raw in enumerate(reader, start=1):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        system = row.get("system", "")
        if not system:
            raise DataFormatError(
                "empty system name", path=where, row=i, column="system"
            )
        if not row.get("source"):
            raise DataFormatError(
                "every claim needs its source (who said it)",
                path=where,
                row=i,
                column="source",
            )
        vals = {}
        for col in ("min_range", "max_range"):
            txt = row.get(col, "")
            if not txt:
                if col == "max_range":
                    raise DataFormatError(
                        "empty maximum range; write it with a unit, e.g. '70 km'",
                        path=where,
                        row=i,
                        column=col,
                    )
                vals[col] = 0.0
                continue
            try:
                vals[col] = parse_length(txt, default_unit="m")
            except UnitError as exc:
                raise DataFormatError(
                    str(exc), path=where, row=i, column=col, value=txt
                ) from None
        if not 0 <= vals["min_range"] < vals["max_range"]:
            raise DataFormatError(
                "need 0 <= min_range < max_range",
                path=where,
                row=i,
                column="min_range",
                value=row.get("min_range"),
            )
        for alias in row.get("aliases", "").split(";"):
            if alias.strip():
                aliases.setdefault(alias.strip(), system)
        claims.append(
            RangeClaim(
                system=system,
                min_m=vals["min_range"],
                max_m=vals["max_range"],
                claim=row.get("claim", ""),
                source=row["source"],
                url=row.get("url", ""),
                published=row.get("published", ""),
                note=row.get("note", ""),
                category=row.get("category", ""),
                verified=row.get("verified", "").lower() in ("yes", "true", "1", "y"),
                row=i,
            )
        )
    return RangeCatalog(claims, aliases, where)


def _catalog(catalog: Optional[RangeCatalog]) -> RangeCatalog:
    return load_catalog() if catalog is None else catalog


def reach(
    site: PointsLike,
    system: str,
    *,
    catalog: Optional[RangeCatalog] = None,
    policy: str = "all",
    tolerance_m: Optional[float] = None,
    geod: Optional[pyproj.Geod] = None,
) -> FeatureTable:
    """Draw the claimed ranges of `system` around launch site(s).

    Parameters
    ----------
    site : (lon, lat), (n, 2) array, Points, Site/Location or GeoDataFrame
        Launch site(s), degrees (GeoDataFrames in any CRS).
    system : str
        Name or alias in the catalog.
    catalog : RangeCatalog, optional
        Default: the shipped example catalog.
    policy : str
        Which claims: ``"all"``, ``"max"``, ``"min"`` or ``"source=TEXT"``.
    tolerance_m : float, optional
        Edge tolerance of the rings, meters.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.

    Returns
    -------
    FeatureTable
        One annulus (lon/lat) per (site, claim): columns ``site``, ``system``,
        ``inner_m``, ``outer_m``, ``claim``, ``source``, ``label``, ``verified``.

    Examples
    --------
    >>> t = reach((38.6178, 33.5058), "Tochka-U")
    >>> claims = load_catalog().ranges("Tochka-U")
    >>> t["outer_m"].tolist() == [c.max_m for c in claims]  # one annulus per claim
    True
    >>> t["source"].tolist() == [c.source for c in claims]
    True
    """
    cat = _catalog(catalog)
    claims = cat.ranges(system, policy)
    pts = as_points(site, "launch sites")
    n, k = len(pts.lon), len(claims)
    lon = np.repeat(pts.lon, k)
    lat = np.repeat(pts.lat, k)
    mn = np.tile([c.min_m for c in claims], n)
    mx = np.tile([c.max_m for c in claims], n)
    rings = min_max_ring(lon, lat, mn, mx, tolerance_m=tolerance_m, geod=get_geod(geod))
    cols = {
        "site": np.repeat(np.arange(n), k),
        "system": np.array([c.system for c in claims] * n, dtype=object),
        "inner_m": mn.astype(float),
        "outer_m": mx.astype(float),
        "claim": np.array([c.claim for c in claims] * n, dtype=object),
        "source": np.array([c.source for c in claims] * n, dtype=object),
        "label": np.array([c.label for c in claims] * n, dtype=object),
        "verified": np.array([c.verified for c in claims] * n, dtype=bool),
    }
    return FeatureTable(cols, rings.geometry)


def in_range(
    targets: PointsLike,
    launch_sites: PointsLike,
    system: str,
    *,
    catalog: Optional[RangeCatalog] = None,
    policy: str = "all",
    geod: Optional[pyproj.Geod] = None,
    ellps: Optional[str] = None,
) -> InRange:
    """Which targets each launch site could reach under each claim about `system`.

    Parameters
    ----------
    targets, launch_sites : points
        ``(lon, lat)`` pairs, ``(n, 2)`` arrays, shapely Points, Sites/Locations or
        GeoDataFrames of points (any CRS), degrees.
    system : str
        Name or alias in the catalog.
    catalog : RangeCatalog, optional
        Default: the shipped example catalog.
    policy : str
        ``"all"`` (default), ``"max"``, ``"min"`` or ``"source=TEXT"``.
    geod : pyproj.Geod, optional
        Ellipsoid; WGS84 by default.
    ellps : str, optional
        PROJ ellipsoid name, used if `geod` is not given.

    Returns
    -------
    InRange
        ``claims``, ``distance`` (n_targets, n_sites) in meters, and
        ``reachable`` (n_claims, n_targets, n_sites): ``min_m <= d <= max_m``.

    Examples
    --------
    >>> r = in_range([(40.0, 34.0), (39.5, 33.6)], (38.6178, 33.5058), "Tochka-U")
    >>> [round(d / 1000) for d in r.distance[:, 0]]
    [139, 83]
    >>> r.reachable.shape[1:]  # (claims, targets, sites)
    (2, 1)
    >>> d = r.distance[1, 0]  # the second target, under each claim:
    >>> r.reachable[:, 1, 0].tolist() == [c.min_m <= d <= c.max_m for c in r.claims]
    True
    """
    cat = _catalog(catalog)
    claims = tuple(cat.ranges(system, policy))
    t = as_points(targets, "targets")
    s = as_points(launch_sites, "launch sites")
    g = get_geod(geod, ellps)
    nt, ns = len(t.lon), len(s.lon)
    dist = np.empty((nt, ns))
    if nt and ns:
        # chunk so that the broadcast pair arrays stay small
        step = max(1, 2_000_000 // max(ns, 1))
        for a in range(0, nt, step):
            b = min(nt, a + step)
            lo1 = np.repeat(t.lon[a:b], ns)
            la1 = np.repeat(t.lat[a:b], ns)
            lo2 = np.tile(s.lon, b - a)
            la2 = np.tile(s.lat, b - a)
            _, _, d = g.inv(lo2, la2, lo1, la1)
            dist[a:b] = np.asarray(d).reshape(b - a, ns)
    mn = np.array([c.min_m for c in claims])[:, None, None]
    mx = np.array([c.max_m for c in claims])[:, None, None]
    with np.errstate(invalid="ignore"):
        reachable = (dist[None] >= mn) & (dist[None] <= mx)
    return InRange(claims, dist, reachable)
