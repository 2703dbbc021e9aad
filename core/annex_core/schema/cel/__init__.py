"""CRD validation rules (`x-kubernetes-validations`) as kube-apiserver v1.37 runs them.

`compile_rules(schema)` compiles every rule of a structural schema once (per definition
version) and reports compile errors as a CRD write would; `CompiledRules.validate(new, old)`
runs them on an object as apiextensions-apiserver's `schema/cel.Validator` does: rules at
every level, `self` typed from the schema, transition rules (`oldSelf`) only where old and new
correlate, `optionalOldSelf`, `message` / `messageExpression` / `reason` / `fieldPath`,
ratcheting of unchanged values, and a cost budget.

The evaluator is cel-expr-python (cel-cpp) with the strings (version 2, as kube) and optional
extensions and the Kubernetes libraries of `library`; it converts whatever value it is given, so each node's
rules are given only the fields they read (`projection`). Differences from kube (see `types` too):
- cost: kube counts cel-go's per-operation runtime cost; cel-cpp exposes none, so the cost
  of an evaluation is its wall time at kube's own calibration (PerCallLimit 1,000,000 ≈ 0.1 s,
  RuntimeCELCostBudget 10,000,000 ≈ 1 s per object), checked after each evaluation. The
  static estimate a CRD write checks (`compile_rules(static_cost=True)`: `cost`, `budget`)
  is cel-go's own;
- cross-type numeric comparison of literals (`1 < 2.5`) fails to type-check (dyn operands
  compare fine); of the two-variable comprehensions, `transformMap` and `transformMapEntry`
  are refused when the definition is checked (cel-cpp cannot run them yet); `sortBy` and
  `string(cidr)` do not compile;
- set and map lists compare order-insensitively in transition rules (they are put in a
  canonical order when the rule uses `oldSelf` and indexes nothing); `+` on them appends.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_optional, ext_strings

from annex_core.apidef import FieldError
from annex_core.gotext import go_json, go_quote
from annex_core.schema import fielderrors
from annex_core.schema.cel import budget, library
from annex_core.schema.cel.checked import Checked, Expr, parse_checked
from annex_core.schema.cel.cost import estimate
from annex_core.schema.cel.decl import Decl, max_cardinality, schema_decl
from annex_core.schema.cel.literals import folding_error, literal_issues
from annex_core.schema.cel.projection import Projection, projection
from annex_core.schema.cel.types import Node, declare, project, to_cel
from annex_core.schema.structural import new_structural_error

PER_CALL_LIMIT = 1_000_000
RUNTIME_BUDGET = 10_000_000
# Cost units per second of evaluation (kube: a PerCallLimit of 1,000,000 is about 0.1 s).
COST_PER_SECOND = 10_000_000
MAX_MESSAGE_EXPRESSION_BYTES = 5 * 1024
SUPPORTED_REASONS = (
    "FieldValueDuplicate",
    "FieldValueForbidden",
    "FieldValueInvalid",
    "FieldValueRequired",
)

_OLD_VALUE = "__annex_old_self_value__"
_HAS_OLD = "__annex_has_old_self__"
_OLD_SELF = re.compile(r"\boldSelf\b")
_STATUS_SUFFIX = re.compile(r" \[[A-Z_]+\]$")
_INPUT_LINE = re.compile(r"<input>:(\d+):")
_NEWLINES = re.compile(r"[\n\r]+")

__all__ = ["CompiledRules", "compile_rules"]


# cel-go's ext.TwoVarComprehensions (kube 1.32+): all/exists/existsOne(i, v, ...) and
# transformList; cel-expr-python has no Python class for it, only its name in an env config.
_TWO_VARIABLE_COMPREHENSIONS = "extensions:\n  - name: two-var-comprehensions\n"


class _Env:
    """cel-expr-python environments, one per `self` type, shared across the definition."""

    def __init__(self) -> None:
        self._envs: dict[tuple[str, bool], Any] = {}
        self._ext = cel.CelExtension("kubernetes", library.declarations())
        self._config = cel.NewEnvConfigFromYaml(_TWO_VARIABLE_COMPREHENSIONS)

    def get(self, node: Node, optional_old: bool) -> Any:
        t = node.cel_type()
        key = (t.name(), optional_old)
        env = self._envs.get(key)
        if env is None:
            variables: dict[str, Any] = {"self": t}
            if optional_old:
                variables[_OLD_VALUE] = t
                variables[_HAS_OLD] = cel.Type.BOOL
            else:
                variables["oldSelf"] = t
            # kube's CRD environment: strings at version 2 (no reverse), no cel.bind; the
            # optionalOldSelf environment has it for annex's own wrapper (see `rule`).
            extensions = [ext_strings.ExtStrings(2), ext_optional.ExtOptional(), self._ext]
            if optional_old:
                extensions.append(ext_bindings.ExtBindings())
            env = cel.NewEnv(
                descriptor_pool=library.POOL,
                config=self._config,
                variables=variables,
                extensions=extensions,
            )
            self._envs[key] = env
        return env


def _planned(program: Any) -> Any:
    """`program`, once cel-cpp has planned it: it plans on the first evaluation, and a
    function it declares but cannot run (cel.@mapInsert, behind transformMap and
    transformMapEntry) fails the plan, not the check. An evaluation without variables plans
    and fails fast (an error value, not an exception, when planned)."""
    try:
        program.eval(data={})
    except RuntimeError as exc:
        if "cel.@mapInsert" in str(exc):
            raise RuntimeError(
                "transformMap and transformMapEntry are not supported (the CEL runtime has no "
                "cel.@mapInsert)"
            ) from None
        raise
    return program


def _issues(exc: Exception, line_shift: int = 0) -> str:
    """cel-cpp's compile issues as cel-go's `issues.String()` prints them."""
    text = _STATUS_SUFFIX.sub("", str(exc).strip())
    text = re.sub(r"^[A-Z_]+: ", "", text)
    # cel-go: checker/errors.go typeDoesNotSupportFieldSelection
    text = re.sub(
        r"expression of type '(\w+)' cannot be the operand of a select operation",
        r"type '\1' does not support field selection",
        text,
    )
    text = _NO_OVERLOAD.sub(_receiver_style, text)
    if line_shift:
        text = _INPUT_LINE.sub(lambda m: f"<input>:{int(m.group(1)) - line_shift}:", text)
    return _by_location(text)


_ISSUE = re.compile(r"^ERROR: <input>:(\d+):(\d+): ", re.MULTILINE)


def _by_location(text: str) -> str:
    """The issues ordered by line and column, as cel-go's ToDisplayString sorts them (stably;
    cel-cpp reports the checker's in the order it meets them)."""
    starts = [m.start() for m in _ISSUE.finditer(text)]
    if len(starts) < 2 or starts[0] != 0:
        return text
    blocks = [text[a:b].rstrip("\n") for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]

    def location(block: str) -> tuple[int, int]:
        m = _ISSUE.match(block)
        assert m is not None
        return int(m.group(1)), int(m.group(2))

    return "\n".join(sorted(blocks, key=location))


