"""Publication maps (matplotlib) and offline interactive HTML maps (Leaflet).

A map is described by a :class:`MapSpec` — built in Python, read from a TOML file
(:func:`load_spec`), or filled from ``geoconflict map`` options — and drawn by
:func:`render` to PNG, SVG, PDF or HTML.

The modules, each named by what it does:

* :mod:`~geoconflict.maps.spec` — :class:`MapSpec`, TOML specs, the layer-path rule;
* :mod:`~geoconflict.maps.overlays` — range rings and fans, borders and their strips;
* :mod:`~geoconflict.maps.projection` — projection, scale factor, north, the view;
* :mod:`~geoconflict.maps.layers` — the bundled boundaries and the credit lines;
* :mod:`~geoconflict.maps.labels` — label placement without collisions;
* :mod:`~geoconflict.maps.static` — matplotlib: PNG, SVG, PDF;
* :mod:`~geoconflict.maps.html` — Leaflet: one offline HTML file;
* :mod:`~geoconflict.maps.render` — :func:`render` by format, :func:`render_each`;
* :mod:`~geoconflict.maps.style` and :mod:`~geoconflict.maps.result` — the palette,
  and :class:`RenderResult`.

Coordinates of every input are (lon, lat) degrees WGS84; distances meters.
matplotlib is imported lazily (``pip install 'geoconflict[maps]'``).
"""

from geoconflict.maps.html import render_html
from geoconflict.maps.overlays import border_features, circle_lonlat, ring_features
from geoconflict.maps.projection import choose_projection, north_angle, scale_factor
from geoconflict.maps.render import render, render_each
from geoconflict.maps.result import RenderResult
from geoconflict.maps.spec import MapSpec, load_spec, spec_from_dict
from geoconflict.maps.style import ATTRIBUTION_COLORS, EVENT_MARKERS

__all__ = [
    "ATTRIBUTION_COLORS",
    "EVENT_MARKERS",
    "MapSpec",
    "RenderResult",
    "border_features",
    "choose_projection",
    "circle_lonlat",
    "load_spec",
    "north_angle",
    "render",
    "render_each",
    "render_html",
    "ring_features",
    "scale_factor",
    "spec_from_dict",
]
