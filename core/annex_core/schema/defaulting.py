"""Structural defaulting (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go).

A default fills a field that is absent, or null where the schema does not allow null; it is
deep-copied, and defaulting then goes on inside it. Applied when a request is decoded, after
a patch or apply, and when an object is read from storage.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
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


def defaulted_schema(schema: Schema) -> Schema | None:
    """The parts of `schema` that `default` uses to put defaults somewhere (defaults, their
    nullable, and the way to them), or None if it has none: `default` with it does the same,
    walking nothing else."""
    return _reduce(schema)


def _reduce(s: Schema) -> dict[str, Any] | None:
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


def has_defaults(s: Any) -> bool:
    """Whether any node of the schema carries a default (reads must then be defaulted)."""
    if isinstance(s, Mapping):
        if s.get("default") is not None:
            return True
        return any(has_defaults(v) for k, v in s.items() if k not in ("enum", "example"))
    if isinstance(s, list):
        return any(has_defaults(v) for v in s)
    return False
