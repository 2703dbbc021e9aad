"""The in-memory index of a resource's live objects, over the real SQLite store."""

from __future__ import annotations

import asyncio
import gc
import random
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import orjson
import pytest
import pytest_asyncio

from annex_gateway.storage import NotFound, ObjectKey, SqliteStore, StorageError
from annex_gateway.storage.bodies import BodyCache
from annex_gateway.storage.index import (
    FIELDS,
    LABELS,
    NAME,
    NAMESPACE,
    REVISION,
    Entry,
    Indexes,
    ObjectIndex,
)

IMAGES = "images.example.com/images"
OTHER = "images.example.com/builds"


def attrs(obj: Mapping[str, Any]) -> tuple[Mapping[str, str], Mapping[str, str]]:
    return obj["metadata"].get("labels") or {}, {"spec.base": str(obj["spec"].get("base", ""))}


def key(name: str, namespace: str = "default", resource: str = IMAGES) -> ObjectKey:
    return ObjectKey(resource, namespace, name)


def obj(name: str, namespace: str = "default", base: str = "", **labels: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "labels": labels}
    return {"metadata": meta, "spec": {"base": base}}


def names(entries: Any) -> list[tuple[str, str]]:
    return [(e[NAMESPACE], e[NAME]) for e in entries]


@pytest_asyncio.fixture
async def store() -> AsyncIterator[SqliteStore]:
    store = SqliteStore(":memory:", watch_buffer=10)
    await store.open()
    yield store
    await store.close()


@pytest_asyncio.fixture
async def index(store: SqliteStore) -> AsyncIterator[ObjectIndex]:
    index = ObjectIndex(store, IMAGES, attrs)
    yield index
    await index.close()


async def test_fills_from_storage_then_follows_writes(
    store: SqliteStore, index: ObjectIndex
) -> None:
    await store.create(key("b"), obj("b", app="web"))
    await store.create(key("a", "other"), obj("a", "other"))
    assert await index.synced() == await store.current_revision()
    assert names(index.select(None)) == [("default", "b"), ("other", "a")]

    a = await store.create(key("a"), obj("a", app="web"))
    await store.create(key("x", resource=OTHER), obj("x"))  # another resource's write
    await store.delete(key("b"))
    revision = await index.synced()
    assert revision == await store.current_revision()
    entries = list(index.select(None))
    assert names(entries) == [("default", "a"), ("other", "a")]
    assert entries[0][REVISION] == int(a["metadata"]["resourceVersion"])
    assert dict(entries[0][LABELS]) == {"app": "web"}
    assert dict(entries[0][FIELDS]) == {"spec.base": ""}


async def test_selects_by_namespace_after_a_key_and_counts_what_follows(
    store: SqliteStore, index: ObjectIndex
) -> None:
    for namespace in ("a", "b", "c"):
        for name in ("x", "y", "z"):
            await store.create(key(name, namespace), obj(name, namespace))
    await index.synced()
    assert names(index.select("b")) == [("b", "x"), ("b", "y"), ("b", "z")]
    assert names(index.select("b", after=("b", "x"))) == [("b", "y"), ("b", "z")]
    assert names(index.select(None, after=("b", "z"))) == [("c", "x"), ("c", "y"), ("c", "z")]
    assert names(index.select("missing")) == []
    assert index.count(None, ("a", "z")) == 6
    assert index.count("b", ("b", "x")) == 2
    assert index.count("b") == 3


async def test_label_and_field_pairs_are_answered_by_the_inverted_indexes(
    store: SqliteStore, index: ObjectIndex
) -> None:
    await store.create(key("a"), obj("a", base="debian", app="web", tier="1"))
    await store.create(key("b"), obj("b", base="alpine", app="web", tier="2"))
    await store.create(key("c"), obj("c", base="debian", app="db"))
    await index.synced()

    def selected(**query: Any) -> list[str]:
        return [e[NAME] for e in index.select(None, **query)]

    assert selected(labels=(("app", "web"),)) == ["a", "b"]
    assert selected(labels=(("app", "web"), ("tier", "2"))) == ["b"]
    assert selected(fields=(("spec.base", "debian"),)) == ["a", "c"]
    assert selected(labels=(("app", "web"),), fields=(("spec.base", "debian"),)) == ["a"]
    assert selected(labels=(("app", "nope"),)) == []

    def no_tier(entry: Entry) -> bool:
        return "tier" not in dict(entry[LABELS])

    assert selected(matches=no_tier) == ["c"]
    # A change moves the object between the pairs.
    current = await store.get(key("a"))
    current["metadata"]["labels"] = {"app": "db"}
    await store.update(
        key("a"), current, expected_revision=int(current["metadata"]["resourceVersion"])
    )
    await index.synced()
    assert selected(labels=(("app", "web"),)) == ["b"]
    assert selected(labels=(("app", "db"),)) == ["a", "c"]
    assert selected(labels=(("tier", "1"),)) == []


