"""Cost and size ranges with cel-go's saturating uint64 arithmetic (checker/cost.go
SizeEstimate / CostEstimate), and the types the estimator reasons with."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from annex_core.schema.cel.checked import Expr, Type
from annex_core.schema.cel.decl import Decl

__all__ = [
    "KT",
    "U64",
    "UNKNOWN",
    "AstNode",
    "Est",
    "GoPath",
    "from_checked",
    "from_decl",
    "optional",
]

U64 = (1 << 64) - 1
_TWO_TO_64 = float(1 << 64)


def add(x: int, y: int) -> int:
    return min(x + y, U64)


def mul(x: int, y: int) -> int:
    return min(x * y, U64)


def by_factor(x: int, factor: float) -> int:
    """multiplyByCostFactor: x times factor rounded up, in float64 as Go computes it."""
    xf = float(x)
    if xf > 0 and factor > 0 and xf > float(U64) / factor:
        return U64
    ceil = math.ceil(xf * factor)
    return U64 if ceil >= _TWO_TO_64 else int(ceil)


class Est(NamedTuple):
    """A size or cost range."""

    min: int
    max: int

    def add(self, other: Est) -> Est:
        return Est(add(self.min, other.min), add(self.max, other.max))

    def mul(self, other: Est) -> Est:
        return Est(mul(self.min, other.min), mul(self.max, other.max))

    def factor(self, factor: float) -> Est:
        return Est(by_factor(self.min, factor), by_factor(self.max, factor))

    def union(self, other: Est) -> Est:
        return Est(min(self.min, other.min), max(self.max, other.max))


UNKNOWN = Est(0, U64)


@dataclass(frozen=True)
class KT:
    """A type as cel-go's checker gives it for kube's declarations: `Type`'s kinds, with
    schema objects, maps and lists carrying their `Decl` (field types)."""

    kind: str
    params: tuple[KT, ...] = ()
    name: str = ""
    decl: Decl | None = field(default=None, compare=False)

    @property
    def scalar(self) -> bool:
        """isScalar: a type of constant size."""
        if self.kind == "opaque" and self.name == "optional_type" and self.params:
            return self.params[0].scalar
        return self.kind in ("bool", "double", "duration", "int", "timestamp", "uint")

    @property
    def precise(self) -> bool:
        return self.kind not in ("dyn", "typeparam")

    def elem(self) -> KT:
        """A list's item or a map's value type."""
        if self.kind == "list" and self.params:
            return self.params[0]
        if self.kind == "map" and len(self.params) == 2:
            return self.params[1]
        return DYN

    def field(self, name: str) -> KT | None:
        if self.decl is not None and self.decl.kind == "object":
            sub = self.decl.fields.get(name)
            return None if sub is None else from_decl(sub)
        if self.kind == "map":
            return self.elem()
        return None


DYN = KT("dyn")
_STRING = KT("string")


def from_checked(t: Type | None) -> KT:
    if t is None:
        return DYN
    return KT(t.kind, tuple(from_checked(p) for p in t.params), t.name)


def from_decl(d: Decl) -> KT:
    if d.kind == "list":
        assert d.elem is not None
        return KT("list", (from_decl(d.elem),), decl=d)
    if d.kind == "map":
        assert d.elem is not None
        return KT("map", (_STRING, from_decl(d.elem)), decl=d)
    if d.kind == "object":
        return KT("object", name="object", decl=d)
    return KT(d.kind, decl=d)


def optional(t: KT) -> KT:
    return KT("opaque", (t,), "optional_type")


class GoPath:
    """A field path as cel-go keeps it: a Go []string, whose appends write into the backing
    array they share while it has room. So `x.a` and a later `x.b` (x an iteration variable)
    can end up showing the same last element, and the estimate reads whatever the shared
    array holds when it looks, as cel-go's does."""

    __slots__ = ("_array", "_cap", "_len")

    def __init__(self, array: list[str], length: int, cap: int) -> None:
        self._array = array  # len(array) == cap
        self._len = length
        self._cap = cap

    @staticmethod
    def of(*names: str) -> GoPath:
        return GoPath(list(names), len(names), len(names))

    def append(self, name: str) -> GoPath:
        if self._len < self._cap:
            self._array[self._len] = name
            return GoPath(self._array, self._len + 1, self._cap)
        # growslice: double (paths stay far below 256 elements; 16-byte strings fill Go's
        # size classes exactly at powers of two)
        cap = max(1, 2 * self._cap)
        array = [*self._array[: self._len], name, *[""] * (cap - self._len - 1)]
        return GoPath(array, self._len + 1, cap)

    def names(self) -> list[str]:
        return self._array[: self._len]

    def __len__(self) -> int:
        return self._len


NIL_PATH = GoPath([], 0, 0)


@dataclass
class AstNode:
    """checker.AstNode: what a call estimator sees of an argument."""

    path: GoPath | None
    type: KT
    expr: Expr | None
    size: Est | None  # ComputedSize
