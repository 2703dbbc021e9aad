"""Structural schema → CEL types and values, as apiserver `pkg/cel/common` builds them.

`declare(schema)` gives the `Node` tree a rule's `self` is typed from: objects with `properties`
(fields under their escaped names, `__dash__`, `__dot__`, `__slash__`, `__underscores__`,
`__{keyword}__`; unescapable names and fields without a type are not visible), maps
(`additionalProperties`), lists, scalars (strings with format byte/duration/date/date-time are
bytes/duration/timestamp), int-or-string as dyn. A resource root (and an embedded resource)
sees only apiVersion, kind, metadata.name and metadata.generateName.

Approximation: an object is a CEL `map(string, dyn)` rather than kube's object type, so an
undeclared field is a runtime `no such key` instead of a compile error, and field types are
checked at evaluation rather than at compile time.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cel_expr_python import cel

_RESERVED = frozenset(
    [
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ]
)
_EXPAND = re.compile(r"(__|[-./]|[^a-zA-Z0-9\-./_])")
_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REPLACE = {"__": "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__"}


def escape(name: str) -> str | None:
    """apiserver `cel.Escape`: the CEL field name of a property, or None if it has none."""
    if not name or name[0].isdigit():
        return None
    if name in _RESERVED:
        return f"__{name}__"
    if not all(c.isascii() and (c.isalnum() or c in "_-./") for c in name):
        return None
    if _SIMPLE.fullmatch(name) and "__" not in name:
        return name
    return _EXPAND.sub(lambda m: _REPLACE[m.group(0)], name)


@dataclass
class Node:
    """One schema location as CEL sees it."""

    kind: str  # object, map, list, string, bytes, duration, timestamp, int, double, bool, dyn
    fields: dict[str, tuple[str, Node]] = field(default_factory=dict)  # json name → (cel, node)
    elem: Node | None = None  # list items, map values
    list_type: str = "atomic"
    map_keys: tuple[str, ...] = ()

    def cel_type(self) -> cel.Type:
        t = cel.Type
        if self.kind == "object":
            return t.Map(t.STRING, t.DYN)
        if self.kind == "map":
            assert self.elem is not None
            return t.Map(t.STRING, self.elem.cel_type())
        if self.kind == "list":
            assert self.elem is not None
            return t.List(self.elem.cel_type())
        return _SCALARS[self.kind]

    def has_ordered_sets(self) -> bool:
        """Whether a set or map list lies at or under this node."""
        if self.kind == "list" and self.list_type in ("set", "map"):
            return True
        if self.elem is not None and self.elem.has_ordered_sets():
            return True
        return any(n.has_ordered_sets() for _, n in self.fields.values())


_SCALARS = {
    "string": cel.Type.STRING,
    "bytes": cel.Type.BYTES,
    "duration": cel.Type.DURATION,
    "timestamp": cel.Type.TIMESTAMP,
    "int": cel.Type.INT,
    "double": cel.Type.DOUBLE,
    "bool": cel.Type.BOOL,
    "dyn": cel.Type.DYN,
}
_STRING_FORMATS = {"byte": "bytes", "duration": "duration", "date": "timestamp"}
_STRING_FORMATS["date-time"] = "timestamp"


def _resource_meta(schema: Mapping[str, Any]) -> dict[str, Any]:
    """`WithTypeAndObjectMeta`: apiVersion, kind and metadata.{name,generateName} only."""
    props = dict(schema.get("properties") or {})
    props["apiVersion"] = {"type": "string"}
    props["kind"] = {"type": "string"}
    props["metadata"] = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "generateName": {"type": "string"}},
    }
    return {**schema, "properties": props}


def declare(schema: Mapping[str, Any], resource_root: bool = False) -> Node | None:
    """`SchemaDeclType`: None where the schema gives CEL no type (the field is invisible)."""
    if schema.get("x-kubernetes-int-or-string"):
        return Node("dyn")
    if resource_root or schema.get("x-kubernetes-embedded-resource"):
        schema = _resource_meta(schema) if schema.get("type") == "object" else schema
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        if not isinstance(items, Mapping):
            return None
        elem = declare(items)
        if elem is None:
            return None
        return Node(
            "list",
            elem=elem,
            list_type=schema.get("x-kubernetes-list-type") or "atomic",
            map_keys=tuple(schema.get("x-kubernetes-list-map-keys") or ()),
        )
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            value = declare(extra)
            return None if value is None else Node("map", elem=value)
        fields: dict[str, tuple[str, Node]] = {}
        for name, prop in (schema.get("properties") or {}).items():
            sub = declare(prop) if isinstance(prop, Mapping) else None
            escaped = escape(name) if sub is not None else None
            if sub is not None and escaped is not None:
                fields[name] = (escaped, sub)
        return Node("object", fields=fields)
    if kind == "string":
        return Node(_STRING_FORMATS.get(schema.get("format") or "", "string"))
    if kind == "integer":
        return Node("int")
    if kind == "number":
        return Node("double")
    if kind == "boolean":
        return Node("bool")
    return None


_DURATION = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_go_duration(text: str) -> datetime.timedelta | None:
    """Go's `time.ParseDuration`, or None."""
    sign = -1 if text.startswith("-") else 1
    rest = text.lstrip("+-")
    if rest == "0":
        return datetime.timedelta(0)
    total, pos = 0.0, 0
    while pos < len(rest):
        m = _DURATION.match(rest, pos)
        if m is None or m.group(1) in ("", "."):
            return None
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    return datetime.timedelta(seconds=sign * total) if rest else None


