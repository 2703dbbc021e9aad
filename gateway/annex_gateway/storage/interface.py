"""The storage contract every backend (SQLite now, PostgreSQL later) implements.

A revisioned object store in the manner of etcd's MVCC as kube-apiserver uses it: one
monotonic integer revision per store, shared by all resources; every write takes the next
revision and stamps it into the stored object as `metadata.resourceVersion` (a string);
updates and deletes compare-and-swap on the revision; history is retained for a bounded
window so that watches can resume and paged lists can read a past snapshot.

Nothing here knows about HTTP or Kubernetes resources beyond `metadata.resourceVersion`.
Keys are ordered by code point (SQLite's BINARY collation; PostgreSQL needs COLLATE "C").
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from . import codec

EventType = Literal["ADDED", "MODIFIED", "DELETED"]


@dataclass(frozen=True, order=True)
class ObjectKey:
    resource: str  # opaque storage prefix of a resource type, e.g. "images.example.com/images"
    namespace: str  # "" for cluster-scoped objects
    name: str

    def __str__(self) -> str:
        return "/".join(p for p in (self.resource, self.namespace, self.name) if p)


def namespace_segment(namespace: str) -> str:
    """A namespace as it stands in an object's key, with the `/` that ends it: (segment, name)
    sorts as kube-apiserver's keys `namespace/name` do (`team-a/x` before `team/x`, '-' < '/'),
    where (namespace, name) would put `team` first. Backends and the index order by it."""
    return namespace + "/"


class StorageError(Exception):
    """Base of everything the storage layer raises on purpose."""


class BackendError(StorageError):
    """The backend itself failed (I/O error, lost connection, store closed)."""


class NotFound(StorageError):
    def __init__(self, key: ObjectKey) -> None:
        super().__init__(f"{key} not found")
        self.key = key


class AlreadyExists(StorageError):
    def __init__(self, key: ObjectKey) -> None:
        super().__init__(f"{key} already exists")
        self.key = key


class Conflict(StorageError):
    """Compare-and-swap failed: the object is no longer at the expected revision."""

    def __init__(self, key: ObjectKey, expected: int, actual: int) -> None:
        super().__init__(f"{key}: expected revision {expected}, found {actual}")
        self.key = key
        self.expected = expected
        self.actual = actual


class Expired(StorageError):
    """The revision was compacted away. `oldest` is the oldest revision still readable,
    both as `list(at_revision=oldest)` and as `watch(after_revision=oldest)`."""

    def __init__(self, revision: int, oldest: int) -> None:
        super().__init__(f"too old resource version: {revision} ({oldest})")
        self.revision = revision
        self.oldest = oldest


class RevisionTooLarge(StorageError):
    def __init__(self, revision: int, current: int) -> None:
        super().__init__(f"too large resource version: {revision}, current: {current}")
        self.revision = revision
        self.current = current


class WatchOverflow(StorageError):
    """The watcher fell too far behind and was ended, as kube-apiserver ends slow watchers.
    Every event up to `revision` was delivered; resume with `watch(after_revision=revision)`."""

    def __init__(self, revision: int) -> None:
        super().__init__(f"watcher fell behind; last delivered revision {revision}")
        self.revision = revision


@dataclass(frozen=True)
class ListResult:
    items: list[dict[str, Any]]  # objects in key order (see Store.list)
    revision: int  # the snapshot revision the list was read at
    more: bool  # True if items beyond the last one exist
    remaining: int | None  # how many items follow (None if unknown)


class WatchEvent:
    """One committed write as a watcher sees it. `data` is the object as stored (shared by
    every watcher, never to be changed); `object` and `previous` are decoded from it on first
    use, fresh for each watcher, so watchers that only pass the stored bytes on never decode.
    """

    __slots__ = ("_object", "_previous", "data", "previous_data", "revision", "type")

    def __init__(
        self, type: EventType, revision: int, data: bytes, previous_data: bytes | None
    ) -> None:
        self.type = type
        self.revision = revision
        self.data = data  # for DELETED: the last state, resourceVersion = the delete's revision
        self.previous_data = previous_data  # the state before this event (None for ADDED)
        self._object: dict[str, Any] | None = None
        self._previous: dict[str, Any] | None = None

    @property
    def object(self) -> dict[str, Any]:
        if self._object is None:
            self._object = codec.decode(self.data)
        return self._object

    @property
    def previous(self) -> dict[str, Any] | None:
        if self._previous is None and self.previous_data is not None:
            self._previous = codec.decode(self.previous_data)
        return self._previous


class Watch(Protocol):
    """An async iterator of WatchEvents and an async context manager that releases it.

    `__aenter__` (or the first `__anext__`) subscribes and may raise Expired or
    RevisionTooLarge. Iteration stops when the watch or the store is closed, and raises
    WatchOverflow when the watcher fell behind, or Expired when the history it was still
    replaying got compacted.
    """

    @property
    def revision(self) -> int:
        """Every event of this watch at or below this revision has been yielded: the
        resourceVersion a BOOKMARK may carry."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def __aiter__(self) -> Self: ...

    async def __anext__(self) -> WatchEvent: ...

    async def aclose(self) -> None:
        """Release the subscription; a pending or later `__anext__` stops iteration."""
        ...

    def attach(self, sink: Callable[[EventType, bytes], bool]) -> bool:
        """From now on hand each live event's type and stored bytes to `sink` as it is
        published, instead of buffering it for iteration — possible only once nothing is
        left to replay or buffered (False otherwise). A sink returns False when, having taken
        the event, its client cannot keep up: the watch then ends as a watcher that fell
        behind does (WatchOverflow)."""
        ...


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None:
        """Close the store; open watches stop iterating."""
        ...

    async def current_revision(self) -> int: ...

    async def create(self, key: ObjectKey, obj: dict[str, Any]) -> dict[str, Any]:
        """Store a new object; AlreadyExists. Returns the stored copy."""
        ...

    async def get(self, key: ObjectKey) -> dict[str, Any]:
        """The object, as a copy the caller owns and may change; NotFound."""
        ...

    async def update(
        self, key: ObjectKey, obj: dict[str, Any], *, expected_revision: int
    ) -> dict[str, Any]:
        """Replace the object if it is still at expected_revision; NotFound, Conflict."""
        ...

    async def delete(
        self, key: ObjectKey, *, expected_revision: int | None = None
    ) -> dict[str, Any]:
        """NotFound, Conflict. Returns the last state with the delete's resourceVersion."""
        ...

    async def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        limit: int | None = None,
        after: tuple[str, str] | None = None,
        at_revision: int | None = None,
    ) -> ListResult:
        """Objects in kube-apiserver's key order: as `namespace/name` sorts (so `team-a/x`
        before `team/x`), which is (namespace, name) but for a namespace that begins another.

        namespace None means all namespaces; `after` is the (namespace, name) of the previous
        page's last item (exclusive); `limit` must be positive. at_revision None reads the
        current state, otherwise a consistent snapshot at that revision: Expired if it was
        compacted, RevisionTooLarge if it is in the future.
        """
        ...

    async def read_revisions(self, revisions: Sequence[int]) -> builtins.list[bytes | None]:
        """The stored bodies (encoded objects) written at these revisions, in their order;
        None where a revision holds no body (a delete) or was compacted away."""
        ...

    def watch(self, resource: str, namespace: str | None = None, *, after_revision: int) -> Watch:
        """Events with revision > after_revision in revision order, with no gaps or
        duplicates: first the retained history, then live events. Expired if
        after_revision is older than the compacted revision."""
        ...

    async def compact(self, revision: int) -> None:
        """Discard history at or below revision, keeping each live key's latest version so
        snapshots at revision and later stay complete. Backends also compact on their own
        according to their retention options, in the background. Returns once done;
        RevisionTooLarge beyond the current one."""
        ...

    async def wait_compacted(self, revision: int) -> None:
        """Return once history at or below revision is compacted, by compact() or by the
        backend's own retention; BackendError if the store closes first."""
        ...
