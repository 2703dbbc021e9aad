"""Backends for the storage conformance suite: every test runs once per backend.

A backend factory makes unopened stores over one database per test, so a test can close a
store and open another on the same data ("restart"). Factories accept the common
retention options: retain_revisions, compact_interval, watch_buffer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from annex_gateway.storage import SqliteStore, Store


@dataclass(frozen=True)
class Backend:
    name: str
    make: Callable[..., Store]  # make(**options) -> an unopened store on this test's database
    persistent: bool  # a store opened after another was closed sees its data


def _sqlite_file(tmp_path: Path) -> Backend:
    return Backend("sqlite", lambda **o: SqliteStore(tmp_path / "store.db", **o), True)


def _sqlite_memory(tmp_path: Path) -> Backend:
    return Backend("sqlite-memory", lambda **o: SqliteStore(":memory:", **o), False)


BACKENDS = {"sqlite": _sqlite_file, "sqlite-memory": _sqlite_memory}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    factory: Callable[[Path], Backend] = BACKENDS[request.param]
    return factory(tmp_path)


OpenStore = Callable[..., Any]


@pytest_asyncio.fixture
async def open_store(backend: Backend) -> AsyncIterator[OpenStore]:
    """`await open_store(**options)`: an opened store, closed at teardown."""
    stores: list[Store] = []

    async def open_(**options: Any) -> Store:
        store = backend.make(**options)
        await store.open()
        stores.append(store)
        return store

    yield open_
    for store in reversed(stores):
        await store.close()


@pytest_asyncio.fixture
async def store(open_store: OpenStore) -> Store:
    result: Store = await open_store()
    return result
