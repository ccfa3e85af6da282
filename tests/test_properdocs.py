"""The plugin under ProperDocs, the maintained MkDocs 1.x fork: same site, same links."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import SiteDir, synthetic_article, synthetic_event
from htmlcheck import broken_links

pytest.importorskip("properdocs")


def test_properdocs_builds_the_archive(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/one.md", synthetic_article(1, events=[synthetic_event(killed={"low": 2, "high": 4})])
    )
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=site_dir.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    box = site_dir.html("articles/2025/one/").select_one('aside.ca-event [data-field="killed"]')
    assert box.get_text(strip=True) == "2–4"
    assert broken_links(site_dir.site) == []


def test_properdocs_reports_archive_problems(site_dir: SiteDir) -> None:
    site_dir.article("2025/bad.md", synthetic_article(2, events=[synthetic_event(killed=-1)]))
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml"],
        cwd=site_dir.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "articles/2025/bad.md:10: events[0].killed: must not be negative, got -1" in result.stderr
