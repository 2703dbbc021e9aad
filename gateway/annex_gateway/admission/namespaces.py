"""NamespaceLifecycle: no new objects in namespaces that don't exist or are being deleted.

kube-apiserver runs no admission for aggregated groups, so the gateway emulates
k8s.io/apiserver's plugin/namespace/lifecycle: a create in a missing namespace is 404, in a
terminating one 403 with cause `NamespaceTerminating`. Namespaces come from a lookup the
server provides (an informer with a live fallback), or none at all under `annex serve`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from annex_gateway import apierrors

NamespaceLookup = Callable[[str], Awaitable[dict[str, Any] | None]]


async def check_create(namespace: str, lookup: NamespaceLookup | None) -> None:
    if not namespace or lookup is None:
        return
    found = await lookup(namespace)
    if found is None:
        raise apierrors.StatusError(
            404,
            "NotFound",
            f'namespaces "{namespace}" not found',
            details={"name": namespace, "kind": "namespaces"},
        )
    terminating = (found.get("metadata") or {}).get("deletionTimestamp") or (
        (found.get("status") or {}).get("phase") == "Terminating"
    )
    if terminating:
        raise apierrors.StatusError(
            403,
            "Forbidden",
            f"unable to create new content in namespace {namespace} because it is being terminated",
            details={
                "name": namespace,
                "kind": "namespaces",
                "causes": [
                    {
                        "reason": "NamespaceTerminating",
                        "message": f"namespace {namespace} is being terminated",
                        "field": "metadata.namespace",
                    }
                ],
            },
        )
