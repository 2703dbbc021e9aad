"""Compaction apart from the writes, batch by batch; shared by the backends.

A backend compacts in batches: each discards the history of one bounded range of revisions
in its own short transaction and advances the compacted revision only once that commits, so
every batch leaves a consistent store and reads and writes interleave with a long compaction
instead of waiting for it. Batches may come from several runners (the background task,
`compact()` callers): each starts where the last one ended, so their order does not matter.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

from .interface import BackendError

log = logging.getLogger(__name__)

# batch(upto): compact one bounded step towards `upto`, advancing `compacted()`.
Batch = Callable[[int], Awaitable[None]]


def batch_end(since: int, upto: int, freed: Iterable[tuple[int, int]], budget: int) -> int:
    """Where a batch in (since, upto] ends so that the bodies it frees stay within `budget`
    bytes, though it always takes at least one revision. `freed` gives, in ascending order,
    each revision of the range that is still stored and the bytes its compaction frees."""
    total, end = 0, since
    for revision, size in freed:
        total += size
        if total > budget and end > since:
            return end
        end = revision
    return upto


class Compactor:
    """Runs `batch` in a background task whenever `nudge()` says retention wants it (up to
    `due()`), or in the caller of `run()`; `wait()` awaits progress made by either."""

    def __init__(
        self, batch: Batch, *, compacted: Callable[[], int], due: Callable[[], int]
    ) -> None:
        self._batch = batch
        self._compacted = compacted
        self._due = due
        self._nudged = asyncio.Event()
        self._advanced = asyncio.Event()  # replaced after each batch; waiters re-check
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._background(), name="storage compaction")

    async def stop(self) -> None:
        """End the background task. A batch already under way still completes (it is
        shielded): the caller should then wait for the store's lock before closing."""
        task, self._task = self._task, None
        self._advance()  # waiters see the stop
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def nudge(self) -> None:
        self._nudged.set()

    async def run(self, upto: int) -> None:
        """Compact up to `upto` in the caller, batch by batch; errors are the caller's."""
        while self._compacted() < upto:
            # Shielded: a cancelled caller stops between batches, never inside one.
            await asyncio.shield(self._one_batch(upto))

    async def wait(self, revision: int) -> None:
        """Return once the store is compacted up to `revision`."""
        while self._compacted() < revision:
            if self._task is None:
                raise BackendError("store is not open")
            await self._advanced.wait()

    async def _one_batch(self, upto: int) -> None:
        try:
            await self._batch(upto)
        finally:
            self._advance()

    def _advance(self) -> None:
        advanced, self._advanced = self._advanced, asyncio.Event()
        advanced.set()

    async def _background(self) -> None:
        while True:
            await self._nudged.wait()
            self._nudged.clear()
            try:
                await self.run(self._due())
            except Exception:
                # Writes go on; the next write past the threshold nudges again.
                log.exception("storage compaction failed")
