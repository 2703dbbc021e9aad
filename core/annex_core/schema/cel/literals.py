"""The literal checks kube's CRD environment runs on a rule once it type-checks:
- cel-go's AST validators (`literal_issues`, compile errors at the literal):
  ValidateDurationLiterals, ValidateTimestampLiterals and ValidateRegexLiterals (a literal
  argument of duration(), timestamp() or matches() that cannot be evaluated: `ERROR:
  <input>:1:10: invalid duration argument`) and ValidateHomogeneousAggregateLiterals (list
  and map literals of one type: `expected type 'int' but found 'string'`, except inside
  format());
- the planner's constant folding (`folding_error`, OptOptimize): a type conversion of a
  literal is evaluated when the program is made, and its error fails it (`program
  instantiation failed: integer overflow`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import cache
from typing import Any

from cel_expr_python import cel

from annex_core.schema.cel.checked import Checked, Expr, Type

__all__ = ["folding_error", "literal_issues"]

# function -> which of its arguments (the receiver not counted) must be a valid literal
_CHECKED = {"duration": 0, "timestamp": 0, "matches": 0}
_PROBES = {
    "duration": "duration(x)",  # cel-go evaluates the call (evalCall)
    "timestamp": "timestamp(x)",
    "matches": "''.matches(x)",  # cel-go compiles the pattern (RE2 syntax, as cel-cpp's)
}


def literal_issues(checked: Checked, source: str, line_shift: int = 0) -> list[str]:
    """The validators' issues, each as cel-go displays it (the caller sorts them by
    location). `source` is what was compiled, `line_shift` the lines annex put before the
    rule's text."""
    issues = []
    lines = source.split("\n")
    for call in _calls(checked.expr):
        index = _CHECKED.get(call.name)
        if index is None or len(call.args) <= index:
            continue
        arg = call.args[index]
        if arg.kind != "literal" or not isinstance(arg.value, tuple):
            continue
        kind, value = arg.value
        if kind != "string" or _valid(call.name, value):
            continue
        issues.append(_issue(checked, arg.id, f"invalid {call.name} argument", lines, line_shift))
    for aggregate in _aggregates(checked.expr, False):
        for at, expected, found in _mixed(checked, aggregate):
            message = f"expected type '{_format(expected)}' but found '{_format(found)}'"
            issues.append(_issue(checked, at, message, lines, line_shift))
    return issues


def folding_error(checked: Checked) -> str | None:
    """The error of the first type conversion of a literal that fails (cel-cpp's text; the
    caller words it as cel-go), else None."""
    for call in _calls(checked.expr):
        if call.name not in _CONVERSIONS or call.target is not None or len(call.args) != 1:
            continue
        arg = call.args[0]
        if arg.kind != "literal" or not isinstance(arg.value, tuple):
            continue
        kind, value = arg.value
        if kind not in _LITERAL_TYPES:
            continue
        try:
            result = _conversion(call.name, kind).eval(data={"x": value})
        except (RuntimeError, TypeError, ValueError):
            continue  # a value Python cannot hand over as this type: nothing to tell
        if result.type() == cel.Type.ERROR:
            return str(result.value())
        if call.name == "double" and kind == "string" and _out_of_range(value, result.value()):
            return "cannot convert string to double"  # Go's ParseFloat: ErrRange
    return None


def _out_of_range(text: str, value: Any) -> bool:
    """A string cel-cpp reads as an infinity that does not spell one (Go refuses '1e500')."""
    spelled = text.strip().lstrip("+-").lower() in ("inf", "infinity")
    return isinstance(value, float) and math.isinf(value) and not spelled


def _calls(e: Expr) -> Iterator[Expr]:
    if e.kind == "call":
        yield e
    for sub in e.children():
        yield from _calls(sub)


@cache
def _probe(function: str) -> Any:
    return cel.NewEnv(variables={"x": cel.Type.STRING}).compile(_PROBES[function])


@cache
def _valid(function: str, literal: str) -> bool:
    try:
        return bool(_probe(function).eval(data={"x": literal}).type() != cel.Type.ERROR)
    except RuntimeError:
        return False


