"""The demonstration site's pictures tell the same numbers as its text: every timeline's bars
and ranges add up to the totals printed on its page, every event with coordinates has exactly
one mark on the archive's map and on the map of each region it is filed under, the home page
shows the archive at a glance, and an article with many events opens with a table of them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conflict_archive.archive import Archive, load_archive
from conflict_archive.index import ArchiveIndex
from conflict_archive.render import OVERVIEW_MARKER
from conftest import REPO
from htmlcheck import page_url, resolve, soup

FIGURE = re.compile(r"(?P<open>at least )?(?P<low>[\d,]+)(?:–(?P<high>[\d,]+))?")


@cache
def _archive() -> Archive:
    return load_archive(REPO / "articles")


@cache
def _index() -> ArchiveIndex:
    archive = _archive()
    return ArchiveIndex(archive.articles, archive.vocabularies)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _total(page: BeautifulSoup, name: str) -> tuple[int, int | None] | None:
    """A printed total as (low, high): high None when open; None when not reported."""
    text = page.select_one(f'.ca-totals dd[data-total="{name}"]').get_text()  # type: ignore[union-attr]
    if text.startswith("not reported"):
        return None
    match = FIGURE.match(text)
    assert match, text
    low = _number(match["low"])
    if match["open"]:
        return low, None
    return low, _number(match["high"]) if match["high"] else low


def _drawn(timeline: Tag, name: str) -> tuple[int, int | None] | None:
    """The ranges a timeline draws for `killed` or `injured`, added up like the totals are."""
    ranges = timeline.select(f".ca-range.ca-{name}")
    if not ranges:
        return None
    low = sum(int(str(r["data-low"])) for r in ranges)
    if any(not r.has_attr("data-high") for r in ranges):
        return low, None
    return low, sum(int(str(r["data-high"])) for r in ranges)


def _pages_with_timelines(site: Path) -> list[Path]:
    pages = [site / "index.html", site / "dates" / "index.html"]
    pages += sorted((site / "dates").glob("[0-9][0-9][0-9][0-9]/index.html"))
    for taxonomy in ("regions", "actors", "event-types", "weapons", "tags"):
        pages += sorted((site / taxonomy).glob("*/index.html"))
    return pages


def test_every_timeline_adds_up_to_the_totals_on_its_page(demo_site: Path) -> None:
    checked = 0
    for path in _pages_with_timelines(demo_site):
        page = soup(path)
        timeline = page.select_one("figure.ca-timeline")
        totals = page.select_one(".ca-totals")
        if totals is None:  # the dates index: a row per year instead
            events = sum(_number(td.get_text()) for td in page.select('td[data-total="events"]'))
        else:
            events = _number(totals.select_one('dd[data-total="events"]').get_text())  # type: ignore[union-attr]
        if events == 0:
            assert timeline is None, path
            continue
        assert timeline is not None, path
        bars = timeline.select("rect.ca-bar")
        assert sum(int(str(bar["data-events"])) for bar in bars) == events, path
        if totals is not None:
            for name in ("killed", "injured"):
                assert _drawn(timeline, name) == _total(page, name), (path, name)
        svg = timeline.select_one("svg")
        assert svg is not None and svg.get("role") == "img"
        labels = str(svg["aria-labelledby"]).split()
        assert [page.find(id=label).name for label in labels] == ["title", "desc"]  # type: ignore[union-attr]
        # The same numbers, as a table: every month with events, its count.
        rows = timeline.select("table tbody tr")
        assert {str(r["data-month"]): _number(r.select("td")[0].get_text()) for r in rows} == {
            str(bar["data-month"]): int(str(bar["data-events"])) for bar in bars
        }, path
        checked += 1
    assert checked > 50


def _marks(page: BeautifulSoup) -> dict[str, Tag]:
    """Each event id on the page's map -> the mark that holds it (an id twice fails)."""
    figure = page.select_one("figure.ca-map")
    assert figure is not None
    held: dict[str, Tag] = {}
    for mark in figure.select("a.ca-map-mark"):
        ids = str(mark["data-events"]).split()
        assert len(ids) == int(str(mark["data-count"]))
        for event_id in ids:
            assert event_id not in held, event_id
            held[event_id] = mark
    return held


def _inside_the_frame(page: BeautifulSoup) -> None:
    svg = page.select_one("figure.ca-map svg.ca-map-canvas")
    assert svg is not None
    # html.parser gives attribute names in lower case.
    x0, y0, width, height = (float(n) for n in str(svg["viewbox"]).split())
    for circle in svg.select("a.ca-map-mark circle"):
        cx, cy = float(str(circle["cx"])), float(str(circle["cy"]))
        assert x0 <= cx <= x0 + width and y0 <= cy <= y0 + height, circle


def test_every_located_event_has_exactly_one_mark_on_the_archive_map(demo_site: Path) -> None:
    located = {e.id for a in _archive().articles for e in a.events if e.coordinates is not None}
    assert len(located) > 40
    for path in (demo_site / "map" / "index.html", demo_site / "index.html"):
        page = soup(path)
        assert set(_marks(page)) == located, path
        _inside_the_frame(page)