# An unmatched overload, with the source line cel-cpp quotes under it.
_NO_OVERLOAD = re.compile(
    r"(<input>:\d+:(\d+): found no matching overload for '([^']+)' applied to ')\((.*)\)('\n \| )(.*)"
)


def _receiver_style(m: re.Match[str]) -> str:
    """cel-go prints a call written `x.f(a)` as applied to 'X.(A)' (checker/errors.go
    noMatchingOverload with isInstance), where cel-cpp prints '(X, A)'."""
    column, name, args, source = int(m.group(2)), m.group(3), m.group(4), m.group(6)
    if not source[: column - 1].rstrip().endswith("." + name):
        return m.group(0)
    target, _, rest = _split_first(args)
    return f"{m.group(1)}{target}.({rest}){m.group(5)}{source}"


def _split_first(types: str) -> tuple[str, str, str]:
    """`'T, A, B'` as ('T', ',', 'A, B'), commas inside parentheses (map(K, V)) kept."""
    depth = 0
    for i, char in enumerate(types):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            return types[:i], ",", types[i + 1 :].lstrip()
    return types, "", ""


def _runtime_error(text: str) -> str:
    """A cel-cpp evaluation error in cel-go's words."""
    code, _, detail = text.partition(": ")
    if not code.isupper():
        detail = text
    m = re.fullmatch(r'Key not found in map : "?(.*?)"?', detail)
    if m:
        return f"no such key: {m.group(1)}"
    m = re.fullmatch(r"Index error: index=(-?\d+) size=(\d+)", detail)
    if m:  # objects' lists and list literals (cel-go's own lists say it otherwise)
        return f"index out of bounds: {m.group(1)}"
    if detail.startswith("No matching overloads found"):
        return "no such overload"
    m = re.fullmatch(r"String to (Duration|Timestamp) conversion failed", detail)
    if m:  # duration() / timestamp() of a string that is none
        return f"type conversion error from 'string' to 'google.protobuf.{m.group(1)}'"
    m = re.fullmatch(r"cannot convert (string|int|uint|double|bytes|bool) to (\w+)", detail)
    if m:  # a failed int()/double()/uint() conversion
        return f"type conversion error from '{m.group(1)}' to '{m.group(2)}'"
    regexp = library.go_regexp_error(detail)
    if regexp is not None:  # matches() with a pattern from the object
        return regexp
    m = re.fullmatch(r"Type conversion error from '(\w+)' to '(\w+)'", detail)
    if m:  # a failed bool() conversion
        return f"type conversion error from '{m.group(1)}' to '{m.group(2)}'"
    return _ERRORS.get(detail, detail)


_ERRORS = {  # cel-cpp's words -> cel-go's
    "divide by zero": "division by zero",
    "modulus by zero": "modulus by zero",
    "double out of int64 range": "integer overflow",
    "int64 out of uint64 range": "unsigned integer overflow",
    "double out of uint64 range": "unsigned integer overflow",
    "uint64 out of int64 range": "integer overflow",
    "malformed UTF-8 bytes": "invalid UTF-8 in bytes, cannot convert to string",
}


def _invalid_rule(path: str, raw: Mapping[str, Any], detail: str) -> FieldError:
    """`field.Invalid(path, rule, detail)`: the internal `apiextensions.ValidationRule` (no json
    tags) as `json.Marshal` writes it, fields in declaration order."""
    fields = {
        "Rule": raw.get("rule") or "",
        "Message": raw.get("message") or "",
        "MessageExpression": raw.get("messageExpression") or "",
        "Reason": raw.get("reason"),
        "FieldPath": raw.get("fieldPath") or "",
        "OptionalOldSelf": raw.get("optionalOldSelf"),
    }
    value = "{" + ",".join(f'"{k}":{go_json(v)}' for k, v in fields.items()) + "}"
    return FieldError(path, fielderrors.INVALID, f"Invalid value: {value}: {detail}")


_FIELD_PATH_TOKEN = re.compile(r"\.([^.\[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[([^\]]*)\]")


