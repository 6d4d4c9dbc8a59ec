"""geoconflict: conflict geography on the ellipsoid.

Strike sites, distances to borders, weapon ranges, buffer zones and competing
claims, measured geodesically on WGS84.  Coordinates are (lon, lat) in degrees,
distances in meters, azimuths in degrees clockwise from true north.

The names re-exported here form the plugin-safe core: they import with numpy,
shapely and pyproj only.  The layers below them are sub-packages (``geodesy``,
``geography``, ``events``, ``analysis``, ``io``); the faces that need more
(:mod:`geoconflict.raster`: rasterio; :mod:`geoconflict.maps`: matplotlib;
:mod:`geoconflict.cli`: click) are imported on demand.  GeoSeries and
GeoDataFrames are accepted where points or geometries are, and geopandas is
imported only then.
"""

from __future__ import annotations

from geoconflict import errors, events, units
from geoconflict._show_versions import show_versions
from geoconflict._version import __version__

# ranges (#4)
from geoconflict.analysis.exposure import exposure, zones
from geoconflict.analysis.linking import link_events, merge_linked
from geoconflict.analysis.range_catalog import (
    RangeCatalog,
    in_range,
    load_catalog,
    reach,
)
from geoconflict.errors import (
    BoundaryNotFoundError,
    CoordinateError,
    CRSError,
    DataFormatError,
    GeoconflictError,
    GeometryError,
    UnitError,
)
from geoconflict.events import claims, sites
from geoconflict.events.casualties import parse_casualty_phrase
from geoconflict.events.check import ClaimCheck, check_claims
from geoconflict.events.claims import (
    AttributionClaim,
    CasualtyClaim,
    DamageClaim,
    DistanceClaim,
    Source,
    TargetClaim,
    UnparsedClaim,
    WeaponClaim,
)
from geoconflict.events.eventset import EventSet
from geoconflict.events.extract import extract_claims
from geoconflict.events.model import Category, Event, Rejected, TimeEstimate
from geoconflict.events.phrases import parse_distance_phrase
from geoconflict.events.sites import Location, Site
from geoconflict.geodesy import antimeridian, coords

# --- buffers (#2): geodesic buffers, antimeridian cutting
from geoconflict.geodesy.buffers import buffer, circle_polygons
from geoconflict.geodesy.coords import mgrs_to_polygon, parse_dms
from geoconflict.geodesy.index import GeodesicIndex, distance_to, within_distance
from geoconflict.geodesy.measurement import (
    area,
    azimuth,
    densify,
    direct,
    distance,
    get_geod,
    inverse,
    length,
)
from geoconflict.geodesy.neighbors import (
    Nearest,
    Pairs,
    distance_matrix,
    nearest,
    points_within,
)
from geoconflict.geodesy.ranges import (
    FeatureTable,
    min_max_ring,
    radial_lines,
    range_fan,
    range_rings,
)
from geoconflict.geography import datasets, places

# --- borders, places, shipped data (#3)
from geoconflict.geography.borders import (
    BorderDistance,
    Tripoint,
    border,
    border_zone,
    borders_of,
    distance_to_border,
    nearest_border,
    tripoints,
)
from geoconflict.geography.boundaries import (
    Country,
    DisputedArea,
    Province,
    countries,
    country,
    disputed_areas,
    province,
    provinces,
)
from geoconflict.geography.lookup import country_at, disputes_at, province_at
from geoconflict.io.events import (
    load_example,
    read_acled,
    read_events,
    read_ucdp_ged,
    write_events,
)
from geoconflict.units import format_length, parse_length

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
    "UnparsedClaim",
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
    "extract_claims",
    "format_length",
    "get_geod",
    "in_range",
    "inverse",
    "length",
    "link_events",
    "load_catalog",
    "load_example",
    "merge_linked",
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
