"""How long a client may take to send a request, and how big its body may be, checked before
the application reads it.

The timeouts are kube-apiserver's (k8s.io/apiserver secure_serving.go): its net/http server
reads headers within ReadHeaderTimeout (32 s, "just shy of requestTimeoutUpperBound") and
drops idle keep-alive connections after IdleTimeout (90 s). It has no body read timeout of
its own; its --request-timeout (60 s) bounds the whole request, body included."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from annex_gateway.apierrors import StatusError
from annex_gateway.serving import status


@dataclass(frozen=True)
class Timeouts:
    read_header: float = 32.0  # from a connection's start or a request's first byte
    read_body: float = 60.0  # from the end of a request's headers
    idle: float = 90.0  # a kept-alive connection between requests


@dataclass(frozen=True)
class BodyDeadline:
    at: float  # on the event loop's clock
    seconds: float


BODY_DEADLINE = web.RequestKey("body_deadline", BodyDeadline)


def early_refusal(
    headers: Mapping[str, str], content_length: int | None, max_body: int
) -> StatusError | None:
    """A request refused on its headers alone, before a byte of its body is read (nor a
    `100 Continue` sent for it): an expectation net/http would not meet, or a declared body
    over the limit — kube-apiserver would read up to the limit first."""
    expect = headers.get("Expect")
    if expect is not None and expect.strip().lower() != "100-continue":
        return status.expectation_failed(expect)
    if content_length is not None and content_length > max_body:
        return status.body_too_large(max_body)
    return None


async def read_body(request: web.Request) -> bytes:
    """The request body, or a 408 `Status` when it has not all arrived by the deadline its
    connection set when its headers were read."""
    if not request.can_read_body:
        return b""
    deadline = request.get(BODY_DEADLINE)
    if deadline is None or request.content.is_eof():  # all here: late to read is no timeout
        return await request.read()
    try:
        async with asyncio.timeout_at(deadline.at):
            return await request.read()
    except TimeoutError:
        raise status.body_timeout(deadline.seconds) from None
