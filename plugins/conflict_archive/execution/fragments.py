"""The archive's HTML fragments for one build: who renders them, and where they wait.

A page of the site is MkDocs' page around the archive's fragments: an article's header
(summary boxes), search text and footer; a generated page and its search text. Each is kept
in the content store under a key of everything it depends on (fragment_keys.py), so a build
renders only what an edit changed.

Where a second core is free, a worker process works out every fragment's key (the plan) and
renders what the store lacks into it while MkDocs converts Markdown; the build reads the plan
and the fragments back as MkDocs puts pages together, a window at a time. A plan is kept under
everything its keys are made of, so an unchanged archive is not planned twice.
Whatever is still missing then (no worker, or it failed) is rendered on the spot, from the
same code and inputs: the bytes are the same either way. Footers' keys depend on related
coverage, which takes the whole archive to work out: whoever works it out (the worker, or else
the build) keeps the footers' keys in the store under the archive's key, for the next build of
the same archive. Pages with an editor's intro are rendered when put together, since the
intro is MkDocs' own HTML.
"""

from __future__ import annotations

import enum
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..archive import Archive
from ..articles import ArticleReading
from ..model import Article
from ..pages import PageSpec
from ..render import Renderer
from ..site import ArchiveSite, SiteOptions
from ..vocabulary import Vocabulary
from .data_output import DataJob, write_data_files
from .fingerprints import digest
from .fragment_keys import FragmentKeys
from .memory import Html, SessionMemory
from .reading import KIND as READING_KIND
from .reading import collection_paused, unpickled_reading
from .store import ContentStore


class Kind(enum.Enum):
    HEADER = "header"
    SEARCH = "search"
    FOOTER = "footer"
    PAGE = "page"
    PAGE_SEARCH = "page-search"
    HEAD = "head"  # an article's citation metadata, for the <head>
    CITE = "cite"  # an article's "Cite this"


ARTICLE_KINDS = (Kind.HEADER, Kind.SEARCH)
FILE_KINDS = (Kind.HEAD, Kind.CITE)  # they name the file's hash, so an edit of the body renders them
FOOTER_KEYS = "footer-keys"  # the store's kind for every footer's key, under the archive's key
PLAN = "fragment-plan"  # the store's kind for every fragment's key, under `FragmentPlan.whole_key`
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
        case Kind.HEAD:
            return renderer.article_head(site.articles_by_uri[name])
        case Kind.CITE:
            return renderer.article_cite(site.articles_by_uri[name])


def footer_keys(keys: FragmentKeys, renderer: Renderer) -> dict[str, bytes]:
    """Every article's footer key: from related coverage with the shipped templates, which
    the renderer works out (once) for rendering footers anyway."""
    if keys.exact:
        return keys.footers(renderer.related, renderer.neighbours)
    return keys.footers_of_the_archive()


