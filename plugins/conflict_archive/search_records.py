"""What the archive's search index holds: one record per event and one per article.

An event's record is found at its summary box (`articles/<path>/#event-<id>`) and carries
the box's facts and notes as text, the figures and place for a result row, and filters named
for what a researcher narrows by. Filter values are the names a reader sees; a term brings
its ancestors (a strike in a Kyiv district is filed under Kyiv and Ukraine), as term pages
do, so that a filter's count is the number of events its term page lists.

Records say nothing about how they are indexed: the build hands them to Pagefind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from . import urls
from .figures import Figure
from .index import ArchiveIndex, event_terms
from .labels import format_event_date, month_name
from .model import Article, Event
from .render import SiteUrl, format_figure

# The filters a researcher narrows by, in the order the search page shows them.
FILTERS = (
    "kind",
    "region",
    "event_type",
    "actor",
    "perpetrator",
    "targeted",
    "weapon",
    "tag",
    "year",
    "month",
    "killed",
    "injured",
)
SORTS = ("date", "killed", "injured")
_SORT_DIGITS = 9  # figures are zero-padded so that they sort as numbers and as text alike


@dataclass(frozen=True)
class SearchRecord:
    url: str  # from the site root, without a leading slash
    title: str
    content: str
    language: str
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def figure_sort_value(figure: Figure | None) -> str | None:
    """The best estimate, else the lower bound; None when not reported (no place in the sort)."""
    if figure is None:
        return None
    value = figure.best if figure.best is not None else figure.low
    return f"{value:0{_SORT_DIGITS}d}"


class SearchRecords:
    """The records of one archive, with the URLs the generator gives its pages."""

    def __init__(self, index: ArchiveIndex, site_url: SiteUrl) -> None:
        self.index = index
        self.vocabularies = index.vocabularies
        self._site_url = site_url
        self._names: dict[tuple[str, str], tuple[str, ...]] = {}

    def article_records(self, body_text: Callable[[Article], str]) -> Iterator[SearchRecord]:
        """Every article's record, in the archive's order (oldest first)."""
        for article in self._in_order:
            yield self.article_record(article, body_text(article))

    def event_records(self) -> Iterator[SearchRecord]:
        """Every event's record, article by article in the archive's order."""
        for article in self._in_order:
            for event in article.events:
                yield self.event_record(event, article)

    @cached_property
    def _in_order(self) -> list[Article]:
        """The archive's articles, oldest first: sorted once for both kinds of record."""
        return sorted(self.index.articles_by_path.values(), key=lambda a: a.sort_key)

    def _lineage_names(self, taxonomy: str, keys: tuple[str, ...]) -> list[str]:
        """The display names of these terms and their ancestors, each once."""
        names: list[str] = []
        for key in keys:
            cached = self._names.get((taxonomy, key))
            if cached is None:
                vocabulary = self.vocabularies[taxonomy]
                lineage = (key, *vocabulary.ancestors(key))
                cached = self._names[(taxonomy, key)] = tuple(vocabulary[k].name for k in lineage)
            names.extend(name for name in cached if name not in names)
        return names

    def _term_filters(self, terms: Callable[[str], tuple[str, ...]]) -> dict[str, list[str]]:
        return {
            "region": self._lineage_names("regions", terms("regions")),
            "event_type": self._lineage_names("event-types", terms("event-types")),
            "weapon": self._lineage_names("weapons", terms("weapons")),
            "tag": self._lineage_names("tags", terms("tags")),
        }

    def event_record(self, event: Event, article: Article) -> SearchRecord:
        regions = self.vocabularies["regions"]
        place = regions[event.region].name
        type_name = self.vocabularies["event-types"][event.type].name
        title = f"{type_name}: {event.location}" if event.location else f"{type_name}: {place}"
        date = format_event_date(event)
        killed, injured = format_figure(event.killed), format_figure(event.injured)
        actors = self.vocabularies["actors"]
        facts = [
            f"{date}.",
            f"{type_name}.",
            f"{event.location}, {place}." if event.location else f"{place}.",
            *(f"Perpetrator: {actors[a].name}." for a in event.perpetrators),
            *(f"Targeted: {actors[a].name}." for a in event.targeted),
            *(f"Weapon: {self.vocabularies['weapons'][w].name}." for w in event.weapons),
            f"Killed: {killed}.",
            f"Injured: {injured}.",
        ]
        if event.damage:
            facts.append(f"Damage: {', '.join(event.damage)}.")
        if event.notes:
            facts.append(event.notes)
        filters = self._term_filters(lambda taxonomy: event_terms(taxonomy, event, article))
        filters.update(
            kind=["event"],
            actor=self._lineage_names("actors", event_terms("actors", event, article)),
            perpetrator=self._lineage_names("actors", event.perpetrators),
            targeted=self._lineage_names("actors", event.targeted),
            year=[f"{event.start.year:04d}"],
            month=[f"{event.start.year:04d}-{event.start.month:02d}"],
            killed=["reported" if event.killed is not None else "not reported"],
            injured=["reported" if event.injured is not None else "not reported"],
        )
        sort = {"date": event.start.isoformat()}
        for name, figure in (("killed", event.killed), ("injured", event.injured)):
            value = figure_sort_value(figure)
            if value is not None:
                sort[name] = value
        url = f"{self._site_url(urls.article_uri(article))}#event-{event.id}"
        meta = {
            "title": title,
            "kind": "event",
            "date": date,
            "place": f"{place}: {event.location}" if event.location else place,
            "type": type_name,
            "killed": killed,
            "injured": injured,
            "report": article.title,
        }
        return SearchRecord(
            url=url,
            title=title,
            content=" ".join(facts),
            language=article.language or "en",
            meta=meta,
            filters=_without_empty(filters),
            sort=sort,
        )

    def article_record(self, article: Article, body_text: str) -> SearchRecord:
        filters = self._term_filters(lambda taxonomy: article.terms.get(taxonomy, ()))
        months = sorted({e.month for e in article.events}) or [
            (article.published_date.year, article.published_date.month)
        ]
        filters.update(
            kind=["article"],
            actor=self._lineage_names("actors", article.terms.get("actors", ())),
            perpetrator=self._lineage_names(
                "actors", tuple(a for e in article.events for a in e.perpetrators)
            ),
            targeted=self._lineage_names("actors", tuple(a for e in article.events for a in e.targeted)),
            year=sorted({f"{year:04d}" for year, _ in months}),
            month=[f"{year:04d}-{month:02d}" for year, month in months],
        )
        published = article.published_date.isoformat()
        content = " ".join(part for part in (article.summary or "", body_text) if part)
        meta = {
            "title": article.title,
            "kind": "article",
            "date": published,
            "summary": article.summary or "",
            "period": ", ".join(month_name(y, m) for y, m in months),
        }
        return SearchRecord(
            url=self._site_url(urls.article_uri(article)),
            title=article.title,
            content=content,
            language=article.language or "en",
            meta={k: v for k, v in meta.items() if v},
            filters=_without_empty(filters),
            sort={"date": published},
        )


def _without_empty(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: values for name in FILTERS if (values := filters.get(name))}
