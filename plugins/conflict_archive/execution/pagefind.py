"""Pagefind's indexer in a child process, fed the archive's records while MkDocs builds pages.

Pagefind ships its indexer as a binary inside the `pagefind_bin` wheel, with a service mode
that takes requests on stdin and answers on stdout: base64-encoded JSON messages, each ended
by a comma (the protocol of Pagefind's own Python and Node wrappers). The Python wrapper
reads one answer per tenth of a second, which for tens of thousands of records would take
longer than the build; here one thread writes every request while another reads the answers
as fast as they come. Indexing runs on another core while MkDocs renders and writes pages;
`finish` waits for the files, which Pagefind hands over and this module writes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ..search_records import SearchRecord

TIMEOUT_SECONDS = 600.0
IN_FLIGHT = 64  # records sent and not yet answered


class IndexingError(Exception):
    """Pagefind refused a request, failed, or did not answer in time."""


def pagefind_executable() -> Path:
    from pagefind_bin import get_executable  # type: ignore[import-untyped]  # noqa: PLC0415 - only builds with search need it

    return Path(get_executable())


def _message(message_id: int, payload: dict[str, Any]) -> bytes:
    request = {"message_id": message_id, "payload": payload}
    return base64.b64encode(json.dumps(request, ensure_ascii=False).encode("utf-8")) + b","


class _Answers:
    """Pagefind's answers, read off its stdout one comma-ended message at a time. The last
    one holds the whole index (tens of megabytes): its pieces are joined once, at its end."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._buffer = b""

    def next(self) -> dict[str, Any]:
        pieces = [self._buffer]
        while b"," not in pieces[-1]:
            chunk = self._stream.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                raise IndexingError(f"Pagefind stopped answering: {b''.join(pieces)[:300]!r}")
            pieces.append(chunk)
        end, _, self._buffer = pieces.pop().partition(b",")
        pieces.append(end)
        message = b"".join(pieces)
        del pieces  # each copy of the largest answer is let go as soon as the next is made
        decoded = base64.b64decode(message)
        del message
        answer: dict[str, Any] = json.loads(decoded)
        del decoded
        payload: dict[str, Any] = answer.get("payload") or {}
        if payload.get("type") == "Error":
            raise IndexingError(f"Pagefind: {payload.get('message')}")
        return payload


class PagefindIndexer:
    """One index, written to `output_dir` once every record is in. Nothing here blocks its
    caller but `finish`, which gives up after its timeout."""

    def __init__(self, output_dir: Path, language: str, executable: Path | None = None) -> None:
        self.output_dir = output_dir
        self.language = language
        self.records = 0
        self._process = subprocess.Popen(
            [str(executable or pagefind_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin = self._process.stdin
        self._answers = _Answers(self._process.stdout)
        self._next_id = 0
        self._threads: list[threading.Thread] = []
        self._error: BaseException | None = None
        self._closed = threading.Event()  # no file is written once set

    def _send(self, payload: dict[str, Any], flush: bool = True) -> None:
        self._next_id += 1
        self._stdin.write(_message(self._next_id, payload))
        if flush:
            self._stdin.flush()

    def index(self, records: Iterable[SearchRecord]) -> None:
        """Start indexing on threads and return: one thread writes the requests (consuming
        `records`, so whatever making them costs is spent there), one reads the answers."""
        ready = threading.Event()
        index_id: list[int] = []
        # Pagefind takes in every request it is sent before it indexes them: a bounded number
        # in flight keeps the records that wait from piling up in its memory.
        in_flight = threading.BoundedSemaphore(IN_FLIGHT)
        stopped = threading.Event()  # no more answers will come: a waiting writer gives up

        def send_all() -> None:
            try:
                # One index for every record, in the site's language: readers search one index
                # whatever the language of the page they search from.
                self._send({"type": "NewIndex", "config": {"force_language": self.language}})
                ready.wait()
                if not index_id:
                    return
                for record in records:
                    if not in_flight.acquire(blocking=False):
                        self._stdin.flush()  # what Pagefind has not seen yet, it cannot answer
                        while not in_flight.acquire(timeout=0.1):
                            if stopped.is_set():
                                raise IndexingError("Pagefind stopped answering")
                    self._send(_record_request(index_id[0], self.language, record), flush=False)
                    self.records += 1
                self._send({"type": "GetFiles", "index_id": index_id[0]})
            except BaseException as error:  # a record that could not be made, or a closed pipe
                self._error = self._error or error
                self._process.kill()  # the reader then stops at the end of the answers

        def read_all() -> None:
            try:
                index_id.append(int(self._answers.next()["index_id"]))
                ready.set()
                while (answer := self._answers.next()).get("type") != "GetFiles":
                    in_flight.release()
                _write_files(self.output_dir, answer.pop("files"), self._closed)
            except BaseException as error:
                self._error = self._error or error
                self._process.kill()
            finally:
                stopped.set()
                ready.set()

        self._threads = [
            threading.Thread(target=send_all, name="pagefind-writer", daemon=True),
            threading.Thread(target=read_all, name="pagefind-reader", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def finish(self, timeout: float = TIMEOUT_SECONDS) -> None:
        """Wait until the index is written; raise IndexingError if it was not."""
        deadline = time.monotonic() + timeout
        try:
            for thread in self._threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            if self._error is not None:  # Pagefind's own reason, before any wait it caused
                raise IndexingError(str(self._error)) from self._error
            if any(thread.is_alive() for thread in self._threads):
                raise IndexingError(f"Pagefind did not finish within {timeout:.0f} s")
        finally:
            self.close()

    def close(self) -> None:
        self._closed.set()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # a pipe whose other end is gone
                    stream.close()


def _write_files(output_dir: Path, files: list[dict[str, str]], closed: threading.Event) -> None:
    """The index's files, as Pagefind gives them (a path inside the index, base64 content),
    written here rather than by Pagefind: its WriteFiles acknowledges before its writes are
    done (1.5.2 hands the bytes to buffered writers it never flushes; upstream #1272, fixed
    after that release), so the process, closed on the acknowledgement, could leave a file
    empty or cut short in the site. Each is let go once written; none is written once the
    indexer is closed (a build that ended or gave up on it)."""
    folders: set[Path] = set()
    files.reverse()  # taken from the end, in Pagefind's order
    while files and not closed.is_set():
        file = files.pop()
        relative = PurePosixPath(file["path"])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise IndexingError(f"Pagefind gave a file outside its folder: {file['path']!r}")
        target = output_dir.joinpath(*relative.parts)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(base64.b64decode(file["content"]))


def _record_request(index_id: int, language: str, record: SearchRecord) -> dict[str, Any]:
    return {
        "type": "AddRecord",
        "index_id": index_id,
        "url": "/" + record.url,
        "content": record.content,
        "language": language,
        "meta": {"title": record.title, **record.meta},
        "filters": record.filters,
        "sort": record.sort,
    }
