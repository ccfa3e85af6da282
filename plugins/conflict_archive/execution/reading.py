"""Reading articles for a build: each file at most once per content, the rest shared out.

A reading (the validated article and its tag spellings) depends only on the file's bytes and
path, the vocabularies and the code, so it is kept under a key made of exactly those: first
in memory (for the next build of the same `mkdocs serve` session), then in the content store
(for the next build at all). Files with problems are never kept, so their messages are made
afresh every time. What neither has is read here, a share of it in worker processes when
there is enough of it.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..articles import ArticleFile, ArticleReading, load_article
from ..vocabulary import Vocabulary
from .fingerprints import code_fingerprint, digest, vocabulary_fingerprint
from .memory import SessionMemory
from .store import ContentStore, Report
from .workers import WorkerJob, split, worker_count

KIND = "article"


def reading_key(file: ArticleFile, vocabularies_fingerprint: bytes) -> bytes:
    return digest(
        code_fingerprint(), KIND, file.display, hashlib.sha256(file.raw).digest(), vocabularies_fingerprint
    )


@dataclass
class ReadingCounts:
    from_memory: int = 0
    from_store: int = 0
    read: int = 0
    by_workers: int = 0


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a large, acyclic, long-lived structure
    is built: every collection would walk all of it again, for nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class ReadJob:
    """What a worker reads: these files, with these vocabularies, into this store."""

    store_folder: Path
    files: Sequence[ArticleFile]
    keys: Sequence[bytes]
    vocabularies: dict[str, Vocabulary]


def read_into_store(job: ReadJob) -> None:
    """In a worker: read the files and store the valid readings (the build reads the rest)."""
    failures: list[str] = []
    store = ContentStore(job.store_folder, failures.append)
    try:
        with collection_paused():
            readings = [load_article(file, job.vocabularies) for file in job.files]
        store.put_many(KIND, _valid(job.files, job.keys, readings))
    finally:
        store.close()
    if failures:
        raise RuntimeError("; ".join(failures))


def _valid(
    files: Sequence[ArticleFile], keys: Sequence[bytes], readings: Sequence[ArticleReading]
) -> Iterator[tuple[str, bytes, bytes]]:
    for file, key, reading in zip(files, keys, readings, strict=True):
        if reading.article is not None and not reading.problems:
            yield file.display, key, pickle.dumps(reading, protocol=pickle.HIGHEST_PROTOCOL)


class CachedReader:
    """The `read` that a build gives `load_archive`."""

    def __init__(
        self, store: ContentStore, memory: SessionMemory, workers: int | None, report: Report
    ) -> None:
        self.store = store
        self.memory = memory
        self.workers = workers
        self.report = report
        self.counts = ReadingCounts()
        self.keys: dict[str, bytes] = {}  # display path -> key, for this build
        self.stored: set[str] = set()  # the display paths of this build's valid readings

    def __call__(
        self, files: Sequence[ArticleFile], vocabularies: dict[str, Vocabulary]
    ) -> list[ArticleReading]:
        fingerprint = vocabulary_fingerprint(vocabularies)
        keys = [reading_key(file, fingerprint) for file in files]
        self.keys = {file.display: key for file, key in zip(files, keys, strict=True)}
        readings: list[ArticleReading | None] = [self.memory.readings.get(key) for key in keys]
        self.counts.from_memory = sum(r is not None for r in readings)
        self._store_what_memory_had(files, keys, readings)
        self._from_store(files, keys, readings)
        missing = [i for i, reading in enumerate(readings) if reading is None]
        self._read(files, keys, readings, missing, vocabularies)
        complete = [r for r in readings if r is not None]
        assert len(complete) == len(files)
        valid = {
            key: r for key, r in zip(keys, complete, strict=True) if r.article is not None and not r.problems
        }
        self.memory.readings = valid  # exactly this build's: never more than one archive
        self.stored = {file.display for file, key in zip(files, keys, strict=True) if key in valid}
        return complete

    def _store_what_memory_had(
        self, files: Sequence[ArticleFile], keys: list[bytes], readings: list[ArticleReading | None]
    ) -> None:
        """The store must hold every valid reading of the build (workers read the archive from
        it): memory's may be missing there (the store was deleted, or this process built
        another site with the same articles before)."""
        if not self.counts.from_memory:
            return
        stored = self.store.keys(KIND)
        absent = [
            (file, key, reading)
            for file, key, reading in zip(files, keys, readings, strict=True)
            if reading is not None and stored.get(file.display) != key
        ]
        if absent:
            absent_files, absent_keys, absent_readings = zip(*absent, strict=True)
            self.store.put_many(KIND, _valid(absent_files, absent_keys, absent_readings))

    def _from_store(
        self, files: Sequence[ArticleFile], keys: list[bytes], readings: list[ArticleReading | None]
    ) -> None:
        missing = {files[i].display: i for i, reading in enumerate(readings) if reading is None}
        found = self.store.get_many(KIND, {display: keys[i] for display, i in missing.items()})
        for display, value in found.items():
            readings[missing[display]] = unpickled_reading(value)
        self.counts.from_store = sum(r is not None for r in readings) - self.counts.from_memory

    def _read(
        self,
        files: Sequence[ArticleFile],
        keys: list[bytes],
        readings: list[ArticleReading | None],
        missing: list[int],
        vocabularies: dict[str, Vocabulary],
    ) -> None:
        workers = worker_count(self.workers, len(missing)) if self.store.usable else 0
        shares = split(missing, workers + 1)
        jobs = [
            WorkerJob(
                read_into_store,
                ReadJob(self.store.folder, [files[i] for i in share], [keys[i] for i in share], vocabularies),
                len(share),
                "reading articles",
            )
            for share in shares[1:]
            if share
        ]
        mine = shares[0]
        read_here = [load_article(files[i], vocabularies) for i in mine]
        for i, reading in zip(mine, read_here, strict=True):
            readings[i] = reading
        self.store.put_many(KIND, _valid([files[i] for i in mine], [keys[i] for i in mine], read_here))
        self.counts.read = len(mine)
        for job, share in zip(jobs, (s for s in shares[1:] if s), strict=True):
            failure = job.wait()
            if failure:
                self.report(f"a worker process failed, so the build read its articles itself: {failure}")
            found = self.store.get_many(KIND, {files[i].display: keys[i] for i in share})
            for i in share:
                value = found.get(files[i].display)
                if value is not None:
                    readings[i] = unpickled_reading(value)
                    self.counts.by_workers += 1
                else:  # a file with problems (never stored), or the worker failed
                    readings[i] = load_article(files[i], vocabularies)
                    self.counts.read += 1


def unpickled_reading(value: bytes) -> ArticleReading | None:
    """A stored reading, or None if it cannot be unpickled (then it is read again)."""
    try:
        reading = pickle.loads(value)
    except Exception:
        return None
    return reading if isinstance(reading, ArticleReading) else None
