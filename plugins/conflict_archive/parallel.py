"""A second process for the work that does not depend on the generator: reading articles, and
rendering an archive's fragments while the generator converts Markdown.

`map_split` reads half of the articles in a forked child while the parent reads the other
half. `RenderedInAdvance` renders fragments in a forked child meanwhile the generator works:

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
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

PARALLEL_FROM = 200  # articles; below this a second process costs more than it saves
T = TypeVar("T")
R = TypeVar("R")
Key = tuple[str, str]  # (kind, source path)
Jobs = Callable[[], Iterable[tuple[Key, Callable[[], str]]]]


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def _map_into(function: Callable[[T], R], items: Sequence[T], path: Path) -> None:
    try:
        path.write_bytes(pickle.dumps([function(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        path.with_suffix(".error").write_text(traceback.format_exc(), encoding="utf-8")
        raise


def map_split(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[function(item) for item in items]`, the second half computed in a forked child while
    this process computes the first. Results must pickle. Falls back to one process when
    forking is not possible or the child fails (its error is then raised here by running the
    same work again)."""
    if len(items) < 2 or not can_fork():
        return [function(item) for item in items]
    middle = (len(items) + 1) // 2
    folder = Path(tempfile.mkdtemp(prefix="conflict-archive-"))
    try:
        context: Any = multiprocessing.get_context("fork")
        child = context.Process(
            target=_map_into, args=(function, items[middle:], folder / "results"), daemon=True
        )
        child.start()
        first = [function(item) for item in items[:middle]]
        child.join()
        if child.exitcode != 0:
            return first + [function(item) for item in items[middle:]]
        second: list[R] = pickle.loads((folder / "results").read_bytes())
        return first + second
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Spool:
    """A spool file written by a child, `key -> HTML`, read back piece by piece with pread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index: dict[Hashable, tuple[int, int]] = {}
        self._file = (folder / "spool").open("wb")
        self._offset = 0

    def write(self, key: Hashable, html: str) -> None:
        data = html.encode("utf-8")
        self._file.write(data)
        self.index[key] = (self._offset, len(data))
        self._offset += len(data)

    def done(self) -> None:
        self._file.close()
        (self.folder / "index").write_bytes(pickle.dumps(self.index, protocol=pickle.HIGHEST_PROTOCOL))


def _in_child(work: Callable[[_Spool], None], folder: Path) -> None:
    try:
        spool = _Spool(folder)
        work(spool)
        spool.done()
    except BaseException:
        (folder / "error").write_text(traceback.format_exc(), encoding="utf-8")
        raise


class _ForkedSpooler:
    """A forked child that runs `work` into a spool; `get` waits for it once, then reads."""

    def __init__(self, work: Callable[[_Spool], None]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="conflict-archive-"))
        self.context: Any = multiprocessing.get_context("fork")
        self._index: dict[Hashable, tuple[int, int]] | None = None
        self._fd: int | None = None
        self.failure: str | None = None
        self.process = self.context.Process(target=_in_child, args=(work, self.folder), daemon=True)

    def _wait(self) -> dict[Hashable, tuple[int, int]]:
        if self._index is None:
            self._before_wait()
            self.process.join()
            index_file = self.folder / "index"
            if self.process.exitcode == 0 and index_file.is_file() and self.failure is None:
                self._index = pickle.loads(index_file.read_bytes())
                self._fd = os.open(self.folder / "spool", os.O_RDONLY)
            else:
                error = self.folder / "error"
                self.failure = self.failure or (
                    error.read_text(encoding="utf-8") if error.is_file() else "no output"
                )
                self._index = {}
        return self._index

    def _before_wait(self) -> None:
        """Tell the child there is no more to do, if it is waiting to be told."""

    def get(self, key: Hashable) -> str | None:
        """What the child wrote under `key`; None if it wrote nothing there, or failed."""
        place = self._wait().get(key)
        if place is None or self._fd is None:
            return None
        offset, length = place
        return os.pread(self._fd, length, offset).decode("utf-8")

    def close(self) -> None:
        """Stop the child if it still runs and delete the spool; safe to call twice."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        shutil.rmtree(self.folder, ignore_errors=True)


class RenderedInAdvance(_ForkedSpooler):
    """Fragments a child process renders while the parent goes on."""

    def __init__(self, jobs: Jobs) -> None:
        def render_all(spool: _Spool) -> None:
            for key, render in jobs():
                spool.write(key, render())

        super().__init__(render_all)
        self.process.start()
