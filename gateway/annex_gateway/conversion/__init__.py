"""Conversion of one resource's objects between its versions (apiextensions-apiserver's
pkg/apiserver/conversion): every read into the requested version, every write into the
storage version.

An object's own `apiVersion` says which version it is at (objects stored before a change of
storage version keep theirs until the migrator rewrites them). Objects already at the target
version pass through; with `Declarative` the others move fields synchronously; with `Webhook`
they go to the webhook in one ConversionReview per batch (a list page, a watch event).
Strategy `None` has no converter at all: ResourceInfo rewrites apiVersion, as before.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import orjson

from annex_core.conversion import Conversion, DeclarativeConverter
from annex_gateway.conversion.webhook import WebhookClients, WebhookConverter

JSON = dict[str, Any]
EVENT_CACHE_BYTES = 4 * 1024 * 1024

__all__ = ["Converter", "WebhookClients", "converter_for"]


class Converter:
    """Converts the objects of one resource (group, kind) between its versions."""

    def __init__(
        self,
        group: str,
        kind: str,
        declarative: DeclarativeConverter | None = None,
        webhook: WebhookConverter | None = None,
    ) -> None:
        self.group = group
        self.kind = kind
        self._declarative = declarative
        self._webhook = webhook
        self._prefix = f'{{"apiVersion":"{group}/'.encode()
        # converted watch events by (version, stored bytes), least recently used out first
        self._events: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._events_bytes = 0
        self._inflight: dict[tuple[str, bytes], asyncio.Future[list[bytes]]] = {}

    @property
    def synchronous(self) -> bool:
        """Whether `convert_sync` can do every conversion (no webhook)."""
        return self._webhook is None

    def version_of(self, obj: JSON) -> str:
        api_version = obj.get("apiVersion")
        if isinstance(api_version, str):
            group, _, version = api_version.rpartition("/")
            if group == self.group:
                return version
        return ""

    def _typed(self, obj: JSON, version: str) -> JSON:
        """`obj` (changed in place) at `version`, apiVersion and kind first: `at_version`
        recognizes stored bytes by that."""
        obj.pop("apiVersion", None)
        obj.pop("kind", None)
        rest = list(obj.items())
        obj.clear()
        obj["apiVersion"] = f"{self.group}/{version}"
        obj["kind"] = self.kind
        obj.update(rest)
        return obj

    def convert_sync(self, obj: JSON, to_version: str, from_version: str | None = None) -> JSON:
        """`obj` at `to_version` (declarative conversion; changes and returns `obj`)."""
        source = from_version or self.version_of(obj)
        if source != to_version and self._declarative is not None:
            self._declarative.convert(obj, source, to_version)
        return self._typed(obj, to_version)

    async def convert(
        self, objects: Sequence[JSON], to_version: str, from_version: str | None = None
    ) -> list[JSON]:
        """Every object at `to_version`; `from_version` overrides what their apiVersion says
        (a write's body is at the version of its URL)."""
        if self._webhook is None:
            return [self.convert_sync(obj, to_version, from_version) for obj in objects]
        todo = [
            i
            for i, obj in enumerate(objects)
            if (from_version or self.version_of(obj)) != to_version
        ]
        result = list(objects)
        if todo:
            sent = []
            for i in todo:
                obj = objects[i]
                if from_version is not None:
                    obj = self._typed(obj, from_version)
                sent.append(obj)
            converted = await self._webhook.convert(sent, f"{self.group}/{to_version}", self.kind)
            for i, obj in zip(todo, converted, strict=True):
                result[i] = obj
        return [self._typed(obj, to_version) for obj in result]

    async def to_api_version(self, obj: JSON, api_version: str) -> JSON:
        """`obj` (changed) at `api_version` ("group/version"): how field management moves an
        object to the version a manager recorded its fields at."""
        return (await self.convert([obj], api_version.rpartition("/")[2]))[0]

    def at_version(self, body: bytes, version: str) -> bool:
        """Whether stored bytes are already at `version`, from their first bytes (objects the
        gateway writes start with apiVersion; others are decoded and converted, still right)."""
        return body.startswith(self._prefix + version.encode() + b'"')

    async def convert_bodies(self, bodies: list[bytes], to_version: str) -> list[bytes]:
        """Stored bodies at `to_version`: those already there as they are, the others
        decoded, converted (one webhook call for all of them) and encoded. A single body (a
        watch event, the same bytes for every watcher) is converted once for all of them."""
        todo = [i for i, b in enumerate(bodies) if not self.at_version(b, to_version)]
        if not todo:
            return bodies
        if len(bodies) == 1:
            return [await self._convert_event(bodies[0], to_version)]
        return await self._convert_bodies(bodies, todo, to_version)

    async def _convert_event(self, body: bytes, to_version: str) -> bytes:
        key = (to_version, body)
        cached = self._events.get(key)
        if cached is not None:
            self._events.move_to_end(key)
            return cached
        task = self._inflight.get(key)
        if task is None:
            # A task of its own: a watcher going away does not cancel the others' conversion.
            task = asyncio.ensure_future(self._convert_bodies([body], [0], to_version))
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return (await asyncio.shield(task))[0]

    def _finished(self, key: tuple[str, bytes], task: asyncio.Future[list[bytes]]) -> None:
        del self._inflight[key]
        if not task.cancelled() and task.exception() is None:
            self._remember(key, task.result()[0])

    def _remember(self, key: tuple[str, bytes], body: bytes) -> None:
        self._events[key] = body
        self._events_bytes += len(key[1]) + len(body)
        while self._events_bytes > EVENT_CACHE_BYTES and self._events:
            (_, old), converted = self._events.popitem(last=False)
            self._events_bytes -= len(old) + len(converted)

    async def _convert_bodies(
        self, bodies: list[bytes], todo: list[int], to_version: str
    ) -> list[bytes]:
        converted = await self.convert([orjson.loads(bodies[i]) for i in todo], to_version)
        result = list(bodies)
        for i, obj in zip(todo, converted, strict=True):
            result[i] = orjson.dumps(obj)
        return result


def converter_for(
    group: str,
    kind: str,
    versions: Sequence[str],
    conversion: Conversion,
    webhooks: WebhookClients | None,
) -> Converter | None:
    """The converter of a resource; None for strategy None (apiVersion rewritten only)."""
    if conversion.strategy == "Declarative":
        return Converter(
            group, kind, declarative=DeclarativeConverter(tuple(versions), conversion.rules)
        )
    if conversion.strategy == "Webhook" and conversion.webhook is not None:
        clients = webhooks if webhooks is not None else WebhookClients()
        return Converter(group, kind, webhook=WebhookConverter(conversion.webhook, clients))
    return None