def _timestamp(text: str) -> datetime.datetime | None:
    try:
        if len(text) == 10:
            return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# Kinds whose values the evaluator takes as they are (to_cel returns them unchanged).
_AS_IS = frozenset({"string", "int", "bool", "dyn"})


def to_cel(value: Any, node: Node, canonical_sets: bool = False) -> Any:
    """`UnstructuredToVal`: the JSON value under `node` as the CEL evaluator takes it.

    With `canonical_sets`, set lists and map lists are put in a canonical order (by element,
    by map keys) so that CEL's positional list equality compares them as kube does, order
    aside.
    """
    if not canonical_sets:
        return _convert(value, node)
    return _to_cel(value, node, canonical_sets)


def _convert(value: Any, node: Node) -> Any:
    """`to_cel` without canonical sets, on the hot path: values of the kinds in `_AS_IS` are
    not visited (the result is the same as `_to_cel`'s)."""
    if value is None:
        return None
    kind = node.kind
    if kind in _AS_IS:
        return value
    if kind == "object":
        if type(value) is not dict and not isinstance(value, Mapping):
            return value
        fields = node.fields
        out: dict[str, Any] = {}
        for name, sub in value.items():
            spec = fields.get(name)
            if spec is not None:
                sub_node = spec[1]
                out[spec[0]] = (
                    sub if sub_node.kind in _AS_IS or sub is None else _convert(sub, sub_node)
                )
        return out
    if kind == "map":
        elem = node.elem
        assert elem is not None
        if type(value) is not dict and not isinstance(value, Mapping):
            return value
        if elem.kind in _AS_IS:
            return dict(value)
        return {k: _convert(v, elem) for k, v in value.items()}
    if kind == "list":
        elem = node.elem
        assert elem is not None
        if not isinstance(value, list):
            return value
        if elem.kind in _AS_IS:
            return list(value)
        return [_convert(v, elem) for v in value]
    return _to_cel(value, node, False)


def project(value: Any, node: Node, fields: Mapping[str, Any] | None) -> Any:
    """`to_cel(value, node)` with only `fields` of it (a `projection.Projection`: CEL field
    names or map keys, each with the fields read below it, None for all)."""
    if fields is None or value is None:
        return _convert(value, node)
    if node.kind == "object" and isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for name, sub in value.items():
            spec = node.fields.get(name)
            if spec is not None and spec[0] in fields:
                out[spec[0]] = project(sub, spec[1], fields[spec[0]])
        return out
    if node.kind == "map" and isinstance(value, Mapping):
        assert node.elem is not None
        return {k: project(value[k], node.elem, fields[k]) for k in fields if k in value}
    return _convert(value, node)


def _to_cel(value: Any, node: Node, canonical_sets: bool) -> Any:
    if value is None:
        return None
    kind = node.kind
    if kind == "object":
        if not isinstance(value, Mapping):
            return value
        out: dict[str, Any] = {}
        for name, sub in value.items():
            spec = node.fields.get(name)
            if spec is not None:
                out[spec[0]] = _to_cel(sub, spec[1], canonical_sets)
        return out
    if kind == "map":
        assert node.elem is not None
        if not isinstance(value, Mapping):
            return value
        return {k: _to_cel(v, node.elem, canonical_sets) for k, v in value.items()}
    if kind == "list":
        assert node.elem is not None
        if not isinstance(value, list):
            return value
        items = [_to_cel(v, node.elem, canonical_sets) for v in value]
        if canonical_sets and node.list_type == "set":
            pairs = sorted(zip(value, items, strict=True), key=lambda p: _canonical(p[0]))
            items = [p[1] for p in pairs]
        elif canonical_sets and node.list_type == "map":
            keys = node.map_keys
            pairs = sorted(
                zip(value, items, strict=True),
                key=lambda p: _canonical(
                    [p[0].get(k) if isinstance(p[0], Mapping) else None for k in keys]
                ),
            )
            items = [p[1] for p in pairs]
        return items
    if kind == "double" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        if kind == "bytes":
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                return value
        if kind == "duration":
            parsed = parse_go_duration(value)
            return value if parsed is None else parsed
        if kind == "timestamp":
            stamp = _timestamp(value)
            return value if stamp is None else stamp
    return value
