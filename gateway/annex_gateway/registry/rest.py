"""What a REST object can do, as small capability protocols (k8s.io/apiserver's
pkg/registry/rest/rest.go). Routes and discovery ask these, never a list kept by hand: a
resource serves a verb exactly when its REST object has the capability."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from annex_gateway.registry.listing import ObjectList
from annex_gateway.registry.options import (
    DeleteOptions,
    ListOptions,
    PatchOptions,
    Preconditions,
    WriteOptions,
)
from annex_gateway.registry.watching import ResourceWatch, WatchOptions

JSON = dict[str, Any]
# Given the current object (None when there is none), the object to store: how update,
# patch and apply differ is only in this function (rest.UpdatedObjectInfo).
UpdatedObject = Callable[[JSON | None], Awaitable[JSON]]


@dataclass(frozen=True)
class WriteResult:
    object: JSON
    created: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeleteResult:
    object: JSON
    deleted: bool  # False: marked for deletion, waiting on finalizers


@runtime_checkable
class Getter(Protocol):
    async def get(self, namespace: str, name: str, *, at_least: int | None = None) -> JSON:
        """`at_least`: a resourceVersion the answer must not be older than (504 if the store
        has not reached it, as kube-apiserver answers a get of a future resourceVersion)."""
        ...


@runtime_checkable
class StoredGetter(Protocol):
    async def get_stored(
        self, namespace: str, name: str, *, at_least: int | None = None
    ) -> bytes | None:
        """The object as its stored body, for a GET whose answer is the object as compact
        JSON: None when what is stored is not what is served (conversion, read defaults)."""
        ...


@runtime_checkable
class Lister(Protocol):
    async def list(self, namespace: str, options: ListOptions) -> ObjectList: ...


@runtime_checkable
class Watcher(Protocol):
    def watch(self, namespace: str, options: WatchOptions) -> ResourceWatch: ...


@runtime_checkable
class Creater(Protocol):
    async def create(self, namespace: str, obj: JSON, options: WriteOptions) -> WriteResult: ...


@runtime_checkable
class Updater(Protocol):
    """Update, and so patch: a patch is an update whose new object derives from the current."""

    async def update(
        self,
        namespace: str,
        name: str,
        updated: UpdatedObject,
        options: WriteOptions,
        *,
        create_if_missing: bool = False,
        preconditions: Preconditions | None = None,
    ) -> WriteResult:
        """`preconditions`: what the new object holds the stored one to (a PUT's uid, as
        rest.defaultUpdatedObjectInfo takes it from the body); a patch has none."""


@runtime_checkable
class Applier(Protocol):
    """Server-side apply: what kube-apiserver does for `application/apply-patch+yaml`."""

    async def apply(
        self, namespace: str, name: str, config: JSON, options: PatchOptions
    ) -> WriteResult: ...


@runtime_checkable
class Deleter(Protocol):
    async def delete(self, namespace: str, name: str, options: DeleteOptions) -> DeleteResult: ...


@runtime_checkable
class CollectionDeleter(Protocol):
    async def delete_collection(
        self, namespace: str, list_options: ListOptions, options: DeleteOptions
    ) -> JSON: ...


# The order apiextensions-apiserver lists a custom resource's verbs in (its discovery
# controller writes them out in this order; built-in resources' are sorted).
_DISCOVERY_ORDER = (
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "create",
    "update",
    "watch",
)


def verbs(rest: object) -> tuple[str, ...]:
    """The verbs a REST object serves, in the order discovery lists a CRD's."""
    found = set()
    if isinstance(rest, Getter):
        found.add("get")
    if isinstance(rest, Lister):
        found.add("list")
    if isinstance(rest, Watcher):
        found.add("watch")
    if isinstance(rest, Creater):
        found.add("create")
    if isinstance(rest, Updater):
        found.add("update")
        if isinstance(rest, Getter):
            found.add("patch")
    if isinstance(rest, Deleter):
        found.add("delete")
    if isinstance(rest, CollectionDeleter):
        found.add("deletecollection")
    return tuple(v for v in _DISCOVERY_ORDER if v in found)
