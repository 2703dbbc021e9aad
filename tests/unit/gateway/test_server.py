"""The aiohttp application end to end, over plain HTTP with every caller authenticated."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
import pytest_asyncio
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDictProxy

from annex_core import apidef
from annex_gateway import routes
from annex_gateway.apis import Apis
from annex_gateway.app import Gateway, build_app
from annex_gateway.endpoints.discovery import OPENAPI_V2_PROTOBUF, openapi_v2_protobuf
from annex_gateway.filters import authentication as auth
from annex_gateway.filters.context import UserInfo
from annex_gateway.registry import watching
from annex_gateway.storage import SqliteStore
from annex_gateway.storage.index import Indexes
from tests.unit.gateway.endpoints import defs

IMAGES = "/apis/images.example.com/v1alpha1"


class Everyone(auth.Authenticator):
    """No TLS in these tests: every request is an admin's."""

    def __init__(self) -> None:
        super().__init__(auth.Trust())

    def authenticate(
        self, peer_der: bytes | None, headers: CIMultiDictProxy[str]
    ) -> UserInfo | None:
        return UserInfo(name="admin", groups=("system:masters", auth.AUTHENTICATED))


@pytest_asyncio.fixture
async def gateway() -> AsyncIterator[Gateway]:
    store = SqliteStore(":memory:")
    await store.open()
    indexes = Indexes(store)
    apis = Apis(routes.Backends(store, indexes=indexes))
    apis.routes = routes.compile_routes([defs.images(), defs.fleet()], apis.backends, 1)
    yield Gateway(apis, Everyone())
    await indexes.close()
    await store.close()


@pytest_asyncio.fixture
async def client(gateway: Gateway) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async with TestClient(TestServer(build_app(gateway))) as client:
        yield client


def image(name: str) -> bytes:
    return orjson.dumps(
        {
            "apiVersion": "images.example.com/v1alpha1",
            "kind": "Image",
            "metadata": {"name": name},
            "spec": {"baseImage": "debian:12"},
        }
    )


async def test_resource_responses_in_yaml(client: TestClient[web.Request, web.Application]) -> None:
    for name in ("a", "b"):
        created = await client.post(
            f"{IMAGES}/namespaces/default/images",
            data=image(name),
            headers={"Content-Type": "application/json"},
        )
        assert created.status == 201
    as_json = await client.get(f"{IMAGES}/namespaces/default/images")
    as_yaml = await client.get(
        f"{IMAGES}/namespaces/default/images", headers={"Accept": "application/yaml"}
    )
    assert as_yaml.status == 200
    assert as_yaml.content_type == "application/yaml"
    assert yaml.safe_load(await as_yaml.read()) == orjson.loads(await as_json.read())


async def test_errors_in_the_type_the_client_accepts(
    client: TestClient[web.Request, web.Application],
) -> None:
    """responsewriters.ErrorNegotiated: YAML when asked for, JSON when nothing fits."""
    path = f"{IMAGES}/namespaces/default/images/missing"
    response = await client.get(path, headers={"Accept": "application/yaml"})
    assert (response.status, response.content_type) == (404, "application/yaml")
    assert yaml.safe_load(await response.text())["reason"] == "NotFound"
    response = await client.get(path, headers={"Accept": "application/vnd.kubernetes.protobuf"})
    assert (response.status, response.content_type) == (406, "application/json")
    watch = await client.get(
        f"{IMAGES}/images?watch=1", headers={"Accept": "application/yaml"}
    )  # a watch cannot stream YAML: the 406 itself is YAML
    assert (watch.status, watch.content_type) == (406, "application/yaml")


async def test_a_namespaced_resource_without_a_namespace_is_gos_not_found(
    client: TestClient[web.Request, web.Application],
) -> None:
    """crdHandler passes it on to the next handler: http.NotFound, plain text."""
    for method, path in (("GET", "images/a"), ("POST", "images"), ("DELETE", "images")):
        response = await client.request(method, f"{IMAGES}/{path}")
        assert response.status == 404
        assert await response.text() == "404 page not found\n"
    assert (await client.get(f"{IMAGES}/images")).status == 200  # a list across namespaces


