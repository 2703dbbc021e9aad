"""Compaction in bounded batches, apart from the writes (compaction.py and the SQLite
backend's batches); what every backend must keep is in the conformance suite."""

from __future__ import annotations

import asyncio
import logging
import random
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annex_gateway.storage import BackendError, ObjectKey, SqliteStore
from annex_gateway.storage.compaction import Compactor, batch_end

from .churn import IMAGES, random_write


def key(name: str) -> ObjectKey:
    return ObjectKey(IMAGES, "default", name)


def obj(name: str, **spec: Any) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": spec}


# -- where a batch ends --------------------------------------------------------------------


def test_a_batch_within_budget_goes_to_its_upper_bound() -> None:
    assert batch_end(10, 20, [(11, 5), (15, 5)], budget=10) == 20
    assert batch_end(10, 20, [], budget=0) == 20  # nothing stored there: nothing to free


def test_a_batch_stops_before_the_revision_that_passes_the_budget() -> None:
    assert batch_end(10, 20, [(11, 0), (12, 6), (13, 6), (14, 6)], budget=12) == 13
    assert batch_end(10, 20, [(11, 4), (13, 4), (17, 4)], budget=8) == 13


def test_a_batch_takes_at_least_one_revision() -> None:
    assert batch_end(10, 20, [(12, 100), (13, 1)], budget=8) == 12
    assert batch_end(10, 20, [(12, 100)], budget=8) == 20


# -- the compactor, on a fake backend -----------------------------------------------------


class FakeBackend:
    """Compacts one revision a batch; fails the batches listed in `failing`."""

    def __init__(self, failing: set[int] | None = None) -> None:
        self.compacted = 0
        self.due = 0
        self.failing = failing or set()
        self.failed = asyncio.Event()
        self.compactor = Compactor(
            self.batch, compacted=lambda: self.compacted, due=lambda: self.due
        )

    async def batch(self, upto: int) -> None:
        await asyncio.sleep(0)
        if self.compacted + 1 in self.failing:
            self.failing.discard(self.compacted + 1)
            self.failed.set()
            raise OSError("disk I/O error")
        self.compacted += 1


async def test_a_nudge_compacts_up_to_what_is_due_in_the_background() -> None:
    backend = FakeBackend()
    backend.compactor.start()
    try:
        backend.due = 5
        backend.compactor.nudge()
        await asyncio.wait_for(backend.compactor.wait(5), 10)
        assert backend.compacted == 5
        await backend.compactor.run(8)  # and compact() runs the same batches itself
        assert backend.compacted == 8
    finally:
        await backend.compactor.stop()


