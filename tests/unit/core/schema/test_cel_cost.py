"""The static cost estimate (annex_core.schema.cel.cost) against cel-go's: every figure below
is the MaxCost (and MessageExpressionMaxCost) apiextensions-apiserver v0.37.2's cel.Compile
gives the rule on SCHEMA, taken once from the Go code (tests/unit/core/gen/costgen, `cost`
mode). And a CRD's cost errors, exactly (tests/unit/core/cel_cost_cases.py)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core.schema import definition
from annex_core.schema.cel import budget, compile_rules
from annex_core.schema.cel.checked import parse_checked
from annex_core.schema.cel.cost import estimate
from annex_core.schema.cel.estimate import U64, Est
from tests.unit.core.cel_cost_cases import CASES
from tests.unit.core.test_structural import OTHER, VERSIONS, version

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "a": {"type": "array", "items": {"type": "string"}},
        "b": {"type": "string"},
        "n": {"type": "integer"},
        "m": {"type": "object", "additionalProperties": {"type": "string"}},
        "ml": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "lm": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "bl": {"type": "string", "maxLength": 20},
        "objs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "v": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
                    "sub": {"type": "object", "properties": {"z": {"type": "string"}}},
                },
                "required": ["name"],
            },
        },
        "ios": {"x-kubernetes-int-or-string": True},
        "iosl": {"type": "array", "items": {"x-kubernetes-int-or-string": True}},
        "li": {"type": "array", "items": {"type": "integer"}},
        "lb": {"type": "array", "items": {"type": "string", "maxLength": 5}, "maxItems": 4},
        "emb": {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "properties": {"spec": {"type": "object", "properties": {"x": {"type": "string"}}}},
        },
        "d": {"type": "string", "format": "duration"},
        "t": {"type": "string", "format": "date-time"},
        "dt": {"type": "string", "format": "date"},
        "lt": {"type": "array", "items": {"type": "string", "format": "date-time"}},
        "lby": {"type": "array", "items": {"type": "string", "format": "byte", "maxLength": 4}},
        "nested": {
            "type": "object",
            "properties": {
                "deep": {
                    "type": "object",
                    "properties": {
                        "deeper": {
                            "type": "object",
                            "properties": {"x": {"type": "array", "items": {"type": "string"}}},
                        }
                    },
                }
            },
        },
        "mo": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "a": {"type": "string"},
                    "l": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "lo": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "a": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"b": {"type": "string"}}},
                    }
                },
            },
        },
        "dash": {
            "type": "object",
            "properties": {"a-b": {"type": "string"}, "in": {"type": "string"}},
        },
    },
}

# (rule, cel-go MaxCost)
RULE_COSTS: list[tuple[str, int]] = [
    ("self.ml.all(k, self.ml[k].all(x, x.size() < 2))", 2473895657473),
    ("self.lm.all(m, m.all(k, m[k] == ''))", 2473897754628),
    ("self.objs.all(o, o.tags.all(t, t.matches('^x')))", 228363591789),
    ("self.objs.all(o, o.sub.z == 'a')", 1693849),
    ("self.objs.exists(o, o.name == self.b)", 76121681221),
    ("self.ios == 'a' || self.ios == 1", 6),
    ("self.iosl.all(x, x == 1)", 7864318),
    ("self.li.all(x, x > 0)", 7864318),
    ("self.li.sum() > 3", 1572866),
    ("self.li.max() > 1", 1572866),
    ("self.li.isSorted()", 1572865),
    ("self.lb.all(x, x.matches('a'))", 31),
    ("self.lb.join(',') == 'a'", 12),
    ("self.emb.apiVersion == 'v1'", 4),
    ("self.emb.spec.x == 'a'", 5),
    ("self.emb.metadata.name.matches('x')", 106),
    ("self.d > duration('1s')", 4),
    ("self.t.getFullYear() > 2000", 4),
    ("self.dt < timestamp('2020-01-01T00:00:00Z')", 4),
    ("self.lt.all(x, x < timestamp('2020-01-01T00:00:00Z'))", 857925),
    ("self.lby.all(x, x.size() < 3)", 6291453),
    ("self.nested.deep.deeper.x.all(y, y == 'a')", 5242881),
    ("self.mo.all(k, self.mo[k].l.all(x, x == self.mo[k].a))", 129707009025428688),
    ("self.lo.all(x, x.a.all(y, y.b == 'c'))", 6597063475203),
    ("self.dash.a__dash__b == 'x'", 4),
    ("self.dash.__in__ == 'x'", 4),
    ("self.a + self.lb == []", 15),
    ("(self.a + self.lb).all(x, x.size() < 5)", 6291480),
    ("self.a.map(x, x.size()).all(n, n < 5)", 19922939),
    ("self.a.filter(x, x != '').map(x, x + x).all(y, y.size() < 5)", 35651575),
    ("self.b in ['a', 'b', 'c']", 15),
    ("self.b in self.a", 1048579),
    ("self.n in self.li", 1572867),
    ("self.b.matches(self.bl)", 6291464),
    ("self.bl.matches(self.b)", 7077892),
    ("quantity(self.b) == quantity('1')", 314577),
    ("url(self.bl) == url('http://x')", 12),
    ("ip(self.bl) == ip('1.2.3.4')", 12),
    ("cidr(self.bl) == cidr('1.2.3.0/24')", 12),
    ("semver(self.bl) == semver('1.0.0')", 12),
    ("format.named(self.bl).hasValue()", 4),
    ("format.dns1123Label() == format.dns1123Subdomain()", 9),
    ("ip.isCanonical(self.bl)", 18),
    ("cidr(self.bl).ip().family() == 4", 13),
    ("cidr(self.bl).masked() == cidr(self.bl)", 22),
    ("cidr(self.bl).containsIP(ip('1.2.3.4'))", 15),
    ("cidr(self.bl).containsCIDR('1.2.3.0/25')", 18),
    ("quantity(self.bl).compareTo(quantity('2')) > 0", 13),
    ("semver(self.bl).isLessThan(semver('2.0.0'))", 12),
    ("url(self.bl).getQuery().size() > 0", 13),
    ("url(self.bl).getScheme() == 'https'", 12),
    ("self.b.replace('', 'x') == ''", 629148),
    ("self.bl.replace('ab', 'c') == ''", 18),
    ("self.bl.replace('a', 'bcd') == ''", 18),
    ("self.bl.split('').size() > 0", 20),
    ("self.bl.split(',', -1).size() > 0", 20),
    ("self.bl.substring(1, 3) == 'x'", 11),
    ("self.bl.trim().lowerAscii().matches('x+')", 27),
    ("self.bl.indexOf('a', 2) > 1", 11),
    ("self.lb.indexOf('x') > 0", 15),
    ("self.li.indexOf(1) > 0", 1572866),
    ("self.a.all(x, x.contains(self.bl))", 2638833359253),
    ("self.bl.contains(self.b)", 2516588),
    ("self.a.exists_one(x, x.startsWith(self.bl))", 13631479),
    ("self.m.exists_one(k, k.endsWith('x'))", 1572864),
    ("self.m.all(k, k.size() < 3)", 2359293),
    ("size(self.m) < 3", 4),
    ("self.ml.size() < 3", 4),
    ("has(self.objs) && self.objs.size() > 0", 5),
    ("self.objs[0].name == 'x'", 5),
    ("self.objs[0].tags[1] == 'x'", 6),
    ("self.ml['x'][0] == 'y'", 5),
    ("self.lm[0]['k'] == 'v'", 5),
    ("self.?objs[?0].name.orValue('') == ''", 4),
    ("self.?m['k'].orValue('') == 'v'", 5),
    ("optional.of(self.b).hasValue()", 4),
    ("self.?bl.hasValue() && self.bl.size() < 3", 7),
    ("[self.b, self.bl].all(x, x.size() < 3)", 27),
    ("[self.a, self.lb].all(l, l.all(x, x == ''))", 25),
    ("{'a': self.b}.all(k, k == 'a')", 37),
    ("{'a': self.b}['a'].size() < 3", 35),
    ("self.n + 1 > 2", 4),
    ("self.n * 2 > 2", 4),
    ("double(self.n) > 1.5", 4),
    ("int(self.b) > 1", 4),
    ("string(self.n).size() > 1", 5),
    ("self.b.size() + self.bl.size() > 1", 8),
    ("self.a.size() > 0 ? self.a[0] == 'x' : true", 8),
    ("!(self.b == 'x')", 4),
    ("self.b != 'x'", 3),
    ("self.b < 'x'", 3),
    ("self.lby[0] == b'ab'", 4),
    ("self.a.all(x, self.lb.exists(y, x == y))", 39845853),
    ("self.objs.map(o, o.tags).all(t, t.size() < 2)", 4839574),
    ("self.objs.map(o, o.sub).all(s, s.z == '')", 4597596),
    ("self.lo.map(x, x.a).all(y, y.all(z, z.b == ''))", 19922939),
    ("lists.range(3).all(i, i < 3)", 30),
    ("self.a.slice(1, 2).all(x, x == '')", 19),
    ("self.lb.distinct().all(x, x == '')", 110),
    ("self.lb.sort().all(x, x == '')", 112),
    ("self.li.sort().size() > 1", 4947796033553),
    ("sets.intersects(self.a, ['x'])", 1048588),
    ("sets.contains(self.li, [1, 2])", 3145739),
    ("self.b.matches('^' + self.bl + '$')", 6606055),
    ("self.bl.findAll('a', 2).all(x, x == 'a')", 332),
    ("self.bl.find('a').size() > 0", 13),
    ("self.bl.split(',').all(x, x.size() < 3)", 499),
    ("self.bl.split(',').join('-') == 'a'", 1844674407370955283),
    ("self.a.join() == 'x'", 329852964048),
    ("self.ios.size() > 1", 4),
    ("int(self.ios) > 1", 4),
    ("string(self.ios).size() > 1", 314577),
    ("isQuantity(string(self.ios))", 629148),
]

# (rule with optionalOldSelf: true, cel-go MaxCost)
OPTIONAL_OLD_SELF: list[tuple[str, int]] = [
    ("oldSelf.orValue(self).b == self.b", 6),
    ("!oldSelf.hasValue() || oldSelf.value().a.all(x, x in self.a)", 7),
    ("self.b == 'x'", 3),
]

# (rule, its MaxCost, messageExpression, its MessageExpressionMaxCost)
MESSAGE_COSTS: list[tuple[str, int, str, int]] = [
    ("self.b == oldSelf.b", 314577, "'was ' + oldSelf.b", 314575),
    ("self.a.all(x, x == 'x')", 5242878, "self.a.map(x, x + '!').join(', ')", 1844674737237970227),
    ("true", 0, "'x'", 0),
    ("true", 0, "self.bl.upperAscii()", 10),
]


def estimates(monkeypatch: pytest.MonkeyPatch, raw: dict[str, Any]) -> list[int]:
    """The estimates compile_rules makes for one rule on SCHEMA's root: the rule's, then the
    messageExpression's."""
    seen: list[int] = []

    def record(*args: Any, **kwargs: Any) -> Est:
        result = estimate(*args, **kwargs)
        seen.append(result.max)
        return result

    monkeypatch.setattr("annex_core.schema.cel.estimate", record)
    schema = {**SCHEMA, "x-kubernetes-validations": [raw]}
    compile_rules(schema, "root", static_cost=True)
    return seen


