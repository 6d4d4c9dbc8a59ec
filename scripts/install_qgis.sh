#!/usr/bin/env bash
# Install QGIS (python3-qgis, qgis) from the distribution when possible.
set -euo pipefail
if /usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1; then
  echo "QGIS: $(/usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)' 2>/dev/null)"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing QGIS from the distribution (apt-get install python3-qgis qgis) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends python3-qgis qgis qgis-providers python3-venv xauth chromium >/tmp/geoconflict-apt.log 2>&1 || {
    tail -30 /tmp/geoconflict-apt.log; echo "apt-get install of QGIS failed"; exit 1; }
  echo "QGIS installed."
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but QGIS is not installed and cannot be installed here (needs root and apt-get)." >&2
  exit 1
else
  echo "QGIS is not installed and cannot be installed here (needs root and apt-get): the QGIS tests will skip."
fi
