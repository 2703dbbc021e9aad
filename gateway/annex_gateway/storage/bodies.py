"""A bounded cache of stored bodies by revision: what reads of recent or popular objects
find in memory instead of the database. A body written at a revision never changes, so
entries need no invalidation, only eviction (least recently used, by total bytes)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from .interface import Store


class BodyCache:
    def __init__(self, store: Store, budget: int = 16 * 1024 * 1024) -> None:
        self._store = store
        self._budget = budget
        self._size = 0
        self._bodies: OrderedDict[int, bytes] = OrderedDict()

    def put(self, revision: int, body: bytes) -> None:
        if len(body) > self._budget or revision in self._bodies:
            return
        self._bodies[revision] = body
        self._size += len(body)
        while self._size > self._budget:
            _, evicted = self._bodies.popitem(last=False)
            self._size -= len(evicted)

    async def read(self, revisions: Sequence[int]) -> list[bytes | None]:
        """As `Store.read_revisions`, from memory where it can."""
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
        fetched = dict(zip(missing, await self._store.read_revisions(missing), strict=True))
        for i, revision in enumerate(revisions):
            if found[i] is None and (body := fetched[revision]) is not None:
                found[i] = body
                self.put(revision, body)
        return found

    @property
    def size(self) -> int:
        return self._size
