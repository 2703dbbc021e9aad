"""The control plane's PKI, laid out like kubeadm's /etc/kubernetes/pki.

Two CAs, as in a real cluster: the cluster CA signs the serving certificate and client
certificates (`--client-ca-file`); the front-proxy CA signs only the aggregator's client
certificate (`--requestheader-client-ca-file`), so no ordinary client can assert X-Remote-*.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from annex_core.tls import KeyPair, make_ca, make_cert, make_rsa_signing_key

SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24"
# The first address of the service range: the `kubernetes` Service's ClusterIP.
KUBERNETES_SERVICE_IP = "10.0.0.1"
APISERVER_HOSTS = (
    "127.0.0.1",
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    KUBERNETES_SERVICE_IP,
)
FRONT_PROXY_CLIENT_NAME = "front-proxy-client"
ADMIN_USER = "kube-annex-admin"
ADMIN_GROUP = "system:masters"


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path


@dataclass(frozen=True)
class Pki:
    """Paths of every PEM file; keys are mode 0600."""

    directory: Path
    ca: CertFiles
    apiserver: CertFiles
    admin: CertFiles
    front_proxy_ca: CertFiles
    front_proxy_client: CertFiles
    service_account_key: Path
    service_account_public_key: Path


def create_pki(directory: Path) -> Pki:
    """Generate fresh CAs and certificates into `directory` (blocking: run it in a thread)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = make_ca("kube-annex-cluster-ca")
    front_proxy_ca = make_ca("kube-annex-front-proxy-ca")
    apiserver = make_cert(ca, "kube-apiserver", hosts=APISERVER_HOSTS, server=True)
    admin = make_cert(ca, ADMIN_USER, organizations=[ADMIN_GROUP], client=True)
    front_proxy_client = make_cert(front_proxy_ca, FRONT_PROXY_CLIENT_NAME, client=True)
    sa_private, sa_public = make_rsa_signing_key()

    sa_key = directory / "sa.key"
    sa_pub = directory / "sa.pub"
    _write(sa_key, sa_private, secret=True)
    _write(sa_pub, sa_public, secret=False)
    return Pki(
        directory=directory,
        ca=_write_pair(directory, "ca", ca),
        apiserver=_write_pair(directory, "apiserver", apiserver),
        admin=_write_pair(directory, "admin", admin),
        front_proxy_ca=_write_pair(directory, "front-proxy-ca", front_proxy_ca),
        front_proxy_client=_write_pair(directory, "front-proxy-client", front_proxy_client),
        service_account_key=sa_key,
        service_account_public_key=sa_pub,
    )


def _layout(directory: Path) -> Pki:
    def pair(name: str) -> CertFiles:
        return CertFiles(cert=directory / f"{name}.crt", key=directory / f"{name}.key")

    return Pki(
        directory=directory,
        ca=pair("ca"),
        apiserver=pair("apiserver"),
        admin=pair("admin"),
        front_proxy_ca=pair("front-proxy-ca"),
        front_proxy_client=pair("front-proxy-client"),
        service_account_key=directory / "sa.key",
        service_account_public_key=directory / "sa.pub",
    )


def load_or_create_pki(directory: Path) -> Pki:
    """The PKI already in `directory` if complete (a resumed control plane keeps the CAs its
    etcd data was written under), else a fresh one (blocking: run it in a thread)."""
    existing = _layout(directory)
    files = [
        existing.service_account_key,
        existing.service_account_public_key,
        *(
            path
            for pair in (
                existing.ca,
                existing.apiserver,
                existing.admin,
                existing.front_proxy_ca,
                existing.front_proxy_client,
            )
            for path in (pair.cert, pair.key)
        ),
    ]
    if all(path.is_file() for path in files):
        return existing
    return create_pki(directory)


def _write_pair(directory: Path, name: str, pair: KeyPair) -> CertFiles:
    files = CertFiles(cert=directory / f"{name}.crt", key=directory / f"{name}.key")
    _write(files.cert, pair.cert_pem, secret=False)
    _write(files.key, pair.key_pem, secret=True)
    return files


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    # Create with the final mode so a key is never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
