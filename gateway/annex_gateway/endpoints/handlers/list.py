"""GET on a collection (handlers/get.go ListResource)."""

from __future__ import annotations

from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Lister


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Lister, "list")
    listing = options.list_options(req.query, req.served.info)
    return VerbResult(200, {}, listed=await rest.list(req.namespace, listing))
