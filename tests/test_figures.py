"""Figures and totals: ranges add end to end, and "not reported" is never zero."""

from __future__ import annotations

from conflict_archive.figures import Figure, Total


def test_exact_and_range_text() -> None:
    assert str(Figure.exact(1234)) == "1,234"
    assert str(Figure(2, 5)) == "2–5"
    assert str(Figure(2, 5, best=3)) == "2–5 (best estimate 3)"


def test_total_adds_ranges_end_to_end_and_counts_unreported() -> None:
    total = Total.of([Figure(1, 2), Figure.exact(3), None, None])
    assert total.figure == Figure(4, 5, None)
    assert (total.reported, total.unreported) == (2, 2)
    assert str(total) == "4–5 (not reported for 2 events)"


def test_total_keeps_best_only_when_every_part_has_one() -> None:
    assert Total.of([Figure(1, 3, 2), Figure.exact(4)]).figure == Figure(5, 7, 6)
    assert Total.of([Figure(1, 3, 2), Figure(1, 2)]).figure == Figure(2, 5, None)


def test_nothing_reported_is_not_zero() -> None:
    total = Total.of([None, None])
    assert total.figure is None
    assert str(total) == "not reported"
    assert str(Total.of([Figure.exact(0), None])) == "0 (not reported for 1 event)"
