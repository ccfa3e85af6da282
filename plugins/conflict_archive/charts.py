"""A timeline of events per month, drawn as static SVG, with the same figures as a table.

The chart is a picture of the table beside it and never claims more than the table: events
are counted (a month without events is a real zero), while killed and injured are `Total`s of
what was reported. A range is drawn from its low to its high end; "at least N" is drawn from N
up to the top of its panel with a dashed end and an arrow, as there is no upper bound to draw;
a month in which no event reported the figure has nothing drawn for it, because any mark on
the baseline would read as zero.

No script and no file of its own: the SVG scales to the page's width through its viewBox,
and its colours come from classes that the site's stylesheet maps onto the theme's
variables, so that light and dark schemes and print all work. Screen readers get a title and
a description in words; everyone gets the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from markupsafe import Markup, escape

from .figures import Figure, Total
from .labels import MONTH_NAMES, count_of, month_name
from .model import Event

Month = tuple[int, int]

WIDTH = 720
HEIGHT = 294
LEFT = 52.0  # room for the y labels: "8,000", "400k"
RIGHT = 712.0
PLOT_HEIGHT = 62.0
PANEL_TOPS = (20.0, 106.0, 192.0)  # events, killed, injured; each label sits above its panel
AXIS_Y = PANEL_TOPS[-1] + PLOT_HEIGHT
FONT_SIZE = 11
YEAR_LABEL_ROOM = 32.0  # "2024" at FONT_SIZE, and a gap before the next
LEGEND = (
    "Bars: events per month. Lines: killed or injured, from the lowest to the highest reported "
    "figure; dots: exact figures and best estimates; a dashed end with an arrow: “at least”, "
    "no upper bound was reported. Months in which no event reported a figure are left blank."
)


def timeline_figure(
    events: Sequence[Event],
    *,
    title: str,
    figure_id: str,
    span: tuple[Month, Month] | None = None,
) -> str:
    """A `<figure>` with the timeline of `events` and its table; "" when there are none.

    The months drawn run from the first to the last month with an event, or over `span`
    (first and last month included) widened to any event outside it, so that every event is
    counted. The same events in any order give the same bytes.
    """
    if not events:
        return ""
    timeline = _Timeline.of(events, span)
    return str(
        Markup("").join(
            (
                Markup('<figure class="ca-timeline" id="{}">').format(figure_id),
                # First, not after the SVG: a <figcaption> may only be a figure's first or last child.
                Markup("<figcaption><strong>{}</strong> {}</figcaption>").format(title, LEGEND),
                _svg(timeline, title=title, figure_id=figure_id),
                _table(timeline, figure_id),
                Markup("</figure>"),
            )
        )
    )


@dataclass(frozen=True)
class _Month:
    """One month of the chart: how many events began in it, and the totals of what they reported."""

    month: Month
    events: int
    killed: Total
    injured: Total

    @classmethod
    def of(cls, month: Month, killed: Sequence[Figure | None], injured: Sequence[Figure | None]) -> _Month:
        return cls(month, len(killed), Total.of(killed), Total.of(injured))

    @property
    def key(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}"

    @property
    def name(self) -> str:
        return month_name(*self.month)


@dataclass(frozen=True)
class _Timeline:
    """Every month of the span, oldest first, and the totals over all of them."""

    months: tuple[_Month, ...]
    events: int
    killed: Total
    injured: Total

    @classmethod
    def of(cls, events: Sequence[Event], span: tuple[Month, Month] | None) -> _Timeline:
        # One pass over the events, bucketing their figures by month; sums do not depend on order.
        buckets: dict[Month, tuple[list[Figure | None], list[Figure | None]]] = {}
        for event in events:
            killed, injured = buckets.setdefault(event.month, ([], []))
            killed.append(event.killed)
            injured.append(event.injured)
        ends = list(buckets)
        if span is not None:
            ends += _checked(span)
        no_events: tuple[list[Figure | None], list[Figure | None]] = ([], [])
        months = tuple(
            _Month.of(month, *buckets.get(month, no_events))
            for month in _months_between(min(ends), max(ends))
        )
        return cls(
            months,
            len(events),
            Total.of(chain.from_iterable(killed for killed, _ in buckets.values())),
            Total.of(chain.from_iterable(injured for _, injured in buckets.values())),
        )

    @property
    def period(self) -> str:
        first, last = self.months[0].name, self.months[-1].name
        return first if first == last else f"{first} to {last}"


def _checked(span: tuple[Month, Month]) -> tuple[Month, Month]:
    first, last = span
    for _, month in span:
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {month!r} in the span {first!r} to {last!r}")
    if first > last:
        raise ValueError(f"the span ends before it starts: {first!r} to {last!r}")
    return span


def _months_between(first: Month, last: Month) -> list[Month]:
    start, end = first[0] * 12 + first[1] - 1, last[0] * 12 + last[1] - 1
    return [(index // 12, index % 12 + 1) for index in range(start, end + 1)]


@dataclass(frozen=True)
class _XAxis:
    """Months side by side in equal slots from LEFT to RIGHT, and marks sized to a slot:
    twenty years of months get thin lines and small dots."""

    months: int

    @property
    def slot(self) -> float:
        return (RIGHT - LEFT) / self.months

    def left(self, index: int) -> float:
        return LEFT + index * self.slot

    def centre(self, index: int) -> float:
        return LEFT + (index + 0.5) * self.slot

    @property
    def bar(self) -> float:
        return min(self.slot * 0.7, 40.0)

    @property
    def stroke(self) -> float:
        return min(max(self.slot * 0.3, 1.0), 2.5)

    @property
    def tick(self) -> float:
        return min(max(self.slot * 0.3, 1.0), 6.0)

    @property
    def dot(self) -> float:
        return min(max(self.slot * 0.25, 1.2), 3.5)

    @property
    def arrow(self) -> float:
        return min(max(self.slot * 0.25, 1.5), 4.0)


@dataclass(frozen=True)
class _YScale:
    """One panel's vertical scale, from 0 at its baseline to `top` at its top."""

    panel_top: float
    top: int

    @classmethod
    def reaching(cls, panel_top: float, value: float) -> _YScale:
        return cls(panel_top, _nice_top(value))

    @property
    def baseline(self) -> float:
        return self.panel_top + PLOT_HEIGHT

    def y(self, value: float) -> float:
        return self.baseline - PLOT_HEIGHT * min(value, self.top) / self.top


