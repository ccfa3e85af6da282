"""What each of the archive's HTML fragments depends on, as the key it is cached under.

- an article's header (summary boxes) and search text: the article's path and bytes;
- an article's footer: the article, and the articles its related coverage and its region's
  previous and next show;
- a term, year or month page: every article its listing holds (rows and totals), and for
  periods the neighbouring ones;
- the browse, taxonomy and dates pages: the archive as a whole;

and every one of them on the plugin's code and templates, the vocabularies (free tags' names
included), the URL of every page the archive publishes and the listing options. An edit
therefore renders again its own article's fragments, the footers that show it and the pages
that list it, and nothing else.

That holds for the shipped templates, whose every input is known. A site's own templates may
show anything the renderer offers (any listing, any article), so with them footers and pages
are keyed by the archive as a whole, and any change renders them all again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from ..index import Listing
from ..model import Article
from ..pages import BrowsePage, DatesPage, MonthPage, PageSpec, TaxonomyPage, TermPage, YearPage, listing_of
from ..site import ArchiveSite
from .fingerprints import (
    code_fingerprint,
    digest,
    folders_fingerprint,
    mapping_fingerprint,
    vocabulary_fingerprint,
)

Related = Mapping[str, Sequence[Article]]  # an article's path -> the articles its related coverage shows
Neighbours = Mapping[str, tuple[Article | None, Article | None]]  # path -> previous and next in its region


def _identity(article: Article | None) -> str:
    """What an article contributes to another fragment's key: its path and its bytes."""
    return "" if article is None else f"{article.path}\0{article.sha256}"


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
            mapping_fingerprint(site_urls),
            vocabulary_fingerprint(site.archive.vocabularies),
            (options.page_size, options.index_page_size, options.related_limit),
        )
        self._identities = _identities(site.archive.articles)
        self.archive = digest(self.rendering, b"".join(self._identities.values()))
        # The shipped templates' inputs are known; a site's own may show anything.
        self.exact = not options.template_dirs
        self._listings: dict[int, bytes] = {}

    def article(self, kind: str, article: Article) -> bytes:
        """A fragment of one article alone (its header, its search text)."""
        return digest(kind, article.path, article.sha256, self.rendering)

    def page(self, kind: str, spec: PageSpec) -> bytes:
        """A generated page, or its search text."""
        if not self.exact:
            return digest(kind, repr(spec), self.archive)
        index = self.site.index
        match spec:
            case TermPage():
                extra: object = None
            case YearPage(year=year):
                years = list(index.years)
                position = years.index(year)
                extra = (years[position - 1] if position else None, years[position + 1 : position + 2])
            case MonthPage(year=year, month=month):
                extra = index.neighbours((year, month))
            case BrowsePage() | TaxonomyPage() | DatesPage():
                return digest(kind, repr(spec), self.archive)
        listing = listing_of(index, spec)
        assert listing is not None
        return digest(kind, repr(spec), extra, self._listing(listing), self.rendering)

    def _listing(self, listing: Listing) -> bytes:
        """Every article a listing holds: its rows, and the events its totals add up. (Each of
        a listing's events belongs to one of its articles: an article is filed under its
        events' terms and periods.) Worked out once per listing, for all its pages."""
        found = self._listings.get(id(listing))
        if found is None:
            identities = self._identities
            found = self._listings[id(listing)] = digest(
                b"".join([identities[a.path] for a in listing.articles])
            )
        return found

    def footers(self, related: Related, neighbours: Neighbours) -> dict[str, bytes]:
        """Every article's footer, by src_uri (`related` and `neighbours` as the renderer has them)."""
        keys = {}
        for uri, article in self.site.articles_by_uri.items():
            shown = (
                tuple(_identity(a) for a in related.get(article.path, ())),
                tuple(_identity(a) for a in neighbours.get(article.path, (None, None))),
            )
            keys[uri] = digest("footer", article.path, article.sha256, shown, self.rendering)
        return keys

    def footers_of_the_archive(self) -> dict[str, bytes]:
        """Every footer keyed by the archive as a whole: what a site's own templates get."""
        return {uri: digest("footer", uri, self.archive) for uri in self.site.articles_by_uri}
