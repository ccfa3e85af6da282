"""Vocabularies: the controlled terms of each taxonomy, their aliases and hierarchy.

A taxonomy (regions, actors, event-types, weapons, tags) is a flat mapping from key to
entry; hierarchy is expressed with `parent`. Front-matter may use a key or an alias; aliases
match case-insensitively and ignoring surrounding and non-breaking spaces. Tags are open:
a tag that is not in the vocabulary becomes a term of its own, keyed by its slug.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
OPEN_TAXONOMIES = frozenset({"tags"})


def normalise(text: str) -> str:
    """Fold case, Unicode form and whitespace (non-breaking included) so `Gaza ` == `gaza`."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()).casefold()


def slugify(text: str) -> str:
    """`Energy infrastructure` -> `energy-infrastructure`; letters of any script are kept."""
    words = re.findall(r"\w+", normalise(text).replace("_", " "))
    return "-".join(words)


@dataclass(frozen=True)
class Term:
    """One entry of a taxonomy. `origin` is where it was defined (`shipped` or `path:line`)."""

    taxonomy: str
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    parent: str | None = None
    iso: str | None = None
    coordinates: tuple[float, float] | None = None
    kind: str | None = None
    origin: str = "shipped"

    def __repr__(self) -> str:
        return f"Term({self.taxonomy}/{self.key})"


class UnknownTerm(LookupError):
    """A front-matter value that names no term, or more than one."""


class AmbiguousTerm(UnknownTerm):
    """A value that is an alias of more than one term: never guessed, even for open taxonomies."""


class Vocabulary(Mapping[str, Term]):
    """The terms of one taxonomy, with lookup by key or alias and hierarchy queries."""

    def __init__(self, taxonomy: str, terms: Mapping[str, Term]) -> None:
        self.taxonomy = taxonomy
        self._terms = dict(sorted(terms.items()))
        self._lookup: dict[str, set[str]] = {}
        for term in self._terms.values():
            for label in (term.key, *term.aliases):
                self._lookup.setdefault(normalise(label), set()).add(term.key)
        # A key always means itself, even if some other entry also lists it as an alias.
        for key in self._terms:
            self._lookup[key] = {key}

    def __getitem__(self, key: str) -> Term:
        return self._terms[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    @property
    def is_open(self) -> bool:
        return self.taxonomy in OPEN_TAXONOMIES

    def find(self, value: str) -> str | None:
        """The key that `value` names, or None. Raises AmbiguousTerm for a shared alias."""
        keys = self._lookup.get(normalise(value))
        if keys and len(keys) > 1:
            names = ", ".join(sorted(keys))
            raise AmbiguousTerm(f"{value!r} is ambiguous: it is an alias of {names}")
        return next(iter(keys)) if keys else None

    def resolve(self, value: str) -> str:
        """The key that `value` names. Raises UnknownTerm with the nearest keys."""
        key = self.find(value)
        if key is None:
            raise UnknownTerm(f"unknown {self.taxonomy} value {value!r}{self.suggest(value)}")
        return key

    def suggest(self, value: str) -> str:
        matches = difflib.get_close_matches(normalise(value), list(self._lookup), n=6, cutoff=0.6)
        keys: list[str] = []
        for match in matches:
            for key in sorted(self._lookup[match]):
                if key not in keys:
                    keys.append(key)
        if not keys:
            return ""
        return "; nearest known keys: " + ", ".join(keys[:3])

    def ancestors(self, key: str) -> tuple[str, ...]:
        """Parent, grandparent, ... (nearest first). Cycles are rejected when loading."""
        return self._ancestors.get(key, ())

    def children(self, key: str) -> tuple[str, ...]:
        return self._children.get(key, ())

    def roots(self) -> tuple[str, ...]:
        return tuple(key for key, term in self._terms.items() if term.parent is None)

    def coordinates(self, key: str) -> tuple[float, float] | None:
        """The region's own coordinates, or its nearest ancestor's."""
        origin = self.coordinates_from(key)
        return None if origin is None else self._terms[origin].coordinates

    def coordinates_from(self, key: str) -> str | None:
        """The region whose coordinates `coordinates(key)` gives: itself or an ancestor."""
        for candidate in (key, *self.ancestors(key)):
            if self._terms[candidate].coordinates is not None:
                return candidate
        return None

    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for key in self._terms:
            chain: list[str] = []
            parent = self._terms[key].parent
            while parent is not None and parent in self._terms and parent not in chain and parent != key:
                chain.append(parent)
                parent = self._terms[parent].parent
            result[key] = tuple(chain)
        return result

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        result: dict[str, list[str]] = {}
        for key, term in self._terms.items():
            if term.parent is not None:
                result.setdefault(term.parent, []).append(key)
        return {key: tuple(sorted(value)) for key, value in result.items()}

    def with_terms(self, extra: Mapping[str, Term]) -> Vocabulary:
        """A copy with more terms (used to add the open taxonomy's free-form tags)."""
        return Vocabulary(self.taxonomy, {**self._terms, **extra})
