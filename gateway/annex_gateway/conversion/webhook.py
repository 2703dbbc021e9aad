"""The conversion webhook client: ConversionReview v1 over TLS, trusting the caBundle
(apiextensions-apiserver pkg/apiserver/conversion/webhook_converter.go).

Failures are the errors kube-apiserver gives a CRD's clients, 500 with the Go message:
`conversion webhook for <group>/<version>, Kind=<Kind> failed: Post "<url>": ...`.
"""

from __future__ import annotations

import asyncio
import ssl
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson

from annex_core.conversion import WebhookConversion
from annex_gateway import apierrors

JSON = dict[str, Any]
REVIEW_API_VERSION = "apiextensions.k8s.io/v1"


class ConversionError(apierrors.StatusError):
    """A failed conversion, as kube-apiserver reports a plain error: 500, no reason."""

    def __init__(self, message: str) -> None:
        super().__init__(500, "", message)


class WebhookClients:
    """HTTP sessions to conversion webhooks, one per trust (caBundle), shared by every route
    table; `close()` on shutdown."""

    def __init__(self) -> None:
        self._sessions: dict[bytes | None, aiohttp.ClientSession] = {}

    def session(self, ca_bundle: bytes | None) -> aiohttp.ClientSession:
        session = self._sessions.get(ca_bundle)
        if session is None or session.closed:
            context = ssl.create_default_context()
            if ca_bundle is not None:
                context = ssl.create_default_context(cadata=ca_bundle.decode())
            connector = aiohttp.TCPConnector(ssl=context, limit=64)
            session = self._sessions[ca_bundle] = aiohttp.ClientSession(connector=connector)
        return session

    async def close(self) -> None:
        sessions, self._sessions = self._sessions, {}
        for session in sessions.values():
            await session.close()


def _gvk(api_version: str, kind: str) -> str:
    """schema.GroupVersionKind.String()."""
    return f"{api_version}, Kind={kind}"


def _post_error(url: str, e: BaseException) -> str:
    """What Go's http client says when a POST fails."""
    if isinstance(e, TimeoutError):
        return f'Post "{url}": context deadline exceeded'
    if isinstance(e, aiohttp.ClientConnectorCertificateError):
        return f'Post "{url}": tls: failed to verify certificate: {e.certificate_error}'
    if isinstance(e, aiohttp.ClientConnectorError):
        parts = urlsplit(url)
        port = parts.port or 443
        cause = e.os_error
        if isinstance(cause, ConnectionRefusedError):
            return f'Post "{url}": dial tcp {parts.hostname}:{port}: connect: connection refused'
        return f'Post "{url}": dial tcp {parts.hostname}:{port}: {cause.strerror or cause}'
    return f'Post "{url}": {e}'


class WebhookConverter:
    def __init__(self, config: WebhookConversion, clients: WebhookClients) -> None:
        self.config = config
        self._clients = clients

    async def convert(self, objects: Sequence[JSON], desired: str, kind: str) -> list[JSON]:
        """`objects` (each at its own apiVersion) at `desired` (group/version), in order."""
        source = _gvk(str(objects[0].get("apiVersion", "")), kind)
        failed = f"conversion webhook for {source} failed"
        uid = str(uuid.uuid4())
        review = {
            "kind": "ConversionReview",
            "apiVersion": REVIEW_API_VERSION,
            "request": {"uid": uid, "desiredAPIVersion": desired, "objects": list(objects)},
        }
        url = self.config.url
        session = self._clients.session(self.config.ca_bundle)
        try:
            async with asyncio.timeout(self.config.timeout_seconds):
                async with session.post(
                    url,
                    data=orjson.dumps(review),
                    headers={"Content-Type": "application/json", "Accept": "application/json"},
                ) as response:
                    body = await response.read()
                    if response.status >= 300:
                        raise ConversionError(
                            f"{failed}: the server responded with status {response.status}: "
                            f"{body[:512].decode(errors='replace')}"
                        )
        except ConversionError:
            raise
        except (TimeoutError, aiohttp.ClientError, OSError) as e:
            raise ConversionError(f"{failed}: {_post_error(url, e)}") from None
        converted = _converted(body, uid, failed)
        if len(converted) != len(objects):
            raise ConversionError(
                f"conversion webhook for {source} returned {len(converted)} objects, "
                f"expected {len(objects)}"
            )
        return [
            _checked(original, out, i, desired, source)
            for i, (original, out) in enumerate(zip(objects, converted, strict=True))
        ]


def _converted(body: bytes, uid: str, failed: str) -> list[Any]:
    """getConvertedObjectsFromResponse."""
    try:
        review = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise ConversionError(f"{failed}: {e}") from None
    if not isinstance(review, dict):
        raise ConversionError(f"{failed}: unrecognized response type")
    if review.get("apiVersion") != REVIEW_API_VERSION or review.get("kind") != "ConversionReview":
        raise ConversionError(
            f"{failed}: expected webhook response of "
            f"{_gvk(REVIEW_API_VERSION, 'ConversionReview')}, got "
            f"{_gvk(str(review.get('apiVersion', '')), str(review.get('kind', '')))}"
        )
    response = review.get("response")
    if not isinstance(response, dict):
        raise ConversionError(f"{failed}: no response provided")
    if response.get("uid") != uid:
        raise ConversionError(
            f'{failed}: expected response.uid="{uid}", got "{response.get("uid", "")}"'
        )
    result = response.get("result") or {}
    if not isinstance(result, dict) or result.get("status") != "Success":
        message = result.get("message") if isinstance(result, dict) else None
        if message:
            raise ConversionError(f"{failed}: {message}")
        status = result.get("status", "") if isinstance(result, dict) else ""
        raise ConversionError(f"{failed}: response.result.status was '{status}', not 'Success'")
    objects = response.get("convertedObjects") or []
    if not isinstance(objects, list):
        raise ConversionError(f"{failed}: convertedObjects is not a list")
    return objects


def _checked(original: JSON, out: Any, i: int, desired: str, source: str) -> JSON:
    """validateConvertedObject and restoreObjectMeta: the type as asked, the identity kept,
    metadata the original's but for the labels and annotations the webhook set."""
    prefix = f"conversion webhook for {source} returned invalid converted object at index {i}"
    if not isinstance(out, dict):
        raise ConversionError(f"{prefix}: invalid type, expected=Unstructured")
    if out.get("apiVersion") != desired:
        raise ConversionError(
            f"{prefix}: invalid groupVersion (expected {desired}, received "
            f"{out.get('apiVersion', '')})"
        )
    if out.get("kind") != original.get("kind"):
        raise ConversionError(
            f"{prefix}: invalid kind (expected {original.get('kind')}, received "
            f"{out.get('kind', '')})"
        )
    meta = original.get("metadata") or {}
    got = out.get("metadata")
    if not isinstance(got, dict):
        raise ConversionError(
            f"conversion webhook for {source} returned invalid metadata in object at index {i}: "
            "missing metadata in converted object"
        )
    for field in ("name", "namespace", "uid"):
        if (got.get(field) or "") != (meta.get(field) or ""):
            raise ConversionError(
                f"{prefix}: must have the same {field}: {meta.get(field) or ''} != "
                f"{got.get(field) or ''}"
            )
    restored = dict(meta)
    for field in ("labels", "annotations"):
        value = got.get(field)
        if not value:
            restored.pop(field, None)
        elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            restored[field] = value
        else:
            raise ConversionError(
                f"conversion webhook for {source} returned invalid metadata in object at index "
                f"{i}: metadata.{field} must be a map of strings"
            )
    out["metadata"] = restored
    return out
