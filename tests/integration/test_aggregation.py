"""The walking skeleton, end to end through a real kube-apiserver.

`annex operator` (local mode) and `annex gateway` run as processes, exactly as `annex dev`
starts them; the user only ever talks to kube-apiserver with kubectl.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
import yaml
from cryptography import x509

from annex_cli.dev import NAMESPACE
from annex_controlplane import ControlPlane
from annex_core import tls
from tests.helpers import REPO, eventually
from tests.stack import Stack, running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

IMAGES_DEFINITION = REPO / "examples" / "images" / "apidefinition.yaml"
IMAGE = REPO / "examples" / "images" / "image.yaml"
GADGETS_DEFINITION = """
apiVersion: annex.dev/v1alpha1
kind: ApiDefinition
metadata: {name: gadgets.example.org}
spec:
  group: gadgets.example.org
  resources:
    - names: {plural: gadgets, singular: gadget, kind: Gadget}
      scope: Cluster
      versions:
        - {name: v1, served: true, storage: true}
"""
GADGET = """
apiVersion: gadgets.example.org/v1
kind: Gadget
metadata: {name: sprocket}
spec: {teeth: 12}
"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """The CRD, the namespace, and the operator and gateway processes, as `annex dev` runs them."""
    async with running_stack(control_plane, tmp_path_factory.mktemp("stack")) as running:
        yield running


def condition(obj: dict[str, object], kind: str) -> dict[str, object] | None:
    conditions = obj.get("status", {}).get("conditions", [])  # type: ignore[attr-defined]
    return next((c for c in conditions if c["type"] == kind), None)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def images(stack: Stack) -> float:
    """The example ApiDefinition applied; returns the seconds from `kubectl apply` to Available."""
    applied = time.monotonic()
    await stack.kubectl("apply", "-f", str(IMAGES_DEFINITION))
    await wait_available(stack.kubectl, "v1alpha1.images.example.com")
    return time.monotonic() - applied


async def test_apidefinition_becomes_available(stack: Stack, images: float) -> None:
    print(f"\nkubectl apply -> APIService Available: {images:.2f}s")
    applied = time.monotonic() - images

    async def definition_available() -> dict[str, object] | None:
        obj = (
            await stack.kubectl("get", "apidefinition", "images.example.com", "-o", "json")
        ).json()
        available = condition(obj, "Available")
        return obj if available and available["status"] == "True" else None

    definition = await eventually(
        definition_available, timeout=60, what="ApiDefinition Available=True"
    )
    print(f"kubectl apply -> ApiDefinition Available=True: {time.monotonic() - applied:.2f}s")
    for kind in ("NamesAccepted", "Established", "Available"):
        found = condition(definition, kind)
        assert found is not None, kind
        assert found["status"] == "True", found
    assert definition["status"]["observedGeneration"] == definition["metadata"]["generation"]  # type: ignore[index]
    apiservice = (
        await stack.kubectl("get", "apiservice", "v1alpha1.images.example.com", "-o", "json")
    ).json()
    assert apiservice["spec"]["caBundle"]
    assert not apiservice["spec"].get("insecureSkipTLSVerify")
    assert apiservice["spec"]["service"] == {
        "namespace": NAMESPACE,
        "name": "annex-gateway",
        "port": stack.gateway_port,
    }


async def test_kubectl_crud_through_kube_apiserver(stack: Stack, images: float) -> None:
    kubectl = stack.kubectl
    created = await kubectl("create", "-f", str(IMAGE))
    assert "image.images.example.com/debian-base created" in created.stdout

    table = await kubectl("get", "images")
    assert "debian-base" in table.stdout
    obj = yaml.safe_load((await kubectl("get", "image", "debian-base", "-o", "yaml")).stdout)
    assert obj["apiVersion"] == "images.example.com/v1alpha1"
    assert obj["kind"] == "Image"
    meta = obj["metadata"]
    assert meta["namespace"] == "default"
    assert meta["generation"] == 1
    assert meta["uid"]
    assert meta["resourceVersion"].isdigit()
    assert meta["creationTimestamp"].endswith("Z")
    assert len(meta["creationTimestamp"]) == len("2026-01-01T00:00:00Z")
    assert obj["spec"] == {"baseImage": "debian:12", "packages": ["curl", "ca-certificates"]}

    # The short name and listing across namespaces.
    await kubectl("create", "namespace", "team-b", check=False)
    await kubectl("create", "-n", "team-b", "-f", str(IMAGE))
    everywhere = (await kubectl("get", "img", "--all-namespaces", "-o", "json")).json()
    assert everywhere["kind"] == "List" or everywhere["kind"] == "ImageList"
    assert sorted(
        (i["metadata"]["namespace"], i["metadata"]["name"]) for i in everywhere["items"]
    ) == [
        ("default", "debian-base"),
        ("team-b", "debian-base"),
    ]

    # replace bumps generation and resourceVersion; a stale resourceVersion is a 409 Conflict.
    stale = (await kubectl("get", "image", "debian-base", "-o", "json")).json()
    changed = json.loads(json.dumps(stale))
    changed["spec"]["baseImage"] = "debian:13"
    await kubectl("replace", "-f", "-", stdin=json.dumps(changed))
    replaced = (await kubectl("get", "image", "debian-base", "-o", "json")).json()
    assert replaced["spec"]["baseImage"] == "debian:13"
    assert replaced["metadata"]["generation"] == 2
    assert int(replaced["metadata"]["resourceVersion"]) > int(stale["metadata"]["resourceVersion"])
    stale["spec"]["baseImage"] = "debian:11"
    conflict = await kubectl("replace", "-f", "-", stdin=json.dumps(stale), check=False)
    assert conflict.returncode != 0
    assert "Error from server (Conflict)" in conflict.stderr
    assert "the object has been modified" in conflict.stderr

    await kubectl("delete", "image", "debian-base")
    missing = await kubectl("get", "image", "debian-base", check=False)
    assert missing.returncode != 0
    assert 'images.images.example.com "debian-base" not found' in missing.stderr
    await kubectl("delete", "-n", "team-b", "image", "debian-base")
    assert "No resources found" in (await kubectl("get", "images", "-A")).stderr


async def test_namespace_lifecycle_is_enforced(stack: Stack, images: float) -> None:
    """kube-apiserver runs no admission for aggregated groups: the gateway does it."""
    kubectl = stack.kubectl
    missing = await kubectl("create", "-n", "no-such-namespace", "-f", str(IMAGE), check=False)
    assert missing.returncode != 0
    assert "Error from server (NotFound): error when creating" in missing.stderr
    assert 'namespaces "no-such-namespace" not found' in missing.stderr

    # No namespace controller runs here, so a deleted namespace stays Terminating.
    await kubectl("create", "namespace", "doomed")
    await kubectl("delete", "namespace", "doomed", "--wait=false")
    refused = await kubectl("create", "-n", "doomed", "-f", str(IMAGE), check=False)
    assert refused.returncode != 0
    assert "Error from server (Forbidden)" in refused.stderr
    assert "unable to create new content in namespace doomed because it is being terminated" in (
        refused.stderr
    )

    # A namespace created a moment ago is found even before the informer has seen it.
    await kubectl("create", "namespace", "brand-new")
    await kubectl("create", "-n", "brand-new", "-f", str(IMAGE))
    await kubectl("delete", "-n", "brand-new", "image", "debian-base")


async def served_certificate(stack: Stack, ca_pem: bytes) -> x509.Certificate:
    """The gateway's certificate, verified as kube-apiserver verifies it: CA bundle + SNI name."""
    context = ssl.create_default_context(cadata=ca_pem.decode())
    _, writer = await asyncio.open_connection(
        "127.0.0.1",
        stack.gateway_port,
        ssl=context,
        server_hostname=f"annex-gateway.{NAMESPACE}.svc",
    )
    try:
        der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
        await writer.wait_closed()
    return x509.load_der_x509_certificate(der)


