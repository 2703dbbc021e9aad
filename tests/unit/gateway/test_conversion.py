"""Conversion in the gateway: objects written at one version read at the other (get, list,
watch, field selectors), writes stored at the storage version, the webhook client, and the
deprecated version's warning."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
import pytest_asyncio

from annex_core import apidef
from annex_core.conversion import WebhookConversion
from annex_gateway import routes
from annex_gateway.apierrors import StatusError
from annex_gateway.conversion import WebhookClients
from annex_gateway.conversion.webhook import WebhookConverter
from annex_gateway.endpoints import deprecation
from annex_gateway.registry.options import ListOptions, WriteOptions
from annex_gateway.registry.selectors import parse_fields, parse_labels
from annex_gateway.registry.store import ResourceStore
from annex_gateway.registry.watching import WatchOptions
from annex_gateway.storage import SqliteStore
from annex_gateway.storage.index import Indexes
from tests.conversion_webhook import ConversionWebhook, serve_webhook

JSON = dict[str, Any]
GROUP = "images.example.com"
DECLARATIVE = {
    "strategy": "Declarative",
    "declarative": {
        "rules": [
            {
                "from": {"version": "v1alpha1", "path": "spec.image"},
                "to": {"version": "v1", "path": "spec.baseImage"},
            }
        ]
    },
}


def definition(conversion: JSON, storage: str = "v1", deprecated: bool = True) -> JSON:
    def schema(image_field: str) -> JSON:
        return {
            "openAPIV3Schema": {
                "type": "object",
                "properties": {
                    "spec": {
                        "type": "object",
                        "properties": {
                            image_field: {"type": "string"},
                            "size": {"type": "integer"},
                        },
                    }
                },
            }
        }

    return {
        "metadata": {"name": GROUP},
        "spec": {
            "group": GROUP,
            "resources": [
                {
                    "names": {"plural": "images", "kind": "Image"},
                    "scope": "Namespaced",
                    "versions": [
                        {
                            "name": "v1alpha1",
                            "served": True,
                            "storage": storage == "v1alpha1",
                            "deprecated": deprecated,
                            "schema": schema("image"),
                            "selectableFields": [{"jsonPath": ".spec.image"}],
                        },
                        {
                            "name": "v1",
                            "served": True,
                            "storage": storage == "v1",
                            "schema": schema("baseImage"),
                            "selectableFields": [{"jsonPath": ".spec.baseImage"}],
                        },
                    ],
                    "conversion": conversion,
                }
            ],
        },
    }


@pytest_asyncio.fixture
async def store() -> AsyncIterator[SqliteStore]:
    store = SqliteStore(":memory:")
    await store.open()
    yield store
    await store.close()


@pytest_asyncio.fixture(params=["indexed", "scanned"])
async def backends(
    store: SqliteStore, request: pytest.FixtureRequest
) -> AsyncIterator[routes.Backends]:
    indexes = Indexes(store) if request.param == "indexed" else None
    webhooks = WebhookClients()
    yield routes.Backends(store, indexes=indexes, webhooks=webhooks)
    await webhooks.close()
    if indexes is not None:
        await indexes.close()


def rest(table: routes.RouteTable, version: str) -> ResourceStore:
    served = table.lookup(GROUP, version, "images")
    assert served is not None
    return served.rest


def image(name: str, version: str, value: str, size: int = 1) -> JSON:
    field = "image" if version == "v1alpha1" else "baseImage"
    return {
        "apiVersion": f"{GROUP}/{version}",
        "kind": "Image",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": name}},
        "spec": {field: value, "size": size},
    }


def options(fields: str | None = None, labels: str | None = None, **more: Any) -> ListOptions:
    return ListOptions(
        labels=parse_labels(labels),
        fields=parse_fields(
            fields, ("metadata.name", "metadata.namespace", "spec.image", "spec.baseImage")
        ),
        **more,
    )


async def listed(store: ResourceStore, opts: ListOptions | None = None) -> list[JSON]:
    items: list[JSON] = (await (await store.list("default", opts or options())).to_json())["items"]
    return items


async def check_both_ways(table: routes.RouteTable) -> None:
    alpha, ga = rest(table, "v1alpha1"), rest(table, "v1")
    await alpha.create("default", image("old", "v1alpha1", "debian"), WriteOptions())
    await ga.create("default", image("new", "v1", "alpine"), WriteOptions())

    # get: each object at the version asked for, wherever it was written
    got = await ga.get("default", "old")
    assert got["apiVersion"] == f"{GROUP}/v1"
    assert got["spec"] == {"baseImage": "debian", "size": 1}
    got = await alpha.get("default", "new")
    assert got["apiVersion"] == f"{GROUP}/v1alpha1"
    assert got["spec"] == {"image": "alpine", "size": 1}

    # list, and field selectors on the served version's fields
    assert [o["spec"] for o in await listed(alpha)] == [
        {"image": "alpine", "size": 1},
        {"image": "debian", "size": 1},
    ]
    assert [o["spec"] for o in await listed(ga)] == [
        {"baseImage": "alpine", "size": 1},
        {"baseImage": "debian", "size": 1},
    ]
    selected = await listed(alpha, options("spec.image=debian"))
    assert [o["metadata"]["name"] for o in selected] == ["old"]
    assert selected[0]["apiVersion"] == f"{GROUP}/v1alpha1"
    selected = await listed(ga, options("spec.baseImage=alpine"))
    assert [o["spec"] for o in selected] == [{"baseImage": "alpine", "size": 1}]

    # update at v1alpha1 of an object written at v1
    current = await alpha.get("default", "new")

    async def bigger(obj: JSON | None) -> JSON:
        assert obj is not None
        obj["spec"]["size"] = 2
        return obj

    del current
    result = await alpha.update("default", "new", bigger, WriteOptions())
    assert result.object["spec"] == {"image": "alpine", "size": 2}
    assert (await ga.get("default", "new"))["spec"] == {"baseImage": "alpine", "size": 2}


async def test_declarative_reads_and_writes_at_both_versions(backends: routes.Backends) -> None:
    table = routes.compile_routes([apidef.parse(definition(DECLARATIVE))], backends)
    await check_both_ways(table)
    # stored at the storage version, apiVersion first
    raw = await backends.storage.get(rest(table, "v1").info.key("default", "old"))
    assert raw["apiVersion"] == f"{GROUP}/v1"
    assert raw["spec"] == {"baseImage": "debian", "size": 1}


async def test_webhook_reads_and_writes_at_both_versions(backends: routes.Backends) -> None:
    async with serve_webhook() as hook:
        conversion = webhook_conversion(hook)
        table = routes.compile_routes([apidef.parse(definition(conversion))], backends)
        await check_both_ways(table)
        assert hook.reviews, "the webhook was called"
        # a list page is one review, whatever the number of objects to convert
        before = len(hook.reviews)
        await listed(rest(table, "v1alpha1"))
        assert len(hook.reviews) == before + 1
        assert len(hook.reviews[-1]["request"]["objects"]) == 2


def webhook_conversion(hook: ConversionWebhook, timeout: int = 5) -> JSON:
    return {
        "strategy": "Webhook",
        "webhook": {
            "clientConfig": {"url": hook.url, "caBundle": hook.ca_pem.decode()},
            "conversionReviewVersions": ["v1"],
            "timeoutSeconds": timeout,
        },
    }


async def test_watch_events_at_the_served_version(store: SqliteStore) -> None:
    table = routes.compile_routes(
        [apidef.parse(definition(DECLARATIVE))], routes.Backends(store, indexes=Indexes(store))
    )
    alpha, ga = rest(table, "v1alpha1"), rest(table, "v1")
    await ga.create("default", image("a", "v1", "alpine"), WriteOptions())
    plain = alpha.watch("default", WatchOptions(options()))
    selecting = alpha.watch("default", WatchOptions(options("spec.image=debian")))
    async with plain, selecting:
        kind, obj = await next_event(plain)
        assert kind == "ADDED"
        assert obj["spec"] == {"image": "alpine", "size": 1}
        await ga.create("default", image("b", "v1", "debian"), WriteOptions())
        kind, obj = await next_event(plain)
        assert (kind, obj["spec"]) == ("ADDED", {"image": "debian", "size": 1})
        assert obj["apiVersion"] == f"{GROUP}/v1alpha1"
        kind, obj = await next_event(selecting)
        assert (kind, obj["metadata"]["name"]) == ("ADDED", "b")
        assert obj["spec"] == {"image": "debian", "size": 1}


async def next_event(watch: Any) -> tuple[str, JSON]:
    event = await watch.next(5)
    assert event is not None
    kind, obj = event
    return kind, orjson.loads(obj) if isinstance(obj, bytes) else obj


async def test_noop_update_rewrites_an_object_stored_at_an_older_version(
    store: SqliteStore,
) -> None:
    old = routes.compile_routes(
        [apidef.parse(definition(DECLARATIVE, storage="v1alpha1"))], routes.Backends(store)
    )
    created = await rest(old, "v1alpha1").create(
        "default", image("a", "v1alpha1", "debian"), WriteOptions()
    )
    key = rest(old, "v1").info.key("default", "a")
    assert (await store.get(key))["apiVersion"] == f"{GROUP}/v1alpha1"

    new = routes.compile_routes([apidef.parse(definition(DECLARATIVE))], routes.Backends(store))
    ga = rest(new, "v1")
    current = await ga.get("default", "a")
    assert current["spec"] == {"baseImage": "debian", "size": 1}

    async def unchanged(obj: JSON | None) -> JSON:
        return current

    result = await ga.update("default", "a", unchanged, WriteOptions())
    assert (
        result.object["metadata"]["resourceVersion"]
        != created.object["metadata"]["resourceVersion"]
    )
    stored = await store.get(key)
    assert stored["apiVersion"] == f"{GROUP}/v1"
    assert stored["spec"] == {"baseImage": "debian", "size": 1}
    # and once at the storage version, the same no-op writes nothing
    again = await ga.update("default", "a", unchanged_from(result.object), WriteOptions())
    assert (
        again.object["metadata"]["resourceVersion"] == result.object["metadata"]["resourceVersion"]
    )


def unchanged_from(obj: JSON) -> Any:
    async def same(_: JSON | None) -> JSON:
        copied: JSON = orjson.loads(orjson.dumps(obj))
        return copied

    return same


# -- the webhook client -------------------------------------------------------------------------


def converter(
    url: str, ca: bytes | None, clients: WebhookClients, timeout: float = 5
) -> WebhookConverter:
    return WebhookConverter(WebhookConversion(url, ca, ("v1",), timeout), clients)


OBJ = {
    "apiVersion": f"{GROUP}/v1alpha1",
    "kind": "Image",
    "metadata": {"name": "a", "namespace": "default", "uid": "u-1", "labels": {"x": "1"}},
    "spec": {"image": "debian"},
}


async def test_webhook_converts_a_batch_over_tls() -> None:
    clients = WebhookClients()
    try:
        async with serve_webhook() as hook:
            objects = [OBJ, {**OBJ, "metadata": {**OBJ["metadata"], "name": "b"}}]  # type: ignore[dict-item]
            out = await converter(hook.url, hook.ca_pem, clients).convert(
                objects, f"{GROUP}/v1", "Image"
            )
            assert [o["spec"] for o in out] == [{"baseImage": "debian"}] * 2
            assert [o["metadata"]["name"] for o in out] == ["a", "b"]
            (review,) = hook.reviews
            assert review["apiVersion"] == "apiextensions.k8s.io/v1"
            assert review["kind"] == "ConversionReview"
            assert review["request"]["desiredAPIVersion"] == f"{GROUP}/v1"
    finally:
        await clients.close()


async def test_webhook_failures_as_kube_apiserver_words_them() -> None:
    clients = WebhookClients()
    try:
        async with serve_webhook() as hook:
            hook.fail = "cannot convert today"
            with pytest.raises(StatusError) as e:
                await converter(hook.url, hook.ca_pem, clients).convert(
                    [OBJ], f"{GROUP}/v1", "Image"
                )
            assert e.value.code == 500
            assert e.value.message == (
                f"conversion webhook for {GROUP}/v1alpha1, Kind=Image failed: cannot convert today"
            )
            hook.fail = None
            # an untrusted server certificate
            other = WebhookClients()
            with pytest.raises(StatusError) as e:
                await converter(hook.url, None, other).convert([OBJ], f"{GROUP}/v1", "Image")
            await other.close()
            assert e.value.message.startswith(
                f'conversion webhook for {GROUP}/v1alpha1, Kind=Image failed: Post "{hook.url}": tls: '
            )
        # nobody listening any more
        port = free_port()
        url = f"https://127.0.0.1:{port}/convert"
        with pytest.raises(StatusError) as e:
            await converter(url, hook.ca_pem, clients).convert([OBJ], f"{GROUP}/v1", "Image")
        assert e.value.code == 500
        assert e.value.message == (
            f'conversion webhook for {GROUP}/v1alpha1, Kind=Image failed: Post "{url}": '
            f"dial tcp 127.0.0.1:{port}: connect: connection refused"
        )
    finally:
        await clients.close()


async def test_webhook_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = WebhookClients()
    url = f"https://127.0.0.1:{port}/convert"
    try:
        with pytest.raises(StatusError) as e:
            await converter(url, None, clients, timeout=0.3).convert([OBJ], f"{GROUP}/v1", "Image")
        assert e.value.message == (
            f'conversion webhook for {GROUP}/v1alpha1, Kind=Image failed: Post "{url}": '
            "context deadline exceeded"
        )
    finally:
        await clients.close()
        server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_webhook_down_is_an_error_status_on_reads_and_writes(store: SqliteStore) -> None:
    clients = WebhookClients()
    try:
        async with serve_webhook() as hook:
            conversion = webhook_conversion(hook, timeout=2)
            table = routes.compile_routes(
                [apidef.parse(definition(conversion))], routes.Backends(store, webhooks=clients)
            )
            alpha = rest(table, "v1alpha1")
            await alpha.create("default", image("a", "v1alpha1", "debian"), WriteOptions())
        # the webhook is gone
        for call in (
            alpha.get("default", "a"),
            alpha.list("default", options()),
            alpha.create("default", image("b", "v1alpha1", "x"), WriteOptions()),
        ):
            with pytest.raises(StatusError) as e:
                await call
            assert e.value.code == 500
            assert "conversion webhook for images.example.com/v1" in e.value.message
            assert "connect: connection refused" in e.value.message
        # reads at the storage version need no webhook
        assert (await rest(table, "v1").get("default", "a"))["spec"]["baseImage"] == "debian"
    finally:
        await clients.close()


# -- deprecation ----------------------------------------------------------------------------------


def test_deprecation_warnings() -> None:
    resource = apidef.parse(definition(DECLARATIVE)).resources[0]
    alpha, ga = resource.versions
    assert deprecation.warning(GROUP, resource, alpha) == (
        "images.example.com/v1alpha1 Image is deprecated; use images.example.com/v1 Image"
    )
    assert deprecation.warning(GROUP, resource, ga) is None
    raw = definition(DECLARATIVE)
    raw["spec"]["resources"][0]["versions"][0]["deprecationWarning"] = "use v1, really"
    resource = apidef.parse(raw).resources[0]
    assert deprecation.warning(GROUP, resource, resource.versions[0]) == "use v1, really"
    raw = definition(DECLARATIVE)
    raw["spec"]["resources"][0]["versions"][1]["deprecated"] = True
    resource = apidef.parse(raw).resources[0]
    assert deprecation.warning(GROUP, resource, resource.versions[0]) == (
        "images.example.com/v1alpha1 Image is deprecated"
    )


async def test_webhook_watch_events_converted_once_for_every_watcher(store: SqliteStore) -> None:
    clients = WebhookClients()
    try:
        async with serve_webhook() as hook:
            table = routes.compile_routes(
                [apidef.parse(definition(webhook_conversion(hook)))],
                routes.Backends(store, webhooks=clients),
            )
            alpha, ga = rest(table, "v1alpha1"), rest(table, "v1")
            now = str(await store.current_revision())
            watches = [
                alpha.watch("default", WatchOptions(options(resource_version=now)))
                for _ in range(5)
            ]
            for watch in watches:
                await watch.__aenter__()
            try:
                await ga.create("default", image("a", "v1", "debian"), WriteOptions())
                reviews = len(hook.reviews)
                events = await asyncio.gather(*(next_event(w) for w in watches))
                assert {(kind, obj["spec"]["image"]) for kind, obj in events} == {
                    ("ADDED", "debian")
                }
                assert len(hook.reviews) == reviews + 1  # one review for the five watchers

                hook.fail = "no more"
                await ga.create("default", image("b", "v1", "x"), WriteOptions())
                kind, status = await next_event(watches[0])
                assert kind == "ERROR"
                assert status["code"] == 500
                assert status["message"] == (
                    f"conversion webhook for {GROUP}/v1, Kind=Image failed: no more"
                )
            finally:
                for watch in watches:
                    await watch.__aexit__(None, None, None)
    finally:
        await clients.close()
