"""Same input, same bytes: two builds with different hash seeds, without SOURCE_DATE_EPOCH,
produce identical trees, and no date in them comes from the clock."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def _build(destination: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(destination)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    return {
        p.relative_to(destination).as_posix(): p.read_bytes()
        for p in sorted(destination.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_the_demonstration_archive_are_identical(tmp_path: Path) -> None:
    first = _build(tmp_path / "one", "1")
    second = _build(tmp_path / "two", "2")
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert different == []
    # Article pages are dated by their content in the sitemap, not by the day of the build.
    sitemap = gzip.decompress(first["sitemap.xml.gz"]).decode()
    entry = re.search(r"kramatorsk-railway-station-strike/</loc>\s*<lastmod>([0-9-]+)</lastmod>", sitemap)
    assert entry is not None and entry.group(1) == "2022-04-11"
