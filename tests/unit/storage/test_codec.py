"""The stored form of an object: what kube-apiserver's storage round trip makes of numbers."""

from __future__ import annotations

import math
from typing import Any

from annex_gateway.storage import codec


def test_whole_floats_are_stored_as_integers_as_kube_stores_them() -> None:
    sent: dict[str, Any] = {
        "metadata": {"name": "n"},
        "spec": {
            "whole": 3.0,
            "zero": -0.0,
            "big": 1e16,  # orjson writes 1e16: found all the same
            "list": [1.0, -2.0, 0.5, {"deep": 4.0}],
            "half": 2.5,
            "tiny": 5e-7,
            "beyond": 1e19,  # beyond int64: Go reads it back as a float64
            "text": "3.0,",  # only numbers change
        },
    }
    stored = codec.decode(codec.encode(sent, 7))
    spec = stored["spec"]
    assert spec == {
        "whole": 3,
        "zero": 0,
        "big": 10**16,
        "list": [1, -2, 0.5, {"deep": 4}],
        "half": 2.5,
        "tiny": 5e-7,
        "beyond": 1e19,
        "text": "3.0,",
    }
    assert [type(spec[k]) for k in ("whole", "zero", "big", "half", "beyond")] == [
        int,
        int,
        int,
        float,
        float,
    ]
    assert type(spec["list"][3]["deep"]) is int
    assert stored["metadata"] == {"name": "n", "resourceVersion": "7"}
    assert math.copysign(1.0, sent["spec"]["zero"]) < 0  # the caller's object is left as it was


def test_objects_without_whole_floats_are_stored_as_encoded() -> None:
    sent = {"metadata": {"name": "n"}, "spec": {"i": 3, "f": 1.5, "s": "1e5"}}
    assert codec.encode(sent, 2) == (
        b'{"metadata":{"name":"n","resourceVersion":"2"},"spec":{"f":1.5,"i":3,"s":"1e5"}}'
    )


def test_objects_are_stored_as_a_crd_serves_them_keys_sorted_html_escaped() -> None:
    """Unstructured objects leave kube-apiserver through json.Encoder: map keys sorted,
    `<`, `>`, `&`, U+2028 and U+2029 escaped. Stored so, their bytes are served as they are."""
    sent = {"spec": {"b": "<x> & \u2029", "a": 1.0}, "kind": "K", "metadata": {"uid": "u"}}
    assert codec.encode(sent, 3) == (
        b'{"kind":"K","metadata":{"resourceVersion":"3","uid":"u"},'
        b'"spec":{"a":1,"b":"\\u003cx\\u003e \\u0026 \\u2029"}}'
    )
    assert codec.decode(codec.encode(sent, 3))["spec"]["b"] == "<x> & \u2029"
