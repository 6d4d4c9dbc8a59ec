"""Sphinx directive ``qgis-algorithms``: the QGIS plugin's algorithm help as a page.

The text comes from the same file the plugin shows in the Processing dialog,
``qgis_plugin/resources/help/algorithms.yaml`` (keyed by algorithm id); the display
name and group of each algorithm are read from the class attributes ``ALG_ID``,
``DISPLAY`` and ``GROUP`` of ``qgis_plugin/algorithms/*.py`` by parsing the source
(the docs build does not need QGIS). An algorithm without help, or help without an
algorithm, fails the build, so the page and the plugin cannot drift apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "qgis_plugin"
HELP_YAML = PLUGIN / "resources" / "help" / "algorithms.yaml"
_ATTRS = ("ALG_ID", "DISPLAY", "GROUP")


def algorithm_table() -> list[dict[str, str]]:
    """Return ``[{"ALG_ID", "DISPLAY", "GROUP"}, ...]`` of every concrete algorithm.

    Attributes are resolved through base classes by name, as Python would for the
    single inheritance the plugin uses.
    """
    classes: dict[str, tuple[list[str], dict[str, str]]] = {}
    for path in sorted((PLUGIN / "algorithms").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
            attrs = {}
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id in _ATTRS
                    and isinstance(stmt.value, ast.Constant)
                ):
                    attrs[stmt.targets[0].id] = stmt.value.value
            classes[node.name] = (bases, attrs)

    def lookup(name: str, attr: str) -> str | None:
        bases, attrs = classes.get(name, ([], {}))
        if attr in attrs:
            return attrs[attr]
        for base in bases:
            found = lookup(base, attr)
            if found is not None:
                return found
        return None

    table = []
    for name in classes:
        alg_id = classes[name][1].get("ALG_ID")
        if alg_id:
            table.append({a: lookup(name, a) or "" for a in _ATTRS})
    return table


def _para(text: str) -> nodes.paragraph:
    return nodes.paragraph(text=" ".join(str(text).split()))


def _deflist(items: dict[str, str]) -> nodes.definition_list:
    dl = nodes.definition_list()
    for key, value in items.items():
        item = nodes.definition_list_item()
        item += nodes.term(text=str(key))
        definition = nodes.definition()
        definition += _para(value)
        item += definition
        dl += item
    return dl


class QgisAlgorithms(Directive):
    """Render one section per group and one sub-section per algorithm."""

    has_content = False

    def run(self) -> list[nodes.Node]:  # noqa: D102
        env = self.state.document.settings.env
        env.note_dependency(str(HELP_YAML))
        help_table = yaml.safe_load(HELP_YAML.read_text(encoding="utf-8")) or {}
        algorithms = algorithm_table()
        ids = {a["ALG_ID"] for a in algorithms}
        missing = sorted(ids - set(help_table))
        orphans = sorted(set(help_table) - ids)
        if missing or orphans:
            raise ExtensionError(
                f"{HELP_YAML}: algorithms without help {missing}, help without an "
                f"algorithm {orphans}; add or remove the entries"
            )
        groups: dict[str, list[dict[str, str]]] = {}
        for alg in algorithms:
            groups.setdefault(alg["GROUP"], []).append(alg)
        out: list[nodes.Node] = []
        for group in sorted(groups):
            gsec = nodes.section(ids=[nodes.make_id("qgis-group-" + group)])
            gsec += nodes.title(text=group)
            for alg in sorted(groups[group], key=lambda a: a["DISPLAY"]):
                entry = help_table[alg["ALG_ID"]]
                sec = nodes.section(ids=[nodes.make_id("qgis-" + alg["ALG_ID"])])
                sec += nodes.title(text=alg["DISPLAY"])
                ident = nodes.paragraph()
                ident += nodes.Text("Algorithm id: ")
                ident += nodes.literal(text="geoconflict:" + alg["ALG_ID"])
                sec += ident
                if entry.get("summary"):
                    sec += _para(entry["summary"])
                for label in ("parameters", "outputs"):
                    if entry.get(label):
                        sec += nodes.rubric(text=label.capitalize())
                        sec += _deflist(entry[label])
                if entry.get("notes"):
                    note = nodes.note()
                    note += _para(entry["notes"])
                    sec += note
                gsec += sec
            out.append(gsec)
        return out


def setup(app):  # noqa: D103
    app.add_directive("qgis-algorithms", QgisAlgorithms)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
