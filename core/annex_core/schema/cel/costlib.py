"""Per-call cost estimates the estimator asks before cel-go's own: the cel-go ext libraries
kube enables (ext/lists.go v3, ext/sets.go; the strings extension is at version 2, whose
functions carry no estimators) and Kubernetes' (apiserver pkg/cel/library/cost.go
`EstimateCallCost`, keyed by function name as there); plus the overload and result-type
corrections that give the estimator cel-go's view of a call over schema types.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from annex_core.schema.cel.estimate import KT, U64, AstNode, Est, GoPath, optional

__all__ = ["ext_call_cost", "kube_call_cost", "kube_overloads", "result_type"]

_Call = tuple[Est, Est | None] | None
# The library estimators' sizeEstimate: computed, else from the schema, else unknown.
_Size = Callable[[AstNode], Est]
_ONE = Est(1, 1)
_STRING_FACTOR = 0.1
_REGEX_FACTOR = 0.25
_LIST_CREATE = Est(10, 10)
_MAX_FORMAT_SIZE = 64
_MAX_NAME_FORMAT_REGEX_SIZE = 128

# --- which overloads kube's checker would pick ---------------------------------------------

_TOKENS = {
    "int64": "int",
    "uint64": "uint",
    "double": "double",
    "string": "string",
    "bytes": "bytes",
    "list": "list",
    "map": "map",
    "timestamp": "timestamp",
    "duration": "duration",
    "bool": "bool",
}
_OPERATORS = (
    "less_equals_",
    "greater_equals_",
    "less_",
    "greater_",
    "add_",
    "subtract_",
    "multiply_",
    "divide_",
    "modulo_",
)


def _operand_kinds(overload: str) -> list[str] | None:
    """The kinds of the operands an overload takes, where the estimate depends on them."""
    for prefix in _OPERATORS:
        if overload.startswith(prefix):
            kinds = [_TOKENS.get(t) for t in overload[len(prefix) :].split("_")]
            if not kinds or any(k is None for k in kinds):
                return None
            return [k for k in kinds if k is not None] * (2 if len(kinds) == 1 else 1)
    source, to, _ = overload.partition("_to_")
    if to and source in _TOKENS:  # conversions: int64_to_string, bytes_to_string, ...
        return [_TOKENS[source]]
    head, _, tail = overload.partition("_")
    if head == "size" and tail in _TOKENS:
        return [_TOKENS[tail]]
    if tail == "size" and head in _TOKENS:
        return [_TOKENS[head]]
    if head == "index" and tail in ("list", "map"):
        return [tail, "*"]
    if head == "in" and tail in ("list", "map"):
        return ["*", tail]
    return None


def kube_overloads(candidates: list[str], target: AstNode | None, args: list[AstNode]) -> list[str]:
    """The candidates whose operand kinds fit the schema's types (cel-cpp kept every overload
    a `dyn` field could take; cel-go's checker, seeing the field's type, keeps only these)."""
    operands = ([target] if target is not None else []) + args
    kept = []
    for overload in candidates:
        kinds = _operand_kinds(overload)
        if (
            kinds is not None
            and len(kinds) == len(operands)
            and any(
                want != "*" and node.type.precise and node.type.kind != want
                for want, node in zip(kinds, operands, strict=True)
            )
        ):
            continue
        kept.append(overload)
    return kept or candidates


def result_type(
    function: str, overloads: list[str], target: AstNode | None, args: list[AstNode]
) -> KT | None:
    """The call's type as cel-go infers it from schema types, where that differs from
    cel-cpp's (which saw `dyn` fields); None: take cel-cpp's."""
    found: KT | None = None
    if overloads and overloads[0] in ("index_list", "index_map") and args:
        found = args[0].type.elem()
    elif function == "_?._" and len(args) == 2 and args[1].expr is not None:
        value = args[1].expr.value
        name = value[1] if isinstance(value, tuple) else None
        field = args[0].type.field(name) if isinstance(name, str) else None
        found = optional(field) if field is not None else None
    elif function == "_?_:_" and len(args) == 3:
        found = args[1].type if args[1].type.precise else args[2].type
    elif overloads == ["add_list"] and len(args) == 2:
        lhs = args[0]
        accumulator = lhs.expr is not None and lhs.expr.kind == "ident" and lhs.expr.name[:1] == "@"
        found = args[1].type if accumulator else lhs.type
    elif target is not None and function in ("value", "orValue") and target.type.params:
        found = target.type.params[0]
    elif target is not None and function in ("sum", "min", "max") and target.type.kind == "list":
        found = target.type.elem()
    elif target is not None and function in ("slice", "reverse", "distinct", "sort"):
        found = target.type
    return found if found is not None and found.precise else None


# --- cel-go ext libraries (CostEstimatorOptions) ------------------------------------------


def _literal_uint(node: AstNode, default: int) -> int:
    """nodeAsUintValue: an int literal argument (negative as 0), else the default."""
    expr = node.expr
    if expr is None or expr.kind != "literal" or not isinstance(expr.value, tuple):
        return default
    kind, value = expr.value
    if kind != "int" or not isinstance(value, int):
        return default
    return max(value, 0)


def _allocating(factor: float, size: Est) -> _Call:
    """estimateAllocatingListCall."""
    return size.factor(factor).add(_ONE).add(_LIST_CREATE), size


def ext_call_cost(
    size: _Size, function: str, overload: str, target: AstNode | None, args: list[AstNode]
) -> _Call:
    if overload == "list_slice" and target is not None and len(args) == 2:
        sz = size(target)
        start, end = _literal_uint(args[0], 0), _literal_uint(args[1], sz.max)
        return _allocating(1, Est((end - start) & U64, (end - start) & U64))
    if overload == "lists_range" and target is None and len(args) == 1:
        n = _literal_uint(args[0], U64)
        return _allocating(1, Est(n, n))
    if overload == "list_reverse" and target is not None and not args:
        return _allocating(1, size(target))
    if overload in ("list_flatten", "list_flatten_int") and target is not None and len(args) <= 1:
        depth = _literal_uint(args[0], U64) if args else 1
        return _allocating(float(depth), size(target))
    if overload == "list_distinct" and target is not None and not args:
        sz = size(target)
        return _allocating(2.0, sz.mul(sz))
    if overload == "list_sort" and target is not None and not args:
        # cel-go registers one estimator per comparable element type (list_<type>_sort)
        factor = 2.0 + (_STRING_FACTOR if target.type.elem().kind in ("string", "bytes") else 0)
        sz = size(target)
        return _allocating(factor, sz.mul(sz))
    factors = {
        "list_sets_contains_list": 1.0,
        "list_sets_intersects_list": 1.0,
        "list_sets_equivalent_list": 2.0,
    }
    if overload in factors and len(args) == 2:
        return size(args[0]).mul(size(args[1])).factor(factors[overload]).add(_ONE), None
    return None


# --- Kubernetes libraries (library/cost.go EstimateCallCost) ------------------------------


def _element(node: AstNode) -> AstNode | None:
    """listElementNode: the first type parameter, at the path's `@items`."""
    if not node.type.params:
        return None
    path = GoPath.of(*node.path.names(), "@items") if node.path else None
    return AstNode(path, node.type.params[0], None, None)


