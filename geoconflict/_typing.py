"""Type aliases shared by the core modules."""

from __future__ import annotations

from typing import Any, Union

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
#: anything :meth:`pyproj.CRS.from_user_input` accepts ("EPSG:4326", 4326, WKT, CRS)
CRSLike = Any
#: a shapely geometry, anything with ``__geo_interface__``, or an array of them
GeometryLike = Any
Number = Union[int, float]
