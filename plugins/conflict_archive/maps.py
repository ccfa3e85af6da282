"""Static SVG maps of where events happened: vendored outlines, and marks drawn on them.

A map is plain HTML and SVG, with no script and no request beyond the page: outlines are
vendored (`outlines/`, see its SOURCES.md), marks are links to the events, and a table under
the map says the same in words. Colours are left to classes, so that the site's stylesheet
serves the light and the dark scheme alike.

Places that would overlap are drawn as one mark. A map has room for some eighty marks;
when there would be more, the cells that decide what overlaps grow until there are not,
which keeps a country's map of thousands of events small and readable.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from itertools import pairwise
from types import MappingProxyType

from markupsafe import escape

from .labels import count_of

Point = tuple[float, float]
Ring = tuple[Point, ...]
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

WIDTH = 720
MAX_HEIGHT = 720
MIN_HEIGHT = 240  # a frame wider than tall still leaves room for its marks
PADDING = 0.03  # of the frame's span, on each side, so that marks at its edge stay whole
MIN_SPAN = 0.5  # degrees of latitude: a single point still makes a map of its surroundings
CELL = 8.0  # pixels: places closer than this would overlap
CELL_GROWTH = 1.25
MAX_MARKS = 80  # more and a map is neither small nor readable
MAX_LISTED_EVENTS = 50  # a mark names its events only up to this many
SINGLE_RADIUS = {True: 4.0, False: 5.0}  # a ring must be larger than a dot to look hollow
MAX_RADIUS = 18.0


@dataclass(frozen=True)
class Outline:
    iso: str
    name: str
    rings: tuple[Ring, ...]  # (lon, lat) rings; outer and holes alike, filled even-odd

    @functools.cached_property
    def bbox(self) -> BBox:
        lons = [lon for ring in self.rings for lon, _ in ring]
        lats = [lat for ring in self.rings for _, lat in ring]
        return (min(lons), min(lats), max(lons), max(lats))

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        inside = False
        for ring in self.rings:
            for (x1, y1), (x2, y2) in pairwise((*ring, ring[0])):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
        return inside

    @property
    def is_country(self) -> bool:
        return "-" not in self.iso  # ISO 3166-1 codes have none, 3166-2 codes one


@functools.cache
def outlines() -> Mapping[str, Outline]:
    """The vendored outlines by ISO code: every JSON file in `outlines/`."""
    found: dict[str, Outline] = {}
    folder = resources.files(__package__ or "conflict_archive") / "outlines"
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not entry.name.endswith(".json"):
            continue
        for iso, data in json.loads(entry.read_text(encoding="utf-8")).items():
            rings = tuple(
                tuple((float(lon), float(lat)) for lon, lat in ring)
                for polygon in data["polygons"]
                for ring in polygon
            )
            found[iso] = Outline(iso=iso, name=data["name"], rings=rings)
    return MappingProxyType(found)


@dataclass(frozen=True)
class Place:
    """One event on a map."""

    event_id: str
    href: str  # opaque to this module, escaped like any text
    label: str  # e.g. "12 March 2024, Kyiv: missile strike"
    latitude: float
    longitude: float
    exact: bool  # False: the place is known only to an area (drawn at its centre, as a rule)
    area_href: str  # the page of the event's region, for a mark that groups several events
    area_label: str
    # The regions the event's region lies in, nearest first, as (page, name): a mark of events
    # in several districts of one city leads to the city.
    wider_areas: tuple[tuple[str, str], ...] = ()


# ---- Framing and projection ------------------------------------------------------------------


def _union(boxes: Iterable[BBox]) -> BBox | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _within(inner: BBox, outer: BBox) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _outlines_holding(points: Sequence[Point], shown: Mapping[str, Outline]) -> BBox | None:
    """The box of every outline that holds a point. Largest first: an outline inside the box
    found so far cannot grow it, and is not tested (a country's oblasts, once it holds one)."""
    box: BBox | None = None
    by_size = sorted(
        shown.values(), key=lambda o: (-(o.bbox[2] - o.bbox[0]) * (o.bbox[3] - o.bbox[1]), o.iso)
    )
    for outline in by_size:
        if box is not None and _within(outline.bbox, box):
            continue
        if any(outline.contains(lon, lat) for lon, lat in points):
            box = _union([outline.bbox] if box is None else [box, outline.bbox])
    return box


def _frame(points: Sequence[Point], frame: str | None, shown: Mapping[str, Outline]) -> BBox:
    box = shown[frame].bbox if frame is not None and frame in shown else _outlines_holding(points, shown)
    own = _union((lon, lat, lon, lat) for lon, lat in points)
    box = _union(b for b in (box, own) if b is not None)  # every place is on the map
    if box is None:  # no places, and no outline framed: all there is, else the world
        box = _union(o.bbox for o in shown.values()) or (-180.0, -60.0, 180.0, 75.0)
    west, south, east, north = box
    middle = (south + north) / 2
    k = _lon_factor(middle)
    half_lat = max((north - south) * (0.5 + PADDING), MIN_SPAN / 2)
    half_lon = max((east - west) * (0.5 + PADDING), MIN_SPAN / 2 / k)
    centre = (west + east) / 2
    return (centre - half_lon, middle - half_lat, centre + half_lon, middle + half_lat)


def _lon_factor(latitude: float) -> float:
    return max(math.cos(math.radians(latitude)), 0.1)  # near a pole, longitude still has a width


@dataclass(frozen=True)
class _Projection:
    """Equirectangular, longitude scaled by the cosine of the frame's middle latitude; to
    tenths of a pixel, as integers, so that paths and marks round the same way."""

    west: float
    north: float
    k: float
    scale: float  # pixels per degree of latitude
    height: int
    box: BBox  # what the viewBox shows, after fitting its aspect

    def __call__(self, lon: float, lat: float) -> tuple[int, int]:
        return (
            round((lon - self.west) * self.k * self.scale * 10),
            round((self.north - lat) * self.scale * 10),
        )


def _projection(box: BBox) -> _Projection:
    west, south, east, north = box
    k = _lon_factor((south + north) / 2)
    scale = WIDTH / ((east - west) * k)
    height = (north - south) * scale
    if height > MAX_HEIGHT:  # too tall: show more on either side instead
        scale = MAX_HEIGHT / (north - south)
        extra = (WIDTH / scale / k - (east - west)) / 2
        west, east, height = west - extra, east + extra, MAX_HEIGHT
    elif height < MIN_HEIGHT:  # too flat: show more above and below
        extra = (MIN_HEIGHT / scale - (north - south)) / 2
        south, north, height = south - extra, north + extra, MIN_HEIGHT
    whole = math.ceil(height)
    return _Projection(west, north, k, scale, whole, (west, north - whole / scale, east, north))


# ---- Numbers and paths ----------------------------------------------------------------------


def _num(tenths: int) -> str:
    """A coordinate in tenths of a pixel, as short as SVG allows: 12, 1.5, .5, -.5."""
    whole, tenth = divmod(abs(tenths), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "")
    return ("-" if tenths < 0 else "") + (text or "0")


def _joined(numbers: Iterable[int]) -> str:
    """Numbers in path data need a space only where the next would run into the last:
    not before a minus sign, nor before `.5` after a number that has its point already."""
    words = [_num(n) for n in numbers]
    text = words[0] if words else ""
    for previous, word in pairwise(words):
        runs_on = word[0] == "-" or (word[0] == "." and "." in previous)
        text += word if runs_on else " " + word
    return text


def _path(rings: Iterable[Ring], project: _Projection) -> str:
    """Absolute move to each ring's start, then relative lines; steps that round to nothing
    are left out, and a ring that shrinks to less than a triangle is not drawn."""
    data = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat in ring]
        steps: list[int] = []
        x, y = points[0]
        for px, py in points[1:]:
            if (px, py) != (x, y):
                steps += [px - x, py - y]
                x, y = px, py
        if (x, y) == points[0] and steps:
            del steps[-2:]  # `z` closes the ring
        if len(set(points)) < 3 or len(steps) < 4:
            continue
        data.append(f"M{_joined(points[0])}l{_joined(steps)}z")
    return "".join(data)


