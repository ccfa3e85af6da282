"""`conflict-archive`: validate an archive from the command line, without building it.

`conflict-archive check [PATH]` reads the plugin's options from `mkdocs.yml` (PATH may be a
site folder, an `mkdocs.yml`, or an articles folder), validates every article and vocabulary
file, prints every problem as `path:line: field: message` and exits 1 if there were any.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .archive import display_name, load_archive
from .json_schema import article_schema, vocabulary_schema
from .labels import count_of
from .model import TAXONOMIES
from .problems import ArchiveError, Problem
from .vocabulary_files import load_vocabularies

PLUGIN_NAME = "conflict-archive"


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!ENV` and `!!python/name` tags we neither need nor run."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_options(config_file: Path) -> dict[str, Any]:
    """The `conflict-archive` entry of `plugins:` in an mkdocs.yml, as a dict."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    for entry in data.get("plugins") or []:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return dict(entry[PLUGIN_NAME] or {})
    if isinstance(data.get("plugins"), dict):
        return dict(data["plugins"].get(PLUGIN_NAME) or {})
    return {}


def _locate(path: Path) -> tuple[Path, str, bool]:
    """The articles folder, how to name it in messages, and whether to use shipped vocabularies.

    Messages name files relative to the site folder, exactly as the MkDocs build does.
    """
    config_file = path if path.is_file() else path / "mkdocs.yml"
    if config_file.is_file():
        options = plugin_options(config_file)
        root = config_file.parent
        articles_dir = (root / str(options.get("articles_dir", "articles"))).resolve()
        return articles_dir, display_name(articles_dir, root), bool(options.get("shipped_vocabularies", True))
    return path, display_name(path, Path.cwd()), True


def _as_dict(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "line": problem.line, "field": problem.field, "message": problem.message}


def check(path: Path, output_format: str, strict: bool = False) -> int:
    """Validate, print every problem (and warning), and return the exit status."""
    articles_dir, display, shipped = _locate(path)
    try:
        archive = load_archive(articles_dir, display, shipped_vocabularies=shipped)
    except ArchiveError as error:
        problems, warnings, summary = error.problems, [], None
    else:
        problems, warnings = [], archive.warnings
        events = sum(len(a.events) for a in archive.articles)
        summary = {"articles": len(archive.articles), "events": events}
    failed = bool(problems) or (strict and bool(warnings))
    if output_format == "json":
        report = {
            "ok": not failed,
            **(summary or {}),
            "problems": [_as_dict(p) for p in problems],
            "warnings": [_as_dict(w) for w in warnings],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return int(failed)
    for problem in problems:
        print(problem, file=sys.stderr)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if problems:
        print(f"{count_of(len(problems), 'problem')} found", file=sys.stderr)
    elif summary is not None:
        print(
            f"{display}: {count_of(summary['articles'], 'article')}, {count_of(summary['events'], 'event')}, "
            f"no problems{', ' + count_of(len(warnings), 'warning') if warnings else ''}"
        )
    return int(failed)


def schema(path: Path, taxonomy: str | None) -> int:
    """Print the JSON Schema of articles (with the site's vocabulary) or of a vocabulary file."""
    if taxonomy is not None:
        print(json.dumps(vocabulary_schema(taxonomy), ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    articles_dir, display, shipped = _locate(path)
    vocabularies, problems = load_vocabularies(articles_dir, display, shipped=shipped)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(json.dumps(article_schema(vocabularies), ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conflict-archive", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate every article and vocabulary file")
    check_parser.add_argument(
        "path", nargs="?", type=Path, default=Path(), help="site folder, mkdocs.yml or articles folder"
    )
    check_parser.add_argument("--format", choices=("text", "json"), default="text")
    check_parser.add_argument(
        "--strict", action="store_true", help="fail on warnings too, like mkdocs --strict"
    )
    schema_parser = commands.add_parser(
        "schema", help="print the JSON Schema of front-matter or of a vocabulary"
    )
    schema_parser.add_argument(
        "path", nargs="?", type=Path, default=Path(), help="site folder, mkdocs.yml or articles folder"
    )
    schema_parser.add_argument(
        "--vocabulary", choices=TAXONOMIES, help="the schema of this vocabulary file instead"
    )
    args = parser.parse_args(argv)
    if args.command == "schema":
        return schema(args.path, args.vocabulary)
    return check(args.path, args.format, args.strict)


if __name__ == "__main__":
    sys.exit(main())
