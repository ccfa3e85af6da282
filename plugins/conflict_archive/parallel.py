"""A second process for the work that does not depend on the generator: reading articles,
rendering an archive's fragments while the generator converts Markdown, and sanitizing.

`map_split` reads half of the articles in a forked child while the parent reads the other
half; `imap_split`, its one-result-at-a-time form, sanitizes half of the rendered pages.
`RenderedInAdvance` renders fragments in a forked child while the generator works.

A site generator spends most of a build converting Markdown, one page after another, before
it puts any page together. The archive's own HTML (summary boxes, footers, search facts,
listing pages) depends only on the loaded archive and the site's URLs, both known before that
starts, and its links are written from the site root (`render.ROOT`), so it does not depend on
the page either. A forked child renders all of it into a spool file meanwhile; the parent
reads each piece when the page is put together, so holding it costs no memory.

The child is a fork, so it renders from the very same objects with the very same code: the
output is byte-for-byte what rendering in the parent gives (the tests build both ways and
compare). Fork is only used where it is safe and available: a POSIX system, more than one
core, and no other threads in the process (`mkdocs serve` has a server thread, so it renders
as it goes). If the child fails, the parent renders everything itself.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

PARALLEL_FROM = 200  # articles; below this a second process costs more than it saves
T = TypeVar("T")
R = TypeVar("R")
Key = tuple[str, str]  # (kind, source path)
Jobs = Callable[[], Iterable[tuple[Key, Callable[[], str]]]]
SharedJob = tuple[Key, Callable[[], object]]  # see RenderedInAdvance


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def worth_a_second_process(count: int, parallel_from: int | None) -> bool:
    """Whether `count` items (articles) are enough, under the `parallel_from` option (None:
    never), and whether this process can fork at all."""
    return parallel_from is not None and count >= parallel_from and can_fork()


def _in_child(work: Callable[[Path], None], folder: Path) -> None:
    """Run `work(folder)` in the child; on failure leave the traceback in folder/error."""
    try:
        work(folder)
    except BaseException:
        (folder / "error").write_text(traceback.format_exc(), encoding="utf-8")
        raise


def _fork(work: Callable[[Path], None], folder: Path) -> Any:
    context: Any = multiprocessing.get_context("fork")
    child = context.Process(target=_in_child, args=(work, folder), daemon=True)
    child.start()
    return child


def map_split(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[function(item) for item in items]`, the second half computed in a forked child while
    this process computes the first. Results must pickle. Falls back to one process when
    forking is not possible or the child fails (its error is then raised here by running the
    same work again)."""
    return list(imap_split(function, items))


def imap_split(function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """`map_split` one result at a time, in order: a caller that replaces each item with its
    result as it comes holds only one of the two at a time, which for every page of a large
    site is a hundred megabytes less at the build's peak."""
    if len(items) < 2 or not can_fork():
        yield from map(function, items)
        return
    middle = (len(items) + 1) // 2

    def second_half(folder: Path) -> None:
        # One pickle per result, written as it is computed, so neither process ever holds the
        # whole half at once.
        with (folder / "results").open("wb") as file:
            for item in items[middle:]:
                pickle.dump(function(item), file, protocol=pickle.HIGHEST_PROTOCOL)

    folder = Path(tempfile.mkdtemp(prefix="conflict-archive-"))
    try:
        child = _fork(second_half, folder)
        yield from map(function, items[:middle])
        child.join()
        if child.exitcode != 0:
            yield from map(function, items[middle:])
            return
        with (folder / "results").open("rb") as file:
            for _ in range(len(items) - middle):
                yield pickle.load(file)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class RenderedInAdvance:
    """Work a forked child does into a spool file while the parent goes on.

    First the child does every one of `jobs`. Then it shares `shared` with the parent: the
    parent takes jobs from the front of that list as it comes to them (`parent_takes`), the
    child from the back, until they meet. `get` waits for the child once, then reads each
    result with pread. Results must pickle.
    """

    def __init__(self, jobs: Jobs, shared: Sequence[SharedJob] = ()) -> None:
        context: Any = multiprocessing.get_context("fork")
        self._shared_count = len(shared)
        # Under the lock: the parent has taken every shared job below `_parent_end` it asked
        # for, the child every one from `_child_start` on; neither takes one the other has.
        self._lock = context.Lock()
        self._parent_end = context.RawValue("q", 0)
        self._child_start = context.RawValue("q", self._shared_count)

        def run_all(folder: Path) -> None:
            index: dict[Key, tuple[int, int]] = {}
            offset = 0
            with (folder / "spool").open("wb") as spool:

                def keep(key: Key, data: bytes) -> None:
                    nonlocal offset
                    spool.write(data)
                    index[key] = (offset, len(data))
                    offset += len(data)

                for key, render in jobs():
                    keep(key, _pickled(render()))
                while (taken := self._child_takes()) is not None:
                    key, work = shared[taken]
                    try:
                        data = _pickled(work())
                    except Exception:  # the parent does this one itself, and reports any error
                        continue
                    keep(key, data)
            (folder / "index").write_bytes(_pickled(index))

        self.folder = Path(tempfile.mkdtemp(prefix="conflict-archive-"))
        self._index: dict[Key, tuple[int, int]] | None = None
        self._fd: int | None = None
        self.failure: str | None = None
        self.process = _fork(run_all, self.folder)

    def _child_takes(self) -> int | None:
        with self._lock:
            last = self._child_start.value - 1
            if last < self._parent_end.value:
                return None
            self._child_start.value = last
            return int(last)

    def parent_takes(self, position: int) -> bool:
        """Whether shared job `position` is the parent's to do (True), or the child has taken
        it (False: `get` gives its result, or None if the child could not do it). Once the
        parent has met the child, the child takes no more: the parent waits for it next, and
        any job left in between (the parent skipped it, or comes to it later) is the parent's."""
        with self._lock:
            if position >= self._child_start.value:
                self._parent_end.value = self._shared_count
                return False
            self._parent_end.value = max(self._parent_end.value, position + 1)
            return True

    def stop_sharing(self) -> None:
        """The child takes no more shared jobs (those it has taken, it finishes): call it when
        the parent will ask for no more, or will do the rest itself."""
        with self._lock:
            self._parent_end.value = self._shared_count

    def _wait(self) -> dict[Key, tuple[int, int]]:
        if self._index is None:
            self.process.join()
            index_file = self.folder / "index"
            if self.process.exitcode == 0 and index_file.is_file():
                self._index = pickle.loads(index_file.read_bytes())
                self._fd = os.open(self.folder / "spool", os.O_RDONLY)
            else:
                error = self.folder / "error"
                self.failure = error.read_text(encoding="utf-8") if error.is_file() else "no output"
                self._index = {}
        return self._index

    def get(self, key: Key) -> Any:
        """What the child made under `key`; None if it made nothing there, or failed."""
        place = self._wait().get(key)
        if place is None or self._fd is None:
            return None
        offset, length = place
        return pickle.loads(os.pread(self._fd, length, offset))

    def close(self) -> None:
        """Stop the child if it still runs and delete the spool; safe to call twice."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        shutil.rmtree(self.folder, ignore_errors=True)
