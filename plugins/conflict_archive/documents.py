"""Reading one editor-written file into front-matter data and body, or a located problem.

python-frontmatter finds the `---` fences; the YAML between them goes through the strict
`yamldata` loader so that every value keeps its line in the Markdown file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from . import yamldata
from .problems import Problem
from .yamldata import Path, field_path

_HANDLER = YAMLHandler()
# Front-matter records facts about events; anything near this size is a mistake or an attack,
# and refusing it before parsing keeps time and memory flat.
MAX_FRONT_MATTER_BYTES = 256 * 1024
_CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")  # with a branch name; alone on a line is checked too


@dataclass(frozen=True)
class Document:
    data: dict[str, Any]
    lines: dict[Path, int]
    body: str
    body_line: int
    front_matter: str  # the text before the body, fences included


class DocumentError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def decode(raw: bytes, display_path: str) -> str:
    """UTF-8 text without a byte-order mark; other encodings are reported, not guessed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise DocumentError(
            Problem(display_path, line, "", f"not valid UTF-8 (byte 0x{byte}); save the file as UTF-8")
        ) from None
    return text.replace("\r\n", "\n")


def _conflict_marker_line(text: str) -> int | None:
    """The first line left by an unresolved git merge, if any."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.startswith(_CONFLICT_MARKERS) or line.rstrip("\n") in {"<<<<<<<", ">>>>>>>"}:
            return number
    return None


def parse_yaml(
    text: str, display_path: str, first_line: int, max_bytes: int, what: str
) -> tuple[Any, dict[Path, int]]:
    """Strict YAML with the checks every editor-written YAML gets: size, tabs, then syntax."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise DocumentError(
            Problem(
                display_path,
                first_line,
                "",
                f"{what} is {size // 1024:,} KB; the limit is {max_bytes // 1024:,} KB",
            )
        )
    if "\t" in text:
        line = first_line + text[: text.index("\t")].count("\n")
        raise DocumentError(Problem(display_path, line, "", f"tab character in {what}; indent with spaces"))
    try:
        return yamldata.load(text, first_line=first_line)
    except yamldata.YamlDataError as error:
        raise DocumentError(
            Problem(display_path, error.line, field_path(error.path), error.message)
        ) from None


def check_conflict_markers(text: str, display_path: str) -> None:
    marker = _conflict_marker_line(text)
    if marker is not None:
        raise DocumentError(
            Problem(display_path, marker, "", "unresolved merge-conflict marker; resolve the conflict in git")
        )


def read_document(raw: bytes, display_path: str) -> Document:
    text = decode(raw, display_path)
    if not text.strip():
        raise DocumentError(Problem(display_path, 1, "", "the file is empty; an article needs front-matter"))
    check_conflict_markers(text, display_path)
    if not _HANDLER.detect(text):
        raise DocumentError(
            Problem(display_path, 1, "", "no front-matter: an article starts with a line '---'")
        )
    try:
        front, content = _HANDLER.split(text)
    except ValueError:
        raise DocumentError(
            Problem(display_path, 1, "", "front-matter is not closed: add a line '---' after it")
        ) from None
    # The fence pattern's trailing `\s*` may swallow newlines; count them to keep lines exact.
    opening = _HANDLER.FM_BOUNDARY.match(text) if _HANDLER.FM_BOUNDARY else None
    first_line = 1 + (opening.group(0).count("\n") if opening else 0)
    data, lines = parse_yaml(front, display_path, first_line, MAX_FRONT_MATTER_BYTES, "front-matter")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(Problem(display_path, 2, "", "front-matter must be a mapping of field: value"))
    consumed = text[: len(text) - len(content)]
    body_line = consumed.count("\n") + 1
    if content.startswith("\n"):
        content, body_line = content[1:], body_line + 1
    return Document(data=data, lines=lines, body=content, body_line=body_line, front_matter=consumed)