class FragmentPlan:
    """Every fragment the site's pages need, with its key; footers' keys once known."""

    def __init__(
        self,
        site: ArchiveSite,
        site_urls: dict[str, str],
        reading_keys: dict[str, bytes],
        keys: FragmentKeys | None = None,
        kept: tuple[dict[tuple[Kind, str], bytes], dict[str, bytes]] | None = None,
    ) -> None:
        """`kept`: the keys and footers' keys a plan of this very archive worked out (`kept()`)."""
        self.site = site
        self.site_urls = site_urls  # src_uri -> URL from the site root, for every page the archive adds
        self.reading_keys = reading_keys  # an article's display path -> its reading's key
        self.keys = keys or FragmentKeys(site, site_urls)
        self.known = kept[0] if kept else self._every_key()
        self.footers: dict[str, bytes] | None = kept[1] if kept else None  # src_uri -> key, once known
        self.stored = kept is not None  # whether the store holds this plan
        self._footers_worked_out = False  # here, for want of the store's: kept with the plan

    @staticmethod
    def whole_key(site: ArchiveSite, keys: FragmentKeys) -> bytes:
        """What the plan depends on: the archive as its pages show it (`keys.archive`), each
        article file's hash (which its citations name) and which term pages have an intro
        (rendered with it when put together, so not planned)."""
        shas = tuple(article.sha256 for article in site.archive.articles)
        return digest(keys.archive, shas, tuple(sorted(site.archive.intros)))

    @classmethod
    def kept(
        cls,
        store: ContentStore,
        site: ArchiveSite,
        site_urls: dict[str, str],
        reading_keys: dict[str, bytes],
        keys: FragmentKeys,
    ) -> FragmentPlan | None:
        """The plan a worker or an earlier build made of this very archive, footers included,
        if the store holds it: working it out again takes a second at 10,000 articles."""
        found = store.get_many(PLAN, {PLAN: cls.whole_key(site, keys)}).get(PLAN)
        if found is None:
            return None
        known, footers = pickle.loads(found)
        known = {(Kind(kind), name): key for (kind, name), key in known.items()}
        return cls(site, site_urls, reading_keys, keys, kept=(known, footers))

    def keep(self, store: ContentStore) -> None:
        """For `kept`: every key, once footers' are known too (and footers' keys on their own,
        under the archive's key, if worked out here: a body edit leaves them as they are)."""
        assert self.footers is not None, "footers' keys first"
        if self._footers_worked_out:
            store.put_many(FOOTER_KEYS, [(FOOTER_KEYS, self.keys.archive, pickle.dumps(self.footers))])
        known = {(kind.value, name): key for (kind, name), key in self.known.items()}
        value = pickle.dumps((known, self.footers), protocol=pickle.HIGHEST_PROTOCOL)
        store.put_many(PLAN, [(PLAN, self.whole_key(self.site, self.keys), value)])
        self.stored = True

    def _every_key(self) -> dict[tuple[Kind, str], bytes]:
        site = self.site
        known: dict[tuple[Kind, str], bytes] = {}
        for uri, article in site.articles_by_uri.items():
            for kind in ARTICLE_KINDS:
                known[(kind, uri)] = self.keys.article(kind.value, article)
            for kind in FILE_KINDS:
                known[(kind, uri)] = self.keys.article_file(kind.value, article)
        for spec in site.pages:
            if not site.intro(spec):
                known[(Kind.PAGE, spec.src_uri)] = self.keys.page(Kind.PAGE.value, spec)
                if spec.is_first:
                    known[(Kind.PAGE_SEARCH, spec.src_uri)] = self.keys.page(Kind.PAGE_SEARCH.value, spec)
        return known

    def key(self, kind: Kind, name: str) -> bytes:
        if kind is Kind.FOOTER:
            assert self.footers is not None, "footers' keys first"
            return self.footers[name]
        return self.known[(kind, name)]

    def find_footers(self, store: ContentStore) -> bool:
        """Footers' keys as an earlier build of this very archive worked them out, if kept."""
        if self.footers is None:
            found = store.get_many(FOOTER_KEYS, {FOOTER_KEYS: self.keys.archive}).get(FOOTER_KEYS)
            if found is not None:
                self.footers = pickle.loads(found)
        return self.footers is not None

    def settle_footers(self, store: ContentStore, renderer: Renderer) -> None:
        """Footers' keys: kept by a worker or an earlier build, or else worked out now."""
        if not self.find_footers(store):
            self.footers = footer_keys(self.keys, renderer)
            self._footers_worked_out = True

    def missing(self, store: ContentStore) -> list[Fragment]:
        """The fragments with known keys the store does not have (footers' only once known)."""
        kinds = [kind for kind in Kind if kind is not Kind.FOOTER or self.footers is not None]
        stored = {kind: store.keys(kind.value) for kind in kinds}
        wanted = [((kind, name), key) for (kind, name), key in self.known.items()]
        if self.footers is not None:
            wanted += [((Kind.FOOTER, uri), key) for uri, key in self.footers.items()]
        return [Fragment(kind, name, key) for (kind, name), key in wanted if stored[kind].get(name) != key]


