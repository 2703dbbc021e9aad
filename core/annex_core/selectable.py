"""selectableFields: the schema paths a field selector may name, beyond metadata.name and
metadata.namespace — checked as apiextensions-apiserver checks them
(ValidateCustomResourceSelectableFields, cel.ValidFieldPath) and read from objects as its
strategy reads them (fmt.Sprint of the value; "" when absent). Unlike a CRD, no limit of 8.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"'(?:[^'\\]|\\.)*'|[.\[\]]|[^.\[\]]+")


@dataclass(frozen=True)
class SelectableField:
    json_path: str  # as declared, e.g. ".spec.color"
    path: tuple[str, ...]  # the keys leading to the value

    @property
    def label(self) -> str:
        """The name a field selector uses: the path without its leading dot."""
        return self.json_path.removeprefix(".")

    def value(self, obj: Mapping[str, Any]) -> str:
        node: Any = obj
        for key in self.path:
            if not isinstance(node, Mapping) or key not in node:
                return ""
            node = node[key]
        return _go_sprint(node)


def _go_sprint(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))  # Go's %v prints 3.0 as 3
    return str(value)


class PathError(ValueError):
    pass


def resolve(
    json_path: str, schema: Mapping[str, Any] | None
) -> tuple[tuple[str, ...], Mapping[str, Any]]:
    """The keys of a field path with no array notation, and the schema it reaches; PathError
    worded as cel.ValidFieldPath (WithFieldPathAllowArrayNotation(false))."""
    node: Mapping[str, Any] = schema or {}
    keys: list[str] = []
    tokens = _TOKEN.findall(json_path)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "[":
            raise PathError("array notation is not allowed")
        if token != ".":
            raise PathError(f"expected [ or . but got: {token}")
        if i + 1 >= len(tokens):
            raise PathError("unexpected end of JSON path")
        name = tokens[i + 1]
        properties = node.get("properties")
        additional = node.get("additionalProperties")
        if isinstance(properties, Mapping):
            if name not in properties or not isinstance(properties[name], Mapping):
                raise PathError("does not refer to a valid field")
            node = properties[name]
        elif isinstance(additional, Mapping):
            node = additional
        else:
            raise PathError("does not refer to a valid field")
        keys.append(name)
        i += 2
    return tuple(keys), node


def check(
    json_path: str, schema: Mapping[str, Any] | None
) -> tuple[SelectableField | None, list[str]]:
    """The field `json_path` selects, or why it cannot be a selectable field (messages
    without the value prefix): resolved once, when the definition is read."""
    try:
        keys, found = resolve(json_path, schema)
    except PathError as e:
        return None, [f"is an invalid path: {e}"]
    problems = []
    if keys[:1] == ("metadata",):
        problems.append("must not point to fields in metadata")
    if found.get("type") not in ("string", "boolean", "integer"):
        problems.append(
            "must point to a field of type string, boolean or integer. Enum string fields and "
            "strings with formats are allowed."
        )
    return (None if problems else SelectableField(json_path, keys)), problems
