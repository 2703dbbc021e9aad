"""What apiextensions-apiserver does to a custom resource between the field manager and
storage, for the parts that change what an apply returns.

The field manager defaults the merged object (schema/defaulting/algorithm.go, called from
structuredmerge.go). Removing a manager's fields leaves `null` where a map or list lost its
last item (structured-merge-diff remove.go); storage then drops non-nullable nulls without a
default (defaulting/prunenulls.go) and rewrites `metadata` through ObjectMeta, whose
omitempty fields vanish when null or empty (schemaobjectmeta.Coerce).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

_META_OMITEMPTY = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)


def _field_schema(key: str, s: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if s is None:
        return None
    props = s.get("properties") or {}
    if key in props:
        sub = props[key]
        return sub if isinstance(sub, Mapping) else None
    ap = s.get("additionalProperties")
    return ap if isinstance(ap, Mapping) else None


def prune_nulls(x: Any, s: Mapping[str, Any] | None, skip: str = "") -> None:
    """PruneNonNullableNullsWithoutDefaults, in place."""
    if isinstance(x, dict):
        for key in list(x):
            if key == skip:
                continue
            sub = _field_schema(key, s)
            if (
                x[key] is None
                and sub is not None
                and not sub.get("nullable")
                and "default" not in sub
            ):
                del x[key]
            else:
                prune_nulls(x[key], sub)
    elif isinstance(x, list):
        items = s.get("items") if s is not None else None
        for item in x:
            prune_nulls(item, items if isinstance(items, Mapping) else None)


def tidy_metadata(obj: dict[str, Any]) -> None:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return
    for key in _META_OMITEMPTY:
        if key in meta and meta[key] in (None, {}, [], "", 0):
            del meta[key]


def _non_nullable_null(x: Any, s: Mapping[str, Any] | None) -> bool:
    return x is None and s is not None and not s.get("nullable")


def default(x: Any, s: Mapping[str, Any] | None, skip: str = "") -> None:
    """structural defaulting (Default), in place; defaults are deep-copied."""
    if s is None:
        return
    if isinstance(x, dict):
        props: Mapping[str, Any] = s.get("properties") or {}
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
                default(x[key], props[key])
            elif isinstance(ap, Mapping):
                if _non_nullable_null(x[key], ap):
                    x[key] = copy.deepcopy(ap.get("default"))
                default(x[key], ap)
    elif isinstance(x, list):
        items = s.get("items")
        if not isinstance(items, Mapping):
            return
        for i, item in enumerate(x):
            if _non_nullable_null(item, items):
                x[i] = copy.deepcopy(items.get("default"))
            default(x[i], items)


def tidy(obj: dict[str, Any], schema: Mapping[str, Any] | None) -> None:
    """Defaulting, then the null pruning and metadata rewrite of storage."""
    if schema is not None:
        default(obj, schema, skip="metadata")  # metadata is ObjectMeta's business
        prune_nulls(obj, schema, skip="metadata")
    tidy_metadata(obj)
