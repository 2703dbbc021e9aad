"""`x-kubernetes-embedded-resource` objects: apiVersion, kind and metadata checked.

apiextensions-apiserver pkg/apiserver/schema/objectmeta/validation.go Validate(ctx, nil, obj,
schema, false): walks properties, additionalProperties and items; on each embedded-resource
object requires `apiVersion` and `kind`, checks them, and validates `metadata` as ObjectMeta on
create, with path-segment names (ValidateObjectMetaAccessor with validatePathSegment).

Of the ObjectMeta checks this covers generateName, name, namespace, labels, annotations and
finalizers, and metadata that is not an object; ownerReferences and managedFields are not
checked here, nor the exact Go unmarshal message for a metadata field of the wrong type.
Go iterates an object's keys in random order; here they come in the object's own order.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from annex_core.apidef import FieldError
from annex_core.schema import fielderrors
from annex_core.schema.names import (
    dns1035_label_errors,
    dns1123_label_errors,
    label_value_errors,
    path_segment_errors,
    qualified_name_errors,
)

_ANNOTATIONS_LIMIT = 256 * 1024


def validate_embedded(schema: Mapping[str, Any], obj: Any) -> list[FieldError]:
    """schemaobjectmeta.Validate(ctx, nil, obj, schema, false)."""
    errs: list[FieldError] = []
    _walk(None, obj, schema, errs)
    return errs


# A property of a `checked_schema` with nothing under it (its key keeps additionalProperties off).
_NOTHING: Mapping[str, Any] = MappingProxyType({})


def checked_schema(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The parts of `schema` where `validate_embedded` can find anything (embedded resources
    and the way to them), or None if nowhere: the same errors, with nothing else walked.
    Properties with nothing under them stay, as empty schemas, where additionalProperties
    are checked (a declared key must not fall back to them)."""
    reduced = _reduce(schema)
    return reduced or None


