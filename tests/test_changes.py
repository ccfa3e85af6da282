"""What changed, by snapshot: the changes read from the reports' own dates, grouped under the
releases, written as an Atom feed (read back by feedparser) and as a page (read by BeautifulSoup)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from conflict_archive.archive import Archive, load_archive
from conflict_archive.changes import (
    Change,
    ChangeGroup,
    changes_atom,
    changes_html,
    changes_of,
    grouped,
    paged,
)
from conflict_archive.model import Article
from conflict_archive.releases import Release
from conflict_archive.site import ArchiveSite, SiteOptions
from conftest import SiteDir, synthetic_article

NOTE = 'Figure raised <script>alert("x")</script> & re-checked.'
REASON = "The photographs were <b>staged</b> & re-used."
CURRENT = "Snapshot · commit 1a2b3c4 · 2 Dec 2026"
SITE = "https://synthetic.invalid/"


def _archive(site_dir: SiteDir) -> Archive:
    site_dir.article("2026/09/first.md", synthetic_article(1, date="2026-09-10"))
    site_dir.article(
        "2026/10/corrected.md",
        synthetic_article(
            2,
            date="2026-10-01",
            updated="2026-10-31",
            title="Strike & <i>counter</i>-strike",
            corrections=[
                {"date": "2026-11-05", "note": NOTE},
                {"date": "2026-11-05", "note": "Second correction that day."},
            ],
        ),
    )
    site_dir.article(
        "2026/10/withdrawn.md",
        synthetic_article(3, date="2026-10-01", retracted={"date": "2026-11-30", "reason": REASON}),
    )
    # Published and updated on one local day: one change. Its date is the report's own day,
    # though it was still 1 December in UTC.
    site_dir.article(
        "2026/12/late.md",
        synthetic_article(4, date="2026-12-02T01:30:00+02:00", updated="2026-12-02T18:00:00+02:00"),
    )
    return load_archive(site_dir.articles)


def _release(version: str, date: str) -> Release:
    """A release as `read_releases` gives it; only its version and date matter here."""
    return Release(
        version=version,
        display_path=f"articles/_snapshots/{version}.json",
        snapshot_id="0" * 40,
        date=dt.date.fromisoformat(date),
        pages=(),
        events={},
        page_lines={},
        event_lines={},
    )


# The first release holds what is dated on or before its day; the second what follows, up to
# and including its day; the snapshot being built the rest.
RELEASES = [_release("2026.11", "2026-11-30"), _release("2026.10", "2026-10-01")]  # not in order


def _facts(changes: tuple[Change, ...] | list[Change]) -> list[tuple[str, str, str, str | None]]:
    return [(c.date.isoformat(), c.kind, c.article.path, c.note) for c in changes]


def _url(article: Article) -> str:
    return f"{SITE}articles/{article.slug}/"


def _atom(groups: list[ChangeGroup], limit: int = 50) -> bytes:
    return changes_atom(
        groups,
        title="Synthetic: what changed",
        page_url=f"{SITE}changes/",
        feed_url=f"{SITE}changes/feed.xml",
        article_url=_url,
        limit=limit,
    )


def test_each_dated_fact_is_a_change_with_its_note(site_dir: SiteDir) -> None:
    changes = changes_of(_archive(site_dir))
    assert _facts(changes) == [
        ("2026-12-02", "added", "2026/12/late.md", None),
        ("2026-11-30", "withdrawn", "2026/10/withdrawn.md", REASON),
        ("2026-11-05", "corrected", "2026/10/corrected.md", NOTE),
        ("2026-11-05", "corrected", "2026/10/corrected.md", "Second correction that day."),
        ("2026-10-31", "updated", "2026/10/corrected.md", None),
        ("2026-10-01", "added", "2026/10/corrected.md", None),
        ("2026-10-01", "added", "2026/10/withdrawn.md", None),  # withdrawn, but it was added once
        ("2026-09-10", "added", "2026/09/first.md", None),
    ]
    assert all(type(c.date) is dt.date for c in changes)
    assert [c.key for c in changes if c.kind == "corrected"] == [
        "change-corrected-2026-11-05",
        "change-corrected-2026-11-05-2",
    ]


def test_changes_are_filed_under_the_release_they_fall_on_or_before(site_dir: SiteDir) -> None:
    groups = grouped(changes_of(_archive(site_dir)), RELEASES, CURRENT)
    assert [(g.title, g.version, g.date, g.anchor) for g in groups] == [
        (f"Since 2026.11: this snapshot ({CURRENT})", None, None, "this-snapshot"),
        ("Snapshot 2026.11 (30 Nov 2026)", "2026.11", dt.date(2026, 11, 30), "snapshot-2026.11"),
        ("Snapshot 2026.10 (1 Oct 2026)", "2026.10", dt.date(2026, 10, 1), "snapshot-2026.10"),
    ]
    current, november, october = groups
    assert _facts(current.changes) == [("2026-12-02", "added", "2026/12/late.md", None)]
    assert [(c.date.isoformat(), c.kind) for c in november.changes] == [
        ("2026-11-30", "withdrawn"),  # on the release's day: in the release
        ("2026-11-05", "corrected"),
        ("2026-11-05", "corrected"),
        ("2026-10-31", "updated"),
    ]
    assert [(c.date.isoformat(), c.article.path) for c in october.changes] == [
        ("2026-10-01", "2026/10/corrected.md"),  # on the first release's day, and before it
        ("2026-10-01", "2026/10/withdrawn.md"),
        ("2026-09-10", "2026/09/first.md"),
    ]


def test_without_releases_everything_is_this_snapshot(site_dir: SiteDir) -> None:
    changes = changes_of(_archive(site_dir))
    [group] = grouped(changes, [], CURRENT)
    assert (group.title, group.anchor) == (f"This snapshot ({CURRENT})", "this-snapshot")
    assert list(group.changes) == changes


def test_a_release_that_changed_nothing_keeps_its_group(site_dir: SiteDir) -> None:
    changes = changes_of(_archive(site_dir))
    groups = grouped(changes, [*RELEASES, _release("2026.12", "2026-12-31")], CURRENT)
    assert [(g.anchor, len(g.changes)) for g in groups] == [
        ("this-snapshot", 0),
        ("snapshot-2026.12", 1),
        ("snapshot-2026.11", 4),
        ("snapshot-2026.10", 3),
    ]


def test_one_day_orders_by_report_then_the_later_step_first(site_dir: SiteDir) -> None:
    site_dir.article(
        "b.md",
        synthetic_article(
            1,
            date="2026-10-01",
            corrections=[{"date": "2026-10-05", "note": "n"}],
            retracted={"date": "2026-10-05", "reason": "r"},
        ),
    )
    site_dir.article("a.md", synthetic_article(2, date="2026-10-05"))
    site_dir.article("c.md", synthetic_article(3, date="2026-10-01", updated="2026-10-05"))
    [group] = grouped(changes_of(load_archive(site_dir.articles)), [], CURRENT)
    assert [(c.date.day, c.article.path, c.kind) for c in group.changes] == [
        (5, "a.md", "added"),
        (5, "b.md", "withdrawn"),
        (5, "b.md", "corrected"),
        (5, "c.md", "updated"),
        (1, "b.md", "added"),
        (1, "c.md", "added"),
    ]


def test_the_feed_is_the_same_bytes_for_the_same_content(site_dir: SiteDir, tmp_path: Path) -> None:
    """Written twice, from two copies of the archive in two folders."""
    first = _atom(grouped(changes_of(_archive(site_dir)), RELEASES, CURRENT))
    copy = changes_of(_archive(SiteDir(tmp_path / "copy")))
    assert _atom(grouped(copy, RELEASES, CURRENT)) == first


def test_the_feed_has_one_entry_per_change_newest_first(site_dir: SiteDir) -> None:
    parsed = feedparser.parse(_atom(grouped(changes_of(_archive(site_dir)), RELEASES, CURRENT)))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == f"{SITE}changes/"
    assert parsed.feed.updated == "2026-12-02T00:00:00+00:00"  # the newest change, not the clock
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == len(ids) == 8
    assert ids[:4] == [
        f"{SITE}articles/2026/12/late/#change-added-2026-12-02",
        f"{SITE}articles/2026/10/withdrawn/#change-withdrawn-2026-11-30",
        f"{SITE}articles/2026/10/corrected/#change-corrected-2026-11-05",
        f"{SITE}articles/2026/10/corrected/#change-corrected-2026-11-05-2",
    ]
    assert [e.title for e in parsed.entries[:3]] == [
        "Added: Synthetic report 000004",
        "Withdrawn: Synthetic report 000003",
        "Corrected: Strike & <i>counter</i>-strike",
    ]
    withdrawn = parsed.entries[1]
    assert withdrawn.link == f"{SITE}articles/2026/10/withdrawn/"  # its notice, at its address
    assert (withdrawn.published, withdrawn.updated) == ("2026-11-30T00:00:00+00:00",) * 2
    assert [t.term for t in parsed.entries[0].tags] == ["this-snapshot"]
    assert parsed.entries[0].tags[0].label == f"Since 2026.11: this snapshot ({CURRENT})"


def test_editor_text_in_the_feed_stays_text(site_dir: SiteDir) -> None:
    atom = _atom(grouped(changes_of(_archive(site_dir)), RELEASES, CURRENT))
    assert b"<script>" not in atom and b"<b>" not in atom
    parsed = feedparser.parse(atom)
    corrected = parsed.entries[2]
    assert corrected.content[0].type == "text/plain"
    assert corrected.content[0].value == (f"Correction of 2026-11-05: {NOTE}\nSnapshot 2026.11 (30 Nov 2026)")
    assert parsed.entries[1].content[0].value.startswith(f"Withdrawn on 2026-11-30: {REASON}")


def test_the_feed_holds_the_newest_changes_up_to_its_limit(site_dir: SiteDir) -> None:
    groups = grouped(changes_of(_archive(site_dir)), RELEASES, CURRENT)
    parsed = feedparser.parse(_atom(groups, limit=2))
    assert [e.id.rsplit("#", 1)[1] for e in parsed.entries] == [
        "change-added-2026-12-02",
        "change-withdrawn-2026-11-30",
    ]
    empty = feedparser.parse(_atom([ChangeGroup("This snapshot", None, None, ())]))
    assert not empty.bozo and empty.entries == []
    assert empty.feed.updated == "1970-01-01T00:00:00+00:00"


def _page(groups: list[ChangeGroup], archive: Archive) -> BeautifulSoup:
    """The page as the site's renderer makes it (its macros need the renderer's filters)."""
    renderer = ArchiveSite(archive, SiteOptions()).renderer(lambda uri: uri)  # held: its env calls back
    html = changes_html(renderer.env, groups, lambda a: f"../articles/{a.slug}/", "feed.xml")
    return BeautifulSoup(html, "html.parser")


def test_the_page_has_a_section_per_snapshot_with_linked_reports(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    page = _page(grouped(changes_of(archive), RELEASES, CURRENT), archive)
    assert [(h["id"], h.get_text()) for h in page.select("h2")] == [
        ("this-snapshot", f"Since 2026.11: this snapshot ({CURRENT})"),
        ("snapshot-2026.11", "Snapshot 2026.11 (30 Nov 2026)"),
        ("snapshot-2026.10", "Snapshot 2026.10 (1 Oct 2026)"),
    ]
    assert page.select_one("a[type='application/atom+xml']")["href"] == "feed.xml"
    november = page.select("table.ca-changes")[1]
    assert november["aria-labelledby"] == "snapshot-2026.11"
    assert [th["scope"] for th in november.select("th")] == ["col"] * 4
    rows = [[td.get_text() for td in tr.select("td")] for tr in november.select("tbody tr")]
    assert rows[0] == ["2026-11-30", "Withdrawn", "Synthetic report 000003", REASON]  # markup as text
    assert rows[3] == ["2026-10-31", "Updated", "Strike & <i>counter</i>-strike", ""]
    assert november.select_one("time")["datetime"] == "2026-11-30"
    links = [a["href"] for a in november.select("tbody a")]
    assert links == ["../articles/2026/10/withdrawn/"] + ["../articles/2026/10/corrected/"] * 3
    assert not page.select("b, i, script")  # an editor's markup is shown, never made


def test_a_snapshot_without_changes_says_so(site_dir: SiteDir) -> None:
    page = _page([ChangeGroup("This snapshot", None, None, ())], _archive(site_dir))
    assert page.select_one("h2#this-snapshot") is not None
    assert not page.select("table")
    assert "No report was added" in page.select_one(".ca-empty").get_text()


def test_long_histories_go_on_over_pages_of_a_fixed_size(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    groups = grouped(changes_of(archive), RELEASES, CURRENT)
    total = sum(len(g.changes) for g in groups)
    pages = paged(groups, 2)
    assert [sum(len(g.changes) for g in page) for page in pages][:-1] == [2] * (len(pages) - 1)
    assert [c for page in pages for g in page for c in g.changes] == [c for g in groups for c in g.changes]
    assert sum(len(g.changes) for page in pages for g in page) == total
    # A group that runs over goes on under its own title on the next page.
    titles = [[g.title for g in page] for page in pages]
    assert any(page[0] == previous[-1] for previous, page in itertools.pairwise(titles))
    renderer = ArchiveSite(archive, SiteOptions()).renderer(lambda uri: uri.removesuffix("index.md"))
    second = BeautifulSoup(renderer.changes(pages[1], 2, len(pages), feed=False), "html.parser")
    pager = second.select_one("nav.ca-pager")
    assert pager is not None and f"Page 2 of {len(pages)}" in pager.get_text()
    assert [a["rel"] for a in pager.select("a")] == [["prev"], ["next"]]
    assert second.select_one("a[type='application/atom+xml']") is None
