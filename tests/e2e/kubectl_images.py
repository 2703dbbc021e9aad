"""The Image resource of the kubectl matrix, and the objects and steps its cases share.

One schema, served twice in the same kube-apiserver: by a CustomResourceDefinition (the
reference) and by an ApiDefinition through the gateway.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from tests.e2e.kubectl_matrix import Step, category_of, k

ANNEX_GROUP = "images.annex.test"
CRD_GROUP = "images.crdvs.test"  # the same length: tables and messages line up alike
VERSION = "v1"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["baseImage"],
            "properties": {
                "baseImage": {"type": "string"},
                "replicas": {"type": "integer", "minimum": 0},
                "packages": {  # a set
                    "type": "array",
                    "x-kubernetes-list-type": "set",
                    "items": {"type": "string"},
                },
                "ports": {  # a map-list keyed by name
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    "items": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "port": {"type": "integer"},
                            "protocol": {"type": "string"},
                        },
                    },
                },
                "args": {  # atomic
                    "type": "array",
                    "x-kubernetes-list-type": "atomic",
                    "items": {"type": "string"},
                },
                "env": {"type": "object", "additionalProperties": {"type": "string"}},  # a map
                "build": {  # nested objects
                    "type": "object",
                    "properties": {
                        "resources": {
                            "type": "object",
                            "properties": {
                                "cpu": {"type": "string"},
                                "memory": {"type": "string"},
                            },
                        },
                        "cache": {
                            "type": "object",
                            "properties": {
                                "enabled": {"type": "boolean"},
                                "ttl": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
        "status": {
            "type": "object",
            "properties": {
                "phase": {"type": "string"},
                "digest": {"type": "string"},
                "replicas": {"type": "integer"},
                "selector": {"type": "string"},
                "conditions": {  # what `kubectl wait --for=condition=` reads
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["type"],
                    "items": {
                        "type": "object",
                        "required": ["type", "status"],
                        "properties": {
                            "type": {"type": "string"},
                            "status": {"type": "string"},
                            "reason": {"type": "string"},
                            "message": {"type": "string"},
                            "lastTransitionTime": {"type": "string", "format": "date-time"},
                        },
                    },
                },
            },
        },
    },
}
RESOURCE_VERSION: dict[str, Any] = {
    "name": VERSION,
    "served": True,
    "storage": True,
    "schema": {"openAPIV3Schema": SCHEMA},
    "additionalPrinterColumns": [
        {"name": "Base", "type": "string", "jsonPath": ".spec.baseImage"},
        {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
        {
            "name": "Cached",
            "type": "boolean",
            "jsonPath": ".spec.build.cache.enabled",
            "priority": 1,
            "description": "whether builds use the cache",
        },
        {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
        {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
    ],
    "selectableFields": [
        {"jsonPath": ".spec.baseImage"},
        {"jsonPath": ".spec.build.cache.enabled"},
        {"jsonPath": ".status.phase"},
    ],
    "subresources": {
        "status": {},
        "scale": {
            "specReplicasPath": ".spec.replicas",
            "statusReplicasPath": ".status.replicas",
            "labelSelectorPath": ".status.selector",
        },
    },
}
NAMES = {"plural": "images", "singular": "image", "kind": "Image", "listKind": "ImageList"}


def names(group: str) -> dict[str, Any]:
    return NAMES | {"categories": [category_of(group)]}


def api_definition() -> dict[str, Any]:
    return {
        "apiVersion": "annex.dev/v1alpha1",
        "kind": "ApiDefinition",
        "metadata": {"name": ANNEX_GROUP},
        "spec": {
            "group": ANNEX_GROUP,
            "resources": [
                {"names": names(ANNEX_GROUP), "scope": "Namespaced", "versions": [RESOURCE_VERSION]}
            ],
        },
    }


def custom_resource_definition() -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"images.{CRD_GROUP}"},
        "spec": {
            "group": CRD_GROUP,
            "names": names(CRD_GROUP),
            "scope": "Namespaced",
            "versions": [RESOURCE_VERSION],
        },
    }


# -- the objects the cases write -------------------------------------------------------------

SPEC: dict[str, Any] = {
    "baseImage": "debian:12",
    "replicas": 1,
    "packages": ["curl", "git"],
    "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}],
    "args": ["--verbose"],
    "env": {"LANG": "C"},
    "build": {"resources": {"cpu": "1", "memory": "1Gi"}, "cache": {"enabled": True}},
}
CHANGED_SPEC: dict[str, Any] = {
    **SPEC,
    "baseImage": "debian:13",
    "packages": ["curl", "vim"],
    "ports": [{"name": "http", "port": 8080}, {"name": "metrics", "port": 9090}],
    "env": {"LANG": "C", "TZ": "UTC"},
}


def image(
    name: str = "web",
    spec: dict[str, Any] | None = None,
    *,
    labels: dict[str, str] | None = None,
    status: dict[str, Any] | None = None,
    finalizers: list[str] | None = None,
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "{API}",
        "kind": "Image",
        "metadata": {"name": name, "labels": labels if labels is not None else {"app": name}},
        "spec": SPEC if spec is None else spec,
    }
    if finalizers is not None:
        obj["metadata"]["finalizers"] = finalizers
    if status is not None:
        obj["status"] = status
    return obj


def manifest(*objects: dict[str, Any]) -> str:
    return yaml.safe_dump_all(objects, sort_keys=False)


def merge(patch: Any) -> tuple[str, str, str]:
    return ("--type=merge", "-p", json.dumps(patch))


def jsonpatch(*ops: dict[str, Any]) -> tuple[str, str, str]:
    return ("--type=json", "-p", json.dumps(list(ops)))


CREATE = k("create", "-f", "-", stdin=manifest(image()), expect="image.{G}/web created")
GET = k("get", "{R}", "web", "-o", "json")
GET_MANAGED = k("get", "{R}", "web", "-o", "json", "--show-managed-fields")
GONE = k("get", "{R}", "web", rc=1, expect='images.{G} "web" not found')
GENERATION = k("get", "{R}", "web", "-o", "jsonpath={.metadata.generation}")
SSA = ("apply", "--server-side", "-f", "-")


def set_status(name: str, **status: Any) -> Step:
    return k("patch", "{R}", name, "--subresource=status", *merge({"status": status}))


READY = {
    "type": "Ready",
    "status": "True",
    "reason": "Built",
    "message": "the image is built",
    "lastTransitionTime": "2026-01-02T03:04:05Z",
}
