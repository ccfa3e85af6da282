"""Which snapshot of the archive a build publishes: its name, its commit, its date, its content.

A snapshot is what one build of one state of the archive publishes. It is identified, in
order of preference:

- by **git**: the commit of `HEAD`, the tag pointing at it (a release), the commit's date.
  When the articles, vocabularies or site settings differ from that commit, the build is a
  working copy *based on* the commit, and says so: the commit alone does not identify it.
- by the site's **options**: `snapshot_version` names a release where git is not used (a
  tarball, a CI that exports the tree), and `snapshot_date` dates it.
- by its **content** alone: a hash of every source file's hash (articles and vocabularies),
  dated by the newest date in the content. Always computed, so that a manifest names its
  content even when a commit names the snapshot.

Nothing here reads the clock: the same commit, or the same content, gives the same snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SHORT = 7  # characters of a commit id shown to readers, as git shows them
MANIFEST_TITLE = "Every file of this snapshot, with its SHA-256"
GIT_TIMEOUT = 30  # seconds; a repository on a network disk can be slow, a hung one must not hang the build


@dataclass(frozen=True)
class Revision:
    """What git or the options say of the snapshot, known before the archive is read."""

    label: str | None = None  # the release's name: the tag at HEAD or `snapshot_version`
    commit: str | None = None  # the full commit id
    tag: str | None = None
    date: dt.date | None = None  # the commit's date (UTC), or `snapshot_date`
    modified: bool = False  # the sources differ from `commit`
    committed: int | None = None  # the commit's time, in seconds since 1970

    @property
    def source(self) -> Literal["git", "options", "content"]:
        if self.commit is not None:
            return "git"
        return "options" if self.label is not None or self.date is not None else "content"

    @property
    def published_commit(self) -> str | None:
        """The commit that holds exactly what is built: none for a modified working copy."""
        return None if self.modified else self.commit


@dataclass(frozen=True)
class Snapshot:
    revision: Revision
    content_id: str  # sha256 of the sources' hashes: `content_id()`
    date: dt.date

    @property
    def id(self) -> str:
        """The commit when it holds exactly what is built, else the content's hash."""
        return self.revision.published_commit or self.content_id

    @property
    def label(self) -> str | None:
        return self.revision.label

    @property
    def name(self) -> str:
        return f"Snapshot {self.revision.label}" if self.revision.label else "Snapshot"

    @property
    def source_text(self) -> str:
        """`commit 1a2b3c4`, `content 3fa2b1c9d0e1`: what the snapshot was built from."""
        commit = self.revision.commit
        return f"content {self.content_id[:12]}" if commit is None else f"commit {commit[:SHORT]}"

    def describe(self) -> str:
        """One line for a page footer: `Snapshot 2025.11 · commit 1a2b3c4 · 25 Nov 2025`."""
        changes = " with local changes" if self.revision.modified else ""
        return f"{self.name} · {self.source_text}{changes} · {format_day(self.date)}"

    def footer_html(
        self, manifest_href: str, commit_url: str | None = None, changes_href: str | None = None
    ) -> str:
        """`describe()` as HTML: the name links to the manifest, the commit to `commit_url`, and
        "What changed" to `changes_href`."""
        name = f'<a href="{html.escape(manifest_href)}" title="{MANIFEST_TITLE}">{html.escape(self.name)}</a>'
        source = html.escape(self.source_text)
        if commit_url is not None and self.revision.commit is not None:
            source = f'<a href="{html.escape(commit_url)}">{source}</a>'
        changes = " with local changes" if self.revision.modified else ""
        day = f'<time datetime="{self.date.isoformat()}">{format_day(self.date)}</time>'
        what_changed = f' · <a href="{html.escape(changes_href)}">What changed</a>' if changes_href else ""
        return f'<span class="ca-snapshot">{name} · {source}{changes} · {day}{what_changed}</span>'

    @property
    def epoch(self) -> int:
        """The snapshot's time for tools that date their output (the sitemap, gzip headers):
        the commit's time, else midnight UTC of its date."""
        if self.revision.committed is not None:
            return self.revision.committed
        return int(dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=dt.UTC).timestamp())

    def as_json(self) -> dict[str, object]:
        revision = self.revision
        return {
            "id": self.id,
            "label": revision.label,
            "commit": revision.commit,
            "tag": revision.tag,
            "modified": revision.modified,
            "date": self.date.isoformat(),
            "source": revision.source,
            "content_id": self.content_id,
        }


def format_day(date: dt.date) -> str:
    """`25 Nov 2025`: unambiguous in every locale, short enough for a footer."""
    return f"{date.day} {date.strftime('%b')} {date.year}"


def content_id(sources: Iterable[tuple[str, str]]) -> str:
    """The hash of the sources, each given as (its path, its sha256): the same files, however
    found, give the same id."""
    lines = sorted(f"{path}\t{sha256}\n" for path, sha256 in sources)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def snapshot_of(revision: Revision, sources: Iterable[tuple[str, str]], newest: dt.date) -> Snapshot:
    """The snapshot, once the sources are read: `newest` dates it when nothing else does."""
    return Snapshot(revision, content_id(sources), revision.date or newest)


def read_revision(
    folder: Path,
    watched: Sequence[Path],
    *,
    settings: Sequence[Path] = (),
    label: str | None = None,
    date: dt.date | None = None,
) -> Revision:
    """The revision of the repository holding `folder`, with the options' `label` and `date`
    in place of git's tag and commit date where given. `watched`: the folders (and files)
    whose uncommitted changes, new files included, make the build a working copy;
    `settings`: files whose edits count only if git tracks them (mike builds from an
    untracked copy of mkdocs.yml with its plugin added). Outside git (or without git), the
    options alone."""
    head = (git_output(folder, "log", "-1", "--format=%H %ct") or "").strip()
    if " " not in head:
        return Revision(label=label, date=date)
    commit, epoch = head.split(" ", 1)
    if not epoch.isdigit():
        return Revision(label=label, date=date)
    tags = (git_output(folder, "tag", "--points-at", "HEAD", "--sort=-v:refname") or "").split()
    tag = tags[0] if tags else None
    status = git_output(folder, "status", "--porcelain", "--untracked-files=all", "--", *map(str, watched))
    if settings:
        status = (status or "") + (
            git_output(folder, "status", "--porcelain", "--untracked-files=no", "--", *map(str, settings))
            or ""
        )
    return Revision(
        label=label or tag,
        commit=commit,
        tag=tag,
        date=date or dt.datetime.fromtimestamp(int(epoch), dt.UTC).date(),
        modified=bool(status),
        committed=int(epoch),
    )


def git_output(folder: Path, *args: str) -> str | None:
    """git's output as it printed it, or None where git is missing, fails or is not a
    repository here."""
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            errors="surrogateescape",  # a file name git stores in another encoding must not stop the build
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None
