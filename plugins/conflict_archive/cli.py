"""`conflict-archive`: validate an archive without building it; check or bag a built site.

`conflict-archive check [PATH]` reads the plugin's options from `mkdocs.yml` (PATH may be a
site folder, an `mkdocs.yml`, or an articles folder), validates every article and vocabulary
file, prints every problem as `path:line: field: message` and exits 1 if there were any.

`conflict-archive verify SITE_DIR [--sources ARTICLES_DIR]` checks a copy of a built site (and
of its articles) against the site's `manifest.json`, offline; `conflict-archive bag SITE_DIR
OUT` writes a verified site as a BagIt bag. Both exit 1 when the copy differs from its
manifest and 2 when the manifest or the output folder cannot be used.

`conflict-archive release VERSION [SITE_DIR]` records what a built site publishes in
`<articles>/_snapshots/VERSION.json`, so that later builds keep every URL and event id of the
release resolving; it exits 2, writing nothing, when the release cannot be recorded.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .archive import display_name, load_archive
from .execution.workers import usable_cpus
from .integrity import (
    Finding,
    IntegrityError,
    SiteDamaged,
    listed_files,
    listed_sources,
    make_bag,
    read_manifest,
    verify_site,
    verify_sources,
)
from .json_schema import article_schema, vocabulary_schema
from .labels import count_of
from .model import TAXONOMIES
from .problems import ArchiveError, Problem
from .releases import ReleaseError, short_id, write_release
from .snapshot import SHORT
from .vocabulary_files import load_vocabularies

PLUGIN_NAME = "conflict-archive"
SUMMARY_KINDS = ("changed", "missing", "unexpected")  # the order `verify` counts findings in


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


def verify(site_dir: Path, sources: Path | None) -> int:
    """Check the site (and the articles folder) against the manifest; print every finding,
    like `check` its problems, on stderr, and a summary for each folder checked. The site's
    findings name files as the manifest does; the sources', from the current folder."""
    try:
        manifest = read_manifest(site_dir)
        checked = [
            (site_dir, "file", len(listed_files(manifest)), verify_site(site_dir, manifest, usable_cpus()))
        ]
        if sources is not None:
            listed = len(listed_sources(manifest))
            findings = [_located(finding, sources) for finding in verify_sources(sources, manifest)]
            checked.append((sources, "source", listed, findings))
    except (IntegrityError, OSError) as error:
        print(error, file=sys.stderr)
        return 2
    failed = any(findings for *_, findings in checked)
    stream = sys.stderr if failed else sys.stdout
    for *_, findings in checked:
        for finding in findings:
            print(finding, file=stream)
    for folder, noun, count, findings in checked:
        tally = ", ".join(f"{sum(f.kind == kind for f in findings):,} {kind}" for kind in SUMMARY_KINDS)
        print(f"{folder.as_posix()}: {count_of(count, noun)} checked, {tally}", file=stream)
    return int(failed)


def bag(site_dir: Path, out: Path) -> int:
    """Verify the site and write it as a BagIt bag at `out`."""
    try:
        manifest = read_manifest(site_dir)
        make_bag(site_dir, out, manifest, usable_cpus())
    except SiteDamaged as damaged:
        for finding in damaged.findings:
            print(finding, file=sys.stderr)
        print(damaged, file=sys.stderr)
        return 1
    except (IntegrityError, OSError) as error:
        print(error, file=sys.stderr)
        return 2
    # The payload is the verified files and the manifest itself.
    files = count_of(len(listed_files(manifest)) + 1, "file")
    print(f"{out.as_posix()}: bag of {files}, snapshot {manifest['snapshot']['id']}")
    return 0


def release(version: str, site_dir: Path, config: Path, *, force: bool, allow_modified: bool) -> int:
    """Record the built site as release `version` in the articles folder of `config`'s site."""
    config_file = config if config.is_file() else config / "mkdocs.yml"
    if not config_file.is_file():
        print(
            f"{config_file.as_posix()}: no such file; run in the site's folder or give --config",
            file=sys.stderr,
        )
        return 2
    articles_dir, display, _ = _locate(config_file)
    try:
        manifest = read_manifest(site_dir)
        recorded = write_release(
            articles_dir, display, version, manifest, force=force, allow_modified=allow_modified
        )
    except (ReleaseError, IntegrityError, OSError) as error:
        print(error, file=sys.stderr)
        return 2
    events = sum(len(ids) for ids in recorded.events.values())
    snapshot = manifest["snapshot"]
    print(
        f"{recorded.display_path}: {count_of(len(recorded.pages), 'page')}, {count_of(events, 'event')} "
        f"of snapshot {short_id(snapshot)}"
    )
    # Until it is committed, the record is a local change that makes every build a working copy.
    print(f"commit it: git add {recorded.display_path} && git commit -m 'Record release {version}'")
    if snapshot.get("tag") is None and isinstance(snapshot.get("commit"), str):
        print(f"and tag the release: git tag {version} {snapshot['commit'][:SHORT]}")
    return 0


def _located(finding: Finding, folder: Path) -> Finding:
    """The finding with its path from the current folder, as `check` names articles."""
    return replace(finding, path=f"{folder.as_posix()}/{finding.path}")


def _parser() -> argparse.ArgumentParser:
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
    verify_parser = commands.add_parser(
        "verify", help="check a built site's files against its manifest.json, offline"
    )
    verify_parser.add_argument(
        "site_dir", type=Path, metavar="SITE_DIR", help="the built site, holding manifest.json"
    )
    verify_parser.add_argument(
        "--sources", type=Path, metavar="ARTICLES_DIR", help="check this articles folder against it too"
    )
    bag_parser = commands.add_parser("bag", help="verify a built site and write it as a BagIt bag")
    bag_parser.add_argument(
        "site_dir", type=Path, metavar="SITE_DIR", help="the built site, holding manifest.json"
    )
    bag_parser.add_argument(
        "out", type=Path, metavar="OUT", help="where to write the bag: a new or empty folder"
    )
    release_parser = commands.add_parser(
        "release", help="record a built site's URLs and event ids, so later builds keep them"
    )
    release_parser.add_argument(
        "version", metavar="VERSION", help="the release's name, such as 2025.11; also the record's file name"
    )
    release_parser.add_argument(
        "site_dir",
        nargs="?",
        type=Path,
        default=Path("site"),
        metavar="SITE_DIR",
        help="the built site, holding manifest.json (default: site)",
    )
    release_parser.add_argument(
        "--config", type=Path, default=Path(), metavar="PATH", help="the site's mkdocs.yml or its folder"
    )
    release_parser.add_argument("--force", action="store_true", help="replace an existing record")
    release_parser.add_argument(
        "--allow-modified", action="store_true", help="record a build of uncommitted changes"
    )
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": lambda args: check(args.path, args.format, args.strict),
    "schema": lambda args: schema(args.path, args.vocabulary),
    "verify": lambda args: verify(args.site_dir, args.sources),
    "bag": lambda args: bag(args.site_dir, args.out),
    "release": lambda args: release(
        args.version, args.site_dir, args.config, force=args.force, allow_modified=args.allow_modified
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
