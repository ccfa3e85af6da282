"""The content store on its own: a value comes back only under its key and intact; a damaged
or foreign file is started afresh; a store that fails is not used and is deleted on closing."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from conflict_archive.execution.store import FORMAT, STORE_FILE, ContentStore

KEY, OTHER_KEY = b"k" * 16, b"o" * 16


@pytest.fixture
def messages() -> list[str]:
    return []


def _store(folder: Path, messages: list[str]) -> ContentStore:
    return ContentStore(folder, messages.append)


def _filled(folder: Path, messages: list[str], count: int = 50) -> None:
    store = _store(folder, messages)
    store.put_many(
        "synthetic", [(f"name-{n:03d}", KEY, b"Synthetic value %d " % n * 100) for n in range(count)]
    )
    store.close()


def test_a_value_comes_back_under_its_key_only(tmp_path: Path, messages: list[str]) -> None:
    store = _store(tmp_path, messages)
    store.put_many("synthetic", [("a", KEY, b"Synthetic A"), ("b", KEY, b"Synthetic B")])
    assert store.get_many("synthetic", {"a": KEY, "b": KEY}) == {"a": b"Synthetic A", "b": b"Synthetic B"}
    assert store.get_many("synthetic", {"a": OTHER_KEY}) == {}, "a stale key is a miss"
    assert store.get_many("other-kind", {"a": KEY}) == {}, "kinds are apart"
    assert store.get({("synthetic", "a"): KEY, ("synthetic", "missing"): KEY}) == {
        ("synthetic", "a"): b"Synthetic A"
    }
    store.put_many("synthetic", [("a", OTHER_KEY, b"Synthetic A, edited")])
    assert store.get_many("synthetic", {"a": OTHER_KEY}) == {"a": b"Synthetic A, edited"}
    assert store.keys("synthetic") == {"a": OTHER_KEY, "b": KEY}
    store.close()
    assert messages == []


def test_many_names_are_read_in_several_queries(tmp_path: Path, messages: list[str]) -> None:
    _filled(tmp_path, messages, count=1234)  # more than one query's worth of names
    store = _store(tmp_path, messages)
    found = store.get_many("synthetic", {f"name-{n:03d}": KEY for n in range(1234)})
    assert len(found) == 1234 and found["name-1233"].startswith(b"Synthetic value 1233 ")
    store.close()


def test_a_damaged_value_is_not_served(tmp_path: Path, messages: list[str]) -> None:
    _filled(tmp_path, messages)
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as connection, connection:
        connection.execute("UPDATE entries SET value = substr(value, 2) WHERE name = 'name-007'")
    store = _store(tmp_path, messages)
    found = store.get_many("synthetic", {f"name-{n:03d}": KEY for n in range(50)})
    assert "name-007" not in found and len(found) == 49
    store.close()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        # SQLite finds the half it reads at opening damaged, or the length check finds it short.
        (lambda data: data[: len(data) // 2], r"malformed|the file is shorter than its pages"),
        (lambda data: b"Synthetic garbage, not a database. " * 100, r"file is not a database"),
        (lambda data: b"", None),  # an empty file is an empty database: nothing to say
    ],
    ids=["truncated", "garbage", "empty"],
)
def test_a_damaged_file_is_started_afresh(tmp_path: Path, messages: list[str], damage, expected) -> None:  # type: ignore[no-untyped-def]
    _filled(tmp_path, messages)
    path = tmp_path / STORE_FILE
    path.write_bytes(damage(path.read_bytes()))
    store = _store(tmp_path, messages)
    assert store.usable
    assert store.get_many("synthetic", {"name-001": KEY}) == {}
    store.put_many("synthetic", [("name-001", KEY, b"Synthetic again")])
    assert store.get_many("synthetic", {"name-001": KEY}) == {"name-001": b"Synthetic again"}
    store.close()
    if expected is None:
        assert messages == []
    else:
        assert len(messages) == 1 and re.search(expected, messages[0]) and "starting it afresh" in messages[0]


def test_a_store_of_another_format_is_started_afresh(tmp_path: Path, messages: list[str]) -> None:
    _filled(tmp_path, messages)
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as connection:
        connection.execute(f"PRAGMA user_version={FORMAT + 1}")
    store = _store(tmp_path, messages)
    assert store.keys("synthetic") == {}
    store.close()
    assert f"format {FORMAT + 1}, expected {FORMAT}" in messages[0]


def test_a_store_that_fails_during_a_build_is_not_used_and_is_deleted(
    tmp_path: Path, messages: list[str]
) -> None:
    _filled(tmp_path, messages, count=400)
    store = _store(tmp_path, messages)
    path = tmp_path / STORE_FILE
    data = bytearray(path.read_bytes())
    page_size = 4096
    data[2 * page_size :] = b"\xff" * (len(data) - 2 * page_size)  # every page after the first two
    path.write_bytes(bytes(data))
    assert store.get_many("synthetic", {f"name-{n:03d}": KEY for n in range(400)}) == {}
    assert not store.usable
    store.put_many("synthetic", [("name-000", KEY, b"Synthetic, not written")])  # no error: ignored
    store.close()
    assert not path.exists(), "the next build starts afresh"
    assert "failed" in messages[0] and "it will be rebuilt" in messages[0]


def test_keep_only_forgets_what_the_build_did_not_use(tmp_path: Path, messages: list[str]) -> None:
    _filled(tmp_path, messages, count=5)
    store = _store(tmp_path, messages)
    store.keep_only("synthetic", {"name-000", "name-001", "name-002", "name-003", "name-004"})
    assert len(store.keys("synthetic")) == 5
    store.keep_only("synthetic", {"name-001", "name-003"})
    assert sorted(store.keys("synthetic")) == ["name-001", "name-003"]
    store.close()


def test_two_connections_see_each_others_writes(tmp_path: Path, messages: list[str]) -> None:
    """The build and its worker process each open the store; what one writes the other reads."""
    build, worker = _store(tmp_path, messages), _store(tmp_path, messages)
    worker.put_many("synthetic", [("from-worker", KEY, b"Synthetic from the worker")])
    assert build.get_many("synthetic", {"from-worker": KEY}) == {"from-worker": b"Synthetic from the worker"}
    worker.close()
    build.close()


def _plan(folder: Path, query: str) -> str:
    with closing(sqlite3.connect(folder / STORE_FILE)) as connection:
        return str(connection.execute(f"EXPLAIN QUERY PLAN {query}", ("synthetic",)).fetchall())


def test_what_a_kind_holds_is_found_without_reading_every_value(tmp_path: Path, messages: list[str]) -> None:
    """`keys` and `keep_only` ask what is stored of one kind: from an index of kind, name and
    key, not by reading the whole file (values and all), once per kind and per build."""
    _filled(tmp_path, messages)
    for query in (
        "SELECT name, key FROM entries WHERE kind = ?",
        "SELECT count(*) FROM entries WHERE kind = ?",
    ):
        assert "COVERING INDEX entries_by_kind" in _plan(tmp_path, query), query


def test_a_store_made_before_the_index_gets_it_and_keeps_its_entries(
    tmp_path: Path, messages: list[str]
) -> None:
    _filled(tmp_path, messages)
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as connection:
        connection.execute("DROP INDEX entries_by_kind")
        connection.commit()
    assert "COVERING INDEX" not in _plan(tmp_path, "SELECT name, key FROM entries WHERE kind = ?")
    store = _store(tmp_path, messages)
    assert store.get_many("synthetic", {"name-007": KEY}) == {"name-007": b"Synthetic value 7 " * 100}
    store.close()
    assert "COVERING INDEX entries_by_kind" in _plan(tmp_path, "SELECT name, key FROM entries WHERE kind = ?")
    assert messages == []
