"""The archive's search through the real MkDocs build: the index, the search page, the links
to it, and the options that turn it into Material's search or off."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from conflict_archive.execution import search_index
from conflict_archive.search_records import SearchRecord, SearchRecords
from conftest import SiteDir, synthetic_article, synthetic_event


def _archive(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/10/one.md",
        synthetic_article(
            1,
            events=[synthetic_event(region="kyiv-dniprovskyi", killed=2), synthetic_event(region="odesa")],
        ),
    )
    site_dir.article("2025/09/two.md", synthetic_article(2, date="2025-09-02", tags=["Synthetic tag"]))


def _records(site_dir: SiteDir, bundle: str) -> int:
    """The records in one of the two indexes: `pagefind/` (articles and pages), `pagefind/events/`."""
    entry = json.loads((site_dir.site / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return int(entry["languages"]["en"]["page_count"])


def test_the_index_holds_every_article_every_event_and_the_sites_own_pages(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.configure(search="pagefind")
    site_dir.build()
    assert _records(site_dir, "pagefind") == 2 + 1  # the articles and docs/index.md
    assert _records(site_dir, "pagefind/events") == 2
    assert not (site_dir.site / "search" / "search_index.json").exists(), "Material's index is not made"
    form = site_dir.html("search/")
    assert form.select_one("#ca-search-form input[name=q]") is not None
    assert json.loads(str(form.select_one("#ca-search")["data-filters"]))[1] == ["region", "Region"]
    assert form.select_one("#ca-search-offline a")["href"] == "../browse/"
    for page in ("", "articles/2025/10/one/", "regions/kyiv/", "search/"):
        scripts = [s.get("src", "") for s in site_dir.html(page).select("script")]
        assert any(str(s).endswith("assets/conflict_archive_search.js") for s in scripts), page


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("regions/kyiv/", "../../search/?region=Kyiv"),
        ("actors/russian-armed-forces/", "../../search/?actor=Military+Forces+of+Russia"),
        ("event-types/air-drone-strike/", "../../search/?event_type=Air%2Fdrone+strike"),
        ("tags/synthetic-tag/", "../../search/?tag=Synthetic+tag&kind=article"),
        ("dates/2025/10/", "../../../search/?from=2025-10&to=2025-10"),
        ("dates/2025/", "../../search/?year=2025"),
    ],
)
def test_listing_pages_link_to_the_search_filtered_on_them(site_dir: SiteDir, page: str, link: str) -> None:
    _archive(site_dir)
    site_dir.configure(search="pagefind")
    site_dir.build()
    found = site_dir.html(page).select_one(".ca-search-link a")
    assert found is not None and found["href"] == link


def test_search_off_adds_no_index_no_page_and_no_links(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.configure(search="off")
    site_dir.build()
    assert not (site_dir.site / "pagefind").exists() and not (site_dir.site / "search").exists()
    assert site_dir.html("regions/kyiv/").select_one(".ca-search-link") is None
    assert not (site_dir.site / "assets" / "conflict_archive_search.js").exists()


def test_beside_materials_search_the_archive_says_there_would_be_two_boxes(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir)
    site_dir.configure(search="pagefind")
    site_dir.add_plugins("- search")
    site_dir.build(strict=False)
    assert "Material's search plugin is on beside the archive's search" in caplog.text
    index = json.loads((site_dir.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith("articles/")], (
        "in Pagefind's index instead"
    )


def test_a_serve_rebuild_indexes_the_edited_archive(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir)
    site_dir.configure(search="pagefind")
    MkDocsConfig.plugins.plugin_cache.clear()
    config = load_config(str(site_dir.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    site_dir.article("2025/11/three.md", synthetic_article(3, date="2025-11-02", events=[synthetic_event()]))
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive")
    build(load_config(str(site_dir.root / "mkdocs.yml")))
    assert _records(site_dir, "pagefind") == 3 + 1 and _records(site_dir, "pagefind/events") == 3
    assert "search index: 7 records" in caplog.text


def _build_fails(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.configure(search="pagefind")
    with pytest.raises(Abort):
        site_dir.build()


def test_an_index_that_cannot_be_made_fails_the_build_with_the_reason(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The events' index is made after the articles': its failure is reported all the same."""

    def broken(self: SearchRecords) -> Iterator[SearchRecord]:
        yield from ()
        raise ValueError("synthetic failure while making an event's record")

    monkeypatch.setattr(SearchRecords, "event_records", broken)
    _build_fails(site_dir)
    assert "the search index could not be written: synthetic failure while making an event" in caplog.text
    assert (site_dir.site / "pagefind" / "pagefind-entry.json").is_file(), "the articles' index came first"
    assert not (site_dir.site / "pagefind" / "events" / "pagefind-entry.json").exists()


def test_a_missing_indexer_fails_the_build_at_once_with_the_reason(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise ModuleNotFoundError("No module named 'pagefind_bin'")

    monkeypatch.setattr(search_index, "pagefind_executable", missing)
    _build_fails(site_dir)
    assert (
        "the search index could not be made: Pagefind's indexer is not installed "
        "(No module named 'pagefind_bin')" in caplog.text
    )
    assert not (site_dir.site / "pagefind").exists()
