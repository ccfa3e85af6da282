"""The front-matter contract, as pydantic models: types, ranges, required and unknown fields.

These models check shape only; vocabulary keys are resolved afterwards (`articles.py`),
because whether `kharkiv` is a region depends on the site's vocabulary, not on the schema.
`pydantic_errors` turns pydantic's errors into located `Problem`s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from .figures import Figure
from .model import article_slug
from .places import PRECISIONS
from .problems import Problem
from .yamldata import Path, field_path, line_of

_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    # A YAML escape ("\x01") lets one in; no reader shows it, and XML (the feeds) cannot hold it.
    control = next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), None)
    if control is not None:
        raise ValueError(f"must not contain the control character U+{ord(control):04X}")
    return value.strip()


def _http_url(value: str) -> str:
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in {"http", "https"} or not rest or any(c.isspace() for c in value):
        raise ValueError(f"must be an http:// or https:// address, got {value!r}")
    return value


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date (YYYY-MM-DD), not a date-time")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"must be an ISO 8601 date (YYYY-MM-DD), got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def _date_or_datetime(value: Any) -> dt.date | dt.datetime:
    """A publication date: `2025-10-22`, or a date-time with its UTC offset."""
    if isinstance(value, str) and len(value) > 10:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
        if moment.tzinfo is None:
            raise ValueError(f"{value!r} needs a UTC offset, e.g. {value}+00:00")
        return moment
    return _iso_date(value)


_FIGURE_KEYS = ("low", "best", "high", "as_reported")
MAX_AS_REPORTED = 200


def _figure(value: Any) -> Figure:
    """A whole number; or {low, best, high, as_reported} with only `low` required."""
    if isinstance(value, str) and any(c.isalpha() for c in value):
        raise ValueError(
            f"expected a number, got the words {value!r}; keep them with the smallest number "
            f"they can mean, e.g. {{low: 2, as_reported: {value!r}}}"
        )
    if isinstance(value, bool) or not isinstance(value, int | dict):
        raise ValueError(f"must be a whole number or {{low, best, high}}, got {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"must not be negative, got {value}")
        return Figure.exact(value)
    unknown = sorted(set(value) - set(_FIGURE_KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} in a figure; use low, best, high and as_reported")
    if "low" not in value and "as_reported" in value:
        raise ValueError(
            f"words alone need a lower bound: add low, the smallest number "
            f"{value['as_reported']!r} can mean (the conservative reading)"
        )
    if "low" not in value:
        raise ValueError("a figure needs low, the smallest number reported; write {low: N} for 'at least N'")
    for name in ("low", "best", "high"):
        part = value.get(name)
        if name != "low" and part is None:
            continue
        if isinstance(part, bool) or not isinstance(part, int) or part < 0:
            raise ValueError(f"{name} must be a whole number of at least 0, got {part!r}")
    low, best, high = value["low"], value.get("best"), value.get("high")
    if high is not None and low > high:
        raise ValueError(f"low ({low}) is greater than high ({high})")
    if best is not None and best < low:
        raise ValueError(f"best ({best}) is below low ({low})")
    if best is not None and high is not None and best > high:
        raise ValueError(f"best ({best}) is above high ({high})")
    return Figure(low=low, high=high, best=best, as_reported=_as_reported(value.get("as_reported")))


def _as_reported(words: Any) -> str | None:
    if words is None:
        return None
    if isinstance(words, int | float) and not isinstance(words, bool):
        raise ValueError(
            f"as_reported holds the source's words, got the number {words!r}; "
            "the number belongs in low, best or high"
        )
    if not isinstance(words, str) or not words.strip():
        raise ValueError(f"as_reported must be the source's words as text, got {words!r}")
    text = " ".join(words.split())
    if len(text) > MAX_AS_REPORTED:
        raise ValueError(
            f"as_reported is {len(text)} characters; keep it to the source's short wording "
            f"(at most {MAX_AS_REPORTED}) and put the rest in notes"
        )
    return text


def _check_sha256(value: str) -> str:
    if not _SHA256.match(value.lower()):
        raise ValueError("must be 64 hexadecimal characters")
    return value.lower()


def _check_event_id(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
        raise ValueError("must be letters, digits, '.', '_' or '-', starting with a letter or digit")
    return value


def _article_alias(value: str) -> str:
    """An earlier article path, relative to the articles folder: `2025/10/old-name`."""
    path = article_slug(value.strip().strip("/"))
    parts = path.split("/")
    if not path or any(p in {"", ".", ".."} or not re.fullmatch(r"[\w.-]+", p) for p in parts):
        raise ValueError(f"{value!r} is not an article path such as 2025/10/old-name")
    return path


# WithJsonSchema: what `conflict-archive schema` publishes for editors' tools, which cannot
# run these validators; it states the same rules in JSON Schema terms.
_COUNT = {"type": "integer", "minimum": 0}
_FIGURE_SCHEMA = {
    "description": "A whole number; or {low}, {low, high} or {low, best, high} when reports "
    "differ or give only a lower bound ('at least N'), with the source's words in as_reported. "
    "Leave it out when it was not reported: that is not 0.",
    "oneOf": [
        _COUNT,
        {
            "type": "object",
            "properties": {
                "low": _COUNT,
                "best": _COUNT,
                "high": _COUNT,
                "as_reported": {"type": "string", "pattern": "\\S", "maxLength": MAX_AS_REPORTED},
            },
            "required": ["low"],
            "additionalProperties": False,
        },
    ],
}
Text = Annotated[StrictStr, AfterValidator(_text), WithJsonSchema({"type": "string", "pattern": "\\S"})]
Url = Annotated[
    StrictStr,
    AfterValidator(_http_url),
    WithJsonSchema({"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$"}),
]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
DateOrDateTime = Annotated[
    dt.date | dt.datetime,
    BeforeValidator(_date_or_datetime),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
    ),
]
FigureField = Annotated[Figure, BeforeValidator(_figure), WithJsonSchema(_FIGURE_SCHEMA)]
Latitude = Annotated[float, Field(ge=-90, le=90, strict=True)]  # strict: no "30.5" or true
Longitude = Annotated[float, Field(ge=-180, le=180, strict=True)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class SourceIn(_Model):
    title: Text
    publisher: Text | None = None
    url: Url | None = None
    published: Date | None = None
    archived_url: Url | None = None
    sha256: (
        Annotated[
            StrictStr,
            AfterValidator(_check_sha256),
            WithJsonSchema({"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}),
        ]
        | None
    ) = None


def _source_kind(value: Any) -> str:
    return "inline" if isinstance(value, dict | SourceIn) else "number"


# An event cites a source by its 1-based number in the article's list, or inline.
SourceRef = Annotated[
    Annotated[StrictInt, Field(ge=1), Tag("number")] | Annotated[SourceIn, Tag("inline")],
    Discriminator(_source_kind),
]
_UNION_TAGS = {"number", "inline"}


EventId = Annotated[
    StrictStr,
    AfterValidator(_check_event_id),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"}),
]


class EventIn(_Model):
    id: EventId | None = None
    # Ids this event was published under before (its anchor, in citations and links), kept
    # as anchors so that those links still land on it.
    previous_ids: list[EventId] = []
    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    date_precision: Literal["day", "week", "month"] = "day"
    type: Text
    region: Text
    location: Text | None = None
    coordinates: tuple[Latitude, Longitude] | None = None
    location_precision: Literal[PRECISIONS] | None = None  # type: ignore[valid-type]
    perpetrators: list[Text] = []
    targeted: list[Text] = []
    weapons: list[Text] = []
    killed: FigureField | None = None
    injured: FigureField | None = None
    damage: list[Text] = []
    notes: Text | None = None
    sources: list[SourceRef] = []

    @model_validator(mode="after")
    def _dates(self) -> EventIn:
        # The order of start and end is checked with the vocabulary values (articles.py),
        # where it can be located at `end` and reported beside other problems.
        if self.date is not None and (self.start is not None or self.end is not None):
            raise ValueError("give either date, or start and end, not both")
        if self.date is None and self.start is None:
            raise ValueError("date: required (or start and end)")
        return self


class CorrectionIn(_Model):
    date: Date
    note: Text


class RetractionIn(_Model):
    """A withdrawn article: published as a notice of when and why, at the same address."""

    date: Date
    reason: Text


class ArticleIn(_Model):
    title: Text
    date: DateOrDateTime
    updated: DateOrDateTime | None = None
    summary: Text | None = None
    authors: list[Text] = []
    language: Annotated[StrictStr, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None
    regions: list[Text] = []
    actors: list[Text] = []
    weapons: list[Text] = []
    tags: list[Text] = []
    sources: list[SourceIn] = []
    events: list[EventIn] = []
    corrections: list[CorrectionIn] = []
    retracted: RetractionIn | None = None
    aliases: list[
        Annotated[StrictStr, AfterValidator(_article_alias), WithJsonSchema({"type": "string"})]
    ] = []


class ArticleHeadIn(ArticleIn):
    """The article without its events, which are validated one by one (articles.py)."""

    events: list[Any] = []


ACTOR_KINDS = (
    "state forces",
    "non-state armed group",
    "civilians",
    "government",
    "international organisation",
    "other",
)


class TermIn(_Model):
    """One vocabulary entry. `iso` and `coordinates` are for regions; `kind` is for regions
    (what sort of place: `places.REGION_KINDS`) and actors (`ACTOR_KINDS`), checked with the
    taxonomy (vocabulary_files.py)."""

    name: Text
    aliases: list[Text] = []
    description: Text | None = None
    parent: Text | None = None
    iso: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")] | None = None
    coordinates: tuple[Latitude, Longitude] | None = None
    kind: Text | None = None


# Which model a path leads to, for "did you mean" on unknown fields.
def _model_at(path: Path) -> type[BaseModel] | None:
    names = tuple(p for p in path if isinstance(p, str))
    models: dict[tuple[str, ...], type[BaseModel]] = {
        (): ArticleIn,
        ("events",): EventIn,
        ("sources",): SourceIn,
        ("events", "sources"): SourceIn,
        ("corrections",): CorrectionIn,
        ("retracted",): RetractionIn,
    }
    return models.get(names)


def pydantic_problems(
    error: ValidationError,
    display_path: str,
    lines: dict[Path, int],
    default_line: int,
    prefix: Path = (),
    model_at: Any = _model_at,
) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = _editor_path((*prefix, *item["loc"]))
        message = _message(item, loc, model_at)
        problems.append(Problem(display_path, line_of(lines, loc, default_line), field_path(loc), message))
    return problems


def _editor_path(loc: tuple[Any, ...]) -> Path:
    """The path as the editor wrote it: pydantic puts the tagged union's member tag right
    after the index in `events[i].sources[j]`, which is not a key in the file."""
    path: list[str | int] = []
    for part in loc:
        after_source_index = len(path) >= 2 and path[-2] == "sources" and isinstance(path[-1], int)
        if part in _UNION_TAGS and after_source_index and "events" in path:
            continue
        path.append(part)
    return tuple(path)


def _message(item: Any, loc: Path, model_at: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden" and loc:
        model = model_at(loc[:-1])
        known = sorted(model.model_fields) if model else []
        near = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else f"; known fields: {', '.join(known)}"
        return f"unknown field{hint}"
    message = str(item["msg"])
    message = message.removeprefix("Value error, ")
    if (
        kind == "string_type"
        and isinstance(item["input"], int | float)
        and not isinstance(item["input"], bool)
    ):
        if loc and isinstance(loc[-1], int):  # usually `[a, 60,000 tonnes]`: a comma ends the item
            return f"expected text, got the number {item['input']!r}; quote text that contains commas"
        return f"expected text, got the number {item['input']!r}; put it in quotes if it is text"
    if kind in {
        "string_type",
        "int_type",
        "float_type",
        "list_type",
        "dict_type",
        "model_type",
        "tuple_type",
    }:
        message += f", got {item['input']!r}"
    return message[:1].lower() + message[1:]
