"""The CEL declaration types kube-apiserver builds from a structural schema, with the sizes
its static cost estimate reads (apiserver pkg/cel/common/schemas.go `SchemaDeclType`,
pkg/cel/types.go, apiextensions-apiserver schema/cel/model `WithTypeAndObjectMeta`).

`MaxElements` bounds a string's, list's or map's size (from maxLength, maxItems,
maxProperties, or else from the largest request and the smallest serialized element);
`MinSerializedSize` gives how often a value could repeat in one request (maxCardinality).
Unlike `types.Node` (how annex types `self` for cel-cpp) objects keep their field types
here, as cel-go's checker sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annex_core.schema.cel.types import escape

__all__ = ["MAX_REQUEST_SIZE", "Decl", "max_cardinality", "schema_decl"]

MAX_REQUEST_SIZE = 3 * 1024 * 1024  # celconfig.MaxRequestSizeBytes
_MIN_STRING = 2  # ""
_MIN_BOOL = 4  # true
_MIN_NUMBER = 1  # 0
_MAX_DURATION_JSON = 32
_MIN_DURATION_JSON = 3
_JSON_DATE = 12
_MAX_DATETIME_JSON = 32
_MIN_DATETIME_JSON = 21
_NAME_MAX_LENGTH = 253  # DNS1123SubdomainMaxLength: metadata.name's cap in CEL


@dataclass(eq=False)
class Decl:
    """A DeclType. kind: object, map, list, string, bytes, duration, timestamp, int, double,
    bool, dyn (int-or-string)."""

    kind: str
    max_elements: int = 0
    min_size: int = 0
    fields: dict[str, Decl] = field(default_factory=dict)  # CEL (escaped) name → type
    elem: Decl | None = None  # list items, map values
    key: Decl | None = None  # map keys


_STRING_KEY = Decl("string", 0, _MIN_STRING)  # map keys: apiservercel.StringType


def _nonneg(value: Any) -> int:
    return max(int(value), 0)


def _bound(declared: Any, entry_size: int) -> int:
    """maxItems / maxProperties, else as many entries of `entry_size` as a request holds."""
    return _nonneg(declared) if declared is not None else (MAX_REQUEST_SIZE - 2) // entry_size


def _max_string(schema: Mapping[str, Any]) -> int:
    """estimateMaxStringLengthPerRequest."""
    if schema.get("x-kubernetes-int-or-string"):
        return MAX_REQUEST_SIZE - 2
    return {
        "duration": _MAX_DURATION_JSON,
        "date": _JSON_DATE,
        "date-time": _MAX_DATETIME_JSON,
    }.get(schema.get("format") or "", MAX_REQUEST_SIZE - 2)


def _string_type(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "string"


def _with_type_and_object_meta(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """A resource's kind, apiVersion and metadata.{name,generateName}, as CEL sees them."""
    props = schema.get("properties") or {}
    meta = props.get("metadata") or {}
    meta_props = meta.get("properties") or {}
    if (
        schema.get("properties") is not None
        and _string_type(props.get("kind") or {})
        and _string_type(props.get("apiVersion") or {})
        and meta.get("type") == "object"
        and meta.get("properties") is not None
        and _string_type(meta_props.get("name") or {})
        and _string_type(meta_props.get("generateName") or {})
    ):
        return schema

    def capped(existing: Mapping[str, Any], limit: int) -> dict[str, Any]:
        own = existing.get("maxLength") if isinstance(existing, Mapping) else None
        return {"type": "string", "maxLength": own if own is not None and own < limit else limit}

    new_props = dict(props)
    new_props["kind"] = {"type": "string"}
    new_props["apiVersion"] = {"type": "string"}
    new_props["metadata"] = {
        "type": "object",
        "properties": {
            "name": capped(meta_props.get("name") or {}, _NAME_MAX_LENGTH),
            "generateName": capped(meta_props.get("generateName") or {}, _NAME_MAX_LENGTH - 1),
        },
    }
    return {**schema, "properties": new_props}


def schema_decl(schema: Mapping[str, Any], resource_root: bool = False) -> Decl | None:
    """`SchemaDeclType`: None where the schema gives CEL no type."""
    if schema.get("x-kubernetes-int-or-string"):
        length = schema.get("maxLength")
        return Decl("dyn", _nonneg(length) * 4 if length is not None else _max_string(schema), 1)
    if resource_root:
        schema = _with_type_and_object_meta(schema)
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        if not isinstance(items, Mapping):
            return None
        elem = schema_decl(items, bool(items.get("x-kubernetes-embedded-resource")))
        if elem is None:
            return None
        return Decl("list", _bound(schema.get("maxItems"), elem.min_size + 1), 2, elem=elem)
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            value = schema_decl(extra, bool(extra.get("x-kubernetes-embedded-resource")))
            if value is None:
                return None
            # an entry is at least `"":` and a comma around the value
            bound = _bound(schema.get("maxProperties"), value.min_size + 6)
            return Decl("map", bound, 2, elem=value, key=_STRING_KEY)
        required = set(schema.get("required") or ())
        fields: dict[str, Decl] = {}
        min_size = 2
        for name, prop in (schema.get("properties") or {}).items():
            sub = schema_decl(prop, bool(prop.get("x-kubernetes-embedded-resource")))
            if sub is None:
                continue
            escaped = escape(name)
            if escaped is not None:
                fields[escaped] = sub
            if name in required and prop.get("default") is None:
                min_size += len(name) + sub.min_size + 4
        return Decl("object", 0, min_size, fields=fields)
    if kind == "string":
        fmt = schema.get("format") or ""
        length = schema.get("maxLength")
        if fmt == "byte":
            return Decl("bytes", _nonneg(length) if length is not None else _max_string(schema), 2)
        if fmt == "duration":
            return Decl("duration", _max_string(schema), _MIN_DURATION_JSON)
        if fmt in ("date", "date-time"):
            smallest = _JSON_DATE if fmt == "date" else _MIN_DATETIME_JSON
            return Decl("timestamp", _max_string(schema), smallest)
        if length is not None:
            bound = _nonneg(length) * 4
        elif schema.get("enum"):
            bound = max((len(v.encode()) for v in schema["enum"] if isinstance(v, str)), default=0)
        else:
            bound = _max_string(schema)
        return Decl("string", bound, _MIN_STRING)
    if kind == "boolean":
        return Decl("bool", 0, _MIN_BOOL)
    if kind == "number":
        return Decl("double", 0, _MIN_NUMBER)
    if kind == "integer":
        return Decl("int", 0, _MIN_NUMBER)
    return None


def max_cardinality(min_size: int) -> int:
    """How often a value of `min_size` serialized bytes could repeat in one request."""
    return MAX_REQUEST_SIZE // (min_size + 1)
