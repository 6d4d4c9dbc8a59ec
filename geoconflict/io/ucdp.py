"""Read UCDP GED CSV files into an EventSet.

Coordinates are (lon, lat) in degrees on WGS84.  Every data row becomes an event
or a line of ``EventSet.rejected`` (see :mod:`geoconflict.io.events`).
"""

from __future__ import annotations

import re
from typing import Optional

from geoconflict.events.claims import CasualtyClaim, Source
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event
from geoconflict.events.rejected import Rejected, RowError
from geoconflict.events.sites import Location, Site
from geoconflict.events.time import TimeEstimate
from geoconflict.io._rows import (
    PathLike,
    coarsest,
    count,
    country_code,
    csv_rows,
    empty,
    int_code,
    num,
    parse_date,
    read_text,
    require,
    run_rows,
)
from geoconflict.io.validate import check_point, country_pass

__all__ = ["UCDP_DATE_PREC", "UCDP_SOURCE", "UCDP_WHERE_PREC", "read_ucdp_ged"]

#: UCDP GED where_prec -> precision level.  1 "exact location" is the geocoded
#: named place (a village or town), so it maps to "settlement", not "exact";
#: 2: within 25 km; 3: second-order administrative division; 4: first-order
#: division; 5: linear feature or larger area; 6: country; 7: international waters.
UCDP_WHERE_PREC = {
    1: "settlement",
    2: "near_settlement",
    3: "province",
    4: "province",
    5: "province",
    6: "country",
    7: "water",
}
#: UCDP GED date_prec -> time precision (1 exact day; 2 2–6 days; 3 a week;
#: 4 a month; 5 longer); the interval itself is date_start..date_end.
UCDP_DATE_PREC = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
_UCDP_REQUIRED = (
    "id",
    "latitude",
    "longitude",
    "where_prec",
    "date_prec",
    "date_start",
    "date_end",
    "best",
)


UCDP_SOURCE = Source(
    "ucdp-ged",
    "UCDP Georeferenced Event Dataset",
    kind="dataset",
    url="https://ucdp.uu.se",
)

_POINT_RE = re.compile(
    r"^\s*POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*$", re.IGNORECASE
)


