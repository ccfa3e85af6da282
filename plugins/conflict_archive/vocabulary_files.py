"""Loading vocabularies: the shipped defaults, the site's `_vocabulary/*.yml`, and merging.

Where a site entry and a shipped one share a key, the site's entry replaces it; where they
share an alias, the alias is taken from the shipped entry, so the site's meaning wins.
Regions with an `iso` code are checked against pycountry (ISO 3166) and gain the official
subdivision name as an alias, so nobody hand-types what the standard already knows.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import yamldata
from .documents import DocumentError, check_conflict_markers, decode, parse_yaml
from .model import TAXONOMIES
from .places import REGION_KINDS
from .problems import Problem
from .schema import ACTOR_KINDS, TermIn, pydantic_problems
from .vocabulary import SLUG, Term, Vocabulary, normalise

VOCABULARY_DIR = "_vocabulary"
MAX_VOCABULARY_BYTES = 8 * 1024 * 1024  # a national gazetteer fits many times over
KINDS: dict[str, tuple[str, ...]] = {"regions": tuple(REGION_KINDS), "actors": ACTOR_KINDS}


def load_vocabularies(
    articles_dir: Path, display_dir: str, *, shipped: bool = True
) -> tuple[dict[str, Vocabulary], list[Problem]]:
    """Every taxonomy's vocabulary, and the problems found in the files that define them."""
    problems: list[Problem] = []
    vocabularies = {}
    for taxonomy in TAXONOMIES:
        terms = _shipped_terms(taxonomy) if shipped else {}
        site_file = articles_dir / VOCABULARY_DIR / f"{taxonomy}.yml"
        if site_file.is_file():
            display = f"{display_dir}/{VOCABULARY_DIR}/{taxonomy}.yml"
            site_terms, lines, found = _read_terms(taxonomy, site_file.read_bytes(), display)
            problems += found
            terms = _merge(terms, site_terms)
            problems += _check_hierarchy(taxonomy, terms, display, lines)
            problems += _check_aliases(site_terms, display, lines)
        if taxonomy == "regions":
            terms, found = _with_iso_names(terms, display_dir)
            problems += found
        vocabularies[taxonomy] = Vocabulary(taxonomy, terms)
    return vocabularies, problems


def vocabulary_sources(articles_dir: Path, display_dir: str, *, shipped: bool) -> list[tuple[str, str]]:
    """Every vocabulary file an archive is read with, and every term's intro, as (its name in
    a manifest, its sha256): the package's own as `conflict_archive/vocabularies/<taxonomy>.yml`,
    the site's by their path like articles'."""
    sources = []
    for taxonomy in TAXONOMIES:
        if shipped:
            raw = _shipped_file(taxonomy).read_bytes()
            sources.append((f"{__package__}/vocabularies/{taxonomy}.yml", hashlib.sha256(raw).hexdigest()))
        site_file = articles_dir / VOCABULARY_DIR / f"{taxonomy}.yml"
        if site_file.is_file():
            sha256 = hashlib.sha256(site_file.read_bytes()).hexdigest()
            sources.append((f"{display_dir}/{VOCABULARY_DIR}/{taxonomy}.yml", sha256))
        # Terms' intros (`_vocabulary/regions/kyiv.md`) are shown on their pages: sources too.
        for intro in sorted((articles_dir / VOCABULARY_DIR / taxonomy).glob("*.md")):
            sha256 = hashlib.sha256(intro.read_bytes()).hexdigest()
            sources.append((f"{display_dir}/{VOCABULARY_DIR}/{taxonomy}/{intro.name}", sha256))
    return sorted(sources)


def _shipped_file(taxonomy: str) -> Traversable:
    return resources.files(__package__).joinpath("vocabularies", f"{taxonomy}.yml")


def _shipped_terms(taxonomy: str) -> dict[str, Term]:
    raw = _shipped_file(taxonomy).read_bytes()
    terms, _, problems = _read_terms(taxonomy, raw, f"<shipped>/{taxonomy}.yml")
    if problems:  # a packaging bug, not an editor's mistake: fail loudly
        raise RuntimeError("\n".join(str(p) for p in problems))
    return terms


def _read_terms(
    taxonomy: str, raw: bytes, display: str
) -> tuple[dict[str, Term], dict[yamldata.Path, int], list[Problem]]:
    try:
        text = decode(raw, display)
        check_conflict_markers(text, display)
        data, lines = parse_yaml(text, display, 1, MAX_VOCABULARY_BYTES, "vocabulary file")
    except DocumentError as error:
        return {}, {}, [error.problem]
    if data is None:
        return {}, lines, []
    if not isinstance(data, dict):
        return {}, lines, [Problem(display, 1, "", "a vocabulary is a mapping of key: entry")]
    terms: dict[str, Term] = {}
    problems: list[Problem] = []
    for key, entry in data.items():
        line = lines.get((key,), 1)
        if not SLUG.match(key):
            problems.append(Problem(display, line, key, "keys are lowercase slugs such as 'kyiv-oblast'"))
            continue
        try:
            parsed = TermIn.model_validate(entry)
        except ValidationError as error:
            problems += pydantic_problems(error, display, lines, line, prefix=(key,), model_at=_term_model)
            continue
        problems += _check_fields(taxonomy, key, parsed, display, lines)
        terms[key] = Term(
            taxonomy=taxonomy,
            key=key,
            name=parsed.name,
            aliases=tuple(parsed.aliases),
            description=parsed.description,
            parent=parsed.parent,
            iso=parsed.iso,
            coordinates=parsed.coordinates,
            kind=parsed.kind,
            origin=f"{display}:{line}",
        )
    return terms, lines, problems


