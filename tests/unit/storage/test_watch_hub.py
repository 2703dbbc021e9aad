"""The hub's fan-out in slices: a write returns before its event is handed out; watchers get
it SLICE per turn of the event loop, from the DISPATCH_AFTER_TURNS-th turn after the publish,
every watcher in revision order, and no watcher's resourceVersion (its bookmarks) runs ahead
of what it was handed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from annex_gateway.storage.interface import EventType, ObjectKey
from annex_gateway.storage.watch import (
    DISPATCH_AFTER_TURNS,
    SLICE,
    HubWatch,
    RawEvent,
    WatchHub,
)


async def _no_history(
    resource: str, namespace: str | None, after: int, upto: int, limit: int
) -> Sequence[RawEvent]:
    return []


def _event(revision: int) -> RawEvent:
    data = b'{"revision":%d}' % revision
    return RawEvent("MODIFIED", revision, ObjectKey("images", "default", "a"), data, None)


async def _attached(hub: WatchHub, count: int) -> tuple[list[HubWatch], list[list[bytes]]]:
    """`count` watches handed each event as published; what each was handed."""
    watches, seen = [], []
    for _ in range(count):
        watch = await hub.watch("images", None, hub.published).__aenter__()
        got: list[bytes] = []

        def sink(kind: EventType, data: bytes, got: list[bytes] = got) -> bool:
            got.append(data)
            return True

        assert watch.attach(sink)
        watches.append(watch)
        seen.append(got)
    return watches, seen


async def test_a_write_returns_before_its_event_is_handed_out_a_slice_a_turn() -> None:
    hub = WatchHub(_no_history)
    hub.start(10)
    count = SLICE * 3 + 5
    watches, seen = await _attached(hub, count)
    hub.publish(_event(11))
    hub.publish(_event(12))
    # The write answers first: its caller resumes two turns after the publish.
    for _ in range(DISPATCH_AFTER_TURNS - 1):
        await asyncio.sleep(0)
        assert sum(len(s) for s in seen) == 0
    await asyncio.sleep(0)
    assert sum(len(s) for s in seen) == SLICE  # the rest wait for later turns
    assert hub.published == 12
    assert hub.progress("images") == 10
    assert hub.progress("widgets") == 12  # no event of theirs is on its way
    # None claims a revision it has not been handed (a bookmark would skip an event).
    for watch, got in zip(watches, seen, strict=True):
        assert watch.revision == (11 if got else 10)
    for _ in range(20):
        await asyncio.sleep(0)
    # Both events, in order, to every watcher.
    assert all(got == [b'{"revision":11}', b'{"revision":12}'] for got in seen)
    assert hub.progress("images") == 12
    assert all(watch.revision == 12 for watch in watches)


async def test_a_watch_started_during_a_dispatch_replays_what_it_was_not_handed() -> None:
    history: list[RawEvent] = []

    async def replay(
        resource: str, namespace: str | None, after: int, upto: int, limit: int
    ) -> Sequence[RawEvent]:
        return [e for e in history if after < e.revision <= upto][:limit]

    hub = WatchHub(replay)
    hub.start(10)
    await _attached(hub, SLICE * 2)
    history.append(_event(11))
    hub.publish(_event(11))  # dispatch in progress
    late = hub.watch("images", None, 10)
    async with late:
        for _ in range(10):
            await asyncio.sleep(0)
        hub.publish(_event(12))
        history.append(_event(12))
        got = [(await anext(late)).revision, (await anext(late)).revision]
    assert got == [11, 12]


async def test_a_watcher_that_fails_on_an_event_is_ended_and_the_write_goes_on() -> None:
    hub = WatchHub(_no_history)
    hub.start(10)
    watches, seen = await _attached(hub, 3)

    def broken(kind: EventType, data: bytes) -> bool:
        raise RuntimeError("a bug in one watcher's write")

    assert watches[1].attach(broken)  # in place of its working sink
    hub.publish(_event(11))  # does not raise: the write is committed
    for _ in range(DISPATCH_AFTER_TURNS):
        await asyncio.sleep(0)  # the dispatch neither
    assert seen[0] == seen[2] == [b'{"revision":11}']
    with pytest.raises(StopAsyncIteration):
        await anext(watches[1])
