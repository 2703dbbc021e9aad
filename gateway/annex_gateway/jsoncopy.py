"""Copies of decoded JSON documents: through orjson, several times faster than
copy.deepcopy on the objects every write copies (a leaf any layer may use)."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any, TypeVar

import orjson

T = TypeVar("T")


def copy_json(value: T) -> T:
    """A deep copy of a JSON value. Values orjson would not round-trip exactly (integers
    beyond 64 bits, non-string keys, NaN or infinities) fall back to copy.deepcopy."""
    try:
        encoded = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return copy.deepcopy(value)
    # orjson writes NaN and infinities as null: only a document with a null may hold one.
    if b"null" in encoded and _has_non_finite(value):
        return copy.deepcopy(value)
    copied: T = orjson.loads(encoded)
    return copied


def _has_non_finite(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, float):
            if not math.isfinite(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def replace_leaves(value: Any, replace: Callable[[Any], Any]) -> Any:
    """`value` with every leaf (what is neither a dict nor a list) that `replace` changes
    replaced by what it returns, in place; a value that is itself a leaf is returned
    replaced."""
    if not isinstance(value, dict | list):
        return replace(value)
    stack = [value]
    while stack:
        node = stack.pop()
        items: Any = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, dict | list):
                stack.append(child)
            elif (replaced := replace(child)) is not child:
                node[key] = replaced
    return value
