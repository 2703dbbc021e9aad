"""The stored form of an object: what kube-apiserver's storage round trip makes of numbers."""

from __future__ import annotations

import math
import tracemalloc
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


def test_a_stored_body_holds_no_more_memory_than_its_length() -> None:
    """Bodies live on in the body cache and the watch history: orjson's output of a ~1 KB
    object holds a 4 KB allocation."""
    obj = {"metadata": {"name": "n"}, "spec": {"packages": [f"package-{i:02d}" for i in range(40)]}}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        bodies = [codec.encode(obj, revision) for revision in range(100)]
        held = (tracemalloc.get_traced_memory()[0] - before) / len(bodies)
    finally:
        tracemalloc.stop()
    assert 500 < len(bodies[0]) < 1000
    assert held < len(bodies[0]) + 200
