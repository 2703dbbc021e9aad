"""Run etcd, kube-apiserver and optionally kube-controller-manager on loopback, and tear them
down again, whatever happens."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from annex_controlplane import reaper
from annex_controlplane.build import Binaries, ensure_binaries
from annex_controlplane.errors import ControlPlaneError
from annex_controlplane.flags import (
    CONTROLLER_HEALTHZ_NAMES,
    apiserver_args,
    controller_manager_args,
    etcd_args,
)
from annex_controlplane.kubeconfig import write_kubeconfig
from annex_controlplane.pki import Pki, load_or_create_pki
from annex_controlplane.ports import LOOPBACK, free_ports
from annex_controlplane.probe import Probe
from annex_controlplane.process import ManagedProcess
from annex_controlplane.progress import Reporter, stderr_reporter

READY_TIMEOUT_SECONDS = 90.0
ETCD_TIMEOUT_SECONDS = 30.0
CONTROLLER_MANAGER_TIMEOUT_SECONDS = 60.0
POLL_SECONDS = 0.25
# A free port can be taken between our check and the child's bind; try again a few times.
PORT_ATTEMPTS = 3
ADDRESS_IN_USE = "address already in use"

# What a client of the aggregation layer needs besides /readyz: the ConfigMap an aggregated
# server reads its front-proxy trust from, and the namespace everything lands in by default.
READY_PATHS = (
    "/readyz",
    "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication",
    "/api/v1/namespaces/default",
)


@dataclass(frozen=True)
class ControlPlane:
    """A running kube-apiserver and etcd. Get one from `ControlPlane.start()`."""

    server: str
    kubeconfig: Path
    workdir: Path
    pki: Pki
    etcd_url: str
    binaries: Binaries
    ca_pem: bytes
    front_proxy_ca_pem: bytes
    apiserver_log: Path
    etcd_log: Path
    # Set when started with `controllers=True`.
    controller_manager_log: Path | None = None
    controller_manager_url: str | None = None

    @property
    def ca_file(self) -> Path:
        return self.pki.ca.cert

    @property
    def admin_cert_file(self) -> Path:
        return self.pki.admin.cert

    @property
    def admin_key_file(self) -> Path:
        return self.pki.admin.key

    @property
    def front_proxy_client_cert_file(self) -> Path:
        return self.pki.front_proxy_client.cert

    @property
    def front_proxy_client_key_file(self) -> Path:
        return self.pki.front_proxy_client.key

    @classmethod
    @asynccontextmanager
    async def start(
        cls,
        workdir: Path | None = None,
        *,
        binaries: Binaries | None = None,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
        keep_workdir: bool = False,
        resume: bool = False,
        controllers: bool = False,
        durable: bool = False,
        report: Reporter = stderr_reporter,
    ) -> AsyncIterator[ControlPlane]:
        """Build if needed, start etcd and kube-apiserver, yield once ready, then stop them.

        `workdir` holds the PKI, kubeconfig, etcd data and logs. When None, a temporary
        directory is made and removed on stop (unless `keep_workdir`); a given directory is
        kept, but its etcd data, PKI and logs are replaced at every start — unless `resume`,
        which starts again from the etcd data and PKI a previous run left there.

        `controllers` also runs kube-controller-manager with the garbage collector and the
        namespace controller (see `flags.CONTROLLERS`), started once kube-apiserver is ready
        and stopped first. `durable`: etcd syncs every commit to disk (see `flags.etcd_args`).
        """
        if binaries is None:
            binaries = await ensure_binaries(report=report)
        async with AsyncExitStack() as stack:
            workdir = await _prepare_workdir(stack, workdir, keep_workdir, resume)
            started = time.monotonic()
            yield await _start(
                stack, cls, workdir, binaries, ready_timeout, controllers, durable, report
            )
            report(f"stopping (ran {time.monotonic() - started:.0f} s)")


async def _prepare_workdir(
    stack: AsyncExitStack, workdir: Path | None, keep: bool, resume: bool = False
) -> Path:
    if workdir is None:
        path = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="kube-annex-cp-"))
        if not keep:
            reaper.track_directory(path)
            stack.push_async_callback(_remove_directory, path)
        return path

    def reset() -> Path:
        path = workdir.resolve()
        path.mkdir(parents=True, exist_ok=True)
        for name in ("logs", "kubeconfig") if resume else ("etcd", "pki", "logs", "kubeconfig"):
            target = path / name
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        return path

    return await asyncio.to_thread(reset)


async def _remove_directory(path: Path) -> None:
    await asyncio.to_thread(shutil.rmtree, path, True)
    reaper.forget_directory(path)


async def _start(
    stack: AsyncExitStack,
    cls: type[ControlPlane],
    workdir: Path,
    binaries: Binaries,
    ready_timeout: float,
    controllers: bool,
    durable: bool,
    report: Reporter,
) -> ControlPlane:
    started = time.monotonic()
    pki = await asyncio.to_thread(load_or_create_pki, workdir / "pki")
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    etcd_log = logs / "etcd.log"
    apiserver_log = logs / "kube-apiserver.log"

    async with Probe(pki) as probe:
        etcd_url = await _start_with_free_ports(
            stack,
            "etcd",
            2,
            lambda client, peer: etcd_args(
                binaries.etcd, workdir / "etcd", client, peer, fsync=durable
            ),
            etcd_log,
            lambda process, ports: _wait_etcd(probe, process, ports[0]),
        )
        report(f"etcd ready at {etcd_url} ({time.monotonic() - started:.1f} s)")
        server = await _start_with_free_ports(
            stack,
            "kube-apiserver",
            1,
            lambda port: apiserver_args(binaries.kube_apiserver, pki, etcd_url, port),
            apiserver_log,
            lambda process, ports: _wait_apiserver(probe, process, ports[0], ready_timeout),
        )
        kubeconfig = await asyncio.to_thread(write_kubeconfig, workdir / "kubeconfig", server, pki)
        report(f"kube-apiserver ready at {server} ({time.monotonic() - started:.1f} s)")
        controller_manager_log: Path | None = None
        controller_manager_url: str | None = None
        if controllers:
            kcm_started = time.monotonic()
            controller_manager_log = logs / "kube-controller-manager.log"
            # Registered after kube-apiserver's stop, so the stack stops it first.
            controller_manager_url = await _start_with_free_ports(
                stack,
                "kube-controller-manager",
                1,
                lambda port: controller_manager_args(
                    binaries.kube_controller_manager, pki, kubeconfig, port
                ),
                controller_manager_log,
                lambda process, ports: _wait_controller_manager(probe, process, ports[0]),
            )
            report(
                f"kube-controller-manager ready at {controller_manager_url} "
                f"({time.monotonic() - kcm_started:.1f} s)"
            )
    return cls(
        server=server,
        kubeconfig=kubeconfig,
        workdir=workdir,
        pki=pki,
        etcd_url=etcd_url,
        binaries=binaries,
        ca_pem=await asyncio.to_thread(pki.ca.cert.read_bytes),
        front_proxy_ca_pem=await asyncio.to_thread(pki.front_proxy_ca.cert.read_bytes),
        apiserver_log=apiserver_log,
        etcd_log=etcd_log,
        controller_manager_log=controller_manager_log,
        controller_manager_url=controller_manager_url,
    )


class _PortTaken(Exception):
    pass


async def _start_with_free_ports(
    stack: AsyncExitStack,
    name: str,
    port_count: int,
    argv: Callable[..., list[str]],
    log: Path,
    wait: Callable[[ManagedProcess, Sequence[int]], Awaitable[str]],
) -> str:
    """Spawn on fresh ports, register its stop with `stack`, and return what `wait` returns."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        ports = free_ports(port_count)
        process = await ManagedProcess.spawn(name, argv(*ports), log)
        # Registered before waiting, so a failed or cancelled wait still stops the process.
        stack.push_async_callback(process.stop)
        try:
            return await wait(process, ports)
        except _PortTaken:
            await process.stop()
            if attempt == PORT_ATTEMPTS:
                raise ControlPlaneError(
                    f"{name}: ports kept being taken; " + process.describe_exit()
                ) from None
    raise AssertionError("unreachable")


