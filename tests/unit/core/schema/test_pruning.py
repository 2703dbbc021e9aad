"""Pruning and defaulting as apiextensions-apiserver's algorithms do them."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annex_core.schema.defaulting import compile_defaulter, default, has_defaults
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


def test_the_compiled_defaulter_walks_only_to_defaults() -> None:
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
    defaulter = compile_defaulter(schema)
    assert defaulter is not None
    objs: list[dict[str, Any]] = [{"plain": {}, "spec": {}, "more": {}}, {"spec": None}]
    for obj in objs:
        expected = json.loads(json.dumps(obj))
        default(expected, schema, skip="metadata")
        defaulter(obj)
        assert obj == expected
    assert objs[0] == {"plain": {}, "spec": {"n": 1}, "more": {"x": "y"}}
    assert compile_defaulter({"type": "object", "properties": {"a": {"type": "string"}}}) is None


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


# --- the compiled defaulter: the same result as `default` ----------------------------------

_KEYS = ["metadata", "spec", "n", "s", "list", "map", "x", "deep", "free"]
DEFAULTED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "metadata": {"type": "object", "properties": {"name": {"type": "string", "default": "m"}}},
        "n": {"type": "integer", "default": 7},
        "s": {"type": "string", "nullable": True, "default": "s"},
        "spec": {
            "type": "object",
            "default": {"n": 1},
            "properties": {
                "n": {"type": "integer", "default": 2},
                "list": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "default": {"x": "item"},
                        "properties": {"x": {"type": "string", "default": "x"}},
                    },
                },
                "map": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "nullable": True,
                        "default": {},
                        "properties": {"deep": {"type": "object", "default": {"free": 1}}},
                    },
                },
                "free": {"type": "object", "additionalProperties": {"default": "d"}},
            },
        },
    },
    "additionalProperties": {"type": "object", "properties": {"x": {"default": [1, 2]}}},
}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "a"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(obj=st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=5))
def test_the_compiled_defaulter_defaults_as_default_does(obj: dict[str, Any]) -> None:
    for schema in (DEFAULTED, SCHEMA):
        expected = copy.deepcopy(obj)
        default(expected, schema, skip="metadata")
        defaulter = compile_defaulter(schema)
        got = copy.deepcopy(obj)
        if defaulter is not None:
            # It tells whether it applied any default, and defaults once for all.
            assert defaulter(got) == (got != obj)
            assert defaulter(got) is False
        assert got == expected
    assert compile_defaulter(SCHEMA) is None  # nothing to default: no walk at all


def test_defaults_are_copies() -> None:
    defaulter = compile_defaulter(DEFAULTED)
    assert defaulter is not None
    first: dict[str, Any] = {"spec": {"list": [None]}}
    second: dict[str, Any] = {"spec": {"list": [None]}}
    defaulter(first)
    defaulter(second)
    first["spec"]["list"][0]["x"] = "changed"
    assert second["spec"]["list"][0] == {"x": "item"}
