"""Each fragment's key changes with what the fragment shows, and only with that."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflict_archive.archive import load_archive
from conflict_archive.execution.fragment_keys import FragmentKeys
from conflict_archive.pages import TermPage, YearPage
from conflict_archive.site import ArchiveSite, SiteOptions
from conftest import SiteDir, synthetic_article, synthetic_event


def _site(site_dir: SiteDir, **options: object) -> ArchiveSite:
    return ArchiveSite(load_archive(site_dir.articles), SiteOptions(**options))  # type: ignore[arg-type]


def _urls(site: ArchiveSite) -> dict[str, str]:
    def url(uri: str) -> str:
        stem = uri.removesuffix(".md")
        return stem.removesuffix("index") if stem.endswith("index") else stem + "/"

    return {uri: url(uri) for uri in [*site.articles_by_uri, *site.pages_by_uri]}


@pytest.fixture
def four_reports(site_dir: SiteDir) -> SiteDir:
    for n in range(1, 5):
        site_dir.article(
            f"2025/report-{n}.md",
            synthetic_article(
                n, date=f"2025-0{n}-10", events=[synthetic_event(date=f"2025-0{n}-09", killed=n)]
            ),
        )
    return site_dir


def test_a_footer_key_follows_what_the_footer_shows(four_reports: SiteDir) -> None:
    site = _site(four_reports)
    keys = FragmentKeys(site, _urls(site))
    renderer = site.renderer(_urls(site).__getitem__)
    related, neighbours = renderer.related, renderer.neighbours
    footers = keys.footers(related, neighbours)
    uri = "articles/2025/report-2.md"
    assert keys.footers(related, neighbours) == footers, "the same inputs, the same keys"
    fewer = {**related, "2025/report-2.md": related["2025/report-2.md"][:1]}
    assert keys.footers(fewer, neighbours)[uri] != footers[uri]
    swapped = {**neighbours, "2025/report-2.md": neighbours["2025/report-2.md"][::-1]}
    assert keys.footers(related, swapped)[uri] != footers[uri]
    others = [u for u in footers if u != uri]
    assert all(keys.footers(fewer, swapped)[u] == footers[u] for u in others)


def test_a_term_page_key_follows_its_rows_totals_and_children(four_reports: SiteDir) -> None:
    site = _site(four_reports, page_size=2)
    kyiv = TermPage(
        src_uri="regions/kyiv/index.md", title="Kyiv", taxonomy="regions", key="kyiv", page=1, pages=2
    )
    later = TermPage(
        src_uri="regions/kyiv/page/2/index.md", title="Kyiv", taxonomy="regions", key="kyiv", page=2, pages=2
    )
    before = FragmentKeys(site, _urls(site))
    assert {before.page("page", kyiv), before.page("page", later)} == {
        before.page("page", spec) for spec in site.pages if isinstance(spec, TermPage) and spec.key == "kyiv"
    }
    # A figure on page 2 changes the totals that page 1 shows too.
    four_reports.article(
        "2025/report-1.md",
        synthetic_article(1, date="2025-01-10", events=[synthetic_event(date="2025-01-09", killed=100)]),
    )
    site = _site(four_reports, page_size=2)
    after = FragmentKeys(site, _urls(site))
    assert after.page("page", kyiv) != before.page("page", kyiv)
    assert after.page("page", later) != before.page("page", later)


@pytest.mark.parametrize(
    "moved",
    [
        pytest.param({"coordinates": [50.45, 30.47], "location_precision": "near"}, id="a point of its own"),
        pytest.param({"date": "2025-02-09"}, id="another month"),
    ],
)
def test_a_first_page_key_follows_what_its_pictures_draw(
    four_reports: SiteDir, moved: dict[str, object]
) -> None:
    # Report 1's event is on page 2 of Kyiv's listing; page 1's timeline and map draw it.
    site = _site(four_reports, page_size=2)
    first = next(spec for spec in site.pages if isinstance(spec, TermPage) and spec.key == "kyiv")
    assert first.pages == 2
    before = FragmentKeys(site, _urls(site))
    four_reports.article(
        "2025/report-1.md",
        synthetic_article(
            1, date="2025-01-10", events=[synthetic_event(**{"date": "2025-01-09", "killed": 1, **moved})]
        ),
    )
    site = _site(four_reports, page_size=2)
    after = FragmentKeys(site, _urls(site))
    # Without what they draw in its key, page 1 would keep its old pictures: its rows (reports
    # 4 and 3) and its totals are as they were.
    assert after.page("page", first) != before.page("page", first)


def test_a_year_page_key_follows_its_months(four_reports: SiteDir) -> None:
    site = _site(four_reports)
    year = next(spec for spec in site.pages if isinstance(spec, YearPage))
    before = FragmentKeys(site, _urls(site)).page("page", year)
    # The same year, events and figures, but one event in another month.
    four_reports.article(
        "2025/report-4.md",
        synthetic_article(4, date="2025-04-10", events=[synthetic_event(date="2025-03-09", killed=4)]),
    )
    site = _site(four_reports)
    assert FragmentKeys(site, _urls(site)).page("page", year) != before


def test_with_a_sites_own_templates_footers_and_pages_follow_the_whole_archive(
    four_reports: SiteDir, tmp_path: Path
) -> None:
    site = _site(four_reports, template_dirs=[tmp_path])
    keys = FragmentKeys(site, _urls(site))
    assert not keys.exact
    footers = keys.footers_of_the_archive()
    four_reports.article("2025/report-9.md", synthetic_article(9, date="2024-01-01"))
    site = _site(four_reports, template_dirs=[tmp_path])
    again = FragmentKeys(site, _urls(site)).footers_of_the_archive()
    assert all(again[uri] != key for uri, key in footers.items())
