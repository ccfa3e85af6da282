"""The renderer (`render.py`): article headers and footers, every kind of generated page, links
written from the site root (`ROOT`) and made relative per page, figures, event dates, escaping
of editors' values, and the redirect page.

Archives are written to `tmp_path`, read with `load_archive`, and rendered by the `Renderer`
that `ArchiveSite` hands out; `directory_url` stands in for MkDocs' directory URLs. HTML is
read with BeautifulSoup.
"""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from conflict_archive.archive import load_archive
from conflict_archive.articles import ArticleFile, load_article
from conflict_archive.data_files import data_files
from conflict_archive.figures import Figure, Total
from conflict_archive.model import Article
from conflict_archive.render import (
    ROOT,
    Renderer,
    format_event_date,
    format_figure,
    redirect_html,
    relative_to_page,
)
from conflict_archive.site import ArchiveSite, SiteOptions
from conflict_archive.vocabulary import Vocabulary
from conflict_archive.vocabulary_files import load_vocabularies
from conftest import SiteDir, synthetic_article, synthetic_event


def directory_url(src_uri: str) -> str:
    """As MkDocs with `use_directory_urls`: `regions/kyiv/index.md` -> `regions/kyiv/`,
    `articles/2025/10/x.md` -> `articles/2025/10/x/`."""
    if src_uri == "index.md" or src_uri.endswith("/index.md"):
        return src_uri.removesuffix("index.md")
    return src_uri.removesuffix(".md") + "/"


def _path(number: int) -> str:
    return f"2025/10/synthetic-{number:06d}.md"


def _url(number: int) -> str:
    """The link an article gets, from the site root."""
    return f"{ROOT}articles/2025/10/synthetic-{number:06d}/"


def _site(
    tmp_path: Path,
    articles: dict[str, dict[str, Any]],
    vocabulary: dict[str, str] | None = None,
    **options: Any,
) -> ArchiveSite:
    """An archive of these files (path under articles/ -> front-matter), with site vocabulary
    files (taxonomy -> YAML) if given."""
    site = SiteDir(tmp_path / "site")
    for relative, front in articles.items():
        site.article(relative, front)
    for taxonomy, text in (vocabulary or {}).items():
        site.write(f"_vocabulary/{taxonomy}.yml", text)
    return ArchiveSite(load_archive(site.articles), SiteOptions(**options))


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text().split())


def _one(parent: Tag, name: str, **attrs: Any) -> Tag:
    """The first element `name` with these attributes (`class_` for the class), which must exist."""
    found = parent.find(name, **attrs)
    assert isinstance(found, Tag), (name, attrs)
    return found


def _links(element: Tag | None) -> list[tuple[str, str]]:
    assert element is not None
    return [(_text(a), str(a["href"])) for a in element.find_all("a")]


def _page(site: ArchiveSite, renderer: Renderer, src_uri: str, intro: str = "") -> BeautifulSoup:
    spec = site.page_of(src_uri)
    assert spec is not None, src_uri
    return _soup(renderer.page(spec, intro))


# ---- Article header: title, dates and summary boxes ------------------------------------------

SYNTHETIC_PLACE = """\
synthetic-place:
  name: Synthetic location
  parent: kyiv
"""

HEADER_ARTICLE = synthetic_article(
    42,
    date="2025-10-23",
    updated="2025-10-24T09:30:00+03:00",
    summary="Synthetic summary.",
    authors=["Synthetic Author", "Synthetic Editor"],
    sources=[{"title": "Synthetic source", "url": "https://synthetic.invalid/report"}],
    events=[
        synthetic_event(
            id="synthetic-range",
            region="kyiv-darnytskyi",
            location="Synthetic street",
            perpetrators=["russian-aerospace-forces"],
            targeted=["civilians-ukraine"],
            weapons=["shahed-136", "kh-101"],
            killed={"low": 2, "high": 4},
            damage=["Synthetic damage", "Synthetic roof"],
            notes="Synthetic note.",
            sources=[1],
        ),
        synthetic_event(
            id="synthetic-best",
            date="2025-10-21",
            region="synthetic-place",  # no coordinates: Kyiv's are used
            perpetrators=[],
            killed={"low": 2, "best": 3, "high": 4},
            injured=1234,
        ),
        synthetic_event(
            id="synthetic-zero",
            date="2025-10-20",
            date_precision="week",
            coordinates=[50.45, 30.52],
            killed=0,
            sources=[{"title": "Synthetic inline source", "url": "https://synthetic.invalid/inline"}],
        ),
    ],
)


