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
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    store = SqliteStore(":memory:")
    await store.open()
    registry = Registry()
    registry.routes = routes.compile_routes([defs.images(), defs.fleet()], generation=1)
    gateway = Gateway(registry, store, Everyone())
    async with TestClient(TestServer(build_app(gateway))) as client:
        yield client
    await store.close()


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
