"""Writes tests/unit/core/cel_cost_cases.py (schemas whose CEL rules exercise the static cost
estimate), cel_schema_error_cases.py, cel_rule_field_cases.py and cel_default_rule_cases.py,
with the errors
apiextensions-apiserver v0.37.2 gives a CRD with that schema.

Run once, by hand, with the Go program beside this file built (see costgen/README.md):
    .venv/bin/python -m tests.unit.core.gen.cel_cost_cases_gen /tmp/costgen/costgen
It is not a test; the unit tests read only the generated file.
"""

from __future__ import annotations

import json
import pprint
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.unit.core.test_structural import OTHER

Schema = dict[str, Any]
STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
# Schema errors (not structural ones): a map list of strings, uniqueItems.
MAP_OF_STRINGS: Schema = {"type": "array", "items": STR, "x-kubernetes-list-type": "map"}
UNIQUE: Schema = {"type": "array", "items": STR, "uniqueItems": True}


def obj(**props: Schema) -> Schema:
    return {"type": "object", "properties": props}


def arr(items: Schema, **kw: Any) -> Schema:
    return {"type": "array", "items": items, **kw}


def dictof(values: Schema, **kw: Any) -> Schema:
    return {"type": "object", "additionalProperties": values, **kw}


def rules(schema: Schema, *rs: str | dict[str, Any]) -> Schema:
    """`schema` with these rules (a string: just the rule)."""
    raw = [{"rule": r} if isinstance(r, str) else r for r in rs]
    return {**schema, "x-kubernetes-validations": raw}


def bounded(length: int) -> Schema:
    return {"type": "string", "maxLength": length}


def spec(**props: Schema) -> Schema:
    """A root with one property `spec` (rules on the root see it)."""
    return obj(spec=obj(**props))


REGEX = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"

