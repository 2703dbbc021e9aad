"""OpenAPI documents of a group-version, checked against what apiextensions-apiserver builds for
a CRD with the same schema (the integration test compares `kubectl explain` end to end)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer

from annex_gateway import routes
from annex_gateway.apis import Apis
from annex_gateway.app import Gateway, build_app
from annex_gateway.endpoints import openapi, openapi_paths
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs
from tests.unit.gateway.test_server import Everyone

G, V = defs.IMAGES_GROUP, "v1alpha1"
MODEL = "com.example.images.v1alpha1.Image"
META = "io.k8s.apimachinery.pkg.apis.meta.v1."


def documents(schema: dict[str, Any] | None = None) -> openapi.Documents:
    definition = defs.images()
    resources = definition.resources_in(V)
    if schema is not None:
        resource, served = resources[0]
        resources = ((resource, dataclasses.replace(served, schema=schema)),)
    return openapi.group_version_documents(G, V, resources)


def v3(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = orjson.loads(documents(schema).v3)
    return result


def test_model_names_reverse_the_group() -> None:
    assert openapi.model_name("images.example.com", "v1", "Image") == "com.example.images.v1.Image"


def test_v3_kind_schema_as_the_crd_builder_writes_it() -> None:
    schemas = v3()["components"]["schemas"]
    image = schemas[MODEL]
    assert image["x-kubernetes-group-version-kind"] == [{"group": G, "kind": "Image", "version": V}]
    assert image["properties"]["metadata"] == {
        "description": openapi.OBJECT_META_DESCRIPTION,
        "allOf": [{"$ref": f"#/components/schemas/{META}ObjectMeta"}],
    }
    assert image["properties"]["apiVersion"]["type"] == "string"
    assert image["properties"]["spec"]["properties"]["baseImage"]["description"]
    listed = schemas["com.example.images.v1alpha1.ImageList"]
    assert listed["properties"]["items"]["items"] == {"$ref": f"#/components/schemas/{MODEL}"}
    assert listed["x-kubernetes-group-version-kind"][0]["kind"] == "ImageList"
    # the Kubernetes types referred to travel with the document (nothing resolves them later)
    assert {f"{META}{k}" for k in ("ObjectMeta", "ListMeta", "ManagedFieldsEntry", "Time")} <= set(
        schemas
    )
    assert "io.k8s.api.autoscaling.v1.Scale" not in schemas  # no scale subresource here


def test_v3_paths_carry_the_kind_and_no_strategic_merge_patch() -> None:
    paths = v3()["paths"]
    item = paths[f"/apis/{G}/{V}/namespaces/{{namespace}}/images/{{name}}"]
    patch = item["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": G, "version": V, "kind": "Image"}
    assert sorted(patch["requestBody"]["content"]) == sorted(openapi_paths.PATCH_TYPES)
    # Operations that take a body take fieldValidation: kubectl leaves unknown fields to us.
    assert "fieldValidation" in [p["name"] for p in patch["parameters"]]
    assert patch["operationId"] == "patchImagesExampleComV1alpha1NamespacedImage"
    assert [p["name"] for p in item["parameters"]] == ["name", "namespace", "pretty"]
    assert f"/apis/{G}/{V}/images" in paths  # the list across namespaces
    assert f"/apis/{G}/{V}/namespaces/{{namespace}}/images/{{name}}/status" in paths


def test_v2_schema_drops_what_kubectl_cannot_handle() -> None:
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "required": ["port", "maybe"],
                "properties": {
                    "port": {"x-kubernetes-int-or-string": True, "default": 80},
                    "maybe": {"type": "string", "nullable": True},
                    "template": {
                        "type": "object",
                        "x-kubernetes-embedded-resource": True,
                        "x-kubernetes-preserve-unknown-fields": True,
                    },
                },
            },
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
    }
    d = documents(schema)
    spec3 = orjson.loads(d.v3)["components"]["schemas"][MODEL]["properties"]["spec"]
    assert spec3["properties"]["port"]["anyOf"] == [{"type": "integer"}, {"type": "string"}]
    template3 = spec3["properties"]["template"]
    assert template3["required"] == ["kind", "apiVersion"]
    assert "metadata" in template3["properties"]
    spec2 = d.v2_definitions[MODEL]["properties"]["spec"]
    assert spec2["required"] == ["port"]
    assert spec2["properties"]["port"] == {"x-kubernetes-int-or-string": True}
    assert spec2["properties"]["maybe"] == {}
    assert spec2["properties"]["template"] == {
        "x-kubernetes-embedded-resource": True,
        "x-kubernetes-preserve-unknown-fields": True,
    }
    assert d.v2_definitions[MODEL]["properties"]["metadata"]["$ref"].startswith("#/definitions/")


def test_a_root_that_preserves_unknown_fields_is_a_bare_object_in_v2() -> None:
    d = documents({"type": "object", "x-kubernetes-preserve-unknown-fields": True})
    assert d.v2_definitions[MODEL] == {
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": G, "kind": "Image", "version": V}],
    }


def test_hash_changes_with_the_schema() -> None:
    first, same = documents(), documents()
    changed = documents({"type": "object", "properties": {"spec": {"type": "object"}}})
    assert first.v3_hash == same.v3_hash != changed.v3_hash
    assert len(first.v3_hash) == 128  # sha512 in upper-case hex, as kube-openapi writes it


def test_v3_root_lists_every_group_version() -> None:
    root = openapi.v3_root({(G, V): "ABC"})
    assert root == {
        "paths": {f"apis/{G}/{V}": {"serverRelativeURL": f"/openapi/v3/apis/{G}/{V}?hash=ABC"}}
    }


@pytest.mark.parametrize(
    ("accept", "asked", "status", "cache"),
    [
        (None, "current", 200, "public, immutable"),
        # kube-apiserver's filter has set `no-cache, private` before it proxies: not twice
        ("application/json", "stale", 200, None),
        ("*/*", None, 200, None),
        (openapi.OPENAPI_V3_PROTOBUF, None, 406, None),
    ],
)
def test_serving_v3(accept: str | None, asked: str | None, status: int, cache: str | None) -> None:
    d = documents()
    served = openapi.serve_v3(d, accept, d.v3_hash if asked == "current" else asked, None)
    assert served.status == status
    assert served.headers.get("Cache-Control") == cache
    assert served.headers["Vary"] == "Accept"
    if status == 200:
        assert served.headers["ETag"] == f'"{d.v3_hash}"'
        assert served.headers["Last-Modified"] == format_datetime(d.built, usegmt=True)
        assert ("Expires" in served.headers) == (asked == "current")
    else:  # handler3 writes the status alone
        assert (served.body, "Content-Type" in served.headers) == (b"", False)


def test_serving_v3_not_modified() -> None:
    """http.ServeContent: If-None-Match decides when it is sent, If-Modified-Since otherwise."""
    d = documents()
    etag = f'"{d.v3_hash}"'
    built = format_datetime(d.built, usegmt=True)
    later = format_datetime(d.built + timedelta(seconds=5), usegmt=True)
    earlier = format_datetime(d.built - timedelta(seconds=5), usegmt=True)
    not_modified = openapi.serve_v3(d, None, None, etag)
    assert not_modified.status == 304
    # writeNotModified keeps the ETag and Vary, drops Content-Type and (beside an ETag)
    # Last-Modified
    assert dict(not_modified.headers) == {"Vary": "Accept", "ETag": etag}
    assert openapi.serve_v3(d, None, None, "*").status == 304
    assert openapi.serve_v3(d, None, None, '"other"', built).status == 200
    assert openapi.serve_v3(d, None, None, None, built).status == 304
    assert openapi.serve_v3(d, None, None, None, later).status == 304
    assert openapi.serve_v3(d, None, None, None, earlier).status == 200
    assert openapi.serve_v3(d, None, None, None, "not a date").status == 200


async def test_served_by_the_gateway() -> None:
    store = SqliteStore(":memory:")
    await store.open()
    try:
        apis = Apis(routes.Backends(store))
        apis.routes = routes.compile_routes([defs.images(), defs.fleet()], apis.backends, 1)
        app = build_app(Gateway(apis, Everyone()))
        async with TestClient(TestServer(app)) as client:
            root = await (await client.get("/openapi/v3")).json()
            assert sorted(root["paths"]) == [
                f"apis/{defs.CLUSTERS_GROUP}/v1",
                f"apis/{defs.CLUSTERS_GROUP}/v1beta1",
                f"apis/{G}/{V}",
            ]
            url = root["paths"][f"apis/{G}/{V}"]["serverRelativeURL"]
            response = await client.get(url)
            assert response.status == 200
            assert response.headers["Cache-Control"] == "public, immutable"
            assert MODEL in (await response.json())["components"]["schemas"]
            assert (await client.get(f"/openapi/v3/apis/{G}/v9")).status == 404
            v2 = await (await client.get("/openapi/v2")).json()
            assert MODEL in v2["definitions"]
            assert "com.example.fleet.v1.Cluster" in v2["definitions"]
            assert f"/apis/{G}/{V}/namespaces/{{namespace}}/images/{{name}}" in v2["paths"]
    finally:
        await store.close()
