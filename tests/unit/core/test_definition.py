"""A CRD's spec checks on an ApiDefinition resource (annex_core.schema.definition): each
expected error is what apiextensions-apiserver v0.37.2's ValidateCustomResourceDefinition
gives the same CRD, with spec.names / spec.versions moved under spec.resources[0]."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core.apidef import FieldError
from annex_core.schema import definition

NAMES = "spec.resources[0].names"
VERSIONS = "spec.resources[0].versions"
DNS1035 = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
MIXED = "may have mixed case, but should otherwise match: "


def test_every_name_checked_as_a_crds() -> None:
    names = {
        "plural": "Widgets",
        "kind": "9W",
        "listKind": "9W",
        "shortNames": ["A", "ok"],
        "categories": ["b_", "all"],
    }
    assert definition.names_errors(names, NAMES) == [
        FieldError(f"{NAMES}.plural", "FieldValueInvalid", f'Invalid value: "Widgets": {DNS1035}'),
        FieldError(f"{NAMES}.singular", "FieldValueInvalid", f'Invalid value: "9w": {DNS1035}'),
        FieldError(f"{NAMES}.kind", "FieldValueInvalid", f'Invalid value: "9W": {MIXED}{DNS1035}'),
        FieldError(
            f"{NAMES}.listKind", "FieldValueInvalid", f'Invalid value: "9W": {MIXED}{DNS1035}'
        ),
        FieldError(f"{NAMES}.shortNames[0]", "FieldValueInvalid", f'Invalid value: "A": {DNS1035}'),
        FieldError(
            f"{NAMES}.listKind",
            "FieldValueInvalid",
            'Invalid value: "9W": kind and listKind may not be the same',
        ),
        FieldError(
            f"{NAMES}.categories[0]", "FieldValueInvalid", f'Invalid value: "b_": {DNS1035}'
        ),
    ]


def test_a_long_singular_is_too_long() -> None:
    (error,) = definition.names_errors(
        {"plural": "widgets", "kind": "Widget", "singular": "w" * 64}, NAMES
    )
    assert error.message == f'Invalid value: "{"w" * 64}": must be no more than 63 characters'


def test_without_a_kind_singular_and_list_kind_are_required() -> None:
    assert definition.names_errors({"plural": "widgets", "kind": ""}, NAMES) == [
        FieldError(f"{NAMES}.singular", "FieldValueRequired", "Required value"),
        FieldError(f"{NAMES}.listKind", "FieldValueRequired", "Required value"),
    ]


def test_valid_names() -> None:
    names = {"plural": "fish", "kind": "Fish", "shortNames": ["f"], "categories": ["all"]}
    assert definition.names_errors(names, NAMES) == []


def version(**overrides: Any) -> dict[str, Any]:
    return {"name": "v1", "served": True, "storage": True, **overrides}


def test_exactly_one_storage_version_with_the_versions_as_go_renders_them() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "number", "default": 1}}}
    versions = [
        version(schema={"openAPIV3Schema": schema}, subresources={"status": {}}),
        version(name="v2", served=False, additionalPrinterColumns=[]),
    ]
    (error,) = definition.versions_errors(versions, VERSIONS)
    props = (
        '"Nullable":false,"Format":"","Title":"","Default":DEFAULT,"Maximum":null,'
        '"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,'
        '"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,'
        '"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,'
        '"Required":null,"Items":null,"AllOf":null,"OneOf":null,"AnyOf":null,"Not":null,'
        '"Properties":PROPS,"AdditionalProperties":null,"PatternProperties":null,'
        '"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,'
        '"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,'
        '"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,'
        '"XValidations":null}'
    )
    n = '{"ID":"","Schema":"","Ref":null,"Description":"","Type":"number",' + props.replace(
        "DEFAULT", "1"
    ).replace("PROPS", "null")
    root = '{"ID":"","Schema":"","Ref":null,"Description":"","Type":"object",' + props.replace(
        "DEFAULT", "null"
    ).replace("PROPS", '{"n":' + n + "}")
    assert error == FieldError(
        VERSIONS,
        "FieldValueInvalid",
        'Invalid value: [{"Name":"v1","Served":true,"Storage":true,"Deprecated":false,'
        '"DeprecationWarning":null,"Schema":{"OpenAPIV3Schema":' + root + "},"
        '"Subresources":{"Status":{},"Scale":null},"AdditionalPrinterColumns":null,'
        '"SelectableFields":null},'
        '{"Name":"v2","Served":false,"Storage":true,"Deprecated":false,'
        '"DeprecationWarning":null,"Schema":null,"Subresources":null,'
        '"AdditionalPrinterColumns":[],"SelectableFields":null}]'
        ": must have exactly one version marked as storage version",
    )


@pytest.mark.parametrize(
    ("deprecated", "warning", "detail"),
    [
        (False, "x", "can only be set for deprecated versions"),
        (True, "", "must not be an empty string"),
        (True, "x" * 257, "must be <= 256 characters long"),
        (
            True,
            "é\u00a0b",
            "must only contain printable UTF-8 characters; non-printable character found at index 2",
        ),
    ],
)
def test_deprecation_warnings(deprecated: bool, warning: str, detail: str) -> None:
    (error,) = definition.version_errors(
        version(deprecated=deprecated, deprecationWarning=warning), f"{VERSIONS}[0]"
    )
    assert (error.field, error.reason) == (f"{VERSIONS}[0].deprecationWarning", "FieldValueInvalid")
    assert error.message.endswith(f": {detail}")


def test_scale_paths() -> None:
    scale = {"specReplicasPath": ".status.r", "statusReplicasPath": "", "labelSelectorPath": ".x"}
    path = f"{VERSIONS}[0].subresources.scale"
    assert definition.version_errors(version(subresources={"scale": scale}), f"{VERSIONS}[0]") == [
        FieldError(
            f"{path}.specReplicasPath",
            "FieldValueInvalid",
            'Invalid value: ".status.r": should be a json path under .spec',
        ),
        FieldError(f"{path}.statusReplicasPath", "FieldValueRequired", "Required value"),
        FieldError(
            f"{path}.labelSelectorPath",
            "FieldValueInvalid",
            'Invalid value: ".x": should be a json path under either .spec or .status',
        ),
    ]


def test_printer_columns() -> None:
    columns = [
        {"name": "a", "type": "object", "jsonPath": ".a"},
        {"name": "b", "type": "string"},
        {"name": "c", "type": "string", "jsonPath": "a", "format": "x"},
    ]
    path = f"{VERSIONS}[0].additionalPrinterColumns"
    errors = definition.version_errors(version(additionalPrinterColumns=columns), f"{VERSIONS}[0]")
    assert errors == [
        FieldError(
            f"{path}[0].type",
            "FieldValueInvalid",
            'Invalid value: "object": must be one of boolean,date,integer,number,string',
        ),
        FieldError(f"{path}[1].JSONPath", "FieldValueRequired", "Required value"),
        FieldError(
            f"{path}[2].format",
            "FieldValueInvalid",
            'Invalid value: "x": must be one of byte,date,date-time,double,float,int32,int64,password',
        ),
        FieldError(
            f"{path}[2].JSONPath",
            "FieldValueInvalid",
            'Invalid value: "a": must be a simple json path starting with .',
        ),
    ]
