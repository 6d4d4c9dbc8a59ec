#!/usr/bin/env bash
# Run the plugin tests in a real, headless QGIS. With CI=true they must run, never skip.
set -euo pipefail
py=${1:-.venv/bin/python}
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
if ! "$py" -c "import qgis.core" >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then echo "CI=true: qgis.core does not import in $py" >&2; exit 1; fi
  echo "qgis.core is not importable: skipping the QGIS tests (run 'make test' as root on Debian/Ubuntu)."
  exit 0
fi
if [ ! -d tests/qgis ]; then echo "no QGIS tests yet"; exit 0; fi
set +e
"$py" -m pytest tests/qgis -q
rc=$?
set -e
if [ $rc = 5 ] && [ "${CI:-}" != "true" ]; then exit 0; fi
exit $rc
