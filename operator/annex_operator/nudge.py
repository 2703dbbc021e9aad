"""The discovery nudge: after a reconcile, touch the definition's APIServices once the gateway
serves what the definition declares, so kube-apiserver refetches at once.

kube-aggregator caches each APIService's discovery document and merged OpenAPI v2 and
refetches them every minute, or at once on an update event of the APIService. The operator
polls `/apis/<g>/<v>` through kube-apiserver (proxied to the gateway, never cached) with
backoff until it lists the declared resources, then applies the hashes of what it saw as
annotations. OpenAPI v3 group-version documents are proxied on every request and need no
nudge; kube-apiserver's `/openapi/v3` root (their hashes) refreshes only on its own minute.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from annex_core import logs
from annex_core.apidef import ApiDefinition
from annex_core.kube import KubeApiError, KubeClient, resource_path
from annex_operator import manifests, served

log = logs.get(__name__)

# What a poll may meet while the gateway reloads or restarts: kube-apiserver's 503 or the
# gateway's 404, a refused or cut connection, a timeout.
TRANSIENT = (KubeApiError, aiohttp.ClientError, TimeoutError)


class Nudger:
    """One nudge task per definition; a newer reconcile replaces the one in flight."""

    def __init__(self, client: KubeClient, field_manager: str) -> None:
        self._client = client
        self._field_manager = field_manager
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def schedule(self, definition: ApiDefinition, apiservices: Sequence[Mapping[str, Any]]) -> None:
        """Nudge the APIServices (as just applied) that kube-apiserver reports Available."""
        self.cancel(definition.name)
        versions = [str(s["spec"]["version"]) for s in apiservices if served.is_available(s)]
        if not versions:
            return
        task = asyncio.create_task(
            self._nudge(definition, versions), name=f"nudge {definition.name}"
        )
        self._tasks[definition.name] = task
        task.add_done_callback(lambda done: self._forget(definition.name, done))

    def cancel(self, definition_name: str) -> None:
        task = self._tasks.pop(definition_name, None)
        if task is not None:
            task.cancel()

    async def close(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _forget(self, definition_name: str, done: asyncio.Task[None]) -> None:
        if self._tasks.get(definition_name) is done:
            del self._tasks[definition_name]

    async def _nudge(self, definition: ApiDefinition, versions: Sequence[str]) -> None:
        await asyncio.gather(*(self._nudge_version(definition, v) for v in versions))

    async def _nudge_version(self, definition: ApiDefinition, version: str) -> None:
        name = manifests.apiservice_name(version, definition.group)
        try:
            seen = await self._observe(definition, version)
            if seen is None:
                # Not fatal: kube-apiserver refetches on its own within a minute.
                log.warning("the gateway did not serve the definition in time", apiservice=name)
                return
            await self._touch(definition, name, seen)
        except Exception:  # the next reconcile nudges again
            log.exception("could not nudge the apiservice", apiservice=name)

    async def _observe(self, definition: ApiDefinition, version: str) -> served.Seen | None:
        """Poll until the gateway's discovery lists what the definition declares; what was seen."""
        group_version = f"{definition.group}/{version}"
        for delay in itertools.chain([0.0], served.backoff()):
            await asyncio.sleep(delay)
            try:
                resource_list = await self._client.get(f"/apis/{group_version}")
                if not served.lists_declared(definition, version, resource_list):
                    continue
                openapi_v3 = await self._client.get(f"/openapi/v3/apis/{group_version}")
            except TRANSIENT as e:
                log.debug("gateway not serving yet", group_version=group_version, error=str(e))
                continue
            return served.Seen.of(resource_list, openapi_v3)
        return None

    async def _touch(self, definition: ApiDefinition, name: str, seen: served.Seen) -> None:
        """Apply the hashes seen, unless the APIService records them already or is not ours."""
        path = resource_path(manifests.APIREGISTRATION, "apiservices", name=name)
        current = await self._client.get_or_none(path)
        if current is None or manifests.definition_name_of(current) != definition.name:
            return  # deleted meanwhile (a reconcile recreates it) or not ours to write
        if not served.needs_nudge(current, seen):
            return
        intent = manifests.apiservice_annotations(name, seen.annotations())
        await self._client.apply(path, intent, field_manager=self._field_manager)
        log.info("apiservice nudged", apiservice=name, discovery_hash=seen.discovery[:12])
