"""Figures and totals: ranges add end to end, "at least" stays open, words never count, and
"not reported" is never zero."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conflict_archive.figures import Figure, Total


def test_exact_range_and_open_text() -> None:
    assert str(Figure.exact(1234)) == "1,234"
    assert str(Figure(2, 5)) == "2–5"
    assert str(Figure(2, 5, best=3)) == "2–5 (best estimate 3)"
    assert str(Figure(2, None)) == "at least 2"
    assert str(Figure(2, None, best=4)) == "at least 2 (best estimate 4)"
    assert str(Figure(5, 5)) == "5"


def test_the_sources_words_are_shown_beside_the_number() -> None:
    figure = Figure(1, None, as_reported="several, including a child")
    assert str(figure) == "at least 1, reported as “several, including a child”"
    assert figure.number == "at least 1"
    assert str(Figure(2, 2, 2, as_reported="two")) == "2, reported as “two”"


def test_total_adds_ranges_end_to_end_and_counts_unreported() -> None:
    total = Total.of([Figure(1, 2), Figure.exact(3), None, None])
    assert total.figure == Figure(4, 5, None)
    assert (total.reported, total.unreported) == (2, 2)
    assert str(total) == "4–5 (not reported for 2 events)"


def test_a_total_is_open_when_any_part_is_and_never_carries_words() -> None:
    total = Total.of([Figure(50, 61), Figure(2, None, as_reported="at least two"), Figure.exact(45), None])
    assert total.figure == Figure(97, None, None)
    assert str(total) == "at least 97 (not reported for 1 event)"
    assert str(Total.of([Figure(50, 61), Figure(43, 102)])) == "93–163"


def test_total_keeps_best_only_when_every_part_has_one() -> None:
    assert Total.of([Figure(1, 3, 2), Figure.exact(4)]).figure == Figure(5, 7, 6)
    assert Total.of([Figure(1, 3, 2), Figure(1, 2)]).figure == Figure(2, 5, None)
    assert Total.of([Figure(1, None, 2), Figure.exact(4)]).figure == Figure(5, None, 6)


def test_nothing_reported_is_not_zero() -> None:
    total = Total.of([None, None])
    assert total.figure is None
    assert str(total) == "not reported"
    assert str(Total.of([Figure.exact(0), None])) == "0 (not reported for 1 event)"


@st.composite
def figures(draw: st.DrawFn) -> Figure | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    low = draw(st.integers(0, 10_000))
    high = draw(st.none() | st.integers(low, low + 10_000))
    best = draw(st.none() | st.integers(low, high if high is not None else low + 10_000))
    words = draw(st.none() | st.sampled_from(["several", "dozens", "a child"]))
    return Figure(low, high, best, words)


@given(st.lists(figures(), max_size=30))
def test_a_totals_bounds_are_its_parts_bounds(parts: list[Figure | None]) -> None:
    total = Total.of(parts)
    reported = [f for f in parts if f is not None]
    assert (total.reported, total.unreported) == (len(reported), len(parts) - len(reported))
    if not reported:
        assert total.figure is None
        return
    assert total.figure is not None
    assert total.figure.low == sum(f.low for f in reported)
    assert total.figure.is_open == any(f.is_open for f in reported)
    if not total.figure.is_open:
        assert total.figure.high == sum(f.high for f in reported if f.high is not None)
    assert total.figure.as_reported is None
    assert ("at least" in str(total)) == total.figure.is_open
