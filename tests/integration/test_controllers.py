"""kube-controller-manager's garbage collector and namespace controller on annex Images.

Both reach the gateway only through kube-apiserver, as they would in a real cluster: discovery,
list and watch (metadata only: PartialObjectMetadata), delete, deletecollection and, to remove
the foregroundDeletion finalizer, a strategic merge patch answered with 415 and retried as a
merge patch (contract §6.3, §6.4).

This module runs its own control plane with `controllers=True` (the session one has none),
from its first test to its last.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
import yaml
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio.client.exceptions import ApiException

from annex_controlplane import ControlPlane, ControlPlaneError, ensure_binaries
from annex_controlplane.probe import Probe
from annex_core.kube import load_configuration
from tests.helpers import REPO, eventually, log_tail
from tests.stack import running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

GROUP, VERSION, PLURAL, KIND = "images.example.com", "v1alpha1", "images", "Image"
API_VERSION = f"{GROUP}/{VERSION}"
NAMESPACE = "default"
FOREGROUND_FINALIZER = "foregroundDeletion"
GC_GRAPH = "/debug/controllers/garbage-collector-controller/graph"
# The GC rediscovers resources every 30 s (fixed in kcm), then lists and watches the new ones.
GC_DISCOVERY_TIMEOUT = 90.0
GC_TIMEOUT = 60.0
NAMESPACE_DELETION_TIMEOUT = 120.0


@dataclass(frozen=True)
class Cluster:
    control_plane: ControlPlane
    images: k8s_client.CustomObjectsApi
    core: k8s_client.CoreV1Api

    async def gc_graph(self, uid: str) -> str:
        """The garbage collector's dependency graph around `uid`, in DOT ('' if unknown)."""
        assert self.control_plane.controller_manager_url is not None
        async with Probe(self.control_plane.pki) as probe:
            status, body = await probe.get(
                f"{self.control_plane.controller_manager_url}{GC_GRAPH}?uid={uid}"
            )
        assert status == 200, f"{GC_GRAPH}: {status} {body[:300]}"
        return body


def report(what: str, seconds: float) -> None:
    print(f"[timing] {what}: {seconds:.2f} s")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    """A control plane with kube-controller-manager, the operator and gateway, and the example
    ApiDefinition Available; yielded once the garbage collector watches Images."""
    work = tmp_path_factory.mktemp("controllers")
    try:
        binaries = await ensure_binaries()
        started = time.monotonic()
        async with ControlPlane.start(
            work / "controlplane", binaries=binaries, controllers=True
        ) as control_plane:
            report("control plane with kube-controller-manager", time.monotonic() - started)
            try:
                async with running_stack(control_plane, work / "stack") as stack:
                    await stack.kubectl(
                        "apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml")
                    )
                    await wait_available(stack.kubectl, f"{VERSION}.{GROUP}")
                    api_client = k8s_client.ApiClient(
                        await load_configuration(control_plane.kubeconfig)
                    )
                    try:
                        cluster = Cluster(
                            control_plane,
                            k8s_client.CustomObjectsApi(api_client),
                            k8s_client.CoreV1Api(api_client),
                        )
                        await _wait_gc_watches_images(cluster)
                        yield cluster
                    finally:
                        await api_client.close()
            finally:
                assert control_plane.controller_manager_log is not None
                print(
                    "--- kube-controller-manager log ---\n"
                    + log_tail(control_plane.controller_manager_log, 80)
                )
    except ControlPlaneError as exc:
        pytest.fail(f"cannot start the control plane: {exc}", pytrace=False)


async def _wait_gc_watches_images(cluster: Cluster) -> None:
    """Until an Image shows up in the GC's graph: its monitor for Images lists and watches.

    The graph dump leaves out objects without owners or dependents, so the probe Image is
    owned by a ConfigMap; deleting that owner afterwards lets the GC clean the probe up.
    """
    started = time.monotonic()
    owner = await create_configmap(cluster, unique("gc-probe-owner"))
    probe = await create_image(cluster, NAMESPACE, unique("gc-probe"), [owner_reference(owner)])
    uid = probe["metadata"]["uid"]

    async def in_graph() -> bool:
        return uid in await cluster.gc_graph(uid)

    await eventually(
        in_graph, timeout=GC_DISCOVERY_TIMEOUT, interval=0.5, what="the GC to see an Image"
    )
    report("garbage collector watches Images after Available", time.monotonic() - started)
    await cluster.core.delete_namespaced_config_map(owner.metadata.name, NAMESPACE)
    await wait_image_gone(
        cluster, NAMESPACE, probe["metadata"]["name"], "the GC to delete the probe Image"
    )


