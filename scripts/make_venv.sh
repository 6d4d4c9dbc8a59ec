#!/usr/bin/env bash
# Create (or repair) the project's virtual environment and install geoconflict into it.
# Usage: scripts/make_venv.sh VENV [--check-qgis]
set -euo pipefail
venv=${1:-.venv}
sys_qgis=0
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1; then sys_qgis=1; fi
if [ -x "$venv/bin/python" ] && [ "$sys_qgis" = 1 ] && ! "$venv/bin/python" -c "import qgis.core" >/dev/null 2>&1; then
  echo "Re-creating $venv so that it sees the system's QGIS ..."
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  if [ "$sys_qgis" = 1 ]; then
    /usr/bin/python3 -m venv --system-site-packages "$venv"
  else
    python3 -m venv "$venv"
  fi
fi
if [ "${2:-}" = "--check-qgis" ] && [ -f "$venv/.installed" ] && [ pyproject.toml -ot "$venv/.installed" ]; then
  exit 0
fi
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
"$venv/bin/python" -m pip install -q -e ".[dev]"
echo "Environment ready: $venv ($("$venv/bin/python" --version))"