async def test_rotated_serving_certificate_is_served_without_restart(
    stack: Stack, images: float
) -> None:
    """A new certificate in the operator's Secret reaches the running gateway (per handshake)."""
    secret_path = f"-n={NAMESPACE}"
    secret = (
        await stack.kubectl("get", "secret", secret_path, "annex-gateway-tls", "-o", "json")
    ).json()
    data = {k: base64.b64decode(v) for k, v in secret["data"].items()}
    ca = tls.KeyPair(data["ca.crt"], data["ca.key"])
    before = await served_certificate(stack, ca.cert_pem)
    assert before.serial_number == x509.load_pem_x509_certificate(data["tls.crt"]).serial_number

    renewed = tls.make_cert(
        ca, "annex-gateway", hosts=[f"annex-gateway.{NAMESPACE}.svc", "localhost"], server=True
    )
    patch = {
        "data": {
            "tls.crt": base64.b64encode(renewed.cert_pem).decode(),
            "tls.key": base64.b64encode(renewed.key_pem).decode(),
        }
    }
    await stack.kubectl(
        "patch", "secret", secret_path, "annex-gateway-tls", "--type=merge", "-p", json.dumps(patch)
    )

    async def rotated() -> bool:
        return (
            await served_certificate(stack, ca.cert_pem)
        ).serial_number == renewed.certificate.serial_number

    await eventually(rotated, timeout=30, what="the gateway to serve the renewed certificate")
    assert stack.gateway.returncode is None
    # And the aggregated API keeps working through kube-apiserver with the new certificate.
    await stack.kubectl("get", "images")


