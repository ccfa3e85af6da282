"""Each article's history, from git: the commits that changed its file, newest first.

A reader sees when each version of a report was published, and with the repository's address
can open the commit to see exactly what changed. One `git log` over the articles folder gives
every article's history at once: asking git once per article would cost a process each.

An article moved with `aliases` keeps the history of its earlier paths. A shallow clone (CI
often fetches one commit) knows only the commits it has, so its history starts there.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Article
from .snapshot import SHORT, format_day, git_output

COMMIT_MARK = "\x1e"  # starts each commit's line in the log: no file name holds it


@dataclass(frozen=True)
class Version:
    """One commit that changed an article's file."""

    commit: str
    date: dt.date  # the commit's date, UTC


History = Mapping[str, tuple[Version, ...]]  # a path in the articles folder -> its versions, newest first


def read_history(articles_dir: Path) -> dict[str, tuple[Version, ...]]:
    """Every file's versions, by its path relative to the articles folder; empty outside git."""
    log = git_output(
        articles_dir,
        "-c",
        "core.quotePath=false",  # names as they are, not octal escapes
        "log",
        "--no-renames",
        "--relative",
        "--name-only",
        f"--format={COMMIT_MARK}%H %ct",
        "--",
        ".",
    )
    # Not splitlines(): it also breaks at the record separator that marks each commit.
    return {} if log is None else parse_log(log.split("\n"))


def parse_log(lines: Iterable[str]) -> dict[str, tuple[Version, ...]]:
    """`git log --name-only` in `read_history`'s format, newest commit first, into versions."""
    versions: dict[str, list[Version]] = {}
    current: Version | None = None
    for line in lines:
        if line.startswith(COMMIT_MARK):
            commit, _, epoch = line[1:].partition(" ")
            current = Version(commit, dt.datetime.fromtimestamp(int(epoch), dt.UTC).date())
        elif line and current is not None:
            versions.setdefault(line, []).append(current)
    return {path: tuple(found) for path, found in versions.items()}


def article_history(history: History, article: Article) -> tuple[Version, ...]:
    """The article's versions, with those of the paths it had before (`aliases`), newest first."""
    paths = [article.path] + [
        f"{alias}{ending}" for alias in article.aliases for ending in (".md", "/index.md")
    ]
    found = {version for path in paths for version in history.get(path, ())}
    return tuple(sorted(found, key=lambda v: (v.date, v.commit), reverse=True))


def history_html(versions: Sequence[Version], commit_url: str | None) -> str:
    """The "History" section of an article page: one line per version, linking each commit
    where the repository's address is known (`commit_url`: the address a commit id is added to)."""
    if not versions:
        return ""
    items = []
    for version in versions:
        short = html.escape(version.commit[:SHORT])
        commit = (
            short
            if commit_url is None
            else f'<a href="{html.escape(commit_url + version.commit)}">{short}</a>'
        )
        day = f'<time datetime="{version.date.isoformat()}">{format_day(version.date)}</time>'
        items.append(f"<li>{day} · commit {commit}</li>")
    return (
        '<section class="ca-history" aria-labelledby="history">\n'
        '<h2 id="history">History</h2>\n'
        "<p>Every version of this report, newest first, as the archive's repository records it.</p>\n"
        '<ol class="ca-history__versions">\n' + "\n".join(items) + "\n</ol>\n</section>\n"
    )