@pytest.fixture(scope="module")
def header(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    site = _site(tmp_path_factory.mktemp("header"), {_path(42): HEADER_ARTICLE}, {"regions": SYNTHETIC_PLACE})
    article = site.archive.by_path[_path(42)]
    return _soup(site.renderer(directory_url).article_header(article))


def _box(header: BeautifulSoup, event_id: str) -> Tag:
    box = header.find("aside", id=f"event-{event_id}")
    assert isinstance(box, Tag), event_id
    return box


def _field(header: BeautifulSoup, event_id: str, field: str) -> Tag:
    found = _box(header, event_id).find("dd", attrs={"data-field": field})
    assert isinstance(found, Tag), (event_id, field)
    return found


def test_the_header_has_title_dates_authors_and_summary(header: BeautifulSoup) -> None:
    assert _text(header.find("h1")) == "Synthetic report 000042"
    meta = header.find("p", class_="ca-article-meta")
    assert (
        _text(meta)
        == "Published 2025-10-23 · updated 2025-10-24T09:30+03:00 · Synthetic Author, Synthetic Editor"
    )
    assert isinstance(meta, Tag)
    assert [t["datetime"] for t in meta.find_all("time")] == ["2025-10-23", "2025-10-24T09:30+03:00"]
    assert _text(header.find("p", class_="ca-summary")) == "Synthetic summary."


def test_one_box_per_event_in_the_articles_order(header: BeautifulSoup) -> None:
    boxes = header.find_all("aside", class_="ca-event")
    assert [box["data-event-id"] for box in boxes] == ["synthetic-range", "synthetic-best", "synthetic-zero"]
    assert [_text(box.find("h2", class_="ca-event__title")) for box in boxes] == [
        "Air/drone strike: Synthetic street",
        "Air/drone strike",
        "Air/drone strike",
    ]


BOX_TEXT = [
    # event, field, the text the reader sees
    ("synthetic-range", "date", "2025-10-22"),
    ("synthetic-zero", "date", "week of 2025-10-20"),
    ("synthetic-range", "killed", "2–4"),
    ("synthetic-range", "injured", "not reported"),
    ("synthetic-best", "killed", "2–4 (best estimate 3)"),
    ("synthetic-best", "injured", "1,234"),
    ("synthetic-zero", "killed", "0"),  # zero is a figure, not "not reported"
    ("synthetic-zero", "injured", "not reported"),
    (
        "synthetic-range",
        "place",
        "Synthetic street, Darnytskyi district, Kyiv 50.4000, 30.6400 "
        "(centre of Darnytskyi district, Kyiv; location known to the city district)",
    ),
    # A site place without a kind: the parent's centre, and no precision stated.
    ("synthetic-best", "place", "Synthetic location 50.4547, 30.5238 (centre of Kyiv)"),
    ("synthetic-zero", "place", "Kyiv 50.4500, 30.5200 (exact location)"),  # the editor's own point
    ("synthetic-range", "type", "Air/drone strike (Explosions/Remote violence)"),
    ("synthetic-range", "perpetrators", "Russian Aerospace Forces"),
    ("synthetic-best", "perpetrators", "not reported"),
    ("synthetic-zero", "perpetrators", "Military Forces of Russia"),
    ("synthetic-range", "targeted", "Civilians (Ukraine)"),
    ("synthetic-range", "weapons", "Shahed-136 one-way attack drone Kh-101 cruise missile"),
    ("synthetic-best", "weapons", "not reported"),
    ("synthetic-range", "damage", "Synthetic damage, Synthetic roof"),
    ("synthetic-best", "damage", "not reported"),
    ("synthetic-range", "sources", "[1]"),
    ("synthetic-best", "sources", "none cited"),
    ("synthetic-zero", "sources", "Synthetic inline source"),
]


@pytest.mark.parametrize(("event_id", "field", "text"), BOX_TEXT)
def test_summary_box_text(header: BeautifulSoup, event_id: str, field: str, text: str) -> None:
    assert _text(_field(header, event_id, field)) == text


BOX_LINKS = [
    # event, field, the links in it (text, target)
    ("synthetic-range", "place", [("Darnytskyi district, Kyiv", f"{ROOT}regions/kyiv-darnytskyi/")]),
    ("synthetic-best", "place", [("Synthetic location", f"{ROOT}regions/synthetic-place/")]),
    (
        "synthetic-range",
        "type",
        [
            ("Air/drone strike", f"{ROOT}event-types/air-drone-strike/"),
            ("Explosions/Remote violence", f"{ROOT}event-types/explosions-remote-violence/"),
        ],
    ),
    (
        "synthetic-range",
        "perpetrators",
        [("Russian Aerospace Forces", f"{ROOT}actors/russian-aerospace-forces/")],
    ),
    ("synthetic-range", "targeted", [("Civilians (Ukraine)", f"{ROOT}actors/civilians-ukraine/")]),
    (
        "synthetic-range",
        "weapons",
        [
            ("Shahed-136 one-way attack drone", f"{ROOT}weapons/shahed-136/"),
            ("Kh-101 cruise missile", f"{ROOT}weapons/kh-101/"),
        ],
    ),
    ("synthetic-range", "sources", [("[1]", "#source-1")]),
    ("synthetic-zero", "sources", [("Synthetic inline source", "https://synthetic.invalid/inline")]),
    ("synthetic-best", "perpetrators", []),
    ("synthetic-range", "killed", []),
]


@pytest.mark.parametrize(("event_id", "field", "links"), BOX_LINKS)
def test_summary_box_links(
    header: BeautifulSoup, event_id: str, field: str, links: list[tuple[str, str]]
) -> None:
    assert _links(_field(header, event_id, field)) == links


FIGURE_SPANS = [
    # event, field, the span's class and data attributes
    ("synthetic-range", "killed", {"class": ["ca-figure"], "data-low": "2", "data-high": "4"}),
    (
        "synthetic-best",
        "killed",
        {"class": ["ca-figure"], "data-low": "2", "data-high": "4", "data-best": "3"},
    ),
    (
        "synthetic-best",
        "injured",
        {"class": ["ca-figure"], "data-low": "1234", "data-high": "1234", "data-best": "1234"},
    ),
    (
        "synthetic-zero",
        "killed",
        {"class": ["ca-figure"], "data-low": "0", "data-high": "0", "data-best": "0"},
    ),
    ("synthetic-range", "injured", {"class": ["ca-unreported"]}),
]


@pytest.mark.parametrize(("event_id", "field", "attributes"), FIGURE_SPANS)
def test_figures_carry_their_range_for_machines(
    header: BeautifulSoup, event_id: str, field: str, attributes: dict[str, Any]
) -> None:
    (span,) = _field(header, event_id, field).find_all("span")
    assert span.attrs == attributes


@pytest.mark.parametrize(
    ("event_id", "lat", "lon"),
    [
        ("synthetic-range", "50.4", "30.64"),
        ("synthetic-best", "50.4547", "30.5238"),
        ("synthetic-zero", "50.45", "30.52"),
    ],
)
def test_boxes_carry_coordinates(header: BeautifulSoup, event_id: str, lat: str, lon: str) -> None:
    box = _box(header, event_id)
    assert (box["data-lat"], box["data-lon"]) == (lat, lon)


def test_notes_are_shown_only_when_written(header: BeautifulSoup) -> None:
    assert [_text(p) for p in header.find_all("p", class_="ca-event__notes")] == ["Synthetic note."]
    assert _box(header, "synthetic-best").find("dt", string="Targeted") is None


# ---- Article footer --------------------------------------------------------------------------

FOOTER_ARCHIVE = {
    _path(1): synthetic_article(
        1,
        date="2025-10-20",
        events=[synthetic_event(id="synthetic-e1", date="2025-10-19", region="kyiv-darnytskyi")],
    ),
    _path(42): synthetic_article(
        42,
        date="2025-10-23",
        regions=["kyiv-oblast", "kyiv-darnytskyi"],
        actors=["ukrainian-air-force"],
        tags=["energy-infrastructure", "Synthetic free tag"],
        sources=[
            {
                "title": "Synthetic source",
                "url": "https://synthetic.invalid/report",
                "publisher": "Synthetic Publisher",
                "published": "2025-10-22",
                "archived_url": "https://archive.synthetic.invalid/report",
                "sha256": "a" * 64,
            },
            {"title": "Synthetic offline source"},
        ],
        corrections=[{"date": "2025-10-25", "note": "Synthetic correction."}],
        events=[
            synthetic_event(id="synthetic-e42a", date="2025-10-22", region="kyiv-darnytskyi"),
            synthetic_event(
                id="synthetic-e42b",
                date="2025-09-30",
                region="kyiv-desnianskyi",
                perpetrators=["russian-aerospace-forces"],
            ),
        ],
    ),
    # shares an event with 42 (same day, same place): the most related
    _path(43): synthetic_article(
        43,
        date="2025-10-25",
        events=[synthetic_event(id="synthetic-e43", date="2025-10-22", region="kyiv-darnytskyi")],
    ),
    # no events, no regions: filed under its publication month only
    _path(44): synthetic_article(44, date="2025-11-02"),
}


@pytest.fixture(scope="module")
def footer_site(tmp_path_factory: pytest.TempPathFactory) -> ArchiveSite:
    return _site(tmp_path_factory.mktemp("footer"), FOOTER_ARCHIVE)


def _footer(site: ArchiveSite, number: int) -> BeautifulSoup:
    return _soup(site.renderer(directory_url).article_footer(site.archive.by_path[_path(number)]))


def test_filed_under_lists_what_the_boxes_do_not_and_the_months(footer_site: ArchiveSite) -> None:
    footer = _footer(footer_site, 42)
    filed = footer.find("section", class_="ca-filed")
    assert isinstance(filed, Tag)
    assert [_text(dt) for dt in filed.find_all("dt")] == ["Regions", "Actors", "Tags", "Months"]
    chips = {dd["data-taxonomy"]: _links(dd) for dd in filed.find_all("dd")}
    assert chips == {
        # kyiv-darnytskyi, the actors and the type of the events are linked from the boxes already
        "regions": [("Kyiv Oblast", f"{ROOT}regions/kyiv-oblast/")],
        "actors": [("Ukrainian Air Force", f"{ROOT}actors/ukrainian-air-force/")],
        "tags": [
            ("Energy infrastructure", f"{ROOT}tags/energy-infrastructure/"),
            ("Synthetic free tag", f"{ROOT}tags/synthetic-free-tag/"),
        ],
        "dates": [("September 2025", f"{ROOT}dates/2025/09/"), ("October 2025", f"{ROOT}dates/2025/10/")],
    }


def test_an_article_without_events_is_filed_under_its_publication_month(footer_site: ArchiveSite) -> None:
    footer = _footer(footer_site, 44)
    filed = footer.find("section", class_="ca-filed")
    assert isinstance(filed, Tag)
    assert [_text(dt) for dt in filed.find_all("dt")] == ["Months"]
    assert _links(filed) == [("November 2025", f"{ROOT}dates/2025/11/")]
    for absent in ("ca-sources", "ca-corrections", "ca-related"):
        assert footer.find("section", class_=absent) is None
    assert footer.find("nav", class_="ca-region-nav") is None


def test_sources_and_corrections(footer_site: ArchiveSite) -> None:
    footer = _footer(footer_site, 42)
    sources = footer.find("section", class_="ca-sources")
    assert isinstance(sources, Tag)
    items = sources.find_all("li")
    assert [li["id"] for li in items] == ["source-1", "source-2"]
    assert _text(items[0]) == (
        f"Synthetic source, Synthetic Publisher, 2025-10-22 (archived copy)SHA-256 {'a' * 64}"
    )
    assert _links(items[0]) == [
        ("Synthetic source", "https://synthetic.invalid/report"),
        ("archived copy", "https://archive.synthetic.invalid/report"),
    ]
    assert {a["rel"] == ["nofollow", "noopener"] for a in items[0].find_all("a")} == {True}
    assert (_text(items[1]), _links(items[1])) == ("Synthetic offline source", [])
    assert [_text(li) for li in _one(footer, "section", class_="ca-corrections").find_all("li")] == [
        "2025-10-25: Synthetic correction."
    ]


def test_related_coverage_and_neighbours_in_the_main_region(footer_site: ArchiveSite) -> None:
    footer = _footer(footer_site, 42)
    related = _one(footer, "section", class_="ca-related")
    assert [_text(li) for li in related.find_all("li")] == [
        "Synthetic report 000043 2025-10-25",  # a shared event
        "Synthetic report 000001 2025-10-20",
    ]
    assert _links(related) == [("Synthetic report 000043", _url(43)), ("Synthetic report 000001", _url(1))]
    nav = footer.find("nav", class_="ca-region-nav")
    assert isinstance(nav, Tag)
    assert nav["aria-label"] == "More from Darnytskyi district, Kyiv"
    assert [(a["rel"], _text(a), a["href"]) for a in nav.find_all("a")] == [
        (["prev"], "← Synthetic report 000001", _url(1)),
        (["next"], "Synthetic report 000043 →", _url(43)),
    ]


# ---- Generated pages -------------------------------------------------------------------------

LISTING_ARCHIVE = {
    _path(1): synthetic_article(
        1,
        date="2025-10-23",
        tags=["railway"],
        events=[
            synthetic_event(
                id="synthetic-darnytskyi",
                date="2025-10-22",
                region="kyiv-darnytskyi",
                location="Synthetic location",
                killed=2,
                injured={"low": 1, "high": 3},
            )
        ],
    ),
    _path(2): synthetic_article(
        2,
        date="2025-10-24",
        regions=["kyiv"],
        events=[synthetic_event(id="synthetic-lviv", date="2025-10-23", region="lviv")],
    ),
    _path(3): synthetic_article(
        3, date="2025-11-05", regions=["kyiv"], tags=["railway"], summary="Synthetic summary."
    ),
    _path(4): synthetic_article(
        4,
        date="2024-12-02",
        events=[synthetic_event(id="synthetic-kharkiv", date="2024-12-01", region="kharkiv", killed=5)],
    ),
}


@pytest.fixture(scope="module")
def listing_site(tmp_path_factory: pytest.TempPathFactory) -> ArchiveSite:
    return _site(tmp_path_factory.mktemp("listing"), LISTING_ARCHIVE)


def _totals(soup: BeautifulSoup) -> dict[str, str]:
    totals = soup.find("dl", class_="ca-totals")
    assert isinstance(totals, Tag)
    return {str(dd["data-total"]): _text(dd) for dd in totals.find_all("dd")}


def _rows(soup: BeautifulSoup) -> list[list[str]]:
    table = soup.find("table", class_="ca-events")
    assert isinstance(table, Tag)
    return [[_text(td) for td in tr.find_all("td")] for tr in _one(table, "tbody").find_all("tr")]


def _article_rows(soup: BeautifulSoup) -> list[tuple[str, str, str]]:
    found = soup.find("ul", class_="ca-articles")
    assert isinstance(found, Tag)
    return [(str(li["data-article"]), _text(li), str(_one(li, "a")["href"])) for li in found.find_all("li")]


def test_browse_page(listing_site: ArchiveSite) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), "browse/index.md")
    assert _text(page.find("h1")) == "Browse"
    items = _one(page, "ul", class_="ca-browse").find_all("li")
    assert [(_links(li), _text(li.find("span", class_="ca-count"))) for li in items] == [
        ([("Regions", f"{ROOT}regions/")], "7 entries"),
        ([("Actors", f"{ROOT}actors/")], "1 entry"),
        ([("Event types", f"{ROOT}event-types/")], "2 entries"),
        ([("Weapons", f"{ROOT}weapons/")], "0 entries"),
        ([("Tags", f"{ROOT}tags/")], "1 entry"),
        ([("Dates", f"{ROOT}dates/")], "3 months"),
        ([("Map", f"{ROOT}map/")], "3 events"),
    ]


