"""The plan of generated pages (`pages.py`): which typed pages exist and where, how long
listings are split into pages, what each page lists, and when it last changed.

Archives are written to `tmp_path` and read with `load_archive` over the shipped vocabularies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conflict_archive.archive import load_archive
from conflict_archive.index import ArchiveIndex, Listing
from conflict_archive.pages import (
    BrowsePage,
    DatesPage,
    MapPage,
    MonthPage,
    PageSpec,
    TaxonomyPage,
    TermPage,
    YearPage,
    listing_of,
    page_count,
    page_date,
    plan_pages,
)
from conftest import SiteDir, synthetic_article, synthetic_event


def _path(number: int) -> str:
    return f"2025/10/synthetic-{number:06d}.md"


def _index(tmp_path: Path, articles: dict[str, dict[str, Any]]) -> ArchiveIndex:
    site = SiteDir(tmp_path / "site")
    for relative, front in articles.items():
        site.article(relative, front)
    archive = load_archive(site.articles)
    return ArchiveIndex(archive.articles, archive.vocabularies)


def _paged(base: str, pages: int) -> list[str]:
    """The source paths of a listing split into `pages` pages."""
    return [f"{base}/index.md", *(f"{base}/page/{p}/index.md" for p in range(2, pages + 1))]


ONE_ARTICLE = {
    _path(1): synthetic_article(
        1,
        tags=["energy-infrastructure"],
        events=[
            synthetic_event(
                region="kyiv-darnytskyi",
                type="air-drone-strike",
                perpetrators=["russian-armed-forces"],
                weapons=["shahed-136"],
            )
        ],
    )
}


def test_the_plan_of_one_article_every_page_in_order(tmp_path: Path) -> None:
    plan = plan_pages(_index(tmp_path, ONE_ARTICLE), page_size=500, index_page_size=200)
    assert plan == [
        BrowsePage(src_uri="browse/index.md", title="Browse"),
        TaxonomyPage(src_uri="regions/index.md", title="Regions", taxonomy="regions"),
        TermPage(src_uri="regions/kyiv/index.md", title="Kyiv", taxonomy="regions", key="kyiv"),
        TermPage(
            src_uri="regions/kyiv-darnytskyi/index.md",
            title="Darnytskyi district, Kyiv",
            taxonomy="regions",
            key="kyiv-darnytskyi",
        ),
        TermPage(src_uri="regions/ukraine/index.md", title="Ukraine", taxonomy="regions", key="ukraine"),
        TaxonomyPage(src_uri="actors/index.md", title="Actors", taxonomy="actors"),
        TermPage(
            src_uri="actors/russian-armed-forces/index.md",
            title="Military Forces of Russia",
            taxonomy="actors",
            key="russian-armed-forces",
        ),
        TaxonomyPage(src_uri="event-types/index.md", title="Event types", taxonomy="event-types"),
        TermPage(
            src_uri="event-types/air-drone-strike/index.md",
            title="Air/drone strike",
            taxonomy="event-types",
            key="air-drone-strike",
        ),
        TermPage(
            src_uri="event-types/explosions-remote-violence/index.md",
            title="Explosions/Remote violence",
            taxonomy="event-types",
            key="explosions-remote-violence",
        ),
        TaxonomyPage(src_uri="weapons/index.md", title="Weapons", taxonomy="weapons"),
        TermPage(
            src_uri="weapons/drone/index.md", title="Uncrewed aerial vehicle", taxonomy="weapons", key="drone"
        ),
        TermPage(
            src_uri="weapons/shahed-136/index.md",
            title="Shahed-136 one-way attack drone",
            taxonomy="weapons",
            key="shahed-136",
        ),
        TaxonomyPage(src_uri="tags/index.md", title="Tags", taxonomy="tags"),
        TermPage(
            src_uri="tags/energy-infrastructure/index.md",
            title="Energy infrastructure",
            taxonomy="tags",
            key="energy-infrastructure",
        ),
        DatesPage(src_uri="dates/index.md", title="Dates"),
        YearPage(src_uri="dates/2025/index.md", title="2025", year=2025),
        MonthPage(src_uri="dates/2025/10/index.md", title="October 2025", year=2025, month=10),
        MapPage(src_uri="map/index.md", title="Map"),
    ]


def test_every_taxonomy_index_exists_even_when_nothing_is_filed_under_it(tmp_path: Path) -> None:
    plan = plan_pages(_index(tmp_path, {_path(1): synthetic_article(1, date="2024-02-29")}), 500, 200)
    assert plan == [
        BrowsePage(src_uri="browse/index.md", title="Browse"),
        TaxonomyPage(src_uri="regions/index.md", title="Regions", taxonomy="regions"),
        TaxonomyPage(src_uri="actors/index.md", title="Actors", taxonomy="actors"),
        TaxonomyPage(src_uri="event-types/index.md", title="Event types", taxonomy="event-types"),
        TaxonomyPage(src_uri="weapons/index.md", title="Weapons", taxonomy="weapons"),
        TaxonomyPage(src_uri="tags/index.md", title="Tags", taxonomy="tags"),
        DatesPage(src_uri="dates/index.md", title="Dates"),
        YearPage(src_uri="dates/2024/index.md", title="2024", year=2024),
        MonthPage(src_uri="dates/2024/02/index.md", title="February 2024", year=2024, month=2),
        MapPage(src_uri="map/index.md", title="Map"),
    ]


def test_years_and_months_are_planned_oldest_first(tmp_path: Path) -> None:
    index = _index(
        tmp_path,
        {
            _path(1): synthetic_article(1, date="2025-01-10", events=[synthetic_event(date="2025-01-09")]),
            _path(2): synthetic_article(2, date="2025-01-10", events=[synthetic_event(date="2023-12-01")]),
            _path(3): synthetic_article(3, date="2024-07-04"),
        },
    )
    dated = [spec.src_uri for spec in plan_pages(index, 500, 200) if isinstance(spec, YearPage | MonthPage)]
    assert dated == [
        "dates/2023/index.md",
        "dates/2024/index.md",
        "dates/2025/index.md",
        "dates/2023/12/index.md",
        "dates/2024/07/index.md",
        "dates/2025/01/index.md",
    ]


# ---- Listings split into pages ---------------------------------------------------------------

SPLITS = [
    # events in Kyiv in October, articles in Kyiv without events published in October,
    # page_size, pages (rows of events and of articles sit side by side: the longer one counts)
    pytest.param(1, 0, 2, 1, id="one-event"),
    pytest.param(2, 0, 2, 1, id="exactly-one-page"),
    pytest.param(3, 0, 2, 2, id="one-over"),
    pytest.param(5, 0, 2, 3, id="three-pages"),
    pytest.param(0, 1, 2, 1, id="one-article"),
    pytest.param(1, 3, 2, 2, id="articles-longer"),
    pytest.param(3, 3, 2, 2, id="not-added-together"),
    pytest.param(5, 0, 1, 5, id="one-per-page"),
    pytest.param(5, 4, 500, 1, id="default-size"),
]


def _kyiv_archive(events: int, articles: int) -> dict[str, dict[str, Any]]:
    archive = {
        _path(n): synthetic_article(
            n, date="2025-10-25", events=[synthetic_event(id=f"synthetic-e{n}", date=f"2025-10-{n + 1:02d}")]
        )
        for n in range(events)
    }
    archive |= {
        _path(100 + n): synthetic_article(100 + n, date=f"2025-10-{n + 1:02d}", regions=["kyiv"])
        for n in range(articles)
    }
    return archive


@pytest.mark.parametrize(("events", "articles", "page_size", "pages"), SPLITS)
def test_term_and_month_listings_are_split_by_page_size(
    tmp_path: Path, events: int, articles: int, page_size: int, pages: int
) -> None:
    plan = plan_pages(_index(tmp_path, _kyiv_archive(events, articles)), page_size, index_page_size=200)
    for base, wanted in [
        ("regions/kyiv", lambda s: isinstance(s, TermPage) and s.key == "kyiv"),
        ("regions/ukraine", lambda s: isinstance(s, TermPage) and s.key == "ukraine"),
        ("dates/2025/10", lambda s: isinstance(s, MonthPage)),
    ]:
        specs = [s for s in plan if wanted(s)]
        assert [s.src_uri for s in specs] == _paged(base, pages), base
        assert [(s.page, s.pages) for s in specs] == [(p, pages) for p in range(1, pages + 1)], base
    # A year page lists months, not rows: never split.
    assert [s.src_uri for s in plan if isinstance(s, YearPage)] == ["dates/2025/index.md"]


def test_page_two_of_a_term_and_of_a_month(tmp_path: Path) -> None:
    plan = plan_pages(_index(tmp_path, _kyiv_archive(5, 0)), page_size=2, index_page_size=200)
    by_uri = {spec.src_uri: spec for spec in plan}
    assert by_uri["regions/kyiv/page/2/index.md"] == TermPage(
        src_uri="regions/kyiv/page/2/index.md", title="Kyiv", taxonomy="regions", key="kyiv", page=2, pages=3
    )
    assert by_uri["dates/2025/10/page/2/index.md"] == MonthPage(
        src_uri="dates/2025/10/page/2/index.md", title="October 2025", year=2025, month=10, page=2, pages=3
    )
    kyiv = [spec for spec in plan if isinstance(spec, TermPage) and spec.key == "kyiv"]
    assert [(s.numbered_title, s.is_first) for s in kyiv] == [
        ("Kyiv", True),
        ("Kyiv (page 2)", False),
        ("Kyiv (page 3)", False),
    ]


def test_a_tag_is_split_by_its_articles_not_its_events(tmp_path: Path) -> None:
    archive = {
        _path(n): synthetic_article(
            n,
            tags=["railway"],
            events=[synthetic_event(id=f"synthetic-e{n}-{i}") for i in range(3)],
        )
        for n in range(3)
    }
    plan = plan_pages(_index(tmp_path, archive), page_size=2, index_page_size=200)
    # 3 articles at 2 a page; their 9 events would have made 5 pages.
    assert [s.src_uri for s in plan if isinstance(s, TermPage) and s.taxonomy == "tags"] == _paged(
        "tags/railway", 2
    )
    assert [s.src_uri for s in plan if isinstance(s, TermPage) and s.key == "kyiv"] == _paged(
        "regions/kyiv", 5
    )


TAGS = ["energy-infrastructure", "port-infrastructure", "railway", "healthcare", "education"]


@pytest.mark.parametrize(("index_page_size", "pages"), [(1, 5), (2, 3), (4, 2), (5, 1), (200, 1)])
def test_the_tags_index_is_split_by_index_page_size_and_trees_never_are(
    tmp_path: Path, index_page_size: int, pages: int
) -> None:
    # Five tags; Kyiv, Darnytskyi district and Ukraine in the regions tree.
    front = synthetic_article(1, tags=TAGS, events=[synthetic_event(region="kyiv-darnytskyi")])
    plan = plan_pages(_index(tmp_path, {_path(1): front}), page_size=500, index_page_size=index_page_size)
    indexes = {
        taxonomy: [
            (s.src_uri, s.page, s.pages)
            for s in plan
            if isinstance(s, TaxonomyPage) and s.taxonomy == taxonomy
        ]
        for taxonomy in ("regions", "tags")
    }
    assert indexes == {
        "regions": [("regions/index.md", 1, 1)],
        "tags": [(uri, p, pages) for p, uri in enumerate(_paged("tags", pages), start=1)],
    }
    tags_pages = [s for s in plan if isinstance(s, TaxonomyPage) and s.taxonomy == "tags"]
    assert [s.numbered_title for s in tags_pages] == [
        "Tags",
        *(f"Tags (page {p})" for p in range(2, pages + 1)),
    ]


@pytest.mark.parametrize(
    ("spec", "numbered_title", "is_first"),
    [
        (
            TermPage(src_uri="regions/kyiv/index.md", title="Kyiv", taxonomy="regions", key="kyiv"),
            "Kyiv",
            True,
        ),
        (
            TermPage(
                src_uri="regions/kyiv/page/2/index.md",
                title="Kyiv",
                taxonomy="regions",
                key="kyiv",
                page=2,
                pages=2,
            ),
            "Kyiv (page 2)",
            False,
        ),
        (
            MonthPage(
                src_uri="dates/2025/10/page/12/index.md",
                title="October 2025",
                year=2025,
                month=10,
                page=12,
                pages=12,
            ),
            "October 2025 (page 12)",
            False,
        ),
        (TaxonomyPage(src_uri="tags/index.md", title="Tags", taxonomy="tags", pages=3), "Tags", True),
        (BrowsePage(src_uri="browse/index.md", title="Browse"), "Browse", True),
    ],
)
def test_numbered_title_and_is_first(spec: PageSpec, numbered_title: str, is_first: bool) -> None:
    assert spec.numbered_title == numbered_title
    assert spec.is_first is is_first


@pytest.mark.parametrize(
    ("count", "page_size", "pages"),
    [(0, 10, 1), (1, 10, 1), (9, 10, 1), (10, 10, 1), (11, 10, 2), (20, 10, 2), (21, 10, 3), (1000, 1, 1000)],
)
def test_page_count(count: int, page_size: int, pages: int) -> None:
    assert page_count(count, page_size) == pages


# ---- What a page lists, and its date ---------------------------------------------------------

DATED_ARCHIVE = {
    _path(1): synthetic_article(
        1, date="2025-10-23", events=[synthetic_event(date="2025-10-22", region="kyiv")]
    ),
    _path(2): synthetic_article(
        2,
        date="2025-09-05",
        updated="2025-11-20T08:00:00+01:00",
        events=[synthetic_event(date="2025-09-01", region="lviv")],
    ),
    _path(3): synthetic_article(
        3,
        date="2024-08-01",
        corrections=[{"date": "2025-12-01", "note": "Synthetic correction."}],
        events=[synthetic_event(date="2024-07-30", region="bucha")],
    ),
}

LISTED: list[Any] = [
    # spec, the listing it shows (from the index), its date
    pytest.param(
        TermPage(src_uri="regions/kyiv/index.md", title="Kyiv", taxonomy="regions", key="kyiv"),
        lambda index: index.terms["regions"]["kyiv"],
        "2025-10-23",
        id="term-published",
    ),
    pytest.param(
        TermPage(
            src_uri="regions/kyiv/page/2/index.md",
            title="Kyiv",
            taxonomy="regions",
            key="kyiv",
            page=2,
            pages=2,
        ),
        lambda index: index.terms["regions"]["kyiv"],
        "2025-10-23",
        id="term-page-2-same-listing",
    ),
    pytest.param(
        TermPage(src_uri="regions/lviv/index.md", title="Lviv", taxonomy="regions", key="lviv"),
        lambda index: index.terms["regions"]["lviv"],
        "2025-11-20",
        id="term-updated",
    ),
    pytest.param(
        TermPage(src_uri="regions/ukraine/index.md", title="Ukraine", taxonomy="regions", key="ukraine"),
        lambda index: index.terms["regions"]["ukraine"],
        "2025-12-01",
        id="term-corrected",
    ),
    pytest.param(
        MonthPage(src_uri="dates/2025/10/index.md", title="October 2025", year=2025, month=10),
        lambda index: index.months[(2025, 10)],
        "2025-10-23",
        id="month",
    ),
    pytest.param(
        MonthPage(src_uri="dates/2025/09/index.md", title="September 2025", year=2025, month=9),
        lambda index: index.months[(2025, 9)],
        "2025-11-20",
        id="month-updated",
    ),
    pytest.param(
        YearPage(src_uri="dates/2024/index.md", title="2024", year=2024),
        lambda index: index.years[2024],
        "2025-12-01",
        id="year",
    ),
    pytest.param(
        YearPage(src_uri="dates/2025/index.md", title="2025", year=2025),
        lambda index: index.years[2025],
        "2025-11-20",
        id="year-2025",
    ),
    pytest.param(BrowsePage(src_uri="browse/index.md", title="Browse"), None, "2031-01-01", id="browse"),
    pytest.param(
        TaxonomyPage(src_uri="regions/index.md", title="Regions", taxonomy="regions"),
        None,
        "2031-01-01",
        id="index",
    ),
    pytest.param(DatesPage(src_uri="dates/index.md", title="Dates"), None, "2031-01-01", id="dates"),
    pytest.param(MapPage(src_uri="map/index.md", title="Map"), None, "2031-01-01", id="map"),
]


@pytest.mark.parametrize(("spec", "listing", "date"), LISTED)
def test_listing_of_and_page_date(
    tmp_path: Path, spec: PageSpec, listing: Callable[[ArchiveIndex], Listing] | None, date: str
) -> None:
    index = _index(tmp_path, DATED_ARCHIVE)
    if listing is None:
        assert listing_of(index, spec) is None
    else:
        assert listing_of(index, spec) is listing(index)
    # The index pages span everything: they take the date they are given.
    assert page_date(index, spec, newest=dt.date(2031, 1, 1)) == dt.date.fromisoformat(date)


def test_every_planned_page_has_a_listing_or_is_an_index(tmp_path: Path) -> None:
    index = _index(tmp_path, DATED_ARCHIVE)
    kinds = {}
    for spec in plan_pages(index, 500, 200):
        found = listing_of(index, spec)
        kinds.setdefault(type(spec).__name__, set()).add(found is None)
        if found is not None:
            assert found.articles, spec.src_uri
    assert kinds == {
        "BrowsePage": {True},
        "TaxonomyPage": {True},
        "TermPage": {False},
        "DatesPage": {True},
        "YearPage": {False},
        "MonthPage": {False},
        "MapPage": {True},
    }
