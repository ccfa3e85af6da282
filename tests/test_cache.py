"""The cache between builds: a build does again only what changed, and never serves what is
stale or damaged. Cold, warm and damaged-cache builds write the same bytes."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from conflict_archive.execution.build import ArchiveBuild, BuildSettings
from conflict_archive.execution.memory import SessionMemory
from conflict_archive.execution.reading import KIND as READING_KIND
from conflict_archive.execution.reading import ReadingCounts
from conflict_archive.execution.store import STORE_FILE
from conflict_archive.plugin import ConflictArchivePlugin
from conflict_archive.problems import ArchiveError
from conflict_archive.site import SiteOptions
from conftest import SiteDir, synthetic_article, synthetic_event
from htmlcheck import forget_parsed_pages

CACHE = ".cache/conflict-archive"


def _archive(site_dir: SiteDir, count: int = 3) -> None:
    for n in range(1, count + 1):
        site_dir.article(
            f"2025/report-{n}.md",
            synthetic_article(n, tags=["Synthetic tag"], events=[synthetic_event(killed=n)]),
            body=f'Synthetic body {n}.\n\n<p onclick="alert({n})">Synthetic raw HTML</p>\n',
        )
    site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")


def _store(site_dir: SiteDir) -> Path:
    return site_dir.root / CACHE / STORE_FILE


@pytest.mark.parametrize("workers", [0, 1])
def test_cold_warm_and_damaged_cache_builds_write_the_same_bytes(
    site_dir: SiteDir, workers: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    site_dir.configure(cache=False, workers=0)
    site_dir.build()
    expected = site_dir.files()
    assert not (site_dir.root / ".cache").exists(), "cache: false keeps nothing"
    site_dir.configure(workers=workers)
    site_dir.build()
    assert site_dir.files() == expected, "cold"
    assert _store(site_dir).is_file()
    site_dir.build()
    assert site_dir.files() == expected, "warm"
    # One entry's value damaged in place: its checksum no longer matches, so it is not served.
    with closing(sqlite3.connect(_store(site_dir))) as connection, connection:
        damaged = connection.execute(
            "UPDATE entries SET value = substr(value, 1, length(value) / 2) WHERE kind = 'header'"
        ).rowcount
    assert damaged == 3
    site_dir.build()
    assert site_dir.files() == expected, "damaged entries"
    # The file cut short, overwritten with garbage, or of another format: started afresh.
    damages = {
        "truncated": lambda b: b[: len(b) // 3],
        "garbage": lambda b: b"Synthetic garbage " * 200,
    }
    for name, damage in damages.items():
        _store(site_dir).write_bytes(damage(_store(site_dir).read_bytes()))
        caplog.clear()
        with caplog.at_level(logging.INFO):
            site_dir.build()
        assert site_dir.files() == expected, name
        assert f"the cache in {_store(site_dir).parent} could not be read" in caplog.text, name
        site_dir.build()  # warm again
        assert site_dir.files() == expected, name
    with closing(sqlite3.connect(_store(site_dir))) as connection:
        connection.execute("PRAGMA user_version=99")
    site_dir.build()
    assert site_dir.files() == expected, "another format"


def test_an_edit_is_shown_everywhere_it_counts(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    site_dir.article(
        "2025/report-3.md", synthetic_article(3, tags=["Synthetic tag"], events=[synthetic_event(killed=33)])
    )
    site_dir.build()
    box = site_dir.html("articles/2025/report-3/").select_one('[data-field="killed"]')
    assert box.get_text(strip=True) == "33"
    kyiv = site_dir.html("regions/kyiv/")
    assert kyiv.select_one('[data-total="killed"]').get_text(strip=True) == "36"  # 1 + 2 + 33
    search = (site_dir.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Killed: 33." in search


def _work(site_dir: SiteDir, memory: SessionMemory) -> ArchiveBuild:
    settings = BuildSettings(
        articles_dir=site_dir.articles,
        display_dir="articles",
        shipped_vocabularies=True,
        site=SiteOptions(),
        cache_dir=site_dir.root / CACHE,
        workers=0,
    )
    return ArchiveBuild(settings, memory, print)


def _build(site_dir: SiteDir, memory: SessionMemory) -> tuple[ReadingCounts, ArchiveBuild]:
    work = _work(site_dir, memory)
    try:
        work.load()
    finally:
        work.close(succeeded=True)
    return work.reader.counts, work


def test_only_what_changed_is_read_again(site_dir: SiteDir) -> None:
    _archive(site_dir)
    counts, _ = _build(site_dir, SessionMemory())
    assert (counts.from_memory, counts.from_store, counts.read) == (0, 0, 3)
    memory = SessionMemory()
    memory.serving = True
    counts, _ = _build(site_dir, memory)
    assert (counts.from_memory, counts.from_store, counts.read) == (0, 3, 0)
    counts, _ = _build(site_dir, memory)  # the next build of a serve session
    assert (counts.from_memory, counts.from_store, counts.read) == (3, 0, 0)
    site_dir.article("2025/report-2.md", synthetic_article(2, events=[synthetic_event(killed=20)]))
    counts, work = _build(site_dir, memory)
    assert (counts.from_memory, counts.from_store, counts.read) == (2, 0, 1)
    killed = {a.path: str(a.events[0].killed) for a in work.archive.articles}
    assert killed["2025/report-2.md"] == "20"


def test_a_one_off_build_hands_each_body_over_once_and_keeps_none(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.article("2025/report-2.md", synthetic_article(2), body="Synthetic body of report 2.\n")
    memory = SessionMemory()
    work = _work(site_dir, memory)
    try:
        work.load()
        article = work.archive.by_path["2025/report-2.md"]
        assert all(a.body == "" for a in work.archive.articles), "set aside, not held by the archive"
        assert memory.readings == {}, "nor by the session's memory"
        assert work.body(article) == "Synthetic body of report 2.\n"
        assert work.body(article) == "Synthetic body of report 2.\n", "asked again: from the store"
        work.store.keep_only(READING_KIND, set())  # the store no longer has it: from the file
        assert work.body(article) == "Synthetic body of report 2.\n"
    finally:
        work.close(succeeded=True)
    memory.serving = True
    work = _work(site_dir, memory)
    try:
        work.load()
        article = work.archive.by_path["2025/report-2.md"]
        assert article.body == "Synthetic body of report 2.\n", "a serve session keeps articles whole"
        assert work.body(article) == article.body
    finally:
        work.close(succeeded=True)
    assert len(memory.readings) == 3


def test_a_vocabulary_change_reads_everything_again(site_dir: SiteDir) -> None:
    _archive(site_dir)
    memory = SessionMemory()
    _build(site_dir, memory)
    site_dir.write("_vocabulary/regions.yml", "synthetic-town: {name: Synthetic town, parent: kyiv}\n")
    counts, _ = _build(site_dir, memory)
    assert (counts.from_memory, counts.from_store, counts.read) == (0, 0, 3)


def test_an_article_with_problems_is_reported_on_every_build(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.article("2025/bad.md", synthetic_article(4, events=[synthetic_event(killed=-1)]))
    memory = SessionMemory()
    for _ in range(2):
        work = _work(site_dir, memory)
        with pytest.raises(ArchiveError, match=r"bad\.md:\d+: events\[0\]\.killed: must not be negative"):
            work.load()
        work.close(succeeded=False)
    # The second time, the valid articles came from memory and the bad one was read again.
    counts = work.reader.counts
    assert (counts.from_memory, counts.from_store, counts.read) == (3, 0, 1)


def test_deleted_articles_leave_the_cache(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    (site_dir.articles / "2025/report-3.md").unlink()
    site_dir.build()
    with closing(sqlite3.connect(_store(site_dir))) as connection:
        names = {name for (name,) in connection.execute("SELECT DISTINCT name FROM entries")}
    assert not any("report-3" in name for name in names)
    assert any("report-2" in name for name in names)


def test_a_second_site_with_the_same_articles_gets_a_whole_cache(tmp_path: Path) -> None:
    """MkDocs keeps one plugin instance per process, so readings in memory from one site serve
    another with the same files; the second site's cache (which its workers read the archive
    from) must still get all of them."""
    first, second = SiteDir(tmp_path / "first"), SiteDir(tmp_path / "second")
    for site_dir in (first, second):
        _archive(site_dir)
        site_dir.configure(workers=1)
        site_dir.build()
    with closing(sqlite3.connect(_store(second))) as connection:
        query = "SELECT count(*) FROM entries WHERE kind = 'article'"
        assert connection.execute(query).fetchone() == (3,)
    assert first.files().keys() == second.files().keys()
    box = second.html("articles/2025/report-2/").select_one('[data-field="killed"]')
    assert box.get_text(strip=True) == "2"


def test_cache_dir_is_where_the_cache_lives(site_dir: SiteDir, tmp_path: Path) -> None:
    _archive(site_dir)
    site_dir.configure(cache_dir="../elsewhere/cache")
    site_dir.build()
    assert (site_dir.root.parent / "elsewhere" / "cache" / STORE_FILE).is_file()
    assert not (site_dir.root / ".cache").exists()


def _serve_build(site_dir: SiteDir, first: bool = False) -> MkDocsConfig:
    """One build as `mkdocs serve` does it: the configuration is read again, and plugins that
    define on_startup are the same instances as in the previous build."""
    config = load_config(str(site_dir.root / "mkdocs.yml"))
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    forget_parsed_pages()
    build(config)
    return config


def test_serve_rebuilds_reuse_the_plugin_and_show_the_edit(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir)
    config = _serve_build(site_dir, first=True)
    plugin = config.plugins["conflict-archive"]
    assert isinstance(plugin, ConflictArchivePlugin)
    site_dir.article("2025/report-3.md", synthetic_article(3, events=[synthetic_event(killed=33)]))
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
        config = _serve_build(site_dir)
    assert config.plugins["conflict-archive"] is plugin
    assert "articles: 2 from memory, 0 from the cache, 1 read here" in caplog.text
    box = site_dir.html("articles/2025/report-3/").select_one('[data-field="killed"]')
    assert box.get_text(strip=True) == "33"
    kyiv = site_dir.html("regions/kyiv/")
    assert kyiv.select_one('[data-total="killed"]').get_text(strip=True) == "36"  # 1 + 2 + 33


def test_serve_rebuild_after_a_broken_edit_fails_then_recovers(site_dir: SiteDir) -> None:
    _archive(site_dir)
    _serve_build(site_dir, first=True)
    good = (site_dir.articles / "2025/report-1.md").read_text(encoding="utf-8")
    (site_dir.articles / "2025/report-1.md").write_text(good.replace("killed: 1", "killed: -1"), "utf-8")
    with pytest.raises(Abort):
        _serve_build(site_dir)
    (site_dir.articles / "2025/report-1.md").write_text(good, encoding="utf-8")
    _serve_build(site_dir)
    box = site_dir.html("articles/2025/report-1/").select_one('[data-field="killed"]')
    assert box.get_text(strip=True) == "1"


def test_a_template_change_renders_fragments_afresh(site_dir: SiteDir) -> None:
    _archive(site_dir)
    templates = site_dir.root / "overrides"
    templates.mkdir()
    site_dir.configure(templates_dir="overrides")
    _serve_build(site_dir, first=True)
    assert site_dir.html("articles/2025/report-1/").select_one("aside.ca-event:not(.custom)")
    (templates / "event.html").write_text(
        '<aside class="ca-event custom" id="event-{{ event.id }}">{{ event.killed | figure }}</aside>\n',
        encoding="utf-8",
    )
    _serve_build(site_dir)
    assert site_dir.html("articles/2025/report-1/").select_one("aside.ca-event.custom").get_text() == "1"
    site_dir.build()  # a separate build reads the same cache, and the same template
    assert site_dir.html("articles/2025/report-2/").select_one("aside.ca-event.custom").get_text() == "2"


def test_the_url_style_is_part_of_every_fragment_key(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.build()
    site_dir.add_to_config("use_directory_urls: false\n")
    site_dir.build()
    chip = site_dir.html("articles/2025/report-1.html").select_one('[data-field="place"] a')
    assert chip["href"] == "../../regions/kyiv/index.html"


class TwoSites:
    """One archive written into two sites: one builds with its cache kept from build to build,
    the other builds from nothing every time. After any edit they must write the same bytes."""

    def __init__(self, root: Path, workers: int) -> None:
        self.warm, self.cold = SiteDir(root / "warm"), SiteDir(root / "cold")
        # Two rows a page: totals on one page add up rows on others.
        self.warm.configure(workers=workers, page_size=2)
        self.cold.configure(cache=False, workers=0, page_size=2)

    def article(self, relative: str, front: dict[str, object], body: str = "Synthetic body.\n") -> None:
        for site in (self.warm, self.cold):
            site.article(relative, front, body)

    def write(self, relative: str, text: str) -> None:
        for site in (self.warm, self.cold):
            site.write(relative, text)

    def delete(self, relative: str) -> None:
        for site in (self.warm, self.cold):
            (site.articles / relative).unlink()

    def build_and_compare(self, what: str) -> None:
        for site in (self.warm, self.cold):
            site.build()
        warm, cold = self.warm.files(), self.cold.files()
        assert sorted(warm) == sorted(cold), what
        assert [path for path in warm if warm[path] != cold[path]] == [], what


def _report(n: int, *, date: str, region: str, killed: object = None, **fields: object) -> dict[str, object]:
    event = synthetic_event(date=date, region=region, **({"killed": killed} if killed is not None else {}))
    return synthetic_article(n, date=date, events=[event], **fields)


@pytest.mark.parametrize("workers", [0, 1])
def test_after_every_kind_of_edit_a_warm_build_writes_what_a_cold_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    sites = TwoSites(tmp_path, workers)
    regions = ["kyiv", "kharkiv", "kyiv", "odesa", "kyiv", "kharkiv", "kyiv", "kyiv"]
    for n, region in enumerate(regions, start=1):
        # Same day and place for 1, 3 and 5: they share an event, so each is in the others'
        # related coverage; all Kyiv reports are each other's previous and next.
        date = "2025-03-10" if n in {1, 3, 5} else f"2025-0{1 + n % 4}-1{n}"
        sites.article(
            f"2025/report-{n}.md", _report(n, date=date, region=region, killed=n, tags=["Synthetic tag"])
        )
    sites.article("2025/no-events.md", synthetic_article(9, date="2025-02-01", summary="Synthetic summary."))
    sites.build_and_compare("first build")
    edits = {
        "the body alone": lambda: sites.article(
            "2025/report-3.md",
            _report(3, date="2025-03-10", region="kyiv", killed=3, tags=["Synthetic tag"]),
            body="Synthetic body, edited.\n",
        ),
        "a figure": lambda: sites.article(
            "2025/report-3.md",
            _report(3, date="2025-03-10", region="kyiv", killed=33, tags=["Synthetic tag"]),
        ),
        "a figure that becomes 'at least', in the source's words": lambda: sites.article(
            "2025/report-3.md",
            _report(
                3,
                date="2025-03-10",
                region="kyiv",
                killed={"low": 3, "as_reported": "at least three"},
                tags=["Synthetic tag"],
            ),
        ),
        "a title shown in others' related coverage and rows": lambda: sites.article(
            "2025/report-1.md",
            _report(
                1,
                date="2025-03-10",
                region="kyiv",
                killed=1,
                tags=["Synthetic tag"],
                title="Synthetic renamed",
            ),
        ),
        "a new article in a new month": lambda: sites.article(
            "2025/report-10.md", _report(10, date="2025-07-01", region="odesa", killed=10)
        ),
        "a new article in a new year": lambda: sites.article(
            "2023/report-11.md", _report(11, date="2023-05-05", region="lviv", killed=11)
        ),
        "an article deleted": lambda: sites.delete("2025/report-5.md"),
        "a new free tag": lambda: sites.article(
            "2025/report-2.md",
            _report(2, date="2025-03-12", region="kharkiv", killed=2, tags=["Synthetic new tag"]),
        ),
        "an event moved to another place": lambda: sites.article(
            "2025/report-7.md",
            _report(7, date="2025-04-17", region="kharkiv", killed=7, tags=["Synthetic tag"]),
        ),
        "an event moved to another month of the same year": lambda: sites.article(
            "2025/report-4.md",
            _report(4, date="2025-02-14", region="odesa", killed=4, tags=["Synthetic tag"]),
        ),
        "a publication date that changes the order": lambda: sites.article(
            "2025/report-6.md",
            _report(6, date="2024-12-30", region="kharkiv", killed=6, tags=["Synthetic tag"]),
        ),
        "an intro for a term": lambda: sites.write("_vocabulary/regions/kharkiv.md", "Synthetic intro.\n"),
        "a place added to the vocabulary": lambda: sites.write(
            "_vocabulary/regions.yml", "synthetic-town: {name: Synthetic town, parent: kyiv}\n"
        ),
        "an event in the new place": lambda: sites.article(
            "2025/report-8.md", _report(8, date="2025-01-18", region="synthetic-town", killed=8)
        ),
        "what sort of place the new place is": lambda: sites.write(
            "_vocabulary/regions.yml", "synthetic-town: {name: Synthetic town, kind: town, parent: kyiv}\n"
        ),
    }
    for what, edit in edits.items():
        edit()
        sites.build_and_compare(what)


def _rendered_on_the_spot(site_dir: SiteDir, caplog: pytest.LogCaptureFixture) -> int:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
        site_dir.build()
    return int(caplog.text.split("fragments rendered on the spot: ")[1].split()[0])


def test_an_edit_renders_again_only_what_shows_the_article(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    places = ["kyiv", "kharkiv", "odesa", "lviv", "dnipro"]
    for n in range(1, 31):
        date = f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}"
        site_dir.article(f"2024/report-{n}.md", _report(n, date=date, region=places[n % 5], killed=n))
    site_dir.configure(workers=0)
    everything = _rendered_on_the_spot(site_dir, caplog)
    assert everything > 150
    # The body alone: of the archive's own HTML only its citations show it (by its file's hash):
    # the metadata in its <head> and its "Cite this".
    site_dir.article("2024/report-7.md", _report(7, date="2024-08-08", region="odesa", killed=7), "Edited.\n")
    assert _rendered_on_the_spot(site_dir, caplog) == 2
    # A new figure: the article's own fragments, the footers that show it, the pages that list
    # it (Odesa and Ukraine, its type, its actor, its month and year), the index pages and the map.
    site_dir.article("2024/report-7.md", _report(7, date="2024-08-08", region="odesa", killed=700))
    assert 10 <= _rendered_on_the_spot(site_dir, caplog) <= 42
    # A new article: its own, its neighbours' footers, what lists it; not every other page.
    site_dir.article("2024/report-31.md", _report(31, date="2024-08-20", region="lviv", killed=31))
    assert 10 <= _rendered_on_the_spot(site_dir, caplog) <= 45
    site_dir.configure(workers=0, templates_dir="overrides")
    (site_dir.root / "overrides").mkdir()
    _rendered_on_the_spot(site_dir, caplog)  # everything: the templates are new
    site_dir.article("2024/report-7.md", _report(7, date="2024-08-08", region="odesa", killed=7))
    # With a site's own templates, every footer and page depends on everything.
    assert _rendered_on_the_spot(site_dir, caplog) >= 31 + 60


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": "many"}, "expected auto or a whole number of worker processes, got 'many'"),
        ({"workers": -1}, "expected auto or a whole number of worker processes, got -1"),
        ({"workers": True}, "expected auto or a whole number of worker processes, got True"),
        ({"page_size": 0}, "must be at least 1, got 0"),
        ({"related_limit": -2}, "must be at least 1, got -2"),
    ],
)
def test_options_are_checked_with_a_clear_message(
    site_dir: SiteDir, options: dict[str, object], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    site_dir.configure(**options)
    with pytest.raises(Abort):
        site_dir.build()
    assert message in caplog.text


def test_serve_rebuilds_write_what_a_cold_build_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In serve the plugin also keeps the last build's HTML in memory: under the same keys."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    sites = TwoSites(tmp_path, workers=0)
    for n in range(1, 7):
        sites.article(
            f"2025/report-{n}.md", _report(n, date=f"2025-0{1 + n % 3}-1{n}", region="kyiv", killed=n)
        )
    _serve_build(sites.warm, first=True)
    edits = [
        lambda: sites.article("2025/report-2.md", _report(2, date="2025-03-12", region="kyiv", killed=20)),
        lambda: sites.article("2025/report-7.md", _report(7, date="2025-02-17", region="kharkiv", killed=7)),
        lambda: sites.delete("2025/report-4.md"),
    ]
    for number, edit in enumerate(edits):
        edit()
        _serve_build(sites.warm)
        sites.cold.build()
        warm, cold = sites.warm.files(), sites.cold.files()
        assert [path for path in warm if warm[path] != cold.get(path)] == [], number
        assert sorted(warm) == sorted(cold), number


# ---- Data files and feeds, kept by what they show ------------------------------------------


def _data_folders(site_dir: SiteDir) -> list[Path]:
    return sorted((site_dir.root / ".cache" / "conflict-archive" / "files").iterdir())


def test_data_files_are_written_again_only_when_the_front_matter_changes(site_dir: SiteDir) -> None:
    for n in range(1, 4):
        site_dir.article(f"2024/report-{n}.md", _report(n, date=f"2024-03-0{n}", region="kyiv", killed=n))
    site_dir.build()
    (folder,) = _data_folders(site_dir)
    events = folder / "data" / "events.csv"
    written = events.stat().st_mtime_ns
    first = site_dir.files()
    site_dir.article("2024/report-2.md", _report(2, date="2024-03-02", region="kyiv", killed=2), "Edited.\n")
    site_dir.build()
    assert _data_folders(site_dir) == [folder] and events.stat().st_mtime_ns == written
    assert site_dir.files()["data/events.csv"] == first["data/events.csv"]
    site_dir.article("2024/report-2.md", _report(2, date="2024-03-02", region="kyiv", killed=20))
    site_dir.build()
    assert len(_data_folders(site_dir)) == 2, "a new folder, the old one kept for a while"
    assert b",20,20,20," in site_dir.files()["data/events.csv"]
    for killed in (21, 22, 23):  # the last three contents' folders are kept
        site_dir.article("2024/report-2.md", _report(2, date="2024-03-02", region="kyiv", killed=killed))
        site_dir.build()
    assert len(_data_folders(site_dir)) == 3
    assert folder not in _data_folders(site_dir)


@pytest.mark.parametrize("damage", ["truncated", "changed", "listing removed", "file removed"])
def test_damaged_data_files_in_the_cache_are_written_again_never_served(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    for n in range(1, 4):
        site_dir.article(f"2024/report-{n}.md", _report(n, date=f"2024-03-0{n}", region="kyiv", killed=n))
    site_dir.build()
    clean = site_dir.files()
    (folder,) = _data_folders(site_dir)
    target = folder / "regions" / "kyiv" / "feed.xml"
    match damage:
        case "truncated":
            target.write_bytes(target.read_bytes()[:100])
        case "changed":
            content = target.read_bytes()
            target.write_bytes(content.replace(b"Synthetic", b"Synthetiq"))
        case "listing removed":
            (folder / "files.json").unlink()
        case "file removed":
            target.unlink()
    with caplog.at_level(logging.INFO):
        site_dir.build()
    assert site_dir.files() == clean
    if damage != "listing removed":
        assert "data files" in caplog.text and "damaged" in caplog.text


def test_a_data_folder_written_meanwhile_by_another_build_is_used(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds of one content sharing a cache: the second to finish keeps the first's folder."""
    site_dir.article("2024/report-1.md", _report(1, date="2024-03-01", region="kyiv", killed=1))
    site_dir.build()
    clean = site_dir.files()
    (folder,) = _data_folders(site_dir)
    shutil.rmtree(folder)  # as if this build were first to get there...
    original = Path.replace

    def other_build_first(self: Path, target: Path) -> Path:  # ...and another overtook it
        if Path(target) == folder:
            shutil.copytree(self, folder)
        return original(self, target)

    monkeypatch.setattr(Path, "replace", other_build_first)
    site_dir.build()
    assert site_dir.files() == clean
    assert [p.name for p in _data_folders(site_dir)] == [folder.name]
