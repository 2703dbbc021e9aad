"""The CEL environment of ApiDefinition rules against a CRD's, in the same kube-apiserver:
each expression below is a rule on the same schema, created as a CRD (a server-side dry
run) and compiled as a definition check does (`compile_rules`, static cost on). Both must
accept it, or both refuse it with the same compile error; every other answer fails, unless
listed in KNOWN_DIFFERENCES with its reason (a listed difference that is gone fails too).

The expressions touch every library a CRD rule has at kube 1.37 (Kubernetes' lists, regex,
URLs, quantities, IPs and CIDRs, semver, format; cel-go's strings v2, sets, lists v3,
optionals, two-variable comprehensions) and some a CRD rule does not have (math, base64,
cel.bind, strings v3's reverse, includes), and literals kube checks when it compiles a rule
(durations, timestamps and regex patterns, lists and maps of one type, conversions of
constants).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annex_controlplane import ControlPlane
from annex_core.schema.cel import compile_rules
from tests.helpers import Kubectl, namespaced_crd

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

EXPRESSIONS = [
    # cel-go strings, version 2
    "self.s.charAt(0) != 'x'",
    "self.s.indexOf('a') >= -1",
    "self.s.lastIndexOf('a') >= -1",
    "self.s.lowerAscii() != 'zz'",
    "self.s.upperAscii() != 'zz'",
    "self.s.replace('a', 'b') != 'zz'",
    "self.s.split(',').size() >= 0",
    "self.s.substring(0) == self.s",
    "self.s.trim() != 'zz'",
    "['a', 'b'].join(',') == 'a,b'",
    "strings.quote(self.s) != ''",
    "'%s'.format([self.s]) == self.s",
    "'abc'.reverse() == 'cba'",
    # Kubernetes URLs and regex
    "isURL(self.s) || true",
    "url('https://x.com').getHost() == 'x.com'",
    "url('https://x.com:80/p?q=1').getPort() == '80'",
    "url('https://x.com/p').getEscapedPath() == '/p'",
    "url('https://x.com/p?q=1').getQuery().size() == 1",
    "url('https://x.com').getScheme() == 'https'",
    "url('https://x.com').getHostname() == 'x.com'",
    "self.s.matches('^a') || true",
    "self.s.find('a') != 'zz'",
    "self.s.findAll('a').size() >= 0",
    "self.s.findAll('a', 2).size() >= 0",
    # quantities
    "quantity('1Gi').isGreaterThan(quantity('1Mi'))",
    "isQuantity(self.s) || true",
    "quantity('1').asInteger() == 1",
    "quantity('1').asApproximateFloat() == 1.0",
    "sign(quantity('1')) == 1",
    "quantity('1').sign() == 1",
    "quantity('1').add(quantity('1')).isInteger()",
    "quantity('1').add(1).sub(1).compareTo(quantity('1')) == 0",
    # IPs and CIDRs
    "isIP('1.2.3.4')",
    "ip('1.2.3.4').family() == 4",
    "ip.isCanonical('1.2.3.4')",
    "ip('127.0.0.1').isLoopback()",
    "ip('1.2.3.4').isGlobalUnicast()",
    "cidr('10.0.0.0/8').containsIP(ip('10.0.0.1'))",
    "cidr('10.0.0.0/8').containsIP('10.0.0.1')",
    "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')",
    "cidr('10.0.0.0/8').prefixLength() == 8",
    "cidr('10.0.0.0/8').ip() == ip('10.0.0.0')",
    "cidr('10.1.0.0/8').masked() == cidr('10.0.0.0/8')",
    "string(ip('1.2.3.4')) == '1.2.3.4'",
    "string(cidr('10.0.0.0/8')) == '10.0.0.0/8'",
    "isCIDR('10.0.0.0/8')",
    # semver and format
    "isSemver('1.0.0')",
    "semver('1.0.0').major() == 1",
    "semver('v1.0', true).minor() == 0",
    "semver('1.0.0').isLessThan(semver('2.0.0'))",
    "semver('1.0.0').compareTo(semver('1.0.0')) == 0",
    "!format.dns1123Label().validate('abc').hasValue()",
    "format.named('dns1123Label').hasValue()",
    # Kubernetes lists, cel-go lists v3 and sets
    "[1, 2].isSorted()",
    "[1, 2].sum() == 3",
    "[1, 2].min() == 1",
    "[1, 2].max() == 2",
    "[1, 2].indexOf(2) == 1",
    "[1, 2].lastIndexOf(2) == 1",
    "[1, 2, 3].slice(1, 2) == [2]",
    "[[1], [2]].flatten() == [1, 2]",
    "[1, 1].distinct() == [1]",
    "[1, 2].reverse() == [2, 1]",
    "[2, 1].sort() == [1, 2]",
    "[2, 1].sortBy(x, x) == [1, 2]",
    "[1, 2].first().hasValue()",
    "[1, 2].last().hasValue()",
    "lists.range(3) == [0, 1, 2]",
    "[1, 2].includes(1)",
    "sets.contains([1, 2], [1])",
    "sets.equivalent([1, 2], [2, 1])",
    "sets.intersects([1, 2], [2])",
    # libraries a CRD rule does not have
    "math.greatest(1, 2) == 2",
    "base64.encode(b'a') == 'YQ=='",
    "cel.bind(x, 1, x == 1)",
    "jsonpatch.escapeKey('a/b') == 'a~1b'",
    # optionals, comprehensions, the standard library
    "self.?s.orValue('') != 'zz'",
    "optional.of(1).hasValue()",
    "!optional.none().hasValue()",
    "self.m[?'k'].orValue('') != 'zz'",
    "self.m.all(k, v, k != v) || true",
    "self.l.transformList(i, v, v).size() >= 0",
    "self.m.transformMap(k, v, v).size() >= 0",
    "self.l.exists_one(x, x == 'a') || true",
    "duration('1s') > duration('0s')",
    "timestamp('2020-01-01T00:00:00Z').getFullYear() == 2020",
    "int('1') == 1",
    "uint(1) == 1u",
    "double(1) == 1.0",
    "string(1) == '1'",
    "bytes('a') == b'a'",
    "type(1) == int",
    "has(self.s) || true",
    "self.l.exists(x, x.matches('^a')) || true",
    "self.s.startsWith('a') || self.s.endsWith('b') || self.s.contains('c')",
    # literals checked when the rule is compiled (cel-go's AST validators and planner)
    "duration('1d') > duration('0s')",
    "timestamp('2020-13-01T00:00:00Z') > timestamp('2020-01-01T00:00:00Z')",
    "self.s.matches('[') || true",
    "duration('1h') > duration('1m') && self.s.matches('^a+$')",
    "'%d'.format(['x']) == ''",
    "'abc'.find('(?=b)') == ''",
    "int(1e20) > 0",
    "uint(-1) > 0u",
    "string(b'\\xff') == ''",
    "bool('x')",
    "[1, 'a'].size() == 2",
    "{'a': 1, 2: 'b'}.size() == 2",
    "[self.l, ['x']].size() == 2",
    "'%s %d'.format(['a', 1]) != ''",
    "'%s'.format([self.s, self.s]) == 'x'",
    "int(-9223372036854775808.0) < 0",
    "uint('18446744073709551616') > 0u",
    "{'a': 1} == {'a': 1.0}",
    "double('1e500') > 0.0",
    "double('-Inf') < 0.0",
]

# expression -> why annex answers otherwise (accepting where kube refuses, or the reverse, or
# refusing in other words). Not listed, as documented elsewhere: annex types objects as
# map(dyn), so `self.s.reverse()` on an object's string field type-checks as a list's.
KNOWN_DIFFERENCES = {
    "quantity('1').sign() == 1": (
        "both refuse it (sign is a function, not a method); cel-go says no overload of "
        "'sign' applies to 'kubernetes.Quantity.()', cel-cpp that 'sign' is undeclared"
    ),
    "string(cidr('10.0.0.0/8')) == '10.0.0.0/8'": (
        "cel-expr-python dispatches every message type alike: string(ip) and string(cidr) "
        "cannot both be registered"
    ),
    "[2, 1].sortBy(x, x) == [1, 2]": (
        "sortBy is a macro; cel-expr-python cannot declare macros, and its own lists "
        "extension (which has it) clashes with the Kubernetes list functions"
    ),
    "self.m.transformMap(k, v, v).size() >= 0": (
        "cel-cpp cannot plan cel.@mapInsert: refused when the definition is checked"
    ),
    "'%d'.format(['x']) == ''": (
        "cel-go checks a literal format string against its literal arguments when compiling; "
        "annex does not (the rule fails when it runs)"
    ),
    "'%s'.format([self.s, self.s]) == 'x'": (
        "as above: cel-go counts a literal format string's clauses against its literal "
        "arguments when compiling"
    ),
    "'abc'.find('(?=b)') == ''": (
        "kube compiles a literal find()/findAll() pattern (Go's regexp) when the program is "
        "made; annex checks it (RE2, Go's syntax) when the rule runs"
    ),
}


def schema(rule: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "s": {"type": "string", "maxLength": 10},
                    "l": {
                        "type": "array",
                        "maxItems": 10,
                        "items": {"type": "string", "maxLength": 10},
                    },
                    "m": {
                        "type": "object",
                        "maxProperties": 10,
                        "additionalProperties": {"type": "string", "maxLength": 10},
                    },
                },
                "x-kubernetes-validations": [{"rule": rule}],
            }
        },
    }


def crd(index: int, rule: str) -> dict[str, Any]:
    return namespaced_crd("celenv.example.com", f"rule{index}s", f"Rule{index}", schema(rule))


async def test_rules_compile_as_in_a_crd(control_plane: ControlPlane, tmp_path: Path) -> None:
    kubectl = Kubectl(control_plane.kubeconfig, tmp_path / "kubectl-cache")
    differences: dict[str, str] = {}
    for index, rule in enumerate(EXPRESSIONS):
        created = await kubectl(
            "create", "--dry-run=server", "-f", "-", stdin=json.dumps(crd(index, rule)), check=False
        )
        errors = compile_rules(schema(rule), static_cost=True).errors
        kube_accepts, annex_accepts = created.returncode == 0, not errors
        if kube_accepts != annex_accepts:
            differences[rule] = f"kube accepts: {kube_accepts}, annex: {annex_accepts}"
        elif errors and errors[0].message not in created.stderr:
            differences[rule] = f"kube says {created.stderr!r}, annex {errors[0].message!r}"
    unexpected = {r: d for r, d in differences.items() if r not in KNOWN_DIFFERENCES}
    assert not unexpected, json.dumps(unexpected, indent=1)
    gone = sorted(set(KNOWN_DIFFERENCES) - set(differences))
    assert not gone, f"known differences gone, remove them: {gone}"
    # the expressions refused on both sides are refused for the same reason: a sample
    assert "cel.bind(x, 1, x == 1)" not in differences
