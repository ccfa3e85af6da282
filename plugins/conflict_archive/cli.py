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

from .archive import load_archive
from .problems import ArchiveError

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
        articles_dir = str(options.get("articles_dir", "articles"))
        return (
            config_file.parent / articles_dir,
            articles_dir,
            bool(options.get("shipped_vocabularies", True)),
        )
    return path, path.as_posix(), True


def check(path: Path, output_format: str) -> int:
    articles_dir, display, shipped = _locate(path)
    try:
        archive = load_archive(articles_dir, display, shipped_vocabularies=shipped)
    except ArchiveError as error:
        if output_format == "json":
            problems = [
                {"path": p.path, "line": p.line, "field": p.field, "message": p.message}
                for p in error.problems
            ]
            print(json.dumps({"ok": False, "problems": problems}, ensure_ascii=False, indent=2))
        else:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            count = len(error.problems)
            print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    events = sum(len(a.events) for a in archive.articles)
    if output_format == "json":
        print(json.dumps({"ok": True, "articles": len(archive.articles), "events": events, "problems": []}))
    else:
        print(f"{display}: {len(archive.articles)} articles, {events} events, no problems")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conflict-archive", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate every article and vocabulary file")
    check_parser.add_argument(
        "path", nargs="?", type=Path, default=Path(), help="site folder, mkdocs.yml or articles folder"
    )
    check_parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    return check(args.path, args.format)


if __name__ == "__main__":
    sys.exit(main())
