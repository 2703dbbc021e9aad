"""JSON patch (RFC 6902) as kube-apiserver applies it to custom resources.

A port of gopkg.in/evanphx/json-patch.v4 v4.13.0 (``DecodePatch`` then ``Patch.Apply``), the
version k8s.io/apiserver v0.37 pins, with its semantics and its error strings. kube-apiserver
answers a decode error with 400 and ``err.Error()``, more than :data:`MAX_OPERATIONS` operations
with 413, and an apply error with 422 and ``err.Error()``; this module raises
:class:`JsonPatchError` (``decode`` tells the two apart) and :class:`TooManyOperations`.

Where evanphx keeps raw JSON text, so do we: ``test`` compares scalars by their JSON text as
evanphx does (``1`` is not ``1.0``, ``"<"`` is not ``"\\u003c"``), the document's scalars
having the text Go's encoder gives them (kube-apiserver encodes the object before patching).
Everything walks with explicit stacks: no recursion, whatever the nesting.

This module's one job is decoding the patch and applying its operations; Go's encoding/json
lives in :mod:`annex_gateway.patch.gojson`, the containers addressed by JSON pointer in
:mod:`annex_gateway.patch.jsonpointer`.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from annex_core.gotext import go_json
from annex_gateway.patch.gojson import (
    HTML_ESCAPES,
    Raw,
    copy_tree,
    go_string,
    go_syntax_error,
    kind,
    parse_raw,
    scalar_text,
    walk,
)
from annex_gateway.patch.jsonpointer import (
    MISSING,
    ApplyError,
    add_key,
    decode_key,
    find_object,
    get_key,
    remove_key,
    set_key,
)

__all__ = [
    "ACCUMULATED_COPY_SIZE_LIMIT",
    "MAX_OPERATIONS",
    "JsonPatchError",
    "JsonPatchPanic",
    "NonObjectResult",
    "TooManyOperations",
    "apply_json_patch",
    "copy_json",
    "go_syntax_error",
]

MAX_OPERATIONS: Final = 10000
"""kube-apiserver's maxJSONPatchOperations."""

ACCUMULATED_COPY_SIZE_LIMIT: Final = 3 * 1024 * 1024
"""jsonpatch.AccumulatedCopySizeLimit as kube-apiserver sets it (JSONPatchMaxCopyBytes)."""


class JsonPatchError(Exception):
    """A patch kube-apiserver would refuse: ``decode`` for DecodePatch's errors (400), else
    Apply's (422). ``message`` is evanphx's (or encoding/json's) ``err.Error()``."""

    def __init__(self, message: str, decode: bool) -> None:
        super().__init__(message)
        self.message = message
        self.decode = decode


class TooManyOperations(Exception):
    """More than MAX_OPERATIONS operations (kube-apiserver answers 413)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.message = (
            f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {count}"
        )
        super().__init__(self.message)


class JsonPatchPanic(Exception):
    """A patch on which evanphx v4.13.0 panics (a nil pointer dereference). kube-apiserver
    then fails the request with 500; this deliberately is not a JsonPatchError."""

    def __init__(
        self, message: str = "runtime error: invalid memory address or nil pointer dereference"
    ) -> None:
        super().__init__(message)
        self.message = message


class NonObjectResult(Exception):
    """The patch succeeded but left a document that is not an object (a JSON patch replacing
    "" with an array, a merge patch that is an array). kube-apiserver then fails to decode the
    result into the object (422 Invalid); ``result`` is the patched value."""

    def __init__(self, result: Any) -> None:
        super().__init__("the patched document is not a JSON object")
        self.result = result


# --- decoding ------------------------------------------------------------------------------


class _NullNode:
    """An operation's ``"value": null``: a node evanphx holds with no raw text, unlike a null
    inside the document (a nil node). It compares equal to nothing but itself."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "_NULL_NODE"


_NULL_NODE: Final = _NullNode()


