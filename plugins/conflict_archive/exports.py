"""The archive's data exports: its events, who took part in them and its sources, as files.

Every file is UTF-8 without a byte-order mark, lists things in the archive's order (events
oldest first, `Event.sort_key`; articles by publication) and is byte-identical for identical
archives: nothing depends on the clock or on the order things were read or asked for in.

- `events.csv`: one row per event, `EVENT_COLUMNS` (exports_columns.py says what each holds).
  Keys where a program joins or filters (`event_type`, `region`) and names where a reader
  reads (`*_name`; `perpetrators`, `targeted`, `weapons` are names): event_actors.csv has
  each actor's key beside its name.
- `event_actors.csv`: one row per event, actor and role (perpetrator or targeted), ACLED's
  "monadic" shape, with the event's figures repeated on each row, as events.csv has them.
  Summing a figure over this file counts an event once per actor: sum events.csv instead.
  An event that names no actor has no row.
- `retractions.csv`: one row per withdrawn article (`retracted:`), with the ids of the events
  it reported: the only file that names them. Every other file leaves withdrawn articles out.
- `sources.csv`: one row per source an article lists, numbered as the article numbers them
  (`#source-N` on its page), with the ids of the events citing it. A source given inline in
  one event has no number and no row here; events.csv counts and links it (`source_count`,
  `source_urls`) and events.jsonl has it in full.
- `events.geojson`: an RFC 7946 FeatureCollection, one Point feature per event (`[lon, lat]`;
  `geometry: null` without coordinates), `id` the event id, `properties` the columns of
  events.csv typed (numbers, booleans, null for missing, lists for the `; `-joined columns,
  text without the formula guard) plus `event_url`. One feature per line, so snapshots diff.
- `events.jsonl`: one JSON object per line per event, nested (figures as objects or null,
  actors and weapons as `{key, name}` lists, sources as objects, the article as an object),
  the shape to diff between snapshots.
- `datapackage.json` (`data_package`): a Frictionless Data Package (v1) describing the other
  files, with each file's size and SHA-256, so `frictionless validate` checks them all.

CSV is RFC 4180 as Python's `csv` module writes it: comma-separated, `"`-quoted where needed,
every record ended by `\\r\\n` (a line break inside quoted notes stays as written). An empty cell
is a missing value; booleans are `true`/`false`; dates ISO 8601; numbers plain decimals. Figures
follow figures.py: not reported is `*_reported` false with empty numbers, never 0; an open
figure ("at least N") has an empty `*_high`; an exact count fills low, best and high.
A text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
or a carriage return) is written with a leading `'` (OWASP's advice on CSV injection); numeric
cells never are, so a longitude of -0.12 stays a number. The JSON files carry text as written.
JSON files end lines with `\\n`, sort their keys and keep non-ASCII characters as they are.

Term pages ask for subsets of events.csv and events.geojson (`events_csv(events)`): each event's
line and feature are made once per `Exports` and joined for every subset they are in.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from .archive import Archive
from .exports_columns import (
    EVENT_ACTOR_COLUMNS,
    EVENT_COLUMNS,
    FILE_NAMES,
    RETRACTION_COLUMNS,
    SOURCE_COLUMNS,
    PackageLicence,
    data_package,
)
from .figures import Figure
from .model import Article, Event, Source
from .vocabulary import Term, Vocabulary

__all__ = [
    "EVENT_ACTOR_COLUMNS",
    "EVENT_COLUMNS",
    "FILE_NAMES",
    "SOURCE_COLUMNS",
    "Exports",
    "PackageLicence",
    "data_package",  # in exports_columns.py, with the columns it declares
]

MULTI_VALUE_SEPARATOR = "; "  # ACLED's
# A term page's GeoJSON puts its events on a map: where, when, what and the figures, with the
# link to each; the other columns are in its CSV and in events.geojson. A country's subset is
# most of the archive, and a feature repeats every property's name.
MAP_PROPERTIES = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type_name",
    "region_name",
    "location",
    "location_precision",
    "killed_reported",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_reported",
    "injured_low",
    "injured_best",
    "injured_high",
)

# First-level administrative divisions among the gazetteer's kinds (places.REGION_KINDS); a
# raion is second-level, so an event there takes its oblast.
ADMIN1_KINDS = frozenset(
    {"oblast", "autonomous republic", "city with special status", "province", "state", "governorate"}
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A cell as JSON has it: dates are ISO strings already, multi-values lists. One row feeds both
# the event's CSV line and its GeoJSON properties.
Value = str | int | float | bool | list[str] | None
Row = dict[str, Value]
ArticleUrl = Callable[[Article], str]


# ---- Cells -------------------------------------------------------------------------------------


def _defused(text: str) -> str:
    """Text a spreadsheet shows as text, not runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain_decimal(number: float) -> str:
    """`30.5234`, `-0.12`, `0.00001`: the shortest form that reads back as the same float, never
    in exponent notation, which not every CSV reader takes for a number."""
    return format(Decimal(repr(number)), "f")


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _plain_decimal(value)
    if isinstance(value, list):
        return _defused(MULTI_VALUE_SEPARATOR.join(value))
    return _defused(value)