async def test_a_failed_background_batch_is_logged_and_retried_on_the_next_nudge(
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = FakeBackend(failing={3})
    backend.compactor.start()
    try:
        backend.due = 5
        backend.compactor.nudge()
        await asyncio.wait_for(backend.failed.wait(), 10)
        assert backend.compacted == 2
        backend.compactor.nudge()  # the next write past the threshold
        await asyncio.wait_for(backend.compactor.wait(5), 10)
        assert [r.getMessage() for r in caplog.records] == ["storage compaction failed"]
    finally:
        await backend.compactor.stop()


async def test_a_failed_batch_is_the_error_of_whoever_ran_it() -> None:
    backend = FakeBackend(failing={2})
    with pytest.raises(OSError, match="disk"):
        await backend.compactor.run(3)
    assert backend.compacted == 1


# -- batches on SQLite ---------------------------------------------------------------------


def history(path: Path) -> tuple[list[Any], list[Any]]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT revision, name, type, data FROM history ORDER BY 1").fetchall()
        meta = db.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchall()
    finally:
        db.close()
    return rows, meta


async def test_small_batches_compact_exactly_what_one_compaction_does(tmp_path: Path) -> None:
    stores = {
        "once": SqliteStore(tmp_path / "once.db"),
        "batched": SqliteStore(
            tmp_path / "batched.db", compact_batch_revisions=3, compact_batch_bytes=4000
        ),
    }
    for store in stores.values():
        await store.open()
        rng = random.Random(5)
        versions: dict[str, int] = {}
        for _ in range(200):
            await random_write(store, rng, versions, keys=10, pad=3000)
        await store.compact(150)
        await store.close()
    assert history(tmp_path / "batched.db") == history(tmp_path / "once.db")
    assert history(tmp_path / "once.db")[1] == [(150,)]


async def test_batches_stay_within_their_byte_budget(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = SqliteStore(tmp_path / "store.db", compact_batch_bytes=25_000)
    await store.open()
    try:
        for i in range(6):  # revisions 1-6, bodies of about 10 kB
            await store.create(key(f"o{i}"), obj(f"o{i}", pad="x" * 10_000))
        for i in range(6):  # 7-12: each frees one body
            await store.delete(key(f"o{i}"))
        with caplog.at_level(logging.DEBUG, logger="annex_gateway.storage.sqlite"):
            await store.compact(12)
    finally:
        await store.close()
    pattern = re.compile(r"compacting history in \((\d+), (\d+)\]")
    batches = [
        (int(m[1]), int(m[2])) for r in caplog.records if (m := pattern.fullmatch(r.getMessage()))
    ]
    assert batches == [(0, 8), (8, 10), (10, 12)]
    assert history(tmp_path / "store.db") == ([], [(12,)])


async def test_writes_and_reads_go_on_between_batches(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db", compact_batch_revisions=2)
    await store.open()
    try:
        for i in range(20):
            created = await store.create(key(f"o{i}"), obj(f"o{i}"))
            await store.update(
                key(f"o{i}"),
                obj(f"o{i}", v=2),
                expected_revision=int(created["metadata"]["resourceVersion"]),
            )
        compaction = asyncio.create_task(store.compact(40))
        await store.wait_compacted(2)  # the first batch is in
        during = await store.create(key("during"), obj("during"))
        assert (await store.get(key("o0")))["spec"] == {"v": 2}
        assert not compaction.done()  # the write and the read came between two batches
        await compaction
        assert during["metadata"]["resourceVersion"] == "41"
        assert len((await store.list(IMAGES, at_revision=40)).items) == 20
    finally:
        await store.close()


async def test_retention_compacts_in_the_background(tmp_path: Path) -> None:
    store = SqliteStore(
        tmp_path / "store.db", retain_revisions=10, compact_interval=5, compact_batch_revisions=1
    )
    await store.open()
    try:
        created = await store.create(key("a"), obj("a", n=0))
        revision = int(created["metadata"]["resourceVersion"])
        for n in range(1, 100):
            updated = await store.update(key("a"), obj("a", n=n), expected_revision=revision)
            revision = int(updated["metadata"]["resourceVersion"])
        await asyncio.wait_for(store.wait_compacted(revision - 15 + 1), 10)
    finally:
        await store.close()
    rows, meta = history(tmp_path / "store.db")
    compacted = meta[0][0]
    assert revision - 15 < compacted <= revision - 10
    # The version live at the compaction point, and everything after it.
    assert [r[0] for r in rows] == list(range(compacted, revision + 1))


async def test_a_backlog_is_compacted_on_reopening_without_a_write(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db")
    await store.open()
    for i in range(30):
        await store.create(key(f"o{i}"), obj(f"o{i}"))
    await store.close()
    store = SqliteStore(tmp_path / "store.db", retain_revisions=5, compact_interval=5)
    await store.open()
    try:
        await asyncio.wait_for(store.wait_compacted(25), 10)
    finally:
        await store.close()
    assert history(tmp_path / "store.db")[1] == [(25,)]


async def test_closing_stops_background_compaction_cleanly(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db")
    await store.open()
    for i in range(50):
        await store.create(key(f"o{i}"), obj(f"o{i}"))
        await store.delete(key(f"o{i}"))
    await store.close()
    # Reopened with no retention: 100 one-revision batches to do, and then the last write.
    store = SqliteStore(
        tmp_path / "store.db", retain_revisions=0, compact_interval=1, compact_batch_revisions=1
    )
    await store.open()
    waiter = asyncio.create_task(store.wait_compacted(101))
    await store.create(key("last"), obj("last"))
    await store.close()  # compaction stops after its current batch
    with pytest.raises(BackendError):
        await waiter
    with pytest.raises(BackendError):
        await store.wait_compacted(1)

    rows, meta = history(tmp_path / "store.db")
    compacted = meta[0][0]
    assert compacted < 101  # it was stopped on its way
    # Creates have odd revisions: one there is live at the compaction point, and kept.
    kept = [compacted] if compacted % 2 else []
    assert [r[0] for r in rows] == [*kept, *range(compacted + 1, 102)]
    again = SqliteStore(tmp_path / "store.db")
    await again.open()
    try:
        assert await again.current_revision() == 101
        assert [o["metadata"]["name"] for o in (await again.list(IMAGES)).items] == ["last"]
    finally:
        await again.close()
