"""Aggregated discovery through kube-apiserver: the annex group as a CRD of the same schema.

The example Image is served by the gateway (images.example.com) and, as the baseline, by a CRD
in another group (bench/aggregation.py `baseline_crd()`, with the example's shortNames put
back so the two entries can be compared whole). kube-apiserver's aggregator fetches the
gateway's `/apis` as `apidiscovery.k8s.io/v2` and merges it into its own; the annex group's
entry there must equal the CRD group's once the group names are swapped. Verbs are compared
as sets: the apiextensions server lists them in its own order, the gateway sorted.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from annex_core.kube import KubeClient
from bench.aggregation import BASELINE_GROUP, DEFINITION, baseline_crd
from tests.helpers import REPO, eventually
from tests.stack import Stack, running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

ANNEX_GROUP, VERSION = "images.example.com", "v1alpha1"
V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """The example ApiDefinition and its CRD twin (with the same shortNames)."""
    work = tmp_path_factory.mktemp("discovery")
    crd = baseline_crd()
    crd["spec"]["names"]["shortNames"] = DEFINITION["spec"]["resources"][0]["names"]["shortNames"]
    async with running_stack(control_plane, work) as stack:
        await stack.kubectl("apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml"))
        await stack.kubectl("apply", "-f", "-", stdin=json.dumps(crd))
        try:
            await stack.kubectl(
                "wait",
                "--for=condition=Established",
                f"crd/images.{BASELINE_GROUP}",
                "--timeout=60s",
            )
            await wait_available(stack.kubectl, f"{VERSION}.{ANNEX_GROUP}")
            yield stack
        finally:
            await stack.kubectl(
                "delete", "crd", f"images.{BASELINE_GROUP}", "--wait=true", check=False
            )


def normalized(entry: dict[str, Any], group: str) -> dict[str, Any]:
    """The entry with `group` renamed to a placeholder and every verb list sorted."""
    text = json.dumps(entry).replace(f'"{group}"', '"GROUP"')
    renamed: dict[str, Any] = json.loads(text)
    for version in renamed.get("versions", []):
        for resource in version.get("resources", []):
            resource["verbs"] = sorted(resource["verbs"])
            for sub in resource.get("subresources", []):
                sub["verbs"] = sorted(sub["verbs"])
    return renamed


async def kube_discovery(control_plane: ControlPlane) -> dict[str, dict[str, Any]]:
    """kube-apiserver's merged aggregated discovery, by group name."""
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        document = await client.request("GET", "/apis", accept=V2)
    assert document["kind"] == "APIGroupDiscoveryList"
    return {item["metadata"]["name"]: item for item in document["items"]}


async def test_kube_apiserver_publishes_the_annex_group_as_it_does_the_crd(stack: Stack) -> None:
    async def both_listed() -> dict[str, dict[str, Any]] | None:
        groups = await kube_discovery(stack.control_plane)
        annex = groups.get(ANNEX_GROUP, {})
        if not any(v.get("resources") for v in annex.get("versions", [])):
            return None
        return groups if BASELINE_GROUP in groups else None

    groups = await eventually(both_listed, timeout=90, what="both groups in kube discovery")
    annex, crd = groups[ANNEX_GROUP], groups[BASELINE_GROUP]
    assert [v["freshness"] for v in annex["versions"]] == ["Current"]
    assert normalized(annex, ANNEX_GROUP) == normalized(crd, BASELINE_GROUP)


def front_proxy_session(stack: Stack) -> aiohttp.ClientSession:
    """A direct HTTPS client to the gateway, as kube-apiserver's proxy (front-proxy cert)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the gateway's identity is not under test here
    cp = stack.control_plane
    context.load_cert_chain(
        str(cp.front_proxy_client_cert_file), str(cp.front_proxy_client_key_file)
    )
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context))


async def test_the_gateway_answers_the_aggregators_request_with_v2(stack: Stack) -> None:
    """What kube-aggregator's discovery manager sends: v2 Accept as system:kube-aggregator in
    system:masters, then If-None-Match with the ETag it got."""
    headers = {
        "Accept": V2,
        "X-Remote-User": "system:kube-aggregator",
        "X-Remote-Group": "system:masters",
    }
    async with front_proxy_session(stack) as session:
        async with session.get(f"{stack.gateway_url}/apis", headers=headers) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == V2
            assert response.headers["Vary"] == "Accept"
            etag = response.headers["ETag"]
            document = json.loads(await response.read())
        cached = headers | {"If-None-Match": etag}
        async with session.get(f"{stack.gateway_url}/apis", headers=cached) as response:
            assert response.status == 304
    (item,) = [i for i in document["items"] if i["metadata"]["name"] == ANNEX_GROUP]
    merged = (await kube_discovery(stack.control_plane))[ANNEX_GROUP]
    assert merged["versions"] == item["versions"]  # taken as served, not converted


def rows(table: str) -> list[list[str]]:
    """kubectl's table as whitespace-split rows (column widths follow the group name's
    length), each comma-separated verb list sorted."""
    return [
        [",".join(sorted(cell.split(","))) for cell in line.split()] for line in table.splitlines()
    ]


async def test_kubectl_api_resources_is_the_same_for_both(stack: Stack) -> None:
    async def listed(group: str, *wide: str) -> list[list[str]]:
        result = await stack.kubectl("api-resources", f"--api-group={group}", *wide)
        return rows(result.stdout.replace(group, "GROUP"))

    annex = await listed(ANNEX_GROUP)
    assert annex[1] == ["images", "img", "GROUP/v1alpha1", "true", "Image"]
    assert annex == await listed(BASELINE_GROUP)
    wide = await listed(ANNEX_GROUP, "-o", "wide")
    assert wide[1][-1] == "all"  # CATEGORIES
    assert wide == await listed(BASELINE_GROUP, "-o", "wide")
