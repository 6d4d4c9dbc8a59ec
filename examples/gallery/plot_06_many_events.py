"""
A map of thousands of events
============================

Everything in geoconflict is vectorized: reverse geocoding, distances to borders and
map drawing take whole arrays. This script generates 4,000 synthetic events over
Syria and Iraq (no real event is implied), keeps those that fall on land in either
country with one :func:`geoconflict.country_at` call, measures every one to the
Iraq–Syria border in one call, and draws them all, with marker shape by event type
and colour by attribution status. Coordinates are (lon, lat) degrees on WGS84,
distances geodesic meters.
"""

import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc
from geoconflict.io.features import Feature
from geoconflict.maps import MapSpec, border_features, render

rng = np.random.default_rng(2019)
n = 4_000
lon = rng.uniform(35.5, 48.5, n)
lat = rng.uniform(29.0, 37.5, n)

# %%
# Which country is each point in?
# -------------------------------
t0 = time.perf_counter()
country = gc.country_at(lon, lat)
keep = np.isin(country.astype(str), ["SYR", "IRQ"])
lon, lat, country = lon[keep], lat[keep], country[keep]
print(
    f"{keep.sum():,} of {n:,} points in Syria or Iraq ({time.perf_counter() - t0:.2f} s)"
)

# %%
# Distance to the Iraq–Syria border, for all of them at once
# ----------------------------------------------------------
t0 = time.perf_counter()
bd = gc.distance_to_border(lon, lat, "IRQ", "SYR")
print(f"{len(lon):,} distances in {time.perf_counter() - t0:.2f} s")
near = bd.distance_m <= 25_000
summary = (
    pd.DataFrame({"side": bd.side, "within_25_km": near})
    .groupby("side")
    .agg(events=("within_25_km", "size"), within_25_km=("within_25_km", "sum"))
)
summary

# %%
# The map
# -------
# Each event gets a synthetic type (marker) and attribution status (colour).
types = rng.choice(
    ["Air/drone strike", "Shelling/artillery/missile attack", "Battles"], len(lon)
)
status = rng.choice(["claimed", "denied", "contested", "unknown"], len(lon))
sites = [
    Feature(shapely.Point(x, y), {"event_type": t, "attribution_status": s})
    for x, y, t, s in zip(lon, lat, types, status)
]
spec = MapSpec(
    title=f"{len(sites):,} synthetic events in Syria and Iraq",
    subtitle="Generated for the gallery; marker by event type, colour by attribution",
    sites=sites,
    lines=border_features(["IRQ", "SYR"]),
    size=(8.0, 6.5),
    dpi=110,
    aggregate="none",  # every event its own marker (above 300, maps aggregate by default)
)
t0 = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp:
    image = plt.imread(render(spec, Path(tmp) / "events.png").path)
print(f"drawn in {time.perf_counter() - t0:.1f} s")
fig, ax = plt.subplots(figsize=(8, 6.5), dpi=110)
ax.imshow(image)
ax.set_axis_off()
fig.tight_layout(pad=0)
