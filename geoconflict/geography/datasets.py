"""Access to the boundary and place data shipped with geoconflict.

The files live in the repository's top-level ``data/boundaries/`` (with
``PROVENANCE.md`` and a machine-readable ``manifest.json``) and are packaged into
the wheel as ``geoconflict/_data/boundaries``.  They are read through
:mod:`importlib.resources`, so this also works when geoconflict is imported from a
zipped wheel (as the QGIS plugin does).  In a source checkout or an editable
install, the top-level ``data/boundaries/`` is used.

Names are the paths inside ``data/boundaries/`` (``"sites.csv"``,
``"ne_10m_countries/western_asia.geojson.gz"``, ...); :func:`available` lists them.
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from geoconflict.errors import BoundaryNotFoundError, DataFormatError

if TYPE_CHECKING:
    # importlib.resources.abc.Traversable (3.11+); a pathlib.Path in a checkout
    from importlib.abc import Traversable

__all__ = [
    "available",
    "find_shipped",
    "get_path",
    "manifest",
    "read_bytes",
    "read_json",
    "read_text",
]

_PACKAGE_DIR = "_data/boundaries"


def find_shipped(
    package_rel: str, checkout_rel: str, probe: str = ""
) -> Optional[Traversable]:
    """Return a data file or folder shipped with geoconflict (None if it is missing).

    The packaged copy ``geoconflict/<package_rel>`` (inside a wheel, possibly
    zipped) if present, else ``<checkout>/<checkout_rel>`` in a source checkout or
    editable install.  A candidate counts as present when the file `probe` inside
    it (or, with no `probe`, the candidate itself) is a file.
    """

    def join(
        t: Traversable, rel: str
    ) -> Traversable:  # one part at a time: Python 3.9's zipfile.Path takes one
        for part in rel.split("/"):
            t = t.joinpath(part)
        return t

    def present(t: Traversable) -> bool:
        return (join(t, probe) if probe else t).is_file()

    try:
        packaged = join(resources.files("geoconflict"), package_rel)
        if present(packaged):
            return packaged
    except (
        ModuleNotFoundError,
        FileNotFoundError,
        NotADirectoryError,
    ):  # pragma: no cover
        pass
    checkout = join(Path(__file__).resolve().parents[2], checkout_rel)
    return checkout if present(checkout) else None


@functools.cache
def _root() -> Traversable:
    """Locate the data folder: the packaged copy if present, else the checkout's."""
    root = find_shipped(_PACKAGE_DIR, "data/boundaries", "manifest.json")
    if root is not None:
        return root
    checkout = Path(__file__).resolve().parents[2] / "data" / "boundaries"
    raise DataFormatError(
        "geoconflict's boundary data was not found: neither the packaged "
        f"geoconflict/{_PACKAGE_DIR} nor {checkout} holds manifest.json. Reinstall "
        "geoconflict from a wheel, or rebuild the data with "
        "`python scripts/build_boundaries.py` in a source checkout."
    )


@functools.cache
def manifest() -> dict[str, Any]:
    """Return the parsed ``manifest.json`` (file, source, licence, credit, sha256, ...).

    Returns
    -------
    dict
        ``{"description": ..., "processing": [...], "files": [{...}, ...]}``.

    Examples
    --------
    >>> m = manifest()
    >>> any(f["file"] == "sites.csv" for f in m["files"])
    True
    """
    text = _root().joinpath("manifest.json").read_text(encoding="utf-8")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def available(pattern: str = "") -> list[str]:
    """List the names of the shipped data files (optionally those containing `pattern`).

    Parameters
    ----------
    pattern : str, optional
        Substring filter, e.g. ``"ne_10m_countries/"`` or ``"osm/"``.

    Returns
    -------
    list of str
        Sorted names usable with :func:`get_path` and :func:`read_bytes`.

    Examples
    --------
    >>> "sites.csv" in available()
    True
    >>> all(n.startswith("osm/") for n in available("osm/"))
    True
    """
    names = sorted(f["file"] for f in manifest()["files"])
    return [n for n in names if pattern in n]


def _check(name: str) -> str:
    names = available()
    if name in names or name in ("manifest.json", "PROVENANCE.md"):
        return name
    import difflib

    close = difflib.get_close_matches(name, names, n=5, cutoff=0.3)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise BoundaryNotFoundError(
        f"no shipped data file named {name!r}.{hint} "
        f"geoconflict.geography.datasets.available() lists all {len(names)} files."
    )


def get_path(name: str) -> Union[Path, Traversable]:
    """Return the location of a shipped data file.

    In a source checkout or an unpacked install this is a :class:`pathlib.Path`
    (GDAL/QGIS can open it, e.g. with ``/vsigzip/``).  When geoconflict is
    imported from a zip it is an :mod:`importlib.resources` ``Traversable``; use
    :func:`read_bytes` to read it, or ``importlib.resources.as_file`` for a real path.

    Parameters
    ----------
    name : str
        A name from :func:`available`.

    Returns
    -------
    pathlib.Path or importlib.resources.abc.Traversable

    Raises
    ------
    BoundaryNotFoundError
        If there is no such file; the message lists the closest names.

    Examples
    --------
    >>> get_path("sites.csv").name
    'sites.csv'
    """
    name = _check(name)
    return _root().joinpath(*name.split("/"))


def read_bytes(name: str) -> bytes:
    """Return the content of a shipped file, decompressed if it ends in ``.gz``.

    Examples
    --------
    >>> read_bytes("sites.csv").splitlines()[0][:7]
    b'site_id'
    """
    data = get_path(name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return data


def read_text(name: str) -> str:
    """Return the content of a shipped text file (UTF-8), decompressed if ``.gz``.

    Examples
    --------
    >>> "OpenStreetMap" in read_text("osm/README.md")
    True
    """
    return read_bytes(name).decode("utf-8")


def read_json(name: str) -> Any:
    """Parse a shipped (Geo)JSON file, decompressed if ``.gz``.

    Examples
    --------
    >>> read_json("ne_10m_disputed_areas.geojson.gz")["type"]
    'FeatureCollection'
    """
    try:
        return json.loads(read_bytes(name))
    except ValueError as exc:
        raise DataFormatError(
            f"cannot parse JSON: {exc}; the file may be damaged, rebuild it with "
            "scripts/build_boundaries.py",
            path=name,
        ) from None