def render_job(
    site: ArchiveSite,
    site_urls: dict[str, str],
    reading_keys: dict[str, bytes],
    store: ContentStore,
    fragments: Sequence[Fragment] | None,
    data: DataJob | None = None,
) -> RenderJob:
    """What a worker needs to render `fragments` exactly as the build would (None: the whole
    plan worked out there, footers included, and whatever of it the store lacks), and then to
    write the data files (`data`), if they are to be written."""
    archive = site.archive
    return RenderJob(
        store_folder=store.folder,
        articles=[(a.display_path, reading_keys[a.display_path]) for a in archive.articles],
        vocabularies=archive.vocabularies,
        intros=archive.intros,
        options=site.options,
        site_urls=site_urls,
        fragments=None if fragments is None else list(fragments),
        data=data,
    )


@dataclass(frozen=True)
class RenderJob:
    store_folder: Path
    articles: list[tuple[str, bytes]]  # (display path, reading key), in the archive's order
    vocabularies: dict[str, Vocabulary]  # as the build has them, free-form tags included
    intros: dict[tuple[str, str], str]  # term pages with an intro are rendered by the build
    options: SiteOptions
    site_urls: dict[str, str]
    fragments: list[Fragment] | None  # None: the whole plan worked out, kept, and what the store lacks
    data: DataJob | None = None  # the data files, written after the fragments


def render_into_store(job: RenderJob) -> None:
    """In a worker: the archive from the store, as the build has it; its fragments into it."""
    failures: list[str] = []
    store = ContentStore(job.store_folder, failures.append)
    try:
        wanted = {(READING_KIND, name): key for name, key in job.articles}
        with collection_paused():  # as in the build: a large structure without cycles
            # Bodies are most of an article's memory, and the shipped templates show none of
            # them (MkDocs converts them): without them, while the build holds its own.
            bodies = bool(job.options.template_dirs)  # a site's own templates may show them
            read = {
                name: _article_of(unpickled_reading(value), bodies) for _, name, value in store.each(wanted)
            }
            articles = tuple(_article(read.get(name)) for name, _ in job.articles)
            if failures:
                raise RuntimeError("; ".join(failures))
            site = ArchiveSite(Archive(articles, job.vocabularies, job.intros), job.options)
            del read
        if job.data is not None:
            # First, on the second core while the build reads Markdown and holds the least;
            # the build writes them itself if this does not finish.
            write_data_files(job.data, site)
        _render_into(store, site, job)
    finally:
        store.close()
    if failures:
        raise RuntimeError("; ".join(failures))


def _render_into(store: ContentStore, site: ArchiveSite, job: RenderJob) -> None:
    renderer = site.renderer(job.site_urls.__getitem__)
    if job.fragments is None:
        plan = FragmentPlan(site, job.site_urls, {})
        plan.settle_footers(store, renderer)
        fragments = plan.missing(store)
    else:
        fragments = job.fragments
    for batch in _batches(fragments, STORE_BATCH):
        for kind in Kind:
            rendered = [
                (f.name, f.key, render_fragment(site, renderer, kind, f.name).encode("utf-8"))
                for f in batch
                if f.kind is kind
            ]
            store.put_many(kind.value, rendered)
    if job.fragments is None:  # last: a plan in the store is one whose fragments are all there
        plan.keep(store)


def _article_of(reading: ArticleReading | None, body: bool) -> Article | None:
    article = None if reading is None else reading.article
    return article if article is None or body else replace(article, body="")


def _article(article: Article | None) -> Article:
    if article is None:
        raise RuntimeError("the store does not hold every article the build read")
    return article


