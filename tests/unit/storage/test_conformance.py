"""The storage conformance suite: every backend must pass all of it (see conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from annex_gateway.storage import (
    AlreadyExists,
    Conflict,
    Expired,
    NotFound,
    ObjectKey,
    RevisionTooLarge,
    Store,
    Watch,
    WatchEvent,
    WatchOverflow,
)

from .churn import random_write
from .conftest import Backend, OpenStore

IMAGES = "images.example.com/images"
WIDGETS = "widgets.example.com/widgets"


def key(name: str, namespace: str = "default", resource: str = IMAGES) -> ObjectKey:
    return ObjectKey(resource, namespace, name)


def obj(name: str, namespace: str = "default", **spec: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    return {
        "apiVersion": "images.example.com/v1",
        "kind": "Image",
        "metadata": metadata,
        "spec": spec,
    }


def rv(o: dict[str, Any]) -> int:
    value = o["metadata"]["resourceVersion"]
    assert isinstance(value, str)
    return int(value)


def names(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["metadata"].get("namespace", ""), i["metadata"]["name"]) for i in items]


async def next_event(w: Watch, timeout: float = 2.0) -> WatchEvent:
    return await asyncio.wait_for(anext(w), timeout)


async def handed_out(done: Callable[[], bool], turns: int = 100) -> None:
    """Until `done()`: an event reaches an attached sink a few turns of the event loop after
    its write (the write answers first)."""
    for _ in range(turns):
        if done():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"not handed out within {turns} turns of the event loop")


async def drain(w: Watch) -> list[WatchEvent]:
    return [event async for event in w]


async def assert_quiet(w: Watch) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(anext(w), 0.05)


# -- create, get, update, delete ---------------------------------------------------------


async def test_revisions_increase_across_resources(store: Store) -> None:
    start = await store.current_revision()
    seen = []
    for i in range(6):
        resource = IMAGES if i % 2 else WIDGETS
        created = await store.create(key(f"o{i}", resource=resource), obj(f"o{i}"))
        seen.append(rv(created))
    assert seen == list(range(start + 1, start + 7))
    assert await store.current_revision() == start + 6


async def test_create_get(store: Store) -> None:
    created = await store.create(key("a"), obj("a", size=1))
    assert isinstance(created["metadata"]["resourceVersion"], str)
    assert created["spec"] == {"size": 1}
    assert await store.get(key("a")) == created


async def test_create_existing_is_already_exists(store: Store) -> None:
    await store.create(key("a"), obj("a"))
    revision = await store.current_revision()
    with pytest.raises(AlreadyExists) as info:
        await store.create(key("a"), obj("a", other=True))
    assert info.value.key == key("a")
    assert await store.current_revision() == revision
    assert "other" not in (await store.get(key("a")))["spec"]


async def test_keys_differ_by_resource_namespace_and_name(store: Store) -> None:
    for k in (key("a"), key("a", "other"), key("a", resource=WIDGETS), key("a", "")):
        await store.create(k, obj("a", k.namespace, resource=k.resource))
        assert (await store.get(k))["spec"]["resource"] == k.resource


async def test_missing_objects_are_not_found(store: Store) -> None:
    with pytest.raises(NotFound) as info:
        await store.get(key("nope"))
    assert info.value.key == key("nope")
    with pytest.raises(NotFound):
        await store.update(key("nope"), obj("nope"), expected_revision=1)
    with pytest.raises(NotFound):
        await store.delete(key("nope"))


async def test_update_compares_and_swaps(store: Store) -> None:
    created = await store.create(key("a"), obj("a", size=1))
    updated = await store.update(key("a"), obj("a", size=2), expected_revision=rv(created))
    assert rv(updated) == rv(created) + 1
    assert updated["spec"] == {"size": 2}
    with pytest.raises(Conflict) as info:
        await store.update(key("a"), obj("a", size=3), expected_revision=rv(created))
    assert (info.value.key, info.value.expected, info.value.actual) == (
        key("a"),
        rv(created),
        rv(updated),
    )
    assert await store.get(key("a")) == updated


async def test_update_overwrites_a_stale_resource_version_in_the_body(store: Store) -> None:
    created = await store.create(key("a"), obj("a"))
    body = {**created, "spec": {"x": 1}}  # still carries the old resourceVersion
    updated = await store.update(key("a"), body, expected_revision=rv(created))
    assert rv(updated) == await store.current_revision()


async def test_delete_returns_last_state_at_the_delete_revision(store: Store) -> None:
    created = await store.create(key("a"), obj("a", size=1))
    with pytest.raises(Conflict) as info:
        await store.delete(key("a"), expected_revision=rv(created) - 1)
    assert info.value.actual == rv(created)
    deleted = await store.delete(key("a"), expected_revision=rv(created))
    assert rv(deleted) == rv(created) + 1 == await store.current_revision()
    assert deleted["spec"] == {"size": 1}
    with pytest.raises(NotFound):
        await store.get(key("a"))
    with pytest.raises(NotFound):
        await store.delete(key("a"))
    recreated = await store.create(key("a"), obj("a", size=2))
    assert rv(recreated) == rv(deleted) + 1
    assert (await store.delete(key("a")))["spec"] == {"size": 2}  # unconditional


async def test_returned_objects_are_independent_copies(store: Store) -> None:
    body = obj("a", tags=["x"])
    created = await store.create(key("a"), body)
    assert "resourceVersion" not in body["metadata"]  # the caller's dict is not touched
    body["spec"]["tags"].append("from-input")
    created["spec"]["tags"].append("from-create")
    got = await store.get(key("a"))
    got["spec"]["tags"].append("from-get")
    listed = (await store.list(IMAGES)).items[0]
    listed["metadata"]["name"] = "changed"
    assert (await store.get(key("a")))["spec"]["tags"] == ["x"]
    assert (await store.get(key("a")))["metadata"]["name"] == "a"


# -- list --------------------------------------------------------------------------------


async def fill(store: Store, keys: list[tuple[str, str]], resource: str = IMAGES) -> None:
    shuffled = list(keys)
    random.Random(7).shuffle(shuffled)
    for namespace, name in shuffled:
        await store.create(key(name, namespace, resource), obj(name, namespace))


KEYS = [("", "c0"), ("a", "x"), ("a", "y"), ("b", "a"), ("b", "b"), ("b", "c"), ("c", "z")]


async def test_list_orders_by_namespace_and_name(store: Store) -> None:
    await fill(store, KEYS)
    await fill(store, [("a", "other")], resource=WIDGETS)
    result = await store.list(IMAGES)
    assert names(result.items) == KEYS
    assert result.revision == await store.current_revision()
    assert (result.more, result.remaining) == (False, 0)


# A namespace that begins another: kube-apiserver's keys `team-a/x` sort before `team/x`.
PREFIXED = [("t", "a"), ("team-a", "a"), ("team-a", "b"), ("team", "a"), ("team", "b")]


async def test_list_is_in_kube_apiserver_key_order(store: Store) -> None:
    await fill(store, PREFIXED)
    assert names((await store.list(IMAGES)).items) == PREFIXED
    revision = await store.current_revision()
    await store.create(key("c", "team-a"), obj("c", "team-a"))
    for at in (None, revision):  # the current table and a snapshot of history
        walked, after = [], None
        while True:
            page = await store.list(IMAGES, limit=1, after=after, at_revision=at)
            walked += names(page.items)
            if not page.more:
                break
            after = walked[-1]
        expected = PREFIXED if at else [*PREFIXED[:3], ("team-a", "c"), *PREFIXED[3:]]
        assert walked == expected
    # After the last of team-a, the namespace team still follows; after team, none of team-a.
    page = await store.list(IMAGES, "team", after=("team-a", "zz"))
    assert names(page.items) == [("team", "a"), ("team", "b")]
    assert (await store.list(IMAGES, "team-a", after=("team", ""))).items == []


async def test_list_filters_by_namespace(store: Store) -> None:
    await fill(store, KEYS)
    assert names((await store.list(IMAGES, "b")).items) == [("b", "a"), ("b", "b"), ("b", "c")]
    assert names((await store.list(IMAGES, "")).items) == [("", "c0")]
    assert (await store.list(IMAGES, "none")).items == []
    assert (await store.list("nothing.example.com/nothing")).items == []


async def test_list_pages_with_limit_and_after(store: Store) -> None:
    await fill(store, KEYS)
    pages = []
    after = None
    while True:
        page = await store.list(IMAGES, limit=3, after=after)
        pages.append((names(page.items), page.more, page.remaining))
        if not page.more:
            break
        after = names(page.items)[-1]
    assert pages == [(KEYS[:3], True, 4), (KEYS[3:6], True, 1), (KEYS[6:], False, 0)]
    page = await store.list(IMAGES, "b", limit=2, after=("b", "a"))
    assert (names(page.items), page.more) == ([("b", "b"), ("b", "c")], False)
    page = await store.list(IMAGES, "b", limit=2, after=("a", "zz"))
    assert (names(page.items), page.more, page.remaining) == ([("b", "a"), ("b", "b")], True, 1)
    assert (await store.list(IMAGES, "b", after=("ba", ""))).items == []
    revision = await store.current_revision()
    await store.create(key("d", "b"), obj("d", "b"))
    page = await store.list(IMAGES, "b", limit=1, after=("b", "a"), at_revision=revision)
    assert (names(page.items), page.more, page.remaining) == ([("b", "b")], True, 1)


async def test_read_revisions_gives_the_bodies_written_at_each(store: Store) -> None:
    a = await store.create(key("a"), obj("a"))
    b = await store.create(key("b"), obj("b"))
    a2 = await store.update(key("a"), obj("a", spec={"v": 2}), expected_revision=rv(a))
    gone = await store.delete(key("b"))
    bodies = await store.read_revisions([rv(a2), rv(b), rv(a), rv(gone), 10**9])
    decoded = [orjson.loads(body) if body is not None else None for body in bodies[:3]]
    assert decoded == [a2, b, a]  # in the order asked, past versions too
    assert bodies[3:] == [None, None]  # a delete has no body; an unknown revision neither
    assert await store.read_revisions([]) == []


async def test_list_limit_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError, match="limit"):
        await store.list(IMAGES, limit=0)


async def test_list_at_a_past_revision_is_that_snapshot(store: Store) -> None:
    a = await store.create(key("a"), obj("a", v=1))
    b = await store.create(key("b"), obj("b", v=1))
    snapshot = await store.list(IMAGES)
    await store.update(key("a"), obj("a", v=2), expected_revision=rv(a))
    await store.delete(key("b"))
    await store.create(key("c"), obj("c", v=1))
    await store.create(key("b"), obj("b", v=2))  # recreated after the snapshot
    past = await store.list(IMAGES, at_revision=snapshot.revision)
    assert past == snapshot
    assert past.items == [a, b]
    now = await store.list(IMAGES)
    assert [(i["metadata"]["name"], i["spec"]["v"]) for i in now.items] == [
        ("a", 2),
        ("b", 2),
        ("c", 1),
    ]


async def test_paging_pinned_to_a_revision_ignores_later_writes(store: Store) -> None:
    await fill(store, KEYS)
    first = await store.list(IMAGES, limit=3)
    await store.delete(key("y", "a"))
    await store.delete(key("a", "b"))
    await store.create(key("bb", "b"), obj("bb", "b"))
    rest = await store.list(
        IMAGES, limit=10, after=names(first.items)[-1], at_revision=first.revision
    )
    assert names(first.items + rest.items) == KEYS
    assert rest.revision == first.revision
    assert (first.remaining, rest.more) == (4, False)
    assert len((await store.list(IMAGES, "b", at_revision=first.revision)).items) == 3


async def test_list_beyond_the_current_revision_is_too_large(store: Store) -> None:
    await store.create(key("a"), obj("a"))
    current = await store.current_revision()
    with pytest.raises(RevisionTooLarge) as info:
        await store.list(IMAGES, at_revision=current + 1)
    assert (info.value.revision, info.value.current) == (current + 1, current)


# -- compaction ---------------------------------------------------------------------------


async def test_compaction_expires_older_revisions_only(store: Store) -> None:
    a = await store.create(key("a"), obj("a", v=1))
    await store.create(key("b"), obj("b"))
    await store.create(key("gone"), obj("gone"))
    await store.update(key("a"), obj("a", v=2), expected_revision=rv(a))
    await store.delete(key("gone"))
    snapshot = await store.list(IMAGES)
    early = await store.list(IMAGES, at_revision=rv(a))
    compacted = snapshot.revision
    later = await store.create(key("c"), obj("c"))
    await store.compact(compacted)

    with pytest.raises(Expired) as info:
        await store.list(IMAGES, at_revision=rv(a))
    assert (info.value.revision, info.value.oldest) == (rv(a), compacted)
    assert early.items  # it was readable before
    assert await store.list(IMAGES, at_revision=compacted) == snapshot
    with pytest.raises(Expired):
        async with store.watch(IMAGES, after_revision=compacted - 1):
            pass
    async with store.watch(IMAGES, after_revision=compacted) as w:
        event = await next_event(w)
        assert (event.type, event.object) == ("ADDED", later)
    await store.compact(compacted)  # compacting again is a no-op
    with pytest.raises(RevisionTooLarge):
        await store.compact(await store.current_revision() + 1)


async def test_compaction_keeps_snapshots_complete(store: Store) -> None:
    # Churn: updates, deletes and recreations, then compact at every other revision and
    # check the snapshots that must survive against ones taken before.
    rng = random.Random(3)
    snapshots = {}
    versions: dict[str, int] = {}
    for _ in range(120):
        await random_write(store, rng, versions, keys=8)
        snapshots[await store.current_revision()] = await store.list(IMAGES)
    for point in sorted(snapshots)[::10]:
        await store.compact(point)
        for revision, snapshot in snapshots.items():
            if revision >= point:
                assert await store.list(IMAGES, at_revision=revision) == snapshot
            else:
                with pytest.raises(Expired):
                    await store.list(IMAGES, at_revision=revision)


async def test_retention_options_compact_automatically(open_store: OpenStore) -> None:
    store = await open_store(retain_revisions=5, compact_interval=5)
    created = await store.create(key("a"), obj("a", n=0))
    revision = rv(created)
    for n in range(1, 30):
        revision = rv(await store.update(key("a"), obj("a", n=n), expected_revision=revision))
    # Compaction runs in the background: once retention's threshold was crossed it keeps
    # history within retain + interval revisions of the latest.
    await asyncio.wait_for(store.wait_compacted(revision - 10 + 1), 10)
    with pytest.raises(Expired):
        await store.list(IMAGES, at_revision=rv(created))
    kept = await store.list(IMAGES, at_revision=revision - 5)
    assert kept.items[0]["spec"] == {"n": 24}
    async with store.watch(IMAGES, after_revision=revision - 5) as w:
        assert [(await next_event(w)).object["spec"]["n"] for _ in range(5)] == [25, 26, 27, 28, 29]


# -- watch --------------------------------------------------------------------------------


async def test_watch_replays_history_then_streams_live(store: Store) -> None:
    start = await store.current_revision()
    a = await store.create(key("a"), obj("a", v=1))
    a2 = await store.update(key("a"), obj("a", v=2), expected_revision=rv(a))
    await store.create(key("w", resource=WIDGETS), obj("w"))
    async with store.watch(IMAGES, after_revision=start) as w:
        first = await next_event(w)
        assert (first.type, first.revision, first.object, first.previous) == (
            "ADDED",
            rv(a),
            a,
            None,
        )
        second = await next_event(w)
        assert (second.type, second.object, second.previous) == ("MODIFIED", a2, a)
        await assert_quiet(w)

        b = await store.create(key("b"), obj("b"))
        deleted = await store.delete(key("a"))
        live = [await next_event(w), await next_event(w)]
        assert [(e.type, e.revision) for e in live] == [("ADDED", rv(b)), ("DELETED", rv(deleted))]
        assert live[0].object == b
        assert live[1].object == deleted
        assert live[1].object["spec"] == {"v": 2}
        assert live[1].previous == a2


async def test_watch_replayed_delete_has_last_state_and_previous(store: Store) -> None:
    start = await store.current_revision()
    a = await store.create(key("a"), obj("a", v=1))
    deleted = await store.delete(key("a"))
    again = await store.create(key("a"), obj("a", v=2))
    async with store.watch(IMAGES, after_revision=start) as w:
        events = [await next_event(w) for _ in range(3)]
    assert [(e.type, e.object, e.previous) for e in events] == [
        ("ADDED", a, None),
        ("DELETED", deleted, a),
        ("ADDED", again, None),
    ]
    assert rv(deleted) == events[1].revision


async def test_watch_from_now_sees_only_new_events(store: Store) -> None:
    await store.create(key("a"), obj("a"))
    async with store.watch(IMAGES, after_revision=await store.current_revision()) as w:
        await assert_quiet(w)
        b = await store.create(key("b"), obj("b"))
        assert (await next_event(w)).object == b


async def test_watch_filters_by_namespace(store: Store) -> None:
    start = await store.current_revision()
    await store.create(key("a", "one"), obj("a", "one"))
    await store.create(key("a", "two"), obj("a", "two"))
    await store.create(key("a", "one", WIDGETS), obj("a", "one"))
    async with store.watch(IMAGES, "one", after_revision=start) as w:
        assert (await next_event(w)).object["metadata"]["namespace"] == "one"
        await store.create(key("b", "two"), obj("b", "two"))
        await store.create(key("b", "one", WIDGETS), obj("b", "one"))
        await assert_quiet(w)
        b = await store.create(key("b", "one"), obj("b", "one"))
        assert (await next_event(w)).object == b


async def test_watch_events_are_independent_copies(store: Store) -> None:
    start = await store.current_revision()
    async with (
        store.watch(IMAGES, after_revision=start) as w1,
        store.watch(IMAGES, after_revision=start) as w2,
    ):
        await store.create(key("a"), obj("a", tags=["x"]))
        e1 = await next_event(w1)
        e1.object["spec"]["tags"].append("mutated")
        assert (await next_event(w2)).object["spec"]["tags"] == ["x"]
    assert (await store.get(key("a")))["spec"]["tags"] == ["x"]


async def test_watch_beyond_the_current_revision_is_too_large(store: Store) -> None:
    current = await store.current_revision()
    with pytest.raises(RevisionTooLarge):
        async with store.watch(IMAGES, after_revision=current + 1):
            pass


async def test_watch_replay_spans_pages_and_concurrent_writes(store: Store) -> None:
    start = await store.current_revision()
    for i in range(600):
        await store.create(key(f"o{i:04}"), obj(f"o{i:04}"))
        await store.create(key(f"o{i:04}", resource=WIDGETS), obj(f"o{i:04}"))

    async def writer() -> None:
        for i in range(100):
            await store.create(key(f"late{i:03}"), obj(f"late{i:03}"))
            await asyncio.sleep(0)

    revisions: list[int] = []
    async with store.watch(IMAGES, after_revision=start) as w:
        task = asyncio.create_task(writer())
        while len(revisions) < 700:
            revisions.append((await next_event(w)).revision)
        await task
        await assert_quiet(w)
    expected = (await store.list(IMAGES)).items
    assert revisions == sorted(rv(o) for o in expected)


async def test_watch_ends_with_expired_when_its_replay_is_compacted(store: Store) -> None:
    start = await store.current_revision()
    for i in range(600):
        await store.create(key(f"o{i:04}"), obj(f"o{i:04}"))
    async with store.watch(IMAGES, after_revision=start) as w:
        await next_event(w)
        await store.compact(await store.current_revision())
        with pytest.raises(Expired):
            await drain(w)


async def test_slow_watcher_overflows(open_store: OpenStore) -> None:
    store = await open_store(watch_buffer=5)
    start = await store.current_revision()
    async with (
        store.watch(IMAGES, after_revision=start) as slow,
        store.watch(IMAGES, after_revision=start) as fast,
    ):
        seen = []
        for i in range(20):
            await store.create(key(f"o{i}"), obj(f"o{i}"))
            seen.append((await next_event(fast)).revision)
        with pytest.raises(WatchOverflow) as info:
            await drain(slow)
        assert info.value.revision == start
        # Resuming from the last delivered revision replays what was missed.
        async with store.watch(IMAGES, after_revision=info.value.revision) as again:
            assert [(await next_event(again)).revision for _ in range(20)] == seen


async def test_watch_revision_tracks_progress_for_bookmarks(store: Store) -> None:
    start = await store.current_revision()
    a = await store.create(key("a"), obj("a"))
    async with store.watch(IMAGES, after_revision=start) as w:
        assert w.revision == start
        await next_event(w)
        assert w.revision == rv(a)
        await store.create(key("w", resource=WIDGETS), obj("w"))
        assert w.revision == await store.current_revision()
        b = await store.create(key("b"), obj("b"))
        assert w.revision == rv(b) - 1  # b is pending
        await next_event(w)
        assert w.revision == rv(b)


async def test_a_timed_out_wait_leaves_the_watch_usable(store: Store) -> None:
    start = await store.current_revision()
    for i in range(300):
        await store.create(key(f"o{i:03}"), obj(f"o{i:03}"))
    async with store.watch(IMAGES, after_revision=start) as w:
        got: list[int] = []
        while len(got) < 300:
            with contextlib.suppress(TimeoutError):
                got.append((await asyncio.wait_for(anext(w), 0.0005)).revision)
        assert got == list(range(start + 1, start + 301))


async def test_closing_a_watch_or_the_store_ends_iteration(open_store: OpenStore) -> None:
    store = await open_store()
    w = store.watch(IMAGES, after_revision=0)
    await w.__aenter__()
    pending = asyncio.ensure_future(anext(w))
    await asyncio.sleep(0.01)
    await w.aclose()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(pending, 1)

    async with store.watch(IMAGES, after_revision=0) as w2:
        pending = asyncio.ensure_future(anext(w2))
        await asyncio.sleep(0.01)
        await store.close()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(pending, 1)


async def test_closing_the_store_mid_replay_ends_iteration(open_store: OpenStore) -> None:
    store = await open_store()
    for i in range(600):
        await store.create(key(f"o{i:04}"), obj(f"o{i:04}"))
    async with store.watch(IMAGES, after_revision=0) as w:
        await next_event(w)
        await store.close()
        assert len(await drain(w)) < 599


# -- durability and concurrency ------------------------------------------------------------


async def test_data_and_revisions_survive_a_restart(backend: Backend) -> None:
    if not backend.persistent:
        pytest.skip(f"{backend.name} keeps nothing across a restart")
    store = backend.make()
    await store.open()
    a = await store.create(key("a"), obj("a", v=1))
    a2 = await store.update(key("a"), obj("a", v=2), expected_revision=rv(a))
    await store.create(key("b"), obj("b"))
    deleted = await store.delete(key("b"))
    await store.compact(rv(a))
    before = await store.list(IMAGES)
    await store.close()

    store = backend.make()
    await store.open()
    try:
        assert await store.current_revision() == rv(deleted)
        assert await store.get(key("a")) == a2
        assert await store.list(IMAGES) == before
        with pytest.raises(Expired):
            await store.list(IMAGES, at_revision=rv(a) - 1)
        async with store.watch(IMAGES, after_revision=rv(a)) as w:
            assert [(await next_event(w)).type for _ in range(3)] == [
                "MODIFIED",
                "ADDED",
                "DELETED",
            ]
        c = await store.create(key("c"), obj("c"))
        assert rv(c) == rv(deleted) + 1
    finally:
        await store.close()


async def test_concurrent_compare_and_swap_loses_no_update(store: Store) -> None:
    created = await store.create(key("counter"), obj("counter", n=0))
    conflicts = 0

    async def increment(times: int) -> None:
        nonlocal conflicts
        for _ in range(times):
            while True:
                current = await store.get(key("counter"))
                current["spec"]["n"] += 1
                try:
                    await store.update(key("counter"), current, expected_revision=rv(current))
                    break
                except Conflict:
                    conflicts += 1

    await asyncio.gather(*(increment(5) for _ in range(30)))
    final = await store.get(key("counter"))
    assert final["spec"]["n"] == 150
    assert rv(final) == rv(created) + 150
    assert conflicts > 0  # the writers really did interleave


async def test_a_cancelled_write_leaves_the_store_consistent(store: Store) -> None:
    start = await store.current_revision()
    async with store.watch(IMAGES, after_revision=start) as w:
        tasks = [asyncio.create_task(store.create(key(f"o{i}"), obj(f"o{i}"))) for i in range(5)]
        await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        after = await store.create(key("after"), obj("after"))
        listed = await store.list(IMAGES)
        revisions = [(await next_event(w)).revision for _ in listed.items]
    # Cancelled or not, every write that happened is listed, watched, and contiguous.
    assert sorted(rv(o) for o in listed.items) == revisions
    assert revisions == list(range(start + 1, rv(after) + 1))


async def test_an_attached_sink_takes_live_events_as_they_are_published(store: Store) -> None:
    first = await store.create(key("a"), obj("a"))
    async with store.watch(IMAGES, after_revision=rv(first) - 1) as w:
        assert not w.attach(lambda kind, data: True)  # history to replay first
        assert (await next_event(w)).revision == rv(first)
        taken: list[tuple[str, int]] = []

        def sink(kind: str, data: bytes) -> bool:
            taken.append((kind, rv(orjson.loads(data))))
            return len(taken) < 2  # the second event is taken, then the client is too slow

        assert w.attach(sink)
        b = await store.create(key("b"), obj("b"))
        assert taken == []  # the write's caller resumes before its event is handed out
        await handed_out(lambda: bool(taken))  # with no wake-up of the watch's consumer
        assert taken == [("ADDED", rv(b))]
        assert w.revision >= rv(b)
        gone = await store.delete(key("a"))
        await handed_out(lambda: len(taken) == 2)
        await store.create(key("c"), obj("c"))
        for _ in range(10):  # not taken, however long: the watch has ended
            await asyncio.sleep(0)
        assert taken == [("ADDED", rv(b)), ("DELETED", rv(gone))]
        with pytest.raises(WatchOverflow) as ended:
            await next_event(w)
        assert ended.value.revision == rv(gone)  # resume after the last event taken