# One encoder for every line (it keeps no state between calls): `json.dumps` with options makes
# a new one each time, which shows over tens of thousands of events.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _json(value: object) -> str:
    return _JSON.encode(value)


class _LastLine:
    """A file for `csv.writer` that keeps what was written last: one record."""

    text = ""

    def write(self, text: str) -> int:
        self.text = text
        return len(text)


def _csv_lines(columns: Sequence[str], rows: Iterable[Row]) -> Iterable[bytes]:
    """Each row as one encoded CSV record, in the columns' order."""
    sink = _LastLine()
    writer = csv.writer(sink, lineterminator="\r\n")
    for row in rows:
        values = [row[name] for name in columns]
        # Most cells are harmless text, taken as they are without a call: this runs for a
        # hundred thousand rows of twenty and more cells.
        cells = [
            v if v.__class__ is str and not v.startswith(FORMULA_STARTS) else _csv_cell(v) for v in values
        ]
        writer.writerow(cells)
        yield sink.text.encode("utf-8")


def _csv_header(columns: Sequence[str]) -> bytes:
    return ",".join(columns).encode("utf-8") + b"\r\n"  # names are plain words: nothing to quote


# ---- Figures and vocabulary facts ------------------------------------------------------------


def _best(figure: Figure) -> int | None:
    """An exact count is its own best estimate (low <= best <= high leaves no other value)."""
    return figure.low if figure.best is None and figure.is_exact else figure.best


def _figure_values(what: str, figure: Figure | None, *, with_words: bool) -> Row:
    values: Row = {
        f"{what}_reported": figure is not None,
        f"{what}_low": None if figure is None else figure.low,
        f"{what}_best": None if figure is None else _best(figure),
        f"{what}_high": None if figure is None else figure.high,
    }
    if with_words:
        values[f"{what}_as_reported"] = None if figure is None else figure.as_reported
    return values