def _tree(ul: Tag) -> list[Any]:
    """A regions index as nested lists: (name, link, counts, children)."""
    result = []
    for li in ul.find_all("li", recursive=False):
        a = li.find("a", recursive=False)
        count = li.find("span", class_="ca-count", recursive=False)
        sub = li.find("ul", recursive=False)
        result.append(
            (
                _text(a),
                a["href"],
                (count["data-articles"], count["data-events"], _text(count)),
                _tree(sub) if sub else [],
            )
        )
    return result


def test_a_hierarchical_index_is_a_tree_sorted_by_name(listing_site: ArchiveSite) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), "regions/index.md")
    assert _text(page.find("h1")) == "Regions"
    root = _one(_one(page, "div", class_="ca-index--regions"), "ul")
    assert _tree(root) == [
        (
            "Ukraine",
            f"{ROOT}regions/ukraine/",
            ("4", "3", "4 articles, 3 events"),
            [
                (
                    "Kharkiv Oblast",
                    f"{ROOT}regions/kharkiv-oblast/",
                    ("1", "1", "1 article, 1 event"),
                    [("Kharkiv", f"{ROOT}regions/kharkiv/", ("1", "1", "1 article, 1 event"), [])],
                ),
                (
                    "Kyiv",
                    f"{ROOT}regions/kyiv/",
                    ("3", "1", "3 articles, 1 event"),
                    [
                        (
                            "Darnytskyi district, Kyiv",
                            f"{ROOT}regions/kyiv-darnytskyi/",
                            ("1", "1", "1 article, 1 event"),
                            [],
                        )
                    ],
                ),
                (
                    "Lviv Oblast",
                    f"{ROOT}regions/lviv-oblast/",
                    ("1", "1", "1 article, 1 event"),
                    [("Lviv", f"{ROOT}regions/lviv/", ("1", "1", "1 article, 1 event"), [])],
                ),
            ],
        )
    ]
    assert page.find("nav", class_="ca-pager") is None


