"""The golden-image service end to end (examples/images), as its README runs it.

`examples/images/run.py`, the one command, applies both ApiDefinitions and runs the controller,
the scheduler and two workers as processes with an admin kubeconfig; every role reaches the
two aggregated APIs only through kube-apiserver. The module has its own control plane with
kube-controller-manager (`controllers=True`), whose garbage collector deletes an Image's
BuildTasks with it.

Each Image's status writes are recorded by a watch from a resourceVersion taken before the
change, so the order of phases is what the API served, not what polling happened to catch.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio import watch as k8s_watch

from annex_controlplane import ControlPlane, ControlPlaneError, ensure_binaries
from annex_core.kube import load_configuration
from tests.helpers import REPO, Kubectl, eventually, log_tail, start_process, stop_process
from tests.stack import running_stack

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

EXAMPLE = REPO / "examples" / "images"
GROUP, VERSION, NAMESPACE = "images.example.com", "v1alpha1", "default"
WORKERS = ("worker-1", "worker-2")
IMAGE_LABEL = "images.example.com/image"
BUILT = ["Pending", "Scheduled", "Building", "Ready"]
# Generous upper bounds: discovery of the new APIs, kopf's and the workers' start-up, a build.
START_TIMEOUT = 240.0
WAIT = "--timeout=120s"
# The garbage collector rediscovers resources every 30 s before it watches new ones.
GC_TIMEOUT = 180.0
# run.py gives its roles 15 s to stop before it kills them.
STOP_TIMEOUT = 40.0


@dataclass
class Service:
    kubectl: Kubectl
    images: k8s_client.CustomObjectsApi
    log: Path

    def log_lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    """The operator and gateway on a control plane with kube-controller-manager, and run.py
    with two workers, yielded once both Workers are Ready."""
    work = tmp_path_factory.mktemp("golden-image")
    try:
        binaries = await ensure_binaries()
        async with (
            ControlPlane.start(
                work / "controlplane", binaries=binaries, controllers=True
            ) as control_plane,
            running_stack(control_plane, work / "stack") as stack,
        ):
            log = work / "run.log"
            run = await start_process(
                [
                    sys.executable,
                    str(EXAMPLE / "run.py"),
                    "--kubeconfig",
                    str(control_plane.kubeconfig),
                    "--workers",
                    str(len(WORKERS)),
                    "--build-seconds",
                    "1",
                ],
                log,
            )
            api = k8s_client.ApiClient(await load_configuration(control_plane.kubeconfig))
            try:
                service = Service(stack.kubectl, k8s_client.CustomObjectsApi(api), log)
                await eventually(
                    lambda: ready_workers(service),
                    timeout=START_TIMEOUT,
                    interval=1,
                    what=f"Workers {WORKERS} Ready",
                )
                yield service
            finally:
                await api.close()
                await stop_process(run, timeout=STOP_TIMEOUT)
                print("--- run.py log ---\n" + log_tail(log, 300))
            assert run.returncode == 0, f"run.py exited with {run.returncode} on SIGTERM"
    except ControlPlaneError as exc:
        pytest.fail(f"cannot start the control plane: {exc}", pytrace=False)


async def ready_workers(service: Service) -> bool:
    result = await service.kubectl("get", "workers", "-o", "json", check=False)
    if result.returncode != 0:
        return False
    ready = {
        w["metadata"]["name"]
        for w in result.json()["items"]
        if condition(w, "Ready").get("status") == "True"
    }
    return ready == set(WORKERS)


def condition(obj: dict[str, Any], type_: str) -> dict[str, Any]:
    conditions = (obj.get("status") or {}).get("conditions", [])
    found: dict[str, Any] = next((c for c in conditions if c["type"] == type_), {})
    return found


class Phases:
    """(observedGeneration, phase) of one Image at each change a watch delivers, consecutive
    repeats folded."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str]] = []
        self.recorder: asyncio.Task[None] | None = None

    def record(self, status: dict[str, Any]) -> None:
        if "phase" in status:
            step = (status["observedGeneration"], status["phase"])
            if not self.seen or self.seen[-1] != step:
                self.seen.append(step)

    async def until(self, generation: int, phase: str) -> list[str]:
        """The phases of `generation`, once the watch has delivered `phase` for it."""

        async def delivered() -> bool:
            assert self.recorder is not None
            if self.recorder.done():
                self.recorder.result()  # the watch failed: say why
                raise RuntimeError("the watch ended")
            return (generation, phase) in self.seen

        await eventually(
            delivered, timeout=60, what=f"the watch to deliver generation {generation} {phase}"
        )
        return [p for g, p in self.seen if g == generation]


