"""The search index's records (`search_records.py`): what each event and article is found by,
what a result row shows, and counts that agree with the term pages."""

from __future__ import annotations

from collections import Counter

import pytest

from conflict_archive.archive import load_archive
from conflict_archive.figures import Figure
from conflict_archive.index import ArchiveIndex
from conflict_archive.labels import SEARCH_FILTERS
from conflict_archive.search_records import FILTERS, SearchRecord, SearchRecords, figure_sort_value
from conftest import REPO, SiteDir, synthetic_article, synthetic_event


def directory_url(src_uri: str) -> str:
    return src_uri.removesuffix(".md") + "/"


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SearchRecord]:
    site = SiteDir(tmp_path_factory.mktemp("records") / "site")
    site.article(
        "2025/10/synthetic-000001.md",
        synthetic_article(
            1,
            language="uk",
            summary="Synthetic summary.",
            tags=["Synthetic tag"],
            events=[
                synthetic_event(
                    id="synthetic-district",
                    region="kyiv-dniprovskyi",
                    location="Synthetic street",
                    type="air-drone-strike",
                    perpetrators=["russian-aerospace-forces"],
                    targeted=["civilians-ukraine"],
                    weapons=["shahed-136"],
                    killed={"low": 2, "best": 3, "high": 4},
                    injured={"low": 1, "as_reported": "several"},
                    notes="Synthetic note.",
                ),
                synthetic_event(id="synthetic-unreported", date="2024-03-05", region="odesa"),
            ],
        ),
    )
    archive = load_archive(site.articles)
    made = SearchRecords(ArchiveIndex(archive.articles, archive.vocabularies), directory_url)
    found = [*made.article_records(lambda article: "Synthetic body text."), *made.event_records()]
    return {record.url: record for record in found}


def test_one_record_per_article_then_one_per_event_found_at_its_box(records: dict[str, SearchRecord]) -> None:
    assert list(records) == [
        "articles/2025/10/synthetic-000001/",
        "articles/2025/10/synthetic-000001/#event-synthetic-district",
        "articles/2025/10/synthetic-000001/#event-synthetic-unreported",
    ]


def test_an_events_filters_carry_each_terms_ancestors(records: dict[str, SearchRecord]) -> None:
    event = records["articles/2025/10/synthetic-000001/#event-synthetic-district"]
    assert event.filters == {
        "kind": ["event"],
        "region": ["Dniprovskyi district, Kyiv", "Kyiv", "Ukraine"],
        "event_type": ["Air/drone strike", "Explosions/Remote violence"],
        "actor": ["Russian Aerospace Forces", "Military Forces of Russia", "Civilians (Ukraine)"],
        "perpetrator": ["Russian Aerospace Forces", "Military Forces of Russia"],
        "targeted": ["Civilians (Ukraine)"],
        "weapon": event.filters["weapon"],
        "tag": ["Synthetic tag"],
        "year": ["2025"],
        "month": ["2025-10"],
        "killed": ["reported"],
        "injured": ["reported"],
    }
    assert (
        event.filters["weapon"][0] == "Shahed-136 one-way attack drone" and len(event.filters["weapon"]) > 1
    )
    assert list(event.filters) == [name for name in FILTERS if name in event.filters]


def test_a_result_row_shows_the_figures_as_stated(records: dict[str, SearchRecord]) -> None:
    event = records["articles/2025/10/synthetic-000001/#event-synthetic-district"]
    assert event.meta == {
        "title": "Air/drone strike: Synthetic street",
        "kind": "event",
        "date": "2025-10-22",
        "place": "Dniprovskyi district, Kyiv: Synthetic street",
        "type": "Air/drone strike",
        "killed": "2–4 (best estimate 3)",
        "injured": "at least 1, reported as “several”",
        "report": "Synthetic report 000001",
    }
    assert "Synthetic note." in event.content and "Killed: 2–4 (best estimate 3)." in event.content
    assert event.language == "uk"


def test_figures_sort_by_best_estimate_else_lower_bound_and_unreported_ones_drop_out(
    records: dict[str, SearchRecord],
) -> None:
    reported = records["articles/2025/10/synthetic-000001/#event-synthetic-district"]
    unreported = records["articles/2025/10/synthetic-000001/#event-synthetic-unreported"]
    assert reported.sort == {"date": "2025-10-22", "killed": "000000003", "injured": "000000001"}
    assert unreported.sort == {"date": "2024-03-05"}
    assert unreported.filters["killed"] == ["not reported"]


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (None, None),
        (Figure.exact(0), "000000000"),
        (Figure(2, None), "000000002"),
        (Figure(2, 9, 5), "000000005"),
    ],
)
def test_sort_values(figure: Figure | None, expected: str | None) -> None:
    assert figure_sort_value(figure) == expected


def test_an_articles_record_has_its_text_and_the_months_of_its_events(
    records: dict[str, SearchRecord],
) -> None:
    article = records["articles/2025/10/synthetic-000001/"]
    assert article.content == "Synthetic summary. Synthetic body text."
    assert article.filters["kind"] == ["article"]
    assert article.filters["month"] == ["2024-03", "2025-10"]
    assert article.meta["period"] == "March 2024, October 2025"
    assert "killed" not in article.filters


def test_on_the_demonstration_archive_every_filter_counts_what_its_term_page_lists() -> None:
    archive = load_archive(REPO / "articles")
    index = ArchiveIndex(archive.articles, archive.vocabularies)
    events = list(SearchRecords(index, directory_url).event_records())
    assert events and all(record.filters["kind"] == ["event"] for record in events)
    for taxonomy, name in SEARCH_FILTERS.items():
        counted = Counter(value for record in events for value in record.filters.get(name, ()))
        vocabulary = archive.vocabularies[taxonomy]
        listed = {vocabulary[key].name: len(listing.events) for key, listing in index.terms[taxonomy].items()}
        assert dict(counted) == {value: count for value, count in listed.items() if count}, taxonomy
    months = Counter(value for record in events for value in record.filters["month"])
    assert months == {
        f"{y:04d}-{m:02d}": len(listing.events) for (y, m), listing in index.months.items() if listing.events
    }