def _check_alive(process: ManagedProcess) -> None:
    if process.running:
        return
    if ADDRESS_IN_USE in process.log.read_text(errors="replace")[-20000:]:
        raise _PortTaken
    raise ControlPlaneError(process.describe_exit())


async def _wait_etcd(probe: Probe, process: ManagedProcess, client_port: int) -> str:
    url = f"http://{LOOPBACK}:{client_port}"
    deadline = time.monotonic() + ETCD_TIMEOUT_SECONDS
    reason = "no answer yet"
    while time.monotonic() < deadline:
        _check_alive(process)
        status, body = await probe.get(f"{url}/health")
        if status == 200 and '"health":"true"' in body.replace(" ", ""):
            return url
        reason = f"/health: {status} {body.strip()[:300]}"
        await asyncio.sleep(POLL_SECONDS)
    raise ControlPlaneError(
        f"etcd not healthy after {ETCD_TIMEOUT_SECONDS:.0f} s ({reason}); "
        + process.describe_exit().replace("exited with code None", "still running")
    )


async def _wait_apiserver(
    probe: Probe, process: ManagedProcess, port: int, ready_timeout: float
) -> str:
    server = f"https://{LOOPBACK}:{port}"
    deadline = time.monotonic() + ready_timeout
    for path in READY_PATHS:
        reason = "no answer yet"
        while True:
            _check_alive(process)
            status, body = await probe.get(server + path)
            if status == 200:
                break
            reason = f"{path}: {status} {_summarize(body)}"
            if time.monotonic() >= deadline:
                raise ControlPlaneError(
                    f"kube-apiserver not ready after {ready_timeout:.0f} s ({reason}); "
                    + process.describe_exit().replace("exited with code None", "still running")
                )
            await asyncio.sleep(POLL_SECONDS)
    return server


async def _wait_controller_manager(probe: Probe, process: ManagedProcess, port: int) -> str:
    """Until /healthz is ok and lists every controller we asked for (they are added once built,
    just before their informers and workers start)."""
    url = f"https://{LOOPBACK}:{port}"
    deadline = time.monotonic() + CONTROLLER_MANAGER_TIMEOUT_SECONDS
    reason = "no answer yet"
    while time.monotonic() < deadline:
        _check_alive(process)
        status, body = await probe.get(f"{url}/healthz?verbose")
        if status == 200 and all(f"[+]{name} ok" in body for name in CONTROLLER_HEALTHZ_NAMES):
            return url
        reason = f"/healthz?verbose: {status} {body.strip()[:300]}"
        await asyncio.sleep(POLL_SECONDS)
    raise ControlPlaneError(
        f"kube-controller-manager not healthy after {CONTROLLER_MANAGER_TIMEOUT_SECONDS:.0f} s "
        f"({reason}); " + process.describe_exit().replace("exited with code None", "still running")
    )


def _summarize(body: str) -> str:
    # /readyz?verbose lists checks as [+]/[-]; the failing ones are the useful part.
    failing = [line for line in body.splitlines() if line.startswith("[-]")]
    return "; ".join(failing) if failing else body.strip()[:300]
