"""geoconflict: conflict geography on the ellipsoid.

Strike sites, distances to borders, weapon ranges, buffer zones and competing
claims, measured geodesically on WGS84.  Coordinates are (lon, lat) in degrees,
distances in meters, azimuths in degrees clockwise from true north.

The names re-exported here form the plugin-safe core: they import with numpy,
shapely and pyproj only.  The geopandas layer (:mod:`geoconflict.frame`), rasters
(:mod:`geoconflict.raster`), maps and the CLI are imported on demand.
"""

from __future__ import annotations

__version__ = "0.1.0.dev0"

from . import errors, units
from ._show_versions import show_versions
from .errors import (
    BoundaryNotFoundError,
    CoordinateError,
    CRSError,
    DataFormatError,
    GeoconflictError,
    GeometryError,
    UnitError,
)
from .geodesy import (
    area,
    azimuth,
    densify,
    direct,
    distance,
    get_geod,
    inverse,
    length,
)
from .units import format_length, parse_length

__all__ = [
    "BoundaryNotFoundError",
    "CRSError",
    "CoordinateError",
    "DataFormatError",
    "GeoconflictError",
    "GeometryError",
    "UnitError",
    "__version__",
    "area",
    "azimuth",
    "densify",
    "direct",
    "distance",
    "errors",
    "format_length",
    "get_geod",
    "inverse",
    "length",
    "parse_length",
    "show_versions",
    "units",
]
