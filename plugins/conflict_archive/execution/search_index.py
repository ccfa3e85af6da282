"""The archive's search index, made beside the build: records on a thread, Pagefind in its own
process, while the generator renders and writes pages on this one.

Two indexes ("bundles" in Pagefind's words), one after the other: the articles' and the site's
own pages' in `pagefind/`, the events' in `pagefind/events/`. A search is for events or for
articles, never both at once, so each query loads the index of what it looks for; and
Pagefind, whose memory while it writes an index is several times that of its records, holds
one index's records at a time. The header box searches both (Pagefind merges them in the
browser).

Every record comes from the archive itself (events, articles) or from the HTML the generator
has made of a page; nothing is read back from the written site.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..render import OVERVIEW_MARKER
from ..search_records import SearchRecord, SearchRecords
from ..site import ArchiveSite
from .pagefind import TIMEOUT_SECONDS, IndexingError, PagefindIndexer, pagefind_executable

EVENTS_BUNDLE = "events"  # the events' index, inside the articles' (`pagefind/events/`)


@dataclass(frozen=True)
class SitePage:
    """One of the site's own pages (not the archive's), searchable beside the archive."""

    url: str
    source_path: str
    markdown: str

    @property
    def title(self) -> str:
        """Its first heading, else its file name (the page has not been converted yet)."""
        for line in self.markdown.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.source_path.rsplit("/", 1)[-1].removesuffix(".md")


class SearchIndexing:
    """Records are made from sources, not from the pages MkDocs makes of them, so that the
    index is made while MkDocs works: an article's text is its Markdown (Pagefind's word
    splitting passes over the markup), the site's own pages' likewise."""

    def __init__(
        self, site: ArchiveSite, site_urls: Mapping[str, str], output_dir: Path, language: str
    ) -> None:
        self.site = site
        self.site_urls = site_urls
        self.output_dir = output_dir
        self.language = language
        self.records = 0
        self._thread: threading.Thread | None = None
        self._indexer: PagefindIndexer | None = None  # the bundle being made
        self._error: BaseException | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._started = 0.0

    def start(self, pages: Sequence[SitePage]) -> None:
        """Make both indexes on a thread; raises `IndexingError` if Pagefind cannot start."""
        self._started = time.perf_counter()
        try:  # here, so that a missing indexer fails the build at once
            executable = pagefind_executable()
        except (ImportError, OSError) as error:
            raise IndexingError(f"Pagefind's indexer is not installed ({error})") from error
        records = SearchRecords(self.site.index, self.site_urls.__getitem__)
        bundles: list[tuple[Path, Callable[[], Iterator[SearchRecord]]]] = [
            (self.output_dir, lambda: self._article_records(records, list(pages))),
            (self.output_dir / EVENTS_BUNDLE, records.event_records),
        ]
        self._thread = threading.Thread(
            target=self._index, args=(bundles, executable), name="search-index", daemon=True
        )
        self._thread.start()

    def _index(
        self, bundles: list[tuple[Path, Callable[[], Iterator[SearchRecord]]]], executable: Path
    ) -> None:
        try:
            for output_dir, records in bundles:
                with self._lock:  # `close` either stops this indexer or prevents it
                    if self._closed:
                        return
                    indexer = self._indexer = PagefindIndexer(output_dir, self.language, executable)
                indexer.index(records())
                indexer.finish()
                self.records += indexer.records
        except BaseException as error:  # reported by `finish`, on the build's thread
            self._error = error

    def _article_records(self, records: SearchRecords, pages: list[SitePage]) -> Iterator[SearchRecord]:
        yield from records.article_records(lambda a: a.body)
        for page in pages:
            yield SearchRecord(
                url=page.url,
                title=page.title,
                content=page.markdown.replace(OVERVIEW_MARKER, ""),  # an instruction, not text
                language=self.language,
                meta={"kind": "page"},
                filters={"kind": ["page"]},
            )

    def finish(self, timeout: float = 2 * TIMEOUT_SECONDS) -> str:
        """Wait for both indexes; raises `IndexingError` if Pagefind could not write them."""
        if self._thread is None:
            return "search index: not started"
        thread, self._thread = self._thread, None
        waited = time.perf_counter()
        thread.join(timeout)
        if thread.is_alive():
            self.close()
            raise IndexingError(f"Pagefind did not finish within {timeout:.0f} s")
        if self._error is not None:
            error, self._error = self._error, None
            if isinstance(error, IndexingError):
                raise error
            raise IndexingError(str(error)) from error
        done = time.perf_counter()
        return (
            f"search index: {self.records:,} records in {self.output_dir.name}/, "
            f"{done - self._started:.1f} s, the build waited {done - waited:.1f} s for it"
        )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            indexer = self._indexer
        if indexer is not None:
            indexer.close()
