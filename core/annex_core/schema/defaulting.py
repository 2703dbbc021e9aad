"""Structural defaulting (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go).

A default fills a field that is absent, or null where the schema does not allow null; it is
deep-copied, and defaulting then goes on inside it. Applied when a request is decoded, after
a patch or apply, and when an object is read from storage.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

Schema = Mapping[str, Any]
# A property of a `defaulted_schema` with no default at or under it (its key stays, so that
# additionalProperties do not apply to it).
_NOTHING: Schema = MappingProxyType({})


def _non_nullable_null(x: Any, s: Schema | None) -> bool:
    return x is None and s is not None and not s.get("nullable")


def default(x: Any, s: Schema | None, skip: str = "") -> None:
    """Default `x` in place. `skip` names a root field left alone (`metadata`: ObjectMeta's)."""
    if s is None:
        return
    if isinstance(x, dict):
        props: Schema = s.get("properties") or {}
        for key, prop in props.items():
            if key == skip or not isinstance(prop, Mapping) or prop.get("default") is None:
                continue
            if key not in x or _non_nullable_null(x[key], prop):
                x[key] = copy.deepcopy(prop["default"])
        ap = s.get("additionalProperties")
        for key in list(x):
            if key == skip:
                continue
            if key in props:
                sub = props[key]
                if sub is not _NOTHING:
                    default(x[key], sub)
            elif isinstance(ap, Mapping):
                if _non_nullable_null(x[key], ap) and ap.get("default") is not None:
                    x[key] = copy.deepcopy(ap["default"])
                default(x[key], ap)
    elif isinstance(x, list):
        items = s.get("items")
        if not isinstance(items, Mapping):
            return
        for i, item in enumerate(x):
            if _non_nullable_null(item, items) and items.get("default") is not None:
                x[i] = copy.deepcopy(items["default"])
            default(x[i], items)


def _reduce(s: Schema) -> dict[str, Any] | None:
    """The parts of `s` that `default` uses to put defaults somewhere (defaults, their
    nullable, and the way to them), or None if it has none."""
    out: dict[str, Any] = {}
    if s.get("default") is not None:
        out["default"] = s["default"]
    if "nullable" in s:
        out["nullable"] = s["nullable"]
    props: Schema = s.get("properties") or {}
    kept: dict[str, Any] = {}
    useful = False
    for key, prop in props.items():
        if not isinstance(prop, Mapping):
            kept[key], useful = prop, True  # not a schema: as it is
            continue
        sub = _reduce(prop)
        kept[key] = _NOTHING if sub is None else sub
        useful = useful or sub is not None
    ap = s.get("additionalProperties")
    ap_sub = _reduce(ap) if isinstance(ap, Mapping) else None
    if useful or ap_sub is not None:
        out["properties"] = kept
    if ap_sub is not None:
        out["additionalProperties"] = ap_sub
    items = s.get("items")
    items_sub = _reduce(items) if isinstance(items, Mapping) else None
    if items_sub is not None:
        out["items"] = items_sub
    if "default" in out or "properties" in out or "additionalProperties" in out or "items" in out:
        return out
    return None


@dataclass(frozen=True, slots=True)
class _Node:
    """One level of a schema, compiled for `Defaulter`: what `default` would look up in it."""

    defaults: tuple[tuple[str, Any, bool], ...]  # properties with a default: key, it, nullable
    children: tuple[tuple[str, _Node], ...]  # properties with defaults below them
    properties: frozenset[str]  # every property (additionalProperties apply to the others)
    additional: _Node | None  # additionalProperties, when there is anything to do there
    items: _Node | None  # items, likewise
    default: Any = None  # this level's own default, and whether it allows null
    nullable: bool = False


class Defaulter:
    """`default(obj, schema, skip="metadata")` with the schema compiled once: the same
    result, without looking anything up in the schema per object (creates, updates and every
    read of a resource with defaults go through it)."""

    def __init__(self, root: _Node) -> None:
        self._root = root

    def __call__(self, obj: Any) -> bool:
        """Apply the defaults to `obj` in place; whether any was applied."""
        return _apply(obj, self._root, "metadata")


def compile_defaulter(schema: Schema) -> Defaulter | None:
    """A Defaulter for `schema`, or None if it has no default to apply."""
    reduced = _reduce(schema)
    return None if reduced is None else Defaulter(_compile(reduced))


def _compile(s: Schema) -> _Node:
    props: Schema = s.get("properties") or {}
    defaults = []
    children = []
    for key, prop in props.items():
        if not isinstance(prop, Mapping):
            continue
        if prop.get("default") is not None:
            defaults.append((key, prop["default"], bool(prop.get("nullable"))))
        if any(k in prop for k in ("properties", "additionalProperties", "items")):
            children.append((key, _compile(prop)))
    ap = s.get("additionalProperties")
    items = s.get("items")
    return _Node(
        defaults=tuple(defaults),
        children=tuple(children),
        properties=frozenset(props),
        additional=_compile(ap) if isinstance(ap, Mapping) else None,
        items=_compile(items) if isinstance(items, Mapping) else None,
        default=s.get("default"),
        nullable=bool(s.get("nullable")),
    )


def _apply(x: Any, n: _Node, skip: str) -> bool:
    changed = False
    if isinstance(x, dict):
        for key, value, nullable in n.defaults:
            if key != skip and (key not in x or (x[key] is None and not nullable)):
                x[key] = copy.deepcopy(value)
                changed = True
        for key, child in n.children:
            if key != skip and key in x:
                changed = _apply(x[key], child, "") or changed
        ap = n.additional
        if ap is not None:
            for key in list(x):
                if key == skip or key in n.properties:
                    continue
                if x[key] is None and not ap.nullable and ap.default is not None:
                    x[key] = copy.deepcopy(ap.default)
                    changed = True
                changed = _apply(x[key], ap, "") or changed
    elif isinstance(x, list) and n.items is not None:
        items = n.items
        for i, item in enumerate(x):
            if item is None and not items.nullable and items.default is not None:
                x[i] = copy.deepcopy(items.default)
                changed = True
            changed = _apply(x[i], items, "") or changed
    return changed


def has_defaults(s: Any) -> bool:
    """Whether any node of the schema carries a default (reads must then be defaulted)."""
    if isinstance(s, Mapping):
        if s.get("default") is not None:
            return True
        return any(has_defaults(v) for k, v in s.items() if k not in ("enum", "example"))
    if isinstance(s, list):
        return any(has_defaults(v) for v in s)
    return False
