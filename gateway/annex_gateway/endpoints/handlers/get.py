"""GET on an item (handlers/get.go)."""

from __future__ import annotations

from typing import cast

from annex_gateway import apierrors
from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable, has_capability
from annex_gateway.endpoints.queryparams import bool_param
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import Getter, StoredGetter


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Getter, "get")
    if "export" in req.query and bool_param(req.query, "export"):
        raise apierrors.bad_request(
            "the export parameter, deprecated since v1.14, is no longer supported"
        )
    # Any version not newer than the store's reads the latest; a newer one is 504.
    rv = options.resource_version(req.query)
    at_least = int(rv) if rv is not None and rv != "0" else None
    if req.compact_json and has_capability(rest, StoredGetter):
        stored = await cast(StoredGetter, rest).get_stored(
            req.namespace, req.name, at_least=at_least
        )
        if stored is not None:  # as lists and watches send it: not decoded, not encoded
            return VerbResult(200, {}, encoded=stored)
    return VerbResult(200, await rest.get(req.namespace, req.name, at_least=at_least))
