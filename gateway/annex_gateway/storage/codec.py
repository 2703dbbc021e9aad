"""Object (de)serialization shared by the backends: orjson bytes with the revision stamped in."""

from __future__ import annotations

import re
from typing import Any

import orjson


def encode(obj: dict[str, Any], revision: int) -> bytes:
    """Serialize obj with `metadata.resourceVersion = str(revision)`, leaving obj untouched."""
    metadata = obj.get("metadata")
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, dict):
        raise TypeError("metadata must be an object")
    data = orjson.dumps({**obj, "metadata": {**metadata, "resourceVersion": str(revision)}})
    if _MAY_HOLD_WHOLE_FLOAT.search(data):  # rarely: most numbers are ints or fractions
        data = orjson.dumps(_as_go_stores(orjson.loads(data)))
    return data


# How orjson spells a float with no fraction: 3.0, -0.0, or 1e16 and up. A match may also be
# inside a string: then the walk below finds nothing to change.
_MAY_HOLD_WHOLE_FLOAT = re.compile(rb"[0-9]\.0[,}\]]|[0-9]e[0-9]")


def _as_go_stores(value: Any) -> Any:
    """Whole floats as kube-apiserver stores and serves them: Go writes a float64 with no
    fraction below 1e21 without one (3.0 as `3`, -0.0 as `-0`), and its decoder
    (sigs.k8s.io/json, ints preserved) reads that back as an int64 when it fits. So a CRD
    serves 3 where a client sent 3.0; beyond int64 the number stays a float64."""
    stack = [value]
    while stack:
        node = stack.pop()
        items: Any = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, dict | list):
                stack.append(child)
            elif type(child) is float and child.is_integer() and -(2.0**63) <= child < 2.0**63:
                node[key] = int(child)
    return value


def decode(data: bytes) -> dict[str, Any]:
    """A fresh dict on every call, so callers may mutate what they get."""
    obj = orjson.loads(data)
    if not isinstance(obj, dict):
        raise TypeError("stored value is not an object")
    return obj


def restamp(data: bytes, revision: int) -> bytes:
    """The same object at another revision: a delete's tombstone carries its own revision."""
    return encode(decode(data), revision)