@contextlib.asynccontextmanager
async def phases(service: Service, name: str) -> AsyncIterator[Phases]:
    """The phases of the Image `name`, from the changes served from now on."""
    listed = await service.images.list_namespaced_custom_object(GROUP, VERSION, NAMESPACE, "images")
    phases = Phases()

    async def record() -> None:
        async with k8s_watch.Watch() as watch:
            async for event in watch.stream(
                service.images.list_namespaced_custom_object,
                GROUP,
                VERSION,
                NAMESPACE,
                "images",
                field_selector=f"metadata.name={name}",
                resource_version=listed["metadata"]["resourceVersion"],
            ):
                phases.record(event["raw_object"].get("status") or {})

    phases.recorder = asyncio.create_task(record())
    try:
        yield phases
    finally:
        phases.recorder.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await phases.recorder


async def create_image(service: Service, name: str) -> None:
    image = yaml.safe_load((EXAMPLE / "image.yaml").read_text())
    image["metadata"]["name"] = name
    await service.kubectl("create", "-f", "-", stdin=json.dumps(image))


async def patch_packages(service: Service, name: str, packages: list[str]) -> None:
    patch = json.dumps({"spec": {"packages": packages}})
    await service.kubectl("patch", f"image/{name}", "--type=merge", "-p", patch)


async def wait_ready(service: Service, name: str) -> None:
    await service.kubectl("wait", "--for=condition=Ready", f"image/{name}", WAIT, timeout=130)


async def get(service: Service, *what: str) -> dict[str, Any]:
    found: dict[str, Any] = (await service.kubectl("get", *what, "-o", "json")).json()
    return found


def rows(output: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines()]


