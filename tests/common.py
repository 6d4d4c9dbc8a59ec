"""Reference sites and geometries, defined once."""

ABU_KAMAL = (40.91854, 34.45226)  # GeoNames 174448 (lon, lat)
AL_QAIM = (40.98945, 34.39251)  # GeoNames 92138
AL_TANF = (38.61778, 33.50583)  # approximate garrison location
