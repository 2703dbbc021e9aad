"""apply_json_patch against evanphx/json-patch v4.13.0 (what kube-apiserver v1.37 runs).

The table holds evanphx's patch_test.go cases (Cases, MutationTestCases, BadCases, TestCases;
array roots wrapped in an object, since our documents are objects), kopf's optimistic-lock
patch, and cases for messages and quirks; every expected outcome (result, Apply error = 422,
DecodePatch error = 400, panic = 500) was produced by running the Go library itself.
"""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

import pytest

from annex_gateway.patch.jsonpatch import (
    MAX_OPERATIONS,
    JsonPatchError,
    JsonPatchPanic,
    NonObjectResult,
    TooManyOperations,
    apply_json_patch,
    go_syntax_error,
    patched_text,
)

CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        '{ "foo": "bar"}',
        '[{ "op": "add", "path": "/baz", "value": "qux" }]',
        {"result": {"baz": "qux", "foo": "bar"}},
    ),
    (
        '{ "foo": [ "bar", "baz" ] }',
        '[{ "op": "add", "path": "/foo/1", "value": "qux" }]',
        {"result": {"foo": ["bar", "qux", "baz"]}},
    ),
    (
        '{ "foo": [ "bar", "baz" ] }',
        '[{ "op": "add", "path": "/foo/-1", "value": "qux" }]',
        {"result": {"foo": ["bar", "baz", "qux"]}},
    ),
    (
        '{ "baz": "qux", "foo": "bar" }',
        '[ { "op": "remove", "path": "/baz" } ]',
        {"result": {"foo": "bar"}},
    ),
    (
        '{ "foo": [ "bar", "qux", "baz" ] }',
        '[ { "op": "remove", "path": "/foo/1" } ]',
        {"result": {"foo": ["bar", "baz"]}},
    ),
    (
        '{ "baz": "qux", "foo": "bar" }',
        '[ { "op": "replace", "path": "/baz", "value": "boo" } ]',
        {"result": {"baz": "boo", "foo": "bar"}},
    ),
    (
        '{"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}',
        '[ { "op": "move", "from": "/foo/waldo", "path": "/qux/thud" } ]',
        {"result": {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}},
    ),
    (
        '{ "foo": [ "all", "grass", "cows", "eat" ] }',
        '[ { "op": "move", "from": "/foo/1", "path": "/foo/3" } ]',
        {"result": {"foo": ["all", "cows", "eat", "grass"]}},
    ),
    (
        '{ "foo": [ "all", "grass", "cows", "eat" ] }',
        '[ { "op": "move", "from": "/foo/1", "path": "/foo/2" } ]',
        {"result": {"foo": ["all", "cows", "grass", "eat"]}},
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "path": "/child", "value": { "grandchild": { } } } ]',
        {"result": {"child": {"grandchild": {}}, "foo": "bar"}},
    ),
    (
        '{ "foo": ["bar"] }',
        '[ { "op": "add", "path": "/foo/-", "value": ["abc", "def"] } ]',
        {"result": {"foo": ["bar", ["abc", "def"]]}},
    ),
    (
        '{ "foo": "bar", "qux": { "baz": 1, "bar": null } }',
        '[ { "op": "remove", "path": "/qux/bar" } ]',
        {"result": {"foo": "bar", "qux": {"baz": 1}}},
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "path": "/baz", "value": null } ]',
        {"result": {"baz": None, "foo": "bar"}},
    ),
    (
        '{ "foo": ["bar"]}',
        '[ { "op": "replace", "path": "/foo/0", "value": "baz"}]',
        {"result": {"foo": ["baz"]}},
    ),
    (
        '{ "foo": ["bar","baz"]}',
        '[ { "op": "replace", "path": "/foo/0", "value": "bum"}]',
        {"result": {"foo": ["bum", "baz"]}},
    ),
    (
        '{ "foo": ["bar","qux","baz"]}',
        '[ { "op": "replace", "path": "/foo/1", "value": "bum"}]',
        {"result": {"foo": ["bar", "bum", "baz"]}},
    ),
    (
        '{"x": [ {"foo": ["bar","qux","baz"]}]}',
        '[ { "op": "replace", "path": "/x/0/foo/0", "value": "bum"}]',
        {"result": {"x": [{"foo": ["bum", "qux", "baz"]}]}},
    ),
    (
        '{"x": [ {"foo": ["bar","qux","baz"], "bar": ["qux","baz"]}]}',
        '[ { "op": "copy", "from": "/x/0/foo/0", "path": "/x/0/bar/0"}]',
        {"result": {"x": [{"bar": ["bar", "qux", "baz"], "foo": ["bar", "qux", "baz"]}]}},
    ),
    (
        '{"x": [ {"foo": ["bar","qux","baz"], "bar": ["qux","baz"]}]}',
        '[ { "op": "copy", "from": "/x/0/foo/0", "path": "/x/0/bar"}]',
        {"result": {"x": [{"bar": "bar", "foo": ["bar", "qux", "baz"]}]}},
    ),
    (
        '{"x": [ { "foo": {"bar": ["qux","baz"]}, "baz": {"qux": "bum"}}]}',
        '[ { "op": "copy", "from": "/x/0/foo/bar", "path": "/x/0/baz/bar"}]',
        {
            "result": {
                "x": [
                    {"baz": {"bar": ["qux", "baz"], "qux": "bum"}, "foo": {"bar": ["qux", "baz"]}}
                ]
            }
        },
    ),
    (
        '{ "foo": ["bar"]}',
        '[{"op": "copy", "path": "/foo/0", "from": "/foo"}]',
        {"result": {"foo": [["bar"], "bar"]}},
    ),
    (
        '{ "foo": ["bar","qux","baz"]}',
        '[ { "op": "remove", "path": "/foo/-2"}]',
        {"result": {"foo": ["bar", "baz"]}},
    ),
    (
        '{ "foo": []}',
        '[ { "op": "add", "path": "/foo/-1", "value": "qux"}]',
        {"result": {"foo": ["qux"]}},
    ),
    (
        '{ "bar": [{"baz": null}]}',
        '[ { "op": "replace", "path": "/bar/0/baz", "value": 1 } ]',
        {"result": {"bar": [{"baz": 1}]}},
    ),
    (
        '{ "bar": [{"baz": 1}]}',
        '[ { "op": "replace", "path": "/bar/0/baz", "value": null } ]',
        {"result": {"bar": [{"baz": None}]}},
    ),
    (
        '{ "bar": [null]}',
        '[ { "op": "replace", "path": "/bar/0", "value": 1 } ]',
        {"result": {"bar": [1]}},
    ),
    (
        '{ "bar": [1]}',
        '[ { "op": "replace", "path": "/bar/0", "value": null } ]',
        {"result": {"bar": [None]}},
    ),
    (
        '{ "foo": ["A", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] }',
        '[ { "op": "copy", "path": "/foo/-", "from": "/foo/1" }, { "op": "copy", "path": "/foo/-", "from": "/foo/1" }]',
        {
            "result": {
                "foo": [
                    "A",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                ]
            }
        },
    ),
    (
        '{"id": "0000", "parentID": "0000"}',
        '[{"op": "test", "path": "", "value": {"id": "0000", "parentID": "0000"}}, {"op": "replace", "path": "", "value": {"id": "7599", "originalID": "bar", "parentID": "0000"}}]',
        {"result": {"id": "7599", "originalID": "bar", "parentID": "0000"}},
    ),
    (
        '{ "foo": "bar", "qux": { "baz": 1, "bar": null } }',
        '[ { "op": "replace", "path": "/qux/baz", "value": null } ]',
        {"result": {"foo": "bar", "qux": {"bar": None, "baz": None}}},
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "path": "/baz/bat", "value": "qux" } ]',
        {"error": 'add operation does not apply: doc is missing path: "/baz/bat": missing value'},
    ),
    (
        '{ "a": { "b": { "d": 1 } } }',
        '[ { "op": "remove", "path": "/a/b/c" } ]',
        {
            "error": "error in remove for path: '/a/b/c': Unable to remove nonexistent key: c: missing value"
        },
    ),
    (
        '{ "a": { "b": { "d": 1 } } }',
        '[ { "op": "move", "from": "/a/b/c", "path": "/a/b/e" } ]',
        {
            "error": "error in move for path: 'c': Unable to remove nonexistent key: c: missing value"
        },
    ),
    (
        '{ "a": { "b": [1] } }',
        '[ { "op": "remove", "path": "/a/b/1" } ]',
        {
            "error": "error in remove for path: '/a/b/1': Unable to access invalid index: 1: invalid index referenced"
        },
    ),
    (
        '{ "a": { "b": [1] } }',
        '[ { "op": "move", "from": "/a/b/1", "path": "/a/b/2" } ]',
        {
            "error": "error in move for path: '1': Unable to access invalid index: 1: invalid index referenced"
        },
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "pathz": "/baz", "value": "qux" } ]',
        {"error": "add operation failed to decode path: missing value"},
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "path": "", "value": "qux" } ]',
        {"error": 'add operation does not apply: doc is missing path: "": missing value'},
    ),
    (
        '{ "foo": ["bar","baz"]}',
        '[ { "op": "replace", "path": "/foo/2", "value": "bum"}]',
        {"error": "replace operation does not apply: doc is missing key: /foo/2: missing value"},
    ),
    (
        '{ "foo": ["bar","baz"]}',
        '[ { "op": "add", "path": "/foo/-4", "value": "bum"}]',
        {
            "error": "error in add for path: '/foo/-4': Unable to access invalid index: -4: invalid index referenced"
        },
    ),
    (
        '{ "name":{ "foo": "bat", "qux": "bum"}}',
        '[ { "op": "replace", "path": "/foo/bar", "value":"baz"}]',
        {"error": "replace operation does not apply: doc is missing path: /foo/bar: missing value"},
    ),
    (
        '{ "foo": ["bar"]}',
        '[ {"op": "add", "path": "/foo/2", "value": "bum"}]',
        {
            "error": "error in add for path: '/foo/2': Unable to access invalid index: 2: invalid index referenced"
        },
    ),
    (
        '{ "foo": []}',
        '[ {"op": "remove", "path": "/foo/-"}]',
        {
            "error": "error in remove for path: '/foo/-': strconv.Atoi: parsing \"-\": invalid syntax"
        },
    ),
    (
        '{ "foo": []}',
        '[ {"op": "remove", "path": "/foo/-1"}]',
        {
            "error": "error in remove for path: '/foo/-1': Unable to access invalid index: -1: invalid index referenced"
        },
    ),
    (
        '{ "foo": ["bar"]}',
        '[ {"op": "remove", "path": "/foo/-2"}]',
        {
            "error": "error in remove for path: '/foo/-2': Unable to access invalid index: -2: invalid index referenced"
        },
    ),
    ("{}", '[ {"op":null,"path":""} ]', {"error": "Unexpected kind: unknown"}),
    (
        "{}",
        '[ {"op":"add","path":null} ]',
        {"error": "add operation failed to decode path: missing value"},
    ),
    (
        "{}",
        '[ { "op": "copy", "from": null }]',
        {
            "error": "copy operation failed to decode from: operation, missing from field: missing value"
        },
    ),
    (
        '{ "foo": ["bar"]}',
        '[{"op": "copy", "path": "/foo/6666666666", "from": "/"}]',
        {
            "error": "error while adding value during copy: Unable to access invalid index: 6666666666: invalid index referenced"
        },
    ),
    (
        '{ "foo": ["bar"]}',
        '[{"op": "copy", "path": "/foo/2", "from": "/foo/0"}]',
        {
            "error": "error while adding value during copy: Unable to access invalid index: 2: invalid index referenced"
        },
    ),
    (
        '{ "foo": [ "all", "grass", "cows", "eat" ] }',
        '[ { "op": "move", "from": "/foo/1", "path": "/foo/4" } ]',
        {
            "error": "error in move for path: '/foo/4': Unable to access invalid index: 4: invalid index referenced"
        },
    ),
    (
        '{"baz": "qux", "foo": [ "a", 2, "c" ]}',
        '[{ "op": "test", "path": "/baz", "value": "qux" }, { "op": "test", "path": "/foo/1", "value": 2 }]',
        {"result": {"baz": "qux", "foo": ["a", 2, "c"]}},
    ),
    (
        '{ "baz": "qux" }',
        '[ { "op": "test", "path": "/baz", "value": "bar" } ]',
        {"error": "testing value /baz failed: test failed"},
    ),
    (
        '{"baz": "qux", "foo": ["a", 2, "c"]}',
        '[{ "op": "test", "path": "/baz", "value": "qux" }, { "op": "test", "path": "/foo/1", "value": "c" }]',
        {"error": "testing value /foo/1 failed: test failed"},
    ),
    (
        '{ "baz": "qux" }',
        '[ { "op": "test", "path": "/foo", "value": 42 } ]',
        {"error": "testing value /foo failed: test failed"},
    ),
    (
        '{ "baz": "qux" }',
        '[ { "op": "test", "path": "/foo", "value": null } ]',
        {"result": {"baz": "qux"}},
    ),
    (
        '{ "foo": null }',
        '[ { "op": "test", "path": "/foo", "value": null } ]',
        {"result": {"foo": None}},
    ),
    (
        '{ "foo": {} }',
        '[ { "op": "test", "path": "/foo", "value": null } ]',
        {"error": "testing value /foo failed: test failed"},
    ),
    (
        '{ "foo": [] }',
        '[ { "op": "test", "path": "/foo", "value": null } ]',
        {"error": "testing value /foo failed: test failed"},
    ),
    (
        '{ "baz/foo": "qux" }',
        '[ { "op": "test", "path": "/baz~1foo", "value": "qux"} ]',
        {"result": {"baz/foo": "qux"}},
    ),
    (
        '{ "foo": [] }',
        '[ { "op": "test", "path": "/foo"} ]',
        {"error": "testing value /foo failed: test failed"},
    ),
    ('{ "baz": [] }', '[ { "op": "test", "path": "/foo"} ]', {"result": {"baz": []}}),
    (
        '{"metadata": {"name": "x", "resourceVersion": "6"}}',
        '[{"op":"test","path":"/metadata/resourceVersion","value":"5"},{"op":"add","path":"/metadata/finalizers","value":["x"]}]',
        {"error": "testing value /metadata/resourceVersion failed: test failed"},
    ),
    (
        '{"metadata": {"name": "x", "resourceVersion": "5"}}',
        '[{"op":"test","path":"/metadata/resourceVersion","value":"5"},{"op":"add","path":"/metadata/finalizers","value":["x"]}]',
        {"result": {"metadata": {"finalizers": ["x"], "name": "x", "resourceVersion": "5"}}},
    ),
    (
        '{"a": 1}',
        '[{"op":"test","path":"/a","value":1.0}]',
        {"error": "testing value /a failed: test failed"},
    ),
    ('{"a": 1.0}', '[{"op":"test","path":"/a","value":1}]', {"result": {"a": 1}}),
    (
        '{"a": 1.5}',
        '[{"op":"test","path":"/a","value":1.50}]',
        {"error": "testing value /a failed: test failed"},
    ),
    ('{"a": 1e21}', '[{"op":"test","path":"/a","value":1e+21}]', {"result": {"a": 1e21}}),
    ('{"a": 1e-7}', '[{"op":"test","path":"/a","value":1e-7}]', {"result": {"a": 1e-07}}),
    ('{"a": 0.000001}', '[{"op":"test","path":"/a","value":0.000001}]', {"result": {"a": 1e-06}}),
    (
        '{"a": 100000000000000000000.0}',
        '[{"op":"test","path":"/a","value":100000000000000000000}]',
        {"result": {"a": 100000000000000000000}},
    ),
    (
        '{"a": "x<y"}',
        '[{"op":"test","path":"/a","value":"x<y"}]',
        {"error": "testing value /a failed: test failed"},
    ),
    ('{"a": "x<y"}', '[{"op":"test","path":"/a","value":"x\\u003cy"}]', {"result": {"a": "x<y"}}),
    (
        '{"a": "A"}',
        '[{"op":"test","path":"/a","value":"\\u0041"}]',
        {"error": "testing value /a failed: test failed"},
    ),
    (
        '{"a": "\\n\\u0001"}',
        '[{"op":"test","path":"/a","value":"\\n\\u0001"}]',
        {"result": {"a": "\n\x01"}},
    ),
    ('{"a": "é"}', '[{"op":"test","path":"/a","value":"é"}]', {"result": {"a": "é"}}),
    (
        "{}",
        '[{"op":"add","path":"/a","value":1.0},{"op":"test","path":"/a","value":1.0}]',
        {"result": {"a": 1.0}},
    ),
    (
        "{}",
        '[{"op":"add","path":"/a","value":"<"},{"op":"copy","from":"/a","path":"/b"},{"op":"test","path":"/b","value":"<"}]',
        {"error": "testing value /b failed: test failed"},
    ),
    (
        "{}",
        '[{"op":"add","path":"/a","value":{"k":"<"}},{"op":"copy","from":"/a","path":"/b"},{"op":"test","path":"/b","value":{"k":"\\u003c"}}]',
        {"result": {"a": {"k": "<"}, "b": {"k": "<"}}},
    ),
    (
        '{"a": {"x": 1, "y": [1, "s"]}}',
        '[{"op":"test","path":"/a","value":{"y": [1, "s"], "x": 1}}]',
        {"result": {"a": {"x": 1, "y": [1, "s"]}}},
    ),
    (
        '{"a": {"x": null}}',
        '[{"op":"test","path":"/a","value":{"x": null}}]',
        {"result": {"a": {"x": None}}},
    ),
    (
        '{"a": {"x": null}}',
        '[{"op":"test","path":"/a","value":{"x": 1}}]',
        {"error": "testing value /a failed: test failed"},
    ),
    ('{"a": [1, null]}', '[{"op":"test","path":"/a","value":[1, null]}]', {"panic": True}),
    (
        '{"a": [1, null]}',
        '[{"op":"test","path":"/a","value":[2, null]}]',
        {"error": "testing value /a failed: test failed"},
    ),
    ('{"a": true}', '[{"op":"test","path":"/a","value":true}]', {"result": {"a": True}}),
    ('{"a": 1}', '[{"op":"test","path":"","value":{"a":1}}]', {"result": {"a": 1}}),
    (
        '{"a": 1}',
        '[{"op":"test","path":"","value":{"a":2}}]',
        {"error": "testing value  failed: test failed"},
    ),
    ('{"a": 1}', '[{"op":"test","path":""}]', {"panic": True}),
    (
        '{"a": 1}',
        '[{"op":"test","path":"/a","value":{}}]',
        {"error": "testing value /a failed: test failed"},
    ),
    (
        '{"a": 1}',
        '[{"op":"add","path":"/n","value":null},{"op":"test","path":"/n","value":null}]',
        {"result": {"a": 1, "n": None}},
    ),
    (
        '{"a": 1}',
        '[{"op":"add","path":"/n","value":null},{"op":"test","path":"/n"}]',
        {"error": "testing value /n failed: test failed"},
    ),
    (
        '{"a": 1}',
        '[{"op":"add","path":"/n","value":null},{"op":"add","path":"/n/x","value":1}]',
        {"error": 'add operation does not apply: doc is missing path: "/n/x": missing value'},
    ),
    (
        '{"a": 1}',
        '[{"op":"add","path":"/n"},{"op":"test","path":"/n","value":null}]',
        {"result": {"a": 1, "n": None}},
    ),
    (
        '{"spec": {}}',
        '[{"op":"test","path":"/spec/x","value":1}]',
        {"error": "testing value /spec/x failed: test failed"},
    ),
    (
        '{"spec": {}}',
        '[{"op":"remove","path":"/spec/x"}]',
        {
            "error": "error in remove for path: '/spec/x': Unable to remove nonexistent key: x: missing value"
        },
    ),
    (
        '{"spec": {}}',
        '[{"op":"add","path":"/a/b","value":1}]',
        {"error": 'add operation does not apply: doc is missing path: "/a/b": missing value'},
    ),
    (
        '{"spec": {}}',
        '[{"op":"replace","path":"/spec/x","value":1}]',
        {"result": {"spec": {"x": 1}}},
    ),
    (
        '{"spec": {"l": []}}',
        '[{"op":"replace","path":"/spec/l/0","value":1}]',
        {"error": "replace operation does not apply: doc is missing key: /spec/l/0: missing value"},
    ),
    (
        '{"spec": {"l": []}}',
        '[{"op":"replace","path":"/spec/q/0","value":1}]',
        {
            "error": "replace operation does not apply: doc is missing path: /spec/q/0: missing value"
        },
    ),
    (
        '{"spec": {"l": []}}',
        '[{"op":"add","path":"/spec/l/x","value":1}]',
        {
            "error": "error in add for path: '/spec/l/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"
        },
    ),
    (
        '{"spec": {"l": []}}',
        '[{"op":"remove","path":"/spec/l/x"}]',
        {
            "error": "error in remove for path: '/spec/l/x': strconv.Atoi: parsing \"x\": invalid syntax"
        },
    ),
    (
        '{"spec": {"l": [1]}}',
        '[{"op":"remove","path":"/spec/l/99999999999999999999"}]',
        {
            "error": "error in remove for path: '/spec/l/99999999999999999999': strconv.Atoi: parsing \"99999999999999999999\": value out of range"
        },
    ),
    (
        '{"spec": {"l": [1]}}',
        '[{"op":"test","path":"/spec/l/5","value":1}]',
        {
            "error": "error in test for path: '/spec/l/5': Unable to access invalid index: 5: invalid index referenced"
        },
    ),
    (
        '{"spec": {"l": [1]}}',
        '[{"op":"test","path":"/spec/l/+0","value":1}]',
        {"result": {"spec": {"l": [1]}}},
    ),
    (
        '{"spec": {"l": [1]}}',
        '[{"op":"test","path":"/spec/l/x y","value":1}]',
        {
            "error": "error in test for path: '/spec/l/x y': strconv.Atoi: parsing \"x y\": invalid syntax"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"add","path":"/spec/x","value":1}]',
        {"error": 'add operation does not apply: doc is missing path: "/spec/x": missing value'},
    ),
    (
        '{"spec": 1}',
        '[{"op":"test","path":"/nope/x","value":1}]',
        {"error": "test operation does not apply: is missing path: /nope/x: missing value"},
    ),
    (
        '{"spec": 1}',
        '[{"op":"move","from":"/spec","path":"/a/b"}]',
        {
            "error": "move operation does not apply: doc is missing destination path: /a/b: missing value"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"move","path":"/a/b"}]',
        {
            "error": "move operation failed to decode from: operation, missing from field: missing value"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"move","from":"/x","path":"/a"}]',
        {
            "error": "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"move","from":1,"path":"/a"}]',
        {
            "error": "move operation failed to decode from: json: cannot unmarshal number into Go value of type string"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"move","from":"/spec"}]',
        {
            "error": "move operation failed to decode path: operation missing path field: missing value"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"copy","from":"/spec"}]',
        {"error": "copy operation failed to decode path: missing value"},
    ),
    (
        '{"spec": 1}',
        '[{"op":"copy","from":"/nope/x","path":"/a"}]',
        {
            "error": "copy operation does not apply: doc is missing from path: /nope/x: missing value"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"copy","from":"/spec","path":"/nope/a"}]',
        {
            "error": "copy operation does not apply: doc is missing destination path: /nope/a: missing value"
        },
    ),
    ('{"spec": 1}', '[{"op":"copy","from":"/spec","path":"/a"}]', {"result": {"a": 1, "spec": 1}}),
    ('{"spec": 1}', '[{"op":"copy","from":"/x","path":"/a"}]', {"result": {"a": None, "spec": 1}}),
    (
        '{"spec": 1}',
        '[{"op":"replace","path":{},"value":1}]',
        {
            "error": "replace operation failed to decode path: json: cannot unmarshal object into Go value of type string"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"replace","value":1}]',
        {
            "error": "replace operation failed to decode path: operation missing path field: missing value"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"replace","path":"","value":1}]',
        {"error": "replace operation value must be object or array: %!w(<nil>)"},
    ),
    (
        '{"spec": 1}',
        '[{"op":"replace","path":"","value":null}]',
        {"error": "replace operation value must be object or array: %!w(<nil>)"},
    ),
    ('{"spec": 1}', '[{"op":"replace","path":""}]', {"panic": True}),
    ('{"spec": 1}', '[{"op":"replace","path":"","value":{"a":2}}]', {"result": {"a": 2}}),
    ('{"spec": 1}', '[{"op":"replace","path":"","value":[1]}]', {"result": [1]}),
    (
        '{"spec": 1}',
        '[{"op":"test","path":true,"value":1}]',
        {
            "error": "test operation failed to decode path: json: cannot unmarshal bool into Go value of type string"
        },
    ),
    (
        '{"spec": 1}',
        '[{"op":"remove","path":[]}]',
        {"error": "remove operation failed to decode path: missing value"},
    ),
    ('{"spec": 1}', '[{"op":"bogus","path":"/"}]', {"error": "Unexpected kind: bogus"}),
    ('{"spec": 1}', '[{"op":5,"path":"/"}]', {"error": "Unexpected kind: unknown"}),
    ('{"spec": 1}', '[{"path":"/"}]', {"error": "Unexpected kind: unknown"}),
    ('{"spec": 1}', "[null]", {"error": "Unexpected kind: unknown"}),
    ('{"spec": 1}', "null", {"result": {"spec": 1}}),
    ('{"spec": 1}', "[]", {"result": {"spec": 1}}),
    (
        '{"spec": 1}',
        '[{"op":"add","path":"/a~1b~0c~01","value":1}]',
        {"result": {"a/b~c~1": 1, "spec": 1}},
    ),
    ('{"spec": 1}', '[{"op":"add","path":"x/y","value":1}]', {"result": {"spec": 1, "y": 1}}),
    ('{"spec": 1}', '[{"op":"add","path":"/","value":1}]', {"result": {"": 1, "spec": 1}}),
    ('{"spec": 1}', '[{"op":"add","path":"/spec","value":1, "op":"remove"}]', {"result": {}}),
    ('{"l": [1,2,3]}', '[{"op":"replace","path":"/l/-1","value":9}]', {"result": {"l": [1, 2, 9]}}),
    (
        '{"l": [1,2,3]}',
        '[{"op":"replace","path":"/l/-4","value":9}]',
        {"error": "replace operation does not apply: doc is missing key: /l/-4: missing value"},
    ),
    ('{"l": [1,2,3]}', '[{"op":"test","path":"/l/-1","value":3}]', {"result": {"l": [1, 2, 3]}}),
    ('{"l": [1,2,3]}', '[{"op":"move","from":"/l/0","path":"/l/-"}]', {"result": {"l": [2, 3, 1]}}),
    (
        '{"l": [1,2,3]}',
        '[{"op":"move","from":"/l","path":"/l/x"}]',
        {
            "error": "move operation does not apply: doc is missing destination path: /l/x: missing value"
        },
    ),
    ("{}", "", {"decode": "unexpected end of JSON input"}),
    ("{}", "{}", {"decode": "json: cannot unmarshal object into Go value of type jsonpatch.Patch"}),
    (
        "{}",
        '"x"',
        {"decode": "json: cannot unmarshal string into Go value of type jsonpatch.Patch"},
    ),
    ("{}", "1", {"decode": "json: cannot unmarshal number into Go value of type jsonpatch.Patch"}),
    ("{}", "true", {"decode": "json: cannot unmarshal bool into Go value of type jsonpatch.Patch"}),
    (
        "{}",
        "[1]",
        {"decode": "json: cannot unmarshal number into Go value of type jsonpatch.Operation"},
    ),
    (
        "{}",
        "[{}, []]",
        {"decode": "json: cannot unmarshal array into Go value of type jsonpatch.Operation"},
    ),
    (
        "{}",
        '[{}, "x"]',
        {"decode": "json: cannot unmarshal string into Go value of type jsonpatch.Operation"},
    ),
    ("{}", "[", {"decode": "unexpected end of JSON input"}),
    ("{}", '[{"op":}]', {"decode": "invalid character '}' looking for beginning of value"}),
    ("{}", '[{"op" "add"}]', {"decode": "invalid character '\"' after object key"}),
    (
        "{}",
        '[{"op":"add",}]',
        {"decode": "invalid character '}' looking for beginning of object key string"},
    ),
    ("{}", '[{"op":"add"} x]', {"decode": "invalid character 'x' after array element"}),
    (
        "{}",
        "[{op:1}]",
        {"decode": "invalid character 'o' looking for beginning of object key string"},
    ),
    ("{}", "[] x", {"decode": "invalid character 'x' after top-level value"}),
    ("{}", "[tru]", {"decode": "invalid character ']' in literal true (expecting 'e')"}),
    ("{}", "[nul", {"decode": "invalid character ' ' in literal null (expecting 'l')"}),
    ("{}", "[falsy]", {"decode": "invalid character 'y' in literal false (expecting 'e')"}),
    ("{}", "[01]", {"decode": "invalid character '1' after array element"}),
    ("{}", "[1.]", {"decode": "invalid character ']' after decimal point in numeric literal"}),
    ("{}", "[1e]", {"decode": "invalid character ']' in exponent of numeric literal"}),
    ("{}", "[-]", {"decode": "invalid character ']' in numeric literal"}),
    ("{}", '["\\x"]', {"decode": "invalid character 'x' in string escape code"}),
    ("{}", '["\\u12g4"]', {"decode": "invalid character 'g' in \\u hexadecimal character escape"}),
    ("{}", '["a\tb"]', {"decode": "invalid character '\\t' in string literal"}),
    ("{}", "[1,]", {"decode": "invalid character ']' looking for beginning of value"}),
    ("{}", "['x']", {"decode": "invalid character '\\'' looking for beginning of value"}),
    ("{}", "[é]", {"decode": "invalid character 'Ã' looking for beginning of value"}),
    ("{}", "ÿ", {"decode": "invalid character 'Ã' looking for beginning of value"}),
]


