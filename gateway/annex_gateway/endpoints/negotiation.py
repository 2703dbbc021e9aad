"""Content negotiation as k8s.io/apiserver does it (handlers/negotiation).

Request bodies: JSON or YAML; a missing Content-Type means JSON (client-go's scale client
sends none). Responses: walk the Accept clauses in order and take the first we can serve;
clauses asking for a transformation we don't implement (`as=...`) or an encoding we don't
speak (protobuf, CBOR) are skipped, and only when nothing fits is the answer 406.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from annex_gateway import apierrors

JSON = "application/json"
YAML = "application/yaml"
BODY_TYPES = (JSON, YAML)
MAX_BODY_BYTES = 3 * 1024 * 1024  # kube-apiserver's default request body limit
# More values than a 3 MiB JSON body can hold: a YAML body may not expand beyond that.
MAX_YAML_NODES = MAX_BODY_BYTES // 2
# Deeper than any real object, below orjson's 1024 levels, far below where libyaml crashes.
MAX_DEPTH = 512
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_OPENERS = frozenset(b"[{")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


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


async def decode_body(body: bytes, content_type: str | None) -> Any:
    """The request body as JSON data; 415 for other media types, 400 if it doesn't parse.

    YAML is decoded in a worker thread: even libyaml takes seconds on a large document,
    which must not stall every other request.
    """
    media = parse_media_type(content_type or JSON).type or JSON
    if media not in BODY_TYPES:
        raise apierrors.unsupported_media_type(BODY_TYPES)
    if len(body) > MAX_BODY_BYTES:
        raise apierrors.too_large("the request body is too large")
    if media == JSON:
        try:
            return orjson.loads(body)  # fast; refuses nesting deeper than 1024
        except orjson.JSONDecodeError as e:
            raise _decode_error(str(e)) from e
    # Most YAML bodies are JSON (kubectl sends server-side apply configurations as JSON):
    # JSON is YAML, so a body orjson reads needs neither libyaml nor a worker thread.
    if body.lstrip()[:1] in (b"{", b"["):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass  # YAML flow style, or JSON orjson refuses (deep, huge integers): read as YAML
    return await asyncio.to_thread(_decode_yaml, body)


def _decode_error(reason: str) -> apierrors.StatusError:
    return apierrors.bad_request(f"error decoding request body: {reason.splitlines()[0]}")


def _decode_yaml(body: bytes) -> Any:
    # libyaml crashes the process on extreme flow nesting ("[[[[..."): refuse that first.
    if _flow_depth(body) > MAX_DEPTH:
        raise _decode_error("nesting is too deep")
    try:
        data = yaml.load(body, Loader=_YAML_LOADER)  # a safe loader: CSafeLoader or SafeLoader
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise _decode_error(str(e)) from e
    _check_shape(data)
    return data


def _flow_depth(body: bytes) -> int:
    """The deepest nesting of `[` and `{` (an upper bound: brackets in strings count too)."""
    depth = deepest = 0
    for byte in body.translate(None, _NOT_BRACKETS):
        depth += 1 if byte in _OPENERS else -1
        deepest = max(deepest, depth)
    return deepest


def _check_shape(data: Any) -> None:
    """Refuse documents nested too deep, or that YAML aliases expand beyond any body limit
    ("billion laughs": a small graph of shared nodes that is huge once serialized)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:  # iterative post-order walk: deep documents must not exhaust Python's stack
        node, depth, children_done = stack.pop()
        if not isinstance(node, (dict, list)) or (id(node) in sizes and not children_done):
            continue
        if depth > MAX_DEPTH:
            raise _decode_error("nesting is too deep")
        children = list(node.values() if isinstance(node, dict) else node)
        if children_done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(node)] > MAX_YAML_NODES:
                raise _decode_error("excessive aliasing")
            continue
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children)


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
        # A safe dumper: CSafeDumper (libyaml) or SafeDumper, as yaml.safe_dump uses.
        return yaml.dump(data, Dumper=_YAML_DUMPER, sort_keys=False).encode()
    return orjson.dumps(data)


async def encode_response(data: Any, media_type: str) -> bytes:
    """`encode`, with YAML in a worker thread: even libyaml takes tens of milliseconds for a
    long list, which must not stall every other request. JSON (orjson) stays inline."""
    if media_type == YAML:
        return await asyncio.to_thread(encode, data, YAML)
    return encode(data, media_type)
