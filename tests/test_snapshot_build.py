"""End to end: a site built from a git repository knows its snapshot, shows it on every page,
and lists every file it wrote in `manifest.json`, which `conflict-archive verify` checks."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser import chromium, served
from conflict_archive.cli import main
from conflict_archive.integrity import verify_site
from conftest import SiteDir, git_env, run_git, synthetic_article, synthetic_event
from htmlcheck import resolve, soup


@pytest.fixture
def repository(site_dir: SiteDir) -> SiteDir:
    """A small archive committed to git and tagged as a release."""
    site_dir.article(
        "2025/10/strike.md",
        synthetic_article(
            1,
            sources=[{"title": "Synthetic source", "url": "https://synthetic.invalid/a"}],
            events=[synthetic_event(killed=2), synthetic_event(region="kharkiv", injured=3)],
        ),
    )
    site_dir.article(
        "2025/09/earlier.md",
        synthetic_article(2, date="2025-09-02", events=[synthetic_event(date="2025-09-01")]),
    )
    site_dir.configure(licence="CC-BY-4.0")
    (site_dir.root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    run_git(site_dir.root, "init", "-q", "-b", "main")
    run_git(site_dir.root, "add", ".")
    run_git(site_dir.root, "commit", "-q", "-m", "Synthetic archive")
    run_git(site_dir.root, "tag", "2025.11")
    return site_dir


def _footer(page: Path) -> tuple[str, str]:
    """The snapshot line in a page's footer, and where its link goes (from the site root)."""
    html = soup(page)
    line = html.select_one("footer .ca-snapshot")
    assert line is not None, f"{page}: no snapshot in the footer"
    link = line.find("a")
    assert link is not None
    return " ".join(line.get_text().split()), link["href"]


def test_every_page_names_the_snapshot_and_links_its_manifest(repository: SiteDir) -> None:
    repository.build()
    site = repository.site
    commit = run_git(repository.root, "rev-parse", "HEAD")
    expected = f"Snapshot 2025.11 · commit {commit[:7]} · 25 Nov 2025 · What changed"
    for url in ("", "articles/2025/10/strike/", "regions/kyiv/", "dates/2025/10/"):
        text, href = _footer(site / url / "index.html")
        assert text == expected, url
        assert resolve(site, "/" + url, href) == (site / "manifest.json", ""), url
    # 404.html is served at any depth, so its link goes from the site's root path.
    assert _footer(site / "404.html") == (expected, "/manifest.json")


def test_the_manifest_lists_every_file_and_every_source(repository: SiteDir) -> None:
    repository.build()
    site = repository.site
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    commit = run_git(repository.root, "rev-parse", "HEAD")
    snapshot = manifest["snapshot"]
    assert {k: snapshot[k] for k in ("id", "label", "commit", "tag", "modified", "date", "source")} == {
        "id": commit,
        "label": "2025.11",
        "commit": commit,
        "tag": "2025.11",
        "modified": False,
        "date": "2025-11-25",
        "source": "git",
    }
    files = repository.files()
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert sorted(listed) == sorted(path for path in files if path != "manifest.json")
    assert [entry["path"] for entry in manifest["files"]] == sorted(listed)
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest(), path
        assert entry["bytes"] == len(files[path]), path
    assert manifest["counts"]["files"] == len(listed)
    vocabularies = {entry["source"] for entry in manifest["vocabularies"]}
    assert "conflict_archive/vocabularies/regions.yml" in vocabularies
    assert verify_site(site, manifest) == []


def test_data_package_and_citations_carry_the_release(repository: SiteDir) -> None:
    repository.build()
    site = repository.site
    commit = run_git(repository.root, "rev-parse", "HEAD")
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "2025.11"
    assert package["snapshot"] == {
        "label": "2025.11",
        "commit": commit,
        "tag": "2025.11",
        "date": "2025-11-25",
    }
    page = soup(site / "articles/2025/10/strike/index.html")
    reference = page.select_one(".ca-cite__reference")
    assert reference is not None and "Snapshot 2025.11." in reference.get_text()
    bibtex = page.select_one('.ca-cite__format[data-format="BibTeX"] code')
    assert bibtex is not None and "version = {Snapshot 2025.11}" in bibtex.get_text()
    script = page.find("script", type="application/ld+json")
    assert script is not None
    data = json.loads(script.get_text())
    assert data["isPartOf"] == {
        "@type": "Collection",
        "name": "Synthetic archive",
        "version": "2025.11",
        "url": "https://synthetic.invalid/",
    }


