"""(adapter) The files the archive adds to a MkDocs site, all of them virtual.

Articles are read from outside `docs/` (`abs_src_path`); generated pages, redirects for
earlier paths and the stylesheet are made in memory (`manifest.json` is written last, once
every file it lists is in the site). Nothing is written into
`docs/`, and a file of the site's own that would be overwritten stops the build.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from . import urls
from .changes import ChangeGroup, changes_atom
from .integrity import MANIFEST
from .publication import Publication
from .render import emptied_html, redirect_html
from .site import ArchiveSite

STYLESHEET = "assets/conflict_archive.css"
SEARCH_SCRIPT = "assets/conflict_archive_search.js"
# In the footer's link to the manifest, until each page puts its own way to the site's root there.
MANIFEST_ROOT = "{conflict-archive-root}"


def made_whole(config: MkDocsConfig, uri: str) -> File:
    """A page whose HTML the plugin makes itself, in place of converted Markdown (plugin.py,
    on_page_content): the search page, a withdrawn article's notice, "What changed"."""
    return File.generated(config, uri, content=shielded(""), inclusion=InclusionLevel.NOT_IN_NAV)


def shielded(markdown: str) -> str:
    """Markdown that MkDocs' own meta-data parser leaves alone.

    MkDocs reads a leading `---` block, or leading `Key: value` lines (MultiMarkdown style), as
    page settings and removes them from the text: a body starting "Update: rescuers found…"
    would lose its first paragraph. An empty YAML block in front is all it takes away.
    """
    return "---\n{}\n---\n" + markdown


def archive_files(
    site: ArchiveSite, config: MkDocsConfig, articles_dir: Path, stylesheet: bool
) -> dict[str, File]:  # the search page and script come with `site.options.search`
    """Every file the archive publishes, by source path."""
    added: dict[str, File] = {}
    for uri, article in site.articles_by_uri.items():
        source = str(articles_dir / article.path)
        added[uri] = File.generated(config, uri, abs_src_path=source, inclusion=InclusionLevel.NOT_IN_NAV)
    for uri in site.tombstones_by_uri:
        added[uri] = made_whole(config, uri)
    for spec in site.pages:
        added[spec.src_uri] = File.generated(
            config, spec.src_uri, content=shielded(site.intro(spec)), inclusion=InclusionLevel.NOT_IN_NAV
        )
    for alias, article in site.aliases.items():
        redirect = File.generated(config, redirect_uri(config, alias), content="")
        target = added[urls.article_uri(article)].url_relative_to(redirect)
        redirect.content_string = redirect_html(article, target, site.options.template_dirs)
        added[redirect.src_uri] = redirect
    if stylesheet:
        css = (Path(__file__).parent / STYLESHEET).read_bytes()
        added[STYLESHEET] = File.generated(config, STYLESHEET, content=css)
    if site.options.search:
        script = (Path(__file__).parent / SEARCH_SCRIPT).read_bytes()
        added[SEARCH_SCRIPT] = File.generated(config, SEARCH_SCRIPT, content=script)
        added[urls.search_uri()] = made_whole(config, urls.search_uri())
    # Written last, once every file it lists is in the site (plugin.py, on_post_build); known to
    # MkDocs from the start, so that pages may link it and `mkdocs serve` serves it.
    added[MANIFEST] = File.generated(config, MANIFEST, content="")
    return added


def emptied_file(config: MkDocsConfig, url: str, above: str, template_dirs: Sequence[Path]) -> File:
    """The page at `url` (a folder URL from the site root) of a listing an earlier snapshot
    published and this one no longer has, sending readers to `above`."""
    page = File.generated(config, f"{url}index.html", content="")
    target = posixpath.relpath(above or ".", url.rstrip("/") or ".") + "/"
    page.content_string = emptied_html(target, template_dirs)
    return page


def changes_files(
    config: MkDocsConfig,
    pages: Sequence[Sequence[ChangeGroup]],
    added: dict[str, File],
    publication: Publication,
) -> dict[str, File]:
    """The pages of "What changed" (their HTML made by the plugin, in place of the converted
    Markdown) and, where the site knows its URL, their Atom feed. `added`: the archive's files,
    which the feed links."""
    files = {
        urls.changes_uri(number): made_whole(config, urls.changes_uri(number))
        for number in range(1, len(pages) + 1)
    }
    if publication.has_feeds:
        atom = changes_atom(
            [group for page in pages for group in page],
            title=f"{publication.site_name}: what changed",
            page_url=publication.absolute(files[urls.changes_uri()].url),
            feed_url=publication.absolute(urls.file_url(urls.CHANGES_FEED)),
            article_url=lambda article: publication.absolute(added[urls.article_uri(article)].url),
            limit=publication.feed_size,
        )
        files[urls.CHANGES_FEED] = File.generated(config, urls.CHANGES_FEED, content=atom)
    return files


def redirect_uri(config: MkDocsConfig, alias: str) -> str:
    """Where the redirect for an earlier path goes: where a page at that path was published,
    articles/old/index.html, or articles/old.html without directory URLs."""
    old_page = File(urls.article_uri(f"{alias}.md"), None, config.site_dir, config.use_directory_urls)
    return old_page.dest_uri


def page_urls(files: dict[str, File]) -> dict[str, str]:
    """Each of these files that is a page, by source path: its URL from the site root."""
    return {uri: file.url for uri, file in files.items() if file.is_documentation_page()}


def data_file_entries(config: MkDocsConfig, written: dict[str, Path]) -> dict[str, File]:
    """The data files and feeds the build wrote (`written`: path in the site -> file), for
    MkDocs to copy into the site."""
    return {uri: File.generated(config, uri, abs_src_path=str(path)) for uri, path in written.items()}


def add_to(files: Files, added: dict[str, File]) -> None:
    """Add the archive's files to the site's; a site file published at the same place stops
    the build (compare output paths: docs/regions.md would overwrite regions/index.html)."""
    published = {file.dest_uri: file for file in files}
    for file in added.values():
        existing = published.get(file.dest_uri)
        if existing is not None:
            raise PluginError(
                f"docs/{existing.src_uri}: the archive publishes {file.dest_uri} itself; "
                "move or rename this file"
            )
        published[file.dest_uri] = file
        files.append(file)
