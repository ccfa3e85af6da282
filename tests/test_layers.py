"""Imports run one way: the core (model -> index -> pages -> render -> site) knows neither
MkDocs nor how a build is run; the execution layer knows the core but not MkDocs; only the
adapter knows MkDocs. No two modules import each other, however indirectly."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "conflict_archive"
ADAPTER = {"plugin", "config", "site_files"}
GENERATORS = ("mkdocs", "properdocs", "material")
# The pipeline of the core, in the order it may import: each only from those before it.
PIPELINE = ["model", "index", "pages", "render", "site"]


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")


def imports() -> dict[str, set[str]]:
    """Each module of the package -> the modules it imports: `execution.build`, `index`, or a
    top-level name outside the package such as `mkdocs`."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    found.add((node.module or "").split(".")[0])
                    continue
                base = package[: len(package) - (node.level - 1)]
                module = [*base, *(node.module.split(".") if node.module else [])]
                if node.module is None:  # from . import urls
                    found |= {".".join([*module, alias.name]) for alias in node.names}
                else:
                    found.add(".".join(module))
        graph[name] = found
    return graph


def _ours(graph: dict[str, set[str]], name: str) -> set[str]:
    return {m for m in graph[name] if m in graph and m not in {"", name}}


def test_the_core_knows_neither_the_generator_nor_the_build() -> None:
    graph = imports()
    core = [n for n in graph if n not in ADAPTER and not n.startswith("execution") and n not in {"", "cli"}]
    assert "model" in core and "site" in core
    for name in core:
        assert not graph[name] & set(GENERATORS), f"{name} imports {graph[name] & set(GENERATORS)}"
        assert not {m for m in graph[name] if m.startswith("execution")}, f"{name} imports the build"


def test_the_execution_layer_does_not_know_mkdocs() -> None:
    graph = imports()
    layer = [n for n in graph if n.startswith("execution")]
    assert "execution.build" in layer
    for name in layer:
        assert not graph[name] & set(GENERATORS), name
        assert not _ours(graph, name) & ADAPTER, name


def test_the_command_line_does_not_need_mkdocs() -> None:
    assert not imports()["cli"] & set(GENERATORS)


@pytest.mark.parametrize("position", range(len(PIPELINE)))
def test_the_pipeline_imports_only_backwards(position: int) -> None:
    graph = imports()
    later = set(PIPELINE[position + 1 :])
    name = PIPELINE[position]
    reachable, pending = set(), [name]
    while pending:  # everything the module imports, directly or not
        for module in _ours(graph, pending.pop()):
            if module not in reachable:
                reachable.add(module)
                pending.append(module)
    assert not reachable & later, f"{name} reaches {sorted(reachable & later)}"


def test_no_import_cycles() -> None:
    graph = imports()
    try:
        tuple(TopologicalSorter({name: _ours(graph, name) for name in graph}).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")
