"""ObjectMeta validation as k8s.io/apimachinery's ValidateObjectMeta (contract section 6)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core.apidef import FieldError
from annex_core.schema import names
from annex_gateway.admission import metadata
from annex_gateway.admission.metadata import (
    coerce_object_meta,
    validate_object_meta,
    warnings_for_object_meta,
)

# IsLabelKey in k8s.io/apimachinery pkg/api/validate/content/kube.go, with RegexError's ending.
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


def fields_of(meta: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for e in validate_object_meta(meta)]


def test_a_complete_valid_object_meta() -> None:
    meta = {
        "name": "debian-12.base",
        "namespace": "default",
        "labels": {
            "app": "web",
            "app.kubernetes.io/name": "web-1",
            "Empty": "",
            "a_b.c-d": "A_b.C-9",
        },
        "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": '{"a": "b c"}',
            "Note": "anything at all, even\nnewlines",
        },
        "finalizers": ["example.com/cleanup", "orphan", "kopf.zalando.org/KopfFinalizerMarker"],
    }
    assert validate_object_meta(meta) == []


def test_empty_meta_is_valid() -> None:
    assert validate_object_meta({}) == []


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "debian", "debian-12", "a.b.c", "0", "x" * 253])
def test_valid_names(name: str) -> None:
    assert metadata.validate_name(name) == []
    assert validate_object_meta({"name": name}) == []


@pytest.mark.parametrize("name", ["Debian", "-a", "a-", "a_b", "a..b", ".a", "a.", "a b", "a/b"])
def test_invalid_names(name: str) -> None:
    (error,) = metadata.validate_name(name)
    assert (error.field, error.reason) == ("metadata.name", "FieldValueInvalid")
    assert error.message.startswith(f'Invalid value: "{name}": a lowercase RFC 1123 subdomain')
    assert validate_object_meta({"name": name}) == [error]


def test_a_name_too_long_is_told_so_and_what_else_is_wrong() -> None:
    """IsDNS1123Subdomain: the length, then the form, each its own error."""
    (long,) = metadata.validate_name("x" * 254)
    assert long.message.endswith('": must be no more than 253 characters')
    too_long, badly_formed = metadata.validate_name("X" * 254)
    assert too_long.message.endswith('": must be no more than 253 characters')
    assert "a lowercase RFC 1123 subdomain" in badly_formed.message


def test_generate_name_is_checked_before_the_name_with_one_trailing_dash_masked() -> None:
    """ValidateObjectMetaAccessor and maskTrailingDash (the last two characters become 'a')."""
    errors = validate_object_meta({"generateName": "Bad_", "name": "Bad_x"})
    assert [e.field for e in errors] == ["metadata.generateName", "metadata.name"]
    assert validate_object_meta({"generateName": "a_-"}) == []  # masked to "aa"
    (error,) = validate_object_meta({"generateName": "a_b-"})  # masked to "a_a"
    assert error.field == "metadata.generateName"


@pytest.mark.parametrize("prefix", ["web-", "web", "a.b-", "w"])
def test_valid_generate_names(prefix: str) -> None:
    assert validate_object_meta({"generateName": prefix}) == []


@pytest.mark.parametrize("prefix", ["Web-", "-", "_x-", "a b-"])
def test_invalid_generate_names(prefix: str) -> None:
    assert fields_of({"generateName": prefix}) == [("metadata.generateName", "FieldValueInvalid")]


# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "-a",
        "a-",
        "a b",
        "k" * 64,
        "/a",
        "a/",
        "Example.com/a",
        "ex_ample.com/a",
        "a/b/c",
        "x" * 254 + "/a",
        "",
    ],
)
def test_invalid_label_keys(key: str) -> None:
    errors = validate_object_meta({"labels": {key: "v"}})
    assert errors
    for error in errors:
        assert (error.field, error.reason) == ("metadata.labels", "FieldValueInvalid")
        assert error.message.startswith(f'Invalid value: "{key}": ')


@pytest.mark.parametrize("value", ["-a", "a-", "a b", "a/b", "v" * 64, "é"])
def test_invalid_label_values(value: str) -> None:
    (error,) = validate_object_meta({"labels": {"key": value}})
    assert (error.field, error.reason) == ("metadata.labels", "FieldValueInvalid")
    assert error.message.startswith(f'Invalid value: "{value}": ')


def test_label_values_up_to_63_characters() -> None:
    assert validate_object_meta({"labels": {"k" * 63: "v" * 63}}) == []


@pytest.mark.parametrize(
    ("key", "value"), [("labels", ["a"]), ("labels", {"a": 1}), ("annotations", "a=b")]
)
def test_labels_and_annotations_must_be_string_maps(key: str, value: Any) -> None:
    assert validate_object_meta({key: value}) == [
        FieldError(f"metadata.{key}", "FieldValueTypeInvalid", "must be a map of strings")
    ]


def test_every_bad_label_is_reported() -> None:
    errors = validate_object_meta({"labels": {"-a": "ok", "ok": "-b"}, "name": "Bad"})
    assert [e.field for e in errors] == ["metadata.name", "metadata.labels", "metadata.labels"]


# -- annotations ------------------------------------------------------------------------------


def test_annotation_keys_are_qualified_names_in_any_case() -> None:
    assert validate_object_meta({"annotations": {"Example.COM/Key": "v"}}) == []
    assert fields_of({"annotations": {"bad key": "v"}}) == [
        ("metadata.annotations", "FieldValueInvalid")
    ]


def test_annotations_up_to_256_kib() -> None:
    limit = metadata.MAX_ANNOTATIONS_BYTES
    assert limit == 262144
    fits = {"a": "x" * (limit - 1)}
    assert validate_object_meta({"annotations": fits}) == []

    too_big = {"a": "x" * limit}
    (error,) = validate_object_meta({"annotations": too_big})
    assert (error.field, error.reason) == ("metadata.annotations", "FieldValueTooLong")
    assert error.message == "Too long: may not be more than 262144 bytes"


def test_annotation_size_counts_every_key_and_value() -> None:
    half = metadata.MAX_ANNOTATIONS_BYTES // 2
    assert (
        validate_object_meta({"annotations": {"a": "x" * (half - 1), "b": "x" * (half - 1)}}) == []
    )
    assert fields_of({"annotations": {"a": "x" * half, "b": "x" * half}}) == [
        ("metadata.annotations", "FieldValueTooLong")
    ]


def test_annotation_size_is_in_utf8_bytes() -> None:
    """Go's len() counts bytes: 150 000 two-byte characters are 300 000 bytes, too many."""
    value = "é" * 150_000
    assert len(value) < metadata.MAX_ANNOTATIONS_BYTES < len(value.encode())
    assert fields_of({"annotations": {"note": value}}) == [
        ("metadata.annotations", "FieldValueTooLong")
    ]


