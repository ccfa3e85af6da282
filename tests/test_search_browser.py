"""The archive's search in a real browser, on the demonstration archive built for real: what a
researcher types and ticks, what comes back, and that the counts agree with the term pages.

Expected events are read from the term pages' own tables (the links to `#event-<id>`), so the
search and the pages it must agree with are checked against each other, not against this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page

from browser import Watched, chromium, serious_accessibility_violations, served
from conftest import REPO
from htmlcheck import soup

READY = "#ca-search[data-ready=true]"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("demo-search") / "site"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=True))
    return site


@pytest.fixture(scope="module")
def base(demo: Path) -> Iterator[str]:
    with served(demo) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _search(page: Page, base: str, query: str = "") -> Watched:
    watched = Watched(page)
    page.goto(f"{base}search/{query}")
    page.wait_for_selector(READY)
    return watched


def _open_filter(page: Page, name: str) -> None:
    """Open a filter's panel as a reader does; its counts come with the next results."""
    page.click(f'details[data-filter="{name}"] > summary')
    page.wait_for_selector(f'details[data-filter="{name}"][open] fieldset')
    page.wait_for_selector(READY)


def _result_events(page: Page) -> list[str]:
    return [
        str(a.get_attribute("href")).rpartition("#event-")[2]
        for a in page.query_selector_all("#ca-search-results tbody tr td:last-child a")
    ]


def _listed_events(demo: Path, page: str) -> set[str]:
    html = soup(demo / page / "index.html")
    return {
        str(a["href"]).rpartition("#event-")[2]
        for a in html.select("table.ca-events tbody a[href*='#event-']")
    }


def _total(demo: Path, page: str, name: str = "events") -> int:
    html = soup(demo / page / "index.html")
    return int(html.select_one(f'[data-total="{name}"]').get_text(strip=True).replace(",", ""))


def test_a_word_finds_the_event_it_is_about(page: Page, base: str) -> None:
    watched = _search(page, base, "?q=Transfiguration")
    assert _result_events(page) == ["2023-07-odesa-transfiguration-cathedral-strike-e1"]
    assert "1 event matching “Transfiguration”" in page.inner_text("#ca-search-status")
    assert watched.errors == []


def test_the_researchers_question_in_one_page_view(page: Page, base: str, demo: Path) -> None:
    """Every shelling or missile attack on Odesa Oblast in 2023, newest first, with figures."""
    query = urlencode(
        {"region": "Odesa Oblast", "event_type": "Shelling/artillery/missile attack", "year": "2023"}
    )
    _search(page, base, f"?{query}")
    in_2023 = set().union(
        *(_listed_events(demo, f"dates/2023/{p.parent.name}") for p in demo.glob("dates/2023/*/index.html"))
    )
    expected = (
        _listed_events(demo, "regions/odesa-oblast")
        & _listed_events(demo, "event-types/shelling-artillery-missile-attack")
        & in_2023
    )
    found = _result_events(page)
    assert sorted(found) == sorted(expected) and len(found) == 4
    dates = [
        row.inner_text().split("\t")[0] for row in page.query_selector_all("#ca-search-results tbody tr")
    ]
    assert dates == sorted(dates, reverse=True), "newest first"
    header = [th.inner_text() for th in page.query_selector_all("#ca-search-results thead th")]
    assert header == ["Date", "Place", "Type", "Killed", "Injured", "Report"]


@pytest.mark.parametrize(
    ("filter_name", "taxonomy"),
    [
        ("region", "regions"),
        ("event_type", "event-types"),
        ("weapon", "weapons"),
        ("actor", "actors"),
        ("tag", "tags"),
        ("year", "dates"),
    ],
)
def test_every_facet_count_equals_its_term_pages_total(
    page: Page, base: str, demo: Path, filter_name: str, taxonomy: str
) -> None:
    _search(page, base)
    _open_filter(page, filter_name)
    counts = {}
    for item in page.query_selector_all(f'details[data-filter="{filter_name}"] li'):
        value, count = re.fullmatch(r"(.+) \(([\d,]+)\)", item.inner_text().strip()).groups()  # type: ignore[union-attr]
        counts[value] = int(count.replace(",", ""))
    pages = {}
    for term in (demo / taxonomy).glob("*/index.html"):
        html = soup(term)
        events = _total(demo, str(term.parent.relative_to(demo)))
        if events:
            pages[html.select_one("article h1").get_text(strip=True)] = events
    assert len(pages) > 1 and counts == pages


