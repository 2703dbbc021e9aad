"""The checks a CRD's version schema gets when the CRD is written, for an ApiDefinition
version's `schema.openAPIV3Schema` (apiextensions-apiserver
pkg/apis/apiextensions/validation/validation.go: validateCustomResourceDefinitionValidation,
ValidateCustomResourceDefinitionOpenAPISchema, validateMapListKeysMapSet; and
pkg/apiserver/schema/defaulting/validation.go: ValidateDefaults).

Always as for a new v1 CRD: structural schema required, defaults allowed and pruned.
OpenAPI validation of defaults (annex_core.schema.validation) and CEL compilation
(annex_core.schema.cel) are used when those modules are present.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_json
from annex_core.schema import cel, gointernal
from annex_core.schema import fielderrors as fe
from annex_core.schema.pruning import prune
from annex_core.schema.structural import (
    Schema,
    child_schema,
    clauses,
    new_structural_error,
    properties,
    text,
    validate_structural,
)
from annex_core.schema.validation import Validator

_TYPES = ("array", "boolean", "integer", "number", "object", "string")
_META_FIELDS = frozenset({"metadata", "kind", "apiVersion"})

# JSONSchemaProps' fields in Go's order, with their JSON names (status root allow-list).
_GO_FIELDS = (
    ("ID", "id"), ("Schema", "$schema"), ("Ref", "$ref"), ("Description", "description"),
    ("Type", "type"), ("Nullable", "nullable"), ("Format", "format"), ("Title", "title"),
    ("Default", "default"), ("Maximum", "maximum"), ("ExclusiveMaximum", "exclusiveMaximum"),
    ("Minimum", "minimum"), ("ExclusiveMinimum", "exclusiveMinimum"),
    ("MaxLength", "maxLength"), ("MinLength", "minLength"), ("Pattern", "pattern"),
    ("MaxItems", "maxItems"), ("MinItems", "minItems"), ("UniqueItems", "uniqueItems"),
    ("MultipleOf", "multipleOf"), ("Enum", "enum"), ("MaxProperties", "maxProperties"),
    ("MinProperties", "minProperties"), ("Required", "required"), ("Items", "items"),
    ("AllOf", "allOf"), ("OneOf", "oneOf"), ("AnyOf", "anyOf"), ("Not", "not"),
    ("Properties", "properties"), ("AdditionalProperties", "additionalProperties"),
    ("PatternProperties", "patternProperties"), ("Dependencies", "dependencies"),
    ("AdditionalItems", "additionalItems"), ("Definitions", "definitions"),
    ("ExternalDocs", "externalDocs"), ("Example", "example"),
    ("XPreserveUnknownFields", "x-kubernetes-preserve-unknown-fields"),
    ("XEmbeddedResource", "x-kubernetes-embedded-resource"),
    ("XIntOrString", "x-kubernetes-int-or-string"),
    ("XListMapKeys", "x-kubernetes-list-map-keys"), ("XListType", "x-kubernetes-list-type"),
    ("XMapType", "x-kubernetes-map-type"), ("XValidations", "x-kubernetes-validations"),
)  # fmt: skip
_ROOT_ALLOWED = (
    "Description", "Type", "Format", "Title", "Maximum", "ExclusiveMaximum", "Minimum",
    "ExclusiveMinimum", "MaxLength", "MinLength", "Pattern", "MaxItems", "MinItems",
    "UniqueItems", "MultipleOf", "Required", "Items", "Properties", "ExternalDocs", "Example",
    "XPreserveUnknownFields", "XValidations",
)  # fmt: skip


def _child(path: str, name: str) -> str:
    return f"{path}.{name}"


def _key(path: str, key: object) -> str:
    return f"{path}[{key}]"


def _invalid_raw(path: str, rendered: str, detail: str) -> FieldError:
    """field.Invalid with a bad value already rendered as json.Marshal writes it."""
    return FieldError(path, fe.INVALID, f"Invalid value: {rendered}: {detail}")


_GO_BOOLS = frozenset(
    {"nullable", "exclusiveMaximum", "exclusiveMinimum", "uniqueItems"}
    | {"x-kubernetes-embedded-resource", "x-kubernetes-int-or-string"}
)


def _go_nonzero(key: str, value: Any) -> bool:
    """reflect's non-zero for a decoded field: `false` is zero only for a plain bool (not for
    additionalProperties or a *bool); empty lists and maps count (non-nil)."""
    if value is None or value == "":
        return False
    return value is not False or key not in _GO_BOOLS


# -- the version's schema ------------------------------------------------------------------


def validation_errors(
    schema: Schema, path: str, status_enabled: bool, *, cost_limits: bool = True
) -> list[FieldError]:
    """validateCustomResourceDefinitionValidation; `path` is the version's `.schema`.
    Without `cost_limits`, CEL rules are not held to the static cost limits."""
    root = _child(path, "openAPIV3Schema")
    errors: list[FieldError] = []
    if status_enabled:
        errors += _status_root_errors(schema, path)
    if schema.get("nullable") is True:
        errors.append(
            fe.forbidden(
                _child(path, "openAPIV3Schema.nullable"), "nullable cannot be true at the root"
            )
        )

    init_errors: list[FieldError] = []
    structural_ok = False
    if (problem := new_structural_error(schema)) is not None:
        init_errors.append(fe.invalid(root, "", problem))
    elif structural := validate_structural(root, schema):
        errors += structural
    elif defaults := default_errors(schema, root):
        errors += defaults
    else:
        structural_ok = True
    erring: set[str] = set()
    errors += _openapi(schema, root, _Ssv(), erring, is_root=True)
    if structural_ok:
        errors += _cel_errors(schema, root, cost_limits, erring)
    if not errors:
        errors += init_errors
    return errors


def _status_root_errors(schema: Schema, path: str) -> list[FieldError]:
    for go_name, key in _GO_FIELDS:
        value = schema.get(key)
        if not _go_nonzero(key, value):
            continue
        if go_name == "Type":
            if value != "object":
                return [
                    fe.invalid(
                        _child(path, "openAPIV3Schema.type"),
                        value,
                        'only "object" is allowed as the type at the root of the schema if the '
                        "status subresource is enabled",
                    )
                ]
            continue
        if go_name not in _ROOT_ALLOWED:
            return [
                _invalid_raw(
                    _child(path, "openAPIV3Schema"),
                    gointernal.schema_props(schema),
                    f"only [{' '.join(_ROOT_ALLOWED)}] fields are allowed at the root of the "
                    "schema if the status subresource is enabled",
                )
            ]
    return []


# -- ValidateCustomResourceDefinitionOpenAPISchema -----------------------------------------


@dataclass(frozen=True)
class _Ssv:
    """specStandardValidatorV3's state."""

    allow_defaults: bool = True
    disallow_reason: str = ""
    inside_resource_meta: bool = False

    def forbid_defaults(self, reason: str) -> _Ssv:
        return replace(self, allow_defaults=False, disallow_reason=reason)


