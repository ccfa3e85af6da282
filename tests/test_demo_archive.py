"""The demonstration archive, built for real: every article, figure, chip and link checked.

Expected figures are computed here from the raw front-matter with PyYAML, independently of
the plugin's own parser and formatting, so a bug in either shows up as a mismatch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import REPO
from htmlcheck import TERM_LINKS, broken_links, linked_pages, listed_articles, soup

ARTICLES = REPO / "articles"


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    _, front, _ = text.split("---\n", 2)
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data


def _article_files() -> list[Path]:
    return sorted(p for p in ARTICLES.rglob("*.md") if not any(part.startswith("_") for part in p.parts))


def _expected(figure: Any) -> str:
    if figure is None:
        return "not reported"
    if isinstance(figure, int):
        return f"{figure:,}"
    low, high, best = figure["low"], figure.get("high"), figure.get("best")
    if low == high:
        text = f"{low:,}"
    else:
        text = f"at least {low:,}" if high is None else f"{low:,}–{high:,}"
        text += f" (best estimate {best:,})" if best is not None else ""
    words = figure.get("as_reported")
    return text + (f", reported as “{words}”" if words else "")


def test_the_archive_records_figures_in_every_form_the_reporting_uses() -> None:
    figures = [
        e.get(field)
        for p in _article_files()
        for e in _front_matter(p).get("events", [])
        for field in ("killed", "injured")
    ]
    assert 0 in figures, "nobody hurt, by a source's word"
    assert None in figures, "not reported"
    mappings = [f for f in figures if isinstance(f, dict)]
    assert any("high" in f for f in mappings), "a closed range"
    assert any("high" not in f for f in mappings), "at least"
    assert any("as_reported" in f for f in mappings), "the source's words"


def test_the_archive_is_big_enough_to_demonstrate_the_product() -> None:
    fronts = [_front_matter(p) for p in _article_files()]
    events = [e for f in fronts for e in f.get("events", [])]
    months = {str(e.get("date") or e.get("start"))[:7] for e in events}
    regions = {e["region"] for e in events}
    assert len(fronts) >= 25
    assert len(months) >= 12
    assert len(regions) >= 8
    assert sum(len(f.get("events", [])) > 1 for f in fronts) >= 3
    assert all(f.get("sources") for f in fronts), "every article cites its sources"
    for front in fronts:
        for source in front["sources"]:
            assert str(source["url"]).startswith(("https://", "http://"))


def test_every_article_has_a_page_with_its_figures(demo_site: Path) -> None:
    for path in _article_files():
        relative = path.relative_to(ARTICLES).with_suffix("").as_posix()
        page = soup(demo_site / "articles" / relative / "index.html")
        front = _front_matter(path)
        assert page.select_one("article h1").get_text(strip=True) == front["title"]
        boxes = page.select("aside.ca-event")
        assert len(boxes) == len(front.get("events", [])), relative
        for box, event in zip(boxes, front.get("events", []), strict=True):
            for field in ("killed", "injured"):
                shown = box.select_one(f'[data-field="{field}"]').get_text(" ", strip=True)
                assert shown == _expected(event.get(field)), (relative, field)


def test_every_chip_leads_back_to_the_article(demo_site: Path) -> None:
    for path in _article_files():
        relative = path.relative_to(ARTICLES).as_posix()
        page = demo_site / "articles" / relative.removesuffix(".md") / "index.html"
        targets = linked_pages(demo_site, page, TERM_LINKS)
        assert len(targets) >= 4, relative  # at least region, actor or type, month
        for target in targets:
            assert page in listed_articles(target), (relative, target)


def test_every_internal_link_resolves(demo_site: Path) -> None:
    assert broken_links(demo_site) == []


def test_indexes_exist_for_every_taxonomy_and_date(demo_site: Path) -> None:
    for index in ("regions", "actors", "event-types", "weapons", "tags", "dates"):
        assert (demo_site / index / "index.html").is_file()
    regions = soup(demo_site / "regions" / "index.html")
    assert regions.select_one(".ca-index > ul > li > a").get_text(strip=True) == "Ukraine"