# -- finalizers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "finalizers",
    [[], ["orphan"], ["foregroundDeletion"], ["example.com/a", "example.com/b"], None],
)
def test_valid_finalizers(finalizers: list[str] | None) -> None:
    assert validate_object_meta({"finalizers": finalizers}) == []


def test_unqualified_finalizers_are_accepted_with_a_warning() -> None:
    """Custom resources only warn (GetWarningsForObjectMeta); the hard rule is for core kinds."""
    meta = {"finalizers": ["example.com/a", "cleanup", "orphan", "kubernetes", "example.com"]}
    assert validate_object_meta(meta) == []
    assert warnings_for_object_meta(meta) == [  # sorted; a domain without a path said so
        'metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name to avoid '
        "accidental conflicts with other finalizer writers",
        'metadata.finalizers: "example.com": prefer a domain-qualified finalizer name including '
        "a path (/) to avoid accidental conflicts with other finalizer writers",
    ]
    # Only for the finalizers a write adds (validateKubeFinalizerName over new minus old).
    assert warnings_for_object_meta(meta, {"finalizers": ["cleanup", "example.com"]}) == []


@pytest.mark.parametrize("finalizer", ["Example.com/a", "example.com/-a", "example.com/", "/a"])
def test_finalizers_are_qualified_names(finalizer: str) -> None:
    errors = validate_object_meta({"finalizers": [finalizer]})
    assert errors
    assert {(e.field, e.reason) for e in errors} == {("metadata.finalizers", "FieldValueInvalid")}


