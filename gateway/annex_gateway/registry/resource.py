"""One resource at one served version: its names, scope and how its objects are keyed."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annex_core.apidef import storage_key
from annex_core.selectable import SelectableField
from annex_gateway.conversion import Converter
from annex_gateway.storage import ObjectKey

JSON = dict[str, Any]
_serials = itertools.count()


@dataclass(frozen=True)
class ResourceInfo:
    group: str
    version: str  # the served version requests use
    storage_version: str
    plural: str
    kind: str
    list_kind: str
    namespaced: bool
    selectable: tuple[SelectableField, ...] = ()  # field selectors beyond metadata
    # Applies the served version's schema defaults to an object read from storage, as a CRD
    # defaults on every read, and tells whether it applied any (None: the schema has none).
    read_defaulter: Callable[[JSON], bool] | None = None
    # Conversion between versions (strategy Declarative or Webhook); None: strategy None,
    # versions differ by apiVersion only.
    converter: Converter | None = None
    # Unique to this compiled form: what it makes of a stored body can be kept under it.
    serial: int = field(default_factory=lambda: next(_serials), compare=False, repr=False)

    @property
    def selectable_labels(self) -> frozenset[str]:
        return frozenset(f.label for f in self.selectable)

    @property
    def stored_is_served(self) -> bool:
        """Whether stored bodies are the served objects byte for byte (no conversion, no
        defaults to apply on read): lists and watches can send them as they are."""
        return (
            self.version == self.storage_version
            and self.read_defaulter is None
            and self.converter is None
        )

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    def key(self, namespace: str, name: str) -> ObjectKey:
        return ObjectKey(
            storage_key(self.group, self.plural), namespace if self.namespaced else "", name
        )

    @property
    def storage_prefix(self) -> str:
        return storage_key(self.group, self.plural)

    def to_served(self, obj: JSON) -> JSON:
        """The stored object at the requested version (conversion None: the same fields;
        Declarative: converted here; Webhook: `served` converts it first)."""
        converter = self.converter
        if converter is not None and converter.synchronous:
            obj = converter.convert_sync(obj, self.version)
        self._stamp_and_default(obj)
        return obj

    def served_as_stored(self, obj: JSON) -> bool:
        """`to_served(obj)` in place, for a resource with no conversion (`converter` None);
        whether it changed nothing: then the stored bytes are the served ones (an object
        written under the current schema has its defaults already)."""
        assert self.converter is None
        return not self._stamp_and_default(obj)

    def _stamp_and_default(self, obj: JSON) -> bool:
        """The served apiVersion and kind, and the read defaults; whether `obj` changed."""
        changed = obj.get("apiVersion") != self.api_version or obj.get("kind") != self.kind
        obj["apiVersion"] = self.api_version
        obj["kind"] = self.kind
        if self.read_defaulter is not None and self.read_defaulter(obj):
            changed = True
        return changed

    def to_storage(self, obj: JSON) -> JSON:
        """The object at the storage version, whichever version it came in at: the same
        object sent at another version is no change, and writes no revision."""
        converter = self.converter
        if converter is not None and converter.synchronous:
            return converter.convert_sync(obj, self.storage_version, self.version)
        obj["apiVersion"] = f"{self.group}/{self.storage_version}"
        return obj

    async def served(self, obj: JSON) -> JSON:
        """The stored object at the requested version, whatever the conversion."""
        converter = self.converter
        if converter is not None and not converter.synchronous:
            obj = (await converter.convert([obj], self.version))[0]
        return self.to_served(obj)

    async def served_all(self, objects: list[JSON]) -> list[JSON]:
        """Stored objects at the requested version (one webhook call for all of them)."""
        converter = self.converter
        if converter is not None and not converter.synchronous:
            objects = await converter.convert(objects, self.version)
        return [self.to_served(obj) for obj in objects]

    async def stored(self, obj: JSON) -> JSON:
        """An object written at the requested version, at the storage version."""
        converter = self.converter
        if converter is not None and not converter.synchronous:
            return (await converter.convert([obj], self.storage_version, self.version))[0]
        return self.to_storage(obj)

    async def served_bodies(self, bodies: list[bytes]) -> list[bytes]:
        """Stored bodies at the requested version (converted: to_served still applies the
        read defaults); those already there untouched."""
        if self.converter is None:
            return bodies
        return await self.converter.convert_bodies(bodies, self.version)
