"""Worker processes change how fast a build is, never what it writes: a worker that fails,
dies or hangs is reported and its work done by the build itself."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import conflict_archive
from conflict_archive.execution import workers
from conflict_archive.execution.build import ArchiveBuild
from conflict_archive.execution.workers import WorkerJob, map_on_threads, split, worker_count
from conftest import SiteDir, synthetic_article, synthetic_event

PLUGIN_TEMPLATES = Path(conflict_archive.__file__).parent / "templates"
PLUGIN_LOG = "mkdocs.plugins.conflict-archive"


# Jobs run in a fresh interpreter, which imports them from this module by name.
def write_file(path: Path) -> None:
    path.write_text("Synthetic result", encoding="utf-8")


def fail(message: str) -> None:
    raise ValueError(message)


def die(status: int) -> None:
    os._exit(status)


def hang(seconds: float) -> None:
    time.sleep(seconds)


def test_a_job_runs_in_another_process(tmp_path: Path) -> None:
    job = WorkerJob(write_file, tmp_path / "result.txt", items=1, name="synthetic job")
    assert job.wait() is None
    assert (tmp_path / "result.txt").read_text(encoding="utf-8") == "Synthetic result"


@pytest.mark.parametrize(
    ("function", "argument", "expected"),
    [
        (fail, "Synthetic failure", "synthetic job failed (exit status 1):\nTraceback"),
        (die, 7, "synthetic job failed (exit status 7)"),
    ],
    ids=["raises", "dies"],
)
def test_a_failed_job_says_what_went_wrong(function, argument, expected) -> None:  # type: ignore[no-untyped-def]
    failure = WorkerJob(function, argument, items=1, name="synthetic job").wait()
    assert failure is not None and failure.startswith(expected)
    if function is fail:
        assert "ValueError: Synthetic failure" in failure


def test_a_job_past_its_time_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "BASE_SECONDS", 1.0)
    started = time.monotonic()
    job = WorkerJob(hang, 60.0, items=0, name="synthetic job")
    assert job.wait() == "synthetic job took longer than 1 s and was stopped"
    assert time.monotonic() - started < 30
    assert job.process.poll() is not None, "the worker no longer runs"


@pytest.mark.parametrize(
    ("requested", "items", "cpus", "expected"),
    [
        (None, 10_000, 2, 1),  # one worker beside the build
        (None, 10_000, 1, 0),  # one CPU: the build does it all
        (None, 10_000, 16, workers.MAX_WORKERS),
        (None, workers.WORTH_A_WORKER - 1, 8, 0),  # too little work to pay for a process
        (0, 10_000, 8, 0),  # asked for none
        (2, 3, 1, 2),  # asked for two: given two, however little the work or the CPUs
    ],
)
def test_worker_count(
    monkeypatch: pytest.MonkeyPatch, requested: int | None, items: int, cpus: int, expected: int
) -> None:
    monkeypatch.setattr(workers, "usable_cpus", lambda: cpus)
    assert worker_count(requested, items) == expected


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity (Linux)")
def test_usable_cpus_follow_the_affinity_not_the_machine() -> None:
    one_cpu = min(os.sched_getaffinity(0))
    script = (
        f"import os; os.sched_setaffinity(0, {{{one_cpu}}}); "
        "from conflict_archive.execution.workers import usable_cpus; print(usable_cpus(), os.cpu_count())"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    usable, machine = output.split()
    assert usable == "1"
    assert int(machine) >= 1


@pytest.mark.parametrize(
    ("items", "parts", "expected"),
    [
        (list(range(7)), 3, [[0, 1, 2], [3, 4], [5, 6]]),
        (list(range(2)), 3, [[0], [1], []]),
        ([], 2, [[], []]),
        (list(range(4)), 1, [[0, 1, 2, 3]]),
    ],
)
def test_split(items: list[int], parts: int, expected: list[list[int]]) -> None:
    assert [list(part) for part in split(items, parts)] == expected


def test_map_on_threads_keeps_the_order() -> None:
    items = [f"synthetic {n}" for n in range(100)]
    assert list(map_on_threads(str.upper, items, threads=4)) == [item.upper() for item in items]


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
    site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")
    raw = 'Synthetic body.\n\n<p onclick="alert(1)">Synthetic raw HTML</p><script>alert(2)</script>\n'
    site_dir.article("2024/raw.md", synthetic_article(13, date="2024-06-01"), body=raw)


@pytest.fixture
def serial_bytes(site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site built by the build alone, with no cache."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    site_dir.configure(workers=0, cache=False)
    site_dir.build()
    return site_dir.files()


def test_builds_with_a_worker_write_the_same_bytes(
    site_dir: SiteDir, serial_bytes: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    site_dir.configure(workers=1)
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
        site_dir.build()
    assert "7 read here, 6 by workers" in caplog.text, "the worker read its share"
    assert "fragments: planned and what the cache lacks rendered by a worker, data files first" in caplog.text
    assert "fragments rendered on the spot: 0" in caplog.text
    assert site_dir.files() == serial_bytes
    body = site_dir.html("articles/2024/raw/").select_one("article")
    assert "Synthetic raw HTML" in body.get_text()
    assert body.select("script") == [] and body.select("[onclick]") == []
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
        site_dir.build()  # warm: everything from the cache
    assert "fragments: 0 to render here" in caplog.text
    assert "fragments rendered on the spot: 0" in caplog.text
    assert site_dir.files() == serial_bytes


def test_a_failing_worker_is_reported_and_its_work_done_by_the_build(
    site_dir: SiteDir,
    serial_bytes: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Python imports `sitecustomize` at start-up from its path, which workers take from the
    # build: this one makes every worker die before it does anything.
    (tmp_path / "sitecustomize.py").write_text(
        "import os\nif os.environ.get('SYNTHETIC_WORKER_FAILURE'):\n    os._exit(3)\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("SYNTHETIC_WORKER_FAILURE", "1")
    site_dir.configure(workers=1)
    with caplog.at_level(logging.INFO):
        site_dir.build()
    assert site_dir.files() == serial_bytes
    failures = [r.getMessage() for r in caplog.records if "worker process failed" in r.getMessage()]
    assert len(failures) == 2, failures  # reading, then rendering
    assert all("exit status 3" in message for message in failures)
    assert all(r.levelno == logging.INFO for r in caplog.records if "worker" in r.getMessage()), (
        "a worker's failure changes nothing in the site, so it does not fail --strict"
    )


def test_a_build_with_threads_running_uses_workers_the_same(
    site_dir: SiteDir, serial_bytes: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    """`mkdocs serve` runs its server in a thread, and some plugins start thread pools."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        site_dir.configure(workers=1)
        with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
            site_dir.build()
    finally:
        stop.set()
    assert "7 read here, 6 by workers" in caplog.text
    assert site_dir.files() == serial_bytes


