"""The timeline chart (charts.py): what is drawn is what the table says, "at least" is drawn
open, "not reported" is never drawn as zero, and the same events give the same bytes."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conflict_archive.charts import timeline_figure
from conflict_archive.figures import Figure, Total
from conflict_archive.model import Event

Month = tuple[int, int]
LEFT, RIGHT = 52.0, 712.0  # the plot's edges in the viewBox


def _event(day: str, killed: Figure | None = None, injured: Figure | None = None, number: int = 0) -> Event:
    start = dt.date.fromisoformat(day)
    return Event(
        id=f"e{number}",
        article_path=f"{start:%Y/%m}/report-{number}.md",
        position=0,
        line=1,
        id_line=1,
        date_line=1,
        id_given=False,
        start=start,
        end=start,
        date_precision="day",
        type="shelling",
        region="kyiv",
        location=None,
        coordinates=None,
        coordinates_from_region=True,
        location_precision=None,
        perpetrators=(),
        targeted=(),
        weapons=(),
        killed=killed,
        injured=injured,
        damage=(),
        notes=None,
        sources=(),
    )


def _events(*rows: tuple[str, Figure | None, Figure | None]) -> list[Event]:
    return [_event(day, killed, injured, number) for number, (day, killed, injured) in enumerate(rows)]


def _random_figure(rng: random.Random) -> Figure | None:
    roll = rng.random()
    low = rng.randint(0, 40)
    if roll < 0.2:
        return None
    if roll < 0.5:
        return Figure.exact(low)
    if roll < 0.7:
        return Figure(low, low + rng.randint(1, 30))
    if roll < 0.8:
        return Figure(low, low + 10, low + rng.randint(0, 10))
    return Figure(low, None)


def _random_events(count: int, first_year: int, months: int, seed: int) -> list[Event]:
    rng = random.Random(seed)
    events = []
    for number in range(count):
        index = rng.randrange(months)
        day = dt.date(first_year + index // 12, index % 12 + 1, rng.randint(1, 28)).isoformat()
        events.append(_event(day, _random_figure(rng), _random_figure(rng), number))
    return events


EXACT, RANGE, BEST, OPEN = Figure.exact(3), Figure(2, 5), Figure(10, 20, 12), Figure(4, None)
# Named sets of events, with the span they are drawn over; every invariant below is checked on each.
CASES: dict[str, tuple[list[Event], tuple[Month, Month] | None]] = {
    "one event": (_events(("2024-03-05", EXACT, None)), None),
    "one month, every kind of figure": (
        _events(
            ("2024-03-01", EXACT, RANGE),
            ("2024-03-02", BEST, None),
            ("2024-03-03", OPEN, Figure.exact(0)),
            ("2024-03-04", None, None),
        ),
        None,
    ),
    "months without events between": (
        _events(("2024-01-10", RANGE, None), ("2024-06-02", None, None), ("2024-06-03", OPEN, OPEN)),
        None,
    ),
    "a year page's span": (
        _events(("2024-03-10", BEST, EXACT), ("2024-07-01", None, RANGE)),
        ((2024, 1), (2024, 12)),
    ),
    "across four years": (_random_events(400, 2019, 48, seed=1), None),
    "twenty years": (_random_events(2_000, 2001, 240, seed=2), None),
    "thirty years, ending in a January": (_random_events(500, 1990, 360, seed=4), ((1990, 1), (2020, 1))),
    "only unreported figures": (_events(("2023-11-30", None, None), ("2024-02-01", None, None)), None),
}


def _parse(html: str) -> etree._Element:
    """The figure as XML (the chart is written well-formed), namespaces dropped for simple paths."""
    root = etree.fromstring(html)
    for element in root.iter():
        element.tag = etree.QName(element).localname
    return root


def _month_key(event: Event) -> str:
    return f"{event.start:%Y-%m}"


def _by_month(events: list[Event]) -> dict[str, list[Event]]:
    months: dict[str, list[Event]] = {}
    for event in events:
        months.setdefault(_month_key(event), []).append(event)
    return months


def _classes(element: etree._Element) -> set[str]:
    return set(str(element.get("class", "")).split())


def _ranges(root: etree._Element, kind: str) -> dict[str, etree._Element]:
    found = [e for e in root.iter() if {"ca-range", f"ca-{kind}"} <= _classes(e)]
    ranges = {str(e.get("data-month")): e for e in found}
    assert len(ranges) == len(found), "one range a month"
    return ranges


def _chart(name: str) -> tuple[list[Event], etree._Element]:
    events, span = CASES[name]
    return events, _parse(timeline_figure(events, title=name, figure_id="chart", span=span))


@pytest.mark.parametrize("name", CASES)
def test_the_bars_count_every_event_once_in_its_month(name: str) -> None:
    events, root = _chart(name)
    bars = root.findall(".//rect[@class='ca-bar']")
    drawn = {str(bar.get("data-month")): int(str(bar.get("data-events"))) for bar in bars}
    assert sum(drawn.values()) == len(events)
    assert drawn == Counter(_month_key(event) for event in events)
    assert all(float(str(bar.get("height"))) > 0 for bar in bars)


@pytest.mark.parametrize("kind", ["killed", "injured"])
@pytest.mark.parametrize("name", CASES)
def test_each_months_range_is_the_total_of_its_events_figures(name: str, kind: str) -> None:
    events, root = _chart(name)
    ranges = _ranges(root, kind)
    expected = {
        month: Total.of(getattr(e, kind) for e in group) for month, group in _by_month(events).items()
    }
    assert set(ranges) == {month for month, total in expected.items() if total.figure is not None}
    for month, drawn in ranges.items():
        total = expected[month]
        assert total.figure is not None
        attributes = {key: drawn.get(f"data-{key}") for key in ("low", "high", "best", "unreported")}
        assert attributes == {
            "low": str(total.figure.low),
            "high": None if total.figure.high is None else str(total.figure.high),
            "best": None if total.figure.best is None else str(total.figure.best),
            "unreported": str(total.unreported) if total.unreported else None,
        }
        assert ("ca-open" in _classes(drawn)) == total.figure.is_open


@pytest.mark.parametrize(("low", "other"), [(2, 50), (0, 0), (40, 0), (8_000, 0), (3, 999_997)])
def test_an_open_total_has_no_upper_end_and_is_drawn_up_to_the_top_with_a_dashed_end(
    low: int, other: int
) -> None:
    """Also when its floor is a round number that could have been the panel's top."""
    events = _events(("2024-03-01", Figure.exact(other), None), ("2024-03-02", Figure(low, None), None))
    root = _parse(timeline_figure(events, title="t", figure_id="c"))
    (drawn,) = _ranges(root, "killed").values()
    assert drawn.get("data-low") == str(low + other)
    assert drawn.get("data-high") is None
    assert "ca-open" in _classes(drawn)
    # The dashed line starts at the floor's height and runs up to the arrow under the panel's top.
    floor_y = _points(str(drawn.get("d")))[0][1]
    (dashed,) = root.findall(".//path[@class='ca-open-end']")
    assert dashed.get("stroke-dasharray")
    (start, end) = _points(str(dashed.get("d")))
    assert start[1] == floor_y
    assert floor_y - end[1] >= 8
    assert min(y for _, y in _points(str(drawn.get("d")))) == 106  # the arrow's tip: the panel's top
    assert "at least" in _text(root.find(".//desc"))