def _aggregates(e: Expr, in_format: bool) -> Iterator[Expr]:
    """List and map literals, those within a format() call left out."""
    if e.kind in ("list", "map") and not in_format:
        yield e
    in_format = in_format or (e.kind == "call" and e.name == "format")
    for sub in e.children():
        yield from _aggregates(sub, in_format)


def _mixed(checked: Checked, e: Expr) -> Iterator[tuple[int, Type, Type]]:
    """(where, expected, found) for entries of another type than the first one's: in a list
    the first such element only, in a map every such key and value. Types holding dyn are
    passed over: annex types an object's fields dyn where kube knows them (a list of two
    fields is one type there), so only what is typed alike on both sides is compared."""

    def typed(x: Expr, optional: bool) -> Type | None:
        t = checked.types.get(x.id, Type("dyn"))
        t = t.params[0] if optional and t.params else t
        return None if _has_dyn(t) else t

    if e.kind == "list":
        first: Type | None = None
        for i, x in enumerate(e.args):
            t = typed(x, i in e.optional)
            if t is None:
                continue
            if first is None:
                first = t
            elif t != first:
                yield x.id, first, t
                return
        return
    key_type: Type | None = None
    value_type: Type | None = None
    for i, (k, v) in enumerate(zip(e.keys, e.args, strict=True)):
        kt, vt = typed(k, False), typed(v, i in e.optional)
        if kt is not None:
            if key_type is None:
                key_type = kt
            elif kt != key_type:
                yield k.id, key_type, kt
        if vt is not None:
            if value_type is None:
                value_type = vt
            elif vt != value_type:
                yield v.id, value_type, vt


def _has_dyn(t: Type) -> bool:
    return t.kind in ("dyn", "typeparam") or any(_has_dyn(p) for p in t.params)


_NAMES = {
    "duration": "google.protobuf.Duration",
    "timestamp": "google.protobuf.Timestamp",
    "null": "null_type",
}


def _format(t: Type) -> str:
    """FormatCELType."""
    if t.kind == "list":
        return f"list({_format(t.params[0])})"
    if t.kind == "map":
        return f"map({_format(t.params[0])}, {_format(t.params[1])})"
    if t.kind in ("object", "typeparam"):
        return t.name
    if t.kind == "opaque":
        inner = ", ".join(_format(p) for p in t.params)
        return f"{t.name}({inner})" if t.params else t.name
    if t.kind == "type":
        return f"type({_format(t.params[0])})" if t.params else "type"
    return _NAMES.get(t.kind, t.kind)


# OptOptimize folds calls of these with one literal argument (IsTypeConversionFunction)
_CONVERSIONS = frozenset(
    {"bool", "bytes", "double", "duration", "dyn", "int", "string", "timestamp", "type", "uint"}
)
_LITERAL_TYPES = {
    "bool": cel.Type.BOOL,
    "int": cel.Type.INT,
    "uint": cel.Type.UINT,
    "double": cel.Type.DOUBLE,
    "string": cel.Type.STRING,
    "bytes": cel.Type.BYTES,
}


@cache
def _conversion(function: str, kind: str) -> Any:
    return cel.NewEnv(variables={"x": _LITERAL_TYPES[kind]}).compile(f"{function}(x)")


def _issue(checked: Checked, at: int, message: str, lines: list[str], line_shift: int) -> str:
    line, column = checked.location(at)
    snippet = lines[line - 1] if 0 < line <= len(lines) else ""
    return _display(line - line_shift, column, message, snippet)


def _display(line: int, column: int, message: str, snippet: str) -> str:
    """common.Error.ToDisplayString: the snippet under the message, and a marker under the
    column (a wide dot under each wide character)."""
    snippet = snippet.replace("\t", " ")
    marker = "".join("." if len(c.encode()) == 1 else "\uff0e" for c in snippet[: column - 1])
    at = snippet[column - 1 : column]
    hat = "\uff3e" if at and len(at.encode()) > 1 else "^"
    return f"ERROR: <input>:{line}:{column}: {message}\n | {snippet}\n | {marker}{hat}"
