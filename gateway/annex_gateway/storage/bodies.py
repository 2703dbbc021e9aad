"""A bounded cache of stored bodies by revision: what reads of recent or popular objects
find in memory instead of the database. A body written at a revision never changes, so
entries need no invalidation, only eviction (least recently used, by total bytes).

Misses are read from the store in batches: those that arrive while a read is in flight go
together in the next one, so concurrent GETs share their round trips to the database (one
connection, one query at a time) instead of queueing one query each."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
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
    def __init__(self, store: Store, budget: int = 16 * 1024 * 1024) -> None:
        self._store = store
        self._budget = budget
        self._size = 0
        self._bodies: OrderedDict[int, bytes] = OrderedDict()
        self._next: _Batch | None = None  # the misses gathering for the next read
        self._reading = asyncio.Lock()  # held while a batch is read
        self._tasks: set[asyncio.Task[None]] = set()

    def put(self, revision: int, body: bytes) -> None:
        if len(body) > self._budget or revision in self._bodies:
            return
        self._bodies[revision] = body
        self._size += len(body)
        while self._size > self._budget:
            _, evicted = self._bodies.popitem(last=False)
            self._size -= len(evicted)

    async def read(self, revisions: Sequence[int], *, keep: bool = True) -> list[bytes | None]:
        """As `Store.read_revisions`, from memory where it can. `keep`: whether what had to
        be read from the store stays in memory; a list's scan passes False, so that reading
        more bodies than the cache holds neither evicts what GETs find nor churns memory."""
        found: list[bytes | None] = []
        missing: list[int] = []
        for revision in revisions:
            body = self._bodies.get(revision)
            if body is not None:
                self._bodies.move_to_end(revision)
            else:
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