def normalize_field_path(path: str, schema: Mapping[str, Any]) -> str | None:
    """`ValidFieldPath`: the field.Path string of a rule's fieldPath, or None if invalid."""
    out: str | None = None
    current: Mapping[str, Any] | None = schema
    pos = 0
    if not path.startswith((".", "[")):
        return None
    while pos < len(path):
        m = _FIELD_PATH_TOKEN.match(path, pos)
        if m is None or current is None:
            return None
        pos = m.end()
        if m.group(1) is not None or m.group(2) is not None:
            name = m.group(1) if m.group(1) is not None else re.sub(r"\\(.)", r"\1", m.group(2))
            props = current.get("properties") or {}
            extra = current.get("additionalProperties")
            if name in props:
                current = props[name]
                out = fielderrors.child(out, name)
            elif isinstance(extra, Mapping) or extra is True:
                # additionalProperties: true names any key, with no schema below it
                current = extra if isinstance(extra, Mapping) else None
                out = fielderrors.key(out, name)
            else:
                return None
        else:
            return None  # numeric indexes are not allowed
    return out


def rule_field_errors(
    schema: Mapping[str, Any], raw: Mapping[str, Any], path: str
) -> list[FieldError]:
    """The static checks of one x-kubernetes-validations entry at `path` (its fields, not its
    CEL), as a CRD write makes them; `schema` is the node the rule is on."""
    errors: list[FieldError] = []
    rule, message = _text(raw, "rule"), _text(raw, "message")
    expression, field_path = _text(raw, "messageExpression"), _text(raw, "fieldPath")
    if not rule.strip():
        errors.append(fielderrors.required(f"{path}.rule", "rule is not specified"))
    elif message and not message.strip():
        errors.append(
            fielderrors.invalid(f"{path}.message", message, "must be non-empty if specified")
        )
    elif _NEWLINES.search(message.strip()):
        errors.append(
            fielderrors.invalid(f"{path}.message", message, "must not contain line breaks")
        )
    elif _NEWLINES.search(rule.strip()) and not message.strip():
        errors.append(
            fielderrors.required(
                f"{path}.message", "message must be specified if rule contains line breaks"
            )
        )
    if expression and not expression.strip():
        errors.append(
            fielderrors.required(
                f"{path}.messageExpression", "messageExpression must be non-empty if specified"
            )
        )
    reason = raw.get("reason")
    if reason is not None and reason not in SUPPORTED_REASONS:
        errors.append(fielderrors.not_supported(f"{path}.reason", reason, SUPPORTED_REASONS))
    if field_path and not field_path.strip():
        errors.append(
            fielderrors.invalid(f"{path}.fieldPath", field_path, "must be non-empty if specified")
        )
    if _NEWLINES.search(field_path):
        errors.append(
            fielderrors.invalid(f"{path}.fieldPath", field_path, "must not contain line breaks")
        )
    # ValidFieldPath on the structural schema (none: not checked, as in Go)
    if (
        field_path
        and new_structural_error(schema) is None
        and normalize_field_path(field_path, schema) is None
    ):
        errors.append(fielderrors.invalid(f"{path}.fieldPath", field_path, "must be a valid path"))
    return errors


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


@dataclass
class _Rule:
    index: int
    raw: Mapping[str, Any]
    program: Any
    # The environment the program was compiled in: its activations must come from it
    # (an activation of another environment skips the variables' type checks).
    env: Any
    uses_old_self: bool
    optional_old_self: bool
    canonical_sets: bool
    message_program: Any | None
    message_env: Any
    field_path: str
    # The checked expressions of the rule and its message (what the projection reads).
    read: list[Expr] = field(default_factory=list)
    # Another rule of the node evaluates with the same variables (`_share_activations`).
    shared: bool = False

    @property
    def error_string(self) -> str:
        message = (self.raw.get("message") or "").strip()
        return message or (self.raw.get("rule") or "").strip()

    @property
    def default_message(self) -> str:
        message = (self.raw.get("message") or "").strip()
        if message:
            return message
        return f"failed rule: {self.error_string}"


@dataclass
class _Validator:
    node: Node
    type_name: str
    rules: list[_Rule] = field(default_factory=list)
    properties: dict[str, _Validator] = field(default_factory=dict)
    additional: _Validator | None = None
    items: _Validator | None = None
    resource_root: bool = False
    list_type: str = "atomic"
    map_keys: tuple[str, ...] = ()
    # Where a child's `self` is part of this node's (its node is this node's field, element):
    # a property's CEL field name, and whether items / additional properties are.
    cel_fields: dict[str, str] = field(default_factory=dict)
    cel_items: bool = False
    cel_additional: bool = False
    # What the rules read of `self` and `oldSelf`, converted alone (None: all of it).
    projection: Projection | None = None
    # Rules that did not compile, by index, with why: only a definition's own checks
    # (defaults) evaluate such a schema, and report them as kube does.
    broken: list[tuple[int, str]] = field(default_factory=list)
    # x-kubernetes-int-or-string: a value neither string nor integer is no CEL value.
    int_or_string: bool = False


