"""Field paths and sets: expected values read off structured-merge-diff fieldpath/
(element.go Compare/String, serialize-pe.go, serialize.go emitContentsV1/readIterV1, set.go)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annex_gateway.patch.fieldpath import (
    FieldSet,
    PathElement,
    deserialize_path_element,
    path_string,
)

F, K, V, Ix = PathElement.field, PathElement.key, PathElement.value, PathElement.index


def test_serialize_path_elements() -> None:
    # serialize-pe.go: k: fields sorted by name, values written by jsoniter (HTML-safe).
    assert F("spec").serialize() == "f:spec"
    assert K([("protocol", "TCP"), ("port", 80)]).serialize() == 'k:{"port":80,"protocol":"TCP"}'
    assert V("a<b").serialize() == 'v:"a\\u003cb"'
    assert V(1.5).serialize() == "v:1.5"
    assert V(True).serialize() == "v:true"
    assert Ix(3).serialize() == "i:3"


def test_deserialize_path_elements() -> None:
    assert deserialize_path_element('k:{"b":1,"a":"x"}') == K([("a", "x"), ("b", 1)])
    assert deserialize_path_element("v:2") == V(2)
    assert deserialize_path_element("i:0") == Ix(0)
    with pytest.raises(ValueError, match="missing colon"):
        deserialize_path_element("f.x")
    with pytest.raises(ValueError, match="2 characters"):
        deserialize_path_element("f")


def test_strings_as_conflicts_print_them() -> None:
    # element.go String: .field, [k=v,...] with %q strings, [=value], [index]
    p = (F("spec"), F("ports"), K([("port", 80), ("protocol", "TCP")]), F("name"))
    assert path_string(p) == '.spec.ports[port=80,protocol="TCP"].name'
    assert path_string((F("tags"), V("x"))) == '.tags[="x"]'
    assert path_string((F("args"), Ix(0))) == ".args[0]"


def test_order_fields_keys_values_indexes() -> None:
    # element.go Compare: FieldName < Key < Value < Index; values: numbers < strings < bools.
    s = FieldSet([Ix(0), V(True), V("a"), V(2), V(1.5), K([("a", 1)]), F("z"), F("a")])
    assert list(s.to_fields(smd_order=True)) == [
        "f:a",
        "f:z",
        'k:{"a":1}',
        "v:1.5",
        "v:2",
        'v:"a"',
        "v:true",
        "i:0",
    ]


def test_served_order_is_plain_key_order() -> None:
    # A custom resource's managedFields are served as JSON maps: Go sorts their keys.
    s = FieldSet([K([("port", 80)]), K([("port", 443)]), V("b"), Ix(1), F("x")])
    assert list(s.to_fields()) == ["f:x", "i:1", 'k:{"port":443}', 'k:{"port":80}', 'v:"b"']


def test_to_fields_marks_owned_parents_with_dot() -> None:
    # serialize.go emitContentsV1: a member that also has children gets "." first.
    s = FieldSet.of(
        [
            (F("spec"),),
            (F("spec"), F("b")),
            (F("spec"), F("a"), F("x")),
            (F("metadata"), F("labels"), F("k")),
        ]
    )
    assert json.dumps(s.to_fields(), separators=(",", ":")) == (
        '{"f:metadata":{"f:labels":{"f:k":{}}},"f:spec":{".":{},"f:a":{"f:x":{}},"f:b":{}}}'
    )


def test_from_fields_round_trip_and_unknown_types_dropped() -> None:
    raw: dict[str, Any] = {
        "f:spec": {".": {}, "f:a": {}, "x:future": {}, 'k:{"n":"a"}': {".": {}, "f:v": {}}}
    }
    s = FieldSet.from_fields(raw)
    assert s.has((F("spec"),))
    assert s.has((F("spec"), K([("n", "a")])))
    assert s.to_fields() == {"f:spec": {".": {}, "f:a": {}, 'k:{"n":"a"}': {".": {}, "f:v": {}}}}
    with pytest.raises(ValueError, match="ReadMapCB"):
        FieldSet.from_fields({"f:a": "x"})
    with pytest.raises(ValueError, match="parsing key as path element"):
        FieldSet.from_fields({"k:notjson": {}})


def test_difference_is_not_recursive_but_recursive_difference_is() -> None:
    # set.go: parent - child = parent; child - parent = child (Difference) ...
    s = FieldSet.of([(F("a"),), (F("a"), F("b")), (F("c"), F("d"))])
    assert s.difference(FieldSet.of([(F("a"), F("b"))])).to_fields() == {
        "f:a": {},
        "f:c": {"f:d": {}},
    }
    assert s.difference(FieldSet.of([(F("c"),)])) == s
    # ... RecursiveDifference removes the subtree of a removed member.
    assert s.recursive_difference(FieldSet.of([(F("a"),)])).to_fields() == {"f:c": {"f:d": {}}}


def test_union_intersection_and_iterate_order() -> None:
    a = FieldSet.of([(F("x"),), (F("y"), F("z"))])
    b = FieldSet.of([(F("y"), F("z")), (F("y"), F("w"))])
    assert a.intersection(b).to_fields() == {"f:y": {"f:z": {}}}
    u = a.union(b)
    # Iterate: a node's members first, then its children, both sorted.
    assert [path_string(p) for p in u.iterate()] == [".x", ".y.w", ".y.z"]
    assert a.intersection(FieldSet()).empty()
