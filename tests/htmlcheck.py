"""Reading built sites: every internal link, and where it points."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

_PARSED: dict[Path, BeautifulSoup] = {}


def forget_parsed_pages() -> None:
    """Called after every build: parsed pages are cached until the site changes."""
    _PARSED.clear()


def _soup(path: Path) -> BeautifulSoup:
    if path not in _PARSED:
        _PARSED[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return _PARSED[path]


def page_url(site: Path, file: Path) -> str:
    relative = file.relative_to(site).as_posix()
    return "/" + relative.removesuffix("index.html")


def resolve(site: Path, from_url: str, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal href points at; None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = urlsplit(urljoin(from_url, href))
    path = unquote(target.path)
    file = site / path.lstrip("/")
    if path.endswith("/"):
        file = file / "index.html"
    return file, target.fragment


def broken_links(site: Path) -> list[str]:
    """Every internal <a href> in the site whose file, or fragment, does not exist."""
    broken = []
    parse = _soup
    for file in sorted(site.rglob("*.html")):
        url = page_url(site, file)
        for anchor in parse(file).find_all("a", href=True):
            href = str(anchor["href"])
            target = resolve(site, url, href)
            if target is None:
                continue
            target_file, fragment = target
            if not target_file.is_file():
                broken.append(f"{url}: {href} -> missing {target_file.relative_to(site)}")
            elif fragment and parse(target_file).find(id=unquote(fragment)) is None:
                broken.append(f"{url}: {href} -> no #{fragment}")
    return broken


def linked_pages(site: Path, page: Path, selector: str) -> list[Path]:
    """The files that the links matching `selector` on `page` point at."""
    url = page_url(site, page)
    result = []
    for anchor in _soup(page).select(selector):
        target = resolve(site, url, str(anchor["href"]))
        assert target is not None, anchor
        result.append(target[0])
    return result


def all_pages_of(first: Path) -> list[Path]:
    """A listing page and the pages after it, following rel=next links."""
    pages = [first]
    site = _site_root(first)
    while True:
        following = _soup(pages[-1]).select_one('.ca-pager a[rel="next"]')
        if following is None:
            return pages
        target = resolve(site, page_url(site, pages[-1]), str(following["href"]))
        assert target is not None
        pages.append(target[0])


# An article's links to the terms it is filed under: in its summary boxes, and under "Filed
# under" for what the boxes do not show.
TERM_LINKS = "aside.ca-event dd:not([data-field=sources]) a, .ca-filed a"
ROW_REPORT_LINK = ".ca-events tbody td:last-child a"


def row_event_ids(page: BeautifulSoup) -> list[str]:
    """The events a listing page shows, in order: each row's report link ends in #event-<id>."""
    return [str(a["href"]).split("#event-", 1)[1] for a in page.select(ROW_REPORT_LINK)]


def listed_articles(first: Path) -> set[Path]:
    """The article pages a listing leads to, over all its pages: through its event rows (each
    links to its report) and its list of other articles."""
    site = _site_root(first)
    listed: set[Path] = set()
    for page in all_pages_of(first):
        url = page_url(site, page)
        for anchor in _soup(page).select(f"{ROW_REPORT_LINK}, .ca-articles a"):
            target = resolve(site, url, str(anchor["href"]))
            assert target is not None, anchor
            listed.add(target[0])
    return listed


def _site_root(file: Path) -> Path:
    for parent in file.parents:
        if (parent / "sitemap.xml").exists():
            return parent
    raise AssertionError(f"no site root above {file}")


def soup(path: Path) -> BeautifulSoup:
    return _soup(path)
