"""An in-memory index of one resource's live objects, kept in step with the store by a single
watch: for every key its current revision, labels and selectable field values, in key order,
with inverted indexes on label and field values.

This is kube-apiserver's watch cache (storage/cacher) without the bodies: a list reads a
consistent snapshot of (key, revision) pairs from memory, filtered by selectors without
reading a single object, then fetches only the bodies it returns, by revision, page by page.
Memory grows with the number of objects (a few hundred bytes each), not with their size.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import logging
from collections.abc import Callable, Iterator, Mapping
from sys import intern
from typing import Any, Final

from .bodies import BodyCache
from .interface import (
    Expired,
    StorageError,
    Store,
    Watch,
    WatchEvent,
    WatchOverflow,
    namespace_segment,
)

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (namespace, name)
# How the index keeps a key: (namespace_segment(namespace), name), in kube-apiserver's order.
Slot = tuple[str, str]
Pairs = tuple[tuple[str, str], ...]
# An object's labels and field values, as selectors see them.
Attrs = Callable[[Mapping[str, Any]], tuple[Mapping[str, str], Mapping[str, str]]]

EMPTY: Pairs = ()


class _Shared:
    """How many entries use a shared label set or field values."""

    __slots__ = ("pairs", "uses")

    def __init__(self, pairs: Pairs) -> None:
        self.pairs = pairs
        self.uses = 0


# One object: (namespace, name, revision, labels, fields), the labels and the indexed field
# values (the name and namespace are the key) as sorted (key, value) pairs. Only exact tuples,
# strings and an int: the cyclic garbage collector stops tracking an entry at its first pass
# over it, so a full collection does not walk every object the index holds (at 50k objects
# it walked ~56k and paused the event loop 24-32 ms, bench/gc_pauses.py). A class instance,
# a NamedTuple or a tuple holding a dict stays tracked.
Entry = tuple[str, str, int, Pairs, Pairs]
NAMESPACE: Final = 0
NAME: Final = 1
REVISION: Final = 2
LABELS: Final = 3
FIELDS: Final = 4


class ObjectIndex:
    """Start with `start()`, read with `snapshot()`; `close()` ends the watch."""

    def __init__(
        self, store: Store, resource: str, attrs: Attrs, bodies: BodyCache | None = None
    ) -> None:
        self._store = store
        # Written bodies go here as the watch brings them: reads of what was just written
        # (controllers read back what they wrote) need no database.
        self.bodies = bodies if bodies is not None else BodyCache(store, 0)
        self._resource = resource
        self._attrs = attrs
        self._keys: list[Slot] = []  # sorted
        self._entries: dict[Slot, Entry] = {}
        # Inverted indexes: the keys with each label and field value, sorted (a selected
        # list comes out in key order without sorting; 8 bytes a key, where a set took ~50).
        self._by_label: dict[tuple[str, str], list[Slot]] = {}
        self._by_field: dict[tuple[str, str], list[Slot]] = {}
        # The shared label and field mappings, with how many entries use each.
        self._mappings: dict[Pairs, _Shared] = {}
        self._revision = 0  # every event up to here is applied
        self._changed = asyncio.Event()
        self._watch: Watch | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None
        self.retired = False  # no route table uses it any more: lists read storage instead

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._ready = asyncio.get_running_loop().create_future()
            self._task = asyncio.create_task(self._run(), name=f"index {self._resource}")

    def retire(self) -> None:
        self.retired = True
        if self._task is not None:
            self._task.cancel()
        self._keys, self._entries, self._by_label, self._by_field = [], {}, {}, {}
        self._mappings = {}

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        """Fill from a list, follow the watch; start over when the watch is ended (it fell
        behind, or history it needed was compacted), as the cacher relists."""
        assert self._ready is not None
        while True:
            try:
                revision = await self._fill()
                if not self._ready.done():
                    self._ready.set_result(None)
                await self._follow(revision)
                return  # the store closed
            except (Expired, WatchOverflow) as e:
                log.info("index of %s restarts: %s", self._resource, e)
            except StorageError as e:
                if not self._ready.done():
                    self._ready.set_exception(e)
                    return
                log.warning("index of %s restarts after a storage error: %s", self._resource, e)
                await asyncio.sleep(1)

    async def _fill(self) -> int:
        keys: list[Slot] = []
        entries: dict[Slot, Entry] = {}
        after: Key | None = None
        self._mappings = {}  # counted afresh: the entries held so far are all replaced
        revision = await self._store.current_revision()
        while True:
            page = await self._store.list(
                self._resource, limit=1000, after=after, at_revision=revision
            )
            for obj in page.items:  # in key order: the store's is kube-apiserver's
                entry = self._entry(obj)
                slot = _slot(entry[NAMESPACE], entry[NAME])
                keys.append(slot)
                entries[slot] = entry
            if not page.more:
                break
            after = (entry[NAMESPACE], entry[NAME])
        self._keys, self._entries = keys, entries
        self._by_label, self._by_field = {}, {}
        for key, entry in entries.items():  # in key order: each posting is appended sorted
            for pair in entry[LABELS]:
                self._by_label.setdefault(pair, []).append(key)
            for pair in entry[FIELDS]:
                self._by_field.setdefault(pair, []).append(key)
        self._revision = revision
        return revision

    async def _follow(self, revision: int) -> None:
        async with self._store.watch(self._resource, after_revision=revision) as watch:
            self._watch = watch
            try:
                async for event in watch:
                    self._apply(event)
                    self._revision = event.revision
                    self._changed.set()
                    self._changed.clear()
            finally:
                self._watch = None

    # -- reads -------------------------------------------------------------------------------

    async def synced(self) -> int:
        """Wait until every write the store has made is in the index; the index's revision."""
        self.start()
        assert self._ready is not None
        await asyncio.shield(self._ready)
        wanted = await self._store.current_revision()
        while (revision := self.revision) < wanted:
            if self._task is None or self._task.done():
                raise StorageError(f"the index of {self._resource} is not running")
            # Events wake us; a backend whose revision moves without one is polled.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), 0.05)
        return revision

    @property
    def revision(self) -> int:
        """Every write up to here is in the index (the watch has seen the store's progress
        even where it had no event of this resource)."""
        watch = self._watch
        return self._revision if watch is None else max(self._revision, watch.revision)

    def select(
        self,
        namespace: str | None,
        *,
        after: Key | None = None,
        labels: Pairs = (),
        fields: Pairs = (),
        matches: Callable[[Entry], bool] | None = None,
    ) -> Iterator[Entry]:
        """Entries in key order, in `namespace` (None: all), after `after`, with every label
        and field pair given (answered by the inverted indexes) and `matches`. It walks the
        index as it stands: take what you need before the next await."""
        candidates = self._candidates(labels, fields)
        slots = _range(self._keys if candidates is None else candidates, namespace, after)
        entries = map(self._entries.__getitem__, slots)  # iterated in C: no frame per entry
        return entries if matches is None else filter(matches, entries)

    def get(self, namespace: str, name: str) -> Entry | None:
        return self._entries.get(_slot(namespace, name))

    def count(self, namespace: str | None, after: Key | None = None) -> int:
        """How many keys follow `after` (in the namespace): remainingItemCount."""
        lo, hi = _bounds(self._keys, namespace, after)
        return max(0, hi - lo)

    def _candidates(self, labels: Pairs, fields: Pairs) -> list[Slot] | None:
        """The keys with every pair, sorted; None when no pair is asked for."""
        postings = [self._by_label.get(p, []) for p in labels]
        postings += [self._by_field.get(p, []) for p in fields]
        if not postings:
            return None
        postings.sort(key=len)
        shortest, others = postings[0], postings[1:]
        if not others:
            return shortest
        return [k for k in shortest if all(_has(keys, k) for keys in others)]

    # -- keeping in step ---------------------------------------------------------------------

    def _entry(self, obj: Mapping[str, Any]) -> Entry:
        meta = obj["metadata"]
        labels, fields = self._attrs(obj)
        return (
            intern(meta.get("namespace", "")),
            meta["name"],
            int(meta["resourceVersion"]),
            self._shared(labels),
            self._shared(fields),
        )

    def _shared(self, pairs: Mapping[str, str]) -> Pairs:
        """Objects mostly repeat each other's label sets and field values: one tuple per
        distinct set, kept while an entry uses it."""
        if not pairs:
            return EMPTY
        key = tuple(sorted(pairs.items()))
        found = self._mappings.get(key)
        if found is None:
            interned = tuple((intern(k), intern(v)) for k, v in key)
            found = self._mappings[interned] = _Shared(interned)
        found.uses += 1
        return found.pairs

    def _release(self, entry: Entry) -> None:
        """`entry` left the index: its shared sets have one user fewer."""
        for pairs in (entry[LABELS], entry[FIELDS]):
            if pairs:
                found = self._mappings[pairs]
                found.uses -= 1
                if not found.uses:
                    del self._mappings[pairs]

    def _apply(self, event: WatchEvent) -> None:
        meta = event.object["metadata"]
        key = _slot(meta.get("namespace", ""), meta["name"])
        old = self._entries.pop(key, None)
        if old is not None:
            self._release(old)
        if event.type == "DELETED":
            if old is not None:
                self._unlink(key, old)
                del self._keys[bisect.bisect_left(self._keys, key)]
            return
        entry = self._entry(event.object)
        self.bodies.put(event.revision, event.data)
        self._entries[key] = entry
        # Label sets and field values are shared mappings: the same ones, nothing to move.
        if old is None or old[LABELS] is not entry[LABELS] or old[FIELDS] is not entry[FIELDS]:
            if old is not None:
                self._unlink(key, old)
            self._link(key, entry)
        if old is None:
            bisect.insort(self._keys, key)

    def _link(self, key: Slot, entry: Entry) -> None:
        for pair in entry[LABELS]:
            bisect.insort(self._by_label.setdefault(pair, []), key)
        for pair in entry[FIELDS]:
            bisect.insort(self._by_field.setdefault(pair, []), key)

    def _unlink(self, key: Slot, entry: Entry) -> None:
        for index, pairs in ((self._by_label, entry[LABELS]), (self._by_field, entry[FIELDS])):
            for pair in pairs:
                keys = index.get(pair)
                if keys is None:
                    continue
                i = bisect.bisect_left(keys, key)
                if i < len(keys) and keys[i] == key:
                    del keys[i]
                    if not keys:
                        del index[pair]