async def test_selections_stay_those_of_the_objects_through_random_writes(
    store: SqliteStore, index: ObjectIndex
) -> None:
    # Creates, updates that keep or change labels and fields, and deletes, across three
    # namespaces: every selection is what a scan of the objects gives, in key order.
    rng = random.Random(7)
    live: dict[tuple[str, str], dict[str, Any]] = {}
    await index.synced()
    for step in range(400):
        name = f"o{rng.randrange(40):02d}"
        namespace = rng.choice(["default", "default-x", "other"])  # one begins another
        labels = {k: rng.choice(["1", "2"]) for k in ("app", "tier") if rng.random() < 0.7}
        base = rng.choice(["debian", "alpine"])
        current = live.get((namespace, name))
        if current is None:
            await store.create(key(name, namespace), obj(name, namespace, base, **labels))
        elif rng.random() < 0.25:
            await store.delete(key(name, namespace))
        else:
            stored = await store.get(key(name, namespace))
            if rng.random() < 0.5:  # else the same labels and field: a status-like write
                stored["metadata"]["labels"], stored["spec"]["base"] = labels, base
            stored["status"] = {"step": step}
            revision = int(stored["metadata"]["resourceVersion"])
            await store.update(key(name, namespace), stored, expected_revision=revision)
        try:
            live[(namespace, name)] = await store.get(key(name, namespace))
        except NotFound:
            live.pop((namespace, name), None)
        if step % 20:
            continue
        await index.synced()
        for labels_q, fields_q in [
            ((), ()),
            ((("app", "1"),), ()),
            ((("app", "2"), ("tier", "1")), ()),
            ((), (("spec.base", "debian"),)),
            ((("tier", "2"),), (("spec.base", "alpine"),)),
        ]:
            for namespace_q, after in [
                (None, None),
                ("default", None),
                ("other", ("default", "o30")),
                (None, ("default", "o20")),
                ("default-x", ("default-x", "o10")),
            ]:
                # kube-apiserver's key order: `default-x/o1` before `default/o1`
                expected = sorted(
                    (
                        k
                        for k, o in live.items()
                        if all(o["metadata"].get("labels", {}).get(n) == v for n, v in labels_q)
                        and all(o["spec"]["base"] == v for _, v in fields_q)
                        and (namespace_q is None or k[0] == namespace_q)
                        and (after is None or "/".join(k) > "/".join(after))
                    ),
                    key="/".join,
                )
                got = names(
                    index.select(namespace_q, after=after, labels=labels_q, fields=fields_q)
                )
                assert got == expected
                if not labels_q and not fields_q:
                    assert index.count(namespace_q, after) == len(expected)


async def test_keeps_up_with_more_writes_than_its_watch_buffer(
    store: SqliteStore, index: ObjectIndex
) -> None:
    await index.synced()
    for i in range(30):
        await store.create(key(f"o{i:02}"), obj(f"o{i:02}"))
    assert await index.synced() == await store.current_revision()
    assert [e[NAME] for e in index.select(None)] == [f"o{i:02}" for i in range(30)]


async def test_a_closed_store_is_an_error_not_a_hang(store: SqliteStore) -> None:
    await store.close()
    index = ObjectIndex(store, IMAGES, attrs)
    with pytest.raises(StorageError):
        await asyncio.wait_for(index.synced(), 5)
    await index.close()


async def test_indexes_not_asked_for_by_the_last_compile_are_retired(store: SqliteStore) -> None:
    indexes = Indexes(store)
    kept = indexes.get(IMAGES, ("spec.base",), attrs)
    dropped = indexes.get(OTHER, (), attrs)
    indexes.retire_unused()  # the first table used both
    await kept.synced()
    await dropped.synced()
    assert indexes.get(IMAGES, ("spec.base",), attrs) is kept
    indexes.retire_unused()  # the next one only the first
    assert dropped.retired
    assert not kept.retired
    assert indexes.get(OTHER, (), attrs) is not dropped  # asked again: a new one
    await indexes.close()


async def test_started_indexes_follow_their_resources_before_any_read(
    store: SqliteStore,
) -> None:
    indexes = Indexes(store)
    before = indexes.get(IMAGES, (), attrs)  # a route table compiled before serving
    indexes.start()
    after = indexes.get(OTHER, (), attrs)  # one compiled on a reload
    await asyncio.sleep(0)  # the indexes fill without a read asking them to
    written = [
        await store.create(key("img"), obj("img")),
        await store.create(key("build", resource=OTHER), obj("build")),
    ]
    deadline = asyncio.get_running_loop().time() + 10
    while before.revision < await store.current_revision() or after.revision < before.revision:
        assert asyncio.get_running_loop().time() < deadline, "the indexes did not follow"
        await asyncio.sleep(0.01)
    # The bodies written are in memory: reading them needs no database.
    revisions = [int(o["metadata"]["resourceVersion"]) for o in written]
    await store.close()
    assert [orjson.loads(b or b"null") for b in await indexes.bodies.read(revisions)] == written
    await indexes.close()


