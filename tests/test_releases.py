"""releases.py: writing a release record from a manifest, reading records back, and finding
what a new build would no longer resolve.

Records are real files in tmp_path, written by `write_release` from manifests made here in
the format the build writes (only the fields a record is made from)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conflict_archive.problems import Problem
from conflict_archive.releases import (
    Release,
    ReleaseError,
    checked,
    emptied_listings,
    normal_url,
    page_url,
    read_releases,
    record_text,
    vanished,
    write_release,
)

COMMIT = "1a2b3c4d5e6f70819203a4b5c6d7e8f901234567"
X = "articles/2025/10/x/"
Y = "articles/2025/10/y/"


def manifest(
    pages: list[str],
    articles: dict[str, list[str]],
    *,
    date: str = "2025-11-25",
    modified: bool = False,
    articles_dir: str = "articles",
) -> dict[str, Any]:
    """A format-2 manifest of a site with these HTML files (and a few others that are not
    pages) and these articles (URL -> event ids)."""
    files = [*pages, "assets/app.js", "feed.xml", "404.html"]
    return {
        "manifest_format": 2,
        "snapshot": {
            "id": COMMIT,
            "label": None,
            "commit": COMMIT,
            "tag": None,
            "modified": modified,
            "date": date,
            "source": "git",
            "content_id": "c" * 64,
        },
        "articles_dir": articles_dir,
        "articles": [
            {"source": f"articles/{url}.md", "sha256": "0" * 64, "url": url, "events": ids}
            for url, ids in articles.items()
        ],
        "files": [{"path": path, "sha256": "0" * 64, "bytes": 1} for path in files],
    }


SITE_PAGES = ["index.html", "regions/kyiv/index.html", f"{X}index.html", f"{Y}index.html", "about/index.html"]
SITE_EVENTS = {Y: ["2025-10-y-e1"], X: ["2025-10-x-e1", "2025-10-x-e2"]}


def release(
    articles: Path, version: str, pages: list[str], events: dict[str, list[str]], date: str
) -> Release:
    return write_release(articles, "articles", version, manifest(pages, events, date=date))


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.html", ""),
        ("regions/kyiv/index.html", "regions/kyiv/"),
        ("about.html", "about.html"),  # a site built without directory URLs
        ("articles/2025/x.html", "articles/2025/x.html"),
        ("myindex.html", "myindex.html"),
        ("a/myindex.html", "a/myindex.html"),
        ("404.html", None),  # served for any missing URL
        ("errors/404.html", "errors/404.html"),  # only the site's own 404 page is not a page
        ("feed.xml", None),
        ("assets/app.js", None),
    ],
)
def test_page_url(path: str, url: str | None) -> None:
    assert page_url(path) == url


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("", ""),
        ("articles/x/", "articles/x/"),
        ("articles/x/index.html", "articles/x/"),
        ("index.html", ""),
        ("about.html", "about.html"),
        ("articles/caf%C3%A9/", "articles/café/"),
    ],
)
def test_normal_url(url: str, normal: str) -> None:
    assert normal_url(url) == normal


def test_a_record_lists_every_page_sorted_and_every_articles_events(articles: Path) -> None:
    written = write_release(articles, "articles", "2025.11", manifest(SITE_PAGES, SITE_EVENTS))
    path = articles / "_snapshots/2025.11.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "format": 1,
        "version": "2025.11",
        "snapshot": {"id": COMMIT, "commit": COMMIT, "date": "2025-11-25"},
        "pages": ["", "about/", X, Y, "regions/kyiv/"],
        "events": {X: ["2025-10-x-e1", "2025-10-x-e2"], Y: ["2025-10-y-e1"]},
    }
    assert written.display_path == "articles/_snapshots/2025.11.json"
    assert written.pages == ("", "about/", X, Y, "regions/kyiv/")
    assert not list((articles / "_snapshots").glob(".*")), "the temporary file is gone"


def test_each_url_and_article_has_its_own_line_and_the_reported_line_holds_it(articles: Path) -> None:
    write_release(articles, "articles", "2025.11", manifest(SITE_PAGES, SITE_EVENTS))
    lines = (articles / "_snapshots/2025.11.json").read_text(encoding="utf-8").split("\n")
    (read,), problems = read_releases(articles, "articles")
    assert problems == []
    assert read.page_lines == {"": 6, "about/": 7, X: 8, Y: 9, "regions/kyiv/": 10}
    assert read.event_lines == {X: 13, Y: 14}
    for url, line in read.page_lines.items():
        assert lines[line - 1].strip().removesuffix(",") == json.dumps(url)
    for url, line in read.event_lines.items():
        assert lines[line - 1].strip().startswith(f"{json.dumps(url)}: [")


def test_a_site_without_directory_urls(articles: Path) -> None:
    pages = ["index.html", "about.html", "articles/2025/x.html", "articles/2025/odesa/index.html"]
    events = {"articles/2025/x.html": ["x-e1"], "articles/2025/odesa/index.html": ["odesa-e1"]}
    written = write_release(articles, "articles", "1.0", manifest(pages, events))
    assert written.pages == ("", "about.html", "articles/2025/odesa/", "articles/2025/x.html")
    assert dict(written.events) == {"articles/2025/odesa/": ("odesa-e1",), "articles/2025/x.html": ("x-e1",)}


def test_an_empty_site_gives_a_readable_record(articles: Path) -> None:
    text = record_text("0.1", manifest([], {}))
    assert json.loads(text)["pages"] == []
    write_release(articles, "articles", "0.1", manifest([], {}))
    assert read_releases(articles, "articles")[1] == []


@pytest.mark.parametrize("version", ["", "../2025.11", "2025/11", ".hidden", "-rc", "2025 11", "ü"])
def test_a_version_must_make_a_plain_file_name(articles: Path, version: str) -> None:
    with pytest.raises(ReleaseError, match="is not a release version"):
        write_release(articles, "articles", version, manifest(SITE_PAGES, SITE_EVENTS))
    assert not (articles / "_snapshots").exists()


def test_a_release_is_recorded_once_unless_forced(articles: Path) -> None:
    write_release(articles, "articles", "2025.11", manifest(SITE_PAGES, SITE_EVENTS))
    path = articles / "_snapshots/2025.11.json"
    first = path.read_text(encoding="utf-8")
    with pytest.raises(ReleaseError) as refused:
        write_release(articles, "articles", "2025.11", manifest(["index.html"], {}))
    assert str(refused.value) == (
        "articles/_snapshots/2025.11.json: release 2025.11 is already recorded, and a release does "
        "not change; choose a new version (--force replaces the record)"
    )
    assert path.read_text(encoding="utf-8") == first
    replaced = write_release(articles, "articles", "2025.11", manifest(["index.html"], {}), force=True)
    assert replaced.pages == ("",)
    assert json.loads(path.read_text(encoding="utf-8"))["pages"] == [""]


def test_a_working_copy_is_not_a_release_unless_allowed(articles: Path) -> None:
    with pytest.raises(ReleaseError, match=r"^snapshot 1a2b3c4 was built from a working copy .* commit the"):
        write_release(articles, "articles", "2025.11", manifest(SITE_PAGES, SITE_EVENTS, modified=True))
    assert not (articles / "_snapshots/2025.11.json").exists()
    modified = manifest(SITE_PAGES, SITE_EVENTS, modified=True)
    assert write_release(articles, "articles", "2025.11", modified, allow_modified=True).version == "2025.11"


def test_the_site_must_be_built_from_these_articles(articles: Path) -> None:
    with pytest.raises(ReleaseError, match="built from the articles in 'content', not 'articles'"):
        write_release(
            articles, "articles", "2025.11", manifest(SITE_PAGES, SITE_EVENTS, articles_dir="content")
        )


def test_an_article_whose_page_is_not_in_the_site_is_refused(articles: Path) -> None:
    with pytest.raises(ReleaseError) as refused:
        write_release(articles, "articles", "2025.11", manifest(["index.html"], {X: ["x-e1"]}))
    assert str(refused.value) == (
        "cannot record the site: "
        f"articles/_snapshots/2025.11.json:9: events: article '{X}' is not among the record's pages"
    )
    assert not (articles / "_snapshots/2025.11.json").exists()


# Reading records


def test_no_snapshots_folder_means_no_releases(articles: Path) -> None:
    assert read_releases(articles, "articles") == ([], [])


def test_releases_are_read_oldest_first_and_other_files_are_ignored(articles: Path) -> None:
    # By file name 2025.10 would come before 2025.9; by date it comes after.
    release(articles, "2025.10", ["index.html"], {}, "2025-10-31")
    release(articles, "2025.9", ["index.html"], {}, "2025-09-30")
    (articles / "_snapshots/README.md").write_text("Release records; do not edit.\n")
    (articles / "_snapshots/.2025.12.json.partial").write_text("{")
    (articles / "_snapshots/.#2025.12.json").write_text("{")
    releases, problems = read_releases(articles, "content")
    assert problems == []
    assert [(r.version, r.date, r.display_path) for r in releases] == [
        ("2025.9", dt.date(2025, 9, 30), "content/_snapshots/2025.9.json"),
        ("2025.10", dt.date(2025, 10, 31), "content/_snapshots/2025.10.json"),
    ]
    assert releases[0].snapshot_id == COMMIT
    assert repr(releases[0]) == "Release('2025.9', 1 pages, 0 articles)"


GOOD = record_text("2025.11", manifest(SITE_PAGES, SITE_EVENTS))
WHERE = "articles/_snapshots/2025.11.json"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            GOOD.replace('"format": 1,', '"format": 1,\n  oops,'),
            Problem(WHERE, 3, "", "not JSON: Expecting property name enclosed in double quotes"),
            id="not JSON",
        ),
        pytest.param("[]\n", Problem(WHERE, 1, "", "a release record is a JSON object"), id="a list"),
        pytest.param(
            GOOD.replace('"format": 1', '"format": 2'),
            Problem(
                WHERE, 2, "format", "expected 1, got 2: a newer conflict-archive wrote it; upgrade to read it"
            ),
            id="a newer format",
        ),
        pytest.param(
            GOOD.replace('  "format": 1,\n', ""),
            Problem(WHERE, 1, "format", "expected 1, got None"),
            id="no format",
        ),
        pytest.param(
            GOOD.replace('"version": "2025.11"', '"version": "2025.12"'),
            Problem(WHERE, 3, "version", "'2025.12' is not '2025.11', which the file name says"),
            id="another version",
        ),
        pytest.param(
            GOOD.replace('"date": "2025-11-25"', '"date": "25/11/2025"'),
            Problem(WHERE, 4, "snapshot", "date: expected a date such as 2025-11-25, got '25/11/2025'"),
            id="a date that is not ISO",
        ),
        pytest.param(
            GOOD.replace(f'"id": "{COMMIT}"', '"id": 7'),
            Problem(WHERE, 4, "snapshot", "expected an object with the snapshot's id, commit and date"),
            id="no snapshot id",
        ),
        pytest.param(
            GOOD.replace('    "about/",', "    7,"),
            Problem(WHERE, 5, "pages", "item 2: expected a URL as a string, got 7"),
            id="a URL that is a number",
        ),
        pytest.param(
            GOOD.replace('    "about/",', '    "/about/",'),
            Problem(
                WHERE,
                7,
                "pages",
                "item 2: '/about/' is not a page's URL from the site root, such as 'articles/2025/10/x/'",
            ),
            id="an absolute URL",
        ),
        pytest.param(
            record_text("2025.11", manifest(["index.html"], {})).replace('[\n    ""\n  ]', '""'),
            Problem(WHERE, 5, "pages", "expected a list of URLs"),
            id="pages that are not a list",
        ),
        pytest.param(
            GOOD.replace(f'"{Y}": ["2025-10-y-e1"]', '"articles/2025/10/z/": ["2025-10-z-e1"]'),
            Problem(WHERE, 14, "events", "article 'articles/2025/10/z/' is not among the record's pages"),
            id="events of a page not recorded",
        ),
        pytest.param(
            GOOD.replace('["2025-10-y-e1"]', '["2025-10-y-e1", ""]'),
            Problem(WHERE, 14, "events", f"'{Y}': expected a list of event ids"),
            id="an empty event id",
        ),
        pytest.param(
            GOOD.replace('["2025-10-y-e1"]', '"2025-10-y-e1"'),
            Problem(WHERE, 14, "events", f"'{Y}': expected a list of event ids"),
            id="events that are not a list",
        ),
        pytest.param(
            GOOD.replace('    "about/",', '    "regions/../../../outside/",'),
            Problem(
                WHERE,
                7,
                "pages",
                "item 2: 'regions/../../../outside/' has an empty, '.' or '..' segment; "
                "a page's URL is a path down from the site root",
            ),
            id="a URL that climbs out of the site",
        ),
        pytest.param(
            GOOD.replace('    "about/",', '    ["about/"],'),
            Problem(WHERE, 5, "pages", "item 2: expected a URL as a string, got ['about/']"),
            id="a URL that is a list",
        ),
    ],
)
def test_a_bad_record_gives_a_located_problem(articles: Path, text: str, problem: Problem) -> None:
    (articles / "_snapshots").mkdir()
    (articles / "_snapshots/2025.11.json").write_text(text, encoding="utf-8")
    release(articles, "2025.9", ["index.html"], {}, "2025-09-30")  # a good record is still read
    releases, problems = read_releases(articles, "articles")
    assert problems == [problem]
    assert [r.version for r in releases] == ["2025.9"]


def test_a_record_that_is_not_utf8(articles: Path) -> None:
    (articles / "_snapshots").mkdir()
    (articles / "_snapshots/2025.11.json").write_bytes(GOOD.replace("about", "\xe0bout").encode("latin-1"))
    (problem,) = read_releases(articles, "articles")[1]
    assert (problem.path, problem.line, problem.field) == (WHERE, 1, "")
    assert problem.message.startswith("cannot read the release record: 'utf-8' codec can't decode byte 0xe0")


def test_a_record_reformatted_by_hand_is_still_read(articles: Path) -> None:
    (articles / "_snapshots").mkdir()
    reformatted = json.dumps(json.loads(GOOD), indent=2, sort_keys=True)
    (articles / "_snapshots/2025.11.json").write_text(reformatted, encoding="utf-8")
    (read,), problems = read_releases(articles, "articles")
    assert problems == []
    lines = reformatted.split("\n")
    assert lines[read.page_lines["about/"] - 1].strip() == '"about/",'
    assert lines[read.event_lines[X] - 1].strip() == f'"{X}": ['


# Checking a new build against the records


NOW_PAGES = ["", "about/", X, Y, "regions/kyiv/"]


def test_nothing_missing(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    events = {X: ["2025-10-x-e1", "2025-10-x-e2"], Y: ["2025-10-y-e1"]}
    assert vanished([recorded], [*NOW_PAGES, "articles/2025/11/new/"], events, {}) == []
    assert checked([recorded]) == "1 release, 5 URLs and 3 event ids still resolve"


def test_pages_are_the_paths_written_never_decoded(articles: Path) -> None:
    recorded = release(articles, "2025.11", ["index.html", "café/index.html"], {}, "2025-11-25")
    assert recorded.pages == ("", "café/")
    written = [page_url(path) for path in ("index.html", "café/index.html")]
    assert vanished([recorded], [url for url in written if url is not None], {}, {}) == []
    # A file whose name holds a percent sign is that name, not the page it would decode to.
    gone = vanished([recorded], ["", "caf%C3%A9/"], {}, {})
    assert [problem.message.split(" ")[0] for problem in gone] == ["'café/'"]


def test_a_missing_page(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    events = {X: ["2025-10-x-e1", "2025-10-x-e2"], Y: ["2025-10-y-e1"]}
    assert vanished([recorded], ["", "about/", X, Y], events, {}) == [
        Problem(
            "articles/_snapshots/2025.11.json",
            10,
            "pages",
            "'regions/kyiv/' was published in snapshot 2025.11 and would no longer resolve: keep the "
            "page, give the article an alias for its old path, or withdraw it with 'retracted:' (a "
            "tombstone keeps the URL)",
        )
    ]


def test_a_missing_article_is_reported_as_its_page_alone(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    problems = vanished([recorded], ["", "about/", Y, "regions/kyiv/"], {Y: ["2025-10-y-e1"]}, {})
    assert [(p.line, p.field) for p in problems] == [(8, "pages")]
    assert problems[0].message.startswith(f"'{X}' was published in snapshot 2025.11")


def test_a_missing_event(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    events = {X: ["2025-10-x-e1"], Y: ["2025-10-y-e1"]}
    assert vanished([recorded], NOW_PAGES, events, {}) == [
        Problem(
            "articles/_snapshots/2025.11.json",
            13,
            "events",
            f"event '2025-10-x-e2' of {X} was published in snapshot 2025.11 and is gone: keep the event, "
            "or give the event that replaced it 'previous_ids: [2025-10-x-e2]'",
        )
    ]


def test_an_event_kept_by_the_ids_it_had_before(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    # e2 was merged into a new event that lists it in previous_ids: its anchor still resolves.
    events = {X: ["2025-10-x-e1", "2025-10-x-merged", "2025-10-x-e2"], Y: ["2025-10-y-e1"]}
    assert vanished([recorded], NOW_PAGES, events, {}) == []


def test_an_alias_keeps_the_url_and_its_events_are_found_on_the_target(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    moved = "articles/2025/10/x-renamed/"
    pages = ["", "about/", X, Y, "regions/kyiv/", moved]
    events = {moved: ["2025-10-x-e1", "2025-10-x-e2"], Y: ["2025-10-y-e1"]}
    assert vanished([recorded], pages, events, {X: moved}) == []
    # MkDocs' form of the same URLs is followed the same way.
    assert vanished([recorded], pages, events, {f"{X}index.html": f"{moved}index.html"}) == []
    (problem,) = vanished([recorded], pages, {moved: ["2025-10-x-e1"], Y: ["2025-10-y-e1"]}, {X: moved})
    assert (problem.line, problem.field) == (13, "events")
    assert problem.message.startswith(
        f"event '2025-10-x-e2' of {X} was published in snapshot 2025.11 and is gone from {moved}, "
        "where it now leads: "
    )


def test_a_url_that_is_no_longer_an_article(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, {X: ["2025-10-x-e1"]}, "2025-11-25")
    (problem,) = vanished([recorded], NOW_PAGES, {}, {})
    assert problem.message.startswith(
        f"event '2025-10-x-e1' of {X} was published in snapshot 2025.11 and is gone: {X} is no "
        "longer an article's page: "
    )


def test_a_tombstone_keeps_the_url_and_its_recorded_event_ids(articles: Path) -> None:
    recorded = release(articles, "2025.11", SITE_PAGES, SITE_EVENTS, "2025-11-25")
    # X was retracted: its tombstone is a page, and holds the ids its events had.
    events = {X: ["2025-10-x-e1", "2025-10-x-e2"], Y: ["2025-10-y-e1"]}
    assert vanished([recorded], NOW_PAGES, events, {}) == []


def test_a_url_of_several_releases_is_reported_once_at_the_first(articles: Path) -> None:
    releases = [
        release(articles, "2025.11", ["index.html", "a/index.html", "b/index.html"], {}, "2025-11-25"),
        release(articles, "2025.9", ["index.html", "a/index.html"], {}, "2025-09-30"),
        release(articles, "2025.10", ["index.html", "a/index.html"], {"a/": ["a-e1"]}, "2025-10-31"),
    ]
    problems = vanished(releases, ["", "a/"], {"a/": []}, {})
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("articles/_snapshots/2025.10.json", 10, "events"),
        ("articles/_snapshots/2025.11.json", 8, "pages"),
    ]
    assert problems[0].message.startswith("event 'a-e1' of a/ was published in snapshot 2025.10 and is gone")
    assert problems[1].message.startswith("'b/' was published in snapshot 2025.11 and")
    _, gone = vanished(releases, [""], {}, {})  # by path, 2025.11 comes before 2025.9
    assert (gone.path, gone.line) == ("articles/_snapshots/2025.9.json", 7)
    assert gone.message.startswith("'a/' was published in snapshots 2025.9 to 2025.11 and would no longer")
    assert checked(releases) == "3 releases, 3 URLs and 1 event id still resolve"


def test_an_emptied_listing_leads_to_the_nearest_page_above_it() -> None:
    release = Release(
        version="2025.11",
        display_path="articles/_snapshots/2025.11.json",
        snapshot_id="a" * 40,
        date=dt.date(2025, 11, 25),
        pages=(
            "",
            "regions/",
            "regions/odesa/",
            "regions/kyiv/page/3/",
            "dates/2025/10/",
            "about/",
            "articles/x/",
        ),
        events={},
        page_lines={},
        event_lines={},
    )
    now = ["", "regions/", "regions/kyiv/", "dates/", "dates/2025/"]
    assert emptied_listings([release], now, {"regions", "dates"}) == {
        "dates/2025/10/": "dates/2025/",
        "regions/kyiv/page/3/": "regions/kyiv/",
        "regions/odesa/": "regions/",
    }  # the site's own pages and articles are the editor's to keep: never filled in