def _svg(timeline: _Timeline, *, title: str, figure_id: str) -> Markup:
    axis = _XAxis(len(timeline.months))
    opening = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" font-size="{}" fill="currentColor">'
        '<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>'
    ).format(WIDTH, HEIGHT, FONT_SIZE, title, _description(timeline), id=figure_id)
    return Markup("").join(
        (
            opening,
            _year_lines(timeline.months, axis),
            _events_panel(timeline.months, axis),
            _figure_panel(timeline.months, axis, "killed", PANEL_TOPS[1]),
            _figure_panel(timeline.months, axis, "injured", PANEL_TOPS[2]),
            _x_axis(timeline.months, axis),
            Markup("</svg>"),
        )
    )


def _description(timeline: _Timeline) -> str:
    """The chart in words, for those who cannot see it: span, counts, busiest month, totals."""
    period = timeline.period
    period = f"in {period}" if len(timeline.months) == 1 else f"from {period}"
    busiest = max(timeline.months, key=lambda month: month.events)  # the earliest of equals
    return (
        f"Events per month {period}: {count_of(timeline.events, 'event')} in all. "
        f"The busiest month was {busiest.name}, with {count_of(busiest.events, 'event')}. "
        f"Killed over the period: {timeline.killed}. Injured over the period: {timeline.injured}. "
        "Ranges with no upper bound (“at least”) are drawn with an open, dashed end; "
        "months in which no event reported a figure have nothing drawn for it."
    )


