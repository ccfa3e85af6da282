"""What changed, snapshot by snapshot: every report added, updated, corrected and withdrawn.

The changes are read from the content's own dates (publication, `updated`, each correction,
the retraction): they are what the archive asserts, and the same on every machine, whereas a
build's clock or a file's time would differ from one checkout to the next. Each change is
filed under the release whose date it falls on or before (after the previous release's), and
what is newer than every release under the snapshot being built.

The page is the `changes.html` template; the Atom feed is written by feedgen as `feeds.py`
writes the archive's, dated by its newest change so that the same content gives the same bytes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from jinja2 import Environment

from .archive import Archive
from .model import Article
from .releases import Release
from .snapshot import format_day

Kind = Literal["added", "updated", "corrected", "withdrawn"]
# Within one day and one report, the later step of a report's life comes first, as the
# days do: a report withdrawn the day it was corrected reads "withdrawn", then "corrected".
KINDS: tuple[Kind, ...] = ("withdrawn", "corrected", "updated", "added")
KIND_LABELS: dict[Kind, str] = {
    "added": "Added",
    "updated": "Updated",
    "corrected": "Corrected",
    "withdrawn": "Withdrawn",
}
THIS_SNAPSHOT = "this-snapshot"  # the anchor of the group of changes newer than every release
FEED_SUBTITLE = "Reports added, updated, corrected and withdrawn, newest first"


@dataclass(frozen=True)
class Change:
    """One dated fact about one report. `note`: a correction's note or a retraction's reason.
    `nth`: 1 but for the second and later corrections of a report on the same day, so that
    each change has its own `key` and appending a correction changes no earlier one's key."""

    kind: Kind
    date: dt.date
    article: Article
    note: str | None = None
    nth: int = 1

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def key(self) -> str:
        """`change-corrected-2026-11-03`: unique within its report, the same in every build."""
        key = f"change-{self.kind}-{self.date.isoformat()}"
        return key if self.nth == 1 else f"{key}-{self.nth}"

    @property
    def newest_first_key(self) -> tuple[int, str, int, int]:
        return (-self.date.toordinal(), self.article.path, KINDS.index(self.kind), self.nth)

    def __repr__(self) -> str:
        return f"Change({self.kind!r}, {self.date.isoformat()!r}, {self.article.path!r})"


@dataclass(frozen=True)
class ChangeGroup:
    """The changes one snapshot brought, newest first. `version` and `date` are the release's;
    both None for the snapshot being built."""

    title: str
    version: str | None
    date: dt.date | None
    changes: tuple[Change, ...]

    @property
    def anchor(self) -> str:
        """The heading's id: `snapshot-2026.11`, or `this-snapshot`."""
        return THIS_SNAPSHOT if self.version is None else f"snapshot-{self.version}"


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def changes_of_article(article: Article) -> list[Change]:
    """Its publication, a later update, each correction and its withdrawal, oldest first. An
    update on the day of publication is no change a reader could see apart from it."""
    changes = [Change("added", article.published_date, article)]
    if article.updated is not None and _day(article.updated) > article.published_date:
        changes.append(Change("updated", _day(article.updated), article))
    seen: dict[dt.date, int] = {}
    for correction in article.corrections:
        nth = seen[correction.date] = seen.get(correction.date, 0) + 1
        changes.append(Change("corrected", correction.date, article, correction.note, nth))
    if article.retracted is not None:
        changes.append(Change("withdrawn", article.retracted.date, article, article.retracted.reason))
    return changes


def changes_of(archive: Archive) -> list[Change]:
    """Every change of every report, live or withdrawn, newest first."""
    found = [c for article in (*archive.articles, *archive.retracted) for c in changes_of_article(article)]
    return sorted(found, key=lambda c: c.newest_first_key)


