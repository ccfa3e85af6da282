"""One build of an archive site, whatever generator drives it: the execution policy.

`ArchiveBuild` decides how the work is done (what comes from the cache, what a worker process
does, what runs on threads); the core it drives (`load_archive`, `ArchiveSite`, `Renderer`)
only says what the site is. A generator adapter makes one per build, in this order:

1. `load()`: read and validate the archive (readings from the cache, the rest shared with
   workers) and plan its site; raises `ArchiveError` with every problem.
2. `render_ahead(site_urls)`: once the generator knows every page's URL, start planning the
   fragments and rendering those the cache lacks, in a worker while the generator converts
   Markdown.
3. `sanitized(htmls)`: editors' HTML under the raw-HTML policy, on threads.
4. `search_html(...)` and `page_html(...)`: each page's search text and HTML.
5. `close(succeeded)`: keep what is worth keeping, stop workers, release memory.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import urls
from ..archive import Archive, load_archive
from ..documents import read_document
from ..model import Article
from ..pages import PageSpec, TermPage
from ..render import relative_to_page
from ..sanitize import sanitize_html
from ..site import ArchiveSite, SiteOptions
from .data_output import DataOutput
from .fingerprints import code_fingerprint, digest
from .fragment_keys import FragmentKeys
from .fragments import FragmentPlan, Fragments, Kind, render_into_store, render_job
from .memory import SessionMemory
from .reading import KIND as READING_KIND
from .reading import CachedReader, collection_paused, unpickled_reading
from .store import ContentStore, Report
from .workers import WorkerJob, map_on_threads, usable_cpus, worker_count

SANITIZED = "sanitized"  # the store's kind for editors' HTML after the raw-HTML policy
ARTICLE_PAGE = (Kind.SEARCH, Kind.HEADER, Kind.FOOTER, Kind.CITE, Kind.HEAD)  # what an article page needs


SANITIZE_CHUNK = 500  # pages sanitized at a time: at most these are held twice


def sanitized_key(html: str) -> bytes:
    """Sanitizing depends on the HTML, the policy (code) and nh3 (in the code fingerprint)."""
    content = hashlib.blake2b(html.encode("utf-8"), digest_size=16).digest()
    return digest(code_fingerprint(), SANITIZED, content)


@dataclass(frozen=True)
class BuildSettings:
    articles_dir: Path
    display_dir: str  # how messages name the articles folder
    shipped_vocabularies: bool
    site: SiteOptions
    cache_dir: Path | None  # None: nothing is kept between builds
    workers: int | None  # worker processes; None: as many as pay


class ArchiveBuild:
    def __init__(self, settings: BuildSettings, memory: SessionMemory, report: Report) -> None:
        self.settings = settings
        self.memory = memory
        self.report = report
        # Without a cache the store still carries work between the build and its workers,
        # in a folder of its own that goes when the build ends.
        self._scratch = None if settings.cache_dir else Path(tempfile.mkdtemp(prefix="conflict-archive-"))
        self.store = ContentStore(settings.cache_dir or self._scratch or Path(), report)
        self.reader = CachedReader(self.store, memory, settings.workers, report)
        self.site: ArchiveSite | None = None
        self.fragments: Fragments | None = None
        self._site_urls: dict[str, str] | None = None  # from render_ahead
        self._keys: FragmentKeys | None = None  # every fragment's key is made of these
        self._job: WorkerJob | None = None
        self._held: dict[str, dict[Kind, str]] = {}  # an article's fragments, from search to assembly
        self._sanitized_names: set[str] = set()
        self._threads = usable_cpus()  # nh3 releases the GIL
        self._frozen = False
        self.data_output = DataOutput(settings.cache_dir, report)
        self._heads: dict[TermPage | None, str] = {}
        self._article_heads: dict[str, str] = {}  # an article's citation metadata, from assembly to writing
        self._bodies: dict[str, str] | None = None  # articles' bodies, by path, when set aside

    @property
    def archive(self) -> Archive:
        assert self.site is not None, "load() first"
        return self.site.archive

    def load(self) -> ArchiveSite:
        settings = self.settings
        # The archive and its index are hundreds of thousands of objects, made at once and kept
        # until the build ends, with no cycles among them: every collection of the cyclic GC
        # would walk them all again, for nothing to free. Off while they are made, then frozen
        # out of its sight for the build; close() hands them back.
        with collection_paused():
            archive = load_archive(
                settings.articles_dir,
                settings.display_dir,
                shipped_vocabularies=settings.shipped_vocabularies,
                read=self.reader,
            )
            options = settings.site
            kept_whole = self.memory.serving or options.search or options.template_dirs
            if not kept_whole and self.store.usable:  # the store gives back a body asked for twice
                archive = self._bodies_aside(archive)
            self.site = ArchiveSite(archive, settings.site)
            gc.freeze()
            self._frozen = True
        return self.site

    def _bodies_aside(self, archive: Archive) -> Archive:
        """The archive without its articles' bodies, which are set aside for `body`: a one-off
        build needs each once, when the generator reads the article's page (which then holds
        its own copy), and bodies are most of an article's memory. Kept whole for a serve
        session's next build, for the search index (which reads them while pages are read) and
        for a site's own templates (which may show them)."""
        self._bodies = {article.path: article.body for article in archive.articles}
        self.memory.readings = {}  # they hold the bodies too, and no next build will take them
        return replace(archive, articles=tuple(replace(article, body="") for article in archive.articles))

    def body(self, article: Article) -> str:
        """An article's Markdown body, for the generator to convert. Set aside, it is handed
        over once and let go; asked for again, it is read back from the store."""
        if self._bodies is None:
            return article.body
        body = self._bodies.pop(article.path, None)
        if body is None:
            name = article.display_path
            value = self.store.get_many(READING_KIND, {name: self.reader.keys[name]}).get(name)
            reading = None if value is None else unpickled_reading(value)
            if reading is None or reading.article is None:  # the store failed since: the file
                raw = (self.settings.articles_dir / article.path).read_bytes()
                return read_document(raw, name).body
            body = reading.article.body
        return body

    def data_files(self, page_urls: Mapping[str, str]) -> dict[str, Path]:
        """Where the archive's data files and feeds will be, by their path in the site, for the
        generator to copy in once `wait_for_workers` returns (`data_output.py`: kept in the
        cache, written only when what they show changed, by the rendering worker if one runs).
        `page_urls` is each of the archive's pages' URL from the site root."""
        assert self.site is not None, "load() first"
        return self.data_output.plan(self.site, page_urls)

    def render_ahead(self, site_urls: dict[str, str]) -> str:
        """With `site_urls` (each of the archive's source paths -> its URL from the site root):
        start a worker that plans every fragment and renders those the cache lacks, if one
        pays; else plan here, and start a worker on what the cache lacks if that pays. Says
        what it did, for the generator's debug log."""
        assert self.site is not None, "load() first"
        self._site_urls = site_urls
        data = ", data files first" if self.data_output.job else ""  # a worker, if one runs, writes them
        plan = self._kept_plan()
        work = len(self.site.archive.articles)
        if plan is None and self.store.usable and worker_count(self.settings.workers, work):
            # Working out every key takes a second at 10,000 articles, and footers' more (related
            # coverage): the worker does it while MkDocs converts Markdown, and keeps the plan
            # in the store, where `wait_for_workers` finds it.
            job = render_job(self.site, site_urls, self.reader.keys, self.store, None, self.data_output.job)
            self._job = WorkerJob(render_into_store, job, work, "rendering")
            return f"fragments: planned and what the cache lacks rendered by a worker{data}"
        plan = plan or self._plan_here()
        self.fragments = Fragments(plan, self.store, self.memory)
        footers_known = plan.find_footers(self.store)
        missing = plan.missing(self.store)
        footers = "" if footers_known else ", footers after related coverage"
        if missing and self.store.usable and worker_count(self.settings.workers, len(missing)):
            # The store holds every reading the job needs: load() wrote them.
            job = render_job(
                self.site, site_urls, self.reader.keys, self.store, missing, self.data_output.job
            )
            self._job = WorkerJob(render_into_store, job, len(missing), "rendering")
            return f"fragments: {len(missing)} to render by a worker{data}{footers}"
        self.data_output.write(self.site)
        return f"fragments: {len(missing)} to render here{footers}"

    def sanitized(self, pages: Sequence[tuple[str, str]]) -> Iterator[str]:
        """The HTML of each of `pages` ((src_uri, editors' HTML)) under the site's raw-HTML
        policy, in order: from the cache when that very HTML was sanitized before. In chunks,
        so that at most a chunk of pages is held twice (before and after)."""
        if self.settings.site.raw_html != "sanitize":
            yield from (html for _, html in pages)
            return
        memory, used = self.memory, self.fragments.used if self.fragments is not None else {}
        for start in range(0, len(pages), SANITIZE_CHUNK):
            chunk = pages[start : start + SANITIZE_CHUNK]
            keys = {uri: sanitized_key(html) for uri, html in chunk}
            self._sanitized_names.update(keys)
            remembered = {uri: memory.html_of(SANITIZED, uri, key) for uri, key in keys.items()}
            kept = self.store.get_many(SANITIZED, {u: k for u, k in keys.items() if remembered[u] is None})
            to_clean = [html for uri, html in chunk if remembered[uri] is None and uri not in kept]
            cleaned = map_on_threads(sanitize_html, to_clean, self._threads)
            new: list[tuple[str, bytes, bytes]] = []
            for uri, _ in chunk:
                safe = remembered[uri]
                if safe is None:
                    value = kept.pop(uri, None)
                    if value is None:
                        safe = next(cleaned)
                        new.append((uri, keys[uri], safe.encode("utf-8")))
                    else:
                        safe = value.decode("utf-8")
                if memory.serving:
                    used[(SANITIZED, uri)] = (keys[uri], safe)
                yield safe
            self.store.put_many(SANITIZED, new)

    def read_ahead(self, article_order: Sequence[str]) -> None:
        """The order in which the generator will put articles together (their src_uri): their
        fragments are then read from the cache a window at a time."""
        self._fragments().read_ahead(article_order)

    def wait_for_workers(self) -> None:
        """Let the rendering job finish; if it failed, the fragments are rendered on the spot.
        The plan is then the worker's, from the store, or else worked out here."""
        if self._job is not None:
            failure = self._job.wait()
            self._job = None
            if failure:
                self.report(f"a worker process failed, so the build renders its fragments itself: {failure}")
            if not self.data_output.written_elsewhere():
                assert self.site is not None
                self.data_output.write(self.site)
        if self.fragments is None and self._site_urls is not None:
            self.fragments = Fragments(self._kept_plan() or self._plan_here(), self.store, self.memory)

    def _fragment_keys(self) -> FragmentKeys:
        """What every fragment's key is made of (once per build: hashing every URL and article)."""
        assert self.site is not None and self._site_urls is not None, "render_ahead() first"
        if self._keys is None:
            self._keys = FragmentKeys(self.site, self._site_urls)
        return self._keys

    def _kept_plan(self) -> FragmentPlan | None:
        """The plan of this very archive, if a worker or an earlier build kept it."""
        keys = self._fragment_keys()
        assert self.site is not None and self._site_urls is not None
        return FragmentPlan.kept(self.store, self.site, self._site_urls, self.reader.keys, keys)

    def _plan_here(self) -> FragmentPlan:
        keys = self._fragment_keys()
        assert self.site is not None and self._site_urls is not None
        return FragmentPlan(self.site, self._site_urls, self.reader.keys, keys)

    def _fragments(self) -> Fragments:
        self.wait_for_workers()
        if self.fragments is None:
            raise RuntimeError("render_ahead() first: the fragments need the pages' URLs")
        return self.fragments

    def search_html(self, article: Article | None, spec: PageSpec | None, editor_html: str) -> str | None:
        """What the search index gets for an article or a generated page: its text without the
        navigation markup; None for later pages of a listing, whose rows are indexed as articles."""
        fragments = self._fragments()
        if article is not None:
            uri = urls.article_uri(article)
            found = fragments.get_all(ARTICLE_PAGE, uri)
            self._held[uri] = found  # page_html needs the rest shortly
            return found[Kind.SEARCH] + editor_html
        assert spec is not None
        if not spec.is_first:
            return None
        if editor_html:  # an intro, only known now
            return fragments.search_with_intro(spec, editor_html)
        return fragments.get(Kind.PAGE_SEARCH, spec.src_uri)

    def page_html(
        self,
        article: Article | None,
        spec: PageSpec | None,
        editor_html: str,
        to_root: str,
        history: str = "",
    ) -> str:
        """The page's HTML `to_root` ("../../") below the site root; `editor_html` (its body or
        intro) must have been through `sanitized`; an article's `history` goes before "Cite this"."""
        fragments = self._fragments()
        if article is not None:
            uri = urls.article_uri(article)
            found = self._held.pop(uri, None) or fragments.get_all(ARTICLE_PAGE, uri)
            self._article_heads[uri] = found[Kind.HEAD]  # for head_html, once the page is written
            header = relative_to_page(found[Kind.HEADER], to_root)
            footer = relative_to_page(found[Kind.FOOTER], to_root)
            return header + editor_html + footer + history + relative_to_page(found[Kind.CITE], to_root)
        assert spec is not None
        if editor_html:  # an intro: rendered with it, now
            return relative_to_page(fragments.page_with_intro(spec, editor_html), to_root)
        return relative_to_page(fragments.get(Kind.PAGE, spec.src_uri), to_root)

    def head_html(self, article: Article | None, spec: PageSpec | None) -> str:
        """What a page of the site adds to its `<head>` (any page: the site's own pages get the
        archive's feeds too). Only term pages differ from one another, so the rest is made once."""
        if not isinstance(spec, TermPage):
            spec = None
        head = self._heads.get(spec)
        if head is None:
            head = self._heads[spec] = self._fragments().renderer.head(spec)
        if article is not None:
            uri = urls.article_uri(article)
            citation = self._article_heads.pop(uri, None)
            if citation is None:
                citation = self._fragments().get(Kind.HEAD, uri)
            head += citation
        return head

    def close(self, succeeded: bool) -> str:
        """End the build: keep what was rendered here (if it succeeded), stop any worker. Says
        how many fragments were rendered on the spot, for the generator's debug log."""
        if self._job is not None:
            self._job.stop()
            self._job = None
        rendered = 0 if self.fragments is None else self.fragments.rendered_here()
        if succeeded and self.fragments is not None:
            self.fragments.keep()
            if self.memory.serving:
                self.memory.html = self.fragments.used
            self.store.keep_only(READING_KIND, self.reader.stored)
            self.store.keep_only(SANITIZED, self._sanitized_names)
        self.store.close()
        self.data_output.close(succeeded)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        return f"fragments rendered on the spot: {rendered}"
