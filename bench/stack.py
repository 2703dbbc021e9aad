"""The stack the end-to-end benches run against: the real control plane (binaries cached),
the ApiDefinition CRD, the operator and the gateway as `annex dev` starts them.

    async with annex_stack() as stack:
        stack.cp, stack.client, stack.port (the gateway's), stack.gateway_pid
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from annex_cli.dev import NAMESPACE, component_commands, ensure_namespace, install_crd
from annex_cli.serve import free_port
from annex_controlplane import ControlPlane
from annex_core.kube import KubeClient


@dataclass(frozen=True)
class Stack:
    cp: ControlPlane
    client: KubeClient
    port: int  # the gateway's HTTPS port on 127.0.0.1
    gateway_pid: int


@asynccontextmanager
async def annex_stack(
    namespaces: tuple[str, ...] = (),
    profile_gateway: Path | None = None,
    *,
    durable: bool = False,
) -> AsyncIterator[Stack]:
    """Control plane up, ApiDefinition CRD Established, `namespaces` made, operator and
    gateway running (their output discarded); all stopped on exit. With `profile_gateway`,
    the gateway runs under cProfile (bench/profiled.py), its stats written there on exit.
    `durable`: etcd syncs its commits to disk as the gateway's SQLite store does (the test
    harness's etcd does not: ControlPlane.start)."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        async with ControlPlane.start(durable=durable) as cp:
            print(f"control plane ready in {time.monotonic() - started:.1f}s (binaries cached)")
            async with await KubeClient.connect(cp.kubeconfig) as client:
                await install_crd(client)
                for namespace in (NAMESPACE, *namespaces):
                    await ensure_namespace(client, namespace)
                port = free_port()
                commands = component_commands(cp.kubeconfig, port, Path(tmp) / "annex.db")
                if profile_gateway is not None:  # [python, -m, module, ...]
                    python, _, module, *rest = commands["gateway"]
                    wrapper = str(Path(__file__).with_name("profiled.py"))
                    commands["gateway"] = [python, wrapper, str(profile_gateway), module, *rest]
                procs = [
                    await asyncio.create_subprocess_exec(
                        *commands[name],
                        stdout=asyncio.subprocess.DEVNULL,
                        stderr=asyncio.subprocess.DEVNULL,
                    )
                    for name in ("operator", "gateway")
                ]
                try:
                    yield Stack(cp, client, port, procs[1].pid)
                finally:
                    for proc in procs:
                        proc.terminate()
                    for proc in procs:
                        await proc.wait()
