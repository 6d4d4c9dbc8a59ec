"""Type aliases shared by the core modules.

Coordinates are (lon, lat) in degrees WGS84 and distances meters wherever these
aliases appear; they only say what Python type carries them.
"""

from __future__ import annotations

from typing import Any, Union

import numpy as np
import numpy.typing as npt

# the geometry classes, for annotations and typing.cast only: geometries are built
# and combined by geoconflict._geom (one backend seam)
from shapely import GeometryCollection as GeometryCollection
from shapely import LineString as LineString
from shapely import MultiLineString as MultiLineString
from shapely import MultiPolygon as MultiPolygon
from shapely import Polygon as Polygon
from shapely.geometry.base import BaseGeometry as BaseGeometry
from shapely.geometry.base import BaseMultipartGeometry as BaseMultipartGeometry

ArrayLike = npt.ArrayLike
#: float arrays (float64 in practice; numpy's stubs type most arithmetic as floating[Any])
FloatArray = npt.NDArray[np.floating[Any]]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
#: arrays of shapely geometries, strings or None (``dtype=object``)
ObjectArray = npt.NDArray[np.object_]
#: the ufunc convention: a float for scalar input, an ndarray for array input
FloatOrArray = Union[float, FloatArray]
#: anything :meth:`pyproj.CRS.from_user_input` accepts ("EPSG:4326", 4326, WKT, CRS)
CRSLike = Any
#: a shapely geometry, anything with ``__geo_interface__``, or an array of them
GeometryLike = Any
#: a geometry (or None, for a missing one) for one input geometry, an object array
#: of them for an array
GeometryOrArray = Union[BaseGeometry, ObjectArray, None]
#: a length: meters, or text with a unit ("50 km"); one or an array of them
LengthLike = Union[float, str, npt.ArrayLike]
#: points: (lon, lat) pairs, an (n, 2) array, shapely Points, a GeoSeries or
#: GeoDataFrame (geopandas is never imported to check)
PointsLike = Any
Number = Union[int, float]
