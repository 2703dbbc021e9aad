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
# A JSON body's compact re-encoding is at most this many times its size (a number such as
# `1e15` is written out as `1000000000000000.0`): smaller bodies need no measuring.
_MAX_JSON_GROWTH = 5


@dataclass(frozen=True)
class DecodeLimits:
    max_object_bytes: int = DEFAULT_MAX_OBJECT_BYTES
    max_depth: int = MAX_DEPTH


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


def depth(value: Any) -> int:
    """How deep arrays and objects nest in `value` (a top-level object is 1), iteratively."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def check_produced(value: Any, limits: DecodeLimits) -> None:
    """Refuse an object nested or sized beyond the limits (a patch's result, say)."""
    if depth(value) > limits.max_depth:
        raise too_deep(limits)
    check_size(value, limits)


def check_size(value: Any, limits: DecodeLimits) -> None:
    """The object's compact JSON may not exceed the limit; its depth is already checked."""
    if len(orjson.dumps(value)) > limits.max_object_bytes:
        raise too_large(limits)


def check_json_body(value: Any, body: bytes, limits: DecodeLimits) -> None:
    """`check_produced` for an object decoded from the JSON `body`, cheaply: a body with fewer
    brackets than the depth limit cannot nest deeper, a small one cannot be too large."""
    if body.count(b"[") + body.count(b"{") > limits.max_depth and depth(value) > limits.max_depth:
        raise too_deep(limits)
    if len(body) * _MAX_JSON_GROWTH > limits.max_object_bytes:
        check_size(value, limits)
