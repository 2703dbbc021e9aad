"""The golden-image controller: a kopf operator that has each Image built by the build farm.

It talks to both APIs (images.example.com and builds.images.example.com) only through
kube-apiserver, which proxies them to the kube-annex gateway — as any controller does for a
built-in API or a CRD. For every generation of an Image (on create, on every spec change, and
on start-up for what it missed) it creates a BuildTask named `<image>-<generation>`, owned by
the Image so the garbage collector deletes it with the Image. The scheduler assigns the task to
a Worker, which runs the build and reports it in the task's status; the controller writes each
step of the task to the Image's status, in order:

    BuildTask                          Image status.phase   Ready condition (reason)
    created                            Pending              False (Pending)
    spec.workerName set (scheduler)    Scheduled            False (Scheduled)
    status.phase Running (worker)      Building             False (Building)
    status.phase Succeeded (worker)    Ready                True  (Built), status.digest
    status.phase Failed (worker)       Failed               False (BuildFailed)

The Ready condition's `observedGeneration` is the generation the task builds, so `kubectl wait
--for=condition=Ready` waits for the build of the current spec.

    python examples/images/controller.py --kubeconfig .annex/dev/controlplane/kubeconfig
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from typing import Any

import kopf
from api import BUILD_TASKS, IMAGES, Resource, connect, load_configuration, patch_status
from conditions import set_condition
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio.client.exceptions import ApiException

# kopf keeps its bookkeeping (progress, last handled spec) in annotations under this prefix;
# `.status` is ours alone.
PREFIX = "images.example.com"
# Every BuildTask is labelled with its Image's name: `kubectl get bt -l images.example.com/image=x`.
IMAGE_LABEL = "images.example.com/image"
# Status writes carry the resourceVersion they were computed from; on a conflict, read again.
CONFLICT_RETRIES = 5
FINISHED = ("Ready", "Failed")


@dataclass(frozen=True)
class Progress:
    """Where an Image's build is, as its status says it."""

    phase: str
    ready: bool
    reason: str
    message: str


PENDING = Progress("Pending", False, "Pending", "waiting for the scheduler to assign a worker")


def progress_of(task: kopf.Body | dict[str, Any]) -> Progress:
    worker = task["spec"].get("workerName")
    status = task.get("status") or {}
    match status.get("phase"):
        case "Succeeded":
            return Progress("Ready", True, "Built", f"built {status.get('digest')} on {worker}")
        case "Failed":
            return Progress("Failed", False, "BuildFailed", status.get("message", "failed"))
        case "Running":
            return Progress("Building", False, "Building", f"building on worker {worker}")
    if worker:
        return Progress("Scheduled", False, "Scheduled", f"assigned to worker {worker}")
    return PENDING


def image_status(
    current: dict[str, Any], generation: int, progress: Progress, digest: str | None = None
) -> dict[str, Any]:
    """The Image status (a merge patch) saying `progress` on building `generation`."""
    status: dict[str, Any] = {
        "phase": progress.phase,
        "observedGeneration": generation,
        "conditions": set_condition(
            list(current.get("conditions", [])),
            "Ready",
            status=progress.ready,
            reason=progress.reason,
            message=progress.message,
            observedGeneration=generation,
        ),
    }
    if digest:
        status["digest"] = digest
    return status


def controller_of(obj: kopf.Body | dict[str, Any]) -> dict[str, Any]:
    """The ownerReference with controller: true, or {}."""
    references = obj["metadata"].get("ownerReferences", [])
    return next((dict(r) for r in references if r.get("controller")), {})


@kopf.on.login()
async def login(memo: kopf.Memo, **_: Any) -> kopf.ConnectionInfo:
    """kopf's credentials from the same kubeconfig as the client below.

    kopf's own login handlers need the synchronous `kubernetes` or `pykube` libraries.
    """
    configuration = await load_configuration(memo.get("kubeconfig"))
    scheme: str | None = None
    token = ""
    if "BearerToken" in configuration.api_key:
        value = str(await configuration.get_api_key_with_prefix("BearerToken") or "")
        scheme, _space, token = value.partition(" ") if " " in value else ("Bearer", "", value)
    return kopf.ConnectionInfo(
        server=str(configuration.host),
        ca_path=configuration.ssl_ca_cert or None,
        insecure=not configuration.verify_ssl,
        certificate_path=configuration.cert_file or None,
        private_key_path=configuration.key_file or None,
        scheme=scheme if token else None,
        token=token or None,
    )


@kopf.on.startup()
async def startup(settings: kopf.OperatorSettings, memo: kopf.Memo, **_: Any) -> None:
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=PREFIX)
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=PREFIX, key="last-handled-configuration"
    )
    # End watches before proxies or load balancers cut them silently.
    settings.watching.server_timeout = 270
    memo.api = await connect(memo.get("kubeconfig"), "golden-image-controller")
    memo.objects = k8s_client.CustomObjectsApi(memo.api)


@kopf.on.cleanup()
async def cleanup(memo: kopf.Memo, **_: Any) -> None:
    api: k8s_client.ApiClient | None = memo.get("api")
    if api is not None:
        await api.close()


async def read(
    memo: kopf.Memo, resource: Resource, namespace: str, name: str
) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = await memo.objects.get_namespaced_custom_object(
            resource.group, resource.version, namespace, resource.plural, name
        )
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise
    return found