# Five shipped tags and a site's own whose key sorts first and whose name sorts last.
TAGS = [
    "energy-infrastructure",
    "port-infrastructure",
    "railway",
    "healthcare",
    "education",
    "a-synthetic-tag",
]
TAGS_VOCABULARY = {"tags": "a-synthetic-tag:\n  name: Zeta synthetic tag\n"}


@pytest.fixture(scope="module")
def tags_site(tmp_path_factory: pytest.TempPathFactory) -> ArchiveSite:
    articles = {_path(1): synthetic_article(1, tags=TAGS)}
    return _site(tmp_path_factory.mktemp("tags"), articles, TAGS_VOCABULARY, index_page_size=2)


@pytest.mark.parametrize(
    ("page", "names", "pager"),
    [
        (1, ["Education", "Energy infrastructure"], [("Older →", f"{ROOT}tags/page/2/")]),
        (
            2,
            ["Healthcare", "Port infrastructure"],
            [("← Newer", f"{ROOT}tags/"), ("Older →", f"{ROOT}tags/page/3/")],
        ),
        (3, ["Railway", "Zeta synthetic tag"], [("← Newer", f"{ROOT}tags/page/2/")]),
    ],
)
def test_the_tags_index_is_sorted_by_name_and_split(
    tags_site: ArchiveSite, page: int, names: list[str], pager: list[tuple[str, str]]
) -> None:
    uri = "tags/index.md" if page == 1 else f"tags/page/{page}/index.md"
    soup = _page(tags_site, tags_site.renderer(directory_url), uri)
    index = _one(soup, "div", class_="ca-index--tags")
    assert [_text(a) for a in _one(index, "ul").find_all("a")] == names
    nav = _one(soup, "nav", class_="ca-pager")
    assert _links(nav) == pager
    assert _text(nav.find("span")) == f"Page {page} of 3"


def _names(ul: Tag) -> list[Any]:
    """A tree index as nested lists of names."""
    result: list[Any] = []
    for li in ul.find_all("li", recursive=False):
        result.append(_text(li.find("a", recursive=False)))
        sub = li.find("ul", recursive=False)
        if sub:
            result.append(_names(sub))
    return result


@pytest.mark.parametrize(
    ("taxonomy", "tree"),
    [
        # by key crimea would come after cherkasy-oblast
        (
            "regions",
            ["Ukraine", ["Autonomous Republic of Crimea", ["Simferopol"], "Cherkasy Oblast", ["Cherkasy"]]],
        ),
        # by key: civilians-ukraine, emergency-services-ukraine, iaea, russian-armed-forces
        (
            "actors",
            [
                "Civilians (Ukraine)",
                "International Atomic Energy Agency",
                "Military Forces of Russia",
                ["Russian Aerospace Forces", "Russian Navy"],
                "State Emergency Service of Ukraine",
            ],
        ),
    ],
)
def test_trees_are_sorted_by_name_at_every_level(tmp_path: Path, taxonomy: str, tree: list[Any]) -> None:
    events = [
        synthetic_event(
            region="simferopol", perpetrators=["russian-navy"], targeted=["emergency-services-ukraine"]
        ),
        synthetic_event(
            region="cherkasy",
            perpetrators=["russian-aerospace-forces"],
            targeted=["iaea", "civilians-ukraine"],
        ),
    ]
    site = _site(tmp_path, {_path(1): synthetic_article(1, events=events)})
    page = _page(site, site.renderer(directory_url), f"{taxonomy}/index.md")
    assert _names(_one(_one(page, "div", class_=f"ca-index--{taxonomy}"), "ul")) == tree


def test_a_term_page(listing_site: ArchiveSite) -> None:
    kyiv = listing_site.archive.vocabularies["regions"]["kyiv"]
    page = _page(
        listing_site, listing_site.renderer(directory_url), "regions/kyiv/index.md", "<p>Synthetic intro.</p>"
    )
    assert _links(page.find("nav", class_="ca-breadcrumbs")) == [
        ("Regions", f"{ROOT}regions/"),
        ("Ukraine", f"{ROOT}regions/ukraine/"),
    ]
    assert _text(page.find("h1")) == "Kyiv"
    assert _text(page.find("p", class_="ca-description")) == kyiv.description
    assert [_text(p) for p in page.find_all("p") if _text(p) == "Synthetic intro."] == ["Synthetic intro."]
    assert "ISO 3166 code: UA-30" in [_text(p) for p in page.find_all("p")]
    (part_of,) = [p for p in page.find_all("p") if _text(p).startswith("Part of:")]
    assert _links(part_of) == [("Ukraine", f"{ROOT}regions/ukraine/")]
    children = _one(page, "ul", class_="ca-children")
    assert [(_links(li), _text(li.find("span"))) for li in children.find_all("li")] == [
        ([("Darnytskyi district, Kyiv", f"{ROOT}regions/kyiv-darnytskyi/")], "1 event")
    ]
    assert _totals(page) == {"articles": "3", "events": "1", "killed": "2", "injured": "1–3"}
    assert _rows(page) == [
        [
            "2025-10-22",
            "Darnytskyi district, Kyiv: Synthetic location",
            "Air/drone strike",
            "2",
            "1–3",
            "Synthetic report 000001",
        ]
    ]
    assert _links(page.find("table", class_="ca-events")) == [
        ("Darnytskyi district, Kyiv", f"{ROOT}regions/kyiv-darnytskyi/"),
        ("Synthetic report 000001", f"{_url(1)}#event-synthetic-darnytskyi"),
    ]
    # Articles filed here as a whole (2, its event in Lviv) or without events (3), newest first.
    assert [_text(h) for h in page.find_all("h2")] == [
        "Totals",
        "Over time",
        "On the map",
        "Events",
        "Other articles",
    ]
    assert _article_rows(page) == [
        (_path(3), "2025-11-05 Synthetic report 000003: Synthetic summary.", _url(3)),
        (_path(2), "2025-10-24 Synthetic report 000002", _url(2)),
    ]
    assert page.find("nav", class_="ca-pager") is None