@dataclass
class _Ratchet:
    """kube's ratchetingOptions: the current correlated (new, old) pair, or the nearest one."""

    current: tuple[Any, Any] | None
    parent: tuple[Any, Any] | None

    def should_ratchet(self) -> bool:
        pair = self.current if self.current is not None else self.parent
        return pair is not None and _deep_equal(pair[0], pair[1])

    def key(self, name: str, at_root: bool) -> _Ratchet:
        if self.current is None:
            return self
        if at_root and name in ("apiVersion", "kind"):
            return _Ratchet(None, None)
        new, old = self.current
        child = None
        if isinstance(old, Mapping) and isinstance(new, Mapping) and name in old:
            child = (new.get(name), old[name])
        return _Ratchet(child, self.current)

    def index(self, i: int, validator: _Validator, old_index: int | None = None) -> _Ratchet:
        """`old_index`: where new[i]'s keys are in old, if the caller looked it up already
        (a map list's items; -1: nowhere)."""
        if self.current is None:
            return self
        new, old = self.current
        child = None
        if isinstance(new, list) and isinstance(old, list):
            if validator.list_type == "map":
                if old_index is None:
                    old_index = _map_list_index(validator.map_keys, old, new[i])
                child = None if old_index < 0 else (new[i], old[old_index])
            elif validator.list_type == "set":
                child = next(((new[i], o) for o in old if _deep_equal(o, new[i])), None)
        return _Ratchet(child, self.current)


def _deep_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) and a == b) or (
        isinstance(a, int | float) and isinstance(b, int | float) and a == b
    )


def _map_list_index(keys: tuple[str, ...], old: list[Any], item: Any) -> int:
    """The index of the old item with the keys of `item`, or -1."""
    if not isinstance(item, Mapping):
        return -1
    want = [item.get(k) for k in keys]
    for i, o in enumerate(old):
        if isinstance(o, Mapping) and all(
            _deep_equal(o.get(k), w) for k, w in zip(keys, want, strict=True)
        ):
            return i
    return -1


# A CEL value not converted yet (`to_cel` is done once per node, and its children's values
# are taken from the parent's where the schema nodes are the same, unless the parent's hold
# only what its rules read: `projection`).
_UNSET: Any = object()


class _Budget(Exception):
    """The evaluation stopped: no further rules run."""