def _reduce(schema: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if schema.get("x-kubernetes-embedded-resource") is True:
        out["x-kubernetes-embedded-resource"] = True
    additional = schema.get("additionalProperties")
    if isinstance(additional, Mapping):
        sub = _reduce(additional)
        if sub:
            out["additionalProperties"] = sub
    properties = schema.get("properties") or {}
    kept: dict[str, Any] = {}
    for k, v in properties.items():
        if not isinstance(v, Mapping):
            kept[k] = v  # not a schema: as it is
        else:
            sub = _reduce(v)
            kept[k] = sub or _NOTHING
    if "additionalProperties" in out or any(v is not _NOTHING for v in kept.values()):
        out["properties"] = kept
    items = schema.get("items")
    if isinstance(items, Mapping):
        sub = _reduce(items)
        if sub:
            out["items"] = sub
    return out


def _walk(
    path: str | None, x: Any, schema: Mapping[str, Any] | None, errs: list[FieldError]
) -> None:
    if schema is None:
        return
    if type(x) is dict:
        if schema.get("x-kubernetes-embedded-resource") is True:
            errs += _embedded_resource(path, x)
        properties = schema.get("properties") or {}
        additional = schema.get("additionalProperties")
        for k, v in x.items():
            prop = properties.get(k)
            if prop is not None:
                if prop is not _NOTHING:
                    _walk(fielderrors.child(path, k), v, prop, errs)
            elif additional is not None:
                _walk(
                    fielderrors.key(path, k),
                    v,
                    additional if isinstance(additional, Mapping) else None,
                    errs,
                )
    elif type(x) is list:
        items = schema.get("items")
        for i, v in enumerate(x):
            _walk(fielderrors.key(path, i), v, items if isinstance(items, Mapping) else None, errs)


def _embedded_resource(path: str | None, x: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    if "apiVersion" not in x:
        errs.append(fielderrors.required(fielderrors.child(path, "apiVersion")))
    if "kind" not in x:
        errs.append(fielderrors.required(fielderrors.child(path, "kind")))
    for k, v in x.items():
        if k == "apiVersion":
            where = fielderrors.child(path, "apiVersion")
            if type(v) is not str:
                errs.append(fielderrors.invalid(where, v, "must be a string"))
            elif not v:
                errs.append(fielderrors.invalid(where, v, "must not be empty"))
            elif v != "/" and v.count("/") > 1:
                errs.append(fielderrors.invalid(where, v, f"unexpected GroupVersion string: {v}"))
        elif k == "kind":
            where = fielderrors.child(path, "kind")
            if type(v) is not str:
                errs.append(fielderrors.invalid(where, v, "must be a string"))
            elif not v:
                errs.append(fielderrors.invalid(where, v, "must not be empty"))
            else:
                problems = dns1035_label_errors(v.lower())
                if problems:
                    detail = "may have mixed case, but should otherwise match: " + ",".join(
                        problems
                    )
                    errs.append(fielderrors.invalid(where, v, detail))
        elif k == "metadata":
            errs += _metadata(fielderrors.child(path, "metadata"), v)
    return errs


def _metadata(path: str, meta: Any) -> list[FieldError]:
    """GetObjectMeta, then ValidateObjectMetaAccessor(meta, namespaced = namespace != "")."""
    if meta is None:
        return _object_meta(path, {})
    if type(meta) is not dict:
        kind = {str: "string", bool: "bool", int: "number", float: "number", list: "array"}
        detail = f"json: cannot unmarshal {kind.get(type(meta), 'value')} into Go value of type v1.ObjectMeta"
        return [fielderrors.invalid(path, meta, detail)]
    for name in ("name", "generateName", "namespace"):
        value = meta.get(name)
        if value is not None and type(value) is not str:
            detail = f"json: cannot unmarshal {_json_kind(value)} into Go struct field ObjectMeta.{name} of type string"
            return [fielderrors.invalid(path, meta, detail)]
    for name in ("labels", "annotations"):
        value = meta.get(name)
        if value is not None and (
            type(value) is not dict or any(type(v) is not str for v in value.values())
        ):
            bad = (
                value
                if type(value) is not dict
                else next(v for v in value.values() if type(v) is not str)
            )
            where = name if type(value) is not dict else f"{name}"
            go_type = "map[string]string" if type(value) is not dict else "string"
            detail = f"json: cannot unmarshal {_json_kind(bad)} into Go struct field ObjectMeta.{where} of type {go_type}"
            return [fielderrors.invalid(path, meta, detail)]
    return _object_meta(path, meta)


def _json_kind(value: Any) -> str:
    t = type(value)
    if t is str:
        return "string"
    if t is bool:
        return "bool"
    if t is int or t is float:
        return "number"
    if t is list:
        return "array"
    if t is dict:
        return "object"
    return "null"


def _object_meta(path: str, meta: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        for msg in path_segment_errors(generate_name, True):
            errs.append(fielderrors.invalid(f"{path}.generateName", generate_name, msg))
    name = meta.get("name") or "fakename"  # validation.go: "we have to set something"
    for msg in path_segment_errors(name, False):
        errs.append(fielderrors.invalid(f"{path}.name", name, msg))
    namespace = meta.get("namespace") or ""
    if namespace:
        for msg in dns1123_label_errors(namespace):
            errs.append(fielderrors.invalid(f"{path}.namespace", namespace, msg))
    generation = meta.get("generation")
    if type(generation) is int and generation < 0:
        errs.append(
            fielderrors.invalid(
                f"{path}.generation", generation, "must be greater than or equal to 0"
            )
        )
    labels = meta.get("labels") or {}
    for k, v in labels.items():
        errs += [fielderrors.invalid(f"{path}.labels", k, m) for m in qualified_name_errors(k)]
        errs += [fielderrors.invalid(f"{path}.labels", v, m) for m in label_value_errors(v)]
    annotations = meta.get("annotations") or {}
    total = 0
    for k, v in annotations.items():
        errs += [
            fielderrors.invalid(f"{path}.annotations", k, m)
            for m in qualified_name_errors(k.lower())
        ]
        total += len(k.encode()) + len(v.encode())
    if total > _ANNOTATIONS_LIMIT:
        errs.append(fielderrors.too_long(f"{path}.annotations", _ANNOTATIONS_LIMIT))
    finalizers = meta.get("finalizers") or []
    if type(finalizers) is list:
        for finalizer in finalizers:
            if type(finalizer) is str:
                errs += [
                    fielderrors.invalid(f"{path}.finalizers", finalizer, m)
                    for m in qualified_name_errors(finalizer)
                ]
        if "orphan" in finalizers and "foregroundDeletion" in finalizers:
            errs.append(
                fielderrors.invalid(
                    f"{path}.finalizers",
                    finalizers,
                    "finalizer orphan and foregroundDeletion cannot be both set",
                )
            )
    return errs
