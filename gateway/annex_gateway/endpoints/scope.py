"""What a verb handler gets and gives: the request, typed and resolved once (the route's
served resource, the subresource, the raw query and body), and the result to send."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annex_gateway.endpoints.limits import DEFAULT_LIMITS, DecodeLimits
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.registry.listing import ObjectList
from annex_gateway.registry.watching import ResourceWatch

JSON = dict[str, Any]


@dataclass(frozen=True)
class VerbRequest:
    served: ServedResource
    namespace: str = ""
    name: str = ""
    subresource: str = ""
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None
    user_agent: str | None = None
    limits: DecodeLimits = DEFAULT_LIMITS  # what a body may become once decoded
    # The answer is the object itself as compact JSON (no transformation, not pretty, not
    # YAML): a stored body that is what is served can be sent as it is.
    compact_json: bool = False

    @property
    def target(self) -> object | None:
        return self.served.target(self.subresource)


@dataclass(frozen=True)
class VerbResult:
    status: int
    body: JSON
    warnings: tuple[str, ...] = ()  # sent as `Warning: 299 - "..."` headers
    stream: WatchStream | None = None  # a watch: events follow, the body is unused
    listed: ObjectList | None = None  # a list: sent as it is read, the body is unused
    encoded: bytes | None = None  # the body already as compact JSON: sent as it is


@dataclass(frozen=True)
class WatchStream:
    events: ResourceWatch
    timeout: float  # seconds until the server ends the watch
