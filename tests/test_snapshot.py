"""snapshot.py on its own: a snapshot read from a real git repository, from options, or from
the content alone, and how it is written for readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conflict_archive.snapshot import Revision, content_id, read_revision, snapshot_of
from conftest import GIT_TIME, run_git

COMMIT_TIME = GIT_TIME


def git(folder: Path, *args: str) -> str:
    return run_git(folder, *args)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "one.md").write_text("synthetic\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not watched\n", encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Synthetic first commit")
    return folder


def test_a_commit_names_the_snapshot_and_dates_it(repository: Path) -> None:
    revision = read_revision(repository, [repository / "articles"])
    assert revision.commit == git(repository, "rev-parse", "HEAD")
    assert (revision.label, revision.tag, revision.modified) == (None, None, False)
    assert revision.date == dt.date(2025, 11, 25)
    assert revision.committed == int(dt.datetime.fromisoformat(COMMIT_TIME).timestamp())
    assert revision.source == "git"


def test_the_highest_tag_at_head_is_the_release(repository: Path) -> None:
    git(repository, "tag", "v2025.9")
    git(repository, "tag", "v2025.11")
    revision = read_revision(repository, [repository / "articles"])
    assert (revision.tag, revision.label) == ("v2025.11", "v2025.11")
    # The options name it where they say so; git still gives the commit.
    named = read_revision(repository, [repository / "articles"], label="2025.11", date=dt.date(2025, 12, 1))
    assert (named.label, named.tag, named.date) == ("2025.11", "v2025.11", dt.date(2025, 12, 1))


def test_uncommitted_changes_to_watched_files_make_a_working_copy(repository: Path) -> None:
    (repository / "notes.txt").write_text("changed, but not watched\n", encoding="utf-8")
    assert not read_revision(repository, [repository / "articles"]).modified
    (repository / "articles" / "two.md").write_text("new\n", encoding="utf-8")
    revision = read_revision(repository, [repository / "articles"])
    assert revision.modified and revision.published_commit is None
    snapshot = snapshot_of(revision, [("articles/one.md", "a" * 64)], dt.date(2025, 1, 1))
    assert snapshot.id == snapshot.content_id
    assert snapshot.describe() == f"Snapshot · commit {revision.commit[:7]} with local changes · 25 Nov 2025"


def test_outside_git_the_options_or_the_content_name_it(tmp_path: Path) -> None:
    assert read_revision(tmp_path, [tmp_path]) == Revision()
    assert Revision().source == "content"
    sources = [("articles/b.md", "b" * 64), ("articles/a.md", "a" * 64)]
    snapshot = snapshot_of(Revision(), sources, dt.date(2025, 10, 23))
    assert snapshot.date == dt.date(2025, 10, 23)
    assert snapshot.id == content_id(reversed(sources)) == snapshot.content_id
    assert snapshot.describe() == f"Snapshot · content {snapshot.content_id[:12]} · 23 Oct 2025"
    assert snapshot.epoch == int(dt.datetime(2025, 10, 23, tzinfo=dt.UTC).timestamp())
    named = snapshot_of(Revision(label="2025.11"), sources, dt.date(2025, 10, 23))
    assert named.revision.source == "options"
    assert named.describe().startswith("Snapshot 2025.11 · content ")


def test_the_content_id_changes_with_any_source() -> None:
    sources = [("articles/a.md", "a" * 64), ("articles/_vocabulary/regions.yml", "c" * 64)]
    assert content_id(sources) != content_id([sources[0], (sources[1][0], "d" * 64)])
    assert content_id(sources) != content_id(sources[:1])


def test_the_footer_escapes_what_an_editor_names(repository: Path) -> None:
    revision = Revision(label='<b>"x"</b>', commit="1" * 40, date=dt.date(2025, 11, 25))
    snapshot = snapshot_of(revision, [], dt.date(2025, 1, 1))
    footer = snapshot.footer_html("../manifest.json", 'https://example.invalid/r/commit/"1')
    assert "<b>" not in footer and "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in footer
    assert 'href="https://example.invalid/r/commit/&quot;1"' in footer
    assert '<time datetime="2025-11-25">25 Nov 2025</time>' in footer
    assert snapshot.as_json()["id"] == "1" * 40


def test_settings_count_only_where_git_tracks_them(repository: Path) -> None:
    articles = [repository / "articles"]
    untracked = repository / "mike-mkdocs-copy.yml"  # what mike builds from
    untracked.write_text("site_name: copy\n", encoding="utf-8")
    assert not read_revision(repository, articles, settings=[untracked]).modified
    tracked = repository / "notes.txt"
    tracked.write_text("edited\n", encoding="utf-8")
    assert read_revision(repository, articles, settings=[tracked]).modified
