"""The client-go JSONPath dialect printer columns use.

Expected values follow kubernetes/client-go util/jsonpath/{parser.go,jsonpath.go} with
AllowMissingKeys(true), as apiextensions' tableconvertor.New sets it, and the Go standard
library's fmt.Print and encoding/json.Marshal (checked against go1.x output).
"""

from __future__ import annotations

from typing import Any

import pytest

from annex_gateway.endpoints.goformat import GoByte, go_json, go_print
from annex_gateway.endpoints.jsonpath import JSONPath, JSONPathError, print_result

DATA: dict[str, Any] = {
    "metadata": {
        "name": "n",
        "labels": {"app.kubernetes.io/name": "web", "tier": "front"},
    },
    "spec": {
        "ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}, {"port": 8080}],
        "nums": [0, 1, 2, 3, 4, 5],
        "nested": {"a": {"name": "deep"}},
        "nil": None,
        "ratio": 0.5,
        "on": True,
    },
}


def find(path: str, data: Any = DATA) -> list[Any]:
    return JSONPath.compile("{" + path + "}").find_results(data)[0]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".metadata.name", ["n"]),
        ("$.metadata.name", ["n"]),
        (".metadata.missing", []),
        (".metadata.name.deeper", []),
        (".metadata.labels.app\\.kubernetes\\.io/name", ["web"]),
        (".metadata.labels['tier']", ["front"]),
        (".spec.nil", [None]),
        (".spec.nil.x", []),
        (".spec.nums[0]", [0]),
        (".spec.nums[-1]", [5]),
        (".spec.nums[-2]", [4]),
        (".spec.nums[1:3]", [1, 2]),
        (".spec.nums[::2]", [0, 2, 4]),
        (".spec.nums[4:]", [4, 5]),
        (".spec.nums[*]", [0, 1, 2, 3, 4, 5]),
        (".spec.nums[0,2]", [0, 2]),
        (".spec.nums[2:2]", []),
        (".spec.ports[*].name", ["http", "https"]),
        (".spec.ports[?(@.port>100)].port", [443, 8080]),
        (".spec.ports[?(@.port==80)].name", ["http"]),
        (".spec.ports[?(@.name)].port", [80, 443]),
        ('.spec.ports[?(@.name!="http")].port', [443]),  # no name: skipped, not unequal
        (".metadata.labels.*", ["web", "front"]),
        ("..name", ["n", "http", "https", "deep"]),
        (".spec.nested..name", ["deep"]),
    ],
)
def test_find(path: str, expected: list[Any]) -> None:
    assert find(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        ".spec.nums[6]",  # out of bounds
        ".spec.nums[::0]",  # step must be > 0
        ".metadata.name[0]",  # not an array
        ".spec.nested[?(@.a)]",  # filtering a map
        ".spec.ports[?(@.port==80.0)].name",  # int and float do not compare
        ".spec.ports[?(@.port=='80')].name",  # int and string neither
        "range",
        "end",
    ],
)
def test_evaluation_errors(path: str) -> None:
    with pytest.raises(JSONPathError):
        find(path)


@pytest.mark.parametrize(
    "template",
    ["{.spec", "{.spec[0}", "{.spec[?(@.a==1}", "{.spec['a}", "{.a[x]}", "{.a{}", "{....a}"],
)
def test_parse_errors(template: str) -> None:
    with pytest.raises(JSONPathError):
        JSONPath.compile(template)


def test_text_outside_the_action_is_another_result() -> None:
    results = JSONPath.compile("{.metadata.name}x{.spec.on}").find_results(DATA)
    assert results == [["n"], ["x"], [True]]


def test_wildcard_over_a_string_yields_bytes() -> None:
    found = find(".metadata.name.*")
    assert found == [110]
    assert isinstance(found[0], GoByte)


def test_filter_with_quotes_and_escapes() -> None:
    data = {"c": [{"t": 'a"b', "v": 1}, {"t": "x)y", "v": 2}]}
    assert find('.c[?(@.t=="a\\"b")].v', data) == [1]
    assert find(".c[?(@.t=='x)y')].v", data) == [2]


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("s", "s"),
        (None, "<no value>"),
        (True, "true"),
        (12, "12"),
        (1.5, "1.5"),
        (1e6, "1e+06"),
        (123456789.0, "1.23456789e+08"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (100000.0, "100000"),
        ({"b": 1, "a": "<"}, '{"a":"\\u003c","b":1}'),
        ([1.0, 1e21, 1e-7, "\u2028&"], '[1,1e+21,1e-7,"\\u2028\\u0026"]'),
    ],
)
def test_print_result(value: Any, printed: str) -> None:
    assert print_result(value) == printed


def test_go_json_escapes_control_characters() -> None:
    assert go_json('\x01\b\f\n\t"\\') == '"\\u0001\\b\\f\\n\\t\\"\\\\"'
    assert go_print(GoByte(97)) == "97"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"spec": {}},
        {"spec": None},
        {"spec": []},
        {"spec": "text"},
        {"spec": {"replicas": None}},
        {"spec": {"replicas": 0}},
        {"spec": {"replicas": [1, 2]}},
        {"spec": {"replicas": {"a": 1}}},
        {"spec": {"replicas": False}},
    ],
)
def test_a_plain_field_path_is_looked_up_as_the_walker_finds_it(data: Any) -> None:
    fast = JSONPath.compile("{.spec.replicas}")
    walked = JSONPath.compile("{.spec.replicas}")
    object.__setattr__(walked, "_field_chain", None)  # the general walker
    assert fast._field_chain == ("spec", "replicas")
    try:
        expected = walked.find_results(data)
    except JSONPathError as e:
        with pytest.raises(JSONPathError, match=str(e)):
            fast.find_results(data)
        return
    assert fast.find_results(data) == expected
