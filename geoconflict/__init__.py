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

from . import (
    antimeridian,
    claims,
    coords,
    datasets,
    errors,
    events,
    places,
    sites,
    units,
)
from ._show_versions import show_versions

# --- borders, places, shipped data (#3)
from .borders import (
    BorderDistance,
    Country,
    DisputedArea,
    Province,
    Tripoint,
    border,
    border_zone,
    borders_of,
    countries,
    country,
    country_at,
    disputed_areas,
    disputes_at,
    distance_to_border,
    nearest_border,
    province,
    province_at,
    provinces,
    tripoints,
)

# --- buffers (#2): geodesic buffers, antimeridian cutting
from .buffers import buffer, circle_polygons
from .check import ClaimCheck, check_claims
from .claims import (
    AttributionClaim,
    CasualtyClaim,
    DamageClaim,
    DistanceClaim,
    Source,
    TargetClaim,
    WeaponClaim,
    parse_casualty_phrase,
    parse_distance_phrase,
)
from .coords import mgrs_to_polygon, parse_dms
from .distance import (
    GeodesicIndex,
    Nearest,
    Pairs,
    distance_to,
    points_within,
    within_distance,
)
from .errors import (
    BoundaryNotFoundError,
    CoordinateError,
    CRSError,
    DataFormatError,
    GeoconflictError,
    GeometryError,
    UnitError,
)
from .eventio import (
    load_example,
    read_acled,
    read_events,
    read_ucdp_ged,
    write_events,
)
from .events import Category, Event, EventSet, Rejected, TimeEstimate

# ranges (#4)
from .exposure import distance_matrix, exposure, nearest, zones
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
from .range_catalog import RangeCatalog, in_range, load_catalog, reach
from .ranges import (
    FeatureTable,
    min_max_ring,
    radial_lines,
    range_fan,
    range_rings,
)
from .sites import Location, Site
from .units import format_length, parse_length

__all__ = [
    "AttributionClaim",
    "BoundaryNotFoundError",
    "CRSError",
    "CasualtyClaim",
    "Category",
    "ClaimCheck",
    "CoordinateError",
    "DamageClaim",
    "DataFormatError",
    "DistanceClaim",
    "Event",
    "EventSet",
    "FeatureTable",
    "GeoconflictError",
    "GeodesicIndex",
    "GeometryError",
    "Location",
    "Nearest",
    "Pairs",
    "RangeCatalog",
    "Rejected",
    "Site",
    "Source",
    "TargetClaim",
    "TimeEstimate",
    "UnitError",
    "WeaponClaim",
    "__version__",
    "antimeridian",
    "area",
    "azimuth",
    "buffer",
    "check_claims",
    "circle_polygons",
    "claims",
    "coords",
    "densify",
    "direct",
    "distance",
    "distance_matrix",
    "distance_to",
    "errors",
    "events",
    "exposure",
    "format_length",
    "get_geod",
    "in_range",
    "inverse",
    "length",
    "load_catalog",
    "load_example",
    "mgrs_to_polygon",
    "min_max_ring",
    "nearest",
    "parse_casualty_phrase",
    "parse_distance_phrase",
    "parse_dms",
    "parse_length",
    "points_within",
    "radial_lines",
    "range_fan",
    "range_rings",
    "reach",
    "read_acled",
    "read_events",
    "read_ucdp_ged",
    "show_versions",
    "sites",
    "units",
    "within_distance",
    "write_events",
    "zones",
]

# borders, places, shipped data (#3)
__all__ += [
    "BorderDistance",
    "Country",
    "DisputedArea",
    "Province",
    "Tripoint",
    "border",
    "border_zone",
    "borders_of",
    "countries",
    "country",
    "country_at",
    "datasets",
    "disputed_areas",
    "disputes_at",
    "distance_to_border",
    "nearest_border",
    "places",
    "province",
    "province_at",
    "provinces",
    "tripoints",
]
