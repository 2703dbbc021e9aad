"""PUT on an item or a subresource (handlers/update.go)."""

from __future__ import annotations

from typing import Any

from annex_gateway.endpoints import options
from annex_gateway.endpoints.decoding import decode_object
from annex_gateway.endpoints.handlers.common import capable, check_name, warned
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.jsoncopy import copy_json
from annex_gateway.registry.options import Preconditions
from annex_gateway.registry.rest import Updater

JSON = dict[str, Any]


async def handle(req: VerbRequest) -> VerbResult:
    rest = capable(req, Updater, "update")
    write = options.write_options(req.query, req.user_agent, "UpdateOptions")
    obj, warnings = await decode_object(req)
    check_name(req, obj)

    async def updated(_current: JSON | None) -> JSON:
        return copy_json(obj)  # a fresh copy per attempt: the store may change it

    # The body's uid is the update's precondition (rest.defaultUpdatedObjectInfo).
    uid = obj["metadata"].get("uid")
    preconditions = Preconditions(uid=uid) if uid else None
    with warned(warnings):
        result = await rest.update(
            req.namespace, req.name, updated, write, preconditions=preconditions
        )
    return VerbResult(201 if result.created else 200, result.object, (*warnings, *result.warnings))
