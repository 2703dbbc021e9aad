"""The read, modify, compare-and-swap loop every write after create goes through.

As k8s.io/apiserver's `storage.Interface.GuaranteedUpdate`: read the object, let the caller
compute its next state from it, write that state only if the object is still at the revision
that was read, and on a lost race start again from the newer state. Update, patch, apply,
status, scale and deletion with finalizers all use it, so no verb writes its own retry loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

import orjson

from .interface import Conflict, ObjectKey, StorageError, Store

JSON = dict[str, Any]


class Deletion:
    """Returned by a try_update: delete the object (at the revision read) instead."""

    def __repr__(self) -> str:
        return "DELETE"


DELETE: Final = Deletion()
TryUpdate = Callable[[JSON], Awaitable[JSON | Deletion]]
# kube-apiserver retries without bound (the request's deadline ends it): a lost race means
# another write won, so the store always progresses, and with N concurrent writers one may
# lose N-1 times in a row. The bound only stops a runaway loop.
MAX_ATTEMPTS = 1000


class TooManyConflicts(StorageError):
    def __init__(self, key: ObjectKey) -> None:
        super().__init__(f"{key}: still conflicting after {MAX_ATTEMPTS} attempts")
        self.key = key


def _revision(obj: JSON) -> int:
    return int(obj["metadata"]["resourceVersion"])


async def guaranteed_update(
    store: Store, key: ObjectKey, try_update: TryUpdate, *, dry_run: bool = False
) -> tuple[JSON, bool]:
    """Apply `try_update` to the current object until the write wins; (result, deleted).

    `try_update` gets a copy it may change and returns the next state, or DELETE; it raises to
    give up (a failed precondition, invalid input). NotFound propagates. A next state equal to
    the current one writes nothing and returns the current object. With `dry_run` nothing is
    written: the result is what would have been stored.
    """
    for _ in range(MAX_ATTEMPTS):
        current = await store.get(key)
        revision = _revision(current)
        snapshot = orjson.dumps(current, option=orjson.OPT_SORT_KEYS)
        updated = await try_update(current)
        if isinstance(updated, Deletion):
            if dry_run:
                return orjson.loads(snapshot), True
            try:
                return await store.delete(key, expected_revision=revision), True
            except Conflict:
                continue
        if orjson.dumps(updated, option=orjson.OPT_SORT_KEYS) == snapshot:
            return updated, False
        if dry_run:
            return updated, False
        try:
            return await store.update(key, updated, expected_revision=revision), False
        except Conflict:
            continue
    raise TooManyConflicts(key)
