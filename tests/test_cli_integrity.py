"""`conflict-archive verify` and `conflict-archive bag`: exit 0, 1 on findings, 2 on an unusable
manifest or output folder, and every finding on its own line, as `check` prints problems."""

from __future__ import annotations

import json
from pathlib import Path

import bagit
import pytest

from conflict_archive.cli import main
from test_integrity import COMMIT, SITE_FILES, SOURCE_FILES, make_site


def test_both_commands_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "verify" in out
    assert "bag" in out


def test_verify_an_intact_site(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    assert main(["verify", "site"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "site: 6 files checked, 0 changed, 0 missing, 0 unexpected\n"
    assert captured.err == ""


def test_verify_prints_every_finding_and_a_summary(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    (here / "site/index.html").unlink()
    (here / "site/data/events.csv").write_bytes(SITE_FILES["data/events.csv"].replace(b"kyiv", b"lviv"))
    (here / "site/extra.html").write_text("<p>extra</p>\n")
    assert main(["verify", "site/"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "changed: data/events.csv (sha256 differs; same size)",
        "unexpected: extra.html",
        "missing: index.html",
        "site: 6 files checked, 1 changed, 1 missing, 1 unexpected",
    ]


def test_verify_with_sources(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    assert main(["verify", "site", "--sources", "articles"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "site: 6 files checked, 0 changed, 0 missing, 0 unexpected",
        "articles: 3 sources checked, 0 changed, 0 missing, 0 unexpected",
    ]
    (here / "articles/2025/kyiv.md").write_text(SOURCE_FILES["2025/kyiv.md"] + "An edit.\n")
    (here / "articles/2025/lviv.md").write_text("---\ntitle: Lviv\n---\n")
    assert main(["verify", "site", "--sources", "articles"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "changed: articles/2025/kyiv.md (sha256 differs)",
        "unexpected: articles/2025/lviv.md",
        "site: 6 files checked, 0 changed, 0 missing, 0 unexpected",
        "articles: 3 sources checked, 1 changed, 0 missing, 1 unexpected",
    ]


def test_verify_without_a_manifest(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "site").mkdir()
    assert main(["verify", "site"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "site/manifest.json: no such file; is site a built site?\n"
    assert captured.out == ""


def test_verify_with_a_manifest_that_is_not_json(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    (here / "site/manifest.json").write_text('{"files": [}\n')
    assert main(["verify", "site"]) == 2
    assert capsys.readouterr().err == "site/manifest.json:1:12: not JSON: Expecting value\n"


def test_verify_with_a_path_leading_outside(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, manifest = make_site(here)
    manifest["files"][2]["path"] = "../articles/2025/kyiv.md"
    (here / "site/manifest.json").write_text(json.dumps(manifest))
    assert main(["verify", "site"]) == 2
    assert capsys.readouterr().err == (
        "site/manifest.json: files[2].path: '../articles/2025/kyiv.md' leads outside the folder; "
        "refusing to read it\n"
    )


def test_bag(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    assert main(["bag", "site", "bag"]) == 0
    assert capsys.readouterr().out == f"bag: bag of 7 files, snapshot {COMMIT}\n"
    bagit.Bag(str(here / "bag")).validate()


def test_bag_of_a_damaged_site(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    (here / "site/assets/app.js").unlink()
    assert main(["bag", "site", "bag"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "missing: assets/app.js",
        "site: 1 difference from its manifest.json; not bagged",
    ]
    assert not (here / "bag").exists()


def test_bag_into_a_folder_in_use(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(here)
    (here / "bag").mkdir()
    (here / "bag/keep.txt").write_text("someone's file\n")
    assert main(["bag", "site", "bag"]) == 2
    assert capsys.readouterr().err == "bag: already exists and is not an empty folder\n"


def test_bag_without_a_manifest(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "site").mkdir()
    assert main(["bag", "site", "bag"]) == 2
    assert capsys.readouterr().err == "site/manifest.json: no such file; is site a built site?\n"
    assert not (here / "bag").exists()
