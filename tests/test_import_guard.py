"""The plugin-safe core must import with numpy, shapely and pyproj only."""

import subprocess
import sys
import textwrap

CORE = [
    "geoconflict",
    "geoconflict.geodesy.measurement",
    "geoconflict.units",
    "geoconflict.errors",
    # events, sites, claims (#6)
    "geoconflict.events.claims",
    "geoconflict.geodesy.coords",
    "geoconflict.events.sites",
    "geoconflict.events.model",
    "geoconflict.io.events",
    "geoconflict.events.check",
    # qgis plugin's density core (#5)
    "geoconflict.analysis.density",
    # buffers (#2)
    "geoconflict.geodesy.buffers",
    "geoconflict.geodesy.antimeridian",
    "geoconflict.geodesy.ranges",
    "geoconflict.io",
    "geoconflict.io.geojson",
    "geoconflict.io.features",  # cli (#7): file reading without click/geopandas
    "geoconflict.cli.demo",
    "geoconflict.analysis.range_catalog",
    "geoconflict.analysis.exposure",
    "geoconflict.geodesy.index",
    # borders and places (#3)
    "geoconflict.geography.borders",
    "geoconflict.geography.boundaries",
    "geoconflict.geography.lookup",
    "geoconflict.geography.point_index",
    "geoconflict.geography.places",
    "geoconflict.geography.datasets",
    "geoconflict._names",
]


def test_core_imports_without_adapters():
    # the numpy engine (numba blocked below) gives what the default engine gives
    from shapely import LineString

    import geoconflict

    ref = float(geoconflict.distance_to(40.5, 34.5, LineString([(41, 34), (41, 35)])))
    code = textwrap.dedent(
        f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                top = name.split(".")[0]
                if top in {{"geopandas", "pandas", "rasterio", "click", "matplotlib",
                            "pyogrio", "fiona", "qgis", "scipy", "numba"}}:
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        import importlib
        for mod in {CORE!r}:
            importlib.import_module(mod)
        import geoconflict
        assert geoconflict.distance(0, 0, 1, 0) > 0
        from shapely import LineString
        d = geoconflict.distance_to(40.5, 34.5, LineString([(41, 34), (41, 35)]))
        assert abs(d - {ref!r}) < 1e-6, d
        assert geoconflict.geodesy._engine.engine() == "numpy"
        bad = sorted(m for m in sys.modules if m.split(".")[0] in
                     {{"geopandas", "pandas", "rasterio", "click", "matplotlib"}})
        assert not bad, bad
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
