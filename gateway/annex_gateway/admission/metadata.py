"""ObjectMeta validation, with the messages of k8s.io/apimachinery's ValidateObjectMeta (the
names themselves are checked by annex_core.schema.names)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_json, go_quote
from annex_core.schema import fielderrors
from annex_core.schema.names import (
    label_value_errors,
    path_segment_errors,
    qualified_name_errors,
    subdomain_errors,
)
from annex_gateway.objectmeta import OBJECT_META_FIELDS

MAX_ANNOTATIONS_BYTES = 256 * 1024


def _invalid(field: str, value: object, message: str) -> FieldError:
    return FieldError(field, "FieldValueInvalid", f'Invalid value: "{value}": {message}')


def _string_map(meta: Mapping[str, Any], key: str) -> tuple[dict[str, str], list[FieldError]]:
    value = meta.get(key)
    if value is None:
        return {}, []
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return {}, [
            FieldError(f"metadata.{key}", "FieldValueTypeInvalid", "must be a map of strings")
        ]
    return value, []


def validate_name(name: str) -> list[FieldError]:
    return [_invalid("metadata.name", name, m) for m in subdomain_errors(name)]


def _mask_trailing_dash(prefix: str) -> str:
    """apimachinery's maskTrailingDash, as ValidateObjectMeta checks a generateName: one
    trailing dash (of two characters or more) masked by dropping two and adding an 'a'."""
    return prefix[:-2] + "a" if len(prefix) > 1 and prefix.endswith("-") else prefix


def validate_object_meta(meta: Mapping[str, Any], *, update: bool = False) -> list[FieldError]:
    """Name, generateName, labels, annotations, owners and finalizers of an object about to be
    stored (ValidateObjectMetaAccessor). An update's names are checked only as path segments
    (rest.ValidateUpdate's common fields): the name cannot change, and any generateName goes."""
    errors: list[FieldError] = []
    generate_name = meta.get("generateName")  # checked first (ValidateObjectMetaAccessor)
    if generate_name:
        masked = _mask_trailing_dash(str(generate_name))
        found = path_segment_errors(generate_name, True) if update else subdomain_errors(masked)
        errors += [_invalid("metadata.generateName", generate_name, m) for m in found]
    name = meta.get("name")
    if name:
        if update:
            errors += [_invalid("metadata.name", name, m) for m in path_segment_errors(name)]
        else:
            errors += validate_name(str(name))
    errors += _content_errors(meta)
    finalizers = meta.get("finalizers") or []
    if not isinstance(finalizers, list) or not all(isinstance(f, str) for f in finalizers):
        errors.append(
            FieldError("metadata.finalizers", "FieldValueTypeInvalid", "must be a list of strings")
        )
    else:
        for finalizer in finalizers:
            # ValidateFinalizerName: the field is the list, not the item.
            errors += [
                _invalid("metadata.finalizers", finalizer, m)
                for m in qualified_name_errors(finalizer)
            ]
        # The two garbage-collector policies exclude each other (ValidateFinalizers).
        if "orphan" in finalizers and "foregroundDeletion" in finalizers:
            errors.append(
                FieldError(
                    "metadata.finalizers",
                    "FieldValueInvalid",
                    f"Invalid value: {go_json(finalizers)}: "
                    "finalizer orphan and foregroundDeletion cannot be both set",
                )
            )
    return errors


def validate_object_meta_update(
    meta: Mapping[str, Any], old: Mapping[str, Any], immutable: list[FieldError]
) -> list[FieldError]:
    """ValidateObjectMetaAccessorUpdate: no finalizer added once deletion started, the
    `immutable` fields the update changed (the store compares them before it restores what the
    server owns), then labels, annotations and owners again, as ObjectMeta's validation checks
    them. kube-apiserver runs it twice on a custom resource's update (the common fields, then
    the strategy's declarative metadata validation): its errors are listed twice."""
    return [*_no_new_finalizers(meta, old), *immutable, *_content_errors(meta)]


def _content_errors(meta: Mapping[str, Any]) -> list[FieldError]:
    """Labels, annotations and owner references: checked on create and on every update."""
    errors: list[FieldError] = []
    labels, type_errors = _string_map(meta, "labels")
    errors += type_errors
    for key, value in labels.items():
        errors += [_invalid("metadata.labels", key, m) for m in qualified_name_errors(key)]
        errors += [_invalid("metadata.labels", value, m) for m in label_value_errors(value)]

    annotations, type_errors = _string_map(meta, "annotations")
    errors += type_errors
    total = 0
    for key, value in annotations.items():
        errors += [
            _invalid("metadata.annotations", key, m) for m in qualified_name_errors(key.lower())
        ]
        # Bytes, as Go's len() counts them in ValidateAnnotationsSize: not characters.
        total += len(key.encode()) + len(value.encode())
    if total > MAX_ANNOTATIONS_BYTES:
        errors.append(
            FieldError(
                "metadata.annotations",
                "FieldValueTooLong",
                f"Too long: may not be more than {MAX_ANNOTATIONS_BYTES} bytes",
            )
        )
    return errors + owner_reference_errors(meta.get("ownerReferences") or [])


def _no_new_finalizers(meta: Mapping[str, Any], old: Mapping[str, Any]) -> list[FieldError]:
    """ValidateNoNewFinalizers, once deletion started."""
    if not old.get("deletionTimestamp"):
        return []
    before = set(old.get("finalizers") or [])
    added = sorted(set(meta.get("finalizers") or []) - before)
    if not added:
        return []
    return [
        FieldError(
            "metadata.finalizers",
            "FieldValueForbidden",
            "Forbidden: no new finalizers can be added if the object is being deleted, "
            f"found new finalizers {_go_list(added)}",
        )
    ]


def _go_list(items: list[str]) -> str:
    """A []string as Go's %#v prints it (ValidateNoNewFinalizers): []string{"a", "b"}."""
    return "[]string{" + ", ".join(go_quote(i) for i in items) + "}"


GC_FINALIZERS = ("orphan", "foregroundDeletion")
# BannedOwners in k8s.io/apimachinery's validation: events may not own anything.
_BANNED_OWNERS = {
    ("", "v1", "Event"): "/v1, Kind=Event",
    ("events.k8s.io", "v1", "Event"): "events.k8s.io/v1, Kind=Event",
}


def parse_group_version(api_version: str) -> tuple[str, str] | None:
    """schema.ParseGroupVersion: "" and "v" are the core group; "g/v"; anything else fails."""
    if not api_version:
        return "", ""
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    return None


def owner_reference_errors(refs: Any) -> list[FieldError]:
    """ValidateOwnerReferences (1.37): each reference's fields at its index, then one error
    for a second controller naming the whole list."""
    path = "metadata.ownerReferences"
    if not isinstance(refs, list) or not all(isinstance(r, dict) for r in refs):
        return [FieldError(path, "FieldValueTypeInvalid", "must be a list of owner references")]
    errors: list[FieldError] = []
    first_controller = ""
    for i, ref in enumerate(refs):
        at = f"{path}[{i}]"
        api_version, kind = str(ref.get("apiVersion") or ""), str(ref.get("kind") or "")
        group, version = parse_group_version(api_version) or ("", "")
        if not api_version:
            errors.append(fielderrors.required(f"{at}.apiVersion", "must not be empty"))
        elif not version:
            errors.append(
                _invalid(f"{at}.apiVersion", api_version, "must be <group>/<version> or <version>")
            )
        if not kind:
            errors.append(fielderrors.required(f"{at}.kind", "must not be empty"))
        for key in ("name", "uid"):
            if not ref.get(key):
                errors.append(fielderrors.required(f"{at}.{key}", "must not be empty"))
        banned = _BANNED_OWNERS.get((group, version, kind))
        if banned:
            errors.append(
                FieldError(
                    at,
                    "FieldValueInvalid",
                    f"Invalid value: {_owner_json(ref)}: {banned} is disallowed from being an owner",
                )
            )
        if ref.get("controller") is True:
            current = f"{kind}/{ref.get('name') or ''}"
            if first_controller:
                listed = "[" + ",".join(_owner_json(r) for r in refs) + "]"
                errors.append(
                    FieldError(
                        path,
                        "FieldValueInvalid",
                        f"Invalid value: {listed}: Only one reference can have Controller set to "
                        f'true. Found "true" in references for {first_controller} and {current}',
                    )
                )
            else:
                first_controller = current
    return errors


def _owner_json(ref: Mapping[str, Any]) -> str:
    """A metav1.OwnerReference as encoding/json writes it: its fields in order, the two
    booleans only when set."""
    fields = ["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"]
    parts = []
    for key in fields:
        value = ref.get(key)
        if key in ("controller", "blockOwnerDeletion"):
            if value is None:
                continue
        elif value is None:
            value = ""
        parts.append(f"{go_json(key)}:{go_json(value)}")
    return "{" + ",".join(parts) + "}"


# Finalizers kube-apiserver knows, which need no domain (standardFinalizers).
STANDARD_FINALIZERS = ("orphan", "foregroundDeletion", "kubernetes")


def warnings_for_object_meta(
    meta: Mapping[str, Any], old: Mapping[str, Any] | None = None
) -> list[str]:
    """What kube-apiserver accepts but warns about, for the finalizers a write adds
    (customresource strategy's WarningsOnCreate/Update: validateKubeFinalizerName)."""
    finalizers = meta.get("finalizers") or []
    if not isinstance(finalizers, list):
        return []
    before = (old or {}).get("finalizers") or []
    had = set(before) if isinstance(before, list) else set()
    added = sorted({f for f in finalizers if isinstance(f, str)} - had)
    warnings = []
    for name in added:
        quoted = go_quote(name)
        warnings += [f"metadata.finalizers: {quoted}: {m}" for m in qualified_name_errors(name)]
        if "/" not in name and name not in STANDARD_FINALIZERS:
            path = " including a path (/)" if "." in name else ""
            warnings.append(
                f"metadata.finalizers: {quoted}: prefer a domain-qualified finalizer name{path} "
                "to avoid accidental conflicts with other finalizer writers"
            )
    return warnings


def coerce_object_meta(meta: dict[str, Any]) -> list[str]:
    """Shape `metadata` as a typed ObjectMeta would round-trip it, in place; return warnings.

    apiextensions-apiserver decodes a custom resource's metadata into ObjectMeta (its types
    already checked) and encodes it again: nulls are zero values (an empty string in a map or
    a list), empty lists and maps disappear, an integral number is an integer, unknown fields
    are dropped (and reported, as fieldValidation=Warn, the server default, does).
    """
    warnings = []
    for key in sorted(set(meta) - set(OBJECT_META_FIELDS)):
        del meta[key]
        warnings.append(f'unknown field "metadata.{key}"')
    for key in [k for k, v in meta.items() if v is None]:
        del meta[key]
    for key in ("labels", "annotations"):
        if isinstance(meta.get(key), dict):
            meta[key] = {k: "" if v is None else v for k, v in meta[key].items()}
    if isinstance(meta.get("finalizers"), list):
        meta["finalizers"] = ["" if f is None else f for f in meta["finalizers"]]
    for key in ("ownerReferences", "managedFields"):
        if isinstance(meta.get(key), list):
            meta[key] = [{k: v for k, v in (e or {}).items() if v is not None} for e in meta[key]]
    for key in ("generation", "deletionGracePeriodSeconds"):
        if isinstance(meta.get(key), float):
            meta[key] = int(meta[key])
    for key in ("labels", "annotations", "finalizers", "ownerReferences", "managedFields"):
        if key in meta and not meta[key]:
            del meta[key]
    return warnings
