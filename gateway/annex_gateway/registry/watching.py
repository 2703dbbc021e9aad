"""Watch: one client's stream of changes to a resource, as kube-apiserver's watch cache
(storage/cacher) serves it.

- `resourceVersion` unset or "0" starts with synthetic ADDED events for every selected object
  (the current state), then changes; N starts after revision N (410 Expired as an ERROR event
  when N was compacted, inside the 200 stream);
- WatchList (`sendInitialEvents=true`, `resourceVersionMatch=NotOlderThan`): the current state
  as ADDED events, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"` when bookmarks
  are allowed (client-go's informers wait for it);
- selectors see transitions: an object entering the selection arrives ADDED, leaving it
  DELETED (with its last selected state and the event's resourceVersion);
- a watcher too slow for its buffer is ended, as kube-apiserver ends slow watchers; the client
  resumes from the last resourceVersion it saw.
Timing (bookmark intervals, the request's timeout) is the caller's: `next` takes a timeout
and returns None when nothing happened, leaving the watch usable.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from annex_gateway import apierrors
from annex_gateway.registry import listing
from annex_gateway.registry.options import ListOptions
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.storage import (
    Expired,
    RevisionTooLarge,
    Store,
    Watch,
    WatchEvent,
    WatchOverflow,
    codec,
)
from annex_gateway.storage.index import ObjectIndex

JSON = dict[str, Any]
# (type, object): the object as stored (bytes) when it is served as it is stored
Event = tuple[str, JSON | bytes]
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


@dataclass(frozen=True)
class WatchOptions:
    list: ListOptions
    send_initial_events: bool | None = None
    allow_bookmarks: bool = False

    @property
    def initial_events(self) -> bool:
        """Whether the current state comes first: asked for, or implied by rv unset / "0"."""
        if self.send_initial_events is not None:
            return self.send_initial_events
        return self.list.resource_version in (None, "", "0")


class ResourceWatch:
    """An async context manager; `next(timeout)` gives the next event or None."""

    def __init__(
        self,
        storage: Store,
        info: ResourceInfo,
        namespace: str,
        options: WatchOptions,
        index: ObjectIndex | None = None,
    ) -> None:
        self._storage = storage
        self._index = index
        self._info = info
        self._namespace = namespace or options.list.fields.exact("metadata.namespace") or None
        self._options = options
        self._pending: deque[Event] = deque()
        self._initial: listing.ObjectList | None = None
        self._initial_pages: AsyncIterator[listing.Page] | None = None
        self._initial_end: Event | None = None  # the bookmark that closes the initial events
        self._watch: Watch | None = None
        self._ended = False
        self._revision = 0
        self._after = 0  # events up to this revision are not sent (a watch from the future)

    @property
    def allow_bookmarks(self) -> bool:
        return self._options.allow_bookmarks

    @property
    def ends_initial_events(self) -> bool:
        """Whether the initial events end with a bookmark (a WatchList request)."""
        return bool(self._options.send_initial_events) and self._options.allow_bookmarks

    async def __aenter__(self) -> Self:
        options = self._options
        if options.initial_events:
            try:
                listed = await listing.list_objects(
                    self._storage,
                    self._index,
                    self._info,
                    self._namespace or "",
                    ListOptions(
                        labels=options.list.labels,
                        fields=options.list.fields,
                        resource_version=options.list.resource_version,
                        resource_version_match="NotOlderThan"
                        if options.list.resource_version
                        else None,
                    ),
                )
            except apierrors.StatusError as e:
                # Past parsing, a watch fails with an ERROR event in its 200 stream (the
                # cacher's newErrWatcher): e.g. a revision the store has not reached.
                self._pending.append(("ERROR", e.status()))
                self._ended = True
                return self
            start = int(listed.metadata["resourceVersion"])
            # The current state is read page by page as the client takes it.
            self._initial = listed
            self._initial_pages = listed.pages()
            if options.send_initial_events and options.allow_bookmarks:
                self._initial_end = self._bookmark(start, initial_events_end=True)
        elif options.list.resource_version:
            start = listing.parse_revision(options.list.resource_version)
            # A revision the store has not reached: the cacher starts an empty interval and
            # sends only what comes after it (no "too large" error, unlike a list).
            current = await self._storage.current_revision()
            if start > current:
                self._after = start
                start = current
        else:  # sendInitialEvents=false and no resourceVersion: from now on
            start = await self._storage.current_revision()
        self._revision = start
        watch = self._storage.watch(
            self._info.storage_prefix, self._namespace, after_revision=start
        )
        try:
            self._watch = await watch.__aenter__()
        except Expired as e:
            self._pending.append(_error(e))
            self._ended = True
        except RevisionTooLarge as e:
            raise listing.too_large(e) from None
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._watch is not None:
            await self._watch.aclose()

    def attach(self, write: Callable[[str, bytes], bool]) -> bool:
        """Have every later event written by `write(type, stored bytes)` as the store
        publishes it, with no wake-up of the consumer: for a watch that selects nothing and
        serves objects as stored, once its pending events are taken (False otherwise)."""
        info, options = self._info, self._options.list
        if self._pending or self._initial_pages is not None or self._watch is None:
            return False
        if self._watch.revision < self._after:
            return False
        if not (options.labels.empty and options.fields.empty):
            return False
        return info.stored_is_served and self._watch.attach(write)

    def bookmark(self) -> Event | None:
        """A BOOKMARK at the newest revision every event up to which was delivered; None
        before the revision a watch from the future asked for (the cacher sends none)."""
        if self._watch is not None and not self._pending and self._initial_pages is None:
            self._revision = max(self._revision, self._watch.revision)
        if self._revision < self._after:
            return None
        return self._bookmark(self._revision)

    def _bookmark(self, revision: int, initial_events_end: bool = False) -> Event:
        meta: JSON = {"resourceVersion": str(revision)}
        if initial_events_end:
            meta["annotations"] = {INITIAL_EVENTS_END: "true"}
        return "BOOKMARK", {
            "kind": self._info.kind,
            "apiVersion": self._info.api_version,
            "metadata": meta,
        }

    async def next_ready(self) -> Event | None:
        """The next event there is no waiting for the store to publish (an initial event, one
        already made); None when there is none."""
        while not self._pending and self._initial_pages is not None:
            await self._next_initial_page()
        return self._pending.popleft() if self._pending else None

    async def next(self, timeout: float) -> Event | None:
        """The next event; None if none came within `timeout`. StopAsyncIteration at the end."""
        ready = await self.next_ready()
        if ready is not None:
            return ready
        if self._ended or self._watch is None:
            raise StopAsyncIteration
        deadline = asyncio.get_running_loop().time() + timeout
        try:
            # A timeout scope, not wait_for: no task per event per watcher.
            async with asyncio.timeout_at(deadline):
                while True:
                    try:
                        event = await anext(self._watch)
                    except WatchOverflow:
                        self._ended = True  # the client re-watches from the last revision seen
                        raise StopAsyncIteration from None
                    except Expired as e:
                        self._ended = True
                        return _error(e)
                    if event.revision <= self._after:
                        continue
                    self._revision = event.revision
                    try:
                        selected = await self._selected(event)
                    except apierrors.StatusError as e:  # a conversion webhook failed
                        self._ended = True
                        return "ERROR", e.status()
                    if selected is not None:
                        return selected
        except TimeoutError:
            return None

    async def _next_initial_page(self) -> None:
        assert self._initial is not None
        assert self._initial_pages is not None
        page = await anext(self._initial_pages, None)
        if page is None:
            self._initial = self._initial_pages = None
            if self._initial_end is not None:
                self._pending.append(self._initial_end)
            return
        if self._initial.stored_as_served:
            self._pending.extend(("ADDED", body) for body in page.bodies)
        else:
            self._pending.extend(
                ("ADDED", self._info.to_served(codec.decode(b))) for b in page.bodies
            )

    async def _selected(self, event: WatchEvent) -> Event | None:
        """The event as this watcher's selectors see it, or None if it is not theirs."""
        info, labels, fields = self._info, self._options.list.labels, self._options.list.fields
        if labels.empty and fields.empty and info.stored_is_served:
            return event.type, event.data  # as stored: nothing to decode
        if info.converter is not None:
            return await self._converted(event)
        now = event.type != "DELETED" and listing.selected(event.object, info, labels, fields)
        before = event.previous is not None and listing.selected(
            event.previous, info, labels, fields
        )
        if event.type == "DELETED":
            return ("DELETED", info.to_served(event.object)) if before else None
        if now and before:
            return "MODIFIED", info.to_served(event.object)
        if now:
            return "ADDED", info.to_served(event.object)
        if before:
            # Left the selection: its last selected state, at this event's revision.
            assert event.previous is not None
            gone = event.previous
            gone["metadata"]["resourceVersion"] = str(event.revision)
            return "DELETED", info.to_served(gone)
        return None

    async def _converted(self, event: WatchEvent) -> Event | None:
        """_selected for a resource with conversion: selectors see the served version."""
        info, labels, fields = self._info, self._options.list.labels, self._options.list.fields
        if labels.empty and fields.empty:
            data = (await info.served_bodies([event.data]))[0]
            if info.read_defaulter is None:
                return event.type, data
            return event.type, info.to_served(codec.decode(data))
        previous = event.previous
        both = [event.object] if previous is None else [event.object, previous]
        served = await info.served_all(both)
        obj, before_obj = served[0], (served[1] if previous is not None else None)
        now = event.type != "DELETED" and listing.selected(obj, info, labels, fields)
        before = before_obj is not None and listing.selected(before_obj, info, labels, fields)
        if event.type == "DELETED":
            return ("DELETED", obj) if before else None
        if now:
            return ("MODIFIED" if before else "ADDED"), obj
        if before_obj is not None and before:
            before_obj["metadata"]["resourceVersion"] = str(event.revision)
            return "DELETED", before_obj
        return None


def _error(e: Expired) -> Event:
    status = apierrors.expired(f"too old resource version: {e.revision} ({e.oldest})").status()
    return "ERROR", status