async def test_second_definition_is_served_without_restart(stack: Stack) -> None:
    kubectl = stack.kubectl
    pid = stack.gateway.pid
    applied = time.monotonic()
    await kubectl("apply", "-f", "-", stdin=GADGETS_DEFINITION)
    await wait_available(stack.kubectl, "v1.gadgets.example.org")
    print(f"\nsecond ApiDefinition -> Available: {time.monotonic() - applied:.2f}s")
    await kubectl("create", "-f", "-", stdin=GADGET)
    gadget = (await kubectl("get", "gadget", "sprocket", "-o", "json")).json()
    assert gadget["spec"] == {"teeth": 12}
    assert "namespace" not in gadget["metadata"]
    assert stack.gateway.returncode is None
    assert stack.gateway.pid == pid

    # Deleting the definition removes its APIService (finalizer) and then its routes.
    await kubectl("delete", "apidefinition", "gadgets.example.org", "--timeout=60s")

    async def apiservice_gone() -> bool:
        return (
            await kubectl("get", "apiservice", "v1.gadgets.example.org", check=False)
        ).returncode != 0

    await eventually(apiservice_gone, timeout=60, what="the gadgets APIService to be deleted")

    async def route_gone() -> bool:
        async with (
            front_proxy_session(stack) as session,
            session.get(
                f"{stack.gateway_url}/apis/gadgets.example.org/v1",
                headers={"X-Remote-User": "system:kube-aggregator"},
            ) as response,
        ):
            return response.status == 404

    await eventually(route_gone, timeout=30, what="the gadgets routes to be removed")
    assert stack.gateway.returncode is None


def front_proxy_session(
    stack: Stack, cert: tuple[Path, Path] | None = None, *, use_front_proxy: bool = True
) -> aiohttp.ClientSession:
    """A direct HTTPS client to the gateway (bypassing kube-apiserver)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the gateway's identity is not under test here
    if cert is not None:
        context.load_cert_chain(str(cert[0]), str(cert[1]))
    elif use_front_proxy:
        cp = stack.control_plane
        context.load_cert_chain(
            str(cp.front_proxy_client_cert_file), str(cp.front_proxy_client_key_file)
        )
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context))


async def test_forged_remote_user_without_front_proxy_cert_is_401(
    stack: Stack, images: float, tmp_path: Path
) -> None:
    url = f"{stack.gateway_url}/apis/images.example.com/v1alpha1/namespaces/default/images"
    forged = {"X-Remote-User": "system:admin", "X-Remote-Group": "system:masters"}

    async with (
        front_proxy_session(stack, use_front_proxy=False) as session,
        session.get(url, headers=forged) as response,
    ):
        assert response.status == 401
        status = await response.json()
        assert status["kind"] == "Status"
        assert status["reason"] == "Unauthorized"
        assert status["code"] == 401

    # A certificate with the right CN from a CA the cluster doesn't trust is no front proxy.
    rogue_ca = tls.make_ca("rogue")
    rogue = tls.make_cert(rogue_ca, "front-proxy-client", client=True)
    (tmp_path / "rogue.crt").write_bytes(rogue.cert_pem)
    (tmp_path / "rogue.key").write_bytes(rogue.key_pem)
    async with front_proxy_session(
        stack, (tmp_path / "rogue.crt", tmp_path / "rogue.key")
    ) as session:
        try:
            async with session.get(url, headers=forged) as response:
                refused_with: int | str = response.status
        except aiohttp.ClientError as e:  # the TLS handshake refuses the untrusted certificate
            refused_with = type(e).__name__
        assert refused_with != 200, refused_with
        assert refused_with == 401 or isinstance(refused_with, str), refused_with

    # A cluster user's client certificate (cluster CA) is refused too: talking to the gateway
    # directly must not skip kube-apiserver's RBAC.
    cp = stack.control_plane
    async with front_proxy_session(stack, (cp.admin_cert_file, cp.admin_key_file)) as session:
        try:
            async with session.get(url) as response:
                refused_with = response.status
        except aiohttp.ClientError as e:
            refused_with = type(e).__name__
        assert refused_with != 200, refused_with
        assert refused_with == 401 or isinstance(refused_with, str), refused_with

    # Positive control: kube-apiserver's own front-proxy client certificate is trusted.
    async with front_proxy_session(stack) as session, session.get(url, headers=forged) as response:
        assert response.status == 200
        assert (await response.json())["kind"] == "ImageList"