# ---- Marks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    """Places drawn as one: all exact or all at a region's centre, in one cell of the grid."""

    places: tuple[Place, ...]  # by event id
    exact: bool
    x: int  # tenths of a pixel, the mean of its places
    y: int

    @property
    def count(self) -> int:
        return len(self.places)

    @property
    def area(self) -> tuple[str, str] | None:
        """The narrowest region (page and name) that holds all its places, if any does."""
        chains = [((p.area_href, p.area_label), *p.wider_areas) for p in self.places]
        shared = set(chains[0]).intersection(*chains[1:])
        return next((area for area in chains[0] if area in shared), None)

    @property
    def area_names(self) -> str:
        names = sorted({place.area_label for place in self.places})
        shown = "; ".join(names[:3])  # a name may hold a comma ("Darnytskyi district, Kyiv")
        return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"

    @property
    def radius(self) -> int:
        """In tenths; a group's area grows with its number of events, up to a cap."""
        if self.count == 1:
            return round(SINGLE_RADIUS[self.exact] * 10)
        return round(min(MAX_RADIUS, 6 + 1.5 * math.sqrt(self.count)) * 10)


def _place_key(place: Place) -> tuple[str, str, str, float, float, bool, str, str]:
    return (
        place.event_id,
        place.href,
        place.label,
        place.latitude,
        place.longitude,
        place.exact,
        place.area_href,
        place.area_label,
    )


