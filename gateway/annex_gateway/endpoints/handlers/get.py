"""GET on an item (handlers/get.go)."""

from __future__ import annotations

from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Getter


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Getter, "get")
    # Any version not newer than the store's reads the latest; a newer one is 504.
    rv = options.resource_version(req.query)
    at_least = int(rv) if rv is not None and rv != "0" else None
    return VerbResult(200, await rest.get(req.namespace, req.name, at_least=at_least))
