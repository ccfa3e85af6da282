"""Turning one article file into a validated `Article`, or the problems that prevent it.

Shape is checked by the schema; this module resolves vocabulary values (key or alias) to
keys, numbers the sources, derives event ids and coordinates, and works out which terms the
article belongs to. Every problem is located at the line of the offending value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .documents import DocumentError, read_document
from .model import Article, Correction, Event, Retraction, Source, article_slug
from .places import NEEDS_COORDINATES, REGION_KINDS, derived_precision, is_coarser
from .problems import Problem
from .schema import ArticleHeadIn, EventIn, SourceIn, pydantic_problems
from .vocabulary import UnknownTerm, Vocabulary, slugify
from .yamldata import Path, field_path, line_of


class _Resolver:
    """Resolves values for one file, collecting problems instead of stopping at the first."""

    def __init__(self, vocabularies: dict[str, Vocabulary], display: str, lines: dict[Path, int]) -> None:
        self.vocabularies = vocabularies
        self.display = display
        self.lines = lines
        self.problems: list[Problem] = []
        self.tag_spellings: dict[str, list[str]] = {}

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.display, line_of(self.lines, path, 1), field_path(path), message))

    def one(self, taxonomy: str, value: str, path: Path) -> str | None:
        vocabulary = self.vocabularies[taxonomy]
        try:
            if not vocabulary.is_open:
                return vocabulary.resolve(value)
            key = vocabulary.find(value)  # open taxonomy: no suggestions needed, so none computed
        except UnknownTerm as error:
            self.problem(path, str(error))
            return None
        if key is not None:
            return key
        key = slugify(value)
        if not key:
            self.problem(path, f"{value!r} has no letters or digits to make a tag from")
            return None
        self.tag_spellings.setdefault(key, []).append(" ".join(value.split()))
        return key

    def many(self, taxonomy: str, values: Sequence[str], path: Path) -> tuple[str, ...]:
        keys = (self.one(taxonomy, value, (*path, i)) for i, value in enumerate(values))
        return _unique(key for key in keys if key is not None)


def _unique(keys: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))  # type: ignore[call-overload]


def _generated_event_id(slug: str, index: int) -> str:
    """`2025/10/kyiv strike` -> `2025-10-kyiv-strike-e1`: readable, and a valid HTML id. The rare
    paths that meet (`a/b-c`, `a-b/c`) are reported as duplicate ids, asking for an explicit id."""
    return "-".join(slugify(part) or "_" for part in slug.split("/")) + f"-e{index + 1}"


def _aliases(data: dict[str, Any]) -> list[str]:
    """The article's earlier paths, as slugs, where they are well formed."""
    aliases = _strings(data.get("aliases"))
    return [article_slug(alias.strip().strip("/")) for alias in aliases]


def _strings(value: Any) -> list[str]:
    """A list of text from raw front-matter, or nothing if the schema will reject its shape."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return []


@dataclass(frozen=True)
class ArticleFile:
    """One article's source: its path in the articles folder, how messages name it, its bytes."""

    path: str
    display: str
    raw: bytes


@dataclass(frozen=True)
class ArticleReading:
    """What reading one file gives: the article (None if it has problems), its problems, and
    the spellings of the free-form tags it used (free tags are named by their most used one)."""

    article: Article | None
    problems: list[Problem] = field(default_factory=list)
    tag_spellings: dict[str, list[str]] = field(default_factory=dict)


def read_articles(files: Sequence[ArticleFile], vocabularies: dict[str, Vocabulary]) -> list[ArticleReading]:
    """Every file read in turn: how `load_archive` reads unless it is given another way."""
    return [load_article(file, vocabularies) for file in files]


def load_article(file: ArticleFile, vocabularies: dict[str, Vocabulary]) -> ArticleReading:
    """The article, its problems, and the spellings of free-form tags it used (for naming).

    The article's own fields and each event are validated separately, and vocabulary values
    are resolved wherever their shape is right, so one mistake does not hide the others.
    """
    path, display, raw = file.path, file.display, file.raw
    try:
        document = read_document(raw, display)
    except DocumentError as error:
        return ArticleReading(None, [error.problem])
    data, lines = document.data, document.lines
    problems: list[Problem] = []
    try:
        head: ArticleHeadIn | None = ArticleHeadIn.model_validate(data)
    except ValidationError as error:
        head = None
        problems += pydantic_problems(error, display, lines, 1)
    resolve = _Resolver(vocabularies, display, lines)
    sources = tuple(_source(i + 1, s) for i, s in enumerate(head.sources)) if head else ()
    raw_sources = data.get("sources")
    source_count = len(raw_sources) if isinstance(raw_sources, list) else 0
    slug = article_slug(path)
    events: list[Event] = []
    raw_events = data.get("events")
    for index, raw_event in enumerate(raw_events if isinstance(raw_events, list) else []):
        try:
            parsed = EventIn.model_validate(raw_event)
        except ValidationError as error:
            problems += pydantic_problems(error, display, lines, 1, prefix=("events", index))
            continue
        events.append(_event(resolve, path, slug, index, parsed, sources, source_count, _aliases(data)))
    own_terms = {
        taxonomy: resolve.many(taxonomy, _strings(data.get(taxonomy)), (taxonomy,))
        for taxonomy in ("regions", "actors", "weapons", "tags")
    }
    if head is not None and head.retracted is not None:
        published = head.date.date() if isinstance(head.date, dt.datetime) else head.date
        if head.retracted.date < published:
            message = f"the retraction ({head.retracted.date}) is dated before the article ({published})"
            resolve.problem(("retracted", "date"), message)
    problems += resolve.problems
    if problems or head is None:
        return ArticleReading(None, problems)
    article = Article(
        path=path,
        display_path=display,
        title=head.title,
        published=head.date,
        body=document.body,
        body_line=document.body_line,
        sha256=hashlib.sha256(raw).hexdigest(),
        front_matter_sha256=hashlib.sha256(document.front_matter.encode("utf-8")).hexdigest(),
        updated=head.updated,
        summary=head.summary,
        authors=tuple(head.authors),
        language=head.language,
        regions=own_terms["regions"],
        actors=own_terms["actors"],
        weapons=own_terms["weapons"],
        tags=own_terms["tags"],
        sources=sources,
        events=tuple(events),
        corrections=tuple(Correction(c.date, c.note) for c in head.corrections),
        retracted=None if head.retracted is None else Retraction(head.retracted.date, head.retracted.reason),
        aliases=tuple(head.aliases),
        alias_lines=tuple(line_of(lines, ("aliases", i), 1) for i in range(len(head.aliases))),
    )
    article.terms.update(_terms(article))
    # Every build sorts by these: worked out once here, so that kept readings carry them.
    _ = article.published_moment, article.last_changed, [e.newest_first_key for e in article.events]
    return ArticleReading(article, [], resolve.tag_spellings)


