"""Field ownership (managedFields) as the REST objects use it: one manager per resource
version, told which subresource writes (the Update and Apply operations of server-side apply)."""

from __future__ import annotations

from typing import Any, Protocol

JSON = dict[str, Any]


class FieldManager(Protocol):
    """patch.managedfields.FieldManager; a protocol so the registry can be tested alone."""

    async def update(
        self, live: JSON | None, new: JSON, manager: str, *, subresource: str = "", now: str
    ) -> JSON: ...

    async def apply(
        self,
        live: JSON | None,
        config: JSON,
        manager: str,
        *,
        force: bool,
        subresource: str = "",
        now: str,
    ) -> JSON: ...
