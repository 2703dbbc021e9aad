"""`kubectl explain` through kube-apiserver prints the same for the annex Image as for a CRD
with the same schema (crdimages.example.net, see bench/aggregation.py), group names aside:
the gateway's OpenAPI v3 documents are listed in kube-apiserver's aggregated `/openapi/v3`."""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
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


# Headers that differ by request or by document (compared for presence only).
_PER_DOCUMENT = ("date", "audit-id", "etag", "last-modified", "expires", "content-length")


@pytest.mark.parametrize(
    ("accept", "hashed", "revalidated"),
    [
        ("application/json", False, False),
        ("application/json", True, False),
        ("*/*", False, False),
        ("application/yaml", False, False),
        ("application/json", False, True),  # If-None-Match with the current ETag: 304
    ],
)
async def test_v3_document_answered_with_a_crds_headers(
    kubectl: Kubectl, control_plane: ControlPlane, accept: str, hashed: bool, revalidated: bool
) -> None:
    """kube-apiserver proxies `/openapi/v3/apis/<g>/<v>` to the aggregated server, and the
    answer's headers are the gateway's plus kube-apiserver's own `Cache-Control: no-cache,
    private`. Two differences remain: no `Accept-Ranges` (Range requests are not served),
    and with the current hash the CRD's `public, immutable` replaces kube-apiserver's value
    where a proxied answer can only add to it, as for every aggregated server. (The v3
    document in protobuf is not served: 406, where the CRD's is 200.)"""

    async def listed() -> dict[str, Any] | None:
        root = json.loads((await kubectl("get", "--raw", "/openapi/v3")).stdout)
        return root if f"apis/{ANNEX}/{VERSION}" in root["paths"] else None

    root = await eventually(listed, timeout=90, what="the group-version in /openapi/v3")
    tls = ssl.create_default_context(cafile=str(control_plane.ca_file))
    tls.load_cert_chain(str(control_plane.admin_cert_file), str(control_plane.admin_key_file))

    async def answer(group: str) -> tuple[int, dict[str, list[str]]]:
        url = root["paths"][f"apis/{group}/{VERSION}"]["serverRelativeURL"]
        if not hashed:
            url = url.split("?")[0]
        sent = {"Accept": accept}
        if revalidated:  # the ETag is the document's hash
            hash_url = root["paths"][f"apis/{group}/{VERSION}"]["serverRelativeURL"]
            sent["If-None-Match"] = '"' + hash_url.split("hash=")[1] + '"'
        async with (
            aiohttp.ClientSession() as session,
            session.get(control_plane.server + url, headers=sent, ssl=tls) as r,
        ):
            await r.read()
            headers: dict[str, list[str]] = {}
            for name, value in r.headers.items():
                name = name.lower()
                if name.startswith("x-kubernetes-pf-"):
                    continue
                headers.setdefault(name, []).append("<set>" if name in _PER_DOCUMENT else value)
            return r.status, headers

    crd_status, crd = await answer(BASELINE_GROUP)
    status, annex = await answer(ANNEX)
    assert status == crd_status
    assert (status == 304) == revalidated
    crd.pop("accept-ranges", None)
    if hashed:
        assert crd.pop("cache-control") == ["public, immutable"]
        assert annex.pop("cache-control") == ["no-cache, private", "public, immutable"]
    assert annex == crd
