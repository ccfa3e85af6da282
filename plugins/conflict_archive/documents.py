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
from .yamldata import Path

_HANDLER = YAMLHandler()


@dataclass(frozen=True)
class Document:
    data: dict[str, Any]
    lines: dict[Path, int]
    body: str
    body_line: int


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


def read_document(raw: bytes, display_path: str) -> Document:
    text = decode(raw, display_path)
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
    try:
        data, lines = yamldata.load(front, first_line=first_line)
    except yamldata.YamlDataError as error:
        field = ".".join(str(p) for p in error.path)
        raise DocumentError(Problem(display_path, error.line, field, error.message)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(Problem(display_path, 2, "", "front-matter must be a mapping of field: value"))
    consumed = text[: len(text) - len(content)]
    body_line = consumed.count("\n") + 1
    if content.startswith("\n"):
        content, body_line = content[1:], body_line + 1
    return Document(data=data, lines=lines, body=content, body_line=body_line)
