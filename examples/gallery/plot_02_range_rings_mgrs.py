"""
Range rings and fans from a site given in MGRS
==============================================

Reports and military sources often give a position as an MGRS reference. A
reference names a *square*, not a point: ``37SDT644074`` is a 100 m square at the
al-Tanf garrison. This script reads the reference, draws geodesic range rings and a
range fan around the square's centre (distances only: no weapon is implied), and
checks that every vertex of the rings lies at the stated distance. Coordinates are
(lon, lat) degrees on WGS84, distances geodesic meters, azimuths degrees clockwise
from true north.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc
from geoconflict.io.features import Feature
from geoconflict.maps import MapSpec, render, ring_features

cell = gc.mgrs_to_polygon("37SDT644074")
print(f"centre ({cell.lon:.5f}, {cell.lat:.5f}), a {cell.size_m:g} m square")

# %%
# Rings and a fan
# ---------------
# :func:`geoconflict.range_rings` and :func:`geoconflict.range_fan` return a
# :class:`geoconflict.FeatureTable`: one row per ring (or sector) with its radii
# and label, and the geodesic polygon (cut at the antimeridian when needed).
radii = ["50 km", "100 km", "150 km"]
rings = gc.range_rings(cell.lon, cell.lat, radii)
fan = gc.range_fan(cell.lon, cell.lat, 30, 120, "20 km", "120 km")
table = pd.DataFrame({k: rings[k] for k in ("ring", "inner_m", "outer_m", "label")})
table["area_km2"] = np.round(np.asarray(gc.area(rings.geometry)) / 1e6)
table

# %%
# The fan is the sector swept clockwise from 30° to 120°, between 20 and 120 km:
print(fan, f"{float(gc.area(fan.geometry[0])) / 1e6:,.0f} km²")

# %%
# Every vertex of the outer boundary of each ring lies at its radius: the geodesic
# distance from the centre, measured independently with :func:`geoconflict.distance`,
# agrees to well under a meter.
for geom, outer in zip(rings.geometry, rings["outer_m"]):
    x, y = np.asarray(geom.exterior.coords).T
    d = gc.distance(cell.lon, cell.lat, x, y)
    assert np.all(np.abs(d - outer) < 0.01), (outer, np.abs(d - outer).max())
print("ring vertices at their radius: OK")

# %%
# The map
# -------
spec = MapSpec(
    title="Range rings from a site given in MGRS",
    subtitle="37SDT644074 (100 m square): rings at 50, 100, 150 km; fan 30°–120°, 20–120 km",
    sites=[Feature(shapely.Point(cell.lon, cell.lat), {"name": "37SDT644074"})],
    rings=ring_features(cell.lon, cell.lat, [50_000, 100_000, 150_000]),
    zones=[Feature(fan.geometry[0], {"label": "fan 30°–120°, 20–120 km"})],
    margin_m=20_000,
    size=(8.0, 6.5),
    dpi=110,
)
with tempfile.TemporaryDirectory() as tmp:
    image = plt.imread(render(spec, Path(tmp) / "rings.png").path)
fig, ax = plt.subplots(figsize=(8, 6.5), dpi=110)
ax.imshow(image)
ax.set_axis_off()
fig.tight_layout(pad=0)
