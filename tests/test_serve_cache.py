"""Rebuilds in `mkdocs serve` reuse validated articles by content, and never serve stale pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from conflict_archive.archive import load_archive
from conflict_archive.cache import ArticleCache
from conflict_archive.plugin import ConflictArchivePlugin
from conflict_archive.problems import ArchiveError
from conftest import SiteDir, synthetic_article, synthetic_event
from htmlcheck import forget_parsed_pages


def _three_articles(site_dir: SiteDir) -> None:
    for n in range(1, 4):
        site_dir.article(f"2025/report-{n}.md", synthetic_article(n, events=[synthetic_event(killed=n)]))


def test_only_changed_articles_are_read_again(site_dir: SiteDir) -> None:
    _three_articles(site_dir)
    cache = ArticleCache()
    first = load_archive(site_dir.articles, cache=cache)
    assert (cache.hits, cache.misses) == (0, 3)
    again = load_archive(site_dir.articles, cache=cache)
    assert (cache.hits, cache.misses) == (3, 0)
    assert again.articles == first.articles
    site_dir.article("2025/report-2.md", synthetic_article(2, events=[synthetic_event(killed=20)]))
    edited = load_archive(site_dir.articles, cache=cache)
    assert (cache.hits, cache.misses) == (2, 1)
    killed = {a.path: a.events[0].killed for a in edited.articles}
    assert str(killed["2025/report-2.md"]) == "20"


def test_a_vocabulary_change_reads_everything_again(site_dir: SiteDir) -> None:
    _three_articles(site_dir)
    cache = ArticleCache()
    load_archive(site_dir.articles, cache=cache)
    site_dir.write("_vocabulary/regions.yml", "synthetic-town: {name: Synthetic town, parent: kyiv}\n")
    load_archive(site_dir.articles, cache=cache)
    assert (cache.hits, cache.misses) == (0, 3)


def test_an_article_with_problems_is_reported_on_every_build(site_dir: SiteDir) -> None:
    _three_articles(site_dir)
    site_dir.article("2025/bad.md", synthetic_article(4, events=[synthetic_event(killed=-1)]))
    cache = ArticleCache()
    for _ in range(2):
        with pytest.raises(ArchiveError, match=r"bad\.md"):
            load_archive(site_dir.articles, cache=cache)
    assert cache.misses == 1  # the bad file, read again; the others come from the cache


def _serve_build(site_dir: SiteDir, first: bool = False) -> MkDocsConfig:
    """One build as `mkdocs serve` does it: the configuration is read again, and plugins that
    define on_startup are the same instances as in the previous build."""
    config = load_config(str(site_dir.root / "mkdocs.yml"))
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    forget_parsed_pages()
    build(config)
    return config


def test_serve_rebuilds_reuse_the_plugin_and_show_the_edit(site_dir: SiteDir) -> None:
    _three_articles(site_dir)
    config = _serve_build(site_dir, first=True)
    plugin = config.plugins["conflict-archive"]
    assert isinstance(plugin, ConflictArchivePlugin)
    site_dir.article("2025/report-3.md", synthetic_article(3, events=[synthetic_event(killed=33)]))
    config = _serve_build(site_dir)
    assert config.plugins["conflict-archive"] is plugin
    assert (plugin.article_cache.hits, plugin.article_cache.misses) == (2, 1)
    box = site_dir.html("articles/2025/report-3/").select_one('[data-field="killed"]')
    assert box.get_text(strip=True) == "33"
    kyiv = site_dir.html("regions/kyiv/")
    assert kyiv.select_one('[data-total="killed"]').get_text(strip=True) == "36"  # 1 + 2 + 33


def test_serve_rebuild_after_a_broken_edit_fails_then_recovers(site_dir: SiteDir, tmp_path: Path) -> None:
    _three_articles(site_dir)
    _serve_build(site_dir, first=True)
    good = (site_dir.articles / "2025/report-1.md").read_text(encoding="utf-8")
    (site_dir.articles / "2025/report-1.md").write_text(good.replace("killed: 1", "killed: -1"), "utf-8")
    with pytest.raises(Abort):
        _serve_build(site_dir)
    (site_dir.articles / "2025/report-1.md").write_text(good, encoding="utf-8")
    _serve_build(site_dir)
    box = site_dir.html("articles/2025/report-1/").select_one('[data-field="killed"]')
    assert box.get_text(strip=True) == "1"


def test_serve_renders_boxes_afresh_when_a_template_changes(site_dir: SiteDir) -> None:
    _three_articles(site_dir)
    templates = site_dir.root / "overrides"
    templates.mkdir()
    site_dir.configure(templates_dir="overrides")
    _serve_build(site_dir, first=True)
    assert site_dir.html("articles/2025/report-1/").select_one("aside.ca-event:not(.custom)")
    (templates / "event.html").write_text(
        '<aside class="ca-event custom" id="event-{{ event.id }}">{{ event.killed | figure }}</aside>\n',
        encoding="utf-8",
    )
    _serve_build(site_dir)
    assert site_dir.html("articles/2025/report-1/").select_one("aside.ca-event.custom").get_text() == "1"
    site_dir.configure(templates_dir="overrides", raw_html="sanitize")  # same scheme: reused
    _serve_build(site_dir)
    assert site_dir.html("articles/2025/report-2/").select_one("aside.ca-event.custom").get_text() == "2"
