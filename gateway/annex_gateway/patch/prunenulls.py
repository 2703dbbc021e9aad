"""The nulls an apply can leave behind, cleared the way kube-apiserver clears them before it
stores a custom resource.

Removing a manager's fields leaves `null` where a map or list lost its last item
(structured-merge-diff remove.go). apiextensions-apiserver then drops non-nullable nulls that
have no default (schema/defaulting/prunenulls.go) and rewrites `metadata` through ObjectMeta,
whose omitempty fields vanish when null or empty (schemaobjectmeta.Coerce).
"""

from __future__ import annotations

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


def tidy(obj: dict[str, Any], schema: Mapping[str, Any] | None) -> None:
    """Both of the above, for an object about to be stored."""
    if schema is not None:
        prune_nulls(obj, schema, skip="metadata")  # metadata is ObjectMeta's business
    tidy_metadata(obj)