def _figure_object(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {"low": figure.low, "best": _best(figure), "high": figure.high, "as_reported": figure.as_reported}


@dataclass(frozen=True)
class _Place:
    name: str
    admin1_name: str | None
    country_iso: str | None


def _is_country(term: Term) -> bool:
    # A site's own places may leave `kind` out; an ISO code without a subdivision part
    # (`UA`, not `UA-30`) is still a country's.
    return term.iso is not None and (term.kind == "country" or (term.kind is None and "-" not in term.iso))


def _place(regions: Vocabulary, key: str) -> _Place:
    lineage = [regions[k] for k in (key, *regions.ancestors(key))]  # nearest first
    admin1 = next((term.name for term in lineage if term.kind in ADMIN1_KINDS), None)
    iso = next((term.iso for term in lineage if _is_country(term)), None)
    return _Place(lineage[0].name, admin1, iso)


def _parent_name(vocabulary: Vocabulary, key: str) -> str | None:
    parent = vocabulary[key].parent
    return vocabulary[parent].name if parent is not None and parent in vocabulary else None


def _names(vocabulary: Vocabulary, keys: Sequence[str]) -> list[str]:
    return [vocabulary[key].name for key in keys]


def _cited(event: Event) -> tuple[Source, ...]:
    """The sources an event cites, each once: `sources: [1, 1]` is one source."""
    return tuple(dict.fromkeys(event.sources))


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


# ---- The exporter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _EventLines:
    """Each event's encodings, in the archive's order of events."""

    csv: list[bytes]
    map_features: list[bytes]


class Exports:
    """The export files of one archive. `article_url` gives an article's address (absolute
    when the site has a `site_url`); an event's is that address with `#` and its id."""

    def __init__(self, archive: Archive, article_url: ArticleUrl) -> None:
        self._vocabularies = archive.vocabularies
        self._articles = archive.articles
        self._article_by_path = archive.by_path
        self._events = archive.events
        self._position = {event.id: index for index, event in enumerate(self._events)}
        self._retracted = archive.retracted
        self._urls = {a.path: article_url(a) for a in (*archive.articles, *archive.retracted)}
        regions = archive.vocabularies["regions"]
        self._places = {key: _place(regions, key) for key in sorted({e.region for e in self._events})}

    # -- The files --

    def files(self) -> dict[str, bytes]:
        """The archive-wide files by name (`FILE_NAMES`); `data_package` describes them."""
        return dict(self.each_file())

    def each_file(self) -> Iterator[tuple[str, bytes]]:
        """The archive-wide files one at a time, so that a writer holds one of them at once."""
        yield "events.csv", self.events_csv()
        yield "event_actors.csv", self.event_actors_csv()
        yield "sources.csv", self.sources_csv()
        yield "retractions.csv", self.retractions_csv()
        yield "events.geojson", self.events_geojson()
        yield "events.jsonl", self.events_jsonl()

    def events_csv(self, events: Iterable[Event] | None = None) -> bytes:
        """All events, or these (a term page's), in the archive's order, each once."""
        lines = self._lines.csv
        return b"".join([_csv_header(EVENT_COLUMNS), *(lines[i] for i in self._positions(events))])

    def events_geojson(self, events: Iterable[Event] | None = None) -> bytes:
        """All events, or these, as a FeatureCollection, one feature per line."""
        return self._collection([self._full_feature(self._events[i]) for i in self._positions(events)])

    def map_geojson(self, events: Iterable[Event]) -> bytes:
        """These events (a term's) as a FeatureCollection for a map: `MAP_PROPERTIES` only."""
        return self._collection([self._lines.map_features[i] for i in self._positions(events)])

    @staticmethod
    def _collection(features: list[bytes]) -> bytes:
        if not features:
            return b'{"features":[],"type":"FeatureCollection"}\n'
        # The collection's opening and end go on the first and last feature, so the whole is
        # copied once: a country's subset is most of the archive.
        features[0] = b'{"features":[\n' + features[0]
        features[-1] += b'\n],"type":"FeatureCollection"}\n'
        return b",\n".join(features)

    def events_jsonl(self) -> bytes:
        """All events, one nested object per line."""
        return b"".join(
            [(_json(self._event_object(e, self._event_row(e))) + "\n").encode() for e in self._events]
        )

    def event_actors_csv(self) -> bytes:
        rows = (row for event in self._events for row in self._actor_rows(event))
        return b"".join([_csv_header(EVENT_ACTOR_COLUMNS), *_csv_lines(EVENT_ACTOR_COLUMNS, rows)])

    def sources_csv(self) -> bytes:
        rows = (row for article in self._articles for row in self._source_rows(article))
        return b"".join([_csv_header(SOURCE_COLUMNS), *_csv_lines(SOURCE_COLUMNS, rows)])

    def retractions_csv(self) -> bytes:
        """The withdrawn articles, oldest withdrawal first: a header alone when there are none."""
        rows: list[Row] = []
        for article in self._retracted:
            assert article.retracted is not None  # what makes it one of these
            rows.append(
                {
                    "article_path": article.path,
                    "article_url": self._urls[article.path],
                    "title": article.title,
                    "published": article.published_date.isoformat(),
                    "retracted": article.retracted.date.isoformat(),
                    "reason": article.retracted.reason,
                    "event_ids": [event.id for event in article.events],
                }
            )
        rows.sort(key=lambda row: (row["retracted"], row["article_path"]))
        return b"".join([_csv_header(RETRACTION_COLUMNS), *_csv_lines(RETRACTION_COLUMNS, rows)])

    def event_url(self, event: Event) -> str:
        return f"{self._urls[event.article_path]}#event-{event.id}"  # the summary box's id

    def _positions(self, events: Iterable[Event] | None) -> Iterable[int]:
        """Where these events are in the archive's order, each once, in that order."""
        if events is None:
            return range(len(self._events))
        position = self._position
        return sorted({position[event.id] for event in events})

    # -- Made once per event, joined for every file and subset it is in. Lists in the archive's
    # order of events, so that a subset is a sorted list of positions. --

    @cached_property
    def _lines(self) -> _EventLines:
        """Every event's CSV line and map feature, which term files join again and again, made
        in one pass, each event's row let go as soon as they are made. What only the
        archive-wide files show (the full feature, the JSON line) is made when they are."""
        lines = _EventLines([], [])

        def rows() -> Iterator[Row]:
            for event in self._events:
                row = self._event_row(event)
                lines.map_features.append(
                    self._feature(event, {name: row[name] for name in MAP_PROPERTIES}).encode("utf-8")
                )
                yield row

        lines.csv.extend(_csv_lines(EVENT_COLUMNS, rows()))
        return lines

    def _full_feature(self, event: Event) -> bytes:
        return self._feature(event, self._event_row(event)).encode("utf-8")

    # -- Rows and objects --

    def _event_row(self, event: Event) -> Row:
        vocabularies = self._vocabularies
        article = self._article_by_path[event.article_path]
        place = self._places[event.region]
        latitude, longitude = event.coordinates if event.coordinates is not None else (None, None)
        return {
            "event_id": event.id,
            "article_path": article.path,
            "article_url": self._urls[article.path],
            "date_start": event.start.isoformat(),
            "date_end": event.end.isoformat(),
            "date_precision": event.date_precision,
            "event_type": event.type,
            "event_type_name": vocabularies["event-types"][event.type].name,
            "parent_type_name": _parent_name(vocabularies["event-types"], event.type),
            "region": event.region,
            "region_name": place.name,
            "admin1_name": place.admin1_name,
            "country_iso": place.country_iso,
            "location": event.location,
            "latitude": latitude,
            "longitude": longitude,
            "location_precision": event.location_precision,
            "perpetrators": _names(vocabularies["actors"], event.perpetrators),
            "targeted": _names(vocabularies["actors"], event.targeted),
            "weapons": _names(vocabularies["weapons"], event.weapons),
            **_figure_values("killed", event.killed, with_words=True),
            **_figure_values("injured", event.injured, with_words=True),
            "damage": list(event.damage),
            "source_count": len(_cited(event)),
            "source_urls": [source.url for source in _cited(event) if source.url is not None],
            "notes": event.notes,
            "last_changed": article.last_changed.isoformat(),
        }

    def _feature(self, event: Event, row: Row) -> str:
        properties = {**row, "event_url": self.event_url(event)}
        geometry = None
        if event.coordinates is not None:
            latitude, longitude = event.coordinates
            geometry = {"type": "Point", "coordinates": [longitude, latitude]}  # RFC 7946: lon first
        return _json({"type": "Feature", "id": event.id, "geometry": geometry, "properties": properties})

    def _event_object(self, event: Event, row: Row) -> dict[str, Any]:
        """The nested record of events.jsonl: everything events.csv has, unflattened."""
        article = self._article_by_path[event.article_path]
        actors, weapons = self._vocabularies["actors"], self._vocabularies["weapons"]
        coordinates = None
        if event.coordinates is not None:
            coordinates = {"latitude": event.coordinates[0], "longitude": event.coordinates[1]}
        return {
            "id": event.id,
            "url": self.event_url(event),
            "article": {
                "path": article.path,
                "url": self._urls[article.path],
                "title": article.title,
                "last_changed": article.last_changed.isoformat(),
            },
            **{name: row[name] for name in ("date_start", "date_end", "date_precision")},
            **{name: row[name] for name in ("event_type", "event_type_name", "parent_type_name")},
            **{name: row[name] for name in ("region", "region_name", "admin1_name", "country_iso")},
            "location": event.location,
            "coordinates": coordinates,
            "coordinates_from_region": event.coordinates_from_region,
            "location_precision": event.location_precision,
            "perpetrators": [{"key": k, "name": actors[k].name} for k in event.perpetrators],
            "targeted": [{"key": k, "name": actors[k].name} for k in event.targeted],
            "weapons": [{"key": k, "name": weapons[k].name} for k in event.weapons],
            "killed": _figure_object(event.killed),
            "injured": _figure_object(event.injured),
            "damage": list(event.damage),
            "notes": event.notes,
            "sources": [_source_object(source) for source in _cited(event)],
        }

    def _actor_rows(self, event: Event) -> Iterable[Row]:
        actors = self._vocabularies["actors"]
        figures = {
            **_figure_values("killed", event.killed, with_words=False),
            **_figure_values("injured", event.injured, with_words=False),
        }
        for role, keys in (("perpetrator", event.perpetrators), ("targeted", event.targeted)):
            for key in keys:
                yield {
                    "event_id": event.id,
                    "article_path": event.article_path,
                    "date_start": event.start.isoformat(),
                    "date_end": event.end.isoformat(),
                    "role": role,
                    "actor": key,
                    "actor_name": actors[key].name,
                    "actor_kind": actors[key].kind,
                    "parent_actor_name": _parent_name(actors, key),
                    "event_type": event.type,
                    "region": event.region,
                    "country_iso": self._places[event.region].country_iso,
                    **figures,
                }

    def _source_rows(self, article: Article) -> Iterable[Row]:
        cited_by: dict[int, list[str]] = {}
        for event in article.events:
            for source in _cited(event):
                cited_by.setdefault(source.number, []).append(event.id)
        for source in article.sources:
            yield {
                "article_path": article.path,
                "article_url": self._urls[article.path],
                **_source_object(source),
                "source_number": source.number,
                "cited_by": cited_by.get(source.number, []),
            }


def _source_object(source: Source) -> dict[str, Any]:
    return {
        "number": source.number or None,  # 0: given inline in the event, not in the article's list
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published": _iso(source.published),
        "archived_url": source.archived_url,
        "sha256": source.sha256,
    }
