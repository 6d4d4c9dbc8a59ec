"""Independent slow oracle: exact point-to-geometry distance with geographiclib.

Along every geodesic edge the distance is sampled at ``SAMPLES`` evenly spaced
points, then refined by golden-section search around every sampled local
minimum; the result is the minimum over all edges, their ends and isolated
points.  The sampling matters for points far from the edge (more than about
10,000 km): there the distance along an edge can have an interior *maximum*,
and a plain golden-section search over the whole edge could converge away from
the smallest end.
"""

import math

from geographiclib.geodesic import Geodesic

G = Geodesic.WGS84

# samples along each edge before the golden-section refinement
SAMPLES = 17


def _golden(f, lo, hi):
    gr = (math.sqrt(5) - 1) / 2
    c = hi - gr * (hi - lo)
    d = lo + gr * (hi - lo)
    fc = f(c)
    fd = f(d)
    for _ in range(200):
        if hi - lo < 1e-6:
            break
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - gr * (hi - lo)
            fc = f(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + gr * (hi - lo)
            fd = f(d)
    return f((lo + hi) / 2)


def point_edge(lon, lat, a, b):
    """Geodesic distance (m, WGS84) from (lon, lat) to the geodesic edge a->b."""
    line = G.InverseLine(a[1], a[0], b[1], b[0])
    L = line.s13

    def f(s):
        p = line.Position(s)
        return G.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

    s = [L * i / (SAMPLES - 1) for i in range(SAMPLES)]
    v = [f(x) for x in s]
    best = min(v)
    for i in range(SAMPLES):
        left = v[i - 1] if i > 0 else math.inf
        right = v[i + 1] if i < SAMPLES - 1 else math.inf
        if v[i] <= left and v[i] <= right:
            lo = s[max(i - 1, 0)]
            hi = s[min(i + 1, SAMPLES - 1)]
            best = min(best, _golden(f, lo, hi))
    return best


def point_geom(lon, lat, coords_list):
    """Distance (m) from (lon, lat) to lines given as lists of (lon, lat) vertices.

    A list of one vertex is an isolated point.
    """
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
