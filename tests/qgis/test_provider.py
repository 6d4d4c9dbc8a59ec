"""The provider, its algorithms, help and parameters."""

import re

from qgis.core import QgsApplication, QgsProcessingParameterEnum


def test_provider_registered(provider):
    from geoconflict_qgis.algorithms.base import _help_table

    help_table = _help_table()
    assert provider.id() == "geoconflict"
    algs = provider.algorithms()
    assert algs, "no algorithms"
    for alg in algs:
        assert re.fullmatch(r"[a-z0-9]+", alg.name()), alg.name()
        assert alg.id() == f"geoconflict:{alg.name()}"
        assert alg.name() in help_table, f"no help for {alg.name()}"
        assert len(alg.shortHelpString()) > 300, alg.name()
        assert not alg.icon().isNull()
        assert type(alg.createInstance()) is type(alg)
        units = alg.parameterDefinition("UNITS")
        if units is not None:
            assert isinstance(units, QgsProcessingParameterEnum)
            assert units.options() == [
                "meters (m)",
                "kilometers (km)",
                "miles (statute) (mi)",
                "nautical miles (nmi)",
            ]
    assert QgsApplication.processingRegistry().algorithmById(
        "geoconflict:geodesicmeasure"
    )


def test_help_file_parses_and_covers_every_algorithm(provider):
    """A YAML slip (a ': ' in a plain line) silently empties every algorithm's help."""
    import yaml
    from geoconflict_qgis.algorithms.base import _RESOURCES

    with open(f"{_RESOURCES}/help/algorithms.yaml", encoding="utf-8") as fh:
        table = yaml.safe_load(fh)
    assert {a.name() for a in provider.algorithms()} <= set(table)
