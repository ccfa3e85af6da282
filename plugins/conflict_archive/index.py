"""Indexes over the archive, built in one pass: terms and periods to events and articles.

A term collects the events and articles tagged with it or with any of its descendants, so
Kyiv's page includes its districts and the oblast's page includes its cities. Periods are
calendar months and years of event start dates; an article without events is filed under
its publication month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any

from .figures import Total
from .model import TAXONOMIES, Article, Event
from .vocabulary import Vocabulary

Month = tuple[int, int]
ARTICLE_TAXONOMIES = frozenset({"tags"})  # describe a whole article, not one of its events


@dataclass
class Listing:
    """Events and articles under one term or period, newest first (`ArchiveIndex` adds them in
    that order).

    A listing page shows `shown_events`, each linking to its article, then `shown_articles`.
    Where events are filed one by one (places, actors, types, weapons, months) those are the
    events and then the articles filed here with none of their events here (filed as a whole,
    or without events), so no article is listed twice. Tags describe whole articles
    (`by_article`): their pages list the articles. Totals always count the events."""

    events: list[Event] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    by_article: bool = False
    shown_events: list[Event] = field(default_factory=list)
    shown_articles: list[Article] = field(default_factory=list)

    def finish(self) -> None:
        if self.by_article:
            self.shown_events, self.shown_articles = [], self.articles
        else:
            with_events_here = {e.article_path for e in self.events}
            self.shown_events = self.events
            self.shown_articles = [a for a in self.articles if a.path not in with_events_here]

    @cached_property
    def last_changed(self) -> dt.date:
        """When the newest change to anything listed was made (a listing page's date)."""
        return max((a.last_changed for a in self.articles), default=dt.date(1970, 1, 1))

    @cached_property
    def killed(self) -> Total:
        return Total.of(e.killed for e in self.events)

    @cached_property
    def injured(self) -> Total:
        return Total.of(e.injured for e in self.events)


def event_terms(taxonomy: str, event: Event, article: Article) -> tuple[str, ...]:
    """The terms of `taxonomy` an event is filed under directly."""
    if taxonomy == "regions":
        return (event.region,)
    if taxonomy == "actors":
        return tuple(dict.fromkeys((*event.perpetrators, *event.targeted)))
    if taxonomy == "event-types":
        return (event.type,)
    if taxonomy == "weapons":
        return event.weapons
    return article.tags  # tags describe the whole article, so each of its events


class ArchiveIndex:
    def __init__(self, articles: Iterable[Article], vocabularies: dict[str, Vocabulary]) -> None:
        self.vocabularies = vocabularies
        self.articles_by_path: dict[str, Article] = {}
        self.terms: dict[str, dict[str, Listing]] = {taxonomy: {} for taxonomy in TAXONOMIES}
        self.months: dict[Month, Listing] = {}
        self.years: dict[int, Listing] = {}
        self._lineages: dict[tuple[str, str], tuple[str, ...]] = {}
        # Sorted once here, newest first, and added in that order: every listing then comes out
        # sorted, instead of sorting each of hundreds of listings that share most entries.
        newest_first = sorted(articles, key=attrgetter("newest_first_key"))
        for article in newest_first:
            self._add_article(article)
        events = sorted((e for a in newest_first for e in a.events), key=attrgetter("newest_first_key"))
        for event in events:
            self._add_event(event, self.articles_by_path[event.article_path])
        # Everything, newest first: the archive at a glance, its map and the dates index.
        self.whole = Listing(events=events, articles=newest_first)
        self.whole.finish()
        for listings in (*self.terms.values(), self.months, self.years):
            for listing in listings.values():  # type: ignore[attr-defined]
                listing.finish()
        self.terms = {t: dict(sorted(listings.items())) for t, listings in self.terms.items()}
        self.months = dict(sorted(self.months.items()))
        self.years = dict(sorted(self.years.items()))

    def _with_ancestors(self, taxonomy: str, keys: Sequence[str]) -> Sequence[str]:
        """The terms and all their ancestors, each once, in order."""
        if len(keys) == 1:  # most events name one place, one type: no duplicates to drop
            return self._lineage(taxonomy, keys[0])
        return list(dict.fromkeys(k for key in keys for k in self._lineage(taxonomy, key)))

    def _lineage(self, taxonomy: str, key: str) -> tuple[str, ...]:
        """A term and its ancestors (asked for hundreds of thousands of times, for a few
        hundred terms)."""
        lineage = self._lineages.get((taxonomy, key))
        if lineage is None:
            lineage = self._lineages[(taxonomy, key)] = (key, *self.vocabularies[taxonomy].ancestors(key))
        return lineage

    def article_of(self, event: Event) -> Article:
        return self.articles_by_path[event.article_path]

    @staticmethod
    def _listing(listings: dict[Any, Listing], key: Any, by_article: bool = False) -> Listing:
        # Not setdefault(key, Listing()): that builds a throwaway Listing on every call, and
        # this runs for every event under every term it is filed under.
        listing = listings.get(key)
        if listing is None:
            listing = listings[key] = Listing(by_article=by_article)
        return listing

    def _add_article(self, article: Article) -> None:
        self.articles_by_path[article.path] = article
        for taxonomy in TAXONOMIES:
            listings = self.terms[taxonomy]
            by_article = taxonomy in ARTICLE_TAXONOMIES
            for key in self._with_ancestors(taxonomy, article.terms.get(taxonomy, ())):
                self._listing(listings, key, by_article).articles.append(article)
        months = {event.month for event in article.events} or {
            (article.published_date.year, article.published_date.month)
        }
        for month in sorted(months):
            self._listing(self.months, month).articles.append(article)
        for year in sorted({m[0] for m in months}):
            self._listing(self.years, year).articles.append(article)

    def _add_event(self, event: Event, article: Article) -> None:
        for taxonomy in TAXONOMIES:
            listings = self.terms[taxonomy]
            by_article = taxonomy in ARTICLE_TAXONOMIES
            for key in self._with_ancestors(taxonomy, event_terms(taxonomy, event, article)):
                self._listing(listings, key, by_article).events.append(event)
        self._listing(self.months, event.month).events.append(event)
        self._listing(self.years, event.start.year).events.append(event)

    def neighbours(self, month: Month) -> tuple[Month | None, Month | None]:
        """The nearest earlier and later months that have anything filed under them."""
        months = list(self.months)
        i = months.index(month)
        return (months[i - 1] if i > 0 else None, months[i + 1] if i + 1 < len(months) else None)
