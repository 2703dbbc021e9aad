"""DELETE on a collection (handlers/delete.go DeleteCollection)."""

from __future__ import annotations

from annex_core.schema import fielderrors
from annex_gateway import apierrors
from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.common import capable, delete_options
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.registry.rest import CollectionDeleter


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, CollectionDeleter, "deletecollection")
    listing = options.list_options(req.query, req.served.info)
    opts = await delete_options(req)
    if opts.ignore_store_read_error:  # after the options' own validation, as kube checks it
        unsafe = fielderrors.invalid(
            options.IGNORE_READ_ERROR,
            True,
            "is not allowed with DELETECOLLECTION, try again after removing the option",
        )
        raise apierrors.invalid("meta.k8s.io", "DeleteOptions", "", [unsafe])
    return VerbResult(200, await rest.delete_collection(req.namespace, listing, opts))
