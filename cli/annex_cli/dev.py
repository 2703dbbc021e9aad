"""`annex dev`: a real local control plane with the operator and the gateway as processes.

kube-apiserver and etcd come from the harness (built once, cached). The operator runs in
local mode: its Service is `type: ExternalName`, `externalName: localhost`, so the
aggregator dials the gateway on this machine's loopback. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import yaml

from annex_cli.serve import free_port
from annex_controlplane import ControlPlane
from annex_core import defaults, logs
from annex_core.kube import KubeApiError, KubeClient, resource_path

REPO = Path(__file__).resolve().parents[2]
CRD_FILE = REPO / "manifests" / "crd" / "apidefinitions.annex.dev.yaml"
NAMESPACE = defaults.NAMESPACE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(".annex/dev"),
        help="control plane data, kubeconfig and gateway storage (default: .annex/dev)",
    )
    parser.add_argument(
        "--gateway-port", type=int, default=0, help="gateway port (default: a free one)"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start from an empty cluster and store (default: resume both from --state-dir)",
    )


async def install_crd(client: KubeClient, crd_file: Path = CRD_FILE) -> None:
    """Server-side apply the ApiDefinition CRD and wait until it is Established."""
    crd = yaml.safe_load(await asyncio.to_thread(crd_file.read_text))
    path = resource_path(
        "apiextensions.k8s.io/v1", "customresourcedefinitions", name=crd["metadata"]["name"]
    )
    await client.apply(path, crd, field_manager="annex-dev")
    for _ in range(100):
        current = await client.get(path)
        conditions = (current.get("status") or {}).get("conditions") or []
        if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the ApiDefinition CRD did not become Established")


async def ensure_namespace(client: KubeClient, name: str) -> None:
    try:
        await client.create(
            resource_path("v1", "namespaces"),
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
        )
    except KubeApiError as e:
        if e.status != 409:
            raise


def component_commands(kubeconfig: Path, port: int, storage: Path) -> dict[str, list[str]]:
    """The `annex operator` and `annex gateway` command lines for a local run."""
    annex = [sys.executable, "-m", "annex_cli.main"]
    return {
        "operator": [
            *annex,
            "operator",
            "--mode",
            "local",
            "--kubeconfig",
            str(kubeconfig),
            "--namespace",
            NAMESPACE,
            "--service-port",
            str(port),
        ],
        "gateway": [
            *annex,
            "gateway",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--kubeconfig",
            str(kubeconfig),
            "--tls-secret",
            f"{NAMESPACE}/{defaults.TLS_SECRET}",
            "--storage",
            str(storage),
        ],
    }


@contextlib.asynccontextmanager
async def processes(
    commands: Sequence[list[str]],
) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    started = [await asyncio.create_subprocess_exec(*cmd) for cmd in commands]
    try:
        yield started
    finally:
        for process in started:
            if process.returncode is None:
                process.terminate()
        for process in started:
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


def forget_storage(state: Path) -> None:
    """The gateway's store, which must start empty when etcd does (blocking)."""
    for suffix in ("", "-wal", "-shm"):
        (state / f"annex.db{suffix}").unlink(missing_ok=True)


async def run_dev(state: Path, port: int, fresh: bool = False) -> None:
    """Resume the cluster (etcd, PKI) and the gateway's store together, or (`fresh`) neither:
    objects in the store never outlive the namespaces and ApiDefinitions etcd holds."""
    await asyncio.to_thread(state.mkdir, parents=True, exist_ok=True)
    if fresh:
        await asyncio.to_thread(forget_storage, state)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # With the garbage collector and namespace controller, so ownerReferences and namespace
    # deletion work on the annex resources as in a real cluster.
    async with ControlPlane.start(
        state / "controlplane", keep_workdir=True, resume=not fresh, controllers=True
    ) as cp:
        async with await KubeClient.connect(cp.kubeconfig) as client:
            await install_crd(client)
            await ensure_namespace(client, NAMESPACE)
        commands = component_commands(cp.kubeconfig, port, state / "annex.db")
        async with processes(list(commands.values())) as running:
            print(
                f"\nkube-annex dev is up. Use:\n  export KUBECONFIG={cp.kubeconfig}\n"
                "  kubectl apply -f examples/images/apidefinition.yaml\n"
                "  kubectl wait --for=condition=Available apiservice/v1alpha1.images.example.com\n"
                "Ctrl-C stops everything.\n",
                flush=True,
            )
            waits = [asyncio.ensure_future(p.wait()) for p in running]
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait([stopped, *waits], return_when=asyncio.FIRST_COMPLETED)
            for name, process in zip(commands, running, strict=True):
                if process.returncode is not None and not stop.is_set():
                    print(
                        f"annex {name} exited with {process.returncode}; stopping", file=sys.stderr
                    )
            stopped.cancel()
            for wait in waits:
                wait.cancel()


def main(args: argparse.Namespace) -> int:
    logs.configure(json=False)
    asyncio.run(run_dev(args.state_dir, args.gateway_port or free_port(), args.fresh))
    return 0