CASES: list[Schema] = [
    # unbounded lists and strings
    rules(spec(items=arr(STR)), f"self.spec.items.all(x, x.matches('{REGEX}'))"),
    rules(spec(items=arr(STR)), "self.spec.items.exists(x, x == 'a')"),
    rules(spec(items=arr(STR)), "self.spec.items.map(x, x + '!').size() > 0"),
    rules(spec(items=arr(STR)), "self.spec.items.filter(x, x.startsWith('a')).size() == 0"),
    # bounded by maxItems and maxLength: under budget
    rules(
        spec(items=arr(bounded(63), maxItems=100)),
        f"self.spec.items.all(x, x.matches('{REGEX}'))",
    ),
    # bounded lists of unbounded strings: over by a small factor
    rules(spec(items=arr(STR, maxItems=10)), f"self.spec.items.all(x, x.matches('{REGEX}'))"),
    rules(
        spec(items=arr(bounded(1000), maxItems=80)), "self.spec.items.all(x, x.matches('[a-z]+'))"
    ),
    # nested lists: the cardinalities multiply
    rules(spec(grid=arr(arr(STR))), "self.spec.grid.all(r, r.all(c, c.size() < 10))"),
    rules(
        spec(grid=arr(arr(bounded(10), maxItems=100), maxItems=100)),
        "self.spec.grid.all(r, r.all(c, c == 'x'))",
    ),
    # rules under unbounded lists and maps run once per item
    {
        "type": "object",
        "properties": {"spec": obj(items=arr(rules(STR, "self.matches('^[a-z]+$')")))},
    },
    {
        "type": "object",
        "properties": {
            "spec": obj(items=arr(rules(bounded(20), "self.matches('^[a-z]+$')"), maxItems=5000))
        },
    },
    {
        "type": "object",
        "properties": {
            "spec": obj(
                grid=arr(
                    arr(rules(bounded(100), "self.lowerAscii() == self"), maxItems=200),
                    maxItems=200,
                )
            )
        },
    },
    {
        "type": "object",
        "properties": {
            "spec": obj(labels=dictof(rules(STR, "self.size() < 64 && self.contains('x')")))
        },
    },
    {
        "type": "object",
        "properties": {
            "spec": obj(labels=dictof(rules(bounded(63), "self.contains('x')"), maxProperties=1000))
        },
    },
    # maps
    rules(spec(labels=dictof(STR)), "self.spec.labels.all(k, self.spec.labels[k].matches('^v'))"),
    rules(
        spec(labels=dictof(STR, maxProperties=10)), "self.spec.labels.exists(k, k.startsWith('x'))"
    ),
    # strings: concatenation, size, split/join, case
    rules(spec(a=STR, b=STR), "self.spec.a + self.spec.b == 'ab'"),
    rules(spec(a=STR), "self.spec.a.size() < 10"),
    rules(spec(a=STR), "self.spec.a.split(',').all(x, x.size() < 3)"),
    rules(spec(items=arr(STR)), "self.spec.items.join(',').lowerAscii() == 'a'"),
    rules(spec(a=bounded(100)), "self.spec.a.split(',').join('-').upperAscii() == self.spec.a"),
    # the Kubernetes libraries
    rules(spec(u=arr(STR)), "self.spec.u.all(x, isURL(x) && url(x).getHost() != '')"),
    rules(spec(ips=arr(STR)), "self.spec.ips.all(x, isIP(x) && ip(x).family() == 4)"),
    rules(spec(nets=arr(STR)), "self.spec.nets.all(x, cidr(x).containsIP('10.0.0.1'))"),
    rules(spec(q=arr(STR)), "self.spec.q.all(x, quantity(x).isLessThan(quantity('1Gi')))"),
    rules(spec(v=arr(STR)), "self.spec.v.all(x, isSemver(x) && semver(x).major() > 0)"),
    rules(spec(n=arr(STR)), "self.spec.n.all(x, !format.dns1123Label().validate(x).hasValue())"),
    rules(
        spec(n=arr(bounded(63), maxItems=64)),
        "self.spec.n.all(x, !format.dns1123Label().validate(x).hasValue())",
    ),
    # messageExpression: its own limit, not multiplied
    rules(spec(a=STR), {"rule": "self.spec.a == 'x'", "messageExpression": "'was ' + self.spec.a"}),
    rules(
        spec(items=arr(STR)),
        {"rule": "self.spec.items.size() < 3", "messageExpression": "self.spec.items.join(', ')"},
    ),
    rules(
        spec(a=bounded(10)),
        {"rule": "self.spec.a == 'x'", "messageExpression": "'was ' + self.spec.a"},
    ),
    # both over, and a rule that does not compile beside one over budget
    rules(
        spec(items=arr(STR)),
        {
            "rule": "self.spec.items.all(x, x.contains('a'))",
            "messageExpression": "self.spec.items.join(',')",
        },
        "self.spec.nope == 1 +",
    ),
    # cel-go's paths alias (one Go array): `o.name` is taken for the inner range `o.tags`
    rules(
        obj(objs=arr(obj(name=STR, tags=arr(bounded(10), maxItems=3)), maxItems=20)),
        "self.objs.all(o, o.tags.all(t, t.contains(o.name)))",
    ),
    rules(
        spec(objs=arr(obj(name=STR, tags=arr(bounded(10), maxItems=3)), maxItems=20)),
        "self.spec.objs.all(o, o.tags.all(t, t.contains(o.name)))",
    ),
    # transition rules: oldSelf plain and optional
    rules(spec(items=arr(STR)), "self.spec.items.all(x, x in oldSelf.spec.items)"),
    rules(
        spec(items=arr(STR)),
        {
            "rule": "!oldSelf.hasValue() || oldSelf.value().spec.items.all(x, x.matches('a'))",
            "optionalOldSelf": True,
        },
    ),
    # embedded resources and int-or-string
    {
        "type": "object",
        "properties": {
            "spec": obj(
                objs=arr(
                    rules(
                        {
                            "type": "object",
                            "x-kubernetes-embedded-resource": True,
                            "properties": {"data": STR},
                        },
                        "self.metadata.name.matches('^[a-z]+$') && self.data.contains('x')",
                    )
                )
            )
        },
    },
    rules(
        spec(ios=arr({"x-kubernetes-int-or-string": True})),
        "self.spec.ios.all(x, string(x).matches('^[0-9]+$'))",
    ),
    # under budget everywhere: no error
    rules(
        spec(items=arr(obj(name=bounded(63), port=INT), maxItems=100)),
        "self.spec.items.all(x, x.name.matches('^[a-z]+$') && x.port > 0)",
        "self.spec.items.map(x, x.name).size() == self.spec.items.size()",
    ),
    # just over the per-expression limit (a factor under 1.5 is printed with 6 decimals)
    rules(
        spec(items=arr(bounded(13000), maxItems=1000)),
        "self.spec.items.all(x, x.matches('^[a-z]+$'))",
    ),
    # each rule under the per-expression limit, the schema's total over (and only it)
    rules(
        spec(items=arr(bounded(7000), maxItems=1000)),
        *[f"self.spec.items.all(x, x.matches('^[a-z]{{{n}}}$'))" for n in range(10, 22)],
    ),
    # totals with rules on several levels: the costliest four are named
    {
        "type": "object",
        "properties": {
            "spec": rules(
                obj(
                    grid=arr(
                        arr(rules(bounded(6000), "self.matches('^[a-z]+$')"), maxItems=60),
                        maxItems=60,
                    )
                ),
                *[f"self.grid.all(r, r.all(c, c.matches('^[a-z]{{{n}}}$')))" for n in (1, 2, 3)],
            )
        },
        "x-kubernetes-validations": [{"rule": "self.spec.grid.all(r, r.all(c, c.size() < 10))"}],
    },
]

