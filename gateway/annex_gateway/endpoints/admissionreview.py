"""The AdmissionReview (admission.k8s.io/v1) kube-apiserver sends a validating webhook, and
the answer: always allowed, with warnings. What it is for: apis.Apis.preview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from annex_gateway import apierrors

API_VERSION = "admission.k8s.io/v1"
KIND = "AdmissionReview"


@dataclass(frozen=True)
class Review:
    uid: str
    operation: str  # CREATE, UPDATE, DELETE, CONNECT
    object: Mapping[str, Any] | None  # the object as it would be written


def parse(body: bytes) -> Review:
    """The review's request, or a 400 Status saying what is wrong with it."""
    try:
        review = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise apierrors.bad_request(f"the body is not JSON: {e}") from None
    if not isinstance(review, dict) or (review.get("apiVersion"), review.get("kind")) != (
        API_VERSION,
        KIND,
    ):
        raise apierrors.bad_request(f"expected an {KIND} of {API_VERSION}")
    request = review.get("request")
    uid = request.get("uid") if isinstance(request, dict) else None
    if not isinstance(request, dict) or not isinstance(uid, str) or not uid:
        raise apierrors.bad_request(f"the {KIND} has no request with a uid")
    obj = request.get("object")
    return Review(uid, str(request.get("operation") or ""), obj if isinstance(obj, dict) else None)


def allowed(uid: str, warnings: list[str]) -> dict[str, Any]:
    response: dict[str, Any] = {"uid": uid, "allowed": True}
    if warnings:
        response["warnings"] = warnings
    return {"apiVersion": API_VERSION, "kind": KIND, "response": response}
