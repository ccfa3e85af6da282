"""history.py on its own: git's log read into each article's versions, and shown."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from conflict_archive.history import COMMIT_MARK, Version, article_history, history_html, parse_log
from conflict_archive.model import Article

A, B, C = "a" * 40, "b" * 40, "c" * 40
DAY = 86400


def _article(path: str, aliases: tuple[str, ...] = ()) -> Article:
    return Article(
        path, f"articles/{path}", "Synthetic", dt.date(2025, 1, 1), "", 1, "0" * 64, aliases=aliases
    )


def test_the_log_becomes_each_files_versions_newest_first() -> None:
    log = [
        f"{COMMIT_MARK}{C} {20_000 * DAY}",
        "",
        "2025/new.md",
        "2025/naïve name.md",
        f"{COMMIT_MARK}{B} {19_999 * DAY}",  # a merge or an empty commit lists no file
        f"{COMMIT_MARK}{A} {19_000 * DAY}",
        "",
        "2025/old.md",
        "2025/new.md",
        "",
    ]
    history = parse_log(log)
    day = dt.date(1970, 1, 1) + dt.timedelta(days=20_000)
    assert history == {
        "2025/new.md": (Version(C, day), Version(A, dt.date(1970, 1, 1) + dt.timedelta(days=19_000))),
        "2025/naïve name.md": (Version(C, day),),
        "2025/old.md": (Version(A, dt.date(1970, 1, 1) + dt.timedelta(days=19_000)),),
    }
    moved = article_history(history, _article("2025/new.md", aliases=("2025/old",)))
    assert [v.commit for v in moved] == [C, A]  # each version once, however many paths it touched
    assert article_history(history, _article("2025/elsewhere.md")) == ()


def test_the_section_links_each_commit_and_escapes_the_address() -> None:
    versions = (Version(B, dt.date(2025, 11, 28)), Version(A, dt.date(2025, 11, 25)))
    page = BeautifulSoup(history_html(versions, 'https://x.invalid/"r/commit/'), "html.parser")
    assert [" ".join(li.get_text().split()) for li in page.select("li")] == [
        "28 Nov 2025 · commit bbbbbbb",
        "25 Nov 2025 · commit aaaaaaa",
    ]
    assert page.select("a")[0]["href"] == f'https://x.invalid/"r/commit/{B}'
    assert history_html((), None) == ""
    plain = BeautifulSoup(history_html(versions[:1], None), "html.parser")
    assert plain.select("a") == [] and plain.select_one("h2#history") is not None