VERSIONS = "spec.versions"
OURS = "spec.resources[0].versions"
# OTHER: a second version with another schema (the Go code hoists identical schemas to
# spec.validation), as test_structural's.


def crd(schema: Schema) -> dict[str, Any]:
    version = {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema}}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"plural": "widgets", "kind": "Widget"},
            "scope": "Namespaced",
            "versions": [version, OTHER],
        },
    }


# Schemas with both schema errors and CEL errors: a CRD write compiles the rules of a node
# only if no schema error lies at or below it.
SCHEMA_ERROR_CASES: list[Schema] = [
    obj(a=MAP_OF_STRINGS, b=rules(STR, "self.nope()")),
    rules(obj(a=UNIQUE), "self.a.size() > 0", "bad syntax ((("),
    obj(a=rules(obj(x=MAP_OF_STRINGS), "self.x ++"), b=rules(obj(y=STR), "self.y ++")),
    rules(obj(a=rules(obj(x=UNIQUE), "self.q"), b=rules(STR, "self.z")), "self.w"),
    obj(a=rules(STR, {"rule": "self.q", "message": " "}), b=rules(STR, "self.z", "self.y")),
    # the list reports its items' map type: the items' own rules still compile
    obj(a=arr(rules(obj(x=STR), "self.q ++"), **{"x-kubernetes-list-type": "set"})),
]


# The fields of a rule, checked whatever its CEL: fieldPath against the node's schema (dots,
# ['quoted'] keys of maps and properties, no list indexes), the message, reason and
# messageExpression. Each on a clean schema, and beside a schema error (a map list key
# without a default), which leaves the CEL unchecked but not the fields.
def _node(key_required: bool) -> Schema:
    item = obj(name=STR, port=INT)
    if key_required:
        item["required"] = ["name"]
    keyed = {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]}
    return obj(
        a=obj(b=STR, c=INT),
        list=arr(item, **keyed),
        plain=arr(STR),
        m=dictof(STR),
        **{"dash-name": STR, "dot.name": STR},
    )


FIELD_PATHS = [
    *(".a", ".a.b", ".x", "a", ".a.", "..a", ".a.b.c", ".list", ".list[0]", ".list[0].name"),
    *(".plain[1]", ".m", ".m.k", ".m['k']", "['a']", ".m['k'].z", "['dash-name']"),
    *(".dash-name", "['dot.name']", ".a['b']", ".list['x']", ".a[0]", " .a", ".a ", "[a]"),
    *('.m["k"]', ".m['k", ".list[-1]", ".list[01]", ".m['it\\'s']", ".a\n"),
]
RULE_FIELDS: list[dict[str, Any]] = [
    {"rule": "true", "message": " "},
    {"rule": "true", "message": "two\nlines"},
    {"rule": "true ||\nfalse"},
    {"rule": "true ||\nfalse", "message": "ok"},
    {"rule": "true", "messageExpression": "  "},
    {"rule": "true", "reason": "FieldValueTooLong"},
    {"rule": "true", "fieldPath": "  "},
    {"rule": " ", "reason": "Nope", "fieldPath": ".x"},
]
RULE_FIELD_CASES: list[Schema] = [
    obj(spec=rules(_node(required), {"rule": "true", "fieldPath": path}))
    for required in (True, False)
    for path in FIELD_PATHS
] + [obj(spec=rules(_node(required), raw)) for required in (True, False) for raw in RULE_FIELDS]


# Defaults meet the CEL rules at and below their node, as defaulting.validate runs them (the
# default as its own old value, then as new), and rules that do not compile say so there;
# a member call's unmatched overload, printed as cel-go prints it.
def _d(schema: Schema, default: Any, *rs: str | dict[str, Any]) -> Schema:
    return rules({**schema, "default": default}, *rs)


