"""Rules evaluate on only the fields they read (`cel.projection`), with the same results."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core.schema.cel import CompiledRules, compile_rules
from annex_core.schema.cel.checked import parse_checked
from annex_core.schema.cel.projection import projection

OBJECT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "a": {"type": "integer"},
        "b": {"type": "string"},
        "dash-name": {"type": "string"},
        "nested": {
            "type": "object",
            "properties": {"x": {"type": "integer"}, "y": {"type": "string"}},
        },
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "port": {"type": "integer"}},
            },
        },
    },
}


def _schema(
    rules: list[dict[str, Any]], item_rules: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    spec = {**OBJECT, "x-kubernetes-validations": rules}
    if item_rules:
        items = {**OBJECT["properties"]["items"]}
        items["items"] = {**items["items"], "x-kubernetes-validations": item_rules}
        spec["properties"] = {**OBJECT["properties"], "items": items}
    return {
        "type": "object",
        "properties": {"spec": spec},
        "x-kubernetes-validations": [{"rule": "self.metadata.name.size() <= 5"}],
    }


def _read(rule: str, message: str | None = None) -> Any:
    rules: list[dict[str, Any]] = [{"rule": rule}]
    if message:
        rules[0]["messageExpression"] = message
    compiled = compile_rules(_schema(rules))
    assert not compiled.errors
    spec = compiled._root.properties["spec"]  # type: ignore[union-attr]
    return spec.projection


@pytest.mark.parametrize(
    ("rule", "message", "expected"),
    [
        ("self.a <= 3", None, {"a": None}),
        ("self.a < 3 && has(self.nested.x)", None, {"a": None, "nested": {"x": None}}),
        ("self.nested.x > 0 && self.nested == oldSelf.nested", None, {"nested": None}),
        ("self.tags.team == 'x'", None, {"tags": {"team": None}}),
        ("self.dash__dash__name != ''", None, {"dash__dash__name": None}),
        ("self.a > 0", "'b is ' + self.b", {"a": None, "b": None}),
        ("self.items.all(i, i.port > 0)", None, {"items": None}),
        ("size(self.items) < 3", None, {"items": None}),
        ("self.items[0].port > 0", None, {"items": None}),
        ("true", None, {}),
        # a variable used whole: no projection
        ("self == oldSelf", None, None),
        ("self.a > 0 && size(self) > 1", None, None),
        ("self.all(k, k != 'z')", None, None),
    ],
)
def test_what_rules_read(rule: str, message: str | None, expected: Any) -> None:
    assert _read(rule, message) == expected


def test_a_comprehension_variable_named_like_self_gives_no_projection() -> None:
    compiled = compile_rules(_schema([{"rule": "self.items.all(i, i.port > 0)"}]))
    program = compiled._root.properties["spec"].rules[0].program  # type: ignore[union-attr]
    expr = parse_checked(program.serialize()).expr
    assert projection([expr]) == {"items": None}
    assert expr.kind == "comprehension"
    expr.iter_var = "self"
    assert projection([expr]) is None


def _unprojected(compiled: CompiledRules) -> CompiledRules:
    """The same rules with every node's values converted whole."""
    stack = [compiled._root]
    while stack:
        v = stack.pop()
        if v is None:
            continue
        v.projection = None
        stack += [*v.properties.values(), v.additional, v.items]
    return compiled


RULES: list[dict[str, Any]] = [
    {"rule": "self.a <= 3", "messageExpression": "'a is ' + string(self.a)"},
    {"rule": "!has(self.nested.x) || self.nested.x < self.a"},
    {"rule": "self.tags.team == 'core'"},
    {"rule": "self.b.startsWith('x')", "fieldPath": ".b"},
    {"rule": "self.nested.y == oldSelf.nested.y", "message": "y is immutable"},
    {"rule": "!has(self.items) || self.items.all(i, i.port > 0)"},
    {"rule": "self.dash__dash__name.size() < 4"},
]
ITEM_RULES: list[dict[str, Any]] = [{"rule": "self.port >= 1024 || self.name.startsWith('p')"}]
OBJECTS: list[dict[str, Any]] = [
    {"metadata": {"name": "ok"}, "spec": {"a": 1, "b": "xy", "tags": {"team": "core"}}},
    {
        "metadata": {"name": "too-long"},
        "spec": {
            "a": 9,
            "b": "yz",
            "dash-name": "long",
            "nested": {"x": 20, "y": "one"},
            "tags": {"other": "v"},
            "items": [{"name": "q", "port": 80}, {"name": "p", "port": 0}],
        },
    },
    {"metadata": {"name": "n"}, "spec": {"a": "text", "nested": None, "tags": {"team": 5}}},
    {"metadata": {"name": "m"}, "spec": {"a": 2, "b": "x", "nested": {"y": "two"}}},
    {"metadata": {}, "spec": {}},
]


def test_projected_rules_report_what_unprojected_rules_report() -> None:
    schema = _schema(RULES, ITEM_RULES)
    projected, whole = compile_rules(schema), _unprojected(compile_rules(schema))
    assert projected._root is not None
    assert projected._root.projection == {"metadata": {"name": None}}
    reported = 0
    for new in OBJECTS:
        for old in (None, *OBJECTS):
            expected = [str(e) for e in whole.validate(new, old)]
            assert [str(e) for e in projected.validate(new, old)] == expected
            reported += len(expected)
    assert reported > 50  # the cases break rules, in many ways
