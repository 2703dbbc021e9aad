"""What every role of the golden-image service shares to reach its APIs through kube-apiserver:
the resources' names, a client from a kubeconfig, status merge patches and watches.

The roles depend on kubernetes-asyncio (and the controller on kopf), not on kube-annex.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio import config as k8s_config
from kubernetes_asyncio import watch as k8s_watch
from kubernetes_asyncio.client.exceptions import ApiException

MERGE_PATCH = "application/merge-patch+json"
# How long to wait before watching again after the API failed (restarted, not served yet).
WATCH_RETRY_SECONDS = 2.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    plural: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


# What users write.
IMAGES = Resource("images.example.com", "v1alpha1", "images")
# What the service's roles write: builds.images.example.com (builds-apidefinition.yaml).
BUILD_TASKS = Resource("builds.images.example.com", "v1alpha1", "buildtasks")
WORKERS = Resource("builds.images.example.com", "v1alpha1", "workers")


async def load_configuration(kubeconfig: str | None) -> k8s_client.Configuration:
    """The kubeconfig given, else $KUBECONFIG or ~/.kube/config, else the in-cluster account."""
    configuration = k8s_client.Configuration()
    if kubeconfig is None and "KUBERNETES_SERVICE_HOST" in os.environ:
        k8s_config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
    else:
        await k8s_config.load_kube_config(
            config_file=kubeconfig, client_configuration=configuration
        )
    return configuration


async def connect(kubeconfig: str | None, user_agent: str) -> k8s_client.ApiClient:
    """A client whose user agent names the role: the field manager of its writes."""
    api = k8s_client.ApiClient(await load_configuration(kubeconfig))
    api.user_agent = user_agent
    return api


async def patch_status(
    api: k8s_client.ApiClient,
    resource: Resource,
    name: str,
    status: dict[str, Any],
    *,
    namespace: str | None = None,
    resource_version: str | None = None,
) -> dict[str, Any]:
    """A merge patch on the status subresource; with `resource_version`, only if the object is
    still at it (409 Conflict otherwise).

    kubernetes-asyncio would send a dict as a JSON patch; its stubs omit `_content_type`.
    """
    objects = k8s_client.CustomObjectsApi(api)
    body: dict[str, Any] = {"status": status}
    if resource_version is not None:
        body["metadata"] = {"resourceVersion": resource_version}
    options: dict[str, Any] = {"_content_type": MERGE_PATCH}
    patched: dict[str, Any]
    if namespace is None:
        patched = await objects.patch_cluster_custom_object_status(
            resource.group, resource.version, resource.plural, name, body, **options
        )
    else:
        patched = await objects.patch_namespaced_custom_object_status(
            resource.group, resource.version, namespace, resource.plural, name, body, **options
        )
    return patched


async def watch(
    api: k8s_client.ApiClient, resource: Resource, *, field_selector: str = ""
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """(event type, object) for `resource` in all namespaces, forever.

    Each (re)start without a resourceVersion begins with an ADDED event for every object that
    matches, so consumers must be idempotent; that is how a watch resumes after 410 Gone (its
    revision was compacted) or after the API was unreachable. Objects leaving the selection
    arrive as DELETED.
    """
    objects = k8s_client.CustomObjectsApi(api)
    while True:
        try:
            async with k8s_watch.Watch() as stream:
                async for event in stream.stream(
                    objects.list_cluster_custom_object,
                    resource.group,
                    resource.version,
                    resource.plural,
                    field_selector=field_selector,
                ):
                    yield event["type"], event["raw_object"]
        except (ApiException, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("watch on %s ended (%s); watching again", resource.plural, exc)
            await asyncio.sleep(WATCH_RETRY_SECONDS)
