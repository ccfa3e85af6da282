"""Validated articles kept between the builds of one `mkdocs serve` session.

Reading and validating an article depends only on its bytes, its path and the vocabularies.
The cache keeps each valid article under its path and the SHA-256 of its bytes for as long as
the vocabularies stay equal: an edited file has a new digest and is read again, and a change
to any vocabulary empties the cache, so no page is ever built from stale data. Files with
problems are not kept, so their messages are always produced afresh; entries for files that
a build no longer reads are dropped at its end, so the cache never outgrows the archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Article
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class CachedArticle:
    article: Article
    tag_spellings: dict[str, list[str]]


class ArticleCache:
    def __init__(self) -> None:
        self._vocabularies: dict[str, Vocabulary] | None = None
        self._entries: dict[tuple[str, bytes], CachedArticle] = {}
        self._used: set[tuple[str, bytes]] = set()
        self.hits = 0
        self.misses = 0

    def start(self, vocabularies: Mapping[str, Vocabulary]) -> None:
        """Begin a build with these vocabularies (before free-form tags are added)."""
        if self._vocabularies != vocabularies:
            self._entries.clear()
            self._vocabularies = dict(vocabularies)
        self._used = set()
        self.hits = self.misses = 0

    @staticmethod
    def key(path: str, raw: bytes) -> tuple[str, bytes]:
        return (path, hashlib.sha256(raw).digest())

    def get(self, key: tuple[str, bytes]) -> CachedArticle | None:
        self._used.add(key)
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: tuple[str, bytes], entry: CachedArticle) -> None:
        self._entries[key] = entry

    def finish(self) -> None:
        """Forget the articles this build did not read (deleted, renamed or edited)."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