def _source(number: int, source: SourceIn) -> Source:
    return Source(
        number=number,
        title=source.title,
        url=source.url,
        publisher=source.publisher,
        published=source.published,
        archived_url=source.archived_url,
        sha256=source.sha256,
    )


def _event(
    resolve: _Resolver,
    path: str,
    slug: str,
    index: int,
    event: EventIn,
    sources: tuple[Source, ...],
    source_count: int,
    aliases: Sequence[str],
) -> Event:
    at: Path = ("events", index)
    region = resolve.one("regions", event.region, (*at, "region")) or ""
    start = event.date or event.start
    assert start is not None  # the schema requires date or start
    end = event.date or event.end or start
    if end < start:
        resolve.problem((*at, "end"), f"end ({end}) is before start ({start})")
    cited = []
    for i, ref in enumerate(event.sources):
        if isinstance(ref, SourceIn):
            cited.append(_source(0, ref))
        elif ref > source_count:
            resolve.problem(
                (*at, "sources", i), f"source {ref} does not exist; the article lists {source_count}"
            )
        elif ref <= len(sources):
            cited.append(sources[ref - 1])
    coordinates = event.coordinates
    if coordinates is None and region:
        coordinates = resolve.vocabularies["regions"].coordinates(region)
    precision = _location_precision(resolve, at, event, region)
    return Event(
        id=event.id or _generated_event_id(slug, index),
        id_given=event.id is not None,
        article_path=path,
        position=index,
        line=line_of(resolve.lines, at, 1),
        id_line=line_of(resolve.lines, (*at, "id"), 1),
        date_line=line_of(resolve.lines, (*at, "date" if event.date else "start"), 1),
        start=start,
        end=end,
        date_precision=event.date_precision,
        type=resolve.one("event-types", event.type, (*at, "type")) or "",
        region=region,
        location=event.location,
        coordinates=coordinates,
        coordinates_from_region=event.coordinates is None,
        location_precision=precision,
        perpetrators=resolve.many("actors", event.perpetrators, (*at, "perpetrators")),
        targeted=resolve.many("actors", event.targeted, (*at, "targeted")),
        weapons=resolve.many("weapons", event.weapons, (*at, "weapons")),
        killed=event.killed,
        injured=event.injured,
        damage=tuple(event.damage),
        notes=event.notes,
        sources=tuple(cited),
        previous_ids=_previous_ids(event, index, aliases),
    )


def _previous_ids(event: EventIn, index: int, aliases: Sequence[str]) -> tuple[str, ...]:
    """The ids the event had before: those the editor lists and, for an id made from the
    path, the ids made from the article's earlier paths, so that moving an article keeps
    every link to its events without a word from the editor."""
    derived = [] if event.id is not None else [_generated_event_id(alias, index) for alias in aliases]
    return tuple(dict.fromkeys([*event.previous_ids, *derived]))


def _location_precision(resolve: _Resolver, at: Path, event: EventIn, region: str) -> str | None:
    """The precision the editor stated, checked against the data; else the one that follows."""
    kind = resolve.vocabularies["regions"][region].kind if region else None
    stated: str | None = event.location_precision
    if stated is None:
        return derived_precision(event.coordinates is not None, kind)
    where = (*at, "location_precision")
    if stated in NEEDS_COORDINATES and event.coordinates is None:
        resolve.problem(
            where,
            f"{stated!r} describes the event's own coordinates, and it has none; add coordinates, "
            "or leave location_precision out to use its region's",
        )
    regional = REGION_KINDS.get(kind) if kind is not None else None
    if regional is not None and is_coarser(stated, regional):
        name = resolve.vocabularies["regions"][region].name
        resolve.problem(
            where,
            f"{stated!r} is vaguer than the event's region {name!r} (a {kind}); "
            "place the event in the region it is known to",
        )
    return stated


def _terms(article: Article) -> dict[str, tuple[str, ...]]:
    """The terms an article belongs to: its own, then those of its events (events first for
    regions, so that the main region is where the first event happened)."""
    events = article.events
    return {
        "regions": _unique([*(e.region for e in events), *article.regions]),
        "actors": _unique([*article.actors, *(a for e in events for a in (*e.perpetrators, *e.targeted))]),
        "event-types": _unique(e.type for e in events),
        "weapons": _unique([*article.weapons, *(w for e in events for w in e.weapons)]),
        "tags": article.tags,
    }
