"""The harness gives a control plane configured like a real cluster for API aggregation."""

from __future__ import annotations

import asyncio
import json
import shutil
from typing import Any

import pytest
from annex_controlplane import ControlPlane
from annex_core.tls import common_name, is_issued_by, load_certificates

pytestmark = pytest.mark.integration

KUBECTL_TIMEOUT_SECONDS = 60.0


async def kubectl(control_plane: ControlPlane, *args: str) -> str:
    """Run kubectl against the control plane and return its stdout; fail on a non-zero exit."""
    executable = shutil.which("kubectl")
    if executable is None:
        pytest.fail("kubectl is not on PATH", pytrace=False)
    process = await asyncio.create_subprocess_exec(
        executable,
        "--kubeconfig",
        str(control_plane.kubeconfig),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(KUBECTL_TIMEOUT_SECONDS):
            out, err = await process.communicate()
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
    version = json.loads(await kubectl(control_plane, "get", "--raw", "/version"))
    assert version["gitVersion"] == "v1.37.2"
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