@pytest.mark.parametrize("finalizers", ["example.com/a", ["example.com/a", 1]])
def test_finalizers_must_be_a_list_of_strings(finalizers: Any) -> None:
    assert fields_of({"finalizers": finalizers}) == [
        ("metadata.finalizers", "FieldValueTypeInvalid")
    ]


def test_orphan_and_foreground_deletion_exclude_each_other() -> None:
    (error,) = validate_object_meta({"finalizers": ["orphan", "foregroundDeletion"]})
    assert (error.field, error.reason) == ("metadata.finalizers", "FieldValueInvalid")
    assert "finalizer orphan and foregroundDeletion cannot be both set" in error.message


def test_coercion_drops_empty_collections_and_unknown_fields() -> None:
    meta = {
        "name": "a",
        "labels": {},
        "annotations": {"k": "v"},
        "finalizers": [],
        "ownerReferences": [],
        "colour": "blue",
        "zone": 1,
    }
    warnings = coerce_object_meta(meta)
    assert meta == {"name": "a", "annotations": {"k": "v"}}
    assert warnings == ['unknown field "metadata.colour"', 'unknown field "metadata.zone"']


# -- a trailing newline -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "field"),
    [
        ({"name": "debian\n"}, "metadata.name"),
        ({"name": "a.b\n"}, "metadata.name"),
        ({"generateName": "web-\n"}, "metadata.generateName"),
        ({"labels": {"app\n": "web"}}, "metadata.labels"),
        ({"labels": {"example.com\n/app": "web"}}, "metadata.labels"),
        ({"labels": {"app": "web\n"}}, "metadata.labels"),
        ({"annotations": {"note\n": "v"}}, "metadata.annotations"),
        ({"finalizers": ["example.com/cleanup\n"]}, "metadata.finalizers"),
    ],
)
def test_a_trailing_newline_is_invalid(meta: dict[str, Any], field: str) -> None:
    """Go's regexp `$` matches only at the end of the text; Python's also before a final
    newline, so every pattern must match the whole value."""
    assert fields_of(meta) == [(field, "FieldValueInvalid")]


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        ("app", []),
        ("example.com/App_1.x", []),
        ("", ["name part must be non-empty", NAME_PART]),
        ("example.com/", ["name part must be non-empty", NAME_PART]),
        ("k" * 64, ["name part must be no more than 63 bytes"]),
        ("-a", [NAME_PART]),
        ("Example.com/a", [f"prefix part {names.SUBDOMAIN_MESSAGE}"]),
        ("/-a", ["prefix part must be non-empty", NAME_PART]),
        (
            "a/b/c",
            [
                NAME_PART.replace("name part", "a valid label key", 1)
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ],
        ),
    ],
)
def test_qualified_name_errors(value: str, errors: list[str]) -> None:
    assert names.qualified_name_errors(value) == errors


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        ("", []),
        ("A_b.C-9", []),
        ("v" * 63, []),
        ("v" * 64, ["must be no more than 63 bytes"]),
        ("-a", [names.LABEL_VALUE_MESSAGE]),
        ("a/b", [names.LABEL_VALUE_MESSAGE]),
        ("a\n", [names.LABEL_VALUE_MESSAGE]),
    ],
)
def test_label_value_errors(value: str, errors: list[str]) -> None:
    assert names.label_value_errors(value) == errors
