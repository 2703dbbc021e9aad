"""A version's schema checked as apiextensions-apiserver checks a CRD's (structural rules,
forbidden keywords, x-kubernetes-* rules, defaults, the status root allow-list): every case's
errors are exactly the ones the Go code gives (tests/unit/core/crd_schema_cases.py,
cel_schema_error_cases.py)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core import apidef
from annex_core.apidef import FieldError
from annex_core.schema import definition
from annex_core.schema.structural import go_regexp_error, new_structural_error, validate_structural
from tests.unit.core.cel_default_rule_cases import CASES as DEFAULT_RULE_CASES
from tests.unit.core.cel_rule_field_cases import CASES as RULE_FIELD_CASES
from tests.unit.core.cel_schema_error_cases import CASES as MIXED_CASES
from tests.unit.core.crd_schema_cases import CASES

VERSIONS = "spec.resources[0].versions"
ROOT = f"{VERSIONS}[0].schema.openAPIV3Schema"
# A second version with another schema: the Go code hoists identical schemas to spec.validation.
OTHER = {
    "name": "v2",
    "served": False,
    "storage": False,
    "schema": {"openAPIV3Schema": {"type": "object", "properties": {"zz": {"type": "string"}}}},
}


def version(schema: dict[str, Any], subresources: dict[str, Any] | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = {"name": "v1", "served": True, "storage": True}
    raw["schema"] = {"openAPIV3Schema": schema}
    if subresources is not None:
        raw["subresources"] = subresources
    return raw


@pytest.mark.parametrize(("schema", "subresources", "expected"), CASES)
def test_schema_errors_are_a_crds(
    schema: dict[str, Any], subresources: dict[str, Any] | None, expected: list[tuple[str, ...]]
) -> None:
    errors = definition.versions_errors([version(schema, subresources), OTHER], VERSIONS)
    assert sorted((e.field, e.reason, e.message) for e in errors) == sorted(expected)


@pytest.mark.parametrize(("schema", "expected"), MIXED_CASES)
def test_rules_at_or_above_a_schema_error_are_left_out_as_a_crds(
    schema: dict[str, Any], expected: list[tuple[str, ...]]
) -> None:
    """The CEL rules of a node are compiled only if no schema error lies at or below it: rules
    beside a schema error still report theirs (tests/unit/core/cel_schema_error_cases.py)."""
    errors = definition.versions_errors([version(schema), OTHER], VERSIONS)
    assert [(e.field, e.reason, e.message) for e in errors] == expected


@pytest.mark.parametrize(("schema", "expected"), RULE_FIELD_CASES)
def test_rule_fields_are_checked_as_a_crds(
    schema: dict[str, Any], expected: list[tuple[str, ...]]
) -> None:
    """fieldPath (against the node's schema), message, reason and messageExpression of a rule,
    beside a schema error too (tests/unit/core/cel_rule_field_cases.py)."""
    errors = definition.versions_errors([version(schema), OTHER], VERSIONS)
    assert [(e.field, e.reason, e.message) for e in errors] == expected


@pytest.mark.parametrize(("schema", "expected"), DEFAULT_RULE_CASES)
def test_defaults_meet_the_rules_and_overloads_print_as_a_crds(
    schema: dict[str, Any], expected: list[tuple[str, ...]]
) -> None:
    """A default is checked against the CEL rules at and below its node; an unmatched member
    call prints as cel-go prints it (tests/unit/core/cel_default_rule_cases.py)."""
    errors = definition.versions_errors([version(schema), OTHER], VERSIONS)
    assert [(e.field, e.reason, e.message) for e in errors] == expected


def test_a_valid_schema_has_no_errors() -> None:
    schema = {
        "type": "object",
        "properties": {
            "metadata": {"type": "object", "properties": {"name": {"type": "string"}}},
            "spec": {
                "type": "object",
                "properties": {
                    "port": {
                        "x-kubernetes-int-or-string": True,
                        "anyOf": [{"type": "integer"}, {"type": "string"}],
                    },
                    "items": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}},
                        },
                    },
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "size": {"type": "integer", "default": 3},
                },
            },
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
    }
    assert definition.versions_errors([version(schema, {"status": {}})], VERSIONS) == []


def test_structural_errors_are_sorted_as_go_sorts_them() -> None:
    schema = {"properties": {"b": {}, "a": {"type": "array"}}}
    errors = validate_structural(ROOT, schema)
    assert [str(e) for e in errors] == [
        f"{ROOT}.properties[a].items: Required value: must be specified",
        f"{ROOT}.properties[b].type: Required value: must not be empty for specified object fields",
        f"{ROOT}.type: Required value: must not be empty at the root",
    ]


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"$schema": "x"}, "OpenAPIV3Schema 'schema' is not supported"),
        (
            {"properties": {"a": {"items": [{}]}}},
            "OpenAPIV3Schema 'items' must be a schema, but is an array",
        ),
        (
            {"anyOf": [{"x-kubernetes-preserve-unknown-fields": False}]},
            "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined",
        ),
        ({"type": "object"}, None),
    ],
)
def test_new_structural_errors(schema: dict[str, Any], message: str | None) -> None:
    assert new_structural_error(schema) == message


def test_a_new_structural_error_shows_only_without_other_errors() -> None:
    """`$schema` is not one of the forbidden keywords: only NewStructural refuses it."""
    schema = {"type": "object", "$schema": "http://json-schema.org/draft-04/schema#"}
    assert definition.versions_errors([version(schema)], VERSIONS) == [
        FieldError(
            ROOT,
            "FieldValueInvalid",
            "Invalid value: \"\": OpenAPIV3Schema 'schema' is not supported",
        )
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(abc", "error parsing regexp: missing closing ): `(abc`"),
        ("abc)", "error parsing regexp: unexpected ): `abc)`"),
        ("[a-z", "error parsing regexp: missing closing ]: `[a-z`"),
        ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
        ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
        ("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("^[a-z]+$", None),
    ],
)
def test_go_regexp_errors(pattern: str, message: str | None) -> None:
    assert go_regexp_error(pattern) == message


def test_a_non_structural_definition_is_refused_by_parse() -> None:
    raw = {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "widgets.example.com",
            "resources": [
                {
                    "names": {"plural": "widgets", "kind": "Widget"},
                    "versions": [version({"type": "object", "properties": {"spec": {}}})],
                }
            ],
        },
    }
    with pytest.raises(apidef.DefinitionError) as caught:
        apidef.parse(raw)
    assert caught.value.errors == (
        FieldError(
            f"{ROOT}.properties[spec].type",
            "FieldValueRequired",
            "Required value: must not be empty for specified object fields",
        ),
    )
