"""selectableFields: path checks worded as apiextensions-apiserver, values as its strategy
reads them (fmt.Sprint; "" when absent)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core import apidef, selectable

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "color": {"type": "string", "enum": ["red", "blue"]},
                "size": {"type": "integer"},
                "on": {"type": "boolean"},
                "ratio": {"type": "number"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "env": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}
NOT_SCALAR = (
    "must point to a field of type string, boolean or integer. Enum string fields and strings "
    "with formats are allowed."
)


@pytest.mark.parametrize(
    ("path", "problems"),
    [
        (".spec.color", []),
        (".spec.size", []),
        (".spec.on", []),
        (".spec.env.LANG", []),
        (".spec.ratio", [NOT_SCALAR]),
        (".spec.tags", [NOT_SCALAR]),
        (".spec", [NOT_SCALAR]),
        (".spec.nope", ["is an invalid path: does not refer to a valid field"]),
        (".spec.tags[0]", ["is an invalid path: array notation is not allowed"]),
        ("spec.color", ["is an invalid path: expected [ or . but got: spec"]),
        (".spec.", ["is an invalid path: unexpected end of JSON path"]),
    ],
)
def test_check(path: str, problems: list[str]) -> None:
    compiled, found = selectable.check(path, SCHEMA)
    assert found == problems
    assert (compiled is None) == bool(problems)


def test_values_print_as_go_does() -> None:
    fields = [selectable.check(p, SCHEMA)[0] for p in (".spec.color", ".spec.size", ".spec.on")]
    obj = {"spec": {"color": "red", "size": 3, "on": False}}
    assert all(f is not None for f in fields)
    assert [(f.label, f.value(obj)) for f in fields if f is not None] == [
        ("spec.color", "red"),
        ("spec.size", "3"),
        ("spec.on", "false"),
    ]
    assert [f.value({"spec": {}}) for f in fields if f is not None] == ["", "", ""]


def definition(*paths: str, schema: Any = SCHEMA) -> dict[str, Any]:
    version: dict[str, Any] = {
        "name": "v1",
        "served": True,
        "storage": True,
        "selectableFields": [{"jsonPath": p} for p in paths],
    }
    if schema is not None:
        version["schema"] = {"openAPIV3Schema": schema}
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": "things.example.com"},
        "spec": {
            "group": "things.example.com",
            "resources": [{"names": {"plural": "things", "kind": "Thing"}, "versions": [version]}],
        },
    }


def test_more_than_eight_fields_are_fine_here() -> None:
    """A CRD stops at 8; an ApiDefinition does not."""
    many = SCHEMA | {
        "properties": {
            "spec": {
                "type": "object",
                "properties": {f"f{i}": {"type": "string"} for i in range(12)},
            }
        }
    }
    parsed = apidef.parse(definition(*(f".spec.f{i}" for i in range(12)), schema=many))
    assert len(parsed.resources[0].versions[0].selectable_fields) == 12


def test_bad_fields_are_refused_with_their_paths() -> None:
    with pytest.raises(apidef.DefinitionError) as caught:
        apidef.parse(definition(".spec.color", ".spec.ratio", ".spec.color"))
    fields = [(e.field, e.reason) for e in caught.value.errors]
    base = "spec.resources[0].versions[0].selectableFields"
    assert fields == [
        (f"{base}[1].jsonPath", "FieldValueInvalid"),
        (f"{base}[2].jsonPath", "FieldValueDuplicate"),
    ]
