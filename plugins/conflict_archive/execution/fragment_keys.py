"""What each of the archive's HTML fragments depends on, as the key it is cached under.

- an article's header (summary boxes) and search text: the article's path and front-matter
  (nothing of the body: that is MkDocs' to convert, so an edit of the body renders nothing);
- an article's citations (its `<head>` metadata and "Cite this"): its path and the hash of
  its whole file, which they name;
- an article's footer: the article, and the articles its related coverage and its region's
  previous and next show;
- a term, year or month page: the rows on it (the articles they come from), the totals of its
  whole listing, and what else it names: a term's children and their counts, a year's months
  and their totals, the neighbouring periods; its first page also what its timeline and map
  draw of every event it lists (date, place, type, figures, and the event's link);
- the browse, taxonomy and dates pages: the archive as a whole;

and every one of them on the plugin's code and templates, the vocabularies (free tags' names
included), the URL of every page the archive publishes and the listing options. An edit
therefore renders again its own article's fragments, the footers that show it, the pages whose
rows show it and, if its figures changed, every page of the listings whose totals it is in.

That holds for the shipped templates, whose every input is known. A site's own templates may
show anything the renderer offers (any listing, any article), so with them footers and pages
are keyed by the archive as a whole, and any change renders them all again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from ..index import Listing
from ..model import Article
from ..pages import (
    BrowsePage,
    DatesPage,
    MapPage,
    MonthPage,
    PageSpec,
    TaxonomyPage,
    TermPage,
    YearPage,
)
from ..site import ArchiveSite
from .fingerprints import (
    code_fingerprint,
    digest,
    folders_fingerprint,
    urls_fingerprint,
    vocabulary_fingerprint,
)

Related = Mapping[str, Sequence[Article]]  # an article's path -> the articles its related coverage shows
Neighbours = Mapping[str, tuple[Article | None, Article | None]]  # path -> previous and next in its region


def _identity(article: Article | None) -> str:
    """What an article contributes to a fragment's key: its path and its front-matter, which
    is all the archive's own HTML shows of it (the body is MkDocs' to convert)."""
    return "" if article is None else f"{article.path}\0{article.front_matter_sha256 or article.sha256}"


def _identities(articles: Sequence[Article]) -> dict[str, bytes]:
    """Each article's identity, as 16 bytes: a listing joins thousands of them."""
    return {a.path: hashlib.blake2b(_identity(a).encode(), digest_size=16).digest() for a in articles}