DEFAULT_RULE_CASES: list[Schema] = [
    obj(spec=_d(INT, 3, "self > 5")),
    obj(spec=_d(INT, 7, "self > 5")),
    obj(spec=_d(INT, 3, {"rule": "self > 5", "message": "too small"})),
    obj(spec=_d(INT, 3, {"rule": "self > 5", "messageExpression": "'got ' + string(self)"})),
    obj(spec=_d(INT, 3, {"rule": "self > 5", "reason": "FieldValueForbidden"})),
    obj(spec=_d(INT, 3, "self == oldSelf")),
    obj(spec=_d(INT, 3, "self != oldSelf")),
    obj(spec=_d(INT, 3, {"rule": "!oldSelf.hasValue()", "optionalOldSelf": True})),
    obj(spec=_d(INT, 3, {"rule": "oldSelf.hasValue()", "optionalOldSelf": True})),
    obj(spec=_d(INT, 3, "self.p0 > 1")),
    obj(spec=_d(INT, 3, {"rule": "self.p0 > 1", "fieldPath": ".p0"})),
    obj(spec=_d(INT, 3, "bad(((", "self > 5")),
    obj(spec=_d(INT, 3, "self + 1")),
    obj(spec=_d(STR, "ab", "self.size() > 3", "self.startsWith('b')")),
    obj(spec=_d(obj(a=rules(INT, "self < 2"), b=STR), {"a": 5, "b": "x"}, "has(self.b)")),
    obj(spec=_d(obj(a=rules(INT, "self < 2"), b=STR), {"b": "x"}, "has(self.a)")),
    obj(spec=_d(arr(rules(STR, "self != 'x'")), ["a", "x", "x"], "self.size() < 2")),
    obj(spec=_d(dictof(rules(INT, "self >= 0")), {"k": -1, "j": 2}, "self.size() == 1")),
    obj(spec=obj(n=obj(m=_d(STR, "q", "self == 'p'")))),
    obj(spec=_d({**obj(a=STR), "additionalProperties": True}, {}, "true")),
    obj(
        spec=rules(
            {"type": "object", "additionalProperties": True}, {"rule": "true", "fieldPath": ".k"}
        )
    ),
    # (".k.j" there: apiextensions-apiserver v0.37.2's ValidFieldPath dereferences nil)
    obj(spec=rules({"type": "number"}, "self.size() > 0")),
    obj(spec=rules(STR, "self.startsWith(1)")),
    obj(spec=rules(arr(INT), "self.exists(x, x.startsWith('a'))")),
]


def errors_of(costgen: str, cases: list[Schema]) -> list[list[tuple[str, str, str]]]:
    """The errors of each case as the Go code gives them, in its (stable) order."""
    payload = json.dumps([crd(s) for s in cases])
    runs = [
        subprocess.run([costgen, "crd"], input=payload, capture_output=True, text=True, check=True)
        for _ in range(3)
    ]
    if len({r.stdout for r in runs}) != 1:
        sys.exit("the Go code's errors are not in a stable order")
    return [
        [(e["field"].replace(VERSIONS, OURS, 1), e["reason"], e["message"]) for e in errors]
        for errors in json.loads(runs[0].stdout)
    ]


def write(target: str, what: str, cases: list[Schema], errors: list[Any]) -> None:
    body = pprint.pformat(list(zip(cases, errors, strict=True)), width=100, sort_dicts=False)
    (Path(__file__).parent.parent / target).write_text(
        f'"""{what}, with the errors\n'
        "apiextensions-apiserver v0.37.2 gives a CRD version with that schema\n"
        "(ValidateCustomResourceDefinition; paths moved from spec.versions[0] to\n"
        "spec.resources[0].versions[0]). Generated once from the Go code by\n"
        "tests/unit/core/gen/cel_cost_cases_gen.py (Go program: gen/costgen); the unit tests\n"
        'compare, in order."""\n\n'
        "from typing import Any\n\n"
        "CASES: list[tuple[dict[str, Any], list[tuple[str, str, str]]]] = " + body + "\n"
    )


def main(costgen: str) -> None:
    write(
        "cel_cost_cases.py",
        "Schemas whose CEL rules exercise the static cost estimate",
        CASES,
        errors_of(costgen, CASES),
    )
    write(
        "cel_schema_error_cases.py",
        "Schemas with schema errors beside or below CEL rules",
        SCHEMA_ERROR_CASES,
        errors_of(costgen, SCHEMA_ERROR_CASES),
    )
    write(
        "cel_default_rule_cases.py",
        "Defaults checked against the CEL rules at and below them, and unmatched overloads",
        DEFAULT_RULE_CASES,
        errors_of(costgen, DEFAULT_RULE_CASES),
    )
    write(
        "cel_rule_field_cases.py",
        "Rules with fieldPaths, messages, reasons and messageExpressions to check",
        RULE_FIELD_CASES,
        errors_of(costgen, RULE_FIELD_CASES),
    )


if __name__ == "__main__":
    main(sys.argv[1])
