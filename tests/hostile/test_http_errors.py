"""Requests broken at the HTTP level, sent raw over TLS to the gateway alone: each answered
with a Kubernetes `Status` whose code is the HTTP status, then the connection closed — no
text/plain from aiohttp, no hang. Bodies over the 3 MiB limit are refused from their headers,
before a `100 Continue`."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

from annex_gateway.endpoints.negotiation import MAX_BODY_BYTES
from tests.hostile.conftest import API_VERSION, COLLECTION, Target
from tests.hostile.raw import (
    WAIT,
    Dial,
    assert_status,
    closed,
    post_head,
    read_head,
    read_response,
    request_once,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


def get(headers: bytes) -> bytes:
    return b"GET /version HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"


def post(headers: bytes, body: bytes = b"") -> bytes:
    return (
        b"POST " + COLLECTION.encode() + b" HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\n" + headers + b"\r\n" + body
    )


CHUNKED = b"Transfer-Encoding: chunked\r\n"

MALFORMED: dict[str, tuple[bytes, int]] = {
    # request lines: methods and versions
    "method with a symbol": (b"G@T /version HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "unknown method": (post(b"").replace(b"POST", b"FOO", 1), 400),
    "lower-case method": (b"get /version HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "binary request line": (b"\x80\xff\x00\x01 / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "TLS inside TLS": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, 400),
    "no HTTP version": (b"GET /version\r\nHost: x\r\n\r\n", 400),
    "bad HTTP version": (b"GET /version HTTP/1.x\r\nHost: x\r\n\r\n", 400),
    "HTTP/0.9": (b"GET /version HTTP/0.9\r\nHost: x\r\n\r\n", 400),
    "HTTP/2.0 in an HTTP/1 request line": (b"GET /version HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    # headers too big or too many, and a request line too long
    "header value of 20 KB": (get(b"X-A: " + b"a" * 20_000 + b"\r\n"), 431),
    "header name of 9 KB": (get(b"X" * 9_000 + b": a\r\n"), 431),
    "300 headers": (get(b"".join(b"X-%d: a\r\n" % i for i in range(300))), 431),
    "URL of 10 KB": (b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 431),
    # duplicated headers
    "two Content-Lengths": (post(b"Content-Length: 2\r\nContent-Length: 3\r\n", b"{}"), 400),
    "two Hosts": (get(b"Host: y\r\n"), 400),
    # Content-Length that is no length
    **{
        f"Content-Length {value}": (post(b"Content-Length: %s\r\n" % value.encode()), 400)
        for value in ("-1", "abc", "+5", "0x10", "1 2", "99999999999999999999999")
    },
    # raw bytes where text belongs
    "control byte in a header value": (get(b"X-A: a\x01b\r\n"), 400),
    "NUL in a header value": (get(b"X-A: a\x00b\r\n"), 400),
    "space in a header name": (get(b"X A: b\r\n"), 400),
    "header without a colon": (get(b"nocolon\r\n"), 400),
    "folded header": (get(b"X-A: a\r\n b\r\n"), 400),
    "bare LF line ends": (b"GET /version HTTP/1.1\nHost: x\n\n", 400),
    "no Host": (b"GET /version HTTP/1.1\r\n\r\n", 400),
    # transfer encodings and chunked framing
    "Transfer-Encoding with Content-Length": (
        post(b"Content-Length: 2\r\n" + CHUNKED, b"0\r\n\r\n"),
        400,
    ),
    "Transfer-Encoding gzip": (post(b"Transfer-Encoding: gzip\r\n"), 400),
    "chunked then gzip": (post(b"Transfer-Encoding: chunked, gzip\r\n"), 400),
    "chunk size not hex": (post(CHUNKED, b"zz\r\nab\r\n0\r\n\r\n"), 400),
    "negative chunk size": (post(CHUNKED, b"-1\r\nab\r\n0\r\n\r\n"), 400),
    "chunk longer than its size": (post(CHUNKED, b"2\r\n{}XX\r\n0\r\n\r\n"), 400),
    "chunk size over 2^64": (post(CHUNKED, b"1ffffffffffffffff\r\n{}\r\n"), 400),
}


async def answer_then_close(dial: Dial, data: bytes) -> tuple[int, dict[str, object], bool]:
    reader, writer = await dial.connect()
    try:
        writer.write(data)
        await writer.drain()
        response = await read_response(reader)
        assert response.version in ("HTTP/1.0", "HTTP/1.1"), response.version
        status = assert_status(response, response.status)
        return response.status, status, await closed(reader)
    finally:
        writer.close()


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_malformed_request_gets_a_status_and_the_connection_closes(
    direct: Target, case: str
) -> None:
    data, code = MALFORMED[case]
    answered, status, was_closed = await answer_then_close(Dial.to(direct), data)
    assert answered == code, status
    assert was_closed, "the connection stays open after a malformed request"


async def test_a_declared_length_over_the_limit_is_refused_before_the_body(
    direct: Target,
) -> None:
    """Content-Length 10^12 with 10 bytes sent: 413 at once, not a wait for the rest."""
    reader, writer = await Dial.to(direct).connect()
    try:
        writer.write(post_head(COLLECTION, 10**12) + b"0123456789")
        await writer.drain()
        response = await read_response(reader)
        status = assert_status(response, 413)
        assert status["reason"] == "RequestEntityTooLarge"
        assert status["message"] == f"Request entity too large: limit is {MAX_BODY_BYTES}"
        assert response.closes
        assert await closed(reader)
    finally:
        writer.close()


async def test_expect_100_continue_over_the_limit_gets_413_not_100(direct: Target) -> None:
    reader, writer = await Dial.to(direct).connect()
    try:
        writer.write(post_head(COLLECTION, 100 * 2**20, "Expect: 100-continue\r\n"))
        await writer.drain()
        version, code, headers = await read_head(reader)
        assert code == 413, (version, code, headers)
        assert headers.get("connection") == "close"
        body = await reader.readexactly(int(headers["content-length"]))
        assert json.loads(body)["reason"] == "RequestEntityTooLarge"
        assert await closed(reader)
    finally:
        writer.close()


async def test_expect_100_continue_within_the_limit_continues(direct: Target) -> None:
    """The counterpart: a body the server will take is asked for, then created."""
    body = json.dumps(
        {"apiVersion": API_VERSION, "kind": "Probe", "metadata": {"name": "continued"}}
    ).encode()
    reader, writer = await Dial.to(direct).connect()
    try:
        writer.write(post_head(COLLECTION, len(body), "Expect: 100-continue\r\n"))
        await writer.drain()
        assert (await read_head(reader))[1] == 100
        writer.write(body)
        await writer.drain()
        response = await read_response(reader)
        assert response.status == 201, response.body
    finally:
        writer.close()


async def test_an_expectation_other_than_100_continue_gets_417(direct: Target) -> None:
    reader, writer = await Dial.to(direct).connect()
    try:
        writer.write(post_head(COLLECTION, 2, "Expect: 200-ok\r\n") + b"{}")
        await writer.drain()
        assert_status(await read_response(reader), 417)
        assert await closed(reader)
    finally:
        writer.close()


async def test_a_chunked_body_over_the_limit_gets_413_as_it_arrives(direct: Target) -> None:
    """No length to refuse early on: refused once more than the limit has come."""
    reader, writer = await Dial.to(direct).connect()
    chunk = b"%x\r\n%s\r\n" % (2**20, b" " * 2**20)

    async def send_too_much() -> None:
        with contextlib.suppress(ConnectionError):
            writer.write(
                post_head(COLLECTION, 0).replace(
                    b"Content-Length: 0", b"Transfer-Encoding: chunked"
                )
            )
            for _ in range(MAX_BODY_BYTES // 2**20 + 2):
                writer.write(chunk)
                await writer.drain()

    sending = asyncio.create_task(send_too_much())
    try:
        response = await read_response(reader)
        status = assert_status(response, 413)
        assert status["reason"] == "RequestEntityTooLarge"
        assert response.closes
        assert await closed(reader)
        await asyncio.wait_for(sending, WAIT)
    finally:
        sending.cancel()
        writer.close()


async def test_the_gateway_serves_on_after_the_malformed_requests(direct: Target) -> None:
    reader, writer = await Dial.to(direct).connect()
    try:
        writer.write(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        assert (await read_response(reader)).status == 200
    finally:
        writer.close()
    assert direct.alive()


async def test_no_answer_names_a_server(direct: Target) -> None:
    """net/http names no server: neither does the gateway, in the application's answers (an
    object list, /version, a Status) as in those written below it (assert_status checks them)."""
    for path in ("/version", COLLECTION, f"{COLLECTION}/nothing"):
        data = b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode()
        response = await request_once(Dial.to(direct), data)
        assert response.status in (200, 404), (path, response.status)
        assert "server" not in response.headers, path
