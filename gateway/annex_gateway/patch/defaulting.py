"""What apiextensions-apiserver does to an applied custom resource besides merging it.

The field manager defaults the merged object (schema/defaulting/algorithm.go, called from
structuredmerge.go), and storage rewrites `metadata` through ObjectMeta, whose omitempty
fields vanish when null or empty (schemaobjectmeta.Coerce) - removing a manager's labels can
leave `labels: null` behind (structured-merge-diff remove.go).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from annex_gateway.objectmeta import OBJECT_META_FIELDS

_META_OMITEMPTY = OBJECT_META_FIELDS


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
    """Defaulting, then the metadata rewrite of storage. Non-nullable nulls are left alone:
    kube-apiserver validates the applied object before storage would prune them, and
    answers 422."""
    if schema is not None:
        default(obj, schema, skip="metadata")  # metadata is ObjectMeta's business
    tidy_metadata(obj)
