"""The embedded backend: one SQLite file in WAL mode, owned by one gateway process.

aiosqlite runs every statement on its own thread, so nothing here blocks the event loop.
The store uses a single connection; an asyncio.Lock serializes its use, so each operation
sees one state of the database, revisions are handed out in order and events are published
in commit order. The file is opened with an exclusive lock: a second process (a second
gateway replica) fails to open it instead of writing behind the first one's watchers.

Compaction never runs inside a write: a background task (see compaction.py) discards history
in batches bounded in revisions and in the bytes of bodies they free, each batch one short
transaction under the lock, so reads and writes go on between batches.
"""

from __future__ import annotations

import asyncio
import builtins
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal, cast

import aiosqlite
import orjson

from . import codec
from . import sqlite_schema as sql
from .compaction import Compactor, batch_end
from .interface import (
    AlreadyExists,
    BackendError,
    Conflict,
    EventType,
    Expired,
    ListResult,
    NotFound,
    ObjectKey,
    RevisionTooLarge,
    StorageError,
    namespace_segment,
)
from .watch import HubWatch, RawEvent, WatchHub

Params = Mapping[str, Any]

log = logging.getLogger(__name__)


class SqliteStore:
    """A Store on SQLite. `path` may be ":memory:" (tests)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        retain_revisions: int = 10_000,
        compact_interval: int = 1_000,
        compact_batch_revisions: int = 250,
        compact_batch_bytes: int = 4 << 20,
        watch_buffer: int = 1_000,
        synchronous: Literal["NORMAL", "FULL"] = "FULL",
        busy_timeout: float = 5.0,
    ) -> None:
        """Keep at least `retain_revisions` revisions of history; compact once
        `compact_interval` more have accumulated, at most `compact_batch_revisions`
        revisions and (beyond one revision) `compact_batch_bytes` of freed bodies per batch.
        `watch_buffer` bounds each watcher's backlog. `synchronous="NORMAL"` trades the last
        commits on power loss for speed."""
        if retain_revisions < 0 or compact_interval < 1:
            raise ValueError("retain_revisions must be >= 0 and compact_interval >= 1")
        if compact_batch_revisions < 1 or compact_batch_bytes < 0:
            raise ValueError("compact_batch_revisions must be >= 1, compact_batch_bytes >= 0")
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError("synchronous must be NORMAL or FULL")
        self._path = os.fspath(path)
        self._retain = retain_revisions
        self._interval = compact_interval
        self._batch_revisions = compact_batch_revisions
        self._batch_bytes = compact_batch_bytes
        self._watch_buffer = watch_buffer
        self._synchronous = synchronous
        self._busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._hub: WatchHub | None = None
        self._lock = asyncio.Lock()
        self._revision = 0
        self._compacted = 0
        self._compactor = Compactor(
            self._compact_batch,
            compacted=lambda: self._compacted,
            due=lambda: self._revision - self._retain,
        )

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        if self._db is not None:
            raise StorageError("store is already open")
        if sqlite3.sqlite_version_info < (3, 35):
            raise StorageError(f"SQLite >= 3.35 needed (RETURNING), found {sqlite3.sqlite_version}")
        try:
            db = await aiosqlite.connect(
                self._path, isolation_level=None, timeout=self._busy_timeout
            )
        except sqlite3.Error as e:
            raise BackendError(f"cannot open {self._path}: {e}") from e
        try:
            # Exclusive before WAL: no shared-memory index, and no second process.
            await db.execute("PRAGMA locking_mode = EXCLUSIVE")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute(f"PRAGMA synchronous = {self._synchronous}")
            # Some builds (Debian's) zero every freed page: compacting a deleted 1 MiB body then
            # wrote 1 MiB to the WAL; 50 of them took 1.0-1.3 s instead of 70-80 ms. FAST zeroes
            # only where it costs no I/O; freed pages keep their bytes until reused, as by default.
            await db.execute("PRAGMA secure_delete = FAST")
            await self._migrate(db)
            rows = list(await db.execute_fetchall(sql.SELECT_REVISIONS))
            self._compacted, latest = rows[0]
            self._revision = max(self._compacted, latest)
        except BaseException as e:
            await db.close()
            if isinstance(e, sqlite3.Error):
                raise BackendError(f"cannot open {self._path}: {e}") from e
            raise
        self._db = db
        self._hub = WatchHub(self._replay, buffer=self._watch_buffer)
        self._hub.start(self._revision)
        self._compactor.start()
        self._nudge_if_due()  # a backlog left by a crash is caught up without waiting for a write

    @staticmethod
    async def _migrate(db: aiosqlite.Connection) -> None:
        rows = list(await db.execute_fetchall("PRAGMA user_version"))
        version = rows[0][0]
        if version == 0:
            await db.executescript(sql.SCHEMA)
        elif version == 1:
            await db.executescript(sql.MIGRATE_1_TO_2)
        elif version != sql.SCHEMA_VERSION:
            raise StorageError(f"unknown storage schema version {version}")

    async def close(self) -> None:
        await self._compactor.stop()
        async with self._lock:  # after any batch still under way
            db, self._db = self._db, None
            hub, self._hub = self._hub, None
            if hub is not None:
                hub.close()
            if db is not None:
                await db.close()

    # -- reads -----------------------------------------------------------------------------

    async def current_revision(self) -> int:
        self._require()
        return self._revision

    async def get(self, key: ObjectKey) -> dict[str, Any]:
        async with self._session() as db:
            row = await _fetchone(db, sql.SELECT_OBJECT, _key_params(key))
        if row is None:
            raise NotFound(key)
        return codec.decode(row[0])

    async def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        limit: int | None = None,
        after: tuple[str, str] | None = None,
        at_revision: int | None = None,
    ) -> ListResult:
        if limit is not None and limit < 1:
            raise ValueError("limit must be positive")
        params: dict[str, Any] = {"resource": resource, "namespace": _segment(namespace)}
        behind = False  # `after` is past the whole namespace
        if namespace is not None and after is not None and after[0] != namespace:
            behind, after = _segment(after[0]) > _segment(namespace), None
        if after is not None:
            params["after_namespace"], params["after_name"] = _segment(after[0]), after[1]
        if limit is not None:
            params["limit"] = limit + 1  # one more tells whether there is more
        shape = {"namespace": namespace is not None, "limit": limit is not None}
        async with self._session() as db:
            revision = self._revision if at_revision is None else at_revision
            self._check_readable(revision)
            if behind:
                return ListResult([], revision, False, 0)
            # The current table is the snapshot at the current revision, only faster.
            build = sql.list_current if revision == self._revision else sql.list_snapshot
            params["revision"] = revision
            query = build(after=after is not None, count=False, **shape)
            rows = await _fetchall(db, query, params)
            more = limit is not None and len(rows) > limit
            remaining = 0
            if more:
                rows = rows[:limit]
                params["after_namespace"], params["after_name"], _ = rows[-1]
                count = await _fetchall(db, build(after=True, count=True, **shape), params)
                remaining = count[0][0]
        return ListResult([codec.decode(r[2]) for r in rows], revision, more, remaining)

    async def read_revisions(self, revisions: Sequence[int]) -> builtins.list[bytes | None]:
        if not revisions:
            return []
        async with self._session() as db:
            rows = await _fetchall(
                db, sql.SELECT_REVISIONS_DATA, {"revisions": orjson.dumps(revisions)}
            )
        found: dict[int, bytes] = dict(rows)
        return [found.get(r) for r in revisions]

    def watch(
        self, resource: str, namespace: str | None = None, *, after_revision: int
    ) -> HubWatch:
        if self._hub is None:
            raise BackendError("store is not open")
        return self._hub.watch(resource, namespace, after_revision)

    async def _replay(
        self, resource: str, namespace: str | None, after: int, upto: int, limit: int
    ) -> Sequence[RawEvent]:
        params = {
            "resource": resource,
            "namespace": _segment(namespace),
            "after": after,
            "upto": upto,
            "limit": limit,
        }
        query = sql.replay(namespace=namespace is not None)
        async with self._session() as db:
            if after < self._compacted:
                raise Expired(after, self._compacted)
            rows = await _fetchall(db, query, params)
        return [
            RawEvent(
                cast(EventType, t),
                rev,
                ObjectKey(resource, ns[:-1], name),  # the column holds the segment
                codec.restamp(prev, rev) if data is None else data,  # a tombstone
                prev,
            )
            for rev, ns, name, t, data, prev in rows
        ]

    # -- writes ----------------------------------------------------------------------------
    # Each write runs shielded: once its INSERT is queued on the sqlite thread it will
    # commit, and a caller cancelled meanwhile (a client hung up) must not skip the
    # bookkeeping that advances the revision and publishes the event.

    async def create(self, key: ObjectKey, obj: dict[str, Any]) -> dict[str, Any]:
        return await asyncio.shield(self._create(key, obj))

    async def update(
        self, key: ObjectKey, obj: dict[str, Any], *, expected_revision: int
    ) -> dict[str, Any]:
        return await asyncio.shield(self._update(key, obj, expected_revision))

    async def delete(
        self, key: ObjectKey, *, expected_revision: int | None = None
    ) -> dict[str, Any]:
        return await asyncio.shield(self._delete(key, expected_revision))

    async def compact(self, revision: int) -> None:
        self._require()
        if revision > self._revision:
            raise RevisionTooLarge(revision, self._revision)
        await self._compactor.run(revision)

    async def wait_compacted(self, revision: int) -> None:
        self._require()
        await self._compactor.wait(revision)

    async def _create(self, key: ObjectKey, obj: dict[str, Any]) -> dict[str, Any]:
        async with self._session() as db:
            revision = self._revision + 1
            data = codec.encode(obj, revision)
            params = {**_key_params(key), "revision": revision, "data": data}
            if await _execute(db, sql.INSERT_ADDED, params) == 0:
                raise AlreadyExists(key)
            self._committed(RawEvent("ADDED", revision, key, data, None))
        return codec.decode(data)

    async def _update(self, key: ObjectKey, obj: dict[str, Any], expected: int) -> dict[str, Any]:
        async with self._session() as db:
            revision = self._revision + 1
            data = codec.encode(obj, revision)
            prev_data = await self._change(db, key, "MODIFIED", revision, expected, data)
            self._committed(RawEvent("MODIFIED", revision, key, data, prev_data))
        return codec.decode(data)

    async def _delete(self, key: ObjectKey, expected: int | None) -> dict[str, Any]:
        async with self._session() as db:
            revision = self._revision + 1
            prev_data = await self._change(db, key, "DELETED", revision, expected, None)
            data = codec.restamp(prev_data, revision)
            self._committed(RawEvent("DELETED", revision, key, data, prev_data))
        return codec.decode(data)

    @staticmethod
    async def _change(
        db: aiosqlite.Connection,
        key: ObjectKey,
        type_: EventType,
        revision: int,
        expected: int | None,
        data: bytes | None,
    ) -> bytes:
        """Write an update or a tombstone if the key is at `expected`; the previous body."""
        params = {
            **_key_params(key),
            "type": type_,
            "revision": revision,
            "expected": expected,
            "data": data,
        }
        row = await _fetchone(db, sql.INSERT_CHANGE, params)
        if row is not None:
            previous: bytes = row[0]
            return previous
        current = await _fetchone(db, sql.SELECT_REVISION, _key_params(key))
        if current is None:
            raise NotFound(key)
        assert expected is not None
        raise Conflict(key, expected, current[0])

    def _committed(self, event: RawEvent) -> None:
        """After a write's commit, under the lock: advance, publish, maybe nudge compaction."""
        assert self._hub is not None
        self._revision = event.revision
        self._hub.publish(event)
        self._nudge_if_due()

    def _nudge_if_due(self) -> None:
        if self._revision - self._compacted >= self._retain + self._interval:
            self._compactor.nudge()

    async def _compact_batch(self, upto: int) -> None:
        """One batch: history in (compacted, end], `end` bounded by the batch options."""
        async with self._session() as db:
            since = self._compacted
            end = min(upto, since + self._batch_revisions)
            if end <= since:
                return
            await _execute(db, "BEGIN IMMEDIATE", {})
            try:
                params = {"since": since, "upto": end}
                freed = await _fetchall(db, sql.SELECT_FREED_BY_COMPACTION, params)
                params["upto"] = end = batch_end(since, end, freed, self._batch_bytes)
                log.debug("compacting history in (%d, %d]", since, end)
                for statement in sql.COMPACT:
                    await _execute(db, statement, params)
                await _execute(db, "COMMIT", {})
            except BaseException:
                if db.in_transaction:
                    await db.rollback()
                raise
            # Only now: a read checking against it must find everything above it still there.
            self._compacted = end

    # -- helpers ---------------------------------------------------------------------------

    def _require(self) -> aiosqlite.Connection:
        if self._db is None:
            raise BackendError("store is not open")
        return self._db

    def _check_readable(self, revision: int) -> None:
        if revision > self._revision:
            raise RevisionTooLarge(revision, self._revision)
        if revision < self._compacted:
            raise Expired(revision, self._compacted)

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, exclusively, with sqlite's errors turned into BackendError."""
        async with self._lock:
            db = self._require()
            try:
                yield db
            except sqlite3.Error as e:
                raise BackendError(str(e)) from e


def _key_params(key: ObjectKey) -> dict[str, Any]:
    return {"resource": key.resource, "namespace": _segment(key.namespace), "name": key.name}


def _segment(namespace: str | None) -> Any:
    """A namespace as the `namespace` column holds it (its key segment: key order)."""
    return None if namespace is None else namespace_segment(namespace)


async def _execute(db: aiosqlite.Connection, query: str, params: Params) -> int:
    # Not `async with`: closing the cursor would cost another round trip to the thread.
    cursor = await db.execute(query, params)
    return cursor.rowcount


async def _fetchall(db: aiosqlite.Connection, query: str, params: Params) -> list[Any]:
    return list(await db.execute_fetchall(query, params))


async def _fetchone(db: aiosqlite.Connection, query: str, params: Params) -> Any:
    rows: Iterable[Any] = await db.execute_fetchall(query, params)
    return next(iter(rows), None)
