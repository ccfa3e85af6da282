"""Results kept between builds, each under a kind, a name and a key: a cache by content.

One SQLite file (Python's standard library: atomic transactions, safe when a worker process
and the build use it at once). An entry is `(kind, name) -> (key, checksum, value)`: one
entry per article or page and kind, so the file never holds more than one build's worth. The
key is a digest of everything the value depends on; a lookup returns the value only if the
stored key is the one asked for and the value still has its checksum. A stale, foreign or
damaged entry is therefore never served: it is a miss, and the build writes it anew. A file
that is not a store of this format (corrupt, truncated, another version) is emptied; a store
that fails during a build stops serving and writing, and is deleted when it is closed, so the
next build starts afresh.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

FORMAT = 1  # PRAGMA user_version; a file of another format is emptied
STORE_FILE = "store.sqlite3"
BUSY_SECONDS = 60.0  # how long to wait for another process's write (serve and build at once)
_NAMES_PER_QUERY = 500  # well under SQLite's limit on bound parameters
PAGE_SIZE = 32768

Report = Callable[[str], None]


def checksum(value: bytes) -> int:
    """Catches a value damaged on disk (not one forged on purpose: the cache is the site's own)."""
    return zlib.crc32(value)


class ContentStore:
    """The store in `folder` (created if needed); `report` hears of anything wrong with it."""

    def __init__(self, folder: Path, report: Report) -> None:
        self.folder = folder
        self.path = folder / STORE_FILE
        self._report = report
        self._broken = False
        self._connection: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._connection = self._connect()
        except (sqlite3.DatabaseError, OSError) as error:
            self._report(f"the cache in {folder} could not be read ({error}); starting it afresh")
            self._connection = self._start_afresh()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            if version not in (0, FORMAT):
                raise sqlite3.DatabaseError(f"format {version}, expected {FORMAT}")
            # A cache need not survive a power cut, only notice one: no waiting for the disk,
            # and a rollback journal, which writes a new entry once where a write-ahead log
            # writes it twice. What a crash might leave damaged is found (checksums, the length
            # check, SQLite's own errors) and started afresh.
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute("PRAGMA synchronous=OFF")
            # Entries are a few kilobytes to a few hundred: larger pages hold one in fewer
            # reads (a new file only).
            connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS entries ("
                " kind TEXT NOT NULL, name TEXT NOT NULL, key BLOB NOT NULL,"
                " checksum INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (name, kind))"
            )
            # Every key of a kind (what a build finds stored, what it deletes) from an index of
            # its own: without it each such question reads the whole file, values and all.
            connection.execute("CREATE INDEX IF NOT EXISTS entries_by_kind ON entries (kind, name, key)")
            connection.execute(f"PRAGMA user_version={FORMAT}")
            connection.execute("SELECT 1 FROM entries LIMIT 1").fetchone()
            self._check_length(connection)
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def _check_length(self, connection: sqlite3.Connection) -> None:
        """A file cut short (a full disk, a copy interrupted) holds fewer pages than it says;
        SQLite would only notice on reading one of the missing pages, halfway through a build."""
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
        if self.path.stat().st_size < pages * page_size:
            raise sqlite3.DatabaseError("the file is shorter than its pages")

    def _start_afresh(self) -> sqlite3.Connection | None:
        self._delete_files()
        try:
            return self._connect()
        except (sqlite3.DatabaseError, OSError) as error:
            self._report(f"the cache in {self.folder} cannot be used ({error}); building without it")
            self._broken = True
            return None

    def _delete_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _fail(self, error: Exception) -> None:
        """Stop using the store for this build; it is deleted when closed."""
        if not self._broken:
            self._report(f"the cache in {self.folder} failed ({error}); it will be rebuilt")
        self._broken = True

    @property
    def usable(self) -> bool:
        return not self._broken and self._connection is not None

    def get(self, wanted: Mapping[tuple[str, str], bytes]) -> dict[tuple[str, str], bytes]:
        """The intact values of `wanted` ((kind, name) -> key) that are stored with those keys."""
        return {(kind, name): value for kind, name, value in self.each(wanted)}

    def get_many(self, kind: str, wanted: Mapping[str, bytes]) -> dict[str, bytes]:
        """The intact values of `wanted` (name -> key) of one kind."""
        return {name: value for _, name, value in self.each({(kind, n): key for n, key in wanted.items()})}

    def each(self, wanted: Mapping[tuple[str, str], bytes]) -> Iterator[tuple[str, str, bytes]]:
        """`(kind, name, value)` for each intact value of `wanted` stored with its key, as they
        are read, a few hundred names to a query: a caller that turns each into something else
        never holds them all at once."""
        if not wanted or self._connection is None or self._broken:
            return
        kinds = sorted({kind for kind, _ in wanted})
        names = sorted({name for _, name in wanted})
        for start in range(0, len(names), _NAMES_PER_QUERY):
            chunk = names[start : start + _NAMES_PER_QUERY]
            try:
                rows = self._connection.execute(
                    "SELECT kind, name, key, checksum, value FROM entries"
                    f" WHERE name IN ({_marks(chunk)}) AND kind IN ({_marks(kinds)})",
                    (*chunk, *kinds),
                ).fetchall()
            except sqlite3.DatabaseError as error:
                self._fail(error)
                return
            for kind, name, key, stored_checksum, value in rows:
                if wanted.get((kind, name)) == key and checksum(value) == stored_checksum:
                    yield kind, name, value

    def keys(self, kind: str) -> dict[str, bytes]:
        """The key of every entry of `kind`, by name: what is there, without the values."""
        if self._connection is None or self._broken:
            return {}
        try:
            rows = self._connection.execute("SELECT name, key FROM entries WHERE kind = ?", (kind,))
            return dict(rows)
        except sqlite3.DatabaseError as error:
            self._fail(error)
            return {}

    def put_many(self, kind: str, entries: Iterable[tuple[str, bytes, bytes]]) -> None:
        """Store (name, key, value) entries of `kind` in one transaction, replacing any there."""
        if self._connection is None or self._broken:
            return
        rows = [(kind, name, key, checksum(value), value) for name, key, value in entries]
        if not rows:
            return
        try:
            with self._transaction() as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO entries (kind, name, key, checksum, value)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.DatabaseError as error:
            self._fail(error)

    def keep_only(self, kind: str, names: Collection[str]) -> None:
        """Delete the entries of `kind` not named: those of deleted or renamed articles and pages.
        Every name given is stored (the build has just read or written it), so a store with no
        more entries of `kind` than names has nothing to delete, and is not read through."""
        if self._connection is None or self._broken:
            return
        try:
            (count,) = self._connection.execute(
                "SELECT count(*) FROM entries WHERE kind = ?", (kind,)
            ).fetchone()
            if count <= len(names):
                return
            gone = [(kind, name) for name in self.keys(kind) if name not in names]
            with self._transaction() as connection:
                connection.executemany("DELETE FROM entries WHERE kind = ? AND name = ?", gone)
        except sqlite3.DatabaseError as error:
            self._fail(error)

    def _transaction(self) -> _Transaction:
        assert self._connection is not None
        return _Transaction(self._connection)

    def close(self) -> None:
        """Close the file; a store that failed is deleted, so the next build starts afresh."""
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.DatabaseError:
                self._broken = True
            self._connection = None
        if self._broken:
            self._delete_files()


def _marks(values: Sequence[str]) -> str:
    """`?, ?, ?`: one placeholder per value."""
    return ", ".join("?" * len(values))


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK if the body raised: many rows for the price of one write."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        self.connection.execute("COMMIT" if error is None else "ROLLBACK")