@pytest.mark.parametrize(
    ("uri", "breadcrumbs", "part_of"),
    [
        ("regions/ukraine/index.md", [("Regions", f"{ROOT}regions/")], None),
        (
            "regions/kyiv/index.md",
            [("Regions", f"{ROOT}regions/"), ("Ukraine", f"{ROOT}regions/ukraine/")],
            "ukraine",
        ),
        (
            "regions/kyiv-darnytskyi/index.md",
            [
                ("Regions", f"{ROOT}regions/"),
                ("Ukraine", f"{ROOT}regions/ukraine/"),
                ("Kyiv", f"{ROOT}regions/kyiv/"),
            ],
            "kyiv",  # the parent, not the root
        ),
        (
            "event-types/air-drone-strike/index.md",
            [
                ("Event types", f"{ROOT}event-types/"),
                ("Explosions/Remote violence", f"{ROOT}event-types/explosions-remote-violence/"),
            ],
            "explosions-remote-violence",
        ),
    ],
)
def test_breadcrumbs_lead_from_the_taxonomy_down_to_the_parent(
    listing_site: ArchiveSite, uri: str, breadcrumbs: list[tuple[str, str]], part_of: str | None
) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), uri)
    assert _links(page.find("nav", class_="ca-breadcrumbs")) == breadcrumbs
    found = [_links(p) for p in page.find_all("p") if _text(p).startswith("Part of:")]
    taxonomy = uri.partition("/")[0]
    assert found == ([] if part_of is None else [[(breadcrumbs[-1][0], f"{ROOT}{taxonomy}/{part_of}/")]])


def test_a_term_page_with_unreported_figures(listing_site: ArchiveSite) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), "regions/ukraine/index.md")
    assert _totals(page) == {
        "articles": "4",
        "events": "3",
        "killed": "7 (not reported for 1 event)",
        "injured": "1–3 (not reported for 2 events)",
    }
    assert [(row[0], row[3], row[4]) for row in _rows(page)] == [
        ("2025-10-23", "not reported", "not reported"),
        ("2025-10-22", "2", "1–3"),
        ("2024-12-01", "5", "not reported"),
    ]
    unreported = _one(page, "table", class_="ca-events").find_all("td", class_="ca-unreported")
    assert len(unreported) == 3
    assert _article_rows(page) == [
        (_path(3), "2025-11-05 Synthetic report 000003: Synthetic summary.", _url(3))
    ]


def test_a_tag_page_lists_articles_and_totals_their_events(listing_site: ArchiveSite) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), "tags/railway/index.md")
    assert _links(page.find("nav", class_="ca-breadcrumbs")) == [("Tags", f"{ROOT}tags/")]
    assert _text(page.find("h1")) == "Railway"
    assert [_text(h) for h in page.find_all("h2")] == ["Totals", "Over time", "Articles"]
    assert page.find("table", class_="ca-events") is None
    assert _totals(page) == {"articles": "2", "events": "1", "killed": "2", "injured": "1–3"}
    assert _article_rows(page) == [
        (_path(3), "2025-11-05 Synthetic report 000003: Synthetic summary.", _url(3)),
        (_path(1), "2025-10-23 Synthetic report 000001", _url(1)),
    ]


SPLIT = [
    # page (page_size 1), its heading, the events and articles it shows, its pager, and the
    # listing's total of events (every page shows the whole listing's totals)
    (
        "regions/kyiv/index.md",
        "Kyiv",
        ["synthetic-darnytskyi"],
        [_path(3)],
        [("Older →", f"{ROOT}regions/kyiv/page/2/")],
        "1",
    ),
    (
        "regions/kyiv/page/2/index.md",
        "Kyiv (page 2)",
        [],
        [_path(2)],
        [("← Newer", f"{ROOT}regions/kyiv/")],
        "1",
    ),
    (
        "regions/ukraine/page/2/index.md",
        "Ukraine (page 2)",
        ["synthetic-darnytskyi"],
        [],
        [("← Newer", f"{ROOT}regions/ukraine/"), ("Older →", f"{ROOT}regions/ukraine/page/3/")],
        "3",
    ),
    (
        "dates/2025/10/page/2/index.md",
        "October 2025 (page 2)",
        ["synthetic-darnytskyi"],
        [],
        [("← Newer", f"{ROOT}dates/2025/10/")],
        "2",
    ),
]


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> ArchiveSite:
    return _site(tmp_path_factory.mktemp("split"), LISTING_ARCHIVE, page_size=1)


@pytest.mark.parametrize(("uri", "title", "events", "articles", "pager", "total"), SPLIT)
def test_pages_of_a_split_listing(
    split_site: ArchiveSite,
    uri: str,
    title: str,
    events: list[str],
    articles: list[str],
    pager: list[tuple[str, str]],
    total: str,
) -> None:
    page = _page(split_site, split_site.renderer(directory_url), uri)
    assert _text(page.find("h1")) == title
    if events:
        table = _one(page, "table", class_="ca-events")
        links = [str(a["href"]) for a in table.find_all("a")]
        assert [href.partition("#event-")[2] for href in links if "#event-" in href] == events
    else:
        assert page.find("table", class_="ca-events") is None
        assert _text(page.find("p", class_="ca-empty")) == "No events on this page."
    if articles:
        assert [row[0] for row in _article_rows(page)] == articles
    else:
        assert page.find("ul", class_="ca-articles") is None
    assert _links(page.find("nav", class_="ca-pager")) == pager
    assert _totals(page)["events"] == total


def test_only_the_first_page_of_a_term_describes_it(split_site: ArchiveSite) -> None:
    renderer = split_site.renderer(directory_url)
    first = _page(split_site, renderer, "regions/kyiv/index.md")
    second = _page(split_site, renderer, "regions/kyiv/page/2/index.md")
    assert first.find("p", class_="ca-description") is not None
    assert first.find("ul", class_="ca-children") is not None
    assert second.find("p", class_="ca-description") is None
    assert second.find("ul", class_="ca-children") is None


def test_the_dates_page(listing_site: ArchiveSite) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), "dates/index.md")
    assert _text(page.find("h1")) == "Dates"
    rows = _one(_one(page, "table", class_="ca-periods"), "tbody").find_all("tr")
    assert [[_text(td) for td in tr.find_all("td")] for tr in rows] == [
        ["2025", "2", "3", "Oct (2 events) · Nov (0 events)"],
        ["2024", "1", "1", "Dec (1 event)"],
    ]
    assert [_links(tr) for tr in rows] == [
        [("2025", f"{ROOT}dates/2025/"), ("Oct", f"{ROOT}dates/2025/10/"), ("Nov", f"{ROOT}dates/2025/11/")],
        [("2024", f"{ROOT}dates/2024/"), ("Dec", f"{ROOT}dates/2024/12/")],
    ]


@pytest.mark.parametrize(
    ("uri", "totals", "months", "nav"),
    [
        (
            "dates/2025/index.md",
            {
                "articles": "3",
                "events": "2",
                "killed": "2 (not reported for 1 event)",
                "injured": "1–3 (not reported for 1 event)",
            },
            [
                ["November 2025", "0", "1", "not reported", "not reported"],
                ["October 2025", "2", "2", "2 (not reported for 1 event)", "1–3 (not reported for 1 event)"],
            ],
            [("← 2024", f"{ROOT}dates/2024/")],
        ),
        (
            "dates/2024/index.md",
            {"articles": "1", "events": "1", "killed": "5", "injured": "not reported"},
            [["December 2024", "1", "1", "5", "not reported"]],
            [("2025 →", f"{ROOT}dates/2025/")],
        ),
    ],
)
def test_year_pages(
    listing_site: ArchiveSite,
    uri: str,
    totals: dict[str, str],
    months: list[list[str]],
    nav: list[tuple[str, str]],
) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), uri)
    assert _links(page.find("nav", class_="ca-breadcrumbs")) == [("Dates", f"{ROOT}dates/")]
    assert _totals(page) == totals
    rows = _one(_one(page, "table", class_="ca-periods"), "tbody").find_all("tr")
    assert [[_text(td) for td in tr.find_all("td")] for tr in rows] == months
    assert _links(page.find("nav", class_="ca-period-nav")) == nav


