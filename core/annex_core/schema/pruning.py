"""Pruning of unknown fields (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go)
and of non-nullable nulls without defaults (schema/defaulting/prunenulls.go).

Schemas are a version's openAPIV3Schema as written (already checked structural): only
`properties`, `additionalProperties`, `items` and the `x-kubernetes-preserve-unknown-fields`
and `x-kubernetes-embedded-resource` flags matter here; junctors never add fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]
# Kept at the root of a resource and of an embedded resource: ObjectMeta's own business.
_META_FIELDS = frozenset({"apiVersion", "kind", "metadata"})
_ANY = object()  # `additionalProperties: true`: set, but with no schema (prunes everything below)


def prune(
    obj: Any, schema: Schema | None, *, resource_root: bool = True, nulls: bool = False
) -> list[str]:
    """Drop what `schema` does not declare, in place; the dropped paths, sorted as kube sorts
    them (what `fieldValidation=Strict` reports as `unknown field "spec.bogus"`).

    `nulls`: then `prune_nulls` too, in the same walk (the same result as calling it after).
    """
    unknown: list[str] = []
    _prune(obj, schema, "", unknown, embedded=resource_root, nulls=nulls)
    unknown.sort()
    return unknown


def _null_dropped(x: dict[str, Any], k: str, sub: Schema | None) -> bool:
    """prune_nulls' test for one field, the field dropped if it fails."""
    if x[k] is None and sub is not None and not sub.get("nullable") and sub.get("default") is None:
        del x[k]
        return True
    return False


def _additional(schema: Schema) -> Any:
    """The schema of additional properties: a mapping, _ANY, or None when not allowed."""
    ap = schema.get("additionalProperties")
    if ap is None:
        return None
    if isinstance(ap, Mapping):
        return ap
    return _ANY if ap is True else None


def _child_schema(schema: Schema, key: str) -> tuple[bool, Schema | None]:
    props = schema.get("properties")
    if (type(props) is dict or isinstance(props, Mapping)) and key in props:
        return True, props[key]
    ap = _additional(schema)
    if ap is None:
        return False, None
    return True, None if ap is _ANY else ap


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _prune(
    x: Any, s: Schema | None, path: str, unknown: list[str], *, embedded: bool, nulls: bool
) -> None:
    # With `nulls`, each field left is put to prune_nulls' test as the walk reaches it; where
    # this walk does not go (ObjectMeta's fields), prune_nulls runs as it would have.
    if s is not None and s.get("x-kubernetes-preserve-unknown-fields") is True:
        _skip_prune(x, s, path, unknown, embedded=embedded, nulls=nulls)
        return
    if isinstance(x, dict):
        if s is None:
            unknown.extend(_join(path, k) for k in x)
            x.clear()
            return
        embedded = embedded or s.get("x-kubernetes-embedded-resource") is True
        for k in list(x):
            if embedded and k in _META_FIELDS:
                if nulls:
                    sub = _field_schema(s, k)
                    if not _null_dropped(x, k, sub) and sub is not None:
                        prune_nulls(x[k], sub)
                continue
            known, sub = _child_schema(s, k)
            if known:
                if not (nulls and _null_dropped(x, k, sub)):
                    _prune(x[k], sub, _join(path, k), unknown, embedded=False, nulls=nulls)
            else:
                if k not in _META_FIELDS or path:
                    unknown.append(_join(path, k))
                del x[k]
    elif isinstance(x, list):
        items = s.get("items") if s is not None else None
        if not isinstance(items, Mapping):
            items = None
        for i, v in enumerate(x):
            _prune(v, items, f"{path}[{i}]", unknown, embedded=False, nulls=nulls)


def _skip_prune(
    x: Any, s: Schema, path: str, unknown: list[str], *, embedded: bool, nulls: bool
) -> None:
    """Below preserve-unknown-fields: keep unknown fields, prune under what is declared."""
    if isinstance(x, dict):
        embedded = embedded or s.get("x-kubernetes-embedded-resource") is True
        for k in list(x) if nulls else x:
            if embedded and k in _META_FIELDS:
                if nulls:
                    sub = _field_schema(s, k)
                    if not _null_dropped(x, k, sub) and sub is not None:
                        prune_nulls(x[k], sub)
                continue
            known, sub = _child_schema(s, k)
            if known and not (nulls and _null_dropped(x, k, sub)):
                _prune(x[k], sub, _join(path, k), unknown, embedded=False, nulls=nulls)
            # an unknown field has no schema: prune_nulls finds nothing under it
    elif isinstance(x, list):
        items = s.get("items")
        if isinstance(items, Mapping):
            for i, v in enumerate(x):
                _skip_prune(v, items, f"{path}[{i}]", unknown, embedded=False, nulls=nulls)


def prune_nulls(x: Any, s: Schema | None) -> None:
    """PruneNonNullableNullsWithoutDefaults: a null where the schema allows none and has no
    default to put there is dropped (decoding a Go struct would have left it out)."""
    if isinstance(x, dict):
        for k in list(x):
            sub = _field_schema(s, k)
            v = x[k]
            if sub is None:
                continue  # nothing is dropped under no schema
            if v is None and not sub.get("nullable") and sub.get("default") is None:
                del x[k]
            else:
                prune_nulls(v, sub)
    elif isinstance(x, list):
        items = s.get("items") if s is not None else None
        if isinstance(items, Mapping):
            for v in x:
                prune_nulls(v, items)


def _field_schema(s: Schema | None, key: str) -> Schema | None:
    if s is None:
        return None
    props = s.get("properties")
    if (type(props) is dict or isinstance(props, Mapping)) and key in props:
        sub: Schema = props[key]
        return sub
    ap = s.get("additionalProperties")
    return ap if isinstance(ap, Mapping) else None