def test_a_sites_own_template_may_show_the_body_and_a_worker_renders_it_the_same(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The worker drops articles' bodies, which the shipped templates never show; a site's
    own templates may, so with them it keeps them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    templates = site_dir.root / "overrides"
    templates.mkdir()
    footer = (PLUGIN_TEMPLATES / "article_footer.html").read_text(encoding="utf-8")
    (templates / "article_footer.html").write_text(
        footer + '<p class="synthetic-body-length">{{ article.body | length }}</p>\n', encoding="utf-8"
    )
    site_dir.configure(workers=0, cache=False, templates_dir="overrides")
    site_dir.build()
    serial = site_dir.files()
    shown = site_dir.html("articles/2024/raw/").select_one(".synthetic-body-length")
    assert shown is not None and int(shown.get_text()) > 0
    site_dir.configure(workers=1, templates_dir="overrides")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.conflict-archive"):
        site_dir.build()
    assert "fragments rendered on the spot: 0" in caplog.text, "the worker rendered the footers"
    assert site_dir.files() == serial


def test_after_an_edit_the_worker_plans_again_and_the_build_writes_what_a_serial_one_does(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The worker works out every fragment's key and keeps the plan in the store under what
    it depends on; the build takes it from there. An edit of a body alone changes the keys of
    the citations (they name the file's hash), not of the summary boxes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    site_dir.configure(workers=1)
    site_dir.build()
    path = site_dir.articles / "2024/03/report-3.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSynthetic edit.\n", encoding="utf-8")

    def not_here(self: ArchiveBuild) -> None:
        raise AssertionError("the build planned the fragments itself")

    with monkeypatch.context() as patched, caplog.at_level(logging.DEBUG, logger=PLUGIN_LOG):
        patched.setattr(ArchiveBuild, "_plan_here", not_here)
        site_dir.build()
    assert "fragments: planned and what the cache lacks rendered by a worker" in caplog.text
    assert "fragments rendered on the spot: 0" in caplog.text
    warm = site_dir.files()
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger=PLUGIN_LOG):
        site_dir.build()  # nothing changed: the kept plan, and every fragment in the store
    assert "fragments: 0 to render here" in caplog.text
    assert site_dir.files() == warm
    site_dir.configure(workers=0, cache=False)
    site_dir.build()
    assert warm == site_dir.files()


def test_a_kept_plan_is_never_taken_for_another_archive(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A term page with an intro is rendered with it when put together, so it is not in the
    plan: an intro removed after a build makes another plan, whoever works it out."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1761091200")
    _archive(site_dir)
    for worker_processes in (0, 1):
        site_dir.write("_vocabulary/regions/kyiv.md", "Synthetic intro of Kyiv.\n")
        site_dir.configure(workers=worker_processes)
        site_dir.build()
        assert "Synthetic intro of Kyiv." in site_dir.html("regions/kyiv/").get_text()
        (site_dir.articles / "_vocabulary/regions/kyiv.md").unlink()
        site_dir.build()
        warm = site_dir.files()
        assert "Synthetic intro of Kyiv." not in site_dir.html("regions/kyiv/").get_text()
        site_dir.configure(workers=0, cache=False)
        site_dir.build()
        assert warm == site_dir.files(), f"workers: {worker_processes}"
