"""End to end: small synthetic archives built with MkDocs' own build, read with a real parser."""

from __future__ import annotations

import gc
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conflict_archive.cli import main
from conflict_archive.model import Article
from conftest import SiteDir, synthetic_article, synthetic_event
from htmlcheck import (
    TERM_LINKS,
    all_pages_of,
    broken_links,
    linked_pages,
    listed_articles,
    resolve,
    row_event_ids,
    soup,
)


def _small_archive(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/10/night-strikes.md",
        synthetic_article(
            1,
            summary="Synthetic summary 1.",
            tags=["Gaza", "gaza ", "Energy infrastructure"],
            sources=[
                {
                    "title": "Synthetic source A",
                    "url": "https://synthetic.invalid/a",
                    "publisher": "Synthetic",
                }
            ],
            events=[
                synthetic_event(
                    region="kyiv-dniprovskyi",
                    killed={"low": 1, "high": 2},
                    weapons=["Shahed"],
                    damage=["residential building"],
                    sources=[1],
                ),
                synthetic_event(
                    region="kharkiv",
                    injured=3,
                    type="shelling-artillery-missile-attack",
                    weapons=["iskander-m"],
                ),
            ],
        ),
    )
    site_dir.article(
        "2025/09/earlier.md",
        synthetic_article(
            2,
            date="2025-09-02",
            tags=["GAZA"],
            events=[synthetic_event(date="2025-09-01", region="kyiv-pecherskyi", killed=0, injured=4)],
        ),
    )
    site_dir.article(
        "2025/08/no-events.md", synthetic_article(3, date="2025-08-15", regions=["odesa-oblast"])
    )