@pytest.mark.parametrize(
    ("uri", "title", "nav", "events", "articles"),
    [
        (
            "dates/2025/10/index.md",
            "October 2025",
            [("← December 2024", f"{ROOT}dates/2024/12/"), ("November 2025 →", f"{ROOT}dates/2025/11/")],
            ["2025-10-23", "2025-10-22"],
            [],
        ),
        (
            "dates/2025/11/index.md",
            "November 2025",
            [("← October 2025", f"{ROOT}dates/2025/10/")],
            [],
            [(_path(3), "2025-11-05 Synthetic report 000003: Synthetic summary.", _url(3))],
        ),
        (
            "dates/2024/12/index.md",
            "December 2024",
            [("October 2025 →", f"{ROOT}dates/2025/10/")],
            ["2024-12-01"],
            [],
        ),
    ],
)
def test_month_pages(
    listing_site: ArchiveSite,
    uri: str,
    title: str,
    nav: list[tuple[str, str]],
    events: list[str],
    articles: list[tuple[str, str, str]],
) -> None:
    page = _page(listing_site, listing_site.renderer(directory_url), uri)
    year = uri.split("/")[1]
    assert _links(page.find("nav", class_="ca-breadcrumbs")) == [
        ("Dates", f"{ROOT}dates/"),
        (year, f"{ROOT}dates/{year}/"),
    ]
    assert _text(page.find("h1")) == title
    assert _links(page.find("nav", class_="ca-period-nav")) == nav
    if events:
        assert [row[0] for row in _rows(page)] == events
    else:
        assert _text(page.find("p", class_="ca-empty")) == "No events on this page."
    if articles:
        assert _text(page.find("p", class_="ca-note")) == (
            "Articles without events, filed by the month they were published."
        )
        assert _article_rows(page) == articles
    else:
        assert page.find("ul", class_="ca-articles") is None


def test_every_link_on_every_page_starts_at_the_root_and_leads_to_a_page(listing_site: ArchiveSite) -> None:
    renderer = listing_site.renderer(directory_url)
    targets = {directory_url(uri) for uri in [*listing_site.pages_by_uri, *listing_site.articles_by_uri]}
    targets |= {uri for uri, _ in data_files(listing_site, directory_url, listing_site.options.publication)}
    headings = {}
    for spec in listing_site.pages:
        page = _soup(renderer.page(spec, ""))
        headings[spec.src_uri] = _text(page.find("h1"))
        for a in page.find_all("a"):
            href = str(a["href"])
            assert href.startswith(ROOT), (spec.src_uri, href)
            assert href.removeprefix(ROOT).partition("#")[0] in targets, (spec.src_uri, href)
    assert headings == {spec.src_uri: spec.numbered_title for spec in listing_site.pages}


# ---- Links made relative per page ------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "to_root", "expected"),
    [
        (f'<a href="{ROOT}regions/kyiv/">Kyiv</a>', "../../", '<a href="../../regions/kyiv/">Kyiv</a>'),
        (f'<a href="{ROOT}regions/kyiv/">Kyiv</a>', "", '<a href="regions/kyiv/">Kyiv</a>'),
        (f'<a href="{ROOT}">Home</a>', "../", '<a href="../">Home</a>'),
        (
            f'<a href="{ROOT}a/">A</a> <a href="{ROOT}b/#x">B</a>',
            "../../../",
            '<a href="../../../a/">A</a> <a href="../../../b/#x">B</a>',
        ),
        # what an editor wrote is escaped, so it is never taken for the marker
        ("<h1>Synthetic &lt;ca-root&gt; title</h1>", "../", "<h1>Synthetic &lt;ca-root&gt; title</h1>"),
        ("<p>no links</p>", "../", "<p>no links</p>"),
    ],
)
def test_relative_to_page(html: str, to_root: str, expected: str) -> None:
    assert relative_to_page(html, to_root) == expected


def test_a_rendered_header_made_relative_to_an_article_page(tmp_path: Path) -> None:
    site = _site(tmp_path, {_path(42): HEADER_ARTICLE}, {"regions": SYNTHETIC_PLACE})
    html = site.renderer(directory_url).article_header(site.archive.by_path[_path(42)])
    # articles/2025/10/synthetic-000042/ is four folders below the root
    page = _soup(relative_to_page(html, "../../../../"))
    assert _links(_field(page, "synthetic-range", "place")) == [
        ("Darnytskyi district, Kyiv", "../../../../regions/kyiv-darnytskyi/")
    ]
    assert ROOT not in relative_to_page(html, "../../../../")


def test_links_follow_the_site_url_the_generator_gives(tmp_path: Path) -> None:
    """Without directory URLs (`use_directory_urls: false`) a link is to the .html file."""
    site = _site(tmp_path, {_path(42): HEADER_ARTICLE}, {"regions": SYNTHETIC_PLACE})
    renderer = site.renderer(lambda uri: uri.removesuffix(".md") + ".html")
    page = _soup(renderer.article_header(site.archive.by_path[_path(42)]))
    assert _links(_field(page, "synthetic-range", "place")) == [
        ("Darnytskyi district, Kyiv", f"{ROOT}regions/kyiv-darnytskyi/index.html")
    ]


# ---- Figures and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "not reported"),
        (Figure.exact(0), "0"),
        (Figure.exact(1234), "1,234"),
        (Figure(2, 4), "2–4"),
        (Figure(2, 4, 3), "2–4 (best estimate 3)"),
        (Figure(1000, 2500, 1200), "1,000–2,500 (best estimate 1,200)"),
        (Total(None, 0, 3), "not reported"),
        (Total(None, 0, 0), "not reported"),
        (Total(Figure.exact(0), 1, 0), "0"),
        (Total(Figure(4, 6), 2, 1), "4–6 (not reported for 1 event)"),
        (Total(Figure(5, 7, 6), 2, 1200), "5–7 (best estimate 6) (not reported for 1,200 events)"),
    ],
)
def test_format_figure(value: Figure | Total | None, text: str) -> None:
    assert format_figure(value) == text


@pytest.fixture(scope="module")
def vocabularies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Vocabulary]:
    loaded, problems = load_vocabularies(tmp_path_factory.mktemp("articles"), "articles")
    assert problems == []
    return loaded


def _read(vocabularies: dict[str, Vocabulary], front: dict[str, Any]) -> Article:
    text = (
        "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\nSynthetic body text.\n"
    )
    reading = load_article(ArticleFile(_path(42), f"articles/{_path(42)}", text.encode()), vocabularies)
    assert reading.problems == []
    assert reading.article is not None
    return reading.article


def _when(**fields: Any) -> dict[str, Any]:
    event = synthetic_event(**fields)
    if "start" in fields:
        del event["date"]
    return event


