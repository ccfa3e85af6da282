"""The package uses only what MkDocs (and ProperDocs) publish: no `_private` attribute of
another object, no method replaced on an instance, no `unittest.mock` outside tests.

Read from the source, so that a use on a path the other tests never take is caught too. The
checker is tested on code that breaks each rule, so that it can fail.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import mkdocs.config.defaults
import mkdocs.livereload
import mkdocs.plugins
import mkdocs.structure.files
import mkdocs.structure.nav
import mkdocs.structure.pages
import mkdocs.structure.toc
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "conflict_archive"

# The MkDocs objects an adapter is handed; their methods must never be replaced on an instance.
MKDOCS_CLASSES = [
    mkdocs.structure.pages.Page,
    mkdocs.structure.files.File,
    mkdocs.structure.files.Files,
    mkdocs.structure.nav.Navigation,
    mkdocs.structure.nav.Section,
    mkdocs.structure.nav.Link,
    mkdocs.structure.toc.TableOfContents,
    mkdocs.config.defaults.MkDocsConfig,
    mkdocs.plugins.BasePlugin,
    mkdocs.plugins.PluginCollection,
    mkdocs.livereload.LiveReloadServer,
]
METHODS = frozenset(
    name
    for cls in MKDOCS_CLASSES
    for name, member in inspect.getmembers(cls)
    if callable(member) and not isinstance(member, type) and not name.startswith("__")
)
OWN = frozenset({"self", "cls"})


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _base_name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def violations(source: str, filename: str = "<source>") -> list[str]:
    """Every breach of the rules in `source`, as `file:line: what`."""
    found = []

    def report(node: ast.AST, message: str) -> None:
        found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {message}")

    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Attribute):
            if _is_private(node.attr) and _base_name(node.value) not in OWN:
                report(node, f"private attribute {node.attr} of another object")
            if node.attr == "__dict__" and _base_name(node.value) not in OWN:
                report(node, "__dict__ of another object")
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in METHODS
                    and _base_name(target.value) not in OWN
                ):
                    report(target, f"replaces the method {target.attr} on an instance")
        if isinstance(node, ast.Call) and _base_name(node.func) in {"setattr", "getattr", "delattr"}:
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                if _is_private(name.value):
                    report(node, f"{_base_name(node.func)} of the private attribute {name.value}")
                if _base_name(node.func) == "setattr" and name.value in METHODS:
                    report(node, f"setattr replaces the method {name.value} on an instance")
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(m == "unittest" or m.startswith("unittest.") for m in modules):
                report(node, "unittest outside the tests")
    return found


def test_the_package_uses_only_public_mkdocs_api() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += violations(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("page._title_from_render = 'x'", "private attribute _title_from_render"),
        ("config._current_page = page", "private attribute _current_page"),
        ("x = page.present_anchor_ids or page._toc", "private attribute _toc"),
        ("page.__dict__['render'] = render", "__dict__ of another object"),
        ("page.render = fake_render", "replaces the method render on an instance"),
        ("files.get_file_from_path = lookup", "replaces the method get_file_from_path"),
        ("setattr(page, 'render', fake_render)", "setattr replaces the method render"),
        ("getattr(config, '_current_page')", "getattr of the private attribute _current_page"),
        ("from unittest import mock", "unittest outside the tests"),
        ("import unittest.mock", "unittest outside the tests"),
    ],
)
def test_the_checker_finds_each_breach(source: str, expected: str) -> None:
    found = violations(source)
    assert len(found) >= 1 and expected in found[0], found


@pytest.mark.parametrize(
    "source",
    [
        "self._cache = {}",
        "page.content = html",
        "page.meta['title'] = title",
        "nav.items.append(page)",
        "value = cls._registry",
    ],
)
def test_the_checker_lets_public_use_pass(source: str) -> None:
    assert violations(source) == []
