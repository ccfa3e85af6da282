"""The archive's HTML fragments for one build: their keys, who renders them, where they wait.

A page of the site is MkDocs' page around the archive's fragments:

| kind | what | depends on |
|---|---|---|
| header | an article's title block and summary boxes | the article |
| search | an article's facts for the search index | the article |
| footer | filed under, sources, corrections, related coverage, neighbours | other articles too |
| page | a generated page (index, term, date) | the archive as a whole |
| page-search | the search text of a listing's first page | the archive as a whole |

and on the vocabularies, the code, the templates and the URLs of the site's pages. Each key
is a digest of exactly that: article fragments are keyed by the article's own bytes, so an
edit renders only its own; footers and pages by the whole archive, so any change renders them
all again, which keeps them right without tracking which article shows on which page.

Fragments are rendered into the content store, by a worker process while MkDocs converts
Markdown when there is a second core, and read back page by page when MkDocs puts the page
together. Whatever is not in the store by then (no worker, or it failed) is rendered on the
spot, from the same code and inputs: the bytes are the same either way. Pages with an
editor's intro are rendered when put together, since the intro is MkDocs' own HTML.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..archive import Archive
from ..pages import PageSpec
from ..render import Renderer
from ..site import ArchiveSite, SiteOptions
from ..vocabulary import Vocabulary
from .fingerprints import (
    code_fingerprint,
    digest,
    folders_fingerprint,
    mapping_fingerprint,
    vocabulary_fingerprint,
)
from .reading import KIND as READING_KIND
from .reading import unpickled_reading
from .store import ContentStore


class Kind(enum.Enum):
    HEADER = "header"
    SEARCH = "search"
    FOOTER = "footer"
    PAGE = "page"
    PAGE_SEARCH = "page-search"


ARTICLE_KINDS = (Kind.HEADER, Kind.SEARCH)
STORE_BATCH = 500  # fragments per transaction: results reach the store while the job runs
READ_AHEAD = 500  # articles whose fragments are read from the store at once


@dataclass(frozen=True)
class Fragment:
    kind: Kind
    name: str  # the src_uri of the article or page
    key: bytes


def render_fragment(site: ArchiveSite, renderer: Renderer, kind: Kind, name: str) -> str:
    """One fragment, links from the site root (`render.ROOT`)."""
    match kind:
        case Kind.HEADER:
            return renderer.article_header(site.articles_by_uri[name])
        case Kind.SEARCH:
            return renderer.search_article(site.articles_by_uri[name])
        case Kind.FOOTER:
            return renderer.article_footer(site.articles_by_uri[name])
        case Kind.PAGE:
            return renderer.page(site.pages_by_uri[name], "")
        case Kind.PAGE_SEARCH:
            return renderer.search_page(site.pages_by_uri[name], "")


@dataclass
class FragmentPlan:
    """Every fragment the site's pages need, with its key."""

    site: ArchiveSite
    site_urls: dict[str, str]  # src_uri -> URL from the site root, for every page the archive adds
    reading_keys: dict[str, bytes]  # an article's display path -> its reading's key
    keys: dict[tuple[Kind, str], bytes] = field(init=False)

    def __post_init__(self) -> None:
        site, options = self.site, self.site.options
        rendering = digest(
            code_fingerprint(),
            folders_fingerprint(options.template_dirs),
            mapping_fingerprint(self.site_urls),
            vocabulary_fingerprint(site.archive.vocabularies),
            (options.page_size, options.index_page_size, options.related_limit),
        )
        archive = digest(rendering, tuple((a.display_path, a.sha256) for a in site.archive.articles))
        keys = {}
        for uri, article in site.articles_by_uri.items():
            for kind in ARTICLE_KINDS:
                keys[(kind, uri)] = digest(kind.value, uri, article.sha256, rendering)
            keys[(Kind.FOOTER, uri)] = digest(Kind.FOOTER.value, uri, archive)
        for spec in site.pages:
            if not site.intro(spec):
                keys[(Kind.PAGE, spec.src_uri)] = digest(Kind.PAGE.value, spec.src_uri, archive)
                if spec.is_first:
                    keys[(Kind.PAGE_SEARCH, spec.src_uri)] = digest(
                        Kind.PAGE_SEARCH.value, spec.src_uri, archive
                    )
        self.keys = keys

    def fragments(self) -> Iterator[Fragment]:
        for (kind, name), key in self.keys.items():
            yield Fragment(kind, name, key)

    def missing(self, store: ContentStore) -> list[Fragment]:
        """The fragments the store does not have under their keys (what is left to render)."""
        stored = {kind: store.keys(kind.value) for kind in Kind}
        return [
            Fragment(kind, name, key)
            for (kind, name), key in self.keys.items()
            if stored[kind].get(name) != key
        ]

    def job(self, store: ContentStore, fragments: Sequence[Fragment]) -> RenderJob:
        """What a worker needs to render `fragments` exactly as the build would."""
        archive = self.site.archive
        return RenderJob(
            store_folder=store.folder,
            articles=[(a.display_path, self.reading_keys[a.display_path]) for a in archive.articles],
            vocabularies=archive.vocabularies,
            options=self.site.options,
            site_urls=self.site_urls,
            fragments=list(fragments),
        )


