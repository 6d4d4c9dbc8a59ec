"""The geoconflict Processing algorithms, one module each."""

from __future__ import annotations


def all_algorithms():
    """Return one instance of every algorithm class."""
    from .geodesic_measure import GeodesicMeasure

    classes = [GeodesicMeasure]
    return [cls() for cls in classes]
