"""Streamed responses: a watch as kube-apiserver writes one (handlers/watch.go): one JSON
event per line, flushed per event, BOOKMARKs while idle when the client allows them, and the
stream ended at its timeout, when the server drains, or when the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import orjson
from aiohttp import web

from annex_gateway.endpoints.scope import WatchStream

# kube-apiserver's cacher sends a bookmark to each watcher about once a minute.
BOOKMARK_INTERVAL = 60.0
# How often an idle watch looks up: is the client still there, is the server draining?
TICK = 1.0


async def serve_watch(
    request: web.Request, stream: WatchStream, stopping: Callable[[], bool]
) -> web.StreamResponse:
    # Starting the watch (its initial list, its revision) may fail with a Status: before a
    # byte is sent, so the error filter still answers it as one.
    async with stream.events as events:
        response = web.StreamResponse(status=200)
        response.content_type = "application/json"
        response.enable_chunked_encoding()
        await response.prepare(request)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + stream.timeout
        next_bookmark = loop.time() + BOOKMARK_INTERVAL
        while (left := deadline - loop.time()) > 0:
            try:
                event = await events.next(min(TICK, left))
            except StopAsyncIteration:
                break
            if event is None:
                transport = request.transport
                if stopping() or transport is None or transport.is_closing():
                    break
                if not (events.allow_bookmarks and loop.time() >= next_bookmark):
                    continue
                event = events.bookmark()
                next_bookmark = loop.time() + BOOKMARK_INTERVAL
            kind, obj = event
            try:
                await response.write(orjson.dumps({"type": kind, "object": obj}) + b"\n")
            except ConnectionError:
                return response
            if kind == "ERROR":
                break
        with contextlib.suppress(ConnectionError):
            await response.write_eof()
    return response
