"""`annex serve [DIR]`: the gateway alone, on local TLS and SQLite, with APIs read from files.

A working Kubernetes-style API for kubectl with no cluster at all: it makes a local CA, a
serving certificate for localhost and an admin client certificate (x509 authentication),
and writes a kubeconfig that uses them.
"""

from __future__ import annotations

import argparse
import dataclasses
import socket
from dataclasses import dataclass
from pathlib import Path

import yaml

from annex_core import logs, tls
from annex_gateway.cli import add_serving_arguments, log_json, run_until_signalled, serving_options
from annex_gateway.runtime import GatewayOptions


@dataclass(frozen=True)
class LocalPki:
    ca: Path
    cert: Path
    key: Path
    client_cert: Path
    client_key: Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "definitions",
        nargs="?",
        type=Path,
        default=Path("examples"),
        help="file or directory of ApiDefinition YAML (default: examples)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="HTTPS port on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(".annex"),
        help="where the certificates, kubeconfig and SQLite file live (default: .annex)",
    )
    add_serving_arguments(parser)
    parser.add_argument("--log-format", choices=["auto", "json", "console"], default="auto")


def ensure_pki(state: Path) -> LocalPki:
    """Create the local CA and certificates once; later runs reuse them."""
    pki = LocalPki(
        state / "ca.crt",
        state / "serving.crt",
        state / "serving.key",
        state / "admin.crt",
        state / "admin.key",
    )
    if all(p.exists() for p in (pki.ca, pki.cert, pki.key, pki.client_cert, pki.client_key)):
        return pki
    state.mkdir(parents=True, exist_ok=True)
    ca = tls.make_ca("kube-annex local CA")
    serving = tls.make_cert(ca, "localhost", hosts=["localhost", "127.0.0.1", "::1"], server=True)
    admin = tls.make_cert(ca, "annex-admin", organizations=["system:masters"], client=True)
    pki.ca.write_bytes(ca.cert_pem)
    pki.cert.write_bytes(serving.cert_pem)
    _write_private(pki.key, serving.key_pem)
    pki.client_cert.write_bytes(admin.cert_pem)
    _write_private(pki.client_key, admin.key_pem)
    return pki


def _write_private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600)
    path.write_bytes(data)


def write_kubeconfig(path: Path, server: str, pki: LocalPki) -> None:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "annex",
                "cluster": {"server": server, "certificate-authority": str(pki.ca.resolve())},
            }
        ],
        "users": [
            {
                "name": "annex-admin",
                "user": {
                    "client-certificate": str(pki.client_cert.resolve()),
                    "client-key": str(pki.client_key.resolve()),
                },
            }
        ],
        "contexts": [
            {
                "name": "annex",
                "context": {"cluster": "annex", "user": "annex-admin", "namespace": "default"},
            }
        ],
        "current-context": "annex",
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def gateway_options(state: Path, pki: LocalPki, port: int, definitions: Path) -> GatewayOptions:
    """The gateway as `annex serve` runs it: loopback, local PKI, SQLite in the state dir."""
    return GatewayOptions(
        host="127.0.0.1",
        port=port,
        storage_path=state / "annex.db",
        tls_cert_file=pki.cert,
        tls_key_file=pki.key,
        client_ca_file=pki.ca,
        definitions=definitions,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main(args: argparse.Namespace) -> int:
    logs.configure(json=log_json(args.log_format))
    state: Path = args.state_dir
    pki = ensure_pki(state)
    port = args.port or free_port()
    kubeconfig = state / "kubeconfig"
    write_kubeconfig(kubeconfig, f"https://127.0.0.1:{port}", pki)
    print(f"kube-annex serving {args.definitions} on https://127.0.0.1:{port}", flush=True)
    print(f"export KUBECONFIG={kubeconfig.resolve()}", flush=True)
    options = gateway_options(state, pki, port, args.definitions)
    return run_until_signalled(dataclasses.replace(options, **serving_options(args)))
