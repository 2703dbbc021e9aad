"""NamespaceLifecycle: no new objects in namespaces that don't exist or are being deleted.

kube-apiserver runs no admission for aggregated groups, so the gateway emulates
k8s.io/apiserver's plugin/namespace/lifecycle: a create in a missing namespace is 404, in a
terminating one 403 with cause `NamespaceTerminating`. Namespaces come from a lookup the
server provides (an informer with a live fallback), or none at all under `annex serve`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from annex_core.schema.names import is_dns1123_label
from annex_gateway import apierrors

NamespaceLookup = Callable[[str], Awaitable[dict[str, Any] | None]]


async def check_create(
    namespace: str, lookup: NamespaceLookup | None, group: str, plural: str, name: str
) -> None:
    """`name`: the object's as admission sees it before names are generated (its name, else
    its generateName, else "Unknown": admission's extractResourceName).

    A namespace that could not be named (`UPPER`, `..`, `a%2Fb`) cannot exist: 404 without
    asking anyone, under `annex serve` too (no namespace objects there to ask about)."""
    if not namespace:
        return
    if not is_dns1123_label(namespace):
        raise _not_found(namespace)
    if lookup is None:
        return
    found = await lookup(namespace)
    if found is None:
        raise _not_found(namespace)
    terminating = (found.get("metadata") or {}).get("deletionTimestamp") or (
        (found.get("status") or {}).get("phase") == "Terminating"
    )
    if terminating:
        raise apierrors.forbidden(
            group,
            plural,
            name,
            f"unable to create new content in namespace {namespace} because it is being terminated",
            [
                {
                    "reason": "NamespaceTerminating",
                    "message": f"namespace {namespace} is being terminated",
                    "field": "metadata.namespace",
                }
            ],
        )


def _not_found(namespace: str) -> apierrors.StatusError:
    return apierrors.StatusError(
        404,
        "NotFound",
        f'namespaces "{namespace}" not found',
        details={"name": namespace, "kind": "namespaces"},
    )
