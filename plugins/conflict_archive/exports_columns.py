"""What the export files hold, and the Data Package that says so.

Every column of events.csv, event_actors.csv and sources.csv, with its Table Schema type and
what it means: one list per file drives both the header the exporter writes (`exports.py`)
and the schema `datapackage.json` declares, so the two cannot drift apart. Types are Table
Schema's (Frictionless Data v1): `string`, `integer`, `number`, `boolean` (`true`/`false`)
and `date` (ISO 8601).

`data_package` describes the files `Exports.files` makes, with the size and SHA-256 of the
exact bytes, so that `frictionless validate datapackage.json` checks every file against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .places import PRECISIONS

ROLES = ("perpetrator", "targeted")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean or date
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def schema_field(self) -> dict[str, Any]:
        """The column as a Table Schema field descriptor."""
        field: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "boolean":  # only our spelling, so a stray "yes" is an error, not True
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            field["constraints"] = constraints
        return field


def _figure_columns(what: str, *, with_words: bool) -> tuple[Column, ...]:
    columns = (
        Column(
            f"{what}_reported",
            "boolean",
            f"Whether any figure of people {what} was reported; when false the figure columns after "
            "it are empty (not reported is not zero).",
            required=True,
        ),
        Column(f"{what}_low", "integer", f"Lowest number of people {what} reported.", minimum=0),
        Column(
            f"{what}_best",
            "integer",
            f"Best estimate of people {what}: the count itself for an exact figure; empty for a range "
            "without a stated best estimate.",
            minimum=0,
        ),
        Column(
            f"{what}_high",
            "integer",
            f"Highest number of people {what} reported; empty for an open figure ('at least N').",
            minimum=0,
        ),
    )
    if not with_words:
        return columns
    words = Column(f"{what}_as_reported", "string", f"The source's own words for the number {what}.")
    return (*columns, words)


EVENT_FIELDS: tuple[Column, ...] = (
    Column("event_id", "string", "The event's id, unique in the archive.", required=True),
    Column(
        "article_path",
        "string",
        "The reporting article's file, relative to the articles folder.",
        required=True,
    ),
    Column(
        "article_url",
        "string",
        "The reporting article's address; the event's summary box is at #event-<event_id> on it.",
    ),
    Column("date_start", "date", "First day the event may have happened on.", required=True),
    Column("date_end", "date", "Last day the event may have happened on.", required=True),
    Column("date_precision", "string", "How precisely the date is known: day, week or month."),
    Column("event_type", "string", "Event type key (ACLED's sub-event types).", required=True),
    Column("event_type_name", "string", "Event type name."),
    Column("parent_type_name", "string", "Name of the event type's parent (ACLED's event type)."),
    Column("region", "string", "Key of the place the event is filed under.", required=True),
    Column("region_name", "string", "Name of that place."),
    Column(
        "admin1_name",
        "string",
        "Name of the first-level administrative division the place is in (oblast, autonomous "
        "republic, city with special status, ...), or the place itself if it is one.",
    ),
    Column("country_iso", "string", "ISO 3166-1 alpha-2 code of the country the place is in."),
    Column("location", "string", "The location in the editor's words."),
    Column("latitude", "number", "WGS 84 latitude, decimal degrees.", minimum=-90, maximum=90),
    Column("longitude", "number", "WGS 84 longitude, decimal degrees.", minimum=-180, maximum=180),
    Column(
        "location_precision",
        "string",
        "How precisely the place is known, finest first: " + ", ".join(PRECISIONS) + ".",
        enum=PRECISIONS,
    ),
    Column("perpetrators", "string", "Names of the perpetrating actors, joined with '; '."),
    Column("targeted", "string", "Names of the targeted actors, joined with '; '."),
    Column("weapons", "string", "Names of the weapons used, joined with '; '."),
    *_figure_columns("killed", with_words=True),
    *_figure_columns("injured", with_words=True),
    Column("damage", "string", "Damage reported, joined with '; '."),
    Column(
        "source_count", "integer", "Number of distinct sources the event cites.", required=True, minimum=0
    ),
    Column("source_urls", "string", "Addresses of the sources it cites, joined with '; '."),
    Column("notes", "string", "The editor's notes."),
    Column("last_changed", "date", "When the reporting article last changed.", required=True),
)
EVENT_COLUMNS = tuple(column.name for column in EVENT_FIELDS)

EVENT_ACTOR_FIELDS: tuple[Column, ...] = (
    Column("event_id", "string", "The event's id (events.csv).", required=True),
    Column("article_path", "string", "The reporting article's file.", required=True),
    Column("date_start", "date", "First day the event may have happened on.", required=True),
    Column("date_end", "date", "Last day the event may have happened on.", required=True),
    Column("role", "string", "The actor's part in the event.", required=True, enum=ROLES),
    Column("actor", "string", "Actor key.", required=True),
    Column("actor_name", "string", "Actor name."),
    Column("actor_kind", "string", "What sort of actor (state forces, civilians, ...)."),
    Column("parent_actor_name", "string", "Name of the actor's parent (e.g. the armed forces of a branch)."),
    Column("event_type", "string", "Event type key.", required=True),
    Column("region", "string", "Key of the place the event is filed under.", required=True),
    Column("country_iso", "string", "ISO 3166-1 alpha-2 code of the country the place is in."),
    *_figure_columns("killed", with_words=False),
    *_figure_columns("injured", with_words=False),
)
EVENT_ACTOR_COLUMNS = tuple(column.name for column in EVENT_ACTOR_FIELDS)

SOURCE_FIELDS: tuple[Column, ...] = (
    Column("article_path", "string", "The article that lists the source.", required=True),
    Column("article_url", "string", "That article's address; the source is at #source-N."),
    Column("source_number", "integer", "Its 1-based place in the article's list.", required=True, minimum=1),
    Column("title", "string", "The source's title.", required=True),
    Column("url", "string", "Its address."),
    Column("publisher", "string", "Who published it."),
    Column("published", "date", "When it was published."),
    Column("archived_url", "string", "Address of an archived copy."),
    Column("sha256", "string", "SHA-256 of the archived copy."),
    Column("cited_by", "string", "Ids of the events that cite it, joined with '; '."),
)
SOURCE_COLUMNS = tuple(column.name for column in SOURCE_FIELDS)

RETRACTION_FIELDS: tuple[Column, ...] = (
    Column("article_path", "string", "The withdrawn article's file in the articles folder.", required=True),
    Column("article_url", "string", "Its address, where a notice says when and why it was withdrawn."),
    Column("title", "string", "Its title.", required=True),
    Column("published", "date", "When it was first published.", required=True),
    Column("retracted", "date", "When it was withdrawn.", required=True),
    Column("reason", "string", "Why, in the editors' words.", required=True),
    Column("event_ids", "string", "Ids of the events it reported, joined with '; ': in no other file."),
)
RETRACTION_COLUMNS = tuple(column.name for column in RETRACTION_FIELDS)


class PackageLicence(Protocol):
    """What the data package says of the data's licence: `name` an SPDX id (`CC-BY-4.0`),
    `path` the address of its text (`publication.Licence` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def path(self) -> str: ...


# ---- The data package --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resource:
    name: str
    title: str
    format: str
    mediatype: str
    fields: tuple[Column, ...] = ()
    primary_key: tuple[str, ...] = ()
    event_foreign_key: bool = False  # its event_id refers to events.csv


_RESOURCES = {
    "events.csv": _Resource("events", "Events", "csv", "text/csv", EVENT_FIELDS, ("event_id",)),
    "event_actors.csv": _Resource(
        "event-actors",
        "Actors of each event, one row per event, actor and role (figures repeat per actor)",
        "csv",
        "text/csv",
        EVENT_ACTOR_FIELDS,
        ("event_id", "role", "actor"),
        event_foreign_key=True,
    ),
    "sources.csv": _Resource(
        "sources",
        "Sources listed by each article",
        "csv",
        "text/csv",
        SOURCE_FIELDS,
        ("article_path", "source_number"),
    ),
    "retractions.csv": _Resource(
        "retractions",
        "Withdrawn articles, left out of every other file",
        "csv",
        "text/csv",
        RETRACTION_FIELDS,
        ("article_path",),
    ),
    "events.geojson": _Resource(
        "events-geojson", "Events as GeoJSON points", "geojson", "application/geo+json"
    ),
    "events.jsonl": _Resource(
        "events-jsonl", "Events as nested JSON, one per line", "jsonl", "application/jsonl"
    ),
}


FILE_NAMES = tuple(_RESOURCES)  # the archive-wide files, in the order the package lists them


def _resource(path: str, facts: FileFacts, resource: _Resource, *, with_events: bool) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": resource.name,
        "path": path,
        "title": resource.title,
        "format": resource.format,
        "mediatype": resource.mediatype,
        "encoding": "utf-8",
        "bytes": facts.size,
        "hash": "sha256:" + facts.sha256,
    }
    if not resource.fields:
        descriptor["profile"] = "data-resource"
        # Frictionless reads JSON Lines as a table of its own; these files are described, not tabulated.
        descriptor["type"] = "file"
        return descriptor
    schema: dict[str, Any] = {
        "fields": [column.schema_field() for column in resource.fields],
        "missingValues": [""],
        "primaryKey": list(resource.primary_key),
    }
    if resource.event_foreign_key and with_events:
        reference = {"resource": "events", "fields": ["event_id"]}
        schema["foreignKeys"] = [{"fields": ["event_id"], "reference": reference}]
    descriptor["profile"] = "tabular-data-resource"
    descriptor["dialect"] = {
        "delimiter": ",",
        "lineTerminator": "\r\n",
        "quoteChar": '"',
        "doubleQuote": True,
        "header": True,
    }
    descriptor["schema"] = schema
    return descriptor


