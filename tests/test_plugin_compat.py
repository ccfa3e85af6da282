"""Other plugins beside ours: real builds with mkdocs-autorefs, Material's tags, offline and
privacy plugins and a hook, asserting that what they add survives and that the archive's own
output is what it is without them."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort

from conftest import SiteDir, synthetic_article, synthetic_event
from htmlcheck import broken_links, resolve, soup

EPOCH = "1761091200"
EXTERNAL = "https://synthetic-news.invalid"  # not the site's host (synthetic.invalid): external
STRIKE = "articles/2025/10/synthetic-strike/"
EARLIER = "articles/2025/09/synthetic-earlier/"

# Each event's Killed and Injured, as the summary boxes must show them.
FIGURES = {
    "2025-10-synthetic-strike-e1": ("3–7", "11"),
    "2025-10-synthetic-strike-e2": ("0", "2–9 (best estimate 4)"),
    "2025-09-synthetic-earlier-e1": ("2", "not reported"),
}


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _archive(site_dir: SiteDir, body: str = "Synthetic body text.\n") -> None:
    site_dir.article(
        "2025/10/synthetic-strike.md",
        synthetic_article(
            1,
            summary="Synthetic summary 1.",
            tags=["Synthetic tag"],
            sources=[
                {
                    "title": "Synthetic source A",
                    "publisher": "Synthetic publisher",
                    "url": f"{EXTERNAL}/a",
                    "archived_url": "https://synthetic-archive.invalid/a",
                }
            ],
            events=[
                synthetic_event(killed={"low": 3, "high": 7}, injured=11, sources=[1]),
                synthetic_event(
                    region="kharkiv",
                    type="shelling-artillery-missile-attack",
                    killed=0,
                    injured={"low": 2, "best": 4, "high": 9},
                    sources=[{"title": "Synthetic inline source", "url": f"{EXTERNAL}/inline"}],
                ),
            ],
        ),
        body=body,
    )
    site_dir.article(
        "2025/09/synthetic-earlier.md",
        synthetic_article(
            2,
            date="2025-09-02",
            aliases=["2025/09/synthetic-old-path"],
            events=[synthetic_event(date="2025-09-01", killed=2)],
        ),
    )


def _raw(site_dir: SiteDir, url_path: str) -> str:
    path = site_dir.site / (url_path if url_path.endswith(".html") else url_path + "index.html")
    return path.read_text(encoding="utf-8")


def _ours(site_dir: SiteDir, url_path: str) -> dict[str, str | list[str]]:
    """The archive's parts of an article page, as written: header, summary boxes, footer."""
    text = _raw(site_dir, url_path)
    header = re.findall(r'<header class="ca-article-header">.*?</header>', text, re.S)
    footer = re.findall(r'<footer class="ca-article-footer">.*?</footer>', text, re.S)
    assert len(header) == 1 and len(footer) == 1, url_path
    return {
        "header": header[0],
        "boxes": re.findall(r'<aside class="ca-event".*?</aside>', text, re.S),
        "footer": footer[0],
    }


def _article_element(site_dir: SiteDir, url_path: str) -> str:
    """The page's whole `<article>` (Material's content area), as written."""
    found = re.findall(
        r'<article class="md-content__inner md-typeset">.*?</article>', _raw(site_dir, url_path), re.S
    )
    assert len(found) == 1, url_path
    return found[0]


def _assert_figures(page: BeautifulSoup, event_ids: list[str]) -> None:
    boxes = page.select("aside.ca-event")
    assert [box["data-event-id"] for box in boxes] == event_ids
    for box in boxes:
        killed = box.select_one('[data-field="killed"]').get_text(strip=True)
        injured = box.select_one('[data-field="injured"]').get_text(strip=True)
        assert (killed, injured) == FIGURES[str(box["data-event-id"])]


# --- mkdocs-autorefs -------------------------------------------------------------------------

METHODOLOGY = """\
# Synthetic methodology page

## Synthetic methodology

Synthetic text; the report's [aftermath][synthetic-aftermath].
"""

AUTOREF_BODY = """\
Synthetic body; see [the methodology][synthetic-methodology].

## Synthetic aftermath

Synthetic text.
"""


