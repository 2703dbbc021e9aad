"""POST on a collection, or on one of its items (handlers/create.go)."""

from __future__ import annotations

from dataclasses import replace

from annex_gateway import apierrors
from annex_gateway.endpoints import options
from annex_gateway.endpoints.decoding import decode_object
from annex_gateway.endpoints.handlers.common import capable, warned
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Creater


async def handle(req: VerbRequest) -> VerbResult:
    if req.name and req.subresource:  # POST on a subresource: none takes one yet
        raise apierrors.method_not_supported(req.served.group, req.served.plural, "create")
    # POST on an item creates as on its collection, the URL's name ignored: kube-apiserver's
    # handler for a custom resource names the object from its body (includeName false).
    req = replace(req, name="")
    rest = capable(req, Creater, "create")
    write = options.write_options(req.query, req.user_agent)
    obj, warnings = await decode_object(req)
    with warned(warnings):
        result = await rest.create(req.namespace, obj, write)
    return VerbResult(201, result.object, (*warnings, *result.warnings))