def test_a_month_where_no_event_reported_a_figure_has_nothing_drawn_and_says_not_reported() -> None:
    events = _events(("2024-03-01", None, Figure.exact(0)), ("2024-03-02", None, None))
    root = _parse(timeline_figure(events, title="t", figure_id="c"))
    assert _ranges(root, "killed") == {}
    # Zero injured is a figure, and is drawn: as a dot on the baseline.
    (zero,) = _ranges(root, "injured").values()
    assert (zero.tag, zero.get("data-low"), zero.get("data-high")) == ("circle", "0", "0")
    (row,) = root.findall(".//tbody/tr")
    cells = row.findall("td")
    assert [_text(cell) for cell in cells] == ["2", "not reported", "0 (not reported for 1 event)"]
    assert cells[1].get("class") == "ca-unreported"


def test_months_without_events_have_a_slot_and_no_bar() -> None:
    _, root = _chart("months without events between")
    bars = root.findall(".//rect[@class='ca-bar']")
    assert [bar.get("data-month") for bar in bars] == ["2024-01", "2024-06"]
    centres = [float(str(bar.get("x"))) + float(str(bar.get("width"))) / 2 for bar in bars]
    slot = (RIGHT - LEFT) / 6
    assert centres == pytest.approx([LEFT + slot / 2, LEFT + 5.5 * slot], abs=0.1)
    assert [row.get("data-month") for row in root.findall(".//tbody/tr")] == ["2024-01", "2024-06"]
    assert "Months not listed had no events" in _text(root.find(".//caption"))


