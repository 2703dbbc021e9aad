"""The static cost estimate (annex_core.schema.cel.cost) against cel-go's: every figure below
is the MaxCost (and MessageExpressionMaxCost) apiextensions-apiserver v0.37.2's cel.Compile
gives the rule on the root of its schema in SCHEMAS, taken once from the Go code (tests/unit/core/gen/costgen, `cost`
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

SCHEMAS: dict[str, dict[str, Any]] = {
    "A": {
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
    },
    "B": {
        "type": "object",
        "properties": {
            "a": {"type": "array", "items": {"type": "string"}},
            "b": {"type": "string"},
            "n": {"type": "integer"},
            "m": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 5},
            "bl": {"type": "string", "maxLength": 20},
            "li": {"type": "array", "items": {"type": "integer"}, "maxItems": 7},
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
                    "required": ["name", "v"],
                },
                "maxItems": 50,
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
            "t": {"type": "string", "format": "date-time"},
            "t2": {"type": "string", "format": "date-time"},
            "d": {"type": "string", "format": "duration"},
            "e": {"type": "string", "enum": ["x", "yyyy"]},
            "nums": {"type": "array", "items": {"type": "number"}},
            "set": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
            "mapl": {
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["k"],
                "items": {
                    "type": "object",
                    "properties": {"k": {"type": "string"}, "v": {"type": "integer"}},
                    "required": ["k"],
                },
            },
            "metadata": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 30},
                    "generateName": {"type": "string"},
                },
            },
            "kind": {"type": "string"},
            "apiVersion": {"type": "string"},
        },
    },
}

# (schema, rule, cel-go MaxCost)
RULE_COSTS: list[tuple[str, str, int]] = [
    ("A", "self.ml.all(k, self.ml[k].all(x, x.size() < 2))", 2473895657473),
    ("A", "self.lm.all(m, m.all(k, m[k] == ''))", 2473897754628),
    ("A", "self.objs.all(o, o.tags.all(t, t.matches('^x')))", 228363591789),
    ("A", "self.objs.all(o, o.sub.z == 'a')", 1693849),
    ("A", "self.objs.exists(o, o.name == self.b)", 76121681221),
    ("A", "self.ios == 'a' || self.ios == 1", 6),
    ("A", "self.iosl.all(x, x == 1)", 7864318),
    ("A", "self.li.all(x, x > 0)", 7864318),
    ("A", "self.li.sum() > 3", 1572866),
    ("A", "self.li.max() > 1", 1572866),
    ("A", "self.li.isSorted()", 1572865),
    ("A", "self.lb.all(x, x.matches('a'))", 31),
    ("A", "self.lb.join(',') == 'a'", 12),
    ("A", "self.emb.apiVersion == 'v1'", 4),
    ("A", "self.emb.spec.x == 'a'", 5),
    ("A", "self.emb.metadata.name.matches('x')", 106),
    ("A", "self.d > duration('1s')", 4),
    ("A", "self.t.getFullYear() > 2000", 4),
    ("A", "self.dt < timestamp('2020-01-01T00:00:00Z')", 4),
    ("A", "self.lt.all(x, x < timestamp('2020-01-01T00:00:00Z'))", 857925),
    ("A", "self.lby.all(x, x.size() < 3)", 6291453),
    ("A", "self.nested.deep.deeper.x.all(y, y == 'a')", 5242881),
    ("A", "self.mo.all(k, self.mo[k].l.all(x, x == self.mo[k].a))", 129707009025428688),
    ("A", "self.lo.all(x, x.a.all(y, y.b == 'c'))", 6597063475203),
    ("A", "self.dash.a__dash__b == 'x'", 4),
    ("A", "self.dash.__in__ == 'x'", 4),
    ("A", "self.a + self.lb == []", 15),
    ("A", "(self.a + self.lb).all(x, x.size() < 5)", 6291480),
    ("A", "self.a.map(x, x.size()).all(n, n < 5)", 19922939),
    ("A", "self.a.filter(x, x != '').map(x, x + x).all(y, y.size() < 5)", 35651575),
    ("A", "self.b in ['a', 'b', 'c']", 15),
    ("A", "self.b in self.a", 1048579),
    ("A", "self.n in self.li", 1572867),
    ("A", "self.b.matches(self.bl)", 6291464),
    ("A", "self.bl.matches(self.b)", 7077892),
    ("A", "quantity(self.b) == quantity('1')", 314577),
    ("A", "url(self.bl) == url('http://x')", 12),
    ("A", "ip(self.bl) == ip('1.2.3.4')", 12),
    ("A", "cidr(self.bl) == cidr('1.2.3.0/24')", 12),
    ("A", "semver(self.bl) == semver('1.0.0')", 12),
    ("A", "format.named(self.bl).hasValue()", 4),
    ("A", "format.dns1123Label() == format.dns1123Subdomain()", 9),
    ("A", "ip.isCanonical(self.bl)", 18),
    ("A", "cidr(self.bl).ip().family() == 4", 13),
    ("A", "cidr(self.bl).masked() == cidr(self.bl)", 22),
    ("A", "cidr(self.bl).containsIP(ip('1.2.3.4'))", 15),
    ("A", "cidr(self.bl).containsCIDR('1.2.3.0/25')", 18),
    ("A", "quantity(self.bl).compareTo(quantity('2')) > 0", 13),
    ("A", "semver(self.bl).isLessThan(semver('2.0.0'))", 12),
    ("A", "url(self.bl).getQuery().size() > 0", 13),
    ("A", "url(self.bl).getScheme() == 'https'", 12),
    ("A", "self.b.replace('', 'x') == ''", 629148),
    ("A", "self.bl.replace('ab', 'c') == ''", 18),
    ("A", "self.bl.replace('a', 'bcd') == ''", 18),
    ("A", "self.bl.split('').size() > 0", 20),
    ("A", "self.bl.split(',', -1).size() > 0", 20),
    ("A", "self.bl.substring(1, 3) == 'x'", 11),
    ("A", "self.bl.trim().lowerAscii().matches('x+')", 27),
    ("A", "self.bl.indexOf('a', 2) > 1", 11),
    ("A", "self.lb.indexOf('x') > 0", 15),
    ("A", "self.li.indexOf(1) > 0", 1572866),
    ("A", "self.a.all(x, x.contains(self.bl))", 2638833359253),
    ("A", "self.bl.contains(self.b)", 2516588),
    ("A", "self.a.exists_one(x, x.startsWith(self.bl))", 13631479),
    ("A", "self.m.exists_one(k, k.endsWith('x'))", 1572864),
    ("A", "self.m.all(k, k.size() < 3)", 2359293),
    ("A", "size(self.m) < 3", 4),
    ("A", "self.ml.size() < 3", 4),
    ("A", "has(self.objs) && self.objs.size() > 0", 5),
    ("A", "self.objs[0].name == 'x'", 5),
    ("A", "self.objs[0].tags[1] == 'x'", 6),
    ("A", "self.ml['x'][0] == 'y'", 5),
    ("A", "self.lm[0]['k'] == 'v'", 5),
    ("A", "self.?objs[?0].name.orValue('') == ''", 4),
    ("A", "self.?m['k'].orValue('') == 'v'", 5),
    ("A", "optional.of(self.b).hasValue()", 4),
    ("A", "self.?bl.hasValue() && self.bl.size() < 3", 7),
    ("A", "[self.b, self.bl].all(x, x.size() < 3)", 27),
    ("A", "[self.a, self.lb].all(l, l.all(x, x == ''))", 25),
    ("A", "{'a': self.b}.all(k, k == 'a')", 37),
    ("A", "{'a': self.b}['a'].size() < 3", 35),
    ("A", "self.n + 1 > 2", 4),
    ("A", "self.n * 2 > 2", 4),
    ("A", "double(self.n) > 1.5", 4),
    ("A", "int(self.b) > 1", 4),
    ("A", "string(self.n).size() > 1", 5),
    ("A", "self.b.size() + self.bl.size() > 1", 8),
    ("A", "self.a.size() > 0 ? self.a[0] == 'x' : true", 8),
    ("A", "!(self.b == 'x')", 4),
    ("A", "self.b != 'x'", 3),
    ("A", "self.b < 'x'", 3),
    ("A", "self.lby[0] == b'ab'", 4),
    ("A", "self.a.all(x, self.lb.exists(y, x == y))", 39845853),
    ("A", "self.objs.map(o, o.tags).all(t, t.size() < 2)", 4839574),
    ("A", "self.objs.map(o, o.sub).all(s, s.z == '')", 4597596),
    ("A", "self.lo.map(x, x.a).all(y, y.all(z, z.b == ''))", 19922939),
    ("A", "lists.range(3).all(i, i < 3)", 30),
    ("A", "self.a.slice(1, 2).all(x, x == '')", 19),
    ("A", "self.lb.distinct().all(x, x == '')", 110),
    ("A", "self.lb.sort().all(x, x == '')", 112),
    ("A", "self.li.sort().size() > 1", 4947796033553),
    ("A", "sets.intersects(self.a, ['x'])", 1048588),
    ("A", "sets.contains(self.li, [1, 2])", 3145739),
    ("A", "self.b.matches('^' + self.bl + '$')", 6606055),
    ("A", "self.bl.findAll('a', 2).all(x, x == 'a')", 332),
    ("A", "self.bl.find('a').size() > 0", 13),
    ("A", "self.bl.split(',').all(x, x.size() < 3)", 499),
    ("A", "self.bl.split(',').join('-') == 'a'", 1844674407370955283),
    ("A", "self.a.join() == 'x'", 329852964048),
    ("A", "self.ios.size() > 1", 4),
    ("A", "int(self.ios) > 1", 4),
    ("A", "string(self.ios).size() > 1", 314577),
    ("A", "isQuantity(string(self.ios))", 629148),
    ("B", "self.objs.all(o, self.objs.exists(p, p.name == o.name))", 786452803),
    ("B", "self.mo.all(k, self.mo[k].l.exists(x, x == k))", 2473896050688),
    ("B", "self.m.map(k, self.m[k]).all(v, v.size() < 3)", 124),
    ("B", "self.a.exists(x, x.split('.').exists(y, y == 'z'))", 17152361260653),
    ("B", "[self.b, self.bl].exists(x, x.matches('a'))", 27),
    ("B", "self.li.sum() < 10", 10),
    ("B", "self.li.min() > 0", 10),
    ("B", "self.nums.all(x, x > 0.5)", 7864318),
    ("B", "self.t2 - self.t > duration('1h')", 7),
    ("B", "self.t + self.d > self.t2", 8),
    ("B", "self.d.getSeconds() > 5", 4),
    ("B", "self.b.size() == 0 ? self.a.size() == 0 : self.a.all(x, x != '')", 4194307),
    ("B", "self.e.matches('^x')", 3),
    ("B", "self.e + self.b == 'x'", 314578),
    ("B", "self.set.all(x, x.size() > 1)", 6291453),
    ("B", "self.mapl.all(x, x.k.size() < 3 && x.v > 0)", 3145723),
    ("B", "self.mapl.exists(x, x.k == self.b)", 98958374335),
    ("B", "self.metadata.name.matches('^[a-z]+$')", 29),
    ("B", "self.metadata.generateName.startsWith('x')", 4),
    ("B", "self.kind == 'Widget'", 3),
    (
        "B",
        "self.objs.all(o, o.tags.size() <= 3 && o.tags.all(t, t.contains(o.name)))",
        15564450208734511003,
    ),
    ("B", "self.objs.map(o, o.v).sum() > 1", 764),
    ("B", "self.objs.map(o, o.name).join(',').size() > 3", 1844674407370955979),
    ("B", "self.objs.exists_one(o, o.sub.z == 'x')", 304),
    ("B", "self.objs.filter(o, o.v > 1).map(o, o.tags).all(t, t.size() > 0)", 1825),
    ("B", "url(self.b).getQuery().all(k, k.size() > 1)", 18446744073709551615),
    ("B", "self.a.indexOf(self.b) > 0", 329854432055),
    ("B", "self.a.lastIndexOf('x') < 3", 329854432053),
    ("B", "self.bl.indexOf(self.b) > 0", 13),
    ("B", "'%d items'.format([self.a.size()]) == ''", 14),
    ("B", "self.b.format([1]) == ''", 314585),
    ("B", "self.li.all(x, x in self.li)", 94),
    ("B", "self.m.exists(k, k in self.m)", 43),
    ("B", "self.mo.all(k, has(self.mo[k].a))", 2752508),
    ("B", "self.objs.all(o, has(o.sub.z))", 253),
    ("B", "self.objs.all(o, o.?sub.?z.orValue('') == '')", 353),
    ("B", "optional.ofNonZeroValue(self.b).hasValue()", 4),
    ("B", "self.?m.orValue({}).size() > 0", 35),
    ("B", "self.?a.orValue([]).all(x, x == '')", 18446744073709551615),
    ("B", "self.a.size() > 2 && self.a[2].size() > 3", 9),
    ("B", "int(self.n) + 5 > 1", 5),
    ("B", "uint(self.n) > 1u", 4),
    ("B", "self.n % 2 == 0", 4),
    ("B", "-self.n < 0", 4),
    ("B", "self.b.lowerAscii().upperAscii().lowerAscii() == self.b", 1258296),
    ("B", "self.bl.replace(self.b, 'xx') == ''", 20),
    ("B", "self.a.map(x, x.lowerAscii()).all(y, y.matches('x'))", 329872257839),
    ("B", "self.a.map(x, x.split(',')).all(y, y.all(z, z == ''))", 659725641314),
    ("B", "self.bl.split(',').map(x, x.trim()).all(y, y.size() < 3)", 1550),
    ("B", "self.a.reverse().all(x, x == '')", 5242889),
    ("B", "self.li.slice(1, 3).all(x, x > 0)", 26),
    ("B", "lists.range(self.n).all(x, x > 0)", 18446744073709551615),
    ("B", "self.a.distinct().size() == self.a.size()", 2199019061268),
    ("B", "self.objs.map(o, o.v).sort().size() > 0", 5726),
    ("B", "sets.equivalent(self.set, self.a)", 2199019061255),
    ("B", "sets.intersects(self.objs.map(o, o.name), self.a)", 52429466),
    ("B", "self.bl.charAt(1) == 'x'", 4),
    ("B", "self.b.trim() == ''", 314575),
    ("B", "self.b.substring(2, 4) == 'ab'", 314576),
    ("B", "self.b.substring(self.n) == ''", 314577),
    ("B", "quantity(self.b).asInteger() > 1", 314577),
    ("B", "quantity(self.b).isInteger()", 314576),
    ("B", "quantity(self.bl).asApproximateFloat() > 1.0", 12),
    ("B", "semver(self.bl, true).minor() > 1", 12),
    ("B", "isSemver(self.bl, true)", 10),
    ("B", "cidr(self.bl).prefixLength() > 8", 12),
    ("B", "ip(self.bl).isLoopback() || ip(self.bl).isGlobalUnicast()", 22),
    ("B", "string(ip(self.bl)) == '1.2.3.4'", 12),
    ("B", "format.named(self.bl).value().validate(self.b).orValue([]).size() == 0", 10066355),
    ("B", "format.dns1123Label().validate(self.b).value().size() > 0", 10066342),
    (
        "B",
        "self.a.all(x, format.dns1123Subdomain().validate(x).hasValue() == false)",
        10555315611228,
    ),
    ("B", "self.objs.all(o, isURL(o.name))", 303),
    ("B", "self.objs.all(o, url(o.name).getPort() == '80')", 15729003),
    ("B", "self.objs.all(o, o.name.find('[0-9]+') != '')", 31457553),
    ("B", "self.objs.all(o, o.name.findAll('x').size() < 3)", 15729003),
    ("B", "type(self.b) == string", 4),
    ("B", "self.b == string(self.n)", 314578),
    ("B", "bytes(self.b) == b'x'", 314576),
    ("B", "self.a == ['x', 'y']", 13),
    ("B", "self.m == {'a': 'b'}", 33),
    ("B", "self.objs[0] == self.objs[1]", 6),
    ("B", "self.objs[0].sub == self.objs[1].sub", 8),
    ("B", "self.mapl[0].k == 'x'", 5),
    ("B", "[1, 2, 3].map(x, x * 2).all(y, y > 0)", 79),
    ("B", "{'a': [1, 2]}['a'].all(x, x > 0)", 52),
    ("B", "['a', 'b'].exists(x, x == self.b)", 25),
    ("B", "[self.a, ['x']].exists(l, l.all(x, x == ''))", 35),
    ("B", "dyn(self.a).size() > 0", 5),
    ("B", "dyn(self.objs).all(o, o.name == '')", 204),
    # two-variable comprehensions (cel-go's ext.TwoVarComprehensions)
    ("A", "self.a.all(i, x, x.size() < i)", 7340028),
    ("A", "self.a.exists(i, x, x == self.b)", 329860723503),
    ("A", "self.a.existsOne(i, x, i == 0 && x == 'y')", 6291454),
    ("A", "self.m.all(k, v, k.startsWith(v))", 123696788273),
    ("A", "self.m.exists(k, v, v.matches('^x'))", 123696788273),
    ("A", "self.ml.all(k, l, l.all(i, x, x.size() < i))", 2886209896453),
    ("A", "self.objs.all(i, o, o.tags.all(j, t, t.contains(o.name)))", 18446744073709551615),
    ("A", "self.a.transformList(i, x, x + 'a').size() > 0", 329867014965),
    ("A", "self.a.transformList(i, x, i > 0, x.size()).all(n, n < 5)", 22020089),
    ("A", "self.li.all(i, n, n > i)", 9437181),
    ("A", "self.mo.exists(k, v, v.l.exists(i, s, s == k))", 2473895264258),
    ("B", "self.objs.all(i, o, o.v > i)", 353),
    ("B", "self.m.all(k, v, v.size() < k.size())", 43),
    ("B", "self.li.transformList(i, n, n * i).all(x, x < 100)", 154),
    ("B", "self.objs.existsOne(i, o, o.tags.exists(j, t, t == o.name))", 49479124254254),
    ("B", "self.mo.all(k, v, v.l.all(i, s, s.matches(k)))", 2061579452418),
]

# (schema, rule with optionalOldSelf: true, cel-go MaxCost)
OPTIONAL_OLD_SELF: list[tuple[str, str, int]] = [
    ("A", "oldSelf.orValue(self).b == self.b", 6),
    ("A", "!oldSelf.hasValue() || oldSelf.value().a.all(x, x in self.a)", 7),
    ("A", "self.b == 'x'", 3),
    ("B", "oldSelf.value().a.all(x, x in self.a)", 4),
    ("B", "oldSelf.?a.orValue([]).all(x, x in self.a)", 18446744073709551615),
]

# (schema, rule, its MaxCost, messageExpression, its MessageExpressionMaxCost, optionalOldSelf)
MESSAGE_COSTS: list[tuple[str, str, int, str, int, bool]] = [
    ("A", "self.b == oldSelf.b", 314577, "'was ' + oldSelf.b", 314575, False),
    (
        "A",
        "self.a.all(x, x == 'x')",
        5242878,
        "self.a.map(x, x + '!').join(', ')",
        1844674737237970227,
        False,
    ),
    ("A", "true", 0, "'x'", 0, False),
    ("A", "true", 0, "self.bl.upperAscii()", 10, False),
    ("B", "self.b == 'x'", 3, "self.objs.map(o, o.name).join(', ')", 1844674407370955977, False),
    ("B", "self.b == 'x'", 3, "'%s and %s'.format([self.b, self.bl])", 15, False),
    ("B", "self.b == 'x'", 3, "self.bl.upperAscii() + '!'", 19, False),
    ("B", "self.objs.all(o, o.name == oldSelf.b)", 15729003, "'x' + oldSelf.bl", 11, False),
    ("B", "oldSelf.hasValue()", 2, "'x' + self.b", 314575, True),
]


def estimates(monkeypatch: pytest.MonkeyPatch, schema: str, raw: dict[str, Any]) -> list[int]:
    """The estimates compile_rules makes for one rule on the root of SCHEMAS[schema]: the
    rule's, then the messageExpression's."""
    seen: list[int] = []

    def record(*args: Any, **kwargs: Any) -> Est:
        result = estimate(*args, **kwargs)
        seen.append(result.max)
        return result

    monkeypatch.setattr("annex_core.schema.cel.estimate", record)
    compile_rules({**SCHEMAS[schema], "x-kubernetes-validations": [raw]}, "root", True)
    return seen


@pytest.mark.parametrize(("schema", "rule", "cost"), RULE_COSTS)
def test_rule_costs_are_cel_gos(
    monkeypatch: pytest.MonkeyPatch, schema: str, rule: str, cost: int
) -> None:
    assert estimates(monkeypatch, schema, {"rule": rule}) == [cost]


@pytest.mark.parametrize(("schema", "rule", "cost"), OPTIONAL_OLD_SELF)
def test_optional_old_self_is_estimated_without_annex_wrapper(
    monkeypatch: pytest.MonkeyPatch, schema: str, rule: str, cost: int
) -> None:
    assert estimates(monkeypatch, schema, {"rule": rule, "optionalOldSelf": True}) == [cost]


@pytest.mark.parametrize(
    ("schema", "rule", "cost", "message", "message_cost", "optional"), MESSAGE_COSTS
)
def test_message_expression_costs_are_cel_gos(
    monkeypatch: pytest.MonkeyPatch,
    schema: str,
    rule: str,
    cost: int,
    message: str,
    message_cost: int,
    optional: bool,
) -> None:
    raw: dict[str, Any] = {"rule": rule, "messageExpression": message}
    if optional:
        raw["optionalOldSelf"] = True
    assert estimates(monkeypatch, schema, raw) == [cost, message_cost]


def test_paths_alias_as_go_slices_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """`o.name` overwrites the path cel-go recorded for `o.tags` (one Go backing array), so
    the inner loop's range is sized as a string: cel-go's figure, not the maxItems bound."""
    rule = "self.objs.all(o, o.tags.size() <= 3 && o.tags.all(t, t.contains(o.name)))"
    assert (rule, 15564450208734511003) in [(r, c) for _, r, c in RULE_COSTS]
    assert estimates(monkeypatch, "B", {"rule": rule}) == [15564450208734511003]


@pytest.mark.parametrize(("schema", "expected"), CASES)
def test_cost_errors_are_a_crds(
    schema: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    errors = definition.versions_errors([version(schema), OTHER], VERSIONS)
    assert [(e.field, e.reason, e.message) for e in errors] == expected


def test_evaluation_compiles_without_the_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway compiles rules to run them: no estimate, no cost error."""
    monkeypatch.setattr("annex_core.schema.cel.estimate", None)
    rules = [{"rule": "self.a.all(x, x.matches('a'))"}]
    assert compile_rules({**SCHEMAS["A"], "x-kubernetes-validations": rules}).errors == []


def test_checked_expression_is_read_from_cel_cpp() -> None:
    schema = {**SCHEMAS["A"], "x-kubernetes-validations": [{"rule": "self.a.exists(x, x == 'y')"}]}
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