class CompiledRules:
    """The compiled `x-kubernetes-validations` of one schema."""

    def __init__(self, root: _Validator | None, errors: list[FieldError]) -> None:
        self._root = root
        self.errors = errors
        # Seconds, for the cost approximation; tests replace it.
        self.clock: Callable[[], float] = time.perf_counter

    @property
    def empty(self) -> bool:
        return self._root is None

    def validate(
        self,
        new: Any,
        old: Any | None,
        warnings: list[str] | None = None,
        *,
        path: str | None = None,
        ratchet: bool = True,
    ) -> list[FieldError]:
        """The rule errors of `new` (old=None on create) as kube-apiserver reports them; the
        failures ratcheting forgives (unchanged values) are added to `warnings`, as kube
        sends them in Warning headers. `path`: where `new` is (None: an object's root);
        `ratchet=False` validates against `old` with nothing forgiven (a default's check)."""
        if self._root is None:
            return []
        errs: list[FieldError] = []
        pair = (new, old) if old is not None and ratchet else None
        state: dict[str, Any] = {
            "budget": RUNTIME_BUDGET,
            "warnings": warnings if warnings is not None else [],
        }
        with contextlib.suppress(_Budget):
            self._walk(self._root, path, new, old, _Ratchet(pair, None), errs, state)
        return errs

    # --- the walk (validate / validateMap / validateArray) ---

    def _walk(
        self,
        v: _Validator,
        path: str | None,
        obj: Any,
        old: Any,
        ratchet: _Ratchet,
        errs: list[FieldError],
        state: dict[str, Any],
        cel_self: Any = _UNSET,
        cel_old: Any = _UNSET,
    ) -> None:
        """`cel_self`, `cel_old`: `to_cel` of obj and old under `v.node`, if known."""
        if obj is None:
            return
        if v.rules or v.broken:
            cel_self, cel_old = self._rules(
                v, path, obj, old, ratchet, errs, state, cel_self, cel_old
            )
        if isinstance(obj, list) and v.items is not None:
            # Converted lists have the raw lists' lengths (no canonical order here).
            linked = v.cel_items and cel_self is not _UNSET
            for i, item in enumerate(obj):
                old_item = None
                found = -1
                looked_up: int | None = None
                if v.list_type == "map" and isinstance(old, list):
                    found = _map_list_index(v.map_keys, old, item)
                    old_item = None if found < 0 else old[found]
                    # The ratchet's pair is this node's (obj, old) when it has one.
                    current = ratchet.current
                    if current is not None and current[0] is obj and current[1] is old:
                        looked_up = found
                self._walk(
                    v.items,
                    fielderrors.key(path, str(i)),
                    item,
                    old_item,
                    ratchet.index(i, v, looked_up),
                    errs,
                    state,
                    cel_self[i] if linked else _UNSET,
                    (None if found < 0 else cel_old[found]) if linked else _UNSET,
                )
        elif isinstance(obj, Mapping):
            old_map = old if isinstance(old, Mapping) else {}
            # A node's converted object or map is a dict exactly when its raw value is a
            # mapping; an old value that is not one has no children.
            linked = cel_self is not _UNSET
            old_cel = cel_old if linked and type(cel_old) is dict else {}
            if v.additional is not None:
                linked_additional = linked and v.cel_additional
                for k, sub in obj.items():
                    self._walk(
                        v.additional,
                        fielderrors.key(path, k),
                        sub,
                        old_map.get(k),
                        ratchet.key(k, v.resource_root),
                        errs,
                        state,
                        cel_self[k] if linked_additional else _UNSET,
                        old_cel.get(k) if linked_additional else _UNSET,
                    )
            if v.properties:
                cel_fields = v.cel_fields if linked else {}
                for k, sub in obj.items():
                    prop = v.properties.get(k)
                    if prop is not None:
                        name = cel_fields.get(k)
                        self._walk(
                            prop,
                            fielderrors.child(path, k),
                            sub,
                            old_map.get(k),
                            ratchet.key(k, v.resource_root),
                            errs,
                            state,
                            _UNSET if name is None else cel_self[name],
                            _UNSET if name is None else old_cel.get(name),
                        )

    def _spend(self, started: float) -> int:
        """The cost of an evaluation that began at `started`: its time, in cost units."""
        return int((self.clock() - started) * COST_PER_SECOND)

    def _rules(
        self,
        v: _Validator,
        path: str | None,
        obj: Any,
        old: Any,
        ratchet: _Ratchet,
        errs: list[FieldError],
        state: dict[str, Any],
        self_value: Any,
        old_value: Any,
    ) -> tuple[Any, Any]:
        """Runs the node's rules; its `self` and `oldSelf` values (given or converted here)."""
        where = path if path is not None else "<nil>"
        if state["budget"] <= 0:
            errs.append(fielderrors.invalid(where, v.type_name, _OUT_OF_BUDGET))
            raise _Budget
        problem = _not_a_value(obj, v)
        if problem is not None:
            # UnstructuredToVal gives an error value (a value of the wrong type: only where
            # ratcheting let a schema error through): each rule evaluates to it.
            for failing in v.rules:
                if failing.uses_old_self and old is None and not failing.optional_old_self:
                    continue
                detail = f"{problem} evaluating rule: {failing.error_string}"
                errs.append(fielderrors.invalid(where, v.type_name, detail))
            return _UNSET, _UNSET
        projected = self_value is _UNSET and v.projection is not None
        if projected:
            self_value = project(obj, v.node, v.projection)
            old_value = None if old is None else project(old, v.node, v.projection)
        elif self_value is _UNSET:
            self_value = to_cel(obj, v.node)
            old_value = None if old is None else to_cel(old, v.node)
        canonical: tuple[Any, Any] | None = None
        # The activations its shared rules evaluate in (`_share_activations`, `_activation`).
        activations: dict[tuple[bool, bool], Any] = {}
        # The node's evaluations share an arena: given none, pybind11 tries every way to cast
        # None before taking it, twice (about 1.5 of an evaluation's 4 µs). What an arena
        # holds (values, converted variables) goes with it, after the node.
        arena = cel.Arena()
        for rule in v.rules if not v.broken else _with_broken(v):
            if isinstance(rule, str):
                errs.append(fielderrors.invalid(where, v.type_name, "rule compile error: " + rule))
                continue
            if rule.uses_old_self and old is None and not rule.optional_old_self:
                continue
            if rule.canonical_sets:
                if canonical is None:
                    canonical = (
                        to_cel(obj, v.node, True),
                        None if old is None else to_cel(old, v.node, True),
                    )
                s, o = canonical
            else:
                s, o = self_value, old_value
            if rule.optional_old_self:
                data = {"self": s, _OLD_VALUE: o, _HAS_OLD: old is not None}
            else:
                data = {"self": s, "oldSelf": o}
            started = self.clock()
            if rule.shared:
                result = rule.program.eval(_activation(activations, rule.env, rule, data, arena))
            else:
                result = rule.program.eval(None, data, None, arena)
            cost = self._spend(started)
            if cost > PER_CALL_LIMIT:
                errs.append(
                    fielderrors.invalid(
                        where,
                        v.type_name,
                        "'operation cancelled: actual cost limit exceeded': no further validation "
                        f"rules will be run due to call cost exceeds limit for rule: {rule.error_string}",
                    )
                )
                raise _Budget
            if cost > state["budget"]:
                errs.append(fielderrors.invalid(where, v.type_name, _OUT_OF_BUDGET))
                raise _Budget
            state["budget"] -= cost
            value = result.value()
            if value is True:  # most evaluations: no need to ask the result's type
                continue
            if result.type() == cel.Type.ERROR:
                failure = _runtime_error(str(value))
                if failure.startswith("no such overload"):
                    detail = (
                        f"'{failure}': call arguments did not match a supported operator, "
                        f"function or macro signature for rule: {rule.error_string}"
                    )
                else:
                    detail = f"{failure} evaluating rule: {rule.error_string}"
                errs.append(fielderrors.invalid(where, v.type_name, detail))
                continue
            current = fielderrors.child(path, rule.field_path) if rule.field_path else where
            message: str | None = None
            if rule.message_program is not None:
                message = self._message(
                    rule, s, o, current, v, state, errs, ratchet, activations, arena
                )
            shown = fielderrors.OMIT if v.type_name in ("object", "array") else obj
            error = _for_reason(
                current, shown, message or rule.default_message, rule.raw.get("reason")
            )
            if not rule.uses_old_self and ratchet.should_ratchet():
                state["warnings"].append(str(error))  # ratcheted: a warning, as kube adds it
            else:
                errs.append(error)
        # Children convert their own values when these hold only what the rules read.
        return (_UNSET, _UNSET) if projected else (self_value, old_value)

    def _message(
        self,
        rule: _Rule,
        s: Any,
        o: Any,
        current: str,
        v: _Validator,
        state: dict[str, Any],
        errs: list[FieldError],
        ratchet: _Ratchet,
        activations: dict[tuple[bool, bool], Any],
        arena: Any,
    ) -> str | None:
        # kube evaluates messageExpression with the plain (non-optional) activation.
        data = {"self": s, "oldSelf": o}
        started = self.clock()
        assert rule.message_program is not None
        if (False, rule.canonical_sets) in activations:
            result = rule.message_program.eval(
                _activation(activations, rule.message_env, rule, data, arena)
            )
        else:
            result = rule.message_program.eval(None, data, None, arena)
        cost = self._spend(started)
        expr = rule.raw.get("messageExpression") or ""
        if cost > PER_CALL_LIMIT or cost > state["budget"]:
            detail = (
                "no further validation rules will be run due to call cost exceeds limit for "
                f"messageExpression: {go_quote(expr)}"
                if cost > PER_CALL_LIMIT
                else "messageExpression evaluation failed due to running out of cost budget, "
                "no further validation rules will be run"
            )
            budget_error = fielderrors.invalid(current, v.type_name, detail)
            if rule.uses_old_self or not ratchet.should_ratchet():
                errs.append(budget_error)
            else:
                state["warnings"].append(str(budget_error))
            raise _Budget
        state["budget"] -= cost
        if result.type() == cel.Type.ERROR:
            return (
                None  # kube logs "messageExpression evaluation failed due to: ..." and falls back
            )
        value = result.value()
        if not isinstance(value, str):
            return None
        text = value.strip()
        if len(text.encode()) > MAX_MESSAGE_EXPRESSION_BYTES or "\n" in text or not text:
            return None
        return text


