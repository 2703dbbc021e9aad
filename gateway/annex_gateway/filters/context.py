"""What travels with a request through the filters to the handler: its RequestInfo, parsed
once by the first filter that needs it, and the authenticated user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from annex_gateway.filters.requestinfo import RequestInfo, parse


@dataclass(frozen=True)
class UserInfo:
    name: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestContext:
    info: RequestInfo
    user: UserInfo | None = None  # None: not authenticated (yet), or an always-allowed path


CONTEXT_KEY = web.RequestKey("annex_context", RequestContext)


@web.middleware
async def requestinfo_filter(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Parse what the request means once; everything after reads it from the context."""
    info = parse(request.method, request.rel_url.raw_path, request.query)
    request[CONTEXT_KEY] = RequestContext(info)
    return await handler(request)


def context_of(request: web.Request) -> RequestContext:
    return request[CONTEXT_KEY]