def _ucdp_event(path, row: dict, rejected: Rejected, rownum: int) -> Event:
    eid = str(row["id"]).strip()
    lat = num(row.get("latitude"), "latitude", required=True)
    lon = num(row.get("longitude"), "longitude", required=True)
    wkt = empty(row.get("geom_wkt"))
    if wkt is not None:
        m = _POINT_RE.match(wkt)
        if m is None:
            raise RowError("geom_wkt", wkt, "not a WKT POINT")
        x, y = float(m.group(1)), float(m.group(2))
        if abs(x - lon) > 1e-4 or abs(y - lat) > 1e-4:
            if abs(x - lat) < 1e-4 and abs(y - lon) < 1e-4:
                reason = (
                    f"geom_wkt POINT({x} {y}) is longitude/latitude ({lat}, {lon}) "
                    "swapped: one of them has its axes swapped"
                )
            else:
                reason = f"geom_wkt POINT({x} {y}) disagrees with longitude {lon}, latitude {lat}"
            raise RowError("geom_wkt", wkt, reason)
    country = country_code(row.get("country"), row.get("country_id"))
    check_point(lon, lat, country)
    precision = int_code(row.get("where_prec"), "where_prec", UCDP_WHERE_PREC)
    tprec = int_code(row.get("date_prec"), "date_prec", UCDP_DATE_PREC)
    start = parse_date(row.get("date_start"), "date_start", precision="day")
    end = parse_date(row.get("date_end"), "date_end", precision="day")
    if end.start < start.start:
        raise RowError(
            "date_end",
            row.get("date_end"),
            f"date_end ({row.get('date_end')}) is before date_start "
            f"({row.get('date_start')})",
        )
    try:
        time = TimeEstimate(
            start.start,
            end.end,
            precision=coarsest(tprec, start.precision, end.precision),
        )
    except ValueError as exc:
        raise RowError("date_end", row.get("date_end"), str(exc)) from None
    best = count(row.get("best"), "best", required=True)
    low = count(row.get("low"), "low")
    high = count(row.get("high"), "high")
    if low is not None and low > best:
        raise RowError("low", row.get("low"), f"low ({low:g}) is above best ({best:g})")
    if high is not None and high < best:
        raise RowError(
            "high", row.get("high"), f"high ({high:g}) is below best ({best:g})"
        )
    claims = [
        CasualtyClaim(
            "ucdp-ged",
            "killed",
            best=best,
            low=low,
            high=high,
            note="UCDP GED best/low/high estimate",
        )
    ]
    civ = count(row.get("deaths_civilians"), "deaths_civilians")
    if civ is not None:
        claims.append(
            CasualtyClaim(
                "ucdp-ged",
                "killed",
                best=civ,
                group="civilians",
                note="UCDP GED deaths_civilians (part of best)",
            )
        )
    ext = {"ucdp": eid}
    for k in (
        "relid",
        "conflict_name",
        "dyad_name",
        "side_a",
        "side_b",
        "type_of_violence",
        "source_article",
        "where_coordinates",
    ):
        v = empty(row.get(k))
        if v is not None:
            ext[f"ucdp:{k}"] = v
    loc = Location(
        lon,
        lat,
        precision,
        method="dataset",
        place=empty(row.get("where_coordinates")),
        country=country or empty(row.get("country")),
        admin1=empty(row.get("adm_1")),
        admin2=empty(row.get("adm_2")),
        phrase=empty(row.get("where_description")),
    )
    tags = []
    tv = empty(row.get("type_of_violence"))
    if tv:
        tags.append(
            {"1": "state-based", "2": "non-state", "3": "one-sided"}.get(
                tv, f"type_of_violence={tv}"
            )
        )
    return Event(
        id=eid,
        time=time,
        sites=[
            Site("s1", loc, role="target", name=empty(row.get("where_coordinates")))
        ],
        claims=claims,
        category=Category(),
        summary=empty(row.get("source_headline")),
        tags=tags,
        external_ids=ext,
        notes=empty(row.get("where_description")),
    )


def read_ucdp_ged(path: PathLike, *, encoding: Optional[str] = None) -> EventSet:
    r"""Read a UCDP GED CSV file into an EventSet.

    ``where_prec`` 1–7 and ``date_prec`` 1–5 map to :data:`UCDP_WHERE_PREC` and
    :data:`UCDP_DATE_PREC`; ``low``/``best``/``high`` become one casualty claim by
    ``"ucdp-ged"`` (``deaths_civilians`` a second one with group "civilians");
    ``side_a``/``side_b`` and the conflict and dyad names go to ``external_ids``
    (UCDP's sides are parties to the dyad, not attributions).  ``geom_wkt`` is
    cross-checked against ``longitude``/``latitude`` to catch swapped axes.

    Parameters
    ----------
    path : str or path-like
    encoding : str, optional
        Default UTF-8.

    Returns
    -------
    EventSet
        Events (lon/lat degrees) with ``.rejected``.

    Raises
    ------
    DataFormatError
        Binary / non-UTF-8 file or missing required columns.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "g.csv")
    >>> _ = open(p, "w").write(
    ...     "id,latitude,longitude,geom_wkt,where_prec,date_prec,date_start,"
    ...     "date_end,best,low,high,country\n"
    ...     "1,34.4523,40.9185,POINT (40.9185 34.4523),1,1,2019-09-09,2019-09-09,"
    ...     "21,0,21,Syria\n")
    >>> read_ucdp_ged(p)["1"].casualties("range")["killed"]
    (0.0, 21.0)
    """
    rejected = Rejected()
    text = read_text(path, "a UCDP GED CSV file", encoding)
    header, rows = csv_rows(path, text, rejected)
    require(path, header, _UCDP_REQUIRED, "UCDP GED")
    events, _ = country_pass(
        path,
        *run_rows(
            path,
            rows,
            lambda row, rej, n, rid: _ucdp_event(path, row, rej, n),
            rejected,
            lambda r: empty(r.get("id")),
            "id",
        ),
        rejected,
    )
    return EventSet(events, [UCDP_SOURCE], rejected)
