"""Worker processes for the plugin's own work, and threads for sanitizing.

MkDocs converts Markdown on one core. The plugin's own work (reading and validating articles,
rendering summary boxes, footers and listing pages) needs nothing of MkDocs, so where the
process may use a second core, a worker process does it meanwhile. A job is a module-level
function and a picklable argument, run in a fresh interpreter (never a fork of a process that
may have threads, as `mkdocs serve` and several plugins do). A job writes its results into
the content store and returns nothing, so the build reads results one way whoever made them. A
job that fails, dies or overruns its time is reported and stopped, and the build does that
work itself: the output is the same either way, only slower.

Sanitizing runs on threads: nh3 releases the GIL while it cleans.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 4
# Below this many items (articles to read, fragments to render) starting a process costs
# more than the work it takes over, unless a number of workers is asked for.
WORTH_A_WORKER = 200
# A job may take this long, plus STEP_SECONDS per item, before it is stopped; generous, so a
# slow or busy machine never trips it, but a job that hangs does not hang the build.
BASE_SECONDS = 120.0
STEP_SECONDS = 0.05


def usable_cpus() -> int:
    """The CPUs this process may run on (affinity and container limits), not the machine's."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(requested: int | None, items: int) -> int:
    """How many worker processes to use for `items` items: `requested` if given (0: none),
    else one per usable CPU beyond this process's own, if there is enough work."""
    if requested is not None:
        return max(0, requested)
    if items < WORTH_A_WORKER:
        return 0
    return max(0, min(usable_cpus() - 1, MAX_WORKERS))


def job_timeout(items: int) -> float:
    return BASE_SECONDS + STEP_SECONDS * items


class WorkerJob:
    """`function(argument)` running in a worker process of its own.

    The worker is a fresh interpreter running `python -m conflict_archive.execution.worker`
    on a file holding the pickled function and argument: nothing of this process is copied
    (threads, locks, open files) and nothing of it is imported again (its main module), on
    every platform; the build waits for it like any child, so its CPU time counts in the
    build's own."""

    def __init__(self, function: Callable[[Any], None], argument: Any, items: int, name: str) -> None:
        self.name = name
        self.timeout = job_timeout(items)
        self._folder = Path(tempfile.mkdtemp(prefix="conflict-archive-"))
        job = self._folder / "job.pickle"
        job.write_bytes(pickle.dumps((function, argument), protocol=pickle.HIGHEST_PROTOCOL))
        self._errors = (self._folder / "errors.txt").open("wb")
        # The worker imports what this process imports, from where it imports it.
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "conflict_archive.execution.worker", str(job)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._errors,
            env=environment,
        )
        self._failure: str | None = None
        self._done = False

    def wait(self) -> str | None:
        """Wait for the job (at most its timeout); None if it succeeded, else what went wrong.
        A job past its time is stopped."""
        if not self._done:
            try:
                status = self.process.wait(self.timeout)
            except subprocess.TimeoutExpired:
                self._failure = f"{self.name} took longer than {self.timeout:.0f} s and was stopped"
                self._end()
            else:
                if status != 0:
                    self._failure = f"{self.name} failed (exit status {status}){self._stderr()}"
                self._end()
        return self._failure

    def _stderr(self) -> str:
        self._errors.flush()
        errors = (self._folder / "errors.txt").read_text(encoding="utf-8", errors="replace").strip()
        return f":\n{errors}" if errors else ""

    def stop(self) -> None:
        """Stop the job if it still runs (a build that failed, or ended early)."""
        if not self._done:
            self._end()

    def _end(self) -> None:
        self._done = True
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._errors.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`items` in `parts` consecutive slices of nearly equal length (the first ones longer)."""
    size, extra = divmod(len(items), parts)
    slices, start = [], 0
    for part in range(parts):
        stop = start + size + (1 if part < extra else 0)
        slices.append(items[start:stop])
        start = stop
    return slices


def map_on_threads(function: Callable[[T], R], items: Sequence[T], threads: int) -> Iterator[R]:
    """`map(function, items)`, in order, on `threads` threads: for work that releases the GIL."""
    if threads <= 1 or len(items) < 2:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="conflict-archive") as pool:
        yield from pool.map(function, items)
