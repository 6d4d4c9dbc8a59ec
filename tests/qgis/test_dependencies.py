"""A missing dependency shows a message and registers nothing; classFactory never raises."""

import sys

from qgis.core import QgsApplication


def test_missing_shapely_registers_nothing(plugin, monkeypatch):
    import geoconflict_qgis

    messages = []
    log = QgsApplication.messageLog()

    def grab(message, tag, level):
        messages.append((tag, message))

    log.messageReceived.connect(grab)
    monkeypatch.setitem(sys.modules, "shapely", None)  # import shapely -> ImportError
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
    assert "shapely is missing" in text
    assert "pip install" in text
    assert "shapely>=2.0" in text


def test_too_old_dependency_is_reported():
    from geoconflict_qgis import _deps

    failing = [("shapely", "1.8.5", "2.0", False)]
    text = _deps.install_instructions(failing)
    assert "shapely 1.8.5 is too old (need >= 2.0)" in text
    assert all(ok for *_x, ok in _deps.check_dependencies())


def test_missing_numba_is_an_informative_note_not_a_failure(monkeypatch):
    from geoconflict_qgis import _deps

    assert _deps.optional_notes() == []  # the test environment has numba
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba -> ImportError
    notes = _deps.optional_notes()
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
