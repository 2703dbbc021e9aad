"""One thin module per verb: typed options from the request, the REST call, the result.

`HANDLERS` maps each Kubernetes verb to its handler; a route serves a verb only if the REST
object it addresses has the capability (registry.rest), which each handler checks first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType

from annex_gateway.endpoints.handlers import (
    create,
    delete,
    deletecollection,
    get,
    patch,
    update,
    watch,
)
from annex_gateway.endpoints.handlers import list as list_
from annex_gateway.endpoints.scope import VerbRequest, VerbResult

Handler = Callable[[VerbRequest], Awaitable[VerbResult]]

HANDLERS: Mapping[str, Handler] = MappingProxyType(
    {
        "create": create.handle,
        "delete": delete.handle,
        "deletecollection": deletecollection.handle,
        "get": get.handle,
        "list": list_.handle,
        "patch": patch.handle,
        "update": update.handle,
        "watch": watch.handle,
    }
)
