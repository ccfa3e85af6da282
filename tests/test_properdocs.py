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
    result = _python(site_dir, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    box = site_dir.html("articles/2025/one/").select_one('aside.ca-event [data-field="killed"]')
    assert box.get_text(strip=True) == "2–4"
    assert broken_links(site_dir.site) == []


def test_properdocs_reports_archive_problems(site_dir: SiteDir) -> None:
    site_dir.article("2025/bad.md", synthetic_article(2, events=[synthetic_event(killed=-1)]))
    result = _python(site_dir, "-m", "properdocs", "build", "-f", "mkdocs.yml")
    assert result.returncode == 1
    assert "articles/2025/bad.md:10: events[0].killed: must not be negative, got -1" in result.stderr


def test_properdocs_builds_the_same_bytes_with_a_worker(site_dir: SiteDir) -> None:
    body = "## Synthetic heading\n\nSynthetic text.\n"
    for n in range(1, 5):
        site_dir.article(
            f"2025/report-{n}.md", synthetic_article(n, events=[synthetic_event(killed=n)]), body=body
        )
    site_dir.configure(workers=0, cache=False)
    serial = _python(site_dir, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml")
    assert serial.returncode == 0, serial.stderr
    expected = site_dir.files()
    site_dir.configure(workers=1)
    for build in ("cold", "warm"):
        result = _python(site_dir, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml")
        assert result.returncode == 0, (build, result.stderr)
        assert "failed" not in result.stderr, result.stderr
        assert site_dir.files() == expected, build


def _python(site_dir: SiteDir, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Python in the site's folder, with a fixed build date (builds compare byte for byte)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1761091200"}
    return subprocess.run(
        [sys.executable, *arguments], cwd=site_dir.root, capture_output=True, text=True, check=False, env=env
    )
