"""Which parts of `self` and `oldSelf` a node's rules read, from their checked expressions.

Handing the evaluator a value converts all of it to CEL values first (cel-expr-python: ~1 µs
per field), whatever the rule reads: `self.metadata.name.size() <= 40` at the root of a large
object converted the whole object. A projection keeps only the fields read through chains of
field selections from the variables (`self.spec.replicas`, `has(self.spec.cron)`); any other
use of a value (an argument, an iteration range, a comparison, an index) keeps it whole, and
a variable used whole, or shadowed by a comprehension's variable, gives no projection. What a
rule reads is therefore the same in the projected value, and so is its result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from annex_core.schema.cel.checked import Expr

# CEL field name (a map key) → what is read below it; None: all of it. A projection of None
# is the whole value.
Projection = dict[str, "Projection | None"]

_VARIABLES = frozenset({"self", "oldSelf"})


class _Whole(Exception):
    """A variable is used whole: no projection."""


def projection(expressions: Iterable[Expr]) -> Projection | None:
    """What `expressions` read of `self` and `oldSelf` (the same fields of both: they share
    one schema node), or None when a variable is used whole."""
    out: Projection = {}
    try:
        for expr in expressions:
            for path in _reads(expr):
                _add(out, path)
    except _Whole:
        return None
    return out


def _add(projection: Projection, path: list[str]) -> None:
    node: Projection | None = projection
    for i, name in enumerate(path):
        assert node is not None
        if name in node:
            below = node[name]
            if below is None:
                return  # all of it is read already
            if i == len(path) - 1:
                node[name] = None
                return
            node = below
        elif i == len(path) - 1:
            node[name] = None
        else:
            node[name] = node = {}


def _chain(expr: Expr) -> list[str] | None:
    """The fields of a chain of selections from a variable (`self.a.b`: [a, b]), else None."""
    names: list[str] = []
    while expr.kind == "select" and expr.target is not None:
        names.append(expr.name)
        expr = expr.target
    if expr.kind == "ident" and expr.name in _VARIABLES and names:
        return names[::-1]
    return None


def _reads(expr: Expr) -> Iterator[list[str]]:
    if expr.kind == "ident":
        if expr.name in _VARIABLES:
            raise _Whole
        return
    if expr.kind == "select":
        path = _chain(expr)
        if path is not None:
            yield path
            return
    if expr.kind == "comprehension" and {expr.iter_var, expr.iter_var2, expr.accu_var} & _VARIABLES:
        raise _Whole
    for sub in expr.children():
        yield from _reads(sub)
