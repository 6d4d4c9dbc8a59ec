"""Read ACLED exports (CSV, API JSON, XLSX) into an EventSet.

Coordinates are (lon, lat) in degrees on WGS84.  Every data row becomes an event
or a line of ``EventSet.rejected`` (see :mod:`geoconflict.io.events`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from geoconflict.errors import DataFormatError
from geoconflict.events.claims import AttributionClaim, CasualtyClaim, Source
from geoconflict.events.model import Category, Event, EventSet, Rejected
from geoconflict.events.sites import Location, Site
from geoconflict.io._rows import (
    PathLike,
    count,
    country_code,
    csv_rows,
    empty,
    int_code,
    num,
    parse_date,
    read_json,
    read_text,
    require,
    rows_from_xlsx,
    run_rows,
)
from geoconflict.io.validate import check_point, country_pass

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_GEO_PRECISION",
    "ACLED_SOURCE",
    "ACLED_TIME_PRECISION",
    "read_acled",
]

#: ACLED's current export layout (31 lower-case columns)
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
_ACLED_REQUIRED = (
    "event_id_cnty",
    "event_date",
    "latitude",
    "longitude",
    "geo_precision",
)

#: ACLED geo_precision -> precision level (1: the town; 2: near the town / a
#: small area; 3: only the province or a larger region is known)
ACLED_GEO_PRECISION = {1: "settlement", 2: "near_settlement", 3: "province"}
#: ACLED time_precision -> time precision (1: day; 2: within a week; 3: the month)
ACLED_TIME_PRECISION = {1: "day", 2: "week", 3: "month"}


ACLED_SOURCE = Source(
    "acled",
    "ACLED (Armed Conflict Location & Event Data)",
    kind="dataset",
    url="https://acleddata.com",
)


def _acled_event(path, row: dict, rejected: Rejected, rownum: int) -> Event:
    eid = row["event_id_cnty"].strip()
    country = country_code(row.get("iso"), row.get("country"))
    lat = num(row.get("latitude"), "latitude", required=True)
    lon = num(row.get("longitude"), "longitude", required=True)
    check_point(lon, lat, country)
    precision = int_code(row.get("geo_precision"), "geo_precision", ACLED_GEO_PRECISION)
    tp = row.get("time_precision")
    tprec = (
        "day"
        if empty(tp) is None
        else int_code(tp, "time_precision", ACLED_TIME_PRECISION)
    )
    time = parse_date(row.get("event_date"), "event_date", precision=tprec)
    cat = Category(
        empty(row.get("disorder_type")),
        empty(row.get("event_type")),
        empty(row.get("sub_event_type")),
    )
    for problem in cat.validate():
        rejected.add(
            path, rownum, "event_type", cat.event_type, problem, action="flagged"
        )
    claims: list = []
    outlets = empty(row.get("source"))
    n = count(row.get("fatalities"), "fatalities", whole=True)
    if n is not None:
        claims.append(
            CasualtyClaim(
                "acled",
                "killed",
                best=n,
                note="ACLED fatalities: a conservative estimate"
                + (f"; ACLED sources: {outlets}" if outlets else ""),
            )
        )
    actor1 = empty(row.get("actor1"))
    if (
        actor1
        and cat.disorder_type
        and "Political violence" in cat.disorder_type
        and not actor1.lower().startswith("unidentified")
    ):
        claims.append(
            AttributionClaim(
                "acled",
                actor1,
                "accused",
                note="ACLED actor1 coding"
                + (f" (sources: {outlets})" if outlets else ""),
            )
        )
    loc = Location(
        lon,
        lat,
        precision,
        method="dataset",
        place=empty(row.get("location")),
        country=country or empty(row.get("country")),
        admin1=empty(row.get("admin1")),
        admin2=empty(row.get("admin2")),
        phrase=empty(row.get("location")),
    )
    tags = [t.strip() for t in (row.get("tags") or "").split(";") if t.strip()]
    ext = {"acled": eid}
    for k in (
        "actor1",
        "actor2",
        "assoc_actor_1",
        "assoc_actor_2",
        "source",
        "source_scale",
        "timestamp",
        "admin3",
        "interaction",
        "civilian_targeting",
    ):
        v = empty(row.get(k))
        if v is not None:
            ext[f"acled:{k}"] = v
    return Event(
        id=eid,
        time=time,
        sites=[Site("s1", loc, role="target", name=empty(row.get("location")))],
        claims=claims,
        category=cat,
        summary=None,
        tags=tags,
        external_ids=ext,
        notes=row.get("notes") or None,
    )


def _rows_from_json(
    path, text: str, rejected: Rejected
) -> tuple[list[str], list[tuple[int, dict]]]:
    data = read_json(path, text)
    if isinstance(data, dict):
        if data.get("success") is False or "error" in data:
            raise DataFormatError(
                f"the API response reports an error: {data.get('error') or data}",
                path=str(path),
            )
        data = data.get("data")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataFormatError(
            "expected ACLED API JSON: an object with a 'data' list of rows (or a list of rows)",
            path=str(path),
        )
    rows = []
    for i, r in enumerate(data, start=1):
        row = {str(k).lower(): ("" if v is None else str(v)) for k, v in r.items()}
        if not any(v.strip() for v in row.values()):
            rejected.add(path, i, None, "", "empty row (every field is empty)")
        else:
            rows.append((i, row))
    header = sorted({k for _, r in rows for k in r})
    return header, rows


def _tabular(path, fmt: Optional[str], encoding, what: str, rejected: Rejected):
    suffix = Path(path).suffix.lower()
    fmt = fmt or {".json": "json", ".xlsx": "xlsx"}.get(suffix, "csv")
    if fmt == "xlsx":
        return rows_from_xlsx(path, rejected)
    text = read_text(path, what, encoding)
    if fmt == "json":
        return _rows_from_json(path, text, rejected)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; use 'csv', 'json' or 'xlsx'")
    header, rows = csv_rows(path, text, rejected)
    return header, rows


def read_acled(
    path: PathLike, *, format: Optional[str] = None, encoding: Optional[str] = None
) -> EventSet:
    r"""Read an ACLED export (CSV, API JSON or XLSX) into an EventSet.

    The current 31-column layout with lower-case headers is expected (extra
    columns are ignored; ``event_id_cnty``, ``event_date``, ``latitude``,
    ``longitude`` and ``geo_precision`` are required).  ``geo_precision`` and
    ``time_precision`` 1/2/3 map to :data:`ACLED_GEO_PRECISION` and
    :data:`ACLED_TIME_PRECISION`; ``fatalities`` becomes a casualty claim by the
    source ``"acled"`` (ACLED's conservative estimate); ``notes`` is kept verbatim
    in ``Event.notes``; ``actor1`` of political-violence events becomes an
    attribution claim by ACLED (its coding), unless unidentified.

    Parameters
    ----------
    path : str or path-like
        The file.
    format : {"csv", "json", "xlsx"}, optional
        Default from the suffix (``.json``, ``.xlsx``, else CSV).  XLSX needs
        openpyxl.
    encoding : str, optional
        Text encoding; default UTF-8 (with or without BOM).

    Returns
    -------
    EventSet
        Events (lon/lat degrees) and ``.rejected`` with every problem.

    Raises
    ------
    DataFormatError
        Binary / non-UTF-8 / truncated file, or missing required columns.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(p, "w").write(
    ...     "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,"
    ...     "country,fatalities\nSYR1,2019-09-09,1,34.4523,40.9185,1,Syria,0\n")
    >>> es = read_acled(p)
    >>> es["SYR1"].sites[0].location.precision, len(es.rejected)
    ('settlement', 0)
    """
    rejected = Rejected()
    header, rows = _tabular(path, format, encoding, "an ACLED CSV file", rejected)
    require(path, header, _ACLED_REQUIRED, "ACLED")
    events, _ = country_pass(
        path,
        *run_rows(
            path,
            rows,
            lambda row, rej, n, rid: _acled_event(path, row, rej, n),
            rejected,
            lambda r: empty(r.get("event_id_cnty")),
            "event_id_cnty",
        ),
        rejected,
    )
    return EventSet(events, [ACLED_SOURCE], rejected)
