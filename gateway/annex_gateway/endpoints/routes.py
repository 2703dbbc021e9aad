"""The route table: an immutable snapshot compiled from every accepted ApiDefinition.

Everything a request needs that depends only on the definitions is computed here once:
the served resource at each group-version and the discovery documents. The registry swaps
whole tables in one assignment; a request takes the table once and keeps it to the end.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import orjson

from annex_core.apidef import ApiDefinition
from annex_gateway.endpoints.objects import ObjectEndpoints
from annex_gateway.endpoints.served import ServedResource

# The verbs ObjectEndpoints serves, in discovery order; kube-apiserver sorts verbs alphabetically.
RESOURCE_VERBS = tuple(sorted(ObjectEndpoints.VERBS))


@dataclass(frozen=True)
class GroupVersion:
    group: str
    version: str
    resources: Mapping[str, ServedResource]
    discovery: bytes  # the APIResourceList, serialized once


@dataclass(frozen=True)
class ServedGroup:
    name: str
    versions: Mapping[str, GroupVersion]  # preferred version first
    definition: ApiDefinition

    @property
    def preferred_version(self) -> str:
        return next(iter(self.versions))

    def api_group(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "versions": [{"groupVersion": f"{self.name}/{v}", "version": v} for v in self.versions],
            "preferredVersion": {
                "groupVersion": f"{self.name}/{self.preferred_version}",
                "version": self.preferred_version,
            },
        }


@dataclass(frozen=True)
class RouteTable:
    groups: Mapping[str, ServedGroup] = field(default_factory=dict)
    generation: int = 0  # increases with every swap; for logs and readiness

    def group_version(self, group: str, version: str) -> GroupVersion | None:
        served = self.groups.get(group)
        return served.versions.get(version) if served else None

    def lookup(self, group: str, version: str, plural: str) -> ServedResource | None:
        gv = self.group_version(group, version)
        return gv.resources.get(plural) if gv else None

    def api_group_list(self) -> dict[str, Any]:
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [g.api_group() for _, g in sorted(self.groups.items())],
        }


def storage_version_hash(group: str, version: str, kind: str) -> str:
    """As k8s.io/apiserver computes it: base64 of the first 8 bytes of sha256(g/v/kind)."""
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _api_resources(served: ServedResource) -> list[dict[str, Any]]:
    names = served.resource.names
    main: dict[str, Any] = {
        "name": names.plural,
        "singularName": names.singular,  # always present: kopf reads it unconditionally
        "namespaced": served.namespaced,
        "kind": names.kind,
        "verbs": list(RESOURCE_VERBS),
        "storageVersionHash": storage_version_hash(
            served.group, served.resource.storage_version, names.kind
        ),
    }
    if names.short_names:
        main["shortNames"] = list(names.short_names)
    if names.categories:
        main["categories"] = list(names.categories)
    return [main]


def _discovery(group: str, version: str, resources: Iterable[ServedResource]) -> bytes:
    document = {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}",
        "resources": [entry for r in resources for entry in _api_resources(r)],
    }
    return orjson.dumps(document)


def compile_group(definition: ApiDefinition) -> ServedGroup:
    versions: dict[str, GroupVersion] = {}
    for version in definition.served_versions:
        served = [
            ServedResource(definition.group, version, resource, rv)
            for resource, rv in definition.resources_in(version)
        ]
        versions[version] = GroupVersion(
            group=definition.group,
            version=version,
            resources=MappingProxyType({s.plural: s for s in served}),
            discovery=_discovery(definition.group, version, served),
        )
    return ServedGroup(definition.group, MappingProxyType(versions), definition)


def compile_routes(definitions: Iterable[ApiDefinition], generation: int = 0) -> RouteTable:
    groups = {d.group: compile_group(d) for d in definitions}
    return RouteTable(MappingProxyType(dict(sorted(groups.items()))), generation)