def _term_model(path: Any) -> type[TermIn]:
    return TermIn


def _check_fields(
    taxonomy: str, key: str, entry: TermIn, display: str, lines: dict[yamldata.Path, int]
) -> list[Problem]:
    def line(name: str) -> int:
        return lines.get((key, name), lines.get((key,), 1))

    misplaced = {
        "iso": taxonomy != "regions" and entry.iso is not None,
        "coordinates": taxonomy != "regions" and entry.coordinates is not None,
        "kind": taxonomy not in KINDS and entry.kind is not None,
    }
    problems = [
        Problem(display, line(name), f"{key}.{name}", f"'{name}' is not a field of {taxonomy} entries")
        for name, wrong in misplaced.items()
        if wrong
    ]
    kinds = KINDS.get(taxonomy)
    if kinds is not None and entry.kind is not None and entry.kind not in kinds:
        known = ", ".join(repr(kind) for kind in kinds)
        message = f"unknown kind {entry.kind!r}; known kinds: {known}"
        problems.append(Problem(display, line("kind"), f"{key}.kind", message))
    return problems


def _merge(shipped: dict[str, Term], site: dict[str, Term]) -> dict[str, Term]:
    site_labels = {normalise(label) for term in site.values() for label in (term.key, *term.aliases)}
    merged = {}
    for key, term in shipped.items():
        if key in site:
            continue
        kept = tuple(alias for alias in term.aliases if normalise(alias) not in site_labels)
        merged[key] = term if kept == term.aliases else replace(term, aliases=kept)
    merged.update(site)
    return merged


def _check_hierarchy(
    taxonomy: str, terms: dict[str, Term], display: str, lines: dict[yamldata.Path, int]
) -> list[Problem]:
    """Dangling parents and cycles, reported at the site entry that causes them."""
    problems = []
    for key, term in terms.items():
        if term.origin == "shipped" or not term.origin.startswith(display):
            continue
        line = lines.get((key, "parent"), lines.get((key,), 1))
        if term.parent is not None and term.parent not in terms:
            near = Vocabulary(taxonomy, terms).suggest(term.parent)
            problems.append(
                Problem(display, line, f"{key}.parent", f"no {taxonomy} entry {term.parent!r}{near}")
            )
            continue
        seen = [key]
        parent = term.parent
        while parent is not None and parent in terms:
            if parent in seen:
                cycle = " -> ".join([*seen, parent])
                problems.append(Problem(display, line, f"{key}.parent", f"parent cycle: {cycle}"))
                break
            seen.append(parent)
            parent = terms[parent].parent
    return problems


def _check_aliases(site: dict[str, Term], display: str, lines: dict[yamldata.Path, int]) -> list[Problem]:
    """Two site entries claiming the same alias would make that alias mean nothing."""
    owner: dict[str, str] = {key: key for key in site}
    problems = []
    for key, term in site.items():
        for index, alias in enumerate(term.aliases):
            label = normalise(alias)
            other = owner.setdefault(label, key)
            if other != key:
                line = lines.get((key, "aliases", index), lines.get((key,), 1))
                problems.append(
                    Problem(display, line, f"{key}.aliases", f"alias {alias!r} is already used by {other!r}")
                )
    return problems


def _with_iso_names(terms: dict[str, Term], display_dir: str) -> tuple[dict[str, Term], list[Problem]]:
    import pycountry  # noqa: PLC0415 - loaded only when regions are, it reads a large database

    taken = {normalise(label) for term in terms.values() for label in (term.key, *term.aliases)}
    problems = []
    result = {}
    for key, term in terms.items():
        if term.iso is None:
            result[key] = term
            continue
        record = (
            pycountry.countries.get(alpha_2=term.iso)
            if "-" not in term.iso
            else pycountry.subdivisions.get(code=term.iso)  # type: ignore[no-untyped-call]
        )
        if record is None:
            path, _, line = term.origin.rpartition(":")
            where = (
                (path, int(line)) if line.isdigit() else (f"{display_dir}/{VOCABULARY_DIR}/regions.yml", 1)
            )
            problems.append(
                Problem(where[0], where[1], f"{key}.iso", f"{term.iso!r} is not an ISO 3166 code")
            )
            result[key] = term
            continue
        official = str(record.name)
        if normalise(official) in taken:
            result[key] = term
        else:
            taken.add(normalise(official))
            result[key] = replace(term, aliases=(*term.aliases, official))
    return result, problems
