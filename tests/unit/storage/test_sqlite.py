"""What only the SQLite backend promises, beyond the conformance suite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annex_gateway.storage import BackendError, ObjectKey, SqliteStore, StorageError, Store

IMAGES = "images.example.com/images"


def test_sqlite_store_is_a_store() -> None:
    store: Store = SqliteStore(":memory:")  # mypy checks the protocol here
    assert store is not None


def key(name: str) -> ObjectKey:
    return ObjectKey(IMAGES, "default", name)


async def test_a_second_process_cannot_open_the_file(tmp_path: Path) -> None:
    first = SqliteStore(tmp_path / "store.db")
    await first.open()
    try:
        second = SqliteStore(tmp_path / "store.db", busy_timeout=0.1)
        with pytest.raises(BackendError, match="locked"):
            await second.open()
    finally:
        await first.close()
    again = SqliteStore(tmp_path / "store.db")
    await again.open()
    await again.close()


async def test_compaction_keeps_only_live_latest_versions(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db")
    await store.open()
    a = await store.create(key("a"), {"metadata": {"name": "a"}})
    await store.update(key("a"), {"metadata": {"name": "a"}, "v": 2}, expected_revision=1)
    await store.create(key("b"), {"metadata": {"name": "b"}})
    await store.delete(key("b"))
    await store.create(key("c"), {"metadata": {"name": "c"}})
    await store.compact(4)
    await store.update(key("c"), {"metadata": {"name": "c"}, "v": 2}, expected_revision=5)
    await store.close()
    assert a["metadata"]["resourceVersion"] == "1"

    db = sqlite3.connect(tmp_path / "store.db")
    try:
        history = db.execute("SELECT revision, name, type FROM history ORDER BY 1").fetchall()
        current = db.execute("SELECT name, revision FROM current ORDER BY 1").fetchall()
        meta = db.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchall()
    finally:
        db.close()
    # a@1 superseded by a@2; b's tombstone (4) and its last state (3) gone; c untouched.
    assert history == [(2, "a", "MODIFIED"), (5, "c", "ADDED"), (6, "c", "MODIFIED")]
    assert current == [("a", 2), ("c", 6)]
    assert meta == [(4,)]


async def test_a_version_1_file_is_migrated_to_kube_key_order(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = SqliteStore(path)
    await store.open()
    for namespace in ("team", "team-a", ""):
        await store.create(ObjectKey(IMAGES, namespace, "x"), {"metadata": {"name": "x"}})
    await store.close()
    db = sqlite3.connect(path)  # as version 1 wrote it: bare namespaces
    with db:
        for table in ("current", "history"):
            db.execute(
                f"UPDATE {table} SET namespace = substr(namespace, 1, length(namespace) - 1)"
            )
        db.execute("PRAGMA user_version = 1")
    db.close()

    store = SqliteStore(path)
    await store.open()
    try:
        listed = await store.list(IMAGES)
        assert [o["metadata"]["name"] for o in listed.items] == ["x"] * 3
        found = await store.get(ObjectKey(IMAGES, "team-a", "x"))
        assert found["metadata"]["resourceVersion"] == "2"
        async with store.watch(IMAGES, "team", after_revision=0) as watch:
            event = await anext(watch)
            assert (event.type, event.revision) == ("ADDED", 1)
    finally:
        await store.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        rows = db.execute("SELECT namespace FROM current ORDER BY namespace").fetchall()
    finally:
        db.close()
    assert rows == [("/",), ("team-a/",), ("team/",)]


async def test_an_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "store.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    store = SqliteStore(tmp_path / "store.db")
    with pytest.raises(StorageError, match="schema version 99"):
        await store.open()


async def test_a_closed_store_refuses_work() -> None:
    store = SqliteStore(":memory:")
    with pytest.raises(BackendError):
        await store.get(key("a"))
    with pytest.raises(BackendError):
        store.watch(IMAGES, after_revision=0)
    await store.open()
    await store.close()
    await store.close()  # idempotent
    with pytest.raises(BackendError):
        await store.create(key("a"), {})


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="retain_revisions"):
        SqliteStore(":memory:", retain_revisions=-1)
    with pytest.raises(ValueError, match="synchronous"):
        SqliteStore(":memory:", synchronous="OFF")  # type: ignore[arg-type]
