"""The server the listener hands connections to: the application's handler behind the checks
made on headers alone, and the drain on stop, as kube-apiserver drains (genericapiserver.go,
filters/waitgroup.go).

Draining: requests in flight finish and their responses say `Connection: close`; a request
that starts on a kept-alive connection meanwhile is answered 503 with `Retry-After: 1`;
whatever is still in flight at the deadline is cut. Idle connections are closed once nothing
is in flight, so a request is either answered or never read."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import HttpVersion, HttpVersion11, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http_parser import RawRequestMessage
from aiohttp.streams import StreamReader

from annex_core import logs
from annex_gateway.filters.errors import status_response
from annex_gateway.serving import status
from annex_gateway.serving.connection import Connection
from annex_gateway.serving.heap import HeapTrimmer, malloc_trim
from annex_gateway.serving.limits import BODY_DEADLINE, BodyDeadline, Timeouts, early_refusal

log = logs.get(__name__)

AppHandler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]
UNSUPPORTED_VERSION = web.RequestKey("unsupported_version", HttpVersion)

# Served while draining, as kube-apiserver exempts them from its Retry-After answers.
_PROBE_PREFIXES = ("/readyz", "/livez", "/healthz", "/metrics")
# Once the drain is over, how long handlers cut at the deadline get to unwind.
_UNWIND_SECONDS = 1.0
# After a response to a request whose body is still coming, how long the rest is read and
# dropped before closing, so the client can read the response (net/http waits 500 ms).
LINGER_SECONDS = 0.5


def exempt_from_drain(request: web.BaseRequest) -> bool:
    """Health probes, and kube-apiserver's own calls (filters/with_retry_after.go)."""
    return request.path.startswith(_PROBE_PREFIXES) or request.headers.get(
        "User-Agent", ""
    ).startswith("kube-apiserver/")


class GatewayRequest(web.Request):
    """A request whose response names no server, as net/http's: aiohttp adds `Server` to every
    response it prepares, and this hook runs as any response is prepared — the application's
    answers and those written below it (drain and version refusals, unparsable requests)."""

    async def _prepare_hook(self, response: web.StreamResponse) -> None:
        response.headers.popall("Server", None)
        await super()._prepare_hook(response)  # the application's on_response_prepare


class GatewayServer(web.Server):
    def __init__(
        self, runner: web.AppRunner, *, timeouts: Timeouts, max_body: int, **options: Any
    ) -> None:
        """`runner` is the application's, set up: its handler and request factory are wrapped
        here."""
        super().__init__(self._handle, request_factory=self._make_request)
        assert runner.server is not None, "the runner is set up"
        self._app_handler: AppHandler = runner.server.request_handler
        self._app = runner.app
        self._timeouts = timeouts
        self._max_body = max_body
        self._connection_options = {
            "keepalive_timeout": timeouts.idle,
            "lingering_time": LINGER_SECONDS,
            **options,
        }
        self._request_done = asyncio.Event()
        self._heap = HeapTrimmer(malloc_trim())
        self.draining = False

    def __call__(self) -> Connection:
        return Connection(
            self,
            loop=asyncio.get_running_loop(),
            read_header_timeout=self._timeouts.read_header,
            on_request_done=self._request_done.set,
            on_closed=self._heap.connection_closed,
            **self._connection_options,
        )

    def _make_request(
        self,
        message: RawRequestMessage,
        payload: StreamReader,
        protocol: web.RequestHandler,
        writer: AbstractStreamWriter,
        task: asyncio.Task[None],
    ) -> web.BaseRequest:
        if self.draining:  # its response says `Connection: close`, whatever it is
            message = message._replace(should_close=True)
        unsupported = message.version if message.version.major != 1 else None
        if unsupported is not None:  # refused in HTTP/1.1, the version it is answered in
            message = message._replace(version=HttpVersion11, should_close=True)
        if isinstance(protocol, Connection):
            protocol.request_started()
        request = self._app._make_request(message, payload, protocol, writer, task, GatewayRequest)
        if unsupported is not None:
            request[UNSUPPORTED_VERSION] = unsupported
        return request

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if self.draining and not exempt_from_drain(request):
            return _closing(status_response(status.shutting_down()))
        version = request.get(UNSUPPORTED_VERSION)
        if version is not None:
            return _closing(status_response(status.unsupported_version(*version)))
        refusal = early_refusal(request.headers, request.content_length, self._max_body)
        if refusal is not None:
            return _closing(status_response(refusal))
        loop = asyncio.get_running_loop()
        seconds = self._timeouts.read_body
        request[BODY_DEADLINE] = BodyDeadline(loop.time() + seconds, seconds)
        response = await self._app_handler(request)
        if self.draining or not request.content.is_eof():
            # Draining; or a body still coming that nobody read: net/http closes then too.
            response.force_close()
        return response

    def _busy(self) -> list[Connection]:
        return [c for c in self.connections if isinstance(c, Connection) and c.busy]

    async def drain(self, timeout: float) -> None:
        """Let the requests in flight finish, for at most `timeout` seconds, then close every
        connection, cutting those still busy. The caller stops accepting connections first."""
        self.draining = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        log.info("draining requests in flight", in_flight=len(self._busy()), seconds=timeout)
        while self._busy() and loop.time() < deadline:
            self._request_done.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    await self._request_done.wait()
        busy = self._busy()
        if busy:
            log.warning("drain deadline passed: cutting requests in flight", cut=len(busy))
        for connection in busy:
            connection.force_close()
        # aiohttp's own stop: idle connections close, handlers still running are cancelled.
        self.pre_shutdown()
        await self.shutdown(_UNWIND_SECONDS)
        await self._heap.close()


def _closing(response: web.Response) -> web.Response:
    response.force_close()
    return response
