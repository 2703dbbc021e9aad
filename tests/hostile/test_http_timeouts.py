"""Slow clients are let go at the read timeouts (short ones here: 2 s for headers and bodies,
3 s idle): headers or a body that never finish are answered 408 with a `Status` and the
connection closed; a connection that says nothing, or never finishes its TLS handshake, is
closed. The bounds on how long that takes are generous: they catch a hang, not a slow
machine."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.hostile.raw import (
    IMAGES,
    Served,
    assert_status,
    closed,
    post_head,
    read_response,
    serve,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT = 2.0, 2.0, 3.0
# Cut at the timeout: well before this many seconds more.
MARGIN = 10.0


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def gateway(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    async with serve(
        tmp_path_factory.mktemp("timeouts"),
        f"--read-header-timeout={HEADER_TIMEOUT}",
        f"--read-body-timeout={BODY_TIMEOUT}",
        f"--idle-timeout={IDLE_TIMEOUT}",
    ) as served:
        yield served


async def answered_408_then_closed(
    gateway: Served, sent: bytes, then: bytes = b"", every: float = 0.0
) -> float:
    """Send `sent`, then `then` a byte at a time every `every` seconds until the server
    answers; the answer must be a 408 `Status` and the connection then closed. Returns the
    seconds from the first byte sent to the close."""
    reader, writer = await gateway.dial.connect()
    started = time.monotonic()

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError):
            for byte in then:
                await asyncio.sleep(every)
                writer.write(bytes([byte]))
                await writer.drain()

    trickling = asyncio.create_task(trickle())
    try:
        writer.write(sent)
        await writer.drain()
        response = await read_response(reader)
        status = assert_status(response, 408)
        assert status["reason"] == "Timeout", status
        assert response.closes, response.headers
        assert await closed(reader)
        return time.monotonic() - started
    finally:
        trickling.cancel()
        writer.close()


async def test_headers_that_never_end(gateway: Served) -> None:
    elapsed = await answered_408_then_closed(gateway, b"GET /version HTTP/1.1\r\nHost: x\r\n")
    assert elapsed < HEADER_TIMEOUT + MARGIN


async def test_headers_trickled_byte_by_byte_are_not_given_more_time(gateway: Served) -> None:
    """A byte every 0.2 s keeps no timer alive: the headers were due 2 s after the first."""
    trickled = b"X-Slow: " + b"a" * 500
    elapsed = await answered_408_then_closed(
        gateway, b"GET /version HTTP/1.1\r\n", trickled, every=0.2
    )
    assert elapsed < HEADER_TIMEOUT + MARGIN


async def test_a_body_that_stops_half_way(gateway: Served) -> None:
    elapsed = await answered_408_then_closed(gateway, post_head(IMAGES, 100) + b'{"apiVersion"')
    assert elapsed < BODY_TIMEOUT + MARGIN


async def test_a_body_trickled_byte_by_byte(gateway: Served) -> None:
    elapsed = await answered_408_then_closed(
        gateway, post_head(IMAGES, 1000), b" " * 1000, every=0.2
    )
    assert elapsed < BODY_TIMEOUT + MARGIN


async def test_a_chunk_declared_huge_and_never_sent(gateway: Served) -> None:
    """Chunk size 0x7fffffffffffffff, 10 bytes sent. aiohttp's parser does not tell the
    declared size, so this is refused at the body timeout, not at once."""
    head = post_head(IMAGES, 0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    elapsed = await answered_408_then_closed(gateway, head + b"7fffffffffffffff\r\n0123456789")
    assert elapsed < BODY_TIMEOUT + MARGIN


async def test_a_tls_connection_that_says_nothing_is_closed(gateway: Served) -> None:
    reader, writer = await gateway.dial.connect()
    try:
        assert await closed(reader, HEADER_TIMEOUT + MARGIN)
    finally:
        writer.close()


async def test_a_tcp_connection_that_never_shakes_hands_is_closed(gateway: Served) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.dial.port)
    try:
        assert await closed(reader, HEADER_TIMEOUT + MARGIN)
    finally:
        writer.close()


async def test_a_kept_alive_connection_is_closed_when_idle(gateway: Served) -> None:
    reader, writer = await gateway.dial.connect()
    try:
        writer.write(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        response = await read_response(reader)
        assert response.status == 200
        assert not response.closes
        assert await closed(reader, IDLE_TIMEOUT + MARGIN)
    finally:
        writer.close()


async def test_a_request_in_time_is_served(gateway: Served) -> None:
    """The counterpart: a client within the timeouts is answered, its connection kept."""
    reader, writer = await gateway.dial.connect()
    try:
        for _ in range(2):
            writer.write(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            response = await read_response(reader)
            assert response.status == 200
            assert not response.closes
    finally:
        writer.close()
