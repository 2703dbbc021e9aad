"""kubernetes-asyncio patching an annex Image through kube-apiserver, as a Python controller does.

Each test runs against the example Image served by the gateway (images.example.com) and, as
the baseline the assertions are checked against, the same schema as a CRD
(crdimages.example.net, see bench/aggregation.py).

CustomObjectsApi.patch_* chooses the Content-Type from the body unless `_content_type` is
passed: a list is sent as application/json-patch+json, and so is a dict (its first media
type), so a merge patch and server-side apply must name theirs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
import yaml
from kubernetes_asyncio import client as k8s_client

from annex_controlplane import ControlPlane
from annex_core.kube import load_configuration
from bench.aggregation import BASELINE_GROUP, baseline_crd
from tests.helpers import REPO
from tests.stack import running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

VERSION, PLURAL, NAMESPACE = "v1alpha1", "images", "default"
GROUPS = {"annex": "images.example.com", "crd": BASELINE_GROUP}
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"


@dataclass(frozen=True)
class Images:
    api: k8s_client.CustomObjectsApi
    group: str

    def path(self, name: str) -> tuple[str, str, str, str, str]:
        return (self.group, VERSION, NAMESPACE, PLURAL, name)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def served(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[k8s_client.CustomObjectsApi]:
    """The example ApiDefinition and its CRD twin, served through kube-apiserver."""
    work = tmp_path_factory.mktemp("kube-asyncio-writes")
    async with running_stack(control_plane, work) as stack:
        await stack.kubectl("apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml"))
        await stack.kubectl("apply", "-f", "-", stdin=json.dumps(baseline_crd()))
        await stack.kubectl(
            "wait",
            "--for=condition=Established",
            f"crd/images.{BASELINE_GROUP}",
            "--timeout=60s",
        )
        await wait_available(stack.kubectl, f"{VERSION}.{GROUPS['annex']}")
        api_client = k8s_client.ApiClient(await load_configuration(control_plane.kubeconfig))
        try:
            yield k8s_client.CustomObjectsApi(api_client)
        finally:
            await api_client.close()
            await stack.kubectl(
                "delete", "crd", f"images.{BASELINE_GROUP}", "--wait=false", check=False
            )


@pytest.fixture(params=sorted(GROUPS))
def images(request: pytest.FixtureRequest, served: k8s_client.CustomObjectsApi) -> Images:
    return Images(served, GROUPS[request.param])


async def create(images: Images, name: str) -> dict[str, Any]:
    image = yaml.safe_load((REPO / "examples" / "images" / "image.yaml").read_text())
    image["apiVersion"] = f"{images.group}/{VERSION}"
    image["metadata"] = {"name": name, "labels": {"app": name}}
    created: dict[str, Any] = await images.api.create_namespaced_custom_object(
        images.group, VERSION, NAMESPACE, PLURAL, image
    )
    assert created["spec"]["packages"] == ["curl", "ca-certificates"]
    return created


async def read(images: Images, name: str) -> dict[str, Any]:
    stored: dict[str, Any] = await images.api.get_namespaced_custom_object(*images.path(name))
    return stored


async def patch(
    images: Images, name: str, *args: Any, status: bool = False, **options: Any
) -> dict[str, Any]:
    """CustomObjectsApi.patch_*; the stubs do not declare `_content_type`, the code takes it."""
    api = images.api
    method = (
        api.patch_namespaced_custom_object_status if status else api.patch_namespaced_custom_object
    )
    result: dict[str, Any] = await method(*images.path(name), *args, **options)
    return result


async def test_merge_patch(images: Images) -> None:
    created = await create(images, "merge-patched")
    patched = await patch(
        images,
        "merge-patched",
        {"metadata": {"labels": {"app": None, "tier": "base"}}, "spec": {"schedule": "@daily"}},
        _content_type=MERGE_PATCH,
    )
    stored = await read(images, "merge-patched")
    assert stored == patched
    assert stored["metadata"]["labels"] == {"tier": "base"}
    assert stored["spec"] == {
        "baseImage": "debian:12",
        "packages": ["curl", "ca-certificates"],
        "schedule": "@daily",
    }
    assert stored["metadata"]["generation"] == 2
    assert stored["metadata"]["uid"] == created["metadata"]["uid"]
    assert int(stored["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])


async def test_json_patch(images: Images) -> None:
    await create(images, "json-patched")
    # A list body is sent as application/json-patch+json without being asked.
    patched = await patch(
        images,
        "json-patched",
        [
            {"op": "test", "path": "/spec/baseImage", "value": "debian:12"},
            {"op": "replace", "path": "/spec/baseImage", "value": "debian:13"},
            {"op": "add", "path": "/spec/packages/-", "value": "make"},
            {"op": "remove", "path": "/spec/packages/0"},
        ],
    )
    stored = await read(images, "json-patched")
    assert stored == patched
    assert stored["spec"] == {"baseImage": "debian:13", "packages": ["ca-certificates", "make"]}
    assert stored["metadata"]["generation"] == 2

    # A failing `test` changes nothing: 422, as for a CRD.
    with pytest.raises(k8s_client.ApiException) as failed:
        await patch(
            images,
            "json-patched",
            [
                {"op": "test", "path": "/spec/baseImage", "value": "debian:12"},
                {"op": "replace", "path": "/spec/baseImage", "value": "debian:11"},
            ],
            _content_type=JSON_PATCH,
        )
    assert failed.value.status == 422
    assert await read(images, "json-patched") == stored


async def test_server_side_apply(images: Images) -> None:
    applied_config = {
        "apiVersion": f"{images.group}/{VERSION}",
        "kind": "Image",
        "metadata": {"name": "applied", "labels": {"owner": "controller"}},
        "spec": {"baseImage": "debian:12", "packages": ["git"]},
    }
    # Created by apply: 201, for which the generated client returns no body.
    await patch(
        images,
        "applied",
        applied_config,
        field_manager="kube-asyncio",
        _content_type=APPLY_PATCH,
    )
    stored = await read(images, "applied")
    assert stored["metadata"]["labels"] == {"owner": "controller"}
    assert stored["spec"] == {"baseImage": "debian:12", "packages": ["git"]}
    assert stored["metadata"]["generation"] == 1
    [entry] = stored["metadata"]["managedFields"]
    assert {k: entry[k] for k in ("manager", "operation", "apiVersion", "fieldsType")} == {
        "manager": "kube-asyncio",
        "operation": "Apply",
        "apiVersion": f"{images.group}/{VERSION}",
        "fieldsType": "FieldsV1",
    }
    assert entry["fieldsV1"] == {
        "f:metadata": {"f:labels": {"f:owner": {}}},
        "f:spec": {"f:baseImage": {}, "f:packages": {}},
    }

    # Another manager changing an owned field conflicts (409) unless it forces.
    changed = {**applied_config, "spec": {"baseImage": "debian:13"}}
    with pytest.raises(k8s_client.ApiException) as conflict:
        await patch(
            images,
            "applied",
            changed,
            field_manager="someone-else",
            _content_type=APPLY_PATCH,
        )
    assert conflict.value.status == 409
    forced = await patch(
        images,
        "applied",
        changed,
        field_manager="someone-else",
        force=True,
        _content_type=APPLY_PATCH,
    )
    assert forced["spec"] == {"baseImage": "debian:13", "packages": ["git"]}
    assert forced["metadata"]["generation"] == 2
    assert sorted(e["manager"] for e in forced["metadata"]["managedFields"]) == [
        "kube-asyncio",
        "someone-else",
    ]


async def test_status_merge_patch(images: Images) -> None:
    await create(images, "status-patched")
    patched = await patch(
        images,
        "status-patched",
        {"status": {"phase": "Building"}, "spec": {"baseImage": "debian:13"}},
        status=True,
        _content_type=MERGE_PATCH,
    )
    stored = await read(images, "status-patched")
    assert stored == patched
    assert stored["status"] == {"phase": "Building"}
    assert stored["spec"]["baseImage"] == "debian:12"  # the status subresource ignores spec
    assert stored["metadata"]["generation"] == 1


# -- watch (the read side starts here: a controller's informer needs it) -------------------------


async def test_watch_sees_adds_updates_and_deletes(images: Images) -> None:
    """kubernetes-asyncio's Watch through kube-apiserver, from the list's resourceVersion."""
    from kubernetes_asyncio import watch as k8s_watch

    listed = await images.api.list_namespaced_custom_object(
        images.group, VERSION, NAMESPACE, PLURAL, label_selector="app=watched"
    )
    seen: list[tuple[str, str]] = []
    watcher = k8s_watch.Watch()

    async def consume() -> None:
        async for event in watcher.stream(
            images.api.list_namespaced_custom_object,
            images.group,
            VERSION,
            NAMESPACE,
            PLURAL,
            label_selector="app=watched",
            resource_version=listed["metadata"]["resourceVersion"],
            timeout_seconds=20,
        ):
            seen.append((event["type"], event["object"]["metadata"]["name"]))
            if event["type"] == "DELETED":
                watcher.stop()

    consumer = asyncio.ensure_future(consume())
    await asyncio.sleep(0.5)  # the watch is open before the writes
    await create(images, "watched")
    await patch(images, "watched", {"spec": {"schedule": "@hourly"}}, _content_type=MERGE_PATCH)
    await images.api.delete_namespaced_custom_object(*images.path("watched"))
    await asyncio.wait_for(consumer, 30)
    assert seen == [("ADDED", "watched"), ("MODIFIED", "watched"), ("DELETED", "watched")]


async def test_watch_list_ends_initial_events_with_a_bookmark(images: Images) -> None:
    """client-go's WatchList (the default from 1.35): initial state, then the bookmark."""
    await create(images, "listed-by-watch")
    api_client: Any = images.api.api_client  # type: ignore[attr-defined]  # not in the stubs
    response = await api_client.call_api(
        f"/apis/{images.group}/{VERSION}/namespaces/{NAMESPACE}/{PLURAL}",
        "GET",
        query_params=[
            ("watch", "true"),
            ("sendInitialEvents", "true"),
            ("resourceVersionMatch", "NotOlderThan"),
            ("allowWatchBookmarks", "true"),
            ("labelSelector", "app=listed-by-watch"),
            ("timeoutSeconds", "2"),
        ],
        auth_settings=["BearerToken"],
        _preload_content=False,
    )
    lines = [json.loads(line) for line in (await response.read()).splitlines() if line]
    assert [event["type"] for event in lines[:2]] == ["ADDED", "BOOKMARK"]
    assert lines[0]["object"]["metadata"]["name"] == "listed-by-watch"
    bookmark = lines[1]["object"]
    assert bookmark["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    assert bookmark["kind"] == "Image"
    await images.api.delete_namespaced_custom_object(*images.path("listed-by-watch"))