def _grouped(located: Sequence[tuple[Place, tuple[int, int]]], cell: float) -> list[_Mark]:
    cells: dict[tuple[int, int], dict[bool, list[tuple[Place, tuple[int, int]]]]] = {}
    for place, (x, y) in located:
        key = (math.floor(x / (cell * 10)), math.floor(y / (cell * 10)))
        cells.setdefault(key, {}).setdefault(place.exact, []).append((place, (x, y)))
    marks = []
    for by_precision in cells.values():
        pair = [
            _Mark(
                places=tuple(place for place, _ in members),
                exact=exact,
                x=round(sum(x for _, (x, _) in members) / len(members)),
                y=round(sum(y for _, (_, y) in members) / len(members)),
            )
            for exact, members in sorted(by_precision.items(), reverse=True)
        ]
        marks += _side_by_side(*pair) if len(pair) == 2 else pair
    return marks


def _side_by_side(exact: _Mark, area: _Mark) -> list[_Mark]:
    """Events at their own point and events at a region's centre in one cell (a city that is
    also its region's centre) would hide each other: the dot goes left, the ring right."""
    gap = exact.radius + area.radius + 10
    x = (exact.x + area.x) / 2
    y = round((exact.y + area.y) / 2)
    return [
        replace(exact, x=_clamped(round(x - gap / 2), exact.radius), y=y),
        replace(area, x=_clamped(round(x + gap / 2), area.radius), y=y),
    ]


def _clamped(x: int, radius: int) -> int:
    """Inside the width, and whole where there is room."""
    return max(min(radius, WIDTH * 5), min(x, WIDTH * 10 - radius))


def _marks(places: Sequence[Place], project: _Projection) -> list[_Mark]:
    """Sorted first, so that neither the groups nor their order depend on the input's order."""
    located = [(place, project(place.longitude, place.latitude)) for place in sorted(places, key=_place_key)]
    cell = CELL
    marks = _grouped(located, cell)
    while len(marks) > MAX_MARKS:
        cell *= CELL_GROWTH
        marks = _grouped(located, cell)
    # Largest first, so that a small mark is drawn over a large one and can still be reached.
    return sorted(
        marks, key=lambda m: (-m.count, _place_text(m), not m.exact, m.y, m.x, m.places[0].event_id)
    )


# ---- Words ----------------------------------------------------------------------------------

PRECISION = {True: "its own point", False: "known only to an area"}


# What a mark looks like without the stylesheet, which overrides it.
MARK_COLOURS = {
    True: 'fill="#546e7a" stroke="#fff"',
    False: 'fill="#fff" stroke="#546e7a" stroke-dasharray="2.5 1.5"',
}


def _e(text: str) -> str:
    return str(escape(text))


def _place_text(mark: _Mark) -> str:
    if mark.count == 1:
        return mark.places[0].label
    area = mark.area
    return area[1] if area else f"several places: {mark.area_names}"


def _title(mark: _Mark) -> str:
    if mark.count == 1:
        return mark.places[0].label
    return f"{mark.count:,} events in {_place_text(mark)}"


def _link(mark: _Mark, fallback_href: str) -> str:
    if mark.count == 1:
        return mark.places[0].href
    area = mark.area
    return area[0] if area else fallback_href


def _description(marks: Sequence[_Mark]) -> str:
    if not marks:
        return "No events are drawn on this map."
    exact = [m for m in marks if m.exact]
    area = [m for m in marks if not m.exact]
    return (
        f"{count_of(sum(m.count for m in marks), 'event')} drawn as {count_of(len(marks), 'mark')}: "
        f"{sum(m.count for m in exact):,} at a point of their own, exact or approximate "
        f"({count_of(len(exact), 'mark')}) and {sum(m.count for m in area):,} known only to a "
        f"district, town or region ({count_of(len(area), 'mark')})."
    )


# ---- HTML -----------------------------------------------------------------------------------


def _outline_paths(shown: Mapping[str, Outline], project: _Projection, highlight: str | None) -> str:
    """Regions first, countries over them with the stronger line."""
    drawn = sorted(
        (o for o in shown.values() if _intersects(o.bbox, project.box)), key=lambda o: (o.is_country, o.iso)
    )
    paths = []
    for outline in drawn:
        classes = "ca-map-country" if outline.is_country else "ca-map-land"
        if outline.iso == highlight:
            classes += " ca-map-highlight"
        data = _path(outline.rings, project)
        if data:
            fill = 'fill="none" stroke="#666"' if outline.is_country else 'fill="#eee" stroke="#999"'
            paths.append(f'<path class="{classes}" data-iso="{_e(outline.iso)}" {fill} d="{data}"/>')
    return "".join(paths)


