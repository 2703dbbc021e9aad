"""annex_core.schema.validation: kube-openapi's validation of custom objects, as kube-apiserver
reports it (fields, reasons, messages, order). Cases marked "(kube-apiserver v1.37.2)" were
observed on a real server with a CRD of the same schema."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core.schema.validation import Validator


def _spec(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": props, **extra}},
    }


def _errors(schema: dict[str, Any], spec: Any) -> list[tuple[str, str, str]]:
    return [(e.field, e.reason, e.message) for e in Validator(schema).validate({"spec": spec})]


INVALID = "FieldValueInvalid"
TYPE = "FieldValueTypeInvalid"


def test_valid_object_has_no_errors() -> None:
    schema = _spec({"n": {"type": "integer", "minimum": 0}, "s": {"type": "string"}})
    assert _errors(schema, {"n": 3, "s": "x"}) == []


@pytest.mark.parametrize(
    ("prop", "value", "expected"),
    [
        (
            {"type": "array", "items": {"type": "string"}},
            "x",
            (TYPE, 'Invalid value: "string": spec.p in body must be of type array: "string"'),
        ),
        (
            {"type": "string"},
            None,
            (TYPE, 'Invalid value: "null": spec.p in body must be of type string: "null"'),
        ),
        (
            {"x-kubernetes-int-or-string": True},
            True,
            (
                TYPE,
                'Invalid value: "boolean": spec.p in body must be of type integer,string: "boolean"',
            ),
        ),
        # (kube-apiserver v1.37.2) a string format names the format for a non-string value
        (
            {"type": "string", "format": "uuid"},
            5,
            (TYPE, 'Invalid value: "int64": spec.p in body must be of type uuid: "int64"'),
        ),
        (
            {"type": "string", "format": "uuid"},
            "nope",
            (TYPE, 'Invalid value: "nope": spec.p in body must be of type uuid: "nope"'),
        ),
    ],
)
def test_type_errors(prop: dict[str, Any], value: Any, expected: tuple[str, str]) -> None:
    assert _errors(_spec({"p": prop}), {"p": value}) == [("spec.p", *expected)]


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ({"type": "integer"}, 2.0),  # an integral float64 is an integer (IsFloat64AJSONInteger)
        ({"type": "number"}, 2),
        ({"type": "string", "nullable": True}, None),
        ({"x-kubernetes-int-or-string": True}, "80%"),
        ({"x-kubernetes-int-or-string": True}, 80),
        # (kube-apiserver v1.37.2) an array passes a formatted string's type check
        ({"type": "string", "format": "uuid"}, [1, 2]),
        ({"type": "string", "format": "not-a-k8s-format"}, "anything"),
        ({"x-kubernetes-preserve-unknown-fields": True}, {"any": [1, {"x": None}]}),
    ],
)
def test_accepted(prop: dict[str, Any], value: Any) -> None:
    assert _errors(_spec({"p": prop}), {"p": value}) == []


def test_fraction_for_an_integer_fails_type_and_range() -> None:
    assert _errors(_spec({"p": {"type": "integer"}}), {"p": 1.5}) == [
        (
            "spec.p",
            TYPE,
            'Invalid value: "number": spec.p in body must be of type integer: "number"',
        ),
        (
            "<nil>",
            INVALID,
            'Invalid value: "": Checked value must be of type integer (default format) in spec.p',
        ),
    ]


def test_numbers() -> None:
    schema = _spec(
        {
            "min": {"type": "integer", "minimum": 0},
            "xmax": {"type": "number", "maximum": 2.5, "exclusiveMaximum": True},
            "mul": {"type": "integer", "multipleOf": 3},
            "fmul": {"type": "number", "multipleOf": 0.25},
        }
    )
    assert _errors(schema, {"min": -1, "xmax": 2.5, "mul": 7, "fmul": 0.3}) == [
        (
            "spec.min",
            INVALID,
            "Invalid value: -1: spec.min in body should be greater than or equal to 0",
        ),
        ("spec.xmax", INVALID, "Invalid value: 2.5: spec.xmax in body should be less than 2.5"),
        ("spec.mul", INVALID, "Invalid value: 7: spec.mul in body should be a multiple of 3"),
        (
            "spec.fmul",
            INVALID,
            "Invalid value: 0.3: spec.fmul in body should be a multiple of 0.25",
        ),
    ]


def test_number_quirks_as_kube_apiserver() -> None:
    """(kube-apiserver v1.37.2) int32 overflow is a plain Go error on `<nil>`; an integer
    checked against a fractional multipleOf uses int64(0.5) = 0."""
    schema = _spec(
        {
            "i32": {"type": "integer", "format": "int32"},
            "num": {"type": "number", "multipleOf": 0.5},
        }
    )
    assert _errors(schema, {"i32": 3000000000, "num": 3}) == [
        (
            "<nil>",
            INVALID,
            'Invalid value: "": Checked value must be of type integer with format int32 in spec.i32',
        ),
        (
            "spec.num",
            INVALID,
            "Invalid value: 0: factor MultipleOf declared for spec.num must be positive: 0",
        ),
    ]


def test_integer_bound_truncated_for_integers() -> None:
    # MaximumNativeType: an int64 value is compared with int64(maximum)
    schema = _spec({"n": {"type": "number", "maximum": 2.5}})
    assert _errors(schema, {"n": 3}) == [
        ("spec.n", INVALID, "Invalid value: 3: spec.n in body should be less than or equal to 2")
    ]


def test_strings_report_the_first_failure_only() -> None:
    prop = {"type": "string", "maxLength": 3, "minLength": 2, "pattern": "^[a-z]+$"}
    schema = _spec({"a": prop, "b": prop, "c": prop})
    assert _errors(schema, {"a": "abcd", "b": "a", "c": "A1"}) == [
        ("spec.a", "FieldValueTooLong", "Too long: may not be more than 3 bytes"),
        ("spec.b", INVALID, 'Invalid value: "a": spec.b in body should be at least 2 chars long'),
        ("spec.c", INVALID, "Invalid value: \"A1\": spec.c in body should match '^[a-z]+$'"),
    ]


def test_lengths_count_runes_and_dollar_is_end_of_text() -> None:
    schema = _spec(
        {"s": {"type": "string", "maxLength": 2}, "p": {"type": "string", "pattern": "^a$"}}
    )
    assert _errors(schema, {"s": "éé"}) == []
    # (kube-apiserver v1.37.2) RE2's $ does not match before a final newline
    assert _errors(schema, {"p": "a\n"}) == [
        ("spec.p", INVALID, "Invalid value: \"a\\n\": spec.p in body should match '^a$'")
    ]


def test_enum() -> None:
    schema = _spec(
        {
            "s": {"type": "string", "enum": ["a", "b"]},
            "n": {"type": "integer", "enum": [1, 2]},
            "o": {
                "type": "object",
                "enum": [{"k": 1}],
                "x-kubernetes-preserve-unknown-fields": True,
            },
            "z": {"type": "string", "nullable": True, "enum": ["a"]},
        }
    )
    assert _errors(schema, {"s": "c", "n": 3, "o": {"k": 2}, "z": None}) == [
        ("spec.s", "FieldValueNotSupported", 'Unsupported value: "c": supported values: "a", "b"'),
        ("spec.n", "FieldValueNotSupported", 'Unsupported value: 3: supported values: "1", "2"'),
        (
            "spec.o",
            "FieldValueNotSupported",
            'Unsupported value: {"k":2}: supported values: "{\\"k\\":1}"',
        ),
        # (kube-apiserver v1.37.2) null never matches an enum
        ("spec.z", "FieldValueNotSupported", 'Unsupported value: null: supported values: "a"'),
    ]


def test_enum_matches_after_go_conversion() -> None:
    """(kube-apiserver v1.37.2) 97 converts to the string "a"; 1.5 to the int64 1."""
    schema = _spec({"s": {"enum": ["a"]}, "n": {"type": "number", "enum": [1, 2.5]}})
    assert _errors(schema, {"s": 97, "n": 1.5}) == []


def test_arrays_and_objects() -> None:
    schema = _spec(
        {
            "few": {"type": "array", "minItems": 2, "items": {"type": "integer"}},
            "many": {"type": "array", "maxItems": 1, "items": {"type": "integer"}},
            "props": {
                "type": "object",
                "minProperties": 2,
                "maxProperties": 0,
                "additionalProperties": {"type": "string"},
            },
        },
        required=["needed"],
    )
    assert _errors(schema, {"few": ["x"], "many": [1, 2], "props": {"a": 1}}) == [
        (
            "spec.few[0]",
            TYPE,
            'Invalid value: "string": spec.few[0] in body must be of type integer: "string"',
        ),
        ("spec.few", INVALID, "Invalid value: 1: spec.few in body should have at least 2 items"),
        ("spec.many", "FieldValueTooMany", "Too many: 2: must have at most 1 item"),
        (
            "spec.props",
            INVALID,
            "Invalid value: 1: spec.props in body should have at least 2 properties",
        ),
        ("spec.props", "FieldValueTooMany", "Too many: 1: must have at most 0 items"),
        (
            "spec.props.a",
            TYPE,
            'Invalid value: "integer": spec.props.a in body must be of type string: "integer"',
        ),
        ("spec.needed", "FieldValueRequired", "Required value"),
    ]


def test_required_at_root_and_root_errors_on_nil_path() -> None:
    schema = {"type": "object", "required": ["spec"], "properties": {"spec": {"type": "object"}}}
    assert [(e.field, e.message) for e in Validator(schema).validate({})] == [
        ("spec", "Required value")
    ]
    assert [(e.field, e.message) for e in Validator(schema).validate([])] == [
        ("<nil>", 'Invalid value: "array":  in body must be of type object: "array"')
    ]


def test_field_path_prefix() -> None:
    v = Validator({"type": "object", "properties": {"n": {"type": "integer"}}})
    assert [(e.field, e.message) for e in v.validate({"n": "x"}, field_path="status")] == [
        ("status.n", 'Invalid value: "string": n in body must be of type integer: "string"')
    ]


def test_junctors() -> None:
    """(kube-apiserver v1.37.2) wording and placement of allOf, anyOf, not; the composite
    message first for anyOf and oneOf, last for allOf."""
    schema = _spec(
        {
            "anyo": {"type": "integer", "anyOf": [{"minimum": 5}, {"maximum": 1}]},
            "noto": {"type": "string", "not": {"enum": ["x"]}},
            "allo": {"type": "integer", "allOf": [{"minimum": 5}, {"maximum": 1}]},
            "oneo": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            },
        }
    )
    assert _errors(schema, {"anyo": 3, "noto": "x", "allo": 3, "oneo": {"a": "1", "b": "2"}}) == [
        (
            "<nil>",
            INVALID,
            'Invalid value: "": "spec.anyo" must validate at least one schema (anyOf)',
        ),
        (
            "spec.anyo",
            INVALID,
            "Invalid value: 3: spec.anyo in body should be greater than or equal to 5",
        ),
        ("<nil>", INVALID, 'Invalid value: "": "spec.noto" must not validate the schema (not)'),
        (
            "spec.allo",
            INVALID,
            "Invalid value: 3: spec.allo in body should be greater than or equal to 5",
        ),
        (
            "spec.allo",
            INVALID,
            "Invalid value: 3: spec.allo in body should be less than or equal to 1",
        ),
        (
            "<nil>",
            INVALID,
            'Invalid value: "": "spec.allo" must validate all the schemas (allOf). None validated',
        ),
        (
            "<nil>",
            INVALID,
            'Invalid value: "": "spec.oneo" must validate one and only one schema (oneOf). Found 2 valid alternatives',
        ),
    ]


def test_one_of_none_valid_reports_the_branch_with_most_matches() -> None:
    schema = _spec(
        {
            "o": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            }
        }
    )
    assert _errors(schema, {"o": {}}) == [
        (
            "<nil>",
            INVALID,
            'Invalid value: "": "spec.o" must validate one and only one schema (oneOf). Found none valid',
        ),
        ("spec.o.a", "FieldValueRequired", "Required value"),
    ]


def test_duplicate_messages_reported_once() -> None:
    schema = _spec({"n": {"type": "integer", "allOf": [{"minimum": 5}, {"minimum": 5}]}})
    assert [m for _, _, m in _errors(schema, {"n": 1})] == [
        "Invalid value: 1: spec.n in body should be greater than or equal to 5",
        'Invalid value: "": "spec.n" must validate all the schemas (allOf). None validated',
    ]


def test_formats() -> None:
    props = {
        name: {"type": "string", "format": name}
        for name in (
            "ipv4",
            "ipv6",
            "cidr",
            "mac",
            "date",
            "date-time",
            "duration",
            "byte",
            "hostname",
            "email",
            "uri",
            "k8s-short-name",
        )
    }
    good = {
        "ipv4": "010.0.0.1",
        "ipv6": "::1",
        "cidr": "10.0.0.0/8",
        "mac": "01:23:45:67:89:ab",
        "date": "2024-02-29",
        "date-time": "2024-02-29T10:00:00Z",
        "duration": "1h30m",
        "byte": "aGk=",
        "hostname": "example.com",
        "email": "a@b.c",
        "uri": "https://example.com/x",
        "k8s-short-name": "abc-1",
    }
    assert _errors(_spec(props), good) == []
    bad = {k: "not valid!" for k in good}
    assert [e[0] for e in _errors(_spec(props), bad)] == [f"spec.{k}" for k in good]


class TestRatcheting:
    schema = _spec(
        {
            "n": {"type": "integer", "minimum": 0},
            "m": {"type": "integer", "minimum": 0},
            "items": {
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["name"],
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "v": {"type": "integer", "maximum": 1},
                    },
                },
            },
            "atomic": {"type": "array", "items": {"type": "integer", "maximum": 1}},
            "o": {
                "type": "object",
                "properties": {"a": {"type": "string"}},
                "anyOf": [{"required": ["a"]}],
            },
        }
    )

    def _update(self, new: dict[str, Any], old: dict[str, Any]) -> list[str]:
        return [
            e.field for e in Validator(self.schema).validate_update({"spec": new}, {"spec": old})
        ]

    def test_unchanged_invalid_value_is_kept(self) -> None:
        assert self._update({"n": -1, "m": -1}, {"n": -1, "m": 0}) == ["spec.m"]

    def test_whole_object_unchanged(self) -> None:
        assert self._update({"n": -1}, {"n": -1}) == []

    def test_changed_value_errors(self) -> None:
        assert self._update({"n": -2}, {"n": -1}) == ["spec.n"]

    def test_integer_and_float_differ(self) -> None:
        # reflect.DeepEqual(int64(-1), float64(-1)) is false
        assert self._update({"n": -1.0, "m": 1}, {"n": -1, "m": 0}) == ["spec.n"]

    def test_map_list_items_correlate_by_key(self) -> None:
        old = {"items": [{"name": "a", "v": 5}, {"name": "b", "v": 1}]}
        new = {"items": [{"name": "b", "v": 2}, {"name": "a", "v": 5}]}
        assert self._update(new, old) == ["spec.items[0].v"]

    def test_atomic_list_ratchets_only_as_a_whole(self) -> None:
        assert self._update({"atomic": [5, 0]}, {"atomic": [5, 1]}) == ["spec.atomic[0]"]
        assert self._update({"atomic": [5], "m": 1}, {"atomic": [5], "m": 0}) == []

    def test_junctor_errors_ratchet_with_their_node(self) -> None:
        assert self._update({"o": {}, "m": 1}, {"o": {}, "m": 0}) == []
        assert self._update({"o": {"b": "x"}}, {"o": {}}) == ["<nil>", "spec.o.a"]
