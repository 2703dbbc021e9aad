"""Schema conversion and the typed walks. Expected values follow the Go sources cited per test
(k8s.io/kube-openapi pkg/schemaconv, structured-merge-diff typed/)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annex_gateway.patch.fieldpath import FieldSet, PathElement
from annex_gateway.patch.reconcile import reconcile
from annex_gateway.patch.schema import (
    ASSOCIATIVE,
    ATOMIC,
    DEDUCED,
    NUMERIC,
    OBJECT_META,
    SEPARABLE,
    UNTYPED,
    SchemaError,
    from_openapi,
)
from annex_gateway.patch.typed import (
    ValidationErrors,
    compare,
    ensure_named_fields_are_members,
    remove_items,
    to_field_set,
    validate,
)
from annex_gateway.patch.typedmerge import merge
from annex_gateway.patch.values import MISSING

F = PathElement.field

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "n": {"type": "integer"},
                "s": {"type": "string"},
                "when": {"type": "string", "format": "date-time"},
                "list": {"type": "array", "items": {"type": "string"}},
                "set": {
                    "type": "array",
                    "x-kubernetes-list-type": "set",
                    "items": {"type": "string"},
                },
                "map": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name", "proto"],
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "proto": {"type": "string", "default": "TCP"},
                            "v": {"type": "string"},
                        },
                    },
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "atomic": {
                    "type": "object",
                    "x-kubernetes-map-type": "atomic",
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                },
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "ios": {"x-kubernetes-int-or-string": True},
                "res": {"type": "object", "x-kubernetes-embedded-resource": True, "properties": {}},
            },
        }
    },
}
ROOT = from_openapi(SCHEMA)


def fields(v: Any) -> str:
    return json.dumps(to_field_set(v, ROOT).to_fields(), separators=(",", ":"))


def test_schema_conversion() -> None:
    # schemaconv/openapi.go + smd.go
    assert ROOT.map is not None
    spec = ROOT.map.fields["spec"].map
    assert spec is not None
    assert spec.element is None
    t = spec.fields
    assert t["n"].scalar == NUMERIC
    assert t["when"].scalar == UNTYPED  # strings with a format are untyped
    assert t["list"].list is not None
    assert t["list"].list.relationship == ATOMIC
    assert t["set"].list is not None
    assert t["set"].list.relationship == ASSOCIATIVE
    assert t["map"].list is not None
    assert t["map"].list.keys == ("name", "proto")
    assert t["atomic"].map is not None
    assert t["atomic"].map.relationship == ATOMIC
    assert t["free"].map is not None
    assert t["free"].map.element is DEDUCED
    ios = t["ios"]  # no type: scalar, list and map at once
    assert ios.scalar == UNTYPED
    assert ios.list is not None
    assert ios.map is not None
    res = t["res"].map
    assert res is not None
    assert res.fields["metadata"] is OBJECT_META
    assert ROOT.map.fields["metadata"] is OBJECT_META
    assert DEDUCED.map is not None
    assert DEDUCED.map.relationship == SEPARABLE
    assert from_openapi(None) is DEDUCED
    with pytest.raises(SchemaError, match="unknown list type"):
        from_openapi({"type": "array", "x-kubernetes-list-type": "bag", "items": {}})


def test_to_field_set() -> None:
    # tofieldset.go: declared fields are not members unless null/empty; map keys not in the
    # schema are; list items are members and descend.
    obj = {
        "metadata": {"labels": {"a": "b"}, "ownerReferences": [{"uid": "u", "name": "o"}]},
        "spec": {
            "n": 1,
            "list": ["a"],
            "set": ["b", "a"],
            "map": [{"name": "x", "v": "1"}],
            "labels": {},
            "atomic": {"a": "1"},
            "free": {"x": {"y": 1}},
        },
    }
    assert fields(obj) == (
        '{"f:metadata":{"f:labels":{"f:a":{}},"f:ownerReferences":{"k:{\\"uid\\":\\"u\\"}":{}}},'
        '"f:spec":{"f:atomic":{},"f:free":{"f:x":{".":{},"f:y":{}}},"f:labels":{},"f:list":{},'
        '"f:map":{"k:{\\"name\\":\\"x\\",\\"proto\\":\\"TCP\\"}":{".":{},"f:name":{},"f:v":{}}},'
        '"f:n":{},"f:set":{"v:\\"a\\"":{},"v:\\"b\\"":{}}}}'
    )


def test_validation_messages() -> None:
    # validate.go / helpers.go wording, paths built by WithLazyPrefix.
    cases = [
        ({"spec": {"n": "x"}}, ".spec.n: expected numeric (int or float), got string"),
        ({"spec": {"nope": 1}}, ".spec.nope: field not declared in schema"),
        ({"spec": {"set": ["a", "a"]}}, '.spec.set: duplicate entries for key [="a"]'),
        (
            {"spec": {"map": [{"v": "1"}, {"name": "x"}, {"name": "x", "proto": "TCP"}]}},
            '.spec.map: duplicate entries for key [name="x",proto="TCP"]',
        ),
        (
            {"spec": {"set": [{"a": 1}]}},
            ".spec.set: element 0: associative list without keys has an element that's a map type",
        ),
        (
            {"spec": {"map": ["x"]}},
            ".spec.map: element 0: associative list with keys may not have non-map elements",
        ),
        ({"spec": {"labels": "x"}}, ".spec.labels: expected map, got &{x}"),
        (
            {"spec": {"s": True}},
            ".spec.s: expected string, got &value.valueUnstructured{Value:true}",
        ),
    ]
    for obj, message in cases:
        with pytest.raises(ValidationErrors) as err:
            validate(obj, ROOT, allow_duplicates=False)
        assert err.value.message == message
    validate({"spec": {"set": ["a", "a"]}}, ROOT, allow_duplicates=True)
    with pytest.raises(ValidationErrors) as err:
        validate({"spec": {"n": "x", "s": 1}}, ROOT, allow_duplicates=False)
    assert err.value.message.startswith("errors:\n  .spec.n: expected numeric")


def test_compare() -> None:
    # compare.go: a whole new/removed subtree is recorded at its root; leaves compare values.
    lhs = {"spec": {"n": 1, "s": "a", "labels": {"x": "1"}, "map": [{"name": "a", "v": "1"}]}}
    rhs = {
        "spec": {
            "n": 2,
            "labels": {"x": "1", "y": "2"},
            "map": [{"name": "a", "v": "1"}, {"name": "b"}],
        }
    }
    c = compare(lhs, rhs, ROOT)
    assert c.modified.to_fields() == {"f:spec": {"f:n": {}}}
    assert c.removed.to_fields() == {"f:spec": {"f:s": {}}}
    assert c.added.to_fields() == {
        "f:spec": {
            "f:labels": {"f:y": {}},
            "f:map": {'k:{"name":"b","proto":"TCP"}': {".": {}, "f:name": {}}},
        }
    }


def test_merge_keeps_live_order_and_places_new_items() -> None:
    # merge.go visitListItems: live order kept; applied items follow their applied neighbours.
    def m(live: list[str], applied: list[str]) -> Any:
        out = merge({"spec": {"set": live}}, {"spec": {"set": applied}}, ROOT)
        return out["spec"]["set"]

    assert m(["a", "b", "c"], ["c", "d"]) == ["a", "b", "c", "d"]
    assert m(["a", "b", "c"], ["d", "a"]) == ["d", "a", "b", "c"]
    assert m(["a", "b", "c"], ["c", "a"]) == ["b", "c", "a"]
    assert m([], ["x"]) == ["x"]
    # atomic lists and maps are replaced whole; granular maps merge key by key
    out = merge(
        {"spec": {"list": ["a", "b"], "atomic": {"a": "1"}, "labels": {"x": "1"}}},
        {"spec": {"list": ["c"], "atomic": {"b": "2"}, "labels": {"y": "2"}}},
        ROOT,
    )
    assert out["spec"] == {"list": ["c"], "atomic": {"b": "2"}, "labels": {"x": "1", "y": "2"}}
    # a null in the applied config replaces scalars and atomic values
    assert merge({"spec": {"s": "a"}}, {"spec": {"s": None}}, ROOT) == {"spec": {"s": None}}
    assert merge(MISSING, {"spec": {"n": 1}}, ROOT) == {"spec": {"n": 1}}
    with pytest.raises(ValidationErrors, match="invalid atom"):
        merge({}, {"a": 1}, ROOT)  # undeclared: validation reports it before merging


def test_remove_items_leaves_null_for_emptied_containers() -> None:
    # remove.go: a map or list that loses its last item comes out as nil (null).
    obj = {"spec": {"labels": {"x": "1"}, "n": 1, "free": {"a": {"b": 1}}}}
    drop = FieldSet.of([(F("spec"), F("labels"), F("x")), (F("spec"), F("free"), F("a"), F("b"))])
    assert remove_items(obj, drop, ROOT) == {"spec": {"labels": None, "n": 1, "free": {"a": None}}}
    assert remove_items(obj, FieldSet.of([(F("spec"),)]), ROOT) is None


def test_ensure_named_fields_are_members() -> None:
    # set.go EnsureNamedFieldsAreMembers: declared fields with owned children become members;
    # keys of additionalProperties/deduced maps do not.
    s = FieldSet.of([(F("spec"), F("labels"), F("x")), (F("spec"), F("free"), F("a"), F("b"))])
    out = ensure_named_fields_are_members(s, ROOT)
    assert out.to_fields() == {
        "f:spec": {
            ".": {},
            "f:free": {".": {}, "f:a": {"f:b": {}}},
            "f:labels": {".": {}, "f:x": {}},
        }
    }


def test_reconcile_with_schema_changes() -> None:
    # reconcile_schema.go: parts of what is now atomic become the atomic whole.
    owned = FieldSet.of(
        [
            (F("spec"), F("list"), PathElement.value("a")),
            (F("spec"), F("atomic"), F("a")),
            (F("spec"), F("n")),
            (F("spec"), F("free"), F("x"), F("y")),
        ]
    )
    out = reconcile(owned, ROOT)
    assert out is not None
    assert out.to_fields() == {
        "f:spec": {"f:atomic": {}, "f:free": {"f:x": {"f:y": {}}}, "f:list": {}, "f:n": {}}
    }
    assert reconcile(out, ROOT) is None
