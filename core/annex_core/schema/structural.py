"""Structural schemas: apiextensions-apiserver's NewStructural and ValidateStructural
(pkg/apiserver/schema/convert.go, validation.go, complete.go) over a schema as written.

The schema is the raw openAPIV3Schema mapping. Go reads it into JSONSchemaProps first, so a
keyword "is set" as Go sees a non-zero field: a non-empty string, `true`, a non-null number,
object or list (`nullable: false` or `description: ""` are unset). Well-typed keywords are
assumed (annex_core.schema.definition checks the shapes first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from annex_core.apidef import FieldError
from annex_core.schema import fielderrors as fe

Schema = Mapping[str, Any]

ROOT, ITEM, FIELD = "root", "item", "field"  # schema/validation.go's levels

# Keywords whose presence makes NewStructural fail, in validateUnsupportedFields' order.
_UNSUPPORTED = (
    ("id", "id"),
    ("$schema", "schema"),
    ("$ref", "$ref"),
    ("patternProperties", "patternProperties"),
    ("dependencies", "dependencies"),
    ("additionalItems", "additionalItems"),
    ("definitions", "definitions"),
)


def is_set(schema: Schema, key: str) -> bool:
    """Whether Go's JSONSchemaProps field for `key` is non-zero."""
    value = schema.get(key)
    if value is None or value is False or value == "":
        return False
    return not (isinstance(value, (list, dict)) and not value and key in _NIL_WHEN_EMPTY)


# Collections NewStructural rebuilds only when non-empty (enum, junctors, properties).
_NIL_WHEN_EMPTY = frozenset({"enum", "allOf", "anyOf", "oneOf", "properties"})


def text(schema: Schema, key: str) -> str:
    value = schema.get(key)
    return value if isinstance(value, str) else ""


def child_schema(schema: Schema, key: str) -> Schema | None:
    value = schema.get(key)
    return value if isinstance(value, Mapping) else None


def properties(schema: Schema) -> Mapping[str, Schema]:
    value = schema.get("properties")
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, Mapping)}


def clauses(schema: Schema, key: str) -> list[Schema]:
    value = schema.get(key)
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _key(path: str, key: object) -> str:
    return f"{path}[{key}]"


# -- NewStructural -------------------------------------------------------------------------


def new_structural_error(schema: Schema) -> str | None:
    """The error NewStructural returns for `schema`, or None (convert.go).

    Go visits properties in map order; a schema with several such errors gets one of them,
    here the first in sorted key order.
    """
    for key, name in _UNSUPPORTED:
        if key == "$ref":
            if text(schema, key):
                return f"OpenAPIV3Schema '{name}' is not supported"
        elif key == "additionalItems":
            if schema.get(key) is not None:
                return f"OpenAPIV3Schema '{name}' is not supported"
        elif is_set(schema, key) and not (
            isinstance(schema[key], (list, dict)) and not schema[key]
        ):
            return f"OpenAPIV3Schema '{name}' is not supported"
    # newValueValidation: not, allOf, anyOf, oneOf
    nested = [child_schema(schema, "not")]
    nested += [*clauses(schema, "allOf"), *clauses(schema, "anyOf"), *clauses(schema, "oneOf")]
    for sub in nested:
        if sub is not None and (error := new_structural_error(sub)) is not None:
            return error
    if schema.get("x-kubernetes-preserve-unknown-fields") is False:
        return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined"
    items = schema.get("items")
    if isinstance(items, list):
        return "OpenAPIV3Schema 'items' must be a schema, but is an array"
    subs: list[Schema] = [items] if isinstance(items, Mapping) else []
    subs += [properties(schema)[k] for k in sorted(properties(schema))]
    additional = child_schema(schema, "additionalProperties")
    subs += [additional] if additional is not None else []
    for sub in subs:
        if (error := new_structural_error(sub)) is not None:
            return error
    return None


# -- ValidateStructural --------------------------------------------------------------------


