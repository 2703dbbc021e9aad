from __future__ import annotations

import base64

from annex_operator import manifests
from annex_operator.settings import OperatorSettings
from tests.unit.operator import samples

CA = b"-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"


def test_cluster_service_selects_gateway_pods() -> None:
    svc = manifests.service(OperatorSettings())
    assert svc["metadata"] == {
        "name": "annex-gateway",
        "namespace": "annex-system",
        "labels": {"app.kubernetes.io/managed-by": "kube-annex"},
    }
    assert svc["spec"] == {
        "type": "ClusterIP",
        "selector": {"app.kubernetes.io/name": "annex-gateway"},
        "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}],
    }


def test_local_service_is_external_name_to_localhost() -> None:
    svc = manifests.service(OperatorSettings(mode="local", service_port=9443))
    assert svc["spec"]["type"] == "ExternalName"
    assert svc["spec"]["externalName"] == "localhost"
    assert "selector" not in svc["spec"]
    assert svc["spec"]["ports"][0]["port"] == 9443


def test_apiservice_per_served_version_with_ca_bundle() -> None:
    definition = samples.definition(
        samples.version("v1alpha1"),
        samples.version("v1", storage=True),
        samples.version("v1beta1"),
        samples.version("v0old", served=False),
    )
    settings = OperatorSettings(service_port=8443)
    objs = manifests.apiservices(definition, settings, CA)
    assert [o["metadata"]["name"] for o in objs] == [
        "v1.widgets.example.com",
        "v1beta1.widgets.example.com",
        "v1alpha1.widgets.example.com",
    ]
    first = objs[0]
    assert first["apiVersion"] == "apiregistration.k8s.io/v1"
    assert first["metadata"]["labels"] == {
        "app.kubernetes.io/managed-by": "kube-annex",
        "annex.dev/api-definition": "widgets.example.com",
    }
    spec = first["spec"]
    assert spec["group"] == "widgets.example.com"
    assert spec["version"] == "v1"
    assert spec["service"] == {"namespace": "annex-system", "name": "annex-gateway", "port": 8443}
    assert base64.b64decode(spec["caBundle"]) == CA
    assert "insecureSkipTLSVerify" not in spec
    assert spec["groupPriorityMinimum"] == 1000
    priorities = [o["spec"]["versionPriority"] for o in objs]
    assert priorities == sorted(priorities, reverse=True)
    assert len(set(priorities)) == len(priorities)
    assert all(1 <= p <= 1000 for p in priorities)


def test_version_priorities_follow_kube_version_order() -> None:
    definition = samples.definition(
        samples.version("v2beta1"),
        samples.version("v10", storage=True),
        samples.version("v2"),
        samples.version("foo1"),
    )
    priorities = manifests.version_priorities(definition.served_versions)
    ordered = sorted(priorities, key=priorities.__getitem__, reverse=True)
    assert ordered == ["v10", "v2", "v2beta1", "foo1"]
    assert priorities["v10"] == 1000


def test_version_priorities_stay_in_range() -> None:
    priorities = manifests.version_priorities(tuple(f"x{i}" for i in range(1200)))
    assert min(priorities.values()) == 1


def test_tls_secret_shape() -> None:
    secret = manifests.tls_secret(OperatorSettings(), {"tls.crt": "YQ=="})
    assert secret["type"] == "kubernetes.io/tls"
    assert secret["metadata"]["name"] == "annex-gateway-tls"
    assert secret["metadata"]["namespace"] == "annex-system"
    assert manifests.is_managed(secret)


def test_is_managed_needs_our_label() -> None:
    assert not manifests.is_managed({"metadata": {}})
    assert not manifests.is_managed(
        {"metadata": {"labels": {"app.kubernetes.io/managed-by": "helm"}}}
    )


def test_definition_name_of_needs_our_labels() -> None:
    labels = {"app.kubernetes.io/managed-by": "kube-annex", "annex.dev/api-definition": "g.io"}
    assert manifests.definition_name_of({"metadata": {"labels": labels}}) == "g.io"
    assert (
        manifests.definition_name_of({"metadata": {"labels": {"annex.dev/api-definition": "g.io"}}})
        is None
    )


def test_label_selector_is_stable() -> None:
    assert manifests.label_selector({"b": "2", "a": "1"}) == "a=1,b=2"


def test_impact_webhook_calls_the_gateway_on_spec_changes_only() -> None:
    hook = manifests.impact_webhook(OperatorSettings(service_port=8443), CA)
    assert hook["apiVersion"] == "admissionregistration.k8s.io/v1"
    assert hook["metadata"] == {
        "name": "impact.apidefinitions.annex.dev",
        "labels": {"app.kubernetes.io/managed-by": "kube-annex"},
    }
    (webhook,) = hook["webhooks"]
    assert webhook["rules"] == [
        {
            "apiGroups": ["annex.dev"],
            "apiVersions": ["v1alpha1"],
            "operations": ["UPDATE"],
            "resources": ["apidefinitions"],
            "scope": "Cluster",
        }
    ]
    assert webhook["matchConditions"] == [
        {"name": "spec-changed", "expression": "object.spec != oldObject.spec"}
    ]
    # warnings only: never in the way of a definition, and safe in a dry run
    assert (webhook["failurePolicy"], webhook["sideEffects"]) == ("Ignore", "None")
    config = webhook["clientConfig"]
    assert config["service"] == {
        "namespace": "annex-system",
        "name": "annex-gateway",
        "port": 8443,
        "path": "/annex.dev/apidefinitions/impact",
    }
    assert base64.b64decode(config["caBundle"]) == CA
