"""Object (de)serialization shared by the backends: orjson bytes with the revision stamped in."""

from __future__ import annotations

from typing import Any

import orjson


def encode(obj: dict[str, Any], revision: int) -> bytes:
    """Serialize obj with `metadata.resourceVersion = str(revision)`, leaving obj untouched."""
    metadata = obj.get("metadata")
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, dict):
        raise TypeError("metadata must be an object")
    return orjson.dumps({**obj, "metadata": {**metadata, "resourceVersion": str(revision)}})


def decode(data: bytes) -> dict[str, Any]:
    """A fresh dict on every call, so callers may mutate what they get."""
    obj = orjson.loads(data)
    if not isinstance(obj, dict):
        raise TypeError("stored value is not an object")
    return obj


def restamp(data: bytes, revision: int) -> bytes:
    """The same object at another revision: a delete's tombstone carries its own revision."""
    return encode(decode(data), revision)