_NOT_INT_OR_STRING = "invalid data, expected XIntOrString value to be either a string or integer"
# Go's %T of a decoded JSON value
_GO_TYPES = {
    str: "string",
    int: "int64",
    float: "float64",
    bool: "bool",
    list: "[]interface {}",
    dict: "map[string]interface {}",
}


def _not_a_value(value: Any, v: _Validator) -> str | None:
    """UnstructuredToVal's error for a value that does not fit the node's type, else None."""
    t = type(value)
    if v.int_or_string:
        return None if t is str or t is int else _NOT_INT_OR_STRING
    kind, go = v.type_name, _GO_TYPES.get(t, "<nil>")
    if kind == "integer" and t is not int:
        return f"invalid data, expected int, got {go}"
    if kind == "number" and t is not int and t is not float:
        return f"invalid data, expected float, int, or int64 for type=number, got {go}"
    if kind == "string" and t is not str:
        return f"invalid data, expected string, got {go}"
    if kind == "boolean" and t is not bool:
        return f"invalid data, expected bool, got {go}"
    if kind == "object" and t is not dict:
        return "invalid data, expected a map for the provided schema with type=object"
    if kind == "array" and t is not list:
        return "invalid data, expected an array for the provided schema with type=array"
    return None


def _with_broken(v: _Validator) -> list[_Rule | str]:
    """The node's rules in their order, those that did not compile as why they did not."""
    ordered: list[tuple[int, _Rule | str]] = [(r.index, r) for r in v.rules]
    ordered += v.broken
    return [item for _, item in sorted(ordered, key=lambda pair: pair[0])]


def _share_activations(rules: list[_Rule]) -> None:
    """Marks the rules of one node that evaluate with the same variables as another: an
    activation converts its values to CEL values once, at its first evaluation, for all of
    them (about 14 µs saved on two rules over a 30-field object), where `eval(data=...)`
    converts them at each evaluation; for a rule alone, `eval(data=...)` is the cheaper."""
    counts: dict[tuple[bool, bool], int] = {}
    for rule in rules:
        key = (rule.optional_old_self, rule.canonical_sets)
        counts[key] = counts.get(key, 0) + 1
    for rule in rules:
        rule.shared = counts[(rule.optional_old_self, rule.canonical_sets)] > 1


def _activation(
    activations: dict[tuple[bool, bool], Any],
    env: Any,
    rule: _Rule,
    data: dict[str, Any],
    arena: Any,
) -> Any:
    """The node's activation of `data` in `env`, created at its first use. `env` must be the
    environment the program was compiled in (an activation of another one skips the
    variables' type checks). The key: which variables (the optional-oldSelf environment or
    the plain one) and which values (canonical sets or not) `data` holds; a message
    expression's variables are the plain ones."""
    key = (rule.optional_old_self and env is rule.env, rule.canonical_sets)
    activation = activations.get(key)
    if activation is None:
        activation = activations[key] = env.Activation(data, None, arena)
    return activation


_OUT_OF_BUDGET = (
    "validation failed due to running out of cost budget, no further validation rules will be run"
)


def _for_reason(path: str, value: Any, detail: str, reason: Any) -> FieldError:
    if reason == fielderrors.FORBIDDEN:
        return fielderrors.forbidden(path, detail)
    if reason == fielderrors.REQUIRED:
        return fielderrors.required(path, detail)
    if reason == fielderrors.DUPLICATE:
        return fielderrors.duplicate(path, value)
    return fielderrors.invalid(path, value, detail)


# --- compilation ---------------------------------------------------------------------------


@dataclass
class _Cost:
    """Where a node's rules are estimated (a CRD write's CELSchemaContext): its CEL type
    with sizes, and how often it may occur in an object (None: unbounded)."""

    schema: Mapping[str, Any]
    resource_root: bool
    cardinality: int | None
    _decl: Decl | None = None

    @property
    def decl(self) -> Decl | None:
        if self._decl is None:
            self._decl = schema_decl(self.schema, self.resource_root)
        return self._decl

    def child(self, schema: Mapping[str, Any], resource_root: bool) -> _Cost:
        return _Cost(schema, resource_root, budget.child_cardinality(self.schema, self.cardinality))