def _decode_patch(patch: bytes) -> list[dict[str, Any] | None]:
    """DecodePatch: json.Unmarshal into a jsonpatch.Patch ([]map[string]*json.RawMessage)."""
    try:
        orjson.loads(patch)
    except orjson.JSONDecodeError as e:
        message = go_syntax_error(patch)
        if message is None:
            # Valid for Go, refused by orjson: nesting deeper than 1024, invalid UTF-8, a lone
            # surrogate escape, a number beyond float64.
            message = "exceeded max depth" if "depth" in str(e) else f"invalid JSON: {e}"
        raise JsonPatchError(message, decode=True) from None
    ops = parse_raw(patch.decode("utf-8"))
    if ops is None:
        return []
    if not isinstance(ops, list):
        raise JsonPatchError(
            f"json: cannot unmarshal {kind(ops)} into Go value of type jsonpatch.Patch",
            decode=True,
        )
    for op in ops:
        if op is not None and not isinstance(op, dict):
            raise JsonPatchError(
                f"json: cannot unmarshal {kind(op)} into Go value of type jsonpatch.Operation",
                decode=True,
            )
    return ops


# --- the operations ------------------------------------------------------------------------


def _op_string(op: dict[str, Any], field: str, missing: str) -> str:
    """Operation.Path / Operation.From: the field as a string, or ApplyError (Go's error)."""
    v = op.get(field)
    if v is None:
        raise ApplyError(f"{missing}: {MISSING}")
    if isinstance(v, Raw) and isinstance(v.value, str):
        return v.value
    raise ApplyError(f"json: cannot unmarshal {kind(v)} into Go value of type string")


_NO_VALUE: Final = object()


def _op_value(op: dict[str, Any]) -> Any:
    """Operation.value(): _NO_VALUE without the field, _NULL_NODE for null."""
    if "value" not in op:
        return _NO_VALUE
    v = op["value"]
    return _NULL_NODE if v is None else v


def _stored(v: Any) -> Any:
    """A value as an add or replace stores it (a missing value is a nil node)."""
    return None if v is _NO_VALUE else v


def _equal(n: Any, o: Any) -> bool:
    """lazyNode.equal, iteratively; raises JsonPatchPanic where evanphx dereferences nil."""
    stack: list[tuple[Any, Any]] = [(n, o)]
    while stack:
        n, o = stack.pop()
        if n is None or o is None or o is _NO_VALUE:
            raise JsonPatchPanic()
        if isinstance(n, dict):
            if not isinstance(o, dict) or len(n) != len(o):
                return False
            children: list[tuple[Any, Any]] = []
            for k, v in n.items():
                if k not in o:
                    return False
                ov = o[k]
                if (v is None) != (ov is None):
                    return False
                if v is not None:
                    children.append((v, ov))
            stack.extend(reversed(children))
        elif isinstance(n, list):
            if not isinstance(o, list) or len(n) != len(o):
                return False
            stack.extend(reversed(list(zip(n, o, strict=True))))
        elif n is _NULL_NODE:
            if o is not _NULL_NODE:
                return False
        elif isinstance(o, dict | list) or o is _NULL_NODE or scalar_text(n) != scalar_text(o):
            return False
    return True


def _deep_copy(val: Any) -> tuple[Any, int]:
    """deepCopy: the copy as evanphx re-reads it from json.Marshal, and that text's size."""
    if val is None:
        return None, 0
    if val is _NULL_NODE:
        return None, 4  # evanphx: a node with the text null; see the module notes
    copy = copy_tree(val)
    size = 0
    for node in walk(copy):
        if isinstance(node, dict):
            size += 2 + max(len(node) - 1, 0)
            for k, child in node.items():
                size += len(go_string(k).encode()) + 1
                if isinstance(child, Raw):
                    node[k] = _escaped(child)
                elif child is _NULL_NODE:
                    node[k] = None
        elif isinstance(node, list):
            size += 2 + max(len(node) - 1, 0)
            for i, child in enumerate(node):
                if isinstance(child, Raw):
                    node[i] = _escaped(child)
                elif child is _NULL_NODE:
                    node[i] = None
        elif node is None or node is _NULL_NODE:
            size += 4
        else:
            size += len(scalar_text(node).translate(HTML_ESCAPES).encode())
    if isinstance(copy, Raw):
        copy = _escaped(copy)
    return copy, size


