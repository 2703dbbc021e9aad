"""Storage version migration: every object rewritten at the new storage version in the
background, objects already there untouched; triggered by status.storedVersions or, for
definitions from files, by a change of storage version between loads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from annex_core import apidef
from annex_gateway import routes
from annex_gateway.apis import Apis
from annex_gateway.registry import migration
from annex_gateway.registry.options import WriteOptions
from annex_gateway.storage import ObjectKey, SqliteStore
from tests.helpers import eventually
from tests.unit.gateway.test_conversion import DECLARATIVE, GROUP, definition, image, rest

JSON = dict[str, Any]


@pytest_asyncio.fixture
async def store() -> AsyncIterator[SqliteStore]:
    store = SqliteStore(":memory:")
    await store.open()
    yield store
    await store.close()


async def stored_versions(store: SqliteStore) -> dict[str, str]:
    page = await store.list(f"{GROUP}/images")
    return {o["metadata"]["name"]: o["apiVersion"].rpartition("/")[2] for o in page.items}


async def fill(store: SqliteStore, count: int) -> None:
    old = routes.compile_routes(
        [apidef.parse(definition(DECLARATIVE, storage="v1alpha1"))], routes.Backends(store)
    )
    for i in range(count):
        await rest(old, "v1alpha1").create(
            "default", image(f"img-{i:03}", "v1alpha1", f"debian-{i}"), WriteOptions()
        )


async def test_migrate_rewrites_every_object_in_batches(store: SqliteStore) -> None:
    await fill(store, 7)
    new = routes.compile_routes([apidef.parse(definition(DECLARATIVE))], routes.Backends(store))
    ga = rest(new, "v1")
    # one written at the new storage version already: not rewritten
    await ga.create("default", image("zz", "v1", "alpine"), WriteOptions())
    before = await store.get(ObjectKey(f"{GROUP}/images", "default", "zz"))

    result = await migration.migrate(store, ga.info, batch=3)
    assert result == migration.MigrationResult(rewritten=7, seen=8)
    assert set((await stored_versions(store)).values()) == {"v1"}
    obj = await store.get(ObjectKey(f"{GROUP}/images", "default", "img-004"))
    assert obj["spec"] == {"baseImage": "debian-4", "size": 1}
    after = await store.get(ObjectKey(f"{GROUP}/images", "default", "zz"))
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    # a second run finds nothing to do
    assert await migration.migrate(store, ga.info) == migration.MigrationResult(0, 8)


def raw_definition(storage: str, stored: list[str] | None = None, generation: int = 1) -> JSON:
    raw = definition(DECLARATIVE, storage=storage)
    raw["metadata"] |= {"uid": "u", "generation": generation}
    if stored is not None:
        raw["status"] = {"storedVersions": {"images": stored}}
    return raw


async def wait_migrated(store: SqliteStore, version: str) -> None:
    async def migrated() -> bool:
        return set((await stored_versions(store)).values()) == {version}

    await eventually(migrated, timeout=10, interval=0.02, what=f"every object at {version}")


async def test_apis_migrate_when_stored_versions_list_another_version(store: SqliteStore) -> None:
    await fill(store, 5)
    apis = Apis(routes.Backends(store))
    pruned: list[tuple[str, str, str]] = []

    async def prune(group: str, plural: str, version: str) -> None:
        pruned.append((group, plural, version))

    apis._prune = prune  # type: ignore[method-assign]
    apis._client = object()  # type: ignore[assignment]  # as under the informer
    try:
        apis.load([raw_definition("v1", ["v1alpha1", "v1"])])
        await wait_migrated(store, "v1")

        async def was_pruned() -> bool:
            return bool(pruned)

        await eventually(was_pruned, timeout=5, interval=0.02, what="storedVersions pruned")
        assert pruned == [(GROUP, "images", "v1")]
    finally:
        await apis.close()


async def test_apis_migrate_when_files_change_the_storage_version(store: SqliteStore) -> None:
    await fill(store, 3)
    apis = Apis(routes.Backends(store))
    try:
        apis.load([raw_definition("v1alpha1")])
        assert apis.migrator.running(GROUP, "images") is None
        apis.load([raw_definition("v1", generation=2)])
        await wait_migrated(store, "v1")
        # and back again
        apis.load([raw_definition("v1alpha1", generation=3)])
        await wait_migrated(store, "v1alpha1")
        obj = await store.get(ObjectKey(f"{GROUP}/images", "default", "img-001"))
        assert obj["spec"] == {"image": "debian-1", "size": 1}
    finally:
        await apis.close()
