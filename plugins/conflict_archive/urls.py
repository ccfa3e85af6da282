"""Where everything lives: the source paths (MkDocs `src_uri`s) of articles and generated pages.

Links are written between source paths and turned into relative URLs by whoever renders
the site (the MkDocs adapter asks MkDocs, which knows `use_directory_urls`).
"""

from __future__ import annotations

from .model import Article

ARTICLES_PREFIX = "articles"
DATES = "dates"


def article_uri(article: Article | str) -> str:
    path = article.path if isinstance(article, Article) else article
    return f"{ARTICLES_PREFIX}/{path}"


def _paged(base: str, page: int) -> str:
    return f"{base}/index.md" if page <= 1 else f"{base}/page/{page}/index.md"


def browse_uri() -> str:
    return "browse/index.md"


def taxonomy_uri(taxonomy: str, page: int = 1) -> str:
    return _paged(taxonomy, page)


def term_uri(taxonomy: str, key: str, page: int = 1) -> str:
    return _paged(f"{taxonomy}/{key}", page)


def search_uri() -> str:
    return "search/index.md"


def dates_uri() -> str:
    return f"{DATES}/index.md"


def year_uri(year: int) -> str:
    return f"{DATES}/{year:04d}/index.md"


def month_uri(year: int, month: int, page: int = 1) -> str:
    return _paged(f"{DATES}/{year:04d}/{month:02d}", page)
