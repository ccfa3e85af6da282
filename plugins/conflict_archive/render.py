"""Rendering HTML fragments from Jinja templates that a site can override.

The environment autoescapes: every value that comes from an editor (front-matter,
vocabularies) is escaped wherever it lands. Templates get a `url(src_uri)` function that
turns a source path into a link; the generator supplies the site's URL of each source path
(`site_url`), so the core never needs to know how it lays out URLs.

Links are written as `ROOT` + the URL from the site root, and `ROOT` is replaced by the way
up from each page ("../../") only when the page is put together. A chip, a listing row or a
summary box is therefore the same HTML on every page, and is rendered once per build however
many pages show it: an archive repeats the same few hundred terms and each event on a dozen
listings.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)
from markupsafe import Markup, escape

from . import citations, urls
from .changes import ChangeGroup, changes_html
from .charts import timeline_figure
from .citations import Cited
from .figures import Figure, Total
from .index import ArchiveIndex, Listing
from .labels import (
    HIERARCHICAL,
    SEARCH_FILTER_TITLES,
    SEARCH_FILTERS,
    TAXONOMY_TITLES,
    count_of,
    format_event_date,
    month_name,
)
from .maps import map_figure
from .model import TAXONOMIES, Article, Event
from .pages import (
    BrowsePage,
    DatesPage,
    MapPage,
    MonthPage,
    PageSpec,
    TaxonomyPage,
    TermPage,
    YearPage,
)
from .pictures import event_places, region_frame
from .places import precision_words
from .publication import Publication
from .vocabulary import Term

SiteUrl = Callable[[str], str]  # a source path -> its URL from the site root
# Stands for the way up to the site root until a page is put together. Autoescaping turns any
# `<` an editor writes into `&lt;` and the sanitizer drops unknown tags, so editor content
# never contains it.
ROOT = "<ca-root>"
# Where an editor wants the archive at a glance in a page of their own (`Renderer.overview`).
OVERVIEW_MARKER = "<!-- conflict-archive:overview -->"


def relative_to_page(html: str, to_root: str) -> str:
    """Fragments rendered with `ROOT` links, made relative to a page `to_root` below the root."""
    return html.replace(ROOT, to_root)


def format_figure(value: Figure | Total | None) -> str:
    return "not reported" if value is None else str(value)


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def figure_html(value: Figure | None) -> Markup:
    """A figure in a summary box: readable text, with its bounds for machines (no `data-high`
    when no upper bound was reported)."""
    if value is None:
        return Markup('<span class="ca-unreported">not reported</span>')
    high = "" if value.high is None else f' data-high="{value.high}"'
    best = "" if value.best is None else f' data-best="{value.best}"'
    return (
        Markup(f'<span class="ca-figure" data-low="{value.low}"{high}{best}>')
        + escape(value)
        + Markup("</span>")
    )


def template_environment(template_dirs: Sequence[Path] = ()) -> Environment:
    """The fragments' templates, a site's own first: autoescaped, strict about undefined names."""
    loaders = [FileSystemLoader(str(d)) for d in template_dirs]
    return Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("conflict_archive", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def redirect_html(article: Article, target_url: str, template_dirs: Sequence[Path] = ()) -> str:
    """The page left at an article's earlier path, sending readers to `target_url`."""
    return (
        template_environment(template_dirs)
        .get_template("redirect.html")
        .render(article=article, target=target_url)
    )


def emptied_html(target_url: str, template_dirs: Sequence[Path] = ()) -> str:
    """The page left where an earlier snapshot had a listing that is empty now."""
    return template_environment(template_dirs).get_template("emptied.html").render(target=target_url)


