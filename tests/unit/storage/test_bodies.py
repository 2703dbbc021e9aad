"""The body cache's buffer: whatever it answers is the body put for that revision."""

from __future__ import annotations

import random
from collections.abc import Sequence

from annex_gateway.storage.bodies import BodyCache


class NoStore:
    """A store that has nothing: a miss reads None."""

    async def read_revisions(self, revisions: Sequence[int]) -> list[bytes | None]:
        return [None for _ in revisions]


def body(revision: int, rng: random.Random) -> bytes:
    return f"{revision}:".encode() + bytes([revision % 251]) * rng.randrange(0, 900)


async def test_what_it_answers_is_what_was_put_within_its_budget() -> None:
    rng = random.Random(7)
    cache = BodyCache(NoStore(), budget=10_000)  # type: ignore[arg-type]
    put: dict[int, bytes] = {}
    for revision in range(1, 3000):
        put[revision] = body(revision, rng)
        cache.put(revision, put[revision])
        asked = [rng.randrange(1, revision + 1) for _ in range(3)]
        for wanted, found in zip(asked, await cache.read(asked, keep=False), strict=True):
            assert found is None or found == put[wanted]
        newest = await cache.read([revision], keep=False)
        assert newest == [put[revision]]  # the last written is always held
        assert 0 < cache.size <= 10_000


async def test_a_body_read_often_stays_while_others_pass_through() -> None:
    cache = BodyCache(NoStore(), budget=10_000)  # type: ignore[arg-type]
    popular = b"p" * 500
    cache.put(1, popular)
    for revision in range(2, 200):  # 20 times the budget written after it
        cache.put(revision, b"x" * 1000)
        assert await cache.read([1]) == [popular]
    assert await cache.read([2]) == [None]  # written once, never read: gone


async def test_a_body_larger_than_the_budget_is_not_kept() -> None:
    cache = BodyCache(NoStore(), budget=100)  # type: ignore[arg-type]
    cache.put(1, b"y" * 101)
    assert cache.size == 0
    assert await cache.read([1]) == [None]


async def test_a_scan_moves_nothing() -> None:
    """A list reads through the cache (keep=False) in key order, not the order written: what
    it finds stays where it is, or each body it moved to the front would evict one it has yet
    to read."""
    cache = BodyCache(NoStore(), budget=10_500)  # type: ignore[arg-type]
    for revision in range(1, 11):
        cache.put(revision, bytes([revision]) * 1000)
    scanned = list(range(10, 0, -1))
    for _ in range(3):
        assert await cache.read(scanned, keep=False) == [bytes([r]) * 1000 for r in scanned]
