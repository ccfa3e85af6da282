"""The researcher's question on `make bench`'s synthetic archive of 10,000 articles (about
20,000 events), built for real with the archive's search and asked in a real browser: every
shelling or missile attack on Odesa Oblast in one year, newest first, with its figures, in one
page view. What the page must show is worked out from the archive by the core's own index,
the one the term pages are made from.

Bytes and seconds are `make bench`'s to report, not this test's (shared machines are noisy);
what is checked here is what a researcher reads, and that the query fetched only the index
and the filters it needs."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Page

from browser import Watched, chromium, served
from conflict_archive.archive import load_archive
from conflict_archive.index import ArchiveIndex
from conflict_archive.labels import format_event_date
from conflict_archive.model import Event
from conflict_archive.render import format_figure
from conflict_archive.search_records import figure_sort_value
from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import bench

SIZE = 10_000
READY = "#ca-search[data-ready=true]"
REGION, EVENT_TYPE = "odesa-oblast", "shelling-artillery-missile-attack"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-at-scale")
    bench.generate(root, SIZE)
    build(load_config(str(root / "plugin" / bench.SEARCH_CONFIG), strict=True))
    return root / "plugin"


@pytest.fixture(scope="module")
def index(synthetic: Path) -> ArchiveIndex:
    archive = load_archive(synthetic / "articles")
    return ArchiveIndex(archive.articles, archive.vocabularies)


@pytest.fixture(scope="module")
def question(index: ArchiveIndex) -> tuple[int, list[Event]]:
    """The year with the most such attacks, and the attacks: what the term pages list for the
    place, the type and the year, intersected."""
    in_region = {id(e) for e in index.terms["regions"][REGION].events}
    events = [e for e in index.terms["event-types"][EVENT_TYPE].events if id(e) in in_region]
    year = Counter(e.start.year for e in events).most_common(1)[0][0]
    return year, [e for e in events if e.start.year == year]


@pytest.fixture(scope="module")
def base(synthetic: Path) -> Iterator[str]:
    with served(synthetic / "site-search") as url:
        yield url


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium() as browser:
        yield browser.new_page()


def _ask(page: Page, base: str, index: ArchiveIndex, year: int, **more: str) -> Watched:
    names = {
        "region": index.vocabularies["regions"][REGION].name,
        "event_type": index.vocabularies["event-types"][EVENT_TYPE].name,
    }
    watched = Watched(page)
    page.goto(f"{base}search/?{urlencode({**names, 'year': str(year), **more})}")
    page.wait_for_selector(READY, timeout=120_000)
    return watched


def _rows(page: Page) -> list[list[str]]:
    return [row.inner_text().split("\t") for row in page.query_selector_all("#ca-search-results tbody tr")]


def test_the_researchers_question_in_one_page_view(
    page: Page, base: str, index: ArchiveIndex, question: tuple[int, list[Event]]
) -> None:
    year, expected = question
    watched = _ask(page, base, index, year)
    assert len(expected) > 25, "more than one page of results, or the question is too easy"
    assert page.inner_text("#ca-search-status") == f"{len(expected):,} events."
    newest = sorted(expected, key=lambda e: e.start, reverse=True)[:25]
    rows = _rows(page)
    assert [row[0] for row in rows] == [format_event_date(e) for e in newest], "newest first"
    ids = {e.id for e in expected}
    links = page.query_selector_all("#ca-search-results tbody tr td:last-child a")
    assert {str(a.get_attribute("href")).rpartition("#event-")[2] for a in links} <= ids
    region = page.inner_text('details[data-filter="region"] li:has(input:checked)')
    assert re.fullmatch(rf".+ \({len(expected):,}\)", region.strip())
    fetched = [url.partition("/pagefind/")[2] for url in watched.fetched if ".pf_" in url]
    assert all(url.startswith("events/") for url in fetched), "the events' index alone"
    assert len([url for url in fetched if url.endswith(".pf_filter")]) == 3, "region, event_type, year"
    assert watched.errors == []


def test_sorted_by_killed_the_most_come_first_and_the_unreported_drop_out(
    page: Page, base: str, index: ArchiveIndex, question: tuple[int, list[Event]]
) -> None:
    year, expected = question
    _ask(page, base, index, year, sort="killed")
    value = {id(e): int(str(figure_sort_value(e.killed))) for e in expected if e.killed is not None}
    assert page.inner_text("#ca-search-status") == f"{len(value):,} events."
    most = sorted(value.values(), reverse=True)[:25]
    by_value = {
        (format_event_date(e), format_figure(e.killed)): value[id(e)] for e in expected if id(e) in value
    }
    shown = [by_value[(row[0], row[3])] for row in _rows(page)]
    assert shown == most