def test_summary_boxes_show_the_recorded_figures(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    page = site_dir.html("articles/2025/10/night-strikes/")
    boxes = page.select("aside.ca-event")
    assert [b["data-event-id"] for b in boxes] == ["2025-10-night-strikes-e1", "2025-10-night-strikes-e2"]
    first, second = boxes
    assert first.select_one('[data-field="killed"]').get_text(strip=True) == "1–2"
    assert first.select_one('[data-field="injured"]').get_text(strip=True) == "not reported"
    assert first.select_one('[data-field="damage"]').get_text(strip=True) == "residential building"
    assert (
        first.select_one('[data-field="weapons"] a').get_text(strip=True) == "Shahed-136 one-way attack drone"
    )
    assert first.select_one('[data-field="sources"] a')["href"] == "#source-1"
    assert second.select_one('[data-field="killed"]').get_text(strip=True) == "not reported"
    assert second.select_one('[data-field="injured"]').get_text(strip=True) == "3"
    zero = site_dir.html("articles/2025/09/earlier/").select_one('aside.ca-event [data-field="killed"]')
    assert zero.get_text(strip=True) == "0"


def test_the_seed_reports_figures_come_out_as_stated_on_every_page(site_dir: SiteDir) -> None:
    """ "Killing at least two people and injuring several others, including a child", through
    the real build: the box, the term and month pages' rows and totals, and nothing invented."""
    site_dir.article(
        "2025/10/seed.md",
        synthetic_article(
            1,
            events=[
                synthetic_event(
                    region="kyiv-dniprovskyi",
                    killed={"low": 2},
                    injured={"low": 1, "as_reported": "several, including a child"},
                ),
                synthetic_event(region="kharkiv", killed={"low": 1, "high": 3}, injured=4),
            ],
        ),
    )
    site_dir.build()
    box = site_dir.html("articles/2025/10/seed/").select_one("aside.ca-event")
    injured = "at least 1, reported as “several, including a child”"
    assert box.select_one('[data-field="killed"]').get_text(strip=True) == "at least 2"
    assert box.select_one('[data-field="injured"]').get_text(strip=True) == injured
    assert "data-high" not in box.select_one('[data-field="killed"] span').attrs
    for page in ("regions/ukraine/", "dates/2025/10/", "actors/russian-armed-forces/"):
        html = site_dir.html(page)
        totals = [html.select_one(f'[data-total="{f}"]').get_text(strip=True) for f in ("killed", "injured")]
        assert totals == ["at least 3", "at least 5"], page
        rows = [
            [td.get_text(strip=True) for td in tr.select("td")]
            for tr in html.select("table.ca-events tbody tr")
        ]
        assert [row[3:5] for row in rows] == [["at least 2", injured], ["1–3", "4"]], page
    kharkiv = site_dir.html("regions/kharkiv/")
    assert kharkiv.select_one('[data-total="killed"]').get_text(strip=True) == "1–3"
    year = site_dir.html("dates/2025/").select_one("table tbody tr").get_text(" ", strip=True)
    assert "at least 3" in year and "at least 5" in year


def test_every_chip_leads_to_a_term_page_that_lists_the_article(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    for article in ("2025/10/night-strikes", "2025/09/earlier", "2025/08/no-events"):
        page = site_dir.site / "articles" / article / "index.html"
        # Chips in the summary boxes and under "Filed under" (what the boxes do not show).
        targets = linked_pages(site_dir.site, page, TERM_LINKS)
        assert targets, article
        for target in targets:
            assert page in listed_articles(target), (article, target)


def test_term_pages_roll_up_descendants_with_honest_totals(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    kyiv = site_dir.html("regions/kyiv/")
    assert kyiv.select_one('[data-total="events"]').get_text(strip=True) == "2"
    assert kyiv.select_one('[data-total="articles"]').get_text(strip=True) == "2"
    # 1–2 killed plus 0 killed; injured 4 reported, one event unreported.
    assert kyiv.select_one('[data-total="killed"]').get_text(strip=True) == "1–2"
    assert kyiv.select_one('[data-total="injured"]').get_text(strip=True) == "4 (not reported for 1 event)"
    children = [a.get_text(strip=True) for a in kyiv.select(".ca-children a")]
    assert children == ["Dniprovskyi district, Kyiv", "Pecherskyi district, Kyiv"]
    ukraine = site_dir.html("regions/ukraine/")
    assert ukraine.select_one('[data-total="events"]').get_text(strip=True) == "3"
    assert ukraine.select_one('[data-total="injured"]').get_text(strip=True) == "7 (not reported for 1 event)"
    events = row_event_ids(ukraine)
    assert events == ["2025-10-night-strikes-e1", "2025-10-night-strikes-e2", "2025-09-earlier-e1"]


def test_every_generated_link_resolves(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    assert broken_links(site_dir.site) == []


def test_tags_are_normalised_into_one_term(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    tags = site_dir.html("tags/")
    names = [a.get_text(strip=True) for a in tags.select(".ca-index a")]
    assert names == ["Energy infrastructure", "Gaza"]
    gaza = site_dir.html("tags/gaza/")
    assert gaza.select_one('[data-total="articles"]').get_text(strip=True) == "2"


def test_date_archives_list_events_by_month_with_neighbours(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    october = site_dir.html("dates/2025/10/")
    assert row_event_ids(october) == [
        "2025-10-night-strikes-e1",
        "2025-10-night-strikes-e2",
    ]
    previous = october.select_one('.ca-period-nav a[rel="prev"]')["href"]
    assert resolve(site_dir.site, "/dates/2025/10/", previous) == (
        site_dir.site / "dates/2025/09/index.html",
        "",
    )
    august = site_dir.html("dates/2025/08/")  # an article without events is filed by publication month
    assert [a["data-article"] for a in august.select("[data-article]")] == ["2025/08/no-events.md"]
    year = site_dir.html("dates/2025/")
    assert [a.get_text(strip=True) for a in year.select(".ca-periods a")] == [
        "October 2025",
        "September 2025",
        "August 2025",
    ]


def test_long_listings_are_paginated(site_dir: SiteDir) -> None:
    site_dir.configure(page_size=2)
    for n in range(1, 6):
        site_dir.article(
            f"2025/report-{n}.md", synthetic_article(n, events=[synthetic_event(date=f"2025-10-0{n}")])
        )
    site_dir.build()
    pages = all_pages_of(site_dir.site / "regions" / "kyiv" / "index.html")
    assert [p.relative_to(site_dir.site).as_posix() for p in pages] == [
        "regions/kyiv/index.html",
        "regions/kyiv/page/2/index.html",
        "regions/kyiv/page/3/index.html",
    ]
    per_page = [len(row_event_ids(soup(p))) for p in pages]
    assert per_page == [2, 2, 1]
    newest = row_event_ids(soup(pages[0]))[0]
    assert newest == "2025-report-5-e1"


def test_navigation_holds_indexes_not_articles(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    nav = site_dir.html("articles/2025/10/night-strikes/").select_one("nav.md-nav--primary")
    titles = [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]
    assert titles == ["Synthetic archive", "Browse"]  # one link: Material renders the nav into every page
    browse = site_dir.site / "browse" / "index.html"
    assert [a.get_text(strip=True) for a in soup(browse).select(".ca-browse a")] == [
        "Regions",
        "Actors",
        "Event types",
        "Weapons",
        "Tags",
        "Dates",
        "Map",
    ]
    indexes = linked_pages(site_dir.site, browse, ".ca-browse a")
    assert [p.relative_to(site_dir.site).as_posix() for p in indexes] == [
        f"{name}/index.html"
        for name in ("regions", "actors", "event-types", "weapons", "tags", "dates", "map")
    ]


def test_indexes_listed_in_the_nav_keep_their_titles_on_every_page(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    nav = "nav:\n  - index.md\n  - browse/index.md\n  - regions/index.md\n  - dates/index.md\n"
    site_dir.add_to_config(nav)
    site_dir.build()
    for page in sorted(site_dir.site.rglob("*.html")):
        primary = soup(page).select_one("nav.md-nav--primary")
        if primary is None:  # redirect pages
            continue
        titles = [a.get_text(" ", strip=True) for a in primary.select("a.md-nav__link")]
        assert titles == ["Synthetic archive", "Browse", "Regions", "Dates"], page


def test_related_coverage_and_neighbours_in_region(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.article(
        "2025/10/same-night.md",
        synthetic_article(4, events=[synthetic_event(region="kyiv-dniprovskyi", killed=1)]),
    )
    site_dir.build()
    related = site_dir.html("articles/2025/10/same-night/").select(".ca-related a")
    assert related[0].get_text(strip=True) == "Synthetic report 000001"  # same date and region: same event
    region_nav = site_dir.html("articles/2025/10/night-strikes/").select_one(".ca-region-nav")
    assert region_nav.select_one('a[rel="next"]').get_text(strip=True).startswith("Synthetic report 000004")


def test_editor_values_are_escaped(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/x.md",
        synthetic_article(
            5,
            title='<img src=x onerror="alert(1)">',
            summary="<script>alert(2)</script>",
            events=[synthetic_event(location="<b>bold</b>", notes="a & b")],
        ),
    )
    site_dir.build()
    article = site_dir.html("articles/2025/x/").select_one("article")
    assert article.find("img", src="x") is None
    assert article.find("script") is None
    assert article.find("b") is None
    assert article.select_one("h1").get_text() == '<img src=x onerror="alert(1)">'


def test_template_override_and_term_intro(site_dir: SiteDir) -> None:
    site_dir.configure(templates_dir="overrides")
    (site_dir.root / "overrides").mkdir()
    (site_dir.root / "overrides" / "event.html").write_text(
        '<aside class="ca-event custom" data-event-id="{{ event.id }}">{{ event.killed | figure }}</aside>\n',
        encoding="utf-8",
    )
    site_dir.write("_vocabulary/regions/kyiv.md", "The capital. **Synthetic intro.**\n")
    site_dir.article("2025/y.md", synthetic_article(6, events=[synthetic_event(killed=7)]))
    site_dir.build()
    box = site_dir.html("articles/2025/y/").select_one("aside.ca-event.custom")
    assert box.get_text(strip=True) == "7"
    assert site_dir.html("regions/kyiv/").select_one("article strong").get_text() == "Synthetic intro."


def test_a_bad_archive_fails_the_build_with_a_located_error_and_keeps_the_old_site(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    site_dir.article("2025/ok.md", synthetic_article(7, events=[synthetic_event()]))
    site_dir.build()
    assert (site_dir.site / "articles" / "2025" / "ok" / "index.html").is_file()
    site_dir.write(
        "2025/bad.md",
        """
        ---
        title: Synthetic report 000008
        date: 2025-10-23
        events:
          - date: 2025-10-22
            type: air-drone-strike
            region: Kharkov city
            killed: many
        ---
        Body.
        """,
    )
    with pytest.raises(Abort):
        site_dir.build()
    message = caplog.text
    assert "articles/2025/bad.md:8: events[0].killed: expected a number, got the words 'many'" in message
    assert (site_dir.site / "articles" / "2025" / "ok" / "index.html").is_file()


def test_mkdocs_cli_reports_the_problem_without_a_traceback(site_dir: SiteDir) -> None:
    site_dir.write(
        "2025/bad.md",
        """
        ---
        title: Synthetic report 000009
        date: 2025-10-23
        events:
          - date: 2025-10-22
            type: air-drone-strike
            region: Kharkiw
        ---
        """,
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=site_dir.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        "articles/2025/bad.md:7: events[0].region: unknown regions value 'Kharkiw'; "
        "nearest known keys: kharkiv"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_strict_build_of_an_unknown_value_raises(site_dir: SiteDir) -> None:
    site_dir.article("2025/z.md", synthetic_article(10, weapons=["Death ray"]))
    with pytest.raises(Abort):
        site_dir.build()


def test_no_files_are_written_into_docs(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    assert sorted(p.name for p in (site_dir.root / "docs").iterdir()) == ["index.md"]


@pytest.fixture(autouse=True)
def _no_mkdocs_2_banner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def test_site_builds_without_the_plugin_enabled(site_dir: SiteDir) -> None:
    site_dir.configure(enabled=False)
    site_dir.build()
    assert not (site_dir.site / "regions").exists()
    assert Path(site_dir.site / "index.html").is_file()


def test_earlier_paths_redirect_to_the_article(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/10/new-name.md", synthetic_article(11, aliases=["2025/10/old-name", "old/other.md"])
    )
    site_dir.build()
    redirect = site_dir.html("articles/2025/10/old-name/")
    assert redirect.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../new-name/"
    assert redirect.select_one("a")["href"] == "../new-name/"
    assert site_dir.html("articles/old/other/").select_one("a")["href"] == "../../2025/10/new-name/"


def test_an_alias_may_not_take_a_live_articles_path(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    site_dir.article("2025/a.md", synthetic_article(12))
    site_dir.article("2025/b.md", synthetic_article(13, aliases=["2025/a"]))
    with pytest.raises(Abort):
        site_dir.build()
    assert "articles/2025/b.md:5: aliases[0]: '2025/a' is also the path of articles/2025/a.md" in caplog.text


def test_a_docs_file_at_a_generated_path_is_refused(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    (site_dir.root / "docs" / "regions.md").write_text("# Mine\n", encoding="utf-8")
    site_dir.article("2025/c.md", synthetic_article(14, events=[synthetic_event()]))
    with pytest.raises(Abort):
        site_dir.build()
    assert "docs/regions.md: the archive publishes regions/index.html itself" in caplog.text


def test_coordinates_come_from_the_event_or_else_its_region(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/geo.md",
        synthetic_article(
            15,
            events=[
                synthetic_event(coordinates=[50.4547, 30.6166]),
                synthetic_event(region="kyiv-pecherskyi"),
            ],
        ),
    )
    (site_dir.articles / "_vocabulary").mkdir()
    (site_dir.articles / "_vocabulary" / "regions.yml").write_text(
        "kyiv-pecherskyi: {name: Pecherskyi, parent: kyiv, coordinates: [50.4269, 30.5494]}\n",
        encoding="utf-8",
    )
    site_dir.build()
    exact, inherited = site_dir.html("articles/2025/geo/").select("aside.ca-event")
    assert (exact["data-lat"], exact["data-lon"]) == ("50.4547", "30.6166")
    assert exact.select_one(".ca-coordinates").get_text(strip=True) == "50.4547, 30.6166 (exact location)"
    assert (exact["data-location-precision"], inherited.get("data-location-precision")) == ("exact", None)
    assert (inherited["data-lat"], inherited["data-lon"]) == ("50.4269", "30.5494")
    assert (
        inherited.select_one(".ca-coordinates").get_text(strip=True)
        == "50.4269, 30.5494 (centre of Pecherskyi)"
    )


def test_a_body_that_starts_like_meta_data_is_kept_whole(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/update.md", synthetic_article(16), body="Update: rescuers found a second victim.\n\nMore.\n"
    )
    site_dir.write("_vocabulary/regions/kyiv.md", "Note: synthetic intro line.\n")
    site_dir.article("2025/kyiv.md", synthetic_article(17, events=[synthetic_event()]))
    site_dir.build()
    body = site_dir.html("articles/2025/update/").select_one("article").get_text()
    assert "Update: rescuers found a second victim." in body
    assert "Note: synthetic intro line." in site_dir.html("regions/kyiv/").select_one("article").get_text()


def test_redirects_without_directory_urls(site_dir: SiteDir) -> None:
    site_dir.add_to_config("use_directory_urls: false\n")
    site_dir.article("2025/new.md", synthetic_article(18, aliases=["2024/old"]))
    site_dir.build()
    redirect = site_dir.html("articles/2024/old.html")
    assert redirect.select_one("a")["href"] == "../2025/new.html"
    assert broken_links(site_dir.site) == []


@pytest.mark.parametrize("option", ["page_size", "index_page_size", "related_limit"])
def test_sizes_below_one_are_refused(site_dir: SiteDir, option: str) -> None:
    site_dir.configure(**{option: 0})
    with pytest.raises(Abort):
        site_dir.build()


def test_one_mistake_does_not_hide_the_others(site_dir: SiteDir, capsys: pytest.CaptureFixture[str]) -> None:
    site_dir.write(
        "2025/many.md",
        """
        ---
        title: Synthetic report 000019
        date: 2025-10-23
        summary: 5
        number: 3
        sources:
          - title: Synthetic source
            number: 1
        events:
          - date: 2025-10-22
            type: air-drone-strike
            region: Kiyv
            coordinates: [true, "30.5"]
            sources: [2]
          - date: 2025-10-22
            type: air-drone-strike
            region: kyiv
            sources: [1, 2]
        ---
        """,
    )
    assert main(["check", str(site_dir.root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "articles/2025/many.md:4: summary: expected text, got the number 5; put it in quotes if it is text",
        "articles/2025/many.md:5: number: unknown field; known fields: actors, aliases, authors, "
        "corrections, date, events, language, regions, retracted, sources, summary, tags, title, "
        "updated, weapons",
        "articles/2025/many.md:8: sources[0].number: unknown field; known fields: archived_url, published, "
        "publisher, sha256, title, url",
        "articles/2025/many.md:13: events[0].coordinates[0]: input should be a valid number, got True",
        "articles/2025/many.md:13: events[0].coordinates[1]: input should be a valid number, got '30.5'",
        "articles/2025/many.md:18: events[1].sources[1]: source 2 does not exist; the article lists 1",
        "6 problems found",
    ]


def test_plugin_warnings_fail_strict_builds_only(site_dir: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    site_dir.article("2025/late.md", synthetic_article(20, date="2025-10-01", events=[synthetic_event()]))
    site_dir.build(strict=False)
    assert (
        "articles/2025/late.md:5: events[0].date: the event (2025-10-22) is after the article" in caplog.text
    )
    with pytest.raises(Abort):
        site_dir.build(strict=True)
    assert main(["check", str(site_dir.root)]) == 0
    assert main(["check", "--strict", str(site_dir.root)]) == 1


def test_manifest_accounts_for_every_article_file(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    manifest = json.loads((site_dir.site / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p for p in site_dir.articles.rglob("*.md") if "_vocabulary" not in p.parts)
    counts = manifest["counts"]
    assert (counts["article_files"], counts["articles"], counts["events"]) == (len(files), len(files), 3)
    entry = next(a for a in manifest["articles"] if a["source"] == "articles/2025/10/night-strikes.md")
    source = site_dir.articles / "2025" / "10" / "night-strikes.md"
    assert entry["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert entry["events"] == ["2025-10-night-strikes-e1", "2025-10-night-strikes-e2"]
    assert (site_dir.site / entry["url"] / "index.html").is_file()


def test_raw_html_in_bodies_is_sanitized_unless_allowed(site_dir: SiteDir) -> None:
    body = 'Text <script>alert(1)</script><img src="map.png" onerror="alert(2)"><iframe src="https://x.invalid"></iframe>\n'
    site_dir.article("2025/html.md", synthetic_article(21), body=body)
    site_dir.build()
    article = site_dir.html("articles/2025/html/").select_one("article")
    assert article.find("script") is None and article.find("iframe") is None
    assert article.find("img")["src"] == "map.png" and "onerror" not in article.find("img").attrs
    site_dir.configure(raw_html="allow")
    site_dir.build()
    assert site_dir.html("articles/2025/html/").select_one("article iframe") is not None


def test_search_indexes_article_text_and_first_listing_pages_only(site_dir: SiteDir) -> None:
    site_dir.configure(page_size=1)
    _small_archive(site_dir)
    site_dir.build()
    index = json.loads((site_dir.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("articles/2025/10/"))
    assert "Synthetic body text." in texts and "Air/drone strike" in texts
    assert "regions/kyiv/" in locations
    assert not any("/page/" in location for location in locations)
    # The pages themselves still carry everything.
    assert row_event_ids(site_dir.html("regions/kyiv/page/2/"))


def test_an_articles_body_is_read_in_its_own_language(site_dir: SiteDir) -> None:
    site_dir.article("2025/10/uk.md", synthetic_article(1, language="uk"), body="Синтетичний текст.\n")
    site_dir.article("2025/10/plain.md", synthetic_article(2))
    site_dir.build()
    body = site_dir.html("articles/2025/10/uk/").select_one("article div[lang]")
    assert body is not None and body["lang"] == "uk" and body.get_text().strip() == "Синтетичний текст."
    assert site_dir.html("articles/2025/10/plain/").select_one("article div[lang]") is None


def test_each_summary_box_is_a_headed_section_in_the_table_of_contents(site_dir: SiteDir) -> None:
    events = [synthetic_event(location="<b>Synthetic</b> street"), synthetic_event(region="kharkiv")]
    site_dir.article("2025/10/two.md", synthetic_article(1, events=events), body="## Body heading\n\nText.\n")
    site_dir.build()
    page = site_dir.html("articles/2025/10/two/")
    boxes = page.select("aside.ca-event")
    headings = [box.select_one("h2.ca-event__title") for box in boxes]
    assert [box["aria-labelledby"] for box in boxes] == [h["id"] for h in headings if h is not None]
    assert [h.get_text() for h in headings if h is not None] == [
        "Air/drone strike: <b>Synthetic</b> street",  # an editor's markup, shown as text
        "Air/drone strike",
    ]
    toc = [(a["href"], a.get_text(strip=True)) for a in page.select("nav.md-nav--secondary a.md-nav__link")]
    assert toc == [
        ("#event-2025-10-two-e1", "Air/drone strike in Kyiv"),
        ("#event-2025-10-two-e2", "Air/drone strike in Kharkiv"),
        ("#body-heading", "Body heading"),
    ]


def test_every_table_header_names_its_column(site_dir: SiteDir) -> None:
    _small_archive(site_dir)
    site_dir.build()
    headers = [th for page in sorted(site_dir.site.rglob("*.html")) for th in soup(page).select("table th")]
    # Column headers in the head; a timeline's table names each month's row in the body.
    assert headers and all(th.get("scope") == ("col" if th.find_parent("thead") else "row") for th in headers)
    assert any(th.get("scope") == "row" for th in headers)


def _articles_alive() -> int:
    return sum(isinstance(o, Article) for o in gc.get_objects())


GC_OFF_AFTER_THE_PAGES = """
import gc
from mkdocs.plugins import event_priority

@event_priority(-99)  # after every page, before the archive's build ends (its on_post_build is at -100)
def on_post_build(config):
    gc.collect()  # the garbage of rendering pages (Jinja's macros make cycles)
    gc.disable()
"""


def test_a_finished_build_lets_go_of_its_archive_at_once(site_dir: SiteDir) -> None:
    """The archive is freed by reference counting as the build ends, not left in cycles for
    Python's cyclic collector, which would walk every object of it to free it (in a large
    archive, a pause at the end of every build, or at the process's exit). A hook turns the
    collector off once the pages are written, so whatever the build then leaves in cycles
    stays."""
    _small_archive(site_dir)
    (site_dir.root / "gc_off_hook.py").write_text(GC_OFF_AFTER_THE_PAGES, encoding="utf-8")
    site_dir.add_to_config("hooks:\n  - gc_off_hook.py\n")
    gc.collect()
    before = _articles_alive()
    try:
        site_dir.build()
        assert not gc.isenabled(), "the hook ran"
        assert _articles_alive() == before
    finally:
        gc.enable()
