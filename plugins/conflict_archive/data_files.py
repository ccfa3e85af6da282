"""The archive's files besides its pages: data exports and feeds, by where they are published.

- `data/`: every event as CSV, GeoJSON and JSON Lines, actors and sources as CSV, and a
  Frictionless `datapackage.json` describing them with each file's size and hash;
- beside each term's page (`regions/kyiv/`): that term's events as `events.csv` (every
  column) and `events.geojson` (for a map: `exports.MAP_PROPERTIES`), unless the site turns
  them off (`SiteOptions.term_data`), and, when the site knows its URL, its Atom and JSON feeds;
- at the root, the feeds of the whole archive.

Files come one at a time, so that whoever writes them holds one term's files at once, not
every term's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from operator import attrgetter

from . import urls
from .exports import FILE_NAMES, Exports, data_package
from .exports_columns import FileFacts
from .feeds import Feed, FeedWriter
from .labels import TAXONOMY_TITLES
from .model import Article
from .publication import Publication
from .site import ArchiveSite
from .snapshot import Revision
from .vocabulary import slugify

SiteUrl = Callable[[str], str]  # a source path -> its URL from the site root
DATA_PACKAGE = "datapackage.json"


def data_files(site: ArchiveSite, url_of: SiteUrl, publication: Publication) -> Iterator[tuple[str, bytes]]:
    """Every file, as (its path in the site, its bytes), in a fixed order."""

    def article_url(article: Article) -> str:
        return publication.absolute(url_of(urls.article_uri(article)))

    exports = Exports(site.archive, article_url)
    facts = {}
    for name, content in exports.each_file():
        facts[name] = FileFacts.of(content)
        yield urls.data_uri(name), content
    yield urls.data_uri(DATA_PACKAGE), _package(site, facts, publication)
    terms = site.index.terms if site.options.term_data else {}
    for taxonomy, listings in terms.items():
        for key, listing in listings.items():
            yield urls.term_file_uri(taxonomy, key, urls.TERM_CSV), exports.events_csv(listing.events)
            yield urls.term_file_uri(taxonomy, key, urls.TERM_GEOJSON), exports.map_geojson(listing.events)
    if publication.has_feeds:
        yield from _feeds(site, url_of, publication, article_url)


def data_file_paths(site: ArchiveSite, publication: Publication) -> list[str]:
    """The paths `data_files` gives, in its order, without making any file."""
    paths = [urls.data_uri(name) for name in FILE_NAMES] + [urls.data_uri(DATA_PACKAGE)]
    terms = site.index.terms if site.options.term_data else {}
    for taxonomy, listings in terms.items():
        for key in listings:
            paths += [urls.term_file_uri(taxonomy, key, name) for name in (urls.TERM_CSV, urls.TERM_GEOJSON)]
    if publication.has_feeds:
        paths += [urls.FEED_ATOM, urls.FEED_JSON]
        for taxonomy, listings in site.index.terms.items():
            for key in listings:
                paths += [
                    urls.term_file_uri(taxonomy, key, name) for name in (urls.FEED_ATOM, urls.FEED_JSON)
                ]
    return paths


def _package(site: ArchiveSite, files: dict[str, FileFacts], publication: Publication) -> bytes:
    """The data package, dated by the content: its newest change, never the clock."""
    newest = site.newest
    created = dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)
    return data_package(
        files,
        name=slugify(publication.site_name) or "conflict-archive",
        title=publication.site_name,
        version=publication.release or newest.isoformat(),
        created=created.isoformat().replace("+00:00", "Z"),
        licence=publication.licence,
        snapshot=_snapshot(site.options.revision),
    )


def _snapshot(revision: Revision) -> dict[str, object] | None:
    """What names the snapshot the files belong to: its release and the commit that holds
    exactly what was built (none for a working copy with changes)."""
    if revision.label is None and revision.published_commit is None:
        return None
    return {
        "label": revision.label,
        "commit": revision.published_commit,
        "tag": revision.tag,
        "date": None if revision.date is None else revision.date.isoformat(),
    }


def _feeds(
    site: ArchiveSite, url_of: SiteUrl, publication: Publication, article_url: Callable[[Article], str]
) -> Iterator[tuple[str, bytes]]:
    writer = FeedWriter(site.archive.vocabularies, article_url, size=publication.feed_size)
    absolute = publication.absolute
    whole = Feed(
        title=publication.site_name,
        description=f"The newest reports in {publication.site_name}.",
        page_url=absolute(""),
        atom_url=absolute(urls.file_url(urls.FEED_ATOM)),
        json_url=absolute(urls.file_url(urls.FEED_JSON)),
    )
    newest_first = sorted(site.archive.articles, key=attrgetter("newest_first_key"))
    yield urls.FEED_ATOM, writer.atom(whole, newest_first)
    yield urls.FEED_JSON, writer.json_feed(whole, newest_first)
    for taxonomy, listings in site.index.terms.items():
        vocabulary = site.archive.vocabularies[taxonomy]
        for key, listing in listings.items():
            name = vocabulary[key].name
            feed = Feed(
                title=f"{publication.site_name}: {name}",
                description=f"The newest reports filed under {name} ({TAXONOMY_TITLES[taxonomy]}).",
                page_url=absolute(url_of(urls.term_uri(taxonomy, key))),
                atom_url=absolute(urls.file_url(urls.term_file_uri(taxonomy, key, urls.FEED_ATOM))),
                json_url=absolute(urls.file_url(urls.term_file_uri(taxonomy, key, urls.FEED_JSON))),
            )
            yield urls.term_file_uri(taxonomy, key, urls.FEED_ATOM), writer.atom(feed, listing.articles)
            yield urls.term_file_uri(taxonomy, key, urls.FEED_JSON), writer.json_feed(feed, listing.articles)
