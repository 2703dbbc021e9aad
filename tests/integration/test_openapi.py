"""`kubectl explain` through kube-apiserver prints the same for the annex Image as for a CRD
with the same schema (crdimages.example.net, see bench/aggregation.py), group names aside:
the gateway's OpenAPI v3 documents are listed in kube-apiserver's aggregated `/openapi/v3`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from bench.aggregation import BASELINE_GROUP, baseline_crd
from tests.helpers import REPO, Kubectl, eventually
from tests.stack import running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

VERSION = "v1alpha1"
ANNEX = "images.example.com"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def kubectl(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Kubectl]:
    work = tmp_path_factory.mktemp("openapi")
    async with running_stack(control_plane, work) as stack:
        await stack.kubectl("apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml"))
        await stack.kubectl("apply", "-f", "-", stdin=json.dumps(baseline_crd()))
        await stack.kubectl(
            "wait", "--for=condition=Established", f"crd/images.{BASELINE_GROUP}", "--timeout=60s"
        )
        await wait_available(stack.kubectl, f"{VERSION}.{ANNEX}")
        try:
            yield stack.kubectl
        finally:
            await stack.kubectl(
                "delete", "crd", f"images.{BASELINE_GROUP}", "--wait=false", check=False
            )


async def test_aggregated_v3_root_lists_the_group_version(kubectl: Kubectl) -> None:
    async def listed() -> bool | None:
        root = json.loads((await kubectl("get", "--raw", "/openapi/v3")).stdout)
        return f"apis/{ANNEX}/{VERSION}" in root["paths"] or None

    await eventually(listed, timeout=90, what="the group-version in /openapi/v3")
    root = json.loads((await kubectl("get", "--raw", "/openapi/v3")).stdout)
    url = root["paths"][f"apis/{ANNEX}/{VERSION}"]["serverRelativeURL"]
    document = json.loads((await kubectl("get", "--raw", url)).stdout)
    assert "com.example.images.v1alpha1.Image" in document["components"]["schemas"]


@pytest.mark.parametrize(
    "args",
    [
        ("images",),
        ("images.spec",),
        ("images.spec.baseImage",),
        ("images.spec.packages",),
        ("images.status",),  # x-kubernetes-preserve-unknown-fields
        ("images.status.phase",),  # an enum
        ("images.metadata.ownerReferences",),
        ("images", "--recursive"),
        ("images", "--output=plaintext-openapiv2"),
        ("images.spec.baseImage", "--output=plaintext-openapiv2"),
        ("images", "--recursive", "--output=plaintext-openapiv2"),
    ],
)
async def test_explain_as_for_a_crd(kubectl: Kubectl, args: tuple[str, ...]) -> None:
    async def explain(group: str) -> str | None:
        result = await kubectl("explain", *args, f"--api-version={group}/{VERSION}", check=False)
        return result.stdout.replace(group, "<group>") if result.returncode == 0 else None

    crd = await eventually(lambda: explain(BASELINE_GROUP), timeout=90, what="CRD explain")
    annex = await eventually(lambda: explain(ANNEX), timeout=90, what="annex explain")
    assert "Image" in annex
    assert annex == crd
