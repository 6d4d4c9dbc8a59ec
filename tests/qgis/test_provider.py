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
