"""The shared client and informer against the real kube-apiserver."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

import pytest

from annex_controlplane import ControlPlane
from annex_core.informer import Informer
from annex_core.kube import KubeApiError, KubeClient, resource_path
from tests.helpers import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

NAMESPACE = "kube-client-test"


def configmap(name: str, value: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": NAMESPACE},
        "data": {"value": value},
    }


async def ensure_namespace(client: KubeClient) -> None:
    with contextlib.suppress(KubeApiError):
        await client.create(
            resource_path("v1", "namespaces"),
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}},
        )


async def test_requests_and_errors(control_plane: ControlPlane) -> None:
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        await ensure_namespace(client)
        path = resource_path("v1", "configmaps", namespace=NAMESPACE, name="applied")
        assert await client.get_or_none(path) is None

        first = await client.apply(path, configmap("applied", "1"), field_manager="test")
        again = await client.apply(path, configmap("applied", "1"), field_manager="test")
        assert first["metadata"]["resourceVersion"] == again["metadata"]["resourceVersion"]
        patched = await client.merge_patch(path, {"data": {"value": "2"}})
        assert patched["data"] == {"value": "2"}

        metadata = await client.list_metadata(
            resource_path("v1", "configmaps", namespace=NAMESPACE)
        )
        assert metadata["kind"] == "PartialObjectMetadataList"
        assert all("data" not in item for item in metadata["items"])

        with pytest.raises(KubeApiError) as caught:
            await client.create(
                resource_path("v1", "configmaps", namespace=NAMESPACE), configmap("applied", "3")
            )
        assert (caught.value.status, caught.value.reason) == (409, "AlreadyExists")

        assert await client.delete(path) is not None
        assert await client.delete(path) is None  # missing_ok


async def test_informer_follows_creates_updates_and_deletes(control_plane: ControlPlane) -> None:
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        await ensure_namespace(client)
        snapshots: list[Mapping[str, Any]] = []
        informer = Informer(
            client, resource_path("v1", "configmaps", namespace=NAMESPACE), snapshots.append
        )
        task = asyncio.create_task(informer.run())
        try:
            await asyncio.wait_for(informer.synced.wait(), 10)
            collection = resource_path("v1", "configmaps", namespace=NAMESPACE)
            await client.create(collection, configmap("watched", "a"))

            async def seen(value: str | None) -> bool:
                current = snapshots[-1].get(f"{NAMESPACE}/watched") if snapshots else None
                return (
                    (current or {}).get("data", {}).get("value") == value
                    if value
                    else current is None
                )

            await eventually(lambda: seen("a"), timeout=10, what="the created ConfigMap")
            item = resource_path("v1", "configmaps", namespace=NAMESPACE, name="watched")
            await client.merge_patch(item, {"data": {"value": "b"}})
            await eventually(lambda: seen("b"), timeout=10, what="the updated ConfigMap")
            await client.delete(item)
            await eventually(lambda: seen(None), timeout=10, what="the deleted ConfigMap")
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