async def test_an_image_is_built_by_a_worker_the_scheduler_assigned(service: Service) -> None:
    async with phases(service, "debian-base") as watched:
        await service.kubectl("create", "-f", str(EXAMPLE / "image.yaml"))
        await wait_ready(service, "debian-base")
        assert await watched.until(1, "Ready") == BUILT

    image = await get(service, "image/debian-base")
    status = image["status"]
    assert status["phase"] == "Ready"
    assert status["digest"].startswith("sha256:")
    ready = condition(image, "Ready")
    assert (ready["status"], ready["reason"], ready["observedGeneration"]) == ("True", "Built", 1)

    # The controller created the task, owned by the Image; the scheduler assigned it.
    task = await get(service, "buildtask/debian-base-1")
    worker = task["spec"]["workerName"]
    assert worker in WORKERS
    assert task["metadata"]["labels"][IMAGE_LABEL] == "debian-base"
    assert task["metadata"]["ownerReferences"] == [
        {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": "Image",
            "name": "debian-base",
            "uid": image["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert task["spec"]["baseImage"] == "debian:12"
    assert task["spec"]["imageGeneration"] == 1
    assert (task["status"]["phase"], task["status"]["digest"]) == ("Succeeded", status["digest"])
    # The assigned worker (and only it) finds the task by its field selector, and built it.
    for name in WORKERS:
        selected = await service.kubectl(
            "get", "buildtasks", "-A", f"--field-selector=spec.workerName={name}", "-o", "name"
        )
        listed = "buildtask.builds.images.example.com/debian-base-1" in selected.stdout.split()
        assert listed == (name == worker), selected.stdout
    assert any(
        line.startswith(f"{worker} ") and "built default/debian-base-1:" in line
        for line in service.log_lines()
    ), log_tail(service.log, 100)

    # The printer columns of all three resources.
    images = rows((await service.kubectl("get", "images")).stdout)
    assert images[0] == ["NAME", "BASE", "PHASE", "AGE"]
    assert ["debian-base", "debian:12", "Ready"] in [row[:3] for row in images[1:]]
    tasks = rows((await service.kubectl("get", "buildtasks")).stdout)
    assert tasks[0] == ["NAME", "IMAGE", "WORKER", "PHASE", "AGE"]
    assert ["debian-base-1", "debian-base", worker, "Succeeded"] in [row[:4] for row in tasks[1:]]
    workers = rows((await service.kubectl("get", "workers")).stdout)
    assert workers[0] == ["NAME", "READY", "HEARTBEAT", "AGE"]
    assert [row[:2] for row in workers[1:]] == [[name, "True"] for name in WORKERS]


async def test_a_spec_change_is_built_and_a_failed_build_says_why(service: Service) -> None:
    await create_image(service, "toolbox")
    await wait_ready(service, "toolbox")
    first = await get(service, "image/toolbox")

    async with phases(service, "toolbox") as watched:
        await patch_packages(service, "toolbox", ["curl", "ca-certificates", "git"])
        await wait_ready(service, "toolbox")
        assert await watched.until(2, "Ready") == BUILT
    rebuilt = await get(service, "image/toolbox")
    assert rebuilt["metadata"]["generation"] == 2
    assert condition(rebuilt, "Ready")["observedGeneration"] == 2
    assert rebuilt["status"]["observedGeneration"] == 2
    assert rebuilt["status"]["digest"] != first["status"]["digest"]
    second = await get(service, "buildtask/toolbox-2")
    assert second["status"]["digest"] == rebuilt["status"]["digest"]

    async with phases(service, "toolbox") as watched:
        await patch_packages(service, "toolbox", ["curl", "Not_A_Package"])
        await service.kubectl(
            "wait", "--for=jsonpath={.status.phase}=Failed", "image/toolbox", WAIT, timeout=130
        )
        assert await watched.until(3, "Failed") == [*BUILT[:-1], "Failed"]
    failed = await get(service, "image/toolbox")
    ready = condition(failed, "Ready")
    assert (ready["status"], ready["reason"], ready["observedGeneration"]) == (
        "False",
        "BuildFailed",
        3,
    )
    assert ready["message"] == "E: Unable to locate package Not_A_Package"
    assert failed["status"]["digest"] == rebuilt["status"]["digest"]  # the last good build's
    third = await get(service, "buildtask/toolbox-3")
    assert third["status"]["phase"] == "Failed"
    assert third["status"]["message"] == ready["message"]

    # Every generation had its own task; the earlier ones stay as history.
    tasks = await get(service, "buildtasks", "-l", f"{IMAGE_LABEL}=toolbox")
    names = sorted(t["metadata"]["name"] for t in tasks["items"])
    assert names == ["toolbox-1", "toolbox-2", "toolbox-3"]


async def test_deleting_an_image_collects_its_build_tasks(service: Service) -> None:
    await create_image(service, "short-lived")
    await wait_ready(service, "short-lived")
    await patch_packages(service, "short-lived", ["curl"])
    await wait_ready(service, "short-lived")
    selector = f"{IMAGE_LABEL}=short-lived"
    tasks = await get(service, "buildtasks", "-l", selector)
    assert len(tasks["items"]) == 2

    await service.kubectl("delete", "image/short-lived", WAIT, timeout=130)

    async def collected() -> bool:
        return not (await get(service, "buildtasks", "-l", selector))["items"]

    await eventually(
        collected, timeout=GC_TIMEOUT, interval=1, what="the GC to delete the BuildTasks"
    )
