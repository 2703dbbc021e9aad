"""Errors met below the application — a request aiohttp could not parse, a read that timed
out, a body refused before it is read, a server shutting down — as Kubernetes `Status`
objects, JSON, with the HTTP status as their code.

kube-apiserver's net/http answers malformed requests in text/plain; here every answer the
protocol allows is a `Status`, as the gateway's other errors are."""

from __future__ import annotations

from http import HTTPStatus

import orjson
from aiohttp import http_exceptions

from annex_gateway.apierrors import StatusError

# No client needs more of a parse error than its first line; the rest echoes the raw bytes.
_MESSAGE_LIMIT = 200
# aiohttp's parser signals too many header lines with this plain BadHttpMessage.
_TOO_MANY_HEADERS = "Too many headers received"


def malformed(exc: BaseException | None) -> StatusError:
    """A request aiohttp's parser refused: 431 for header lines (or the request line) over
    the limits, as net/http answers headers over MaxHeaderBytes; 400 for anything else."""
    if isinstance(exc, http_exceptions.LineTooLong) or (
        isinstance(exc, http_exceptions.BadHttpMessage) and exc.message == _TOO_MANY_HEADERS
    ):
        return StatusError(431, "", "request header fields too large")
    summary = "malformed HTTP request"
    if isinstance(exc, http_exceptions.HttpProcessingError) and exc.message:
        # "Invalid character in Content-Length:\n\n  b'...'" -> its description only.
        first = exc.message.split("\n", 1)[0].split(":", 1)[0].strip()
        if first:
            summary = f"{summary}: {first[:_MESSAGE_LIMIT]}"
    return StatusError(400, "BadRequest", summary)


def unsupported_version(major: int, minor: int) -> StatusError:
    """As net/http answers: 505 for another major version in an HTTP/1 request line, 400 for
    a request line without one (aiohttp reads it as HTTP/0.9)."""
    if major == 0:
        return StatusError(400, "BadRequest", "malformed HTTP request: no HTTP/1 version")
    return StatusError(505, "", f"unsupported protocol version HTTP/{major}.{minor}")


def unexpected(code: int) -> StatusError:
    """What the server itself failed at, outside the application's error filter."""
    if code == 504:
        return StatusError(
            504,
            "Timeout",
            "Timeout: request did not complete within the allotted timeout",
        )
    return StatusError(500, "InternalError", "Internal error occurred: unexpected server error")


def header_timeout(seconds: float) -> StatusError:
    return StatusError(
        408, "Timeout", f"Timeout: the request headers did not arrive within {seconds:g}s"
    )


def body_timeout(seconds: float) -> StatusError:
    return StatusError(
        408, "Timeout", f"Timeout: the request body did not arrive within {seconds:g}s"
    )


def body_too_large(limit: int) -> StatusError:
    """kube-apiserver's words (NewRequestEntityTooLargeError)."""
    return StatusError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {limit}")


def expectation_failed(expect: str) -> StatusError:
    return StatusError(417, "", f"unsupported Expect header: {expect[:_MESSAGE_LIMIT]!r}")


def shutting_down() -> StatusError:
    """As kube-apiserver's WithWaitGroup answers once it drains: retry soon, elsewhere."""
    return StatusError(
        503,
        "ServiceUnavailable",
        "apiserver is shutting down",
        headers={"Retry-After": "1"},
    )


def raw_response(error: StatusError) -> bytes:
    """A whole HTTP/1.1 response that closes the connection, for a connection with no
    request to answer through (its headers never all arrived)."""
    body = orjson.dumps(error.status())
    head = (
        f"HTTP/1.1 {error.code} {HTTPStatus(error.code).phrase}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body
