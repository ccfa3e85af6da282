"""JSON Schema for editors' tools: the front-matter contract, with the site's vocabulary.

`conflict-archive schema` prints it. Where a field takes a vocabulary value, the schema lists
the site's keys and aliases, so an editor that understands JSON Schema completes them as the
editor types. (The build also accepts other capitalisations of an alias; the schema, which
cannot express that, lists each as written.) Tags are open and are not listed.
"""

from __future__ import annotations

from typing import Any

from .schema import ArticleIn, TermIn
from .vocabulary import Vocabulary
from .vocabulary_files import KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# (where in the schema, which taxonomy): article-level lists, then event fields.
_VOCABULARY_FIELDS = (
    (("properties", "regions", "items"), "regions"),
    (("properties", "actors", "items"), "actors"),
    (("properties", "weapons", "items"), "weapons"),
    (("$defs", "EventIn", "properties", "region"), "regions"),
    (("$defs", "EventIn", "properties", "type"), "event-types"),
    (("$defs", "EventIn", "properties", "perpetrators", "items"), "actors"),
    (("$defs", "EventIn", "properties", "targeted", "items"), "actors"),
    (("$defs", "EventIn", "properties", "weapons", "items"), "weapons"),
)


def _labels(vocabulary: Vocabulary) -> list[str]:
    labels = {label for term in vocabulary.values() for label in (term.key, *term.aliases)}
    return sorted(labels, key=lambda label: (label.casefold(), label))


def article_schema(vocabularies: dict[str, Vocabulary] | None = None) -> dict[str, Any]:
    schema = ArticleIn.model_json_schema()
    for path, taxonomy in _VOCABULARY_FIELDS:
        if vocabularies is None or not vocabularies[taxonomy]:
            continue
        node = schema
        for part in path:
            node = node[part]
        node.clear()
        node.update({"type": "string", "enum": _labels(vocabularies[taxonomy])})
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Conflict Archive article front-matter",
        "description": "One report: its publication, sources and the events it records.",
        **schema,
    }


def vocabulary_schema(taxonomy: str) -> dict[str, Any]:
    entry = TermIn.model_json_schema()
    only_for = {"iso": {"regions"}, "coordinates": {"regions"}, "kind": set(KINDS)}
    for field, owners in only_for.items():
        if taxonomy not in owners:
            entry["properties"].pop(field)
    if taxonomy in KINDS:
        entry["properties"]["kind"] = {"enum": list(KINDS[taxonomy])}
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"Conflict Archive vocabulary: {taxonomy}",
        "type": "object",
        "propertyNames": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "additionalProperties": {"$ref": "#/$defs/TermIn"},
        "$defs": {**entry.pop("$defs", {}), "TermIn": entry},
    }
