"""`annex dev` as a user runs it: up, apply an ApiDefinition, use it, Ctrl-C, nothing left."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers import (
    REPO,
    Kubectl,
    annex_command,
    eventually,
    log_tail,
    start_process,
    stop_process,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_annex_dev_runs_and_stops_cleanly(tmp_path: Path) -> None:
    state = tmp_path / "dev"
    log = tmp_path / "dev.log"
    process = await start_process(annex_command("dev", "--state-dir", str(state)), log)
    try:
        await eventually(lambda: _up(log), timeout=120, what="annex dev to print its instructions")
        kubectl = Kubectl(state / "controlplane" / "kubeconfig", tmp_path / "cache")
        await kubectl("apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml"))
        await _available(kubectl)
        await kubectl("create", "-f", str(REPO / "examples" / "images" / "image.yaml"))
        assert "debian-base" in (await kubectl("get", "images")).stdout
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            await asyncio.wait_for(process.wait(), 60)
        await stop_process(process)
    assert process.returncode == 0, log_tail(log)
    assert "[controlplane] stopping" in log.read_text()
    leftovers = await asyncio.create_subprocess_exec(
        "pgrep", "-f", str(state), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await leftovers.communicate()
    assert out.decode().strip() == "", f"processes left running: {out.decode()}"


async def test_annex_dev_resumes_the_cluster_and_the_store_together(tmp_path: Path) -> None:
    """Objects survive a restart in both etcd and the gateway's store; --fresh empties both."""
    state = tmp_path / "dev"
    kubectl = Kubectl(state / "controlplane" / "kubeconfig", tmp_path / "cache")
    async with _dev(tmp_path, state, "first"):
        await kubectl("apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml"))
        await _available(kubectl)
        await kubectl("create", "-f", str(REPO / "examples" / "images" / "image.yaml"))
    async with _dev(tmp_path, state, "resumed"):
        await _available(kubectl)
        names = await kubectl("get", "images", "-o", "name")
        assert names.stdout.split() == ["image.images.example.com/debian-base"]
    async with _dev(tmp_path, state, "fresh", "--fresh"):
        found = await kubectl("get", "apidefinitions", "-o", "name")
        assert found.stdout.strip() == ""


@contextlib.asynccontextmanager
async def _dev(tmp_path: Path, state: Path, run: str, *args: str) -> AsyncIterator[None]:
    log = tmp_path / f"dev-{run}.log"
    process = await start_process(annex_command("dev", "--state-dir", str(state), *args), log)
    try:
        await eventually(lambda: _up(log), timeout=120, what=f"annex dev ({run}) to be up")
        yield
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), 60)
        await stop_process(process)
    assert process.returncode == 0, log_tail(log)


async def _available(kubectl: Kubectl) -> None:
    async def available() -> bool:
        result = await kubectl(
            "get",
            "apiservice",
            "v1alpha1.images.example.com",
            "-o",
            "jsonpath={.status.conditions[?(@.type=='Available')].status}",
            check=False,
        )
        return result.stdout == "True"

    await eventually(available, timeout=90, what="the APIService to be Available")


async def _up(log: Path) -> bool:
    return "kube-annex dev is up" in log.read_text()