def _events_panel(months: Sequence[_Month], axis: _XAxis) -> Markup:
    scale = _YScale.reaching(PANEL_TOPS[0], max(month.events for month in months))
    bars = []
    for index, month in enumerate(months):
        if not month.events:
            continue  # its slot on the axis stays empty: zero events, drawn as nothing
        # At least a sliver, so that one event among thousands still shows that there was one.
        height = max(scale.baseline - scale.y(month.events), 1.0)
        bar = {
            "class": "ca-bar",
            "data-month": month.key,
            "data-events": month.events,
            "x": _n(axis.centre(index) - axis.bar / 2),
            "y": _n(scale.baseline - height),
            "width": _n(axis.bar),
            "height": _n(height),
        }
        bars.append(_tag("rect", bar))
    return _panel("Events", scale, Markup("").join(bars))


def _figure_panel(months: Sequence[_Month], axis: _XAxis, kind: str, panel_top: float) -> Markup:
    totals = [(axis.centre(index), month, getattr(month, kind)) for index, month in enumerate(months)]
    scale = _YScale.reaching(panel_top, max(_reach(total.figure) for _, _, total in totals))
    drawn = [_range(month, kind, total, x, scale, axis) for x, month, total in totals]
    # The dashed ends of the open ranges share one path: a few bytes a month, not an element.
    open_ends = "".join(
        f"M{_n(x)} {_n(scale.y(total.figure.low))}V{_n(panel_top + axis.arrow)}"
        for x, _, total in totals
        if total.figure is not None and total.figure.is_open
    )
    if open_ends:
        drawn.append(_tag("path", {"class": "ca-open-end", "stroke-dasharray": "3 2", "d": open_ends}))
    # Round caps: a range whose ends fall on the same point still shows, as a dot.
    style = {
        "class": f"ca-{kind}",
        "fill": "none",
        "stroke": "currentColor",
        "stroke-width": _n(axis.stroke),
        "stroke-linecap": "round",
    }
    return _panel(kind.capitalize(), scale, _tag("g", style, Markup("").join(drawn)))


def _reach(figure: Figure | None) -> float:
    """How high a panel's scale must reach for this figure; an open one leaves room above."""
    if figure is None:
        return 0
    if figure.high is None:
        # Room above the known floor, so that the dashed end has a length to be seen.
        return max(figure.low, figure.best or 0) * 1.25 + 1
    return figure.high


def _range(month: _Month, kind: str, total: Total, x: float, scale: _YScale, axis: _XAxis) -> Markup:
    """A month's total: a dot when exact, a line from low to high, or, when open, a tick at
    the floor and an arrow at the top of the panel (the dashed line between is the panel's).

    The element carries the figures as data, so that the picture can be checked against the
    table. Nothing is drawn when no event reported the figure.
    """
    figure = total.figure
    if figure is None:
        return Markup()
    shape = " ca-exact" if figure.is_exact else " ca-open" if figure.is_open else ""
    data: dict[str, object] = {
        "class": f"ca-range ca-{kind}{shape}",
        "data-month": month.key,
        "data-low": figure.low,
        "data-high": figure.high,
        "data-best": figure.best,
        "data-unreported": total.unreported or None,
    }
    low = scale.y(figure.low)
    if figure.is_exact:
        return _tag("circle", {**data, "cx": _n(x), "cy": _n(low), "r": _n(axis.dot)})
    if figure.high is None:
        top, arrow, tick = scale.panel_top, axis.arrow, axis.tick
        rise = 1.6 * arrow
        floor = f"M{_n(x - tick)} {_n(low)}h{_n(2 * tick)}"
        head = f"M{_n(x - arrow)} {_n(top + rise)}l{_n(arrow)}-{_n(rise)} {_n(arrow)} {_n(rise)}"
        line = _tag("path", {**data, "d": floor + head})
    else:
        line = _tag("path", {**data, "d": f"M{_n(x)} {_n(low)}V{_n(scale.y(figure.high))}"})
    if figure.best is None:
        return line
    best = {"class": "ca-best", "cx": _n(x), "cy": _n(scale.y(figure.best)), "r": _n(axis.dot)}
    return line + _tag("circle", best)