def test_the_query_lives_in_the_url_and_the_back_button_returns_to_it(page: Page, base: str) -> None:
    _search(page, base)
    page.fill("#ca-search-q", "drone")
    page.press("#ca-search-q", "Enter")
    page.wait_for_function("() => location.search.includes('q=drone')")
    page.wait_for_selector(READY)
    assert page.inner_text("#ca-search-status").startswith("28 events matching “drone”")
    assert len(_result_events(page)) == 25, "a page of rows at a time"
    page.click("#ca-search-more")
    page.wait_for_function("() => document.querySelectorAll('#ca-search-results tbody tr').length === 28")
    assert page.is_hidden("#ca-search-more")
    first = _result_events(page)
    _open_filter(page, "region")
    page.check('details[data-filter="region"] input[value="Odesa Oblast"]')
    page.wait_for_selector(READY)
    assert "region=Odesa+Oblast" in page.url
    narrowed = _result_events(page)
    assert set(narrowed) < set(first) and page.inner_text("#ca-search-status").startswith("5 events")
    shared = page.url
    page.go_back()
    page.wait_for_function("() => !location.search.includes('region=')")
    page.wait_for_selector(READY)
    assert _result_events(page) == first[:25] and page.input_value("#ca-search-q") == "drone"
    page.goto(shared)
    page.wait_for_selector(READY)
    assert _result_events(page) == narrowed
    assert page.is_checked('details[data-filter="region"] input[value="Odesa Oblast"]')


def test_a_query_fetches_the_files_of_the_filters_it_uses_and_of_the_panels_opened(
    page: Page, base: str
) -> None:
    """A filter's file holds every record's values for it: a query fetches those of its own
    filters from the events' index alone, and a panel's when a reader opens it."""
    watched = _search(page, base, "?q=drone&region=Kyiv")
    filter_files = lambda: {url for url in watched.fetched if url.endswith(".pf_filter")}  # noqa: E731
    index_files = [url.partition("/pagefind/")[2] for url in watched.fetched if ".pf_" in url]
    assert index_files and all(url.startswith("events/") for url in index_files), "nothing of the articles'"
    assert len(filter_files()) == 1
    assert page.query_selector('details[data-filter="weapon"][open]') is None
    assert page.is_checked('details[data-filter="region"][open] input[value="Kyiv"]')
    _open_filter(page, "weapon")
    assert len(filter_files()) == 2
    events_only = len(watched.fetched)
    page.check("input[name=kind][value=article]")  # the articles' index, and nothing of the events'
    page.wait_for_function("() => location.search.includes('kind=article')")
    page.wait_for_selector(READY)
    later = [url.partition("/pagefind/")[2] for url in watched.fetched[events_only:] if ".pf_" in url]
    assert later and not any(url.startswith("events/") for url in later)
    counts = page.query_selector_all('details[data-filter="weapon"] li')
    assert counts and all(re.search(r"\(\d+\)$", item.inner_text().strip()) for item in counts)
    assert watched.errors == []


def test_the_header_box_does_not_bring_the_events_into_an_article_query(page: Page, base: str) -> None:
    """The header box searches both indexes; the search page's article queries stay on the
    articles' index all the same."""
    watched = _search(page, base, "?kind=article&q=drone")
    page.fill("#ca-header-q", "Hroza")
    page.wait_for_selector("#ca-header-results a[href*='#event-']")
    page.wait_for_load_state("networkidle")  # the header box's last files are in
    before = len(watched.fetched)
    page.fill("#ca-search-q", "strike")
    page.press("#ca-search-q", "Enter")
    page.wait_for_function("() => location.search.includes('q=strike')")
    page.wait_for_selector(READY)
    later = [url for url in watched.fetched[before:] if ".pf_" in url]
    assert later and not any("/pagefind/events/" in url for url in later)
    assert watched.errors == []


def test_filters_only_events_have_are_left_out_of_an_article_search(page: Page, base: str) -> None:
    _search(page, base, "?kind=article&killed=reported&q=strike")
    assert page.query_selector('details[data-filter="killed"]') is None
    assert page.query_selector('details[data-filter="region"]') is not None
    assert not page.inner_text("#ca-search-status").startswith("0 "), "not narrowed by a filter articles lack"
    page.check("input[name=kind][value=event]")
    page.wait_for_function("() => !location.search.includes('kind=article')")
    page.wait_for_selector(READY)
    assert "killed=" not in page.url


def test_a_panel_closed_by_the_reader_stays_closed_and_one_opened_stays_open(page: Page, base: str) -> None:
    _search(page, base, "?region=Kyiv")
    page.click('details[data-filter="region"] > summary')  # chosen, so open: now closed
    page.select_option("#ca-search-sort", "oldest")
    page.wait_for_function("() => location.search.includes('sort=oldest')")
    page.wait_for_selector(READY)
    assert page.query_selector('details[data-filter="region"][open]') is None
    assert page.is_checked('details[data-filter="region"] input[value="Kyiv"]')
    page.click('details[data-filter="region"] > summary')
    page.select_option("#ca-search-sort", "newest")
    page.wait_for_function("() => location.search.includes('sort=newest')")
    page.wait_for_selector(READY)
    assert page.query_selector('details[data-filter="region"][open]') is not None


