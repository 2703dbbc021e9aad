"""A bounded cache of stored bodies by revision: what reads of recent or popular objects
find in memory instead of the database. A body written at a revision never changes, so
entries need no invalidation, only eviction.

The bodies lie in one buffer of the budget's size, written in turn round it: each overwrites
the oldest, and a body read when it is old is written again at the front (a second chance,
so popular objects stay). One buffer holds exactly its size, where a dict of bytes objects
cost ~1.6 times its total in RSS (a 1 KB body is a heap chunk of its own; evicted ones leave
holes in the heap that later allocations fill only in part).

Misses are read from the store in batches: those that arrive while a read is in flight go
together in the next one, so concurrent GETs share their round trips to the database (one
connection, one query at a time) instead of queueing one query each."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence

from .interface import Store


class _Batch:
    def __init__(self) -> None:
        self.revisions: set[int] = set()
        self.done: asyncio.Future[dict[int, bytes | None]] = (
            asyncio.get_running_loop().create_future()
        )
        # Read by whoever waits; retrieved here too, so that an error no waiter is left to
        # see (all cancelled) is not reported as never retrieved.
        self.done.add_done_callback(lambda f: f.cancelled() or f.exception())


class BodyCache:
    def __init__(self, store: Store, budget: int) -> None:
        self._store = store
        self._budget = budget
        self._buffer: bytearray | None = None  # made at the first put
        self._head = 0  # where the next body is written
        self._written = 0  # bytes written since the start: how old an entry is
        self._size = 0  # bytes of the entries held
        # revision -> (offset, length, when written): the entries held.
        self._where: dict[int, tuple[int, int, int]] = {}
        # (revision, offset, length) in the order written: the oldest is overwritten next.
        # A body written again leaves its old place here until that is overwritten.
        self._order: deque[tuple[int, int, int]] = deque()
        self._next: _Batch | None = None  # the misses gathering for the next read
        self._reading = asyncio.Lock()  # held while a batch is read
        self._tasks: set[asyncio.Task[None]] = set()

    def put(self, revision: int, body: bytes) -> None:
        if len(body) > self._budget or revision in self._where:
            return
        self._write(revision, body)

    def _write(self, revision: int, body: bytes) -> None:
        length = len(body)
        if self._buffer is None:
            self._buffer = bytearray(self._budget)
        if self._head + length > self._budget:  # no room before the end: on from the start
            self._overwrite(self._head, self._budget)
            self._head = 0
        self._overwrite(self._head, self._head + length)
        self._buffer[self._head : self._head + length] = body
        self._where[revision] = (self._head, length, self._written)
        self._order.append((revision, self._head, length))
        self._head += length
        self._written += length
        self._size += length

    def _overwrite(self, start: int, end: int) -> None:
        """Drop the entries in [start, end): the oldest ones, first in the order written."""
        order, where = self._order, self._where
        while order:
            revision, offset, length = order[0]
            if offset >= end or offset + length <= start:
                return
            order.popleft()
            held = where.get(revision)
            if held is not None and held[0] == offset:  # not written again elsewhere since
                del where[revision]
                self._size -= length

    def _get(self, revision: int, keep: bool) -> bytes | None:
        held = self._where.get(revision)
        if held is None:
            return None
        assert self._buffer is not None
        offset, length, written = held
        body = bytes(memoryview(self._buffer)[offset : offset + length])
        if keep and self._written - written > self._budget // 2:  # old: kept for another turn
            del self._where[revision]
            self._size -= length
            self._write(revision, body)
        return body

    async def read(self, revisions: Sequence[int], *, keep: bool = True) -> list[bytes | None]:
        """As `Store.read_revisions`, from memory where it can. `keep`: whether what had to
        be read from the store stays in memory, and what was old in it gets another turn; a
        list's scan passes False, so that it neither evicts what GETs find nor moves bodies
        (moved, they evict others, which the next scan misses)."""
        found: list[bytes | None] = []
        missing: list[int] = []
        for revision in revisions:
            body = self._get(revision, keep)
            if body is None:
                missing.append(revision)
            found.append(body)
        if not missing:
            return found
        fetched = await self._fetch(missing)
        for i, revision in enumerate(revisions):
            if found[i] is None and (body := fetched[revision]) is not None:
                found[i] = body
                if keep:
                    self.put(revision, body)
        return found

    async def _fetch(self, revisions: list[int]) -> dict[int, bytes | None]:
        batch = self._next
        if batch is None:
            batch = self._next = _Batch()
            task = asyncio.create_task(self._read(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        batch.revisions.update(revisions)
        # A cancelled reader leaves the batch to the others.
        return await asyncio.shield(batch.done)

    async def _read(self, batch: _Batch) -> None:
        async with self._reading:
            if self._next is batch:
                self._next = None  # closed: later misses gather for the next read
            wanted = sorted(batch.revisions)
            try:
                bodies = await self._store.read_revisions(wanted)
            except asyncio.CancelledError:
                batch.done.cancel()
                raise
            except Exception as e:
                batch.done.set_exception(e)
                return
            batch.done.set_result(dict(zip(wanted, bodies, strict=True)))

    @property
    def size(self) -> int:
        return self._size
