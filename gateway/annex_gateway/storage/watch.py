"""In-process watch fan-out, shared by the backends.

A backend publishes every committed write to its WatchHub, in revision order. A watch
subscribes first and notes the hub's published revision R at that instant: events after R
arrive live through its buffer; events up to R are replayed from the backend's history, page
by page as the consumer iterates. The two ranges neither overlap nor leave a gap; a watch
still drops any revision it has already yielded, as a safety net.

An event is handed out from the third turn of the event loop after its publish, once the
write that published it has answered (its caller resumes two turns after the publish, through
the store's shield), and to at most `SLICE` watchers a turn, so that neither the write's
answer nor other requests wait for a thousand watchers' connections (kube-apiserver's watch
cache, too, dispatches apart from the write, a few milliseconds after it). Events reach every
watcher in revision order all the same, and a watch's progress (what its bookmarks say)
never claims an event of its resource it has not been handed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from .interface import EventType, ObjectKey, RevisionTooLarge, WatchEvent, WatchOverflow


@dataclass(frozen=True, slots=True)
class RawEvent:
    """A committed write as the backend hands it over; decoded per watcher, if at all."""

    type: EventType
    revision: int
    key: ObjectKey
    data: bytes
    previous: bytes | None

    def decode(self) -> WatchEvent:
        return WatchEvent(self.type, self.revision, self.data, self.previous)


log = logging.getLogger(__name__)

# (resource, namespace, after, upto, limit) -> at most `limit` events of that resource (and
# namespace, unless None) with after < revision <= upto, ascending. Raises Expired when
# `after` is older than the compacted revision.
Replay = Callable[[str, str | None, int, int, int], Awaitable[Sequence[RawEvent]]]

SLICE = 32  # watchers handed an event per turn of the event loop
DISPATCH_AFTER_TURNS = 3  # turns of the event loop from a publish to the first hand-out


class WatchHub:
    def __init__(self, replay: Replay, *, buffer: int = 1000, page: int = 256) -> None:
        if buffer < 1 or page < 1:
            raise ValueError("buffer and page must be positive")
        self.replay = replay
        self.buffer = buffer
        self.page = page
        # Every event up to here was published: a watch subscribing now replays history up
        # to it, and is handed only later events.
        self.published = 0
        self._subscribers: dict[str, set[HubWatch]] = {}
        self._queue: deque[RawEvent] = deque()  # the first is being dispatched
        self._targets: list[HubWatch] | None = None  # its subscribers when it began
        self._position = 0  # how many of them have it

    def start(self, revision: int) -> None:
        self.published = revision

    def publish(self, event: RawEvent) -> None:
        if event.revision <= self.published:
            raise ValueError(f"revision {event.revision} published out of order")
        self.published = event.revision
        self._queue.append(event)
        if len(self._queue) == 1:  # none in progress
            _after_turns(DISPATCH_AFTER_TURNS, self._dispatch)

    def progress(self, resource: str, after: int = 0) -> int:
        """Every event of `resource` newer than `after` up to here has reached its watchers
        (the revisions between are other resources')."""
        for event in self._queue:
            if event.revision > after and event.key.resource == resource:
                return event.revision - 1
        return self.published

    def _dispatch(self) -> None:
        """Hand the queued events over in order, at most SLICE watchers a turn."""
        budget = SLICE
        while self._queue:
            event = self._queue[0]
            if self._targets is None:
                self._targets = list(self._subscribers.get(event.key.resource, ()))
                self._position = 0
            targets, start = self._targets, self._position
            end = min(len(targets), start + budget)
            for watch in targets[start:end]:
                try:
                    watch.push(event)
                except Exception:
                    # Never the publishing write's failure: its change is committed.
                    log.exception("a watcher failed to take an event and is ended")
                    watch.end()
            budget -= end - start
            self._position = end
            if end < len(targets):
                asyncio.get_running_loop().call_soon(self._dispatch)
                return
            self._queue.popleft()
            self._targets = None

    def watch(self, resource: str, namespace: str | None, after_revision: int) -> HubWatch:
        return HubWatch(self, resource, namespace, after_revision)

    def close(self) -> None:
        self._queue.clear()
        self._targets = None
        subscribers, self._subscribers = self._subscribers, {}
        for watches in subscribers.values():
            for watch in watches:
                watch.end()

    def subscribe(self, watch: HubWatch) -> None:
        self._subscribers.setdefault(watch.resource, set()).add(watch)

    def unsubscribe(self, watch: HubWatch) -> None:
        watches = self._subscribers.get(watch.resource)
        if watches is not None:
            watches.discard(watch)
            if not watches:
                del self._subscribers[watch.resource]


def _after_turns(turns: int, callback: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    if turns > 1:
        loop.call_soon(_after_turns, turns - 1, callback)
    else:
        loop.call_soon(callback)


class HubWatch:
    """One watcher: replay from history up to its subscription point, then its live buffer."""

    def __init__(
        self, hub: WatchHub, resource: str, namespace: str | None, after_revision: int
    ) -> None:
        self._hub = hub
        self.resource = resource
        self.namespace = namespace
        self._last = after_revision  # last revision yielded
        self._cursor = after_revision  # history is replayed up to here
        self._upto = after_revision  # subscription point: history ends, live begins
        self._replayed: deque[RawEvent] = deque()
        self._live: deque[RawEvent] = deque()
        self._wakeup = asyncio.Event()
        self._started = False
        self._ended = False
        self._overflowed = False
        self._sink: Callable[[EventType, bytes], bool] | None = None

    @property
    def revision(self) -> int:
        if not self._started or self._ended or self._overflowed or self._replayed:
            return self._last
        if self._cursor < self._upto:
            return self._cursor
        if self._live:
            # Anything matching before the oldest buffered event was yielded already.
            return max(self._last, self._live[0].revision - 1)
        # Events up to the last it took were handed over (or replayed) already.
        return max(self._last, self._hub.progress(self.resource, self._last))

    def attach(self, sink: Callable[[EventType, bytes], bool]) -> bool:
        if not self._started or self._ended or self._overflowed:
            return False
        if self._replayed or self._live or self._cursor < self._upto:
            return False
        self._sink = sink
        return True

    def push(self, event: RawEvent) -> None:
        if self._ended or (self.namespace is not None and event.key.namespace != self.namespace):
            return
        if event.revision <= self._upto:
            return  # published before it subscribed (its hand-out was on its way): replayed
        if self._sink is not None:
            # Handed over as published: no buffer, no wake-up of the consumer.
            if event.revision > self._last:
                self._last = event.revision
                if not self._sink(event.type, event.data):
                    self._sink = None
                    self._overflowed = True
                    self._hub.unsubscribe(self)
                    self._wakeup.set()
            return
        if len(self._live) >= self._hub.buffer:
            # Dropping events would leave a gap; end the watcher instead, like kube does.
            self._overflowed = True
            self._live.clear()
            self._hub.unsubscribe(self)
        else:
            self._live.append(event)
        self._wakeup.set()

    def end(self) -> None:
        self._ended = True
        self._sink = None
        self._hub.unsubscribe(self)
        self._replayed.clear()
        self._live.clear()
        self._wakeup.set()

    async def _start(self) -> None:
        if self._started:
            return
        self._started = True
        # Subscribing and reading `published` in one step of the event loop splits the
        # stream exactly at `_upto`.
        self._hub.subscribe(self)
        self._upto = self._hub.published
        if self._last > self._upto:
            self.end()
            raise RevisionTooLarge(self._last, self._upto)
        # Fetch the first page now so an Expired revision surfaces at __aenter__.
        await self._guarded(self._fill())

    async def _fill(self) -> None:
        page = self._hub.page
        events = await self._hub.replay(
            self.resource, self.namespace, self._cursor, self._upto, page
        )
        if self._ended:
            return
        self._replayed.extend(events)
        self._cursor = events[-1].revision if len(events) == page else self._upto

    async def _guarded(self, step: Awaitable[None]) -> None:
        try:
            await step
        except asyncio.CancelledError:
            # The cursor only moves once a page is in: a cancelled wait (a consumer's
            # wait_for for its bookmark timer) leaves the watch usable.
            raise
        except BaseException:
            if self._ended:
                return  # closed meanwhile (the store shut down): just stop iterating
            self.end()
            raise

    async def __anext__(self) -> WatchEvent:
        await self._start()
        while True:
            if self._overflowed:
                self.end()
                raise WatchOverflow(self._last)
            if self._ended:
                raise StopAsyncIteration
            if self._replayed:
                event = self._replayed.popleft()
            elif self._cursor < self._upto:
                await self._guarded(self._fill())
                continue
            elif self._live:
                event = self._live.popleft()
            else:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            if event.revision > self._last:
                self._last = event.revision
                return event.decode()

    def __aiter__(self) -> Self:
        return self

    async def __aenter__(self) -> Self:
        try:
            await self._start()
        except BaseException:
            self.end()  # __aexit__ will not run
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.end()

    async def aclose(self) -> None:
        self.end()
