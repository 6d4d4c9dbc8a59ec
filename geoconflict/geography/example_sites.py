"""The three reference sites of the al-Bukamal example, each with its public source.

``(name, lon, lat, source)``: lon/lat degrees WGS84.  Used to resolve these
names without the gazetteer (:func:`geoconflict.io.features.resolve_place`).

Examples
--------
>>> [name for name, *_ in EXAMPLE_SITES][:2]
['Abu Kamal (town)', "Al Qa'im (town)"]
"""

from __future__ import annotations

__all__ = ["EXAMPLE_SITES"]

#: (name, lon, lat, source); lon/lat degrees WGS84
EXAMPLE_SITES = [
    ("Abu Kamal (town)", 40.91854, 34.45226, "GeoNames 174448"),
    ("Al Qa'im (town)", 40.98945, 34.39251, "GeoNames 92138"),
    (
        "Al-Tanf garrison (approximate)",
        38.61778,
        33.50583,
        "public reporting; approximate",
    ),
]
