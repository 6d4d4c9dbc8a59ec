"""Reading and writing geometries: RFC 7946 GeoJSON with stdlib json + shapely.

:mod:`geoconflict.io.geojson` is part of the plugin-safe core (no GDAL, no
geopandas).  Coordinates are (lon, lat) in degrees on WGS84.
"""

from __future__ import annotations

from geoconflict.io import geojson

__all__ = ["geojson"]
