"""Coordinates written by people: decimal, degrees-minutes-seconds and MGRS.

Coordinates are (lon, lat) in degrees on WGS84.  :func:`parse_dms` reads
``34°27'08"N`` and friends; :func:`mgrs_to_polygon` turns an MGRS reference such
as ``37SFU7714`` into the grid square it names (a footprint in lon/lat, not a
point: "7714" means a 1 km square), through UTM with pyproj.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple, Optional, Union

import numpy as np
import shapely
from pyproj import Transformer

from geoconflict._typing import Polygon
from geoconflict.errors import CoordinateError

__all__ = ["MGRSCell", "mgrs_to_polygon", "parse_coordinate", "parse_dms"]

_DMS_RE = re.compile(
    r"""^\s*
    (?P<h1>[NSEW])?\s*
    (?P<sign>[-+])?\s*
    (?P<deg>\d+(?:[.,]\d+)?)\s*(?:°|º|d|deg|\s|:|(?=[NSEW'′"″]|$))\s*
    (?:(?P<min>\d+(?:[.,]\d+)?)\s*(?:'|′|’|m|min|\s|:|(?=[NSEW"″]|$))\s*)?
    (?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:"|″|”|''|s|sec)?\s*)?
    (?P<h2>[NSEW])?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_dms(text: str, *, axis: Optional[str] = None) -> float:
    r"""Parse a coordinate in decimal or degrees-minutes-seconds into degrees.

    Accepts ``34°27'08"N``, ``34 27 08 N``, ``N 34°27.13'``, ``34d27m08s``,
    ``-34.4522``, ``40°55′07″E``; S and W make the value negative.

    Parameters
    ----------
    text : str
        The coordinate as written.
    axis : {"lat", "lon"}, optional
        The axis the caller expects; a hemisphere letter of the other axis (``E``
        in a latitude column) raises, which catches swapped columns.

    Returns
    -------
    float
        Degrees (latitude or longitude).

    Raises
    ------
    CoordinateError
        Unreadable text, minutes or seconds >= 60, a value out of range for the
        axis, or a hemisphere letter of the other axis.

    Examples
    --------
    >>> round(parse_dms("34°27'08\"N"), 6)
    34.452222
    >>> round(parse_dms("40 55 07 E", axis="lon"), 6)
    40.918611
    >>> parse_dms("-33.5")
    -33.5
    """
    s = str(text).strip()
    m = _DMS_RE.match(s)
    if m is None or not s:
        raise CoordinateError(
            f"cannot read coordinate {text!r}; write decimal degrees (34.4522) or "
            "degrees-minutes-seconds (34°27'08\"N)"
        )
    h1, h2 = m.group("h1"), m.group("h2")
    if h1 and h2:
        raise CoordinateError(f"coordinate {text!r} has two hemisphere letters")
    hemi = (h1 or h2 or "").upper()
    deg = float(m.group("deg").replace(",", "."))
    minutes = float(m.group("min").replace(",", ".")) if m.group("min") else 0.0
    seconds = float(m.group("sec").replace(",", ".")) if m.group("sec") else 0.0
    if minutes >= 60 or seconds >= 60:
        raise CoordinateError(
            f"coordinate {text!r}: minutes and seconds must be below 60"
        )
    if (m.group("min") or m.group("sec")) and deg != int(deg):
        raise CoordinateError(
            f"coordinate {text!r}: decimal degrees cannot be followed by minutes"
        )
    value = deg + minutes / 60.0 + seconds / 3600.0
    if m.group("sign") == "-":
        value = -value
    if hemi in ("S", "W"):
        if m.group("sign") == "-":
            raise CoordinateError(f"coordinate {text!r} has both '-' and {hemi!r}")
        value = -value
    this_axis = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}.get(hemi)
    if axis is not None and this_axis is not None and axis != this_axis:
        raise CoordinateError(
            f"coordinate {text!r} is a {'latitude' if this_axis == 'lat' else 'longitude'}"
            f" ({hemi}) but was given as the {'latitude' if axis == 'lat' else 'longitude'}"
            ": are the columns swapped?"
        )
    limit = 90.0 if (axis or this_axis) == "lat" else 180.0
    if abs(value) > limit:
        raise CoordinateError(
            f"coordinate {text!r} = {value} degrees is out of range [-{limit:g}, {limit:g}]"
        )
    return value


def parse_coordinate(
    text: Union[str, float, None], *, axis: Optional[str] = None
) -> float:
    """Return degrees from a number or any text :func:`parse_dms` reads.

    Empty text or None gives NaN.

    Examples
    --------
    >>> parse_coordinate("34.45226", axis="lat")
    34.45226
    >>> import math; math.isnan(parse_coordinate(""))
    True
    """
    if text is None:
        return math.nan
    if isinstance(text, (int, float, np.integer, np.floating)):
        return float(text)
    s = str(text).strip()
    if not s or s.lower() in ("nan", "na", "null", "none"):
        return math.nan
    try:
        return float(s)
    except ValueError:
        return parse_dms(s, axis=axis)


# --------------------------------------------------------------------------- #
# MGRS (written over UTM with pyproj; polar UPS zones A, B, Y, Z not supported)
# --------------------------------------------------------------------------- #

_BANDS = "CDEFGHJKLMNPQRSTUVWX"
_COL_SETS = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")
_ROWS = "ABCDEFGHJKLMNPQRSTUV"
_MGRS_RE = re.compile(
    r"^\s*(?P<zone>\d{1,2})\s*(?P<band>[C-HJ-NP-X])\s*(?P<col>[A-HJ-NP-Z])(?P<row>[A-HJ-NP-V])"
    r"\s*(?P<digits>(?:\d\s*)*)$",
    re.IGNORECASE,
)


class MGRSCell(NamedTuple):
    """An MGRS grid square.

    ``polygon`` is the square in lon/lat (degrees); ``lon``/``lat`` its centre;
    ``size_m`` the side in meters (1 m to 100 km); ``epsg`` the UTM CRS.
    """

    polygon: Polygon
    lon: float
    lat: float
    size_m: float
    epsg: int


@lru_cache(maxsize=128)
def _utm(epsg: int) -> tuple[Transformer, Transformer]:
    fwd = Transformer.from_crs(4326, epsg, always_xy=True)
    inv = Transformer.from_crs(epsg, 4326, always_xy=True)
    return fwd, inv


def mgrs_to_polygon(text: str) -> MGRSCell:
    """Turn an MGRS reference into its grid square (footprint) in lon/lat.

    ``37SFU7714`` names a 1 km square; ``37SFU`` a 100 km square;
    ``15TWG0000049776`` a 1 m square.  The square is returned as a polygon in
    (lon, lat) degrees with its centre and size; use the polygon, not a point, as
    the location: the reference does not say where in the square the site is.

    Parameters
    ----------
    text : str
        The MGRS reference (spaces allowed: ``"37S FU 77 14"``).

    Returns
    -------
    MGRSCell
        ``(polygon, lon, lat, size_m, epsg)``; degrees, meters.

    Raises
    ------
    CoordinateError
        Malformed reference, odd number of digits, polar (UPS) zones, or a square
        that does not exist in that latitude band.

    Examples
    --------
    >>> cell = mgrs_to_polygon("15TWG0000049776")
    >>> round(cell.lon, 4), round(cell.lat, 4), cell.size_m
    (-93.0, 42.0, 1.0)
    >>> mgrs_to_polygon("37SFU7714").size_m
    1000.0
    """
    m = _MGRS_RE.match(str(text))
    if m is None:
        raise CoordinateError(
            f"cannot read MGRS reference {text!r}; expected e.g. '37SFU7714' "
            "(zone, band, 100 km square, easting/northing digits). Polar UPS "
            "references (bands A, B, Y, Z) are not supported."
        )
    zone = int(m.group("zone"))
    band = m.group("band").upper()
    col = m.group("col").upper()
    row = m.group("row").upper()
    digits = re.sub(r"\s+", "", m.group("digits"))
    if not 1 <= zone <= 60:
        raise CoordinateError(f"MGRS {text!r}: zone {zone} is not in 1..60")
    if len(digits) % 2 or len(digits) > 10:
        raise CoordinateError(
            f"MGRS {text!r}: easting and northing need the same number of digits "
            f"(0 to 5 each), got {len(digits)} digits"
        )
    colset = _COL_SETS[(zone - 1) % 3]
    if col not in colset:
        raise CoordinateError(
            f"MGRS {text!r}: column letter {col!r} is not used in zone {zone} "
            f"(expected one of {colset})"
        )
    n = len(digits) // 2
    size = 10.0 ** (5 - n)
    east = (colset.index(col) + 1) * 100000.0 + (float(digits[:n]) * size if n else 0)
    row_idx = (_ROWS.index(row) - (5 if zone % 2 == 0 else 0)) % 20
    north = row_idx * 100000.0 + (float(digits[n:]) * size if n else 0)
    south = band < "N"
    epsg = (32700 if south else 32600) + zone
    fwd, inv = _utm(epsg)
    band_lat = -80.0 + 8.0 * _BANDS.index(band)
    band_top = 84.0 if band == "X" else band_lat + 8.0
    central = -183.0 + 6.0 * zone
    # a parallel is curved in UTM: take its northing across the whole zone (with a
    # margin for the Norway/Svalbard exceptions), not only on the central meridian
    edge_lons = np.array([central - 4.0, central, central + 4.0])
    n_min = float(np.min(fwd.transform(edge_lons, np.full(3, band_lat))[1]))
    # a square belongs to the band if it overlaps it: bring north up to the band
    # by whole 2000 km cycles of the row letters
    while north + size < n_min - 1.0:
        north += 2000000.0
    n_max = float(np.max(fwd.transform(edge_lons, np.full(3, band_top))[1]))
    if north > n_max + 1.0:
        raise CoordinateError(
            f"MGRS {text!r}: square {col}{row} does not fall in latitude band "
            f"{band} ({band_lat:g} to {band_top:g} degrees)"
        )
    k = 8
    t = np.linspace(0.0, 1.0, k, endpoint=False)
    xs = np.concatenate(
        [
            east + t * size,
            np.full(k, east + size),
            east + size - t * size,
            np.full(k, east),
        ]
    )
    ys = np.concatenate(
        [
            np.full(k, north),
            north + t * size,
            np.full(k, north + size),
            north + size - t * size,
        ]
    )
    lon, lat = inv.transform(xs, ys)
    poly = shapely.Polygon(np.column_stack([lon, lat]))
    clon, clat = inv.transform(east + size / 2.0, north + size / 2.0)
    return MGRSCell(poly, float(clon), float(clat), size, epsg)
