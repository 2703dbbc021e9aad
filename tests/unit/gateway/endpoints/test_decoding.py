"""What kube-apiserver's decoder says of a body whose apiVersion and kind it cannot read
(SimpleMetaFactory.Interpret, transformDecodeError, summarizeData); the differential test
tests/differential/test_request_errors.py holds the same against kube-apiserver itself."""

from __future__ import annotations

from typing import Any

import pytest

from annex_gateway.endpoints.decoding import kind_probe_error, unrecognized

PROBE = "couldn't get version/kind; json parse error: json: cannot unmarshal"
STRUCT = (
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
    'Kind string "json:\\"kind,omitempty\\"" }'
)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"apiVersion": "g/v1", "kind": "Thing"}, None),
        ({}, None),  # nothing to read is no error here: the kind is found missing later
        (None, None),
        ({"kind": None, "apiVersion": None}, None),  # null leaves a field unset
        ({"apiVersion": "/"}, None),
        ({"apiVersion": "v1"}, None),
        ([1, 2], f"{PROBE} array into Go value of type {STRUCT}"),
        ("text", f"{PROBE} string into Go value of type {STRUCT}"),
        (True, f"{PROBE} bool into Go value of type {STRUCT}"),
        (5, f"{PROBE} number into Go value of type {STRUCT}"),
        ({"kind": 5}, f"{PROBE} number into Go struct field .kind of type string"),
        ({"KIND": {}}, f"{PROBE} object into Go struct field .kind of type string"),
        ({"ApiVersion": [1]}, f"{PROBE} array into Go struct field .apiVersion of type string"),
        ({"apiVersion": "a/b/c"}, "unexpected GroupVersion string: a/b/c"),
    ],
)
def test_the_kind_probe(body: Any, error: str | None) -> None:
    assert kind_probe_error(body) == error


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (b"", "<empty>"),
        (b'{"a": 1}', '{"a": 1}'),
        (b'{"apiVersion": "some.group.example/v1"}', '{"apiVersion": "some.group.exa ...'),
        (b"[1, 2]", "5b312c20325d"),
        (b" {}", "207b7d"),  # only a body that begins with "{" is quoted as text
        (b"x" * 31, "78" * 30 + " ..."),
    ],
)
def test_the_summary_of_an_unrecognized_body(body: bytes, summary: str) -> None:
    error = unrecognized("Thing", "why", body)
    assert (error.code, error.reason) == (400, "BadRequest")
    assert (
        error.message
        == f"the object provided is unrecognized (must be of type Thing): why ({summary})"
    )
