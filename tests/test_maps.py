"""Static SVG maps (`maps.py`): the vendored outlines, the frame, the marks and their words.

The figure is parsed as XML (it is well-formed, which lxml.etree checks strictly) and, where it
matters how a browser reads it, with html5lib, which follows the HTML parsing rules for SVG.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from itertools import pairwise
from typing import Any

import html5lib
import pycountry
import pytest
import yaml
from lxml import etree

from conflict_archive import maps
from conflict_archive.maps import Place, map_figure, outlines

SVG = "{http://www.w3.org/2000/svg}"
KYIV = (50.4501, 30.5234)
LVIV = (49.8397, 24.0297)
WARSAW = (52.2297, 21.0122)


def place(
    event_id: str = "e1",
    at: tuple[float, float] = KYIV,
    exact: bool = True,
    area: str = "kyiv",
    label: str | None = None,
    href: str | None = None,
    wider: tuple[str, ...] = (),
) -> Place:
    return Place(
        event_id=event_id,
        href=href if href is not None else f"../../events/{event_id}/",
        label=label if label is not None else f"Event {event_id}",
        latitude=at[0],
        longitude=at[1],
        exact=exact,
        area_href=f"../../regions/{area}/",
        area_label=area.title(),
        wider_areas=tuple((f"../../regions/{w}/", w.title()) for w in wider),
    )


def render(places: Sequence[Place], **options: Any) -> str:
    settings: dict[str, Any] = {
        "frame": None,
        "highlight": None,
        "title": "Events",
        "figure_id": "map-1",
        "fallback_href": "../../events/",
        "fallback_label": "all events",
    }
    return map_figure(places, **(settings | options))


def figure(places: Sequence[Place], **options: Any) -> etree._Element:
    return etree.fromstring(render(places, **options))


def marks(tree: etree._Element) -> list[etree._Element]:
    return tree.findall(".//svg/g[@class='ca-map-marks']/a")


def view_box(tree: etree._Element) -> tuple[float, float, float, float]:
    x, y, width, height = (float(n) for n in tree.find("svg").get("viewBox").split())
    return x, y, width, height


def inside(tree: etree._Element) -> bool:
    x0, y0, width, height = view_box(tree)
    return all(
        x0 <= float(c.get("cx")) <= x0 + width and y0 <= float(c.get("cy")) <= y0 + height
        for c in tree.iterfind(".//svg/g[@class='ca-map-marks']/a/circle")
    )


def synthetic(count: int, seed: int = 2024) -> list[Place]:
    """Random places inside Ukraine, seven in ten at their own point, the rest at a centre."""
    rng = random.Random(seed)
    country = outlines()["UA"]
    west, south, east, north = country.bbox
    places: list[Place] = []
    while len(places) < count:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if country.contains(lon, lat):
            area = f"region-{int(lon)}"
            places.append(place(f"e{len(places):04d}", (lat, lon), rng.random() < 0.7, area))
    return places


# ---- The vendored outlines -------------------------------------------------------------------


def test_outlines_hold_the_country_and_every_first_level_subdivision() -> None:
    codes = {s.code for s in pycountry.subdivisions.get(country_code="UA")}
    assert len(codes) == 27
    assert set(outlines()) == codes | {"UA"}
    for outline in outlines().values():
        assert outline.rings, outline.iso
        for ring in outline.rings:
            assert ring[0] == ring[-1] and len(set(ring)) >= 3, outline.iso


def test_every_region_of_the_gazetteer_with_an_outline_kind_has_one() -> None:
    raw = resources.files("conflict_archive").joinpath("vocabularies", "regions.yml").read_text("utf-8")
    kinds = {"oblast", "autonomous republic", "city with special status"}
    wanted = {entry["iso"] for entry in yaml.safe_load(raw).values() if entry.get("kind") in kinds}
    assert len(wanted) == 27
    assert wanted <= set(outlines())


def _segments(rings: Sequence[Sequence[tuple[float, float]]]) -> Counter[frozenset[tuple[float, float]]]:
    return Counter(frozenset(pair) for ring in rings for pair in pairwise(ring))


def test_shared_borders_are_one_line_and_the_country_is_their_union() -> None:
    """Arcs were simplified once, not per ring: a border two regions share is the same
    segments on both sides, so the segments only one region has are exactly the country's."""
    regions = [o for iso, o in outlines().items() if iso != "UA"]
    used = _segments([ring for outline in regions for ring in outline.rings])
    assert max(used.values()) == 2
    outer = {segment for segment, n in used.items() if n == 1}
    assert outer == set(_segments(outlines()["UA"].rings))
    # The city of Kyiv is the hole in its oblast.
    assert set(outlines()["UA-30"].rings[0]) == set(outlines()["UA-32"].rings[1])


