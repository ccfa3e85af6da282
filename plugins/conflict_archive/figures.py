"""Casualty figures as reporters state them: exact counts, ranges, "at least N", and words.

A figure is a lower bound, an upper bound when one was reported, and an optional best
estimate: an exact count has low == best == high; "at least 2" has no upper bound (`high` is
None), and nothing here ever invents one. `as_reported` keeps the source's own words
("several, including a child") beside the number; it never changes the arithmetic.
"Not reported" is the absence of a figure (`None`), never zero.

Totals add lower bounds to lower bounds; they have an upper bound only when every part has
one, and they keep count of the events that reported nothing, so that a total never
pretends to know more than its parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One reported figure. Invariant: 0 <= low <= best <= high, where best and high are known."""

    low: int
    high: int | None  # None: no upper bound was reported ("at least `low`")
    best: int | None = None
    as_reported: str | None = None

    @classmethod
    def exact(cls, count: int) -> Figure:
        return cls(low=count, high=count, best=count)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    @property
    def is_open(self) -> bool:
        return self.high is None

    @property
    def number(self) -> str:
        """The figure as a number a reader understands: `2`, `50–61`, `at least 2`."""
        if self.is_exact:
            return f"{self.low:,}"
        text = f"at least {self.low:,}" if self.high is None else f"{self.low:,}–{self.high:,}"
        if self.best is not None:
            text += f" (best estimate {self.best:,})"
        return text

    def __str__(self) -> str:
        if self.as_reported is None:
            return self.number
        return f"{self.number}, reported as “{self.as_reported}”"


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
        closed = best_known = True
        reported = unreported = 0
        for figure in figures:
            if figure is None:
                unreported += 1
                continue
            reported += 1
            low += figure.low
            if figure.high is None:
                closed = False
            else:
                high += figure.high
            if figure.best is None:
                best_known = False
            else:
                best += figure.best
        if not reported:
            return cls(None, 0, unreported)
        total = Figure(low, high if closed else None, best if best_known else None)
        return cls(total, reported, unreported)

    def __str__(self) -> str:
        if self.figure is None:
            return "not reported"
        text = str(self.figure)
        if self.unreported:
            events = "event" if self.unreported == 1 else "events"
            text += f" (not reported for {self.unreported:,} {events})"
        return text
