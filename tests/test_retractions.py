"""Withdrawn articles and moved events: a notice keeps the address, the anchors stay, and
nothing else counts them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import feedparser
import frictionless
import pytest
from mkdocs.exceptions import Abort

from browser import chromium, serious_accessibility_violations, served
from conflict_archive.cli import main
from conftest import SiteDir, synthetic_article, synthetic_event
from htmlcheck import broken_links

REASON = 'The photographs were staged <script>alert(1)</script> & "re-used".'


def _archive(site_dir: SiteDir, **retracted: Any) -> None:
    site_dir.article(
        "2025/10/kept.md",
        synthetic_article(1, events=[synthetic_event(killed=2, previous_ids=["kyiv-strike-first"])]),
    )
    site_dir.article(
        "2025/10/withdrawn.md",
        synthetic_article(
            2,
            date="2025-10-24",
            aliases=["2025/10/old-withdrawn"],
            tags=["Synthetic tag"],
            events=[synthetic_event(killed=40, injured=7), synthetic_event(region="kharkiv", killed=1)],
            retracted=retracted or {"date": "2025-11-02", "reason": REASON},
        ),
    )
    site_dir.article(
        "2025/10/moved.md",
        synthetic_article(3, aliases=["2025/09/first-place"], events=[synthetic_event(region="odesa")]),
    )


def test_a_withdrawn_article_leaves_a_notice_with_its_anchors(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    page = site_dir.html("articles/2025/10/withdrawn/")
    assert page.title is not None and page.title.get_text().startswith("Withdrawn: Synthetic report 000002")
    notice = page.select_one(".ca-tombstone")
    assert notice is not None
    assert " ".join(notice.select_one("h2").get_text().split()) == "Withdrawn on 2025-11-02"
    assert notice.select_one(".ca-tombstone__reason").get_text() == REASON  # escaped, shown as written
    assert not page.select("script:-soup-contains('alert(1)')")
    anchors = [li["id"] for li in notice.select(".ca-tombstone__events li")]
    assert anchors == ["event-2025-10-withdrawn-e1", "event-2025-10-withdrawn-e2"]
    # Its earlier path still leads to the notice.
    redirect = (site_dir.site / "articles/2025/10/old-withdrawn/index.html").read_text(encoding="utf-8")
    assert 'url=../withdrawn/"' in redirect
    assert not page.select(".ca-event")  # no summary box: the report is withdrawn
    assert broken_links(site_dir.site) == []


def test_a_withdrawn_article_counts_nowhere_but_in_retractions(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    site = site_dir.site
    kyiv = site_dir.html("regions/kyiv/")
    assert "withdrawn" not in str(kyiv.select("table"))
    assert not (site / "tags/synthetic-tag/index.html").exists()  # its only article is withdrawn
    events = list(csv.DictReader(io.StringIO((site / "data/events.csv").read_text(encoding="utf-8"))))
    assert sorted(row["article_path"] for row in events) == ["2025/10/kept.md", "2025/10/moved.md"]
    assert sum(int(row["killed_best"] or 0) for row in events) == 2
    rows = list(csv.DictReader(io.StringIO((site / "data/retractions.csv").read_text(encoding="utf-8"))))
    assert rows == [
        {
            "article_path": "2025/10/withdrawn.md",
            "article_url": "https://synthetic.invalid/articles/2025/10/withdrawn/",
            "title": "Synthetic report 000002",
            "published": "2025-10-24",
            "retracted": "2025-11-02",
            "reason": REASON,
            "event_ids": "2025-10-withdrawn-e1; 2025-10-withdrawn-e2",
        }
    ]
    for feed in ("feed.xml", "feed.json", "regions/kyiv/feed.xml"):
        assert "withdrawn" not in (site / feed).read_text(encoding="utf-8"), feed
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in search["docs"] if "withdrawn" in doc["location"]]
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    entry = next(a for a in manifest["articles"] if a["source"] == "articles/2025/10/withdrawn.md")
    assert entry["retracted"] == {"date": "2025-11-02", "reason": REASON}
    assert entry["url"] == "articles/2025/10/withdrawn/"
    assert manifest["counts"]["retracted"] == 1 and manifest["counts"]["articles"] == 2
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert "retractions.csv" in [resource["path"] for resource in package["resources"]]
    report = frictionless.validate(str(site / "data/datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_earlier_event_ids_stay_anchors(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    kept = site_dir.html("articles/2025/10/kept/")
    box = kept.select_one("#event-2025-10-kept-e1")
    assert box is not None and box.select_one("#event-kyiv-strike-first") is not None
    # An article moved from an earlier path keeps the ids its events had there, unasked.
    moved = site_dir.html("articles/2025/10/moved/")
    box = moved.select_one("#event-2025-10-moved-e1")
    assert box is not None and box.select_one("#event-2025-09-first-place-e1") is not None


@pytest.mark.parametrize(
    ("retracted", "located"),
    [
        ({"date": "2025-11-02"}, "articles/2025/10/withdrawn.md:"),
        (
            {"date": "2025-10-01", "reason": "Synthetic reason."},
            "retracted.date: the retraction (2025-10-01)",
        ),
        ({"date": "2025-11-02", "reason": "Synthetic.", "by": "x"}, "articles/2025/10/withdrawn.md:"),
    ],
)
def test_a_bad_retraction_is_located(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture, retracted: dict[str, str], located: str
) -> None:
    _archive(site_dir, **retracted)
    with pytest.raises(Abort):
        site_dir.build()
    assert located in caplog.text
    assert "retracted" in caplog.text


def test_an_earlier_id_taken_by_another_event_is_refused(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir)
    site_dir.article(
        "2025/10/other.md",
        synthetic_article(4, events=[synthetic_event(previous_ids=["2025-10-kept-e1"])]),
    )
    with pytest.raises(Abort):
        site_dir.build()
    assert (
        "articles/2025/10/other.md:5: events[0].previous_ids: event earlier id '2025-10-kept-e1' is also "
        "used by events[0] in articles/2025/10/kept.md"
    ) in caplog.text


def _released(site_dir: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    """The archive built and recorded as release 2025.11, as an editor would do it."""
    _archive(site_dir)
    site_dir.build()
    config = str(site_dir.root / "mkdocs.yml")
    assert main(["release", "2025.11", str(site_dir.site), "--config", config]) == 0
    assert (site_dir.articles / "_snapshots" / "2025.11.json").is_file()
    caplog.clear()


def test_a_release_is_kept_by_every_later_build(site_dir: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    _released(site_dir, caplog)
    caplog.set_level("INFO")
    site_dir.build()
    assert "URLs and" in caplog.text and "still resolve" in caplog.text
    # Moved with an alias: its address redirects and its events' old anchors come with it.
    kept = site_dir.articles / "2025/10/kept.md"
    moved = site_dir.articles / "2025/11/kept-moved.md"
    moved.parent.mkdir()
    moved.write_text(kept.read_text(encoding="utf-8").replace("title:", "aliases: [2025/10/kept]\ntitle:", 1))
    kept.unlink()
    # Withdrawn: its notice keeps its address and anchors.
    moved_file = site_dir.articles / "2025/10/moved.md"
    moved_file.write_text(
        moved_file.read_text(encoding="utf-8").replace(
            "title:", "retracted: {date: 2025-11-05, reason: Synthetic reason.}\ntitle:", 1
        ),
        encoding="utf-8",
    )
    site_dir.build()
    assert (site_dir.site / "articles/2025/10/kept/index.html").is_file()  # the redirect
    # Odesa's only article was withdrawn: its emptied listing leads to the regions index.
    emptied = (site_dir.site / "regions/odesa/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../">' in emptied
    assert broken_links(site_dir.site) == []


def test_a_url_or_anchor_that_would_vanish_fails_the_build_naming_it(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _released(site_dir, caplog)
    (site_dir.articles / "2025/10/moved.md").unlink()
    kept = site_dir.articles / "2025/10/kept.md"
    kept.write_text(
        kept.read_text(encoding="utf-8").replace(
            "- date: '2025-10-22'", "- id: renamed\n  date: '2025-10-22'"
        )
    )
    with pytest.raises(Abort):
        site_dir.build()
    record = "articles/_snapshots/2025.11.json"
    lines = [line for line in caplog.text.splitlines() if line.startswith(record)]
    assert any("'articles/2025/10/moved/' was published in snapshot 2025.11" in line for line in lines), lines
    assert any("'2025-10-kept-e1'" in line for line in lines), lines
    for line in lines:  # each names the line of the record that holds what vanished
        number = int(line.split(":")[1])
        held = (
            (site_dir.articles / "_snapshots/2025.11.json")
            .read_text(encoding="utf-8")
            .splitlines()[number - 1]
        )
        # The article's page, its earlier path's redirect, and the events of the one kept.
        vanished = ("articles/2025/10/moved/", "articles/2025/09/first-place/", "articles/2025/10/kept/")
        assert any(f'"{url}"' in held for url in vanished), (line, held)
    # Listing the old id keeps the anchor, and the build passes once the article is back.
    kept.write_text(
        kept.read_text(encoding="utf-8").replace(
            "  - kyiv-strike-first\n", "  - kyiv-strike-first\n  - 2025-10-kept-e1\n"
        )
    )
    _archive_moved_back(site_dir)
    caplog.clear()
    caplog.set_level("INFO")
    site_dir.build()
    assert "still resolve" in caplog.text


def _archive_moved_back(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/10/moved.md",
        synthetic_article(3, aliases=["2025/09/first-place"], events=[synthetic_event(region="odesa")]),
    )


def test_what_changed_lists_each_snapshots_changes_and_its_feed_reads(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _released(site_dir, caplog)  # the release is dated by its newest change: the withdrawal, 2 Nov
    site_dir.article("2025/11/newer.md", synthetic_article(9, date="2025-11-10", events=[synthetic_event()]))
    site_dir.build()
    page = site_dir.html("changes/")
    groups = {h["id"]: " ".join(h.get_text().split()) for h in page.select("h2")}
    assert list(groups) == ["this-snapshot", "snapshot-2025.11"]
    assert groups["snapshot-2025.11"] == "Snapshot 2025.11 (2 Nov 2025)"

    def rows(group: str) -> list[list[str]]:
        table = page.select_one(f'table[aria-labelledby="{group}"]')
        assert table is not None
        return [[td.get_text() for td in tr.select("td")][:3] for tr in table.select("tbody tr")]

    assert rows("this-snapshot") == [["2025-11-10", "Added", "Synthetic report 000009"]]
    assert rows("snapshot-2025.11")[0] == ["2025-11-02", "Withdrawn", "Synthetic report 000002"]
    link = page.select_one('table[aria-labelledby="snapshot-2025.11"] tbody a')
    assert link is not None and link["href"] == "../articles/2025/10/withdrawn/"  # its notice
    footer = page.select_one("footer .ca-snapshot")
    assert footer is not None and footer.find("a", string="What changed")["href"] == "../changes/"
    feed = feedparser.parse((site_dir.site / "changes/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.entries[0].title == "Added: Synthetic report 000009"
    assert feed.entries[0].id == "https://synthetic.invalid/articles/2025/11/newer/#change-added-2025-11-10"
    assert feed.feed.updated.startswith("2025-11-10")
    assert broken_links(site_dir.site) == []


@pytest.mark.parametrize("url", ["changes/", "articles/2025/10/withdrawn/"])
def test_the_new_pages_pass_axe_in_a_browser(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    _released(site_dir, caplog)
    site_dir.build()
    with served(site_dir.site) as base, chromium() as browser:
        for scheme in ("light", "dark"):
            page = browser.new_page()
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            page.goto(base + url)
            assert serious_accessibility_violations(page) == [], scheme


def test_withdrawn_reports_and_release_records_are_sources_of_the_snapshot(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir)
    site_dir.build()

    def content_id() -> str:
        manifest = json.loads((site_dir.site / "manifest.json").read_text(encoding="utf-8"))
        return str(manifest["snapshot"]["content_id"])

    first = content_id()
    withdrawn = site_dir.articles / "2025/10/withdrawn.md"
    withdrawn.write_text(
        withdrawn.read_text(encoding="utf-8").replace("staged", "re-staged"), encoding="utf-8"
    )
    site_dir.build()
    second = content_id()
    assert second != first  # the notice shows the reason: another snapshot
    assert (
        main(["release", "2025.11", str(site_dir.site), "--config", str(site_dir.root / "mkdocs.yml")]) == 0
    )
    site_dir.build()
    assert content_id() != second  # the record shapes "What changed"
    manifest = json.loads((site_dir.site / "manifest.json").read_text(encoding="utf-8"))
    sources = {entry["source"]: entry["sha256"] for entry in manifest["vocabularies"]}
    record = (site_dir.articles / "_snapshots" / "2025.11.json").read_bytes()
    assert sources["articles/_snapshots/2025.11.json"] == hashlib.sha256(record).hexdigest()


def test_a_redirect_keeps_the_anchor_it_was_opened_with(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    redirect = (site_dir.site / "articles/2025/09/first-place/index.html").read_text(encoding="utf-8")
    assert '<script>location.replace("../../10/moved/" + location.hash)</script>' in redirect


def test_a_withdrawn_report_names_no_live_tag(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/10/live.md", synthetic_article(1, tags=["Night Shelling"], events=[synthetic_event()])
    )
    for n in (2, 3):
        retracted = {"date": "2025-11-02", "reason": "Synthetic."}
        site_dir.article(
            f"2025/10/w{n}.md", synthetic_article(n, tags=["NIGHT SHELLING"], retracted=retracted)
        )
    site_dir.build()
    title = site_dir.html("tags/night-shelling/").select_one("h1")
    assert title is not None and "Night Shelling" in title.get_text()


def test_an_unknown_field_of_a_retraction_suggests_the_known_one(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir, date="2025-11-02", reason="Synthetic.", reasn="typo")
    with pytest.raises(Abort):
        site_dir.build()
    assert (
        "articles/2025/10/withdrawn.md:25: retracted.reasn: unknown field; did you mean 'reason'?"
        in caplog.text
    )


POST_BUILD_HOOK = """
from pathlib import Path

def on_post_build(config):
    page = Path(config.site_dir) / "old-about" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<!doctype html><title>Moved</title>", encoding="utf-8")
"""


def test_pages_other_plugins_write_at_the_end_are_kept_and_excluded_ones_are_not(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    (site_dir.root / "hook.py").write_text(POST_BUILD_HOOK, encoding="utf-8")
    (site_dir.root / "docs" / "policy.md").write_text("# Policy\n", encoding="utf-8")
    _archive(site_dir)
    site_dir.add_to_config("hooks:\n  - hook.py\n")
    site_dir.build()
    assert (
        main(["release", "2025.11", str(site_dir.site), "--config", str(site_dir.root / "mkdocs.yml")]) == 0
    )
    site_dir.build()  # old-about/, written in on_post_build, is there again
    site_dir.add_to_config("exclude_docs: policy.md\n")
    caplog.clear()
    with pytest.raises(Abort):
        site_dir.build()
    assert "'policy/' was published in snapshot 2025.11 and would no longer resolve" in caplog.text
