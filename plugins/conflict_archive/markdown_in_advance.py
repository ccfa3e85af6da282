"""Article bodies converted in the second process, by MkDocs' own code (adapter side).

MkDocs spends most of a build converting Markdown, one page after another, in `Page.render`.
The child that renders the archive's fragments in advance (parallel.py) has time left when it
is done with them, so it converts articles too: from the back of the list, while MkDocs
converts them from the front, until the two meet.

The child calls the very same `Page.render` on a fork of the very same page, files and config,
so the HTML, table of contents, title and anchors are what MkDocs would have made. What it
logs meanwhile is kept, not printed, and logged here when MkDocs comes to the page, so warnings
keep their order and still count for `--strict`. The parent uses a child's page only if the
Markdown MkDocs is about to convert is exactly what the child converted (another plugin's
`on_page_markdown` may have changed it); otherwise MkDocs converts it as usual.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import meta

from .parallel import Key, RenderedInAdvance, SharedJob

KIND = "markdown"  # the key under which the child keeps a converted page


@dataclass(frozen=True)
class Converted:
    """What `Page.render` leaves on a page, in a form that pickles."""

    markdown_digest: bytes
    content: str
    toc: TableOfContents
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri
    records: list[logging.LogRecord]


def digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


def can_share(config: MkDocsConfig) -> bool:
    """Whether a forked child can convert pages as MkDocs would here: not if a plugin has put
    Markdown extension objects into the config (autorefs and the like keep what they see in
    their plugin's state, which a child's conversion would not update)."""
    return all(isinstance(extension, str) for extension in config.markdown_extensions)


def conversion(file: File, source: Callable[[], str], config: MkDocsConfig, files: Files) -> SharedJob:
    """The job the child runs for one page whose `on_page_read_source` gives `source()`
    (made only when the job runs: holding every article's text twice costs memory)."""

    def convert() -> Converted:
        records: list[logging.LogRecord] = []
        with _logs_kept(records):
            page = file.page or Page(None, file, config)
            markdown, _ = meta.get_data(source())  # as Page.read_source does
            page.markdown = markdown
            config._current_page = page  # as MkDocs sets it while it converts a page
            try:
                page.render(config, files)
            finally:
                config._current_page = None
        links = page.links_to_anchors
        converted = Converted(
            markdown_digest=digest(markdown),
            content=page.content or "",
            toc=page.toc,
            title_from_render=page._title_from_render,
            present_anchor_ids=page.present_anchor_ids,
            links_to_anchors=None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
            records=records,
        )
        page.markdown = page.content = None  # the child would otherwise hold every page it converted
        return converted

    return _key(file), convert


def _key(file: File) -> Key:
    return KIND, file.src_uri


@contextmanager
def _logs_kept(records: list[logging.LogRecord]) -> Iterator[None]:
    """In the child: every record a logger would handle goes into `records` instead (levels
    were checked already, with the parent's settings); filters and handlers see it in the
    parent."""

    def keep(logger: logging.Logger, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # arguments may not pickle
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        records.append(record)

    with mock.patch.object(logging.Logger, "handle", keep):
        yield


def render_from_the_child(page: Page, position: int, advance: RenderedInAdvance) -> Callable[..., None]:
    """A stand-in for `page.render` for the page at `position` in the shared list: takes the
    child's conversion when the child has it, and lets MkDocs convert the page otherwise."""

    def render(config: MkDocsConfig, files: Files) -> None:
        del page.__dict__["render"]  # MkDocs' own method again, from now on
        if not advance.parent_takes(position):
            converted = advance.get(_key(page.file))
            if isinstance(converted, Converted) and converted.markdown_digest == digest(page.markdown or ""):
                _use(page, converted, files)
                return
        page.render(config, files)

    return render


def _use(page: Page, converted: Converted, files: Files) -> None:
    page.content = converted.content
    page.toc = converted.toc
    page._title_from_render = converted.title_from_render
    page.present_anchor_ids = converted.present_anchor_ids
    if converted.links_to_anchors is not None:
        linked = ((files.get_file_from_path(uri), links) for uri, links in converted.links_to_anchors.items())
        page.links_to_anchors = {file: links for file, links in linked if file is not None}
    for record in converted.records:
        logging.getLogger(record.name).handle(record)
