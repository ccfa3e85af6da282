"""Pagefind's indexer in its own process (`execution/pagefind.py`): records in, a working
index out, and every way it can fail reported rather than hung on or ignored."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflict_archive.execution.pagefind import IN_FLIGHT, IndexingError, PagefindIndexer
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
