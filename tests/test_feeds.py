"""Feeds read back by feedparser (Atom) and checked against JSON Feed 1.1 (jsonschema): in
isolation, on a built synthetic site and on every feed of the demonstration archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import jsonschema

from conflict_archive.archive import load_archive
from conflict_archive.feeds import Feed, FeedWriter
from conflict_archive.index import ArchiveIndex
from conftest import REPO, SiteDir, synthetic_article, synthetic_event

# The parts of JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) a reader relies on.
JSON_FEED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def _archive(site_dir: SiteDir) -> Any:
    site_dir.article(
        "2025/10/old.md",
        synthetic_article(1, date="2025-10-01", events=[synthetic_event(date="2025-10-01", killed=2)]),
    )
    site_dir.article(
        "2025/10/corrected.md",
        synthetic_article(
            2,
            date="2025-10-05",
            title='Strike <script>alert("x")</script> & more',
            summary="Summary with <b>markup</b> & an ampersand.",
            authors=["Synthetic Editor"],
            corrections=[{"date": "2025-11-02", "note": "Injured figure raised <from> 3."}],
            events=[synthetic_event(date="2025-10-04", killed={"low": 2}, injured={"low": 3, "high": 5})],
        ),
    )
    site_dir.article(
        "2025/10/new.md",
        synthetic_article(3, date="2025-10-20", events=[synthetic_event(date="2025-10-19", region="odesa")]),
    )
    return load_archive(site_dir.articles)


def _writer(archive: Any, size: int = 50) -> FeedWriter:
    return FeedWriter(
        archive.vocabularies, lambda a: f"https://synthetic.invalid/articles/{a.slug}/", size=size
    )


SITE = "https://synthetic.invalid/"
DEMO = "https://conflict-archive.example.org/"
FEED = Feed(
    "Synthetic", "Newest", "https://synthetic.invalid/", "https://x.invalid/f.xml", "https://x.invalid/f.json"
)


def test_atom_entries_come_newest_first_with_permalinks_as_ids(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    newest_first = sorted(archive.articles, key=lambda a: a.newest_first_key)
    parsed = feedparser.parse(_writer(archive).atom(FEED, newest_first))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == [
        "https://synthetic.invalid/articles/2025/10/new/",
        "https://synthetic.invalid/articles/2025/10/corrected/",
        "https://synthetic.invalid/articles/2025/10/old/",
    ]
    assert parsed.feed.updated == "2025-11-02T00:00:00+00:00"  # the correction is the newest change


def test_a_correction_makes_the_entry_updated_and_is_in_its_content(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    parsed = feedparser.parse(_writer(archive).atom(FEED, list(archive.articles)))
    entry = next(e for e in parsed.entries if e.id.endswith("/corrected/"))
    assert entry.published == "2025-10-05T00:00:00+00:00"
    assert entry.updated == "2025-11-02T00:00:00+00:00"
    content = entry.content[0].value
    assert "Correction of 2025-11-02: Injured figure raised &lt;from&gt; 3." in content
    assert "Killed: at least 2. Injured: 3–5." in content


def test_editor_text_stays_text_in_both_feeds(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    writer = _writer(archive)
    atom = feedparser.parse(writer.atom(FEED, list(archive.articles)))
    entry = next(e for e in atom.entries if e.id.endswith("/corrected/"))
    assert entry.title == 'Strike <script>alert("x")</script> & more'
    assert (
        "<b>" not in entry.content[0].value
        and "&lt;b&gt;markup&lt;/b&gt; &amp; an ampersand" in entry.content[0].value
    )
    document = json.loads(writer.json_feed(FEED, list(archive.articles)))
    item = next(i for i in document["items"] if i["id"].endswith("/corrected/"))
    assert item["title"] == 'Strike <script>alert("x")</script> & more'
    assert "<script>" not in item["content_html"]


def test_not_reported_is_said_never_zero(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    parsed = feedparser.parse(_writer(archive).atom(FEED, list(archive.articles)))
    entry = next(e for e in parsed.entries if e.id.endswith("/new/"))
    assert "Killed: not reported. Injured: not reported." in entry.content[0].value


def test_a_feed_holds_the_newest_entries_up_to_its_size(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    newest_first = sorted(archive.articles, key=lambda a: a.newest_first_key)
    parsed = feedparser.parse(_writer(archive, size=2).atom(FEED, newest_first))
    assert [e.id.rsplit("/", 2)[1] for e in parsed.entries] == ["new", "corrected"]
    document = json.loads(_writer(archive, size=2).json_feed(FEED, newest_first))
    assert len(document["items"]) == 2


def test_json_feed_follows_version_1_1(site_dir: SiteDir) -> None:
    archive = _archive(site_dir)
    document = json.loads(_writer(archive).json_feed(FEED, list(archive.articles)))
    jsonschema.validate(document, JSON_FEED_SCHEMA, format_checker=FORMATS)
    item = next(i for i in document["items"] if i["id"].endswith("/corrected/"))
    assert item["date_modified"] == "2025-11-02T00:00:00+00:00"
    assert item["authors"] == [{"name": "Synthetic Editor"}]


def test_the_built_site_has_feeds_per_term_with_autodiscovery(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    whole = feedparser.parse((site_dir.site / "feed.xml").read_bytes())
    assert not whole.bozo and len(whole.entries) == 3
    kyiv = feedparser.parse((site_dir.site / "regions" / "kyiv" / "feed.xml").read_bytes())
    assert not kyiv.bozo
    assert {e.id.rsplit("/", 2)[1] for e in kyiv.entries} == {"old", "corrected"}
    assert kyiv.feed.link == "https://synthetic.invalid/regions/kyiv/"
    page = site_dir.html("regions/kyiv/")
    links = {
        str(link["href"])
        for link in page.select('head link[rel~="alternate"]')
        if link.get("type") != "text/html"
    }
    assert links == {
        "https://synthetic.invalid/feed.xml",
        "https://synthetic.invalid/feed.json",
        "https://synthetic.invalid/regions/kyiv/feed.xml",
        "https://synthetic.invalid/regions/kyiv/feed.json",
    }
    for link in links:
        assert (site_dir.site / link.removeprefix("https://synthetic.invalid/")).is_file()


def test_a_site_without_its_url_has_no_feeds(site_dir: SiteDir) -> None:
    _archive(site_dir)
    config = site_dir.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url:", "#"), encoding="utf-8")
    site_dir.build()
    assert not (site_dir.site / "feed.xml").exists()
    assert not list(site_dir.site.rglob("feed.json"))
    assert not site_dir.html("regions/kyiv/").select('link[type="application/atom+xml"]')
    assert (site_dir.site / "regions" / "kyiv" / "events.csv").is_file()


def test_every_feed_of_the_demonstration_archive_reads_and_matches_its_term_page(demo_site: Path) -> None:
    site = demo_site
    archive = load_archive(REPO / "articles")
    index = ArchiveIndex(archive.articles, archive.vocabularies)
    checked = 0
    for taxonomy, listings in index.terms.items():
        for key, listing in listings.items():
            folder = site / taxonomy / key
            atom = feedparser.parse((folder / "feed.xml").read_bytes())
            assert not atom.bozo, (taxonomy, key, atom.get("bozo_exception"))
            expected = [
                f"https://conflict-archive.example.org/articles/{a.slug}/" for a in listing.articles[:50]
            ]
            assert [e.id for e in atom.entries] == expected, (taxonomy, key)
            document = json.loads((folder / "feed.json").read_bytes())
            jsonschema.validate(document, JSON_FEED_SCHEMA, format_checker=FORMATS)
            assert [i["id"] for i in document["items"]] == expected
            checked += 1
    assert checked == sum(len(listings) for listings in index.terms.values()) > 50
