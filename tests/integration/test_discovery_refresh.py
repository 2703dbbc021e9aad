"""A resource added to a served ApiDefinition reaches kube-apiserver's discovery at once.

kube-aggregator caches each APIService's discovery document and refetches it every minute,
or at once when the APIService changes. Once the gateway serves the new definition the
operator writes what it saw onto the APIService (`annex.dev/discovery-hash`), which makes
kube-apiserver refetch. The example ApiDefinition is served, its discovery cached by
kube-apiserver, then a second resource is added; aggregated discovery (as kubectl reads it)
must list it within a bound well below that minute. The bound is an upper limit, not a
measurement.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import yaml

from annex_controlplane import ControlPlane
from annex_core import apidef
from annex_core.kube import KubeClient, resource_path
from annex_operator.served import content_hash
from annex_operator.settings import DISCOVERY_HASH_ANNOTATION
from tests.helpers import REPO, eventually
from tests.integration.test_discovery import kube_discovery
from tests.stack import Stack, running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

GROUP, VERSION = "images.example.com", "v1alpha1"
APISERVICE = f"{VERSION}.{GROUP}"
REFRESH_BOUND = 20.0  # kube-aggregator's own refetch comes every 60 s
ADDED, ADDED_KIND = "refreshprobes", "RefreshProbe"
TARGET_DESCRIPTION = "What the probe looks at; only in the added resource's schema."


def example_definition() -> dict[str, Any]:
    """A copy of the example's ApiDefinition, whatever resources it holds today."""
    path = REPO / "examples" / "images" / "apidefinition.yaml"
    with path.open(encoding="utf-8") as f:
        (found,) = [
            doc
            for doc in yaml.safe_load_all(f)
            if isinstance(doc, dict)
            and doc.get("kind") == apidef.KIND
            and doc["metadata"]["name"] == GROUP
        ]
    assert ADDED not in [r["names"]["plural"] for r in found["spec"]["resources"]]
    return dict(found)


def with_added_resource(definition: dict[str, Any]) -> dict[str, Any]:
    extended = copy.deepcopy(definition)
    target = {"type": "string", "description": TARGET_DESCRIPTION}
    spec = {"type": "object", "properties": {"target": target}}
    extended["spec"]["resources"].append(
        {
            "names": {"plural": ADDED, "singular": "refreshprobe", "kind": ADDED_KIND},
            "scope": "Namespaced",
            "versions": [
                {
                    "name": VERSION,
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec}}},
                    "subresources": {"status": {}},
                }
            ],
        }
    )
    return extended


async def kube_resources(control_plane: ControlPlane) -> list[str]:
    """The resources of the group-version in kube-apiserver's merged aggregated discovery."""
    group = (await kube_discovery(control_plane)).get(GROUP, {})
    version: dict[str, Any] = next(
        (v for v in group.get("versions", []) if v["version"] == VERSION), {}
    )
    return [r["resource"] for r in version.get("resources", [])]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """The example definition served and in kube-apiserver's discovery cache, then extended."""
    definition = example_definition()
    async with running_stack(control_plane, tmp_path_factory.mktemp("refresh")) as stack:
        await stack.kubectl("apply", "-f", "-", stdin=json.dumps(definition))
        await wait_available(stack.kubectl, APISERVICE)

        async def cached() -> list[str] | None:
            return await kube_resources(control_plane) or None

        before = await eventually(cached, timeout=90, what="the example in kube discovery")
        assert ADDED not in before
        await stack.kubectl("apply", "-f", "-", stdin=json.dumps(with_added_resource(definition)))
        yield stack


async def test_aggregated_discovery_lists_the_added_resource_at_once(stack: Stack) -> None:
    async def listed() -> list[str] | None:
        resources = await kube_resources(stack.control_plane)
        return resources if ADDED in resources else None

    resources = await eventually(
        listed, timeout=REFRESH_BOUND, what=f"{ADDED} in kube-apiserver's aggregated discovery"
    )
    assert "images" in resources


async def test_kubectl_api_resources_lists_it(stack: Stack) -> None:
    async def listed() -> list[list[str]] | None:
        result = await stack.kubectl("api-resources", f"--api-group={GROUP}")
        rows = [line.split() for line in result.stdout.splitlines()[1:]]
        return rows if any(row[0] == ADDED for row in rows) else None

    rows = await eventually(listed, timeout=REFRESH_BOUND, what=f"{ADDED} in kubectl api-resources")
    assert [ADDED, f"{GROUP}/{VERSION}", "true", ADDED_KIND] in rows


async def test_the_apiservice_records_what_the_gateway_serves(stack: Stack) -> None:
    path = resource_path("apiregistration.k8s.io/v1", "apiservices", name=APISERVICE)
    async with await KubeClient.connect(stack.control_plane.kubeconfig) as client:
        # `/apis/<g>/<v>` is proxied to the gateway: what it serves now.
        served = content_hash(await client.get(f"/apis/{GROUP}/{VERSION}"))

        async def recorded() -> dict[str, Any] | None:
            apiservice = await client.get(path)
            annotations = apiservice["metadata"].get("annotations") or {}
            return apiservice if annotations.get(DISCOVERY_HASH_ANNOTATION) == served else None

        apiservice = await eventually(
            recorded, timeout=REFRESH_BOUND, what="the served discovery's hash on the APIService"
        )
    managers = {m["manager"] for m in apiservice["metadata"]["managedFields"]}
    assert "annex-operator-discovery" in managers  # beside the spec's manager, not over it
    assert apiservice["spec"]["group"] == GROUP


async def test_openapi_v3_shows_the_added_schema(stack: Stack) -> None:
    model = f"com.example.images.{VERSION}.{ADDED_KIND}"
    async with await KubeClient.connect(stack.control_plane.kubeconfig) as client:

        async def published() -> dict[str, Any] | None:
            document = await client.get(f"/openapi/v3/apis/{GROUP}/{VERSION}")
            schema: dict[str, Any] | None = document["components"]["schemas"].get(model)
            return schema

        schema = await eventually(
            published, timeout=REFRESH_BOUND, what=f"{model} in kube-apiserver's OpenAPI v3"
        )
    target = schema["properties"]["spec"]["properties"]["target"]
    assert target == {"type": "string", "description": TARGET_DESCRIPTION}