@pytest.mark.parametrize(
    ("iso", "point", "expected"),
    [
        ("UA", KYIV, True),
        ("UA-30", KYIV, True),
        ("UA-32", KYIV, False),  # Kyiv is a hole in its oblast
        ("UA-46", LVIV, True),
        ("UA", WARSAW, False),
        ("UA-43", (44.95, 34.10), True),  # Simferopol
    ],
)
def test_an_outline_knows_what_it_contains(iso: str, point: tuple[float, float], expected: bool) -> None:
    assert outlines()[iso].contains(point[1], point[0]) is expected


# ---- Marks: one membership per place ------------------------------------------------------


@pytest.mark.parametrize(
    "places",
    [
        [place()],
        [place("a"), place("b"), place("c")],
        [place("a"), place("b", exact=False)],
        [place("a"), place("b", LVIV, area="lviv"), place("c", LVIV, exact=False, area="lviv")],
        synthetic(300),
    ],
    ids=["one", "three-at-one-point", "exact-and-area", "two-cities", "synthetic-300"],
)
def test_every_place_is_in_exactly_one_mark_and_every_mark_is_on_the_map(places: list[Place]) -> None:
    tree = figure(places)
    drawn = marks(tree)
    assert sum(int(a.get("data-count")) for a in drawn) == len(places)
    listed = Counter(event for a in drawn for event in a.get("data-events").split())
    assert listed == Counter(p.event_id for p in places)
    assert inside(tree)
    rows = tree.findall(".//table/tbody/tr")
    assert len(rows) == len(drawn)
    assert sum(int(row[2].text.replace(",", "")) for row in rows) == len(places)


def test_places_at_one_point_are_one_mark_by_precision() -> None:
    tree = figure([place("c"), place("a"), place("b"), place("d", exact=False), place("e", exact=False)])
    by_class = {a.get("class"): a for a in marks(tree)}
    assert set(by_class) == {"ca-map-mark ca-map-exact", "ca-map-mark ca-map-area"}
    exact, area = by_class["ca-map-mark ca-map-exact"], by_class["ca-map-mark ca-map-area"]
    assert (exact.get("data-count"), exact.get("data-events"), exact.findtext("text")) == ("3", "a b c", "3")
    assert (area.get("data-count"), area.get("data-events"), area.findtext("text")) == ("2", "d e", "2")
    # Side by side, not one over the other.
    assert float(exact.find("circle").get("cx")) < float(area.find("circle").get("cx"))
    assert [row[1].text for row in tree.findall(".//tbody/tr")] == ["its own point", "known only to an area"]


def test_a_single_place_has_no_count_and_a_large_group_lists_no_ids() -> None:
    (single,) = marks(figure([place("only")]))
    assert (single.get("data-count"), single.get("data-events"), single.find("text")) == ("1", "only", None)
    (crowd,) = marks(figure([place(f"e{i:02d}") for i in range(51)]))
    assert (crowd.get("data-count"), crowd.get("data-events"), crowd.findtext("text")) == ("51", None, "51")
    assert float(crowd.find("circle").get("r")) > float(single.find("circle").get("r"))


