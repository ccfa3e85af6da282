"""The archive's search index, made beside the build: records on a thread, Pagefind in its own
process, while the generator renders and writes pages on this one.

Every record comes from the archive itself (events, articles) or from the HTML the generator
has made of a page; nothing is read back from the written site.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..render import OVERVIEW_MARKER
from ..search_records import SearchRecord, SearchRecords
from ..site import ArchiveSite
from .pagefind import PagefindIndexer


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
        self._indexer: PagefindIndexer | None = None
        self._started = 0.0

    def start(self, pages: Sequence[SitePage]) -> None:
        self._started = time.perf_counter()
        self._indexer = PagefindIndexer(self.output_dir, self.language)
        self._indexer.index(self._records(list(pages)))

    def _records(self, pages: list[SitePage]) -> Iterator[SearchRecord]:
        yield from SearchRecords(self.site.index, self.site_urls.__getitem__).records(lambda a: a.body)
        for page in pages:
            yield SearchRecord(
                url=page.url,
                title=page.title,
                content=page.markdown.replace(OVERVIEW_MARKER, ""),  # an instruction, not text
                language=self.language,
                meta={"kind": "page"},
                filters={"kind": ["page"]},
            )

    def finish(self) -> str:
        """Wait for the index; raises `IndexingError` if Pagefind could not write it."""
        if self._indexer is None:
            return "search index: not started"
        indexer, self._indexer = self._indexer, None
        waited = time.perf_counter()
        indexer.finish()
        done = time.perf_counter()
        return (
            f"search index: {indexer.records:,} records in {self.output_dir.name}/, "
            f"{done - self._started:.1f} s, the build waited {done - waited:.1f} s for it"
        )

    def close(self) -> None:
        if self._indexer is not None:
            self._indexer.close()
            self._indexer = None