class Renderer:
    """Renders article fragments and generated pages for one archive."""

    def __init__(
        self,
        index: ArchiveIndex,
        site_url: SiteUrl,
        related: Callable[[], dict[str, tuple[Article, ...]]],
        neighbours: Callable[[], dict[str, tuple[Article | None, Article | None]]],
        page_size: int,
        index_page_size: int,
        template_dirs: Sequence[Path] = (),
        search: bool = False,
        publication: Publication | None = None,
        term_data: bool = True,
        event_overview: int = 3,
    ) -> None:
        self.index = index
        self.vocabularies = index.vocabularies
        self._site_url = site_url
        # Only footers need these: computed on first use, so that rendering boxes or pages
        # alone does not pay for them.
        self._related = related
        self._neighbours = neighbours
        self.publication = publication or Publication()
        self.page_size = page_size
        self.index_page_size = index_page_size
        self.env = template_environment(template_dirs)
        self._templates: dict[str, Template] = {}
        self._once: dict[tuple[str, str], Markup] = {}
        self._urls: dict[str, Markup] = {}
        # The environment calls back into the renderer only weakly (`_weakly`): held strongly,
        # the two would hold each other and, through the renderer, the whole archive, which
        # only Python's cyclic collector could then free, by walking every object of it once
        # the build is over (Jinja's compiled templates hold copies of these globals in cycles
        # of their own). Held weakly, the archive goes as soon as the build lets go of it.
        self.env.filters.update(
            figure=format_figure,
            figure_html=figure_html,
            place_note=_weakly(self.place_note),
            event_date=format_event_date,
            date=format_date,
            counted=count_of,
        )
        self.env.globals.update(
            term=_weakly(self.term),
            taxonomy_title=TAXONOMY_TITLES.__getitem__,
            taxonomies=TAXONOMIES,
            uris=urls,
            month_name=month_name,
            listing_of=_weakly(self.listing),
            article_of=_weakly(index.article_of),
            url=_weakly(self._url),
            cached_row=_weakly(self._cached_row),
            chip=_weakly(self._chip),
            chips=_weakly(self._chips),
            article_link=_weakly(self._article_link),
            search=search,
            search_filters=SEARCH_FILTERS,
            publication=publication or Publication(),
            file_url=self._file_url,
            event_cite=_weakly(self.event_cite),
            term_data=term_data,
            timeline=_weakly(self.timeline),
            region_map=_weakly(self.region_map),
            archive_map=_weakly(self.archive_map),
            month_map=_weakly(self.month_map),
            event_overview=event_overview,
        )

    @cached_property
    def related(self) -> dict[str, tuple[Article, ...]]:
        return self._related()

    @cached_property
    def neighbours(self) -> dict[str, tuple[Article | None, Article | None]]:
        return self._neighbours()

    def term(self, taxonomy: str, key: str) -> Term:
        return self.vocabularies[taxonomy][key]

    def place_note(self, event: Event) -> str:
        """How precisely the place is known, and what the coordinates are when they are a
        region's: `centre of Kherson; location known to the town or city`."""
        notes = []
        if event.coordinates is not None and event.coordinates_from_region:
            origin = self.vocabularies["regions"].coordinates_from(event.region)
            if origin is not None:
                notes.append(f"centre of {self.term('regions', origin).name}")
        if event.location_precision is not None:
            kind = self.term("regions", event.region).kind
            notes.append(precision_words(event.location_precision, kind))
        return "; ".join(notes)

    def timeline(
        self, events: Sequence[Event], title: str, figure_id: str, year: int | None = None
    ) -> Markup:
        """The `timeline()` of templates: events per month with their figures; over the
        whole of `year` on a year's page, else from the first event's month to the last's."""
        span = None if year is None else ((year, 1), (year, 12))
        return Markup(timeline_figure(events, title=title, figure_id=figure_id, span=span))

    def region_map(self, key: str) -> Markup:
        """The `region_map()` of templates: a region's events, framed on its outline."""
        regions = self.vocabularies["regions"]
        frame, highlight = region_frame(key, regions)
        name = regions[key].name
        events = self.index.terms["regions"][key].events
        return self._map(
            events, f"{name}: where events happened", urls.term_uri("regions", key), name, frame, highlight
        )

    def month_map(self, year: int, month: int) -> Markup:
        """The `month_map()` of templates: where a month's events happened."""
        title = month_name(year, month)
        events = self.index.months[(year, month)].events
        return self._map(events, f"{title}: where events happened", urls.month_uri(year, month), title)

    def archive_map(self) -> Markup:
        """The `archive_map()` of templates: every event with coordinates."""
        return self._map(
            self.index.whole.events,
            "Where the archive's events happened",
            urls.taxonomy_uri("regions"),
            "Regions",
        )

    def _map(
        self,
        events: Sequence[Event],
        title: str,
        fallback: str,
        fallback_label: str,
        frame: str | None = None,
        highlight: str | None = None,
    ) -> Markup:
        """A map of `events` ("" when none has coordinates); a mark grouping events of regions
        that no region holds leads to `fallback`."""
        vocabularies = self.vocabularies
        places = event_places(events, vocabularies["regions"], vocabularies["event-types"], self._site_url)
        if not places:  # nothing to draw: no map, rather than an outline with nothing on it
            return Markup("")
        return Markup(
            map_figure(
                places,
                frame=frame,
                highlight=highlight,
                title=title,
                figure_id="ca-map",
                fallback_href=self._site_url(fallback),
                fallback_label=fallback_label,
                link_root=ROOT,
            )
        )

    def listing(self, taxonomy: str, key: str) -> Listing:
        return self.index.terms[taxonomy][key]

    def _render(self, template: str, **context: Any) -> str:
        return self._template(template).render(**context)

    def _url(self, target: str) -> Markup:
        """The `url()` of templates: `ROOT` and the URL of `target` from the site root."""
        url = self._urls.get(target)
        if url is None:
            url = self._urls[target] = Markup(ROOT) + escape(self._site_url(target))
        return url

    @staticmethod
    def _file_url(target: str) -> Markup:
        """The `file_url()` of templates: a file that is not a page (a feed, a CSV)."""
        return Markup(ROOT) + escape(urls.file_url(target))

    def _article_link(self, article: Article) -> Markup:
        """A link to an article with its title: related coverage and region neighbours show
        the same few articles on many pages."""
        return self._macro_once("article_link", article.path, article)

    def _chip(self, taxonomy: str, key: str) -> Markup:
        """A link to a term (the `term_link` macro): boxes, footers and rows repeat the same
        few hundred terms thousands of times."""
        return self._macro_once("term_link", f"{taxonomy}/{key}", taxonomy, key)

    def _chips(self, taxonomy: str, keys: Sequence[str]) -> Markup:
        return Markup(" ").join(self._chip(taxonomy, key) for key in keys)

    def _cached_row(self, macro: str, item: Event | Article) -> Markup:
        """A listing row: each event and article appears on many listing pages."""
        return self._macro_once(macro, item.id if isinstance(item, Event) else item.path, item)

    def _macro_once(self, macro: str, identity: str, *args: object) -> Markup:
        """A macro of `_macros.html`, rendered once per build for each `identity`: its links
        start at `ROOT`, so the same HTML serves every page."""
        key = (macro, identity)
        html = self._once.get(key)
        if html is None:
            html = self._once[key] = Markup(getattr(self._template("_macros.html").module, macro)(*args))
        return html

    def _template(self, name: str) -> Template:
        # The environment does not reload templates during a build, so each is compiled once.
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def search_article(self, article: Article) -> str:
        """The facts of an article for the search index; its body text follows them."""
        return self._template("search_article.html").render(article=article)

    def tombstone(self, article: Article) -> str:
        """The notice at a withdrawn article's address (`tombstone.html`), links from `ROOT`."""
        return self._template("tombstone.html").render(article=article)

    def changes(self, groups: Sequence[ChangeGroup], page: int, pages: int, feed: bool) -> str:
        """One page of "What changed" (`changes.html`), links from `ROOT`."""
        pager = self._pager(page, pages, urls.changes_uri)
        feed_href = self._file_url(urls.CHANGES_FEED) if feed else None
        return changes_html(self.env, groups, lambda a: self._url(urls.article_uri(a)), feed_href, pager)

    def search_form(self, browse_url: str) -> str:
        """The archive's search page: its controls, which the search script brings to life."""
        filters = list(SEARCH_FILTER_TITLES.items())  # a list: JSON objects lose their order in tojson
        months = [f"{year:04d}-{month:02d}" for year, month in self.index.months]
        return self._template("search_form.html").render(
            filters=filters, months=months, browse_url=browse_url
        )

    def search_page(self, spec: PageSpec, intro_html: str) -> str:
        """What the search index gets for the first page of a listing or index."""
        current = self.vocabularies[spec.taxonomy][spec.key] if isinstance(spec, TermPage) else None
        return self._template("search_page.html").render(spec=spec, current=current, intro=Markup(intro_html))

    def head(self, spec: PageSpec | None) -> str:
        """What a page adds to its `<head>`: the archive's feeds and, on a term's pages, the
        term's (autodiscovery: a feed reader given the page finds them). Absolute URLs."""
        current = self.vocabularies[spec.taxonomy][spec.key] if isinstance(spec, TermPage) else None
        return self._template("head.html").render(spec=spec, current=current)

    def cited(self, article: Article) -> Cited:
        """What a citation of `article` names: its permalink (absolute when the site's URL is
        known) and the site."""
        publication = self.publication
        permalink = publication.absolute(self._site_url(urls.article_uri(article)))
        licence = None if publication.licence is None else publication.licence.path
        return Cited(
            article, permalink, publication.site_name, publication.site_url, licence, publication.release
        )

    def event_cite(self, event: Event) -> Markup:
        """The `event_cite()` of templates: how to cite one event, in its box."""
        cited = self.cited(self.index.article_of(event))
        return Markup(citations.event_cite_html(self.env, cited, event, self.vocabularies))

    def article_head(self, article: Article) -> str:
        """An article's metadata for the `<head>`: Highwire Press `citation_*` tags (Zotero,
        Google Scholar) and schema.org JSON-LD. Absolute URLs; names the file's hash."""
        cited = self.cited(article)
        return citations.highwire_html(cited) + citations.json_ld_html(cited, self.vocabularies)

    def article_cite(self, article: Article) -> str:
        """ "Cite this", after the article: a reference and BibTeX, RIS and CSL-JSON, naming the
        permalink, the last change and the file's hash."""
        return citations.cite_block_html(self.env, self.cited(article))

    def article_header(self, article: Article) -> str:
        """Title, dates, summary and one summary box per event; links start at `ROOT`."""
        return self._render("article_header.html", article=article)

    def article_footer(self, article: Article) -> str:
        """What the article is filed under, sources, corrections, related coverage and its
        neighbours in its region; links start at `ROOT`."""
        months = sorted({e.month for e in article.events}) or [
            (article.published_date.year, article.published_date.month)
        ]
        previous, following = self.neighbours.get(article.path, (None, None))
        return self._render(
            "article_footer.html",
            article=article,
            filed=self._filed_beyond_events(article),
            months=months,
            related=self.related.get(article.path, ()),
            previous=previous,
            following=following,
        )

    @staticmethod
    def _filed_beyond_events(article: Article) -> dict[str, tuple[str, ...]]:
        """The terms an article is filed under that its summary boxes do not already link:
        its tags, and whatever the front-matter names for the article as a whole."""
        shown: dict[str, set[str]] = {
            "regions": set(),
            "actors": set(),
            "event-types": set(),
            "weapons": set(),
        }
        for event in article.events:
            shown["regions"].add(event.region)
            shown["actors"].update(event.perpetrators, event.targeted)
            shown["event-types"].add(event.type)
            shown["weapons"].update(event.weapons)
        filed = {}
        for taxonomy in TAXONOMIES:
            keys = tuple(k for k in article.terms.get(taxonomy, ()) if k not in shown.get(taxonomy, ()))
            if keys:
                filed[taxonomy] = keys
        return filed

    def page(self, spec: PageSpec, intro_html: str) -> str:
        """A generated page; links start at `ROOT`."""
        # The intro is Markdown rendered by the generator, trusted like an article body.
        context: dict[str, Any] = {"spec": spec, "intro": Markup(intro_html)}
        match spec:
            case BrowsePage():
                return self._render("browse.html", index=self.index, located=self.located, **context)
            case TaxonomyPage():
                return self._render("taxonomy.html", **context, **self._taxonomy_context(spec))
            case TermPage():
                return self._render("term.html", **context, **self._term_context(spec))
            case DatesPage():
                years, months = self.index.years, self.index.months
                return self._render(
                    "dates.html", years=years, months=months, events=self.index.whole.events, **context
                )
            case YearPage():
                return self._render("year.html", **context, **self._year_context(spec))
            case MonthPage():
                return self._render("month.html", **context, **self._month_context(spec))
            case MapPage():
                return self._render("map.html", **context, **self._map_context())

    def overview(self, latest: int = 5, busiest: int = 8) -> str:
        """The archive at a glance, for the page an editor marks (`overview.html`): totals, the
        dates covered, the newest reports, the timeline, the map and the busiest regions."""
        return self._render("overview.html", **self._map_context(), latest=latest, busiest=busiest)

    @cached_property
    def located(self) -> int:
        """How many events have coordinates, their own or their region's: the map's marks."""
        return sum(1 for e in self.index.whole.events if e.coordinates is not None)

    def _map_context(self) -> dict[str, Any]:
        whole = self.index.whole
        events = whole.events
        regions = self.vocabularies["regions"]
        used = self.index.terms["regions"]
        # A country's first-level divisions: the children of the archive's top-level regions.
        divisions = [
            k for k in used if (parent := regions[k].parent) is not None and regions[parent].parent is None
        ]
        divisions.sort(key=lambda k: (-len(used[k].events), regions[k].name.casefold(), k))
        return {
            "whole": whole,
            "first": min((e.start for e in events), default=None),
            "last": max((e.end for e in events), default=None),
            "located": self.located,
            "busiest_regions": divisions,
        }

    def _term_context(self, spec: TermPage) -> dict[str, Any]:
        listing = self.index.terms[spec.taxonomy][spec.key]
        vocabulary = self.vocabularies[spec.taxonomy]
        used = self.index.terms[spec.taxonomy]
        return {
            "current": vocabulary[spec.key],
            "ancestors": [vocabulary[k] for k in reversed(vocabulary.ancestors(spec.key))],
            "children": [vocabulary[k] for k in vocabulary.children(spec.key) if k in used],
            "listing": listing,
            **self._slice(listing, spec.page),
            "pager": self._pager(spec.page, spec.pages, lambda p: urls.term_uri(spec.taxonomy, spec.key, p)),
        }

    def _year_context(self, spec: YearPage) -> dict[str, Any]:
        years = list(self.index.years)
        position = years.index(spec.year)
        return {
            "listing": self.index.years[spec.year],
            "months": {m: v for m, v in self.index.months.items() if m[0] == spec.year},
            "previous": years[position - 1] if position else None,
            "following": years[position + 1] if position + 1 < len(years) else None,
        }

    def _month_context(self, spec: MonthPage) -> dict[str, Any]:
        listing = self.index.months[(spec.year, spec.month)]
        previous, following = self.index.neighbours((spec.year, spec.month))
        return {
            "listing": listing,
            "previous": previous,
            "following": following,
            **self._slice(listing, spec.page),
            "pager": self._pager(spec.page, spec.pages, lambda p: urls.month_uri(spec.year, spec.month, p)),
        }

    def _slice(self, listing: Listing, page: int) -> dict[str, Any]:
        start = (page - 1) * self.page_size
        stop = start + self.page_size
        return {"events": listing.shown_events[start:stop], "articles": listing.shown_articles[start:stop]}

    @staticmethod
    def _pager(page: int, pages: int, uri: Callable[[int], str]) -> dict[str, Any]:
        """Page `page` of `pages`, with the source paths of its neighbours and of the first."""
        return {
            "page": page,
            "pages": pages,
            "previous": uri(page - 1) if page > 1 else None,
            "next": uri(page + 1) if page < pages else None,
            "first": uri(1),
        }

    def _taxonomy_context(self, spec: TaxonomyPage) -> dict[str, Any]:
        taxonomy = spec.taxonomy
        used = self.index.terms[taxonomy]
        vocabulary = self.vocabularies[taxonomy]
        if taxonomy in HIERARCHICAL:
            roots = [k for k in used if vocabulary[k].parent not in used]
            roots.sort(key=lambda k: (vocabulary[k].name.casefold(), k))
            children = {
                k: sorted(
                    (c for c in vocabulary.children(k) if c in used),
                    key=lambda c: (vocabulary[c].name.casefold(), c),
                )
                for k in used
            }
            return {"tree": True, "roots": roots, "children": children, "used": used, "pager": None}
        keys = sorted(used, key=lambda k: (vocabulary[k].name.casefold(), k))
        start = (spec.page - 1) * self.index_page_size
        return {
            "tree": False,
            "keys": keys[start : start + self.index_page_size],
            "used": used,
            "pager": self._pager(spec.page, spec.pages, lambda p: urls.taxonomy_uri(taxonomy, p)),
        }


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` (bound to an object), called through a weak reference to its object."""
    reference = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = reference()
        if bound is None:
            raise RuntimeError("a template called back into a renderer that is gone")
        return bound(*args, **kwargs)

    return call
