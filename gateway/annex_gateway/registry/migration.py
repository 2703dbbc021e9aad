"""Storage version migration: when a resource's storage version changes, every object
stored at another version is rewritten at the new one, in the background, then the
definition's `status.storedVersions` is pruned to the storage version alone.

CRDs leave this to a separate migrator (kube-storage-version-migrator) that lists and
writes back every object; here the gateway does it itself: pages of keys read in order,
each object rewritten through `guaranteed_update` (a compare-and-swap, so a concurrent
write simply wins and is already at the storage version), never blocking requests.
Objects already at the storage version are skipped without a write.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from annex_core import logs
from annex_gateway.registry.resource import JSON, ResourceInfo
from annex_gateway.storage import Deletion, NotFound, ObjectKey, Store, guaranteed_update

log = logs.get(__name__)

BATCH = 250  # keys read at a time
RETRY_SECONDS = 10.0  # after a failure (a conversion webhook down, storage busy)

# (group, plural, storage version): record that only that version is stored now
Pruner = Callable[[str, str, str], Awaitable[None]]


@dataclass(frozen=True)
class MigrationResult:
    rewritten: int
    seen: int


async def to_storage_version(info: ResourceInfo, obj: JSON) -> JSON:
    """A stored object (at whichever version it was written) at the storage version."""
    if info.converter is None:
        obj["apiVersion"] = f"{info.group}/{info.storage_version}"
        return obj
    return (await info.converter.convert([obj], info.storage_version))[0]


async def migrate(store: Store, info: ResourceInfo, *, batch: int = BATCH) -> MigrationResult:
    """Rewrite every object of the resource not stored at its storage version."""
    target = f"{info.group}/{info.storage_version}"
    after: tuple[str, str] | None = None
    rewritten = seen = 0
    while True:
        page = await store.list(info.storage_prefix, None, limit=batch, after=after)
        for obj in page.items:
            seen += 1
            meta = obj["metadata"]
            after = (meta.get("namespace", ""), meta["name"])
            if obj.get("apiVersion") == target:
                continue
            if await _rewrite(store, info, ObjectKey(info.storage_prefix, *after), target):
                rewritten += 1
        if not page.more:
            return MigrationResult(rewritten, seen)
        await asyncio.sleep(0)  # requests go first


async def _rewrite(store: Store, info: ResourceInfo, key: ObjectKey, target: str) -> bool:
    async def rewrite(current: JSON) -> JSON | Deletion:
        if current.get("apiVersion") == target:
            return current  # rewritten meanwhile: no write
        return await to_storage_version(info, current)

    try:
        await guaranteed_update(store, key, rewrite)
    except NotFound:
        return False  # deleted meanwhile
    return True


class Migrator:
    """Runs one background migration per resource; a newer storage version replaces an
    unfinished migration to an older one."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._tasks: dict[tuple[str, str], tuple[str, asyncio.Task[None]]] = {}

    def running(self, group: str, plural: str) -> str | None:
        """The storage version being migrated to, if a migration runs."""
        entry = self._tasks.get((group, plural))
        return entry[0] if entry is not None and not entry[1].done() else None

    def schedule(self, info: ResourceInfo, prune: Pruner | None) -> None:
        key = (info.group, info.plural)
        entry = self._tasks.get(key)
        if entry is not None and not entry[1].done():
            if entry[0] == info.storage_version:
                return
            entry[1].cancel()
        task = asyncio.get_running_loop().create_task(
            self._run(info, prune), name=f"migrate {info.plural}.{info.group}"
        )
        self._tasks[key] = (info.storage_version, task)

    async def _run(self, info: ResourceInfo, prune: Pruner | None) -> None:
        while True:
            try:
                result = await migrate(self._store, info)
                log.info(
                    "storage version migrated",
                    group=info.group,
                    resource=info.plural,
                    version=info.storage_version,
                    rewritten=result.rewritten,
                    objects=result.seen,
                )
                if prune is not None:
                    await prune(info.group, info.plural, info.storage_version)
                return
            except asyncio.CancelledError:
                raise
            except Exception as e:  # a webhook down, a status write refused: later
                log.warning(
                    "storage version migration failed; retrying",
                    group=info.group,
                    resource=info.plural,
                    version=info.storage_version,
                    error=str(e),
                )
                await asyncio.sleep(RETRY_SECONDS)

    async def close(self) -> None:
        tasks = [task for _, task in self._tasks.values()]
        self._tasks = {}
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
