"""Engine selection of :mod:`geoconflict.geodesy.index`: numba kernels or numpy.

The compiled kernels (:mod:`geoconflict.geodesy._kernels`, numba) never give the exact
answer: with the same rigorous bounds as the numpy search
(:mod:`geoconflict.geodesy._tree`) they decide which edges can hold the nearest
point, or whether a point is surely within / surely beyond a radius.  The exact
distances are then computed by :meth:`pyproj.Geod.inv` in
:mod:`geoconflict.geodesy.index`.

numba is optional: without it (QGIS's Python, for instance) the numpy path gives
the same results, more slowly.  ``GEOCONFLICT_ENGINE=numpy`` forces the numpy
path; ``GEOCONFLICT_ENGINE=numba`` makes a missing numba an error.

Conventions: unit vectors are geodetic normals ``(cos(lat) cos(lon),
cos(lat) sin(lon), sin(lat))``; distances in meters on the ellipsoid.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Callable, Optional, TypeVar

#: the compiled kernels by name (numba dispatchers)
Kernels = dict[str, Callable[..., Any]]
_T = TypeVar("_T")
_R = TypeVar("_R")

__all__ = ["engine", "kernels", "kernels_for", "map_chunks", "threads"]

# below this many points the numpy path is used unless GEOCONFLICT_ENGINE=numba:
# the answers are the same, and a short query need not load numba (~0.5 s)
MIN_POINTS = 2_000

_KERNELS: Optional[Kernels] = None
_TRIED = False

# candidate edges kept per point during the search (same fallback beyond)
MAX_CAND = 1024


def engine() -> str:
    """Return the engine that distance queries use: ``"numba"`` or ``"numpy"``.

    Returns
    -------
    str

    Examples
    --------
    >>> engine() in ("numba", "numpy")
    True
    """
    return "numba" if kernels() is not None else "numpy"


def threads() -> int:
    """Threads for large queries: ``GEOCONFLICT_THREADS`` or the CPU count (max 8).

    Returns
    -------
    int

    Examples
    --------
    >>> threads() >= 1
    True
    """
    env = os.environ.get("GEOCONFLICT_THREADS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            from geoconflict.errors import GeoconflictError

            raise GeoconflictError(
                f"GEOCONFLICT_THREADS must be a whole number, got {env!r}"
            ) from None
    return max(1, min(os.cpu_count() or 1, 8))


def map_chunks(fn: Callable[[_T], _R], pieces: list[_T]) -> list[_R]:
    """Return ``[fn(p) for p in pieces]``, over :func:`threads` threads if several.

    For work that releases the GIL (the compiled kernels, large numpy and pyproj
    calls).  A pool per call: safe when called from other pools' threads.
    """
    k = min(threads(), len(pieces))
    if k <= 1:
        return [fn(p) for p in pieces]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(k) as ex:
        return list(ex.map(fn, pieces))


def kernels_for(n: int) -> Optional[Kernels]:
    """Return the kernels for a query of `n` points, or None for the numpy path."""
    want = os.environ.get("GEOCONFLICT_ENGINE", "auto").strip().lower()
    if want != "numba" and n < MIN_POINTS:
        return None
    return kernels()


def kernels() -> Optional[Kernels]:
    """Return the compiled kernels, or None when numba is absent or disabled."""
    global _KERNELS, _TRIED
    want = os.environ.get("GEOCONFLICT_ENGINE", "auto").strip().lower()
    if want == "numpy":
        return None
    if _TRIED:
        return _KERNELS
    _TRIED = True
    try:
        import numba  # noqa: F401
    except ImportError as exc:
        if want == "numba":
            from geoconflict.errors import MissingDependencyError

            raise MissingDependencyError(
                "GEOCONFLICT_ENGINE=numba but numba could not be imported "
                f"({exc}); install it (pip install numba, a dependency of "
                "geoconflict), or unset GEOCONFLICT_ENGINE to use the numpy engine"
            ) from exc
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _KERNELS = _compile()
    return _KERNELS


def _compile() -> Kernels:
    from geoconflict.geodesy import _kernels as k

    return {
        "band": k.band,
        "within": k.within,
    }
