"""The second process changes how fast a build is, never what it writes."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from functools import partial

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort

from conflict_archive import markdown_in_advance, parallel
from conftest import SiteDir, synthetic_article, synthetic_event

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")


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
    serial = site_dir.files()
    site_dir.configure(parallel="always")
    site_dir.build()
    assert site_dir.files() == serial
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
    site_dir.add_to_config("hooks:\n  - hook.py\n")
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


def _child_converts_every_article(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the build wait for the child before it converts any article, so that the child
    converts them all (left alone, which process converts which is down to timing). Returns the
    articles the build then took from the child, as they are taken."""
    taken: list[str] = []
    takes, use = parallel.RenderedInAdvance.parent_takes, markdown_in_advance._use

    def after_the_child(advance: parallel.RenderedInAdvance, position: int) -> bool:
        advance.process.join()
        return takes(advance, position)

    def noted(page, converted, files):  # type: ignore[no-untyped-def]
        taken.append(page.file.src_uri)
        use(page, converted, files)

    monkeypatch.setattr(parallel.RenderedInAdvance, "parent_takes", after_the_child)
    monkeypatch.setattr(markdown_in_advance, "_use", noted)
    return taken


HEADINGS = """## Synthetic heading

See [below](#synthetic-sub-heading).

### Synthetic sub-heading

Text.
"""


def test_articles_the_child_converted_are_what_mkdocs_makes_of_them(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    site_dir.article("2024/headings.md", synthetic_article(14, date="2024-07-01"), body=HEADINGS)
    site_dir.configure(parallel="never")
    site_dir.build()
    serial = site_dir.files()
    taken = _child_converts_every_article(monkeypatch)
    site_dir.configure(parallel="always")
    site_dir.build()
    assert len(taken) == 14 and all(uri.startswith("articles/2024/") for uri in taken)
    assert site_dir.files() == serial
    toc = site_dir.html("articles/2024/headings/").select("nav.md-nav--secondary a.md-nav__link")
    assert [a.get("href") for a in toc] == ["#synthetic-heading", "#synthetic-sub-heading"]


@pytest.mark.parametrize("mode", ["child", "never"])
def test_warnings_from_converting_an_article_are_logged_once_and_count_for_strict(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    body = "See [this](synthetic-missing.md) and [that](report-2.md#synthetic-no-such-anchor).\n"
    site_dir.article("2024/links.md", synthetic_article(1), body=body)
    for n in range(2, 5):
        site_dir.article(f"2024/report-{n}.md", synthetic_article(n))
    taken = _child_converts_every_article(monkeypatch) if mode == "child" else []
    site_dir.configure(parallel="always" if mode == "child" else "never")
    site_dir.add_to_config("validation:\n  anchors: warn\n")
    caplog.set_level(logging.WARNING)
    site_dir.build(strict=False)
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith("Doc file 'articles/2024/links.md'")
    ]
    assert len(messages) == 2, messages  # the anchor is checked against the page the child converted
    assert "contains a link 'synthetic-missing.md'" in messages[0]
    assert "'#synthetic-no-such-anchor'" in messages[1]
    assert len(taken) == (4 if mode == "child" else 0)
    with pytest.raises(Abort, match="2 warnings in strict mode"):
        site_dir.build(strict=True)


CHANGING_HOOK = """
from mkdocs.plugins import event_priority

@event_priority(-90)  # after the archive has handed the body to the child
def on_page_markdown(markdown, page, config, files):
    return markdown + "\\n\\nSynthetic line added by a hook.\\n"
"""


def test_articles_another_plugin_changed_are_converted_as_changed(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(site_dir)
    (site_dir.root / "hook.py").write_text(CHANGING_HOOK, encoding="utf-8")
    taken = _child_converts_every_article(monkeypatch)
    site_dir.configure(parallel="always")
    site_dir.add_to_config("hooks:\n  - hook.py\n")
    site_dir.build()
    assert taken == []  # the child converted the Markdown as the archive gave it: not used
    body = site_dir.html("articles/2024/raw/").select_one("article")
    assert body is not None and "Synthetic line added by a hook." in body.get_text()


def _numbered(n: int) -> tuple[int, int]:
    return n, os.getpid()


def _shared(count: int) -> list[tuple[tuple[str, str], partial[tuple[int, int]]]]:
    return [(("synthetic", str(n)), partial(_numbered, n)) for n in range(count)]


def test_shared_jobs_are_done_once_each_the_parent_from_the_front_the_child_from_the_back() -> None:
    go = multiprocessing.get_context("fork").Event()

    def jobs():  # type: ignore[no-untyped-def]
        go.wait()  # the child shares nothing until the parent has taken three
        yield ("page", "a"), lambda: "rendered A"

    shared = _shared(6)
    advance = parallel.RenderedInAdvance(jobs, shared)
    try:
        assert [advance.parent_takes(n) for n in range(3)] == [True, True, True]
        go.set()
        advance.process.join()
        assert [advance.parent_takes(n) for n in range(3, 6)] == [False, False, False]
        assert advance.get(("page", "a")) == "rendered A"
        results = [advance.get(key) for key, _ in shared]
        assert results[:3] == [None, None, None]  # the parent's: not done twice
        assert [n for n, _ in results[3:]] == [3, 4, 5]
        assert {pid for _, pid in results[3:]} == {advance.process.pid}
    finally:
        advance.close()


def test_once_the_parent_stops_sharing_the_child_takes_no_more() -> None:
    go = multiprocessing.get_context("fork").Event()

    def jobs():  # type: ignore[no-untyped-def]
        go.wait()
        yield from ()

    shared = _shared(4)
    advance = parallel.RenderedInAdvance(jobs, shared)
    try:
        assert advance.parent_takes(0)
        advance.stop_sharing()  # as a --dirty build does once it has converted what it needs
        go.set()
        advance.process.join()
        assert [advance.get(key) for key, _ in shared] == [None, None, None, None]
        assert [advance.parent_takes(n) for n in range(1, 4)] == [True, True, True]
    finally:
        advance.close()


def _slow(n: int) -> tuple[int, int]:
    time.sleep(0.002)
    return n, os.getpid()


def test_parent_and_child_working_at_once_do_every_shared_job_exactly_once() -> None:
    count = 400
    shared = [(("synthetic", str(n)), partial(_slow, n)) for n in range(count)]
    advance = parallel.RenderedInAdvance(lambda: iter(()), shared)
    try:
        here = []
        for n in range(count):  # meanwhile the child works from the back
            if advance.parent_takes(n):
                here.append(_slow(n))
        from_child = [advance.get(key) for key, _ in shared[len(here) :]]
        assert [n for n, _ in here + from_child] == list(range(count))
        assert len(from_child) > 0 and {pid for _, pid in from_child} == {advance.process.pid}
        assert all(advance.get(key) is None for key, _ in shared[: len(here)])
    finally:
        advance.close()


def test_a_shared_job_that_fails_in_the_child_is_left_to_the_parent() -> None:
    def fails() -> object:
        raise RuntimeError("synthetic failure of one job")

    shared = [(("synthetic", "fails"), fails), *_shared(2)]
    advance = parallel.RenderedInAdvance(lambda: iter(()), shared)
    try:
        advance.process.join()
        assert not advance.parent_takes(0)
        assert advance.get(("synthetic", "fails")) is None
        assert advance.get(("synthetic", "1"))[0] == 1
        assert advance.failure is None  # the rest of the child's work stands
    finally:
        advance.close()
