"""`make bench` rewrites docs/benchmarks.md from its run, and keeps what was measured apart."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import bench


def _results() -> list[bench.Result]:
    return [
        bench.Result(
            size=1000,
            variant=variant,
            seconds=seconds,
            cpu_seconds=seconds,
            peak_rss_mb=80.0,
            output_mb=29.0,
            largest_page_kb=18.0,
            pages=1002,
            round=0,
        )
        for variant, seconds in (("plain", 2.0), ("cold", 3.0), ("warm", 2.5), ("warm-fm", 2.5))
    ]


def test_a_new_run_keeps_what_was_measured_apart_and_replaces_the_rest(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    apart = f"{bench.KEPT_APART}\n\n## Synthetic feature, measured apart\n\nSynthetic paired figures.\n"
    page.write_text("# Benchmarks\n\nSynthetic figures of an earlier run.\n\n" + apart, encoding="utf-8")
    bench.write_docs(page, _results())
    text = page.read_text(encoding="utf-8")
    assert "Synthetic figures of an earlier run." not in text
    assert text.endswith(apart)
    assert text.count(bench.KEPT_APART) == 1
    assert "| cold build time at 1,000 vs plain | 1.500 | 1.3 | no |" in text
    bench.write_docs(page, _results())
    assert page.read_text(encoding="utf-8") == text, "a second run of the same figures: the same page"


def test_a_page_without_the_marker_is_all_the_runs(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("Synthetic hand-written text.\n", encoding="utf-8")
    bench.write_docs(page, _results())
    assert "Synthetic hand-written text." not in page.read_text(encoding="utf-8")
