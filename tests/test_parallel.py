"""The second process changes how fast a build is, never what it writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conflict_archive import parallel
from conftest import SiteDir, synthetic_article, synthetic_event

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _archive(site_dir: SiteDir) -> None:
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
    site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")  # rendered in the build
    raw = 'Synthetic body.\n\n<p onclick="alert(1)">Synthetic raw HTML</p><script>alert(2)</script>\n'
    site_dir.article("2024/raw.md", synthetic_article(13, date="2024-06-01"), body=raw)


def test_parallel_and_serial_builds_are_byte_identical(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    site_dir.configure(parallel="never")
    site_dir.build()
    serial = _tree(site_dir.site)
    site_dir.configure(parallel="always")
    site_dir.build()
    assert _tree(site_dir.site) == serial
    assert "Synthetic intro of Kyiv." in site_dir.html("regions/kyiv/").get_text()
    body = site_dir.html("articles/2024/raw/").select_one("article")
    assert "Synthetic raw HTML" in body.get_text()
    assert body.select("script") == [] and body.select("[onclick]") == []


HOOK = """
from mkdocs.plugins import event_priority

@event_priority(-90)  # after the archive's on_page_content has sent the HTML away
def on_page_content(html, page, config, files):
    return html + '<p class="added-later" onclick="alert(3)">Synthetic addition</p>'
"""


@pytest.mark.parametrize("mode", ["always", "never"])
def test_what_other_plugins_add_to_the_body_is_sanitized_too(site_dir: SiteDir, mode: str) -> None:
    _archive(site_dir)
    (site_dir.root / "hook.py").write_text(HOOK, encoding="utf-8")
    site_dir.configure(parallel=mode)
    config = (site_dir.root / "mkdocs.yml").read_text(encoding="utf-8")
    (site_dir.root / "mkdocs.yml").write_text(config + "hooks:\n  - hook.py\n", encoding="utf-8")
    site_dir.build(strict=False)
    assert site_dir.html("articles/2024/raw/").select("article script") == []
    # Every archive page, whichever process sanitized it (half go to a child in parallel);
    # docs/index.md is the site's own page, which the archive leaves alone.
    pages = [p for p in sorted(site_dir.site.rglob("*.html")) if p.parent != site_dir.site]
    assert len(pages) == 13 + 28  # the articles, and the generated pages of this archive
    for page in pages:
        added = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("p.added-later")
        assert len(added) == 1 and added[0].get("onclick") is None, page


def test_map_split_keeps_order_and_computes_in_two_processes() -> None:
    results = parallel.map_split(lambda n: (n * n, os.getpid()), list(range(10)))
    assert [square for square, _ in results] == [n * n for n in range(10)]
    assert len({pid for _, pid in results}) == 2  # the second half came from the child


def test_imap_split_gives_each_result_in_order_as_it_comes() -> None:
    results = parallel.imap_split(lambda n: (n + 100, os.getpid()), list(range(7)))
    assert next(results) == (100, os.getpid())  # the first half is computed here, lazily
    rest = list(results)
    assert [n for n, _ in rest] == list(range(101, 107))
    assert {pid for _, pid in rest[3:]} != {os.getpid()}  # the last three came from the child


def test_map_split_does_the_work_itself_when_the_child_fails() -> None:
    parent = os.getpid()

    def only_here(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("synthetic failure in the child")
        return n + 1

    assert parallel.map_split(only_here, [1, 2, 3, 4]) == [2, 3, 4, 5]


def test_rendering_in_advance_falls_back_when_the_child_fails() -> None:
    def jobs():  # type: ignore[no-untyped-def]
        yield ("page", "a"), lambda: "rendered A"
        raise RuntimeError("synthetic failure in the child")

    advance = parallel.RenderedInAdvance(jobs)
    try:
        assert advance.get(("page", "a")) is None  # nothing is taken from a failed child
        assert advance.failure is not None and "synthetic failure" in advance.failure
    finally:
        advance.close()
    assert not advance.folder.exists()