@pytest.mark.parametrize(
    ("places", "href", "title"),
    [
        ([place("a")], "../../events/a/", "Event a"),
        ([place("a"), place("b")], "../../regions/kyiv/", "2 events in Kyiv"),
        (
            [place("a", area="kyiv"), place("b", area="kyiv-oblast")],
            "../../events/",
            "2 events in several places: Kyiv; Kyiv-Oblast",
        ),
        (
            [
                place("a", area="darnytskyi", wider=("kyiv", "ukraine")),
                place("b", area="pecherskyi", wider=("kyiv", "ukraine")),
            ],
            "../../regions/kyiv/",
            "2 events in Kyiv",
        ),
    ],
    ids=["single", "one-area", "several-areas", "one-wider-area"],
)
def test_a_mark_links_to_its_event_its_area_or_the_fallback(
    places: list[Place], href: str, title: str
) -> None:
    tree = figure(places)
    (mark,) = marks(tree)
    assert (mark.get("href"), mark.findtext("title")) == (href, title)
    (row,) = tree.findall(".//tbody/tr")
    assert row[0].find("a").get("href") == href


# ---- The frame ------------------------------------------------------------------------------


def drawn_outlines(tree: etree._Element) -> set[str]:
    return {path.get("data-iso") for path in tree.iterfind(".//svg/g[@class='ca-map-outlines']/path")}


def test_a_framed_map_shows_its_outline_and_grows_to_hold_a_place_outside_it() -> None:
    tight = figure([place("a")], frame="UA-30")
    assert "UA-46" not in drawn_outlines(tight)  # Lviv is far from Kyiv
    grown = figure([place("a"), place("b", LVIV, area="lviv")], frame="UA-30")
    assert {"UA-30", "UA-46"} <= drawn_outlines(grown)
    assert len(marks(grown)) == 2
    assert inside(grown)


@pytest.mark.parametrize(
    ("places", "frame", "expected"),
    [
        ([place()], None, 28),  # the country holds the place: all of it
        ([place()], "XX-99", 28),  # not vendored: as for None
        ([], None, 28),  # nothing to place: everything there is
        ([place(at=WARSAW)], None, 0),  # in no outline: the place itself, padded
    ],
)
def test_an_unframed_map_shows_the_outlines_that_hold_its_places(
    places: list[Place], frame: str | None, expected: int
) -> None:
    tree = figure(places, frame=frame)
    assert len(drawn_outlines(tree)) == expected
    assert inside(tree)


def test_a_map_without_outlines_still_frames_its_places(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maps, "outlines", dict)
    tree = figure([place("a"), place("b", LVIV, area="lviv")], frame="UA")
    assert drawn_outlines(tree) == set()
    assert len(marks(tree)) == 2
    assert inside(tree)


def test_the_highlighted_outline_is_marked_and_named_in_the_legend() -> None:
    tree = figure([place()], frame="UA-32", highlight="UA-32")
    highlighted = tree.findall(".//svg//path[@data-iso='UA-32']")
    assert [p.get("class") for p in highlighted] == ["ca-map-land ca-map-highlight"]
    assert len(tree.findall(".//svg//path[@class='ca-map-land ca-map-highlight']")) == 1
    assert "shaded: Kyiv Oblast" in "".join(tree.find("figcaption").itertext())


# ---- Output: stable, escaped, accessible, small ----------------------------------------------


def test_the_output_is_the_same_to_the_byte_whatever_the_order_of_places() -> None:
    places = synthetic(500)
    shuffled = list(places)
    random.Random(7).shuffle(shuffled)
    assert render(places) == render(places) == render(shuffled)


