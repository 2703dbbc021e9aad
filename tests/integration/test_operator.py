"""The operator against a real kube-apiserver: what it registers, reports and cleans up.

`annex operator` runs as a process in local mode (ExternalName → localhost) on a port where
nothing listens: no gateway runs here, so kube-apiserver reports the APIServices as
unavailable, and the operator has to mirror exactly that.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import pytest_asyncio
from cryptography import x509

from annex_cli.serve import free_port
from annex_controlplane import ControlPlane
from annex_core import apidef
from annex_core.kube import JSON, KubeApiError, KubeClient, resource_path
from annex_operator.settings import OperatorSettings
from tests.helpers import (
    REPO,
    Kubectl,
    annex_command,
    eventually,
    log_tail,
    service_account_kubeconfig,
    start_process,
    stop_process,
)

pytestmark = pytest.mark.integration

NAMESPACE = "annex-system"
DEFINITIONS = resource_path(apidef.API_VERSION, apidef.PLURAL)
APISERVICES = resource_path("apiregistration.k8s.io/v1", "apiservices")
OURS = "app.kubernetes.io/managed-by=kube-annex"
TIMEOUT = 60.0


def definition(group: str, *versions: str, storage: str | None = None) -> JSON:
    storage = storage or versions[0]
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": group},
        "spec": {
            "group": group,
            "resources": [
                {
                    "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                    "scope": "Namespaced",
                    "versions": [
                        {
                            "name": v,
                            "served": True,
                            "storage": v == storage,
                            "schema": {"openAPIV3Schema": {"type": "object"}},
                        }
                        for v in versions
                    ],
                }
            ],
        },
    }


def condition(obj: JSON | None, type_: str) -> JSON:
    for c in ((obj or {}).get("status") or {}).get("conditions") or []:
        if c["type"] == type_:
            return dict(c)
    return {}


@dataclass
class Env:
    kubectl: Kubectl
    client: KubeClient
    settings: OperatorSettings
    created: list[str] = field(default_factory=list)

    async def create(self, body: JSON) -> JSON:
        self.created.append(body["metadata"]["name"])
        return await self.client.create(DEFINITIONS, body)

    async def definition(self, name: str) -> JSON | None:
        return await self.client.get_or_none(
            resource_path(apidef.API_VERSION, apidef.PLURAL, name=name)
        )

    async def condition_reaches(self, name: str, kind: str, status: str) -> tuple[JSON, JSON]:
        """Wait until the definition's `kind` condition has `status`: the object and condition."""

        async def reached() -> JSON | None:
            obj = await self.definition(name)
            return obj if condition(obj, kind).get("status") == status else None

        obj = await eventually(reached, what=f"{kind}={status}")
        return obj, condition(obj, kind)

    async def apiservices(self, group: str) -> dict[str, JSON]:
        items = (await self.client.get(APISERVICES, labelSelector=OURS)).get("items", [])
        return {s["metadata"]["name"]: s for s in items if s["spec"]["group"] == group}

    async def registered(self, group: str) -> dict[str, JSON] | None:
        """The group's APIServices, or None while there are none (a probe for `eventually`)."""
        return await self.apiservices(group) or None

    async def delete_and_wait(self, name: str) -> None:
        path = resource_path(apidef.API_VERSION, apidef.PLURAL, name=name)
        await self.client.delete(path)

        async def gone() -> bool:
            return await self.client.get_or_none(path) is None

        await eventually(gone, what=f"ApiDefinition {name} to be deleted")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def operator_env(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Env]:
    work = tmp_path_factory.mktemp("operator")
    kubectl = Kubectl(control_plane.kubeconfig, work / "kubectl-cache")
    namespace = await kubectl("create", "namespace", NAMESPACE, check=False)
    assert namespace.returncode == 0 or "AlreadyExists" in namespace.stderr, namespace.stderr
    await kubectl("apply", "--server-side", "-k", str(REPO / "manifests" / "crd"))
    await kubectl(
        "wait",
        "--for=condition=Established",
        "crd/apidefinitions.annex.dev",
        f"--timeout={TIMEOUT:.0f}s",
    )
    # The operator runs as its ServiceAccount, with exactly the rights manifests/rbac grants.
    await kubectl("apply", "--server-side", "-k", str(REPO / "manifests" / "rbac"))
    kubeconfig = await service_account_kubeconfig(
        kubectl, NAMESPACE, "annex-operator", work / "kubeconfig"
    )
    settings = OperatorSettings(mode="local", namespace=NAMESPACE, service_port=free_port())
    log_file = work / "operator.log"
    operator = await start_process(
        annex_command(
            "operator",
            "--kubeconfig",
            str(kubeconfig),
            "--mode",
            settings.mode,
            "--namespace",
            settings.namespace,
            "--service-port",
            str(settings.service_port),
        ),
        log_file,
    )
    try:
        async with await KubeClient.connect(control_plane.kubeconfig) as client:
            env = Env(kubectl, client, settings)
            yield env
            # Definitions go while the operator runs: its finalizer has to let them go.
            for name in env.created:
                if await env.definition(name) is not None:
                    await env.delete_and_wait(name)
    finally:
        await stop_process(operator)
        print("--- operator log ---\n" + log_tail(log_file))
    assert operator.returncode == 0, f"annex operator exited with {operator.returncode}"


