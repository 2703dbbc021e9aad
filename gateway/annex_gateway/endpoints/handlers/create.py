"""POST on a collection (handlers/create.go)."""

from __future__ import annotations

from annex_gateway import apierrors
from annex_gateway.endpoints import options
from annex_gateway.endpoints.decoding import decode_object
from annex_gateway.endpoints.handlers.common import capable, warned
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Creater


async def handle(req: VerbRequest) -> VerbResult:
    if req.name:  # POST on an item: no subresource takes one yet
        raise apierrors.method_not_supported(req.served.group, req.served.plural, "create")
    rest = capable(req, Creater, "create")
    write = options.write_options(req.query, req.user_agent)
    obj, warnings = await decode_object(req)
    with warned(warnings):
        result = await rest.create(req.namespace, obj, write)
    return VerbResult(201, result.object, (*warnings, *result.warnings))
