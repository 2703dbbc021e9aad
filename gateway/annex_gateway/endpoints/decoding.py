"""Request bodies decoded into objects of the kind a route serves (the handlers' shared
first step), with kube-apiserver's checks of apiVersion, kind and namespace."""

from __future__ import annotations

from typing import Any

from annex_gateway import apierrors
from annex_gateway.admission.metadata import coerce_object_meta
from annex_gateway.endpoints import negotiation
from annex_gateway.endpoints.scope import VerbRequest

JSON = dict[str, Any]
SCALE = ("autoscaling/v1", "Scale")


def expected_type(req: VerbRequest) -> tuple[str, str]:
    """The apiVersion and kind a body sent to this route must carry."""
    if req.subresource == "scale":
        return SCALE
    return req.served.api_version, req.served.kind


async def decode_object(req: VerbRequest) -> tuple[JSON, list[str]]:
    """The body as an object of the route's kind, and the warnings decoding it gave."""
    obj = await negotiation.decode_body(req.body, req.content_type)
    return check_object(req, obj, req.body)


def check_object(req: VerbRequest, obj: Any, raw: bytes) -> tuple[JSON, list[str]]:
    if not isinstance(obj, dict):
        raise apierrors.bad_request("the body of the request must be a JSON or YAML object")
    api_version, kind = expected_type(req)
    if not obj.get("kind"):
        raise apierrors.bad_request(
            f"Object 'Kind' is missing in '{raw[:200].decode(errors='replace')}'"
        )
    if obj.get("apiVersion") != api_version:
        raise apierrors.bad_request(
            f"the API version in the data ({obj.get('apiVersion')}) does not match the expected "
            f"API version ({api_version})"
        )
    if obj["kind"] != kind:
        raise apierrors.bad_request(
            f"the kind in the data ({obj['kind']}) does not match the expected kind ({kind})"
        )
    return obj, coerce_metadata(req, obj)


def coerce_metadata(req: VerbRequest, obj: JSON) -> list[str]:
    """metadata shaped as ObjectMeta round-trips it, the namespace from the URL."""
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise apierrors.bad_request("metadata must be an object")
    warnings = coerce_object_meta(meta)
    body_namespace = meta.get("namespace") or ""
    if req.served.namespaced:
        if body_namespace and body_namespace != req.namespace:
            raise apierrors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = req.namespace
    else:
        meta.pop("namespace", None)
    return warnings
