"""apply_merge_patch against evanphx/json-patch v4.13.0 MergePatch (kube-apiserver v1.37).

The table holds evanphx's merge_test.go MergePatch cases (object targets; our documents are
objects) plus quirks; every expected outcome was produced by running the Go library itself.
"""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

import pytest

from annex_gateway.patch.jsonpatch import NonObjectResult
from annex_gateway.patch.merge import MergePatchError, apply_merge_patch, merged_text

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ('{ "title": "hello" }', '{ "title": "goodbye" }', {"result": {"title": "goodbye"}}),
    (
        '{ "title": "hello", "age": 18 }',
        '{ "title": "goodbye" }',
        {"result": {"age": 18, "title": "goodbye"}},
    ),
    ('{ "title": null }', '{ "title": {"foo": "bar"} }', {"result": {"title": {"foo": "bar"}}}),
    ('{"a": [ {"b":"c"} ] }', '{"a": [1]}', {"result": {"a": [1]}}),
    ('{"a": [ {"b":"c"} ] }', '{"a": [null, 1]}', {"result": {"a": [None, 1]}}),
    ('{"a":["b"]}', '{"a": ["b", null]}', {"result": {"a": ["b", None]}}),
    ('{"a":[]}', '{"a": ["b", null, null, "a"]}', {"result": {"a": ["b", None, None, "a"]}}),
    (
        '{ "person": { "title": "hello", "age": 18 } }',
        '{ "person": { "title": "goodbye" } }',
        {"result": {"person": {"age": 18, "title": "goodbye"}}},
    ),
    ('{ "a": 1 }', "[2]", {"result": [2]}),
    ('{ "a": 1, "b": 1 }', '{ "a": 2 }', {"result": {"a": 2, "b": 1}}),
    ('{ "array": ["one", "two"] }', '{ "array": [] }', {"result": {"array": []}}),
    ('{"a":"b"}', '{"a":"c"}', {"result": {"a": "c"}}),
    ('{"a":"b"}', '{"b":"c"}', {"result": {"a": "b", "b": "c"}}),
    ('{"a":"b"}', '{"a":null}', {"result": {}}),
    ('{"a":"b","b":"c"}', '{"a":null}', {"result": {"b": "c"}}),
    ('{"a":["b"]}', '{"a":"c"}', {"result": {"a": "c"}}),
    ('{"a":"c"}', '{"a":["b"]}', {"result": {"a": ["b"]}}),
    ('{"a":{"b": "c"}}', '{"a": {"b": "d","c": null}}', {"result": {"a": {"b": "d"}}}),
    ('{"a":[{"b":"c"}]}', '{"a":[1]}', {"result": {"a": [1]}}),
    ('{"a":"b"}', '["c"]', {"result": ["c"]}),
    ('{"e":null}', '{"a":1}', {"result": {"a": 1, "e": None}}),
    ("{}", '{"a":{"bb":{"ccc":null}}}', {"result": {"a": {"bb": {}}}}),
    ('{"a":"foo"}', "null", {"error": "Invalid JSON Patch"}),
    ('{"a":"foo"}', '"bar"', {"error": "Invalid JSON Patch"}),
    ('{"a":"foo"}', "1", {"error": "Invalid JSON Patch"}),
    ('{"a":"foo"}', "true", {"error": "Invalid JSON Patch"}),
    ('{"a":"foo"}', "[[[[", {"error": "Invalid JSON Patch"}),
    ('{"a":"foo"}', "", {"error": "Invalid JSON Patch"}),
    ('{"a":"foo"}', '{"a":', {"error": "Invalid JSON Patch"}),
    (
        '{"a":"foo"}',
        '[{"b":null, "c": [null, {"d": null}]}, null]',
        {"result": [{"c": [None, {}]}, None]},
    ),
    ('{"a":{"x":1}}', '{"a":[{"b":null}]}', {"result": {"a": [{"b": None}]}}),
    ('{"a":1}', '{"a":[{"b":null}]}', {"result": {"a": [{}]}}),
    ('{"a":1}', '{"a":{"b":null, "c": {"d": null, "e": 1}}}', {"result": {"a": {"c": {"e": 1}}}}),
    ('{"a":{"x":{"y":1, "z": 2}}}', '{"a":{"x":{"y":null}}}', {"result": {"a": {"x": {"z": 2}}}}),
    ('{"a":1}', "{}", {"result": {"a": 1}}),
    ('{"a":1}', '{"a":1.0, "b": "<"}', {"result": {"a": 1.0, "b": "<"}}),
]


def _outcome(doc: dict[str, Any], patch: str) -> dict[str, Any]:
    before = copy.deepcopy(doc)
    try:
        out: dict[str, Any] = {"result": apply_merge_patch(doc, patch.encode())}
    except MergePatchError as e:
        out = {"error": e.message}
    except NonObjectResult as e:
        out = {"result": e.result}
    assert doc == before, "the document was mutated"
    return out


@pytest.mark.parametrize(("doc", "patch", "expected"), CASES)
def test_as_evanphx(doc: str, patch: str, expected: dict[str, Any]) -> None:
    assert _outcome(json.loads(doc), patch) == expected


def test_deep_documents_and_patches_do_not_recurse() -> None:
    depth = 1000
    assert depth > sys.getrecursionlimit() - 100
    doc: dict[str, Any] = {}
    node = doc
    for _ in range(2 * depth):
        node["a"] = {"keep": 1, "drop": 2}
        node = node["a"]
    patch = '{"a":' + '{"drop":null,"a":' * (depth - 1) + '{"drop":null,"x":1}' + "}" * depth
    out = apply_merge_patch(doc, patch.encode())
    cur = out
    for _ in range(depth):
        cur = cur["a"]
        assert cur["keep"] == 1
        assert "drop" not in cur
    assert cur["x"] == 1
    assert node["drop"] == 2  # the input is untouched


def test_nesting_beyond_orjson_is_an_invalid_patch() -> None:
    with pytest.raises(MergePatchError) as e:
        apply_merge_patch({}, b'{"a":' * 1100 + b"1" + b"}" * 1100)
    assert e.value.message == "Invalid JSON Patch"


def test_merged_text_sorts_what_the_patch_reached_and_keeps_the_rest() -> None:
    # A typed object's keys in its struct's order, as kube-apiserver marshals a Scale.
    scale = {
        "kind": "Scale",
        "metadata": {"name": "s", "uid": "u", "labels": {"b": "1", "a": "2"}},
        "spec": {"replicas": 2},
        "status": {"selector": "x", "replicas": 1},
    }
    patch = b'{"spec":{"replicas":"7"},"status":null,"new":{"z":1,"y":null,"a":2},"kind":[2,{"b":1,"a":0}]}'
    assert merged_text(scale, patch) == (
        '{"kind":[2,{"a":0,"b":1}],'  # a value replacing a scalar: pruned, so decoded
        '"metadata":{"name":"s","uid":"u","labels":{"b":"1","a":"2"}},'  # not reached
        '"new":{"a":2,"z":1},'  # brought in, nulls pruned
        '"spec":{"replicas":"7"}}'
    )
    # An object replaced by the patch's array keeps the array's text as the patch has it.
    assert merged_text({"m": {"x": 1}}, b'{"m":[{"b":1,"a":2}]}') == '{"m":[{"b":1,"a":2}]}'
