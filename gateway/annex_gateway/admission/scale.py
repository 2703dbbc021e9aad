"""The checks a scale subresource adds to every write of its resource
(registry/customresource/validator.go ValidateScaleSpec, ValidateScaleStatus): the replica
counts it reads must be int64s within int32, the label selector a string."""

from __future__ import annotations

from typing import Any

from annex_core.apidef import FieldError, ScaleSubresource
from annex_core.gotext import go_float_g
from annex_core.schema import fielderrors

JSON = dict[str, Any]
MAX_INT32 = 2**31 - 1


def fields_of(dotted: str) -> list[str]:
    return [p for p in dotted.split(".") if p]


def nested(obj: JSON, fields: list[str]) -> tuple[Any, bool, str | None]:
    """unstructured.NestedFieldNoCopy: the value, whether found, and the accessor error."""
    node: Any = obj
    for i, part in enumerate(fields):
        if node is None:  # a null on the way is no value, not an error
            return None, False, None
        if not isinstance(node, dict):
            # the path up to the field asked of it; Go's format string spells the type so
            return None, False, _accessor_error(fields[: i + 1], node, "map[string]interface{}")
        if part not in node:
            return None, False, None
        node = node[part]
    return node, True, None


def nested_typed(obj: JSON, dotted: str, kind: type, go_name: str) -> tuple[Any, str | None]:
    """NestedInt64 / NestedString: the value (None if absent) or the accessor error."""
    fields = fields_of(dotted)
    value, found, error = nested(obj, fields)
    if error is not None or not found:
        return None, error
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        return None, _accessor_error(fields, value, go_name)
    if kind is str and not isinstance(value, str):
        return None, _accessor_error(fields, value, go_name)
    return value, None


def _accessor_error(fields: list[str], value: Any, expected: str) -> str:
    return (
        f".{'.'.join(fields)} accessor error: {go_value(value)} is of the type "
        f"{go_type(value)}, expected {expected}"
    )


def go_type(value: Any) -> str:
    """`%T` of a decoded JSON value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    return {
        float: "float64",
        str: "string",
        dict: "map[string]interface {}",
        list: "[]interface {}",
    }.get(type(value), "<nil>")


def go_value(value: Any) -> str:
    """`%v` of a decoded JSON value (scalars; containers roughly as Go prints them)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return go_float_g(value)
    if value is None:
        return "<nil>"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    return str(value)


def _replicas(obj: JSON, path: str) -> list[FieldError]:
    replicas, error = nested_typed(obj, path, int, "int64")
    if error is not None:
        return [fielderrors.invalid(path, 0, error)]
    if replicas is None:
        return []
    if replicas < 0:
        return [fielderrors.invalid(path, replicas, "should be a non-negative integer")]
    if replicas > MAX_INT32:
        return [fielderrors.invalid(path, replicas, f"should be less than or equal to {MAX_INT32}")]
    return []


def spec_errors(obj: JSON, scale: ScaleSubresource | None) -> list[FieldError]:
    return _replicas(obj, scale.spec_replicas_path) if scale is not None else []


def status_errors(obj: JSON, scale: ScaleSubresource | None) -> list[FieldError]:
    if scale is None:
        return []
    errors = _replicas(obj, scale.status_replicas_path)
    if scale.label_selector_path:
        _, error = nested_typed(obj, scale.label_selector_path, str, "string")
        if error is not None:
            errors.append(fielderrors.invalid(scale.label_selector_path, "", error))
    return errors
