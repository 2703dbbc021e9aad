"""Content negotiation as k8s.io/apiserver does it (handlers/negotiation).

Request bodies: JSON or YAML; a missing Content-Type means JSON (client-go's scale client
sends none). Responses: walk the Accept clauses in order and take the first we can serve;
clauses asking for a transformation we don't implement (`as=...`) or an encoding we don't
speak (protobuf, CBOR) are skipped, and only when nothing fits is the answer 406.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from annex_core.gotext import escape_html
from annex_gateway import apierrors
from annex_gateway.endpoints import gojson, jsonbody, limits, mediatype, yamlbody, yamlout
from annex_gateway.endpoints.limits import DEFAULT_LIMITS, DecodeLimits
from annex_gateway.storage import codec

JSON = "application/json"
YAML = "application/yaml"
BODY_TYPES = (JSON, YAML)
# What a 415 lists: kube-apiserver's words for a CRD (its serializers, protobuf included).
LISTED_BODY_TYPES = (JSON, YAML, "application/vnd.kubernetes.protobuf")
MAX_BODY_BYTES = limits.MAX_BODY_BYTES


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


async def decode_body(
    body: bytes, content_type: str | None, limits: DecodeLimits = DEFAULT_LIMITS
) -> Any:
    """The request body as JSON data within the limits; 415 for other media types, 400 if it
    doesn't parse, 413 if it is or becomes too large.

    YAML is decoded in a worker thread: even libyaml takes seconds on a large document,
    which must not stall every other request.
    """
    media = mediatype.parse_media_type(content_type) if content_type else JSON
    if media not in BODY_TYPES:
        raise apierrors.unsupported_media_type(LISTED_BODY_TYPES)
    if len(body) > MAX_BODY_BYTES:
        raise apierrors.too_large("the request body is too large")
    if media == JSON:
        return jsonbody.decode_json(body, limits)
    # Most YAML bodies are JSON (kubectl sends server-side apply configurations as JSON):
    # JSON is YAML, so a body orjson reads needs neither libyaml nor a worker thread.
    if body.lstrip()[:1] in (b"{", b"["):
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            pass  # YAML flow style, or JSON orjson refuses (deep, huge integers): read as YAML
        else:
            return jsonbody.checked(value, body, limits)
    return await asyncio.to_thread(yamlbody.decode_yaml, body, limits)


def is_json(content_type: str | None) -> bool:
    """Whether a body of this Content-Type is read as JSON (none given: JSON)."""
    return not content_type or mediatype.parse_media_type(content_type) == JSON


def choose_response_type(accept: str | None) -> str:
    """JSON or YAML for a plain object response; 406 when no Accept clause fits."""
    chosen = _plain_clause(accept)
    if chosen is None:
        return JSON
    return chosen[0]


def plain_encoding(
    accept: str | None, query: Mapping[str, str], user_agent: str | None
) -> tuple[str, bool]:
    """NegotiateOutputMediaType with no transformation allowed: `choose_response_type`'s
    media type, and whether to indent it (`pretty=1` in the clause taken, or isPrettyPrint)."""
    chosen = _plain_clause(accept)
    if chosen is None:
        return JSON, gojson.wants_pretty(query, user_agent)
    media_type, clause = chosen
    return media_type, clause.param("pretty") == "1" or gojson.wants_pretty(query, user_agent)


def _plain_clause(accept: str | None) -> tuple[str, MediaType] | None:
    """The media type and clause a plain response is written as (None: no Accept); 406 when
    no clause fits. Clauses asking for a transformation (`as=`) are passed over."""
    if not accept or not accept.strip():
        return None
    for clause in accept.split(","):
        media = parse_media_type(clause)
        if media.param("as") is not None:
            continue
        if media.type in (JSON, "application/*", "*/*"):
            return JSON, media
        if media.type == YAML:
            return YAML, media
    raise apierrors.not_acceptable(LISTED_BODY_TYPES)


def compact(data: Any, *, sort: bool = False) -> bytes:
    """Compact JSON as encoding/json writes it (HTML-safe escapes); `sort`: an unstructured
    object's, its map keys in order (a Go struct's keep their field order)."""
    return codec.encode_object(data) if sort else escape_html(orjson.dumps(data))


def encode(data: Any, media_type: str, *, pretty: bool = False, sort: bool = False) -> bytes:
    """As kube-apiserver's serializers write it: JSON from json.Encoder (`compact`, a newline
    at the end), or indented as json.MarshalIndent does when `pretty`; or YAML."""
    if media_type == YAML:
        return yamlout.encode(data)
    return gojson.finish(compact(data, sort=sort), pretty)


async def encode_response(
    data: Any, media_type: str, *, pretty: bool = False, sort: bool = False
) -> bytes:
    """`encode`, with YAML and long indented JSON in a worker thread: even libyaml takes tens
    of milliseconds for a long list, which must not stall every other request. Compact JSON
    (orjson) stays inline."""
    if media_type == YAML:
        return await asyncio.to_thread(encode, data, YAML)
    if not pretty:
        return encode(data, media_type, sort=sort)
    text = compact(data, sort=sort)
    if len(text) <= gojson.INDENT_INLINE:
        return gojson.indent(text)
    return await asyncio.to_thread(gojson.indent, text)