def _panel(label: str, scale: _YScale, marks: Markup) -> Markup:
    """Gridlines at half and full height, the baseline, their values, the label, the marks."""
    half, top = scale.y(scale.top / 2), scale.panel_top
    values = Markup("").join(
        _tag("text", {"x": _n(LEFT - 5), "y": _n(y + 4)}, _axis_number(value))
        for value, y in ((0, scale.baseline), (scale.top // 2, half), (scale.top, top))
    )
    return Markup("").join(
        (
            _tag("path", {"class": "ca-grid", "stroke": "currentColor", "d": _across(half, top)}),
            _tag("path", {"class": "ca-axis", "stroke": "currentColor", "d": _across(scale.baseline)}),
            _tag("g", {"class": "ca-label", "text-anchor": "end"}, values),
            _tag("text", {"class": "ca-panel-label", "x": _n(LEFT), "y": _n(top - 6)}, label),
            marks,
        )
    )


def _across(*ys: float) -> str:
    return "".join(f"M{_n(LEFT)} {_n(y)}H{_n(RIGHT)}" for y in ys)


def _year_lines(months: Sequence[_Month], axis: _XAxis) -> Markup:
    """A faint line down all three panels where each year begins, ending in a tick on the axis."""
    lines = "".join(
        f"M{_n(axis.left(index))} {_n(PANEL_TOPS[0])}V{_n(AXIS_Y + 8)}"
        for index, month in enumerate(months)
        if index and month.month[1] == 1
    )
    return _tag("path", {"class": "ca-grid", "stroke": "currentColor", "d": lines}) if lines else Markup()


def _x_axis(months: Sequence[_Month], axis: _XAxis) -> Markup:
    """Month ticks, month names where they fit, and year labels that never overlap."""
    # Every month's tick while they stay apart; beyond some fourteen years, the quarters'.
    ticked = [i for i, month in enumerate(months) if axis.slot >= 4 or month.month[1] % 3 == 1]
    ticks = "".join(f"M{_n(axis.centre(i))} {_n(AXIS_Y)}v3" for i in ticked)
    parts = [_tag("path", {"class": "ca-axis", "stroke": "currentColor", "d": ticks})]
    names = _month_names(axis.slot)
    if names is not None:
        parts.append(_month_labels(months, axis, names))
    year_y = _n(AXIS_Y + (30 if names is not None else 15))
    years = Markup("").join(
        _tag("text", {"x": _n(x), "y": year_y}, str(year)) for x, year in _year_labels(months, axis)
    )
    parts.append(_tag("g", {"class": "ca-label"}, years))
    return Markup("").join(parts)


def _month_names(slot: float) -> list[str] | None:
    """`Jan` where a slot has room for it, `J` where only for a letter, none below that."""
    abbreviations = ["", *(name[:3] for name in MONTH_NAMES)]  # by month number
    if slot >= 26:
        return abbreviations
    if slot >= 11:
        return [name[:1] for name in abbreviations]
    return None


def _month_labels(months: Sequence[_Month], axis: _XAxis, names: list[str]) -> Markup:
    y = _n(AXIS_Y + 14)
    if all(len(name) <= 1 for name in names):
        # A letter a month: one <text> placing each letter (each is centred on its own x).
        xs = " ".join(_n(axis.centre(i)) for i in range(len(months)))
        labels = _tag("text", {"x": xs, "y": y}, "".join(names[month.month[1]] for month in months))
    else:
        labels = Markup("").join(
            _tag("text", {"x": _n(axis.centre(i)), "y": y}, names[month.month[1]])
            for i, month in enumerate(months)
        )
    return _tag("g", {"class": "ca-label", "text-anchor": "middle"}, labels)


def _year_labels(months: Sequence[_Month], axis: _XAxis) -> list[tuple[float, int]]:
    """Each year's label at its January, and the first year's at the first month: every 2nd,
    5th, 10th ... year's when a year is too narrow for its label; never overlapping, never cut."""
    every = next(
        step for step in (1, 2, 5, 10, 20, 50, 100, 1000) if step * 12 * axis.slot >= YEAR_LABEL_ROOM
    )
    labels = [
        (axis.left(i), month.month[0])
        for i, month in enumerate(months)
        if month.month[1] == 1 and month.month[0] % every == 0 and axis.left(i) + YEAR_LABEL_ROOM <= WIDTH
    ]
    if months[0].month[1] != 1 and (not labels or labels[0][0] - LEFT >= YEAR_LABEL_ROOM):
        labels.insert(0, (LEFT, months[0].month[0]))
    return labels


def _table(timeline: _Timeline, figure_id: str) -> Markup:
    """The chart's figures as text: a row for each month with events, and the totals.

    On a narrow screen the table scrolls inside a region that takes the keyboard's focus, so
    that it can be scrolled without a mouse (axe's scrollable-region-focusable).
    """
    header = Markup("").join(
        _tag("th", {"scope": "col"}, name) for name in ("Month", "Events", "Killed", "Injured")
    )
    body = Markup("").join(
        _tag("tr", {"data-month": month.key}, _cells(month.name, month.events, month.killed, month.injured))
        for month in timeline.months
        if month.events
    )
    foot = _tag("tr", {}, _cells("All months", timeline.events, timeline.killed, timeline.injured))
    caption = f"Events, killed and injured per month, {timeline.period}. Months not listed had no events."
    return Markup(
        "<details><summary>The figures as a table</summary>"
        '<div class="ca-table-scroll" role="region" tabindex="0" aria-labelledby="{id}-caption">'
        '<table><caption id="{id}-caption">{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody><tfoot>{}</tfoot></table></div></details>"
    ).format(caption, header, body, foot, id=figure_id)


def _cells(name: str, events: int, killed: Total, injured: Total) -> Markup:
    figures = (
        _tag("td", {"class": "ca-unreported"} if t.figure is None else {}, str(t)) for t in (killed, injured)
    )
    return Markup("").join((_tag("th", {"scope": "row"}, name), _tag("td", {}, f"{events:,}"), *figures))


def _nice_top(value: float) -> int:
    """The least of 2, 4, 6, 8, 10, 20, 40, ... at or above `value`: round, and so is its half."""
    magnitude = 1
    while True:
        for step in (1, 2, 4, 6, 8):
            if step * magnitude >= max(value, 2):
                return step * magnitude
        magnitude *= 10


def _axis_number(value: int) -> str:
    """`400`, `5,000`, `20k`, `3M`: short enough for the margin, exact for a scale's values."""
    if value >= 1_000_000 and value % 1_000_000 == 0:
        return f"{value // 1_000_000:,}M"
    if value >= 10_000 and value % 1_000 == 0:
        return f"{value // 1_000:,}k"
    return f"{value:,}"


def _n(value: float) -> str:
    """A coordinate to one decimal, without a trailing `.0`."""
    return f"{value:.1f}".removesuffix(".0")


def _tag(name: str, attributes: Mapping[str, object], content: str | None = None) -> Markup:
    """An element with escaped attributes (None leaves one out) and escaped text or markup;
    without content (None), an SVG element that closes itself."""
    text = "".join(f' {key}="{escape(value)}"' for key, value in attributes.items() if value is not None)
    if content is None:
        return Markup(f"<{name}{text}/>")
    return Markup(f"<{name}{text}>{escape(content)}</{name}>")