@pytest.mark.parametrize(
    ("when", "text"),
    [
        pytest.param({"date": "2025-10-22"}, "2025-10-22", id="day"),
        pytest.param(
            {"start": "2025-10-20", "end": "2025-10-22"}, "2025-10-20 to 2025-10-22", id="day-range"
        ),
        pytest.param(
            {"start": "2025-12-30", "end": "2026-01-02"}, "2025-12-30 to 2026-01-02", id="range-over-a-year"
        ),
        pytest.param({"start": "2025-10-20", "end": "2025-10-20"}, "2025-10-20", id="range-of-one-day"),
        pytest.param({"start": "2025-10-20"}, "2025-10-20", id="start-without-end"),
        pytest.param({"date": "2025-10-20", "date_precision": "day"}, "2025-10-20", id="day-given"),
        pytest.param({"date": "2025-10-20", "date_precision": "week"}, "week of 2025-10-20", id="week"),
        pytest.param(
            {"start": "2025-10-20", "end": "2025-10-26", "date_precision": "week"},
            "week of 2025-10-20",
            id="week-range",
        ),
        pytest.param({"date": "2025-10-01", "date_precision": "month"}, "October 2025", id="month"),
        pytest.param({"date": "2024-02-15", "date_precision": "month"}, "February 2024", id="month-mid"),
        pytest.param(
            {"start": "2025-10-01", "end": "2025-10-31", "date_precision": "month"},
            "October 2025",
            id="month-range",
        ),
    ],
)
def test_format_event_date(vocabularies: dict[str, Vocabulary], when: dict[str, Any], text: str) -> None:
    article = _read(vocabularies, synthetic_article(42, date="2026-01-05", events=[_when(**when)]))
    (event,) = article.events
    assert format_event_date(event) == text


# ---- Escaping --------------------------------------------------------------------------------

MARKUP = 'Synthetic <b class="x">bold</b> & "quoted" <ca-root> <script>alert(1)</script>'

ESCAPING_ARTICLE = synthetic_article(
    42,
    title=f"{MARKUP} title",
    summary=f"{MARKUP} summary",
    authors=[f"{MARKUP} author"],
    tags=[f"{MARKUP} tag"],
    sources=[{"title": f"{MARKUP} source", "publisher": f"{MARKUP} publisher"}],
    corrections=[{"date": "2025-10-25", "note": f"{MARKUP} correction"}],
    events=[
        synthetic_event(
            id="synthetic-escaped",
            region="synthetic-place",
            location=f"{MARKUP} location",
            damage=[f"{MARKUP} damage"],
            notes=f"{MARKUP} notes",
        )
    ],
)
ESCAPING_VOCABULARY = {
    "regions": f"""\
synthetic-place:
  name: '{MARKUP} place'
  description: '{MARKUP} description'
  parent: kyiv
""",
}


@pytest.fixture(scope="module")
def escaping_site(tmp_path_factory: pytest.TempPathFactory) -> ArchiveSite:
    return _site(tmp_path_factory.mktemp("escaping"), {_path(42): ESCAPING_ARTICLE}, ESCAPING_VOCABULARY)


@pytest.mark.parametrize(
    ("fragment", "where", "expected"),
    [
        ("header", ("h1", {}), f"{MARKUP} title"),
        ("header", ("p", {"class": "ca-summary"}), f"{MARKUP} summary"),
        ("header", ("p", {"class": "ca-article-meta"}), f"Published 2025-10-23 · {MARKUP} author"),
        ("header", ("h2", {"class": "ca-event__title"}), f"Air/drone strike: {MARKUP} location"),
        ("header", ("dd", {"data-field": "damage"}), f"{MARKUP} damage"),
        ("header", ("p", {"class": "ca-event__notes"}), f"{MARKUP} notes"),
        (
            "header",
            ("dd", {"data-field": "place"}),
            f"{MARKUP} location, {MARKUP} place 50.4547, 30.5238 (centre of Kyiv)",
        ),
        ("footer", ("dd", {"data-taxonomy": "tags"}), f"{MARKUP} tag"),
        ("footer", ("li", {"id": "source-1"}), f"{MARKUP} source, {MARKUP} publisher"),
        ("footer", ("section", {"class": "ca-corrections"}), f"Corrections 2025-10-25: {MARKUP} correction"),
        ("regions/synthetic-place/index.md", ("h1", {}), f"{MARKUP} place"),
        ("regions/synthetic-place/index.md", ("p", {"class": "ca-description"}), f"{MARKUP} description"),
        ("regions/kyiv/index.md", ("ul", {"class": "ca-children"}), f"{MARKUP} place 1 event"),
        ("regions/kyiv/index.md", ("table", {"class": "ca-events"}), None),
        ("dates/2025/10/index.md", ("table", {"class": "ca-events"}), None),
        ("tags/index.md", ("div", {"class": "ca-index"}), f"{MARKUP} tag 1 article, 1 event"),
    ],
)
def test_editors_values_are_escaped_wherever_they_land(
    escaping_site: ArchiveSite, fragment: str, where: tuple[str, dict[str, str]], expected: str | None
) -> None:
    renderer = escaping_site.renderer(directory_url)
    article = escaping_site.archive.by_path[_path(42)]
    if fragment == "header":
        html = renderer.article_header(article)
    elif fragment == "footer":
        html = renderer.article_footer(article)
    else:
        spec = escaping_site.page_of(fragment)
        assert spec is not None
        html = renderer.page(spec, "")
    # Made relative as a page would be: the editor's "<ca-root>" must survive as text.
    soup = _soup(relative_to_page(html, "../../"))
    assert soup.find_all(["b", "script", "ca-root"]) == []
    element = soup.find(where[0], attrs=where[1])
    assert isinstance(element, Tag), where
    text = element.get_text()
    assert MARKUP in text
    if expected is not None:
        assert " ".join(text.split()) == expected
    for a in soup.find_all("a"):
        assert not str(a["href"]).startswith(("<", "&")), a


def test_a_title_with_markup_is_escaped_in_the_html_source(escaping_site: ArchiveSite) -> None:
    html = escaping_site.renderer(directory_url).article_header(escaping_site.archive.by_path[_path(42)])
    assert (
        "<h1>Synthetic &lt;b class=&#34;x&#34;&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34; &lt;ca-root&gt; "
        in html
    )
    assert "<b" not in html
    assert html.count(ROOT) == html.count('href="<ca-root>')  # the marker only ever starts a link


# ---- The redirect page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "../../2025/10/synthetic-000042/",
        "https://synthetic.invalid/articles/2025/10/synthetic-000042/",
        'https://synthetic.invalid/a"b<c>&d=1',
    ],
)
def test_redirect_html(vocabularies: dict[str, Vocabulary], target: str) -> None:
    article = _read(vocabularies, synthetic_article(42, title=f"{MARKUP} moved"))
    page = _soup(redirect_html(article, target))
    assert _text(page.find("title")) == f"{MARKUP} moved"
    assert _one(page, "meta", attrs={"name": "robots"})["content"] == "noindex"
    assert _one(page, "link", rel="canonical").attrs == {"rel": ["canonical"], "href": target}
    assert _one(page, "meta", attrs={"http-equiv": "refresh"}).attrs == {
        "http-equiv": "refresh",
        "content": f"0; url={target}",
    }
    assert _links(page.find("body")) == [(f"{MARKUP} moved", target)]
    assert page.find_all(["b", "ca-root"]) == []
    # One script, the redirect's own, which keeps the #anchor: the target in it as JSON data.
    (script,) = page.find_all("script")
    code = script.get_text()
    assert code.startswith("location.replace(") and code.endswith(" + location.hash)")
    assert json.loads(code.removeprefix("location.replace(").removesuffix(" + location.hash)")) == target
    assert "<" not in code and "&" not in code


