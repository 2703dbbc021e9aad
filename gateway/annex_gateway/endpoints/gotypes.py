"""JSON checked against the Go struct kube-apiserver decodes it into, with encoding/json's
words for the first value of the wrong type.

A custom resource's `metadata` is decoded into a metav1.ObjectMeta (apiextensions-apiserver's
GetObjectMeta), a DELETE's body into a metav1.DeleteOptions, a Scale into an
autoscaling/v1.Scale: a value of the wrong type there is an error naming the field, e.g. `json: cannot unmarshal number into Go struct field
ObjectMeta.name of type string`. Null is never wrong (it leaves the zero value); unknown
fields are not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annex_core.gotext import go_quote
from annex_gateway.patch.gojson import scalar_text

INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True)
class GoType:
    name: str  # as Go prints it: string, int64, map[string]string, []v1.OwnerReference
    kind: str  # "string", "int32", "int64", "bool", "time", "any", "map", "slice", "struct"
    elem: GoType | None = None  # of a map or a slice
    fields: dict[str, GoType] = field(default_factory=dict)  # of a struct, by JSON name

    @property
    def struct_name(self) -> str:
        return self.name.rpartition(".")[2]


STRING = GoType("string", "string")
INT32 = GoType("int32", "int32")
INT64 = GoType("int64", "int64")
BOOL = GoType("bool", "bool")
TIME = GoType("string", "time")  # metav1.Time: it reads a string (so Go names that), then RFC 3339
ANY = GoType("v1.FieldsV1", "any")  # FieldsV1 keeps whatever JSON it is given
UID = GoType("types.UID", "string")
STRINGS = GoType("[]string", "slice", STRING)
STRING_MAP = GoType("map[string]string", "map", STRING)


def _struct(go_name: str, fields: dict[str, GoType]) -> GoType:
    return GoType(go_name, "struct", fields=fields)


OWNER_REFERENCE = _struct(
    "v1.OwnerReference",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "name": STRING,
        "uid": UID,
        "controller": BOOL,
        "blockOwnerDeletion": BOOL,
    },
)
MANAGED_FIELDS_ENTRY = _struct(
    "v1.ManagedFieldsEntry",
    {
        "manager": STRING,
        "operation": GoType("v1.ManagedFieldsOperationType", "string"),
        "apiVersion": STRING,
        "time": TIME,
        "fieldsType": STRING,
        "fieldsV1": ANY,
        "subresource": STRING,
    },
)
OBJECT_META = _struct(
    "v1.ObjectMeta",
    {
        "name": STRING,
        "generateName": STRING,
        "namespace": STRING,
        "selfLink": STRING,
        "uid": UID,
        "resourceVersion": STRING,
        "generation": INT64,
        "creationTimestamp": TIME,
        "deletionTimestamp": TIME,
        "deletionGracePeriodSeconds": INT64,
        "labels": STRING_MAP,
        "annotations": STRING_MAP,
        "ownerReferences": GoType("[]v1.OwnerReference", "slice", OWNER_REFERENCE),
        "finalizers": STRINGS,
        "managedFields": GoType("[]v1.ManagedFieldsEntry", "slice", MANAGED_FIELDS_ENTRY),
    },
)
DELETE_OPTIONS = _struct(
    "v1.DeleteOptions",
    {
        "kind": STRING,
        "apiVersion": STRING,
        "gracePeriodSeconds": INT64,
        "preconditions": _struct("v1.Preconditions", {"uid": UID, "resourceVersion": STRING}),
        "orphanDependents": BOOL,
        "propagationPolicy": GoType("v1.DeletionPropagation", "string"),
        "dryRun": STRINGS,
        "ignoreStoreReadErrorWithClusterBreakingPotential": BOOL,
    },
)

SCALE = _struct(
    "v1.Scale",
    {
        "kind": STRING,
        "apiVersion": STRING,
        "metadata": OBJECT_META,
        "spec": _struct("v1.ScaleSpec", {"replicas": INT32}),
        "status": _struct("v1.ScaleStatus", {"replicas": INT32, "selector": STRING}),
    },
)


def first_error(
    value: Any, go_type: GoType, *, sorted_keys: bool = False, as_written: bool = False
) -> str | None:
    """encoding/json's error for the first value in `value` that `go_type` cannot hold, or
    None. `sorted_keys`: objects are visited in key order (a Go map marshalled again, as
    metadata is before it is decoded), else in document order. `as_written`: decoded from
    the JSON text the client wrote (a body, a patch's result), where a number written with a
    fraction or an exponent (3.0) is no integer; else from JSON Go wrote (YAML converted, a
    map marshalled again), where an integral float was written as an integer."""
    if fits(value, go_type, as_written):  # the common case, without the bookkeeping below
        return None
    stack: list[tuple[Any, GoType, tuple[str, ...], str]] = [(value, go_type, (), "")]
    while stack:
        node, expected, path, struct = stack.pop()
        problem = _mismatch(node, expected, as_written)
        if problem is not None:
            if problem.startswith("parsing time"):
                return problem
            where = (
                f"Go struct field {struct}.{'.'.join(path)}" if path else "Go value"
            ) + f" of type {expected.name}"
            return f"json: cannot unmarshal {problem} into {where}"
        stack.extend(reversed(list(_children(node, expected, path, struct, sorted_keys))))
    return None


_UNKNOWN = GoType("", "unknown")  # a field the struct has none of


def unknown_fields(value: Any, go_type: GoType) -> list[str]:
    """The paths of the fields `go_type` has no place for (a strict decoder's unknown
    fields, as sigs.k8s.io/json names them), in document order."""
    found: list[str] = []
    stack: list[tuple[Any, GoType, str]] = [(value, go_type, "")]
    while stack:
        node, expected, path = stack.pop()
        children: list[tuple[Any, GoType, str]] = []
        if expected.kind == "struct" and isinstance(node, dict):
            for key, child in node.items():
                where = f"{path}.{key}" if path else key
                child_type = expected.fields.get(key)
                children.append((child, child_type or _UNKNOWN, where))
        elif expected.kind == "slice" and expected.elem is not None and isinstance(node, list):
            children = [(item, expected.elem, f"{path}[{i}]") for i, item in enumerate(node)]
        elif expected is _UNKNOWN:
            found.append(path)
        stack.extend(reversed(children))
    return found


def fits(value: Any, go_type: GoType, as_written: bool = False) -> bool:
    """Whether encoding/json decodes `value` into `go_type` without an error (`as_written`:
    see first_error)."""
    if value is None:
        return True
    kind = go_type.kind
    if kind == "string":
        return type(value) is str
    if kind == "struct":
        fields = go_type.fields
        return type(value) is dict and all(
            fits(v, fields[k], as_written) for k, v in value.items() if k in fields
        )
    if kind in ("map", "slice"):
        elem = go_type.elem
        assert elem is not None
        items = value.values() if kind == "map" and type(value) is dict else value
        wanted = dict if kind == "map" else list
        return type(value) is wanted and all(fits(v, elem, as_written) for v in items)
    return _mismatch(value, go_type, as_written) is None


def _children(
    node: Any, expected: GoType, path: tuple[str, ...], struct: str, sorted_keys: bool
) -> Iterable[tuple[Any, GoType, tuple[str, ...], str]]:
    if node is None:
        return
    if expected.kind == "struct":
        keys = sorted(node) if sorted_keys else list(node)
        for key in keys:
            child_type = expected.fields.get(key)
            if child_type is not None:
                yield node[key], child_type, (*path, key), expected.struct_name
    elif expected.kind == "map" and expected.elem is not None:
        for key in sorted(node) if sorted_keys else node:
            yield node[key], expected.elem, path, struct
    elif expected.kind == "slice" and expected.elem is not None:
        for item in node:
            yield item, expected.elem, path, struct


def _mismatch(value: Any, expected: GoType, as_written: bool = False) -> str | None:
    """What encoding/json calls `value` when `expected` cannot hold it, else None."""
    if value is None or expected.kind == "any":
        return None
    kind = json_kind(value)
    if expected.kind == "time":
        return kind if kind != "string" else _time_error(value)
    wanted = {"string": "string", "bool": "bool", "int32": "number", "int64": "number"}.get(
        expected.kind
    )
    if wanted is None:  # a struct or a map wants an object, a slice an array
        wanted = "array" if expected.kind == "slice" else "object"
    if kind != wanted:
        return kind
    bounds = INTEGER_RANGES.get(expected.kind)
    if bounds is not None and not _fits(value, *bounds, as_written):
        # Go quotes the number's text: as written, an integral float had a fraction (3.0)
        written = as_written and isinstance(value, float) and value.is_integer()
        return f"number {repr(value) if written else scalar_text(value)}"
    return None


def json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _fits(value: int | float, low: int, high: int, as_written: bool) -> bool:
    # A float Go wrote reaches its decoder as an integer when it is integral.
    integral = isinstance(value, int) or (not as_written and value.is_integer())
    return integral and low <= value <= high


# -- metav1.Time: time.Parse(time.RFC3339, s), worded as Go words its failures --------------

_RFC3339 = "2006-01-02T15:04:05Z07:00"
_ELEMENTS = (
    ("2006", r"[0-9]{4}"),
    ("-", "-"),
    ("01", r"[0-9]{2}"),
    ("-", "-"),
    ("02", r"[0-9]{2}"),
    ("T", "T"),
    ("15", r"[0-9]{2}"),
    (":", ":"),
    ("04", r"[0-9]{2}"),
    (":", ":"),
    ("05", r"[0-9]{2}(\.[0-9]+)?"),
    ("Z07:00", r"Z|[+-][0-9]{2}:[0-9]{2}"),
)
_RANGES = ((2, 1, 12, "month"), (4, 1, 31, "day"), (6, 0, 23, "hour"), (8, 0, 59, "minute"))


def _time_error(text: str) -> str | None:
    rest, numbers = text, []
    for layout, pattern in _ELEMENTS:
        match = re.match(pattern, rest)
        if match is None:
            return (
                f"parsing time {go_quote(text)} as {go_quote(_RFC3339)}: "
                f"cannot parse {go_quote(rest)} as {go_quote(layout)}"
            )
        numbers.append(match.group(0))
        rest = rest[match.end() :]
    if rest:
        return f"parsing time {go_quote(text)}: extra text: {go_quote(rest)}"
    for index, low, high, what in _RANGES:
        if not low <= int(numbers[index]) <= high:
            return f"parsing time {go_quote(text)}: {what} out of range"
    return None
