#!/usr/bin/env bash
# Run the plugin tests in a real, headless QGIS, twice:
#  1. the whole tests/qgis suite with the venv's Python (shapely >= 2, numba ...),
#     including the comparison of the two geometry backends (test_backends.py);
#  2. a representative subset -- every algorithm at least once, GeoPackage in and
#     out, the Shape Tools set checked vertex by vertex against QgsDistanceArea,
#     the provider, the GUI, and qgis_process -- with Debian's plain
#     /usr/bin/python3: no venv, no pip package, as a QGIS user has it (numpy,
#     pyproj, PyQt, qgis.core; the geometry backend is QGIS's own GEOS).
# With CI=true both must run, never skip.  STOCK_PY overrides the stock Python.
set -euo pipefail
py=${1:-.venv/bin/python}
stock=${STOCK_PY:-/usr/bin/python3}
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
skip() {
  if [ "${CI:-}" = "true" ]; then echo "CI=true: $1" >&2; exit 1; fi
  echo "$1: skipping the QGIS tests${2:-}."
}
if ! "$py" -c "import qgis.core" >/dev/null 2>&1; then
  skip "qgis.core does not import in $py" " (run 'make test' as root on Debian/Ubuntu)"
  exit 0
fi
if [ ! -d tests/qgis ]; then echo "no QGIS tests yet"; exit 0; fi

STOCK_TESTS=(
  tests/qgis/test_no_shapely_import.py
  tests/qgis/test_stock_python.py
  tests/qgis/test_gpkg_roundtrip.py
  tests/qgis/test_shapes.py
  tests/qgis/test_provider.py
  tests/qgis/test_gui.py
  tests/qgis/test_events.py
)

set +e
echo "== QGIS tests, venv Python ($py)"
"$py" -m pytest tests/qgis -q --ignore=tests/qgis/test_stock_python.py
rc_venv=$?
set -e
[ $rc_venv = 5 ] && [ "${CI:-}" != "true" ] && rc_venv=0

echo "== QGIS tests, stock Python ($stock: no venv, no pip packages)"
rc_stock=0
if ! env -u PYTHONPATH -u VIRTUAL_ENV "$stock" -s -c "import qgis.core, numpy, pyproj" >/dev/null 2>&1; then
  skip "the stock Python $stock lacks qgis.core, numpy or pyproj" " with the stock Python"
elif env -u PYTHONPATH "$stock" -s -c "import shapely" >/dev/null 2>&1; then
  skip "the stock Python $stock has shapely installed: it is not a stock QGIS Python" \
    " with the stock Python"
else
  if ! env -u PYTHONPATH "$stock" -s -c "import pytest" >/dev/null 2>&1; then
    # the test runner only (Debian's python3-pytest), never a runtime package
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        python3-pytest >/tmp/geoconflict-apt-pytest.log 2>&1 || {
        tail -20 /tmp/geoconflict-apt-pytest.log >&2; echo "apt-get install python3-pytest failed" >&2; }
    fi
  fi
  if ! env -u PYTHONPATH "$stock" -s -c "import pytest" >/dev/null 2>&1; then
    skip "pytest is missing in $stock (apt-get install python3-pytest)" " with the stock Python"
  else
    set +e
    # --confcutdir: tests/conftest.py (hypothesis profiles) is for the core suite
    env -u VIRTUAL_ENV PYTHONPATH="$PWD" "$stock" -s -m pytest -q -p no:cacheprovider \
      --confcutdir=tests/qgis "${STOCK_TESTS[@]}"
    rc_stock=$?
    set -e
  fi
fi
echo "QGIS tests: venv exit $rc_venv, stock Python exit $rc_stock"
[ $rc_venv = 0 ] && [ $rc_stock = 0 ]