def test_every_region_map_marks_each_of_its_located_events_once(demo_site: Path) -> None:
    index = _index()
    for key, listing in index.terms["regions"].items():
        page = soup(demo_site / "regions" / key / "index.html")
        located = {e.id for e in listing.events if e.coordinates is not None}
        if not listing.events:
            assert page.select_one("figure.ca-map") is None
            continue
        assert set(_marks(page)) == located, key
        _inside_the_frame(page)


def test_a_mark_leads_to_its_event_or_to_the_place_its_events_share(demo_site: Path) -> None:
    path = demo_site / "map" / "index.html"
    url = page_url(demo_site, path)
    by_id = {e.id: e for a in _archive().articles for e in a.events}
    regions = _archive().vocabularies["regions"]
    for event_id, mark in _marks(soup(path)).items():
        target = resolve(demo_site, url, str(mark["href"]))
        assert target is not None
        file, fragment = target
        if mark["data-count"] == "1":
            assert fragment == f"event-{event_id}"
            assert soup(file).find(id=fragment) is not None
        else:  # several events: the narrowest region that holds them all, or the regions index
            assert file.is_file() and not fragment
            ids = str(mark["data-events"]).split()
            lineages = [(by_id[i].region, *regions.ancestors(by_id[i].region)) for i in ids]
            shared = [key for key in lineages[0] if all(key in lineage for lineage in lineages)]
            assert file.parent.name == (shared[0] if shared else "regions"), (event_id, file)


def test_how_precisely_a_place_is_known_shows_on_its_mark(demo_site: Path) -> None:
    by_id = {e.id: e for a in _archive().articles for e in a.events}
    marks = _marks(soup(demo_site / "map" / "index.html"))
    classes = {
        event_id: "exact" if "ca-map-exact" in mark["class"] else "area" for event_id, mark in marks.items()
    }
    assert set(classes.values()) == {"exact", "area"}
    for event_id, kind in classes.items():
        event = by_id[event_id]
        # A point of its own, unless the editor said it stands for a wider area.
        own = not event.coordinates_from_region and event.location_precision in {None, "exact", "near"}
        assert kind == ("exact" if own else "area"), event_id


def test_a_month_page_maps_its_events(demo_site: Path) -> None:
    index = _index()
    (year, month), listing = max(index.months.items(), key=lambda item: len(item[1].events))
    page = soup(demo_site / "dates" / f"{year:04d}" / f"{month:02d}" / "index.html")
    assert set(_marks(page)) == {e.id for e in listing.events if e.coordinates is not None}


def test_the_home_page_shows_the_archive_at_a_glance(demo_site: Path) -> None:
    page = soup(demo_site / "index.html")
    assert OVERVIEW_MARKER not in (demo_site / "index.html").read_text(encoding="utf-8")
    overview = page.select_one("section.ca-overview")
    assert overview is not None
    archive = _archive()
    events = [e for a in archive.articles for e in a.events]
    assert _number(overview.select_one('dd[data-total="events"]').get_text()) == len(events)  # type: ignore[union-attr]
    assert _number(overview.select_one('dd[data-total="articles"]').get_text()) == len(archive.articles)  # type: ignore[union-attr]
    first, last = (t["datetime"] for t in overview.select(".ca-span time"))
    assert first == min(e.start for e in events).isoformat()
    assert last == max(e.end for e in events).isoformat()
    newest = sorted(archive.articles, key=lambda a: a.newest_first_key)[:5]
    assert [li["data-article"] for li in overview.select("ul.ca-articles li")] == [a.path for a in newest]
    busiest = overview.select("ol.ca-busiest li")
    counts = [_number(li.select_one(".ca-count").get_text().split()[0]) for li in busiest]  # type: ignore[union-attr]
    assert len(busiest) >= 5 and counts == sorted(counts, reverse=True)
    # The editor's own text stays around it.
    assert "demonstration archive" in page.select_one("article").get_text()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("article", "rows"),
    [("2025/10/overnight-attacks-on-kyiv-zaporizhzhia-and-izmail", 8)],
)
def test_an_article_with_many_events_opens_with_a_table_of_them(
    demo_site: Path, article: str, rows: int
) -> None:
    path = demo_site / "articles" / article / "index.html"
    page = soup(path)
    table = page.select_one("table.ca-event-overview")
    assert table is not None
    links = table.select("tbody tr td:first-child a")
    assert len(links) == rows
    boxes = page.select(".ca-event")
    assert [str(a["href"]) for a in links] == [f"#{box['id']}" for box in boxes]
    # The table comes before the first box.
    assert table.find_next(class_="ca-event") is boxes[0]


def test_an_article_with_few_events_has_no_table_of_them(demo_site: Path) -> None:
    few = [a for a in _archive().articles if 0 < len(a.events) < 3]
    assert few
    for article in few:
        page = soup(demo_site / "articles" / article.slug / "index.html")
        assert page.select_one("table.ca-event-overview") is None, article.path
