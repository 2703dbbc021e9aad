"""DELETE on a collection (handlers/delete.go DeleteCollection)."""

from __future__ import annotations

from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable, delete_options
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import CollectionDeleter


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, CollectionDeleter, "deletecollection")
    listing = options.list_options(req.query, req.served.info)
    opts = await delete_options(req)
    return VerbResult(200, await rest.delete_collection(req.namespace, listing, opts))
