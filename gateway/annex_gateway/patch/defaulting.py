"""What apiextensions-apiserver does to an applied custom resource besides merging it.

The field manager defaults the merged object (schema/defaulting/algorithm.go, called from
structuredmerge.go), and storage rewrites `metadata` through ObjectMeta, whose omitempty
fields vanish when null or empty (schemaobjectmeta.Coerce) - removing a manager's labels can
leave `labels: null` behind (structured-merge-diff remove.go).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annex_core.schema.defaulting import default
from annex_gateway.objectmeta import OBJECT_META_FIELDS

_META_OMITEMPTY = OBJECT_META_FIELDS


def tidy_metadata(obj: dict[str, Any]) -> None:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return
    for key in _META_OMITEMPTY:
        if key in meta and meta[key] in (None, {}, [], "", 0):
            del meta[key]


def tidy(obj: dict[str, Any], schema: Mapping[str, Any] | None) -> None:
    """Defaulting, then the metadata rewrite of storage. Non-nullable nulls are left alone:
    kube-apiserver validates the applied object before storage would prune them, and
    answers 422."""
    if schema is not None:
        default(obj, schema, skip="metadata")  # metadata is ObjectMeta's business
    tidy_metadata(obj)
