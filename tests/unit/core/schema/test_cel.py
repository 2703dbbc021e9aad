"""CRD validation rules (x-kubernetes-validations) as kube-apiserver 1.37 reports them.

The first case's expected text was taken from a real kube-apiserver v1.37.2 (same CRD).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from annex_core.apidef import FieldError
from annex_core.schema.cel import compile_rules

INVALID = "FieldValueInvalid"


def _spec(props: dict[str, Any], rules: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": props,
                "x-kubernetes-validations": rules,
                **extra,
            }
        },
    }


def _messages(errors: list[FieldError]) -> list[str]:
    return [str(e) for e in errors]


def test_errors_as_kube_apiserver_reports_them() -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [{"rule": "self.metadata.name != 'bad'"}],
        "properties": {
            "spec": {
                "type": "object",
                "x-kubernetes-validations": [
                    {"rule": "self.minReplicas <= self.replicas", "message": "min too big"},
                    {"rule": "self.missing > 0"},
                    {"rule": "self.q + 1 > 0"},
                    {"rule": "self.replicas < 100", "reason": "FieldValueDuplicate"},
                    {"rule": "self.s.size() < 3", "fieldPath": ".s", "messageExpression": "''"},
                    {"rule": "self.l.all(x, x < 5)"},
                ],
                "properties": {
                    "minReplicas": {"type": "integer"},
                    "replicas": {"type": "integer"},
                    "missing": {"type": "integer"},
                    "s": {
                        "type": "string",
                        "x-kubernetes-validations": [{"rule": "self.size() < 2"}],
                    },
                    "l": {
                        "type": "array",
                        "items": {"type": "integer"},
                        "x-kubernetes-validations": [{"rule": "self.size() < 2"}],
                    },
                    "q": {"x-kubernetes-int-or-string": True},
                },
            }
        },
    }
    rules = compile_rules(schema)
    assert rules.errors == []
    assert not rules.empty
    obj = {
        "apiVersion": "cel.example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "bad", "namespace": "default"},
        "spec": {"minReplicas": 5, "replicas": 300, "s": "abcd", "l": [1, 9], "q": "x"},
    }
    errors = rules.validate(obj, None)
    assert _messages(errors) == [
        "<nil>: Invalid value: failed rule: self.metadata.name != 'bad'",
        'spec: Invalid value: "object": no such key: missing evaluating rule: self.missing > 0',
        "spec: Invalid value: \"object\": 'no such overload': call arguments did not match a "
        "supported operator, function or macro signature for rule: self.q + 1 > 0",
        "spec: Duplicate value",
        "spec.s: Invalid value: failed rule: self.s.size() < 3",
        "spec: Invalid value: failed rule: self.l.all(x, x < 5)",
        'spec.s: Invalid value: "abcd": failed rule: self.size() < 2',
        "spec.l: Invalid value: failed rule: self.size() < 2",
    ]
    assert [e.reason for e in errors] == [
        INVALID,
        INVALID,
        INVALID,
        "FieldValueDuplicate",
        INVALID,
        INVALID,
        INVALID,
        INVALID,
    ]


def test_compile_errors_as_a_crd_write_reports_them() -> None:
    rules = compile_rules(
        _spec(
            {"s": {"type": "string"}},
            [
                {"rule": "'s' + 1 > 0"},
                {"rule": "self.s"},
                {"rule": "self.s == 'a'", "messageExpression": "1"},
                {"rule": " "},
                {"rule": "self.s == 'a'", "optionalOldSelf": True},
            ],
        )
    )
    base = "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations"
    assert [(e.field, e.reason) for e in rules.errors] == [
        (f"{base}[0].rule", INVALID),
        (f"{base}[1].rule", INVALID),
        (f"{base}[2].messageExpression", INVALID),
        (f"{base}[3].rule", "FieldValueRequired"),
        (f"{base}[4].optionalOldSelf", INVALID),
    ]
    assert rules.errors[0].message == (
        'Invalid value: {"Rule":"\'s\' + 1 \\u003e 0","Message":"","MessageExpression":"",'
        '"Reason":null,"FieldPath":"","OptionalOldSelf":null}: compilation failed: '
        "ERROR: <input>:1:5: found no matching overload for '_+_' applied to '(string, int)'\n"
        " | 's' + 1 > 0\n"
        " | ....^"
    )
    assert rules.errors[1].message.endswith(": cel expression must evaluate to a bool")
    assert rules.errors[2].message.endswith(": messageExpression must evaluate to a string")
    assert rules.errors[3].message == "Required value: rule is not specified"
    assert rules.errors[4].message == (
        "Invalid value: true: may not be set if oldSelf is not used in rule"
    )


def test_compile_path_prefix_and_empty() -> None:
    assert compile_rules({"type": "object", "properties": {"a": {"type": "string"}}}).empty
    rules = compile_rules(
        {"type": "object", "x-kubernetes-validations": [{"rule": "1"}]},
        "spec.versions[0].schema.openAPIV3Schema",
    )
    assert (
        rules.errors[0].field
        == "spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule"
    )


def test_transition_rules_run_on_update_only_and_ratcheting() -> None:
    rules = compile_rules(
        _spec(
            {"replicas": {"type": "integer"}, "name": {"type": "string"}},
            [
                {"rule": "self.replicas >= oldSelf.replicas", "message": "no shrink"},
                {"rule": "self.name.startsWith('a')", "message": "bad name"},
            ],
        )
    )
    create = rules.validate({"spec": {"replicas": 1, "name": "b"}}, None)
    assert _messages(create) == ["spec: Invalid value: bad name"]
    # Unchanged spec: the non-transition failure is ratcheted, the transition rule passes.
    same = {"spec": {"replicas": 1, "name": "b"}}
    assert rules.validate(same, {"spec": {"replicas": 1, "name": "b"}, "x": 1}) == []
    changed = rules.validate(
        {"spec": {"replicas": 1, "name": "b"}}, {"spec": {"replicas": 2, "name": "b"}}
    )
    assert _messages(changed) == ["spec: Invalid value: no shrink", "spec: Invalid value: bad name"]


def test_optional_old_self_runs_on_create() -> None:
    rules = compile_rules(
        _spec(
            {"replicas": {"type": "integer"}},
            [
                {
                    "rule": "oldSelf.hasValue() ? self.replicas >= oldSelf.value().replicas : self.replicas == 1",
                    "optionalOldSelf": True,
                    "message": "m",
                }
            ],
        )
    )
    assert rules.errors == []
    assert _messages(rules.validate({"spec": {"replicas": 2}}, None)) == ["spec: Invalid value: m"]
    assert rules.validate({"spec": {"replicas": 1}}, None) == []
    assert rules.validate({"spec": {"replicas": 3}}, {"spec": {"replicas": 2}}) == []
    assert _messages(rules.validate({"spec": {"replicas": 1}}, {"spec": {"replicas": 2}})) == [
        "spec: Invalid value: m"
    ]


def test_message_expression_and_its_fallbacks() -> None:
    rules = compile_rules(
        {
            "type": "object",
            "properties": {
                "n": {
                    "type": "string",
                    "x-kubernetes-validations": [
                        {"rule": "self == 'ok'", "messageExpression": "'got ' + self"},
                        {
                            "rule": "self == 'ok'",
                            "messageExpression": "string(1 / (size(self) - 2))",
                            "message": "static",
                        },
                        {"rule": "self == 'ok'", "messageExpression": "'  '"},
                    ],
                }
            },
        }
    )
    assert _messages(rules.validate({"n": "no"}, None)) == [
        'n: Invalid value: "no": got no',
        'n: Invalid value: "no": static',
        "n: Invalid value: \"no\": failed rule: self == 'ok'",
    ]


def test_reasons() -> None:
    rules = compile_rules(
        _spec(
            {"a": {"type": "integer"}},
            [
                {"rule": "false", "reason": "FieldValueForbidden", "message": "f"},
                {"rule": "false", "reason": "FieldValueRequired", "message": "r"},
            ],
        )
    )
    errors = rules.validate({"spec": {"a": 1}}, None)
    assert [(e.field, e.reason, e.message) for e in errors] == [
        ("spec", "FieldValueForbidden", "Forbidden: f"),
        ("spec", "FieldValueRequired", "Required value: r"),
    ]


def test_levels_escaping_and_invisible_fields() -> None:
    rules = compile_rules(
        {
            "type": "object",
            "properties": {
                "labels": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "string",
                        "x-kubernetes-validations": [{"rule": "self.size() < 3"}],
                    },
                },
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "my-name": {"type": "string"},
                            "namespace": {"type": "string"},
                        },
                        "x-kubernetes-validations": [
                            {"rule": "self.my__dash__name == self.__namespace__"},
                            {"rule": "!has(self.hidden)"},
                        ],
                    },
                },
            },
        }
    )
    obj = {
        "labels": {"a": "long", "b": "ok"},
        "items": [
            {"my-name": "x", "namespace": "x", "hidden": 1},
            {"my-name": "x", "namespace": "y"},
        ],
    }
    assert _messages(rules.validate(obj, None)) == [
        'labels[a]: Invalid value: "long": failed rule: self.size() < 3',
        "items[1]: Invalid value: failed rule: self.my__dash__name == self.__namespace__",
    ]


def test_set_and_map_lists_compare_order_insensitively_in_transition_rules() -> None:
    rules = compile_rules(
        _spec(
            {
                "tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "x-kubernetes-list-type": "set",
                },
                "ports": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    "items": {
                        "type": "object",
                        "properties": {"name": {"type": "string"}, "port": {"type": "integer"}},
                    },
                },
            },
            [{"rule": "self == oldSelf", "message": "immutable"}],
        )
    )
    old = {
        "spec": {"tags": ["a", "b"], "ports": [{"name": "x", "port": 1}, {"name": "y", "port": 2}]}
    }
    new = {
        "spec": {"tags": ["b", "a"], "ports": [{"name": "y", "port": 2}, {"name": "x", "port": 1}]}
    }
    assert rules.validate(new, old) == []
    new["spec"]["tags"] = ["b", "c"]
    assert _messages(rules.validate(new, old)) == ["spec: Invalid value: immutable"]


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (
            "quantity(self).isLessThan(quantity('1Gi')) && quantity(self).compareTo(quantity('512Mi')) == 0",
            "512Mi",
        ),
        ("quantity(self).add(quantity('500m')).asApproximateFloat() == 1.5", "1"),
        ("isQuantity(self) && !isQuantity('1x')", "10k"),
        (
            "ip(self).family() == 4 && ip(self).isLoopback() && isIP(self) && !isIP('1.2.3')",
            "127.0.0.1",
        ),
        (
            "cidr('10.0.0.0/8').containsIP(self) && cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')",
            "10.1.1.1",
        ),
        ("cidr(self).prefixLength() == 24 && isCIDR(self)", "192.168.0.0/24"),
        ("semver(self).isGreaterThan(semver('1.2.3')) && semver(self).major() == 1", "1.10.0"),
        ("isSemver('v1.2', true) && !isSemver('v1.2')", "x"),
        (
            "url(self).getHost() == 'example.com:8080' && url(self).getPort() == '8080'",
            "https://example.com:8080/p",
        ),
        (
            "isURL(self) && url(self).getScheme() == 'https' && url(self).getEscapedPath() == '/p'",
            "https://e.com/p",
        ),
        ("!format.dns1123Label().validate(self).hasValue()", "my-name"),
        ("format.dns1123Label().validate(self).hasValue()", "My_Name"),
        ("format.named('uuid').hasValue() && !format.named('nope').hasValue()", "x"),
        ("self.find('[0-9]+') == '12' && self.findAll('[a-z]') == ['a', 'b']", "a12b"),
        (
            "[1, 2, 3].isSorted() && [1, 2, 3].sum() == 6 && [3, 1].min() == 1 && [3, 1].max() == 3",
            "x",
        ),
        ("[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2", "x"),
        (
            "sets.contains([1, 2], [2]) && sets.equivalent([1, 2], [2, 1]) && sets.intersects([1], [1, 3])",
            "x",
        ),
        ("self.lowerAscii() == 'abc' && self.split('') .size() == 3", "ABC"),
        ("optional.of(self).orValue('z') == self && optional.none().orValue(1) == 1", "x"),
    ],
)
def test_kubernetes_libraries(rule: str, value: str) -> None:
    rules = compile_rules(
        {
            "type": "object",
            "properties": {"v": {"type": "string", "x-kubernetes-validations": [{"rule": rule}]}},
        }
    )
    assert rules.errors == []
    assert rules.validate({"v": value}, None) == []


def test_library_errors_are_runtime_errors() -> None:
    rules = compile_rules(
        {
            "type": "object",
            "properties": {
                "v": {
                    "type": "string",
                    "x-kubernetes-validations": [{"rule": "sign(quantity(self)) == 1"}],
                }
            },
        }
    )
    (error,) = rules.validate({"v": "1x"}, None)
    assert error.field == "v"
    assert error.message.startswith(
        'Invalid value: "string": quantities must match the regular expression'
    )
    assert error.message.endswith(" evaluating rule: sign(quantity(self)) == 1")


def test_lists_range_refuses_negative_and_huge_sizes_as_cel_go_does() -> None:
    rules = compile_rules(
        {
            "type": "object",
            "properties": {
                "n": {
                    "type": "integer",
                    "maximum": 2_000_000,
                    "x-kubernetes-validations": [{"rule": "lists.range(self).size() >= 0"}],
                }
            },
        }
    )
    assert rules.validate({"n": 3}, None) == []
    for n, why in (
        (-2, "lists.range: size must be non-negative, got -2"),
        (1_000_001, "lists.range: size 1000001 exceeds maximum allowed (1000000)"),
    ):
        (error,) = rules.validate({"n": n}, None)
        assert error.message == (
            f'Invalid value: "integer": {why} evaluating rule: lists.range(self).size() >= 0'
        )


def _clock(step: float) -> Iterator[float]:
    t = 0.0
    while True:
        yield t
        t += step


def test_cost_limits() -> None:
    schema = _spec({"a": {"type": "integer"}}, [{"rule": "true"}, {"rule": "true"}])
    rules = compile_rules(schema)
    ticks = _clock(0.2)  # every evaluation "takes" 0.2 s: over the 0.1 s per-call limit
    rules.clock = lambda: next(ticks)
    assert _messages(rules.validate({"spec": {"a": 1}}, None)) == [
        "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': "
        "no further validation rules will be run due to call cost exceeds limit for rule: true"
    ]
    many = compile_rules(_spec({"a": {"type": "integer"}}, [{"rule": "true"}] * 20))
    ticks = _clock(0.09)  # under the per-call limit, but 20 x 0.09 s exceeds the 1 s budget
    many.clock = lambda: next(ticks)
    assert _messages(many.validate({"spec": {"a": 1}}, None)) == [
        'spec: Invalid value: "object": validation failed due to running out of cost budget, '
        "no further validation rules will be run"
    ]


def test_transition_rules_below_lists_that_do_not_pair_items_are_refused() -> None:
    """validation.go: oldSelf only where old and new correlate (map lists, not atomic or set)."""
    item = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string"}},
        "x-kubernetes-validations": [{"rule": "self == oldSelf"}],
    }
    schema = {
        "type": "object",
        "properties": {
            "atomic": {"type": "array", "items": item},
            "byKey": {
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["a"],
                "items": item,
            },
        },
    }
    assert [str(e) for e in compile_rules(schema).errors] == [
        "spec.validation.openAPIV3Schema.properties[atomic].items.x-kubernetes-validations[0]"
        '.rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable '
        "portion of the schema within spec.validation.openAPIV3Schema.properties[atomic]"
    ]


def test_rules_sharing_an_activation_report_what_each_reports_alone() -> None:
    # Rules of one node with the same variables share one activation (converted once):
    # together they report exactly what each reports alone, a type error, a message
    # expression and transition rules included.
    props = {
        "n": {"type": "integer"},
        "s": {"type": "string"},
        "l": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
    }
    rules: list[dict[str, Any]] = [
        {"rule": "self.n > 1"},
        {"rule": "self.s.startsWith('x')", "messageExpression": "'s is ' + self.s"},
        {"rule": "self.n < 10"},
        {"rule": "self.l == oldSelf.l", "message": "l is immutable"},
        {"rule": "self.s == oldSelf.s"},
        {"rule": "!oldSelf.hasValue() || self.n >= oldSelf.value().n", "optionalOldSelf": True},
        {"rule": "oldSelf.hasValue() || self.s != 'y'", "optionalOldSelf": True},
    ]
    bad = {"spec": {"n": "not a number", "s": "y", "l": ["b", "a"]}}
    new = {"spec": {"n": 20, "s": "y", "l": ["c"]}}
    old = {"spec": {"n": 30, "s": "z", "l": ["a", "b"]}}
    together = compile_rules(_spec(props, rules))
    assert not together.errors
    alone = [compile_rules(_spec(props, [rule])) for rule in rules]
    for obj, prior in ((bad, None), (new, None), (new, old), (bad, old)):
        expected = [str(e) for one in alone for e in one.validate(obj, prior)]
        assert _messages(together.validate(obj, prior)) == expected
        assert expected  # every case fails some rule


def test_an_int_or_string_value_neither_int_nor_string_fails_its_rules_as_kube_says() -> None:
    # apiextensions-apiserver v0.37.2 (UnstructuredToVal), on {"p0": 2.0} (a JSON float), 2
    # and "" (taken from the Go code: customResourceStrategy.Validate's CEL part):
    rule = "type(self) == int ? self > 0 : self != ''"
    rules = compile_rules(
        _spec(
            {
                "p0": {
                    "x-kubernetes-int-or-string": True,
                    "x-kubernetes-validations": [{"rule": rule}],
                }
            },
            [],
        )
    )
    assert not rules.errors
    errors = rules.validate({"spec": {"p0": 2.0}}, None)
    assert [(e.field, e.reason, e.message) for e in errors] == [
        (
            "spec.p0",
            INVALID,
            'Invalid value: "": invalid data, expected XIntOrString value to be either a string or '
            f"integer evaluating rule: {rule}",
        )
    ]
    assert rules.validate({"spec": {"p0": 2}}, None) == []
    assert _messages(rules.validate({"spec": {"p0": ""}}, None)) == [
        f'spec.p0: Invalid value: "": failed rule: {rule}'
    ]


def test_a_ratcheted_value_of_the_wrong_type_fails_its_rules_as_kube_says() -> None:
    # A value kept from the old object passes ratcheting, not CEL (kube: UnstructuredToVal's
    # error; texts from apiextensions-apiserver v0.37.2's ValidateUpdate, gen/costgen).
    props: dict[str, Any] = {
        "n": {"type": "integer", "x-kubernetes-validations": [{"rule": "self > 2"}]},
        "l": {
            "type": "array",
            "items": {"type": "string"},
            "x-kubernetes-validations": [{"rule": "size(self) != 1"}],
        },
    }
    rules = compile_rules(_spec(props, []))
    old = {"spec": {"n": "x", "l": 3}}
    # (in the object's order; Go walks a map)
    assert sorted(_messages(rules.validate({"spec": {"n": "x", "l": 3}}, old))) == [
        'spec.l: Invalid value: "array": invalid data, expected an array for the provided '
        "schema with type=array evaluating rule: size(self) != 1",
        'spec.n: Invalid value: "integer": invalid data, expected int, got string evaluating '
        "rule: self > 2",
    ]


def test_two_variable_comprehensions_evaluate_as_kube_does() -> None:
    # cel-go's ext.TwoVarComprehensions (kube 1.32+); expected texts, in order, from
    # apiextensions-apiserver v0.37.2's ValidateCustomResource (gen/costgen, `validate`).
    props: dict[str, Any] = {
        "l": {"type": "array", "items": {"type": "integer"}},
        "s": {"type": "array", "items": {"type": "string"}},
        "m": {"type": "object", "additionalProperties": {"type": "integer"}},
        "o": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    }
    rules = compile_rules(
        _spec(
            props,
            [
                {"rule": "self.l.all(i, v, v > i)"},
                {"rule": "self.s.exists(i, v, v == 'b')"},
                {"rule": "self.m.all(k, v, v < k.size())"},
                {"rule": "self.m.existsOne(k, v, v == 1)"},
                {"rule": "self.l.transformList(i, v, v * i).all(x, x < 10)"},
                {"rule": "self.l.transformList(i, v, i % 2 == 0, v).size() <= 2"},
                {"rule": "self.o.all(i, x, x.tags.all(j, t, t.startsWith(x.name)))"},
                {
                    "rule": "self.s.all(i, v, v.size() > i)",
                    "messageExpression": (
                        "self.s.transformList(i, v, string(i) + '=' + v).join(', ')"
                    ),
                },
                {"rule": "self.l.all(i, v, self.l[i] == v)"},
                {"rule": "self.m.exists(k, v, self.m[k] / (v - 3) > 0)"},
            ],
        )
    )
    assert rules.errors == []
    objects = [
        {"l": [1, 2, 3], "s": ["a", "b"], "m": {"ab": 1}, "o": [{"name": "x", "tags": ["xa"]}]},
        {
            "l": [0, 5, 1],
            "s": ["a"],
            "m": {"a": 1, "b": 1, "ccc": 5},
            "o": [{"name": "x", "tags": ["xa", "y"]}],
        },
        {"l": [9, 9, 9, 9], "s": ["", "b", "cc"], "m": {"zz": 3}, "o": []},
        {"l": [], "s": [], "m": {}, "o": [{"name": "q", "tags": []}]},
    ]
    failed = "spec: Invalid value: failed rule: "
    assert [_messages(rules.validate({"spec": o}, None)) for o in objects] == [
        ["spec: Invalid value: 0=a, 1=b", failed + "self.m.exists(k, v, self.m[k] / (v - 3) > 0)"],
        [
            failed + "self.l.all(i, v, v > i)",
            failed + "self.s.exists(i, v, v == 'b')",
            failed + "self.m.all(k, v, v < k.size())",
            failed + "self.m.existsOne(k, v, v == 1)",
            failed + "self.o.all(i, x, x.tags.all(j, t, t.startsWith(x.name)))",
        ],
        [
            failed + "self.m.all(k, v, v < k.size())",
            failed + "self.m.existsOne(k, v, v == 1)",
            failed + "self.l.transformList(i, v, v * i).all(x, x < 10)",
            "spec: Invalid value: 0=, 1=b, 2=cc",
            'spec: Invalid value: "object": division by zero evaluating rule: '
            "self.m.exists(k, v, self.m[k] / (v - 3) > 0)",
        ],
        [
            failed + "self.s.exists(i, v, v == 'b')",
            failed + "self.m.existsOne(k, v, v == 1)",
            failed + "self.m.exists(k, v, self.m[k] / (v - 3) > 0)",
        ],
    ]


def test_transform_map_is_refused_when_the_definition_is_checked() -> None:
    # kube accepts these; cel-expr-python declares them but cannot plan cel.@mapInsert, so
    # the rule is refused where it is written, never failing a request.
    rules = compile_rules(
        _spec(
            {"m": {"type": "object", "additionalProperties": {"type": "integer"}}},
            [{"rule": "self.m.transformMap(k, v, v * 2).size() == 1"}],
        )
    )
    assert [e.field for e in rules.errors] == [
        "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule"
    ]
    assert rules.errors[0].message.endswith(
        "compilation failed: transformMap and transformMapEntry are not supported "
        "(the CEL runtime has no cel.@mapInsert)"
    )


def _rule_errors(rule: str) -> list[str]:
    """What a CRD write says of `rule` (compiled alone, with a message): each error's detail
    after the rule's JSON."""
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": rule, "message": "m"}]}
    return [
        e.message.partition('"OptionalOldSelf":null}: ')[2] for e in compile_rules(schema).errors
    ]


