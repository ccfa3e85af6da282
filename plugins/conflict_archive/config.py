"""The plugin's options, as a typed MkDocs config class (`plugins: - conflict-archive: ...`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .publication import FEED_SIZE, LICENCES


class Workers(base.BaseConfigOption[int | None]):
    """`auto` (None: as many as pay) or a whole number of worker processes (0: none)."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "auto"

    def run_validation(self, value: object) -> int | None:
        if value == "auto":
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise base.ValidationError(f"expected auto or a whole number of worker processes, got {value!r}")


class AtLeast(c.Type[int]):
    """A whole number, `minimum` or more."""

    def __init__(self, minimum: int, default: int, **kwargs: Any) -> None:
        super().__init__(int, default=default, **kwargs)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if number < self.minimum:
            raise base.ValidationError(f"must be at least {self.minimum}, got {number}")
        return number


class ConflictArchiveConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (for example for a quick docs-only build)."""

    articles_dir = c.Type(str, default="articles")
    """Folder of articles, relative to mkdocs.yml. Its `_vocabulary/` holds the site's vocabularies."""

    shipped_vocabularies = c.Type(bool, default=True)
    """Use the vocabularies shipped with the package (ACLED event types, gazetteer, actors, weapons)."""

    page_size = AtLeast(1, default=500)
    """Rows per page on term and month pages; longer listings are split into pages. Rows are
    about 300 bytes, so a full page stays near 160 KB."""

    index_page_size = AtLeast(1, default=200)
    """Terms per page on the flat index pages (tags); hierarchical indexes are one tree."""

    related_limit = AtLeast(1, default=5)
    """How many related articles each article page shows."""

    templates_dir = c.Optional(c.Type(str))
    """Folder of templates overriding the shipped fragments (event.html, term.html, ...).

    Relative to mkdocs.yml."""

    browse_nav = c.Type(bool, default=True)
    """Add a link to the browse page (which leads to every index) to the nav, unless the nav
    already lists browse/index.md. To show the indexes themselves in the nav, list them in
    `nav:` (regions/index.md, actors/index.md, ...)."""

    browse_nav_title = c.Type(str, default="Browse")

    raw_html = c.Choice(("sanitize", "allow"), default="sanitize")
    """Raw HTML in article bodies and term intros: `sanitize` keeps what Markdown produces
    and drops scripts, event handlers, iframes and javascript: URLs; `allow` trusts editors."""

    cache = c.Type(bool, default=True)
    """Keep validated articles and rendered fragments between builds (in `cache_dir`), keyed
    by everything they depend on, so a build only does again what changed. `false` keeps
    nothing; the output is the same either way."""

    cache_dir = c.Type(str, default=".cache/conflict-archive")
    """Where the cache lives, relative to mkdocs.yml."""

    workers = Workers()
    """Worker processes for the plugin's own reading and rendering, while MkDocs converts
    Markdown: `auto` (one per CPU this process may use beyond the first, up to 4, when there
    are 200 articles or fragments to do or more), or a number (0: none). The output is the
    same either way."""

    search = c.Choice(("pagefind", "material", "off"), default="material")
    """The archive's search: `pagefind` indexes every article and event with Pagefind, with
    filters, on a search page (search/) and a header box, in place of Material's search plugin
    (remove `search` from plugins); `material` (the default, until Pagefind's index costs
    less at scale: docs/benchmarks.md) hands the archive's pages to Material's search plugin;
    `off` adds neither."""

    licence = c.Optional(c.Choice(sorted(LICENCES)))
    """The licence of the archive's text and data, by its SPDX identifier (CC-BY-4.0,
    CC-BY-SA-4.0, CC-BY-NC-4.0, CC0-1.0, ODbL-1.0): named in every page's footer, in the data
    package and in citations. Left out, the archive states none."""

    term_data = c.Type(bool, default=True)
    """Publish each term's events as `events.csv` and `events.geojson` beside its page. A
    country's file is most of the archive, so together they outweigh the archive-wide files
    many times over (docs/benchmarks.md); `false` keeps only those in `data/`."""

    event_overview = AtLeast(0, default=3)
    """An article with this many events or more opens with a table of them, one row per event
    leading to its summary box; 0: never."""

    feed_size = AtLeast(1, default=FEED_SIZE)
    """Entries in each Atom and JSON feed (the newest reports); the term page lists the rest.
    Feeds are written only when `site_url` is set: a feed needs absolute links."""

    snapshot_version = c.Optional(c.Type(str))
    """The snapshot's name (`2025.11`), shown in every page's footer and carried by citations
    and the data package. Left out, the tag at git's HEAD names it, if there is one."""

    snapshot_date = c.Optional(c.Type(dt.date))
    """The snapshot's date (`2025-11-25`). Left out, the date of git's HEAD commit, else the
    newest date in the content."""

    third_party_fonts = c.Type(bool, default=False)
    """Material loads its fonts from Google Fonts unless told otherwise, which reports every
    reader's visit to a third party: for an archive read by people in and about conflict
    zones, the plugin turns that off (`theme.font: false`: the reader's system fonts). `true`
    leaves the theme's font setting as the site has it."""

    stylesheet = c.Type(bool, default=True)
    """Add the fragments' stylesheet (assets/conflict_archive.css) to the site."""
