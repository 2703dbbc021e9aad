"""Watch through the handler over SQLite (contract section 5.4): initial state, resourceVersion
semantics, WatchList's initial-events-end bookmark, selector transitions, 410 and 504."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from annex_gateway import routes
from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints import responses
from annex_gateway.endpoints.handlers import HANDLERS
from annex_gateway.endpoints.scope import VerbRequest, WatchStream
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.registry.watching import ResourceWatch
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs

JSON = dict[str, Any]
MERGE = "application/merge-patch+json"


@pytest.fixture
def images(store: SqliteStore) -> ServedResource:
    table = routes.compile_routes([defs.images()], routes.Backends(store))
    served = table.lookup(defs.IMAGES_GROUP, "v1alpha1", "images")
    assert served is not None
    return served


async def call(
    verb: str,
    served: ServedResource,
    *,
    namespace: str = "default",
    name: str = "",
    body: Any = None,
    content_type: str | None = None,
    **query: str,
) -> Any:
    result = await HANDLERS[verb](
        VerbRequest(
            served=served,
            namespace=namespace,
            name=name,
            query=query,
            body=orjson.dumps(body) if body is not None else b"",
            content_type=content_type,
        )
    )
    return result.stream if result.stream is not None else result.body


def image(name: str, **labels: str) -> JSON:
    meta: JSON = {"name": name}
    if labels:
        meta["labels"] = labels
    return {
        "apiVersion": f"{defs.IMAGES_GROUP}/v1alpha1",
        "kind": "Image",
        "metadata": meta,
        "spec": {"baseImage": "debian:12"},
    }


def as_json(obj: JSON | bytes) -> JSON:
    """Events without selectors carry the stored bytes, served as they are."""
    return orjson.loads(obj) if isinstance(obj, bytes) else obj


async def events(watch: ResourceWatch, count: int) -> list[tuple[str, str, str]]:
    """The next `count` events as (type, name, resourceVersion)."""
    seen: list[tuple[str, str, str]] = []
    while len(seen) < count:
        event = await watch.next(2.0)
        assert event is not None, f"only {seen} arrived"
        kind, obj = event
        meta = as_json(obj).get("metadata", {})
        seen.append((kind, meta.get("name", ""), meta.get("resourceVersion", "")))
    return seen


async def quiet(watch: ResourceWatch) -> None:
    assert await watch.next(0.05) is None


async def test_unset_resource_version_starts_with_the_current_state(
    images: ServedResource,
) -> None:
    a = await call("create", images, body=image("a"))
    stream: WatchStream = await call("watch", images)
    async with stream.events as watch:
        assert await events(watch, 1) == [("ADDED", "a", a["metadata"]["resourceVersion"])]
        await quiet(watch)
        b = await call("create", images, body=image("b"))
        patched = await call(
            "patch", images, name="a", body={"spec": {"schedule": "x"}}, content_type=MERGE
        )
        await call("delete", images, name="b")  # the store's next write
        deleted_at = str(int(patched["metadata"]["resourceVersion"]) + 1)
        assert await events(watch, 3) == [
            ("ADDED", "b", b["metadata"]["resourceVersion"]),
            ("MODIFIED", "a", patched["metadata"]["resourceVersion"]),
            ("DELETED", "b", deleted_at),
        ]


async def test_a_resource_version_starts_after_it(images: ServedResource) -> None:
    a = await call("create", images, body=image("a"))
    b = await call("create", images, body=image("b"))
    stream = await call("watch", images, resourceVersion=a["metadata"]["resourceVersion"])
    async with stream.events as watch:
        assert await events(watch, 1) == [("ADDED", "b", b["metadata"]["resourceVersion"])]
        await quiet(watch)


async def test_watch_list_ends_its_initial_events_with_a_bookmark(images: ServedResource) -> None:
    await call("create", images, body=image("a"))
    b = await call("create", images, body=image("b"))
    stream = await call(
        "watch",
        images,
        sendInitialEvents="true",
        resourceVersionMatch="NotOlderThan",
        allowWatchBookmarks="true",
    )
    async with stream.events as watch:
        got = [await watch.next(1.0) for _ in range(3)]
        assert [(e[0], as_json(e[1])["metadata"].get("name")) for e in got if e] == [
            ("ADDED", "a"),
            ("ADDED", "b"),
            ("BOOKMARK", None),
        ]
        bookmark = got[2]
        assert bookmark is not None
        assert bookmark[1] == {
            "kind": "Image",
            "apiVersion": f"{defs.IMAGES_GROUP}/v1alpha1",
            "metadata": {
                "resourceVersion": b["metadata"]["resourceVersion"],
                "annotations": {"k8s.io/initial-events-end": "true"},
            },
        }
        await quiet(watch)
        c = await call("create", images, body=image("c"))
        await events(watch, 1)
        assert watch.bookmark()[1]["metadata"] == {
            "resourceVersion": c["metadata"]["resourceVersion"]
        }


async def test_selectors_see_objects_enter_and_leave(images: ServedResource) -> None:
    await call("create", images, body=image("a", tier="x"))
    stream = await call("watch", images, labelSelector="tier=y")
    async with stream.events as watch:
        await quiet(watch)  # nothing selected yet
        entered = await call(
            "patch",
            images,
            name="a",
            body={"metadata": {"labels": {"tier": "y"}}},
            content_type=MERGE,
        )
        left = await call(
            "patch",
            images,
            name="a",
            body={"metadata": {"labels": {"tier": "z"}}},
            content_type=MERGE,
        )
        got = [await watch.next(1.0) for _ in range(2)]
        assert [(e[0], as_json(e[1])["metadata"]["resourceVersion"]) for e in got if e] == [
            ("ADDED", entered["metadata"]["resourceVersion"]),
            ("DELETED", left["metadata"]["resourceVersion"]),
        ]
        assert got[1] is not None
        assert as_json(got[1][1])["metadata"]["labels"] == {"tier": "y"}  # its last selected state


async def test_one_object_by_field_selector_and_namespace(images: ServedResource) -> None:
    stream = await call("watch", images, fieldSelector="metadata.name=a")
    async with stream.events as watch:
        await call("create", images, body=image("b"))
        await call("create", images, namespace="other", body=image("a"))
        a = await call("create", images, body=image("a"))
        assert await events(watch, 1) == [("ADDED", "a", a["metadata"]["resourceVersion"])]


async def test_a_compacted_resource_version_is_an_error_event(
    images: ServedResource, store: SqliteStore
) -> None:
    await call("create", images, body=image("a"))
    await call("create", images, body=image("b"))
    await store.compact(await store.current_revision())
    stream = await call("watch", images, resourceVersion="1")
    async with stream.events as watch:
        event = await watch.next(1.0)
        assert event is not None
        kind, status = event
        assert kind == "ERROR"
        assert (status["code"], status["reason"]) == (410, "Expired")
        assert status["message"].startswith("too old resource version: 1 (")
        with pytest.raises(StopAsyncIteration):
            await watch.next(0.05)


async def test_a_future_resource_version_waits_for_it(
    images: ServedResource, store: SqliteStore
) -> None:
    """The cacher starts an empty interval: only what comes after the revision is sent, and
    no bookmark before it (a list answers 504 instead)."""
    future = await store.current_revision() + 3
    stream = await call("watch", images, resourceVersion=str(future), allowWatchBookmarks="true")
    async with stream.events as watch:
        await quiet(watch)
        await call("create", images, body=image("a"))
        await call("create", images, body=image("b"))
        await quiet(watch)
        assert watch.bookmark() is None  # the revision asked for is not reached
        await call("create", images, body=image("c"))  # the revision asked for: not sent
        d = await call("create", images, body=image("d"))
        assert await events(watch, 1) == [("ADDED", "d", d["metadata"]["resourceVersion"])]
        bookmark = watch.bookmark()
        assert bookmark is not None
        assert as_json(bookmark[1])["metadata"]["resourceVersion"] == str(future + 1)


async def test_a_watch_list_from_a_future_revision_is_an_error_event(
    images: ServedResource,
) -> None:
    stream = await call(
        "watch",
        images,
        resourceVersion="99",
        sendInitialEvents="true",
        resourceVersionMatch="NotOlderThan",
    )
    async with stream.events as watch:
        event = await watch.next(1.0)
        assert event is not None
        kind, status = event
        assert kind == "ERROR"
        assert isinstance(status, dict)
        assert (status["code"], status["reason"]) == (504, "Timeout")
        assert status["message"].startswith("Timeout: Too large resource version: 99, current:")
        with pytest.raises(StopAsyncIteration):
            await watch.next(0.05)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"resourceVersionMatch": "NotOlderThan"},
            "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        ),
        (
            {"sendInitialEvents": "true"},
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ),
    ],
)
async def test_watch_options_are_validated_as_kube_does(
    images: ServedResource, query: dict[str, str], message: str
) -> None:
    with pytest.raises(StatusError) as caught:
        await call("watch", images, **query)
    assert caught.value.code == 422
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("now", "deadline", "due"),
    [
        (0.0, 1800.0, 60.0),  # a minute from now
        (0.0, 30.0, 28.0),  # 2 s before the deadline, if sooner
        (28.0, 30.0, None),  # that time has come: no more
        (0.0, 1.0, None),  # a watch shorter than 2 s gets none
    ],
)
def test_bookmarks_come_every_minute_and_before_the_timeout(
    now: float, deadline: float, due: float | None
) -> None:
    assert responses.next_bookmark(now, deadline) == due
