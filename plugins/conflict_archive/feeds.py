"""Feeds: Atom (RFC 4287) and JSON Feed 1.1, for the whole archive and for every term.

A feed's entries are articles, newest first by publication, each with its summary and its
events' figures; an entry's `updated` is the article's last change, so a correction or an
update shows as an updated entry in a reader. Entry ids are the articles' permalinks, the
same in every feed an article is in, so a reader following two feeds sees one entry.

Atom is written by feedgen (lxml underneath), JSON Feed by `json`: no XML or JSON is put
together by hand. Each article's entry is made once per build and shared by every feed that
lists it. Feeds need absolute URLs (an Atom id is an IRI, a reader resolves nothing), so a
site without a `site_url` has none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from .labels import format_event_date
from .model import Article, Event
from .publication import FEED_SIZE
from .render import format_figure
from .vocabulary import Vocabulary

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Feed:
    """One feed: what it is about and where it and its page are published (absolute URLs)."""

    title: str
    description: str
    page_url: str
    atom_url: str
    json_url: str


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    """A date as the start of its day in UTC; a time without a zone as UTC."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _updated(article: Article) -> dt.datetime:
    """When the entry last changed: its publication moment, or the day of a later change."""
    published = _moment(article.published)
    return max(published, _moment(article.last_changed))


class FeedWriter:
    """Writes feeds for one build; `article_url(article)` is an article's absolute URL."""

    def __init__(
        self,
        vocabularies: Mapping[str, Vocabulary],
        article_url: Callable[[Article], str],
        language: str | None = None,
        size: int = FEED_SIZE,
    ) -> None:
        self.vocabularies = vocabularies
        self.article_url = article_url
        self.language = language
        self.size = size
        self._entries: dict[str, FeedEntry] = {}
        self._items: dict[str, dict[str, object]] = {}
        self._contents: dict[str, str] = {}

    def atom(self, feed: Feed, articles: Sequence[Article]) -> bytes:
        shown = self._newest(articles)
        generator = FeedGenerator()
        generator.id(feed.page_url)
        generator.title(feed.title)
        generator.subtitle(feed.description)
        generator.link(href=feed.page_url, rel="alternate", type="text/html")
        generator.link(href=feed.atom_url, rel="self", type="application/atom+xml")
        generator.updated(max((_updated(a) for a in shown), default=_moment(dt.date(1970, 1, 1))))
        generator.generator("conflict-archive")
        if self.language:
            generator.language(self.language)
        for article in shown:
            generator.add_entry(self._entry(article), order="append")
        return bytes(generator.atom_str(pretty=True))

    def json_feed(self, feed: Feed, articles: Sequence[Article]) -> bytes:
        document: dict[str, object] = {
            "version": JSON_FEED_VERSION,
            "title": feed.title,
            "description": feed.description,
            "home_page_url": feed.page_url,
            "feed_url": feed.json_url,
            "items": [self._item(article) for article in self._newest(articles)],
        }
        if self.language:
            document["language"] = self.language
        return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()

    def _newest(self, articles: Sequence[Article]) -> list[Article]:
        return list(articles[: self.size])  # listings come newest first (index.py)

    def _entry(self, article: Article) -> FeedEntry:
        entry = self._entries.get(article.path)
        if entry is None:
            url = self.article_url(article)
            entry = self._entries[article.path] = FeedEntry()
            entry.id(url)
            entry.title(article.title)
            entry.link(href=url, rel="alternate", type="text/html")
            entry.published(_moment(article.published))
            entry.updated(_updated(article))
            for author in article.authors:
                entry.author(name=author)
            if article.summary:
                entry.summary(article.summary)
            entry.content(self._content(article), type="html")
            for key in article.terms.get("tags", ()):
                entry.category(term=key, label=self.vocabularies["tags"][key].name)
        return entry

    def _item(self, article: Article) -> dict[str, object]:
        item = self._items.get(article.path)
        if item is None:
            url = self.article_url(article)
            item = self._items[article.path] = {
                "id": url,
                "url": url,
                "title": article.title,
                "content_html": self._content(article),
                "date_published": _moment(article.published).isoformat(),
                "date_modified": _updated(article).isoformat(),
            }
            if article.summary:
                item["summary"] = article.summary
            if article.authors:
                item["authors"] = [{"name": author} for author in article.authors]
            tags = [self.vocabularies["tags"][key].name for key in article.terms.get("tags", ())]
            if tags:
                item["tags"] = tags
            if article.language:
                item["language"] = article.language
        return item

    def _content(self, article: Article) -> str:
        """The entry's HTML: summary, one line per event with its figures, corrections. Every
        value is escaped here; feedgen escapes the whole as the element's text."""
        content = self._contents.get(article.path)
        if content is None:
            url = self.article_url(article)
            parts = [f"<p>{escape(article.summary)}</p>"] if article.summary else []
            if article.events:
                rows = "".join(f"<li>{self._event_line(event, url)}</li>" for event in article.events)
                parts.append(f"<ul>{rows}</ul>")
            parts += [
                f"<p>Correction of {c.date.isoformat()}: {escape(c.note)}</p>" for c in article.corrections
            ]
            content = self._contents[article.path] = "\n".join(parts)
        return content

    def _event_line(self, event: Event, article_url: str) -> str:
        """`22 October 2025, Odesa (Odesa Oblast): Missile attack. Killed: 2. Injured: at least 14.`"""
        region = self.vocabularies["regions"][event.region].name
        place = f"{event.location} ({region})" if event.location else region
        kind = self.vocabularies["event-types"][event.type].name
        link = escape(f"{article_url}#event-{event.id}")
        text = escape(f"{format_event_date(event)}, {place}")
        figures = escape(
            f"{kind}. Killed: {format_figure(event.killed)}. Injured: {format_figure(event.injured)}."
        )
        return f'<a href="{link}">{text}</a>: {figures}'
