"""Digests that cache keys are made of: stable from process to process, and as fine as exact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from conflict_archive.execution.fingerprints import digest, folders_fingerprint, urls_fingerprint

SOURCES = [
    "index.md",
    "browse/index.md",
    "regions/kyiv/index.md",
    "regions/kyiv/page/2/index.md",
    "articles/2025/10/kyiv-strike.md",
    "articles/2025/10/kyiv-strike/index.md",
    "articles/2025/Mykolaïv strike.md",  # quoted in URLs
    "dates/2025/03/index.md",
]


def _urls(directory_urls: bool, sources: list[str] = SOURCES) -> dict[str, str]:
    """MkDocs' own URL for each source path."""
    return {uri: File(uri, None, "/synthetic-site", directory_urls).url for uri in sources}


@pytest.mark.parametrize(("directory_urls", "style"), [(True, "directory URLs"), (False, "file URLs")])
def test_urls_that_follow_mkdocs_rule_are_keyed_by_the_rule(directory_urls: bool, style: str) -> None:
    urls = _urls(directory_urls)
    assert urls_fingerprint(urls) == style
    # A new article does not change it, so it leaves other fragments' keys alone...
    assert urls_fingerprint(_urls(directory_urls, [*SOURCES, "articles/2025/new.md"])) == style
    # ...but a page published off the rule does.
    assert urls_fingerprint({**urls, "articles/2025/new.md": "index.html"}) != style


def test_urls_off_the_rule_are_keyed_one_by_one() -> None:
    urls = {**_urls(True), "regions/kyiv/index.md": "places/kyiv/"}  # moved by another plugin
    first = urls_fingerprint(urls)
    assert isinstance(first, bytes)
    assert urls_fingerprint({**urls, "regions/kyiv/index.md": "places/kyiv-city/"}) != first


def test_digests_are_the_same_in_another_process() -> None:
    parts = ("header", "articles/2025/a.md", b"\x00\xff", 3, None, ("nested", 1.5))
    here = digest(*parts).hex()
    script = f"from conflict_archive.execution.fingerprints import digest; print(digest(*{parts!r}).hex())"
    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert there.strip() == here


def test_templates_are_fingerprinted_by_name_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "event.html").write_text("Synthetic template", encoding="utf-8")
    first = folders_fingerprint([tmp_path])
    assert folders_fingerprint([tmp_path]) == first
    (tmp_path / "event.html").write_text("Synthetic template, edited", encoding="utf-8")
    assert folders_fingerprint([tmp_path]) != first
    assert folders_fingerprint([tmp_path / "missing"]) != folders_fingerprint([])
