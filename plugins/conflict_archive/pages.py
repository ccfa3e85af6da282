"""The plan of generated pages: which index, term and date pages exist, and their titles.

The plan depends only on the archive and its index, never on MkDocs. Long listings are split
into pages of `page_size` items so that no page grows without bound with the archive.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from . import urls
from .index import ArchiveIndex, Listing

TAXONOMY_TITLES = {
    "regions": "Regions",
    "actors": "Actors",
    "event-types": "Event types",
    "weapons": "Weapons",
    "tags": "Tags",
}
HIERARCHICAL = frozenset({"regions", "actors", "event-types", "weapons"})


@dataclass(frozen=True)
class PageSpec:
    """One generated page. `kind` is browse, taxonomy, term, dates, year or month."""

    src_uri: str
    title: str
    kind: str
    taxonomy: str | None = None
    key: str | None = None
    year: int | None = None
    month: int | None = None
    page: int = 1
    pages: int = 1

    @property
    def is_first(self) -> bool:
        return self.page == 1


def page_count(count: int, page_size: int) -> int:
    return max(1, -(-count // page_size))


def listing_pages(listing: Listing, page_size: int) -> int:
    return page_count(max(len(listing.shown_events), len(listing.shown_articles)), page_size)


def month_name(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


def plan_pages(index: ArchiveIndex, page_size: int, index_page_size: int) -> list[PageSpec]:
    specs: list[PageSpec] = [PageSpec(urls.browse_uri(), "Browse", "browse")]
    for taxonomy, title in TAXONOMY_TITLES.items():
        terms = index.terms[taxonomy]
        pages = 1 if taxonomy in HIERARCHICAL else page_count(len(terms), index_page_size)
        specs += [
            PageSpec(urls.taxonomy_uri(taxonomy, p), title, "taxonomy", taxonomy, page=p, pages=pages)
            for p in range(1, pages + 1)
        ]
        vocabulary = index.vocabularies[taxonomy]
        for key, listing in terms.items():
            pages = listing_pages(listing, page_size)
            name = vocabulary[key].name
            specs += [
                PageSpec(urls.term_uri(taxonomy, key, p), name, "term", taxonomy, key, page=p, pages=pages)
                for p in range(1, pages + 1)
            ]
    specs.append(PageSpec(urls.dates_uri(), "Dates", "dates"))
    for year in index.years:
        specs.append(PageSpec(urls.year_uri(year), str(year), "year", year=year))
    for (year, month), listing in index.months.items():
        pages = listing_pages(listing, page_size)
        specs += [
            PageSpec(
                urls.month_uri(year, month, p),
                month_name(year, month),
                "month",
                year=year,
                month=month,
                page=p,
                pages=pages,
            )
            for p in range(1, pages + 1)
        ]
    return specs
