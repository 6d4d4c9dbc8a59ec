"""Independent slow oracle: exact point-to-geometry distance with geographiclib.

Golden-section (Brent-style) minimisation of the geodesic distance along every
geodesic edge; the minimum over all edges and isolated points.
"""

import math

from geographiclib.geodesic import Geodesic

G = Geodesic.WGS84


def point_edge(lon, lat, a, b):
    line = G.InverseLine(a[1], a[0], b[1], b[0])
    L = line.s13

    def f(s):
        p = line.Position(s)
        return G.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

    lo, hi = 0.0, L
    gr = (math.sqrt(5) - 1) / 2
    c = hi - gr * (hi - lo)
    d = lo + gr * (hi - lo)
    fc = f(c)
    fd = f(d)
    for _ in range(200):
        if hi - lo < 1e-7:
            break
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - gr * (hi - lo)
            fc = f(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + gr * (hi - lo)
            fd = f(d)
    return min(f(0), f(L), f((lo + hi) / 2))


def point_geom(lon, lat, coords_list):
    best = math.inf
    for coords in coords_list:
        for a, b in zip(coords[:-1], coords[1:]):
            best = min(best, point_edge(lon, lat, a, b))
        if len(coords) == 1:
            best = min(best, G.Inverse(lat, lon, coords[0][1], coords[0][0])["s12"])
    return best


#: Surface area of the WGS84 ellipsoid, square meters (510,065,621.7 km²).
def _ellipsoid_area():
    p = G.Polygon()
    for lon in (0.0, 120.0, -120.0):  # once round the equator: the northern half
        p.AddPoint(0.0, lon)
    return 2.0 * p.Compute(False, False)[2]


WGS84_AREA = _ellipsoid_area()


def left_area(coords):
    """Area in m² of the region on the left of a closed ring of (lon, lat) vertices.

    geographiclib's PolygonArea, unsigned: counterclockwise rings give their
    inside, clockwise ones the rest of the ellipsoid, in [0, ellipsoid area).
    """
    p = G.Polygon()
    pts = list(coords)
    if tuple(pts[0]) == tuple(pts[-1]):
        pts = pts[:-1]
    for lon, lat in pts:
        p.AddPoint(lat, lon)
    return p.Compute(False, False)[2]
