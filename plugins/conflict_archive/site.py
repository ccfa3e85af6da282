"""Everything a generator needs to publish an archive, computed once per build.

`ArchiveSite` is the seam between the core and any site generator: it loads and validates
the archive, indexes it, scores related coverage, plans the generated pages and renders
their HTML. The MkDocs plugin only maps these onto MkDocs files, pages and events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from . import urls
from .archive import Archive, load_archive
from .cache import ArticleCache
from .index import ArchiveIndex
from .model import Article
from .pages import PageSpec, plan_pages
from .parallel import RenderedInAdvance, SharedJob, imap_split, worth_a_second_process
from .related import neighbours_in_region, related_articles
from .render import Renderer, SiteUrl, relative_to_page
from .sanitize import sanitize_html


@dataclass(frozen=True)
class SiteOptions:
    page_size: int = 500
    index_page_size: int = 200
    related_limit: int = 5
    shipped_vocabularies: bool = True
    template_dirs: Sequence[Path] = ()
    raw_html: str = "sanitize"  # see sanitize.py
    # A second process reads and renders from this many articles on (None: never); parallel.py
    parallel_from: int | None = None


class ArchiveSite:
    def __init__(self, archive: Archive, options: SiteOptions, cache: ArticleCache | None = None) -> None:
        self.archive = archive
        self.options = options
        self.index = ArchiveIndex(archive.articles, archive.vocabularies)
        self.pages = plan_pages(self.index, options.page_size, options.index_page_size)
        self.renderer = Renderer(
            self.index,
            lambda: related_articles(archive.articles, limit=options.related_limit),
            lambda: neighbours_in_region(archive.articles),
            options.page_size,
            options.index_page_size,
            options.template_dirs,
        )
        self.articles_by_uri = {urls.article_uri(a): a for a in archive.articles}
        self.pages_by_uri = {spec.src_uri: spec for spec in self.pages}
        self.aliases = {alias: a for a in archive.articles for alias in a.aliases}
        self.cache = cache or ArticleCache()  # `mkdocs serve` keeps one across builds
        self.advance: RenderedInAdvance | None = None

    @classmethod
    def load(
        cls, articles_dir: Path, display_dir: str, options: SiteOptions, cache: ArticleCache | None = None
    ) -> ArchiveSite:
        """Raises `ArchiveError` with every problem when the archive is not valid."""
        cache = cache or ArticleCache()
        archive = load_archive(
            articles_dir,
            display_dir,
            shipped_vocabularies=options.shipped_vocabularies,
            cache=cache,
            parallel_from=options.parallel_from,
        )
        return cls(archive, options, cache)

    def page_date(self, spec: PageSpec) -> dt.date:
        """A generated page changes when one of the articles it lists does (computed once per
        listing, not once per page of it); index pages span everything."""
        listing = self.index.listing_of(spec)
        return listing.last_changed if listing is not None else self.newest

    @cached_property
    def newest(self) -> dt.date:
        """The newest content date in the archive."""
        return max((a.last_changed for a in self.archive.articles), default=dt.date(1970, 1, 1))

    def content_epoch(self) -> int:
        """Midnight UTC of the newest content date: the archive's date when git has none."""
        newest = self.newest
        return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())

    def intro(self, spec: PageSpec) -> str:
        """Editor-written Markdown shown at the top of a term page (first page only)."""
        if spec.kind != "term" or spec.page != 1 or spec.taxonomy is None or spec.key is None:
            return ""
        return self.archive.intros.get((spec.taxonomy, spec.key), "")

    def editor_html(self, html: str) -> str:
        """HTML rendered from an editor's Markdown, under the site's raw-HTML policy."""
        if self.options.raw_html != "sanitize":
            return html
        return self.cache.text_fragment("sanitized", html, lambda: sanitize_html(html))

    def editor_html_of_all(self, htmls: Sequence[str]) -> Iterator[str]:
        """`editor_html` of each, in order, half of them in a forked child when there are
        enough (the generator's Markdown is only all ready at once, and the build waits for it)."""
        if self.options.raw_html == "sanitize" and worth_a_second_process(
            len(htmls), self.options.parallel_from
        ):
            return imap_split(self.editor_html, htmls)
        return map(self.editor_html, htmls)

    def use_site_urls(self, site_url: SiteUrl) -> None:
        """Tell the renderer where the generator publishes each source path (from the root)."""
        self.renderer.use_site_urls(site_url)

    def render_in_advance(self, shared: Sequence[SharedJob] = ()) -> None:
        """Render every article's fragments, and every generated page without an intro, in a
        child process while the generator converts Markdown (see parallel.py), if the options
        ask for it and the system can; then share the generator's own `shared` jobs with it.
        Call once the site's URLs are known; `close` when the build ends."""
        if worth_a_second_process(len(self.archive.articles), self.options.parallel_from):
            self.advance = RenderedInAdvance(self._advance_jobs, shared)

    def _advance_jobs(self) -> Iterator[tuple[tuple[str, str], Callable[[], str]]]:
        renderer = self.renderer
        for uri, article in self.articles_by_uri.items():
            yield ("header", uri), partial(renderer.article_header, article)
            yield ("footer", uri), partial(renderer.article_footer, article)
            yield ("search", uri), partial(renderer.search_article, article)
        for spec in self.pages:
            if not self.intro(spec):
                yield ("page", spec.src_uri), partial(renderer.page, spec, "")
                if spec.page == 1:
                    yield ("page-search", spec.src_uri), partial(renderer.search_page, spec, "")

    def _rendered(self, kind: str, uri: str, render: Callable[[], str]) -> str:
        if self.advance is not None:
            html = self.advance.get((kind, uri))
            if isinstance(html, str):
                return html
        return render()

    def _article_piece(self, kind: str, uri: str, article: Article, render: Callable[[], str]) -> str:
        """A fragment of one article alone: from the child that rendered it in advance, else
        from the serve cache, else rendered now."""
        return self._rendered(
            kind, uri, lambda: self.cache.article_fragment(kind, article.display_path, render)
        )

    def close(self) -> None:
        """End the build: stop rendering in advance and delete its spool."""
        if self.advance is not None:
            self.advance.close()
            self.advance = None

    def article_html(self, article: Article, safe_body_html: str, to_root: str) -> str:
        """The article page, for a page `to_root` ("../../") below the site root; the body
        must have been through `editor_html`."""
        renderer = self.renderer
        uri = urls.article_uri(article)
        boxes = self._article_piece("header", uri, article, lambda: renderer.article_header(article))
        # Not kept between serve builds: related coverage and neighbours depend on other articles.
        footer = self._rendered("footer", uri, lambda: renderer.article_footer(article))
        return relative_to_page(boxes, to_root) + safe_body_html + relative_to_page(footer, to_root)

    def redirect_html(self, article: Article, target_url: str) -> str:
        return self.renderer.redirect(article, target_url)

    def search_html(self, uri: str, content_html: str) -> str | None:
        """What the search index should get for a generated page or article: its text without
        the navigation markup; None for pages the search index should skip (later pages of a
        listing, whose rows are articles that are indexed themselves)."""
        article = self.articles_by_uri.get(uri)
        if article is not None:
            found = article  # bound for the closure
            facts = self._article_piece("search", uri, article, lambda: self.renderer.search_article(found))
            return facts + content_html
        spec = self.pages_by_uri[uri]
        if spec.page != 1:
            return None
        if content_html:  # an intro: rendered here, with it
            return self.renderer.search_page(spec, content_html)
        return self._rendered("page-search", uri, lambda: self.renderer.search_page(spec, ""))

    def page_html(self, spec: PageSpec, safe_intro_html: str, to_root: str) -> str:
        """A generated page, `to_root` below the site root; the intro must have been through
        `editor_html` (which leaves no `ROOT` marker in it)."""
        if safe_intro_html:  # an intro: rendered here, with it
            return relative_to_page(self.renderer.page(spec, safe_intro_html), to_root)
        return relative_to_page(
            self._rendered("page", spec.src_uri, lambda: self.renderer.page(spec, "")), to_root
        )