def test_editor_text_is_escaped_in_text_and_attributes() -> None:
    label = "<script>alert(\"x\")</script> & 'quoted'"
    href = '<ca-root>events/a/?b=1&c="2"'
    hostile = place('id"1', label=label, href=href)
    html = render([hostile], title="<b>Title</b> & co", figure_id='map"1', fallback_label="<i>all</i>")
    assert "<script" not in html and "<b>" not in html
    tree = etree.fromstring(html)
    (mark,) = marks(tree)
    assert (mark.get("href"), mark.findtext("title"), mark.get("data-events")) == (href, label, 'id"1')
    assert tree.get("id") == 'map"1'
    assert tree.findtext("svg/title") == "<b>Title</b> & co"
    assert tree.find(".//tbody/tr/td/a").text == label


def test_the_svg_is_labelled_scaled_by_css_and_keyboard_reachable() -> None:
    tree = figure([place("a"), place("b", exact=False)], figure_id="kyiv-map")
    svg = tree.find("svg")
    assert svg.get("width") is None and svg.get("height") is None
    assert view_box(tree)[2] == 720 and 0 < view_box(tree)[3] <= 720
    assert svg.get("aria-labelledby") == "kyiv-map-title kyiv-map-desc"
    assert [svg[0].tag, svg[0].get("id"), svg[1].tag, svg[1].get("id")] == [
        "title",
        "kyiv-map-title",
        "desc",
        "kyiv-map-desc",
    ]
    assert all(a.get("href") for a in marks(tree))
    legend = "".join(tree.find("figcaption").itertext())
    assert "own point" in legend and "drawn at its centre" in legend
    assert [th.get("scope") for th in tree.iterfind(".//thead/tr/th")] == ["col", "col", "col"]
    assert tree.findtext(".//details/summary") == "The map as a table"


def test_a_browser_reads_the_marks_as_svg_links() -> None:
    """html5lib parses as browsers do: self-closing SVG tags, the SVG namespace, case of viewBox."""
    document = html5lib.parse(
        render([place("a"), place("b", LVIV, exact=False)]), namespaceHTMLElements=False
    )
    svg = document.find(".//figure/" + SVG + "svg")
    assert svg is not None and svg.get("viewBox", "").startswith("0 0 720 ")
    links = svg.findall(f".//{SVG}a")
    assert [len(a.findall(f"{SVG}circle")) for a in links] == [1, 1]


@pytest.mark.parametrize(
    "places",
    [[], [place()], [place("a"), place("b"), place("c", exact=False)], synthetic(1000)],
    ids=["none", "one", "three", "synthetic-1000"],
)
def test_the_description_states_the_figures(places: list[Place]) -> None:
    tree = figure(places)
    description = tree.findtext("svg/desc")
    drawn = marks(tree)
    if not places:
        assert description == "No events are drawn on this map."
        assert tree.find(".//details") is None
        return
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", description)]
    exact = [a for a in drawn if "ca-map-exact" in a.get("class")]
    area = [a for a in drawn if "ca-map-area" in a.get("class")]
    assert numbers == [
        len(places),
        len(drawn),
        sum(int(a.get("data-count")) for a in exact),
        len(exact),
        sum(int(a.get("data-count")) for a in area),
        len(area),
    ]


def test_a_whole_country_map_stays_small() -> None:
    assert len(render([]).encode()) < 40_000
    many = render(synthetic(2000), frame="UA")
    assert len(many.encode()) < 64_000
    tree = etree.fromstring(many)
    assert sum(int(a.get("data-count")) for a in marks(tree)) == 2000
    assert len(marks(tree)) <= maps.MAX_MARKS
    assert inside(tree)


@pytest.mark.parametrize("seed", range(5))
def test_path_numbers_read_back_as_written(seed: int) -> None:
    """Separators are left out where SVG's grammar allows: `1.5-.5.5 2` is 1.5, -0.5, 0.5, 2."""
    rng = random.Random(seed)
    tenths = [rng.randint(-200, 200) for _ in range(200)] + [0, 5, -5, 10, -10]
    text = maps._joined(tenths)
    read = [round(float(n) * 10) for n in re.findall(r"-?(?:\d+(?:\.\d*)?|\.\d+)", text)]
    assert read == tenths
