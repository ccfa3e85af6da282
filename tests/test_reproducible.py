"""Same input, same bytes: two builds with different hash seeds, without SOURCE_DATE_EPOCH,
produce identical trees, and no date in them comes from the clock.

One exception, Pagefind's: it writes the values of each search filter in an order of its
own that changes from run to run (upstream: Pagefind/pagefind#638), so its filter files, and
the two files that name them by their hashes, hold the same content in another order; so
`manifest.json`, which lists every file's hash, differs in those files' hashes alone."""

from __future__ import annotations

import gzip
import json
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


REORDERED = re.compile(
    r"pagefind/(events/)?(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)\Z"
)


def _reordered(tree: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """Pagefind's reordered files, by kind, each reduced to its bytes in sorted order (without
    the hashes that name the others): the same content in any order gives the same result."""
    found = []
    for path, data in tree.items():
        if REORDERED.search(path):
            content = gzip.decompress(data) if path.endswith((".pf_filter", ".pf_meta")) else data
            content = re.sub(rb"[a-z]{2}_[0-9a-f]{7,}", b"", content)  # the names of other such files
            found.append((path.rsplit("/", 1)[0] + path.rsplit(".", 1)[-1], bytes(sorted(content))))
    return sorted(found)


def _manifest_but_reordered(tree: dict[str, bytes]) -> dict[str, object]:
    """The manifest, with Pagefind's reordered files (named by their hashes) counted, not listed."""
    manifest = json.loads(tree.pop("manifest.json"))
    files = manifest.pop("files")
    manifest["files"] = [entry for entry in files if not REORDERED.search(entry["path"])]
    manifest["reordered"] = len(files) - len(manifest["files"])
    assert isinstance(manifest, dict)
    return manifest


def test_two_builds_of_the_demonstration_archive_are_identical(tmp_path: Path) -> None:
    first = _build(tmp_path / "one", "1")
    second = _build(tmp_path / "two", "2")
    assert _manifest_but_reordered(first) == _manifest_but_reordered(second)
    same = sorted(p for p in first if not REORDERED.search(p))
    assert same == sorted(p for p in second if not REORDERED.search(p))
    different = [path for path in same if first[path] != second[path]]
    assert different == []
    assert _reordered(first) == _reordered(second)
    assert len(same) > 200 and any(p.startswith("pagefind/fragment/") for p in same)
    # Article pages are dated by their content in the sitemap, not by the day of the build.
    sitemap = gzip.decompress(first["sitemap.xml.gz"]).decode()
    entry = re.search(r"kramatorsk-railway-station-strike/</loc>\s*<lastmod>([0-9-]+)</lastmod>", sitemap)
    assert entry is not None and entry.group(1) == "2022-04-11"