def _ssv_errors(s: Schema, path: str, ssv: _Ssv) -> list[FieldError]:
    errors: list[FieldError] = []
    type_ = text(s, "type")
    if type_ and type_ not in _TYPES:
        errors.append(fe.not_supported(_child(path, "type"), type_, _TYPES))
    if s.get("default") is not None and not ssv.allow_defaults:
        detail = "must not be set" + (f" {ssv.disallow_reason}" if ssv.disallow_reason else "")
        errors.append(fe.forbidden(_child(path, "default"), detail))
    if text(s, "id"):
        errors.append(fe.forbidden(_child(path, "id"), "id is not supported"))
    if s.get("additionalItems") is not None:
        errors.append(
            fe.forbidden(_child(path, "additionalItems"), "additionalItems is not supported")
        )
    if s.get("patternProperties"):
        errors.append(
            fe.forbidden(_child(path, "patternProperties"), "patternProperties is not supported")
        )
    if s.get("definitions"):
        errors.append(fe.forbidden(_child(path, "definitions"), "definitions is not supported"))
    if s.get("dependencies") is not None:
        errors.append(fe.forbidden(_child(path, "dependencies"), "dependencies is not supported"))
    if s.get("$ref") is not None:
        errors.append(fe.forbidden(_child(path, "$ref"), "$ref is not supported"))
    if type_ == "null":
        errors.append(
            fe.forbidden(
                _child(path, "type"), "type cannot be set to null, use nullable as an alternative"
            )
        )
    if isinstance(s.get("items"), list) and s["items"]:
        errors.append(
            fe.forbidden(_child(path, "items"), "items must be a schema object and not an array")
        )
    if ssv.inside_resource_meta and s.get("x-kubernetes-embedded-resource") is True:
        errors.append(
            fe.forbidden(
                _child(path, "x-kubernetes-embedded-resource"),
                "must not be used inside of resource meta",
            )
        )
    return errors


