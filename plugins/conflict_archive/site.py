"""What a generator publishes for an archive: articles, generated pages and their dates.

`ArchiveSite` is the seam between the core and any site generator. It describes the site
that a validated archive makes (the index, the plan of generated pages, which source path is
what, when each page last changed) and hands out a `Renderer` for its HTML once the
generator knows where each page is published. It does not read files, keep anything between
builds or schedule work: the build around it decides that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import urls
from .archive import Archive
from .index import ArchiveIndex
from .model import Article
from .pages import PageSpec, TermPage, page_date, plan_pages
from .publication import Publication
from .related import neighbours_in_region, related_articles
from .render import Renderer, SiteUrl
from .snapshot import Revision


@dataclass(frozen=True)
class SiteOptions:
    page_size: int = 500
    index_page_size: int = 200
    related_limit: int = 5
    template_dirs: Sequence[Path] = ()
    raw_html: str = "sanitize"  # see sanitize.py
    search: bool = False  # the archive's own search page exists: listings link to it
    publication: Publication = field(default_factory=Publication)
    term_data: bool = True  # each term's events as CSV and GeoJSON beside its page
    event_overview: int = 3  # articles with this many events or more open with a table of them
    # What git or the options say of the snapshot: the data package names its commit. Pages
    # do not (every fragment would change with every commit); `publication.release` they show.
    revision: Revision = field(default_factory=Revision)


class ArchiveSite:
    def __init__(self, archive: Archive, options: SiteOptions) -> None:
        self.archive = archive
        self.options = options
        self.index = ArchiveIndex(archive.articles, archive.vocabularies)
        self.pages = plan_pages(self.index, options.page_size, options.index_page_size)
        self.articles_by_uri = {urls.article_uri(a): a for a in archive.articles}
        self.pages_by_uri = {spec.src_uri: spec for spec in self.pages}
        # A withdrawn article keeps its address, with a notice in place of the report.
        self.tombstones_by_uri = {urls.article_uri(a): a for a in archive.retracted}
        self.aliases = {alias: a for a in (*archive.articles, *archive.retracted) for alias in a.aliases}

    def renderer(self, site_url: SiteUrl) -> Renderer:
        """A renderer writing links with `site_url` (each source path's URL from the site root)."""
        articles, options = self.archive.articles, self.options
        return Renderer(
            self.index,
            site_url,
            lambda: related_articles(articles, limit=options.related_limit),
            lambda: neighbours_in_region(articles),
            options.page_size,
            options.index_page_size,
            options.template_dirs,
            search=options.search,
            publication=options.publication,
            term_data=options.term_data,
            event_overview=options.event_overview,
        )

    def page_date(self, spec: PageSpec) -> dt.date:
        """A generated page changes when one of the articles it lists does."""
        return page_date(self.index, spec, self.newest)

    @cached_property
    def newest(self) -> dt.date:
        """The newest content date in the archive, a withdrawal's included."""
        articles = (*self.archive.articles, *self.archive.retracted)
        return max((a.last_changed for a in articles), default=dt.date(1970, 1, 1))

    def intro(self, spec: PageSpec) -> str:
        """Editor-written Markdown shown at the top of a term page (first page only)."""
        if not isinstance(spec, TermPage) or not spec.is_first:
            return ""
        return self.archive.intros.get((spec.taxonomy, spec.key), "")

    def article_of(self, src_uri: str) -> Article | None:
        return self.articles_by_uri.get(src_uri)

    def page_of(self, src_uri: str) -> PageSpec | None:
        return self.pages_by_uri.get(src_uri)

    def tombstone_of(self, src_uri: str) -> Article | None:
        return self.tombstones_by_uri.get(src_uri)
