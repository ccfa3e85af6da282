"""Strict YAML for editor-written data: plain values, no coercion, every value located.

PyYAML's default resolver implements YAML 1.1, where `NO` is False, `012` is octal and
`1:20` is sexagesimal; it keeps the last of duplicate keys and expands aliases. An archive
must not reinterpret what an editor typed, so we compose the node graph ourselves and
convert it with YAML 1.2 core-schema rules:

- plain `true`/`false` are booleans, `null`/`~`/empty is None;
- plain decimal integers without leading zeros are ints, plain decimals are floats;
- everything else, dates included, stays a string (the schema parses dates strictly);
- quoted scalars are always strings;
- anchors, aliases, explicit tags, duplicate keys and non-string keys are errors.

Each value's line is recorded against its path (`("events", 0, "killed")`) so that a later
validation error can point at the exact line.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Tags the resolver assigns to plain scalars and collections; any other tag was written by hand.
_IMPLICIT_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "value", "merge")
}


class YamlDataError(Exception):
    """A YAML problem at a 1-based line, with the path of the value when known."""

    def __init__(self, line: int, path: Path, message: str) -> None:
        self.line = line
        self.path = path
        self.message = message
        super().__init__(f"line {line}: {message}")


MAX_DEPTH = 32  # front-matter is a few levels deep; thousands of brackets are an attack


class _LineCounter:
    """1-based lines of marks, counting only `\n`.

    PyYAML also breaks lines at `\r`, U+0085, U+2028 and U+2029, which editors and git do not
    show as line breaks; counting `\n` ourselves keeps reported lines equal to the file's. When
    the text has none of those (nearly always), PyYAML's own line count is the same and free.
    """

    _OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.plain = not any(b in text for b in self._OTHER_BREAKS)
        self._newlines: list[int] | None = None

    def at(self, index: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return self.first_line + bisect.bisect_left(self._newlines, index)

    def of(self, mark: Any) -> int:  # yaml.Mark, or libyaml's own mark type
        return self.first_line + mark.line if self.plain else self.at(mark.index)


# libyaml when PyYAML has it (its wheels do): an order of magnitude faster than pure Python.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_DEFAULT_TAGS = {
    ScalarNode: "tag:yaml.org,2002:str",
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}


def _resolve_nothing(self: object, kind: type, value: object, implicit: object) -> str:
    return _DEFAULT_TAGS[kind]


@functools.cache
def _composer(loader: type) -> type:
    """`loader` without PyYAML's YAML 1.1 resolver, whose regular expressions ran for every
    scalar: `_scalar` applies the YAML 1.2 core rules itself. Only untagged nodes are
    resolved, so a tag written by hand still shows as one."""
    return type(f"Composing{loader.__name__}", (loader,), {"resolve": _resolve_nothing})


def _refuse_unsafe_events(text: str, counter: _LineCounter) -> set[int]:
    """Walk the event stream before composing anything: refuse anchors, aliases and deep
    nesting as they come (nothing is expanded yet), and note where explicit tags are, so that
    converting can refuse them with the field's name. Returns the tagged nodes' start indexes."""
    tagged: set[int] = set()
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = counter.of(event.start_mark) if event.start_mark else 0
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
            raise YamlDataError(line, (), "YAML anchors and aliases (&, *) are not allowed")
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlDataError(line, (), f"values are nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and event.start_mark is not None:
            tagged.add(event.start_mark.index)
    return tagged


def load(text: str, first_line: int = 1) -> tuple[Any, dict[Path, int]]:
    """Parse one YAML document. Returns the data and a map from value path to 1-based line.

    `first_line` is the line in the enclosing file where `text` starts, so that lines in
    front-matter are reported as lines of the Markdown file.
    """
    counter = _LineCounter(text, first_line)
    try:
        # Anchors need `&`, aliases `*`, tags `!`: without them the event pass has nothing to
        # find, except deep nesting, which only pure-Python PyYAML (recursive) cannot compose.
        unsafe_possible = _Loader is yaml.SafeLoader or any(c in text for c in "&*!")
        tagged = _refuse_unsafe_events(text, counter) if unsafe_possible else set()
        node = yaml.compose(text, Loader=_composer(_Loader))
    except yaml.reader.ReaderError as error:
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        message = f"control character {character} is not allowed; delete it"
        raise YamlDataError(counter.at(error.position), (), message) from None
    except yaml.MarkedYAMLError as error:
        problem = error.problem or "invalid YAML"
        mark = error.problem_mark or error.context_mark
        # An error found at the end of the text ("…but found <stream end>") is about something
        # left open; where that began helps more.
        if error.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = error.context_mark
        line = counter.of(mark) if mark else first_line
        context = f"{error.context}: " if error.context else ""
        raise YamlDataError(line, (), f"invalid YAML: {context}{problem}") from None
    except yaml.YAMLError as error:
        raise YamlDataError(first_line, (), f"invalid YAML: {error}") from None
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    return _Converter(counter, tagged, lines, tags_possible="!" in text).convert(node, ()), lines


class _Converter:
    """Builds plain Python values from composed nodes, recording each value's line.

    This runs for every value of every article, so it does no more than it must: tags are
    looked for only when the text has a `!`, without which YAML has no way to write one."""

    def __init__(
        self, counter: _LineCounter, tagged: set[int], lines: dict[Path, int], *, tags_possible: bool = True
    ) -> None:
        self.counter = counter
        self.tagged = tagged
        self.lines = lines
        self.tags_possible = tags_possible

    def convert(self, node: Node, path: Path) -> Any:
        line = self.counter.of(node.start_mark)
        if len(path) > MAX_DEPTH:
            raise YamlDataError(line, (), f"values are nested more than {MAX_DEPTH} levels deep")
        if path not in self.lines:
            self.lines[path] = line
        if self.tags_possible and (node.start_mark.index in self.tagged or node.tag not in _IMPLICIT_TAGS):
            message = f"YAML tags such as {node.tag!r} are not allowed; write the plain value"
            raise YamlDataError(line, path, message)
        if isinstance(node, ScalarNode):  # most values are
            return _scalar(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        assert isinstance(node, SequenceNode)
        return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = self.counter.of(key_node.start_mark)
            key = _scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                raise YamlDataError(key_line, path, "keys must be names, not numbers, lists or mappings")
            if key in result:
                raise YamlDataError(key_line, (*path, key), f"duplicate key {key!r}")
            value_path = (*path, key)
            self.lines[value_path] = key_line
            result[key] = self.convert(value_node, value_path)
        return result


_NUMBER_START = frozenset("0123456789+-.")


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if node.style:  # quoted or block scalar: always text (plain is None, or '' from libyaml)
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if value[:1] in _NUMBER_START:  # most values are words: skip the number patterns
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


def field_path(path: Path) -> str:
    """`("events", 0, "killed")` -> `events[0].killed`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def line_of(lines: dict[Path, int], path: Path, default: int) -> int:
    """The line of `path`, or of its nearest enclosing value that has one."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return default