def _openapi(
    s: Schema, path: str, ssv: _Ssv, erring: set[str], *, is_root: bool = False
) -> list[FieldError]:
    """The schema errors of this node and those below it; `erring` gathers the paths of the
    nodes that found errors of their own (a parent reports some at its items' fields)."""
    errors = _ssv_errors(s, path, ssv)
    if s.get("uniqueItems") is True:
        errors.append(
            fe.forbidden(
                _child(path, "uniqueItems"),
                "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
            )
        )
    additional = s.get("additionalProperties")
    if properties(s) and (additional is False or isinstance(additional, Mapping)):
        errors.append(
            fe.forbidden(
                _child(path, "additionalProperties"),
                "additionalProperties and properties are mutual exclusive",
            )
        )
    own = len(errors)
    if isinstance(additional, Mapping):
        sub = ssv
        if ssv.inside_resource_meta:
            sub = ssv.forbid_defaults("inside additionalProperties applying to object metadata")
        errors += _openapi(additional, _child(path, "additionalProperties"), sub, erring)
    embedded = s.get("x-kubernetes-embedded-resource") is True
    for name in sorted(properties(s)):
        sub = ssv
        if (is_root or embedded) and name in _META_FIELDS:
            sub = replace(sub, inside_resource_meta=True)
            if is_root:
                sub = sub.forbid_defaults(f"in top-level {name}")
        errors += _openapi(properties(s)[name], _key(_child(path, "properties"), name), sub, erring)
    not_ = child_schema(s, "not")
    if not_ is not None:
        errors += _openapi(not_, _child(path, "not"), ssv, erring)
    for junctor in ("allOf", "oneOf", "anyOf"):
        for i, clause in enumerate(clauses(s, junctor)):
            errors += _openapi(clause, _key(_child(path, junctor), i), ssv, erring)
    definitions = s.get("definitions")
    if isinstance(definitions, Mapping):
        for name in sorted(definitions):
            if isinstance(definitions[name], Mapping):
                errors += _openapi(
                    definitions[name], _key(_child(path, "definitions"), name), ssv, erring
                )
    items = s.get("items")
    if isinstance(items, Mapping):
        errors += _openapi(items, _child(path, "items"), ssv, erring)
    elif isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                errors += _openapi(item, _key(_child(path, "items"), i), ssv, erring)
    dependencies = s.get("dependencies")
    if isinstance(dependencies, Mapping):
        for name in sorted(dependencies):
            if isinstance(dependencies[name], Mapping):
                errors += _openapi(
                    dependencies[name], _key(_child(path, "dependencies"), name), ssv, erring
                )
    later = _extension_errors(s, path) + _map_list_keys_errors(s, path) + _rule_errors(s, path)
    if own or later:
        erring.add(path)
    return errors + later