_ONE_COST = frozenset(
    {
        "masked",
        "prefixLength",
        "family",
        "isUnspecified",
        "isLoopback",
        "isLinkLocalMulticast",
        "isLinkLocalUnicast",
        "isGlobalUnicast",
        "format.named",
        "sign",
        "asInteger",
        "isInteger",
        "asApproximateFloat",
        "isGreaterThan",
        "isLessThan",
        "compareTo",
        "add",
        "sub",
        "major",
        "minor",
        "patch",
        "getScheme",
        "getHostname",
        "getHost",
        "getPort",
        "getEscapedPath",
        "getQuery",
    }
)
_SCAN_ARG = frozenset({"cidr", "isIP", "isCIDR", "quantity", "isQuantity", "semver", "isSemver"})
_SCAN_TARGET = frozenset({"lowerAscii", "upperAscii", "substring", "trim"})
_LISTS = frozenset({"isSorted", "sum", "max", "min", "indexOf", "lastIndexOf", "includes"})


def kube_call_cost(
    size: _Size, function: str, overload: str, target: AstNode | None, args: list[AstNode]
) -> _Call:
    if function in _ONE_COST:
        return _ONE, None
    if function in _LISTS and target is not None:
        element = _element(target)
        if element is not None:
            each = _ONE
            if element.type.kind in ("string", "bytes"):
                each = each.add(size(element).factor(_STRING_FACTOR))
            return size(target).mul(each), None
        if function == "includes":
            return size(target).mul(_ONE), None
        return size(target).factor(_STRING_FACTOR), None
    if function in ("url", "jsonpatch.escapeKey") and len(args) == 1:
        sz = size(args[0])
        return sz.factor(_STRING_FACTOR), sz
    if function in _SCAN_TARGET and target is not None:
        sz = size(target)
        return sz.factor(_STRING_FACTOR), sz
    if function == "replace" and target is not None and len(args) >= 2:
        return _replace(size(target), size(args[0]), size(args[1]))
    if function == "split" and target is not None:
        sz = size(target)
        top = sz.max
        if len(args) > 1 and args[1].expr is not None and args[1].expr.kind == "literal":
            value = args[1].expr.value
            if isinstance(value, tuple) and value[0] == "int" and isinstance(value[1], int):
                top = value[1] & U64  # uint64(i)
        return sz.factor(2 * _STRING_FACTOR), Est(0, top)
    if function == "join" and target is not None:
        return _join(size, target, args)
    if function in ("find", "findAll") and target is not None and args:
        sz = size(target)
        str_cost = sz.add(_ONE).factor(_STRING_FACTOR)
        return str_cost.mul(size(args[0]).factor(_REGEX_FACTOR)), Est(0, sz.max)
    if function in _SCAN_ARG and args:
        return size(args[0]).factor(_STRING_FACTOR), None
    if function == "ip":
        if overload == "cidr_ip":
            return _ONE, None
        if args:
            return size(args[0]).factor(_STRING_FACTOR), None
    if function == "ip.isCanonical" and args:
        return size(args[0]).factor(2 * _STRING_FACTOR), None
    if function in ("containsIP", "containsCIDR") and args:
        address = Est(4, 16)
        cost = address.add(address).factor(_STRING_FACTOR)
        if function == "containsCIDR":
            cost = cost.add(address.factor(_STRING_FACTOR)).add(_ONE)
        if overload in ("cidr_contains_ip_string", "cidr_contains_cidr_string"):
            cost = cost.add(size(args[0]).factor(_STRING_FACTOR))
        return cost, None
    if function == "validate" and args:
        scan = size(args[0]).factor(_STRING_FACTOR)
        return scan.factor(_MAX_NAME_FORMAT_REGEX_SIZE * _REGEX_FACTOR), None
    if function == "_==_" and len(args) == 2:
        return _equals(args[0], args[1])
    return None