class _Compiler:
    def __init__(self, static_cost: bool = False, dirty: Collection[str] = ()) -> None:
        self.env = _Env()
        self.errors: list[FieldError] = []
        # The static cost estimate a CRD write makes (not needed to evaluate rules).
        self.total = budget.TotalCost() if static_cost else None
        self.dirty = dirty
        self.failure: str | None = None  # why the last rule did not compile, if it did not

    def is_dirty(self, path: str) -> bool:
        """Whether a schema error lies at or below `path`: a CRD write skips the rules there
        (their types may not be constructible, their errors not actionable)."""
        return any(
            f == path or f.startswith(path + ".") or f.startswith(path + "[") for f in self.dirty
        )

    def build(
        self,
        schema: Mapping[str, Any],
        node: Node | None,
        path: str,
        resource_root: bool,
        uncorrelatable: str | None = None,
        cost: _Cost | None = None,
    ) -> _Validator | None:
        """A validator for this schema level, or None if no rule lies at or below it.
        `uncorrelatable`: the highest list above whose items old and new cannot be paired
        (not a map list), where a transition rule is refused."""
        if node is None:
            return None
        if cost is None:
            cost = _Cost(schema, resource_root, 1)
        v = _Validator(
            node=node,
            int_or_string=schema.get("x-kubernetes-int-or-string") is True,
            type_name=str(schema.get("type") or ""),
            resource_root=resource_root,
            list_type=node.list_type,
            map_keys=node.map_keys,
        )
        props = schema.get("properties") or {}
        for name, sub in props.items():
            spec = node.fields.get(name) if node.kind == "object" else None
            child = self.build(
                sub,
                spec[1] if spec else _loose(sub),
                f"{path}.properties[{name}]",
                bool(sub.get("x-kubernetes-embedded-resource")),
                uncorrelatable,
                cost.child(sub, bool(sub.get("x-kubernetes-embedded-resource"))),
            )
            if child is not None:
                v.properties[name] = child
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            v.additional = self.build(
                extra,
                node.elem if node.kind == "map" else _loose(extra),
                f"{path}.additionalProperties",
                bool(extra.get("x-kubernetes-embedded-resource")),
                uncorrelatable,
                cost.child(extra, bool(extra.get("x-kubernetes-embedded-resource"))),
            )
        items = schema.get("items")
        if isinstance(items, Mapping):
            v.items = self.build(
                items,
                node.elem if node.kind == "list" else _loose(items),
                f"{path}.items",
                bool(items.get("x-kubernetes-embedded-resource")),
                # Only map lists pair old and new items (kube does not correlate set items).
                uncorrelatable
                if uncorrelatable or schema.get("x-kubernetes-list-type") == "map"
                else path,
                cost.child(items, bool(items.get("x-kubernetes-embedded-resource"))),
            )
        # A node's own rules after its children's, in the order a CRD write reports them.
        rules = schema.get("x-kubernetes-validations") or []
        if self.dirty and self.is_dirty(path):
            rules = []
        for i, raw in enumerate(rules):
            self.failure = None
            compiled = self.rule(
                schema, node, raw, f"{path}.x-kubernetes-validations[{i}]", i, uncorrelatable, cost
            )
            if compiled is not None:
                v.rules.append(compiled)
            elif self.failure is not None:
                v.broken.append((i, self.failure))
        _share_activations(v.rules)
        v.projection = _projection(v.rules)
        if not (v.rules or v.broken or v.properties or v.additional or v.items):
            return None
        _link(v)
        return v

    def rule(
        self,
        schema: Mapping[str, Any],
        node: Node,
        raw: Mapping[str, Any],
        path: str,
        index: int,
        uncorrelatable: str | None = None,
        cost: _Cost | None = None,
    ) -> _Rule | None:
        # A CRD write reports these and skips the node's CEL (see `dirty`); compiled alone (a
        # default's check), the rule is compiled whatever its other fields, as cel.Compile does.
        self.errors += rule_field_errors(schema, raw, path)
        text = _text(raw, "rule")
        if not text.strip():
            self.failure = "rule is not specified"
            return None
        optional = bool(raw.get("optionalOldSelf"))
        uses_old = False
        if _OLD_SELF.search(text):
            # Only a real reference makes a transition rule: compile without oldSelf to see.
            try:
                self.env.get(node, True).compile(text)
            except RuntimeError:
                uses_old = True
        source, shift = text, 0
        if optional and uses_old:
            source = (
                f"cel.bind(oldSelf, {_HAS_OLD} ? optional.of({_OLD_VALUE}) : optional.none(),\n"
                f"{text}\n)"
            )
            shift = 1
        env = self.env.get(node, optional and uses_old)
        try:
            program = _planned(env.compile(source))
        except RuntimeError as exc:
            self.failure = "compilation failed: " + _issues(exc, shift)
            self.errors.append(_invalid_rule(f"{path}.rule", raw, self.failure))
            return None
        checked = parse_checked(program.serialize())  # once, for every check below
        literals = literal_issues(checked, source, shift)
        if literals:
            self.failure = "compilation failed: " + _by_location("\n".join(literals))
            self.errors.append(_invalid_rule(f"{path}.rule", raw, self.failure))
            return None
        if program.return_type() != cel.Type.BOOL:
            self.failure = "cel expression must evaluate to a bool"
            self.errors.append(_invalid_rule(f"{path}.rule", raw, self.failure))
            return None
        folded = folding_error(checked)
        if folded is not None:
            self.failure = "program instantiation failed: " + _runtime_error(folded)
            self.errors.append(_invalid_rule(f"{path}.rule", raw, self.failure))
            return None
        self.check_cost(checked, cost, optional, optional and uses_old, f"{path}.rule")
        # kube reports these after the messageExpression's errors
        old_self_errors: list[FieldError] = []
        if uses_old and uncorrelatable is not None:
            old_self_errors.append(
                fielderrors.invalid(
                    f"{path}.rule",
                    text,
                    "oldSelf cannot be used on the uncorrelatable portion of the schema "
                    f"within {uncorrelatable}",
                )
            )
        elif raw.get("optionalOldSelf") is not None and not uses_old:
            old_self_errors.append(
                fielderrors.invalid(
                    f"{path}.optionalOldSelf",
                    raw.get("optionalOldSelf"),
                    "may not be set if oldSelf is not used in rule",
                )
            )
        message_program = message_checked = None
        message_env = self.env.get(node, False)
        expr = raw.get("messageExpression") or ""
        if expr.strip():
            try:
                message_program = _planned(message_env.compile(expr))
                message_checked = parse_checked(message_program.serialize())
                issues = _by_location("\n".join(literal_issues(message_checked, expr)))
            except RuntimeError as exc:
                issues = _issues(exc)
            if issues:
                self.errors.append(
                    _invalid_rule(
                        f"{path}.messageExpression",
                        raw,
                        "messageExpression compilation failed: " + issues,
                    )
                )
                self.errors += old_self_errors
                return None
            assert message_program is not None
            assert message_checked is not None
            if message_program.return_type() != cel.Type.STRING:
                self.errors.append(
                    _invalid_rule(
                        f"{path}.messageExpression",
                        raw,
                        "messageExpression must evaluate to a string",
                    )
                )
                self.errors += old_self_errors
                return None
            self.check_cost(message_checked, cost, optional, False, f"{path}.messageExpression")
        self.errors += old_self_errors
        field_path = ""
        if raw.get("fieldPath"):
            field_path = normalize_field_path(raw["fieldPath"], schema) or ""
        return _Rule(
            index=index,
            raw=raw,
            program=program,
            env=env,
            uses_old_self=uses_old,
            optional_old_self=optional and uses_old,
            canonical_sets=uses_old and "[" not in text and node.has_ordered_sets(),
            message_program=message_program,
            message_env=message_env,
            field_path=field_path,
            read=[c.expr for c in (checked, message_checked) if c is not None],
        )

    def check_cost(
        self, checked: Checked, cost: _Cost | None, optional: bool, wrapped: bool, path: str
    ) -> None:
        """A CRD write's static cost check of a compiled rule (`path` ends in `.rule`) or
        messageExpression: over the per-expression limit, Forbidden; counted in the total."""
        if self.total is None or cost is None or cost.decl is None:
            return
        decl = cost.decl
        max_cost = estimate(checked, decl, optional, wrapped).max
        kind = "rule"
        if path.endswith(".rule"):
            # rules run once per occurrence of their node; messages are not multiplied
            times = cost.cardinality
            max_cost = budget.expression_cost(
                max_cost, max_cardinality(decl.min_size) if times is None else times
            )
        else:
            kind = "messageExpression"
        if max_cost > budget.PER_EXPRESSION_LIMIT:
            detail = budget.cost_error_message(
                f"estimated {kind} cost", max_cost, budget.PER_EXPRESSION_LIMIT
            )
            self.errors.append(fielderrors.forbidden(path, detail))
        self.total.observe(path, max_cost)