@pytest_asyncio.fixture(loop_scope="session")
async def env(operator_env: Env) -> AsyncIterator[Env]:
    """The operator's environment; definitions a test creates are deleted after it."""
    yield operator_env
    while operator_env.created:
        name = operator_env.created.pop()
        if await operator_env.definition(name) is not None:
            await operator_env.delete_and_wait(name)


async def test_tls_secret_and_local_service(env: Env) -> None:
    secret_path = resource_path("v1", "secrets", namespace=NAMESPACE, name="annex-gateway-tls")
    secret = await eventually(lambda: env.client.get_or_none(secret_path), what="the TLS Secret")
    assert secret["type"] == "kubernetes.io/tls"
    assert secret["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "kube-annex"
    data = {k: base64.b64decode(v) for k, v in secret["data"].items()}
    assert {"ca.crt", "tls.crt", "tls.key"} <= set(data)
    ca = x509.load_pem_x509_certificate(data["ca.crt"])
    serving = x509.load_pem_x509_certificate(data["tls.crt"])
    serving.verify_directly_issued_by(ca)
    sans = serving.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {
        "annex-gateway.annex-system.svc",
        "annex-gateway.annex-system.svc.cluster.local",
        "localhost",
    } <= set(sans.get_values_for_type(x509.DNSName))
    # The ExternalName Service is written on the first reconcile.
    await env.create(definition("svc.annex-test.example.com", "v1"))
    service_path = resource_path("v1", "services", namespace=NAMESPACE, name="annex-gateway")
    service = await eventually(lambda: env.client.get_or_none(service_path), what="the Service")
    assert service["spec"]["type"] == "ExternalName"
    assert service["spec"]["externalName"] == "localhost"
    assert service["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "kube-annex"
    managers = {m["manager"] for m in service["metadata"]["managedFields"]}
    assert "annex-operator" in managers


async def test_definition_is_registered_and_reports_conditions(env: Env) -> None:
    group = "widgets.annex-test.example.com"
    started = time.monotonic()
    created = await env.create(definition(group, "v1"))
    generation = created["metadata"]["generation"]

    apiservices = await eventually(lambda: env.registered(group), what="the APIService")
    to_apiservice = time.monotonic() - started

    obj, _ = await env.condition_reaches(group, "Established", "True")
    to_established = time.monotonic() - started
    print(
        f"\nApiDefinition create → APIService exists: {to_apiservice:.2f}s,"
        f" → Established: {to_established:.2f}s"
    )

    svc = apiservices[f"v1.{group}"]
    secret = await env.client.get(
        resource_path("v1", "secrets", namespace=NAMESPACE, name="annex-gateway-tls")
    )
    assert svc["metadata"]["labels"] == {
        "app.kubernetes.io/managed-by": "kube-annex",
        "annex.dev/api-definition": group,
    }
    assert svc["spec"]["service"] == {
        "namespace": NAMESPACE,
        "name": "annex-gateway",
        "port": env.settings.service_port,
    }
    assert svc["spec"]["caBundle"] == secret["data"]["ca.crt"]
    assert not svc["spec"].get("insecureSkipTLSVerify")
    assert svc["spec"]["groupPriorityMinimum"] == 1000

    names = condition(obj, "NamesAccepted")
    assert (names["status"], names["reason"]) == ("True", "NoConflicts")
    assert names["observedGeneration"] == generation
    assert condition(obj, "Established")["observedGeneration"] == generation
    assert obj is not None
    assert obj["status"]["observedGeneration"] == generation
    assert obj["status"]["servedVersions"] == ["v1"]
    # kopf keeps its state in annotations, never in our status; its finalizer guards deletion.
    assert set(obj["status"]) == {
        "observedGeneration",
        "servedVersions",
        "storedVersions",
        "conditions",
    }
    assert "annex.dev/api-definition-cleanup" in obj["metadata"]["finalizers"]

    # Nothing listens on the gateway port: kube-apiserver says so, and the definition mirrors it.
    async def unavailable() -> tuple[JSON, JSON] | None:
        current = await env.definition(group)
        mirrored = condition(current, "Available")
        stored = await env.client.get(
            resource_path("apiregistration.k8s.io/v1", "apiservices", name=f"v1.{group}")
        )
        source = condition(stored, "Available")
        if mirrored.get("status") == "False" and source.get("status") == "False":
            return mirrored, source
        return None

    mirrored, source = await eventually(
        unavailable, what="Available=False mirrored from the APIService"
    )
    assert mirrored["reason"] == source["reason"] == "FailedDiscoveryCheck"
    assert mirrored["message"].startswith(f"v1.{group}: ")


async def test_versions_added_and_removed(env: Env) -> None:
    group = "versions.annex-test.example.com"
    await env.create(definition(group, "v1"))
    await eventually(lambda: env.registered(group), what="the v1 APIService")

    path = resource_path(apidef.API_VERSION, apidef.PLURAL, name=group)
    await env.client.merge_patch(
        path, {"spec": definition(group, "v1", "v2", storage="v1")["spec"]}
    )

    async def two() -> dict[str, JSON] | None:
        found = await env.apiservices(group)
        return found if len(found) == 2 else None

    both = await eventually(two, what="a second APIService")
    assert (
        both[f"v2.{group}"]["spec"]["versionPriority"]
        > both[f"v1.{group}"]["spec"]["versionPriority"]
    )

    async def served_both() -> JSON | None:
        obj = await env.definition(group)
        return obj if (obj or {}).get("status", {}).get("servedVersions") == ["v2", "v1"] else None

    await eventually(served_both, what="servedVersions [v2, v1]")

    await env.client.merge_patch(path, {"spec": definition(group, "v2")["spec"]})

    async def only_v2() -> dict[str, JSON] | None:
        found = await env.apiservices(group)
        return found if set(found) == {f"v2.{group}"} else None

    await eventually(only_v2, what="the v1 APIService to be deleted")

    async def served_v2() -> JSON | None:
        obj = await env.definition(group)
        status = (obj or {}).get("status", {})
        ok = status.get("servedVersions") == ["v2"] and status.get("observedGeneration") == 3
        return obj if ok else None

    obj = await eventually(served_v2, what="servedVersions [v2] at generation 3")
    assert condition(obj, "Established")["observedGeneration"] == 3


async def test_invalid_definition_is_reported(env: Env) -> None:
    group = "invalid.annex-test.example.com"
    body = definition(group, "v1", "v2")
    for version in body["spec"]["resources"][0]["versions"]:
        version["storage"] = True  # two storage versions: the schema allows it, parse doesn't
    await env.create(body)

    obj, names = await env.condition_reaches(group, "NamesAccepted", "False")
    assert names["reason"] == "InvalidDefinition"
    assert "spec.resources[0].versions" in names["message"]
    assert condition(obj, "Established")["status"] == "False"
    assert await env.apiservices(group) == {}


async def test_rule_over_the_cost_limit_is_refused_as_a_crd_is(env: Env) -> None:
    """The static CEL cost estimate: kube-apiserver's own errors for a CRD with this schema
    (paths from `openAPIV3Schema` on) are the definition's."""
    group = "costly.annex-test.example.com"
    items = {"type": "array", "items": {"type": "string"}}
    schema = {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": {"items": items}}},
        "x-kubernetes-validations": [
            {"rule": "self.spec.items.all(x, x.matches('^[a-z]+$'))"},
            {"rule": "self.spec.items.size() < 10", "messageExpression": "self.spec.items.join()"},
        ],
    }
    version = {"name": "v1", "served": True, "storage": True}
    version["schema"] = {"openAPIV3Schema": schema}
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"widgets.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": "widgets", "kind": "Widget"},
            "versions": [version],
        },
    }
    crds = resource_path("apiextensions.k8s.io/v1", "customresourcedefinitions")
    with pytest.raises(KubeApiError) as refused:
        await env.client.create(crds, crd)
    assert refused.value.status == 422

    def tail(path: str) -> str:
        return path.partition(".openAPIV3Schema")[2]

    causes = refused.value.body["details"]["causes"]
    kube = [(tail(c["field"]), c["message"]) for c in causes]
    assert any("estimated rule cost exceeds budget" in m for _, m in kube)

    body = definition(group, "v1")
    body["spec"]["resources"][0]["versions"][0]["schema"] = {"openAPIV3Schema": schema}
    await env.create(body)
    _, names = await env.condition_reaches(group, "NamesAccepted", "False")
    assert names["reason"] == "InvalidDefinition"
    ours = [
        (tail(field), message)
        for field, _, message in (
            line.partition(": ") for line in names["message"].split("; spec.")
        )
    ]
    assert ours == kube
    assert await env.apiservices(group) == {}


