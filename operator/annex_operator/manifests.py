"""Server-side apply intents for everything the operator owns. Pure: no I/O here.

Each builder returns the complete object the operator wants (server-side apply removes
the fields a manager stops sending), labelled so that the writers can tell ours from others'.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from annex_core import apidef
from annex_core.apidef import ApiDefinition
from annex_operator.settings import (
    DEFINITION_LABEL,
    MANAGED_BY,
    MANAGED_BY_LABEL,
    OperatorSettings,
)

JSON = dict[str, Any]

APIREGISTRATION = "apiregistration.k8s.io/v1"
ADMISSIONREGISTRATION = "admissionregistration.k8s.io/v1"
IMPACT_WEBHOOK = f"impact.{apidef.PLURAL}.{apidef.GROUP}"
# Below the built-ins (16000-18000) so that kubectl's RESTMapper prefers them on name clashes.
GROUP_PRIORITY_MINIMUM = 1000
TOP_VERSION_PRIORITY = 1000  # versionPriority is 1..1000; the highest is preferred


def managed_labels() -> dict[str, str]:
    return {MANAGED_BY_LABEL: MANAGED_BY}


def definition_labels(definition_name: str) -> dict[str, str]:
    return {**managed_labels(), DEFINITION_LABEL: definition_name}


def label_selector(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def is_managed(obj: Mapping[str, Any]) -> bool:
    """Whether the object carries our managed-by label (we never take over anything else)."""
    labels = obj.get("metadata", {}).get("labels") or {}
    return bool(labels.get(MANAGED_BY_LABEL) == MANAGED_BY)


def definition_name_of(obj: Mapping[str, Any]) -> str | None:
    """The ApiDefinition an object of ours belongs to; None when it is not ours."""
    labels = obj.get("metadata", {}).get("labels") or {}
    name = labels.get(DEFINITION_LABEL) if is_managed(obj) else None
    return str(name) if name else None


def tls_secret(settings: OperatorSettings, data: Mapping[str, str]) -> JSON:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": settings.tls_secret,
            "namespace": settings.namespace,
            "labels": managed_labels(),
        },
        "type": "kubernetes.io/tls",
        "data": dict(data),
    }


def service(settings: OperatorSettings) -> JSON:
    port: JSON = {"name": "https", "port": settings.service_port, "protocol": "TCP"}
    if settings.mode == "local":
        # kube-apiserver dials <externalName>:<APIService spec.service.port> and ignores ports;
        # loopback addresses cannot go into Endpoints, so this is the only way to localhost.
        spec: JSON = {"type": "ExternalName", "externalName": "localhost", "ports": [port]}
    else:
        spec = {
            "type": "ClusterIP",
            "selector": dict(settings.gateway_selector),
            "ports": [{**port, "targetPort": settings.gateway_target_port}],
        }
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": settings.service_name,
            "namespace": settings.namespace,
            "labels": managed_labels(),
        },
        "spec": spec,
    }


def apiservice_name(version: str, group: str) -> str:
    return f"{version}.{group}"


def version_priorities(versions: tuple[str, ...]) -> dict[str, int]:
    """versionPriority per version, strictly decreasing in the given (preferred-first) order."""
    return {v: max(1, TOP_VERSION_PRIORITY - i) for i, v in enumerate(versions)}


def apiservice(
    definition: ApiDefinition,
    version: str,
    priority: int,
    settings: OperatorSettings,
    ca_pem: bytes,
) -> JSON:
    return {
        "apiVersion": APIREGISTRATION,
        "kind": "APIService",
        "metadata": {
            "name": apiservice_name(version, definition.group),
            "labels": definition_labels(definition.name),
        },
        "spec": {
            "group": definition.group,
            "version": version,
            "service": {
                "namespace": settings.namespace,
                "name": settings.service_name,
                "port": settings.service_port,
            },
            # Always verify the gateway: never insecureSkipTLSVerify.
            "caBundle": base64.b64encode(ca_pem).decode("ascii"),
            "groupPriorityMinimum": GROUP_PRIORITY_MINIMUM,
            "versionPriority": priority,
        },
    }


def apiservices(definition: ApiDefinition, settings: OperatorSettings, ca_pem: bytes) -> list[JSON]:
    """One APIService per served version, preferred version first (and highest priority)."""
    priorities = version_priorities(definition.served_versions)
    return [apiservice(definition, v, p, settings, ca_pem) for v, p in priorities.items()]


def apiservice_annotations(name: str, annotations: Mapping[str, str]) -> JSON:
    """The apply intent of the nudge's field manager: only the annotations it owns."""
    return {
        "apiVersion": APIREGISTRATION,
        "kind": "APIService",
        "metadata": {"name": name, "annotations": dict(annotations)},
    }


def impact_webhook(settings: OperatorSettings, ca_pem: bytes) -> JSON:
    """The gateway's ApiDefinition admission webhook: before a definition's new generation is
    written, warnings say how many stored objects its schema changes would make invalid (a
    server-side dry run shows them with no change). Never refuses, and a gateway that does not
    answer never holds up a definition (failurePolicy Ignore)."""
    return {
        "apiVersion": ADMISSIONREGISTRATION,
        "kind": "ValidatingWebhookConfiguration",
        "metadata": {"name": IMPACT_WEBHOOK, "labels": managed_labels()},
        "webhooks": [
            {
                "name": IMPACT_WEBHOOK,
                "admissionReviewVersions": ["v1"],
                "sideEffects": "None",  # dry runs call it too
                "failurePolicy": "Ignore",
                "timeoutSeconds": 10,
                "matchPolicy": "Equivalent",
                # Not kopf's or anyone's metadata writes: only a changed spec is worth a call.
                "matchConditions": [
                    {"name": "spec-changed", "expression": "object.spec != oldObject.spec"}
                ],
                "rules": [
                    {
                        "apiGroups": [apidef.GROUP],
                        "apiVersions": [apidef.VERSION],
                        "operations": ["UPDATE"],
                        "resources": [apidef.PLURAL],  # not status: only spec changes schemas
                        "scope": "Cluster",
                    }
                ],
                "clientConfig": {
                    "service": {
                        "namespace": settings.namespace,
                        "name": settings.service_name,
                        "port": settings.service_port,
                        "path": apidef.IMPACT_WEBHOOK_PATH,
                    },
                    "caBundle": base64.b64encode(ca_pem).decode("ascii"),
                },
            }
        ],
    }