@pytest.mark.parametrize(("rule", "cost"), RULE_COSTS)
def test_rule_costs_are_cel_gos(monkeypatch: pytest.MonkeyPatch, rule: str, cost: int) -> None:
    assert estimates(monkeypatch, {"rule": rule}) == [cost]


@pytest.mark.parametrize(("rule", "cost"), OPTIONAL_OLD_SELF)
def test_optional_old_self_is_estimated_without_annex_wrapper(
    monkeypatch: pytest.MonkeyPatch, rule: str, cost: int
) -> None:
    assert estimates(monkeypatch, {"rule": rule, "optionalOldSelf": True}) == [cost]


@pytest.mark.parametrize(("rule", "cost", "message", "message_cost"), MESSAGE_COSTS)
def test_message_expression_costs_are_cel_gos(
    monkeypatch: pytest.MonkeyPatch, rule: str, cost: int, message: str, message_cost: int
) -> None:
    raw = {"rule": rule, "messageExpression": message}
    assert estimates(monkeypatch, raw) == [cost, message_cost]


@pytest.mark.parametrize(("schema", "expected"), CASES)
def test_cost_errors_are_a_crds(
    schema: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    errors = definition.versions_errors([version(schema), OTHER], VERSIONS)
    assert [(e.field, e.reason, e.message) for e in errors] == expected


def test_evaluation_compiles_without_the_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway compiles rules to run them: no estimate, no cost error."""
    monkeypatch.setattr("annex_core.schema.cel.estimate", None)
    schema = {**SCHEMA, "x-kubernetes-validations": [{"rule": "self.a.all(x, x.matches('a'))"}]}
    assert compile_rules(schema).errors == []


def test_checked_expression_is_read_from_cel_cpp() -> None:
    schema = {**SCHEMA, "x-kubernetes-validations": [{"rule": "self.a.exists(x, x == 'y')"}]}
    program = compile_rules(schema)._root.rules[0].program  # type: ignore[union-attr]
    checked = parse_checked(program.serialize())
    assert checked.expr.kind == "comprehension"
    assert checked.expr.iter_var == "x"
    assert checked.expr.accu_var == "@result"
    step = checked.expr.loop_step
    assert step is not None
    assert checked.overloads[step.id] == ["logical_or"]
    assert step.args[1].args[1].value == ("string", "y")


@pytest.mark.parametrize(
    ("cost", "shown"),
    [
        (10_000_001, "1.000000x"),
        (14_999_999, "1.500000x"),
        (15_000_000, "1.5x"),
        (25_000_000, "2.5x"),
        (1_000_000_000, "100.0x"),
        (1_000_000_001, "more than 100x"),
        (U64, "more than 100x"),
    ],
)
def test_factor_is_printed_as_go_prints_it(cost: int, shown: str) -> None:
    message = budget.cost_error_message("estimated rule cost", cost, budget.PER_EXPRESSION_LIMIT)
    assert message.startswith(f"estimated rule cost exceeds budget by factor of {shown} (")


def test_total_keeps_the_four_costliest_in_order() -> None:
    total = budget.TotalCost()
    for i, cost in enumerate(
        [5, 2_000_000, 30_000_000, 30_000_000, 999_999, 40_000_000, 3_000_000]
    ):
        total.observe(f"r{i}", cost)
    assert total.most_expensive == [
        ("r5", 40_000_000),
        ("r2", 30_000_000),
        ("r3", 30_000_000),
        ("r6", 3_000_000),
    ]
    assert total.total == 105_999_999 + 5
    assert [e.field for e in total.errors("root")] == ["r5", "r2", "r3", "r6", "root"]


def test_cardinality_saturates() -> None:
    assert budget.expression_cost(0, U64) == 0
    assert budget.expression_cost(3, U64 // 2) == U64
    assert budget.child_cardinality({"type": "array", "maxItems": 10}, 7) == 70
    assert budget.child_cardinality({"type": "array"}, 7) is None
    assert budget.child_cardinality({"type": "object", "additionalProperties": {}}, 7) is None
    assert budget.child_cardinality({"type": "object"}, None) is None
    assert budget.child_cardinality({"type": "string"}, 7) == 7
