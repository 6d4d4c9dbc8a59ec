"""Maps (a face: matplotlib for PNG/PDF/SVG, Leaflet for HTML)."""

from geoconflict.maps.static import *  # noqa: F403
from geoconflict.maps.static import __all__  # noqa: F401