def _escaped(v: Raw) -> Raw:
    """A patch scalar after json.Marshal of its raw text (compacted, HTML-escaped)."""
    raw = v.raw.translate(HTML_ESCAPES)
    return v if raw == v.raw else Raw(v.value, raw)


def _apply_op(root: Any, op: dict[str, Any] | None, copied: list[int]) -> Any:
    """One operation; returns the (possibly new) root."""
    kind = "unknown"
    if op is not None:
        k = op.get("op")
        if isinstance(k, Raw) and isinstance(k.value, str):
            kind = k.value
    if op is None or kind not in ("add", "remove", "replace", "move", "test", "copy"):
        raise ApplyError(f"Unexpected kind: {kind}")

    if kind in ("add", "remove"):
        try:
            path = _op_string(op, "path", "operation missing path field")
        except ApplyError:
            raise ApplyError(f"{kind} operation failed to decode path: {MISSING}") from None
        con, key = find_object(root, path)
        if con is None:
            raise ApplyError(
                f'{kind} operation does not apply: doc is missing path: "{path}": {MISSING}'
            )
        try:
            if kind == "add":
                add_key(con, key, _stored(_op_value(op)))
            else:
                remove_key(con, key)
        except ApplyError as e:
            raise ApplyError(f"error in {kind} for path: '{path}': {e}") from None
        return root

    if kind == "replace":
        try:
            path = _op_string(op, "path", "operation missing path field")
        except ApplyError as e:
            raise ApplyError(f"replace operation failed to decode path: {e}") from None
        if path == "":
            val = _op_value(op)
            if val is _NO_VALUE:
                raise JsonPatchPanic()
            if not isinstance(val, dict | list):
                raise ApplyError("replace operation value must be object or array: %!w(<nil>)")
            return val
        con, key = find_object(root, path)
        if con is None:
            raise ApplyError(
                f"replace operation does not apply: doc is missing path: {path}: {MISSING}"
            )
        try:
            get_key(con, key)
        except ApplyError:
            raise ApplyError(
                f"replace operation does not apply: doc is missing key: {path}: {MISSING}"
            ) from None
        try:
            set_key(con, key, _stored(_op_value(op)))
        except ApplyError as e:
            raise ApplyError(f"error in remove for path: '{path}': {e}") from None
        return root

    if kind == "move":
        try:
            from_ = _op_string(op, "from", "operation, missing from field")
        except ApplyError as e:
            raise ApplyError(f"move operation failed to decode from: {e}") from None
        con, key = find_object(root, from_)
        if con is None:
            raise ApplyError(
                f"move operation does not apply: doc is missing from path: {from_}: {MISSING}"
            )
        try:
            val = get_key(con, key)
            remove_key(con, key)
        except ApplyError as e:
            raise ApplyError(f"error in move for path: '{key}': {e}") from None
        try:
            path = _op_string(op, "path", "operation missing path field")
        except ApplyError as e:
            raise ApplyError(f"move operation failed to decode path: {e}") from None
        con, key = find_object(root, path)
        if con is None:
            raise ApplyError(
                f"move operation does not apply: doc is missing destination path: {path}: {MISSING}"
            )
        try:
            add_key(con, key, val)
        except ApplyError as e:
            raise ApplyError(f"error in move for path: '{path}': {e}") from None
        return root

    if kind == "test":
        try:
            path = _op_string(op, "path", "operation missing path field")
        except ApplyError as e:
            raise ApplyError(f"test operation failed to decode path: {e}") from None
        failed = ApplyError(f"testing value {path} failed: test failed")
        value = _op_value(op)
        if path == "":
            if _equal(root, value):
                return root
            raise failed
        con, key = find_object(root, path)
        if con is None:
            raise ApplyError(f"test operation does not apply: is missing path: {path}: {MISSING}")
        try:
            val = get_key(con, key)
        except ApplyError as e:
            raise ApplyError(f"error in test for path: '{path}': {e}") from None
        if val is None:
            if value is _NO_VALUE or value is _NULL_NODE:
                return root
            raise failed
        if value is _NO_VALUE:
            raise failed
        if _equal(val, value):
            return root
        raise failed

    # copy
    try:
        from_ = _op_string(op, "from", "operation, missing from field")
    except ApplyError as e:
        raise ApplyError(f"copy operation failed to decode from: {e}") from None
    con, key = find_object(root, from_)
    if con is None:
        raise ApplyError(
            f"copy operation does not apply: doc is missing from path: {from_}: {MISSING}"
        )
    try:
        val = get_key(con, key)
    except ApplyError as e:
        raise ApplyError(f"error in copy for from: '{from_}': {e}") from None
    try:
        path = _op_string(op, "path", "operation missing path field")
    except ApplyError:
        raise ApplyError(f"copy operation failed to decode path: {MISSING}") from None
    con, key = find_object(root, path)
    if con is None:
        raise ApplyError(
            f"copy operation does not apply: doc is missing destination path: {path}: {MISSING}"
        )
    val_copy, size = _deep_copy(val)
    copied[0] += size
    if copied[0] > ACCUMULATED_COPY_SIZE_LIMIT:
        raise ApplyError(
            "Unable to complete the copy, the accumulated size increase of copy is "
            f"{copied[0]}, exceeding the limit {ACCUMULATED_COPY_SIZE_LIMIT}"
        )
    try:
        add_key(con, key, val_copy)
    except ApplyError as e:
        raise ApplyError(f"error while adding value during copy: {e}") from None
    return root


