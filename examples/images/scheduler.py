"""The golden-image scheduler: assigns each unassigned BuildTask to a ready Worker.

As kube-scheduler does with Pods and Nodes: it watches the tasks no worker has
(`fieldSelector=spec.workerName=`), picks the ready Worker with the fewest unfinished tasks,
and binds the task by setting its spec.workerName, with the resourceVersion it saw so that a
task changed since (or bound already) is never bound again. A Worker is ready while its Ready
condition is True and its lastHeartbeatTime is younger than --worker-grace-seconds (as
kube-controller-manager's node-monitor-grace-period judges Nodes). With no ready worker it
tries again every --retry-seconds.

    python examples/images/scheduler.py --kubeconfig .annex/dev/controlplane/kubeconfig
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections import Counter
from typing import Any

import process
from api import BUILD_TASKS, MERGE_PATCH, WORKERS, connect, watch
from conditions import find, since
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio.client.exceptions import ApiException

WORKER_GRACE_SECONDS = 40.0
RETRY_SECONDS = 2.0
UNFINISHED = "status.phase!=Succeeded,status.phase!=Failed"

log = logging.getLogger("scheduler")


async def ready_workers(api: k8s_client.ApiClient, grace: float) -> list[str]:
    listed = await k8s_client.CustomObjectsApi(api).list_cluster_custom_object(
        WORKERS.group, WORKERS.version, WORKERS.plural
    )
    ready = []
    for worker in listed["items"]:
        condition = find((worker.get("status") or {}).get("conditions", []), "Ready")
        heartbeat = condition.get("lastHeartbeatTime")
        if condition.get("status") == "True" and heartbeat and since(heartbeat) < grace:
            ready.append(worker["metadata"]["name"])
    return ready


async def unfinished_tasks(api: k8s_client.ApiClient) -> Counter[str]:
    """How many unfinished tasks each worker has. (A scheduler at scale would keep both lists
    in informer caches instead of listing for every task.)"""
    listed = await k8s_client.CustomObjectsApi(api).list_cluster_custom_object(
        BUILD_TASKS.group, BUILD_TASKS.version, BUILD_TASKS.plural, field_selector=UNFINISHED
    )
    return Counter(t["spec"]["workerName"] for t in listed["items"] if t["spec"].get("workerName"))


async def pick(api: k8s_client.ApiClient, grace: float) -> str | None:
    """The ready worker with the fewest unfinished tasks (by name among equals), or None."""
    workers = await ready_workers(api, grace)
    if not workers:
        return None
    load = await unfinished_tasks(api)
    return min(workers, key=lambda name: (load[name], name))


async def bind(api: k8s_client.ApiClient, task: dict[str, Any], worker: str) -> bool:
    """Set spec.workerName if the task is still as seen; False if it changed or is gone."""
    meta = task["metadata"]
    patch = {
        "metadata": {"resourceVersion": meta["resourceVersion"]},
        "spec": {"workerName": worker},
    }
    options: dict[str, Any] = {"_content_type": MERGE_PATCH}
    try:
        await k8s_client.CustomObjectsApi(api).patch_namespaced_custom_object(
            BUILD_TASKS.group,
            BUILD_TASKS.version,
            meta["namespace"],
            BUILD_TASKS.plural,
            meta["name"],
            patch,
            **options,
        )
    except ApiException as exc:
        if exc.status in (404, 409):
            return False  # deleted, or changed: a newer event follows if still unassigned
        raise
    return True


async def schedule(api: k8s_client.ApiClient, grace: float, retry: float) -> None:
    async for event, task in watch(api, BUILD_TASKS, field_selector="spec.workerName="):
        if event == "DELETED":
            continue  # deleted, or bound (it left the selection)
        name = f"{task['metadata']['namespace']}/{task['metadata']['name']}"
        while (worker := await pick(api, grace)) is None:
            log.info("no ready worker for %s; trying again in %.0f s", name, retry)
            await asyncio.sleep(retry)
        if await bind(api, task, worker):
            log.info("assigned %s to %s", name, worker)
        else:
            log.info("%s changed or is gone; not assigned", name)


async def main(args: argparse.Namespace) -> None:
    async with await connect(args.kubeconfig, "golden-image-scheduler") as api:
        log.info("scheduling BuildTasks")
        await schedule(api, args.worker_grace_seconds, args.retry_seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The golden-image scheduler.")
    parser.add_argument("--kubeconfig", help="default: $KUBECONFIG, ~/.kube/config, in-cluster")
    parser.add_argument("--worker-grace-seconds", type=float, default=WORKER_GRACE_SECONDS)
    parser.add_argument("--retry-seconds", type=float, default=RETRY_SECONDS)
    parser.add_argument("--verbose", "-v", action="store_true")
    arguments = parser.parse_args()
    process.run(main(arguments), verbose=arguments.verbose)
