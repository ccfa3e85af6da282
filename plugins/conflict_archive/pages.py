"""The plan of generated pages: which index, term and date pages exist, and their titles.

One small class per kind of page, so that whoever renders or dates a page matches on its
type and gets exactly the fields that kind has. The plan depends only on the archive's
index, never on a site generator. Long listings are split into pages of `page_size` items
so that no page grows without bound with the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import urls
from .index import ArchiveIndex, Listing
from .labels import HIERARCHICAL, TAXONOMY_TITLES, month_name


@dataclass(frozen=True, kw_only=True)
class PlannedPage:
    """What every generated page has: where it is published, its title, its place in a
    listing split into pages."""

    src_uri: str
    title: str
    page: int = 1
    pages: int = 1

    @property
    def is_first(self) -> bool:
        return self.page == 1

    @property
    def numbered_title(self) -> str:
        """The title for the browser and the nav: later pages of a listing say which they are."""
        return self.title if self.page == 1 else f"{self.title} (page {self.page})"


@dataclass(frozen=True, kw_only=True)
class BrowsePage(PlannedPage):
    """The way in: every index with its count."""


@dataclass(frozen=True, kw_only=True)
class TaxonomyPage(PlannedPage):
    """The index of one taxonomy: a tree, or for tags a sorted list split into pages."""

    taxonomy: str


@dataclass(frozen=True, kw_only=True)
class TermPage(PlannedPage):
    """One term: its description, totals and listing."""

    taxonomy: str
    key: str


@dataclass(frozen=True, kw_only=True)
class DatesPage(PlannedPage):
    """Every year and month with events."""


@dataclass(frozen=True, kw_only=True)
class MapPage(PlannedPage):
    """Every event with coordinates, on one map."""


@dataclass(frozen=True, kw_only=True)
class YearPage(PlannedPage):
    year: int


@dataclass(frozen=True, kw_only=True)
class MonthPage(PlannedPage):
    year: int
    month: int


PageSpec = BrowsePage | TaxonomyPage | TermPage | DatesPage | YearPage | MonthPage | MapPage


def page_count(count: int, page_size: int) -> int:
    return max(1, -(-count // page_size))


def listing_pages(listing: Listing, page_size: int) -> int:
    return page_count(max(len(listing.shown_events), len(listing.shown_articles)), page_size)


def plan_pages(index: ArchiveIndex, page_size: int, index_page_size: int) -> list[PageSpec]:
    specs: list[PageSpec] = [BrowsePage(src_uri=urls.browse_uri(), title="Browse")]
    for taxonomy, title in TAXONOMY_TITLES.items():
        terms = index.terms[taxonomy]
        pages = 1 if taxonomy in HIERARCHICAL else page_count(len(terms), index_page_size)
        specs += [
            TaxonomyPage(
                src_uri=urls.taxonomy_uri(taxonomy, p), title=title, taxonomy=taxonomy, page=p, pages=pages
            )
            for p in range(1, pages + 1)
        ]
        vocabulary = index.vocabularies[taxonomy]
        for key, listing in terms.items():
            pages = listing_pages(listing, page_size)
            name = vocabulary[key].name
            specs += [
                TermPage(
                    src_uri=urls.term_uri(taxonomy, key, p),
                    title=name,
                    taxonomy=taxonomy,
                    key=key,
                    page=p,
                    pages=pages,
                )
                for p in range(1, pages + 1)
            ]
    specs.append(DatesPage(src_uri=urls.dates_uri(), title="Dates"))
    specs += [YearPage(src_uri=urls.year_uri(year), title=str(year), year=year) for year in index.years]
    for (year, month), listing in index.months.items():
        pages = listing_pages(listing, page_size)
        title = month_name(year, month)
        specs += [
            MonthPage(
                src_uri=urls.month_uri(year, month, p),
                title=title,
                year=year,
                month=month,
                page=p,
                pages=pages,
            )
            for p in range(1, pages + 1)
        ]
    specs.append(MapPage(src_uri=urls.map_uri(), title="Map"))
    return specs


def listing_of(index: ArchiveIndex, spec: PageSpec) -> Listing | None:
    """What a generated page lists; None for the index pages, which span everything."""
    match spec:
        case TermPage(taxonomy=taxonomy, key=key):
            return index.terms[taxonomy][key]
        case MonthPage(year=year, month=month):
            return index.months[(year, month)]
        case YearPage(year=year):
            return index.years[year]
        case BrowsePage() | TaxonomyPage() | DatesPage() | MapPage():
            return None


def page_date(index: ArchiveIndex, spec: PageSpec, newest: dt.date) -> dt.date:
    """When a generated page last changed: that of the newest article it lists; the index
    pages span everything, so they change with the newest content (`newest`)."""
    listing = listing_of(index, spec)
    return listing.last_changed if listing is not None else newest
