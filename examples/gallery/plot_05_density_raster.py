"""
A density raster of events
==========================

Where do events concentrate? :func:`geoconflict.raster.event_density` spreads each
event with a kernel of the **geodesic** distance (a bandwidth in meters, not in
degrees) and samples it on a grid, in events per square kilometre, ready to write
as a GeoTIFF. The events here are generated (a stand-in for an ACLED or UCDP extract:
no real event is implied). Coordinates are (lon, lat) degrees on WGS84.
"""

import matplotlib.pyplot as plt
import numpy as np
import shapely

import geoconflict as gc
from geoconflict.raster import event_density

rng = np.random.default_rng(5)

# %%
# Generated events
# ----------------
# 1,500 events: three clusters along the Euphrates (around Abu Kamal, Al Mayadin
# and Deir ez-Zor) and a scatter over the region.
centres = [gc.places.lookup(n)[0] for n in ("Abu Kamal", "Al Mayadin", "Deir ez-Zor")]
k = rng.integers(0, 4, 1_500)
clustered = k < 3
lon = np.empty(k.size)
lat = np.empty(k.size)
c_lon = np.array([c.lon for c in centres])
c_lat = np.array([c.lat for c in centres])
moved = gc.direct(
    c_lon[k[clustered]],
    c_lat[k[clustered]],
    rng.uniform(0, 360, clustered.sum()),
    rng.gamma(2.0, 4_000, clustered.sum()),
)
lon[clustered], lat[clustered] = moved.lon, moved.lat
lon[~clustered] = rng.uniform(39.8, 41.6, (~clustered).sum())
lat[~clustered] = rng.uniform(34.0, 35.6, (~clustered).sum())

# %%
# The raster
# ----------
# A 0.02° grid (about 2 km) and a 5 km Gaussian bandwidth. The kernel integrates to
# one event, so the raster sums (cell value × cell area) to about the number of
# events inside the grid.
bounds = (39.8, 34.0, 41.6, 35.6)
r = event_density(
    np.column_stack([lon, lat]), bounds, bandwidth_m="5 km", resolution=0.02
)
print(r.data.shape, r.tags.get("units"))

west, cell_x, north, cell_y = r.transform.c, r.transform.a, r.transform.f, r.transform.e
rows, cols = np.indices(r.data.shape)
x0 = west + cols * cell_x
y0 = north + rows * cell_y
cells = shapely.box(x0, y0 + cell_y, x0 + cell_x, y0)
cell_km2 = np.asarray(gc.area(cells.ravel())).reshape(cells.shape) / 1e6  # ellipsoidal
total = float(np.nansum(r.data * cell_km2))
inside = np.count_nonzero(
    (lon > bounds[0]) & (lon < bounds[2]) & (lat > bounds[1]) & (lat < bounds[3])
)
print(f"integral {total:,.0f} events; {inside:,} events in the grid")
assert abs(total - inside) / inside < 0.1

# %%
# The map: the density, the events, and the Iraq–Syria border.
fig, ax = plt.subplots(figsize=(8, 6.5))
extent = (
    west,
    west + cell_x * r.data.shape[1],
    north + cell_y * r.data.shape[0],
    north,
)
im = ax.imshow(r.data, extent=extent, origin="upper", cmap="magma_r")
ax.plot(lon, lat, ".", ms=1.5, color="tab:blue", alpha=0.4, label="events")
line = gc.border("IRQ", "SYR")
for part in shapely.get_parts(line):
    x, y = np.asarray(part.coords).T
    ax.plot(x, y, color="k", lw=1.2)
ax.set_xlim(bounds[0], bounds[2])
ax.set_ylim(bounds[1], bounds[3])
ax.set_aspect(1 / np.cos(np.radians(34.8)))
ax.set_xlabel("longitude (°E)")
ax.set_ylabel("latitude (°N)")
fig.colorbar(im, ax=ax, label="events per km²", shrink=0.8)
ax.legend(loc="upper left")
fig.tight_layout()
