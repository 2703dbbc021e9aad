"""Content negotiation as k8s.io/apiserver does it (handlers/negotiation).

Request bodies: JSON or YAML; a missing Content-Type means JSON (client-go's scale client
sends none). Responses: walk the Accept clauses in order and take the first we can serve;
clauses asking for a transformation we don't implement (`as=...`) or an encoding we don't
speak (protobuf, CBOR) are skipped, and only when nothing fits is the answer 406.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from annex_gateway import apierrors

JSON = "application/json"
YAML = "application/yaml"
BODY_TYPES = (JSON, YAML)
MAX_BODY_BYTES = 3 * 1024 * 1024  # kube-apiserver's default request body limit


@dataclass(frozen=True)
class MediaType:
    type: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.params if k == name), None)


def parse_media_type(text: str) -> MediaType:
    main, *raw_params = text.split(";")
    params = []
    for raw in raw_params:
        key, _, value = raw.partition("=")
        if key.strip():
            params.append((key.strip().lower(), value.strip().strip('"')))
    return MediaType(main.strip().lower(), tuple(params))


def decode_body(body: bytes, content_type: str | None) -> Any:
    """The request body as JSON data; 415 for other media types, 400 if it doesn't parse."""
    media = parse_media_type(content_type or JSON).type or JSON
    if media not in BODY_TYPES:
        raise apierrors.unsupported_media_type(BODY_TYPES)
    if len(body) > MAX_BODY_BYTES:
        raise apierrors.too_large("the request body is too large")
    try:
        if media == JSON:
            return orjson.loads(body)
        return yaml.safe_load(body)
    except (orjson.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as e:
        raise apierrors.bad_request(f"error decoding request body: {str(e).splitlines()[0]}") from e


def choose_response_type(accept: str | None) -> str:
    """JSON or YAML for a plain object response; 406 when no Accept clause fits."""
    if not accept or not accept.strip():
        return JSON
    for clause in accept.split(","):
        media = parse_media_type(clause)
        if media.param("as") is not None:
            continue  # Table, PartialObjectMetadata: not implemented yet, fall through
        if media.type in (JSON, "application/*", "*/*"):
            return JSON
        if media.type == YAML:
            return YAML
    raise apierrors.not_acceptable(BODY_TYPES)


def encode(data: Any, media_type: str) -> bytes:
    if media_type == YAML:
        return yaml.safe_dump(data, sort_keys=False).encode()
    return orjson.dumps(data)