def _projection(rules: list[_Rule]) -> Projection | None:
    """What the node's rules and messages read of `self` and `oldSelf` (None: all of it, and
    for rules whose values are made otherwise: canonical sets, an optional oldSelf)."""
    if not rules or any(r.canonical_sets or r.optional_old_self for r in rules):
        return None
    return projection(e for r in rules for e in r.read)


def _link(v: _Validator) -> None:
    """Which children's `self` values are parts of this node's (see `_Validator.cel_fields`)."""
    node = v.node
    if node.kind == "object":
        names = [cel_name for cel_name, _ in node.fields.values()]
        if len(set(names)) == len(names):  # never two properties under one CEL name
            for name, child in v.properties.items():
                spec = node.fields.get(name)
                if spec is not None and child.node is spec[1]:
                    v.cel_fields[name] = spec[0]
    v.cel_items = node.kind == "list" and v.items is not None and v.items.node is node.elem
    v.cel_additional = (
        node.kind == "map" and v.additional is not None and v.additional.node is node.elem
    )


def _loose(schema: Mapping[str, Any]) -> Node | None:
    """A node for a subtree CEL cannot see from its parent (it may still hold rules)."""
    return declare(schema, bool(schema.get("x-kubernetes-embedded-resource")))


def compile_rules(
    schema: Mapping[str, Any],
    path: str = "spec.validation.openAPIV3Schema",
    static_cost: bool = False,
    dirty: Collection[str] = (),
    resource_root: bool = True,
) -> CompiledRules:
    """Compile every `x-kubernetes-validations` rule of a structural schema (once per version).
    With `static_cost`, the errors include a CRD write's static cost checks (the estimate
    takes time; evaluation does not need it). `dirty`: the paths of the nodes that found
    schema errors of their own; the rules of a node with one at or below it are left out, as
    a CRD write leaves them.
    `resource_root`: the schema is an object's root (else a node within one, as a default's
    check compiles it)."""
    compiler = _Compiler(static_cost, dirty)
    root = compiler.build(schema, declare(schema, resource_root), path, resource_root)
    if compiler.total is not None:
        compiler.errors += compiler.total.errors(path)
    return CompiledRules(root, compiler.errors)
