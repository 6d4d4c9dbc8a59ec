"""Geodesy on the WGS84 ellipsoid: numpy + pyproj (+ shapely where geometries are built).

Coordinates are (lon, lat) in degrees, distances in meters.
"""

from geoconflict.geodesy.measurement import *  # noqa: F403
from geoconflict.geodesy.measurement import __all__  # noqa: F401
