"""annex_core.schema.listtype and .embedded: set/map duplicates and embedded resources, with
the fields and messages kube-apiserver gives."""

from __future__ import annotations

from typing import Any

from annex_core.schema import embedded, listtype
from annex_core.schema.embedded import validate_embedded
from annex_core.schema.listtype import validate_list_sets_and_maps

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "tags": {
                    "type": "array",
                    "x-kubernetes-list-type": "set",
                    "items": {"type": "string"},
                },
                "nums": {
                    "type": "array",
                    "x-kubernetes-list-type": "set",
                    "items": {"type": "number"},
                },
                "ports": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["port"],
                    "items": {"type": "object", "properties": {"port": {"type": "integer"}}},
                },
                "pairs": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["a", "b"],
                    "items": {"type": "object"},
                },
                "byName": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "x-kubernetes-list-type": "set",
                        "items": {"type": "string"},
                    },
                },
            },
        }
    },
}


def _list_errors(spec: Any) -> list[tuple[str, str, str]]:
    return [
        (e.field, e.reason, e.message) for e in validate_list_sets_and_maps(SCHEMA, {"spec": spec})
    ]


def test_set_duplicates_reported_at_the_second_occurrence() -> None:
    assert _list_errors({"tags": ["a", "b", "a", "a", "b"]}) == [
        ("spec.tags[2]", "FieldValueDuplicate", 'Duplicate value: "a"'),
        ("spec.tags[4]", "FieldValueDuplicate", 'Duplicate value: "b"'),
    ]


def test_set_scalars_compare_by_go_type() -> None:
    assert _list_errors({"nums": [1, 1.0, True]}) == []


def test_map_keys() -> None:
    assert _list_errors({"ports": [{"port": 80}, {"port": 80}, {}, {}]}) == [
        ("spec.ports[1]", "FieldValueDuplicate", 'Duplicate value: {"port":80}'),
        ("spec.ports[3]", "FieldValueDuplicate", "Duplicate value: {}"),
    ]
    assert _list_errors({"pairs": [{"a": 1, "b": "x"}, {"b": "x", "a": 1, "c": 2}]}) == [
        ("spec.pairs[1]", "FieldValueDuplicate", 'Duplicate value: {"a":1,"b":"x"}'),
    ]
    assert _list_errors({"ports": [{"port": 1}, "x"]}) == [
        (
            "spec.ports[1]",
            "FieldValueInvalid",
            'Invalid value: "x": must be an object for an array of list-type map',
        )
    ]


def test_additional_properties_use_key_paths() -> None:
    assert _list_errors({"byName": {"k": ["x", "x"]}}) == [
        ("spec.byName[k][1]", "FieldValueDuplicate", 'Duplicate value: "x"')
    ]


EMBEDDED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "template": {
                    "type": "object",
                    "x-kubernetes-embedded-resource": True,
                    "x-kubernetes-preserve-unknown-fields": True,
                }
            },
        }
    },
}


def _embedded_errors(template: Any) -> list[tuple[str, str, str]]:
    found = validate_embedded(EMBEDDED, {"spec": {"template": template}})
    return [(e.field, e.reason, e.message) for e in found]


def test_embedded_requires_api_version_and_kind() -> None:
    assert _embedded_errors({}) == [
        ("spec.template.apiVersion", "FieldValueRequired", "Required value"),
        ("spec.template.kind", "FieldValueRequired", "Required value"),
    ]


def test_embedded_checks_values() -> None:
    assert (
        _embedded_errors({"apiVersion": "a/b/c", "kind": "1Pod", "metadata": {"name": "a/b"}})
        == [
            (
                "spec.template.apiVersion",
                "FieldValueInvalid",
                'Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
            ),
            (
                "spec.template.kind",
                "FieldValueInvalid",
                'Invalid value: "1Pod": may have mixed case, but should otherwise match: a DNS-1035 '
                "label must consist of lower case alphanumeric characters or '-', start with an "
                "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",  # Go's double space,
            ),
            (
                "spec.template.metadata.name",
                "FieldValueInvalid",
                "Invalid value: \"a/b\": may not contain '/'",
            ),
        ]
    )


def test_embedded_valid() -> None:
    assert (
        _embedded_errors(
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"labels": {"a": "b"}}}
        )
        == []
    )


def test_checked_schemas_find_the_same_errors_walking_less() -> None:
    spec = {"tags": ["a", "a"], "ports": [{"port": 1}, {"port": 1}], "byName": {"x": ["b", "b"]}}
    reduced = listtype.checked_schema(SCHEMA)
    assert reduced is not None
    assert validate_list_sets_and_maps(reduced, {"spec": spec}) == validate_list_sets_and_maps(
        SCHEMA, {"spec": spec}
    )
    assert listtype.checked_schema(EMBEDDED) is None
    assert embedded.checked_schema(SCHEMA) is None
    checked = embedded.checked_schema(EMBEDDED)
    assert checked is not None
    obj = {"spec": {"template": {"kind": "1Pod"}}}
    assert validate_embedded(checked, obj) == validate_embedded(EMBEDDED, obj)


def test_checked_embedded_schema_keeps_declared_keys_off_additional_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"plain": {"type": "object"}},
        "additionalProperties": {"type": "object", "x-kubernetes-embedded-resource": True},
    }
    checked = embedded.checked_schema(schema)
    assert checked is not None
    obj: dict[str, Any] = {"plain": {}, "other": {}}
    assert validate_embedded(checked, obj) == validate_embedded(schema, obj)
    assert [e.field for e in validate_embedded(checked, obj)] == [
        "[other].apiVersion",
        "[other].kind",
    ]


def test_embedded_metadata_names_are_checked_as_kube_checks_them() -> None:
    # Texts and order from apiextensions-apiserver v0.37.2's objectmeta.Validate (gen/costgen,
    # `validate`): label keys, annotation keys and finalizers are IsLabelKey's.
    schema = {
        "type": "object",
        "properties": {
            "tmpl": {
                "type": "object",
                "x-kubernetes-embedded-resource": True,
                "x-kubernetes-preserve-unknown-fields": True,
            }
        },
    }
    meta = {
        "name": "a/b",
        "generateName": "x%",
        "namespace": "Bad_NS",
        "labels": {"a/b/c": "x", "ok": "-bad"},
        "annotations": {"x/y/z": "1"},
        "finalizers": ["a/b/c"],
    }
    obj = {"tmpl": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}}
    key = (
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
    )
    assert [str(e) for e in validate_embedded(schema, obj)] == [
        "tmpl.metadata.generateName: Invalid value: \"x%\": may not contain '%'",
        "tmpl.metadata.name: Invalid value: \"a/b\": may not contain '/'",
        'tmpl.metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must '
        "consist of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        f'tmpl.metadata.labels: Invalid value: "a/b/c": {key}',
        'tmpl.metadata.labels: Invalid value: "-bad": a valid label must be an empty string or '
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
        "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        f'tmpl.metadata.annotations: Invalid value: "x/y/z": {key}',
        f'tmpl.metadata.finalizers: Invalid value: "a/b/c": {key}',
    ]
