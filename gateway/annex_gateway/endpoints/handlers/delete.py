"""DELETE on an item (handlers/delete.go)."""

from __future__ import annotations

from annex_gateway.endpoints.handlers.common import capable, delete_options
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Deleter


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Deleter, "delete")
    opts = await delete_options(req)
    result = await rest.delete(req.namespace, req.name, opts)
    # 202 only when deletion is pending and the deprecated orphanDependents=false was sent.
    accepted = not result.deleted and opts.orphan_dependents is False
    return VerbResult(202 if accepted else 200, result.object)