class FragmentKeys:
    def __init__(self, site: ArchiveSite, site_urls: Mapping[str, str]) -> None:
        self.site = site
        options = site.options
        self.rendering = digest(
            code_fingerprint(),
            folders_fingerprint(options.template_dirs),
            urls_fingerprint(site_urls),
            vocabulary_fingerprint(site.archive.vocabularies),
            (options.page_size, options.index_page_size, options.related_limit, options.search),
            repr(options.publication),
            options.term_data,
            options.event_overview,
        )
        self._identities = _identities(site.archive.articles)
        self.archive = digest(self.rendering, b"".join(self._identities.values()))
        # Each event's figures, as bytes (by the event object's id: this build's events are
        # alive throughout): a listing's totals are a sum of its events' figures.
        self._figures = {
            id(e): f"{e.killed!r}|{e.injured!r};".encode() for a in site.archive.articles for e in a.events
        }
        self._listing_totals: dict[int, tuple[int, int, bytes]] = {}
        self._drawn: dict[int, bytes] = {}  # by the event object's id, as `_figures`
        self._listing_drawn: dict[int, bytes] = {}
        # The shipped templates' inputs are known; a site's own may show anything.
        self.exact = not options.template_dirs

    def article(self, kind: str, article: Article) -> bytes:
        """A fragment of one article alone (its header, its search text)."""
        return digest(kind, _identity(article), self.rendering)

    def article_file(self, kind: str, article: Article) -> bytes:
        """A fragment of one article that names its file's hash (its citations)."""
        return digest(kind, article.path, article.sha256, self.rendering)

    def page(self, kind: str, spec: PageSpec) -> bytes:
        """A generated page, or its search text: what the shipped templates show on it."""
        if not self.exact:
            return digest(kind, repr(spec), self.archive)
        index = self.site.index
        match spec:
            case TermPage(taxonomy=taxonomy, key=key):
                listing = index.terms[taxonomy][key]
                used = index.terms[taxonomy]
                children = index.vocabularies[taxonomy].children(key)
                shown: object = tuple((child, len(used[child].events)) for child in children if child in used)
            case YearPage(year=year):
                listing = index.years[year]
                years = list(index.years)
                position = years.index(year)
                months = tuple((m, self._totals(v)) for m, v in index.months.items() if m[0] == year)
                shown = (
                    years[position - 1] if position else None,
                    years[position + 1 : position + 2],
                    months,
                )
            case MonthPage(year=year, month=month):
                listing = index.months[(year, month)]
                shown = index.neighbours((year, month))
            case BrowsePage() | TaxonomyPage() | DatesPage() | MapPage():
                return digest(kind, repr(spec), self.archive)
        rows = self._rows(listing, spec.page) if not isinstance(spec, YearPage) else b""
        drawn = self._pictured(listing) if spec.is_first else b""
        return digest(kind, repr(spec), shown, self._totals(listing), rows, drawn, self.rendering)

    def _totals(self, listing: Listing) -> tuple[int, int, bytes]:
        """What a listing's totals show (counts of articles and events, killed and injured),
        by what they are worked out from: cheaper than working them out. Once per listing,
        for all its pages."""
        totals = self._listing_totals.get(id(listing))
        if totals is None:
            figures = self._figures
            joined = b"".join([figures[id(e)] for e in listing.events])
            totals = self._listing_totals[id(listing)] = (
                len(listing.articles),
                len(listing.events),
                digest(joined),
            )
        return totals

    def _pictured(self, listing: Listing) -> bytes:
        """What a listing's timeline and map draw of its events: an edit that changes none of
        it (a summary, a source) leaves the pictures, and so the page, as they were."""
        pictured = self._listing_drawn.get(id(listing))
        if pictured is None:
            drawn = self._drawn
            parts = []
            for e in listing.events:
                part = drawn.get(id(e))
                if part is None:
                    part = drawn[id(e)] = (
                        f"{e.article_path}#{e.id}|{e.start}|{e.end}|{e.date_precision}|{e.type}|{e.region}|"
                        f"{e.location}|{e.coordinates}|{e.coordinates_from_region}|{e.location_precision}|"
                        f"{e.killed!r}|{e.injured!r};"
                    ).encode()
                parts.append(part)
            pictured = self._listing_drawn[id(listing)] = digest(b"".join(parts))
        return pictured

    def _rows(self, listing: Listing, page: int) -> bytes:
        """The rows on one page of a listing: each event by its article and place in it, each
        article by itself."""
        size = self.site.options.page_size
        start, stop = (page - 1) * size, page * size
        identities = self._identities
        events = [identities[e.article_path] + b"%d," % e.position for e in listing.shown_events[start:stop]]
        articles = [identities[a.path] for a in listing.shown_articles[start:stop]]
        return b"".join(events) + b"|" + b"".join(articles)

    def footers(self, related: Related, neighbours: Neighbours) -> dict[str, bytes]:
        """Every article's footer, by src_uri (`related` and `neighbours` as the renderer has them)."""
        keys = {}
        for uri, article in self.site.articles_by_uri.items():
            shown = (
                tuple(_identity(a) for a in related.get(article.path, ())),
                tuple(_identity(a) for a in neighbours.get(article.path, (None, None))),
            )
            keys[uri] = digest("footer", _identity(article), shown, self.rendering)
        return keys

    def footers_of_the_archive(self) -> dict[str, bytes]:
        """Every footer keyed by the archive as a whole: what a site's own templates get."""
        return {uri: digest("footer", uri, self.archive) for uri in self.site.articles_by_uri}
