"""GET on a collection with `watch=true` (handlers/watch.go): typed options, the REST
object's watch; the server streams its events (endpoints/responses.py)."""

from __future__ import annotations

import random

from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable
from annex_gateway.endpoints.scope import VerbRequest, VerbResult, WatchStream
from annex_gateway.registry.rest import Watcher

# Without timeoutSeconds kube-apiserver ends a watch after a random time between its
# --min-request-timeout (1800 s) and twice that, so that clients do not all re-watch at once.
MIN_REQUEST_TIMEOUT = 1800.0


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Watcher, "watch")
    watching = options.watch_options(req.query, req.served.info)
    asked = options.timeout_seconds(req.query)
    timeout = float(asked) if asked is not None else MIN_REQUEST_TIMEOUT * (1 + random.random())
    events = rest.watch(req.namespace, watching)
    return VerbResult(200, {}, stream=WatchStream(events, timeout))
