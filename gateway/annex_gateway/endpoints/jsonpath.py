"""The JSONPath dialect of `k8s.io/client-go/util/jsonpath`, which CRD printer columns use.

A port of its parser (`parser.go`) and evaluator (`jsonpath.go` `FindResults`, with
`AllowMissingKeys(true)` as `tableconvertor.New` sets it) over decoded JSON data: fields,
`['key']`, indexes and slices `[1:3:2]`, `[*]` and `.*`, unions `[0,2]`, recursive descent `..`,
and filters `[?(@.type=="Ready")]`. Evaluation errors are reported as Go reports them, with the
partial values Go returns alongside (a filter's `exists` test looks at those).

Not reproduced: `{range}`/`{end}` loops (an evaluation error here; meaningless in a printer
column), and Go's random map order under `*` and `..` (dict order here).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

from annex_gateway.endpoints.goformat import GoByte, go_json, go_print
from annex_gateway.endpoints.jsonpath_parser import (
    ArrayNode,
    FieldNode,
    FilterNode,
    JSONPathError,
    ListNode,
    LiteralNode,
    Node,
    RecursiveNode,
    TextNode,
    UnionNode,
    WildcardNode,
    parse,
)

__all__ = ["JSONPath", "JSONPathError", "parse", "print_result"]

# -- evaluation -----------------------------------------------------------------------------

Values = list[Any]
Result = tuple[Values, str | None]  # Go's (values, err): values may be partial on error


def _children(value: Any) -> Values:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return [GoByte(b) for b in value.encode()]
    return []


def _walk(values: Values, node: Node) -> Result:
    if isinstance(node, ListNode):
        return _eval_list(values, node)
    if isinstance(node, TextNode):
        return [node.text], None
    if isinstance(node, FieldNode):
        return [v[node.name] for v in values if isinstance(v, dict) and node.name in v], None
    if isinstance(node, ArrayNode):
        return _eval_array(values, node)
    if isinstance(node, FilterNode):
        return _eval_filter(values, node)
    if isinstance(node, LiteralNode):
        return [node.value] * len(values), None
    if isinstance(node, WildcardNode):
        return [c for v in values if v is not None for c in _children(v)], None
    if isinstance(node, RecursiveNode):
        return _eval_recursive(values), None
    if isinstance(node, UnionNode):
        out: Values = []
        for branch in node.branches:
            found, err = _eval_list(values, branch)
            if err:
                return values, err
            out.extend(found)
        return out, None
    if node.name == "end":
        return [], "not in range, nothing to end"
    return values, f"unrecognized identifier {node.name}"  # `range` too: not supported here


def _eval_list(values: Values, node: ListNode) -> Result:
    for child in node.nodes:
        values, err = _walk(values, child)
        if err:
            return values, err
    return values, None


def _eval_array(values: Values, node: ArrayNode) -> Result:
    out: Values = []
    for value in values:
        if value is None:
            continue
        if not isinstance(value, list):
            return values, f"{_go_type(value)} is not array or slice"
        n = len(value)
        p0, p1, p2 = node.params
        start = p0.value if p0.known else 0
        if start < 0:
            start += n
        stop = p1.value if p1.known else n
        if stop < 0 or (stop == 0 and p1.derived):
            stop += n
        if stop == start:
            return out, None  # zero elements requested: Go returns what it has so far
        if start >= n or start < 0:
            return values, f"array index out of bounds: index {start}, length {n}"
        if stop > n or stop < 0:
            return values, f"array index out of bounds: index {stop - 1}, length {n}"
        if start > stop:
            return values, f"starting index {start} is greater than ending index {stop}"
        if p2.known and p2.value <= 0:
            return values, "step must be > 0"
        out.extend(value[start : stop : p2.value if p2.known else 1])
    return out, None


def _eval_recursive(values: Values) -> Values:
    out: Values = []
    for value in values:
        if value is None:
            continue
        children = _children(value)
        if children:
            out.append(value)
            out.extend(_eval_recursive(children))
    return out


def _eval_filter(values: Values, node: FilterNode) -> Result:
    out: Values = []
    for value in values:
        if not isinstance(value, list):
            return values, f"{_go_type(value)} is not array or slice and cannot be filtered"
        for item in value:
            lefts, err = _eval_list([item], node.left)
            if node.operator == "exists":
                if lefts:
                    out.append(item)
                continue
            if err:
                return values, err
            if not lefts:
                continue
            if len(lefts) > 1:
                return values, "can only compare one element at a time"
            rights, err = _eval_list([item], node.right)
            if err:
                return values, err
            if not rights:
                continue
            if len(rights) > 1:
                return values, "can only compare one element at a time"
            try:
                passed = _compare(node.operator, lefts[0], rights[0])
            except JSONPathError as e:
                return out, str(e)
            if passed:
                out.append(item)
    return out, None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoByte):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathError("invalid type for comparison")


def _equal(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka != kb and {ka, kb} != {"int", "uint"}:
        raise JSONPathError("incompatible types for comparison")
    return bool(a == b)


def _less(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka != kb and {ka, kb} != {"int", "uint"}:
        raise JSONPathError("incompatible types for comparison")
    if ka == "bool":
        raise JSONPathError("invalid type for comparison")
    return bool(a < b)


def _compare(operator: str, a: Any, b: Any) -> bool:
    if operator == "==":
        return _equal(a, b)
    if operator == "!=":
        return not _equal(a, b)
    if operator == "<":
        return _less(a, b)
    if operator == "<=":
        return _less(a, b) or _equal(a, b)
    if operator == ">":
        return not (_less(a, b) or _equal(a, b))
    if operator == ">=":
        return not _less(a, b)
    raise JSONPathError(f"unrecognized filter operator {operator}")


def _go_type(value: Any) -> str:
    return {
        dict: "map[string]interface {}",
        str: "string",
        bool: "bool",
        float: "float64",
        int: "int64",
        GoByte: "uint8",
    }.get(type(value), "interface {}")


@dataclass(frozen=True)
class JSONPath:
    """A parsed template, evaluated as `jsonpath.New(..).AllowMissingKeys(true)` evaluates it."""

    template: str
    root: ListNode

    @classmethod
    def compile(cls, template: str) -> JSONPath:
        return cls(template, parse(template))

    @functools.cached_property
    def _field_chain(self) -> tuple[str, ...] | None:
        """The keys of a template that is one plain field path (`{.spec.replicas}`), the
        shape of nearly every printer column: looked up directly, not walked."""
        if len(self.root.nodes) != 1 or not isinstance(self.root.nodes[0], ListNode):
            return None
        nodes = self.root.nodes[0].nodes
        if not nodes or not all(isinstance(n, FieldNode) and n.name for n in nodes):
            return None
        return tuple(cast(FieldNode, n).name for n in nodes)

    def find_results(self, data: Any) -> list[Values]:
        """FindResults: one list of values per top-level node; JSONPathError on Go's errors."""
        chain = self._field_chain
        if chain is not None:
            node = data
            for key in chain:
                if not isinstance(node, dict):
                    break  # not a map on the way: the walker says what Go says
                if key not in node:
                    return [[]]  # missing keys are allowed: no value
                node = node[key]
            else:
                return [[node]]
        out: list[Values] = []
        for node in self.root.nodes:
            found, err = _walk([data], node)
            if err:
                raise JSONPathError(err)
            out.append(found)
        return out


def print_result(value: Any) -> str:
    """PrintResults for one value: maps and lists as compact JSON, scalars as `fmt.Fprint`."""
    if isinstance(value, (dict, list)):
        return go_json(value)
    return go_print(value)
