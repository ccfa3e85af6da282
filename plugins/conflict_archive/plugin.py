"""The MkDocs adapter: MkDocs' events, mapped onto one `ArchiveBuild` per build.

MkDocs converts every page's Markdown itself; the plugin adds the archive's pages as virtual
files and wraps each page's HTML in the archive's fragments. It uses only MkDocs' documented
events and public attributes. One build, in event order:

- on_config: options checked, last build's state dropped.
- on_pre_build: the archive read and validated, with the snapshot (git, options or content),
  the release records and each article's history (before MkDocs empties site/, so a bad
  archive or record never wipes the last good site).
- on_files: articles, generated pages, withdrawn articles' notices, "What changed",
  redirects, stylesheet, data files and the manifest's place added; the snapshot put in the
  footer.
- on_nav: a page for each listing an earlier release published that is empty now; the
  "Browse" link; every page's
  URL is now final, so fragment rendering starts (in a worker process while MkDocs converts
  Markdown, where a second core is free), and so does the search index (in Pagefind's own
  process).
- per page, as MkDocs converts it: the article's body handed over (front-matter parsed once,
  by the strict parser); its title and dates set; its HTML noted for sanitizing; a page of
  the site's own that asks for the archive at a glance (`OVERVIEW_MARKER`) given it.
- on_env, after every other plugin's: editors' HTML sanitized.
- per page, as MkDocs puts it together: Material's search index given the text (with
  `search: material`); the fragments put around the HTML; the page freed once written, its
  `<head>` and footer links added.
- on_post_build, after every other plugin's: the search index awaited, every file of the site
  hashed, every URL and event id an earlier release published checked against the pages
  written, manifest.json written, the cache updated, workers stopped (on_build_error: the
  last two).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.templates import TemplateContext

from . import urls
from .archive import display_name
from .changes import ChangeGroup, changes_of, grouped, paged
from .citations import event_name
from .config import ConflictArchiveConfig
from .execution.build import ArchiveBuild, BuildSettings
from .execution.memory import SessionMemory
from .execution.pagefind import IndexingError
from .execution.search_index import SearchIndexing, SitePage
from .execution.workers import usable_cpus
from .history import History, article_history, history_html, read_history
from .integrity import MANIFEST, FileEntry
from .labels import count_of
from .manifest import build_manifest, write_manifest
from .model import TAXONOMIES, Article
from .problems import ArchiveError, Problem
from .publication import LICENCES, Licence, Publication
from .releases import (
    Release,
    checked,
    emptied_listings,
    page_url,
    read_releases,
    vanished,
)
from .render import OVERVIEW_MARKER, Renderer, relative_to_page
from .site import ArchiveSite, SiteOptions
from .site_files import (
    MANIFEST_ROOT,
    SEARCH_SCRIPT,
    STYLESHEET,
    add_to,
    archive_files,
    changes_files,
    data_file_entries,
    emptied_file,
    page_urls,
    redirect_uri,
    shielded,
)
from .snapshot import Revision, Snapshot, read_revision, snapshot_of
from .vocabulary_files import vocabulary_sources

log = get_plugin_logger("conflict-archive")


@dataclass
class SiteBuild:
    """Everything one MkDocs build of the archive holds; made in on_pre_build, dropped after."""

    work: ArchiveBuild
    site: ArchiveSite
    settings: BuildSettings
    snapshot: Snapshot
    vocabularies: list[tuple[str, str]]  # each vocabulary file, as the manifest names it, and its sha256
    releases: list[Release]  # what earlier releases published, which this build must keep
    history: History  # each article file's versions, from git
    commit_url: str | None  # the repository's address of a commit, less its id
    changes: list[list[ChangeGroup]]  # "What changed", page by page
    changes_pages: dict[str, int] = field(default_factory=dict)  # their src_uris -> page number
    redirects: dict[str, str] = field(default_factory=dict)  # an earlier path's URL -> its article's
    renderer: Renderer | None = None  # for the pages the plugin makes whole (search, notices, changes)
    files: dict[str, File] = field(default_factory=dict)  # the archive's files, by src_uri
    to_sanitize: list[str] = field(default_factory=list)  # pages whose HTML is an editor's
    editor_html: dict[str, str] = field(default_factory=dict)  # held between search and assembly
    search: SearchIndexing | None = None
    epoch_set_here: bool = False
    footer: str = ""  # the snapshot in every page's footer, its link to the manifest yet to be made relative


class ConflictArchivePlugin(BasePlugin[ConflictArchiveConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: SiteBuild | None = None
        # Outlives builds: `mkdocs serve` keeps this instance, and an edit re-reads one file.
        self.memory = SessionMemory()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes `mkdocs serve` keep this instance across rebuilds. Each
        # build starts from nothing but `memory`, whose contents are keyed by content.
        self.memory.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.build = None
        licence = self._licence()
        if self.config.enabled and licence is not None:
            # The theme prints `copyright` in every page's footer (as HTML, like MkDocs' own).
            notice = f'Text and data: <a rel="license" href="{licence.path}">{licence.title}</a>'
            if notice not in (config.copyright or ""):
                config.copyright = f"{config.copyright} · {notice}" if config.copyright else notice
        if self.config.enabled and not self.config.third_party_fonts and config.theme.name == "material":
            config.theme["font"] = False  # no request to a font host: see `third_party_fonts`
        if self.config.enabled and self.config.stylesheet and STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if self.config.enabled and self.config.search == "pagefind":
            if SEARCH_SCRIPT not in config.extra_javascript:
                config.extra_javascript.append(SEARCH_SCRIPT)
            if any(name in config.plugins for name in ("search", "material/search")):
                log.warning(
                    "Material's search plugin is on beside the archive's search: its box finds only "
                    "the pages the archive does not index. Remove 'search' from plugins in mkdocs.yml "
                    "to have one search box, the archive's."
                )
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        settings = self._settings(config)
        work = ArchiveBuild(settings, self.memory, log.info)
        try:
            site = work.load()
        except ArchiveError as error:
            work.close(succeeded=False)
            raise PluginError(_problems_text(error.problems, "in the archive")) from None
        releases, problems = read_releases(settings.articles_dir, settings.display_dir)
        if problems:
            work.close(succeeded=False)
            raise PluginError(_problems_text(problems, "in the release records"))
        vocabularies = vocabulary_sources(
            settings.articles_dir, settings.display_dir, shipped=settings.shipped_vocabularies
        )
        vocabularies += [(release.display_path, release.sha256) for release in releases]
        archive = site.archive
        sources = [(a.display_path, a.sha256) for a in (*archive.articles, *archive.retracted)]
        snapshot = snapshot_of(settings.site.revision, sources + vocabularies, site.newest)
        history = read_history(settings.articles_dir) if snapshot.revision.commit else {}
        commit_url = f"{config.repo_url.rstrip('/')}/commit/" if config.repo_url else None
        groups = grouped(changes_of(site.archive), releases, snapshot.describe())
        changes = paged(groups, self.config.page_size)
        build = self.build = SiteBuild(
            work, site, settings, snapshot, vocabularies, releases, history, commit_url, changes
        )
        counts = work.reader.counts
        log.debug(
            f"articles: {counts.from_memory} from memory, {counts.from_store} from the cache, "
            f"{counts.read} read here, {counts.by_workers} by workers"
        )
        for warning in site.archive.warnings:
            log.warning(str(warning))
        if "SOURCE_DATE_EPOCH" not in os.environ:
            # MkDocs dates the sitemap and its gzip header with the build time unless this is
            # set; take the date from git or the content instead, so a rebuild is byte-identical.
            os.environ["SOURCE_DATE_EPOCH"] = str(snapshot.epoch)
            build.epoch_set_here = True

    def _show_snapshot(self, build: SiteBuild, config: MkDocsConfig) -> None:
        """The snapshot goes into every page's footer, beside the copyright (which the theme
        prints as HTML). Its links to the manifest and to "What changed" are made relative page
        by page (on_post_page)."""
        snapshot = build.snapshot
        commit = snapshot.revision.commit
        commit_url = build.commit_url + commit if build.commit_url and commit else None
        changes = MANIFEST_ROOT + build.files[urls.changes_uri()].url
        build.footer = snapshot.footer_html(MANIFEST_ROOT + MANIFEST, commit_url, changes)
        if build.footer not in (config.copyright or ""):
            config.copyright = f"{config.copyright}<br>{build.footer}" if config.copyright else build.footer

    def _settings(self, config: MkDocsConfig) -> BuildSettings:
        """The plugin's options, with folders resolved against mkdocs.yml's."""
        root = _root(config)
        articles_dir = (root / self.config.articles_dir).resolve()
        templates = [(root / self.config.templates_dir).resolve()] if self.config.templates_dir else []
        # Uncommitted changes to any of these make the build a working copy, not the commit.
        watched = [articles_dir, Path(config.docs_dir), *templates]
        settings = [Path(config.config_file_path)] if config.config_file_path else []
        revision = read_revision(
            root,
            watched,
            settings=settings,
            label=self.config.snapshot_version,
            date=self.config.snapshot_date,
        )
        return BuildSettings(
            articles_dir=articles_dir,
            display_dir=display_name(articles_dir, root),
            shipped_vocabularies=self.config.shipped_vocabularies,
            site=SiteOptions(
                page_size=self.config.page_size,
                index_page_size=self.config.index_page_size,
                related_limit=self.config.related_limit,
                template_dirs=templates,
                raw_html=self.config.raw_html,
                search=self.config.search == "pagefind",
                publication=self._publication(config, revision),
                term_data=self.config.term_data,
                event_overview=self.config.event_overview,
                revision=revision,
            ),
            cache_dir=(root / self.config.cache_dir).resolve() if self.config.cache else None,
            workers=self.config.workers,
        )

    def _licence(self) -> Licence | None:
        return LICENCES[self.config.licence] if self.config.licence else None

    def _publication(self, config: MkDocsConfig, revision: Revision) -> Publication:
        site_url = config.site_url or None
        if site_url is not None and not site_url.endswith("/"):
            site_url += "/"
        return Publication(
            site_name=config.site_name,
            site_url=site_url,
            licence=self._licence(),
            feed_size=self.config.feed_size,
            release=revision.label,
        )

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.build is None:
            return files
        added = archive_files(
            self.build.site, config, self.build.settings.articles_dir, self.config.stylesheet
        )
        written = self.build.work.data_files(page_urls(added))
        added.update(data_file_entries(config, written))
        publication = self.build.settings.site.publication
        added.update(changes_files(config, self.build.changes, added, publication))
        self.build.changes_pages = {urls.changes_uri(n): n for n in range(1, len(self.build.changes) + 1)}
        self.build.redirects = {
            added[redirect_uri(config, alias)].url: added[urls.article_uri(article)].url
            for alias, article in self.build.site.aliases.items()
        }
        add_to(files, added)
        self.build.files = added
        self._show_snapshot(self.build, config)
        return files

    # Late, so the browse link lands after whatever other plugins put into the nav. By now every
    # plugin's on_files has run, so the URL of every page the archive publishes is final.
    @event_priority(-50)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.build is None:
            return nav
        if self.config.browse_nav:
            self._add_browse_link(nav, config)
        self._fill_emptied_listings(self.build, config, files)
        pages = page_urls(self.build.files)
        log.debug(self.build.work.render_ahead(pages))
        if self.config.search == "pagefind":
            self._start_search_index(self.build, config, files, pages)
        return nav

    def _fill_emptied_listings(self, build: SiteBuild, config: MkDocsConfig, files: Files) -> None:
        """A listing an earlier release published that this build no longer makes gets a page
        leading to the nearest listing above it (every plugin's pages are known by now)."""
        if not build.releases:
            return
        # Not the files `exclude_docs` or `draft_docs` keep out of the build: MkDocs writes none.
        written = [file for file in files if file.inclusion.is_included()]  # type: ignore[no-untyped-call]
        pages = [url for file in written if (url := page_url(file.dest_uri)) is not None]
        roots = {*TAXONOMIES, urls.DATES, urls.CHANGES, urls.browse_uri().split("/")[0]}
        for url, above in emptied_listings(build.releases, pages, roots).items():
            files.append(emptied_file(config, url, above, build.settings.site.template_dirs))

    def _check_releases(self, build: SiteBuild, written: Sequence[FileEntry]) -> None:
        """Every URL and event id an earlier release published must still resolve: to a page
        this build wrote (every plugin's, those written at the end too), to a redirect from an
        earlier path, or to a withdrawn article's notice."""
        if not build.releases:
            return
        archive = build.site.archive

        def url_of(article: Article) -> str:
            return build.files[urls.article_uri(article)].url

        pages = [url for entry in written if (url := page_url(entry.path)) is not None]
        events = {
            url_of(article): {i for event in article.events for i in (event.id, *event.previous_ids)}
            for article in (*archive.articles, *archive.retracted)
        }
        problems = vanished(build.releases, pages, events, build.redirects)
        if problems:
            raise PluginError(_problems_text(problems, "against earlier releases"))
        log.info(checked(build.releases))

    def _add_browse_link(self, nav: Navigation, config: MkDocsConfig) -> None:
        # One link to the browse page, not a section of the six indexes: Material renders the
        # whole nav into every page.
        assert self.build is not None
        browse = self.build.files[urls.browse_uri()]
        if any(page.file is browse for page in nav.pages):
            return
        page = Page(self.config.browse_nav_title, browse, config)
        nav.items.append(page)
        nav.pages.append(page)

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # The core has already read and parsed the article: MkDocs gets the body alone, so the
        # front-matter is parsed once, by the strict parser.
        article = self._article(page)
        if self.build is None or article is None:
            return None
        return shielded(self.build.work.body(article))

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # Theme templates print titles and descriptions without autoescaping (MkDocs' Jinja
        # environment has it off), so editor values are escaped before they reach them.
        if self.build is None:
            return markdown
        site = self.build.site
        article = site.article_of(page.file.src_uri)
        if article is not None:
            page.meta["title"] = html.escape(article.title)
            if article.summary:
                page.meta["description"] = html.escape(article.summary)
            page.update_date = article.last_changed.isoformat()
        spec = site.page_of(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = html.escape(spec.numbered_title)
            # A generated page has no table of contents: its listing and pictures get the width.
            page.meta["hide"] = ["toc"]
            page.update_date = site.page_date(spec).isoformat()
        withdrawn = site.tombstone_of(page.file.src_uri)
        if withdrawn is not None and withdrawn.retracted is not None:
            page.meta["title"] = html.escape(f"Withdrawn: {withdrawn.title}")
            page.meta["search"] = {"exclude": True}
            page.update_date = withdrawn.retracted.date.isoformat()
        number = self._changes_page(page)
        if number:
            page.meta["title"] = "What changed" + (f" (page {number})" if number > 1 else "")
            page.meta["search"] = {"exclude": True}
            page.update_date = site.newest.isoformat()
        if page.file is self.build.files.get(urls.search_uri()):
            page.meta["title"] = "Search the archive"
            page.meta["search"] = {"exclude": True}
            page.meta["hide"] = ["navigation", "toc"]  # Material: the results table needs the width
            page.update_date = site.newest.isoformat()
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        build = self.build
        if build is not None and self._is_ours(page):
            build.to_sanitize.append(page.file.src_uri)
        if build is not None and page.file is build.files.get(urls.search_uri()):
            browse = build.files[urls.browse_uri()].url_relative_to(page.file)
            return self._renderer(build).search_form(browse)
        number = self._changes_page(page)
        if build is not None and number:
            pages = build.changes
            feed = urls.CHANGES_FEED in build.files
            listing = self._renderer(build).changes(pages[number - 1], number, len(pages), feed)
            return relative_to_page(listing, _to_root(page))
        withdrawn = None if build is None else build.site.tombstone_of(page.file.src_uri)
        if build is not None and withdrawn is not None:
            notice = self._renderer(build).tombstone(withdrawn)
            return relative_to_page(notice, _to_root(page)) + self._history(build, withdrawn)
        if build is not None and OVERVIEW_MARKER in html and not self._is_ours(page):
            overview = relative_to_page(self._renderer(build).overview(), _to_root(page))
            return html.replace(OVERVIEW_MARKER, overview, 1)
        return html

    # Last of every plugin's on_env: whatever ends up in an archive page's editor HTML, from
    # Markdown or from another plugin (mkdocs-autorefs resolves its links in on_env), has
    # passed the raw-HTML policy, and nothing another plugin adds is lost to it.
    @event_priority(-100)
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        build = self.build
        if build is None:
            return env
        # The worker first: it holds the archive while it runs, and sanitizing makes this
        # process grow; both at once were the build's peak memory.
        build.work.wait_for_workers()
        pages = [page for uri in build.to_sanitize if (page := build.files[uri].page) is not None]
        ours = [page for page in pages if page.content is not None]
        contents = [(page.file.src_uri, page.content or "") for page in ours]
        for i, safe in enumerate(build.work.sanitized(contents)):
            # Replaced as each comes, and the list lets go of the original too: holding every
            # page's HTML twice was the build's peak memory.
            ours[i].content = safe
            contents[i] = ("", "")
        build.to_sanitize = []
        build.work.read_ahead([file.src_uri for file in files if build.site.article_of(file.src_uri)])
        return env

    def _start_search_index(
        self, build: SiteBuild, config: MkDocsConfig, files: Files, site_urls: dict[str, str]
    ) -> None:
        """Every page's URL is final (`site_urls`: the archive's pages): the index is made from
        the archive and the site's own pages' sources in Pagefind's process, while MkDocs
        converts and writes the pages."""
        site_pages = [
            SitePage(file.url, file.src_uri, file.content_string)
            for file in files.documentation_pages()
            if file.src_uri not in build.files
        ]
        language = str(config.theme.get("language") or "en")[:2].lower()
        build.search = SearchIndexing(build.site, site_urls, Path(config.site_dir) / "pagefind", language)
        try:
            build.search.start(site_pages)
        except IndexingError as error:
            raise PluginError(f"the search index could not be made: {error}") from None

    # The search plugin indexes page.content in on_page_context (priority 0). Just before, hand
    # it the page's text without navigation markup; just after, put the page together for the
    # theme. Parsing every chip and table row for the index cost more than the rest of the build.
    @event_priority(100)
    def _give_search_the_text(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        build = self.build
        if build is None or not self._is_ours(page):
            return context
        site = build.site
        uri = page.file.src_uri
        editor_html = build.editor_html[uri] = page.content or ""
        if self.config.search != "material":  # the archive's own search index has it
            page.meta["search"] = {"exclude": True}
            return context
        search_html = build.work.search_html(site.article_of(uri), site.page_of(uri), editor_html)
        if search_html is None:
            page.meta["search"] = {"exclude": True}
        page.content = search_html or ""
        return context

    @event_priority(-100)
    def _put_the_page_together(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        build = self.build
        uri = page.file.src_uri
        if build is None or uri not in build.editor_html:
            return context
        site = build.site
        editor_html = build.editor_html.pop(uri)
        to_root = _to_root(page)
        article = site.article_of(uri)
        history = "" if article is None else self._history(build, article)
        if article is not None and article.language:
            # Read in its own language by screen readers; the archive's own labels stay the site's.
            editor_html = f'<div lang="{html.escape(article.language)}">{editor_html}</div>'
        page.content = build.work.page_html(article, site.page_of(uri), editor_html, to_root, history)
        if article is not None and article.events:
            # Each summary box is a section of the page: first in its table of contents.
            vocabularies = site.archive.vocabularies
            boxes = [
                AnchorLink(html.escape(event_name(event, vocabularies)), f"event-{event.id}", 2)
                for event in article.events
            ]
            page.toc = TableOfContents([*boxes, *page.toc])
        return context

    on_page_context = CombinedEvent(_give_search_the_text, _put_the_page_together)

    # Late, so that other plugins' on_post_page still see the content.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        build = self.build
        if build is None:
            return output
        # MkDocs keeps every page's HTML and Markdown until the build ends; once an archive page
        # is written nothing reads them again, and in a large archive they are most of the
        # memory the build holds.
        if self._is_ours(page):
            page.content = None
            page.markdown = ""  # not None: MkDocs then reports no title, and nav entries show "None"
        uri = page.file.src_uri
        head = build.work.head_html(build.site.article_of(uri), build.site.page_of(uri))
        # The theme's <head> is its own; the archive's links and metadata go at its end.
        if self._changes_page(page) and urls.CHANGES_FEED in build.files:
            feed = build.files[urls.CHANGES_FEED].url_relative_to(page.file)
            head += (
                f'<link rel="alternate feed" type="application/atom+xml" title="What changed" href="{feed}">'
            )
        if head:
            output = output.replace("</head>", head + "</head>", 1)
        return self._with_footer(output, _to_root(page))

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # 404.html is served at any depth: its links go from the site's root path.
        root = urlsplit(config.site_url or "").path or "/"
        return self._with_footer(output_content, root if root.endswith("/") else root + "/")

    def _with_footer(self, output: str, to_root: str) -> str:
        build = self.build
        if build is None or not build.footer:
            return output
        return output.replace(build.footer, build.footer.replace(MANIFEST_ROOT, to_root), 1)

    # Last, once every other plugin has written its files: the manifest lists them all.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self.build
        if build is None:
            return
        if build.search is not None:
            try:
                log.debug(build.search.finish())
            except IndexingError as error:
                raise PluginError(f"the search index could not be written: {error}") from None
        write_manifest(Path(config.site_dir), lambda files: self._manifest(build, files), usable_cpus())
        self._end_build(succeeded=True)

    def _manifest(self, build: SiteBuild, files: Sequence[FileEntry]) -> str:
        """The manifest of the files the build wrote, once they keep every earlier release's
        links: a build that would break one fails here, and its site has no manifest."""
        self._check_releases(build, files)
        return build_manifest(
            build.site.archive,
            lambda article: build.files[urls.article_uri(article)].url,
            snapshot=build.snapshot,
            publication=build.settings.site.publication,
            articles_dir=build.settings.display_dir,
            vocabularies=build.vocabularies,
            files=files,
        )

    def on_build_error(self, *, error: Exception) -> None:
        self._end_build(succeeded=False)

    def _end_build(self, succeeded: bool) -> None:
        build, self.build = self.build, None
        if build is None:
            return
        if build.search is not None:
            build.search.close()
        log.debug(build.work.close(succeeded))
        if build.epoch_set_here:
            # In `mkdocs serve` the next rebuild computes it afresh from the edited archive.
            os.environ.pop("SOURCE_DATE_EPOCH", None)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        if self.config.enabled:
            root = _root(config)
            server.watch(str((root / self.config.articles_dir).resolve()))
            if self.config.templates_dir:
                server.watch(str((root / self.config.templates_dir).resolve()))
        return server

    def _changes_page(self, page: Page) -> int:
        """Which page of "What changed" this is (1, 2, ...), or 0."""
        return 0 if self.build is None else self.build.changes_pages.get(page.file.src_uri, 0)

    @staticmethod
    def _renderer(build: SiteBuild) -> Renderer:
        """One renderer per build: each compiles its templates once."""
        if build.renderer is None:
            files = build.files  # not `build`: the renderer would hold what holds it
            build.renderer = build.site.renderer(lambda uri: files[uri].url)
        return build.renderer

    @staticmethod
    def _history(build: SiteBuild, article: Article) -> str:
        return history_html(article_history(build.history, article), build.commit_url)

    def _article(self, page: Page) -> Article | None:
        return None if self.build is None else self.build.site.article_of(page.file.src_uri)

    def _is_ours(self, page: Page) -> bool:
        """An article or a generated page (not the site's own pages, redirects or files)."""
        site = None if self.build is None else self.build.site
        uri = page.file.src_uri
        return site is not None and (site.article_of(uri) is not None or site.page_of(uri) is not None)


def _to_root(page: Page) -> str:
    """The way up from a page to the site root ("../../"): fragments link from the root."""
    return "../" * page.url.count("/")


def _problems_text(problems: Sequence[Problem], where: str) -> str:
    """`2 problems in the archive:` and one located line per problem."""
    lines = "\n".join(str(problem) for problem in problems)
    return f"{count_of(len(problems), 'problem')} {where}:\n{lines}"


def _root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: the plugin's folders are relative to it."""
    return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