async def test_group_served_by_a_crd_conflicts(env: Env) -> None:
    group = "crd.annex-test.example.com"
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"gadgets.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": "gadgets", "kind": "Gadget"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object"}},
                }
            ],
        },
    }
    await env.kubectl("apply", "-f", "-", stdin=json.dumps(crd))
    try:
        await env.create(definition(group, "v1"))

        _, names = await env.condition_reaches(group, "NamesAccepted", "False")
        assert names["reason"] == "GroupConflict"
        assert f"gadgets.{group}" in names["message"]
        assert await env.apiservices(group) == {}
    finally:
        await env.kubectl("delete", "crd", f"gadgets.{group}", "--wait=false")


async def test_foreign_apiservice_is_not_taken_over(env: Env) -> None:
    group = "foreign.annex-test.example.com"
    foreign = {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": f"v1.{group}", "labels": {"owner": "someone-else"}},
        "spec": {
            "group": group,
            "version": "v1",
            "service": {"namespace": "default", "name": "elsewhere", "port": 443},
            "insecureSkipTLSVerify": True,
            "groupPriorityMinimum": 100,
            "versionPriority": 10,
        },
    }
    path = resource_path("apiregistration.k8s.io/v1", "apiservices", name=f"v1.{group}")
    await env.client.create(APISERVICES, foreign)
    try:
        await env.create(definition(group, "v1"))

        _, names = await env.condition_reaches(group, "NamesAccepted", "False")
        assert names["reason"] == "GroupConflict"
        assert f"v1.{group}" in names["message"]
        stored = await env.client.get(path)
        assert stored["metadata"]["labels"] == {"owner": "someone-else"}
        assert stored["spec"]["service"]["name"] == "elsewhere"
        managers = {m["manager"] for m in stored["metadata"].get("managedFields", [])}
        assert "annex-operator" not in managers
    finally:
        with contextlib.suppress(KubeApiError):
            await env.client.delete(path)


