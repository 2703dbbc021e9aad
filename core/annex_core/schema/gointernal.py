"""`json.Marshal` of apiextensions-apiserver's internal types (pkg/apis/apiextensions/types.go,
types_jsonschema.go): Go field names, every field, no omitempty.

Some CRD field errors carry such a value as their bad value (`spec.versions: Invalid value:
[{"Name":"v1",...}]: must have exactly one version marked as storage version`); these render
an ApiDefinition's version, or its schema, as kube-apiserver renders a CRD's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annex_core.gotext import go_json, go_json_float


class _Raw(str):
    """Already-rendered JSON."""


def _float(value: Any) -> Any:
    """JSON numbers as the float64s Go decodes them into (interface{} and *float64)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return _Raw(go_json_float(float(value)))
    if isinstance(value, Mapping):
        return {k: _float(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_float(v) for v in value]
    return value


def _render(value: Any) -> str:
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, Mapping):
        items = sorted(value.items())
        return "{" + ",".join(f"{go_json(k)}:{_render(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_render(v) for v in value) + "]"
    return go_json(value)


def _struct(fields: list[tuple[str, Any]]) -> _Raw:
    return _Raw("{" + ",".join(f'"{name}":{_render(v)}' for name, v in fields) + "}")


def _str(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def _bool(raw: Mapping[str, Any], key: str) -> bool:
    return raw.get(key) is True


def _opt(raw: Mapping[str, Any], key: str) -> Any:
    """A pointer field: null when absent."""
    return raw.get(key)


def _schema_map(raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        return None
    return {k: schema_props(v) for k, v in raw.items() if isinstance(v, Mapping)}


def _schema_list(raw: Any) -> Any:
    if not isinstance(raw, list):
        return None
    return [schema_props(v) for v in raw if isinstance(v, Mapping)]


def _or_bool(raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return _struct([("Allows", raw), ("Schema", None)])
    return _struct([("Allows", True), ("Schema", schema_props(raw))])


def _or_array(raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(raw, list):
        return _struct([("Schema", None), ("JSONSchemas", _schema_list(raw))])
    return _struct([("Schema", schema_props(raw)), ("JSONSchemas", None)])


def _dependencies(raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        return None
    out = {}
    for k, v in raw.items():
        if isinstance(v, list):
            out[k] = _struct([("Schema", None), ("Property", v)])
        else:
            out[k] = _struct([("Schema", schema_props(v)), ("Property", None)])
    return out


def _rule(raw: Mapping[str, Any]) -> _Raw:
    return _struct(
        [
            ("Rule", _str(raw, "rule")),
            ("Message", _str(raw, "message")),
            ("MessageExpression", _str(raw, "messageExpression")),
            ("Reason", _opt(raw, "reason")),
            ("FieldPath", _str(raw, "fieldPath")),
            ("OptionalOldSelf", _opt(raw, "optionalOldSelf")),
        ]
    )


def schema_props(raw: Any) -> _Raw:
    """An internal JSONSchemaProps."""
    s: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    docs = s.get("externalDocs")
    validations = s.get("x-kubernetes-validations")
    return _struct(
        [
            ("ID", _str(s, "id")),
            ("Schema", _str(s, "$schema")),
            ("Ref", _opt(s, "$ref")),
            ("Description", _str(s, "description")),
            ("Type", _str(s, "type")),
            ("Nullable", _bool(s, "nullable")),
            ("Format", _str(s, "format")),
            ("Title", _str(s, "title")),
            ("Default", _float(_opt(s, "default"))),
            ("Maximum", _float(_opt(s, "maximum"))),
            ("ExclusiveMaximum", _bool(s, "exclusiveMaximum")),
            ("Minimum", _float(_opt(s, "minimum"))),
            ("ExclusiveMinimum", _bool(s, "exclusiveMinimum")),
            ("MaxLength", _opt(s, "maxLength")),
            ("MinLength", _opt(s, "minLength")),
            ("Pattern", _str(s, "pattern")),
            ("MaxItems", _opt(s, "maxItems")),
            ("MinItems", _opt(s, "minItems")),
            ("UniqueItems", _bool(s, "uniqueItems")),
            ("MultipleOf", _float(_opt(s, "multipleOf"))),
            ("Enum", _float(s.get("enum")) if isinstance(s.get("enum"), list) else None),
            ("MaxProperties", _opt(s, "maxProperties")),
            ("MinProperties", _opt(s, "minProperties")),
            ("Required", _opt(s, "required")),
            ("Items", _or_array(s.get("items"))),
            ("AllOf", _schema_list(s.get("allOf"))),
            ("OneOf", _schema_list(s.get("oneOf"))),
            ("AnyOf", _schema_list(s.get("anyOf"))),
            ("Not", schema_props(s["not"]) if isinstance(s.get("not"), Mapping) else None),
            ("Properties", _schema_map(s.get("properties"))),
            ("AdditionalProperties", _or_bool(s.get("additionalProperties"))),
            ("PatternProperties", _schema_map(s.get("patternProperties"))),
            ("Dependencies", _dependencies(s.get("dependencies"))),
            ("AdditionalItems", _or_bool(s.get("additionalItems"))),
            ("Definitions", _schema_map(s.get("definitions"))),
            (
                "ExternalDocs",
                _struct([("Description", _str(docs, "description")), ("URL", _str(docs, "url"))])
                if isinstance(docs, Mapping)
                else None,
            ),
            ("Example", _float(_opt(s, "example"))),
            ("XPreserveUnknownFields", _opt(s, "x-kubernetes-preserve-unknown-fields")),
            ("XEmbeddedResource", _bool(s, "x-kubernetes-embedded-resource")),
            ("XIntOrString", _bool(s, "x-kubernetes-int-or-string")),
            ("XListMapKeys", _opt(s, "x-kubernetes-list-map-keys")),
            ("XListType", _opt(s, "x-kubernetes-list-type")),
            ("XMapType", _opt(s, "x-kubernetes-map-type")),
            (
                "XValidations",
                [_rule(r) for r in validations if isinstance(r, Mapping)]
                if isinstance(validations, list)
                else None,
            ),
        ]
    )


def _subresources(raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        return None
    scale = raw.get("scale")
    return _struct(
        [
            ("Status", _Raw("{}") if raw.get("status") is not None else None),
            (
                "Scale",
                _struct(
                    [
                        ("SpecReplicasPath", _str(scale, "specReplicasPath")),
                        ("StatusReplicasPath", _str(scale, "statusReplicasPath")),
                        ("LabelSelectorPath", _opt(scale, "labelSelectorPath")),
                    ]
                )
                if isinstance(scale, Mapping)
                else None,
            ),
        ]
    )


def _column(raw: Mapping[str, Any]) -> _Raw:
    priority = raw.get("priority")
    return _struct(
        [
            ("Name", _str(raw, "name")),
            ("Type", _str(raw, "type")),
            ("Format", _str(raw, "format")),
            ("Description", _str(raw, "description")),
            ("Priority", priority if isinstance(priority, int) else 0),
            ("JSONPath", _str(raw, "jsonPath")),
        ]
    )


def version(raw: Mapping[str, Any]) -> _Raw:
    """An internal CustomResourceDefinitionVersion."""
    schema = raw.get("schema")
    columns = raw.get("additionalPrinterColumns")
    fields = raw.get("selectableFields")
    return _struct(
        [
            ("Name", _str(raw, "name")),
            ("Served", raw.get("served", True) is True),  # apidef: served unless false
            ("Storage", _bool(raw, "storage")),
            ("Deprecated", _bool(raw, "deprecated")),
            ("DeprecationWarning", _opt(raw, "deprecationWarning")),
            (
                "Schema",
                _struct(
                    [
                        (
                            "OpenAPIV3Schema",
                            schema_props(schema["openAPIV3Schema"])
                            if isinstance(schema.get("openAPIV3Schema"), Mapping)
                            else None,
                        )
                    ]
                )
                if isinstance(schema, Mapping)
                else None,
            ),
            ("Subresources", _subresources(raw.get("subresources"))),
            (
                "AdditionalPrinterColumns",
                [_column(c) for c in columns if isinstance(c, Mapping)]
                if isinstance(columns, list)
                else None,
            ),
            (
                "SelectableFields",
                [
                    _struct([("JSONPath", _str(f, "jsonPath"))])
                    for f in fields
                    if isinstance(f, Mapping)
                ]
                if isinstance(fields, list)
                else None,
            ),
        ]
    )


def versions(raws: list[Mapping[str, Any]]) -> _Raw:
    return _Raw("[" + ",".join(version(v) for v in raws) + "]")


def schema_list(raws: list[Any]) -> str:
    """An internal []JSONSchemaProps."""
    return _render(_schema_list(raws))
