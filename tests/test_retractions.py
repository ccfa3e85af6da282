"""Withdrawn articles and moved events: a notice keeps the address, the anchors stay, and
nothing else counts them."""

from __future__ import annotations

import csv
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