def _outcome_json(doc: dict[str, Any], patch: str) -> dict[str, Any]:
    before = copy.deepcopy(doc)
    try:
        out: dict[str, Any] = {"result": apply_json_patch(doc, patch.encode())}
    except JsonPatchError as e:
        out = {"decode" if e.decode else "error": e.message}
    except TooManyOperations as e:
        out = {"toomany": e.count}
    except JsonPatchPanic:
        out = {"panic": True}
    except NonObjectResult as e:
        out = {"result": e.result}
    assert doc == before, "the document was mutated"
    return out


@pytest.mark.parametrize(("doc", "patch", "expected"), CASES)
def test_as_evanphx(doc: str, patch: str, expected: dict[str, Any]) -> None:
    assert _outcome_json(json.loads(doc), patch) == expected


def test_kopf_optimistic_lock_fails_on_a_newer_resource_version() -> None:
    doc = {"metadata": {"name": "x", "resourceVersion": "6"}}
    patch = b'[{"op":"test","path":"/metadata/resourceVersion","value":"5"},{"op":"add","path":"/metadata/finalizers","value":["x"]}]'
    with pytest.raises(JsonPatchError) as e:
        apply_json_patch(doc, patch)
    assert e.value.message == "testing value /metadata/resourceVersion failed: test failed"
    assert e.value.decode is False


