"""A real kube-apiserver and etcd on loopback, built from source once and cached.

async with ControlPlane.start() as cp:
    ...  # cp.kubeconfig, cp.server, cp.front_proxy_ca_pem, ...
"""

from annex_controlplane.build import (
    ETCD_VERSION,
    KUBERNETES_VERSION,
    Binaries,
    cached_binaries,
    ensure_binaries,
)
from annex_controlplane.cluster import ControlPlane
from annex_controlplane.errors import ControlPlaneError
from annex_controlplane.pki import Pki

__all__ = [
    "ETCD_VERSION",
    "KUBERNETES_VERSION",
    "Binaries",
    "ControlPlane",
    "ControlPlaneError",
    "Pki",
    "cached_binaries",
    "ensure_binaries",
]
