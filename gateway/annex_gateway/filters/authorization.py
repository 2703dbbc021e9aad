"""The authorization seam: a decision per request from its context.

Today kube-apiserver has already authorized every request the front proxy forwards, so the
gateway allows what it authenticated (`FrontProxyTrusted`). SubjectAccessReview (delegated
authorization, with a decision cache) plugs in here as another `Authorizer`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from aiohttp.typedefs import Middleware

from annex_gateway import apierrors
from annex_gateway.filters.context import CONTEXT_KEY, RequestContext

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""


class Authorizer(Protocol):
    async def authorize(self, context: RequestContext) -> Decision: ...


class FrontProxyTrusted:
    """Allow every authenticated request: kube-apiserver authorized it before proxying."""

    async def authorize(self, context: RequestContext) -> Decision:
        return Decision(context.user is not None)


def authorization_filter(authorizer: Authorizer) -> Middleware:
    @web.middleware
    async def authorize(request: web.Request, handler: Handler) -> web.StreamResponse:
        context = request[CONTEXT_KEY]
        if context.user is None:  # an always-allowed path (health)
            return await handler(request)
        decision = await authorizer.authorize(context)
        if not decision.allowed:
            info = context.info
            raise apierrors.StatusError(
                403,
                "Forbidden",
                f'User "{context.user.name}" cannot {info.verb} path "{info.path}"'
                + (f": {decision.reason}" if decision.reason else ""),
            )
        return await handler(request)

    return authorize
