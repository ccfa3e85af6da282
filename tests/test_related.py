"""Related coverage: shared events first, then regions, types and actors, then time; stable."""

from __future__ import annotations

import datetime as dt

from conflict_archive.model import Article, Event
from conflict_archive.related import neighbours_in_region, related_articles


def _article(path: str, published: str, *events: tuple[str, str, str, str]) -> Article:
    made = tuple(
        Event(
            id=f"{path}-e{i}",
            article_path=path,
            position=i,
            line=1,
            id_line=1,
            date_line=1,
            id_given=False,
            start=dt.date.fromisoformat(day),
            end=dt.date.fromisoformat(day),
            date_precision="day",
            type=kind,
            region=region,
            location=None,
            coordinates=None,
            coordinates_from_region=True,
            location_precision=None,
            perpetrators=(actor,),
            targeted=(),
            weapons=(),
            killed=None,
            injured=None,
            damage=(),
            notes=None,
            sources=(),
        )
        for i, (day, region, kind, actor) in enumerate(events)
    )
    article = Article(
        path=path,
        display_path=path,
        title=path,
        published=dt.date.fromisoformat(published),
        body="",
        body_line=1,
        sha256="0" * 64,
        events=made,
    )
    article.terms.update(
        {
            "regions": tuple(dict.fromkeys(e.region for e in made)),
            "event-types": tuple(dict.fromkeys(e.type for e in made)),
            "actors": tuple(dict.fromkeys(e.perpetrators[0] for e in made)),
        }
    )
    return article


def test_ranking_prefers_shared_events_then_regions_then_time() -> None:
    subject = _article("a.md", "2025-10-23", ("2025-10-22", "kyiv", "strike", "russia"))
    same_event = _article("same-event.md", "2025-12-01", ("2025-10-22", "kyiv", "shelling", "other"))
    same_region_near = _article("near.md", "2025-10-25", ("2025-10-24", "kyiv", "shelling", "other"))
    same_region_far = _article("far.md", "2024-01-10", ("2024-01-09", "kyiv", "shelling", "other"))
    elsewhere = _article("elsewhere.md", "2025-10-23", ("2025-10-22", "lviv", "strike", "russia"))
    related = related_articles([elsewhere, same_region_far, subject, same_event, same_region_near])
    # elsewhere.md shares the type and the actor but no place: candidates share an event or a region.
    assert [a.path for a in related["a.md"]] == ["same-event.md", "near.md", "far.md"]


def test_ties_break_by_time_then_path_and_the_result_is_stable() -> None:
    subject = _article("a.md", "2025-10-23", ("2025-10-22", "kyiv", "strike", "russia"))
    others = [
        _article(f"{name}.md", "2025-10-20", ("2025-10-19", "kyiv", "strike", "russia")) for name in "zyx"
    ]
    first = related_articles([subject, *others])["a.md"]
    second = related_articles([*reversed(others), subject])["a.md"]
    assert [a.path for a in first] == ["x.md", "y.md", "z.md"] == [a.path for a in second]


def test_candidates_are_bounded_by_the_window() -> None:
    articles = [
        _article(
            f"{i:03d}.md",
            f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}",
            ("2025-01-01", "kyiv", "strike", "russia"),
        )
        for i in range(100)
    ]
    related = related_articles(articles, limit=100, window=10)
    assert all(len(found) <= 10 for found in related.values())


def test_neighbours_in_the_main_region() -> None:
    first = _article("1.md", "2025-01-01", ("2025-01-01", "kyiv", "strike", "russia"))
    second = _article("2.md", "2025-02-01", ("2025-02-01", "kyiv", "strike", "russia"))
    other = _article("3.md", "2025-01-15", ("2025-01-15", "lviv", "strike", "russia"))
    neighbours = neighbours_in_region([second, other, first])
    assert neighbours["1.md"] == (None, second)
    assert neighbours["2.md"] == (first, None)
    assert neighbours["3.md"] == (None, None)
