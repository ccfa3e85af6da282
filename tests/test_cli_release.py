"""`conflict-archive release`: exit 0 with the record written, 2 with nothing written and one
line saying why. Each test builds a small site folder and its format-2 manifest itself."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from conflict_archive.cli import main
from conflict_archive.integrity import file_entries
from conflict_archive.releases import read_releases, vanished
from conftest import write_files

COMMIT = "1a2b3c4d5e6f70819203a4b5c6d7e8f901234567"
SITE_FILES = {
    "index.html": "<h1>Conflict Archive</h1>\n",
    "404.html": "<p>Not found</p>\n",
    "about/index.html": "<p>About</p>\n",
    "regions/kyiv/index.html": "<p>Kyiv</p>\n",
    "articles/2025/kyiv/index.html": '<p id="kyiv-e1">Kyiv, 1 November 2025</p>\n',
    "articles/2025/odesa/index.html": '<p id="odesa-e1">Odesa</p><p id="odesa-e2">Odesa</p>\n',
    "assets/app.js": "document.body.dataset.ready = 'yes';\n",
    "feed.xml": "<feed/>\n",
}
ARTICLES = {"articles/2025/kyiv/": ["kyiv-e1"], "articles/2025/odesa/": ["odesa-e1", "odesa-e2"]}
RECORD = "articles/_snapshots/2025.11.json"
COMMIT_IT = f"commit it: git add {RECORD} && git commit -m 'Record release 2025.11'"


def make_site(
    root: Path,
    *,
    modified: bool = False,
    tag: str | None = "2025.11",
    articles_dir: str = "articles",
    config: str = "site_name: Conflict Archive\nplugins:\n  - conflict-archive\n",
) -> dict[str, Any]:
    """`root/mkdocs.yml`, an empty articles folder, and a built site `root/site` with its manifest."""
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / articles_dir).mkdir()
    site = root / "site"
    write_files(site, SITE_FILES)
    manifest: dict[str, Any] = {
        "generator": "conflict-archive 0.1.0",
        "manifest_format": 2,
        "site_name": "Conflict Archive",
        "site_url": "https://example.org/archive/",
        "snapshot": {
            "id": COMMIT if not modified else "c" * 64,
            "label": tag,
            "commit": COMMIT,
            "tag": tag,
            "modified": modified,
            "date": "2025-11-25",
            "source": "git",
            "content_id": "c" * 64,
        },
        "articles_dir": articles_dir,
        "counts": {"article_files": 2, "articles": 2, "events": 3},
        "articles": [
            {"source": f"{articles_dir}/{url[9:-1]}.md", "sha256": "0" * 64, "url": url, "events": ids}
            for url, ids in ARTICLES.items()
        ],
        "vocabularies": [],
        "files": [asdict(entry) for entry in file_entries(site)],
    }
    (site / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def test_release_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["release", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "--force" in out
    assert "--allow-modified" in out


def test_release_records_every_page_and_event(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    assert main(["release", "2025.11"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"{RECORD}: 5 pages, 3 events of snapshot 1a2b3c4", COMMIT_IT]
    assert captured.err == ""
    record = json.loads((here / RECORD).read_text(encoding="utf-8"))
    assert record["pages"] == ["", "about/", "articles/2025/kyiv/", "articles/2025/odesa/", "regions/kyiv/"]
    assert record["events"] == ARTICLES
    assert record["snapshot"] == {"id": COMMIT, "commit": COMMIT, "date": "2025-11-25"}
    # What a later build of the same site checks against it.
    (release,), problems = read_releases(here / "articles", "articles")
    assert problems == []
    assert vanished([release], record["pages"], ARTICLES, {}) == []


def test_an_untagged_snapshot_is_suggested_a_tag(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here, tag=None)
    assert main(["release", "2025.11", "site/"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        COMMIT_IT,
        "and tag the release: git tag 2025.11 1a2b3c4",
    ]


def test_the_articles_folder_comes_from_the_config(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "project").mkdir()
    config = "plugins:\n  - search\n  - conflict-archive:\n      articles_dir: ./content/\n"
    make_site(here / "project", articles_dir="content", config=config)
    assert main(["release", "2025.11", "project/site", "--config", "project/mkdocs.yml"]) == 0
    assert capsys.readouterr().out.startswith("content/_snapshots/2025.11.json: 5 pages, 3 events")
    assert (here / "project/content/_snapshots/2025.11.json").is_file()
    assert main(["release", "2025.12", "project/site", "--config", "project"]) == 0
    assert (here / "project/content/_snapshots/2025.12.json").is_file()


@pytest.mark.parametrize("version", ["../2025.11", "2025/11", ".2025", "2025 11", ""])
def test_a_bad_version_is_refused(here: Path, capsys: pytest.CaptureFixture[str], version: str) -> None:
    make_site(here)
    assert main(["release", version]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"{version!r} is not a release version: letters, digits, '.', '_' and '-', starting with a "
        "letter or digit, such as 2025.11\n"
    )
    assert captured.out == ""
    assert not (here / "articles/_snapshots").exists()


def test_an_existing_record_is_kept_unless_forced(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    assert main(["release", "2025.11"]) == 0
    (here / RECORD).write_text("the record as committed\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["release", "2025.11"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"{RECORD}: release 2025.11 is already recorded, and a release does not change; choose a new "
        "version (--force replaces the record)\n"
    )
    assert captured.out == ""
    assert (here / RECORD).read_text(encoding="utf-8") == "the record as committed\n"
    assert main(["release", "2025.11", "--force"]) == 0
    assert json.loads((here / RECORD).read_text(encoding="utf-8"))["version"] == "2025.11"


def test_a_working_copy_is_refused_unless_allowed(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here, modified=True)
    assert main(["release", "2025.11"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "snapshot cccccccccccc was built from a working copy with uncommitted changes, and a release "
        "must be a commit: commit the changes, build again, and record that (--allow-modified records "
        "the working copy)\n"
    )
    assert not (here / RECORD).exists()
    assert main(["release", "2025.11", "--allow-modified"]) == 0
    assert capsys.readouterr().out.startswith(f"{RECORD}: 5 pages, 3 events of snapshot cccccccccccc\n")
    record = json.loads((here / RECORD).read_text(encoding="utf-8"))
    assert record["snapshot"] == {"id": "c" * 64, "commit": COMMIT, "date": "2025-11-25"}


def test_a_site_of_another_articles_folder_is_refused(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    (here / "mkdocs.yml").write_text("plugins:\n  - conflict-archive:\n      articles_dir: content\n")
    (here / "content").mkdir()
    assert main(["release", "2025.11"]) == 2
    assert capsys.readouterr().err == (
        "the site was built from the articles in 'articles', not 'content': build this site, or give "
        "--config for the site that was built\n"
    )


def test_no_config_or_no_manifest(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "2025.11"]) == 2
    assert capsys.readouterr().err == "mkdocs.yml: no such file; run in the site's folder or give --config\n"
    (here / "mkdocs.yml").write_text("plugins:\n  - conflict-archive\n")
    (here / "articles").mkdir()
    assert main(["release", "2025.11"]) == 2
    assert capsys.readouterr().err == "site/manifest.json: no such file; is site a built site?\n"
    assert not (here / "articles/_snapshots").exists()
