"""The schema machinery in the request path, straight through the handlers over SQLite: what
the issue found missing (the example Image stored without baseImage, with a string for a
list, with unknown fields, with a `:latest` base image), defaults on create, update and
read, field validation of unknown and duplicate fields, and status writes validating only
.status. The wording is the CRD's; the differential suite compares it with kube-apiserver."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from annex_core import apidef
from annex_gateway import routes
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.patch.apply import FieldManager
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs
from tests.unit.gateway.endpoints.test_writes import MERGE, call, fails

JSON = dict[str, Any]
GROUP = "tools.example.com"
TOOL_SCHEMA: JSON = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "size": {"type": "integer", "minimum": 1, "default": 3},
                "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
                "tags": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "k": {"type": "string"},
                            "v": {"type": "string", "default": "-"},
                        },
                    },
                },
            },
        },
        "status": {
            "type": "object",
            "properties": {"ready": {"type": "integer", "maximum": 10}},
        },
    },
}


@pytest.fixture
def images(store: SqliteStore) -> ServedResource:
    table = routes.compile_routes([defs.images()], routes.Backends(store, None, FieldManager))
    served = table.lookup(defs.IMAGES_GROUP, "v1alpha1", "images")
    assert served is not None
    return served


def tools_raw() -> JSON:
    """The Tool definition as written."""
    version = {
        "name": "v1",
        "served": True,
        "storage": True,
        "schema": {"openAPIV3Schema": copy.deepcopy(TOOL_SCHEMA)},
        "subresources": {"status": {}},
    }
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": GROUP, "uid": "u1", "generation": 1},
        "spec": {
            "group": GROUP,
            "resources": [{"names": {"plural": "tools", "kind": "Tool"}, "versions": [version]}],
        },
    }


def tools_definition() -> apidef.ApiDefinition:
    return apidef.parse(tools_raw())


@pytest.fixture
def tools(store: SqliteStore) -> ServedResource:
    table = routes.compile_routes([tools_definition()], routes.Backends(store, None, FieldManager))
    served = table.lookup(GROUP, "v1", "tools")
    assert served is not None
    return served


def image(name: str, **spec: Any) -> JSON:
    return {
        "apiVersion": f"{defs.IMAGES_GROUP}/v1alpha1",
        "kind": "Image",
        "metadata": {"name": name},
        "spec": spec,
    }


def tool(name: str, **spec: Any) -> JSON:
    return {"apiVersion": f"{GROUP}/v1", "kind": "Tool", "metadata": {"name": name}, "spec": spec}


def causes(error: Any) -> list[tuple[str, str, str]]:
    return [(c["reason"], c["field"], c["message"]) for c in error.details["causes"]]


async def test_a_missing_required_field_is_422(images: ServedResource) -> None:
    error = await fails("create", images, body=image("a", packages=["git"]))
    assert error.code == 422
    assert causes(error) == [
        ("FieldValueRequired", "spec.baseImage", "Required value"),
        (
            "FieldValueInvalid",
            "<nil>",
            "Invalid value: null: some validation rules were not checked because the object "
            "was invalid; correct the existing errors to complete validation",
        ),
    ]


async def test_a_string_where_a_list_is_declared_is_422(images: ServedResource) -> None:
    error = await fails("create", images, body=image("a", baseImage="debian:12", packages="x"))
    assert error.code == 422
    assert causes(error)[0] == (
        "FieldValueTypeInvalid",
        "spec.packages",
        'Invalid value: "string": spec.packages in body must be of type array: "string"',
    )
    assert error.message.startswith('Image.images.example.com "a" is invalid: [spec.packages:')


async def test_a_cel_rule_refuses_latest(images: ServedResource) -> None:
    error = await fails("create", images, body=image("a", baseImage="debian:latest"))
    assert error.code == 422
    assert causes(error) == [
        (
            "FieldValueInvalid",
            "spec",
            "Invalid value: baseImage must be pinned to a tag other than latest",
        )
    ]


async def test_unknown_fields_are_pruned_with_a_warning_or_refused_when_strict(
    images: ServedResource,
) -> None:
    body = image("a", baseImage="debian:12", bogus=True)
    created = await call("create", images, body=body)
    assert created.status == 201
    assert created.body["spec"] == {"baseImage": "debian:12"}
    assert created.warnings == ('unknown field "spec.bogus"',)
    error = await fails(
        "create", images, body=image("b", baseImage="d:1", bogus=1), fieldValidation="Strict"
    )
    assert error.code == 400
    assert error.message == (
        'Image in version "v1alpha1" cannot be handled as a Image: strict decoding error: '
        'unknown field "spec.bogus"'
    )
    ignored = await call(
        "create", images, body=image("c", baseImage="d:1", x=1), fieldValidation="Ignore"
    )
    assert ignored.warnings == ()
    assert ignored.body["spec"] == {"baseImage": "d:1"}


async def test_duplicate_fields_are_refused_when_strict(images: ServedResource) -> None:
    body = (
        b'{"apiVersion":"images.example.com/v1alpha1","kind":"Image","metadata":{"name":"a"},'
        b'"spec":{"baseImage":"a:1","baseImage":"b:2","bogus":1}}'
    )
    error = await fails("create", images, body=body, fieldValidation="Strict")
    assert error.message.endswith(
        'strict decoding error: duplicate field "spec.baseImage", unknown field "spec.bogus"'
    )
    created = await call("create", images, body=body)
    assert created.body["spec"] == {"baseImage": "b:2"}
    assert created.warnings == ('duplicate field "spec.baseImage"', 'unknown field "spec.bogus"')


async def test_defaults_apply_on_create_update_patch_and_read(tools: ServedResource) -> None:
    created = await call("create", tools, body=tool("t", tags=[{"k": "a"}]))
    assert created.body["spec"] == {"size": 3, "mode": "fast", "tags": [{"k": "a", "v": "-"}]}
    replaced = dict(created.body, spec={"size": 5})
    updated = await call("update", tools, name="t", body=replaced)
    assert updated.body["spec"] == {"size": 5, "mode": "fast"}
    patched = await call(
        "patch", tools, name="t", body={"spec": {"mode": None}}, content_type=MERGE
    )
    assert patched.body["spec"] == {"size": 5, "mode": "fast"}


async def test_an_invalid_update_is_422_and_stores_nothing(tools: ServedResource) -> None:
    created = await call("create", tools, body=tool("t"))
    error = await fails(
        "patch", tools, name="t", body={"spec": {"size": 0, "mode": "odd"}}, content_type=MERGE
    )
    assert error.code == 422
    assert causes(error) == [
        (
            "FieldValueNotSupported",
            "spec.mode",
            'Unsupported value: "odd": supported values: "fast", "slow"',
        ),
        (
            "FieldValueInvalid",
            "spec.size",
            "Invalid value: 0: spec.size in body should be greater than or equal to 1",
        ),
    ]
    got = await call("get", tools, name="t")
    assert got.body["metadata"]["resourceVersion"] == created.body["metadata"]["resourceVersion"]


async def test_status_writes_validate_status_alone(tools: ServedResource) -> None:
    created = await call("create", tools, body=tool("t"))
    status = dict(created.body, status={"ready": 11})
    error = await fails("update", tools, name="t", sub="status", body=status)
    assert error.code == 422
    assert causes(error) == [
        (
            "FieldValueInvalid",
            "status.ready",
            "Invalid value: 11: ready in body should be less than or equal to 10",
        ),
    ]
    status["status"] = {"ready": 2}
    written = await call("update", tools, name="t", sub="status", body=status)
    assert written.body["status"] == {"ready": 2}