def test_too_many_operations() -> None:
    ops = b"[" + b",".join([b'{"op":"test","path":"/a","value":1}'] * (MAX_OPERATIONS + 1)) + b"]"
    with pytest.raises(TooManyOperations) as e:
        apply_json_patch({"a": 1}, ops)
    assert e.value.count == MAX_OPERATIONS + 1
    assert str(e.value) == "The allowed maximum operations in a JSON patch is 10000, got 10001"
    ok = b"[" + b",".join([b'{"op":"test","path":"/a","value":1}'] * MAX_OPERATIONS) + b"]"
    assert apply_json_patch({"a": 1}, ok) == {"a": 1}


def test_copies_are_limited_like_kube_apiserver() -> None:
    big = "A" * (1024 * 1024)
    patch = b"[" + b",".join([b'{"op":"copy","from":"/a","path":"/b"}'] * 4) + b"]"
    with pytest.raises(JsonPatchError) as e:
        apply_json_patch({"a": big}, patch)
    assert e.value.message == (
        "Unable to complete the copy, the accumulated size increase of copy is 3145734, "
        "exceeding the limit 3145728"
    )


def _depth(node: Any) -> int:
    depth = 0
    while isinstance(node, dict) and "a" in node:
        node, depth = node["a"], depth + 1
    return depth


