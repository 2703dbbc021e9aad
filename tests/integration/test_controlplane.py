"""The harness gives a control plane configured like a real cluster for API aggregation."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import ssl
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from annex_controlplane import ControlPlane
from annex_core.tls import common_name, is_issued_by, load_certificates, make_ca, make_cert

pytestmark = pytest.mark.integration

KUBECTL_TIMEOUT_SECONDS = 60.0


async def kubectl(control_plane: ControlPlane, *args: str, stdin: str | None = None) -> str:
    """Run kubectl against the control plane and return its stdout; fail on a non-zero exit."""
    executable = shutil.which("kubectl")
    if executable is None:
        pytest.fail("kubectl is not on PATH", pytrace=False)
    process = await asyncio.create_subprocess_exec(
        executable,
        "--kubeconfig",
        str(control_plane.kubeconfig),
        *args,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(KUBECTL_TIMEOUT_SECONDS):
            out, err = await process.communicate(None if stdin is None else stdin.encode())
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail(f"kubectl {' '.join(args)} timed out")
    assert process.returncode == 0, f"kubectl {' '.join(args)}: {err.decode(errors='replace')}"
    return out.decode()


async def kubectl_json(control_plane: ControlPlane, *args: str) -> Any:
    return json.loads(await kubectl(control_plane, *args, "-o", "json"))


async def test_readyz_is_ok(control_plane: ControlPlane) -> None:
    assert await kubectl(control_plane, "get", "--raw", "/readyz") == "ok"


async def test_version_is_the_pinned_release(control_plane: ControlPlane) -> None:
    text = await kubectl(control_plane, "get", "--raw", "/version")
    version = json.loads(text)
    assert version["gitVersion"] == "v1.37.2"
    assert text == json.dumps(version, indent=2)  # WriteRawJSON: indented, no newline after
    assert (version["major"], version["minor"]) == ("1", "37")


async def test_default_namespace_exists(control_plane: ControlPlane) -> None:
    namespace = await kubectl_json(control_plane, "get", "ns", "default")
    assert namespace["status"]["phase"] == "Active"


async def test_admin_is_system_masters(control_plane: ControlPlane) -> None:
    review = await kubectl_json(control_plane, "auth", "whoami")
    user = review["status"]["userInfo"]
    assert user["username"] == "kube-annex-admin"
    assert "system:masters" in user["groups"]


async def test_extension_apiserver_authentication_carries_the_front_proxy_trust(
    control_plane: ControlPlane,
) -> None:
    configmap = await kubectl_json(
        control_plane, "-n", "kube-system", "get", "configmap", "extension-apiserver-authentication"
    )
    data = configmap["data"]
    assert load_certificates(data["requestheader-client-ca-file"].encode()) == load_certificates(
        control_plane.front_proxy_ca_pem
    )
    assert json.loads(data["requestheader-allowed-names"]) == ["front-proxy-client"]
    assert json.loads(data["requestheader-username-headers"]) == ["X-Remote-User"]
    assert json.loads(data["requestheader-group-headers"]) == ["X-Remote-Group"]
    assert json.loads(data["requestheader-extra-headers-prefix"]) == ["X-Remote-Extra-"]
    assert load_certificates(data["client-ca-file"].encode()) == load_certificates(
        control_plane.ca_pem
    )


def test_front_proxy_client_certificate_is_what_the_configmap_allows(
    control_plane: ControlPlane,
) -> None:
    client = load_certificates(control_plane.front_proxy_client_cert_file.read_bytes())[0]
    assert common_name(client) == "front-proxy-client"
    assert is_issued_by(client, load_certificates(control_plane.front_proxy_ca_pem))
    assert not is_issued_by(client, load_certificates(control_plane.ca_pem))


# --- aggregation through an ExternalName Service pointing at localhost ------------------------

GROUP = "harness-check.kubeannex.local"
APISERVICE = f"v1.{GROUP}"
AGGREGATION_TIMEOUT_SECONDS = 30.0


def _aggregation_manifests(port: int) -> str:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "harness-check", "namespace": "default"},
        "spec": {"type": "ExternalName", "externalName": "localhost"},
    }
    apiservice = {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": APISERVICE},
        "spec": {
            "group": GROUP,
            "version": "v1",
            "service": {"name": "harness-check", "namespace": "default", "port": port},
            # The aggregator verifies against <svc>.<ns>.svc; this check is about routing.
            "insecureSkipTLSVerify": True,
            "groupPriorityMinimum": 1000,
            "versionPriority": 15,
        },
    }
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": [service, apiservice]})


@contextlib.asynccontextmanager
async def _front_proxy_only_server(control_plane: ControlPlane) -> AsyncIterator[int]:
    """An HTTPS server on 127.0.0.1 that only accepts the front-proxy client certificate."""

    async def discovery(request: web.Request) -> web.Response:
        body = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{GROUP}/v1"}
        return web.json_response({**body, "resources": []})

    async def whoami(request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peercert") if request.transport else None
        subject = dict(item[0] for item in peer["subject"]) if peer else {}
        return web.json_response(
            {
                "client": subject.get("commonName"),
                "user": request.headers.get("X-Remote-User"),
                "groups": request.headers.getall("X-Remote-Group", []),
            }
        )

    app = web.Application()
    app.router.add_get(f"/apis/{GROUP}/v1", discovery)
    app.router.add_get(f"/apis/{GROUP}/v1/whoami", whoami)
    serving = await asyncio.to_thread(
        make_cert, make_ca("harness-check-ca"), "localhost", hosts=["localhost"], server=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = Path(tmp) / "tls.crt", Path(tmp) / "tls.key"
        cert.write_bytes(serving.cert_pem)
        key.write_bytes(serving.key_pem)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        context.load_verify_locations(cadata=control_plane.front_proxy_ca_pem.decode())
        context.verify_mode = ssl.CERT_REQUIRED
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
            await site.start()
            yield int(runner.addresses[0][1])
        finally:
            await runner.cleanup()


async def _wait_available(control_plane: ControlPlane) -> None:
    condition: dict[str, Any] = {}
    try:
        async with asyncio.timeout(AGGREGATION_TIMEOUT_SECONDS):
            while True:
                apiservice = await kubectl_json(control_plane, "get", "apiservice", APISERVICE)
                conditions = apiservice.get("status", {}).get("conditions", [])
                condition = next((c for c in conditions if c["type"] == "Available"), {})
                if condition.get("status") == "True":
                    return
                await asyncio.sleep(0.5)
    except TimeoutError:
        pytest.fail(f"{APISERVICE} not Available: {condition}")


async def test_aggregator_reaches_a_local_server_through_externalname_localhost(
    control_plane: ControlPlane,
) -> None:
    async with _front_proxy_only_server(control_plane) as port:
        manifests = _aggregation_manifests(port)
        await kubectl(control_plane, "apply", "-f", "-", stdin=manifests)
        try:
            await _wait_available(control_plane)
            who = json.loads(
                await kubectl(control_plane, "get", "--raw", f"/apis/{GROUP}/v1/whoami")
            )
        finally:
            await kubectl(control_plane, "delete", "--wait=false", "-f", "-", stdin=manifests)
    assert who == {
        "client": "front-proxy-client",
        "user": "kube-annex-admin",
        "groups": ["system:masters", "system:authenticated"],
    }
