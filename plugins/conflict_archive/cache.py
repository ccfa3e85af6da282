"""Validated articles kept between the builds of one `mkdocs serve` session.

Reading and validating an article depends only on its bytes, its path and the vocabularies.
The cache keeps each valid article under its path and the SHA-256 of its bytes for as long as
the vocabularies stay equal: an edited file has a new digest and is read again, and a change
to any vocabulary empties the cache, so no page is ever built from stale data. Files with
problems are not kept, so their messages are always produced afresh; entries for files that
a build no longer reads are dropped at its end, so the cache never outgrows the archive.

With `keep_fragments` (in `mkdocs serve` only: a one-off build would just hold the memory),
it also keeps HTML that depends on nothing but one article's content: its summary boxes, its
search text and its sanitized body. Those are keyed by the article's digest (or the HTML's)
and by `scheme`, which the generator sets to whatever else shapes them (URL style, template
files); a change to the scheme or the vocabularies empties them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
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
        self.digests: dict[str, bytes] = {}  # display path -> digest, for this build
        self.hits = 0
        self.misses = 0
        self.keep_fragments = False
        self.scheme: Hashable = None
        self._fragments_scheme: Hashable = None
        self._fragments: dict[Hashable, str] = {}
        self._fragments_used: set[Hashable] = set()

    def start(self, vocabularies: Mapping[str, Vocabulary]) -> None:
        """Begin a build with these vocabularies (before free-form tags are added)."""
        vocabularies_changed = self._vocabularies != vocabularies  # compares every term
        if vocabularies_changed or self._fragments_scheme != self.scheme:
            self._fragments.clear()
            self._fragments_scheme = self.scheme
        else:  # what the last build did not use belongs to edited or deleted articles
            self._fragments = {k: v for k, v in self._fragments.items() if k in self._fragments_used}
        if vocabularies_changed:
            self._entries.clear()
            self._vocabularies = dict(vocabularies)
        self._used = set()
        self._fragments_used = set()
        self.digests = {}
        self.hits = self.misses = 0

    @staticmethod
    def key(path: str, raw: bytes) -> tuple[str, bytes]:
        return (path, hashlib.sha256(raw).digest())

    def get(self, key: tuple[str, bytes]) -> CachedArticle | None:
        self._used.add(key)
        self.digests[key[0]] = key[1]
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

    def fragment(self, key: Hashable, render: Callable[[], str]) -> str:
        """`render()`, or what it returned for the same key in an earlier build of the session."""
        if not self.keep_fragments:
            return render()
        self._fragments_used.add(key)
        html = self._fragments.get(key)
        if html is None:
            html = self._fragments[key] = render()
        return html

    def text_fragment(self, kind: str, text: str, render: Callable[[], str]) -> str:
        """A fragment that depends only on `text` (and the scheme); the text is hashed only
        when fragments are kept, so a one-off build does not pay for it."""
        if not self.keep_fragments:
            return render()
        return self.fragment((kind, hashlib.sha256(text.encode()).digest()), render)

    def article_fragment(self, kind: str, display_path: str, render: Callable[[], str]) -> str:
        """A fragment that depends only on one article (read in this build) and the scheme."""
        digest = self.digests.get(display_path)
        if digest is None or not self.keep_fragments:
            return render()
        return self.fragment((kind, display_path, digest), render)
