"""The outermost filter: every failure leaves as a Kubernetes Status, never a stack trace."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from annex_core import logs
from annex_gateway import apierrors

log = logs.get(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def status_response(error: apierrors.StatusError) -> web.Response:
    response = web.Response(
        body=orjson.dumps(error.status()), status=error.code, content_type="application/json"
    )
    response.headers.update(error.headers)
    for header in apierrors.warning_headers(error.warnings):
        response.headers.add("Warning", header)
    return response


@web.middleware
async def errors_filter(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except apierrors.StatusError as e:
        return status_response(e)
    except web.HTTPRequestEntityTooLarge:
        return status_response(apierrors.too_large("the request body is too large"))
    except web.HTTPNotFound:
        return status_response(apierrors.path_not_found())
    except web.HTTPMethodNotAllowed as e:
        return status_response(
            apierrors.StatusError(
                405,
                "MethodNotAllowed",
                f"the server does not allow this method on the requested resource ({e.method})",
            )
        )
    except web.HTTPException as e:
        return status_response(
            apierrors.StatusError(e.status, e.reason.replace(" ", ""), e.text or e.reason)
        )
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception as e:
        log.exception("request failed", method=request.method, path=request.path)
        return status_response(apierrors.internal(type(e).__name__))
