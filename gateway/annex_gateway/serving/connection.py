"""One client connection: aiohttp's HTTP/1.1 protocol, with what it answers on its own (a
request it cannot parse) answered as a `Status`, a deadline on each request's headers, and
whether a request is in flight on it, for the drain."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter

from annex_core import logs
from annex_gateway.filters.errors import status_response
from annex_gateway.serving.status import header_timeout, malformed, raw_response, unexpected

log = logs.get(__name__)


class Connection(web.RequestHandler):
    def __init__(
        self,
        manager: web.Server,
        *,
        loop: asyncio.AbstractEventLoop,
        read_header_timeout: float,
        on_request_done: Callable[[], None],
        on_closed: Callable[[], None],
        **options: Any,
    ) -> None:
        super().__init__(manager, loop=loop, **options)
        self._read_header_timeout = read_header_timeout
        self._on_request_done = on_request_done
        self._on_closed = on_closed
        self._header_timer: asyncio.TimerHandle | None = None
        self._partial_request = False  # bytes of a request came, not yet all its headers
        self.busy = False  # a request is being answered: from its headers to its response

    # -- a deadline on headers, as net/http's ReadHeaderTimeout ------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        # The first request's headers are due from the connection's start, as in net/http:
        # a client that connects (and shakes hands) and then says nothing is let go too.
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        if data and not self.busy:
            self._partial_request = True
            if self._header_timer is None:
                self._start_header_timer()
        super().data_received(data)

    def _start_header_timer(self) -> None:
        self._header_timer = self._loop.call_later(
            self._read_header_timeout, self._header_timer_fired
        )

    def _header_timer_fired(self) -> None:
        # One more turn of the loop: headers completed by the data just received have their
        # request dispatched (and the timer cancelled) by the connection's task first.
        self._header_timer = None
        self._loop.call_soon(self._headers_overdue)

    def _headers_overdue(self) -> None:
        if self.busy or self.transport is None:
            return
        if self._partial_request:
            self.transport.write(raw_response(header_timeout(self._read_header_timeout)))
        log.debug("request headers overdue: connection closed", peer=str(self.peername))
        self.force_close()

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    # -- requests in flight --------------------------------------------------------------

    def request_started(self) -> None:
        self.busy = True
        self._partial_request = False
        self._cancel_header_timer()

    async def finish_response(
        self, request: web.BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        try:
            return await super().finish_response(request, resp, start_time)
        finally:
            self._request_done()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)
        self._request_done()
        self._on_closed()

    def _request_done(self) -> None:
        if self.busy:
            self.busy = False
            self._on_request_done()

    # -- what aiohttp answers by itself --------------------------------------------------

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """A request the parser refused (400) or a failure outside the application's error
        filter (500, 504), as a `Status`; the connection closes after it."""
        writer: AbstractStreamWriter = request.writer
        if writer.output_size > 0:  # a response was begun: nothing more can be said
            raise ConnectionError("the response was already started")
        if status == 400:
            error = malformed(exc)
            log.debug("malformed request", peer=str(self.peername), error=error.message)
        else:
            error = unexpected(status)
            log.error("request failed outside the application", exc_info=exc)
        response = status_response(error)
        response.force_close()
        return response
