"""Who publishes the archive, where, and under which licence: what citations, feeds and data
files say about the archive as a whole, taken from the site's settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """A licence by its SPDX identifier (`name`), with its title and the URL of its text."""

    name: str
    title: str
    path: str


# The licences an archive of reporting is usually published under (SPDX identifiers).
LICENCES = {
    licence.name: licence
    for licence in (
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution-ShareAlike 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "CC-BY-NC-4.0",
            "Creative Commons Attribution-NonCommercial 4.0 International",
            "https://creativecommons.org/licenses/by-nc/4.0/",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero v1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "ODbL-1.0",
            "Open Data Commons Open Database License v1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
    )
}


FEED_SIZE = 50  # entries per feed: a reader wants what is new, the term page has the rest


@dataclass(frozen=True)
class Publication:
    site_name: str = "Conflict Archive"
    site_url: str | None = None  # absolute, ending in "/"; None: the site does not know where it lives
    licence: Licence | None = None
    feed_size: int = FEED_SIZE
    # The snapshot's name, where it has one (a release: the tag at HEAD or `snapshot_version`),
    # which citations carry. Not its commit: every page's citations would change with every
    # commit, and the page's footer and `manifest.json` name the commit.
    release: str | None = None

    @property
    def has_feeds(self) -> bool:
        """Feeds need absolute URLs (an Atom id is an IRI; a feed reader resolves nothing)."""
        return self.site_url is not None

    def absolute(self, url: str) -> str:
        """A URL from the site root, absolute when the site's own URL is known."""
        return url if self.site_url is None else self.site_url + url
