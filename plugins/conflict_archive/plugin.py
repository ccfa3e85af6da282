"""The MkDocs adapter: maps the core's `ArchiveSite` onto MkDocs files, pages and events.

Event order in one build: on_config (reset state, options) -> on_pre_build (load and
validate the archive, before MkDocs empties site/, so a bad archive never wipes the last
good site) -> on_files (articles and generated pages as virtual files) -> on_nav (browse
link) -> per page: on_page_read_source (the body, parsed once; at the first page the second
process starts: parallel.py, markdown_in_advance.py) / on_page_markdown (title, dates; the child's
conversion offered) / on_page_content (noted for sanitizing) -> on_env (every page's editor
HTML sanitized, once all on_page_content hooks have run) -> per page: on_page_context (the
search index gets the text; then the archive's fragments are rendered around it) ->
on_post_page (the page is freed).
"""

from __future__ import annotations

import gc
import html
import os
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import urls
from .archive import display_name
from .cache import ArticleCache
from .config import ConflictArchiveConfig
from .manifest import build_manifest
from .markdown_in_advance import can_share, conversion, render_from_the_child
from .parallel import PARALLEL_FROM, SharedJob
from .problems import ArchiveError
from .site import ArchiveSite, SiteOptions

log = get_plugin_logger("conflict-archive")

STYLESHEET = "assets/conflict_archive.css"
MANIFEST = "manifest.json"


