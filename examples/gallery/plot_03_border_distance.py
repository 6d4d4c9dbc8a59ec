"""
Distance to a border, with the dataset's uncertainty
====================================================

How far is a site from the Iraq–Syria border? The answer depends on the border line,
and no small-scale line is exact: geoconflict reports the geodesic distance together
with the band from ``low_m`` to ``high_m`` that the dataset's positional uncertainty allows
(±3 km for Natural Earth 10m, ±0.5 km for the OSM-derived line), and the side of the
border the point is on. This script walks a transect across the border at al-Qa'im /
Abu Kamal and compares both datasets. Coordinates are (lon, lat) degrees on WGS84,
distances geodesic meters.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import geoconflict as gc

# %%
# A transect across the border
# ----------------------------
# 41 points on the geodesic from Al Qa'im (Iraq) to Abu Kamal (Syria) and beyond,
# from :func:`geoconflict.direct` along the initial azimuth.
start = (41.12, 34.33)  # east of Al Qa'im, in Iraq
az = gc.azimuth(*start, 40.91854, 34.45226)  # towards Abu Kamal
along = np.linspace(0, 40_000, 41)
end = gc.direct(
    np.full(along.shape, start[0]), np.full(along.shape, start[1]), az, along
)

rows = []
for dataset in ("ne", "osm"):
    bd = gc.distance_to_border(end.lon, end.lat, "IRQ", "SYR", dataset=dataset)
    # signed: negative on the Iraqi side
    sign = np.where(np.asarray(bd.side, dtype=object) == "IRQ", -1.0, 1.0)
    rows.append(
        pd.DataFrame(
            {
                "dataset": dataset,
                "along_km": along / 1000,
                "distance_km": sign * bd.distance_m / 1000,
                "low_km": sign * bd.low_m / 1000,
                "high_km": sign * bd.high_m / 1000,
                "side": bd.side,
            }
        )
    )
transect = pd.concat(rows, ignore_index=True)
transect[transect.along_km % 5 == 0]

# %%
# The distance grows by one meter per meter walked only when the walk is
# perpendicular to the border; here it is not, so the slope is below 1:
ne = transect[transect.dataset == "ne"]
assert np.all(np.abs(np.diff(ne.distance_km)) <= 1.0 + 1e-9)

# %%
# The plot
# --------
# The band is where the true border distance may lie given the line's accuracy;
# the two datasets' bands overlap where they agree within their uncertainties.
fig, ax = plt.subplots(figsize=(8, 4.5))
for (dataset, part), color in zip(transect.groupby("dataset"), ("tab:blue", "tab:red")):
    ax.fill_between(part.along_km, part.low_km, part.high_km, color=color, alpha=0.2)
    ax.plot(part.along_km, part.distance_km, color=color, label=f"{dataset} ± band")
ax.axhline(0, color="k", lw=0.8)
ax.set_xlabel("km along the transect from Iraq into Syria")
ax.set_ylabel("km from the IRQ–SYR border\n(negative: Iraqi side)")
ax.legend()
ax.grid(alpha=0.3)
fig.tight_layout()

# %%
# Named places
# ------------
# The gazetteer (:mod:`geoconflict.places`) finds places across spellings; their
# distances and bands in one vectorized call.
names = ["Abu Kamal", "Al Qa'im", "Al Mayadin", "Rawa"]
hits = [gc.places.lookup(n)[0] for n in names]
lon = np.array([p.lon for p in hits])
lat = np.array([p.lat for p in hits])
bd = gc.distance_to_border(lon, lat, "IRQ", "SYR")
pd.DataFrame(
    {
        "place": [p.name for p in hits],
        "side": bd.side,
        "distance_km": np.round(bd.distance_m / 1000, 1),
        "low_km": np.round(bd.low_m / 1000, 1),
        "high_km": np.round(bd.high_m / 1000, 1),
    }
)
