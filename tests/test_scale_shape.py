"""The shape of growth, not its speed: generated pages grow linearly with the archive, every
listing page holds at most page_size rows, and the largest page does not grow with it.
(Timings belong to `make bench`, not to tests: the machines are shared and noisy.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import bench

PAGE_SIZE = 10


def _build(root: Path, size: int) -> dict[str, int]:
    bench.generate(root, size)
    site = root / "plugin"
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        config.replace("  - conflict-archive\n", f"  - conflict-archive:\n      page_size: {PAGE_SIZE}\n"),
        encoding="utf-8",
    )
    build(load_config(str(site / "mkdocs.yml")))
    pages = sorted((site / "site").rglob("*.html"))
    rows = 0
    for page in pages:
        if "/articles/" in page.as_posix():
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        rows = max(rows, len(soup.select(".ca-events tbody tr")), len(soup.select("li[data-article]")))
    articles = sum(1 for p in pages if "/articles/" in p.as_posix())
    return {
        "articles": articles,
        "generated": len(pages) - articles,
        "largest": max(p.stat().st_size for p in pages),
        "rows": rows,
    }


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def test_growth_is_linear_and_pages_stay_bounded(tmp_path: Path) -> None:
    small = _build(tmp_path / "small", 60)
    large = _build(tmp_path / "large", 240)
    assert (small["articles"], large["articles"]) == (60, 240)
    # Four times the articles: at most about four times the generated pages (listings split
    # into pages, plus a fixed number of index and term pages), so pages per article stay flat.
    assert large["generated"] <= 4.4 * small["generated"]
    assert large["generated"] / large["articles"] <= 1.1 * small["generated"] / small["articles"]
    assert max(small["rows"], large["rows"]) <= PAGE_SIZE
    # The largest page is an article page or a full listing page: it does not grow with N.
    assert large["largest"] <= 1.25 * small["largest"]
