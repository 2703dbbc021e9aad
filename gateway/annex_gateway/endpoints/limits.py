"""Limits on what a request body becomes, not only on what is read.

kube-apiserver reads at most 3 MiB of a body, and what it stores is bounded again by etcd,
which refuses a write over its --max-request-bytes (1.5 MiB by default). The gateway's store
has no bound of its own, and a small YAML body can expand (aliases) or nest far beyond its size,
so the decoded object is measured: its compact JSON encoding may not exceed `max_object_bytes`
(etcd's default unless configured; `annex gateway --max-object-bytes`), and its nesting may
not exceed MAX_DEPTH.

kube-apiserver's decoders stop at 10000 levels (sigs.k8s.io/json's scanner, go-yaml's flow
level and indents). The gateway stops at 200: orjson, which encodes every object stored and
served, refuses more than 254 levels, and an object travels wrapped (a list item, a watch
event, a Table row: up to 4 more levels). Beyond either limit the answer is a 4xx, as
kube-apiserver's beyond its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from annex_gateway import apierrors

MAX_BODY_BYTES = 3 * 1024 * 1024  # kube-apiserver's default request body limit
DEFAULT_MAX_OBJECT_BYTES = 1536 * 1024  # etcd's default --max-request-bytes
MAX_DEPTH = 200
_ORJSON_DEPTH = 254  # the most levels orjson encodes; one more is "Recursion limit reached"
# orjson writes a JSON document out again in at most 4.5 times its bytes (strings and
# integers never grow; `1e15` becomes `1000000000000000.0`).
_MAX_JSON_GROWTH = 5


@dataclass(frozen=True)
class DecodeLimits:
    max_object_bytes: int = DEFAULT_MAX_OBJECT_BYTES
    max_depth: int = MAX_DEPTH

    def __post_init__(self) -> None:
        if not 0 < self.max_depth <= _ORJSON_DEPTH:
            raise ValueError(f"max_depth must be within 1..{_ORJSON_DEPTH}")


DEFAULT_LIMITS = DecodeLimits()


def too_deep(limits: DecodeLimits) -> apierrors.StatusError:
    """As kube-apiserver words a body nested beyond its decoder's limit."""
    return apierrors.bad_request(
        f"error decoding request body: exceeded max depth of {limits.max_depth}"
    )


def too_large(limits: DecodeLimits) -> apierrors.StatusError:
    return apierrors.too_large(
        f"Request entity too large: the object is larger than {limits.max_object_bytes} "
        "bytes once decoded"
    )


def check_produced(value: Any, limits: DecodeLimits) -> None:
    """Refuse an object nested or sized beyond the limits, with one encoding in C: orjson,
    asked to encode it wrapped in as many arrays as its own depth limit leaves over ours,
    fails exactly when the object nests deeper than ours; else the length is the size."""
    wrapped = value
    for _ in range(_ORJSON_DEPTH - limits.max_depth):
        wrapped = [wrapped]
    try:
        encoded = orjson.dumps(wrapped)
    except orjson.JSONEncodeError as e:
        if "Recursion limit" not in str(e):
            raise
        raise too_deep(limits) from None
    if len(encoded) - 2 * (_ORJSON_DEPTH - limits.max_depth) > limits.max_object_bytes:
        raise too_large(limits)


def check_json_body(value: Any, body: bytes, limits: DecodeLimits) -> None:
    """`check_produced` for what orjson read from `body`, skipped when the body vouches for
    it: it cannot nest deeper than it has openers, nor grow past five times its size."""
    openers = body.count(b"[") + body.count(b"{")
    if openers > limits.max_depth or len(body) * _MAX_JSON_GROWTH > limits.max_object_bytes:
        check_produced(value, limits)