def test_two_builds_of_one_commit_are_byte_identical(repository: SiteDir) -> None:
    repository.build()
    first = repository.files()
    repository.build()  # warm: the cache is kept
    assert repository.files() == first
    run_git(repository.root, "clean", "-q", "-fdX")  # cold: the cache and the site gone
    repository.build()
    assert repository.files() == first


def test_a_working_copy_says_so_and_is_named_by_its_content(repository: SiteDir) -> None:
    repository.build()
    released = json.loads((repository.site / "manifest.json").read_text(encoding="utf-8"))["snapshot"]
    article = repository.articles / "2025/10/strike.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    repository.build()
    site = repository.site
    snapshot = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["snapshot"]
    assert snapshot["modified"] is True
    assert snapshot["id"] == snapshot["content_id"] != released["content_id"]
    text, _ = _footer(site / "index.html")
    assert re.fullmatch(
        r"Snapshot 2025\.11 · commit [0-9a-f]{7} with local changes · 25 Nov 2025 · What changed", text
    )
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["snapshot"]["commit"] is None  # the commit does not hold what was built


def test_outside_git_the_content_names_the_snapshot(site_dir: SiteDir) -> None:
    site_dir.article("2025/10/strike.md", synthetic_article(1, events=[synthetic_event()]))
    site_dir.build()
    manifest = json.loads((site_dir.site / "manifest.json").read_text(encoding="utf-8"))
    snapshot = manifest["snapshot"]
    assert snapshot["source"] == "content" and snapshot["commit"] is None
    assert snapshot["id"] == snapshot["content_id"]
    assert snapshot["date"] == "2025-10-23"  # the newest date in the content, not the clock
    text, _ = _footer(site_dir.site / "index.html")
    assert text == f"Snapshot · content {snapshot['content_id'][:12]} · 23 Oct 2025 · What changed"
    assert "snapshot" not in json.loads((site_dir.site / "data/datapackage.json").read_text(encoding="utf-8"))


def test_a_damaged_copy_fails_verification(repository: SiteDir, capsys: pytest.CaptureFixture[str]) -> None:
    repository.build()
    site = repository.site
    assert main(["verify", str(site)]) == 0
    page = site / "regions/kyiv/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Kyiv", "Kiev"), encoding="utf-8")
    (site / "data/events.csv").unlink()
    capsys.readouterr()
    assert main(["verify", str(site), "--sources", str(repository.articles)]) == 1
    out = capsys.readouterr()
    findings = [
        line.split(" ")[0:2]
        for line in (out.out + out.err).splitlines()
        if line.startswith(("changed", "missing"))
    ]
    assert findings == [["missing:", "data/events.csv"], ["changed:", "regions/kyiv/index.html"]]