async def test_deleting_the_definition_removes_its_apiservices(env: Env) -> None:
    group = "deleted.annex-test.example.com"
    await env.create(definition(group, "v1", "v1beta1"))

    async def two() -> dict[str, JSON] | None:
        found = await env.apiservices(group)
        return found if len(found) == 2 else None

    await eventually(two, what="two APIServices")
    await env.delete_and_wait(group)
    env.created.remove(group)
    assert await env.apiservices(group) == {}


async def test_kopf_state_lives_in_our_annotations(env: Env) -> None:
    group = "annotations.annex-test.example.com"
    await env.create(definition(group, "v1"))

    async def settled() -> JSON | None:
        obj = await env.definition(group)
        annotations = (obj or {}).get("metadata", {}).get("annotations") or {}
        ok = condition(obj, "Established").get("status") == "True"
        return obj if ok and "annex.dev/last-handled-configuration" in annotations else None

    obj = await eventually(settled, what="the definition to settle")
    assert not any(k.startswith("kopf.zalando.org/") for k in obj["metadata"]["annotations"])
    assert set(obj["status"]) <= {
        "observedGeneration",
        "servedVersions",
        "storedVersions",
        "conditions",
    }


async def test_a_deleted_apiservice_is_put_back(env: Env) -> None:
    group = "repair.annex-test.example.com"
    await env.create(definition(group, "v1"))
    first = (await eventually(lambda: env.registered(group), what="the APIService"))[f"v1.{group}"]
    path = resource_path("apiregistration.k8s.io/v1", "apiservices", name=f"v1.{group}")
    await env.client.delete(path)

    async def recreated() -> JSON | None:
        current = await env.client.get_or_none(path)
        same = current is not None and current["metadata"]["uid"] == first["metadata"]["uid"]
        return None if current is None or same else current

    again = await eventually(recreated, what="the APIService to be recreated")
    assert again["spec"]["caBundle"] == first["spec"]["caBundle"]