def validate_structural(path: str, schema: Schema) -> list[FieldError]:
    """ValidateStructural: the invariants and completeness of a structural schema, sorted by
    their `field: message` text as Go sorts them. `schema` must pass new_structural_error."""
    errors = _invariants(schema, ROOT, path)
    errors += _value_completeness(schema, schema, path, path)
    errors.sort(key=str)
    return errors


def _is_type_only(clause: Schema, type_: str) -> bool:
    return text(clause, "type") == type_ and not any(
        is_set(clause, k) for k in clause if k != "type"
    )


def _int_or_string_any_of(schema: Schema) -> bool:
    any_of = clauses(schema, "anyOf")
    return (
        len(any_of) == 2
        and _is_type_only(any_of[0], "integer")
        and _is_type_only(any_of[1], "string")
    )


def _int_or_string_all_of(schema: Schema) -> bool:
    all_of = clauses(schema, "allOf")
    return len(all_of) >= 1 and _int_or_string_any_of({"anyOf": all_of[0].get("anyOf")})


def _has_additional(schema: Schema) -> bool:
    """Structural.AdditionalProperties is non-nil: true, false or a schema."""
    return isinstance(schema.get("additionalProperties"), (bool, Mapping))


def _invariants(s: Schema, lvl: str, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    type_ = text(s, "type")
    items = child_schema(s, "items")
    if type_ == "array" and items is None:
        errors.append(fe.required(_child(path, "items"), "must be specified"))
    if items is not None:
        errors += _invariants(items, ITEM, _child(path, "items"))
    for k, v in properties(s).items():
        errors += _invariants(v, FIELD, _key(_child(path, "properties"), k))
    if _has_additional(s):
        if lvl == ROOT:
            errors.append(
                fe.forbidden(_child(path, "additionalProperties"), "must not be used at the root")
            )
        additional = child_schema(s, "additionalProperties")
        if additional is not None:
            errors += _invariants(additional, FIELD, _child(path, "additionalProperties"))

    int_or_string = s.get("x-kubernetes-int-or-string") is True
    preserve = s.get("x-kubernetes-preserve-unknown-fields") is True
    embedded = s.get("x-kubernetes-embedded-resource") is True
    if int_or_string and preserve:
        errors.append(
            fe.invalid(
                _child(path, "x-kubernetes-preserve-unknown-fields"),
                True,
                "must be false if x-kubernetes-int-or-string is true",
            )
        )
    if int_or_string and embedded:
        errors.append(
            fe.invalid(
                _child(path, "x-kubernetes-embedded-resource"),
                True,
                "must be false if x-kubernetes-int-or-string is true",
            )
        )
    errors += _value_validation(s, _int_or_string_any_of(s), _int_or_string_all_of(s), lvl, path)

    check_metadata = lvl == ROOT or embedded
    if embedded and type_ != "object":
        detail = "must be object if x-kubernetes-embedded-resource is true"
        if not type_:
            errors.append(fe.required(_child(path, "type"), detail))
        else:
            errors.append(fe.invalid(_child(path, "type"), type_, detail))
    elif not type_ and not int_or_string and not preserve:
        detail = {
            ROOT: "must not be empty at the root",
            ITEM: "must not be empty for specified array items",
            FIELD: "must not be empty for specified object fields",
        }[lvl]
        errors.append(fe.required(_child(path, "type"), detail))
    if embedded and _has_additional(s):
        errors.append(
            fe.forbidden(
                _child(path, "additionalProperties"),
                "must not be used if x-kubernetes-embedded-resource is set",
            )
        )
    if lvl == ROOT and type_ and type_ != "object":
        errors.append(fe.invalid(_child(path, "type"), type_, "must be object at the root"))

    props = properties(s)
    for name in ("kind", "apiVersion"):
        if name in props and check_metadata and text(props[name], "type") != "string":
            errors.append(
                fe.invalid(
                    _child(_key(_child(path, "properties"), name), "type"),
                    text(props[name], "type"),
                    "must be string",
                )
            )
    if "metadata" in props:
        errors += _metadata_invariants(
            props["metadata"], check_metadata, lvl, _key(_child(path, "properties"), "metadata")
        )
    if embedded and not preserve and not props:
        errors.append(
            fe.required(
                _child(path, "properties"),
                "must not be empty if x-kubernetes-embedded-resource is true without "
                "x-kubernetes-preserve-unknown-fields",
            )
        )
    return errors


# What a root `metadata` schema may hold besides name/generateName properties: validation.go
# clears type and default, then compares with an empty Structural.
_METADATA_CLEARED = frozenset({"type", "default", "properties"})


def _metadata_invariants(s: Schema, check: bool, lvl: str, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    type_ = text(s, "type")
    if check and type_ != "object":
        errors.append(fe.invalid(_child(path, "type"), type_, "must be object"))
    if lvl == ROOT:
        names = set(properties(s))
        only_names = bool(names) and names <= {"name", "generateName"}
        other = any(is_set(s, k) for k in s if k not in _METADATA_CLEARED)
        has_other_props = bool(properties(s)) and not only_names
        if other or has_other_props:
            errors.append(
                fe.forbidden(
                    path,
                    "must not specify anything other than name and generateName, but metadata "
                    "is implicitly specified",
                )
            )
    return errors


def _value_validation(
    s: Schema, skip_any_of: bool, skip_first_all_of_any_of: bool, lvl: str, path: str
) -> list[FieldError]:
    errors: list[FieldError] = []
    if not skip_any_of:
        for i, clause in enumerate(clauses(s, "anyOf")):
            errors += _nested(clause, False, lvl, _key(_child(path, "anyOf"), i))
    for i, clause in enumerate(clauses(s, "allOf")):
        skip = skip_first_all_of_any_of and i == 0
        errors += _nested(clause, skip, lvl, _key(_child(path, "allOf"), i))
    for i, clause in enumerate(clauses(s, "oneOf")):
        errors += _nested(clause, False, lvl, _key(_child(path, "oneOf"), i))
    not_ = child_schema(s, "not")
    if not_ is not None:
        errors += _nested(not_, False, lvl, _child(path, "not"))
    pattern = text(s, "pattern")
    if pattern and (problem := go_regexp_error(pattern)) is not None:
        errors.append(
            fe.invalid(
                _child(path, "pattern"),
                pattern,
                f"must be a valid regular expression, but isn't: {problem}",
            )
        )
    return errors


_NESTED_FORBIDDEN = (
    ("type", "must be empty to be structural"),
    ("additionalProperties", "must be undefined to be structural"),
    ("default", "must be undefined to be structural"),
    ("title", "must be empty to be structural"),
    ("description", "must be empty to be structural"),
    ("nullable", "must be false to be structural"),
    ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
    ("x-kubernetes-embedded-resource", "must be false to be structural"),
    ("x-kubernetes-int-or-string", "must be false to be structural"),
    ("x-kubernetes-list-map-keys", "must be empty to be structural"),
    ("x-kubernetes-list-type", "must be undefined to be structural"),
    ("x-kubernetes-map-type", "must be undefined to be structural"),
    ("x-kubernetes-validations", "must be empty to be structural"),
)


def _nested(v: Schema, skip_any_of: bool, lvl: str, path: str) -> list[FieldError]:
    """validateNestedValueValidation: what a junctor clause may not say."""
    errors = _value_validation(v, skip_any_of, False, lvl, path)
    items = child_schema(v, "items")
    if items is not None:
        errors += _nested(items, False, lvl, _child(path, "items"))
    for k, sub in properties(v).items():
        errors += _nested(sub, False, FIELD, _key(_child(path, "properties"), k))
    for key, detail in _NESTED_FORBIDDEN:
        if key == "additionalProperties":
            present = v.get(key) is True or isinstance(v.get(key), Mapping)
        elif key in ("x-kubernetes-list-map-keys", "x-kubernetes-validations"):
            present = bool(v.get(key))
        elif key in ("x-kubernetes-list-type", "x-kubernetes-map-type"):
            present = v.get(key) is not None
        else:
            present = is_set(v, key)
        if present:
            errors.append(fe.forbidden(_child(path, key), detail))
    if "metadata" in properties(v):
        errors.append(
            fe.forbidden(
                _key(_child(path, "properties"), "metadata"),
                "must not be specified in a nested context",
            )
        )
    return errors


# -- completeness (complete.go) ------------------------------------------------------------


def _value_completeness(v: Schema, s: Schema | None, s_path: str, v_path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    not_ = child_schema(v, "not")
    if not_ is not None:
        errors += _nested_completeness(not_, s, s_path, _child(v_path, "not"))
    for junctor in ("allOf", "anyOf", "oneOf"):
        for i, clause in enumerate(clauses(v, junctor)):
            errors += _nested_completeness(clause, s, s_path, _key(_child(v_path, junctor), i))
    return errors


def _nested_completeness(v: Schema, s: Schema | None, s_path: str, v_path: str) -> list[FieldError]:
    if s is None:
        return [fe.required(s_path, f"because it is defined in {v_path}")]
    errors = _value_completeness(v, s, s_path, v_path)
    items = child_schema(v, "items")
    if items is not None:
        errors += _nested_completeness(
            items, child_schema(s, "items"), _child(s_path, "items"), _child(v_path, "items")
        )
    s_props = properties(s)
    for k, sub in properties(v).items():
        s_key = _key(_child(s_path, "properties"), k)
        v_key = _key(_child(v_path, "properties"), k)
        if k not in s_props:
            errors.append(fe.required(s_key, f"because it is defined in {v_key}"))
        else:
            errors += _nested_completeness(sub, s_props[k], s_key, v_key)
    return errors


# -- Go's regexp syntax --------------------------------------------------------------------

# Python's re messages for what RE2 also refuses, as Go's regexp/syntax words them.
_RE_ERRORS = (
    ("missing ), unterminated subpattern", "missing closing )"),
    ("unbalanced parenthesis", "unexpected )"),
    ("unterminated character set", "missing closing ]"),
    ("nothing to repeat", "missing argument to repetition operator"),
    ("multiple repeat", "invalid nested repetition operator"),
)


def go_regexp_error(pattern: str) -> str | None:
    """regexp.Compile's error for the commonest mistakes, or None.

    RE2 and Python's `re` differ (RE2 has \\pL, no lookaround or backreferences): a pattern
    Python refuses for a reason not listed here is not reported; the OpenAPI validator
    reports at request time what it cannot compile.
    """
    try:
        re.compile(pattern)
    except re.error as e:
        for python, go in _RE_ERRORS:
            if e.msg.startswith(python):
                return f"error parsing regexp: {go}: `{_go_error_arg(pattern, go, e)}`"
        return None
    if re.search(r"\(\?[=!<]", pattern):
        return f"error parsing regexp: invalid or unsupported Perl syntax: `{_perl(pattern)}`"
    return None


def _perl(pattern: str) -> str:
    start = re.search(r"\(\?[=!<]", pattern)
    assert start is not None
    return pattern[start.start() : start.start() + 3]


def _go_error_arg(pattern: str, go: str, e: re.error) -> str:
    """The text Go quotes after the message: the whole pattern for unbalanced parentheses,
    the bracket expression onwards for `]`, the operator for repetitions."""
    if go == "missing closing ]":
        return pattern[pattern.rfind("[") :]
    if go in ("missing argument to repetition operator", "invalid nested repetition operator"):
        pos = e.pos if e.pos is not None else 0
        end = pos + 1
        if end < len(pattern) and pattern[end] in "?+":
            end += 1
        return pattern[pos:end] if go.startswith("missing") else pattern[pos - 1 : end]
    return pattern