def grouped(changes: Sequence[Change], releases: Sequence[Release], current: str) -> list[ChangeGroup]:
    """The changes by snapshot, newest first: the snapshot being built (`current` describes it,
    as `Snapshot.describe()` does), then each release. A release holds what is dated after the
    release before it and on or before its own date; the snapshot being built, what is newer
    than every release. Every group is kept, an empty one too: it says a release changed nothing."""
    ordered = sorted(releases, key=lambda r: r.date)  # stable: releases of one day keep their order
    dates = [r.date for r in ordered]
    buckets: list[list[Change]] = [[] for _ in range(len(ordered) + 1)]
    for change in changes:
        buckets[bisect.bisect_left(dates, change.date)].append(change)
    if ordered:
        title = f"Since {ordered[-1].version}: this snapshot ({current})"
    else:
        title = f"This snapshot ({current})"
    groups = [ChangeGroup(title, None, None, _newest_first(buckets[-1]))]
    for release, bucket in reversed(list(zip(ordered, buckets[:-1], strict=True))):
        title = f"Snapshot {release.version} ({format_day(release.date)})"
        groups.append(ChangeGroup(title, release.version, release.date, _newest_first(bucket)))
    return groups


def _newest_first(changes: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(sorted(changes, key=lambda c: c.newest_first_key))


def paged(groups: Sequence[ChangeGroup], size: int) -> list[list[ChangeGroup]]:
    """The groups on pages of at most `size` changes: a group that runs past a page's end goes
    on under its title on the next; an empty group stays, as its heading, where it falls."""
    pages: list[list[ChangeGroup]] = [[]]
    room = size
    for group in groups:
        start = 0
        if not group.changes:
            pages[-1].append(group)
        while start < len(group.changes):
            if room == 0:
                pages.append([])
                room = size
            part = group.changes[start : start + room]
            pages[-1].append(replace(group, changes=part))
            start += len(part)
            room -= len(part)
    return pages


def changes_html(
    env: Environment,
    groups: Sequence[ChangeGroup],
    article_href: Callable[[Article], str],
    feed_href: str | None,
    pager: Mapping[str, object] | None = None,
) -> str:
    """A page's body (`changes.html`). `env` must autoescape (`render.template_environment`);
    `article_href(article)`: the link to a report, or to its notice once withdrawn; `pager`:
    as listings have it (`_macros.html`), whose `url()` the environment must give."""
    return env.get_template("changes.html").render(
        groups=groups, article_href=article_href, feed_href=feed_href, pager=pager
    )


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _entry_text(change: Change, group: ChangeGroup) -> str:
    """The entry's content, as text: feedgen escapes it, so an editor's markup stays words."""
    day = change.date.isoformat()
    match change.kind:
        case "added":
            what = f"Published on {day}."
        case "updated":
            what = f"Updated on {day}."
        case "corrected":
            what = f"Correction of {day}: {change.note}"
        case "withdrawn":
            what = f"Withdrawn on {day}: {change.note}"
    return f"{what}\n{group.title}"


def changes_atom(
    groups: Sequence[ChangeGroup],
    *,
    title: str,
    page_url: str,
    feed_url: str,
    article_url: Callable[[Article], str],
    limit: int,
) -> bytes:
    """The Atom feed of the newest `limit` changes, one entry each (absolute URLs). Nothing in
    it comes from the clock: the feed is as new as its newest change."""
    shown = [(change, group) for group in groups for change in group.changes][:limit]
    generator = FeedGenerator()
    generator.id(page_url)
    generator.title(title)
    generator.subtitle(FEED_SUBTITLE)
    generator.link(href=page_url, rel="alternate", type="text/html")
    generator.link(href=feed_url, rel="self", type="application/atom+xml")
    newest = max((change.date for change, _ in shown), default=dt.date(1970, 1, 1))
    generator.updated(_moment(newest))
    generator.generator("conflict-archive")
    for change, group in shown:
        url = article_url(change.article)
        entry = FeedEntry()
        entry.id(f"{url}#{change.key}")
        entry.title(f"{change.label}: {change.article.title}")
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(_moment(change.date))
        entry.updated(_moment(change.date))
        entry.category(term=group.anchor, label=group.title)
        entry.content(_entry_text(change, group), type="text")
        generator.add_entry(entry, order="append")
    return bytes(generator.atom_str(pretty=True))