@pytest.mark.parametrize("workers", [0, 1])
def test_autorefs_links_survive_the_sanitizer(site_dir: SiteDir, workers: int) -> None:
    _archive(site_dir, body=AUTOREF_BODY)
    site_dir.write(
        "_vocabulary/regions/kyiv.md", "Synthetic intro; see [the methodology][synthetic-methodology].\n"
    )
    site_dir.article(
        "2025/10/synthetic-follow-up.md",
        synthetic_article(3),
        body="Synthetic follow-up to the report's [aftermath][synthetic-aftermath].\n",
    )
    (site_dir.root / "docs" / "methodology.md").write_text(METHODOLOGY, encoding="utf-8")
    site_dir.configure(workers=workers, cache=False)
    site_dir.build()
    without = _ours(site_dir, STRIKE)
    site_dir.configure(workers=workers, cache=False)
    site_dir.add_plugins("- autorefs")
    site_dir.build()  # strict: an unresolved cross-reference is a warning

    for url_path, expected in [
        (STRIKE, "../../../../methodology/#synthetic-methodology"),
        ("regions/kyiv/", "../../methodology/#synthetic-methodology"),
    ]:
        page = site_dir.html(url_path)
        links = [a for a in page.select("article a") if a.get_text() == "the methodology"]
        assert [a["href"] for a in links] == [expected], url_path
        target = resolve(site_dir.site, "/" + url_path, expected)
        assert target == (site_dir.site / "methodology" / "index.html", "synthetic-methodology")
        assert page.find("autoref") is None and "<autoref" not in _raw(site_dir, url_path)
        assert "[synthetic-methodology]" not in page.get_text()
    # To a heading in an article (registered when MkDocs converted it): from a site page, and
    # from another article.
    for url_path, expected in [
        ("methodology/", "../articles/2025/10/synthetic-strike/#synthetic-aftermath"),
        ("articles/2025/10/synthetic-follow-up/", "../synthetic-strike/#synthetic-aftermath"),
    ]:
        page = site_dir.html(url_path)
        assert [a["href"] for a in page.select("article a") if a.get_text() == "aftermath"] == [expected]
    assert site_dir.html(STRIKE).select_one("article h2#synthetic-aftermath") is not None

    assert _ours(site_dir, STRIKE) == without
    _assert_figures(site_dir.html(STRIKE), ["2025-10-synthetic-strike-e1", "2025-10-synthetic-strike-e2"])
    assert broken_links(site_dir.site) == []


# --- Material's tags plugin ------------------------------------------------------------------

TAGGED = """\
---
tags: [Synthetic tag]
---
# Synthetic tagged page

Synthetic text.
"""


def test_material_tags_lists_site_pages_and_leaves_the_archive_alone(site_dir: SiteDir) -> None:
    _archive(site_dir)
    docs = site_dir.root / "docs"
    (docs / "synthetic-tagged.md").write_text(TAGGED, encoding="utf-8")
    (docs / "tags-index.md").write_text(
        "# Synthetic tags index\n\n<!-- material/tags -->\n", encoding="utf-8"
    )
    archive_pages = [STRIKE, EARLIER, "tags/", "tags/synthetic-tag/", "regions/kyiv/", "browse/"]
    site_dir.configure(cache=False)  # nothing carried over: both builds render everything
    site_dir.build()
    without = {url_path: _article_element(site_dir, url_path) for url_path in archive_pages}
    site_dir.configure(cache=False)
    site_dir.add_plugins("- tags")
    site_dir.build()

    listing = site_dir.html("tags-index/").select_one("article")
    headings = [h.get_text(strip=True) for h in listing.select("h2")]
    assert headings == ["Synthetic tag"]
    assert [a["href"] for a in listing.select("h2 + ul a")] == ["../synthetic-tagged/"]
    chips = site_dir.html("synthetic-tagged/").select("a.md-tag")
    assert [(a.get_text(strip=True), a["href"]) for a in chips] == [
        ("Synthetic tag", "../tags-index/#tag:synthetic-tag")
    ]
    assert {url_path: _article_element(site_dir, url_path) for url_path in archive_pages} == without
    # The archive's own tag pages are where they were; Material's export sits beside them.
    assert "Synthetic report 000001" in site_dir.html("tags/synthetic-tag/").get_text()
    assert (site_dir.site / "tags.json").is_file()
    assert broken_links(site_dir.site) == []


