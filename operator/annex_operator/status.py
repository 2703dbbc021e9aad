"""Read-modify-write of an ApiDefinition's status, safe against concurrent writers.

The reconciler and the APIService watcher both write conditions. Each write carries the
resourceVersion it was computed from, so a write based on a stale read fails with 409 and
is recomputed instead of silently dropping the other writer's condition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from annex_core.apidef import API_VERSION, PLURAL
from annex_core.kube import JSON, KubeApiError, KubeClient, resource_path

Mutation = Callable[[Mapping[str, Any]], JSON | None]
"""Given the current object, the new `status` (or None to leave it alone)."""

ATTEMPTS = 5


def definition_path(name: str, subresource: str | None = None) -> str:
    return resource_path(API_VERSION, PLURAL, name=name, subresource=subresource)


async def update_status(client: KubeClient, name: str, mutate: Mutation) -> JSON | None:
    """Apply `mutate` to the definition's status; return the new status, None if unchanged/gone."""
    for attempt in range(ATTEMPTS):
        current = await client.get_or_none(definition_path(name))
        if current is None:
            return None
        new = mutate(current)
        if new is None or new == current.get("status"):
            return None
        patch = {
            "metadata": {"resourceVersion": current["metadata"]["resourceVersion"]},
            # A merge patch replaces lists and merges maps; send the whole status so that
            # fields we dropped are removed (null) and lists are exact.
            "status": _with_removals(current.get("status") or {}, new),
        }
        try:
            await client.merge_patch(definition_path(name, "status"), patch)
        except KubeApiError as e:
            if e.status == 409 and attempt + 1 < ATTEMPTS:
                continue
            if e.status == 404:
                return None
            raise
        return new
    return None  # unreachable: the last attempt raises


def _with_removals(old: Mapping[str, Any], new: Mapping[str, Any]) -> JSON:
    return {**{k: None for k in old if k not in new}, **new}
