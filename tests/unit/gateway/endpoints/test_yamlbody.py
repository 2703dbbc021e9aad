"""YAML bodies read as sigs.k8s.io/yaml reads them (go-yaml v2, then JSON), with limits on
what they expand to. The expected values are kube-apiserver's, for a custom resource whose
spec keeps unknown fields (each was sent to a v1.37 CRD and read back)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints.limits import DEFAULT_LIMITS, DecodeLimits
from annex_gateway.endpoints.yamlbody import decode_yaml
from tests.unit.gateway.endpoints.raising import status_error


def value_of(text: str) -> Any:
    return decode_yaml(f"x: {text}\n".encode(), DEFAULT_LIMITS)["x"]


def error_of(body: bytes, limits: DecodeLimits = DEFAULT_LIMITS) -> StatusError:
    return status_error(decode_yaml, body, limits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("on", True),
        ("n", False),
        ("~", None),
        ("0x1F", 31),
        ("017", 15),
        ("0o17", 15),
        ("0b101", 5),
        ("1_000", 1000),
        ("+5", 5),
        ("-0", 0),
        ("09", 9),  # not octal: a float, which JSON writes as 9
        ("1e3", 1000),
        ("1.0", 1),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e-400", 0),
        ("1e400", "1e400"),  # beyond float64: go-yaml keeps the text
        ("1" + "0" * 400, "1" + "0" * 400),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", 9223372036854775808.0),  # a uint64: a float64 once in JSON
        ("18446744073709551616", 18446744073709551616.0),
        ("2001-12-14", "2001-12-14"),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("190:20:30", "190:20:30"),
        ("NaN", "NaN"),
        ("'yes'", "yes"),
        ('"1"', "1"),
        ("<<", "<<"),
    ],
)
def test_scalars_resolve_as_go_yaml_v2(text: str, expected: Any) -> None:
    value = value_of(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!set {a, b}", {"a": None, "b": None}),
        ("!!binary aGVsbG8=", "hello"),
        ("!!omap [a: 1]", [{"a": 1}]),
        ("!foo bar", "bar"),
        ("!!python/object:os.system x", "x"),
        ("!!str 5", "5"),
        ("!!int 5", 5),
        ("!!float 5", 5),
        ("!!null ''", None),
        ("!!bool yes", True),
    ],
)
def test_tags_beyond_the_json_types_change_nothing(text: str, expected: Any) -> None:
    assert value_of(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (".nan", "json: unsupported value: NaN"),
        (".inf", "json: unsupported value: +Inf"),
        ("-.inf", "json: unsupported value: -Inf"),
        ("!!int x", "cannot decode !!str `x` as a !!int"),
        ("!!binary '!!'", "yaml: !!binary value contains invalid base64 data"),
        ("*nowhere", "yaml: unknown anchor 'nowhere' referenced"),
        ("&a [*a]", "yaml: anchor 'a' value contains itself"),
        ("{<<: 1}", "yaml: map merge requires map or sequence of maps as the value"),
    ],
)
def test_what_json_cannot_hold_is_400(text: str, message: str) -> None:
    error = error_of(f"x: {text}\n".encode())
    assert (error.code, error.message) == (
        400,
        f"error decoding request body: error converting YAML to JSON: {message}",
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("1", "1"),
        ("-7", "-7"),
        ("1.5", "1.5"),
        ("0.1", "0.1"),
        ("1e20", "1e+20"),
        ("1000000", "1000000"),  # an int
        ("1000000.0", "1e+06"),  # a float: %g of its float32
        ("123456.0", "123456"),
        ("0.0001", "0.0001"),
        ("0.00001", "1e-05"),
        ("true", "true"),
        ("no", "false"),
        (".nan", ".nan"),
        (".inf", ".inf"),
        ("18446744073709551616", "1.8446744e+19"),
        ("2001-12-14", "2001-12-14"),
    ],
)
def test_keys_become_strings_as_sigs_yaml_writes_them(key: str, expected: str) -> None:
    assert decode_yaml(f"{{{key}: v}}".encode(), DEFAULT_LIMITS) == {expected: "v"}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("~", "unsupported map key of type: %!s(<nil>), key: None"),
        ("9223372036854775808", "unsupported map key of type: uint64, key: 9223372036854775808"),
        ("[a, 1.5, ~]", 'yaml: invalid map key: []interface {}{"a", 1.5, interface {}(nil)}'),
        (
            "{b: 1, a: [x]}",
            'yaml: invalid map key: map[interface {}]interface {}{"a":[]interface {}{"x"}, "b":1}',
        ),
    ],
)
def test_keys_json_cannot_have_are_400(key: str, message: str) -> None:
    error = error_of(f"{{? {key}: v}}".encode())
    assert error.code == 400
    assert error.message.endswith(message)


def test_merge_keys_merge_as_go_yaml_v2() -> None:
    """A merge writes into the mapping where it stands: later keys win over it, it wins over
    earlier ones; in a sequence of mappings the earlier mapping wins."""
    body = b"b: &b {a: 1, b: 2}\nm: {b: 3, <<: *b, c: 4}\np: {<<: [{a: 1}, {a: 2, z: 2}]}\n"
    assert decode_yaml(body, DEFAULT_LIMITS) == {
        "b": {"a": 1, "b": 2},
        "m": {"b": 2, "a": 1, "c": 4},
        "p": {"a": 1, "z": 2},
    }
    assert error_of(b"m: {<<: 5}").code == 400


def test_only_the_first_document_counts() -> None:
    assert decode_yaml(b"a: 1\n---\nb: 2\n", DEFAULT_LIMITS) == {"a": 1}
    assert decode_yaml(b"", DEFAULT_LIMITS) is None
    assert decode_yaml(b"# nothing\n", DEFAULT_LIMITS) is None


def test_aliases_are_copies() -> None:
    data = decode_yaml(b"a: &x {k: [1]}\nb: *x\n", DEFAULT_LIMITS)
    data["a"]["k"].append(2)
    assert data["b"] == {"k": [1]}


def test_one_long_string_aliased_many_times_is_refused_at_once() -> None:
    """900 kB aliased 50 times is 45 MB once expanded: refused while composing, in bytes."""
    body = b"s: &s " + b"x" * 900_000 + b"\nl: [" + b",".join([b"*s"] * 50) + b"]\n"
    error = error_of(body)
    assert (error.code, error.reason) == (413, "RequestEntityTooLarge")


def test_an_object_just_over_the_limit_is_413_and_just_under_is_not() -> None:
    limits = DecodeLimits(max_object_bytes=1000)
    under = b"a: &a " + b"x" * 400 + b"\nb: *a\n"  # {"a":"x..","b":"x.."}: 819 bytes
    assert len(decode_yaml(under, limits)["b"]) == 400
    over = b"a: &a " + b"x" * 400 + b"\nb: *a\nc: *a\n"  # 1226 bytes
    assert error_of(over, limits).code == 413


def test_billion_laughs_is_go_yamls_excessive_aliasing() -> None:
    doc = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    previous = "a"
    for name in "bcdefghi":
        doc += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]\n"
        previous = name
    error = error_of(doc.encode())
    assert error.message.endswith("yaml: document contains excessive aliasing")


@pytest.mark.parametrize(
    "body",
    [
        b"a: " + b"[" * 201 + b"]" * 201,
        b"".join(b" " * i + b"k:\n" for i in range(201)) + b" " * 201 + b"v: 1\n",
        b"- " * 300 + b"x\n",
        b"a: &a "
        + b"[" * 150
        + b"]" * 150
        + b"\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        b"a: " + b"[" * 1_000_000,
    ],
    ids=["flow", "block", "sequences", "through-an-alias", "a-million"],
)
def test_nesting_beyond_the_limit_is_400(body: bytes) -> None:
    error = error_of(body)
    assert (error.code, error.message) == (
        400,
        "error decoding request body: exceeded max depth of 200",
    )


def test_nesting_at_the_limit_is_fine() -> None:
    # The top-level mapping is level 1; `a`'s sequences are levels 2 to 200.
    data = decode_yaml(b"a: " + b"[" * 199 + b"]" * 199, DEFAULT_LIMITS)
    depth, node = 1, data["a"]
    while node:
        depth, node = depth + 1, node[0]
    assert depth == 199


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # A parser's line counted from 0 (go-yaml's), a scanner's from 1, none on the first.
        ("kind: [Thing\n", "yaml: line 1: did not find expected ',' or ']'"),
        ("a:\n  - b\n c: d\n", "yaml: line 2: did not find expected key"),
        ('key: "open\n', "yaml: line 2: found unexpected end of stream"),
        ("a:\n  b: c\n   d: 1\n", "yaml: line 3: mapping values are not allowed in this context"),
        ("\tkey: v\n", "yaml: found character that cannot start any token"),
        ("x: \x01\n", "yaml: control characters are not allowed"),
    ],
)
def test_syntax_errors_are_worded_as_go_yaml_words_them(body: str, message: str) -> None:
    error = error_of(body.encode())
    assert (error.code, error.message) == (
        400,
        f"error decoding request body: error converting YAML to JSON: {message}",
    )
