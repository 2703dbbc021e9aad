"""Encodings derived from stored bodies, kept by revision: a body at a revision never changes,
so what a served version makes of it (a Table row, the object with its read defaults) never
does either, for as long as that version's compiled form (its converter, its ResourceInfo)
lives. Keys start with who made the encoding, so a reloaded route table starts afresh."""

from __future__ import annotations

import random
import threading

# An encoding: JSON bytes, with strings between them still to be rendered per response (a
# Table row's `date` cells); most are one bytes value.
Segments = tuple[bytes | str, ...]


class EncodedCache:
    """Bounded by bytes. When full, a random entry makes room: a list of more items than the
    cache holds still finds a share of them, where least-recently-used would find none (each
    evicted before its turn comes again). Entries of superseded revisions are never read
    again and leave the same way. Lists encode their pages in worker threads, hence the lock.
    """

    ENTRY_OVERHEAD = 120  # the key tuple and the dict slot, roughly

    def __init__(self, budget: int = 16 * 1024 * 1024) -> None:
        self.budget = budget
        self._entries: dict[tuple[object, ...], Segments] = {}
        # Each key with its entry's size, for eviction by position without a second lookup.
        self._keys: list[tuple[tuple[object, ...], int]] = []
        self._size = 0
        self._lock = threading.Lock()
        self._random = random.Random(0)

    def get(self, key: tuple[object, ...]) -> Segments | None:
        return self._entries.get(key)

    def put(self, key: tuple[object, ...], segments: Segments, size: int | None = None) -> None:
        """Keep `segments` under `key`. `size`: the bytes only this entry holds, when some of
        its segments are shared with other entries (default: all of them)."""
        if size is None:
            size = len(segments[0]) if len(segments) == 1 else sum(map(len, segments))
        size += self.ENTRY_OVERHEAD
        if size > self.budget:
            return
        with self._lock:
            if key in self._entries:
                return
            keys, entries = self._keys, self._entries
            while self._size + size > self.budget:
                i = self._random.randrange(len(keys))
                evicted, evicted_size = keys[i]
                keys[i] = keys[-1]
                keys.pop()
                del entries[evicted]
                self._size -= evicted_size
            entries[key] = segments
            keys.append((key, size))
            self._size += size

    @property
    def size(self) -> int:
        return self._size


class RevisionMarks:
    """Which revisions a maker (a ResourceInfo's serial) marked: for lists, the bodies whose
    stored bytes are served as they are. A set of ints costs ~60 bytes a revision where an
    EncodedCache entry costs ~200; 50k marks are ~3 MB. Bounded by count: when full, every
    mark goes (the next list decodes once more to mark them again)."""

    def __init__(self, limit: int = 250_000) -> None:
        self.limit = limit
        self._marks: dict[object, set[int]] = {}
        self._count = 0
        self._lock = threading.Lock()  # lists encode their pages in worker threads

    def __contains__(self, key: tuple[object, int]) -> bool:
        marks = self._marks.get(key[0])
        return marks is not None and key[1] in marks

    def add(self, key: tuple[object, int]) -> None:
        maker, revision = key
        with self._lock:
            if self._count >= self.limit:
                self._marks.clear()
                self._count = 0
            marks = self._marks.setdefault(maker, set())
            if revision not in marks:
                marks.add(revision)
                self._count += 1

    def __len__(self) -> int:
        return self._count
