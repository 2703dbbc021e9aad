"""What a CRD's update validation makes immutable, the ApiDefinition CRD keeps immutable with
CEL transition rules: kube-apiserver refuses such an update with 422, as for a CRD.

spec.group is immutable (as a CRD's group); a resource keeps its scope and kind while its
plural stays (as an established CRD's scope and kind). Renaming a resource is removing it and
adding another, which is allowed.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import yaml

from annex_controlplane import ControlPlane
from annex_core import apidef
from annex_core.kube import KubeApiError, KubeClient, resource_path
from tests.helpers import REPO

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

GROUP = "immutable.example.com"
PATH = resource_path(apidef.API_VERSION, apidef.PLURAL, name=GROUP)
CRD_FILE = REPO / "manifests" / "crd" / "apidefinitions.annex.dev.yaml"


async def install_crd(client: KubeClient) -> None:
    """The CRD as in this tree (annex_cli.dev's install_crd, without the CLI's imports)."""
    crd = yaml.safe_load(CRD_FILE.read_text())
    path = resource_path(
        "apiextensions.k8s.io/v1", "customresourcedefinitions", name=crd["metadata"]["name"]
    )
    await client.apply(path, crd, field_manager="annex-test")
    for _ in range(100):
        conditions = (await client.get(path)).get("status", {}).get("conditions") or []
        if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the ApiDefinition CRD did not become Established")


def definition() -> dict[str, Any]:
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": GROUP},
        "spec": {
            "group": GROUP,
            "resources": [
                {
                    "names": {"plural": "widgets", "kind": "Widget"},
                    "scope": "Namespaced",
                    "versions": [{"name": "v1", "served": True, "storage": True}],
                }
            ],
        },
    }


@pytest_asyncio.fixture(loop_scope="session")
async def client(control_plane: ControlPlane) -> AsyncIterator[KubeClient]:
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        await install_crd(client)
        await client.delete(PATH)
        await client.create(resource_path(apidef.API_VERSION, apidef.PLURAL), definition())
        yield client
        await client.delete(PATH)


async def _refused(client: KubeClient, obj: dict[str, Any]) -> list[dict[str, Any]]:
    current = await client.get(PATH)
    obj["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
    with pytest.raises(KubeApiError) as caught:
        await client.request("PUT", PATH, body=obj)
    assert caught.value.status == 422, caught.value.body
    assert caught.value.body["reason"] == "Invalid"
    causes: list[dict[str, Any]] = caught.value.body["details"]["causes"]
    return causes


async def test_the_group_is_immutable(client: KubeClient) -> None:
    changed = definition()
    changed["spec"]["group"] = "other.example.com"
    causes = await _refused(client, changed)
    # the message a CRD's group change gets (ValidateImmutableField)
    assert {
        "reason": "FieldValueInvalid",
        "message": 'Invalid value: "other.example.com": field is immutable',
        "field": "spec.group",
    } in causes


@pytest.mark.parametrize(
    ("key", "value"), [("scope", "Cluster"), ("kind", "Gadget")], ids=["scope", "kind"]
)
async def test_a_resources_scope_and_kind_are_immutable(
    client: KubeClient, key: str, value: str
) -> None:
    changed = definition()
    resource = changed["spec"]["resources"][0]
    if key == "scope":
        resource["scope"] = value
    else:
        resource["names"]["kind"] = value
    causes = await _refused(client, changed)
    assert causes == [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: a resource's scope and kind are immutable",
            "field": "spec.resources",
        }
    ]


async def test_resources_may_be_added_renamed_and_changed_otherwise(client: KubeClient) -> None:
    changed = definition()
    resources = changed["spec"]["resources"]
    resources[0]["names"] = {"plural": "gadgets", "kind": "Gadget"}  # a rename
    resources[0]["scope"] = "Cluster"
    extra = copy.deepcopy(resources[0])
    extra["names"] = {"plural": "gizmos", "kind": "Gizmo", "shortNames": ["gz"]}
    resources.append(extra)
    current = await client.get(PATH)
    changed["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]

    updated = await client.request("PUT", PATH, body=changed)

    assert [r["names"]["plural"] for r in updated["spec"]["resources"]] == ["gadgets", "gizmos"]