def test_unticking_the_last_value_keeps_the_panel_open_the_focus_and_its_counts_in_either_kind(
    page: Page, base: str
) -> None:
    _search(page, base, "?region=Kyiv")
    page.focus('details[data-filter="region"] input[value="Kyiv"]')
    page.keyboard.press("Space")
    page.wait_for_function("() => !location.search.includes('region=')")
    page.wait_for_selector(READY)
    assert page.query_selector('details[data-filter="region"][open]') is not None
    assert page.evaluate("() => document.activeElement.value") == "Kyiv"
    page.check("input[name=kind][value=article]")
    page.wait_for_function("() => location.search.includes('kind=article')")
    page.wait_for_selector(READY)
    assert page.query_selector('details[data-filter="region"][open] li input[value="Kyiv"]') is not None


def test_articles_are_not_sorted_by_figures_they_do_not_have(page: Page, base: str) -> None:
    _search(page, base, "?kind=article&sort=killed")
    assert page.input_value("#ca-search-sort") == "newest"
    assert page.is_disabled('#ca-search-sort option[value="killed"]')
    assert page.is_hidden("#ca-search-sort-note")
    rows = page.query_selector_all("#ca-search-results tbody tr")
    dates = [row.inner_text().split("\t")[0] for row in rows]
    assert dates and dates == sorted(dates, reverse=True)


def test_a_month_range_and_a_sort_by_figures(page: Page, base: str, demo: Path) -> None:
    _search(page, base, "?from=2023-07&to=2023-07&sort=killed")
    july = _listed_events(demo, "dates/2023/07")
    found = _result_events(page)
    html = soup(demo / "dates/2023/07/index.html")
    reported = {
        str(row.select("a[href*='#event-']")[-1]["href"]).rpartition("#event-")[2]
        for row in html.select("table.ca-events tbody tr")
        if "not reported" not in row.select("td")[3].get_text()
    }
    assert set(found) == reported and reported < july, "events without a killed figure drop out of that sort"
    assert "left out of this sort" in page.inner_text("#ca-search-sort-note")


def test_each_term_page_links_to_the_search_filtered_on_it(page: Page, base: str) -> None:
    page.goto(f"{base}regions/odesa-oblast/")
    page.click("text=Search and filter these events")
    page.wait_for_selector(READY)
    assert page.is_checked('details[data-filter="region"] input[value="Odesa Oblast"]')
    assert page.inner_text("#ca-search-status").startswith("6 events")


def test_the_header_box_finds_an_event(page: Page, base: str) -> None:
    watched = Watched(page)
    page.goto(base)
    page.fill("#ca-header-q", "Hroza")
    link = page.wait_for_selector("#ca-header-results a[href*='#event-']")
    assert link is not None and "hroza-cafe-missile-strike" in str(link.get_attribute("href"))
    link.click()
    page.wait_for_url(re.compile(r".*hroza-cafe-missile-strike/#event-"))
    assert watched.errors == []


def test_the_search_page_works_from_the_keyboard(page: Page, base: str) -> None:
    _search(page, base)
    page.focus("#ca-search-q")
    page.keyboard.type("Kramatorsk")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('q=Kramatorsk')")
    page.wait_for_selector(READY)
    assert _result_events(page)
    page.keyboard.press("Tab")  # to the Search button: its focus is visible
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.focus('details[data-filter="region"] > summary')
    page.keyboard.press("Enter")  # opens the panel; its counts come, and focus stays on it
    page.wait_for_selector('details[data-filter="region"][open] li input')
    page.wait_for_selector(READY)
    assert page.evaluate("() => document.activeElement.dataset.panel") == "region"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # ticks the first place
    page.wait_for_function("() => location.search.includes('region=')")
    page.wait_for_selector(READY)
    assert page.evaluate("() => document.activeElement.name") == "region", "focus stays on the ticked box"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_and_no_console_error(page: Page, base: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    watched = _search(page, base, "?region=Kyiv")
    assert serious_accessibility_violations(page) == []
    assert watched.errors == []


def test_usable_on_a_390_pixel_phone(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    watched = _search(page, base, "?region=Kyiv")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.is_visible("#ca-header-q") and page.is_visible("#ca-search-q")
    assert watched.errors == []
    context.close()


def test_opened_from_disk_the_page_points_to_the_browse_pages(page: Page, demo: Path) -> None:
    page.goto((demo / "search" / "index.html").as_uri())
    assert page.is_visible("#ca-search-offline")
    assert page.get_attribute("#ca-search-offline a", "href") == "../browse/"
