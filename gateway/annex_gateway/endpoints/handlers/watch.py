"""GET on a collection with `watch=true`, or on the deprecated `/watch/` paths
(handlers/get.go ListResource with forceWatch): typed options, the REST object's watch; the
server streams its events (endpoints/responses.py)."""

from __future__ import annotations

import dataclasses
import random

from annex_gateway import apierrors
from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable
from annex_gateway.endpoints.scope import VerbRequest, VerbResult, WatchStream
from annex_gateway.registry import selectors
from annex_gateway.registry.rest import Watcher

# Without timeoutSeconds kube-apiserver ends a watch after a random time between its
# --min-request-timeout (1800 s) and twice that, so that clients do not all re-watch at once.
MIN_REQUEST_TIMEOUT = 1800.0
NANOSECONDS = 10**9


def watch_timeout(asked: int | None) -> float:
    """Seconds until the watch ends, as handlers/get.go computes them: none or 0 is the random
    default; otherwise a time.Duration of int64 nanoseconds, which wraps as Go's does (so -1,
    or 2**63 - 1 seconds, end the watch at once rather than never)."""
    if not asked:
        return MIN_REQUEST_TIMEOUT * (1 + random.random())
    nanoseconds = (asked * NANOSECONDS + 2**63) % 2**64 - 2**63
    return max(nanoseconds / NANOSECONDS, 0.0)


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Watcher, "watch")
    watching = options.watch_options(req.query, req.served.info)
    if req.name:  # a watch of one object: its name as the field selector, or the selector's
        fields = watching.list.fields
        if fields.empty:
            by_name = selectors.FieldSelector(
                (selectors.FieldRequirement("metadata.name", req.name, False),)
            )
            watching = dataclasses.replace(
                watching, list=dataclasses.replace(watching.list, fields=by_name)
            )
        elif fields.exact("metadata.name") != req.name:
            raise apierrors.bad_request("fieldSelector metadata.name doesn't match requested name")
    timeout = watch_timeout(options.timeout_seconds(req.query))
    events = rest.watch(req.namespace, watching)
    return VerbResult(200, {}, stream=WatchStream(events, timeout))
