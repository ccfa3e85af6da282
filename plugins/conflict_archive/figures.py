"""Casualty figures: exact counts, ranges where reports differ, and "not reported".

A figure is `low..high` with an optional best estimate; an exact count has low == best == high.
"Not reported" is the absence of a figure (`None`), never zero. Totals add ranges honestly
(low to low, high to high) and keep count of the events that reported nothing, so that a
total never pretends to know more than its parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One reported figure. Invariant: 0 <= low <= best <= high when best is known."""

    low: int
    high: int
    best: int | None = None

    @classmethod
    def exact(cls, count: int) -> Figure:
        return cls(low=count, high=count, best=count)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def __str__(self) -> str:
        if self.is_exact:
            return f"{self.low:,}"
        text = f"{self.low:,}–{self.high:,}"
        if self.best is not None:
            text += f" (best estimate {self.best:,})"
        return text


@dataclass(frozen=True)
class Total:
    """The sum of the figures of several events.

    `figure` is None when no event reported a figure; `unreported` counts the events that
    did not report one, so the reader knows the total is a floor over what was reported.
    """

    figure: Figure | None
    reported: int
    unreported: int

    @classmethod
    def of(cls, figures: Iterable[Figure | None]) -> Total:
        low = high = best = 0
        best_known = True
        reported = unreported = 0
        for figure in figures:
            if figure is None:
                unreported += 1
                continue
            reported += 1
            low += figure.low
            high += figure.high
            if figure.best is None:
                best_known = False
            else:
                best += figure.best
        if not reported:
            return cls(None, 0, unreported)
        return cls(Figure(low, high, best if best_known else None), reported, unreported)

    def __str__(self) -> str:
        if self.figure is None:
            return "not reported"
        text = str(self.figure)
        if self.unreported:
            events = "event" if self.unreported == 1 else "events"
            text += f" (not reported for {self.unreported:,} {events})"
        return text
