"""Pruning and defaulting as apiextensions-apiserver's algorithms do them."""

from __future__ import annotations

import json
from typing import Any

from annex_core.schema.defaulting import default, defaulted_schema, has_defaults
from annex_core.schema.pruning import prune, prune_nulls

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "items": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"a": {"type": "string"}}},
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "free": {
                    "type": "object",
                    "x-kubernetes-preserve-unknown-fields": True,
                    "properties": {"typed": {"type": "object", "properties": {}}},
                },
                "pod": {
                    "type": "object",
                    "x-kubernetes-embedded-resource": True,
                    "properties": {"spec": {"type": "object"}},
                },
            },
        }
    },
}


def test_unknown_fields_are_dropped_and_reported_sorted() -> None:
    obj = {
        "apiVersion": "x/v1",
        "kind": "X",
        "metadata": {"name": "a"},
        "zzz": 1,
        "spec": {
            "name": "n",
            "bogus": True,
            "items": [{"a": "1", "b": 2}, {"c": 3}],
            "labels": {"k": "v"},
        },
    }
    assert prune(obj, SCHEMA) == ["spec.bogus", "spec.items[0].b", "spec.items[1].c", "zzz"]
    assert obj == {
        "apiVersion": "x/v1",
        "kind": "X",
        "metadata": {"name": "a"},
        "spec": {"name": "n", "items": [{"a": "1"}, {}], "labels": {"k": "v"}},
    }


def test_preserve_unknown_fields_keeps_unknown_but_prunes_declared_subtrees() -> None:
    obj = {"spec": {"free": {"anything": {"x": 1}, "typed": {"gone": 1}}}}
    assert prune(obj, SCHEMA) == ["spec.free.typed.gone"]
    assert obj == {"spec": {"free": {"anything": {"x": 1}, "typed": {}}}}


def test_embedded_resources_keep_their_type_and_metadata() -> None:
    obj = {"spec": {"pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {}, "other": 1}}}
    assert prune(obj, SCHEMA) == ["spec.pod.other"]
    assert obj["spec"]["pod"] == {"apiVersion": "v1", "kind": "Pod", "metadata": {}}


def test_non_nullable_nulls_without_defaults_are_pruned() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "b": {"type": "string", "nullable": True},
            "c": {"type": "string", "default": "x"},
        },
    }
    obj: dict[str, Any] = {"a": None, "b": None, "c": None, "d": None}
    prune_nulls(obj, schema)
    assert obj == {"b": None, "c": None, "d": None}
    default(obj, schema)
    assert obj == {"b": None, "c": "x", "d": None}


def test_defaults_fill_absent_fields_recursively_and_in_items() -> None:
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "default": {},
                "properties": {
                    "replicas": {"type": "integer", "default": 1},
                    "ports": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"protocol": {"type": "string", "default": "TCP"}},
                        },
                    },
                },
            }
        },
    }
    obj: dict[str, Any] = {}
    default(obj, schema)
    assert obj == {"spec": {"replicas": 1}}
    obj = {"spec": {"replicas": 3, "ports": [{}, {"protocol": "UDP"}]}}
    default(obj, schema)
    assert obj == {"spec": {"replicas": 3, "ports": [{"protocol": "TCP"}, {"protocol": "UDP"}]}}
    assert has_defaults(schema)
    assert not has_defaults(SCHEMA)


def test_defaulted_schema_defaults_the_same_walking_less() -> None:
    schema = {
        "type": "object",
        "properties": {
            "plain": {"type": "object", "properties": {"a": {"type": "string"}}},
            "spec": {
                "type": "object",
                "properties": {"n": {"type": "integer", "default": 1}, "s": {"type": "string"}},
            },
        },
        "additionalProperties": {"type": "object", "properties": {"x": {"default": "y"}}},
    }
    reduced = defaulted_schema(schema)
    assert reduced is not None
    assert reduced["properties"]["spec"]["properties"]["n"] == {"default": 1}
    objs: list[dict[str, Any]] = [{"plain": {}, "spec": {}, "more": {}}, {"spec": None}]
    for obj in objs:
        expected = json.loads(json.dumps(obj))
        default(expected, schema)
        default(obj, reduced)
        assert obj == expected
    assert defaulted_schema({"type": "object", "properties": {"a": {"type": "string"}}}) is None


def test_prune_with_nulls_is_prune_then_prune_nulls() -> None:
    schema = {
        "type": "object",
        "properties": {
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string", "nullable": True}},
            },
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
    }
    raw = {"metadata": None, "spec": {"a": None, "b": None, "c": None}, "free": {"x": None}}
    apart = json.loads(json.dumps(raw))
    unknown = prune(apart, schema)
    prune_nulls(apart, schema)
    together = json.loads(json.dumps(raw))
    assert prune(together, schema, nulls=True) == unknown == ["spec.c"]
    assert together == apart == {"spec": {"b": None}, "free": {"x": None}}