def _plain(root: Any) -> Any:
    """The working tree as plain JSON values (in place: the tree is ours)."""
    if isinstance(root, Raw):
        return root.value
    if root is _NULL_NODE:
        return None
    for node in walk(root):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, Raw):
                    node[k] = v.value
                elif v is _NULL_NODE:
                    node[k] = None
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, Raw):
                    node[i] = v.value
                elif v is _NULL_NODE:
                    node[i] = None
    return root


def copy_json(value: Any) -> Any:
    """A deep copy of decoded JSON, without recursion."""
    return copy_tree(value)


def apply_json_patch(document: dict[str, Any], patch: bytes) -> dict[str, Any]:
    """Apply a JSON patch (the body of an application/json-patch+json request) to a decoded
    object, as kube-apiserver does; ``document`` is left untouched.

    Raises JsonPatchError, TooManyOperations, JsonPatchPanic (where evanphx panics) and
    NonObjectResult (a root replaced by an array)."""
    ops = _decode_patch(patch)
    if len(ops) > MAX_OPERATIONS:
        raise TooManyOperations(len(ops))
    root: Any = copy_tree(document)
    copied = [0]
    for op in ops:
        try:
            root = _apply_op(root, op, copied)
        except ApplyError as e:
            raise JsonPatchError(str(e), decode=False) from None
    result = _plain(root)
    if not isinstance(result, dict):
        raise NonObjectResult(result)
    return result


def patched_text(patched: dict[str, Any], patch: bytes) -> str:
    """The text evanphx's Apply gives for a document that was a typed object (its keys in
    its struct's order): the document and every object an operation's path (or from) went
    through are decoded into Go maps (sorted keys); the rest keeps its order. For a patch
    apply_json_patch took, and a result nested no deeper than the decoding limits."""
    containers: set[tuple[str, ...]] = {()}
    for op in orjson.loads(patch) or ():
        for field in ("path", "from"):
            pointer = op.get(field) if isinstance(op, dict) else None
            if isinstance(pointer, str) and pointer:
                tokens = tuple(decode_key(t) for t in pointer.split("/")[1:])
                containers.update(tokens[:i] for i in range(len(tokens)))
    return _text(patched, (), containers)


def _text(node: Any, at: tuple[str, ...], containers: set[tuple[str, ...]]) -> str:
    if isinstance(node, dict):
        keys = sorted(node) if at in containers else node
        inner = (f"{go_json(k)}:{_text(node[k], (*at, k), containers)}" for k in keys)
        return "{" + ",".join(inner) + "}"
    if isinstance(node, list):
        return "[" + ",".join(_text(v, (*at, str(i)), containers) for i, v in enumerate(node)) + "]"
    return go_json(node)
