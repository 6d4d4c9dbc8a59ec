"""The maps' palette and layout, shared by the static (matplotlib) and HTML (Leaflet) maps.

Colours are hex strings; :data:`AX_RECT` is the map panel in figure fractions.
"""

from __future__ import annotations

#: colour of a site by attribution status (the events model's vocabulary)
ATTRIBUTION_COLORS = {
    "declared": "#b2182b",  # responsibility declared by the perpetrator
    "claimed": "#ef8a62",  # attributed by someone else
    "contested": "#7b3294",  # competing attributions
    "denied": "#2166ac",  # the accused denied
    "unknown": "#5f5f5f",
}

#: matplotlib marker by event type (ACLED event types; lower-case, partial match)
EVENT_MARKERS = {
    "air/drone strike": "^",
    "explosions/remote violence": "^",
    "shelling/artillery/missile attack": "v",
    "remote explosive/landmine/ied": "P",
    "battles": "s",
    "violence against civilians": "X",
    "strategic developments": "D",
    "reference": "p",  # pentagon: not the square of battles
    "facility": "p",
    "launch": "*",
}
#: marker of a site whose role and event type name no marker
DEFAULT_MARKER = "o"

#: land, sea, boundaries, zones, range rings, highlighted lines, disputed areas
LAND = "#f3f0e8"
SEA = "#dce8f0"
BORDER = "#7a7a7a"
ZONE = "#e08a1e"
RING = "#3b3b3b"
HIGHLIGHT = "#222222"
DISPUTED = "#a0302a"

#: the map panel in figure fractions (left, bottom, width, height)
AX_RECT = (0.03, 0.115, 0.94, 0.755)
