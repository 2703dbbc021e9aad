"""JSON merge patch (RFC 7386) as kube-apiserver applies it to custom resources.

A port of gopkg.in/evanphx/json-patch.v4 v4.13.0 ``MergePatch`` (the version k8s.io/apiserver
v0.37 pins). kube-apiserver answers ``ErrBadJSONPatch`` ("Invalid JSON Patch": a body that is
not JSON, ``null``, a string, a number or a boolean) with 400. A patch that is an array is not
an error for evanphx: it replaces the document (nulls pruned from the objects inside), which
kube-apiserver then fails to decode into the object; we raise NonObjectResult with it.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from annex_core.gotext import go_json
from annex_gateway.patch.jsonpatch import NonObjectResult, copy_json

BAD_JSON_PATCH: Final = "Invalid JSON Patch"
"""evanphx's ErrBadJSONPatch."""


class MergePatchError(Exception):
    """A merge patch kube-apiserver would refuse (400); ``message`` is evanphx's."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _prune_nulls(value: Any) -> Any:
    """pruneNulls: drop null members of every object within (nulls in arrays stay)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k in [k for k, v in node.items() if v is None]:
                del node[k]
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return value


def _merge_docs(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    """mergeDocs (mergeMerge false), iteratively."""
    stack = [(doc, patch)]
    while stack:
        cur_doc, cur_patch = stack.pop()
        for k, v in cur_patch.items():
            if v is None:
                cur_doc.pop(k, None)
                continue
            cur = cur_doc.get(k)
            if cur is None:
                cur_doc[k] = _prune_nulls(v)
            elif not isinstance(cur, dict):
                # merge(): the current value is no object, the patch's replaces it, pruned.
                cur_doc[k] = _prune_nulls(v)
            elif not isinstance(v, dict):
                # merge(): the patch's value is no object; it replaces the object unpruned.
                cur_doc[k] = v
            else:
                stack.append((cur, v))


def apply_merge_patch(document: dict[str, Any], patch: bytes) -> dict[str, Any]:
    """Apply a merge patch (the body of an application/merge-patch+json request) to a decoded
    object, as kube-apiserver does; ``document`` is left untouched.

    Raises MergePatchError, and NonObjectResult for a patch that is an array."""
    try:
        value = orjson.loads(patch)
    except orjson.JSONDecodeError:
        # Go: a json.SyntaxError (including nesting beyond its limit) is ErrBadJSONPatch.
        raise MergePatchError(BAD_JSON_PATCH) from None
    if isinstance(value, list):
        raise NonObjectResult(_prune_nulls(value))
    if not isinstance(value, dict):
        raise MergePatchError(BAD_JSON_PATCH)
    result: dict[str, Any] = copy_json(document)
    _merge_docs(result, value)
    return result


def merged_text(document: dict[str, Any], patch: bytes) -> str:
    """The text evanphx's MergePatch gives for `patch` applied to `document` when the
    document is a typed object (its keys in its struct's order): objects the patch merged
    into are decoded into Go maps (sorted keys), as are the objects it brought in (pruned of
    nulls); what it did not reach keeps its order. For a patch apply_merge_patch took, and a
    document nested no deeper than the decoding limits."""
    value = orjson.loads(patch)
    assert isinstance(value, dict)
    return _merged_text(document, value)


def _merged_text(doc: dict[str, Any], patch: dict[str, Any]) -> str:
    kept = {k: v for k, v in doc.items() if k not in patch or patch[k] is not None}
    parts = []
    for key in sorted(kept.keys() | {k for k, v in patch.items() if v is not None}):
        cur, new = kept.get(key), patch.get(key, _UNTOUCHED)
        if new is _UNTOUCHED:
            text = go_json(cur, sort_keys=False)
        elif isinstance(cur, dict) and isinstance(new, dict):
            text = _merged_text(cur, new)
        elif isinstance(cur, dict):  # an object replaced by the patch's scalar or array
            text = go_json(new, sort_keys=False)
        else:
            text = go_json(_prune_nulls(copy_json(new)))
        parts.append(f"{go_json(key)}:{text}")
    return "{" + ",".join(parts) + "}"


_UNTOUCHED: Final = object()
