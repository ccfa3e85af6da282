"""Pagefind's indexer in its own process (`execution/pagefind.py`): records in, a working
index out, and every way it can fail reported rather than hung on or ignored."""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflict_archive.execution.pagefind import IN_FLIGHT, IndexingError, PagefindIndexer, _write_files
from conflict_archive.search_records import SearchRecord


def _records(count: int) -> Iterator[SearchRecord]:
    for n in range(count):
        yield SearchRecord(
            url=f"articles/synthetic-{n:06d}/#event-{n}",
            title=f"Synthetic event {n:06d}",
            content=f"Synthetic content {n:06d} with words",
            language="en",
            meta={"kind": "event"},
            filters={"kind": ["event"], "year": [str(2000 + n % 3)]},
            sort={"date": f"{2000 + n % 3}-01-01"},
        )


def test_records_make_an_index_that_names_them(tmp_path: Path) -> None:
    indexer = PagefindIndexer(tmp_path / "pagefind", "en")
    indexer.index(_records(120))
    indexer.finish(timeout=60)
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 120 == indexer.records
    assert len(list((tmp_path / "pagefind" / "fragment").iterdir())) == 120
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    files = [path for path in (tmp_path / "pagefind").rglob("*") if path.is_file()]
    assert files and all(path.stat().st_size > 0 for path in files), "no file left empty"


# Pagefind's service as 1.5.2 behaves: WriteFiles is acknowledged while the files are still to
# be written (here: never, since the process is closed on the acknowledgement); GetFiles
# hands them over.
LAZY_WRITER = """
import base64, json, sys, time
def answer(message_id, payload):
    body = json.dumps({"message_id": message_id, "payload": payload}).encode()
    sys.stdout.buffer.write(base64.b64encode(body) + b","); sys.stdout.buffer.flush()
buffer = b""
while chunk := sys.stdin.buffer.read1(1 << 16):
    buffer += chunk
    while b"," in buffer:
        message, _, buffer = buffer.partition(b",")
        request = json.loads(base64.b64decode(message))
        kind, number = request["payload"]["type"], request["message_id"]
        if kind == "NewIndex":
            answer(number, {"type": "NewIndex", "index_id": 0})
        elif kind == "AddRecord":
            answer(number, {"type": "IndexedFile", "page_word_count": 3, "page_url": "/", "page_meta": {}})
        elif kind == "WriteFiles":
            answer(number, {"type": "WriteFiles", "output_path": request["payload"]["output_path"]})
            time.sleep(30)
        elif kind == "GetFiles":
            content = base64.b64encode(b"synthetic index file").decode()
            answer(number, {"type": "GetFiles", "files": [
                {"path": "pagefind-entry.json", "content": content},
                {"path": "fragment/en_synthetic.pf_fragment", "content": content},
            ]})
"""


def test_the_index_is_whole_on_disk_when_finish_returns(tmp_path: Path) -> None:
    """Pagefind 1.5.2 acknowledges WriteFiles before its buffered writes reach the disk
    (upstream #1272); closed on the acknowledgement, it left files empty. The build asks for
    the files instead and writes them itself."""
    fake = tmp_path / "pagefind-lazy-writer"
    fake.write_text(f"#!{sys.executable}\n{LAZY_WRITER}", encoding="utf-8")
    fake.chmod(0o755)
    indexer = PagefindIndexer(tmp_path / "pagefind", "en", executable=fake)
    indexer.index(_records(5))
    indexer.finish(timeout=20)
    for path in ("pagefind-entry.json", "fragment/en_synthetic.pf_fragment"):
        assert (tmp_path / "pagefind" / path).read_bytes() == b"synthetic index file"


def test_a_record_that_cannot_be_made_fails_the_index(tmp_path: Path) -> None:
    def broken() -> Iterator[SearchRecord]:
        yield from _records(3)
        raise ValueError("synthetic failure while making a record")

    indexer = PagefindIndexer(tmp_path / "pagefind", "en")
    indexer.index(broken())
    with pytest.raises(IndexingError, match="synthetic failure"):
        indexer.finish(timeout=60)
    assert not (tmp_path / "pagefind" / "pagefind-entry.json").exists()


def test_an_indexer_that_dies_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "pagefind-that-dies"
    fake.write_text("#!/bin/sh\nhead -c 10 >/dev/null\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    indexer = PagefindIndexer(tmp_path / "pagefind", "en", executable=fake)
    indexer.index(_records(5))
    with pytest.raises(IndexingError, match="stopped answering"):
        indexer.finish(timeout=60)


def test_an_indexer_that_stops_answering_with_records_in_flight_is_reported_at_once(tmp_path: Path) -> None:
    """The writer, waiting for answers to the records in flight, gives up when no more can
    come: the reason is Pagefind's stopping, not a wait to the end of the timeout."""
    answer = base64.b64encode(json.dumps({"message_id": 1, "payload": {"index_id": 1}}).encode()).decode()
    fake = tmp_path / "pagefind-that-stops"
    fake.write_text(f"#!/bin/sh\nprintf '%s,' '{answer}'\nsleep 1\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    indexer = PagefindIndexer(tmp_path / "pagefind", "en", executable=fake)
    indexer.index(_records(IN_FLIGHT * 3))
    with pytest.raises(IndexingError, match="stopped answering"):
        indexer.finish(timeout=30)
    assert 0 < indexer.records < IN_FLIGHT * 3
    assert not any(thread.is_alive() for thread in indexer._threads), "no thread left waiting"


def test_an_indexer_that_hangs_is_given_up_on(tmp_path: Path) -> None:
    indexer = PagefindIndexer(tmp_path / "pagefind", "en")
    os.kill(indexer._process.pid, 19)  # SIGSTOP: alive, and silent
    indexer.index(_records(5))
    with pytest.raises(IndexingError, match="did not finish within 1 s"):
        indexer.finish(timeout=1)
    assert indexer._process.poll() is not None


def _given(*paths: str) -> list[dict[str, str]]:
    content = base64.b64encode(b"synthetic index file").decode()
    return [{"path": path, "content": content} for path in paths]


@pytest.mark.parametrize("path", ["../outside.js", "fragment/../../outside.js", "/tmp/outside.js"])
def test_a_file_given_outside_the_index_folder_is_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(IndexingError, match="outside its folder"):
        _write_files(tmp_path / "pagefind", _given(path), threading.Event())
    assert not (tmp_path / "outside.js").exists()


def test_no_file_is_written_once_the_indexer_is_closed(tmp_path: Path) -> None:
    closed = threading.Event()
    _write_files(tmp_path / "pagefind", _given("index/en_1.pf_index", "pagefind.js"), closed)
    assert (tmp_path / "pagefind" / "index" / "en_1.pf_index").read_bytes() == b"synthetic index file"
    closed.set()
    _write_files(tmp_path / "late", _given("pagefind.js"), closed)
    assert not (tmp_path / "late").exists()