def _batches(items: Sequence[Fragment], size: int) -> Iterator[Sequence[Fragment]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Fragments:
    """The fragments of one build, from the store, or rendered on the spot when missing."""

    def __init__(self, plan: FragmentPlan, store: ContentStore, memory: SessionMemory) -> None:
        self.plan = plan
        self.store = store
        self.memory = memory
        self.used: Html = {}  # what this build's pages took, for the next build of the session
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
        """The order in which the generator will ask for articles' fragments: they are then
        read from the store a window at a time, not one query per page, and never all at once."""
        self._order = {name: i for i, name in enumerate(order)}
        self._names = list(order)

    def get(self, kind: Kind, name: str) -> str:
        return self.get_all((kind,), name)[kind]

    def get_all(self, kinds: Sequence[Kind], name: str) -> dict[Kind, str]:
        """The fragments of `kinds` for the article or page `name`: from the session's memory,
        else the store, else rendered on the spot."""
        if Kind.FOOTER in kinds and self.plan.footers is None:
            self.plan.settle_footers(self.store, self.renderer)
        keys = {kind: self.plan.key(kind, name) for kind in kinds}
        fragments = {}
        for kind in kinds:
            html = self.memory.html_of(kind.value, name, keys[kind])
            if html is not None:
                fragments[kind] = html
        if len(fragments) < len(kinds):
            found = self._window.pop(name, None)
            if found is None:
                found = (
                    self._read_ahead(kinds, name) if name in self._order else self._read(kinds, [name])[name]
                )
            for kind in kinds:
                value = found.get(kind.value)
                if kind in fragments:
                    continue
                if value is not None:
                    fragments[kind] = value.decode("utf-8")
                else:
                    html = fragments[kind] = render_fragment(self.plan.site, self.renderer, kind, name)
                    self._rendered_here[kind].append((name, keys[kind], html.encode("utf-8")))
        if self.memory.serving:
            for kind, html in fragments.items():
                self.used[(kind.value, name)] = (keys[kind], html)
        return fragments

    def _stored(self, kinds: Sequence[Kind], name: str) -> dict[str, bytes]:
        """`name`'s fragments in the store: read ahead already, or now."""
        found = self._window.pop(name, None)
        if found is not None:
            return found
        return self._read_ahead(kinds, name) if name in self._order else self._read(kinds, [name])[name]

    def _read_ahead(self, kinds: Sequence[Kind], name: str) -> dict[str, bytes]:
        """`name`'s fragments, with those of the next names in the read-ahead order kept for
        when they are asked for."""
        position = self._order[name]
        self._window = self._read(kinds, self._names[position : position + READ_AHEAD])
        return self._window.pop(name)

    def _read(self, kinds: Sequence[Kind], names: Sequence[str]) -> dict[str, dict[str, bytes]]:
        """The stored fragments of `names` (name -> kind -> value); missing ones are left out."""
        wanted = {(kind.value, name): self.plan.key(kind, name) for name in names for kind in kinds}
        found: dict[str, dict[str, bytes]] = {name: {} for name in names}
        for kind, name, value in self.store.each(wanted):
            found[name][kind] = value
        return found

    def page_with_intro(self, spec: PageSpec, intro_html: str) -> str:
        return self.renderer.page(spec, intro_html)

    def search_with_intro(self, spec: PageSpec, intro_html: str) -> str:
        return self.renderer.search_page(spec, intro_html)

    def rendered_here(self) -> int:
        """How many fragments were rendered on the spot (not found in the store)."""
        return sum(len(entries) for entries in self._rendered_here.values())

    def keep(self) -> None:
        """Store what was rendered on the spot, for the next build; forget what no page needs."""
        for kind, entries in self._rendered_here.items():
            self.store.put_many(kind.value, entries)
            entries.clear()
        footers = self.plan.footers
        if footers is not None and not self.plan.stored:
            self.plan.keep(self.store)
        for kind in Kind:
            names = (
                set(footers or ()) if kind is Kind.FOOTER else {n for k, n in self.plan.known if k is kind}
            )
            if kind is not Kind.FOOTER or footers is not None:
                self.store.keep_only(kind.value, names)
