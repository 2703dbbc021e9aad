"""The outermost filter: every failure leaves as a Kubernetes Status, never a stack trace.

The Status is written in the type the client accepts, as responsewriters.ErrorNegotiated
writes it: YAML when Accept asks for YAML, JSON otherwise (also when nothing in Accept fits).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from annex_core import logs
from annex_gateway import apierrors
from annex_gateway.endpoints import negotiation

log = logs.get(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def status_response(
    error: apierrors.StatusError, media_type: str = negotiation.JSON, pretty: bool = False
) -> web.Response:
    response = web.Response(
        body=negotiation.encode(error.status(), media_type, pretty=pretty),
        status=error.code,
        content_type=media_type,
    )
    response.headers.update(error.headers)
    # ErrorNegotiated: a Status that says when to retry says it in the header too, which
    # client-go's request retry reads (429 and 5xx).
    retry_after = (error.details or {}).get("retryAfterSeconds")
    if isinstance(retry_after, int) and retry_after > 0:
        response.headers["Retry-After"] = str(retry_after)
    for header in apierrors.warning_headers(error.warnings):
        response.headers.add("Warning", header)
    return response


@web.middleware
async def errors_filter(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception as e:
        media_type, pretty = _error_encoding(request)
        return status_response(_as_status(request, e), media_type, pretty)


def _error_encoding(request: web.Request) -> tuple[str, bool]:
    """ErrorNegotiated's choice, made with the default endpoint restrictions (no Table, no
    PartialObjectMetadata): the first Accept clause it can write, pretty when that clause
    says `pretty=1` or isPrettyPrint says so; when no clause fits, WriteRawJSON's indented
    JSON (json.MarshalIndent)."""
    try:
        return negotiation.plain_encoding(
            request.headers.get("Accept"), request.query, request.headers.get("User-Agent")
        )
    except apierrors.StatusError:
        return negotiation.JSON, True


def _as_status(request: web.Request, e: Exception) -> apierrors.StatusError:
    if isinstance(e, apierrors.StatusError):
        return e
    if isinstance(e, web.HTTPRequestEntityTooLarge):
        return apierrors.too_large("the request body is too large")
    if isinstance(e, web.HTTPNotFound):
        return apierrors.path_not_found()
    if isinstance(e, web.HTTPMethodNotAllowed):
        return apierrors.StatusError(
            405,
            "MethodNotAllowed",
            f"the server does not allow this method on the requested resource ({e.method})",
        )
    if isinstance(e, web.HTTPException):
        return apierrors.StatusError(e.status, e.reason.replace(" ", ""), e.text or e.reason)
    log.exception("request failed", method=request.method, path=request.path)
    return apierrors.internal(type(e).__name__)
