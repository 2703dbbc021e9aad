"""What a resource response looks like: the encoding and transformation negotiated from
Accept (Table, PartialObjectMetadata[List], as handlers/response.go transformObject does),
and a watch as kube-apiserver streams one (handlers/watch.go): one JSON event per line,
flushed per event, BOOKMARKs while idle when the client allows them, the stream ended at its
timeout, when the server drains, or when the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from annex_gateway.endpoints import table, transform
from annex_gateway.endpoints.scope import WatchStream

# kube-apiserver's cacher sends a bookmark to each watcher about once a minute.
BOOKMARK_INTERVAL = 60.0
# How often an idle watch looks up: is the client still there, is the server draining?
TICK = 1.0


@dataclass(frozen=True)
class Output:
    """How to answer: the negotiated encoding and transformation, and the Table's
    includeObject (checked only when a Table is asked for, as kube checks it)."""

    negotiated: transform.Negotiated
    include_object: table.IncludeObject = table.IncludeObject.METADATA

    @classmethod
    def negotiate(cls, accept: str | None, query: Mapping[str, str], watch: bool) -> Output:
        negotiated = transform.negotiate_watch(accept) if watch else transform.negotiate(accept)
        wanted = negotiated.transform
        if wanted is not None and wanted.kind == transform.TABLE:
            return cls(negotiated, table.include_object(query.get("includeObject")))
        return cls(negotiated)

    @property
    def media_type(self) -> str:
        return self.negotiated.media_type

    def body(self, obj: Mapping[str, Any], converter: table.TableConverter, is_list: bool) -> Any:
        """A response body as asked for: the object or list, or its Table or metadata."""
        shape = transform.transform_list if is_list else transform.transform_object
        return shape(
            obj, self.negotiated.transform, table=converter, include_object=self.include_object
        )

    def watch_events(self, converter: table.TableConverter) -> transform.WatchTransformer:
        return transform.WatchTransformer(
            self.negotiated.transform, table=converter, include_object=self.include_object
        )


async def serve_watch(
    request: web.Request,
    stream: WatchStream,
    stopping: Callable[[], bool],
    shape: transform.WatchTransformer,
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
                line = {"type": kind, "object": shape.event_object(obj)}
                await response.write(orjson.dumps(line) + b"\n")
            except ConnectionError:
                return response
            if kind == "ERROR":
                break
        with contextlib.suppress(ConnectionError):
            await response.write_eof()
    return response
