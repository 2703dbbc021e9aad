"""What the gateway serves for a group-version, as the operator sees it through kube-apiserver.

Pure decisions for the discovery nudge (`nudge.py`): whether the gateway's `/apis/<g>/<v>`
lists what the definition declares, the hashes the operator records of what it saw, whether
the APIService has to be touched, and how long to keep polling.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from annex_core.apidef import ApiDefinition
from annex_operator import conditions
from annex_operator.settings import DISCOVERY_HASH_ANNOTATION, OPENAPI_HASH_ANNOTATION

JSON = dict[str, Any]


def declared_resources(definition: ApiDefinition, version: str) -> dict[str, JSON]:
    """The APIResource entries the definition declares at `version`, by name, with the
    fields the definition decides (verbs are the gateway's, so they are left out)."""
    declared: dict[str, JSON] = {}
    for resource, served in definition.resources_in(version):
        names = resource.names
        scope = {"namespaced": resource.namespaced}
        declared[names.plural] = {
            "name": names.plural,
            "singularName": names.singular,
            "kind": names.kind,
            "shortNames": list(names.short_names),
            "categories": list(names.categories),
            **scope,
        }
        if served.status_subresource:
            status = f"{names.plural}/status"
            declared[status] = {"name": status, "kind": names.kind, **scope}
        if served.scale_subresource is not None:
            scale = f"{names.plural}/scale"
            declared[scale] = {"name": scale, "kind": "Scale", **scope}
    return declared


def lists_declared(
    definition: ApiDefinition, version: str, resource_list: Mapping[str, Any]
) -> bool:
    """Whether the APIResourceList lists exactly the declared resources and subresources."""
    if resource_list.get("groupVersion") != f"{definition.group}/{version}":
        return False
    declared = declared_resources(definition, version)
    listed = {str(e.get("name")): e for e in resource_list.get("resources") or []}
    if listed.keys() != declared.keys():
        return False
    return all(_shows(listed[name], entry) for name, entry in declared.items())


def _shows(listed: Mapping[str, Any], declared: Mapping[str, Any]) -> bool:
    # Empty shortNames and categories are omitted from the wire form.
    return all(listed.get(k, [] if isinstance(v, list) else None) == v for k, v in declared.items())


def content_hash(document: Any) -> str:
    """A hash of a JSON document that does not depend on the order of its keys."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True)
class Seen:
    """Hashes of what one answer of the gateway held for a group-version: only what the
    operator saw, never a claim about other gateway replicas."""

    discovery: str
    openapi: str

    @classmethod
    def of(cls, resource_list: Any, openapi_v3: Any) -> Seen:
        return cls(content_hash(resource_list), content_hash(openapi_v3))

    def annotations(self) -> dict[str, str]:
        return {DISCOVERY_HASH_ANNOTATION: self.discovery, OPENAPI_HASH_ANNOTATION: self.openapi}


def needs_nudge(apiservice: Mapping[str, Any], seen: Seen) -> bool:
    """Whether the APIService does not record `seen` yet: writing it makes kube-apiserver
    refetch the group-version's discovery and OpenAPI v2 (an update event)."""
    annotations = apiservice.get("metadata", {}).get("annotations") or {}
    return any(annotations.get(k) != v for k, v in seen.annotations().items())


def is_available(apiservice: Mapping[str, Any]) -> bool:
    """Whether kube-apiserver reports the APIService Available. One that is not gets its
    discovery refetched when it becomes Available (that status write is an update event)."""
    found = conditions.find(apiservice.get("status", {}).get("conditions") or [], "Available")
    return found is not None and found.get("status") == "True"


def backoff(first: float = 0.2, cap: float = 5.0, bound: float = 60.0) -> Iterator[float]:
    """Delays between polls: doubling from `first`, each at most `cap`, together at most
    `bound`. Past a minute the nudge is moot: kube-apiserver refetches every minute."""
    total, delay = 0.0, first
    while total + delay <= bound:
        yield delay
        total += delay
        delay = min(delay * 2, cap)