class ConflictArchivePlugin(BasePlugin[ConflictArchiveConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: ArchiveSite | None = None
        self.articles_dir = Path("articles")
        self.templates_dir: Path | None = None
        self.root = Path.cwd()
        self.epoch_set_here = False
        self.gc_frozen = False
        self.editor_content: dict[str, str] = {}
        self.files_by_uri: dict[str, File] = {}
        self.to_sanitize: list[str] = []
        self.shared_positions: dict[str, int] = {}  # article src_uri -> place in the child's list
        self.files: Files | None = None  # until the second process has started
        # Outlives builds: `mkdocs serve` keeps this instance, and an edit re-reads one file.
        self.article_cache = ArticleCache()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes `mkdocs serve` keep this instance across rebuilds;
        # on_config resets everything a build computes, so no state leaks between them. Only
        # the article cache carries over, and it is keyed by content (see cache.py).
        self.article_cache.keep_fragments = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        for option in ("page_size", "index_page_size", "related_limit"):
            if self.config[option] < 1:
                raise PluginError(f"mkdocs.yml: conflict-archive: {option} must be at least 1")
        self.site = None
        self.files_by_uri = {}
        self.editor_content = {}
        self.to_sanitize = []
        self.shared_positions = {}
        self.files = None
        self.root = root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.articles_dir = (root / self.config.articles_dir).resolve()
        self.templates_dir = (
            (root / self.config.templates_dir).resolve() if self.config.templates_dir else None
        )
        if self.config.enabled and self.config.stylesheet and STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        root = self.root
        options = SiteOptions(
            page_size=self.config.page_size,
            index_page_size=self.config.index_page_size,
            related_limit=self.config.related_limit,
            shipped_vocabularies=self.config.shipped_vocabularies,
            template_dirs=[self.templates_dir] if self.templates_dir else [],
            raw_html=self.config.raw_html,
            parallel_from={"auto": PARALLEL_FROM, "always": 1, "never": None}[self.config.parallel],
        )
        display = display_name(self.articles_dir, root)
        # Besides an article's content, its cached fragments depend on the URL style and the
        # template files (which serve watches): a change to either renders them afresh.
        self.article_cache.scheme = (config.use_directory_urls, _files_fingerprint(self.templates_dir))
        try:
            self.site = ArchiveSite.load(self.articles_dir, display, options, self.article_cache)
        except ArchiveError as error:
            count = len(error.problems)
            raise PluginError(
                f"{count} problem{'s' if count != 1 else ''} in the archive:\n{error}"
            ) from None
        for warning in self.site.archive.warnings:
            log.warning(str(warning))
        # The archive is now hundreds of thousands of objects that live until the build ends,
        # and every full collection of Python's cyclic GC would walk them all again: at 10,000
        # articles that was a tenth of the build. Freeze them out of the GC's sight for the
        # build; on_post_build hands them back, so serve sessions collect them as usual.
        gc.freeze()
        self.gc_frozen = True
        if "SOURCE_DATE_EPOCH" not in os.environ:
            # MkDocs dates the sitemap and its gzip header with the build time unless this is
            # set; take the date from git or the content instead, so a rebuild is byte-identical.
            epoch = _git_commit_epoch(root) or self.site.content_epoch()
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
            self.epoch_set_here = True

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._end_build()

    def on_build_error(self, *, error: Exception) -> None:
        self._end_build()

    def _end_build(self) -> None:
        self._forget_epoch()
        self._thaw()
        if self.site is not None:
            advance = self.site.advance
            if advance is not None and advance.failure:
                log.info(f"rendering in a second process failed, so the build did it:\n{advance.failure}")
            self.site.close()

    def _thaw(self) -> None:
        if self.gc_frozen:
            gc.unfreeze()
            self.gc_frozen = False

    def _forget_epoch(self) -> None:
        # In `mkdocs serve` the next rebuild must compute it afresh from the edited archive.
        if self.epoch_set_here:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.epoch_set_here = False

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        site = self.site
        if site is None:
            return files
        added: dict[str, File] = {}
        for uri, article in site.articles_by_uri.items():
            source = str(self.articles_dir / article.path)
            added[uri] = File.generated(config, uri, abs_src_path=source, inclusion=InclusionLevel.NOT_IN_NAV)
        for spec in site.pages:
            added[spec.src_uri] = File.generated(
                config, spec.src_uri, content=_shielded(site.intro(spec)), inclusion=InclusionLevel.NOT_IN_NAV
            )
        for alias, article in site.aliases.items():
            # The redirect goes where a page at the old path was published: articles/old/index.html,
            # or articles/old.html without directory URLs.
            old_page = File(urls.article_uri(f"{alias}.md"), None, config.site_dir, config.use_directory_urls)
            redirect = File.generated(config, old_page.dest_uri, content="")
            target = added[urls.article_uri(article)].url_relative_to(redirect)
            redirect.content_string = site.redirect_html(article, target)
            added[redirect.src_uri] = redirect
        if self.config.stylesheet:
            css = (Path(__file__).parent / STYLESHEET).read_bytes()
            added[STYLESHEET] = File.generated(config, STYLESHEET, content=css)
        manifest = build_manifest(site.archive, lambda a: added[urls.article_uri(a)].url)
        added[MANIFEST] = File.generated(config, MANIFEST, content=manifest)
        # Compare output paths, not sources: docs/regions.md would overwrite regions/index.html.
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
        self.files_by_uri = added
        site.use_site_urls(lambda target: added[target].url)
        return files

    # Late, so the browse link lands after whatever other plugins put into the nav.
    @event_priority(-50)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        site = self.site
        if site is None:
            return nav
        if self.config.browse_nav:
            self._add_browse_link(nav, config)
        self.files = files  # the second process starts from them when the first page is read
        return nav

    def _add_browse_link(self, nav: Navigation, config: MkDocsConfig) -> None:
        # One link to the browse page, not a section of the six indexes: Material renders the
        # whole nav into every page, and a section cost more than a tenth of a large build.
        browse = self.files_by_uri[urls.browse_uri()]
        if any(page.file is browse for page in nav.pages):
            return
        page = Page(self.config.browse_nav_title, browse, config)
        nav.items.append(page)
        nav.pages.append(page)

    def _start_second_process(self, config: MkDocsConfig, files: Files) -> None:
        """Fork the child that renders the archive's fragments, then shares the conversion of
        the articles' Markdown with MkDocs (markdown_in_advance.py), if the options and the
        system allow it."""
        site = self.site
        assert site is not None
        shared: list[SharedJob] = []
        positions: dict[str, int] = {}
        for file in files.documentation_pages() if can_share(config) else ():  # in MkDocs' order
            article = site.articles_by_uri.get(file.src_uri)
            if article is not None:
                positions[file.src_uri] = len(shared)
                shared.append(conversion(file, partial(_shielded, article.body), config, files))
        site.render_in_advance(shared)
        self.shared_positions = positions if site.advance is not None else {}

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # The core has already read and parsed the article: hand MkDocs the body alone,
        # so the front-matter is parsed once, by the strict parser.
        if self.site is not None:
            if self.files is not None:
                # The first page: every plugin's on_nav has run, so the files and pages are
                # as MkDocs will build them.
                self._start_second_process(config, self.files)
                self.files = None
            article = self.site.articles_by_uri.get(page.file.src_uri)
            if article is not None:
                return _shielded(article.body)
        return None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        site = self.site
        if site is None:
            return markdown
        # Theme templates print titles and descriptions without autoescaping (MkDocs' Jinja
        # environment has it off), so editor values are escaped before they reach them.
        article = site.articles_by_uri.get(page.file.src_uri)
        if article is not None:
            page.meta["title"] = html.escape(article.title)
            if article.summary:
                page.meta["description"] = html.escape(article.summary)
            page.update_date = article.last_changed.isoformat()
            position = self.shared_positions.get(page.file.src_uri)
            if position is not None and site.advance is not None:
                # MkDocs calls page.render right after this event and offers no hook in
                # between: this page's own attribute stands in for the method, once.
                page.__dict__["render"] = render_from_the_child(page, position, site.advance)
        spec = site.pages_by_uri.get(page.file.src_uri)
        if spec is not None:
            title = spec.title if spec.page == 1 else f"{spec.title} (page {spec.page})"
            page.meta["title"] = html.escape(title)
            page.update_date = site.page_date(spec).isoformat()
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        # The editor's HTML is sanitized once every plugin's on_page_content has run (on_env),
        # so whatever ends up in an article's body has passed the raw-HTML policy. The
        # archive's fragments are added in on_page_context, page by page: MkDocs holds every
        # page's content until the end of the build, and the fragments are most of an
        # archive's HTML.
        if self._is_ours(page):
            self.to_sanitize.append(page.file.src_uri)
        return html

    @event_priority(100)
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        # MkDocs calls this once every page's content is ready and before any page is put
        # together or indexed.
        site = self.site
        if site is not None:
            if site.advance is not None:
                # Every page MkDocs converts is converted by now (in `--dirty` builds it skips
                # some): the child finishes the one it has and stops.
                site.advance.stop_sharing()
            pages = [self.files_by_uri[uri].page for uri in self.to_sanitize]
            ours = [page for page in pages if page is not None and page.content is not None]
            contents = [page.content or "" for page in ours]
            for i, safe in enumerate(site.editor_html_of_all(contents)):
                # Replaced as each comes, and the list lets go of the original too: holding
                # every page's HTML twice was the build's peak memory.
                ours[i].content = safe
                contents[i] = ""
        self.to_sanitize = []
        return env

    def _is_ours(self, page: Page) -> bool:
        site = self.site
        uri = page.file.src_uri
        return site is not None and (uri in site.articles_by_uri or uri in site.pages_by_uri)

    # The search plugin indexes page.content in on_page_context (priority 0). Just before, hand
    # it the page's text without navigation markup; just after, render the full page for the
    # theme. Parsing every chip and table row for the index cost more than the rest of the build.
    @event_priority(100)
    def _give_search_the_text(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        site = self.site
        if site is None or not self._is_ours(page):
            return context
        uri = page.file.src_uri
        editor_html = page.content or ""
        self.editor_content[uri] = editor_html
        search_html = site.search_html(uri, editor_html)
        if search_html is None:
            page.meta["search"] = {"exclude": True}
        page.content = search_html or ""
        return context

    @event_priority(-100)
    def _render_the_page(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        site = self.site
        uri = page.file.src_uri
        if site is None or uri not in self.editor_content:
            return context
        editor_html = self.editor_content.pop(uri)
        # Links are written from the site root; this is the way up from this page.
        to_root = "../" * page.url.count("/")
        article = site.articles_by_uri.get(uri)
        if article is not None:
            page.content = site.article_html(article, editor_html, to_root)
        else:
            page.content = site.page_html(site.pages_by_uri[uri], editor_html, to_root)
        return context

    on_page_context = CombinedEvent(_give_search_the_text, _render_the_page)

    # Late, so that other plugins' on_post_page still see the content.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # MkDocs keeps every page's HTML and Markdown until the build ends; once an archive page
        # is written nothing reads them again, and for 10,000 articles they are most of the
        # memory the build holds.
        if self._is_ours(page):
            page.content = None
            page.markdown = ""  # not None: MkDocs then reports no title, and nav entries show "None"
        return output

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        if self.config.enabled:
            server.watch(str(self.articles_dir))
            if self.templates_dir:
                server.watch(str(self.templates_dir))
        return server


def _shielded(markdown: str) -> str:
    """Markdown that MkDocs' own meta-data parser leaves alone.

    MkDocs reads a leading `---` block, or leading `Key: value` lines (MultiMarkdown style), as
    page settings and removes them from the text: a body starting "Update: rescuers found…"
    would lose its first paragraph. An empty YAML block in front is all it takes away.
    """
    return "---\n{}\n---\n" + markdown


def _files_fingerprint(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the files in a folder: enough to notice an edit."""
    if folder is None or not folder.is_dir():
        return ()
    fingerprint = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            status = path.stat()
            fingerprint.append((path.relative_to(folder).as_posix(), status.st_size, status.st_mtime_ns))
    return tuple(fingerprint)


def _git_commit_epoch(folder: Path) -> int | None:
    """The commit time of HEAD in the repository holding `folder`, if it is one."""
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    output = result.stdout.strip()
    return int(output) if result.returncode == 0 and output.isdigit() else None
