"""The static worst-case cost of a CEL expression, as cel-go v0.29.2's checker estimates it
(checker/cost.go `Cost`) with kube-apiserver's options: has() costs nothing
(PresenceTestHasCost(false)), sizes come from the schema (apiextensions schema/cel
`sizeEstimator`), and calls are priced by the ext libraries' and Kubernetes' estimators
(`costlib`) before cel-go's own.

cel-expr-python checks the expression with objects as `map(string, dyn)`; cel-go sees the
schema's field types, and the estimate depends on them (a select on an object costs 1, on dyn
0; the overloads a call may take). So the walk re-derives kube's type of every node from the
schema (`KT`), falling back to cel-cpp's type where the schema does not reach.

Paths are kept as Go slices (`GoPath`): cel-go's estimate depends on their aliasing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annex_core.schema.cel import costlib
from annex_core.schema.cel.checked import Checked, Expr
from annex_core.schema.cel.decl import Decl
from annex_core.schema.cel.estimate import (
    DYN,
    KT,
    NIL_PATH,
    U64,
    UNKNOWN,
    AstNode,
    Est,
    GoPath,
    add,
    from_checked,
    from_decl,
    optional,
)

__all__ = ["estimate"]

_ONE = Est(1, 1)
_ZERO = Est(0, 0)
_STRING_FACTOR = 0.1
_REGEX_FACTOR = 0.25
_ACCUMULATORS = ("@result", "@__result__")


@dataclass
class _Entry:
    """entrySizeEstimate: a list's or map's key/index and value sizes."""

    container: str
    key: Est
    val: Est

    def union(self, other: _Entry | None) -> _Entry | None:
        if other is None:
            return None
        return _Entry(self.container, self.key.union(other.key), self.val.union(other.val))


@dataclass
class _Local:
    path: GoPath
    size: Est | None
    entry: _Entry | None
    type: KT


class _Coster:
    def __init__(self, checked: Checked, root: Decl, variables: dict[str, KT]) -> None:
        self.checked = checked
        self.root = root
        self.variables = variables
        self.paths: dict[int, GoPath] = {}
        self.locals: dict[str, list[_Local]] = {}
        self.sizes: dict[int, Est] = {}
        self.entries: dict[int, _Entry] = {}
        self.types: dict[int, KT] = {}

    # --- sizes (the kube sizeEstimator and cel-go's computeSize) ---

    def estimate_size(self, path: GoPath | None) -> Est | None:
        """apiextensions' sizeEstimator: the schema's MaxElements at the path (its first
        element, the variable, is skipped: every path starts at the root)."""
        names = path.names() if path is not None else []
        if not names:
            return None
        node: Decl | None = self.root
        for name in names[1:]:
            assert node is not None
            if name in ("@items", "@values"):
                node = node.elem
            elif name == "@keys":
                node = node.key
            else:
                node = node.fields.get(name)
            if node is None:
                return None
        assert node is not None
        return Est(0, node.max_elements)

    def node_size(self, node: AstNode) -> Est:
        """The library estimators' sizeEstimate: computed, else from the schema, else unknown."""
        if node.size is not None:
            return node.size
        return self.estimate_size(node.path) or UNKNOWN

    def compute_size(self, e: Expr) -> Est | None:
        if e.id in self.sizes:
            return self.sizes[e.id]
        if (size := _expr_size(e)) is not None:
            return size
        if (size := self.estimate_size(self.path(e))) is not None:
            self.sizes[e.id] = size
            return size
        if self.type(e).scalar:
            return _ONE
        if e.kind == "ident" and (local := self.local(e.name)) is not None:
            return local.size
        return None

    def size_or_unknown(self, node: Expr | AstNode) -> Est:
        size = self.compute_size(node) if isinstance(node, Expr) else node.size
        return UNKNOWN if size is None else size

    def set_size(self, e: Expr, size: Est | None) -> None:
        if size is not None:
            self.sizes[e.id] = size

    def entry(self, e: Expr) -> _Entry | None:
        if e.id in self.entries:
            return self.entries[e.id]
        if e.kind == "ident" and (local := self.local(e.name)) is not None:
            return local.entry
        return None

    def set_entry(self, e: Expr, entry: _Entry | None) -> None:
        if entry is not None:
            self.entries[e.id] = entry

    # --- paths, types, scopes ---

    def local(self, name: str) -> _Local | None:
        stack = self.locals.get(name)
        return stack[-1] if stack else None

    def path(self, e: Expr) -> GoPath:
        if e.kind == "ident" and (local := self.local(e.name)) is not None:
            return local.path
        return self.paths.get(e.id, NIL_PATH)

    def type(self, e: Expr) -> KT:
        t = self.types.get(e.id)
        return t if t is not None else from_checked(self.checked.types.get(e.id))

    def ast_node(self, e: Expr) -> AstNode:
        path: GoPath | None = self.path(e)
        if path is not None and len(path) and path.names()[0] in _ACCUMULATORS:
            path = None  # only paths from root variables
        return AstNode(path, self.type(e), e, self.compute_size(e))

    def push(self, name: str, path: GoPath, size: Est | None, entry: _Entry | None, t: KT) -> None:
        self.locals.setdefault(name, []).append(_Local(path, size, entry, t))

    def push_value(self, name: str, e: Expr) -> None:
        """pushLocalVar: a bound variable (cel.bind, the accumulator)."""
        self.push(name, self.path(e), self.compute_size(e), self.entry(e), self.type(e))

    def push_iter(self, name: str, range_: Expr, part: str = "single") -> None:
        """pushIterSingle (`part` single), pushIterKey (key), pushIterValue (value): a
        comprehension's iteration variable, the first or second of two."""
        entry = self.entry(range_)
        range_type = self.type(range_)
        container = entry.container if entry is not None else range_type.kind
        is_list = container == "list"
        if part == "value" or (part == "single" and is_list):
            size = entry.val if entry is not None else None
            sub, t = ("@items" if is_list else "@values"), range_type.elem()
        else:
            size = entry.key if entry is not None else None
            sub = "@indices" if is_list else "@keys"
            t = KT("int") if is_list else (range_type.params[0] if range_type.params else DYN)
        self.push(name, self.path(range_).append(sub), size, None, t)

    def pop(self, name: str) -> None:
        self.locals[name].pop()

    # --- the walk ---

    def cost(self, e: Expr | None) -> Est:
        if e is None:
            return _ZERO
        kind = e.kind
        if kind == "literal":
            self.types[e.id] = KT(str(e.value[0]) if isinstance(e.value, tuple) else "dyn")
            return _ZERO
        if kind == "ident":
            return self.cost_ident(e)
        if kind == "select":
            return self.cost_select(e)
        if kind == "call":
            return self.cost_call(e)
        if kind == "list":
            return self.cost_list(e)
        if kind == "map":
            return self.cost_map(e)
        if kind == "struct":
            return sum_costs(self.cost(v) for v in e.args).add(Est(40, 40))
        if kind == "comprehension":
            return self.cost_bind(e) if _is_bind(e) else self.cost_comprehension(e)
        return _ZERO

    def cost_ident(self, e: Expr) -> Est:
        local = self.local(e.name)
        if local is not None:
            self.paths[e.id] = local.path
            if e.name not in _ACCUMULATORS:
                self.types[e.id] = local.type
        else:
            self.paths[e.id] = GoPath.of(e.name)
            if e.name in self.variables:
                self.types[e.id] = self.variables[e.name]
        return _ONE

    def cost_select(self, e: Expr) -> Est:
        operand = e.target
        assert operand is not None
        if e.test_only:
            self.types[e.id] = KT("bool")
            return self.cost(operand)  # PresenceTestHasCost(false)
        cost = self.cost(operand)
        operand_type = self.type(operand)
        if operand_type.kind in ("map", "object", "typeparam"):
            cost = cost.add(_ONE)
        field = operand_type.field(e.name)
        if field is not None:
            self.types[e.id] = field
        self.paths[e.id] = self.path(operand).append(e.name)
        return cost

    def cost_call(self, e: Expr) -> Est:
        args = e.args
        if e.name == "dyn" and len(args) == 1:
            arg_cost = self.cost(args[0])
            self.set_size(e, self.compute_size(args[0]))
            self.set_entry(e, self.entry(args[0]))
            self.types[e.id] = DYN
            return _ONE.add(arg_cost)
        arg_costs = []
        nodes = []
        for arg in args:
            arg_costs.append(self.cost(arg))
            nodes.append(self.ast_node(arg))
        candidates = self.checked.overloads.get(e.id, [])
        if not candidates:
            return _ZERO
        total = _ZERO
        target: AstNode | None = None
        if e.target is not None:
            total = total.add(self.cost(e.target))
            target = self.ast_node(e.target)
        overloads = costlib.kube_overloads(candidates, target, nodes)
        self.type_call(e, overloads, target, nodes)
        fn_cost = Est(U64, 0)
        result: Est | None = None
        for overload in overloads:
            cost, size = self.function_cost(e, overload, target, nodes, arg_costs)
            fn_cost = fn_cost.union(cost)
            if size is not None:
                result = size if result is None else result.union(size)
            if overload in ("index_list", "index_map") and args:
                entry = self.entry(args[0])
                result = entry.val if entry is not None else None
                sub = "@items" if overload == "index_list" else "@values"
                self.paths[e.id] = self.path(args[0]).append(sub)
            if result is None:
                result = self.compute_size(e)
        self.set_size(e, result)
        return total.add(fn_cost)

    def type_call(
        self, e: Expr, overloads: list[str], target: AstNode | None, args: list[AstNode]
    ) -> None:
        """kube's result type where cel-cpp's lost the schema's (see `costlib.result_type`)."""
        t = costlib.result_type(e.name, overloads, target, args)
        if t is not None:
            self.types[e.id] = t

    def function_cost(
        self,
        e: Expr,
        overload: str,
        target: AstNode | None,
        args: list[AstNode],
        arg_costs: list[Est],
    ) -> tuple[Est, Est | None]:
        """The ext libraries' estimate, else Kubernetes', else cel-go's own (its
        functionCost switch, below)."""
        arg_sum = sum_costs(arg_costs)
        for estimator in (costlib.ext_call_cost, costlib.kube_call_cost):
            found = estimator(self.node_size, e.name, overload, target, args)
            if found is not None:
                return found[0].add(arg_sum), found[1]
        size = self.size_or_unknown
        if overload == "string_format" and target is not None:
            return size(target).factor(_STRING_FACTOR).add(arg_sum), None
        if overload in ("string_to_bytes", "bytes_to_string", "strings_quote") and len(args) == 1:
            sz = size(args[0])
            cost = sz.factor(_STRING_FACTOR).add(arg_sum)
            if overload == "string_to_bytes":
                return cost, Est(sz.min, sz.max * 4 & U64)
            if overload == "bytes_to_string":
                return cost, Est(sz.min // 4, sz.max)
            return cost, Est(add(sz.min, 2), (sz.max * 2 + 2) & U64)
        if overload in ("starts_with_string", "ends_with_string") and len(args) == 1:
            return size(args[0]).factor(_STRING_FACTOR).add(arg_sum), None
        if overload == "in_list" and len(args) == 2:
            return size(args[1]).factor(1).add(arg_sum), None
        if overload in ("matches", "matches_string"):
            pair: tuple[AstNode, AstNode] | None = None
            if overload == "matches_string" and target is not None and len(args) == 1:
                pair = (target, args[0])
            elif overload == "matches" and target is None and len(args) == 2:
                pair = (args[0], args[1])
            if pair is not None:
                str_cost = size(pair[0]).add(_ONE).factor(_STRING_FACTOR)
                regex_cost = size(pair[1]).factor(_REGEX_FACTOR)
                return str_cost.mul(regex_cost).add(arg_sum), None
        if overload == "contains_string" and target is not None and len(args) == 1:
            str_cost = size(target).factor(_STRING_FACTOR)
            return str_cost.mul(size(args[0]).factor(_STRING_FACTOR)).add(arg_sum), None
        if overload in ("logical_or", "logical_and"):
            lhs, rhs = arg_costs[0], arg_costs[1]
            return Est(lhs.min, lhs.add(rhs).max), None
        if overload == "conditional":
            result = size(args[1]).union(size(args[2]))
            left = self.entry(args[1].expr) if args[1].expr is not None else None
            right = self.entry(args[2].expr) if args[2].expr is not None else None
            self.set_entry(e, left.union(right) if left is not None else None)
            return arg_costs[0].add(arg_costs[1].union(arg_costs[2])), result
        if overload in ("add_string", "add_bytes", "add_list") and len(args) == 2:
            result = size(args[0]).add(size(args[1]))
            left = self.entry(args[0].expr) if args[0].expr is not None else None
            right = self.entry(args[1].expr) if args[1].expr is not None else None
            if left is not None:
                self.set_entry(e, left.union(right))
            if overload == "add_list":
                return _ONE.add(arg_sum), result
            return result.factor(_STRING_FACTOR).add(arg_sum), result
        if overload in _COMPARISONS:
            smallest = min(size(args[0]).max, size(args[1]).max)
            cost = Est(1 if smallest > 0 else 0, smallest).factor(_STRING_FACTOR)
            return cost.add(arg_sum), None
        return _ONE.add(arg_sum), None

    def cost_list(self, e: Expr) -> Est:
        total = _ZERO
        item = Est(0 if not e.args else U64, 0)
        for element in e.args:
            total = total.add(self.cost(element))
            item = item.union(self.size_or_unknown(element))
        self.set_entry(e, _Entry("list", _ONE, item))
        if e.args:
            first = self.type(e.args[0])
            if first.precise and all(self.type(a) == first for a in e.args):
                self.types[e.id] = KT("list", (first,))
        return total.add(Est(10, 10))

    def cost_map(self, e: Expr) -> Est:
        total = _ZERO
        empty = 0 if not e.args else U64
        key, val = Est(empty, 0), Est(empty, 0)
        for k, v in zip(e.keys, e.args, strict=True):
            total = total.add(self.cost(k)).add(self.cost(v))
            key = key.union(self.size_or_unknown(k))
            val = val.union(self.size_or_unknown(v))
        self.set_entry(e, _Entry("map", key, val))
        return total.add(Est(30, 30))

    def cost_comprehension(self, e: Expr) -> Est:
        assert e.iter_range is not None
        assert e.accu_init is not None
        total = self.cost(e.iter_range).add(self.cost(e.accu_init))
        self.push_value(e.accu_var, e.accu_init)
        if e.iter_var2:  # all(i, v, ...), transformList(i, v, ...)
            self.push_iter(e.iter_var, e.iter_range, "key")
            self.push_iter(e.iter_var2, e.iter_range, "value")
        else:
            self.push_iter(e.iter_var, e.iter_range)
        loop = self.cost(e.loop_condition)
        step = self.cost(e.loop_step)
        self.pop(e.iter_var)
        if e.iter_var2:
            self.pop(e.iter_var2)
        total = total.add(self.cost(e.result))
        self.pop(e.accu_var)
        count = self.size_or_unknown(e.iter_range)
        total = total.add(count.mul(step.add(loop)))
        if e.accu_init.kind == "literal":
            self.set_size(e, self.compute_size(e.accu_init))
        elif e.accu_init.kind in ("list", "map"):
            self.set_size(e, count)
            if e.loop_step is not None:
                self.set_entry(e, self.entry(e.loop_step))
            if e.loop_step is not None and self.type(e.loop_step).precise:
                self.types[e.id] = self.type(e.loop_step)
        return total

    def cost_bind(self, e: Expr) -> Est:
        assert e.accu_init is not None
        assert e.result is not None
        total = self.cost(e.iter_range).add(self.cost(e.accu_init))
        self.push_value(e.accu_var, e.accu_init)
        total = total.add(self.cost(e.result))
        self.pop(e.accu_var)
        self.set_size(e, self.compute_size(e.result))
        self.set_entry(e, self.entry(e.result))
        self.types[e.id] = self.type(e.result)
        return total


_COMPARISONS = frozenset(
    {
        *(
            f"{op}_{t}"
            for op in ("less", "greater", "less_equals", "greater_equals")
            for t in ("string", "bytes")
        ),
        "equals",
        "not_equals",
    }
)


def sum_costs(costs: Iterable[Est]) -> Est:
    total = _ZERO
    for c in costs:
        total = total.add(c)
    return total


def _expr_size(e: Expr) -> Est | None:
    """computeExprSize: the exact size of a literal, list or map written in the expression."""
    if e.kind == "literal" and isinstance(e.value, tuple):
        kind, value = e.value
        if kind == "string" and isinstance(value, str):
            return Est(len(value), len(value))
        if kind == "bytes" and isinstance(value, bytes):
            return Est(len(value), len(value))
        if kind in ("bool", "double", "int", "uint", "null", "duration", "timestamp"):
            return _ONE
        return None
    if e.kind == "list":
        return Est(len(e.args), len(e.args))
    if e.kind == "map":
        return Est(len(e.args), len(e.args))
    return None


def _is_bind(e: Expr) -> bool:
    r, cond = e.iter_range, e.loop_condition
    return (
        r is not None
        and r.kind == "list"
        and not r.args
        and cond is not None
        and cond.kind == "literal"
        and cond.value == ("bool", False)
        and e.accu_var != "@result"
    )


def estimate(
    checked: Checked, root: Decl, optional_old_self: bool = False, wrapped: bool = False
) -> Est:
    """The cost range of a checked rule or message expression whose `self` has the schema
    type `root`. `wrapped`: the rule was compiled inside annex's optionalOldSelf `cel.bind`
    (`_Compiler.rule`), which kube does not have: the estimate is the user's expression's,
    with `oldSelf` an optional of `self`'s type."""
    self_type = from_decl(root)
    old_type = optional(self_type) if optional_old_self else self_type
    coster = _Coster(checked, root, {"self": self_type, "oldSelf": old_type})
    expr = checked.expr
    if wrapped and expr.kind == "comprehension" and expr.result is not None:
        expr = expr.result
    return coster.cost(expr)
