"""List: a consistent, paged, filtered read of one resource, as the generic registry store
and the etcd3 storage serve it (resourceVersion / resourceVersionMatch / continue)."""

from __future__ import annotations

import base64
from typing import Any, NamedTuple

import orjson

from annex_gateway import apierrors
from annex_gateway.registry import selectors
from annex_gateway.registry.options import ListOptions
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.storage import Expired, NotFound, RevisionTooLarge, Store

JSON = dict[str, Any]
DEFAULT_PAGE_SCAN = 500


class _ListStart(NamedTuple):
    at_revision: int | None = None  # a snapshot (continue, or Exact); None: the current state
    after: tuple[str, str] | None = None  # the key to start after (continue)
    not_older_than: int | None = None  # resourceVersion=N, match unset or NotOlderThan


def supported_fields(info: ResourceInfo) -> tuple[str, ...]:
    meta = ("metadata.name", "metadata.namespace") if info.namespaced else ("metadata.name",)
    return meta + tuple(f.label for f in info.selectable)


async def list_objects(
    store: Store, info: ResourceInfo, namespace: str, options: ListOptions
) -> JSON:
    labels, fields, limit = options.labels, options.fields, options.limit
    scope: str | None = namespace or fields.exact("metadata.namespace") or None
    at_revision, after, minimum = _list_start(options)
    items: list[JSON] = []
    remaining: int | None = None
    try:
        revision = at_revision or await store.current_revision()
        # NotOlderThan N: the current state satisfies it only if N is not in the future
        # (then 504 ResourceVersionTooLarge, on which client-go relists from "").
        if minimum is not None and minimum > revision:
            raise RevisionTooLarge(minimum, revision)
        name = fields.exact("metadata.name")
        # kubectl get, wait and delete NAME list with metadata.name=NAME: with the namespace
        # known and no older revision asked for, read that one key (as the generic registry
        # store does for a selector that matches a single name), after the revision above.
        if name is not None and at_revision is None and (scope or not info.namespaced):
            items = await _list_one(store, info, scope or "", name, labels, fields)
            more = False
        else:
            more = True
        while more and (limit is None or len(items) < limit):
            want = (limit - len(items)) if limit else None
            page = await store.list(
                info.storage_prefix,
                scope,
                limit=max(want or 0, DEFAULT_PAGE_SCAN)
                if not (labels.empty and fields.empty)
                else want,
                after=after,
                at_revision=revision,
            )
            more = page.more
            for obj in page.items:
                meta = obj.get("metadata", {})
                after = (meta.get("namespace", ""), meta["name"])
                if selected(obj, info, labels, fields):
                    items.append(info.to_served(obj))
                    if limit is not None and len(items) >= limit:
                        more = more or obj is not page.items[-1]
                        break
            remaining = page.remaining
    except Expired as e:
        if options.continue_token:
            raise apierrors.expired(
                "The provided continue parameter is too old to display a consistent list "
                "result. You can start a new list without the continue parameter."
            ) from e
        raise apierrors.expired(f"too old resource version: {e.revision} ({e.oldest})") from e
    except RevisionTooLarge as e:
        raise too_large(e) from None

    # An unstructured list always carries continue, empty on the last page (the etcd3
    # store's SetContinue("") on an UnstructuredList), so CRD lists do too.
    list_meta: JSON = {"continue": "", "resourceVersion": str(revision)}
    if more and limit is not None and after is not None:
        list_meta["continue"] = encode_continue(revision, after)
        if labels.empty and fields.empty and remaining is not None:
            list_meta["remainingItemCount"] = remaining
    return {
        "apiVersion": info.api_version,
        "kind": info.list_kind,
        "metadata": list_meta,
        "items": items,
    }


def too_large(e: RevisionTooLarge) -> apierrors.StatusError:
    """504 ResourceVersionTooLarge, on which client-go lists again from the current state."""
    return apierrors.StatusError(
        504,
        "Timeout",
        f"Too large resource version: {e.revision}, current: {e.current}",
        details={
            "causes": [
                {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
            ],
            "retryAfterSeconds": 1,
        },
    )


async def _list_one(
    store: Store,
    info: ResourceInfo,
    namespace: str,
    name: str,
    labels: selectors.LabelSelector,
    fields: selectors.FieldSelector,
) -> list[JSON]:
    """The one object a list can hold, read by its key: none if missing or not selected."""
    try:
        obj = await store.get(info.key(namespace, name))
    except NotFound:
        return []
    return [info.to_served(obj)] if selected(obj, info, labels, fields) else []


def selected(
    obj: JSON, info: ResourceInfo, labels: selectors.LabelSelector, fields: selectors.FieldSelector
) -> bool:
    if not labels.matches(obj.get("metadata", {}).get("labels") or {}):
        return False
    if fields.empty:
        return True
    values = selectors.object_fields(obj, info.namespaced)
    values.update((f.label, f.value(obj)) for f in info.selectable)
    return fields.matches(values)


def _list_start(options: ListOptions) -> _ListStart:
    """Where a list starts, from continue / resourceVersion / resourceVersionMatch (already
    validated together by the endpoints)."""
    rv = options.resource_version
    if options.continue_token:
        return _ListStart(*decode_continue(options.continue_token))
    if options.resource_version_match == "Exact":
        return _ListStart(parse_revision(rv or ""))
    if rv and rv != "0":
        return _ListStart(not_older_than=parse_revision(rv))
    return _ListStart()


def parse_revision(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise apierrors.bad_request(f'invalid resource version "{text}"')
    return value


def encode_continue(revision: int, after: tuple[str, str]) -> str:
    """An opaque continue token: the snapshot revision and the last key returned."""
    token = {"v": "annex.dev/v1", "rv": revision, "start": f"{after[0]}/{after[1]}"}
    return base64.urlsafe_b64encode(orjson.dumps(token)).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        namespace, _, name = str(raw["start"]).partition("/")
        revision = int(raw["rv"])
        if raw.get("v") != "annex.dev/v1" or revision <= 0 or not name:
            raise ValueError(token)
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        raise apierrors.bad_request("continue key is not valid") from None
    return revision, (namespace, name)