def _slot(namespace: str, name: str) -> Slot:
    return (namespace_segment(namespace), name)


def _has(keys: list[Slot], key: Slot) -> bool:
    """Whether the sorted `keys` hold `key`."""
    i = bisect.bisect_left(keys, key)
    return i < len(keys) and keys[i] == key


def _bounds(keys: list[Slot], namespace: str | None, after: Key | None) -> tuple[int, int]:
    """Where the sorted `keys` of `namespace` (None: all) after `after` begin and end."""
    if namespace is None:
        lo, hi = 0, len(keys)
    else:
        # A namespace's slots lie between (ns/, "") and (ns/ + "\0", ""): no other namespace
        # begins with ns/ (namespaces hold no '/').
        lo = bisect.bisect_left(keys, _slot(namespace, ""))
        hi = bisect.bisect_left(keys, (namespace_segment(namespace) + "\0", ""), lo)
    if after is not None:
        lo = max(lo, bisect.bisect_right(keys, _slot(*after), lo, hi))
    return lo, hi


def _range(keys: list[Slot], namespace: str | None, after: Key | None) -> Iterator[Slot]:
    """The sorted `keys` of `namespace` (None: all) after `after`, in order."""
    lo, hi = _bounds(keys, namespace, after)
    return itertools.islice(keys, lo, hi)


