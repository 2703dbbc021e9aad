"""PartialObjectMetadata and PartialObjectMetadataList, shaped as kube-apiserver shapes them.

`k8s.io/apiserver/pkg/endpoints/handlers/response.go` (`asPartialObjectMetadata`,
`asPartialObjectMetadataList`) copies an object's metadata through `meta.AsPartialObjectMetadata`
into a typed `metav1.ObjectMeta`, so what comes out is ObjectMeta's fields in its order, empty
ones omitted (`omitempty`, `omitzero`), timestamps re-encoded as `metav1.Time` (UTC, whole
seconds), unknown metadata fields dropped. A list keeps `resourceVersion`, `continue` and
`remainingItemCount` of its metadata.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from annex_gateway.endpoints.goformat import format_rfc3339, is_zero_time, parse_rfc3339

META_V1 = "meta.k8s.io/v1"
META_V1BETA1 = "meta.k8s.io/v1beta1"
INITIAL_EVENTS_END = "k8s.io/initial-events-end"

_STRINGS = ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion")
_OWNER_REFERENCE = ("apiVersion", "kind", "name", "uid")  # always written, even empty
_MANAGED_FIELDS_ENTRY = (
    "manager",
    "operation",
    "apiVersion",
    "time",
    "fieldsType",
    "fieldsV1",
    "subresource",
)


def _time(value: Any) -> str | None:
    return _normal_time(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)  # a list's times repeat: created and managed together
def _normal_time(value: str) -> str | None:
    when = parse_rfc3339(value)
    return None if when is None or is_zero_time(when) else format_rfc3339(when)


def _string_map(value: Any) -> dict[str, str] | None:
    """Unstructured's GetLabels/GetAnnotations: nothing when a value is not a string."""
    if not isinstance(value, dict) or not value:
        return None
    if not all(isinstance(v, str) for v in value.values()):
        return None
    return dict(value)


def _owner_references(value: Any) -> list[dict[str, Any]] | None:
    if not isinstance(value, list):
        return None
    refs = []
    for raw in value:
        if not isinstance(raw, dict):
            continue  # Unstructured.GetOwnerReferences skips entries that are not maps
        ref: dict[str, Any] = {
            k: raw.get(k) if isinstance(raw.get(k), str) else "" for k in _OWNER_REFERENCE
        }
        for flag in ("controller", "blockOwnerDeletion"):
            if isinstance(raw.get(flag), bool):
                ref[flag] = raw[flag]
        refs.append(ref)
    return refs or None


def _managed_fields(value: Any) -> list[dict[str, Any]] | None:
    if not isinstance(value, list) or not value:
        return None
    entries = []
    for raw in value:
        if not isinstance(raw, dict):
            return None  # the converter fails, and GetManagedFields returns nothing
        entry: dict[str, Any] = {}
        for key in _MANAGED_FIELDS_ENTRY:
            item = raw.get(key)
            if key == "time":
                item = _time(item)
            if item not in (None, "", {}):
                entry[key] = item
        entries.append(entry)
    return entries


def object_meta(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """`metav1.ObjectMeta` as `AsPartialObjectMetadata` rebuilds it from unstructured metadata."""
    out: dict[str, Any] = {}
    for key in _STRINGS:
        if isinstance(value := metadata.get(key), str) and value:
            out[key] = value
    generation = metadata.get("generation")
    if isinstance(generation, int) and not isinstance(generation, bool) and generation:
        out["generation"] = generation
    if created := _time(metadata.get("creationTimestamp")):
        out["creationTimestamp"] = created
    if deleted := _time(metadata.get("deletionTimestamp")):
        out["deletionTimestamp"] = deleted
    grace = metadata.get("deletionGracePeriodSeconds")
    if isinstance(grace, int) and not isinstance(grace, bool):
        out["deletionGracePeriodSeconds"] = grace
    for key, value in (
        ("labels", _string_map(metadata.get("labels"))),
        ("annotations", _string_map(metadata.get("annotations"))),
        ("ownerReferences", _owner_references(metadata.get("ownerReferences"))),
        ("finalizers", _finalizers(metadata.get("finalizers"))),
        ("managedFields", _managed_fields(metadata.get("managedFields"))),
    ):
        if value:
            out[key] = value
    return out


def _finalizers(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return list(value) or None


def to_partial_object_metadata(
    obj: Mapping[str, Any], group_version: str = META_V1
) -> dict[str, Any]:
    """One object as `PartialObjectMetadata` (for get, patch, update, create, and watch events)."""
    metadata = obj.get("metadata")
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": group_version,
        "metadata": object_meta(metadata if isinstance(metadata, Mapping) else {}),
    }


def list_meta(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ListMeta kube copies into a PartialObjectMetadataList or a Table."""
    out: dict[str, Any] = {}
    for key in ("resourceVersion", "continue"):
        if metadata and isinstance(value := metadata.get(key), str) and value:
            out[key] = value
    count = metadata.get("remainingItemCount") if metadata else None
    if isinstance(count, int) and not isinstance(count, bool):
        out["remainingItemCount"] = count
    return out


def to_partial_object_metadata_list(
    list_obj: Mapping[str, Any], group_version: str = META_V1
) -> dict[str, Any]:
    """A list as `PartialObjectMetadataList`; with no items `"items": null`, as kube writes
    its nil Go slice."""
    items = list_obj.get("items") or []
    metadata = list_obj.get("metadata")
    return {
        "kind": "PartialObjectMetadataList",
        "apiVersion": group_version,
        "metadata": list_meta(metadata if isinstance(metadata, Mapping) else None),
        "items": [to_partial_object_metadata(item, group_version) for item in items] or None,
    }


def is_initial_events_end(obj: Mapping[str, Any]) -> bool:
    """The WatchList bookmark (`storage.HasInitialEventsEndBookmarkAnnotation`)."""
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    return isinstance(annotations, Mapping) and annotations.get(INITIAL_EVENTS_END) == "true"