def _rfc3339(moment: str | dt.date) -> str:
    if isinstance(moment, str):
        return moment
    if not isinstance(moment, dt.datetime):
        return f"{moment.isoformat()}T00:00:00Z"
    if moment.tzinfo is None:
        raise ValueError(f"created needs a time zone, got {moment.isoformat()}")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FileFacts:
    """What the package says of a file: its size and SHA-256, so that the file itself need
    not be held while the others are made."""

    size: int
    sha256: str

    @classmethod
    def of(cls, content: bytes) -> FileFacts:
        return cls(len(content), hashlib.sha256(content).hexdigest())


def data_package(
    files: Mapping[str, bytes | FileFacts],
    *,
    name: str,
    title: str,
    version: str,
    created: str | dt.date,
    licence: PackageLicence | None,
    description: str | None = None,
    snapshot: Mapping[str, object] | None = None,
) -> bytes:
    """`datapackage.json` for these files (by name, as `Exports.files` gives them), which sit
    beside it. `created` comes from the content (`ArchiveSite.newest`), never the clock: a
    date is midnight UTC, a string is taken as an RFC 3339 date-time. `name` is lowercase,
    `-._/` and digits, as the spec requires."""
    unknown = sorted(set(files) - set(_RESOURCES))
    if unknown:
        raise ValueError(f"no description for {', '.join(unknown)}; known files: {', '.join(_RESOURCES)}")
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": name,
        "title": title,
        "version": version,
        "created": _rfc3339(created),
    }
    if description is not None:
        package["description"] = description
    if snapshot is not None:  # not a Frictionless property: the archive's own, as the spec allows
        package["snapshot"] = dict(snapshot)
    if licence is not None:
        package["licenses"] = [{"name": licence.name, "title": licence.title, "path": licence.path}]
    with_events = "events.csv" in files
    facts = {path: f if isinstance(f, FileFacts) else FileFacts.of(f) for path, f in files.items()}
    package["resources"] = [
        _resource(path, facts[path], resource, with_events=with_events)
        for path, resource in _RESOURCES.items()
        if path in files
    ]
    return (json.dumps(package, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