# The bodies of the most recently written and read objects, for all resources, in one buffer
# of this size: 12 MiB holds the bodies of ~11k objects of ~1 KB.
BODY_CACHE_BYTES = 12 * 1024 * 1024


class Indexes:
    """One index per resource and set of indexed fields, shared by every route table that
    serves it, so a reload keeps what was built. Started on first use, or all at once by
    `start()`."""

    def __init__(self, store: Store, body_cache_bytes: int = BODY_CACHE_BYTES) -> None:
        self._store = store
        self.bodies = BodyCache(store, body_cache_bytes)  # one budget for all resources
        self._indexes: dict[tuple[str, tuple[str, ...]], ObjectIndex] = {}
        self._used: set[tuple[str, tuple[str, ...]]] = set()
        self._started = False

    def get(self, resource: str, fields: tuple[str, ...], attrs: Attrs) -> ObjectIndex:
        key = (resource, fields)
        self._used.add(key)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = ObjectIndex(self._store, resource, attrs, self.bodies)
            if self._started:
                index.start()
        return index

    def start(self) -> None:
        """Every index, and every one made from now on, follows its resource from the start,
        as kube-apiserver's watch cache does once a resource is served: the bodies written
        reach the body cache, so the first GET of a new object needs no database read (a
        read in the database's thread costs a GET about twice its CPU). On the event loop:
        route tables compiled before serving (from files, in a thread) start none."""
        self._started = True
        for index in self._indexes.values():
            index.start()

    def retire_unused(self) -> None:
        """Once a route table is compiled: retire the indexes it did not ask for (a resource
        removed, or indexed on other fields now), so their watches and memory go."""
        for key in self._indexes.keys() - self._used:
            self._indexes.pop(key).retire()
        self._used = set()

    async def close(self) -> None:
        indexes, self._indexes = self._indexes, {}
        for index in indexes.values():
            await index.close()