# --- helpers -------------------------------------------------------------------------------


def owner_reference(obj: dict[str, Any] | Any, *, block: bool = False) -> dict[str, Any]:
    """An ownerReference to `obj`, a dict (Image) or a kubernetes-asyncio model (ConfigMap)."""
    if isinstance(obj, dict):
        api_version, kind = obj["apiVersion"], obj["kind"]
        name, uid = obj["metadata"]["name"], obj["metadata"]["uid"]
    else:
        api_version, kind = "v1", "ConfigMap"
        name, uid = obj.metadata.name, obj.metadata.uid
    reference = {"apiVersion": api_version, "kind": kind, "name": name, "uid": uid}
    if block:
        reference["blockOwnerDeletion"] = True
    return reference


async def create_image(
    cluster: Cluster, namespace: str, name: str, owners: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    image = yaml.safe_load((REPO / "examples" / "images" / "image.yaml").read_text())
    image["metadata"] = {"name": name}
    if owners:
        image["metadata"]["ownerReferences"] = owners
    created: dict[str, Any] = await cluster.images.create_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, image
    )
    return created


async def create_configmap(
    cluster: Cluster, name: str, owners: list[dict[str, Any]] | None = None
) -> Any:
    references = [
        k8s_client.V1OwnerReference(
            api_version=owner["apiVersion"],
            kind=owner["kind"],
            name=owner["name"],
            uid=owner["uid"],
            block_owner_deletion=owner.get("blockOwnerDeletion"),
        )
        for owner in owners or []
    ]
    body = k8s_client.V1ConfigMap(
        metadata=k8s_client.V1ObjectMeta(name=name, owner_references=references or None),
        data={"k": "v"},
    )
    return await cluster.core.create_namespaced_config_map(NAMESPACE, body)


async def read_image(cluster: Cluster, namespace: str, name: str) -> dict[str, Any] | None:
    try:
        image: dict[str, Any] = await cluster.images.get_namespaced_custom_object(
            GROUP, VERSION, namespace, PLURAL, name
        )
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise
    return image


async def configmap_exists(cluster: Cluster, name: str) -> bool:
    try:
        await cluster.core.read_namespaced_config_map(name, NAMESPACE)
    except ApiException as exc:
        if exc.status == 404:
            return False
        raise
    return True


async def wait_image_gone(cluster: Cluster, namespace: str, name: str, what: str) -> float:
    started = time.monotonic()

    async def gone() -> bool:
        return await read_image(cluster, namespace, name) is None

    await eventually(gone, timeout=GC_TIMEOUT, what=what)
    return time.monotonic() - started


async def wait_configmap_gone(cluster: Cluster, name: str, what: str) -> float:
    started = time.monotonic()

    async def gone() -> bool:
        return not await configmap_exists(cluster, name)

    await eventually(gone, timeout=GC_TIMEOUT, what=what)
    return time.monotonic() - started


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


# --- the namespace controller --------------------------------------------------------------


async def test_deleting_a_namespace_deletes_its_images(cluster: Cluster) -> None:
    namespace = unique("ns-with-images")
    await cluster.core.create_namespace(
        k8s_client.V1Namespace(metadata=k8s_client.V1ObjectMeta(name=namespace))
    )
    names = [f"image-{i}" for i in range(3)]
    for name in names:
        await create_image(cluster, namespace, name)

    started = time.monotonic()
    await cluster.core.delete_namespace(namespace)

    async def namespace_gone() -> bool:
        try:
            await cluster.core.read_namespace(namespace)
        except ApiException as exc:
            if exc.status == 404:
                return True
            raise
        return False

    await eventually(
        namespace_gone,
        timeout=NAMESPACE_DELETION_TIMEOUT,
        interval=0.5,
        what=f"namespace {namespace} to be deleted",
    )
    report("namespace with 3 Images deleted", time.monotonic() - started)

    # Gone from the gateway's store, not only hidden behind the missing namespace.
    everywhere = await cluster.images.list_cluster_custom_object(GROUP, VERSION, PLURAL)
    assert [
        item["metadata"]["name"]
        for item in everywhere["items"]
        if item["metadata"]["namespace"] == namespace
    ] == []
    for name in names:
        assert await read_image(cluster, namespace, name) is None


