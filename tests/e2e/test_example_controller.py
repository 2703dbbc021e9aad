"""The golden-image example controller (examples/images/controller.py) reconciles Images to Ready.

The controller runs as its own process, as a user runs it, with an admin kubeconfig; it sees
Images only through kube-apiserver and the aggregation proxy. `kubectl wait
--for=condition=Ready` must return for the created Image and again after a spec change
(kubectl ignores a condition whose observedGeneration is older than the generation).
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from tests.helpers import REPO, Kubectl, log_tail, start_process, stop_process
from tests.stack import running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

EXAMPLE = REPO / "examples" / "images"
IMAGE = "image/debian-base"


@dataclass
class Running:
    kubectl: Kubectl
    controller_log: Path


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def running(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Running]:
    """The example ApiDefinition served through kube-apiserver, and the controller on it."""
    work = tmp_path_factory.mktemp("example-controller")
    async with running_stack(control_plane, work) as stack:
        await stack.kubectl("apply", "-f", str(EXAMPLE / "apidefinition.yaml"))
        await wait_available(stack.kubectl, "v1alpha1.images.example.com")
        log = work / "controller.log"
        controller = await start_process(
            [
                sys.executable,
                str(EXAMPLE / "controller.py"),
                "--kubeconfig",
                str(control_plane.kubeconfig),
                "--build-seconds",
                "1",
                "--verbose",
            ],
            log,
        )
        try:
            yield Running(stack.kubectl, log)
            await stack.kubectl("delete", "-f", str(EXAMPLE / "image.yaml"), "--wait=true")
        finally:
            await stop_process(controller)
            print("--- controller log ---\n" + log_tail(log, 200))


async def image(kubectl: Kubectl) -> dict[str, Any]:
    result: dict[str, Any] = (await kubectl("get", IMAGE, "-o", "json")).json()
    return result


async def wait_ready(running: Running) -> None:
    result = await running.kubectl(
        "wait", "--for=condition=Ready", IMAGE, "--timeout=60s", check=False, timeout=70
    )
    assert result.returncode == 0, (
        f"kubectl wait failed: {result.stderr}\n"
        f"--- controller log ---\n{log_tail(running.controller_log, 200)}"
    )


async def test_image_becomes_ready_and_rebuilds_on_spec_change(running: Running) -> None:
    kubectl = running.kubectl
    await kubectl("create", "-f", str(EXAMPLE / "image.yaml"))
    await wait_ready(running)

    built = await image(kubectl)
    status = built["status"]
    assert status["phase"] == "Ready"
    assert status["digest"].startswith("sha256:")
    [ready] = [c for c in status["conditions"] if c["type"] == "Ready"]
    assert ready["status"] == "True"
    assert ready["observedGeneration"] == built["metadata"]["generation"] == 1
    # The printer columns: NAME BASE PHASE AGE.
    table = (await kubectl("get", "images")).stdout.splitlines()
    assert table[0].split() == ["NAME", "BASE", "PHASE", "AGE"]
    assert table[1].split()[:3] == ["debian-base", "debian:12", "Ready"]

    await kubectl(
        "patch",
        IMAGE,
        "--type=merge",
        "-p",
        json.dumps({"spec": {"packages": ["curl", "ca-certificates", "git"]}}),
    )
    await wait_ready(running)

    rebuilt = await image(kubectl)
    assert rebuilt["metadata"]["generation"] == 2
    [ready] = [c for c in rebuilt["status"]["conditions"] if c["type"] == "Ready"]
    assert ready["status"] == "True"
    assert ready["observedGeneration"] == 2
    assert rebuilt["status"]["observedGeneration"] == 2
    assert rebuilt["status"]["digest"] != status["digest"]
    table = (await kubectl("get", "images")).stdout.splitlines()
    assert table[1].split()[:3] == ["debian-base", "debian:12", "Ready"]
