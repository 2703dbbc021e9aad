"""JSON bodies decoded as kube-apiserver decodes a custom resource's (sigs.k8s.io/json with
PreserveInts): int64 or float64, what Go takes and orjson refuses taken too."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints import jsonbody
from annex_gateway.endpoints.jsonbody import decode_json
from annex_gateway.endpoints.limits import DEFAULT_LIMITS, DecodeLimits
from tests.unit.gateway.endpoints.raising import status_error


def x_of(number: bytes) -> Any:
    return decode_json(b'{"x":%s}' % number, DEFAULT_LIMITS)["x"]


def error_of(body: bytes, limits: DecodeLimits = DEFAULT_LIMITS) -> StatusError:
    return status_error(decode_json, body, limits)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (b"9223372036854775807", 9223372036854775807),
        (b"-9223372036854775808", -9223372036854775808),
        (b"9223372036854775808", 9223372036854775808.0),
        (b"18446744073709551615", 18446744073709551615.0),
        (b"18446744073709551616", 18446744073709551616.0),
        (b"-9223372036854775809", -9223372036854775809.0),
        (b"1e-400", 0.0),
    ],
)
def test_integers_beyond_int64_are_float64(number: bytes, expected: Any) -> None:
    value = x_of(number)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"1234567890123456789", 1234567890123456789),  # a long run of digits, within int64
        (b"99999999999999999999", 99999999999999999999.0),
        (b'"12345678901234567890"', "12345678901234567890"),
    ],
)
def test_a_body_that_is_one_long_number_or_string(body: bytes, expected: Any) -> None:
    """Not an object (the handler refuses it), but decoded: a lone int within int64 was
    walked as a container (TypeError, a 500)."""
    value = decode_json(body, DEFAULT_LIMITS)
    assert value == expected
    assert type(value) is type(expected)


def test_integers_beyond_int64_are_floats_deep_inside_too() -> None:
    data = decode_json(
        b'{"a":[1,{"b":[18446744073709551615]}],"c":"12345678901234567890"}', DEFAULT_LIMITS
    )
    assert data == {"a": [1, {"b": [18446744073709551615.0]}], "c": "12345678901234567890"}
    assert type(data["a"][1]["b"][0]) is float


@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"1" + b"0" * 400, b"1" + b"0" * 5000])
def test_numbers_beyond_float64_are_400(number: bytes) -> None:
    error = error_of(b'{"x":%s}' % number)
    assert error.code == 400
    assert "json: cannot unmarshal number" in error.message
    assert "into Go value of type float64" in error.message


def test_what_go_takes_and_orjson_refuses_is_taken() -> None:
    """Invalid UTF-8 and lone surrogates become U+FFFD, as encoding/json makes them."""
    assert decode_json(b'{"s":"a\xffb"}', DEFAULT_LIMITS) == {"s": "a\ufffdb"}
    assert decode_json(b'{"s":"\\ud800"}', DEFAULT_LIMITS) == {"s": "\ufffd"}
    assert decode_json(b'{"\\udc00":1}', DEFAULT_LIMITS) == {"\ufffd": 1}
    assert decode_json(b'{"s":"\\ud83d\\ude00"}', DEFAULT_LIMITS) == {"s": "\U0001f600"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{garbage", "invalid character 'g' looking for beginning of object key string"),
        (b"\xef\xbb\xbf{}", "invalid character 'ï' looking for beginning of value"),
        (b"{} {}", "invalid character '{' after top-level value"),
        (b'{"x":NaN}', "invalid character 'N' looking for beginning of value"),
        (b'{"x":01}', "invalid character '1' after object key:value pair"),
        (b"", "unexpected end of JSON input"),
    ],
)
def test_syntax_errors_are_worded_as_go_words_them(body: bytes, message: str) -> None:
    error = error_of(body)
    assert (error.code, error.message) == (400, f"error decoding request body: {message}")


@pytest.mark.parametrize("depth", [201, 1000, 1025, 100_000])
def test_nesting_beyond_the_limit_is_400(depth: int) -> None:
    error = error_of(b'{"x":' + b"[" * depth + b"]" * depth + b"}")
    assert (error.code, error.message) == (
        400,
        "error decoding request body: exceeded max depth of 200",
    )


def test_nesting_at_the_limit_is_fine() -> None:
    assert decode_json(b'{"x":' + b"[" * 199 + b"]" * 199 + b"}", DEFAULT_LIMITS)


def test_the_object_limit_counts_the_compact_encoding() -> None:
    limits = DecodeLimits(max_object_bytes=100)
    padded = b'{"s": "' + b"x" * 80 + b'"}' + b" " * 500  # 88 bytes once compact
    assert decode_json(padded, limits) == {"s": "x" * 80}
    assert error_of(b'{"s":"' + b"x" * 100 + b'"}', limits).code == 413
    # Numbers grow when written out again: 1e15 is 1000000000000000.0.
    grown = b"[" + b",".join([b"1e15"] * 6) + b"]"
    assert len(grown) < 100
    assert error_of(grown, DecodeLimits(max_object_bytes=100)).code == 413


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"a":1,"b":{"c":2}}', []),
        (b'{"a":"x\\":y","b":"\\"k\\":"}', []),  # colons inside strings are no keys
        (
            b'{"a":1,"spec":{"x":1,"x":2,"l":[{"n":1,"n":2,"n":3}]},"a":3}',
            ["spec.x", "spec.l[0].n", "a"],
        ),
    ],
)
def test_duplicate_fields_are_found_in_document_order(body: bytes, expected: list[str]) -> None:
    assert jsonbody.duplicate_fields(body, orjson.loads(body)) == expected