async def test_a_deprecated_watch_path_watches_one_object(
    client: TestClient[web.Request, web.Application],
) -> None:
    path = f"{IMAGES}/namespaces/default/images"
    for name in ("a", "b"):
        await client.post(path, data=image(name), headers={"Content-Type": "application/json"})
    response = await client.get(f"{IMAGES}/watch/namespaces/default/images/b?timeoutSeconds=1")
    assert response.status == 200
    lines = [orjson.loads(line) for line in (await response.read()).splitlines()]
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in lines] == [("ADDED", "b")]
    mismatch = await client.get(
        f"{IMAGES}/watch/namespaces/default/images/b?fieldSelector=metadata.name=a"
    )
    assert mismatch.status == 400
    assert (await mismatch.json())["message"] == (
        "fieldSelector metadata.name doesn't match requested name"
    )


@pytest.mark.parametrize("accept", ["application/json", "*/*", ""])
async def test_resource_responses_in_json(
    client: TestClient[web.Request, web.Application], accept: str
) -> None:
    response = await client.get(f"{IMAGES}/namespaces/default/images", headers={"Accept": accept})
    assert response.status == 200
    assert response.content_type == "application/json"
    assert orjson.loads(await response.read())["kind"] == "ImageList"


async def test_strategic_merge_patch_is_415_listing_what_is_accepted(
    client: TestClient[web.Request, web.Application],
) -> None:
    """As for a CRD: the garbage collector falls back to a merge patch on exactly this."""
    path = f"{IMAGES}/namespaces/default/images/a"
    refused = await client.patch(
        path, data=b"{}", headers={"Content-Type": "application/strategic-merge-patch+json"}
    )
    assert refused.status == 415
    assert (await refused.json())["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )


async def test_a_body_without_content_type_is_json_on_subresources(
    client: TestClient[web.Request, web.Application],
) -> None:
    """The HPA's scale client and other client-go writers send no Content-Type."""
    path = f"{IMAGES}/namespaces/default/images"
    created = await client.post(path, data=image("a"), headers={"Content-Type": "application/json"})
    obj = await created.json()
    obj["status"] = {"phase": "Ready"}
    response = await client.put(
        f"{path}/a/status", data=orjson.dumps(obj), skip_auto_headers=["Content-Type"]
    )
    assert response.status == 200
    assert (await response.json())["status"] == {"phase": "Ready"}
    unknown = await client.get(f"{path}/a/scale")
    assert unknown.status == 404  # no scale subresource declared


async def test_a_watch_streams_one_event_per_line_until_its_timeout(
    client: TestClient[web.Request, web.Application],
) -> None:
    path = f"{IMAGES}/namespaces/default/images"
    await client.post(path, data=image("a"), headers={"Content-Type": "application/json"})
    response = await client.get(f"{path}?watch=true&timeoutSeconds=1")
    assert response.status == 200
    assert response.content_type == "application/json"
    first = orjson.loads(await response.content.readline())
    assert (first["type"], first["object"]["metadata"]["name"]) == ("ADDED", "a")
    await client.post(path, data=image("b"), headers={"Content-Type": "application/json"})
    second = orjson.loads(await response.content.readline())
    assert (second["type"], second["object"]["metadata"]["name"]) == ("ADDED", "b")
    assert await response.content.read() == b""  # ended by the server at timeoutSeconds


def gzip_members(data: bytes) -> list[bytes]:
    """Each gzip member of `data`, decompressed on its own (a member ends where its own
    trailer does), each laid out as Go's gzip Writer's Flush then Close lay it out: its data
    ends in a sync flush (00 00 ff ff), then comes an empty final block (03 00) and the
    8-byte trailer, so Go's reader hands the data out before the next member comes."""
    members = []
    while data:
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        members.append(member.decompress(data))
        assert member.eof, "a member cut short"
        raw = data[: len(data) - len(member.unused_data)]
        assert raw[-14:-8] == b"\x00\x00\xff\xff\x03\x00", raw[-14:].hex()
        data = member.unused_data
    return members


async def test_a_watch_list_is_gzipped_for_a_client_that_takes_gzip(
    client: TestClient[web.Request, web.Application],
) -> None:
    """WatchListCompression (kube-apiserver 1.37): sendInitialEvents with bookmarks, and
    `gzip` among the accepted encodings; one gzip member per flush."""
    path = f"{IMAGES}/namespaces/default/images"
    for name in ("a", "b"):
        await client.post(path, data=image(name), headers={"Content-Type": "application/json"})
    watch_list = (
        f"{path}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        "&allowWatchBookmarks=true&timeoutSeconds=1"
    )
    response = await client.get(
        watch_list, headers={"Accept-Encoding": "deflate, gzip"}, auto_decompress=False
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    await client.post(path, data=image("c"), headers={"Content-Type": "application/json"})
    members = gzip_members(await response.read())
    events = [orjson.loads(line) for line in b"".join(members).splitlines()]
    assert [(e["type"], e["object"]["metadata"].get("name")) for e in events[:4]] == [
        ("ADDED", "a"),
        ("ADDED", "b"),
        ("BOOKMARK", None),
        ("ADDED", "c"),
    ]
    assert members[0].count(b"\n") == 3  # the initial events and their bookmark, together
    assert members[1].startswith(b'{"type":"ADDED"')  # a later event: a member of its own

    not_watch_lists = (
        (watch_list.replace("&allowWatchBookmarks=true", ""), "gzip"),  # no bookmarks
        (watch_list.replace("sendInitialEvents=true", "sendInitialEvents=false"), "gzip"),
        (watch_list, "gzip;q=1"),  # not the token `gzip`, as ContentEncodingSupported reads it
    )
    for url, encoding in not_watch_lists:
        plain = await client.get(url, headers={"Accept-Encoding": encoding}, auto_decompress=False)
        assert "Content-Encoding" not in plain.headers, (url, encoding)
        assert not (await plain.read()).startswith(b"\x1f\x8b")  # gzip's magic


async def test_a_plain_watch_is_written_from_the_fan_out_while_events_keep_coming(
    client: TestClient[web.Request, web.Application], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once its initial events are sent, a watch of stored bytes is handed each event by the
    fan-out, even if the next event comes before any idle moment."""
    attached: list[bool] = []
    attach = watching.ResourceWatch.attach

    def recorded(self: watching.ResourceWatch, write: Any) -> bool:
        attached.append(attach(self, write))
        return attached[-1]

    monkeypatch.setattr(watching.ResourceWatch, "attach", recorded)
    path = f"{IMAGES}/namespaces/default/images"
    await client.post(path, data=image("a"), headers={"Content-Type": "application/json"})
    response = await client.get(f"{path}?watch=true&timeoutSeconds=1")
    names = []
    for name in ("b", "c", "d"):  # well within a watch's idle tick (1 s) of one another
        await client.post(path, data=image(name), headers={"Content-Type": "application/json"})
        names.append(orjson.loads(await response.content.readline())["object"]["metadata"])
    assert [m["name"] for m in names] == ["a", "b", "c"]
    assert True in attached
    await response.read()


async def test_a_watch_that_cannot_start_is_a_status(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get(f"{IMAGES}/images?watch=true&sendInitialEvents=true")
    assert response.status == 422
    assert (await response.json())["reason"] == "Invalid"


async def test_a_watch_that_fails_once_started_ends_with_an_error_event(
    client: TestClient[web.Request, web.Application],
) -> None:
    """Past parsing, the cacher's errors are ERROR events in a 200 stream."""
    response = await client.get(
        f"{IMAGES}/images?watch=true&resourceVersion=999"
        "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
    )
    assert response.status == 200
    event = orjson.loads(await response.content.readline())
    assert (event["type"], event["object"]["code"]) == ("ERROR", 504)
    assert await response.content.read() == b""


async def test_large_responses_are_gzipped_when_the_client_accepts_it(
    client: TestClient[web.Request, web.Application],
) -> None:
    path = f"{IMAGES}/namespaces/default/images"
    for i in range(400):  # ~400 B each with managedFields-free bodies: well over 128 KiB
        body = orjson.loads(image(f"image-{i:03}"))
        body["metadata"]["annotations"] = {"note": "x" * 300}
        await client.post(
            path, data=orjson.dumps(body), headers={"Content-Type": "application/json"}
        )
    zipped = await client.get(path, headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert len(orjson.loads(gzip.decompress(await zipped.read()))["items"]) == 400
    plain = await client.get(path, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert orjson.loads(await plain.read()) == orjson.loads(gzip.decompress(await zipped.read()))
    paged = await client.get(path, params={"limit": "5"}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in paged.headers  # small: one response, as it is
    small = await client.get(f"{path}/image-000", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers


async def test_a_selected_list_keeps_its_bodies_in_the_cache_and_a_scan_does_not(
    gateway: Gateway, client: TestClient[web.Request, web.Application]
) -> None:
    path = f"{IMAGES}/namespaces/default/images"
    for i in range(6):
        body = orjson.loads(image(f"image-{i}"))
        body["metadata"]["labels"] = {"tier": "gold" if i % 3 == 0 else "plain"}
        await client.post(
            path, data=orjson.dumps(body), headers={"Content-Type": "application/json"}
        )
    assert gateway.apis.backends.indexes is not None
    bodies = gateway.apis.backends.indexes.bodies
    assert bodies.size == 0  # written before any read started the index
    everything = await client.get(path)
    assert len((await everything.json())["items"]) == 6
    assert bodies.size == 0
    gold = await client.get(path, params={"labelSelector": "tier=gold"})
    assert [i["metadata"]["name"] for i in (await gold.json())["items"]] == ["image-0", "image-3"]
    assert 0 < bodies.size < 2 * 1024  # those two bodies, for the next list by this selector


# -- discovery --------------------------------------------------------------------------------

AGGREGATED = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
)
DISCOVERY_PATHS = ["/api", "/apis", "/apis/images.example.com", IMAGES]


@pytest.mark.parametrize("path", DISCOVERY_PATHS)
async def test_discovery_in_yaml_or_json(
    client: TestClient[web.Request, web.Application], path: str
) -> None:
    as_json = await client.get(path)
    assert as_json.status == 200
    assert as_json.content_type == "application/json"
    document = orjson.loads(await as_json.read())

    for accept in ("application/yaml", "application/vnd.kubernetes.protobuf, application/yaml"):
        as_yaml = await client.get(path, headers={"Accept": accept})
        assert as_yaml.status == 200
        assert as_yaml.content_type == "application/yaml"
        assert yaml.safe_load(await as_yaml.read()) == document

    for accept in ("application/json", "*/*", f"{AGGREGATED},application/json"):
        if path == "/apis" and accept.startswith(AGGREGATED):
            continue  # aggregated discovery, below
        again = await client.get(path, headers={"Accept": accept})
        assert again.content_type == "application/json"
        assert await again.read() == await as_json.read()


@pytest.mark.parametrize("path", DISCOVERY_PATHS)
@pytest.mark.parametrize("accept", ["application/vnd.kubernetes.protobuf", "text/html"])
async def test_discovery_nothing_fits_is_406(
    client: TestClient[web.Request, web.Application], path: str, accept: str
) -> None:
    response = await client.get(path, headers={"Accept": accept})
    assert response.status == 406
    assert (await response.json())["reason"] == "NotAcceptable"


@pytest.mark.parametrize("accept", [AGGREGATED, f"{AGGREGATED},application/json"])
async def test_apis_serves_aggregated_discovery_when_asked_first(
    gateway: Gateway, client: TestClient[web.Request, web.Application], accept: str
) -> None:
    document = gateway.apis.routes.aggregated_discovery
    response = await client.get("/apis", headers={"Accept": accept})
    assert response.status == 200
    assert response.headers["Content-Type"] == (
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    )
    assert (response.headers["ETag"], response.headers["Vary"]) == (document.etag, "Accept")
    assert await response.read() == document.bodies["v2"]
    names = [i["metadata"]["name"] for i in orjson.loads(document.bodies["v2"])["items"]]
    assert names == ["fleet.example.com", "images.example.com"]


async def test_apis_serves_v2beta1_to_older_aggregators(
    client: TestClient[web.Request, web.Application],
) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
    response = await client.get("/apis", headers={"Accept": accept})
    assert response.status == 200
    assert response.headers["Content-Type"] == accept
    assert (await response.json())["apiVersion"] == "apidiscovery.k8s.io/v2beta1"


async def test_apis_is_304_when_the_aggregator_holds_the_etag(
    gateway: Gateway, client: TestClient[web.Request, web.Application]
) -> None:
    etag = gateway.apis.routes.aggregated_discovery.etag
    headers = {"Accept": AGGREGATED, "If-None-Match": etag}
    response = await client.get("/apis", headers=headers)
    assert response.status == 304
    assert response.headers["ETag"] == etag
    assert await response.read() == b""
    stale = await client.get("/apis", headers=headers | {"If-None-Match": '"other"'})
    assert stale.status == 200


async def test_apis_etag_follows_a_route_table_swap(
    gateway: Gateway, client: TestClient[web.Request, web.Application]
) -> None:
    before = (await client.get("/apis", headers={"Accept": AGGREGATED})).headers["ETag"]
    gateway.apis.routes = routes.compile_routes([defs.images()], gateway.apis.backends, 2)
    response = await client.get("/apis", headers={"Accept": AGGREGATED, "If-None-Match": before})
    assert response.status == 200
    assert response.headers["ETag"] != before
    assert [i["metadata"]["name"] for i in (await response.json())["items"]] == [
        "images.example.com"
    ]


async def test_apis_asked_only_for_an_unknown_discovery_version_is_406(
    client: TestClient[web.Request, web.Application],
) -> None:
    """So the aggregator falls back to /apis/<g>/<v> (never 404 or 503)."""
    accept = "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList"
    response = await client.get("/apis", headers={"Accept": accept})
    assert response.status == 406
    status = await response.json()
    assert (status["code"], status["reason"]) == (406, "NotAcceptable")


async def test_group_version_discovery_is_the_precomputed_document(
    gateway: Gateway, client: TestClient[web.Request, web.Application]
) -> None:
    response = await client.get(IMAGES, headers={"Accept": "application/json"})
    gv = gateway.apis.routes.group_version("images.example.com", "v1alpha1")
    assert gv is not None
    assert await response.read() == gv.discovery


@pytest.mark.parametrize("path", ["/apis/nothing.example.com", "/apis/images.example.com/v9"])
async def test_unknown_discovery_paths_are_404(
    client: TestClient[web.Request, web.Application], path: str
) -> None:
    response = await client.get(path, headers={"Accept": "application/yaml"})
    assert response.status == 404


async def test_openapi_v2_in_protobuf_when_asked_first(
    client: TestClient[web.Request, web.Application],
) -> None:
    protobuf = await client.get(
        "/openapi/v2", headers={"Accept": f"{OPENAPI_V2_PROTOBUF}, application/json"}
    )
    assert protobuf.content_type == "application/octet-stream"
    assert await protobuf.read() == openapi_v2_protobuf()
    as_json = await client.get("/openapi/v2", headers={"Accept": "application/json"})
    assert (await as_json.json())["swagger"] == "2.0"


TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
PARTIAL_LIST = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"


@pytest.mark.parametrize("count", [3, 400])  # one response, or streamed page by page
async def test_tables_and_metadata_lists_are_streamed_like_lists(
    client: TestClient[web.Request, web.Application], count: int
) -> None:
    path = f"{IMAGES}/namespaces/default/images"
    for i in range(count):
        body = orjson.loads(image(f"image-{i:03}"))
        body["metadata"]["annotations"] = {"note": "x" * 300}
        await client.post(
            path, data=orjson.dumps(body), headers={"Content-Type": "application/json"}
        )
    plain = orjson.loads(await (await client.get(path)).read())
    names = [item["metadata"]["name"] for item in plain["items"]]

    table = await client.get(path, headers={"Accept": TABLE, "Accept-Encoding": "gzip"})
    assert table.status == 200
    document = orjson.loads(await table.read())
    assert (document["kind"], document["apiVersion"]) == ("Table", "meta.k8s.io/v1")
    assert document["metadata"] == {"resourceVersion": plain["metadata"]["resourceVersion"]}
    assert document["columnDefinitions"][0]["name"] == "Name"
    assert [row["cells"][0] for row in document["rows"]] == names
    assert {row["object"]["kind"] for row in document["rows"]} == {"PartialObjectMetadata"}

    partial = await client.get(path, headers={"Accept": PARTIAL_LIST})
    document = orjson.loads(await partial.read())
    assert document["kind"] == "PartialObjectMetadataList"
    assert [item["metadata"]["name"] for item in document["items"]] == names
    assert "spec" not in document["items"][0]

    wrong = await client.get(
        path, headers={"Accept": "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"}
    )
    assert wrong.status == 406  # a list is not one object's metadata, still a Status
    assert (await wrong.json())["kind"] == "Status"


async def test_the_impact_webhook_answers_kube_apiserver_without_credentials(
    gateway: Gateway,
) -> None:
    # kube-apiserver presents no client certificate to webhooks; everything else stays closed.
    closed = Gateway(gateway.apis, auth.Authenticator(auth.Trust()))
    async with TestClient(TestServer(build_app(closed))) as client:
        assert (await client.get("/apis")).status == 401
        review = {
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": {"uid": "r1", "operation": "UPDATE", "object": {"kind": "ApiDefinition"}},
        }
        response = await client.post(apidef.IMPACT_WEBHOOK_PATH, data=orjson.dumps(review))
        assert response.status == 200
        assert orjson.loads(await response.read()) == {
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "response": {"uid": "r1", "allowed": True},
        }
        for body in (b"{", b"[]", orjson.dumps({**review, "request": {"operation": "UPDATE"}})):
            refused = await client.post(apidef.IMPACT_WEBHOOK_PATH, data=body)
            assert refused.status == 400
            assert orjson.loads(await refused.read())["reason"] == "BadRequest"