def test_the_environment_is_a_crds() -> None:
    """kube 1.37's CRD rules have strings v2 (no reverse), no cel.bind, and quantity's sign
    as a function; issues print ordered by location, as cel-go sorts them
    (tests/differential/test_cel_environment.py compares the same against kube-apiserver)."""

    assert _rule_errors("'abc'.reverse() == 'cba'") == [
        "compilation failed: ERROR: <input>:1:14: found no matching overload for 'reverse' applied to 'string.()'\n"
        " | 'abc'.reverse() == 'cba'\n"
        " | .............^"
    ]
    (bind,) = _rule_errors("cel.bind(x, 1, x == 1)")
    issues = bind.removeprefix("compilation failed: ").splitlines()
    assert [line[:22] for line in issues if line.startswith("ERROR")] == [
        "ERROR: <input>:1:1: un",
        "ERROR: <input>:1:9: un",
        "ERROR: <input>:1:10: u",
        "ERROR: <input>:1:16: u",
    ]
    assert _rule_errors("sign(quantity('1')) == 1") == []
    assert _rule_errors("quantity('1').sign() == 1") != []


def test_literals_are_checked_when_the_rule_compiles_as_cel_go_does() -> None:
    """AST validators (duration, timestamp and regex literals, lists and maps of one type) and
    the planner's folding of constant conversions, worded as kube-apiserver 1.37 words them
    (the differential test_cel_environment compares them with a CRD's)."""

    assert _rule_errors("duration('1d') > duration('0s')") == [
        "compilation failed: ERROR: <input>:1:10: invalid duration argument\n"
        " | duration('1d') > duration('0s')\n"
        " | .........^"
    ]
    assert _rule_errors(
        "'a'.matches('[') &&\n  timestamp('x') > timestamp('2020-01-01T00:00:00Z')"
    ) == [
        "compilation failed: ERROR: <input>:1:13: invalid matches argument\n"
        " | 'a'.matches('[') &&\n"
        " | ............^\n"
        "ERROR: <input>:2:13: invalid timestamp argument\n"
        " |   timestamp('x') > timestamp('2020-01-01T00:00:00Z')\n"
        " | ............^"
    ]
    assert _rule_errors("[1, 'a'].size() == 2") == [
        "compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'string'\n"
        " | [1, 'a'].size() == 2\n"
        " | ....^"
    ]
    assert _rule_errors("'%s %d'.format(['a', 1]) != ''") == []  # format's lists are exempt
    assert _rule_errors("int(1e20) > 0") == ["program instantiation failed: integer overflow"]
    assert _rule_errors("string(b'\\xff') == ''") == [
        "program instantiation failed: invalid UTF-8 in bytes, cannot convert to string"
    ]
    assert _rule_errors("duration('1h') > duration('1m') && [1, 2] == [1, 2]") == []
