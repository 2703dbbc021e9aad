"""A golden-image worker: registers its Worker, keeps it Ready with heartbeats, and runs the
BuildTasks the scheduler assigns to it.

It watches only its own tasks, with a field selector on the BuildTask's selectable field
(`spec.workerName=<name>`), as a kubelet watches the Pods bound to its Node. For each task
neither finished nor running here it sets status.phase Running, runs the build (mocked, see
mock_build.py) and reports Succeeded with the digest, or Failed with why; a task that leaves the
selection (its Image was deleted, so the garbage collector deleted it) is abandoned. Its
Worker's Ready condition carries lastHeartbeatTime, renewed every --heartbeat-seconds, and
turns False when the worker stops, so the scheduler passes it by at once.

    python examples/images/worker.py --name worker-1 --kubeconfig .annex/dev/controlplane/kubeconfig
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
from typing import Any

import aiohttp
import process
from api import BUILD_TASKS, WORKERS, connect, patch_status, watch
from conditions import now, set_condition
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio.client.exceptions import ApiException
from mock_build import BuildFailed, build

HEARTBEAT_SECONDS = 10.0
BUILD_SECONDS = 2.0
FINISHED = ("Succeeded", "Failed")

log = logging.getLogger("worker")


class Worker:
    def __init__(self, api: k8s_client.ApiClient, name: str, build_seconds: float) -> None:
        self.api = api
        self.name = name
        self.build_seconds = build_seconds
        self.conditions: list[dict[str, Any]] = []
        self.running: dict[str, asyncio.Task[None]] = {}  # by BuildTask uid
        # The tasks reported here: an event from before the report (a watch that lags) must
        # not start them again.
        self.reported: set[str] = set()

    async def register(self) -> None:
        """Create this Worker, or take it over as it was left (a restart)."""
        objects = k8s_client.CustomObjectsApi(self.api)
        worker = {
            "apiVersion": WORKERS.api_version,
            "kind": "Worker",
            "metadata": {"name": self.name},
        }
        try:
            await objects.create_cluster_custom_object(
                WORKERS.group, WORKERS.version, WORKERS.plural, worker
            )
        except ApiException as exc:
            if exc.status != 409:
                raise
            found = await objects.get_cluster_custom_object(
                WORKERS.group, WORKERS.version, WORKERS.plural, self.name
            )
            self.conditions = (found.get("status") or {}).get("conditions", [])
        log.info("registered as Worker %s", self.name)

    async def heartbeat(self, *, ready: bool = True, reason: str = "Running") -> None:
        message = "takes BuildTasks" if ready else "takes no BuildTasks"
        self.conditions = set_condition(
            self.conditions,
            "Ready",
            status=ready,
            reason=reason,
            message=message,
            lastHeartbeatTime=now(),
        )
        await patch_status(self.api, WORKERS, self.name, {"conditions": self.conditions})

    async def heartbeats(self, every: float) -> None:
        while True:
            try:
                await self.heartbeat()
            except (ApiException, aiohttp.ClientError) as exc:
                log.warning("heartbeat failed (%s); next in %.0f s", exc, every)
            await asyncio.sleep(every)

    async def take_tasks(self, group: asyncio.TaskGroup) -> None:
        selector = f"spec.workerName={self.name}"
        async for event, task in watch(self.api, BUILD_TASKS, field_selector=selector):
            uid = task["metadata"]["uid"]
            if event == "DELETED":
                self.reported.discard(uid)
                running = self.running.pop(uid, None)
                if running is not None:
                    running.cancel()
                continue
            if uid in self.running or uid in self.reported:
                continue
            if (task.get("status") or {}).get("phase") in FINISHED:
                continue
            self.running[uid] = group.create_task(self.run(task))

    async def run(self, task: dict[str, Any]) -> None:
        meta, spec = task["metadata"], task["spec"]
        name = f"{meta['namespace']}/{meta['name']}"
        try:
            await self.report(task, {"phase": "Running", "startTime": now()})
            log.info("building %s: %s + %s", name, spec["baseImage"], spec.get("packages", []))
            try:
                digest = await build(
                    spec["baseImage"], list(spec.get("packages", [])), self.build_seconds
                )
            except BuildFailed as failure:
                await self.report(
                    task, {"phase": "Failed", "message": str(failure), "completionTime": now()}
                )
                log.info("failed %s: %s", name, failure)
            else:
                await self.report(
                    task, {"phase": "Succeeded", "digest": digest, "completionTime": now()}
                )
                log.info("built %s: %s", name, digest)
            self.reported.add(meta["uid"])
        except ApiException as exc:
            if exc.status == 404:
                log.info("%s is gone; abandoned", name)
            else:  # it stays assigned here, unbuilt, until this worker starts again
                log.error("%s: cannot report (%s)", name, exc)
        except asyncio.CancelledError:
            log.info("%s left this worker; abandoned", name)
            raise
        finally:
            self.running.pop(meta["uid"], None)

    async def report(self, task: dict[str, Any], status: dict[str, Any]) -> None:
        meta = task["metadata"]
        await patch_status(self.api, BUILD_TASKS, meta["name"], status, namespace=meta["namespace"])


async def main(args: argparse.Namespace) -> None:
    async with await connect(args.kubeconfig, "golden-image-worker") as api:
        worker = Worker(api, args.name, args.build_seconds)
        await worker.register()
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(worker.heartbeats(args.heartbeat_seconds))
                group.create_task(worker.take_tasks(group))
        finally:
            try:
                await worker.heartbeat(ready=False, reason="Stopped")
            except (ApiException, aiohttp.ClientError) as exc:
                log.warning("could not say Worker %s stopped (%s)", args.name, exc)
            log.info("Worker %s stopped", args.name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A golden-image build worker.")
    parser.add_argument("--kubeconfig", help="default: $KUBECONFIG, ~/.kube/config, in-cluster")
    parser.add_argument("--name", default=socket.gethostname(), help="default: the host name")
    parser.add_argument("--heartbeat-seconds", type=float, default=HEARTBEAT_SECONDS)
    parser.add_argument("--build-seconds", type=float, default=BUILD_SECONDS)
    parser.add_argument("--verbose", "-v", action="store_true")
    arguments = parser.parse_args()
    process.run(main(arguments), verbose=arguments.verbose)
