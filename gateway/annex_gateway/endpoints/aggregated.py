"""Aggregated discovery (`apidiscovery.k8s.io/v2`): the `APIGroupDiscoveryList` on `/apis`.

kube-apiserver's aggregator (kube-aggregator `pkg/apiserver/handler_discovery.go`) asks every
APIService's server for `GET /apis` with `Accept: application/json;g=apidiscovery.k8s.io;
v=v2;as=APIGroupDiscoveryList` (1.30-1.34 also offered v2beta1, 1.26-1.29 only v2beta1) and
`If-None-Match` with the ETag it holds. A 200 is used only when its Content-Type names that
type; 304 keeps its cache; 503 marks the group-versions stale; anything else falls back to
`/apis/<g>/<v>`. The document is built once per route table, as kube-apiserver's
apiextensions discovery controller builds it for a CRD: resources sorted by name, each with
its status and scale subresources, every version `freshness: Current`. The ETag is a hash
of the JSON, shared by v2 and v2beta1 (the same document under another apiVersion), and
responses say `Vary: Accept` (`k8s.io/apiserver pkg/endpoints/discovery/aggregated`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import orjson

from annex_gateway.endpoints import negotiation
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.registry import rest

GROUP = "apidiscovery.k8s.io"
KIND = "APIGroupDiscoveryList"
VERSIONS = ("v2", "v2beta1")  # v2beta1 is the same document; kube < 1.30 asks only for it


def content_type(version: str) -> str:
    return f"{negotiation.JSON};g={GROUP};v={version};as={KIND}"


def resource_discovery(served: ServedResource) -> dict[str, Any]:
    """The APIResourceDiscovery of a resource, from what its REST objects can do."""
    names = served.resource.names
    kind = {"group": served.group, "version": served.version, "kind": names.kind}
    entry: dict[str, Any] = {
        "resource": names.plural,
        "responseKind": kind,
        "scope": "Namespaced" if served.namespaced else "Cluster",
        "singularResource": names.singular,
        "verbs": list(rest.verbs(served.rest)),
    }
    if names.short_names:
        entry["shortNames"] = list(names.short_names)
    if names.categories:
        entry["categories"] = list(names.categories)
    subresources = [
        {
            "subresource": sub,
            "responseKind": (
                {"group": "autoscaling", "version": "v1", "kind": "Scale"}
                if sub == "scale"
                else kind
            ),
            "verbs": list(rest.verbs(target)),
        }
        for sub, target in served.subresources.items()
    ]
    if subresources:
        entry["subresources"] = subresources
    return entry


def version_discovery(version: str, resources: Iterable[ServedResource]) -> dict[str, Any]:
    """The APIVersionDiscovery of one group-version."""
    entries = sorted((resource_discovery(r) for r in resources), key=lambda e: e["resource"])
    document: dict[str, Any] = {"version": version}
    if entries:
        document["resources"] = entries
    document["freshness"] = "Current"
    return document


def group_discovery(name: str, versions: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The APIGroupDiscovery of a group; `versions` in preferred order."""
    return {"metadata": {"name": name}, "versions": list(versions)}


@dataclass(frozen=True)
class Document:
    """The serialized APIGroupDiscoveryList per discovery version, and its quoted ETag."""

    bodies: Mapping[str, bytes]
    etag: str

    @classmethod
    def of(cls, groups: Iterable[dict[str, Any]]) -> Document:
        items = list(groups)
        etag = hashlib.sha512(orjson.dumps({"items": items})).hexdigest().upper()
        bodies = {
            version: orjson.dumps(
                {"kind": KIND, "apiVersion": f"{GROUP}/{version}", "metadata": {}, "items": items}
            )
            for version in VERSIONS
        }
        return cls(MappingProxyType(bodies), f'"{etag}"')


EMPTY = Document.of(())


def negotiate(accept: str | None) -> str | None:
    """The discovery version the first usable Accept clause asks for; None when that clause
    is a plain type (the legacy APIGroupList) or no clause fits (406, decided by the caller)."""
    for clause in (accept or "").split(","):
        media = negotiation.parse_media_type(clause)
        if media.param("as") is None:
            if media.type in (negotiation.JSON, negotiation.YAML, "application/*", "*/*"):
                return None
            continue
        version = media.param("v")
        if (
            media.type == negotiation.JSON
            and media.param("g") == GROUP
            and media.param("as") == KIND
            and version in VERSIONS
        ):
            return version
    return None


@dataclass(frozen=True)
class Served:
    status: int
    body: bytes
    headers: Mapping[str, str]


def serve(document: Document, version: str, if_none_match: str | None) -> Served:
    """200 with the document, or 304 when `If-None-Match` is its ETag (compared verbatim, as
    k8s.io/apiserver's ServeHTTPWithETag does)."""
    headers = {"ETag": document.etag, "Vary": "Accept", "Cache-Control": "public"}
    if if_none_match == document.etag:
        return Served(304, b"", headers)
    return Served(200, document.bodies[version], headers | {"Content-Type": content_type(version)})