@dataclass(frozen=True)
class RenderJob:
    store_folder: Path
    articles: list[tuple[str, bytes]]  # (display path, reading key), in the archive's order
    vocabularies: dict[str, Vocabulary]  # as the build has them, free-form tags included
    options: SiteOptions
    site_urls: dict[str, str]
    fragments: list[Fragment]


def render_into_store(job: RenderJob) -> None:
    """In a worker: the archive from the store, as the build has it; its fragments into it."""
    failures: list[str] = []
    store = ContentStore(job.store_folder, failures.append)
    try:
        stored = store.get_many(READING_KIND, dict(job.articles))
        readings = [
            unpickled_reading(stored[display]) if display in stored else None for display, _ in job.articles
        ]
        if failures or any(r is None or r.article is None for r in readings):
            raise RuntimeError("the store does not hold every article the build read")
        articles = tuple(r.article for r in readings if r is not None and r.article is not None)
        site = ArchiveSite(Archive(articles, job.vocabularies), job.options)
        renderer = site.renderer(job.site_urls.__getitem__)
        for batch in _batches(job.fragments, STORE_BATCH):
            for kind in Kind:
                rendered = [
                    (f.name, f.key, render_fragment(site, renderer, kind, f.name).encode("utf-8"))
                    for f in batch
                    if f.kind is kind
                ]
                store.put_many(kind.value, rendered)
    finally:
        store.close()
    if failures:
        raise RuntimeError("; ".join(failures))


def _batches(items: Sequence[Fragment], size: int) -> Iterator[Sequence[Fragment]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Fragments:
    """The fragments of one build, from the store, or rendered on the spot when missing."""

    def __init__(self, plan: FragmentPlan, store: ContentStore) -> None:
        self.plan = plan
        self.store = store
        self._renderer: Renderer | None = None
        self._rendered_here: dict[Kind, list[tuple[str, bytes, bytes]]] = {kind: [] for kind in Kind}
        self._order: dict[str, int] = {}
        self._names: list[str] = []
        self._window: dict[str, dict[str, bytes]] = {}  # name -> kind -> value, read ahead

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = self.plan.site.renderer(self.plan.site_urls.__getitem__)
        return self._renderer

    def read_ahead(self, order: Sequence[str]) -> None:
        """The order in which the generator will ask for articles' fragments (`ARTICLE_KINDS`
        and footers): they are then read from the store a window at a time, not one query per
        page, and never all at once."""
        self._order = {name: i for i, name in enumerate(order)}
        self._names = list(order)

    def get(self, kind: Kind, name: str) -> str:
        return self.get_all((kind,), name)[kind]

    def get_all(self, kinds: Sequence[Kind], name: str) -> dict[Kind, str]:
        """The fragments of `kinds` for the article or page `name`."""
        found = self._window.pop(name, None)
        if found is None:
            found = self._read_ahead(kinds, name) if name in self._order else self._read(kinds, [name])[name]
        fragments = {}
        for kind in kinds:
            value = found.get(kind.value)
            if value is not None:
                fragments[kind] = value.decode("utf-8")
            else:
                html = fragments[kind] = render_fragment(self.plan.site, self.renderer, kind, name)
                self._rendered_here[kind].append((name, self.plan.keys[(kind, name)], html.encode("utf-8")))
        return fragments

    def _read_ahead(self, kinds: Sequence[Kind], name: str) -> dict[str, bytes]:
        """`name`'s fragments, with those of the next names in the read-ahead order kept for
        when they are asked for."""
        position = self._order[name]
        self._window = self._read(kinds, self._names[position : position + READ_AHEAD])
        return self._window.pop(name)

    def _read(self, kinds: Sequence[Kind], names: Sequence[str]) -> dict[str, dict[str, bytes]]:
        """The stored fragments of `names` (name -> kind -> value); missing ones are left out."""
        wanted = {(kind.value, name): self.plan.keys[(kind, name)] for name in names for kind in kinds}
        found: dict[str, dict[str, bytes]] = {name: {} for name in names}
        for (kind, name), value in self.store.get(wanted).items():
            found[name][kind] = value
        return found

    def page_with_intro(self, spec: PageSpec, intro_html: str) -> str:
        return self.renderer.page(spec, intro_html)

    def search_with_intro(self, spec: PageSpec, intro_html: str) -> str:
        return self.renderer.search_page(spec, intro_html)

    def keep(self) -> None:
        """Store what was rendered on the spot, for the next build; forget what no page needs."""
        for kind, entries in self._rendered_here.items():
            self.store.put_many(kind.value, entries)
            entries.clear()
        for kind in Kind:
            self.store.keep_only(kind.value, {name for k, name in self.plan.keys if k is kind})