def test_material_tags_index_at_its_usual_place_is_refused_by_name(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    """Material's documentation puts the tags index at docs/tags.md: published at tags/, where
    the archive publishes its own tags index. The build stops and says so."""
    _archive(site_dir)
    (site_dir.root / "docs" / "tags.md").write_text(
        "# Synthetic tags\n\n<!-- material/tags -->\n", encoding="utf-8"
    )
    site_dir.add_plugins("- tags")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        site_dir.build()
    assert (
        "docs/tags.md: the archive publishes tags/index.html itself; move or rename this file" in caplog.text
    )


# --- Material's offline plugin ---------------------------------------------------------------


def _file_url_problems(site: Path) -> list[str]:
    """Every internal link that does not lead to a file when the site is opened from disk
    (file://): no server turns a folder into its index.html there."""
    problems = []
    for file in sorted(site.rglob("*.html")):
        url = "/" + file.relative_to(site).as_posix()
        page = soup(file)
        hrefs = [str(a["href"]) for a in page.find_all("a", href=True)]
        hrefs += [str(link["href"]) for link in page.find_all("link", href=True)]
        hrefs += [str(script["src"]) for script in page.find_all("script", src=True)]
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#"):
                continue
            target = urlsplit(urljoin(url, href))
            target_file = site / unquote(target.path).lstrip("/")
            if not target_file.is_file():
                problems.append(f"{url}: {href} -> no file {target_file.relative_to(site)}")
            elif (
                target.fragment
                and target_file.suffix == ".html"
                and soup(target_file).find(id=unquote(target.fragment)) is None
            ):
                problems.append(f"{url}: {href} -> no #{target.fragment}")
    return problems


def test_offline_site_links_files_and_passes_strict(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")
    site_dir.build()  # with directory URLs first: nothing of that build may leak into the next
    site_dir.add_plugins("- offline")
    site_dir.build(strict=True)

    site = site_dir.site
    assert (site / "articles/2025/10/synthetic-strike.html").is_file()
    assert not (site / STRIKE).exists()  # site/ is emptied before each build
    page = site_dir.html("articles/2025/10/synthetic-strike.html")
    _assert_figures(page, ["2025-10-synthetic-strike-e1", "2025-10-synthetic-strike-e2"])
    place = page.select_one('aside.ca-event [data-field="place"] a')
    assert place["href"] == "../../../regions/kyiv/index.html"
    month = page.select_one('.ca-filed [data-taxonomy="dates"] a')
    assert month["href"] == "../../../dates/2025/10/index.html"
    earlier = site_dir.html("articles/2025/09/synthetic-earlier.html")
    _assert_figures(earlier, ["2025-09-synthetic-earlier-e1"])
    assert "Synthetic intro of Kyiv." in site_dir.html("regions/kyiv/").get_text()
    # The alias redirects to the article's file.
    redirect = site_dir.html("articles/2025/09/synthetic-old-path.html")
    refresh = redirect.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None and refresh["content"].endswith("url=synthetic-earlier.html")

    assert broken_links(site) == []
    assert _file_url_problems(site) == []
    search = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert search.startswith("var __index = ")
    assert '"location":"articles/2025/10/synthetic-strike.html"' in search


# --- Material's privacy plugin ---------------------------------------------------------------

PRIVACY = """\
- privacy:
    assets: false
    links_attr_map:
      target: _blank
"""


def _without_external_link_targets(part: str) -> str:
    """The part as BeautifulSoup writes it, once each external link's target is taken away
    (after checking that the privacy plugin set it, and rel=noopener with it)."""
    fragment = BeautifulSoup(part, "html.parser")
    for link in fragment.select('a[href^="https://"]'):
        assert link.get("target") == "_blank", link
        assert "noopener" in link.get("rel", []), link
        del link["target"]
    return str(fragment)


def test_privacy_opens_external_links_in_a_new_tab_and_changes_nothing_else(site_dir: SiteDir) -> None:
    _archive(site_dir)
    site_dir.configure(cache=False)
    site_dir.build()
    without = _ours(site_dir, STRIKE)
    site_dir.configure(cache=False)
    site_dir.add_plugins(PRIVACY)
    site_dir.build()

    page = site_dir.html(STRIKE)
    sources = page.select('section.ca-sources a[href^="https://"]')
    assert [(a["href"], a.get("target"), a.get("rel")) for a in sources] == [
        (f"{EXTERNAL}/a", "_blank", ["nofollow", "noopener"]),
        ("https://synthetic-archive.invalid/a", "_blank", ["nofollow", "noopener"]),
    ]
    inline = page.select('aside.ca-event a[href^="https://"]')
    assert [(a["href"], a.get("target")) for a in inline] == [(f"{EXTERNAL}/inline", "_blank")]
    # Internal links are left as they were (the site's own host is not external).
    assert all(a.get("target") is None for a in page.select('article a[href^="../"]'))
    ours = _ours(site_dir, STRIKE)
    assert ours["header"] == without["header"]
    assert [_without_external_link_targets(box) for box in ours["boxes"]] == [
        str(BeautifulSoup(box, "html.parser")) for box in without["boxes"]
    ]
    assert _without_external_link_targets(ours["footer"]) == str(
        BeautifulSoup(without["footer"], "html.parser")
    )
    _assert_figures(page, ["2025-10-synthetic-strike-e1", "2025-10-synthetic-strike-e2"])


# The privacy plugin makes its thread pool in on_config, but a pool starts its threads with its
# first job, and with `assets: false` there is none. This hook gives it one that lasts until
# the pages are written, before the archive starts its worker processes, and notes the threads
# running while the archive works.
POOL_HOOK = """
import threading
from pathlib import Path

from mkdocs.plugins import event_priority

release = threading.Event()

@event_priority(100)
def on_pre_build(config):
    config.plugins["material/privacy"].pool.submit(release.wait, 120)

def on_env(env, config, files):
    names = "\\n".join(thread.name for thread in threading.enumerate())
    Path(config.config_file_path).with_name("threads-at-on-env.txt").write_text(names, encoding="utf-8")

@event_priority(100)
def on_post_build(config):
    release.set()

def on_build_error(error):
    release.set()
"""


def test_privacy_thread_pool_leaves_worker_builds_byte_identical(
    site_dir: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _archive(site_dir)
    site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")
    (site_dir.root / "pool_hook.py").write_text(POOL_HOOK, encoding="utf-8")
    builds = {}
    for workers in (0, 1):
        site_dir.configure(workers=workers, cache=False)
        site_dir.add_plugins(PRIVACY)
        site_dir.add_to_config("hooks:\n  - pool_hook.py\n")
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
            site_dir.build()
        threads = (site_dir.root / "threads-at-on-env.txt").read_text(encoding="utf-8").splitlines()
        assert any(name.startswith("ThreadPoolExecutor-") for name in threads), threads
        by_workers = re.search(r"articles: .* (\d+) by workers", caplog.text)
        assert by_workers is not None and (int(by_workers[1]) > 0) == (workers > 0), caplog.text
        builds[workers] = site_dir.files()
    assert builds[1] == builds[0]
    assert 'target="_blank"' in _raw(site_dir, STRIKE)


# --- A hook that adds to every page ----------------------------------------------------------

ADDING_HOOK = """
from mkdocs.plugins import event_priority

@event_priority(-90)  # late: after every plugin's own on_page_content, the archive's included
def on_page_content(html, page, config, files):
    return html + '<p class="added-later" onclick="alert(3)">Synthetic addition</p>'
"""


def _hook_archive(site_dir: SiteDir) -> None:
    for n in range(1, 13):
        site_dir.article(
            f"2024/{n:02d}/report-{n}.md",
            synthetic_article(
                n,
                date=f"2024-{n:02d}-10",
                tags=["Synthetic tag"],
                events=[
                    synthetic_event(date=f"2024-{n:02d}-09", region="kharkiv" if n % 2 else "kyiv", killed=n),
                    synthetic_event(date=f"2024-{n:02d}-09", injured={"low": n, "high": n + 2}),
                ],
            ),
        )
    site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")
    raw = 'Synthetic body.\n\n<p onclick="alert(1)">Synthetic raw HTML</p><script>alert(2)</script>\n'
    site_dir.article("2024/raw.md", synthetic_article(13, date="2024-06-01"), body=raw)


@pytest.mark.parametrize("workers", [0, 1])
def test_what_a_hook_adds_to_the_body_is_sanitized_and_kept(site_dir: SiteDir, workers: int) -> None:
    _hook_archive(site_dir)
    (site_dir.root / "hook.py").write_text(ADDING_HOOK, encoding="utf-8")
    site_dir.configure(workers=workers, cache=False)
    site_dir.add_to_config("hooks:\n  - hook.py\n")
    site_dir.build()
    raw_page = site_dir.html("articles/2024/raw/")
    assert raw_page.select("article script") == [] and raw_page.select("article [onclick]") == []
    assert "Synthetic raw HTML" in raw_page.select_one("article").get_text()
    # Every archive page; docs/index.md (and 404.html) are the site's own, left alone.
    # "What changed" holds no editor's HTML (it is made from dates and titles, escaped): like the
    # site's own pages, it is left to the site's plugins, whose additions it keeps.
    changes = site_dir.site / "changes" / "index.html"
    pages = [p for p in sorted(site_dir.site.rglob("*.html")) if p.parent != site_dir.site and p != changes]
    assert len(pages) == 13 + 29  # the articles, and the generated pages of this archive
    assert soup(changes).select_one("p.added-later").get("onclick") == "alert(3)"
    for page in pages:
        added = soup(page).select("p.added-later")
        assert len(added) == 1, page
        assert added[0].get("onclick") is None and added[0].get_text() == "Synthetic addition", page
    # The raw-HTML policy is the archive's, for its editors: the site's own pages keep theirs.
    home = site_dir.html("").select("p.added-later")
    assert len(home) == 1 and home[0].get("onclick") == "alert(3)"