async def create_task(
    memo: kopf.Memo, image: kopf.Body, name: str, generation: int
) -> dict[str, Any]:
    """The BuildTask of this generation, owned by the Image.

    Should it exist already (a create whose answer was lost), the 409 fails the handler and
    kopf's retry finds the task.
    """
    task: dict[str, Any] = {
        "apiVersion": BUILD_TASKS.api_version,
        "kind": "BuildTask",
        "metadata": {"name": name, "labels": {IMAGE_LABEL: image["metadata"]["name"]}},
        "spec": {
            "baseImage": image["spec"]["baseImage"],
            "packages": list(image["spec"].get("packages", [])),
            "imageGeneration": generation,
        },
    }
    # Same namespace, the Image's labels, and an ownerReference (controller, blockOwnerDeletion).
    kopf.adopt(task, owner=image)
    created: dict[str, Any] = await memo.objects.create_namespaced_custom_object(
        BUILD_TASKS.group,
        BUILD_TASKS.version,
        task["metadata"]["namespace"],
        BUILD_TASKS.plural,
        task,
    )
    return created


@kopf.on.resume(IMAGES.group, IMAGES.version, IMAGES.plural, id="build")
@kopf.on.create(IMAGES.group, IMAGES.version, IMAGES.plural, id="build")
@kopf.on.update(IMAGES.group, IMAGES.version, IMAGES.plural, id="build", field="spec")
async def build(
    name: str,
    namespace: str | None,
    uid: str,
    body: kopf.Body,
    status: kopf.Status,
    meta: kopf.Meta,
    memo: kopf.Memo,
    logger: kopf.Logger,
    **_: Any,
) -> None:
    """Have the current generation built, unless it is already (on resume)."""
    assert namespace is not None, "Images are namespaced"
    generation = int(meta.get("generation", 1))
    if status.get("observedGeneration") == generation and status.get("phase") in FINISHED:
        logger.info("generation %d is %s already", generation, status.get("phase"))
        return
    task_name = f"{name}-{generation}"
    task = await read(memo, BUILD_TASKS, namespace, task_name)
    if task is None:
        # Pending before the task exists: every later step comes from the task's events.
        await patch_status(
            memo.api,
            IMAGES,
            name,
            image_status(dict(status), generation, PENDING),
            namespace=namespace,
        )
        task = await create_task(memo, body, task_name, generation)
        logger.info("generation %d: BuildTask %s created", generation, task_name)
    if controller_of(task).get("uid") != uid:
        raise kopf.TemporaryError(
            f"BuildTask {task_name} belongs to an earlier Image of this name; "
            "waiting for the garbage collector to delete it",
            delay=5,
        )


@kopf.on.event(BUILD_TASKS.group, BUILD_TASKS.version, BUILD_TASKS.plural)
async def mirror(
    event: kopf.RawEvent, body: kopf.Body, memo: kopf.Memo, logger: kopf.Logger, **_: Any
) -> None:
    """The Image's status from this state of its BuildTask.

    Events arrive in order, one at a time per task, so each step is written even when the
    task has moved on since. Only the task of the Image's current generation speaks for it.
    """
    owner = controller_of(body)
    if event["type"] == "DELETED" or owner.get("kind") != "Image":
        return
    namespace, generation = body["metadata"]["namespace"], body["spec"]["imageGeneration"]
    progress = progress_of(body)
    digest = (body.get("status") or {}).get("digest") if progress.ready else None
    for _attempt in range(CONFLICT_RETRIES):
        image = await read(memo, IMAGES, namespace, owner["name"])
        if image is None or image["metadata"]["uid"] != owner["uid"]:
            return  # the Image is gone; the garbage collector deletes the task
        if image["metadata"].get("generation") != generation:
            return  # a build of an earlier spec
        current = image.get("status") or {}
        if (current.get("phase"), current.get("observedGeneration")) == (
            progress.phase,
            generation,
        ):
            return  # said already
        try:
            await patch_status(
                memo.api,
                IMAGES,
                owner["name"],
                image_status(current, generation, progress, digest),
                namespace=namespace,
                resource_version=image["metadata"]["resourceVersion"],
            )
        except ApiException as exc:
            if exc.status != 409:
                raise
            continue  # the Image changed since it was read
        logger.info(
            "image %s/%s: %s (%s)", namespace, owner["name"], progress.phase, progress.message
        )
        return
    logger.warning(
        "image %s/%s: gave up after %d conflicts", namespace, owner["name"], CONFLICT_RETRIES
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="The golden-image controller (kopf).")
    parser.add_argument("--kubeconfig", help="default: $KUBECONFIG, ~/.kube/config, in-cluster")
    parser.add_argument(
        "--namespace", "-n", action="append", help="watch only these (default: all namespaces)"
    )
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    kopf.configure(verbose=args.verbose)
    # Its debug log prints every response body.
    logging.getLogger("kubernetes_asyncio").setLevel(logging.INFO)
    kopf.run(
        standalone=True,  # one replica: no peering objects
        clusterwide=not args.namespace,
        namespaces=args.namespace or (),
        memo=kopf.Memo(kubeconfig=args.kubeconfig),
    )


if __name__ == "__main__":
    main()