def _mark_svg(mark: _Mark, fallback_href: str, link_root: str) -> str:
    kind = "ca-map-exact" if mark.exact else "ca-map-area"
    ids = " ".join(place.event_id for place in mark.places)
    events = f' data-events="{_e(ids)}"' if mark.count <= MAX_LISTED_EVENTS else ""
    x, y = _num(mark.x), _num(mark.y)
    count = ""
    if mark.count > 1:
        shown = f"{mark.count}" if mark.count < 10_000 else f"{mark.count // 1000}k"
        ink = "#fff" if mark.exact else "#000"
        count = (
            f'<text class="ca-map-count" x="{x}" y="{y}" dy=".35em" font-size="10" fill="{ink}">'
            f"{shown}</text>"
        )
    href = link_root + _e(_link(mark, fallback_href))
    return (
        f'<a href="{href}" class="ca-map-mark {kind}" data-count="{mark.count}"'
        f"{events}><title>{_e(_title(mark))}</title>"
        f'<circle cx="{x}" cy="{y}" r="{_num(mark.radius)}" {MARK_COLOURS[mark.exact]}/>'
        f"{count}</a>"
    )


def _table_row(mark: _Mark, fallback_href: str, fallback_label: str, link_root: str) -> str:
    link = link_root + _e(_link(mark, fallback_href))
    if mark.count > 1 and mark.area is None:
        place = f'several places ({_e(mark.area_names)}): <a href="{link}">{_e(fallback_label)}</a>'
    else:
        place = f'<a href="{link}">{_e(_place_text(mark))}</a>'
    return f"<tr><td>{place}</td><td>{PRECISION[mark.exact]}</td><td>{mark.count:,}</td></tr>"


def _key(shape: str) -> str:
    size = 'width="12" height="12" viewBox="-6 -6 12 12"'
    return f'<svg class="ca-map-key" {size} aria-hidden="true">{shape}</svg> '


def _legend(marks: Sequence[_Mark], highlighted: Outline | None) -> str:
    items = [
        _key(f'<g class="ca-map-exact"><circle r="4" {MARK_COLOURS[True]}/></g>')
        + "the event's own point, exact or approximate",
        _key(f'<g class="ca-map-area"><circle r="4" {MARK_COLOURS[False]}/></g>')
        + "the place is known only to a district, town or region: drawn at its centre",
    ]
    if any(mark.count > 1 for mark in marks):
        items.append("a number: that many events in one mark")
    if highlighted is not None:
        items.append(
            _key('<rect class="ca-map-highlight" x="-5" y="-5" width="10" height="10"/>')
            + f"shaded: {_e(highlighted.name)}"
        )
    return '<ul class="ca-map-legend">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def map_figure(
    places: Sequence[Place],
    *,
    frame: str | None,
    highlight: str | None,
    title: str,
    figure_id: str,
    fallback_href: str,
    fallback_label: str,
    link_root: str = "",
) -> str:
    """One `<figure class="ca-map">`: a caption with a legend, the SVG map, and the map as a table.

    `frame` is the ISO code of the outline to show (None, or one not vendored: every outline
    holding a place, else the places themselves); the frame grows to hold every place.
    A group of places that share no region links to `fallback_href`. `link_root` goes before
    every link as it is, unescaped: the way to the site's root, or a renderer's stand-in for it."""
    shown = outlines()
    points = [(place.longitude, place.latitude) for place in places]
    project = _projection(_frame(points, frame, shown))
    marks = _marks(places, project)
    ids = {"title": _e(f"{figure_id}-title"), "desc": _e(f"{figure_id}-desc")}
    highlighted = shown.get(highlight) if highlight is not None else None
    if highlighted is not None and not _intersects(highlighted.bbox, project.box):
        highlighted = None
    svg = (
        f'<svg class="ca-map-canvas" viewBox="0 0 {WIDTH} {project.height}" '
        f'aria-labelledby="{ids["title"]} {ids["desc"]}">'
        f'<title id="{ids["title"]}">{_e(title)}</title><desc id="{ids["desc"]}">{_description(marks)}</desc>'
        f'<g class="ca-map-outlines">{_outline_paths(shown, project, highlight)}</g>'
        f'<g class="ca-map-marks" text-anchor="middle">'
        + "".join(_mark_svg(mark, fallback_href, link_root) for mark in marks)
        + "</g></svg>"
    )
    table = ""
    if marks:
        rows = "".join(_table_row(mark, fallback_href, fallback_label, link_root) for mark in marks)
        table = (
            "<details><summary>The map as a table</summary><table>"
            '<thead><tr><th scope="col">Place</th><th scope="col">Precision</th>'
            '<th scope="col">Events</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></details>"
        )
    return (
        f'<figure class="ca-map" id="{_e(figure_id)}">'
        f'<figcaption><span class="ca-map-title">{_e(title)}</span>{_legend(marks, highlighted)}</figcaption>'
        f"{svg}{table}</figure>"
    )