def test_two_snapshots_side_by_side_with_mike(repository: SiteDir) -> None:
    """mike deploys each snapshot into its own folder of one branch; Material's version
    selector lists them (versions.json) and each keeps its own snapshot footer."""
    root = repository.root
    repository.add_to_config("extra:\n  version:\n    provider: mike\n")
    run_git(root, "commit", "-q", "-am", "Synthetic: the version selector")
    run_git(root, "tag", "-f", "2025.10")
    first = run_git(root, "rev-parse", "HEAD")
    _mike(root, "deploy", "2025.10")
    repository.article(
        "2025/11/later.md", synthetic_article(3, date="2025-11-20", events=[synthetic_event()])
    )
    run_git(root, "add", ".")
    run_git(root, "commit", "-q", "-m", "Synthetic: a later report", when="2025-11-28T09:00:00+00:00")
    run_git(root, "tag", "2025.11b")
    second = run_git(root, "rev-parse", "HEAD")
    _mike(root, "deploy", "2025.11b", "latest", "--update-aliases")
    versions = json.loads(run_git(root, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2025.11b", ["latest"]), ("2025.10", [])]
    for version, commit, day in (("2025.10", first, "25 Nov 2025"), ("2025.11b", second, "28 Nov 2025")):
        page = run_git(root, "show", f"gh-pages:{version}/articles/2025/10/strike/index.html")
        line = soup_of(page).select_one("footer .ca-snapshot")
        assert line is not None
        assert (
            " ".join(line.get_text().split())
            == f"Snapshot {version} · commit {commit[:7]} · {day} · What changed"
        )
        manifest = json.loads(run_git(root, "show", f"gh-pages:{version}/manifest.json"))
        assert manifest["snapshot"]["commit"] == commit
    assert "later" in run_git(root, "ls-tree", "-r", "--name-only", "gh-pages", "2025.11b/articles/2025/11/")
    assert not run_git(root, "ls-tree", "-r", "--name-only", "gh-pages", "2025.10/articles/2025/11/")
    # Material's version selector, in a browser, lists both from the published branch.
    published = root / "published"
    published.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", "gh-pages"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(published)], input=archive.stdout, check=True)
    with served(published) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "2025.10/")
        page.wait_for_selector(".md-version__list .md-version__link", state="attached")
        listed = [
            " ".join(text.split())
            for text in page.locator(".md-version__list .md-version__link").all_inner_texts()
        ]
        assert [text.split(" ")[0] for text in listed] == ["2025.11b", "2025.10"]
        footer = page.locator("footer .ca-snapshot").inner_text()
        assert footer.startswith(f"Snapshot 2025.10 · commit {first[:7]}")


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _mike(root: Path, *args: str) -> None:
    """The real mike, which runs `mkdocs build` itself: both from this environment."""
    bin_dir = Path(sys.executable).parent
    env = {**git_env(), "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(bin_dir / "mike"), *args], cwd=root, env=env, check=True, capture_output=True)


def test_each_article_shows_its_own_history_from_git(repository: SiteDir) -> None:
    root = repository.root
    first = run_git(root, "rev-parse", "HEAD")
    strike = repository.articles / "2025/10/strike.md"
    moved = repository.articles / "2025/10/strike-moved.md"
    text = strike.read_text(encoding="utf-8").replace("title:", "aliases: [2025/10/strike]\ntitle:", 1)
    moved.write_text(text + "\nA later paragraph.\n", encoding="utf-8")
    strike.unlink()
    run_git(root, "add", "-A")
    run_git(
        root, "commit", "-q", "-m", "Synthetic: moved, with a paragraph", when="2025-11-28T09:00:00+00:00"
    )
    second = run_git(root, "rev-parse", "HEAD")
    repository.add_to_config("repo_url: https://git.synthetic.invalid/archive\n")
    run_git(
        root, "commit", "-q", "-am", "Synthetic: the repository's address", when="2025-11-29T09:00:00+00:00"
    )
    repository.build()
    history = repository.html("articles/2025/10/strike-moved/").select_one(".ca-history")
    assert history is not None
    lines = [" ".join(li.get_text().split()) for li in history.select("li")]
    # Its earlier path's history comes with it (aliases), newest first.
    assert lines == [f"28 Nov 2025 · commit {second[:7]}", f"25 Nov 2025 · commit {first[:7]}"]
    links = [a["href"] for a in history.select("a")]
    assert links == [f"https://git.synthetic.invalid/archive/commit/{c}" for c in (second, first)]
    earlier = repository.html("articles/2025/09/earlier/").select(".ca-history li")
    assert [" ".join(li.get_text().split()) for li in earlier] == [f"25 Nov 2025 · commit {first[:7]}"]
    # Outside git there is no history to show, and no empty section either.


def test_outside_git_no_history_is_shown(site_dir: SiteDir) -> None:
    site_dir.article("2025/10/strike.md", synthetic_article(1, events=[synthetic_event()]))
    site_dir.build()
    assert site_dir.html("articles/2025/10/strike/").select_one(".ca-history") is None


def test_term_intros_are_sources_of_the_snapshot(site_dir: SiteDir) -> None:
    site_dir.article("2025/10/strike.md", synthetic_article(1, events=[synthetic_event()]))
    intro = site_dir.articles / "_vocabulary" / "regions" / "kyiv.md"
    intro.parent.mkdir(parents=True)
    intro.write_text("Synthetic intro.\n", encoding="utf-8")
    site_dir.build()
    manifest = json.loads((site_dir.site / "manifest.json").read_text(encoding="utf-8"))
    sources = {entry["source"]: entry["sha256"] for entry in manifest["vocabularies"]}
    assert sources["articles/_vocabulary/regions/kyiv.md"] == hashlib.sha256(intro.read_bytes()).hexdigest()
    before = manifest["snapshot"]["content_id"]
    intro.write_text("Synthetic intro, edited.\n", encoding="utf-8")
    site_dir.build()
    after = json.loads((site_dir.site / "manifest.json").read_text(encoding="utf-8"))["snapshot"][
        "content_id"
    ]
    assert after != before  # an edited intro is another snapshot's content
    assert main(["verify", str(site_dir.site), "--sources", str(site_dir.articles)]) == 0
