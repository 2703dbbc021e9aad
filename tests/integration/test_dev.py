"""`annex dev` as a user runs it: up, apply an ApiDefinition, use it, Ctrl-C, nothing left."""

from __future__ import annotations

import asyncio
import signal
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

        async def apiservice_available() -> bool:
            result = await kubectl(
                "get",
                "apiservice",
                "v1alpha1.images.example.com",
                "-o",
                "jsonpath={.status.conditions[?(@.type=='Available')].status}",
                check=False,
            )
            return result.stdout == "True"

        await eventually(apiservice_available, timeout=90, what="the APIService to be Available")
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


async def _up(log: Path) -> bool:
    return "kube-annex dev is up" in log.read_text()
