# geoconflict — two commands do all set-up on a fresh Debian/Ubuntu machine:
#   make demo   creates .venv, installs geoconflict, runs the example job, writes out/
#   make test   also installs QGIS (as root, through apt) and runs every test
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-fast qgis-system chromium venv lint test-core test-qgis bench plugin docs clean

## QGIS from the distribution, for the plugin tests (apt, needs root). With CI=true a
## machine that cannot install it fails here instead of skipping the QGIS tests.
qgis-system:
	@bash scripts/install_qgis.sh

## Debian's chromium, the headless browser of the HTML map tests (apt, needs root).
## With CI=true a machine that cannot install it fails here; otherwise those tests skip.
chromium:
	@bash scripts/install_chromium.sh >/dev/null || { \
	  if [ "$${CI:-}" = "true" ]; then echo "CI=true: chromium is required for the HTML map tests" >&2; exit 1; fi; \
	  echo "chromium is not installed: the HTML map tests will skip"; }

## The environment. With QGIS installed, the venv is made from the system Python
## with --system-site-packages so that it sees qgis.core; otherwise from python3.
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml scripts/make_venv.sh
	@bash scripts/make_venv.sh "$(VENV)"
	@touch $@

demo: venv
	$(VENV)/bin/geoconflict demo --out $(OUT)

## ruff, and mypy on the modules listed in pyproject.toml ([tool.mypy] files, strict)
lint: venv
	$(PY) -m ruff format --check geoconflict tests benchmarks scripts examples qgis_plugin docs/conf.py docs/_ext
	$(PY) -m ruff check geoconflict tests benchmarks scripts examples qgis_plugin docs/conf.py docs/_ext
	$(PY) -m mypy

test-core: venv
	$(PY) -m pytest tests --ignore=tests/qgis --doctest-modules geoconflict -q

## The quick maths loop: every core test not marked slow (no CLI, maps, Chromium,
## GDAL round trips, wheel builds, numba cold compiles, QGIS), on two workers.
test-fast: venv
	$(PY) -m pytest tests --ignore=tests/qgis -m "not slow" -q -n 2

## The plugin in a headless QGIS, twice: the venv (shapely; both geometry backends
## compared) and Debian's plain /usr/bin/python3 (stock QGIS Python, QGIS's GEOS).
test-qgis: venv
	@bash scripts/run_qgis_tests.sh "$(PY)"

test: qgis-system chromium
	@bash scripts/make_venv.sh "$(VENV)" --check-qgis
	@touch $(VENV)/.installed
	$(MAKE) lint test-core test-qgis docs

## The documentation site, build/docs/html/index.html: built offline (no intersphinx, no
## downloads) with warnings as errors, running every gallery script (a broken example
## or reference fails the build). DOCS_FAST=1 builds the pages without running the
## gallery scripts (the API and CLI references are always built). -E: the API pages are
## regenerated from the package on every build, so no saved environment is reused.
DOCS_FAST ?=
docs: venv
	GEOCONFLICT_DOCS_FAST=$(DOCS_FAST) $(PY) -m sphinx -E -W --keep-going -q -b html docs build/docs/html

## The QGIS plugin zip: dist/geoconflict_qgis-<version>.zip, with the core wheel
## (and data/boundaries) unpacked into ext-libs/ -- built from the sources, never copied.
plugin: venv
	$(PY) scripts/build_plugin.py --out dist

bench: venv
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache .ruff_cache
