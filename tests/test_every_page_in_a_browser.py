"""Every kind of page of the demonstration site, as readers meet it in Debian's chromium: axe
finds no serious or critical WCAG 2.1 A/AA violation in light or dark, nothing scrolls the
page sideways on a 390-pixel phone, every request stays on the site's own host, and the
keyboard's focus can be seen at every stop."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page

from browser import chromium, serious_accessibility_violations, served
from conftest import SiteDir, synthetic_article, synthetic_event

PAGE_TYPES = {
    "home": "",
    "browse": "browse/",
    "regions index": "regions/",
    "actors index": "actors/",
    "event types index": "event-types/",
    "weapons index": "weapons/",
    "tags index": "tags/",
    "dates index": "dates/",
    "term": "regions/kyiv/",
    "year": "dates/2025/",
    "month": "dates/2025/10/",
    "map": "map/",
    "article with eight events": "articles/2025/10/overnight-attacks-on-kyiv-zaporizhzhia-and-izmail/",
    "what changed": "changes/",
    "data": "data/",
    "404": "404.html",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def base(demo_site: Path) -> Iterator[str]:
    with served(demo_site) as url:
        yield url


def _open(browser: Browser, url: str, scheme: str, viewport: dict[str, int]) -> tuple[Page, set[str]]:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, hosts


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_is_accessible_and_fits_a_phone(
    browser: Browser, base: str, kind: str, scheme: str
) -> None:
    own = urlsplit(base).netloc
    for viewport in (PHONE, DESKTOP):
        page, hosts = _open(browser, base + PAGE_TYPES[kind], scheme, viewport)
        try:
            assert page.title(), kind
            assert serious_accessibility_violations(page) == [], (kind, viewport)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at {viewport['width']}px"
            assert hosts == {own}, f"{kind} asked {sorted(hosts - {own})}"
        finally:
            page.context.close()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_the_keyboards_focus_can_be_seen_at_every_stop(browser: Browser, base: str, kind: str) -> None:
    page, _ = _open(browser, base + PAGE_TYPES[kind], "light", DESKTOP)
    try:
        stops = 0
        for _ in range(40):
            page.keyboard.press("Tab")
            shown = page.evaluate(
                """() => {
                    const e = document.activeElement;
                    if (!e || e === document.body) return null;
                    // The theme's colour-scheme switch is a hidden radio button: its focus
                    // shows on the button beside it.
                    const shown = (el) => {
                        const s = getComputedStyle(el);
                        const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                        return outlined || s.boxShadow !== 'none';
                    };
                    const beside = e.nextElementSibling;
                    return shown(e) || (beside !== null && beside.tagName === 'LABEL' && shown(beside));
                }"""
            )
            if shown is None:
                continue
            stops += 1
            assert shown, f"{kind}: no visible focus on stop {stops}"
        assert stops >= 10
    finally:
        page.context.close()


def test_an_alias_redirect_names_its_language_title_and_target(site_dir: SiteDir) -> None:
    """The page left at an earlier path: what axe checks of a page this small, read directly
    (its refresh would leave it before a browser could check it)."""
    site_dir.article(
        "2025/10/moved.md", synthetic_article(1, aliases=["2025/09/old"], events=[synthetic_event()])
    )
    site_dir.build()
    page = BeautifulSoup(
        (site_dir.site / "articles/2025/09/old/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    html = page.find("html")
    assert html is not None and html.get("lang") == "en"
    assert page.title is not None and page.title.get_text() == "Synthetic report 000001"
    link = page.find("a")
    assert (
        link is not None
        and link["href"] == "../../10/moved/"
        and link.get_text() == "Synthetic report 000001"
    )


BOX_LINES = """() => [...document.querySelectorAll('.ca-event')].map(
    (box) => box.innerText.split('\\n').map((line) => line.trim()).filter((line) => line.length >= 20))"""


def _split_boxes(page: Page) -> list[int]:
    """Printed to A4, the boxes whose first and last lines (those the PDF's text holds, and
    that no other box shares) fall on different pages."""
    boxes: list[list[str]] = page.evaluate(BOX_LINES)
    shared = Counter(line for box in boxes for line in set(box))
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = ["".join((printed.extract_text() or "").split()) for printed in pdf.pages]
    split = []
    for number, box in enumerate(boxes):
        found = ["".join(line.split()) for line in box if shared[line] == 1]
        found = [line for line in found if any(line in text for text in texts)]
        assert len(found) >= 2, f"box {number}: too little of its text in the PDF to tell"
        first = next(i for i, text in enumerate(texts) if found[0] in text)
        if found[-1] not in texts[first]:
            split.append(number)
    return split


def test_printing_an_article_keeps_every_box_whole(browser: Browser, base: str) -> None:
    page, _ = _open(browser, base + PAGE_TYPES["article with eight events"], "light", DESKTOP)
    try:
        page.emulate_media(media="print")
        assert _split_boxes(page) == []
        # The check can tell: let the boxes break, and some do.
        page.add_style_tag(content=".ca-event { break-inside: auto !important; }")
        assert _split_boxes(page) != []
        # Sources print their addresses, so a printed copy can be checked.
        source = page.locator(".ca-sources a[href^='http']").first
        after = source.evaluate("(link) => getComputedStyle(link, '::after').content")
        assert after.startswith('" <http')
        # The printed copy says which snapshot it is (the footer prints) and where it lives.
        printed = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
        text = " ".join(" ".join((sheet.extract_text() or "").split()) for sheet in printed.pages)
        assert "Snapshot" in text and "What changed" in text
        assert "/articles/2025/10/overnight-attacks-on-kyiv-zaporizhzhia-and-izmail/" in text.replace(" ", "")
    finally:
        page.context.close()