# ---- Figures as reporters state them: "at least", words, and how precise a place is ----------

# The report this project started from: "killing at least two people and injuring several
# others, including a child", as an editor records it, beside an event with a closed range.
AS_STATED_ARTICLE = synthetic_article(
    50,
    events=[
        synthetic_event(
            id="synthetic-at-least",
            region="kyiv-dniprovskyi",
            killed={"low": 2},
            injured={"low": 1, "as_reported": "several, including a child"},
        ),
        synthetic_event(
            id="synthetic-closed",
            region="hroza",
            killed={"low": 50, "high": 61},
            injured=6,
        ),
        synthetic_event(
            id="synthetic-near",
            region="kyiv",
            coordinates=[50.45, 30.52],
            location_precision="near",
        ),
    ],
)


@pytest.fixture(scope="module")
def as_stated_site(tmp_path_factory: pytest.TempPathFactory) -> ArchiveSite:
    return _site(tmp_path_factory.mktemp("as-stated"), {_path(50): AS_STATED_ARTICLE})


@pytest.mark.parametrize(
    ("event_id", "field", "expected"),
    [
        ("synthetic-at-least", "killed", "at least 2"),
        ("synthetic-at-least", "injured", "at least 1, reported as “several, including a child”"),
        ("synthetic-closed", "killed", "50–61"),
        (
            "synthetic-at-least",
            "place",
            "Dniprovskyi district, Kyiv 50.4560, 30.6150 "
            "(centre of Dniprovskyi district, Kyiv; location known to the city district)",
        ),
        (
            "synthetic-closed",
            "place",
            "Hroza 49.6731, 37.2083 (centre of Hroza; location known to the village)",
        ),
        ("synthetic-near", "place", "Kyiv 50.4500, 30.5200 (near this point)"),
    ],
)
def test_a_box_shows_figures_and_places_as_stated(
    as_stated_site: ArchiveSite, event_id: str, field: str, expected: str
) -> None:
    header = _soup(
        as_stated_site.renderer(directory_url).article_header(as_stated_site.archive.by_path[_path(50)])
    )
    assert _text(_field(header, event_id, field)) == expected


def test_an_open_figure_has_no_upper_bound_for_machines_either(as_stated_site: ArchiveSite) -> None:
    header = _soup(
        as_stated_site.renderer(directory_url).article_header(as_stated_site.archive.by_path[_path(50)])
    )
    open_figure = _field(header, "synthetic-at-least", "killed").find("span")
    closed = _field(header, "synthetic-closed", "killed").find("span")
    assert isinstance(open_figure, Tag) and isinstance(closed, Tag)
    assert (open_figure.get("data-low"), open_figure.get("data-high")) == ("2", None)
    assert (closed.get("data-low"), closed.get("data-high")) == ("50", "61")
    boxes = header.find_all("aside", class_="ca-event")
    assert [box.get("data-location-precision") for box in boxes] == ["district", "city", "near"]


@pytest.mark.parametrize("uri", ["regions/ukraine/index.md", "dates/2025/10/index.md"])
def test_rows_and_totals_say_what_the_boxes_say(as_stated_site: ArchiveSite, uri: str) -> None:
    page = _page(as_stated_site, as_stated_site.renderer(directory_url), uri)
    assert _totals(page) == {
        "articles": "1",
        "events": "3",
        "killed": "at least 52 (not reported for 1 event)",
        "injured": "at least 7 (not reported for 1 event)",
    }
    assert [(row[3], row[4]) for row in _rows(page)] == [
        ("at least 2", "at least 1, reported as “several, including a child”"),
        ("50–61", "6"),
        ("not reported", "not reported"),
    ]


def test_a_closed_total_stays_closed(as_stated_site: ArchiveSite) -> None:
    page = _page(as_stated_site, as_stated_site.renderer(directory_url), "regions/hroza/index.md")
    assert (_totals(page)["killed"], _totals(page)["injured"]) == ("50–61", "6")


def test_the_year_page_adds_months_the_same_way(as_stated_site: ArchiveSite) -> None:
    page = _page(as_stated_site, as_stated_site.renderer(directory_url), "dates/2025/index.md")
    (row,) = [[_text(td) for td in tr.find_all("td")] for tr in page.select("table.ca-periods tbody tr")]
    assert row[-2:] == ["at least 52 (not reported for 1 event)", "at least 7 (not reported for 1 event)"]


def test_the_search_text_says_what_the_boxes_say(as_stated_site: ArchiveSite) -> None:
    renderer = as_stated_site.renderer(directory_url)
    text = " ".join(
        _soup(renderer.search_article(as_stated_site.archive.by_path[_path(50)])).get_text().split()
    )
    assert "Killed: at least 2. Injured: at least 1, reported as “several, including a child”." in text
    assert "Killed: 50–61. Injured: 6." in text


# ---- Pictures: what is drawn where ----------------------------------------------------------

NOWHERE = """\
synthetic-nowhere:
  name: Synthetic place without coordinates
"""


def test_a_map_is_drawn_only_where_an_event_has_a_place(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {_path(1): synthetic_article(1, events=[synthetic_event(region="synthetic-nowhere")])},
        {"regions": NOWHERE},
    )
    renderer = site.renderer(directory_url)
    term = _page(site, renderer, "regions/synthetic-nowhere/index.md")
    assert [_text(h) for h in term.find_all("h2")] == ["Totals", "Over time", "Events"]
    assert term.select("figure.ca-map") == [] and len(term.select("figure.ca-timeline")) == 1
    month = _page(site, renderer, "dates/2025/10/index.md")
    assert month.select("figure.ca-map") == []
    whole = _page(site, renderer, "map/index.md")
    assert whole.select("figure.ca-map") == [] and whole.select_one("p.ca-empty") is not None
    assert _soup(renderer.overview()).select("figure.ca-map") == []


@pytest.mark.parametrize(("events", "table"), [(2, False), (3, True)])
def test_an_article_opens_with_its_events_from_event_overview_on(
    tmp_path: Path, events: int, table: bool
) -> None:
    front = synthetic_article(1, events=[synthetic_event(id=f"synthetic-{n}") for n in range(events)])
    site = _site(tmp_path, {_path(1): front})
    header = _soup(site.renderer(directory_url).article_header(site.archive.articles[0]))
    overview = header.select_one("table.ca-event-overview")
    assert (overview is not None) == table
    if overview is not None:
        assert [str(a["href"]) for a in overview.select("tbody a")] == [
            f"#event-synthetic-{n}" for n in range(3)
        ]
        assert _text(overview.select_one("caption")).startswith("3 events in this report")


def test_a_renderer_is_freed_once_dropped_without_the_cyclic_collector(tmp_path: Path) -> None:
    """Its template environment calls back into it, and Jinja's compiled templates keep copies
    of those callbacks: held strongly, they would keep the renderer, and through it the whole
    archive, until Python's cyclic collector walked all of it."""
    site = _site(tmp_path, {_path(1): synthetic_article(1)})
    renderer = site.renderer(directory_url)
    article = site.archive.articles[0]
    rendered = [renderer.page(spec, "") for spec in site.pages] + [renderer.article_footer(article)]
    assert any(article.title in html for html in rendered), "a listing was rendered"
    dropped = weakref.ref(renderer)
    gc.disable()
    try:
        del renderer
        assert dropped() is None
    finally:
        gc.enable()