async def test_the_body_cache_keeps_written_bodies_within_its_budget(store: SqliteStore) -> None:
    bodies = BodyCache(store, budget=3000)
    index = ObjectIndex(store, IMAGES, attrs, bodies)
    await index.synced()
    written = [await store.create(key(f"o{i}"), obj(f"o{i}", base="x" * 900)) for i in range(5)]
    await index.synced()
    assert 2000 < bodies.size <= 3000  # the newest fit; the oldest were evicted
    revisions = [int(o["metadata"]["resourceVersion"]) for o in written]
    read = await bodies.read([*reversed(revisions), 10**9])
    assert [orjson.loads(b) for b in read[:5] if b is not None] == list(reversed(written))
    assert read[5] is None
    assert bodies.size <= 3000
    await index.close()


async def test_a_scan_reads_through_the_body_cache_without_filling_it(
    store: SqliteStore,
) -> None:
    written = [await store.create(key(f"s{i}"), obj(f"s{i}")) for i in range(3)]
    revisions = [int(o["metadata"]["resourceVersion"]) for o in written]
    bodies = BodyCache(store, budget=10_000)
    bodies.put(revisions[0], b"kept")
    scanned = await bodies.read(revisions, keep=False)
    assert scanned[0] == b"kept"  # found in memory all the same
    assert [orjson.loads(b)["metadata"]["name"] for b in scanned[1:] if b] == ["s1", "s2"]
    assert bodies.size == len(b"kept")  # what the scan read was not kept
    await bodies.read(revisions[1:2])
    assert bodies.size > len(b"kept")  # a GET's read is


async def test_concurrent_misses_share_reads_of_the_store(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = [await store.create(key(f"c{i}"), obj(f"c{i}")) for i in range(6)]
    revisions = [int(o["metadata"]["resourceVersion"]) for o in written]
    bodies = BodyCache(store, budget=0)  # nothing kept: every read is a miss
    reads: list[list[int]] = []
    real = store.read_revisions

    async def counted(wanted: Sequence[int]) -> list[bytes | None]:
        reads.append(list(wanted))
        return await real(wanted)

    monkeypatch.setattr(store, "read_revisions", counted)
    found = await asyncio.gather(*(bodies.read([r]) for r in revisions), bodies.read([10**9]))
    assert [f[0] is not None for f in found] == [True] * 6 + [False]
    assert [orjson.loads(f[0])["metadata"]["name"] for f in found[:6] if f[0]] == [
        f"c{i}" for i in range(6)
    ]
    assert reads == [sorted([*revisions, 10**9])]  # one query for all seven


async def test_a_failed_read_fails_every_reader_of_its_batch(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = BodyCache(store, budget=0)

    async def broken(wanted: Sequence[int]) -> list[bytes | None]:
        raise StorageError("database is locked")

    monkeypatch.setattr(store, "read_revisions", broken)
    results = await asyncio.gather(bodies.read([1]), bodies.read([2]), return_exceptions=True)
    assert all(isinstance(r, StorageError) for r in results)


async def test_entries_are_out_of_the_cyclic_collectors_reach(
    store: SqliteStore, index: ObjectIndex
) -> None:
    """A full collection would otherwise walk every object the index holds: at 50k objects
    it paused the event loop 24-32 ms (bench/gc_pauses.py)."""
    for i in range(50):
        await store.create(key(f"o{i:02}"), obj(f"o{i:02}", base="debian", app=str(i % 3)))
    await index.synced()
    await store.update(key("o01"), obj("o01", base="alpine", app="x"), expected_revision=2)
    await index.synced()
    for _ in range(3):  # a tuple of untracked items is untracked by a pass over it: a level a pass
        gc.collect()
    held = list(index.select(None))
    assert len(held) == 50
    assert not any(gc.is_tracked(e) or gc.is_tracked(e[LABELS]) for e in held)


async def test_shared_mappings_go_with_their_last_entry(
    store: SqliteStore, index: ObjectIndex
) -> None:
    for i in range(6):
        await store.create(key(f"o{i}"), obj(f"o{i}", base="debian", app=str(i % 2)))
    await index.synced()
    shared = index._mappings  # the label sets {app: 0}, {app: 1} and the field value
    assert sorted(m.uses for m in shared.values()) == [3, 3, 6]
    for i in range(6):
        await store.delete(key(f"o{i}"))
    await index.synced()
    assert index._mappings == {}
