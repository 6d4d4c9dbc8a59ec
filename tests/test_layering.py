"""The package's layers, checked on the source (AST): see "Architecture" in the README.

A module imports only from its own layer or below; no private name (or private
module) crosses a sub-package; no import cycle, counting imports inside functions;
no module looks up a sibling by name at run time.
"""

from __future__ import annotations

import ast
import pathlib

import geoconflict

ROOT = pathlib.Path(geoconflict.__file__).parent
#: support (top-level helpers) < geodesy < geography < events < analysis < io < faces
LAYERS = {"geodesy": 1, "geography": 2, "events": 3, "analysis": 4, "io": 5}
FACES = {"raster": 6, "maps": 6, "cli": 6, "dask": 6}


def _name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in ROOT.rglob("*.py") if "_vendor" not in p.parts}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return 7  # geoconflict/__init__: the public names, above everything
    return LAYERS.get(parts[1], FACES.get(parts[1], 0))


def _imports(module: str):
    """(target module, imported name or None, line) for every import in `module`."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "geoconflict":
                    yield a.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{module}:{node.lineno}: relative import"
            if node.module.split(".")[0] != "geoconflict":
                continue
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                if sub in MODULES:
                    yield sub, None, node.lineno
                else:
                    yield node.module, a.name, node.lineno


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else "<support>"


def test_layers_imports_and_private_names():
    problems = []
    for mod in MODULES:
        for target, name, line in _imports(mod):
            where = f"{mod}:{line} imports {target}" + (f".{name}" if name else "")
            if _layer(target) > _layer(mod):
                problems.append(f"{where}: from a higher layer")
            same = _package(target) == _package(mod) or len(mod.split(".")) == 1
            leaf = target.rsplit(".", 1)[-1]
            if not same and name and name.startswith("_") and not name.startswith("__"):
                problems.append(f"{where}: private name across sub-packages")
            if not same and _package(target) != "<support>" and leaf.startswith("_"):
                problems.append(f"{where}: private module across sub-packages")
    assert not problems, "\n".join(problems)


def test_no_import_cycles():
    graph = {
        m: {t for t, _, _ in _imports(m) if t in MODULES and t != m} for m in MODULES
    }
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for m in graph:
        if m not in index:
            visit(m)
    assert not cycles, cycles


def test_no_probes_for_siblings():
    """Static imports only: nothing looks up a geoconflict module by name at run time."""
    problems = []
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            a.asname or a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            and (n.module or "").startswith("geoconflict")
            for a in n.names
            if f"{n.module}.{a.name}" in MODULES
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and str(first.value).startswith(
                "geoconflict."
            ):
                problems.append(
                    f"{mod}:{node.lineno}: looks up {first.value!r} by name"
                )
            fn = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if fn == "hasattr" and getattr(first, "id", None) in modules:
                problems.append(f"{mod}:{node.lineno}: hasattr() on a module")
    assert not problems, "\n".join(problems)
