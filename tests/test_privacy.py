"""No reader's visit is reported to a third party by default: the theme's web fonts are off
unless the site asks for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SiteDir, synthetic_article, synthetic_event

FONT_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com")


def _font_requests(site: Path) -> list[str]:
    return sorted(
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if any(host in page.read_text(encoding="utf-8") for host in FONT_HOSTS)
    )


@pytest.mark.parametrize("third_party_fonts", [False, True])
def test_web_fonts_only_when_the_site_asks(site_dir: SiteDir, third_party_fonts: bool) -> None:
    site_dir.article("2025/10/a.md", synthetic_article(1, events=[synthetic_event()]))
    site_dir.configure(third_party_fonts=third_party_fonts)
    site_dir.build()
    pages = list(site_dir.site.rglob("*.html"))
    found = _font_requests(site_dir.site)
    if third_party_fonts:
        assert len(found) == len(pages)  # Material's default: Roboto from Google Fonts
    else:
        assert found == []
