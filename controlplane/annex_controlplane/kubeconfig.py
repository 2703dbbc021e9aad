"""A self-contained admin kubeconfig (certificates embedded, so it survives copying)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import yaml

from annex_controlplane.pki import Pki

CONTEXT = "kube-annex"


def render_kubeconfig(server: str, pki: Pki) -> str:
    def b64(path: Path) -> str:
        return base64.b64encode(path.read_bytes()).decode()

    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT,
                "cluster": {"server": server, "certificate-authority-data": b64(pki.ca.cert)},
            }
        ],
        "users": [
            {
                "name": "kube-annex-admin",
                "user": {
                    "client-certificate-data": b64(pki.admin.cert),
                    "client-key-data": b64(pki.admin.key),
                },
            }
        ],
        "contexts": [
            {"name": CONTEXT, "context": {"cluster": CONTEXT, "user": "kube-annex-admin"}}
        ],
        "current-context": CONTEXT,
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False)


def write_kubeconfig(path: Path, server: str, pki: Pki) -> Path:
    """Write it with mode 0600: it holds a system:masters key."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(render_kubeconfig(server, pki))
    return path
