#!/usr/bin/env bash
# shapely for qgis_process (and the QGIS desktop) on Linux distributions: built from source
# against the system GEOS that QGIS itself links.  A shapely *wheel* bundles another GEOS;
# inside qgis_process both are loaded and the GEOS C API symbols of QGIS's copy win, so
# shapely calls a GEOS of another version and memory is corrupted ("free(): invalid size").
# numpy and pyproj come from the distribution (python3-numpy, python3-pyproj).
# Usage: scripts/qgis_process_deps.sh VENV_PYTHON DEST   -> prints DEST (built once, cached)
set -euo pipefail
py=${1:-.venv/bin/python}
dest=${2:-.venv/qgis-process-deps}
ver=$("$py" -c "import shapely; print(shapely.__version__)")
if [ -f "$dest/.shapely-$ver" ]; then echo "$dest"; exit 0; fi
if ! command -v geos-config >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libgeos-dev >/tmp/geoconflict-apt-geos.log 2>&1 || {
      tail -20 /tmp/geoconflict-apt-geos.log >&2; echo "apt-get install libgeos-dev failed" >&2; exit 1; }
  else
    echo "geos-config not found: install libgeos-dev (needed to build shapely against QGIS's GEOS)" >&2
    exit 1
  fi
fi
rm -rf "$dest"
echo "Building shapely $ver against the system GEOS $(geos-config --version) for qgis_process ..." >&2
/usr/bin/python3 -m pip install -q --disable-pip-version-check --target "$dest" --no-deps \
  --no-binary shapely "shapely==$ver" >&2
touch "$dest/.shapely-$ver"
echo "$dest"