def test_deep_documents_do_not_recurse() -> None:
    depth = 5 * sys.getrecursionlimit()
    doc: dict[str, Any] = {}
    node = doc
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    node["x"] = [1.5, "s"]
    path = "/" + "/".join(["a"] * depth)
    patch = json.dumps(
        [
            {"op": "test", "path": path + "/x", "value": [1.5, "s"]},
            {"op": "copy", "from": "/a", "path": "/b"},
            {"op": "remove", "path": path + "/x"},
            {"op": "test", "path": "", "value": {"a": {}, "b": {}}},
        ]
    )
    with pytest.raises(JsonPatchError) as e:
        apply_json_patch(doc, patch.encode())
    assert e.value.message == "testing value  failed: test failed"
    out = apply_json_patch(doc, patch.encode()[: patch.rindex(', {"op"')] + b"]")
    assert _depth(out["a"]) == _depth(out["b"]) == depth - 1
    assert node["x"] == [1.5, "s"]  # the input is untouched
    assert out["b"] is not out["a"]


def test_deep_patch_values() -> None:
    value = '{"a":' * 1000 + "1" + "}" * 1000
    patch = (
        f'[{{"op":"add","path":"/v","value":{value}}},{{"op":"test","path":"/v","value":{value}}}]'
    )
    out = apply_json_patch({}, patch.encode())
    assert _depth(out["v"]) == 1000


