"""GET on an item (handlers/get.go)."""

from __future__ import annotations

from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Getter


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Getter, "get")
    options.resource_version(req.query)  # parsed strictly, though any version reads the latest
    return VerbResult(200, await rest.get(req.namespace, req.name))
