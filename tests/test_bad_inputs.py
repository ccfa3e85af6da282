"""The bad-input corpus: every case fails `conflict-archive check` and the MkDocs build alike,
with the exact `path:line: field: message`, no traceback, and no site written."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conflict_archive.cli import main
from conftest import SiteDir

CORPUS = Path(__file__).parent / "bad_inputs"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))


def _generate(kind: str, site_dir: SiteDir, outside: Path) -> None:
    if kind == "big-front-matter":
        filler = "x" * (10 * 1024 * 1024)
        site_dir.write("2025/case.md", f"---\ntitle: Synthetic report 000200\nsummary: {filler}\n---\n")
    elif kind == "symlink-outside":
        outside.write_text("---\ntitle: Synthetic report 000201\ndate: 2025-10-23\n---\n", encoding="utf-8")
        (site_dir.articles / "2025").mkdir(parents=True, exist_ok=True)
        (site_dir.articles / "2025" / "outside.md").symlink_to(outside)
    else:
        raise AssertionError(kind)


def _prepare(case: dict[str, Any], site_dir: SiteDir, tmp_path: Path) -> None:
    for target, fixture in (case.get("files") or {}).items():
        destination = site_dir.root / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / fixture, destination)
    if "generate" in case:
        _generate(case["generate"], site_dir, tmp_path / "outside.md")


def test_the_corpus_covers_every_required_case() -> None:
    assert len(CASES) >= 35
    fixtures = {f for case in CASES for f in (case.get("files") or {}).values()}
    unused = sorted(p.name for p in CORPUS.iterdir() if p.name != "cases.yml" and p.name not in fixtures)
    assert unused == ["bom.md"]  # the one good input, tested below


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_check_and_build_agree_on_the_location(
    case: dict[str, Any],
    site_dir: SiteDir,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _prepare(case, site_dir, tmp_path)
    expect = case["expect"]

    assert main(["check", str(site_dir.root)]) == 1
    err = capsys.readouterr().err
    assert any(line.startswith(expect) for line in err.splitlines()), err
    assert "Traceback" not in err

    caplog.set_level(logging.ERROR)
    with pytest.raises(Abort):
        build(load_config(str(site_dir.root / "mkdocs.yml"), strict=False))
    assert any(line.startswith(expect) for line in caplog.text.splitlines()), caplog.text
    assert "Traceback" not in caplog.text
    assert not site_dir.site.exists(), "a failing archive must not write a site"


def test_a_byte_order_mark_is_accepted(site_dir: SiteDir) -> None:
    shutil.copyfile(CORPUS / "bom.md", site_dir.articles / "bom.md")
    assert main(["check", str(site_dir.root)]) == 0
    site_dir.build()
    assert site_dir.html("articles/bom/").select_one("article h1").get_text() == "Synthetic report 000113"


def test_values_are_not_coerced(site_dir: SiteDir) -> None:
    site_dir.write("no.md", "---\ntitle: NO\ndate: 2025-10-23\nsummary: 012\ntags: [yes, 1:20]\n---\n")
    site_dir.build()
    page = site_dir.html("articles/no/")
    assert page.select_one("article h1").get_text() == "NO"
    assert [a.get_text() for a in page.select('[data-taxonomy="tags"] a')] == ["yes", "1:20"]
