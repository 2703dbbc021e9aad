"""The operator and gateway processes against a real control plane, exactly as `annex dev` runs them.

Shared by the integration and end-to-end modules that need an aggregated API behind
kube-apiserver; each module starts its own stack (module scope) on the session control plane.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from annex_cli.dev import NAMESPACE, component_commands, ensure_namespace, install_crd
from annex_cli.serve import free_port
from annex_controlplane import ControlPlane
from annex_core.kube import KubeClient
from tests.helpers import (
    REPO,
    Kubectl,
    eventually,
    log_tail,
    service_account_kubeconfig,
    start_process,
    stop_process,
)


@dataclass
class Stack:
    control_plane: ControlPlane
    kubectl: Kubectl
    gateway_port: int
    gateway: asyncio.subprocess.Process
    gateway_log: Path
    operator_log: Path
    gateway_command: tuple[str, ...] = ()

    @property
    def gateway_url(self) -> str:
        return f"https://127.0.0.1:{self.gateway_port}"

    async def restart_gateway(self) -> None:
        """Stop the gateway (SIGTERM) and start it again on the same store and port; the new
        process logs after the old one's lines."""
        await stop_process(self.gateway)
        with self.gateway_log.open("a") as log:
            log.write("--- restarted ---\n")
        self.gateway = await start_process(
            list(self.gateway_command), self.gateway_log, append=True
        )


@asynccontextmanager
async def running_stack(control_plane: ControlPlane, work: Path) -> AsyncIterator[Stack]:
    """The ApiDefinition CRD, the namespace, and the operator and gateway as their ServiceAccounts.

    On exit every ApiDefinition is deleted while the operator still runs (its finalizer removes
    the APIServices), so the next module finds a clean cluster.
    """
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        await install_crd(client)
        await ensure_namespace(client, NAMESPACE)
    kubectl = Kubectl(control_plane.kubeconfig, work / "kubectl-cache")
    # Both components run as their ServiceAccounts: the shipped RBAC must be enough.
    await kubectl("apply", "--server-side", "-k", str(REPO / "manifests" / "rbac"))
    port = free_port()
    commands = {
        name: component_commands(
            await service_account_kubeconfig(
                kubectl, NAMESPACE, f"annex-{name}", work / f"{name}.kubeconfig"
            ),
            port,
            work / "annex.db",
        )[name]
        for name in ("operator", "gateway")
    }
    operator = await start_process(commands["operator"], work / "operator.log")
    gateway = await start_process(commands["gateway"], work / "gateway.log")
    stack = Stack(
        control_plane,
        kubectl,
        port,
        gateway,
        work / "gateway.log",
        work / "operator.log",
        tuple(commands["gateway"]),
    )
    try:
        yield stack
        await kubectl(
            "delete", "apidefinitions", "--all", "--wait=true", "--timeout=60s", check=False
        )
    finally:
        await stop_process(stack.gateway)
        await stop_process(operator)
        print("--- gateway log ---\n" + log_tail(work / "gateway.log"))
        print("--- operator log ---\n" + log_tail(work / "operator.log"))


async def wait_available(kubectl: Kubectl, apiservice: str, timeout: float = 90) -> None:
    """Until the APIService exists and `kubectl wait` sees it Available."""

    async def exists() -> bool:
        return (await kubectl("get", "apiservice", apiservice, check=False)).returncode == 0

    await eventually(exists, timeout=timeout, what=f"APIService {apiservice} to exist")
    await kubectl(
        "wait",
        "--for=condition=Available",
        f"apiservice/{apiservice}",
        f"--timeout={timeout:.0f}s",
        timeout=timeout + 10,
    )
