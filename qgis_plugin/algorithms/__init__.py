"""The geoconflict Processing algorithms, one module each."""

from __future__ import annotations


def all_algorithms():
    """Return one instance of every algorithm class."""
    from .borders import (
        BorderZone,
        DistanceToBorder,
        LoadBoundaries,
        LoadPlaces,
        ReverseGeocode,
    )
    from .catalog_reach import CatalogRange
    from .claim_check import CheckClaims
    from .geodesic_buffer import GeodesicBuffer
    from .geodesic_measure import GeodesicMeasure
    from .import_events import ImportEvents
    from .proximity import ExposureCounts, NearestFeature, PointsWithinDistance
    from .range_fan import MinMaxRange, RangeFan
    from .range_rings import RangeRings
    from .rasters import DensityRaster, DistanceRaster
    from .shapes import Arcs, Ellipses, LinesOfBearing

    classes = [
        GeodesicBuffer,
        RangeRings,
        RangeFan,
        MinMaxRange,
        LinesOfBearing,
        Ellipses,
        Arcs,
        CatalogRange,
        GeodesicMeasure,
        ImportEvents,
        CheckClaims,
        ExposureCounts,
        NearestFeature,
        PointsWithinDistance,
        DistanceToBorder,
        BorderZone,
        ReverseGeocode,
        LoadBoundaries,
        LoadPlaces,
        DensityRaster,
        DistanceRaster,
    ]
    return [cls() for cls in classes]
