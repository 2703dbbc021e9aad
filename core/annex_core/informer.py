"""A minimal informer: list, then watch from the list's resourceVersion; relist on 410.

It keeps the current objects by name and calls `on_change(objects)` with a fresh snapshot
after the initial list and after every change, so that consumers can rebuild immutable
state (the gateway's route table, its front-proxy trust) and swap it in one assignment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from annex_core import logs
from annex_core.kube import JSON, KubeApiError, KubeClient

log = logs.get(__name__)

OnChange = Callable[[Mapping[str, JSON]], Awaitable[None] | None]


def _object_name(obj: JSON) -> str:
    meta = obj.get("metadata", {})
    namespace = meta.get("namespace")
    return f"{namespace}/{meta['name']}" if namespace else str(meta["name"])


class Informer:
    def __init__(
        self,
        client: KubeClient,
        path: str,
        on_change: OnChange,
        *,
        params: Mapping[str, Any] | None = None,
        watch_timeout: int = 300,
        retry_delay: float = 1.0,
    ) -> None:
        self._client = client
        self._path = path
        self._on_change = on_change
        self._params = dict(params or {})
        self._watch_timeout = watch_timeout
        self._retry_delay = retry_delay
        self._objects: dict[str, JSON] = {}
        self.synced = asyncio.Event()

    async def run(self) -> None:
        """Run until cancelled, recovering from every error by relisting."""
        while True:
            try:
                resource_version: str | None = await self._list()
                while resource_version is not None:
                    resource_version = await self._watch(resource_version)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # keep informing whatever went wrong; log it
                log.warning("informer error; relisting", path=self._path, error=str(e))
                await asyncio.sleep(self._retry_delay)

    async def _list(self) -> str:
        listing = await self._client.get(self._path, **self._params)
        self._objects = {_object_name(o): o for o in listing.get("items", [])}
        await self._notify()
        self.synced.set()
        return str(listing["metadata"]["resourceVersion"])

    async def _watch(self, resource_version: str) -> str | None:
        """Watch once; return the resourceVersion to resume from, or None to relist."""
        try:
            async for event in self._client.watch(
                self._path,
                resource_version=resource_version,
                timeout_seconds=self._watch_timeout,
                **self._params,
            ):
                kind, obj = event.get("type"), event.get("object", {})
                if kind == "ERROR":
                    log.info("watch error event; relisting", path=self._path, status=obj)
                    return None
                resource_version = str(
                    obj.get("metadata", {}).get("resourceVersion", resource_version)
                )
                if kind == "BOOKMARK":
                    continue
                name = _object_name(obj)
                if kind == "DELETED":
                    self._objects.pop(name, None)
                else:
                    self._objects[name] = obj
                await self._notify()
        except KubeApiError as e:
            if e.status == 410:
                return None
            raise
        return resource_version

    async def _notify(self) -> None:
        result = self._on_change(dict(self._objects))
        if result is not None:
            await result
