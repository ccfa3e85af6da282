"""The archive index (`index.py`): roll-up to ancestors, newest-first order, months and years,
what a listing shows, totals, and neighbouring months.

Archives are written to `tmp_path` and read with `load_archive`, as a build reads them, over
the shipped vocabularies: Kyiv is a city with special status under Ukraine, not part of Kyiv
Oblast; Bucha is in Kyiv Oblast; the districts of Kyiv and Kharkiv sit under their city.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conflict_archive.archive import load_archive
from conflict_archive.figures import Figure, Total
from conflict_archive.index import ArchiveIndex, Listing, event_terms
from conflict_archive.model import Article
from conftest import SiteDir, synthetic_article, synthetic_event


def _path(number: int) -> str:
    return f"2025/10/synthetic-{number:06d}.md"


def _event(**fields: Any) -> dict[str, Any]:
    """A synthetic event; with `start` (and `end`) instead of the default `date`."""
    event = synthetic_event(**fields)
    if "start" in fields:
        del event["date"]
    return event


def _index(tmp_path: Path, articles: dict[str, dict[str, Any]]) -> ArchiveIndex:
    """The index of an archive of these files (path under articles/ -> front-matter)."""
    site = SiteDir(tmp_path / "site")
    for relative, front in articles.items():
        site.article(relative, front)
    archive = load_archive(site.articles)
    return ArchiveIndex(archive.articles, archive.vocabularies)


def _listing(index: ArchiveIndex, where: tuple[str, Any]) -> Listing:
    """`("regions", "kyiv")`, `("months", (2025, 10))` or `("years", 2025)`."""
    kind, key = where
    if kind == "months":
        return index.months[key]
    if kind == "years":
        return index.years[key]
    return index.terms[kind][key]


def _ids(listing_events: list[Any]) -> list[str]:
    return [e.id for e in listing_events]


def _paths(articles: list[Article]) -> list[str]:
    return [a.path for a in articles]


# ---- Roll-up to ancestors --------------------------------------------------------------------

ROLL_UP = [
    # taxonomy, the event's fields, every term of that taxonomy the event is then listed under
    pytest.param(
        "regions",
        {"region": "kyiv-darnytskyi"},
        ["kyiv", "kyiv-darnytskyi", "ukraine"],
        id="kyiv-district-to-city-to-country-not-kyiv-oblast",
    ),
    pytest.param("regions", {"region": "bucha"}, ["bucha", "kyiv-oblast", "ukraine"], id="town-to-oblast"),
    pytest.param(
        "regions",
        {"region": "kharkiv-saltivskyi"},
        ["kharkiv", "kharkiv-oblast", "kharkiv-saltivskyi", "ukraine"],
        id="kharkiv-district-to-city-to-oblast",
    ),
    pytest.param("regions", {"region": "Kiev"}, ["kyiv", "ukraine"], id="alias-to-its-key"),
    pytest.param("regions", {"region": "ukraine"}, ["ukraine"], id="root-alone"),
    pytest.param(
        "event-types",
        {"type": "air-drone-strike"},
        ["air-drone-strike", "explosions-remote-violence"],
        id="type-to-category",
    ),
    pytest.param("weapons", {"weapons": ["kh-101"]}, ["cruise-missile", "kh-101", "missile"], id="weapon"),
    pytest.param(
        "weapons",
        {"weapons": ["kh-101", "kalibr"]},
        ["cruise-missile", "kalibr", "kh-101", "missile"],
        id="two-weapons-sharing-ancestors",
    ),
    pytest.param(
        "actors",
        {"perpetrators": ["russian-aerospace-forces"], "targeted": ["civilians-ukraine"]},
        ["civilians-ukraine", "russian-aerospace-forces", "russian-armed-forces"],
        id="perpetrators-and-targeted",
    ),
    pytest.param(
        "actors",
        {"perpetrators": ["russian-aerospace-forces", "russian-armed-forces"]},
        ["russian-aerospace-forces", "russian-armed-forces"],
        id="actor-and-its-parent",
    ),
]


@pytest.mark.parametrize(("taxonomy", "fields", "expected"), ROLL_UP)
def test_an_event_is_listed_under_its_terms_and_all_their_ancestors_once(
    tmp_path: Path, taxonomy: str, fields: dict[str, Any], expected: list[str]
) -> None:
    event = synthetic_event(id="synthetic-e1", **fields)
    index = _index(tmp_path, {_path(1): synthetic_article(1, events=[event])})
    assert list(index.terms[taxonomy]) == expected
    for key in expected:
        listing = index.terms[taxonomy][key]
        assert _ids(listing.events) == ["synthetic-e1"], key
        assert _paths(listing.articles) == [_path(1)], key


def test_events_in_sibling_districts_roll_up_to_the_city_with_the_article_once(tmp_path: Path) -> None:
    events = [
        synthetic_event(id="synthetic-darnytskyi", date="2025-10-21", region="kyiv-darnytskyi"),
        synthetic_event(id="synthetic-desnianskyi", date="2025-10-22", region="kyiv-desnianskyi"),
    ]
    index = _index(tmp_path, {_path(1): synthetic_article(1, events=events)})
    regions = index.terms["regions"]
    assert list(regions) == ["kyiv", "kyiv-darnytskyi", "kyiv-desnianskyi", "ukraine"]
    for key in ("kyiv", "ukraine"):
        assert _ids(regions[key].events) == ["synthetic-desnianskyi", "synthetic-darnytskyi"]
        assert _paths(regions[key].articles) == [_path(1)]
    assert _ids(regions["kyiv-darnytskyi"].events) == ["synthetic-darnytskyi"]
    assert _ids(regions["kyiv-desnianskyi"].events) == ["synthetic-desnianskyi"]


def test_terms_named_for_the_whole_article_roll_up_too(tmp_path: Path) -> None:
    front = synthetic_article(
        1,
        regions=["bucha"],
        actors=["ukrainian-air-force"],
        weapons=["shahed-136"],
        tags=["energy-infrastructure"],
    )
    index = _index(tmp_path, {_path(1): front})
    assert {taxonomy: list(listings) for taxonomy, listings in index.terms.items()} == {
        "regions": ["bucha", "kyiv-oblast", "ukraine"],
        "actors": ["ukrainian-air-force", "ukrainian-armed-forces"],
        "event-types": [],
        "weapons": ["drone", "shahed-136"],
        "tags": ["energy-infrastructure"],
    }
    for listings in index.terms.values():
        for listing in listings.values():
            assert (listing.events, _paths(listing.articles)) == ([], [_path(1)])


# ---- event_terms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("taxonomy", "expected"),
    [
        ("regions", ("kyiv-darnytskyi",)),
        # perpetrators then targeted, each once; no ancestors (the index adds those)
        ("actors", ("russian-aerospace-forces", "civilians-ukraine")),
        ("event-types", ("air-drone-strike",)),
        ("weapons", ("shahed-136", "kh-101")),
        # tags describe the whole article, so each of its events
        ("tags", ("energy-infrastructure", "synthetic-free-tag")),
    ],
)
def test_event_terms_are_the_terms_an_event_is_filed_under_directly(
    tmp_path: Path, taxonomy: str, expected: tuple[str, ...]
) -> None:
    event = synthetic_event(
        region="kyiv-darnytskyi",
        perpetrators=["russian-aerospace-forces"],
        targeted=["civilians-ukraine", "russian-aerospace-forces"],
        weapons=["shahed-136", "kh-101"],
    )
    front = synthetic_article(
        1, regions=["kyiv-oblast"], tags=["energy-infrastructure", "Synthetic free tag"]
    )
    site = SiteDir(tmp_path / "site")
    site.article(_path(1), {**front, "events": [event]})
    (article,) = load_archive(site.articles).articles
    assert event_terms(taxonomy, article.events[0], article) == expected


# ---- Newest first ----------------------------------------------------------------------------

ORDER_ARCHIVE = {
    _path(1): synthetic_article(
        1,
        date="2025-10-26",
        events=[
            synthetic_event(id="synthetic-1b", date="2025-10-22"),
            synthetic_event(id="synthetic-1a", date="2025-10-22", region="kyiv-darnytskyi"),
            _event(id="synthetic-1c", start="2025-10-20", end="2025-10-21"),
        ],
        tags=["railway"],
    ),
    _path(2): synthetic_article(
        2,
        date="2025-10-26",
        events=[
            synthetic_event(id="synthetic-2a", date="2025-10-22"),
            synthetic_event(id="synthetic-2b", date="2025-10-25"),
            _event(id="synthetic-2c", start="2025-10-20", end="2025-10-22"),
        ],
        tags=["railway"],
    ),
}
# Newest start first; then the later end; then the article's path; then the place in the article
# (1b before 1a: the article's order, not the id's).
NEWEST_FIRST = [
    "synthetic-2b",
    "synthetic-1b",
    "synthetic-1a",
    "synthetic-2a",
    "synthetic-2c",
    "synthetic-1c",
]


@pytest.mark.parametrize(
    "where",
    [
        ("regions", "ukraine"),
        ("regions", "kyiv"),
        ("event-types", "air-drone-strike"),
        ("actors", "russian-armed-forces"),
        ("tags", "railway"),
        ("months", (2025, 10)),
        ("years", 2025),
    ],
)
def test_events_are_listed_newest_first_with_total_tie_breaks(tmp_path: Path, where: tuple[str, Any]) -> None:
    index = _index(tmp_path, ORDER_ARCHIVE)
    assert _ids(_listing(index, where).events) == NEWEST_FIRST


def test_events_of_a_subterm_keep_the_same_order(tmp_path: Path) -> None:
    index = _index(tmp_path, ORDER_ARCHIVE)
    assert _ids(index.terms["regions"]["kyiv-darnytskyi"].events) == ["synthetic-1a"]


ARTICLE_ORDER_ARCHIVE = {
    # 12:00 UTC on the 23rd: the newest
    _path(3): synthetic_article(3, date="2025-10-23T12:00:00+00:00", regions=["kyiv"], tags=["railway"]),
    # two bare dates (the start of the day in UTC): the path breaks the tie
    _path(2): synthetic_article(2, date="2025-10-23", regions=["kyiv"], tags=["railway"]),
    _path(1): synthetic_article(1, date="2025-10-23", regions=["kyiv"], tags=["railway"]),
    # 01:00 at +02:00 on the 23rd is 23:00 UTC on the 22nd: the oldest
    _path(0): synthetic_article(0, date="2025-10-23T01:00:00+02:00", regions=["kyiv"], tags=["railway"]),
}


@pytest.mark.parametrize(
    "where", [("regions", "kyiv"), ("regions", "ukraine"), ("tags", "railway"), ("months", (2025, 10))]
)
def test_articles_are_listed_newest_first_by_publication_moment_then_path(
    tmp_path: Path, where: tuple[str, Any]
) -> None:
    index = _index(tmp_path, ARTICLE_ORDER_ARCHIVE)
    listing = _listing(index, where)
    expected = [_path(3), _path(1), _path(2), _path(0)]
    assert _paths(listing.articles) == expected
    assert _paths(listing.shown_articles) == expected


@pytest.mark.parametrize("archive", [ORDER_ARCHIVE, ARTICLE_ORDER_ARCHIVE], ids=["events", "articles"])
def test_the_order_does_not_depend_on_the_order_articles_are_given_in(
    tmp_path: Path, archive: dict[str, dict[str, Any]]
) -> None:
    site = SiteDir(tmp_path / "site")
    for relative, front in archive.items():
        site.article(relative, front)
    loaded = load_archive(site.articles)
    orders = [
        list(loaded.articles),
        list(reversed(loaded.articles)),
        sorted(loaded.articles, key=lambda a: a.title),
    ]
    seen = set()
    for articles in orders:
        index = ArchiveIndex(articles, loaded.vocabularies)
        listing = index.terms["regions"]["ukraine"]
        seen.add((tuple(_ids(listing.events)), tuple(_paths(listing.articles))))
    assert len(seen) == 1


def test_keys_are_sorted_whatever_order_things_were_filed_in(tmp_path: Path) -> None:
    index = _index(
        tmp_path,
        {
            _path(1): synthetic_article(1, date="2025-10-30", events=[synthetic_event(date="2025-10-22")]),
            _path(2): synthetic_article(2, date="2024-03-01", events=[synthetic_event(region="lviv")]),
            _path(3): synthetic_article(3, date="2023-01-05", tags=["railway", "education"]),
        },
    )
    assert list(index.months) == [(2023, 1), (2025, 10)]
    assert list(index.years) == [2023, 2025]
    assert list(index.terms["tags"]) == ["education", "railway"]
    assert list(index.terms["regions"]) == ["kyiv", "lviv", "lviv-oblast", "ukraine"]


# ---- Months and years ------------------------------------------------------------------------

FILING = [
    # events (a date, or start and end), publication date, the ids of the events filed under each
    # month (every month the article is filed under), under each year
    pytest.param([], "2025-11-03", {(2025, 11): []}, {2025: []}, id="no-events-by-publication-month"),
    pytest.param(
        [], "2025-11-01T01:00:00+02:00", {(2025, 11): []}, {2025: []}, id="no-events-local-publication-date"
    ),
    pytest.param(
        ["2025-10-22"], "2025-11-03", {(2025, 10): ["e0"]}, {2025: ["e0"]}, id="by-event-not-publication"
    ),
    pytest.param(
        ["2025-10-01", "2025-10-31"],
        "2025-11-03",
        {(2025, 10): ["e1", "e0"]},
        {2025: ["e1", "e0"]},
        id="two-events-one-month",
    ),
    pytest.param(
        ["2025-09-30", "2025-10-01"],
        "2025-10-02",
        {(2025, 9): ["e0"], (2025, 10): ["e1"]},
        {2025: ["e1", "e0"]},
        id="two-months",
    ),
    pytest.param(
        ["2025-01-01", "2024-12-31"],
        "2025-01-02",
        {(2024, 12): ["e1"], (2025, 1): ["e0"]},
        {2024: ["e1"], 2025: ["e0"]},
        id="two-years",
    ),
    pytest.param(
        [("2024-12-30", "2025-01-02")],
        "2025-01-03",
        {(2024, 12): ["e0"]},
        {2024: ["e0"]},
        id="range-by-its-start",
    ),
]


@pytest.mark.parametrize(("dates", "published", "months", "years"), FILING)
def test_an_article_is_filed_under_its_events_months_or_else_its_publication_month(
    tmp_path: Path,
    dates: list[str | tuple[str, str]],
    published: str,
    months: dict[tuple[int, int], list[str]],
    years: dict[int, list[str]],
) -> None:
    events = [
        _event(id=f"e{i}", date=d) if isinstance(d, str) else _event(id=f"e{i}", start=d[0], end=d[1])
        for i, d in enumerate(dates)
    ]
    index = _index(tmp_path, {_path(1): synthetic_article(1, date=published, events=events)})
    assert {month: _ids(listing.events) for month, listing in index.months.items()} == months
    assert {year: _ids(listing.events) for year, listing in index.years.items()} == years
    assert list(index.months) == sorted(months)  # oldest first: the order pages are planned in
    for listing in (*index.months.values(), *index.years.values()):
        assert _paths(listing.articles) == [_path(1)]  # once, however many events it has there


# ---- What a listing shows --------------------------------------------------------------------

SHOWN_ARCHIVE = {
    # An event in Bucha; tagged.
    _path(1): synthetic_article(
        1,
        date="2025-10-23",
        tags=["energy-infrastructure"],
        events=[synthetic_event(id="synthetic-bucha", date="2025-10-22", region="bucha")],
    ),
    # Filed under Kyiv Oblast as a whole, its only event in Lviv.
    _path(2): synthetic_article(
        2,
        date="2025-10-24",
        regions=["kyiv-oblast"],
        events=[synthetic_event(id="synthetic-lviv", date="2025-10-23", region="lviv")],
    ),
    # No events at all; tagged.
    _path(3): synthetic_article(3, date="2025-11-05", regions=["bucha"], tags=["energy-infrastructure"]),
}

SHOWN = [
    # where, by_article, shown events, shown articles, all events, all articles
    pytest.param(
        ("regions", "bucha"),
        False,
        ["synthetic-bucha"],
        [_path(3)],
        ["synthetic-bucha"],
        [_path(3), _path(1)],
        id="bucha",
    ),
    pytest.param(
        ("regions", "kyiv-oblast"),
        False,
        ["synthetic-bucha"],
        [_path(3), _path(2)],  # filed as a whole (2) and without events (3)
        ["synthetic-bucha"],
        [_path(3), _path(2), _path(1)],
        id="kyiv-oblast",
    ),
    pytest.param(
        ("regions", "ukraine"),
        False,
        ["synthetic-lviv", "synthetic-bucha"],
        [_path(3)],
        ["synthetic-lviv", "synthetic-bucha"],
        [_path(3), _path(2), _path(1)],
        id="ukraine",
    ),
    pytest.param(
        ("regions", "lviv"), False, ["synthetic-lviv"], [], ["synthetic-lviv"], [_path(2)], id="lviv"
    ),
    pytest.param(
        ("event-types", "air-drone-strike"),
        False,
        ["synthetic-lviv", "synthetic-bucha"],
        [],
        ["synthetic-lviv", "synthetic-bucha"],
        [_path(2), _path(1)],
        id="event-type",
    ),
    pytest.param(
        ("tags", "energy-infrastructure"),
        True,
        [],  # tags list articles, never events
        [_path(3), _path(1)],
        ["synthetic-bucha"],  # ...but count their events
        [_path(3), _path(1)],
        id="tag-by-article",
    ),
    pytest.param(
        ("months", (2025, 10)),
        False,
        ["synthetic-lviv", "synthetic-bucha"],
        [],
        ["synthetic-lviv", "synthetic-bucha"],
        [_path(2), _path(1)],
        id="month-with-events",
    ),
    pytest.param(
        ("months", (2025, 11)), False, [], [_path(3)], [], [_path(3)], id="month-of-an-article-without-events"
    ),
    pytest.param(
        ("years", 2025),
        False,
        ["synthetic-lviv", "synthetic-bucha"],
        [_path(3)],
        ["synthetic-lviv", "synthetic-bucha"],
        [_path(3), _path(2), _path(1)],
        id="year",
    ),
]


@pytest.mark.parametrize(("where", "by_article", "events", "articles", "all_events", "all_articles"), SHOWN)
def test_a_listing_shows_events_then_articles_with_none_of_their_events_here(
    tmp_path: Path,
    where: tuple[str, Any],
    by_article: bool,
    events: list[str],
    articles: list[str],
    all_events: list[str],
    all_articles: list[str],
) -> None:
    listing = _listing(_index(tmp_path, SHOWN_ARCHIVE), where)
    assert listing.by_article is by_article
    assert _ids(listing.shown_events) == events
    assert _paths(listing.shown_articles) == articles
    assert _ids(listing.events) == all_events
    assert _paths(listing.articles) == all_articles


def test_an_article_is_never_listed_twice_on_one_listing(tmp_path: Path) -> None:
    index = _index(tmp_path, SHOWN_ARCHIVE)
    for listing in [*(v for t in index.terms.values() for v in t.values()), *index.months.values()]:
        shown = {e.article_path for e in listing.shown_events} | set(_paths(listing.shown_articles))
        rows = len({e.article_path for e in listing.shown_events}) + len(listing.shown_articles)
        assert rows == len(shown)
        assert len(set(_paths(listing.articles))) == len(listing.articles)


# ---- Totals ----------------------------------------------------------------------------------

TOTALS = [
    # figures as written (None: left out, "not reported"), the total, and how it reads
    pytest.param(
        [2, {"low": 2, "high": 4}, None], Total(Figure(4, 6), 2, 1), "4–6 (not reported for 1 event)"
    ),
    pytest.param([None, None], Total(None, 0, 2), "not reported", id="nothing-reported-is-not-zero"),
    pytest.param(
        [0, None], Total(Figure(0, 0, 0), 1, 1), "0 (not reported for 1 event)", id="zero-is-a-figure"
    ),
    pytest.param([None, 5, None, None], Total(Figure.exact(5), 1, 3), "5 (not reported for 3 events)"),
    pytest.param(
        [{"low": 1, "best": 2, "high": 3}, 4], Total(Figure(5, 7, 6), 2, 0), "5–7 (best estimate 6)"
    ),
    pytest.param([{"low": 1, "best": 2, "high": 3}, {"low": 1, "high": 2}], Total(Figure(2, 5), 2, 0), "2–5"),
    pytest.param([1000, 234], Total(Figure.exact(1234), 2, 0), "1,234"),
]


@pytest.mark.parametrize("field", ["killed", "injured"])
@pytest.mark.parametrize(("figures", "total", "text"), TOTALS)
def test_totals_add_every_event_and_count_those_that_reported_nothing(
    tmp_path: Path, field: str, figures: list[Any], total: Total, text: str
) -> None:
    events = [
        synthetic_event(id=f"synthetic-e{i}", region="kyiv-darnytskyi", **({} if f is None else {field: f}))
        for i, f in enumerate(figures)
    ]
    index = _index(tmp_path, {_path(1): synthetic_article(1, events=events, tags=["railway"])})
    other = "injured" if field == "killed" else "killed"
    for where in [
        ("regions", "kyiv-darnytskyi"),
        ("regions", "ukraine"),
        ("tags", "railway"),
        ("years", 2025),
    ]:
        listing = _listing(index, where)
        assert getattr(listing, field) == total, where
        assert str(getattr(listing, field)) == text
        assert getattr(listing, other) == Total(None, 0, len(figures)), where


def test_totals_roll_up_from_subterms_and_count_events_of_tagged_articles(tmp_path: Path) -> None:
    index = _index(
        tmp_path,
        {
            _path(1): synthetic_article(
                1,
                tags=["railway"],
                events=[
                    synthetic_event(region="kyiv-darnytskyi", killed=1, injured=3),
                    synthetic_event(region="kyiv-desnianskyi", killed={"low": 2, "high": 5}),
                ],
            ),
            _path(2): synthetic_article(2, events=[synthetic_event(region="lviv", killed=10, injured=20)]),
        },
    )
    regions = index.terms["regions"]
    assert regions["kyiv"].killed == Total(Figure(3, 6), 2, 0)
    assert regions["kyiv"].injured == Total(Figure.exact(3), 1, 1)
    assert regions["ukraine"].killed == Total(Figure(13, 16), 3, 0)
    assert regions["ukraine"].injured == Total(Figure.exact(23), 2, 1)
    railway = index.terms["tags"]["railway"]
    assert railway.shown_events == []
    assert (railway.killed, railway.injured) == (Total(Figure(3, 6), 2, 0), Total(Figure.exact(3), 1, 1))


def test_a_listing_of_articles_without_events_totals_nothing_reported(tmp_path: Path) -> None:
    index = _index(tmp_path, {_path(1): synthetic_article(1, regions=["kyiv"])})
    listing = index.terms["regions"]["kyiv"]
    assert (listing.killed, listing.injured) == (Total(None, 0, 0), Total(None, 0, 0))
    assert str(listing.killed) == "not reported"


# ---- Neighbouring months ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ((2024, 12), (None, (2025, 2))),
        ((2025, 2), ((2024, 12), (2025, 3))),  # January has nothing: skipped
        ((2025, 3), ((2025, 2), (2025, 5))),  # May's only article has no events
        ((2025, 5), ((2025, 3), None)),
    ],
)
def test_neighbours_are_the_nearest_months_with_anything_filed(
    tmp_path: Path, month: tuple[int, int], expected: tuple[Any, Any]
) -> None:
    index = _index(
        tmp_path,
        {
            _path(1): synthetic_article(1, date="2025-03-02", events=[synthetic_event(date="2025-03-01")]),
            _path(2): synthetic_article(2, date="2025-02-10", events=[synthetic_event(date="2024-12-31")]),
            _path(3): synthetic_article(3, date="2025-02-10", events=[synthetic_event(date="2025-02-09")]),
            _path(4): synthetic_article(4, date="2025-05-20"),
        },
    )
    assert list(index.months) == [(2024, 12), (2025, 2), (2025, 3), (2025, 5)]
    assert index.neighbours(month) == expected


def test_a_single_month_has_no_neighbours(tmp_path: Path) -> None:
    index = _index(tmp_path, {_path(1): synthetic_article(1)})
    assert index.neighbours((2025, 10)) == (None, None)


# ---- Lookups and dates -----------------------------------------------------------------------


def test_article_of_an_event_and_last_changed_of_a_listing(tmp_path: Path) -> None:
    index = _index(
        tmp_path,
        {
            _path(1): synthetic_article(1, date="2025-10-23", events=[synthetic_event(id="synthetic-e1")]),
            _path(2): synthetic_article(
                2,
                date="2025-10-01",
                updated="2025-11-02T09:30:00+01:00",
                corrections=[{"date": "2025-10-20", "note": "Synthetic correction."}],
                regions=["kyiv"],
            ),
            _path(3): synthetic_article(
                3, date="2025-09-01", corrections=[{"date": "2025-12-24", "note": "Synthetic correction."}]
            ),
        },
    )
    (event,) = index.terms["regions"]["kyiv"].events
    assert index.article_of(event).path == _path(1)
    assert index.terms["regions"]["kyiv"].last_changed.isoformat() == "2025-11-02"
    assert index.months[(2025, 10)].last_changed.isoformat() == "2025-11-02"
    assert index.months[(2025, 9)].last_changed.isoformat() == "2025-12-24"
    assert index.years[2025].last_changed.isoformat() == "2025-12-24"
    assert Listing().last_changed.isoformat() == "1970-01-01"
