"""A missing dependency shows a message and registers nothing; classFactory never raises."""

import sys

from qgis.core import QgsApplication


def test_missing_pyproj_registers_nothing(plugin, monkeypatch):
    import geoconflict_qgis

    messages = []
    log = QgsApplication.messageLog()

    def grab(message, tag, level):
        messages.append((tag, message))

    log.messageReceived.connect(grab)
    monkeypatch.setitem(sys.modules, "pyproj", None)  # import pyproj -> ImportError
    try:
        before = len(QgsApplication.processingRegistry().providers())
        obj = geoconflict_qgis.classFactory(None)
        obj.initProcessing()
        obj.initGui()
        after = len(QgsApplication.processingRegistry().providers())
        obj.unload()
    finally:
        log.messageReceived.disconnect(grab)
    assert isinstance(obj, geoconflict_qgis.InertPlugin)
    assert after == before
    text = " ".join(m for tag, m in messages if tag == "geoconflict")
    assert "pyproj is missing" in text
    assert "pip install" in text
    assert "pyproj>=3.4" in text


def test_shapely_is_optional(monkeypatch):
    """Without shapely >= 2 the plugin still loads (QGIS's GEOS): a note, not a failure."""
    from geoconflict_qgis import _deps

    assert "shapely" not in {row[0] for row in _deps.check_dependencies()}
    monkeypatch.setitem(sys.modules, "shapely", None)
    assert _deps.problems() == []
    notes = [n for n in _deps.optional_notes() if "shapely" in n]
    assert len(notes) == 1
    assert "QGIS's own GEOS" in notes[0]


def test_too_old_dependency_is_reported():
    from geoconflict_qgis import _deps

    failing = [("pyproj", "3.0.1", "3.4", False)]
    text = _deps.install_instructions(failing)
    assert "pyproj 3.0.1 is too old (need >= 3.4)" in text
    assert all(ok for *_x, ok in _deps.check_dependencies())


def test_missing_numba_is_an_informative_note_not_a_failure(monkeypatch):
    from geoconflict_qgis import _deps

    assert not any("numba" in n for n in _deps.optional_notes())  # the venv has numba
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba -> ImportError
    notes = [n for n in _deps.optional_notes() if "numba" in n]
    assert len(notes) == 1
    assert "numba" in notes[0]
    assert "pip install numba" in notes[0]
    assert _deps.problems() == []  # the plugin still loads


def test_broken_algorithm_module_is_logged_not_fatal(plugin, monkeypatch):
    """An exception while loading algorithms must not reach QGIS (it would abort)."""
    import geoconflict_qgis.provider as provider_mod

    def broken():
        raise SyntaxError("simulated broken module")

    messages = []
    log = QgsApplication.messageLog()

    def grab(message, tag, level):
        messages.append(message)

    log.messageReceived.connect(grab)
    monkeypatch.setattr(provider_mod, "all_algorithms", broken)
    try:
        prov = provider_mod.GeoconflictProvider()
        prov.loadAlgorithms()
    finally:
        log.messageReceived.disconnect(grab)
    assert prov.algorithms() == []
    assert any("simulated broken module" in m for m in messages)
