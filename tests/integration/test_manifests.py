"""The deployable: kustomize builds it and the real kube-apiserver accepts every object.

A server-side dry run validates each object against the API (schemas, RBAC role refs,
the CRD's structural schema and CEL rule) without persisting it. Running the pods needs a
kubelet and an image, which the integration environment does not have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from annex_controlplane import ControlPlane
from tests.helpers import REPO, Kubectl

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_kustomize_base_is_accepted_by_kube_apiserver(
    control_plane: ControlPlane, tmp_path: Path
) -> None:
    kubectl = Kubectl(control_plane.kubeconfig, tmp_path / "cache")
    built = await kubectl("kustomize", str(REPO / "kustomize" / "base"))
    kinds = sorted(doc["kind"] for doc in yaml.safe_load_all(built.stdout) if doc)
    assert kinds == sorted(
        [
            "ClusterRole",
            "ClusterRole",
            "ClusterRoleBinding",
            "ClusterRoleBinding",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "Deployment",
            "Deployment",
            "Namespace",
            "PersistentVolumeClaim",
            "Role",
            "Role",
            "RoleBinding",
            "RoleBinding",
            "RoleBinding",
            "ServiceAccount",
            "ServiceAccount",
        ]
    )
    # Namespaced objects are checked against a namespace that exists, as after a real apply.
    created = await kubectl("create", "namespace", "annex-system", check=False)
    assert created.returncode == 0 or "AlreadyExists" in created.stderr
    dry_run = await kubectl(
        "apply", "--server-side", "--dry-run=server", "-k", str(REPO / "kustomize" / "base")
    )
    assert "serverside-applied (server dry run)" in dry_run.stdout
    assert dry_run.stdout.count("(server dry run)") == len(kinds)


async def test_sample_apidefinition_passes_the_crd_schema(
    control_plane: ControlPlane, tmp_path: Path
) -> None:
    kubectl = Kubectl(control_plane.kubeconfig, tmp_path / "cache")
    await kubectl("apply", "--server-side", "-k", str(REPO / "manifests" / "crd"))
    await kubectl("wait", "--for=condition=Established", "crd/apidefinitions.annex.dev")
    accepted = await kubectl("apply", "--dry-run=server", "-k", str(REPO / "manifests" / "samples"))
    assert "apidefinition.annex.dev/images.example.com" in accepted.stdout

    # The CRD's CEL rule: metadata.name must equal spec.group.
    mismatched = (
        (REPO / "examples" / "images" / "apidefinition.yaml")
        .read_text()
        .replace("name: images.example.com", "name: other.example.com", 1)
    )
    refused = await kubectl("apply", "--dry-run=server", "-f", "-", stdin=mismatched, check=False)
    assert refused.returncode != 0
    assert "metadata.name must equal spec.group" in refused.stderr
