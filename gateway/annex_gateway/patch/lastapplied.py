"""Moving from `kubectl apply` (client side) to `kubectl apply --server-side`:
k8s.io/apimachinery pkg/util/managedfields/internal lastappliedmanager.go,
lastappliedupdater.go and lastapplied.go. Both only act for the field manager "kubectl".
"""

from __future__ import annotations

import copy
import json
from typing import Any

from annex_gateway.patch import values
from annex_gateway.patch.fieldpath import FieldSet
from annex_gateway.patch.schema import Atom
from annex_gateway.patch.typed import compare, to_field_set, validate

ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
KUBECTL = "kubectl"
_TOTAL_ANNOTATION_SIZE_LIMIT = 256 * (1 << 10)  # apimachinery ValidateAnnotationsSize


def annotations_of(obj: Any) -> dict[str, Any] | None:
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    return ann if isinstance(ann, dict) else None


def has_last_applied(obj: Any) -> bool:
    ann = annotations_of(obj)
    return bool(ann and isinstance(ann.get(ANNOTATION), str) and ann[ANNOTATION])


def allowed_conflicts(live: Any, root: Atom, api_version: str) -> FieldSet | None:
    """Fields the last client-side apply set and that still hold that value: "kubectl" may
    take them over from kubectl-client-side-apply without a conflict. None when unknown."""
    ann = annotations_of(live)
    raw = ann.get(ANNOTATION) if ann else None
    if not isinstance(raw, str) or not raw:
        return None
    try:
        last = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != api_version:
        return None
    try:
        validate(live, root, allow_duplicates=False)
        validate(last, root, allow_duplicates=False)
        owned = to_field_set(last, root)
        cmp = compare(last, live, root)
    except ValueError:
        return None
    return owned.difference(cmp.modified).difference(cmp.added).difference(cmp.removed)


def build(config: dict[str, Any]) -> str:
    """buildLastApplied: the applied configuration minus this annotation, as
    unstructured.UnstructuredJSONScheme encodes it (sorted keys, trailing newline)."""
    obj = copy.deepcopy(config)
    ann = annotations_of(obj)
    if ann is not None:
        ann.pop(ANNOTATION, None)
    elif isinstance(obj.get("metadata"), dict):
        obj["metadata"].pop("annotations", None)  # SetAnnotations(nil) removes the field
    return values.go_json(obj) + "\n"


def set_last_applied(obj: dict[str, Any], value: str) -> None:
    """SetLastApplied: dropped again if the annotations would grow past their size limit."""
    meta = obj.setdefault("metadata", {})
    ann = meta.get("annotations")
    if not isinstance(ann, dict):
        ann = meta["annotations"] = {}
    ann[ANNOTATION] = value
    size = sum(len(k.encode()) + len(str(v).encode()) for k, v in ann.items())
    if size > _TOTAL_ANNOTATION_SIZE_LIMIT:
        del ann[ANNOTATION]
