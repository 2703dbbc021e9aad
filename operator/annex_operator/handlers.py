"""kopf handlers, registered in an explicit registry (nothing happens at import time).

Handlers return nothing: kopf would store return values in `.status`, which belongs to us.
"""

from __future__ import annotations

import os
from typing import Any

import kopf

from annex_core import apidef, logs
from annex_operator.login import connection_info
from annex_operator.manifests import definition_name_of
from annex_operator.reconcile import ReconcileBlocked, Reconciler
from annex_operator.settings import MANAGED_BY, MANAGED_BY_LABEL

log = logs.get(__name__)

# Transient failures (kube-apiserver unreachable, conflicts) are retried soon; blocked
# reconciles (a foreign object in the way) wait longer, as a person has to act.
RETRY_BACKOFF = 10.0
BLOCKED_DELAY = 60.0


def build_registry(
    reconciler: Reconciler, kubeconfig: str | os.PathLike[str] | None
) -> kopf.OperatorRegistry:
    registry = kopf.OperatorRegistry()
    definitions = (apidef.GROUP, apidef.VERSION, apidef.PLURAL)

    @kopf.on.login(id="login", registry=registry)
    async def login(**_: Any) -> kopf.ConnectionInfo:
        return await connection_info(kubeconfig, default_namespace=reconciler.settings.namespace)

    @kopf.on.resume(*definitions, id="reconcile", registry=registry, backoff=RETRY_BACKOFF)
    @kopf.on.create(*definitions, id="reconcile", registry=registry, backoff=RETRY_BACKOFF)
    @kopf.on.update(*definitions, id="reconcile", registry=registry, backoff=RETRY_BACKOFF)
    async def reconcile(body: kopf.Body, **_: Any) -> None:
        try:
            await reconciler.reconcile(body)
        except ReconcileBlocked as e:
            raise kopf.TemporaryError(str(e), delay=BLOCKED_DELAY) from e

    # Not optional: kopf adds its finalizer, so the APIServices go before the definition.
    @kopf.on.delete(*definitions, id="cleanup", registry=registry, backoff=RETRY_BACKOFF)
    async def cleanup(name: str, **_: Any) -> None:
        await reconciler.cleanup(name)

    @kopf.on.event(
        "apiregistration.k8s.io",
        "v1",
        "apiservices",
        id="availability",
        registry=registry,
        labels={MANAGED_BY_LABEL: MANAGED_BY},
    )
    async def apiservice_changed(body: kopf.Body, type: str | None, **_: Any) -> None:
        definition = definition_name_of(body)
        if definition is None:
            return
        try:
            if type == "DELETED":
                # Ours, deleted by someone else: put it back while the version is served.
                await reconciler.repair(definition)
            await reconciler.sync_available(definition)
        except ReconcileBlocked:
            pass  # the status says why; kopf's handler retries the definition
        except Exception:  # the next event of its APIServices tries again
            log.exception("could not update from an apiservice event", definition=definition)

    return registry