def _extension_errors(s: Schema, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    type_ = text(s, "type")
    if s.get("x-kubernetes-preserve-unknown-fields") is False:
        errors.append(
            fe.invalid(
                _child(path, "x-kubernetes-preserve-unknown-fields"),
                False,
                "must be true or undefined",
            )
        )
    map_type = s.get("x-kubernetes-map-type")
    if map_type is not None and type_ != "object":
        detail = "must be object if x-kubernetes-map-type is specified"
        errors.append(
            fe.required(_child(path, "type"), detail)
            if not type_
            else fe.invalid(_child(path, "type"), type_, detail)
        )
    if map_type is not None and map_type not in ("atomic", "granular"):
        errors.append(
            fe.not_supported(
                _child(path, "x-kubernetes-map-type"), map_type, ("atomic", "granular")
            )
        )
    list_type = s.get("x-kubernetes-list-type")
    items = child_schema(s, "items")
    if list_type is not None and type_ != "array":
        detail = "must be array if x-kubernetes-list-type is specified"
        errors.append(
            fe.required(_child(path, "type"), detail)
            if not type_
            else fe.invalid(_child(path, "type"), type_, detail)
        )
    elif list_type == "set" and items is not None:
        detail = "must be atomic as item of a list with x-kubernetes-list-type=set"
        item_list_type = items.get("x-kubernetes-list-type")
        if text(items, "type") == "array" and item_list_type not in (None, "atomic"):
            errors.append(
                _invalid_raw(
                    _child(path, "items.x-kubernetes-list-type"), go_json(item_list_type), detail
                )
            )
        elif text(items, "type") == "object" and items.get("x-kubernetes-map-type") != "atomic":
            # validation.go reports the items' list type here, not their map type
            errors.append(
                _invalid_raw(
                    _child(path, "items.x-kubernetes-map-type"), go_json(item_list_type), detail
                )
            )
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        errors.append(
            fe.not_supported(
                _child(path, "x-kubernetes-list-type"), list_type, ("atomic", "set", "map")
            )
        )
    keys = s.get("x-kubernetes-list-map-keys")
    keys = keys if isinstance(keys, list) else []
    if keys:
        detail = "must be map if x-kubernetes-list-map-keys is non-empty"
        if list_type is None:
            errors.append(fe.required(_child(path, "x-kubernetes-list-type"), detail))
        elif list_type != "map":
            errors.append(fe.invalid(_child(path, "x-kubernetes-list-type"), list_type, detail))
    if list_type == "map":
        errors += _list_map_errors(s, path, keys)
    return errors


def _list_map_errors(s: Schema, path: str, keys: list[Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if not keys:
        errors.append(
            fe.required(
                _child(path, "x-kubernetes-list-map-keys"),
                "must not be empty if x-kubernetes-list-type is map",
            )
        )
    raw_items = s.get("items")
    if raw_items is None:
        errors.append(
            fe.required(
                _child(path, "items"), "must have a schema if x-kubernetes-list-type is map"
            )
        )
    elif isinstance(raw_items, list):
        rendered = f'{{"Schema":null,"JSONSchemas":{gointernal.schema_list(raw_items)}}}'
        errors.append(
            _invalid_raw(
                _child(path, "items"),
                rendered,
                "must only have a single schema if x-kubernetes-list-type is map",
            )
        )
    items = child_schema(s, "items")
    if items is None:
        return errors
    item_type = text(items, "type")
    if item_type != "object":
        errors.append(
            fe.invalid(
                _child(path, "items.type"),
                item_type,
                "must be object if parent array's x-kubernetes-list-type is map",
            )
        )
        return errors
    seen: set[Any] = set()
    item_props = properties(items)
    for k in keys:
        if not isinstance(k, str):
            continue
        if k in item_props:
            if text(item_props[k], "type") in ("array", "object"):
                # validation.go reports the items' type ("object") as the bad value
                errors.append(
                    fe.invalid(
                        _child(_key(_child(path, "items.properties"), k), "type"),
                        item_type,
                        "must be a scalar type if parent array's x-kubernetes-list-type is map",
                    )
                )
        else:
            errors.append(
                _invalid_raw(
                    _child(path, "x-kubernetes-list-map-keys"),
                    go_json(keys),
                    "entries must all be names of item properties",
                )
            )
        if k in seen:
            errors.append(
                _invalid_raw(
                    _child(path, "x-kubernetes-list-map-keys"),
                    go_json(keys),
                    "must not contain duplicate entries",
                )
            )
        seen.add(k)
    return errors


def _map_list_keys_errors(s: Schema, path: str) -> list[FieldError]:
    """validateMapListKeysMapSet."""
    items = child_schema(s, "items")
    list_type = s.get("x-kubernetes-list-type")
    if items is None or list_type not in ("set", "map"):
        return []
    errors: list[FieldError] = []
    if items.get("nullable") is True:
        errors.append(
            fe.forbidden(
                _child(path, "items.nullable"),
                f"cannot be nullable when x-kubernetes-list-type is {list_type}",
            )
        )
    if list_type == "map":
        required = items.get("required")
        required = set(required) if isinstance(required, list) else set()
        keys = s.get("x-kubernetes-list-map-keys")
        for k in keys if isinstance(keys, list) else []:
            prop = properties(items).get(k) if isinstance(k, str) else None
            if prop is None:
                continue
            base = _key(_child(path, "items.properties"), k)
            if k not in required and prop.get("default") is None:
                errors.append(
                    fe.required(
                        _child(base, "default"),
                        "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
                    )
                )
            if prop.get("nullable") is True:
                errors.append(
                    fe.forbidden(
                        _child(base, "nullable"),
                        "this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
                    )
                )
    return errors


def _rule_errors(s: Schema, path: str) -> list[FieldError]:
    """The static checks of x-kubernetes-validations (CEL compilation is _cel_errors')."""
    rules = s.get("x-kubernetes-validations")
    if not isinstance(rules, list):
        return []
    errors: list[FieldError] = []
    for i, rule in enumerate(rules):
        if isinstance(rule, Mapping):
            p = _key(_child(path, "x-kubernetes-validations"), i)
            errors += cel.rule_field_errors(s, rule, p)
    return errors


# -- defaults (defaulting/validation.go) ---------------------------------------------------


def default_errors(schema: Schema, path: str) -> list[FieldError]:
    """ValidateDefaults: each default, pruned by its schema, must be unchanged (no unknown
    fields) and valid against that schema. Not below additionalProperties, as in Go."""
    return _defaults(schema, path, embedded_root=True, inside_meta=False)


def _defaults(s: Schema, path: str, *, embedded_root: bool, inside_meta: bool) -> list[FieldError]:
    embedded = embedded_root or s.get("x-kubernetes-embedded-resource") is True
    if embedded:
        inside_meta = False
    errors: list[FieldError] = []
    default = s.get("default")
    if default is not None and not inside_meta:
        pruned = copy.deepcopy(default)
        prune(pruned, s, resource_root=embedded)
        if pruned != default:
            errors.append(
                fe.invalid(_child(path, "default"), default, "must not have unknown fields")
            )
        else:
            # ValidateCustomResource(pth.Child("default"), default, validator)
            invalid = Validator(s).validate(default, _child(path, "default"))
            errors += invalid or _default_rule_errors(s, default, path, embedded)
    items = child_schema(s, "items")
    if items is not None:
        errors += _defaults(
            items, _child(path, "items"), embedded_root=False, inside_meta=inside_meta
        )
    for name in sorted(properties(s)):
        sub_meta = inside_meta or (embedded and name in _META_FIELDS)
        errors += _defaults(
            properties(s)[name],
            _key(_child(path, "properties"), name),
            embedded_root=False,
            inside_meta=sub_meta,
        )
    return errors


def _default_rule_errors(
    s: Schema, default: Any, path: str, resource_root: bool
) -> list[FieldError]:
    """The CEL rules at and below `s` on its default, as defaulting.validate runs them: with
    the default as its own old value, and if that passes, as a value new to the object."""
    rules = cel.compile_rules(s, resource_root=resource_root)
    at = _child(path, "default")
    errors = rules.validate(default, default, path=at, ratchet=False)
    return errors or rules.validate(default, None, path=at, ratchet=False)


def _cel_errors(schema: Schema, root: str, cost_limits: bool, dirty: set[str]) -> list[FieldError]:
    """CEL compile and static cost errors of the rules of every node with no schema error at
    or below it (`dirty`: the nodes that found errors of their own), as a CRD write reports
    them."""
    return list(cel.compile_rules(schema, root, static_cost=cost_limits, dirty=dirty).errors)
