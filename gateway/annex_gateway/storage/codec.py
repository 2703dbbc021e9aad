"""Object (de)serialization shared by the backends: orjson bytes with the revision stamped in,
laid out as kube-apiserver serves a CRD's objects (keys sorted, HTML-safe escapes), so that
stored bytes can be served as they are."""

from __future__ import annotations

from typing import Any

import orjson

from annex_core.gotext import escape_html
from annex_gateway.jsoncopy import replace_leaves


def encode(obj: dict[str, Any], revision: int) -> bytes:
    """Serialize obj with `metadata.resourceVersion = str(revision)`, leaving obj untouched."""
    metadata = obj.get("metadata")
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, dict):
        raise TypeError("metadata must be an object")
    data = orjson.dumps(
        {**obj, "metadata": {**metadata, "resourceVersion": str(revision)}},
        option=orjson.OPT_SORT_KEYS,
    )
    if _may_hold_whole_float(data):  # rarely: most numbers are ints or fractions
        data = orjson.dumps(_as_go_stores(orjson.loads(data)), option=orjson.OPT_SORT_KEYS)
    return compact(escape_html(data))


def compact(data: bytes) -> bytes:
    """`data` in an allocation of its own size, for bytes that are kept (stored bodies in
    watchers' backlogs, encodings in caches): orjson returns a ~1 KB text in a 4 KB
    allocation (20k such bodies held 78 MB of RSS, 12 MB as copies). A memcpy."""
    return bytes(memoryview(data))


def encode_object(obj: Any) -> bytes:
    """An object as a CRD serves it (unstructured: json.Encoder over maps): keys sorted,
    HTML-safe escapes."""
    return escape_html(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS))


# How orjson spells a float with no fraction: 3.0 (then , } or ]), and from 1e16 with an
# exponent (1e16, 9.2e18; beyond int64 it stays a float). Found inside a string too: then
# the walk below changes nothing.
_WHOLE_FLOAT_SPELLINGS = (b".0,", b".0}", b".0]", b"e16", b"e17", b"e18")


def _may_hold_whole_float(data: bytes) -> bool:
    return any(spelling in data for spelling in _WHOLE_FLOAT_SPELLINGS)


def _as_go_stores(value: Any) -> Any:
    """Whole floats as kube-apiserver stores and serves them: Go writes a float64 with no
    fraction below 1e21 without one (3.0 as `3`, -0.0 as `-0`), and its decoder
    (sigs.k8s.io/json, ints preserved) reads that back as an int64 when it fits. So a CRD
    serves 3 where a client sent 3.0; beyond int64 the number stays a float64."""
    return replace_leaves(value, _as_go_stores_number)


def _as_go_stores_number(leaf: Any) -> Any:
    if type(leaf) is float and leaf.is_integer() and -(2.0**63) <= leaf < 2.0**63:
        return int(leaf)
    return leaf


def decode(data: bytes) -> dict[str, Any]:
    """A fresh dict on every call, so callers may mutate what they get."""
    obj = orjson.loads(data)
    if not isinstance(obj, dict):
        raise TypeError("stored value is not an object")
    return obj


def restamp(data: bytes, revision: int) -> bytes:
    """The same object at another revision: a delete's tombstone carries its own revision."""
    return encode(decode(data), revision)
