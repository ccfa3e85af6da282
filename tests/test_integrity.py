"""integrity.py: hashing a built site, checking it and its sources against manifest.json, bagging it.

Every test builds a small real site folder and writes its manifest here (`make_site`), in the
format the build writes, so that these tests do not depend on a build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import bagit
import pytest

from conflict_archive import integrity
from conflict_archive.integrity import (
    FileEntry,
    Finding,
    IntegrityError,
    SiteDamaged,
    file_entries,
    make_bag,
    read_manifest,
    verify_site,
    verify_sources,
)
from conftest import write_files

COMMIT = "1a2b3c4d5e6f70819203a4b5c6d7e8f901234567"
SITE_FILES = {
    "index.html": b"<h1>Conflict Archive</h1>\n",
    "articles/2025/kyiv/index.html": b"<p>Kyiv, 1 November 2025</p>\n",
    # '-' sorts before '/': plain string order puts this file before data/events.csv.
    "data-2025.csv": b"year,events\n2025,1\n",
    "data/events.csv": b"id,date\nkyiv-e1,2025-11-01\n",
    "assets/app.js": b"document.body.dataset.ready = 'yes';\n",
    "search/naïve name.txt": b"a space and a non-ASCII letter in a name\n",
}
SOURCE_FILES = {
    "2025/kyiv.md": "---\ntitle: Kyiv\ndate: 2025-11-01\n---\nText.\n",
    "2025/odesa/index.md": "---\ntitle: Odesa\ndate: 2025-11-02\n---\nText.\n",
    "_vocabulary/regions.yml": "kyiv: {name: Kyiv}\n",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_site(root: Path) -> tuple[Path, Path, dict[str, Any]]:
    """A built site (`root/site`) with its format-2 manifest, and the articles folder
    (`root/articles`) the manifest says it was built from."""
    site, articles = root / "site", root / "articles"
    write_files(site, SITE_FILES)
    write_files(articles, SOURCE_FILES)
    manifest: dict[str, Any] = {
        "generator": "conflict-archive 0.1.0",
        "manifest_format": 2,
        "site_name": "Conflict Archive",
        "site_url": "https://example.org/archive/",
        "snapshot": {
            "label": "2025.11",
            "commit": COMMIT,
            "tag": "v2025.11",
            "date": "2025-11-25",
            "source": "git",
            "modified": False,
            "id": COMMIT,
        },
        "articles_dir": "articles",
        "counts": {"article_files": 2, "articles": 2, "events": 2},
        "articles": [
            {
                "source": f"articles/{name}",
                "sha256": sha256(SOURCE_FILES[name].encode()),
                "url": url,
                "events": [f"{url.split('/')[2]}-e1"],
            }
            for name, url in (
                ("2025/kyiv.md", "articles/2025/kyiv/"),
                ("2025/odesa/index.md", "articles/2025/odesa/"),
            )
        ],
        "vocabularies": [
            # Shipped with the package, not in the articles folder: verify_sources skips it.
            {"source": "conflict_archive/vocabularies/actors.yml", "sha256": "0" * 64},
            {
                "source": "articles/_vocabulary/regions.yml",
                "sha256": sha256(SOURCE_FILES["_vocabulary/regions.yml"].encode()),
            },
        ],
        "files": [asdict(entry) for entry in file_entries(site)],
    }
    write_manifest(site, manifest)
    return site, articles, manifest


def write_manifest(site: Path, manifest: dict[str, Any]) -> None:
    (site / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(("batch", "threads"), [(1, 1), (1, 3), (4, 2), (256, 2)])
def test_file_entries_lists_every_file_sorted_with_its_hash_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, threads: int
) -> None:
    monkeypatch.setattr(integrity, "HASH_BATCH", batch)  # the order holds across batches and threads
    site, _, _ = make_site(tmp_path)
    (site / "empty-folder").mkdir()
    entries = file_entries(site, threads=threads)
    assert [e.path for e in entries] == [
        "articles/2025/kyiv/index.html",
        "assets/app.js",
        "data-2025.csv",
        "data/events.csv",
        "index.html",
        "search/naïve name.txt",
    ]
    assert entries == [
        FileEntry(path, sha256(SITE_FILES[path]), len(SITE_FILES[path])) for path in sorted(SITE_FILES)
    ]


def test_file_entries_excludes_only_what_it_is_told_to(tmp_path: Path) -> None:
    site, _, _ = make_site(tmp_path)
    assert "manifest.json" not in [e.path for e in file_entries(site)]
    everything = file_entries(site, exclude=frozenset({"data/events.csv"}))
    assert [e.path for e in everything] == [
        "articles/2025/kyiv/index.html",
        "assets/app.js",
        "data-2025.csv",
        "index.html",
        "manifest.json",
        "search/naïve name.txt",
    ]


def test_large_files_are_hashed_in_chunks_to_the_same_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "WHOLE_FILE_LIMIT", 1000)
    content = bytes(range(256)) * 11  # three chunks, the last one short
    (tmp_path / "big.bin").write_bytes(content)
    assert file_entries(tmp_path) == [FileEntry("big.bin", sha256(content), len(content))]


def test_symbolic_links_are_never_followed_and_always_reported(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    (site / "home.html").symlink_to(site / "index.html")
    (site / "elsewhere").symlink_to(tmp_path / "articles", target_is_directory=True)
    paths = {e.path for e in file_entries(site)}
    assert "home.html" not in paths and not [p for p in paths if p.startswith("elsewhere")]
    assert [str(f) for f in verify_site(site, manifest)] == [
        "unexpected: elsewhere (a symbolic link)",
        "unexpected: home.html (a symbolic link)",
    ]
    with pytest.raises(SiteDamaged):
        make_bag(site, tmp_path / "bag", manifest)
    assert not (tmp_path / "bag").exists()


def test_an_intact_site_has_no_findings(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    assert verify_site(site, read_manifest(site)) == []
    assert verify_site(site, manifest) == []


def test_a_damaged_site_has_one_finding_per_damage(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    (site / "index.html").unlink()
    (site / "data/events.csv").write_bytes(SITE_FILES["data/events.csv"].replace(b"kyiv", b"lviv"))
    (site / "assets/app.js").write_bytes(b"truncated")
    (site / "extra.html").write_text("<p>not in the manifest</p>\n")
    assert verify_site(site, manifest) == [
        Finding("changed", "assets/app.js", "sha256 differs; 9 bytes, manifest says 37"),
        Finding("changed", "data/events.csv", "sha256 differs; same size"),
        Finding("unexpected", "extra.html"),
        Finding("missing", "index.html"),
    ]


def test_findings_read_as_one_line_each() -> None:
    assert str(Finding("changed", "data/events.csv", "sha256 differs; 1234 bytes, manifest says 1200")) == (
        "changed: data/events.csv (sha256 differs; 1234 bytes, manifest says 1200)"
    )
    assert str(Finding("missing", "index.html")) == "missing: index.html"
    assert str(Finding("unexpected", "extra.html")) == "unexpected: extra.html"


def test_the_manifest_is_read_as_written(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    assert read_manifest(site) == manifest


def test_a_missing_manifest_is_named(tmp_path: Path) -> None:
    with pytest.raises(IntegrityError) as caught:
        read_manifest(tmp_path)
    assert str(caught.value) == f"{tmp_path}/manifest.json: no such file; is {tmp_path} a built site?"


def test_a_manifest_that_is_not_json_is_named_with_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{\n  "files": [\n    {"path": "index.html",}\n  ]\n}\n')
    with pytest.raises(IntegrityError) as caught:
        read_manifest(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}/manifest.json:3:27: not JSON: Expecting property name enclosed in double quotes"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(manifest_format=1), "not a format-2 manifest (manifest_format: 1)"),
        (lambda m: m.pop("files"), "not a format-2 manifest: no `files` list"),
        (lambda m: m["files"][1].pop("bytes"), "files[1]: an entry needs path, sha256 and bytes"),
        (lambda m: m["files"][1].update(bytes="37"), "files[1].bytes: expected a whole number of bytes"),
        (lambda m: m["files"][1].update(sha256="abc"), "files[1].sha256: expected 64 lowercase hex digits"),
        (
            lambda m: m["files"][0].update(path="../../etc/passwd"),
            "files[0].path: '../../etc/passwd' leads outside the folder; refusing to read it",
        ),
        (
            lambda m: m["files"][0].update(path="data/../../x"),
            "files[0].path: 'data/../../x' leads outside the folder",
        ),
        (
            lambda m: m["files"][0].update(path="/etc/passwd"),
            "files[0].path: '/etc/passwd' is absolute; refusing to read outside the folder",
        ),
        (lambda m: m["files"][0].update(path="C:/x.html"), "files[0].path: 'C:/x.html' is absolute"),
        (
            lambda m: m["files"][0].update(path="data\\x.csv"),
            "is not a manifest path: they are separated by '/'",
        ),
        (lambda m: m["files"][0].update(path="data//x.csv"), "files[0].path: 'data//x.csv' is not a plain"),
        (
            lambda m: m["files"].append(dict(m["files"][0])),
            "files[6].path: articles/2025/kyiv/index.html is listed twice",
        ),
        (
            lambda m: m["articles"][0].update(source="articles/../secret.md"),
            "articles[0].source: '../secret.md' leads outside the folder",
        ),
    ],
)
def test_an_unusable_manifest_is_refused_with_what_and_where(
    tmp_path: Path, change: Any, message: str
) -> None:
    site, _, manifest = make_site(tmp_path)
    change(manifest)
    write_manifest(site, manifest)
    with pytest.raises(IntegrityError) as caught:
        read_manifest(site)
    assert str(caught.value).startswith(f"{site}/manifest.json: ")
    assert message in str(caught.value)


def test_verify_site_refuses_a_path_outside_the_site_without_reading_it(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    manifest["files"][0]["path"] = "../articles/2025/kyiv.md"
    with pytest.raises(IntegrityError, match="leads outside the folder"):
        verify_site(site, manifest)


def test_intact_sources_have_no_findings(tmp_path: Path) -> None:
    _, articles, manifest = make_site(tmp_path)
    # Not sources of the site, so not in the manifest and not checked.
    (articles / "_data").mkdir()
    (articles / "_data/notes.md").write_text("notes\n")
    (articles / ".drafts").mkdir()
    (articles / ".drafts/draft.md").write_text("draft\n")
    assert verify_sources(articles, manifest) == []
    # A term's intro is shown on its page: one the manifest does not list is unexpected.
    (articles / "_vocabulary/regions").mkdir()
    (articles / "_vocabulary/regions/kyiv.md").write_text("Kyiv, the capital.\n")
    assert [str(f) for f in verify_sources(articles, manifest)] == ["unexpected: _vocabulary/regions/kyiv.md"]


def test_damaged_sources_have_one_finding_per_damage(tmp_path: Path) -> None:
    _, articles, manifest = make_site(tmp_path)
    (articles / "2025/kyiv.md").write_text(SOURCE_FILES["2025/kyiv.md"].replace("Text", "Edited"))
    (articles / "_vocabulary/regions.yml").unlink()
    (articles / "2025/lviv.md").write_text("---\ntitle: Lviv\n---\n")
    (articles / "_vocabulary/actors.yml").write_text("army: {name: Army}\n")
    assert verify_sources(articles, manifest) == [
        Finding("changed", "2025/kyiv.md", "sha256 differs"),
        Finding("unexpected", "2025/lviv.md"),
        Finding("unexpected", "_vocabulary/actors.yml"),
        Finding("missing", "_vocabulary/regions.yml"),
    ]


def test_sources_follow_the_manifests_articles_dir(tmp_path: Path) -> None:
    _, articles, manifest = make_site(tmp_path)
    manifest["articles_dir"] = "reports"
    for item in manifest["articles"] + manifest["vocabularies"]:
        item["source"] = item["source"].replace("articles/", "reports/", 1)
    assert verify_sources(articles, manifest) == []


def test_sources_in_a_missing_folder_are_refused(tmp_path: Path) -> None:
    _, _, manifest = make_site(tmp_path)
    with pytest.raises(IntegrityError, match="no such folder"):
        verify_sources(tmp_path / "nowhere", manifest)


def bag_files(bag: Path) -> dict[str, bytes]:
    return {path.relative_to(bag).as_posix(): path.read_bytes() for path in bag.rglob("*") if path.is_file()}


def validate_with_bagit_cli(bag: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bagit", "--validate", str(bag)], capture_output=True, text=True, check=False
    )


def test_a_bag_is_valid_for_bagit_and_says_which_snapshot_it_holds(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    bag = make_bag(site, tmp_path / "bag", manifest)
    assert bag == tmp_path / "bag"
    bagit.Bag(str(bag)).validate()
    result = validate_with_bagit_cli(bag)
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stderr
    files = bag_files(bag)
    assert files["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert {"manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"} <= files.keys()
    payload = {path.removeprefix("data/"): data for path, data in files.items() if path.startswith("data/")}
    assert payload == {**SITE_FILES, "manifest.json": (site / "manifest.json").read_bytes()}
    manifest_lines = files["manifest-sha256.txt"].decode().splitlines()
    assert f"{sha256(SITE_FILES['index.html'])}  data/index.html" in manifest_lines
    info = files["bag-info.txt"].decode().splitlines()
    assert "Bagging-Date: 2025-11-25" in info  # the snapshot's date, not today's
    assert f"External-Identifier: {COMMIT}" in info
    assert "External-Description: Conflict Archive snapshot 2025.11 (commit 1a2b3c4, 2025-11-25)" in info
    assert "Source-Organization: Conflict Archive" in info
    assert f"Payload-Oxum: {sum(len(data) for data in payload.values())}.7" in info
    assert not [line for line in info if line.startswith("Contact-")]


def test_two_bags_of_one_site_are_byte_identical(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    first = bag_files(make_bag(site, tmp_path / "first", manifest))
    second = bag_files(make_bag(site, tmp_path / "second" / "bag", manifest))
    assert first == second
    # bagit lists tag files in the file system's order; ours are in path order, so that
    # another disk gives the same bytes too.
    for name in ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
        paths = [line.split()[1] for line in first[name].decode().splitlines()]
        assert paths == ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"]


def test_a_bag_without_a_commit_is_described_by_its_content(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    content = "3fa2b1c9d0e1" + "7" * 52
    manifest["snapshot"].update(label=None, commit=None, tag=None, source="content", id=content)
    info = bag_files(make_bag(site, tmp_path / "bag", manifest))["bag-info.txt"].decode()
    assert "External-Description: Conflict Archive snapshot (content 3fa2b1c9d0e1, 2025-11-25)\n" in info
    assert f"External-Identifier: {content}\n" in info


def test_a_corrupted_payload_file_fails_bagit_validation(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    bag = make_bag(site, tmp_path / "bag", manifest)
    (bag / "data/data/events.csv").write_bytes(SITE_FILES["data/events.csv"].replace(b"kyiv", b"lviv"))
    with pytest.raises(bagit.BagValidationError) as caught:
        bagit.Bag(str(bag)).validate()
    assert "data/data/events.csv" in str(caught.value.details[0])
    result = validate_with_bagit_cli(bag)
    assert result.returncode == 1
    assert "is invalid" in result.stderr


def test_a_damaged_site_is_not_bagged(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    (site / "index.html").write_text("<h1>Replaced</h1>\n")
    out = tmp_path / "bags" / "bag"
    with pytest.raises(SiteDamaged) as caught:
        make_bag(site, out, manifest)
    assert caught.value.findings == [
        Finding("changed", "index.html", "sha256 differs; 18 bytes, manifest says 26")
    ]
    assert not out.exists()
    assert list((tmp_path / "bags").iterdir()) == []  # no half-made bag left beside it


def test_a_bag_goes_only_into_a_new_or_empty_folder(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("someone's file\n")
    with pytest.raises(IntegrityError, match="already exists and is not an empty folder"):
        make_bag(site, taken, manifest)
    assert [p.name for p in taken.iterdir()] == ["keep.txt"]
    with pytest.raises(IntegrityError, match="already exists and is not an empty folder"):
        make_bag(site, taken / "keep.txt", manifest)
    empty = tmp_path / "empty"
    empty.mkdir()
    bagit.Bag(str(make_bag(site, empty, manifest))).validate()


def test_a_bag_inside_the_site_is_refused(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    with pytest.raises(IntegrityError, match="inside the site folder"):
        make_bag(site, site / "bag", manifest)
    assert not (site / "bag").exists()


def test_a_file_name_bagit_cannot_write_portably_is_refused(tmp_path: Path) -> None:
    site, _, manifest = make_site(tmp_path)
    (site / "100%.html").write_text("<p>all</p>\n")
    manifest["files"] = [asdict(entry) for entry in file_entries(site)]
    with pytest.raises(IntegrityError, match=r"100%\.html: a bag cannot hold a file name with '%'"):
        make_bag(site, tmp_path / "bag", manifest)
    assert not (tmp_path / "bag").exists()


def test_the_copy_bagged_is_the_copy_verified(tmp_path: Path) -> None:
    """The site is verified after it is copied, so a bag never holds what was not checked."""
    site, _, manifest = make_site(tmp_path)
    shutil.rmtree(site / "data")
    with pytest.raises(SiteDamaged) as caught:
        make_bag(site, tmp_path / "bag", manifest)
    assert [str(f) for f in caught.value.findings] == ["missing: data/events.csv"]
