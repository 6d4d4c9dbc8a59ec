"""
The seed example: al-Bukamal and the Iraq–Syria border
======================================================

The bundled example holds every event of two reports on strikes around al-Bukamal
(Abu Kamal) in Syria's Deir ez-Zor governorate, September 2019 and September 2021,
with each claim tied to its source. This script measures every located site to the
Iraq–Syria border (geodesic on WGS84, meters, with the border dataset's uncertainty
band), checks the distances the reports state, and draws the map.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc
from geoconflict.io.features import Feature
from geoconflict.maps import MapSpec, border_features, render, ring_features

events = gc.load_example()
print(events)

# %%
# Where the sites are
# -------------------
# One row per site: (lon, lat) in degrees, with the precision the report allows.
# Sites known only to a province or a country have no point; they are left out here
# (the claim check below still uses their areas).
sites = pd.DataFrame(
    [
        {k: row[k] for k in ("event_id", "site_name", "lon", "lat", "precision")}
        for row in events.site_table()
        if row["geometry"] is not None
    ]
)
sites

# %%
# Distance to the Iraq–Syria border
# ---------------------------------
# :func:`geoconflict.distance_to_border` returns a :class:`geoconflict.BorderDistance`:
# the geodesic distance, the band from ``low_m`` to ``high_m`` that the border dataset's
# positional uncertainty allows (±3 km for the Natural Earth line), the side and the
# nearest point of the border.
bd = gc.distance_to_border(sites.lon.to_numpy(), sites.lat.to_numpy(), "IRQ", "SYR")
sites["border_km"] = np.round(bd.distance_m / 1000, 1)
sites["low_km"] = np.round(bd.low_m / 1000, 1)
sites["high_km"] = np.round(bd.high_m / 1000, 1)
sites["side"] = bd.side
sites[["site_name", "border_km", "low_km", "high_km", "side"]]

# %%
# Abu Kamal itself (GeoNames 174448) lies 6.7 km from the border on the Syrian side:
abu_kamal = gc.distance_to_border(40.91854, 34.45226, "IRQ", "SYR")
assert abu_kamal.side == "SYR"
assert abs(abu_kamal.distance_m - 6_735) < 10
print(f"Abu Kamal: {gc.format_length(abu_kamal.distance_m)} from the border")

# %%
# The distances the reports state
# -------------------------------
# "About 3 km (2 miles) from the border" is an interval (2.5–3.5 km), and a site
# known to settlement level is a disc, not a point: :func:`geoconflict.check_claims`
# compares the two intervals and only calls a statement contradicted when they cannot
# overlap.
checks = gc.check_claims(events).to_dataframe()
checks[
    ["event_id", "phrase", "stated_m", "measured_low_m", "measured_high_m", "verdict"]
]

# %%
stated_border = checks[checks.reference_id == "border:IRQ-SYR"].iloc[0]
assert stated_border.stated_low_m <= 3_000 <= stated_border.stated_high_m
assert stated_border.verdict != "contradicted"

# %%
# The map
# -------
# The sites, the 10 km strip on the Syrian side of the border, and 100/200/300 km
# rings from the al-Tanf garrison (distances only; no weapon is implied).
tanf = sites[sites.site_name.str.contains("Tanf", case=False, na=False)].iloc[0]
strip = gc.border_zone("IRQ", "SYR", 10_000, side="SYR")
spec = MapSpec(
    title="Al-Bukamal and the Iraq–Syria border",
    subtitle="Sites named in the September 2019 and September 2021 reports",
    sites=[
        Feature(shapely.Point(r.lon, r.lat), {"name": r.site_name})
        for r in sites.itertuples()
    ],
    zones=[Feature(strip, {"label": "10 km from the border, Syrian side"})],
    rings=ring_features(
        tanf.lon, tanf.lat, [100_000, 200_000, 300_000], label="from al-Tanf"
    ),
    lines=border_features(["IRQ", "SYR"]),
    margin_m=40_000,
    size=(8.0, 6.5),
    dpi=110,
)
with tempfile.TemporaryDirectory() as tmp:
    result = render(spec, Path(tmp) / "al-bukamal.png")
    image = plt.imread(result.path)
fig, ax = plt.subplots(figsize=(8, 6.5), dpi=110)
ax.imshow(image)
ax.set_axis_off()
fig.tight_layout(pad=0)