def _equals(lhs: AstNode, rhs: AstNode) -> _Call:
    """Equality of Kubernetes types (annex declares them as kubernetes.* messages)."""
    if lhs.type != rhs.type or lhs.type.kind != "object":
        return None
    name = lhs.type.name
    if name in ("kubernetes.IP", "kubernetes.CIDR", "kubernetes.Quantity", "kubernetes.Semver"):
        return _ONE, None
    if name == "kubernetes.NamedFormat":
        return Est(1, _MAX_FORMAT_SIZE).factor(_STRING_FACTOR), None
    if name == "kubernetes.URL":
        size = Est(1, 1)
        if rhs.size is not None:  # kube reads rhs's computed size for both sides
            size = rhs.size.union(rhs.size)
        return Est(1, size.max).factor(_STRING_FACTOR), None
    return None


def _go_uint64(value: float) -> int:
    """Go's uint64(float64) on amd64, out-of-range values included."""
    if value < 2.0**63:
        return int(value)
    rest = value - 2.0**63
    return (int(rest) if rest < 2.0**63 else 1 << 63) | 1 << 63


def _replacements(target: int, needle: int, unchanged: bool) -> tuple[int, int]:
    """One bound of the replace estimate: how many replacements, and how much of the target
    is kept (`unchanged`: the replacement cannot grow the string at this bound)."""
    if needle == 0:
        return (target + 1 if target < U64 else target), target
    if unchanged:
        return 0, target
    return _go_uint64(math.ceil(float(target) / float(needle))), 0


def _replace(sz: Est, to_replace: Est, replace_with: Est) -> _Call:
    count_max, kept_max = _replacements(sz.max, to_replace.min, replace_with.max <= to_replace.min)
    count_min, kept_min = _replacements(sz.min, to_replace.max, to_replace.max <= replace_with.min)
    size = Est(count_min, count_max).mul(replace_with).add(Est(kept_min, kept_max))
    return sz.factor(2 * _STRING_FACTOR), size


def _join(size: _Size, target: AstNode, args: list[AstNode]) -> _Call:
    list_size = size(target)
    sz = Est(0, 0)
    element = _element(target)
    if element is not None:
        sz = list_size.mul(size(element))
    if args:
        separators = Est(max(list_size.min - 1, 0), max(list_size.max - 1, 0))
        sz = sz.add(size(args[0]).mul(separators))
    return sz.factor(_STRING_FACTOR), sz
