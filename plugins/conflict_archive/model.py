"""The archive's domain model: articles, their events and sources, as validated values.

Everything here is immutable and already resolved against the vocabularies: keys are
canonical, dates are dates, figures are `Figure`s or None ("not reported").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .figures import Figure

TAXONOMIES = ("regions", "actors", "event-types", "weapons", "tags")


def article_slug(path: str) -> str:
    """`2025/10/kyiv.md` and `2025/10/kyiv/index.md` -> `2025/10/kyiv`: what the URL is made of."""
    return path.removesuffix(".md").removesuffix("/index")


@dataclass(frozen=True)
class Source:
    """A published report an article relies on; `number` is its 1-based place in the list."""

    number: int
    title: str
    url: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    archived_url: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Correction:
    date: dt.date
    note: str


@dataclass(frozen=True)
class Retraction:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class Event:
    """One incident: when, where, what, by and against whom, with what, and its toll."""

    id: str
    article_path: str
    position: int  # 0-based place in the article, for stable ordering
    line: int  # 1-based line of the event in its file, for messages
    id_line: int
    date_line: int
    id_given: bool  # False when the id was derived from the article's path and position
    start: dt.date
    end: dt.date
    date_precision: str
    type: str
    region: str
    location: str | None
    coordinates: tuple[float, float] | None
    coordinates_from_region: bool  # True when the editor gave none and the region's were used
    location_precision: str | None  # `places.PRECISIONS`; None when neither stated nor known
    perpetrators: tuple[str, ...]
    targeted: tuple[str, ...]
    weapons: tuple[str, ...]
    killed: Figure | None
    injured: Figure | None
    damage: tuple[str, ...]
    notes: str | None
    sources: tuple[Source, ...]
    previous_ids: tuple[str, ...] = ()  # ids it was published under before: their anchors stay

    @property
    def month(self) -> tuple[int, int]:
        return (self.start.year, self.start.month)

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, str, int]:
        """Oldest first; ties broken by article path and position so order is total."""
        return (self.start, self.end, self.article_path, self.position)

    @cached_property  # every listing an event is on sorts by it
    def newest_first_key(self) -> tuple[int, int, str, int]:
        """Newest first, but events of one article on one day stay in the article's order."""
        return (-self.start.toordinal(), -self.end.toordinal(), self.article_path, self.position)


@dataclass(frozen=True)
class Article:
    """One report. `path` is relative to the articles folder, POSIX, with `.md`."""

    path: str
    display_path: str  # how errors name the file, e.g. `articles/2025/10/kyiv.md`
    title: str
    published: dt.date | dt.datetime
    body: str
    body_line: int  # 1-based line of the file where the body starts
    sha256: str
    updated: dt.date | dt.datetime | None = None
    # Of the front-matter alone: everything the archive's own HTML shows of an article comes
    # from it, so HTML kept by it stays right when only the body is edited.
    front_matter_sha256: str = ""
    summary: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    regions: tuple[str, ...] = ()  # as listed in front-matter
    actors: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    events: tuple[Event, ...] = ()
    corrections: tuple[Correction, ...] = ()
    retracted: Retraction | None = None  # withdrawn: only a notice is published, at its address
    aliases: tuple[str, ...] = ()
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)
    # Lines of the aliases, for problems found once all articles are known; not every value's
    # line, which would keep a map per article alive for the whole build.
    alias_lines: tuple[int, ...] = ()

    @property
    def published_date(self) -> dt.date:
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published

    @cached_property  # asked for by every page date and listing that shows the article
    def last_changed(self) -> dt.date:
        """The newest of publication, update and correction dates: when the content last changed."""
        withdrawn = None if self.retracted is None else self.retracted.date
        dates = [self.published, self.updated, *(c.date for c in self.corrections), withdrawn]
        return max(d.date() if isinstance(d, dt.datetime) else d for d in dates if d is not None)

    @property
    def slug(self) -> str:
        return article_slug(self.path)

    @property
    def main_region(self) -> str | None:
        regions = self.terms.get("regions", ())
        return regions[0] if regions else None

    @cached_property  # every sort and related-coverage score asks for it
    def published_moment(self) -> float:
        """Seconds since the epoch, UTC; a bare date counts as the start of its day in UTC."""
        moment = self.published
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
        return moment.timestamp()

    @property
    def sort_key(self) -> tuple[float, str]:
        """Oldest first, by publication date and time; the path breaks ties."""
        return (self.published_moment, self.path)

    @property
    def newest_first_key(self) -> tuple[float, str]:
        return (-self.published_moment, self.path)

    def __repr__(self) -> str:
        return f"Article({self.path!r})"