def test_nesting_beyond_orjson_is_a_decode_error() -> None:
    with pytest.raises(JsonPatchError) as e:
        apply_json_patch({}, b"[" * 1100 + b"]" * 1100)
    assert e.value.decode is True
    with pytest.raises(JsonPatchError) as e:
        apply_json_patch({}, b"[" * 10001 + b"]" * 10001)
    assert e.value.message == "invalid character '[' exceeded max depth"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "unexpected end of JSON input"),
        (b"[1", "unexpected end of JSON input"),
        (b"tr", "invalid character ' ' in literal true (expecting 'u')"),
        (b"[1] 2", "invalid character '2' after top-level value"),
        (b'{"a" 1}', "invalid character '1' after object key"),
        (b'{"a":1 "b"}', "invalid character '\"' after object key:value pair"),
        (b"['", "invalid character '\\'' looking for beginning of value"),
        (b"\xff", "invalid character 'ÿ' looking for beginning of value"),
        (b"[1.5e+3, -0, true, null]", None),
    ],
)
def test_go_syntax_errors(data: bytes, message: str | None) -> None:
    assert go_syntax_error(data) == message


def test_fast() -> None:
    doc = {"spec": {"items": [{"i": i, "s": "x" * 20} for i in range(2000)]}}
    patch = json.dumps(
        [{"op": "test", "path": "/spec", "value": doc["spec"]}]
        + [{"op": "replace", "path": f"/spec/items/{i}/i", "value": -i} for i in range(2000)]
    ).encode()
    out = apply_json_patch(doc, patch)
    assert out["spec"]["items"][5]["i"] == -5


def test_patched_text_sorts_the_objects_the_operations_went_through() -> None:
    scale = {
        "kind": "Scale",
        "metadata": {"name": "s", "uid": "u", "labels": {"b": "1", "a": "2"}},
        "spec": {"replicas": 2, "extra": {"z": 1, "y": 2}},
        "status": {"selector": "x", "replicas": 1},
    }
    patch = json.dumps(
        [
            {"op": "replace", "path": "/spec/replicas", "value": "x"},
            {"op": "add", "path": "/status/new", "value": {"d": 1, "c": 2}},
        ]
    ).encode()
    assert patched_text(apply_json_patch(scale, patch), patch) == (
        '{"kind":"Scale",'
        '"metadata":{"name":"s","uid":"u","labels":{"b":"1","a":"2"}},'  # not gone through
        '"spec":{"extra":{"z":1,"y":2},"replicas":"x"},'
        '"status":{"new":{"d":1,"c":2},"replicas":1,"selector":"x"}}'  # a value as given
    )
