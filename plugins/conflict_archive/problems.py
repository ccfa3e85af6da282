"""Problems found in an archive, located as `path:line: field: message`.

Every error an editor can cause is reported through `Problem` so that the checker, the
build and the tests print exactly the same text, and so that all problems of a run can be
collected and shown together instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. Ordered by file, then line, for stable reports."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{field} {self.message}"


class ArchiveError(Exception):
    """Raised when an archive cannot be built; carries every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
