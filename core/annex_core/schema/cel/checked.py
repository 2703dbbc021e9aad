"""A checked CEL expression (`cel.expr.CheckedExpr`) read from cel-expr-python's `serialize()`.

The static cost estimate walks the AST with the checker's overload ids and types; no Python
package with the cel.expr protos is installed, so this reads the few messages it needs
straight from the protobuf wire format (cel/expr/syntax.proto and checked.proto field
numbers).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Checked", "Expr", "Type", "parse_checked"]

_Fields = dict[int, list[int | bytes]]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> _Fields:
    """Every field of one message: number → values (varints and fixed as ints, the rest bytes)."""
    out: _Fields = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = struct.unpack_from("<Q", data, pos)[0], pos + 8
        elif wire == 5:
            value, pos = struct.unpack_from("<I", data, pos)[0], pos + 4
        elif wire == 2:
            size, pos = _varint(data, pos)
            value, pos = data[pos : pos + size], pos + size
        else:
            raise ValueError(f"unsupported wire type {wire}")
        out.setdefault(number, []).append(value)
    return out


def _bytes(f: _Fields, n: int) -> bytes | None:
    v = f.get(n)
    return v[-1] if v and isinstance(v[-1], bytes) else None


def _int(f: _Fields, n: int) -> int:
    v = f.get(n)
    return v[-1] if v and isinstance(v[-1], int) else 0


def _ints(f: _Fields, n: int) -> list[int]:
    """A repeated integer field, packed or not."""
    out: list[int] = []
    for v in f.get(n, []):
        if isinstance(v, int):
            out.append(v)
            continue
        pos = 0
        while pos < len(v):
            i, pos = _varint(v, pos)
            out.append(i)
    return out


def _str(f: _Fields, n: int) -> str:
    return (_bytes(f, n) or b"").decode()


def _messages(f: _Fields, n: int) -> Iterator[_Fields]:
    for v in f.get(n, []):
        if isinstance(v, bytes):
            yield _fields(v)


@dataclass(frozen=True)
class Type:
    """A checked type: kind is a primitive (bool, int, uint, double, string, bytes), duration,
    timestamp, null, dyn, list, map, object (a message), opaque (abstract: optional_type,
    the Kubernetes types), type, typeparam, error; `name` for object/opaque/typeparam."""

    kind: str
    params: tuple[Type, ...] = ()
    name: str = ""


DYN = Type("dyn")
_PRIMITIVES = {1: "bool", 2: "int", 3: "uint", 4: "double", 5: "string", 6: "bytes"}
_WELL_KNOWN = {1: "dyn", 2: "timestamp", 3: "duration"}


def _type(f: _Fields) -> Type:
    if 3 in f:
        return Type(_PRIMITIVES.get(_int(f, 3), "dyn"))
    if 4 in f:  # wrapper types are nullable primitives; the estimator only needs the kind
        return Type(_PRIMITIVES.get(_int(f, 4), "dyn"))
    if 5 in f:
        return Type(_WELL_KNOWN.get(_int(f, 5), "dyn"))
    if 2 in f:
        return Type("null")
    if 6 in f:
        (lt,) = _messages(f, 6)
        return Type("list", (_type(next(_messages(lt, 1), {})),))
    if 7 in f:
        (mt,) = _messages(f, 7)
        return Type("map", (_type(next(_messages(mt, 1), {})), _type(next(_messages(mt, 2), {}))))
    if 9 in f:
        return Type("object", name=_str(f, 9))
    if 10 in f:
        return Type("typeparam", name=_str(f, 10))
    if 11 in f:
        return Type("type", (_type(next(_messages(f, 11), {})),))
    if 12 in f:
        return Type("error")
    if 14 in f:
        (at,) = _messages(f, 14)
        return Type("opaque", tuple(_type(p) for p in _messages(at, 2)), _str(at, 1))
    return DYN


@dataclass
class Expr:
    """One node. kind: literal, ident, select, call, list, map, struct, comprehension."""

    id: int
    kind: str
    # literal: ("string", "x"), ("int", 3), ... ; ident: the name; select/call: field/function
    value: object = None
    name: str = ""
    test_only: bool = False
    target: Expr | None = None  # select operand, call target
    args: list[Expr] = field(default_factory=list)  # call args, list elements, map/struct values
    keys: list[Expr] = field(default_factory=list)  # map entry keys
    optional: frozenset[int] = frozenset()  # list elements / map entries written `?x`
    # comprehension: iter_var, iter_var2, accu_var and the five parts
    iter_var: str = ""
    iter_var2: str = ""
    accu_var: str = ""
    iter_range: Expr | None = None
    accu_init: Expr | None = None
    loop_condition: Expr | None = None
    loop_step: Expr | None = None
    result: Expr | None = None

    def children(self) -> Iterator[Expr]:
        """The direct sub-expressions: a call's target before its arguments."""
        parts = (self.target, *self.args, *self.keys, self.iter_range, self.accu_init)
        parts += (self.loop_condition, self.loop_step, self.result)
        return (part for part in parts if part is not None)


