"""What a renderer drew: :class:`RenderResult`, returned by every map writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyproj

from geoconflict.maps.projection import transformer

__all__ = ["RenderResult"]


@dataclass
class RenderResult:
    """What :func:`render` drew, for tests and reports."""

    path: Path
    crs: pyproj.CRS
    center: tuple
    scale_length_m: float
    scale_bar_map_length: float
    north_angle_deg: float
    placed_labels: list
    dropped_labels: list
    credits: list
    bounds: tuple = ()
    axes_px: tuple = ()
    size_px: tuple = ()
    label_boxes: list = field(default_factory=list)
    layers: list = field(default_factory=list)
    #: how many symbols the sites were drawn as, and whether they were aggregated
    symbols: int = 0
    aggregated: bool = False
    #: corner of each piece of furniture: inset (None if not drawn), legend, north, scale
    furniture: dict = field(default_factory=dict)

    def pixel_of(self, lon, lat) -> tuple:
        """Pixel (column, row from the top) of a lon/lat point in a PNG written by :func:`render`."""
        x, y = transformer(self.crs).transform(lon, lat)
        x0, y0, x1, y1 = self.bounds
        px0, py0, px1, py1 = self.axes_px
        col = px0 + (x - x0) / (x1 - x0) * (px1 - px0)
        row_up = py0 + (y - y0) / (y1 - y0) * (py1 - py0)
        return float(col), float(self.size_px[1] - row_up)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)
