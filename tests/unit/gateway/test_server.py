"""The aiohttp application end to end, over plain HTTP with every caller authenticated."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest
import pytest_asyncio
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDictProxy

from annex_gateway import auth
from annex_gateway.endpoints import routes
from annex_gateway.endpoints.objects import VerbRequest, VerbResult
from annex_gateway.registry import Registry
from annex_gateway.server import Gateway, build_app
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs

IMAGES = "/apis/images.example.com/v1alpha1"


class Everyone(auth.Authenticator):
    """No TLS in these tests: every request is an admin's."""

    def __init__(self) -> None:
        super().__init__(auth.Trust())

    def authenticate(
        self, peer_der: bytes | None, headers: CIMultiDictProxy[str]
    ) -> auth.UserInfo | None:
        return auth.UserInfo(name="admin", groups=("system:masters", auth.AUTHENTICATED))


@pytest_asyncio.fixture
async def gateway() -> AsyncIterator[Gateway]:
    store = SqliteStore(":memory:")
    await store.open()
    registry = Registry()
    registry.routes = routes.compile_routes([defs.images(), defs.fleet()], generation=1)
    yield Gateway(registry, store, Everyone())
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
            "spec": {"base": "debian:12"},
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


@pytest.mark.parametrize("accept", ["application/json", "*/*", ""])
async def test_resource_responses_in_json(
    client: TestClient[web.Request, web.Application], accept: str
) -> None:
    response = await client.get(f"{IMAGES}/namespaces/default/images", headers={"Accept": accept})
    assert response.status == 200
    assert response.content_type == "application/json"
    assert orjson.loads(await response.read())["kind"] == "ImageList"


async def test_verbs_are_dispatched_through_the_handlers_table(
    gateway: Gateway, client: TestClient[web.Request, web.Application]
) -> None:
    seen: list[tuple[str, str]] = []

    async def patch(req: VerbRequest) -> VerbResult:
        seen.append((req.namespace, req.name))
        return VerbResult(200, {"kind": "Status", "status": "Success"})

    path = f"{IMAGES}/namespaces/default/images/a"
    refused = await client.patch(path, data=b"{}")
    assert refused.status == 405  # not in the table
    assert (await refused.json())["message"] == (
        'patch is not supported on resources of kind "images.images.example.com"'
    )

    gateway.objects.handlers = {**gateway.objects.handlers, "patch": patch}
    served = await client.patch(path, data=b"{}")
    assert served.status == 200
    assert seen == [("default", "a")]