_CONSTANTS = {1: "null", 2: "bool", 3: "int", 4: "uint", 5: "double", 6: "string", 7: "bytes"}


def _constant(f: _Fields) -> tuple[str, object]:
    for number, kind in _CONSTANTS.items():
        if number in f:
            raw = f[number][-1]
            if kind == "string":
                return kind, bytes(raw).decode() if isinstance(raw, bytes) else ""
            if kind == "int" and isinstance(raw, int):
                return kind, raw - (1 << 64) if raw >= 1 << 63 else raw
            if kind == "double" and isinstance(raw, int):
                return kind, struct.unpack("<d", struct.pack("<Q", raw))[0]
            return kind, raw
    return "duration" if 8 in f else "timestamp", None


def _optional(f: _Fields, n: int) -> Expr | None:
    """A sub-expression that may be absent (a select's operand, a call's target)."""
    sub = next(_messages(f, n), None)
    return None if sub is None else _expr(sub)


def _expr(f: _Fields) -> Expr:
    eid = _int(f, 2)
    if 3 in f:
        return Expr(eid, "literal", value=_constant(next(_messages(f, 3))))
    if 4 in f:
        return Expr(eid, "ident", name=_str(next(_messages(f, 4)), 1))
    if 5 in f:
        s = next(_messages(f, 5))
        return Expr(
            eid, "select", name=_str(s, 2), test_only=bool(_int(s, 3)), target=_optional(s, 1)
        )
    if 6 in f:
        c = next(_messages(f, 6))
        args = [_expr(a) for a in _messages(c, 3)]
        return Expr(eid, "call", name=_str(c, 2), target=_optional(c, 1), args=args)
    if 7 in f:
        lst = next(_messages(f, 7))
        return Expr(
            eid,
            "list",
            args=[_expr(a) for a in _messages(lst, 1)],
            optional=frozenset(_ints(lst, 2)),
        )
    if 8 in f:
        s = next(_messages(f, 8))
        entries = list(_messages(s, 2))
        kind = "struct" if _str(s, 1) else "map"
        return Expr(
            eid,
            kind,
            name=_str(s, 1),
            keys=[_expr(next(_messages(e, 3), {})) for e in entries if kind == "map"],
            args=[_expr(next(_messages(e, 4), {})) for e in entries],
            optional=frozenset(i for i, e in enumerate(entries) if _int(e, 5)),
        )
    if 9 in f:
        c = next(_messages(f, 9))

        def part(n: int) -> Expr:
            return _expr(next(_messages(c, n), {}))

        return Expr(
            eid,
            "comprehension",
            iter_var=_str(c, 1),
            iter_var2=_str(c, 8),
            accu_var=_str(c, 3),
            iter_range=part(2),
            accu_init=part(4),
            loop_condition=part(5),
            loop_step=part(6),
            result=part(7),
        )
    return Expr(eid, "unspecified")


@dataclass
class Checked:
    expr: Expr
    overloads: dict[int, list[str]]  # call expr id → the checker's candidate overload ids
    types: dict[int, Type]
    positions: dict[int, int] = field(default_factory=dict)  # expr id → code point offset
    line_offsets: list[int] = field(default_factory=list)  # where lines 2, 3, ... start

    def location(self, expr_id: int) -> tuple[int, int]:
        """(line, column), both from 1, of an expression in the source."""
        offset = self.positions.get(expr_id, 0)
        line, start = 1, 0
        for line_start in self.line_offsets:
            if line_start > offset:
                break
            line, start = line + 1, line_start
        return line, offset - start + 1


def parse_checked(serialized: bytes) -> Checked:
    """`Expression.serialize()` (a google.protobuf.Any of cel.expr.CheckedExpr)."""
    outer = _fields(serialized)
    checked = _fields(_bytes(outer, 2) or serialized if 1 in outer else serialized)
    overloads: dict[int, list[str]] = {}
    for entry in _messages(checked, 2):
        ref = next(_messages(entry, 2), {})
        ids = [bytes(v).decode() for v in ref.get(3, []) if isinstance(v, bytes)]
        if ids:
            overloads[_int(entry, 1)] = ids
    types = {
        _int(entry, 1): _type(next(_messages(entry, 2), {})) for entry in _messages(checked, 3)
    }
    info = next(_messages(checked, 5), {})  # SourceInfo
    positions = {_int(e, 1): _int(e, 2) for e in _messages(info, 4)}
    return Checked(
        _expr(next(_messages(checked, 4), {})), overloads, types, positions, _ints(info, 3)
    )