@pytest.mark.parametrize(
    ("span", "period", "months", "march"),
    [
        (None, "March 2024 to July 2024", 5, 0),
        (((2024, 1), (2024, 12)), "January 2024 to December 2024", 12, 2),
        (((2023, 12), (2024, 4)), "December 2023 to July 2024", 8, 3),  # widened to the July event
        (((2024, 3), (2024, 3)), "March 2024 to July 2024", 5, 0),
    ],
)
def test_the_span_sets_the_months_on_the_axis(
    span: tuple[Month, Month] | None, period: str, months: int, march: int
) -> None:
    events = _events(("2024-03-10", EXACT, None), ("2024-07-01", None, RANGE))
    root = _parse(timeline_figure(events, title="t", figure_id="c", span=span))
    assert f"from {period}:" in _text(root.find(".//desc"))
    assert f"per month, {period}." in _text(root.find(".//caption"))
    bar = root.find(".//rect[@data-month='2024-03']")
    assert bar is not None
    slot = (RIGHT - LEFT) / months
    assert float(str(bar.get("x"))) + float(str(bar.get("width"))) / 2 == pytest.approx(
        LEFT + (march + 0.5) * slot, abs=0.1
    )


@pytest.mark.parametrize("span", [((2024, 5), (2024, 4)), ((2024, 0), (2024, 4)), ((2024, 1), (2024, 13))])
def test_a_span_that_is_not_one_is_refused(span: tuple[Month, Month]) -> None:
    with pytest.raises(ValueError, match="span"):
        timeline_figure(_events(("2024-03-10", None, None)), title="t", figure_id="c", span=span)


@pytest.mark.parametrize("name", CASES)
def test_the_table_holds_the_numbers_that_are_drawn(name: str) -> None:
    events, root = _chart(name)
    months = _by_month(events)
    rows = root.findall(".//tbody/tr")
    assert [row.get("data-month") for row in rows] == sorted(months)
    bars = {bar.get("data-month"): bar.get("data-events") for bar in root.iter("rect")}
    drawn = {kind: _ranges(root, kind) for kind in ("killed", "injured")}
    for row in rows:
        month = str(row.get("data-month"))
        events_cell, killed_cell, injured_cell = (_text(cell) for cell in row.findall("td"))
        assert events_cell.replace(",", "") == bars[month]
        for kind, cell in (("killed", killed_cell), ("injured", injured_cell)):
            assert cell == str(Total.of(getattr(e, kind) for e in months[month]))
            if month in drawn[kind]:
                assert cell.replace(",", "").startswith(_drawn_number(drawn[kind][month]))
            else:
                assert cell == "not reported"
    assert [th.get("scope") for th in root.findall(".//thead/tr/th")] == ["col"] * 4
    assert [_text(th) for th in root.findall(".//thead/tr/th")] == ["Month", "Events", "Killed", "Injured"]


def _drawn_number(element: etree._Element) -> str:
    """The start of the table's text that a range's data stands for: `4–6`, `at least 4`, `3`."""
    low, high = element.get("data-low"), element.get("data-high")
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low}–{high}"


