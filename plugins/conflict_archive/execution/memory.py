"""What the builds of one process hand on to the next: a `mkdocs serve` session's memory.

MkDocs keeps the plugin between the rebuilds of `mkdocs serve`, and with it this: the last
build's readings of articles and the HTML it used (fragments and sanitized bodies); a one-off
build hands on nothing.
Everything is kept under the same keys as in the content store, so nothing stale is ever
taken; it only spares the next build reading the store. Each build replaces what it holds with
what it used, so it never outgrows one archive.
"""

from __future__ import annotations

from ..articles import ArticleReading

Html = dict[tuple[str, str], tuple[bytes, str]]  # (kind, name) -> (key, HTML)


class SessionMemory:
    def __init__(self) -> None:
        self.readings: dict[bytes, ArticleReading] = {}
        self.html: Html = {}
        # A serve session's builds hand on their HTML, and keep articles whole (bodies too)
        # for the next; a one-off build would only hold them until it ends.
        self.serving = False

    def html_of(self, kind: str, name: str, key: bytes) -> str | None:
        """The HTML the last build used under (kind, name), if it had this key."""
        found = self.html.get((kind, name))
        return found[1] if found is not None and found[0] == key else None