# --- the garbage collector: an Image owned by a ConfigMap ----------------------------------


async def test_image_owned_by_a_configmap_is_collected_when_it_is_deleted(
    cluster: Cluster,
) -> None:
    owner = await create_configmap(cluster, unique("owner-bg"))
    image = await create_image(cluster, NAMESPACE, unique("dependent-bg"), [owner_reference(owner)])
    stored = await read_image(cluster, NAMESPACE, image["metadata"]["name"])
    assert stored is not None
    assert stored["metadata"]["ownerReferences"] == [owner_reference(owner)]

    await cluster.core.delete_namespaced_config_map(
        owner.metadata.name, NAMESPACE, propagation_policy="Background"
    )
    seconds = await wait_image_gone(
        cluster, NAMESPACE, image["metadata"]["name"], "the GC to delete the dependent Image"
    )
    report("Image collected after its ConfigMap owner (background)", seconds)


async def test_foreground_deletion_of_a_configmap_waits_for_its_image(cluster: Cluster) -> None:
    owner = await create_configmap(cluster, unique("owner-fg"))
    image = await create_image(
        cluster, NAMESPACE, unique("dependent-fg"), [owner_reference(owner, block=True)]
    )
    image_name = image["metadata"]["name"]

    started = time.monotonic()
    await cluster.core.delete_namespaced_config_map(
        owner.metadata.name, NAMESPACE, propagation_policy="Foreground"
    )
    await wait_image_gone(cluster, NAMESPACE, image_name, "the GC to delete the dependent Image")
    image_seconds = time.monotonic() - started
    await wait_configmap_gone(cluster, owner.metadata.name, "the ConfigMap to be released")
    report("Image collected, ConfigMap owner deleted in foreground", image_seconds)
    report("ConfigMap owner gone (foreground)", time.monotonic() - started)


# --- the garbage collector: an Image owning a ConfigMap ------------------------------------


async def test_deleting_an_image_collects_the_configmap_it_owns(cluster: Cluster) -> None:
    owner = await create_image(cluster, NAMESPACE, unique("owner-bg"))
    dependent = await create_configmap(cluster, unique("dependent-bg"), [owner_reference(owner)])
    assert await configmap_exists(cluster, dependent.metadata.name)

    await cluster.images.delete_namespaced_custom_object(
        GROUP, VERSION, NAMESPACE, PLURAL, owner["metadata"]["name"]
    )
    assert await read_image(cluster, NAMESPACE, owner["metadata"]["name"]) is None
    seconds = await wait_configmap_gone(
        cluster, dependent.metadata.name, "the GC to delete the ConfigMap an Image owned"
    )
    report("ConfigMap collected after its Image owner (background)", seconds)


async def test_foreground_deletion_of_an_image_waits_for_the_configmap_it_owns(
    cluster: Cluster,
) -> None:
    owner = await create_image(cluster, NAMESPACE, unique("owner-fg"))
    name = owner["metadata"]["name"]
    dependent = await create_configmap(
        cluster, unique("dependent-fg"), [owner_reference(owner, block=True)]
    )

    started = time.monotonic()
    deleting: dict[str, Any] = await cluster.images.delete_namespaced_custom_object(
        GROUP, VERSION, NAMESPACE, PLURAL, name, propagation_policy="Foreground"
    )
    # The gateway keeps the Image, marked, until the GC has deleted its dependents.
    assert deleting["metadata"].get("deletionTimestamp"), deleting["metadata"]
    assert FOREGROUND_FINALIZER in deleting["metadata"].get("finalizers", [])

    await wait_configmap_gone(cluster, dependent.metadata.name, "the GC to delete the ConfigMap")
    configmap_seconds = time.monotonic() - started
    # Only then the GC removes foregroundDeletion (a merge patch, after the gateway's 415 to a
    # strategic merge patch) and the gateway deletes the Image.
    await wait_image_gone(cluster, NAMESPACE, name, "the GC to release the Image")
    report("dependent ConfigMap gone, Image owner deleting in foreground", configmap_seconds)
    report("Image owner gone (foreground)", time.monotonic() - started)