@pytest.mark.parametrize("name", CASES)
def test_the_same_events_in_any_order_give_the_same_bytes(name: str) -> None:
    events, span = CASES[name]
    first = timeline_figure(events, title=name, figure_id="chart", span=span)
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    assert timeline_figure(shuffled, title=name, figure_id="chart", span=span) == first
    assert timeline_figure(list(reversed(events)), title=name, figure_id="chart", span=span) == first


def test_the_title_and_id_are_escaped() -> None:
    title = """<script>alert("x")</script> & 'Kyiv' "region\""""
    html = timeline_figure(_events(("2024-03-10", EXACT, None)), title=title, figure_id='t"><b>')
    assert "<script>" not in html
    assert "<b>" not in html
    root = _parse(html)
    assert root.get("id") == 't"><b>'
    assert _text(root.find(".//title")) == title
    assert _text(root.find(".//figcaption/strong")) == title
    svg = root.find("svg")
    assert svg is not None
    assert svg.get("aria-labelledby") == 't"><b>-title t"><b>-desc'


def test_no_events_give_no_figure() -> None:
    assert timeline_figure([], title="t", figure_id="c") == ""
    assert timeline_figure([], title="t", figure_id="c", span=((2024, 1), (2024, 12))) == ""


def test_the_description_names_the_busiest_month_the_earliest_of_equals_and_the_totals() -> None:
    events = _events(
        ("2024-02-01", Figure(50, 61), None),
        ("2024-02-02", Figure(2, None), None),
        ("2024-03-05", Figure.exact(45), Figure.exact(1)),
        ("2024-04-01", None, None),
        ("2024-04-02", None, None),
    )
    root = _parse(timeline_figure(events, title="t", figure_id="c"))
    desc = _text(root.find(".//desc"))
    assert "from February 2024 to April 2024: 5 events in all." in desc
    assert "The busiest month was February 2024, with 2 events." in desc
    assert "Killed over the period: at least 97 (not reported for 2 events)." in desc
    assert "Injured over the period: 1 (not reported for 4 events)." in desc
    svg = root.find("svg")
    assert svg is not None
    assert (svg.get("role"), svg.get("aria-labelledby")) == ("img", "c-title c-desc")
    assert [e.get("id") for e in root.iter("title", "desc")] == ["c-title", "c-desc"]
    # On a narrow screen the table scrolls in a region the keyboard can reach, named by the caption.
    region = root.find(".//details/div")
    assert region is not None
    assert (region.get("role"), region.get("tabindex"), region.get("aria-labelledby")) == (
        "region",
        "0",
        "c-caption",
    )
    assert [caption.get("id") for caption in root.iter("caption")] == ["c-caption"]
    foot = [_text(cell) for cell in root.findall(".//tfoot/tr/*")]
    assert foot == [
        "All months",
        "5",
        "at least 97 (not reported for 2 events)",
        "1 (not reported for 4 events)",
    ]


@pytest.mark.parametrize("name", CASES)
def test_everything_drawn_lies_inside_the_view_box(name: str) -> None:
    _, root = _chart(name)
    svg = root.find("svg")
    assert svg is not None
    assert svg.get("width") is None and svg.get("height") is None
    _, _, width, height = (float(v) for v in str(svg.get("viewBox")).split())
    for x, y in _all_points(svg):
        assert 0 <= x <= width and 0 <= y <= height, (x, y)
    numbers = re.findall(r'(?:x|y|cx|cy|r|width|height|d)="([^"]*)"', etree.tostring(svg, encoding="unicode"))
    assert all(len(decimals) <= 1 for value in numbers for decimals in re.findall(r"\.(\d+)", value))


def _all_points(svg: etree._Element) -> Iterator[tuple[float, float]]:
    for element in svg.iter():
        get = element.get
        if element.tag == "path":
            yield from _points(str(get("d")))
        elif element.tag == "rect":
            x, y, w, h = (float(str(get(a))) for a in ("x", "y", "width", "height"))
            yield from ((x, y), (x + w, y + h))
        elif element.tag == "circle":
            cx, cy, r = (float(str(get(a))) for a in ("cx", "cy", "r"))
            yield from ((cx - r, cy - r), (cx + r, cy + r))
        elif element.tag == "text":
            xs = [float(x) for x in str(get("x")).split()]
            yield from ((x, float(str(get("y")))) for x in xs)


