"""What the endpoint tests share: a fresh in-memory SQLite store per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from annex_gateway.storage import SqliteStore


@pytest_asyncio.fixture
async def store() -> AsyncIterator[SqliteStore]:
    store = SqliteStore(":memory:")
    await store.open()
    yield store
    await store.close()
