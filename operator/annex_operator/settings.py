"""What the operator writes and where: the contract it shares with the gateway."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from annex_core import defaults

Mode = Literal["cluster", "local"]
MODES: tuple[Mode, ...] = ("cluster", "local")

MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY = "kube-annex"
DEFINITION_LABEL = "annex.dev/api-definition"
# On each APIService: hashes of what the operator last saw the gateway serve for its
# group-version; writing new ones makes kube-apiserver refetch discovery at once.
DISCOVERY_HASH_ANNOTATION = "annex.dev/discovery-hash"
OPENAPI_HASH_ANNOTATION = "annex.dev/openapi-hash"


def _default_selector() -> Mapping[str, str]:
    return MappingProxyType({"app.kubernetes.io/name": "annex-gateway"})


@dataclass(frozen=True)
class OperatorSettings:
    namespace: str = defaults.NAMESPACE
    service_name: str = defaults.GATEWAY_SERVICE
    # The Service port kube-apiserver dials. In local mode (ExternalName → localhost) it is
    # the port the gateway listens on locally.
    service_port: int = 443
    tls_secret: str = defaults.TLS_SECRET
    mode: Mode = "cluster"
    field_manager: str = "annex-operator"
    gateway_selector: Mapping[str, str] = field(default_factory=_default_selector)
    gateway_target_port: int = 8443

    @property
    def nudge_field_manager(self) -> str:
        """Owns only the hash annotations: applying them under `field_manager` would drop
        the APIService's spec, which that manager owns."""
        return f"{self.field_manager}-discovery"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if not 1 <= self.service_port <= 65535:
            raise ValueError(f"service_port must be 1..65535, not {self.service_port}")
