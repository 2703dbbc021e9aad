"""What the server answers below the application: parse errors, versions, bodies refused on
their headers alone, and the raw response written where there is no request to answer."""

from __future__ import annotations

import json

import pytest
from aiohttp import http_exceptions

from annex_gateway import apierrors
from annex_gateway.filters.errors import status_response
from annex_gateway.serving import status
from annex_gateway.serving.limits import early_refusal

LIMIT = 3 * 1024 * 1024


@pytest.mark.parametrize(
    "exc",
    [
        http_exceptions.LineTooLong(b"aaaa", 8190),
        http_exceptions.BadHttpMessage("Too many headers received"),
    ],
)
def test_headers_over_the_limits_are_431(exc: Exception) -> None:
    error = status.malformed(exc)
    assert (error.code, error.reason) == (431, "")


def test_a_parse_error_keeps_only_its_description() -> None:
    """aiohttp's message goes on with the raw bytes and a caret under them."""
    exc = http_exceptions.BadHttpMessage(
        "Invalid character in Content-Length:\n\n  b'Content-Length: abc'\n        ^"
    )
    error = status.malformed(exc)
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.message == "malformed HTTP request: Invalid character in Content-Length"


def test_a_parse_error_without_a_message() -> None:
    assert status.malformed(None).message == "malformed HTTP request"


def test_versions_other_than_http_1() -> None:
    assert status.unsupported_version(0, 9).code == 400
    assert status.unsupported_version(2, 0).code == 505


@pytest.mark.parametrize(
    ("expect", "length", "code"),
    [
        (None, LIMIT + 1, 413),
        ("100-continue", LIMIT + 1, 413),
        ("100-Continue", LIMIT, None),
        ("100-continue", None, None),  # chunked: checked as it arrives
        (None, LIMIT, None),
        ("200-ok", 2, 417),
    ],
)
def test_early_refusal(expect: str | None, length: int | None, code: int | None) -> None:
    headers = {"Expect": expect} if expect is not None else {}
    refusal = early_refusal(headers, length, LIMIT)
    assert (refusal.code if refusal else None) == code


def test_too_large_in_kube_apiserver_words() -> None:
    error = status.body_too_large(LIMIT)
    assert (error.code, error.reason) == (413, "RequestEntityTooLarge")
    assert error.message == "Request entity too large: limit is 3145728"


def test_a_raw_response_is_a_whole_http_response_that_closes() -> None:
    raw = status.raw_response(status.header_timeout(32.0))
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 408 Request Timeout"
    assert "Connection: close" in lines
    assert f"Content-Length: {len(body)}" in lines
    decoded = json.loads(body)
    assert decoded["kind"] == "Status"
    assert decoded["code"] == 408
    assert decoded["message"] == "Timeout: the request headers did not arrive within 32s"


def test_warnings_are_written_as_kube_apiservers_recorder_writes_them() -> None:
    """Each once, none with a control character, all cut to 256 runes past 4 Ki in all."""
    assert apierrors.warning_headers(['unknown field "a"', 'unknown field "a"', "x\x1fy"]) == [
        '299 - "unknown field \\"a\\""'
    ]
    many = [f"unknown field {'k' * 300}{i}" for i in range(20)]
    headers = apierrors.warning_headers(many)
    assert len(headers) == 20
    assert all(len(h) == len('299 - ""') + 256 for h in headers)


def test_a_status_that_says_when_to_retry_says_it_in_retry_after() -> None:
    """ErrorNegotiated copies details.retryAfterSeconds into the header client-go reads."""
    retry = apierrors.StatusError(504, "Timeout", "later", details={"retryAfterSeconds": 2})
    assert status_response(retry).headers["Retry-After"] == "2"
    never = apierrors.StatusError(504, "Timeout", "later", details={"retryAfterSeconds": 0})
    assert "Retry-After" not in status_response(never).headers
