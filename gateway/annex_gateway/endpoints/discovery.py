"""Discovery documents: `/api`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`; OpenAPI v2 in protobuf.

`/apis/<g>/<v>` must answer 2xx fast and without touching storage: kube-apiserver's
availability probe and its discovery fallback call it with a 5 s timeout. The document is
precomputed in the route table. The server negotiates every discovery response (JSON or
YAML, 406 when neither fits). `/apis` asked for aggregated discovery (v2 or v2beta1,
`as=APIGroupDiscoveryList`) answers with `endpoints.aggregated`'s document; asked for another
discovery version it is 406, so the aggregator falls back to `/apis/<g>/<v>` (never 404 or
503: that would mark the group stale and block namespace deletion cluster-wide).
"""

from __future__ import annotations

from typing import Any

from annex_gateway import apierrors
from annex_gateway.endpoints import negotiation

API_VERSIONS: dict[str, Any] = {
    "kind": "APIVersions",
    "versions": [],
    "serverAddressByClientCIDRs": [],
}


def api_group(group: dict[str, Any] | None) -> dict[str, Any]:
    """The APIGroup document of a served group (its `api_group()`); 404 when not served."""
    if group is None:
        raise apierrors.path_not_found()
    return {"kind": "APIGroup", "apiVersion": "v1", **group}


def api_resource_list(document: bytes | None) -> bytes:
    """The APIResourceList of a served group-version, already serialized; 404 when not served."""
    if document is None:
        raise apierrors.path_not_found()
    return document


OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"


def _proto_field(number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field (payloads here are far below 128 bytes)."""
    assert len(payload) < 128
    return bytes([number << 3 | 2, len(payload)]) + payload


def openapi_v2_protobuf() -> bytes:
    """An empty document as gnostic's `openapi.v2.Document` in protobuf, which kubectl asks
    for (the JSON document, with content, is `endpoints.openapi`'s): swagger = 1, info = 2 (title = 1, version = 2), paths = 8, definitions = 9."""
    info = _proto_field(1, b"kube-annex") + _proto_field(2, b"v0")
    return (
        _proto_field(1, b"2.0")
        + _proto_field(2, info)
        + _proto_field(8, b"")
        + _proto_field(9, b"")
    )


def wants_protobuf(accept: str | None) -> bool:
    """Whether the first Accept clause we can serve is the protobuf OpenAPI encoding."""
    for clause in (accept or "").split(","):
        media = negotiation.parse_media_type(clause).type
        if media == OPENAPI_V2_PROTOBUF.lower():
            return True
        if media in (negotiation.JSON, "application/*", "*/*"):
            return False
    return False