def _points(d: str) -> list[tuple[float, float]]:
    """Every point a path goes through (M, L, H, V and their relative forms)."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for command, arguments in re.findall(r"([MLHVmlhv])([^MLHVmlhvZz]*)", d):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", arguments)]
        relative = command.islower()
        if command in "Hh":
            steps = [(n + (x if relative else 0), y) for n in numbers]
        elif command in "Vv":
            steps = [(x, n + (y if relative else 0)) for n in numbers]
        else:
            steps = []
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                last = steps[-1] if steps else (x, y)
                steps.append((dx + last[0], dy + last[1]) if relative else (dx, dy))
        for x, y in steps:
            points.append((x, y))
    return points


def _text(element: etree._Element | None) -> str:
    assert element is not None
    return "".join(element.itertext())


def test_a_year_page_is_small_and_years_of_months_stay_readable() -> None:
    """20,000 events over 48 months; the year labels never overlap, even over twenty years."""
    events = _random_events(20_000, 2021, 48, seed=3)
    html = timeline_figure(events, title="Kyiv", figure_id="c")
    # Each month costs its bar, two ranges and a table row, whatever the number of events.
    assert len(html.encode()) < 36_000
    year_page = [event for event in events if event.start.year == 2023]
    assert len(timeline_figure(year_page, title="Kyiv", figure_id="c").encode()) < 12_000
    for name in ("across four years", "twenty years", "thirty years, ending in a January"):
        _, root = _chart(name)
        labels = [
            (float(str(t.get("x"))), _text(t)) for t in root.iter("text") if re.fullmatch(r"\d{4}", _text(t))
        ]
        assert len(labels) >= 4
        assert all(b[0] - a[0] >= 30 for a, b in pairwise(labels))
        assert all(x + 30 <= 720 for x, _ in labels)
        # At January (or the first month), and for every year while there is room.
        slot = (RIGHT - LEFT) / _months_drawn(*CASES[name])
        assert all(round((x - LEFT) / slot) % 12 == 0 for x, _ in labels[1:])
        years = [int(year) for _, year in labels]
        assert years == sorted(years)
        assert len({b - a for a, b in pairwise(years[1:])}) == 1


def _months_drawn(events: list[Event], span: tuple[Month, Month] | None) -> int:
    months = [e.start.year * 12 + e.start.month - 1 for e in events]
    months += [year * 12 + month - 1 for year, month in span or ()]
    return max(months) - min(months) + 1


def test_one_event_among_thousands_still_shows_a_bar() -> None:
    events = _events(("2024-03-01", None, None)) + _random_events(3_000, 2024, 1, seed=5)
    root = _parse(timeline_figure(events, title="t", figure_id="c"))
    heights = {bar.get("data-month"): float(str(bar.get("height"))) for bar in root.iter("rect")}
    assert heights["2024-03"] >= 1


figures = st.none() | st.builds(
    lambda low, extra, open_: Figure(low, None if open_ else low + extra),
    st.integers(0, 500),
    st.integers(0, 500),
    st.booleans(),
)
days = st.dates(dt.date(2020, 1, 1), dt.date(2023, 12, 31)).map(dt.date.isoformat)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, figures, figures), min_size=1, max_size=30))
def test_any_events_are_drawn_as_their_totals(rows: list[tuple[str, Figure | None, Figure | None]]) -> None:
    events = _events(*rows)
    root = _parse(timeline_figure(events, title="t", figure_id="c"))
    assert sum(int(str(bar.get("data-events"))) for bar in root.iter("rect")) == len(events)
    for kind in ("killed", "injured"):
        drawn = _ranges(root, kind)
        for month, group in _by_month(events).items():
            figure = Total.of(getattr(e, kind) for e in group).figure
            if figure is None:
                assert month not in drawn
            else:
                assert (drawn[month].get("data-low"), drawn[month].get("data-high")) == (
                    str(figure.low),
                    None if figure.high is None else str(figure.high),
                )
