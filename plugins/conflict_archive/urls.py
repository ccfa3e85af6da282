"""Where everything lives: the source paths (MkDocs `src_uri`s) of articles and generated pages.

Links are written between source paths and turned into relative URLs by whoever renders
the site (the MkDocs adapter asks MkDocs, which knows `use_directory_urls`).
"""

from __future__ import annotations

from urllib.parse import quote

from .model import Article

ARTICLES_PREFIX = "articles"
DATES = "dates"
CHANGES = "changes"  # what changed, snapshot by snapshot
CHANGES_FEED = f"{CHANGES}/feed.xml"


def article_uri(article: Article | str) -> str:
    path = article.path if isinstance(article, Article) else article
    return f"{ARTICLES_PREFIX}/{path}"


def _paged(base: str, page: int) -> str:
    return f"{base}/index.md" if page <= 1 else f"{base}/page/{page}/index.md"


def changes_uri(page: int = 1) -> str:
    return _paged(CHANGES, page)


def browse_uri() -> str:
    return "browse/index.md"


def taxonomy_uri(taxonomy: str, page: int = 1) -> str:
    return _paged(taxonomy, page)


def term_uri(taxonomy: str, key: str, page: int = 1) -> str:
    return _paged(f"{taxonomy}/{key}", page)


def search_uri() -> str:
    return "search/index.md"


def map_uri() -> str:
    return "map/index.md"


def dates_uri() -> str:
    return f"{DATES}/index.md"


def year_uri(year: int) -> str:
    return f"{DATES}/{year:04d}/index.md"


def month_uri(year: int, month: int, page: int = 1) -> str:
    return _paged(f"{DATES}/{year:04d}/{month:02d}", page)


# Files besides pages, published where they are named (a static file's URL is its path).
DATA = "data"
FEED_ATOM = "feed.xml"
FEED_JSON = "feed.json"
TERM_CSV = "events.csv"
TERM_GEOJSON = "events.geojson"


def data_uri(name: str) -> str:
    """The archive-wide data files: `data/events.csv`, `data/datapackage.json`."""
    return f"{DATA}/{name}"


def term_file_uri(taxonomy: str, key: str, name: str) -> str:
    """A file beside a term's page: `regions/kyiv/feed.xml`, `regions/kyiv/events.csv`."""
    return f"{taxonomy}/{key}/{name}"


def file_url(src_uri: str) -> str:
    """The URL of a file that is not a page, from the site root: its path, percent-encoded as
    MkDocs does (a tag's key may be in any script)."""
    return quote(src_uri)
