"""`annex serve` — the README's main job — with kubectl and no control plane at all."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from annex_cli.serve import free_port
from tests.helpers import (
    REPO,
    Kubectl,
    annex_command,
    eventually,
    log_tail,
    start_process,
    stop_process,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def served(tmp_path: Path) -> AsyncIterator[Kubectl]:
    port = free_port()
    state = tmp_path / "state"
    log = tmp_path / "serve.log"
    process = await start_process(
        annex_command(
            "serve", str(REPO / "examples"), "--port", str(port), "--state-dir", str(state)
        ),
        log,
    )
    kubectl = Kubectl(state / "kubeconfig", tmp_path / "kubectl-cache")

    async def ready() -> bool:
        assert process.returncode is None, log_tail(log)
        return (await kubectl("get", "--raw", "/readyz", check=False)).stdout == "ok"

    try:
        await eventually(ready, timeout=30, what="annex serve to be ready")
        yield kubectl
    finally:
        await stop_process(process)
        assert process.returncode == 0, log_tail(log)


async def test_kubectl_crud_without_a_cluster(served: Kubectl) -> None:
    kubectl = served
    resources = await kubectl("api-resources", "--api-group=images.example.com")
    assert "images" in resources.stdout
    assert "img" in resources.stdout

    image = (REPO / "examples" / "images" / "image.yaml").read_text()
    assert "created" in (await kubectl("create", "-f", "-", stdin=image)).stdout
    duplicate = await kubectl("create", "-f", "-", stdin=image, check=False)
    assert "Error from server (AlreadyExists)" in duplicate.stderr

    listed = (await kubectl("get", "images", "-A", "-o", "json")).json()
    assert [i["metadata"]["name"] for i in listed["items"]] == ["debian-base"]

    current = (await kubectl("get", "img", "debian-base", "-o", "json")).json()
    current["spec"]["packages"] = ["git"]
    current["metadata"]["finalizers"] = []
    await kubectl("replace", "-f", "-", stdin=json.dumps(current))
    replaced = (await kubectl("get", "img", "debian-base", "-o", "json")).json()
    assert replaced["spec"]["packages"] == ["git"]
    assert "finalizers" not in replaced["metadata"]  # empty collections are not kept
    assert replaced["metadata"]["generation"] == 2

    conflict = await kubectl("replace", "-f", "-", stdin=json.dumps(current), check=False)
    assert "Error from server (Conflict)" in conflict.stderr

    # An unqualified finalizer is accepted with the warning kube-apiserver gives for CRs.
    replaced["metadata"]["finalizers"] = ["cleanup"]
    warned = await kubectl("replace", "-f", "-", stdin=json.dumps(replaced))
    assert (
        'Warning: metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name'
        in warned.stderr
    )
    # Deleting it now only marks it; removing the finalizer lets it go.
    await kubectl("delete", "img", "debian-base", "--wait=false")
    marked = (await kubectl("get", "img", "debian-base", "-o", "json")).json()
    assert marked["metadata"]["deletionTimestamp"]
    marked["metadata"]["finalizers"] = []
    marked["metadata"]["colour"] = "blue"  # not an ObjectMeta field
    # kubectl validates strictly by default (fieldValidation=Strict): refused, as for a CRD
    refused = await kubectl("replace", "-f", "-", stdin=json.dumps(marked), check=False)
    assert 'strict decoding error: unknown field "metadata.colour"' in refused.stderr
    # with --validate=warn it is dropped, with a warning
    released = await kubectl("replace", "--validate=warn", "-f", "-", stdin=json.dumps(marked))
    assert 'Warning: unknown field "metadata.colour"' in released.stderr
    gone = await kubectl("get", "img", "debian-base", check=False)
    assert "Error from server (NotFound)" in gone.stderr


async def test_version_laid_out_as_kube_apiservers(served: Kubectl) -> None:
    """Indented, nothing after the closing brace: kube-apiserver's /version is WriteRawJSON's
    (tests/integration/test_controlplane.py checks it there)."""
    text = (await served("get", "--raw", "/version")).stdout
    version = json.loads(text)
    assert version["platform"] == "python"
    assert text == json.dumps(version, indent=2)


async def test_objects_survive_a_restart(tmp_path: Path) -> None:
    """The SQLite store keeps objects and revisions across `annex serve` runs."""
    state = tmp_path / "state"
    image = (REPO / "examples" / "images" / "image.yaml").read_text()
    revisions = []
    for attempt in range(2):
        port = free_port()
        log = tmp_path / f"serve-{attempt}.log"
        process = await start_process(
            annex_command(
                "serve", str(REPO / "examples"), "--port", str(port), "--state-dir", str(state)
            ),
            log,
        )
        kubectl = Kubectl(state / "kubeconfig", tmp_path / f"cache-{attempt}")
        try:
            await eventually(
                functools.partial(_ready, kubectl), timeout=30, what="annex serve to be ready"
            )
            if attempt == 0:
                await kubectl("create", "-f", "-", stdin=image)
            obj = (await kubectl("get", "img", "debian-base", "-o", "json")).json()
            revisions.append(obj["metadata"]["resourceVersion"])
        finally:
            await stop_process(process)
        await asyncio.sleep(0)
    assert revisions[0] == revisions[1]


async def _ready(kubectl: Kubectl) -> bool:
    return (await kubectl("get", "--raw", "/readyz", check=False)).stdout == "ok"
