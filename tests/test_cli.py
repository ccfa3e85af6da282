"""`conflict-archive check`: the same problems as the build, every one of them, exit 0 or 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conflict_archive.cli import main
from conftest import REPO, SiteDir, synthetic_article, synthetic_event


def test_check_passes_on_the_demonstration_archive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(REPO)]) == 0
    assert "no problems" in capsys.readouterr().out


def test_check_reports_every_problem_in_every_file(
    site_dir: SiteDir, capsys: pytest.CaptureFixture[str]
) -> None:
    site_dir.article("2025/a.md", synthetic_article(1, events=[synthetic_event(killed="many")]))
    site_dir.article(
        "2025/b.md", synthetic_article(2, events=[synthetic_event(region="Kharkiw", weapons=["laser"])])
    )
    site_dir.write("2025/c.txt", "not an article\n")
    assert main(["check", str(site_dir.root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "articles/2025/a.md:10: events[0].killed: expected a number, got the words 'many'; keep them with "
        "the smallest number they can mean, e.g. {low: 2, as_reported: 'many'}",
        "articles/2025/b.md:7: events[0].region: unknown regions value 'Kharkiw'; "
        "nearest known keys: kharkiv",
        "articles/2025/b.md:11: events[0].weapons[0]: unknown weapons value 'laser'",
        "articles/2025/c.txt:1: unexpected file: articles are .md files; data files start with '_'",
        "4 problems found",
    ]


def test_check_json_output(site_dir: SiteDir, capsys: pytest.CaptureFixture[str]) -> None:
    site_dir.article("2025/a.md", synthetic_article(1, title=""))
    assert main(["check", str(site_dir.root / "mkdocs.yml"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["problems"] == [
        {
            "path": "articles/2025/a.md",
            "line": 2,
            "field": "title",
            "message": "must not be empty",
        }
    ]


def test_check_reads_the_plugin_options_from_mkdocs_yml(
    site_dir: SiteDir, capsys: pytest.CaptureFixture[str]
) -> None:
    site_dir.configure(articles_dir="reports", shipped_vocabularies=False)
    reports = site_dir.root / "reports"
    (reports / "_vocabulary").mkdir(parents=True)
    (reports / "_vocabulary" / "regions.yml").write_text("atlantis: {name: Atlantis}\n", encoding="utf-8")
    (reports / "x.md").write_text("---\ntitle: Synthetic report 3\ndate: 2025-01-01\nregions: [kyiv]\n---\n")
    assert main(["check", str(site_dir.root)]) == 1
    assert "reports/x.md:4: regions[0]: unknown regions value 'kyiv'" in capsys.readouterr().err


def test_check_from_inside_the_site_folder(site_dir: SiteDir, capsys: pytest.CaptureFixture[str]) -> None:
    site_dir.article("2025/a.md", synthetic_article(1))
    cwd = Path.cwd()
    os.chdir(site_dir.root)
    try:
        assert main(["check"]) == 0
    finally:
        os.chdir(cwd)
    assert capsys.readouterr().out == "articles: 1 article, 0 events, no problems\n"
